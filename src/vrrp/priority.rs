//! Effective priority and tracker faults of one instance, sans-IO
//! (KEEPALIVED.md §3.2; keepalived `vrrp_track.c`, `track_file.c`).
//!
//! Owns: the base priority, the trackers an instance follows with their last
//! known status, and what they add up to: total priority, effective priority
//! (what goes into adverts), the trackers holding the instance in FAULT, the
//! unweighted scripts still in INIT. Must not: run scripts, read files, watch
//! links, log, or touch timers. Callers feed statuses in; each change comes
//! back as a [`TrackUpdate`] saying what moved (old → new effective priority,
//! fault and init counts), for the engine to log keepalived's lines, shift
//! the master-down deadline and change state.
//!
//! keepalived keeps `total_priority` as a running sum, adding or subtracting
//! `|weight|` on each transition. That is the same as summing, per tracker,
//! a contribution that depends only on its current status, which is what
//! this module does:
//!
//! | status   | weight > 0 | weight < 0 | weight 0 |
//! |----------|-----------|-----------|----------|
//! | Up       | `w·m`     | 0         | FAULT if `reverse` |
//! | Down     | 0         | `w·m`     | FAULT unless `reverse` |
//! | Init     | 0         | 0         | holds the instance out of BACKUP |
//! | Value(v) | `clamp(v·w·m, -254, 253)`, ≤ -254 = FAULT | (same) | FAULT if `(v != 0) != reverse` |
//!
//! where `m` is -1 with `reverse`, else 1. `Value` is a `track_file`'s
//! number.

use std::fmt;

/// keepalived's `VRRP_PRIO_OWNER`.
pub const PRIO_OWNER: u8 = 255;

/// A track_file contribution at or below this puts the instance in FAULT.
pub const FILE_FAULT: i32 = -254;
/// The largest track_file contribution.
pub const FILE_MAX: i32 = 253;

/// What a tracker watches.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TrackerKind {
    /// `track_script` (instance or sync group).
    Script,
    /// `track_interface`, and the instance's own interface (unweighted).
    Interface,
    /// `track_file`.
    File,
    /// `track_process` (quorum held = Up).
    Process,
    /// `track_bfd`.
    Bfd,
}

/// The last known state of a tracked object.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TrackerStatus {
    /// No result yet (a script before its first run ends). Contributes
    /// nothing; an unweighted tracker in Init holds the instance out of
    /// BACKUP. keepalived has this state only for scripts (interfaces,
    /// files and processes are known at start-up); here it applies to any
    /// kind the caller leaves in it.
    Init,
    /// Script OK, interface up, quorum held, BFD up.
    Up,
    /// Script KO, interface down, quorum lost, BFD down.
    Down,
    /// A track_file's value (strtol of the file; 0 when missing or empty).
    Value(i64),
}

/// One tracked object as an instance sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tracker {
    pub kind: TrackerKind,
    pub name: String,
    /// -253..253 for scripts/interfaces/bfd, -254..254 for files/processes;
    /// 0 = unweighted.
    pub weight: i32,
    pub reverse: bool,
    status: TrackerStatus,
}

impl Tracker {
    /// The current status.
    pub fn status(&self) -> TrackerStatus {
        self.status
    }
}

/// Index of a tracker inside its [`Priority`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TrackerId(usize);

/// What one tracker does to its instance in its current status.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Contribution {
    /// Added to the total priority (may be 0).
    Adjust(i32),
    /// The instance must be in FAULT.
    Fault,
    /// Unweighted and in Init: the instance waits for a first result.
    Hold,
}

/// keepalived's rule for one tracker (see the module table).
pub fn contribution(weight: i32, reverse: bool, status: TrackerStatus) -> Contribution {
    let m: i64 = if reverse { -1 } else { 1 };
    match status {
        TrackerStatus::Init if weight == 0 => Contribution::Hold,
        TrackerStatus::Init => Contribution::Adjust(0),
        TrackerStatus::Up | TrackerStatus::Down => {
            let up = status == TrackerStatus::Up;
            if weight == 0 {
                if up == reverse {
                    Contribution::Fault
                } else {
                    Contribution::Adjust(0)
                }
            } else if (weight > 0) == up {
                Contribution::Adjust((i64::from(weight) * m) as i32)
            } else {
                Contribution::Adjust(0)
            }
        }
        TrackerStatus::Value(v) => {
            if weight == 0 {
                if (v != 0) != reverse {
                    Contribution::Fault
                } else {
                    Contribution::Adjust(0)
                }
            } else {
                let s = i128::from(v) * i128::from(weight) * i128::from(m);
                let s = s.clamp(i128::from(FILE_FAULT), i128::from(FILE_MAX)) as i32;
                if s <= FILE_FAULT {
                    Contribution::Fault
                } else {
                    Contribution::Adjust(s)
                }
            }
        }
    }
}

/// keepalived's clamp of the total priority: [1, 254] (tracking can never
/// produce 0 nor the owner's 255).
pub fn clamp_effective(total: i32) -> u8 {
    total.clamp(1, i32::from(PRIO_OWNER) - 1) as u8
}

/// How keepalived applied an effective-priority change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChangeKind {
    /// keepalived `vrrp_set_effective_priority`: log "(%s) Changing effective
    /// priority from %d to %d", in BACKUP shift the master-down deadline by
    /// the change of the down interval, send the priority notifies if
    /// `notify_priority_changes`.
    Changed,
    /// A weighted track_file leaving FAULT: keepalived sets the effective
    /// priority directly, with no "Changing" line, no deadline shift and no
    /// notify; with -D it logs "(%s) Setting effective priority to %d" when
    /// `log_detail` (the file's contribution is not 0).
    SetLeavingFileFault { log_detail: bool },
}

/// An effective-priority update. With [`ChangeKind::Changed`], `from != to`;
/// with `SetLeavingFileFault` they may be equal (only the -D line is due).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PriorityChange {
    pub from: u8,
    pub to: u8,
    pub kind: ChangeKind,
}

/// Whether the trackers let the instance run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Readiness {
    /// No tracker fault, no unweighted script waiting: BACKUP/MASTER allowed.
    Ready,
    /// No fault, but an unweighted tracker has no result yet: keepalived
    /// keeps the instance internally in FAULT with no log and no notify.
    Init,
    /// At least one tracker fault.
    Fault,
}

/// What one status change did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TrackUpdate {
    /// Effective-priority change to report, if any.
    pub priority: Option<PriorityChange>,
    /// Tracker faults before and after (keepalived's `num_script_if_fault`,
    /// tracker part).
    pub faults: (usize, usize),
    /// Unweighted trackers in Init before and after (`num_script_init`).
    pub init: (usize, usize),
}

impl TrackUpdate {
    fn none(faults: usize, init: usize) -> Self {
        TrackUpdate {
            priority: None,
            faults: (faults, faults),
            init: (init, init),
        }
    }

    /// A tracker fault appeared (keepalived `down_instance`).
    pub fn fault_added(&self) -> bool {
        self.faults.1 > self.faults.0
    }

    /// A tracker fault cleared (keepalived `try_up_instance`).
    pub fn fault_removed(&self) -> bool {
        self.faults.1 < self.faults.0
    }

    /// The last unweighted tracker in Init got its first result.
    pub fn left_init(&self) -> bool {
        self.init.0 > 0 && self.init.1 == 0
    }

    /// Nothing changed.
    pub fn is_noop(&self) -> bool {
        self.priority.is_none() && self.faults.0 == self.faults.1 && self.init.0 == self.init.1
    }
}

/// The priority side of one VRRP instance.
///
/// Build with [`Priority::new`], add every tracker with its initial status,
/// then call [`Priority::refresh`] once (keepalived computes the start-up
/// priority the same way and logs a "Changing effective priority" line if it
/// differs from the base). After that, feed each new status to
/// [`Priority::set_status`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Priority {
    base: u8,
    /// What the total starts from: the configured priority (keepalived's
    /// `total_priority` is not touched when an owner is demoted).
    total_base: i32,
    effective: u8,
    trackers: Vec<Tracker>,
}

impl Priority {
    /// An instance with configured priority `base` (1..255; 255 = address
    /// owner) and no trackers. The effective priority starts at `base`.
    pub fn new(base: u8) -> Self {
        Priority {
            base,
            total_base: i32::from(base),
            effective: base,
            trackers: Vec::new(),
        }
    }

    /// The configured priority (254 after [`Priority::demote_owner`]).
    pub fn base(&self) -> u8 {
        self.base
    }

    /// Address owner: the effective priority never changes and weights are
    /// ignored (keepalived refuses weighted trackers on owners at start-up).
    pub fn is_owner(&self) -> bool {
        self.base == PRIO_OWNER
    }

    /// The priority put in adverts.
    pub fn effective(&self) -> u8 {
        self.effective
    }

    /// Base plus every tracker's adjustment, unclamped (keepalived's
    /// `total_priority`, shown as "Total priority" in the data dump).
    pub fn total(&self) -> i32 {
        let owner = self.is_owner();
        self.trackers
            .iter()
            .filter(|t| !(owner && t.weight != 0))
            .map(|t| match contribution(t.weight, t.reverse, t.status) {
                Contribution::Adjust(a) => a,
                Contribution::Fault | Contribution::Hold => 0,
            })
            .fold(self.total_base, i32::saturating_add)
    }

    /// Add a tracker with its initial status. Does not touch the effective
    /// priority: call [`Priority::refresh`] once all are added.
    pub fn add_tracker(
        &mut self,
        kind: TrackerKind,
        name: &str,
        weight: i32,
        reverse: bool,
        status: TrackerStatus,
    ) -> TrackerId {
        self.trackers.push(Tracker {
            kind,
            name: name.to_string(),
            weight,
            reverse,
            status,
        });
        TrackerId(self.trackers.len() - 1)
    }

    /// All trackers, in the order added.
    pub fn trackers(&self) -> &[Tracker] {
        &self.trackers
    }

    /// One tracker.
    pub fn tracker(&self, id: TrackerId) -> &Tracker {
        &self.trackers[id.0]
    }

    /// The tracker of `kind` named `name`, if this instance tracks it.
    pub fn find(&self, kind: TrackerKind, name: &str) -> Option<TrackerId> {
        self.trackers
            .iter()
            .position(|t| t.kind == kind && t.name == name)
            .map(TrackerId)
    }

    /// The trackers currently putting the instance in FAULT.
    pub fn faults(&self) -> impl Iterator<Item = &Tracker> {
        self.trackers
            .iter()
            .filter(|t| contribution(t.weight, t.reverse, t.status) == Contribution::Fault)
    }

    /// How many trackers put the instance in FAULT.
    pub fn fault_count(&self) -> usize {
        self.faults().count()
    }

    /// How many unweighted trackers have no result yet.
    pub fn init_count(&self) -> usize {
        self.trackers
            .iter()
            .filter(|t| contribution(t.weight, t.reverse, t.status) == Contribution::Hold)
            .count()
    }

    /// Whether the trackers let the instance run.
    pub fn readiness(&self) -> Readiness {
        if self.fault_count() > 0 {
            Readiness::Fault
        } else if self.init_count() > 0 {
            Readiness::Init
        } else {
            Readiness::Ready
        }
    }

    /// Recompute the effective priority from the total (keepalived
    /// `vrrp_set_effective_priority`): owners never change; otherwise
    /// clamp to [1, 254] and report a change.
    pub fn refresh(&mut self) -> Option<PriorityChange> {
        if self.is_owner() {
            return None;
        }
        let new = clamp_effective(self.total());
        if new == self.effective {
            return None;
        }
        let from = std::mem::replace(&mut self.effective, new);
        Some(PriorityChange {
            from,
            to: new,
            kind: ChangeKind::Changed,
        })
    }

    /// Record a tracker's new status and say what it changed. Setting the
    /// status it already has does nothing.
    pub fn set_status(&mut self, id: TrackerId, status: TrackerStatus) -> TrackUpdate {
        let (faults, init) = (self.fault_count(), self.init_count());
        let t = &self.trackers[id.0];
        if t.status == status {
            return TrackUpdate::none(faults, init);
        }
        let old = contribution(t.weight, t.reverse, t.status);
        let new = contribution(t.weight, t.reverse, status);
        let weighted = t.weight != 0;
        self.trackers[id.0].status = status;
        let priority = match (old, new) {
            _ if !weighted => None,
            // keepalived takes the file's share out of the total but leaves
            // the effective priority alone until the fault clears.
            (_, Contribution::Fault) => None,
            (Contribution::Fault, Contribution::Adjust(a)) => self.set_leaving_file_fault(a),
            _ => self.refresh(),
        };
        TrackUpdate {
            priority,
            faults: (faults, self.fault_count()),
            init: (init, self.init_count()),
        }
    }

    /// keepalived `process_update_vrrp_track_file_status`, previous status
    /// -254: `effective = clamp(total)` without `vrrp_set_effective_priority`.
    fn set_leaving_file_fault(&mut self, adjust: i32) -> Option<PriorityChange> {
        if self.is_owner() {
            return None;
        }
        let from = self.effective;
        self.effective = clamp_effective(self.total());
        let log_detail = adjust != 0;
        (from != self.effective || log_detail).then_some(PriorityChange {
            from,
            to: self.effective,
            kind: ChangeKind::SetLeavingFileFault { log_detail },
        })
    }

    /// Both ends claim address ownership: keepalived sets base and effective
    /// priority to 254 ("(%s) CONFIGURATION ERROR: local instance and a
    /// remote instance are both configured as address owner, please fix -
    /// reducing local priority"), leaving the total as it was. No
    /// "Changing effective priority" line.
    pub fn demote_owner(&mut self) {
        self.base = PRIO_OWNER - 1;
        self.effective = PRIO_OWNER - 1;
    }
}

impl fmt::Display for TrackerKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TrackerKind::Script => "script",
            TrackerKind::Interface => "interface",
            TrackerKind::File => "file",
            TrackerKind::Process => "process",
            TrackerKind::Bfd => "bfd",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::Contribution::{Adjust, Fault, Hold};
    use super::TrackerStatus::{Down, Init, Up, Value};
    use super::*;

    #[test]
    fn up_down_init_table() {
        // (weight, reverse, status, contribution): every combination.
        let table: &[(i32, bool, TrackerStatus, Contribution)] = &[
            (60, false, Up, Adjust(60)),
            (60, false, Down, Adjust(0)),
            (60, false, Init, Adjust(0)),
            (60, true, Up, Adjust(-60)),
            (60, true, Down, Adjust(0)),
            (60, true, Init, Adjust(0)),
            (-60, false, Up, Adjust(0)),
            (-60, false, Down, Adjust(-60)),
            (-60, false, Init, Adjust(0)),
            (-60, true, Up, Adjust(0)),
            (-60, true, Down, Adjust(60)),
            (-60, true, Init, Adjust(0)),
            (0, false, Up, Adjust(0)),
            (0, false, Down, Fault),
            (0, false, Init, Hold),
            (0, true, Up, Fault),
            (0, true, Down, Adjust(0)),
            (0, true, Init, Hold),
            (253, false, Up, Adjust(253)),
            (-253, false, Down, Adjust(-253)),
            (254, true, Up, Adjust(-254)),
            (-254, true, Down, Adjust(254)),
        ];
        for &(w, r, s, c) in table {
            assert_eq!(contribution(w, r, s), c, "weight {w} reverse {r} {s:?}");
        }
    }

    #[test]
    fn track_file_table() {
        let table: &[(i32, bool, i64, Contribution)] = &[
            // weight 0: non-zero = FAULT; reverse: zero = FAULT.
            (0, false, 0, Adjust(0)),
            (0, false, 1, Fault),
            (0, false, -7, Fault),
            (0, true, 0, Fault),
            (0, true, 1, Adjust(0)),
            (0, true, -7, Adjust(0)),
            // value x weight, clamped to [-254, 253]; <= -254 = FAULT.
            (1, false, 0, Adjust(0)),
            (1, false, 10, Adjust(10)),
            (1, false, -10, Adjust(-10)),
            (1, false, 253, Adjust(253)),
            (1, false, 254, Adjust(253)),
            (1, false, 1_000_000, Adjust(253)),
            (1, false, -253, Adjust(-253)),
            (1, false, -254, Fault),
            (1, false, -1_000_000, Fault),
            (1, true, 10, Adjust(-10)),
            (1, true, -10, Adjust(10)),
            (1, true, 254, Fault),
            (1, true, -254, Adjust(253)),
            (-5, false, 3, Adjust(-15)),
            (-5, false, -3, Adjust(15)),
            (-5, true, 3, Adjust(15)),
            (10, false, 26, Adjust(253)),
            (10, false, -25, Adjust(-250)),
            (10, false, -26, Fault),
            (254, false, 1, Adjust(253)),
            (-254, false, 1, Fault),
            (254, false, i64::MAX, Adjust(253)),
            (254, false, i64::MIN, Fault),
            (-254, true, i64::MIN, Fault),
        ];
        for &(w, r, v, c) in table {
            assert_eq!(
                contribution(w, r, Value(v)),
                c,
                "weight {w} reverse {r} value {v}"
            );
        }
    }

    #[test]
    fn clamping() {
        for (total, eff) in [
            (i32::MIN, 1),
            (-500, 1),
            (0, 1),
            (1, 1),
            (100, 100),
            (254, 254),
            (255, 254),
            (600, 254),
            (i32::MAX, 254),
        ] {
            assert_eq!(clamp_effective(total), eff, "{total}");
        }
    }

    #[test]
    fn verified_150_to_90_with_weight_minus_60() {
        let mut p = Priority::new(150);
        let s = p.add_tracker(TrackerKind::Script, "chk", -60, false, Init);
        assert_eq!(p.refresh(), None);
        // First result OK: nothing.
        assert!(p.set_status(s, Up).is_noop());
        let u = p.set_status(s, Down);
        assert_eq!(
            u.priority,
            Some(PriorityChange {
                from: 150,
                to: 90,
                kind: ChangeKind::Changed
            })
        );
        assert_eq!(p.total(), 90);
        let u = p.set_status(s, Up);
        assert_eq!(u.priority.map(|c| (c.from, c.to)), Some((90, 150)));
        // Same status twice: nothing.
        assert!(p.set_status(s, Up).is_noop());
    }

    #[test]
    fn start_up_refresh_reports_the_initial_adjustment() {
        let mut p = Priority::new(100);
        p.add_tracker(TrackerKind::Interface, "eth1", -30, false, Down);
        p.add_tracker(TrackerKind::Interface, "eth2", 20, false, Up);
        p.add_tracker(TrackerKind::Script, "s", 50, false, Init);
        assert_eq!(p.effective(), 100);
        assert_eq!(p.total(), 90);
        let c = p.refresh().unwrap();
        assert_eq!((c.from, c.to, c.kind), (100, 90, ChangeKind::Changed));
        assert_eq!(p.refresh(), None);
    }

    #[test]
    fn effective_is_clamped_and_total_is_not() {
        let mut p = Priority::new(200);
        let a = p.add_tracker(TrackerKind::Script, "a", 100, false, Init);
        let b = p.add_tracker(TrackerKind::Script, "b", -253, false, Init);
        let c = p.add_tracker(TrackerKind::Script, "c", -253, false, Init);
        p.refresh();
        assert_eq!(p.set_status(a, Up).priority.unwrap().to, 254);
        assert_eq!(p.total(), 300);
        assert_eq!(p.effective(), 254);
        p.set_status(b, Down);
        assert_eq!(p.effective(), 47);
        let u = p.set_status(c, Down);
        assert_eq!(u.priority.map(|c| (c.from, c.to)), Some((47, 1)));
        assert_eq!(p.total(), -206);
        // Still clamped: no change reported while the total moves below 1.
        assert_eq!(p.set_status(a, Down).priority, None);
        assert_eq!(p.total(), -306);
    }

    #[test]
    fn owner_never_changes() {
        let mut p = Priority::new(255);
        assert!(p.is_owner());
        let s = p.add_tracker(TrackerKind::Script, "s", -60, false, Down);
        let i = p.add_tracker(TrackerKind::Interface, "eth1", 0, false, Up);
        assert_eq!(p.refresh(), None);
        assert_eq!(p.total(), 255);
        assert_eq!(p.set_status(s, Up).priority, None);
        assert_eq!(p.effective(), 255);
        // Unweighted trackers still fault an owner.
        let u = p.set_status(i, Down);
        assert!(u.fault_added());
        assert_eq!(p.readiness(), Readiness::Fault);
        assert_eq!(p.effective(), 255);
    }

    #[test]
    fn demoted_owner() {
        let mut p = Priority::new(255);
        p.demote_owner();
        assert_eq!((p.base(), p.effective(), p.total()), (254, 254, 255));
        assert!(!p.is_owner());
        assert_eq!(p.refresh(), None);
    }

    #[test]
    fn unweighted_faults_are_counted() {
        let mut p = Priority::new(100);
        let a = p.add_tracker(TrackerKind::Interface, "eth0", 0, false, Up);
        let b = p.add_tracker(TrackerKind::Script, "s", 0, true, Down);
        assert_eq!(p.readiness(), Readiness::Ready);
        let u = p.set_status(a, Down);
        assert_eq!((u.faults, u.priority), ((0, 1), None));
        assert!(u.fault_added());
        // Reverse: OK means down.
        let u = p.set_status(b, Up);
        assert_eq!(u.faults, (1, 2));
        assert_eq!(
            p.faults().map(|t| t.name.as_str()).collect::<Vec<_>>(),
            ["eth0", "s"]
        );
        assert!(p.set_status(a, Up).fault_removed());
        assert_eq!(p.readiness(), Readiness::Fault);
        let u = p.set_status(b, Down);
        assert_eq!(u.faults, (1, 0));
        assert_eq!(p.readiness(), Readiness::Ready);
        assert_eq!(p.effective(), 100);
    }

    #[test]
    fn unweighted_init_scripts_hold_the_instance() {
        let mut p = Priority::new(100);
        let a = p.add_tracker(TrackerKind::Script, "a", 0, false, Init);
        let b = p.add_tracker(TrackerKind::Script, "b", 0, true, Init);
        let w = p.add_tracker(TrackerKind::Script, "w", 10, false, Init);
        assert_eq!((p.init_count(), p.readiness()), (2, Readiness::Init));
        // A weighted Init script does not hold.
        let u = p.set_status(w, Up);
        assert_eq!(u.init, (2, 2));
        assert_eq!(u.priority.map(|c| c.to), Some(110));
        let u = p.set_status(a, Up);
        assert_eq!((u.init, u.faults), ((2, 1), (0, 0)));
        assert!(!u.left_init());
        // Reverse script's first result is OK: leaves Init and faults at once.
        let u = p.set_status(b, Up);
        assert_eq!((u.init, u.faults), ((1, 0), (0, 1)));
        assert!(u.left_init() && u.fault_added());
        assert_eq!(p.readiness(), Readiness::Fault);
        let u = p.set_status(b, Down);
        assert!(u.fault_removed());
        assert_eq!(p.readiness(), Readiness::Ready);
    }

    #[test]
    fn fault_outranks_init() {
        let mut p = Priority::new(100);
        p.add_tracker(TrackerKind::Script, "a", 0, false, Init);
        let i = p.add_tracker(TrackerKind::Interface, "eth0", 0, false, Down);
        assert_eq!(p.readiness(), Readiness::Fault);
        p.set_status(i, Up);
        assert_eq!(p.readiness(), Readiness::Init);
    }

    #[test]
    fn weighted_track_file_fault_and_recovery() {
        let mut p = Priority::new(100);
        let f = p.add_tracker(TrackerKind::File, "f", 10, false, Value(2));
        assert_eq!(p.refresh().map(|c| c.to), Some(120));
        // 2 -> 5: +30.
        let u = p.set_status(f, Value(5));
        assert_eq!(
            u.priority,
            Some(PriorityChange {
                from: 120,
                to: 150,
                kind: ChangeKind::Changed
            })
        );
        // 5 -> -30: -300 <= -254, FAULT; keepalived leaves effective alone.
        let u = p.set_status(f, Value(-30));
        assert_eq!((u.priority, u.faults), (None, (0, 1)));
        assert_eq!((p.total(), p.effective()), (100, 150));
        // Another tracker moving meanwhile recomputes from the total.
        let s = p.add_tracker(TrackerKind::Script, "s", 5, false, Init);
        assert_eq!(p.set_status(s, Up).priority.map(|c| c.to), Some(105));
        // -30 -> -3: leaves FAULT, effective set directly.
        let u = p.set_status(f, Value(-3));
        assert_eq!(u.faults, (1, 0));
        assert_eq!(
            u.priority,
            Some(PriorityChange {
                from: 105,
                to: 75,
                kind: ChangeKind::SetLeavingFileFault { log_detail: true }
            })
        );
        // 400 and 410 both clamp to 253: the second change does nothing.
        assert_eq!(p.set_status(f, Value(40)).priority.map(|c| c.to), Some(254));
        assert_eq!(p.total(), 358);
        assert!(p.set_status(f, Value(41)).is_noop());
    }

    #[test]
    fn leaving_file_fault_with_zero_share() {
        let mut p = Priority::new(100);
        let f = p.add_tracker(TrackerKind::File, "f", 1, false, Value(-300));
        assert_eq!(p.readiness(), Readiness::Fault);
        assert_eq!(p.refresh(), None);
        let u = p.set_status(f, Value(0));
        assert_eq!((u.priority, u.faults), (None, (1, 0)));
    }

    #[test]
    fn unweighted_track_file() {
        let mut p = Priority::new(100);
        let f = p.add_tracker(TrackerKind::File, "f", 0, false, Value(0));
        let r = p.add_tracker(TrackerKind::File, "r", 0, true, Value(1));
        assert_eq!(p.readiness(), Readiness::Ready);
        let u = p.set_status(f, Value(3));
        assert_eq!((u.priority, u.faults), (None, (0, 1)));
        // Another non-zero value: still one fault, nothing new.
        assert!(p.set_status(f, Value(4)).is_noop());
        assert!(p.set_status(r, Value(0)).fault_added());
        assert_eq!(p.fault_count(), 2);
        p.set_status(f, Value(0));
        p.set_status(r, Value(9));
        assert_eq!(p.readiness(), Readiness::Ready);
        assert_eq!(p.effective(), 100);
    }

    #[test]
    fn find_trackers() {
        let mut p = Priority::new(100);
        let a = p.add_tracker(TrackerKind::Script, "x", 1, false, Init);
        let b = p.add_tracker(TrackerKind::Interface, "x", 1, false, Up);
        assert_eq!(p.find(TrackerKind::Script, "x"), Some(a));
        assert_eq!(p.find(TrackerKind::Interface, "x"), Some(b));
        assert_eq!(p.find(TrackerKind::File, "x"), None);
        assert_eq!(p.tracker(b).status(), Up);
        assert_eq!(p.trackers().len(), 2);
    }

    /// keepalived's running-sum arithmetic for scripts, interfaces,
    /// processes and BFD (vrrp_track.c, keepalived_netlink.c): from Init,
    /// only the state that applies adds `w·m`; after that every transition
    /// adds or subtracts `|w|·m`.
    fn keepalived_delta(w: i32, reverse: bool, old: TrackerStatus, new: TrackerStatus) -> i32 {
        let m = if reverse { -1 } else { 1 };
        if w == 0 || old == new {
            return 0;
        }
        match (old, new) {
            (Init, Up) if w > 0 => w * m,
            (Init, Down) if w < 0 => w * m,
            (Init, _) => 0,
            (_, Up) => w.abs() * m,
            (_, Down) => -w.abs() * m,
            _ => unreachable!(),
        }
    }

    #[test]
    fn matches_keepalived_running_sum() {
        let weights = [-253, -60, -1, 0, 1, 60, 253];
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        for round in 0..200 {
            let base = 1 + next(254) as u8;
            let mut p = Priority::new(base);
            let mut ids = Vec::new();
            for i in 0..5 {
                let w = weights[next(weights.len())];
                let r = next(2) == 1;
                ids.push((
                    p.add_tracker(TrackerKind::Script, &i.to_string(), w, r, Init),
                    w,
                    r,
                ));
            }
            let mut sum = i32::from(base);
            let mut eff = base;
            for _ in 0..40 {
                let (id, w, r) = ids[next(ids.len())];
                let old = p.tracker(id).status();
                let new = if next(2) == 1 { Up } else { Down };
                sum += keepalived_delta(w, r, old, new);
                let u = p.set_status(id, new);
                assert_eq!(p.total(), sum, "round {round}");
                let want = clamp_effective(sum);
                assert_eq!(p.effective(), want);
                assert_eq!(u.priority.is_some(), want != eff);
                eff = want;
            }
        }
    }
}
