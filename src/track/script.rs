//! `vrrp_script` tracking as a sans-IO state machine (KEEPALIVED.md §3.1;
//! keepalived `vrrp_script_thread` / `vrrp_script_child_thread`).
//!
//! One [`ScriptTracker`] per used script. Its timers are data: the next run
//! (re-armed at each run, `interval` after it, not after the run ends) and
//! the current run's kill deadline (`timeout`, 0 = the interval; then 2 s,
//! 2 s, 10 s, 10 s ...). The daemon:
//!
//! 1. calls [`ScriptTracker::start`] once, then [`ScriptTracker::handle_timeout`]
//!    at [`ScriptTracker::poll_timeout`];
//! 2. drains [`ScriptTracker::poll_action`] after every call:
//!    * [`TrackAction::Run`]: spawn `cfg.scripts[script]` (own process group,
//!      as its user) and report [`ScriptTracker::handle_started`] with the pid
//!      (or [`ScriptTracker::handle_spawn_failed`]);
//!    * [`TrackAction::Kill`]: signal the run's process group (`kill(-pid)`);
//!      a `Kill` may come after the run's exit (keepalived kills what the
//!      script left behind after it died of our SIGTERM); if the group is
//!      gone (ESRCH) while the run was not reaped, call
//!      [`ScriptTracker::handle_lost`];
//!    * [`TrackAction::Status`]: feed `Engine::handle_tracker(now,
//!      TrackerKind::Script, name, status)`;
//!    * [`TrackAction::Log`]: print the event;
//! 3. reports each reaped run with [`ScriptTracker::handle_exit`].
//!
//! Rules (verified against keepalived 2.2.7 where the reference says so):
//! * the result counter runs in `0..rise+fall`, OK iff `>= rise`; it starts
//!   at `rise - 1` in an INIT state where one success is enough and the first
//!   failure fails, whatever rise/fall (`init_fail` has no effect: §3.1);
//! * "Script `%s` now returning %d" on every change of exit code (the first
//!   run compares with 0), "VRRP_Script(%s) succeeded" / "failed (exited
//!   with status %d)" / "failed (due to signal %d)" / "timed_out" on
//!   transitions only;
//! * a run killed at its timeout is a failure ("timed_out" when it died of
//!   our signal); we add one line of our own saying after how long and why;
//! * a run still going when the interval comes is not doubled: the interval
//!   is skipped with keepalived's "Track script %s is already running,
//!   expect idle - skipping run" (2.2.7 logs this and runs anyway; 2.3+
//!   really skips, as here).

use crate::config::model::{Config, VrrpScript};
use crate::time::{Duration, Instant};
use crate::vrrp::event::Event;
use crate::vrrp::priority::TrackerStatus;
use std::collections::VecDeque;

/// Linux SIGKILL.
pub const SIGKILL: i32 = 9;
/// Linux SIGTERM.
pub const SIGTERM: i32 = 15;

/// After SIGTERM, the wait before SIGKILL; after the first SIGKILL, the wait
/// before the "failed to terminate" line and the next SIGKILL.
pub const TERM_GRACE: Duration = Duration::from_secs(2);
/// After the "failed to terminate" line, the wait before the next SIGKILL.
pub const KILL_REPEAT: Duration = Duration::from_secs(10);

/// One run of one script. `script` is the index in `Config::scripts`;
/// `seq` counts that script's runs from 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RunId {
    pub script: usize,
    pub seq: u64,
}

/// A signal for a run's process group.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Signal {
    Term,
    Kill,
}

impl Signal {
    /// The Linux signal number.
    pub fn number(self) -> i32 {
        match self {
            Signal::Term => SIGTERM,
            Signal::Kill => SIGKILL,
        }
    }
}

/// How a run ended (from waitpid).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// WIFEXITED: the exit code.
    Exited(i32),
    /// WIFSIGNALED: the signal number.
    Signaled(i32),
}

/// What a tracker asks the daemon to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TrackAction {
    /// Spawn `Config::scripts[script]`; report the pid with `handle_started`.
    Run {
        script: usize,
        run: RunId,
    },
    /// Send `signal` to the run's process group (`kill(-pid, sig)`). May
    /// come right after the run's exit: the script died of our SIGTERM and
    /// whatever it left in its group is killed too.
    Kill {
        run: RunId,
        signal: Signal,
    },
    /// The script's tracked state changed: feed it to the engine
    /// (`TrackerKind::Script`).
    Status {
        name: String,
        status: TrackerStatus,
    },
    Log(Event),
}

/// Where the current run is in keepalived's kill sequence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    /// Running, before its timeout.
    Running,
    /// SIGTERM sent (keepalived SCRIPT_STATE_REQUESTING_TERMINATION).
    Terminating,
    /// SIGKILL sent (SCRIPT_STATE_FORCING_TERMINATION).
    Forcing,
}

#[derive(Clone, Copy, Debug)]
struct Run {
    id: RunId,
    pid: Option<u32>,
    phase: Phase,
    /// Next step of the kill sequence.
    deadline: Instant,
}

/// The runner state machine of one `vrrp_script`.
#[derive(Debug)]
pub struct ScriptTracker {
    script: usize,
    name: String,
    interval: Duration,
    /// Effective timeout (the interval when not configured).
    timeout: Duration,
    /// The `timeout` as configured, seconds (`None`: 0 = the interval).
    timeout_configured: Option<u64>,
    rise: u32,
    fall: u32,
    /// keepalived's `result`, in `0..rise+fall`; OK iff `>= rise`.
    result: u32,
    /// No run has completed yet (keepalived SCRIPT_INIT_STATE_INIT).
    init: bool,
    /// The last exit code (keepalived zero-initialises it).
    last_status: i32,
    next_run: Option<Instant>,
    run: Option<Run>,
    seq: u64,
    actions: VecDeque<TrackAction>,
}

impl ScriptTracker {
    /// A tracker for `cfg` (= `Config::scripts[script]`). Interval, rise and
    /// fall below 1 count as 1.
    pub fn new(script: usize, cfg: &VrrpScript) -> ScriptTracker {
        let interval_s = u64::from(cfg.interval_s.max(1));
        let timeout_configured = (cfg.timeout_s > 0).then_some(u64::from(cfg.timeout_s));
        let rise = cfg.rise.max(1);
        ScriptTracker {
            script,
            name: cfg.name.clone(),
            interval: Duration::from_secs(interval_s),
            timeout: Duration::from_secs(timeout_configured.unwrap_or(interval_s)),
            timeout_configured,
            rise,
            fall: cfg.fall.max(1),
            result: rise - 1,
            init: true,
            last_status: 0,
            next_run: None,
            run: None,
            seq: 0,
            actions: VecDeque::new(),
        }
    }

    /// The script's name (`vrrp_script NAME`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The index in `Config::scripts`.
    pub fn script(&self) -> usize {
        self.script
    }

    /// The tracked state: `Init` until the first run ends, then `Up` (OK) or
    /// `Down` (KO).
    pub fn status(&self) -> TrackerStatus {
        if self.init {
            TrackerStatus::Init
        } else if self.result >= self.rise {
            TrackerStatus::Up
        } else {
            TrackerStatus::Down
        }
    }

    /// The run in progress, with its pid once known.
    pub fn current_run(&self) -> Option<(RunId, Option<u32>)> {
        self.run.map(|r| (r.id, r.pid))
    }

    /// Start: the first run is now (keepalived runs every script at
    /// start-up). Calling it again does nothing.
    pub fn start(&mut self, now: Instant) {
        if self.next_run.is_none() {
            self.interval_due(now);
        }
    }

    /// The earliest deadline: next run or next kill step.
    pub fn poll_timeout(&self) -> Option<Instant> {
        let kill = self.run.map(|r| r.deadline);
        match (self.next_run, kill) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    pub fn poll_action(&mut self) -> Option<TrackAction> {
        self.actions.pop_front()
    }

    /// Expired deadlines: the interval first, then the kill sequence (as
    /// keepalived's scheduler orders timers before child timeouts). Early
    /// or repeated calls do nothing.
    pub fn handle_timeout(&mut self, now: Instant) {
        self.run_timer_due(now);
        self.kill_timer_due(now);
    }

    /// Reload (keepalived `clear_diff_script`): this tracker, built from the
    /// new configuration, takes over the result of `old`, the running
    /// tracker of the script with the same name, scaled to the new rise and
    /// fall; one that never completed a run stays in INIT. With `keep_run`
    /// (same command and user) the run in progress and the next run time
    /// come along too (relabelled as this script's: the returned pair maps
    /// the old run id to the new one), else the script runs at start. The
    /// event is keepalived's "considered (un)successful on reload" line.
    pub fn carry_from(
        &mut self,
        now: Instant,
        old: &mut ScriptTracker,
        keep_run: bool,
    ) -> (Option<Event>, Option<(RunId, RunId)>) {
        let mut moved = None;
        if keep_run {
            self.seq = old.seq;
            if let Some(mut r) = old.run.take() {
                let from = r.id;
                r.id = RunId {
                    script: self.script,
                    seq: r.id.seq,
                };
                moved = Some((from, r.id));
                self.run = Some(r);
            }
            self.next_run = old.next_run.map(|t| t.min(now + self.interval));
        }
        if old.init {
            return (None, moved);
        }
        self.init = false;
        self.last_status = old.last_status;
        let top = self.rise + self.fall - 1;
        let ok = old.result >= old.rise;
        self.result = if !ok {
            if old.result == 0 {
                0
            } else {
                self.rise.saturating_sub(old.rise - old.result)
            }
        } else if old.result == old.rise + old.fall - 1 {
            top
        } else {
            (self.rise + (old.result - old.rise)).min(top)
        };
        let ev = Event::ScriptConsideredOnReload {
            script: self.name.clone(),
            ok,
        };
        (Some(ev), moved)
    }

    /// The interval timer, if expired.
    fn run_timer_due(&mut self, now: Instant) {
        if self.next_run.is_some_and(|t| t <= now) {
            self.interval_due(now);
        }
    }

    /// The kill deadline of the current run, if expired.
    fn kill_timer_due(&mut self, now: Instant) {
        let Some(run) = self.run.as_mut() else {
            return;
        };
        if run.deadline > now {
            return;
        }
        let (phase, signal, wait) = match run.phase {
            Phase::Running => (Phase::Terminating, Signal::Term, TERM_GRACE),
            Phase::Terminating => (Phase::Forcing, Signal::Kill, TERM_GRACE),
            Phase::Forcing => {
                let pid = run.pid.unwrap_or(0);
                self.actions
                    .push_back(TrackAction::Log(Event::ScriptFailedToTerminate {
                        script: self.name.clone(),
                        pid,
                    }));
                (Phase::Forcing, Signal::Kill, KILL_REPEAT)
            }
        };
        run.phase = phase;
        run.deadline = now + wait;
        let id = run.id;
        self.actions
            .push_back(TrackAction::Kill { run: id, signal });
    }

    /// keepalived `vrrp_script_thread`: re-arm, then run unless a run is
    /// still going.
    fn interval_due(&mut self, now: Instant) {
        self.next_run = Some(now + self.interval);
        if let Some(run) = &self.run {
            self.actions
                .push_back(TrackAction::Log(Event::ScriptSkippingRun {
                    script: self.name.clone(),
                    timing_out: run.phase != Phase::Running,
                }));
            return;
        }
        self.seq += 1;
        let id = RunId {
            script: self.script,
            seq: self.seq,
        };
        self.run = Some(Run {
            id,
            pid: None,
            phase: Phase::Running,
            deadline: now + self.timeout,
        });
        self.actions.push_back(TrackAction::Run {
            script: self.script,
            run: id,
        });
    }

    fn current(&self, run: RunId) -> bool {
        self.run.is_some_and(|r| r.id == run)
    }

    /// The daemon spawned `run` as `pid` (its process group).
    pub fn handle_started(&mut self, run: RunId, pid: u32) {
        if let Some(r) = self.run.as_mut().filter(|r| r.id == run) {
            r.pid = Some(pid);
        }
    }

    /// The daemon could not spawn `run`: no result (keepalived logs "Failed
    /// fork process" and tries again at the next interval).
    pub fn handle_spawn_failed(&mut self, run: RunId) {
        if self.current(run) {
            self.run = None;
        }
    }

    /// Signalling `run`'s process group failed with ESRCH before its exit was
    /// seen: keepalived logs "Script %s child (PID %d) lost" and forgets the
    /// run, with no result.
    pub fn handle_lost(&mut self, run: RunId) {
        if let Some(r) = self.run.filter(|r| r.id == run) {
            self.run = None;
            self.actions
                .push_back(TrackAction::Log(Event::ScriptChildLost {
                    script: self.name.clone(),
                    pid: r.pid.unwrap_or(0),
                }));
        }
    }

    /// `run` was reaped. Exits of other runs than the current one are
    /// ignored.
    pub fn handle_exit(&mut self, _now: Instant, run: RunId, outcome: Outcome) {
        let Some(r) = self.run.filter(|r| r.id == run) else {
            return;
        };
        self.run = None;
        let (success, how) = match outcome {
            Outcome::Exited(code) => {
                if code != self.last_status {
                    self.log(Event::ScriptNowReturning {
                        script: self.name.clone(),
                        status: code,
                    });
                }
                self.last_status = code;
                (code == 0, format!("failed (exited with status {code})"))
            }
            Outcome::Signaled(sig) => {
                if r.phase == Phase::Terminating && sig == SIGTERM {
                    // The script died of our SIGTERM: kill what it left.
                    self.actions.push_back(TrackAction::Kill {
                        run,
                        signal: Signal::Kill,
                    });
                }
                let ours = (r.phase == Phase::Terminating && sig == SIGTERM)
                    || (r.phase == Phase::Forcing && (sig == SIGKILL || sig == SIGTERM));
                let how = if ours {
                    "timed_out".to_string()
                } else {
                    format!("failed (due to signal {sig})")
                };
                (false, how)
            }
        };
        self.apply_result(success, how, r.phase != Phase::Running);
        self.init = false;
    }

    /// keepalived's rise/fall counter. `killed`: the run was signalled at
    /// its timeout, which our extra line explains right after keepalived's.
    fn apply_result(&mut self, success: bool, how: String, killed: bool) {
        let ok_top = self.rise + self.fall - 1;
        let mut status = None;
        if success {
            if self.result < self.rise - 1 {
                self.result += 1;
            } else if self.result != ok_top {
                if self.result < self.rise {
                    self.log(Event::ScriptSucceeded {
                        script: self.name.clone(),
                    });
                    status = Some(TrackerStatus::Up);
                }
                self.result = ok_top;
            }
        } else if self.result > self.rise {
            self.result -= 1;
        } else {
            if self.result == self.rise || self.init {
                self.log(Event::ScriptFailed {
                    script: self.name.clone(),
                    how,
                });
                status = Some(TrackerStatus::Down);
            }
            self.result = 0;
        }
        if killed {
            self.log(Event::ScriptTimedOutAfter {
                script: self.name.clone(),
                after_s: self.timeout.micros() / 1_000_000,
                timeout_s: self.timeout_configured,
            });
        }
        if let Some(status) = status {
            self.actions.push_back(TrackAction::Status {
                name: self.name.clone(),
                status,
            });
        }
    }

    fn log(&mut self, e: Event) {
        self.actions.push_back(TrackAction::Log(e));
    }
}

/// What [`ScriptTrackers::carry_from`] carried over.
#[derive(Debug, Default)]
pub struct Carried {
    pub logs: Vec<Event>,
    /// Runs going on under a new id: (old id, new id).
    pub moved: Vec<(RunId, RunId)>,
    /// Runs of scripts gone or changed: kill them.
    pub orphans: Vec<RunId>,
}

/// Every used `vrrp_script` of a configuration, as one timer source.
#[derive(Debug, Default)]
pub struct ScriptTrackers {
    trackers: Vec<ScriptTracker>,
    actions: VecDeque<TrackAction>,
}

impl ScriptTrackers {
    /// One tracker per `vrrp_script` that is used and has a command
    /// (validation has removed the unused and the disabled ones).
    pub fn new(cfg: &Config) -> ScriptTrackers {
        ScriptTrackers {
            trackers: cfg
                .scripts
                .iter()
                .enumerate()
                .filter(|(_, s)| s.used && s.script.is_some())
                .map(|(k, s)| ScriptTracker::new(k, s))
                .collect(),
            actions: VecDeque::new(),
        }
    }

    /// Reload: these trackers (of the new configuration) take over from
    /// `old` by script name ([`ScriptTracker::carry_from`]); `same_command`
    /// says whether old script `a` and new script `b` (indices in their
    /// `Config::scripts`) run the same command as the same user. Returns the
    /// "on reload" lines, the runs that carry on under a new id, and the
    /// runs that do not (to be killed: their script is gone or changed).
    pub fn carry_from(
        &mut self,
        now: Instant,
        mut old: ScriptTrackers,
        same_command: &dyn Fn(usize, usize) -> bool,
    ) -> Carried {
        let mut out = Carried::default();
        for t in &mut self.trackers {
            let Some(o) = old.trackers.iter_mut().find(|o| o.name == t.name) else {
                continue;
            };
            let keep = same_command(o.script, t.script);
            let (ev, moved) = t.carry_from(now, o, keep);
            out.logs.extend(ev);
            out.moved.extend(moved);
        }
        out.orphans = old
            .trackers
            .iter()
            .filter_map(|o| o.run.map(|r| r.id))
            .collect();
        out
    }

    pub fn trackers(&self) -> &[ScriptTracker] {
        &self.trackers
    }

    pub fn is_empty(&self) -> bool {
        self.trackers.is_empty()
    }

    /// Run every script now.
    pub fn start(&mut self, now: Instant) {
        for k in 0..self.trackers.len() {
            self.trackers[k].start(now);
            self.drain(k);
        }
    }

    /// Every expired interval (in configuration order), then every expired
    /// kill step.
    pub fn handle_timeout(&mut self, now: Instant) {
        for k in 0..self.trackers.len() {
            self.trackers[k].run_timer_due(now);
            self.drain(k);
        }
        for k in 0..self.trackers.len() {
            self.trackers[k].kill_timer_due(now);
            self.drain(k);
        }
    }

    pub fn handle_started(&mut self, run: RunId, pid: u32) {
        if let Some(k) = self.index(run) {
            self.trackers[k].handle_started(run, pid);
        }
    }

    pub fn handle_spawn_failed(&mut self, run: RunId) {
        if let Some(k) = self.index(run) {
            self.trackers[k].handle_spawn_failed(run);
        }
    }

    pub fn handle_lost(&mut self, run: RunId) {
        if let Some(k) = self.index(run) {
            self.trackers[k].handle_lost(run);
            self.drain(k);
        }
    }

    pub fn handle_exit(&mut self, now: Instant, run: RunId, outcome: Outcome) {
        if let Some(k) = self.index(run) {
            self.trackers[k].handle_exit(now, run, outcome);
            self.drain(k);
        }
    }

    pub fn poll_timeout(&self) -> Option<Instant> {
        self.trackers
            .iter()
            .filter_map(ScriptTracker::poll_timeout)
            .min()
    }

    pub fn poll_action(&mut self) -> Option<TrackAction> {
        self.actions.pop_front()
    }

    fn index(&self, run: RunId) -> Option<usize> {
        self.trackers.iter().position(|t| t.script == run.script)
    }

    fn drain(&mut self, k: usize) {
        while let Some(a) = self.trackers[k].poll_action() {
            self.actions.push_back(a);
        }
    }
}

#[cfg(test)]
mod tests;
