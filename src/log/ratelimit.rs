//! One log line per kind of rejected advert, per instance, per window.
//!
//! keepalived logs every advert it rejects (KEEPALIVED.md §5.3): a flood of
//! forged adverts (tens of thousands a second) becomes as many log lines and
//! starves the daemon. Here the first rejection of a kind is logged with
//! keepalived's text, then nothing of that kind for that instance until the
//! window has passed; the next line is preceded by how many were left out.
//! Every rejected advert is still counted in the instance's statistics.
//!
//! Sans-IO: the caller gives the time.

use crate::time::{Duration, Instant};
use std::collections::HashMap;

/// The window: one line per instance and kind per 10 s.
pub const WINDOW: Duration = Duration::from_secs(10);

/// What to do with one rejection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Log it; `left_out` rejections of the same kind were not logged since
    /// the previous line (say so first when non-zero).
    Log { left_out: u64 },
    /// Count it, do not log it.
    Quiet,
}

#[derive(Debug)]
struct Slot {
    logged_at: Instant,
    left_out: u64,
}

/// The limiter: a slot per (instance or interface, kind).
#[derive(Debug)]
pub struct RxErrorLimiter {
    window: Duration,
    slots: HashMap<(String, &'static str), Slot>,
}

impl Default for RxErrorLimiter {
    fn default() -> Self {
        RxErrorLimiter::new(WINDOW)
    }
}

impl RxErrorLimiter {
    pub fn new(window: Duration) -> Self {
        RxErrorLimiter {
            window,
            slots: HashMap::new(),
        }
    }

    /// A rejection of `kind` for `subject` (an instance, or an interface for
    /// unknown VRIDs) at `now`.
    pub fn check(&mut self, now: Instant, subject: &str, kind: &'static str) -> Verdict {
        match self.slots.get_mut(&(subject.to_string(), kind)) {
            Some(s) if now.saturating_since(s.logged_at) < self.window => {
                s.left_out += 1;
                Verdict::Quiet
            }
            Some(s) => {
                let left_out = std::mem::take(&mut s.left_out);
                s.logged_at = now;
                Verdict::Log { left_out }
            }
            None => {
                self.slots.insert(
                    (subject.to_string(), kind),
                    Slot {
                        logged_at: now,
                        left_out: 0,
                    },
                );
                Verdict::Log { left_out: 0 }
            }
        }
    }

    /// Forget the slots (a reload: instances may be gone).
    pub fn clear(&mut self) {
        self.slots.clear();
    }
}

/// The line that says how many rejections were not logged (before the
/// next one that is).
pub fn left_out_line(subject: &str, kind: &str, left_out: u64, window: Duration) -> String {
    format!(
        "({subject}) {left_out} more adverts rejected ({kind}) since the last such line were not logged (one line per {} s)",
        window.micros() / 1_000_000
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(ms: u64) -> Instant {
        Instant::from_millis(ms)
    }

    #[test]
    fn a_flood_is_one_line_per_window_with_the_count() {
        let mut l = RxErrorLimiter::default();
        assert_eq!(
            l.check(t(0), "VI_1", "password"),
            Verdict::Log { left_out: 0 }
        );
        for i in 1..=73_000 {
            assert_eq!(l.check(t(i / 10), "VI_1", "password"), Verdict::Quiet);
        }
        assert_eq!(
            l.check(t(10_000), "VI_1", "password"),
            Verdict::Log { left_out: 73_000 }
        );
        assert_eq!(l.check(t(10_001), "VI_1", "password"), Verdict::Quiet);
        assert_eq!(
            l.check(t(25_000), "VI_1", "password"),
            Verdict::Log { left_out: 1 }
        );
    }

    #[test]
    fn kinds_and_instances_are_limited_apart() {
        let mut l = RxErrorLimiter::default();
        assert_eq!(
            l.check(t(0), "VI_1", "password"),
            Verdict::Log { left_out: 0 }
        );
        assert_eq!(l.check(t(1), "VI_1", "ttl"), Verdict::Log { left_out: 0 });
        assert_eq!(
            l.check(t(2), "VI_2", "password"),
            Verdict::Log { left_out: 0 }
        );
        assert_eq!(l.check(t(3), "VI_1", "password"), Verdict::Quiet);
        l.clear();
        assert_eq!(
            l.check(t(4), "VI_1", "password"),
            Verdict::Log { left_out: 0 }
        );
    }

    #[test]
    fn the_left_out_line() {
        assert_eq!(
            left_out_line("VI_1", "invalid password", 41, WINDOW),
            "(VI_1) 41 more adverts rejected (invalid password) since the last such line were not logged (one line per 10 s)"
        );
    }
}
