//! The timers of one VRRP instance, as data: an enum of timer kinds and a
//! table of deadlines (quinn's `timer.rs` layout).
//!
//! Owns: which deadlines exist, when each is due, the earliest one. Must not:
//! read a clock or decide what a timer does when it fires (the instance does
//! that). Handling a timeout is always "take it if it is due": calling a
//! handler early, or twice for one deadline, finds nothing to take and does
//! nothing.
//!
//! keepalived keeps a single `sands` per instance (advert timer in MASTER,
//! master-down timer in BACKUP, disabled in FAULT/INIT), plus scheduler
//! threads for the delayed GARP bursts, plus times that are only compared
//! when something else happens (`preempt_time`, `garp_refresh_timer`,
//! `vmac_garp_timer`). The first two kinds wake the event loop; the last kind
//! is stored here too but is *passive* (see [`Timer::wakes`]).

use crate::time::Instant;

/// A kind of per-instance timer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Timer {
    /// MASTER: send the next advertisement. Set to now + advert_int on
    /// entering MASTER (right after the first advert) and after each advert
    /// sent (KEEPALIVED.md §5.4; keepalived: `vrrp_init_instance_sands`).
    Advert,
    /// BACKUP: no advert from the master for Master_Down_Interval; fire =
    /// "Receive advertisement timeout" and go MASTER. Set to now +
    /// master-down on entering BACKUP and on each accepted advert; now + skew
    /// after a priority-0 advert; now + 1 µs for an address owner at start-up;
    /// shifted by the change of the down interval when the effective priority
    /// changes (§5.4, §5.5, §3.2).
    MasterDown,
    /// BACKUP with `preempt_delay`: the time after which a lower-priority
    /// advert stops being accepted (keepalived's `preempt_time`). Started by
    /// the first lower-priority advert, cleared by a higher/equal one.
    /// Passive: keepalived never wakes up for it, it is only compared when the
    /// next advert arrives, and an *expired* deadline (preempt now) differs
    /// from *no* deadline (next lower advert restarts the delay), so the engine
    /// must not clear it on expiry.
    PreemptDelay,
    /// MASTER: the second GARP/NA burst, `garp_master_delay` after becoming
    /// MASTER (§6 (b)). keepalived never cancels it and sends only if the VIPs
    /// are still set, so stopping it when leaving MASTER is equivalent
    /// (except that keepalived would send two bursts if MASTER were left and
    /// re-entered before the first one fired).
    GarpDelayed,
    /// MASTER with `garp_master_refresh`: when the next periodic refresh
    /// burst is due. Passive: keepalived compares it only when sending an
    /// advert, and strictly (`now > deadline`): [`TimerTable::is_expired`] is
    /// `deadline <= now`, so store the deadline one microsecond later (§6 (c)).
    GarpRefresh,
    /// MASTER that received a lower-priority advert: the delayed GARP burst
    /// `garp_lower_prio_delay` later (§6 (d)). keepalived schedules one per
    /// such advert and never cancels them (sends only while the VIPs are set);
    /// this slot holds one deadline, so the engine keeps any queue it wants
    /// and sets this to the earliest.
    GarpLowerPrio,
    /// MASTER with `garp_extra_if` / VMAC: periodic GARP on the extra
    /// interfaces. Passive, compared when sending an advert (strictly, like
    /// [`Timer::GarpRefresh`]).
    GarpExtraIf,
}

impl Timer {
    /// Number of timer kinds.
    pub const COUNT: usize = 7;

    /// Every kind, in table order.
    pub const ALL: [Timer; Timer::COUNT] = [
        Timer::Advert,
        Timer::MasterDown,
        Timer::PreemptDelay,
        Timer::GarpDelayed,
        Timer::GarpRefresh,
        Timer::GarpLowerPrio,
        Timer::GarpExtraIf,
    ];

    /// Whether the event loop must wake up for this timer. Passive timers
    /// (`PreemptDelay`, `GarpRefresh`, `GarpExtraIf`) are deadlines that
    /// keepalived only compares when another event happens.
    pub const fn wakes(self) -> bool {
        !matches!(
            self,
            Timer::PreemptDelay | Timer::GarpRefresh | Timer::GarpExtraIf
        )
    }

    const fn index(self) -> usize {
        self as usize
    }
}

/// The deadlines of one instance's timers, indexed by [`Timer`]. (A bit
/// per running timer rather than an `Option` per deadline: 64 B, not 112.)
#[derive(Clone, Copy, Default, PartialEq, Eq)]
pub struct TimerTable {
    /// The deadlines; a stopped timer's is `Instant::ZERO`.
    at: [Instant; Timer::COUNT],
    /// Bit `1 << index` set: that timer is running.
    running: u8,
}

impl TimerTable {
    /// A table with every timer stopped.
    pub const fn new() -> Self {
        TimerTable {
            at: [Instant::ZERO; Timer::COUNT],
            running: 0,
        }
    }

    const fn bit(timer: Timer) -> u8 {
        1 << timer.index()
    }

    /// Arm `timer` for `deadline` (replacing any earlier deadline).
    pub fn set(&mut self, timer: Timer, deadline: Instant) {
        self.at[timer.index()] = deadline;
        self.running |= Self::bit(timer);
    }

    /// Stop `timer` (no-op if it is not running).
    pub fn stop(&mut self, timer: Timer) {
        self.at[timer.index()] = Instant::ZERO;
        self.running &= !Self::bit(timer);
    }

    /// Stop every timer (entering FAULT/INIT, shutdown).
    pub fn stop_all(&mut self) {
        *self = TimerTable::new();
    }

    /// The deadline of `timer`, if it is running.
    pub fn get(&self, timer: Timer) -> Option<Instant> {
        self.is_set(timer).then_some(self.at[timer.index()])
    }

    /// Whether `timer` is running.
    pub fn is_set(&self, timer: Timer) -> bool {
        self.running & Self::bit(timer) != 0
    }

    /// Whether `timer` is running and its deadline is at or before `now`.
    pub fn is_expired(&self, timer: Timer, now: Instant) -> bool {
        self.get(timer).is_some_and(|d| d <= now)
    }

    /// If `timer` is due at `now`, stop it and return true; otherwise leave it
    /// alone and return false. A timeout handler starts with this, so an
    /// early or repeated call does nothing.
    pub fn take_if_expired(&mut self, timer: Timer, now: Instant) -> bool {
        let due = self.is_expired(timer, now);
        if due {
            self.stop(timer);
        }
        due
    }

    /// The earliest deadline among the timers that wake the event loop
    /// (ties: the first in [`Timer::ALL`] order).
    pub fn next(&self) -> Option<(Timer, Instant)> {
        Timer::ALL
            .iter()
            .filter(|t| t.wakes())
            .filter_map(|&t| self.get(t).map(|d| (t, d)))
            .min_by_key(|&(t, d)| (d, t))
    }

    /// The waking timers due at `now`, earliest deadline first (ties in
    /// [`Timer::ALL`] order). Nothing is cleared: handle each with
    /// [`TimerTable::take_if_expired`].
    pub fn expired(&self, now: Instant) -> impl Iterator<Item = Timer> + use<> {
        let mut due: Vec<(Instant, Timer)> = Timer::ALL
            .iter()
            .filter(|t| t.wakes())
            .filter_map(|&t| self.get(t).filter(|&d| d <= now).map(|d| (d, t)))
            .collect();
        due.sort_unstable();
        due.into_iter().map(|(_, t)| t)
    }
}

/// As the table of `Option`s it stands for.
impl std::fmt::Debug for TimerTable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let data = Timer::ALL.map(|t| self.get(t));
        f.debug_struct("TimerTable").field("data", &data).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::Duration;

    fn at(ms: u64) -> Instant {
        Instant::from_millis(ms)
    }

    #[test]
    fn all_is_in_index_order() {
        for (i, t) in Timer::ALL.iter().enumerate() {
            assert_eq!(t.index(), i);
        }
    }

    #[test]
    fn set_get_stop() {
        let mut t = TimerTable::new();
        assert_eq!(t.get(Timer::Advert), None);
        t.set(Timer::Advert, at(1000));
        assert_eq!(t.get(Timer::Advert), Some(at(1000)));
        assert!(t.is_set(Timer::Advert));
        t.set(Timer::Advert, at(2000));
        assert_eq!(t.get(Timer::Advert), Some(at(2000)));
        t.stop(Timer::Advert);
        assert!(!t.is_set(Timer::Advert));
        t.stop(Timer::Advert);
        assert_eq!(t, TimerTable::default());
    }

    #[test]
    fn expiry_is_at_or_after_deadline() {
        let mut t = TimerTable::new();
        t.set(Timer::MasterDown, Instant::from_micros(3_609_375));
        assert!(!t.is_expired(Timer::MasterDown, Instant::from_micros(3_609_374)));
        assert!(t.is_expired(Timer::MasterDown, Instant::from_micros(3_609_375)));
        assert!(t.is_expired(Timer::MasterDown, Instant::from_micros(9_000_000)));
        assert!(!t.is_expired(Timer::Advert, at(9_000)));
    }

    #[test]
    fn handling_a_timeout_early_or_twice_does_nothing() {
        let mut t = TimerTable::new();
        t.set(Timer::MasterDown, at(3000));
        // Early: nothing taken, deadline kept.
        assert!(!t.take_if_expired(Timer::MasterDown, at(2999)));
        assert_eq!(t.get(Timer::MasterDown), Some(at(3000)));
        // On time: taken once.
        assert!(t.take_if_expired(Timer::MasterDown, at(3000)));
        // Twice: nothing left.
        assert!(!t.take_if_expired(Timer::MasterDown, at(3000)));
        assert!(!t.take_if_expired(Timer::MasterDown, at(5000)));
        // A timer never set.
        assert!(!t.take_if_expired(Timer::GarpDelayed, at(5000)));
        assert_eq!(t.next(), None);
    }

    #[test]
    fn next_is_the_earliest_waking_deadline() {
        let mut t = TimerTable::new();
        assert_eq!(t.next(), None);
        t.set(Timer::GarpDelayed, at(5000));
        t.set(Timer::Advert, at(1000));
        t.set(Timer::GarpLowerPrio, at(700));
        assert_eq!(t.next(), Some((Timer::GarpLowerPrio, at(700))));
        t.stop(Timer::GarpLowerPrio);
        assert_eq!(t.next(), Some((Timer::Advert, at(1000))));
        // Ties resolve in table order.
        t.set(Timer::GarpDelayed, at(1000));
        assert_eq!(t.next(), Some((Timer::Advert, at(1000))));
    }

    #[test]
    fn passive_timers_never_wake() {
        let mut t = TimerTable::new();
        t.set(Timer::PreemptDelay, at(10));
        t.set(Timer::GarpRefresh, at(20));
        t.set(Timer::GarpExtraIf, at(30));
        assert_eq!(t.next(), None);
        assert_eq!(t.expired(at(100)).count(), 0);
        // ...but they are still deadlines one can compare against.
        assert!(t.is_expired(Timer::PreemptDelay, at(10)));
        assert!(!t.is_expired(Timer::GarpRefresh, at(19)));
        t.set(Timer::Advert, at(50));
        assert_eq!(t.next(), Some((Timer::Advert, at(50))));
        let wakers: Vec<Timer> = Timer::ALL.into_iter().filter(|t| t.wakes()).collect();
        assert_eq!(
            wakers,
            [
                Timer::Advert,
                Timer::MasterDown,
                Timer::GarpDelayed,
                Timer::GarpLowerPrio
            ]
        );
    }

    #[test]
    fn expired_lists_due_timers_earliest_first_without_clearing() {
        let mut t = TimerTable::new();
        t.set(Timer::GarpDelayed, at(300));
        t.set(Timer::Advert, at(200));
        t.set(Timer::GarpLowerPrio, at(200));
        t.set(Timer::MasterDown, at(900));
        let due: Vec<Timer> = t.expired(at(300)).collect();
        assert_eq!(
            due,
            [Timer::Advert, Timer::GarpLowerPrio, Timer::GarpDelayed]
        );
        // Still armed until taken.
        assert_eq!(t.expired(at(300)).count(), 3);
        for timer in t.expired(at(300)) {
            assert!(t.take_if_expired(timer, at(300)));
        }
        assert_eq!(t.expired(at(300)).count(), 0);
        assert_eq!(t.next(), Some((Timer::MasterDown, at(900))));
    }

    #[test]
    fn stop_all_clears_everything() {
        let mut t = TimerTable::new();
        for (i, timer) in Timer::ALL.into_iter().enumerate() {
            t.set(timer, Instant::ZERO + Duration::from_secs(i as u64));
        }
        t.stop_all();
        assert!(Timer::ALL.iter().all(|&x| !t.is_set(x)));
    }
}
