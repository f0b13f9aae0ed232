//! The daemon's clock and its one timer.
//!
//! Time is `CLOCK_MONOTONIC` (wall-clock steps do not move it), handed to
//! the core as [`crate::time::Instant`]: microseconds since the clock was
//! made. The timer is a `timerfd` on the same clock armed at an absolute
//! deadline with nanosecond resolution, so a wake-up is neither rounded to
//! the millisecond (as an `epoll_wait` timeout is) nor drifts.

use crate::time::Instant;
use nix::sys::time::TimeSpec;
use nix::sys::timerfd::{ClockId, Expiration, TimerFd, TimerFlags, TimerSetTimeFlags};
use nix::time::{ClockId as TimeClockId, clock_gettime};
use std::io;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, RawFd};

fn monotonic_us() -> u64 {
    match clock_gettime(TimeClockId::CLOCK_MONOTONIC) {
        Ok(t) => {
            let us = i128::from(t.tv_sec()) * 1_000_000 + i128::from(t.tv_nsec()) / 1_000;
            u64::try_from(us).unwrap_or(0)
        }
        Err(_) => 0,
    }
}

/// Monotonic time as the engine sees it.
#[derive(Clone, Copy, Debug)]
pub struct Clock {
    /// `CLOCK_MONOTONIC` at creation, in microseconds.
    base_us: u64,
}

impl Clock {
    pub fn new() -> Clock {
        Clock {
            base_us: monotonic_us(),
        }
    }

    /// Now, in microseconds since [`Clock::new`].
    pub fn now(&self) -> Instant {
        Instant::from_micros(monotonic_us().saturating_sub(self.base_us))
    }

    /// How long from now until `at` (zero when it has passed).
    pub fn until(&self, at: Instant) -> std::time::Duration {
        std::time::Duration::from_micros(at.saturating_since(self.now()).micros())
    }

    /// `at` as an absolute `CLOCK_MONOTONIC` time.
    fn absolute(&self, at: Instant) -> TimeSpec {
        // never 0: an all-zero it_value would disarm the timer
        let us = self.base_us.saturating_add(at.micros()).max(1);
        TimeSpec::new(
            i64::try_from(us / 1_000_000).unwrap_or(i64::MAX),
            i64::try_from((us % 1_000_000) * 1_000).unwrap_or(0),
        )
    }
}

impl Default for Clock {
    fn default() -> Self {
        Clock::new()
    }
}

/// A one-shot timer on the clock, to register with the poll for readable.
pub struct Timer {
    fd: TimerFd,
    clock: Clock,
    armed: Option<Instant>,
}

impl Timer {
    pub fn new(clock: Clock) -> io::Result<Timer> {
        let fd = TimerFd::new(
            ClockId::CLOCK_MONOTONIC,
            TimerFlags::TFD_NONBLOCK | TimerFlags::TFD_CLOEXEC,
        )?;
        Ok(Timer {
            fd,
            clock,
            armed: None,
        })
    }

    /// Fire at `at` (or at once if it has passed); `None` disarms. Setting
    /// the deadline it already has costs no system call.
    pub fn set(&mut self, at: Option<Instant>) -> io::Result<()> {
        if at == self.armed {
            return Ok(());
        }
        match at {
            Some(t) => self.fd.set(
                Expiration::OneShot(self.clock.absolute(t)),
                TimerSetTimeFlags::TFD_TIMER_ABSTIME,
            )?,
            None => self.fd.unset()?,
        }
        self.armed = at;
        Ok(())
    }

    /// After the timer fired: consume the expiry so the next one wakes the
    /// poll again, and forget the deadline.
    pub fn acknowledge(&mut self) {
        let mut buf = [0u8; 8];
        let _ = nix::unistd::read(self.fd.as_fd(), &mut buf);
        self.armed = None;
    }
}

impl AsRawFd for Timer {
    fn as_raw_fd(&self) -> RawFd {
        self.fd.as_fd().as_raw_fd()
    }
}

impl AsFd for Timer {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.fd.as_fd()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn now_is_monotonic_and_until_never_negative() {
        let c = Clock::new();
        let a = c.now();
        let b = c.now();
        assert!(b >= a);
        assert_eq!(c.until(a), Duration::ZERO);
        let later = Instant::from_micros(b.micros() + 50_000);
        let d = c.until(later);
        assert!(d > Duration::from_millis(40) && d <= Duration::from_millis(50));
    }

    #[test]
    fn timer_fires_at_the_deadline_not_before() {
        let c = Clock::new();
        let mut t = Timer::new(c).unwrap();
        let at = Instant::from_micros(c.now().micros() + 30_000);
        t.set(Some(at)).unwrap();
        let mut poll = mio::Poll::new().unwrap();
        let fd = t.as_raw_fd();
        poll.registry()
            .register(
                &mut mio::unix::SourceFd(&fd),
                mio::Token(7),
                mio::Interest::READABLE,
            )
            .unwrap();
        let mut events = mio::Events::with_capacity(4);
        poll.poll(&mut events, Some(Duration::from_secs(2)))
            .unwrap();
        let woke = c.now();
        assert!(events.iter().any(|e| e.token() == mio::Token(7)));
        assert!(woke >= at, "woke {woke:?} before {at:?}");
        assert!(
            woke.micros() - at.micros() < 20_000,
            "late by {} us",
            woke.micros() - at.micros()
        );
        t.acknowledge();
        // disarmed: nothing more within 50 ms
        t.set(None).unwrap();
        poll.poll(&mut events, Some(Duration::from_millis(50)))
            .unwrap();
        assert!(events.is_empty());
    }
}
