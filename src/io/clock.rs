//! The daemon's clock: the monotonic clock (`CLOCK_MONOTONIC`, what
//! `std::time::Instant` reads on Linux) as the core's [`crate::time::Instant`],
//! microseconds since the clock was made. Wall-clock steps do not move it.

use crate::time::Instant;

/// Monotonic time as the engine sees it.
#[derive(Clone, Copy, Debug)]
pub struct Clock {
    base: std::time::Instant,
}

impl Clock {
    pub fn new() -> Clock {
        Clock {
            base: std::time::Instant::now(),
        }
    }

    /// Now, in microseconds since [`Clock::new`].
    pub fn now(&self) -> Instant {
        let us = self.base.elapsed().as_micros();
        Instant::from_micros(u64::try_from(us).unwrap_or(u64::MAX))
    }

    /// How long from now until `at` (zero when it has passed), rounded up to
    /// the next microsecond so a wake-up is never early.
    pub fn until(&self, at: Instant) -> std::time::Duration {
        let now = self.now();
        std::time::Duration::from_micros(at.saturating_since(now).micros())
    }
}

impl Default for Clock {
    fn default() -> Self {
        Clock::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn now_is_monotonic_and_until_never_negative() {
        let c = Clock::new();
        let a = c.now();
        let b = c.now();
        assert!(b >= a);
        assert_eq!(c.until(a), std::time::Duration::ZERO);
        let later = Instant::from_micros(b.micros() + 50_000);
        let d = c.until(later);
        assert!(
            d > std::time::Duration::from_millis(40) && d <= std::time::Duration::from_millis(50)
        );
    }
}
