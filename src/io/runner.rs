//! Scripts and notifications for the daemon: runs what [`crate::track`] and
//! [`crate::notify`] decide, with [`Children`] and [`NotifyFifo`].
//!
//! * `vrrp_script` runs: spawned as the script's user, their exits fed back
//!   to the trackers, kill steps sent to the run's process group, status
//!   changes handed to the engine (`TrackerKind::Script`).
//! * notifications: the engine's notify actions become script runs (not
//!   waited for, except `notify_stop` / `notify ... STOP` at shutdown, up to
//!   1 s) and FIFO lines (every open FIFO, a full one dropping and saying so
//!   once per overflow).
//!
//! Owns: the child table, the FIFOs. Must not: decide when or what to run.

use crate::config::model::{Config, GlobalDefs};
use crate::config::validate::scripts::script_ids;
use crate::io::children::{ChildId, Children, Command, Outcome as ChildOutcome};
use crate::io::clock::Clock;
use crate::io::fifo::{Delivery, NotifyFifo};
use crate::io::sys::RealHost;
use crate::log::{Logger, Severity};
use crate::notify::{Notifier, NotifyCmd, NotifyOutput};
use crate::time::Instant;
use crate::track::script::{Outcome, RunId, ScriptTrackers, Signal as TrackSignal, TrackAction};
use crate::vrrp::engine::{Action, Engine};
use crate::vrrp::instance::State;
use crate::vrrp::priority::TrackerKind;
use nix::sys::signal::Signal;
use std::collections::{HashMap, HashSet};
use std::io;
use std::rc::Rc;

/// How long shutdown waits for `notify_stop` scripts (keepalived: 1 s).
/// A script's `USER [GROUP]` as configured (`None` = the default script user).
type UserSpec = Option<(String, Option<String>)>;

const STOP_WAIT: std::time::Duration = std::time::Duration::from_secs(1);

/// One `vrrp_script` as the data dump shows it.
pub struct ScriptDump {
    pub name: String,
    pub command: String,
    pub interval_s: u32,
    pub timeout_s: u32,
    pub weight: i32,
    pub rise: u32,
    pub fall: u32,
    pub good: bool,
    pub running: bool,
}

/// The command words of each `vrrp_script` (index in `Config::scripts`).
fn script_argv(cfg: &Config) -> Vec<Vec<String>> {
    cfg.scripts
        .iter()
        .map(|s| {
            s.script
                .as_ref()
                .map(|c| c.argv.clone())
                .unwrap_or_default()
        })
        .collect()
}

pub struct Runner {
    children: Children,
    scripts: ScriptTrackers,
    /// Script runs by child, and back.
    run_of: HashMap<ChildId, RunId>,
    child_of: HashMap<RunId, ChildId>,
    /// Notify scripts to wait for at shutdown.
    stop_waits: HashSet<ChildId>,
    /// The notify FIFO reader scripts (`*notify_fifo_script`): keepalived
    /// sends them SIGTERM at shutdown before it writes the STOP lines.
    fifo_scripts: Vec<ChildId>,
    notifier: Notifier,
    fifos: Vec<NotifyFifo>,
    /// Resolved script users: (user, group) → ids; `None` = not found.
    ids: HashMap<UserSpec, Option<(u32, u32)>>,
    global: GlobalDefs,
    /// The `vrrp_script` user of each script (index in `Config::scripts`).
    script_users: Vec<UserSpec>,
    script_argv: Vec<Vec<String>>,
    script_names: Vec<String>,
}

impl Runner {
    pub fn new(cfg: &Rc<Config>, clock: Clock) -> io::Result<Runner> {
        Ok(Runner {
            children: Children::new(clock)?,
            scripts: ScriptTrackers::new(cfg),
            run_of: HashMap::new(),
            child_of: HashMap::new(),
            stop_waits: HashSet::new(),
            fifo_scripts: Vec::new(),
            notifier: Notifier::with_config(Rc::clone(cfg)),
            fifos: Vec::new(),
            ids: HashMap::new(),
            global: cfg.global.clone(),
            script_users: cfg.scripts.iter().map(|s| s.user.clone()).collect(),
            script_argv: script_argv(cfg),
            script_names: cfg.scripts.iter().map(|s| s.name.clone()).collect(),
        })
    }

    /// Reload to `cfg` (before the new engine starts): the scripts carry
    /// their results over by name (keepalived's "considered (un)successful
    /// on reload" lines), a run of an unchanged script (same command, same
    /// user) goes on, runs of scripts gone or changed get SIGTERM (their
    /// exits are reaped and ignored); the notifier keeps what it knew by
    /// name; the notify FIFOs stay open when their settings are unchanged,
    /// else they are closed, their reader scripts get SIGTERM and the new
    /// ones are created and opened. New and changed scripts run at the
    /// next [`Runner::start`].
    pub fn reload(&mut self, cfg: &Rc<Config>, now: Instant, logger: &Logger) {
        let argv = script_argv(cfg);
        let users: Vec<UserSpec> = cfg.scripts.iter().map(|s| s.user.clone()).collect();
        let mut scripts = ScriptTrackers::new(cfg);
        let old = std::mem::take(&mut self.scripts);
        let same = |a: usize, b: usize| {
            self.script_argv.get(a) == argv.get(b) && self.script_users.get(a) == users.get(b)
        };
        let carried = scripts.carry_from(now, old, &same);
        for e in &carried.logs {
            logger.event(e);
        }
        for (from, to) in carried.moved {
            if let Some(id) = self.child_of.remove(&from) {
                self.child_of.insert(to, id);
                self.run_of.insert(id, to);
            }
        }
        for run in carried.orphans {
            if let Some(id) = self.child_of.remove(&run) {
                self.run_of.remove(&id);
                let _ = self.children.kill_group(id, Signal::SIGTERM);
            }
        }
        self.scripts = scripts;
        self.script_argv = argv;
        self.script_users = users;
        self.script_names = cfg.scripts.iter().map(|s| s.name.clone()).collect();
        self.ids.clear();
        let mut notifier = Notifier::with_config(Rc::clone(cfg));
        notifier.carry_from(&self.notifier);
        self.notifier = notifier;
        let g = &cfg.global;
        let fifo_same = g.notify_fifo == self.global.notify_fifo
            && g.vrrp_notify_fifo == self.global.vrrp_notify_fifo
            && g.notify_fifo_script == self.global.notify_fifo_script
            && g.vrrp_notify_fifo_script == self.global.vrrp_notify_fifo_script;
        self.global = g.clone();
        if !fifo_same {
            self.fifos.clear();
            for id in std::mem::take(&mut self.fifo_scripts) {
                let _ = self.children.kill_group(id, Signal::SIGTERM);
            }
            self.open_fifos(logger);
        }
    }

    /// Each script's name and tracked status (to preset a new engine's
    /// trackers at a reload).
    pub fn script_statuses(&self) -> Vec<(String, crate::vrrp::priority::TrackerStatus)> {
        self.scripts
            .trackers()
            .iter()
            .map(|t| (t.name().to_string(), t.status()))
            .collect()
    }

    /// For the data dump: each script's name, command, interval, timeout,
    /// weight, rise, fall, whether its status is good, and whether a run is
    /// going.
    pub fn script_dump(&self, cfg: &Config) -> Vec<ScriptDump> {
        self.scripts
            .trackers()
            .iter()
            .filter_map(|t| {
                let s = cfg.scripts.get(t.script())?;
                Some(ScriptDump {
                    name: s.name.clone(),
                    command: s.script.as_ref().map(|c| c.cmd.clone()).unwrap_or_default(),
                    interval_s: s.interval_s,
                    timeout_s: s.timeout_s,
                    weight: s.weight,
                    rise: s.rise,
                    fall: s.fall,
                    good: t.status() == crate::vrrp::priority::TrackerStatus::Up,
                    running: t.current_run().is_some(),
                })
            })
            .collect()
    }

    /// The child table is a mio source (SIGCHLD): register it readable.
    pub fn children_mut(&mut self) -> &mut Children {
        &mut self.children
    }

    /// Create the notify FIFOs, start their reader scripts, open them
    /// (keepalived's order: the script may open the FIFO for reading first).
    pub fn open_fifos(&mut self, logger: &Logger) {
        let g = self.global.clone();
        let specs: Vec<_> = [g.notify_fifo.as_ref(), g.vrrp_notify_fifo.as_ref()]
            .into_iter()
            .flatten()
            .cloned()
            .collect();
        let mut created = Vec::new();
        for spec in &specs {
            match NotifyFifo::create(&spec.path, Some((spec.uid, spec.gid))) {
                Ok(c) => {
                    if let Some(e) = c.chown_error() {
                        logger.vrrp(
                            Severity::Info,
                            &format!(
                                "Failed to set uid:gid {}:{} for fifo {} - {e}",
                                spec.uid, spec.gid, spec.path
                            ),
                        );
                    }
                    created.push(c);
                }
                Err(e) => logger.vrrp(
                    Severity::Err,
                    &format!("Unable to create notify fifo {}: {e}", spec.path),
                ),
            }
        }
        for cmd in crate::notify::fifo_scripts(&g) {
            if let Some(id) = self.run_notify(&cmd, logger) {
                self.fifo_scripts.push(id);
            }
        }
        for c in created {
            let path = c.path().display().to_string();
            match c.open() {
                Ok(f) => self.fifos.push(f),
                Err(e) => logger.vrrp(
                    Severity::Err,
                    &format!("Unable to open notify fifo {path}: {e}"),
                ),
            }
        }
    }

    /// Run every script once now (start-up).
    pub fn start(&mut self, now: Instant, engine: &mut Engine, logger: &Logger) {
        self.scripts.start(now);
        self.drain(now, engine, logger);
    }

    pub fn poll_timeout(&self) -> Option<Instant> {
        self.scripts.poll_timeout()
    }

    pub fn handle_timeout(&mut self, now: Instant, engine: &mut Engine, logger: &Logger) {
        if self.scripts.poll_timeout().is_some_and(|t| t <= now) {
            self.scripts.handle_timeout(now);
            self.drain(now, engine, logger);
        }
    }

    /// SIGCHLD: reap every child that ended, report script runs.
    pub fn on_children(&mut self, now: Instant, engine: &mut Engine, logger: &Logger) {
        for exit in self.children.reap() {
            self.stop_waits.remove(&exit.id);
            let Some(run) = self.run_of.remove(&exit.id) else {
                continue;
            };
            self.child_of.remove(&run);
            let outcome = match exit.script_outcome() {
                ChildOutcome::Exited(c) => Outcome::Exited(c),
                ChildOutcome::Signaled(s) => Outcome::Signaled(s),
            };
            self.scripts.handle_exit(now, run, outcome);
        }
        self.drain(now, engine, logger);
    }

    fn drain(&mut self, now: Instant, engine: &mut Engine, logger: &Logger) {
        while let Some(a) = self.scripts.poll_action() {
            match a {
                TrackAction::Run { script, run } => self.spawn_script(script, run, logger),
                TrackAction::Kill { run, signal } => {
                    let sig = match signal {
                        TrackSignal::Term => Signal::SIGTERM,
                        TrackSignal::Kill => Signal::SIGKILL,
                    };
                    if let Some(&id) = self.child_of.get(&run) {
                        if self.children.kill_group(id, sig).is_err() {
                            self.scripts.handle_lost(run);
                        }
                    }
                }
                TrackAction::Status { name, status } => {
                    engine.handle_tracker(now, TrackerKind::Script, &name, status);
                }
                TrackAction::Log(ev) => logger.event(&ev),
            }
        }
    }

    fn resolve(&mut self, user: UserSpec) -> Option<(u32, u32)> {
        if let Some(r) = self.ids.get(&user) {
            return *r;
        }
        let r = script_ids(
            user.as_ref().map(|(u, g)| (u.as_str(), g.as_deref())),
            &self.global,
            &RealHost,
        );
        self.ids.insert(user, r);
        r
    }

    fn spawn_script(&mut self, script: usize, run: RunId, logger: &Logger) {
        let argv = self.script_argv.get(script).cloned().unwrap_or_default();
        let user = self.script_users.get(script).cloned().flatten();
        let name = self.script_names.get(script).cloned().unwrap_or_default();
        let mut cmd = Command::new(argv);
        if let Some((uid, gid)) = self.resolve(user) {
            cmd = cmd.user(uid, gid);
        }
        match self.children.spawn(&cmd) {
            Ok(id) => {
                let pid = self.children.pid(id).unwrap_or(0);
                self.run_of.insert(id, run);
                self.child_of.insert(run, id);
                self.scripts.handle_started(run, pid);
            }
            Err(e) => {
                logger.vrrp(
                    Severity::Info,
                    &format!("VRRP_Script({name}) cannot be run: {e}"),
                );
                self.scripts.handle_spawn_failed(run);
            }
        }
    }

    /// The notifications of one engine action, done now.
    pub fn notify(&mut self, action: &Action, engine: &Engine, logger: &Logger) {
        let outs = self.notifier.on_action(action, engine.instances());
        self.perform(outs, logger);
    }

    /// `notify_priority_changes`: a priority change of an instance.
    pub fn priority_changed(&mut self, name: &str, state: State, priority: u8, logger: &Logger) {
        let outs = self.notifier.priority_changed(name, state, priority);
        self.perform(outs, logger);
    }

    fn perform(&mut self, outs: Vec<NotifyOutput>, logger: &Logger) {
        for o in outs {
            match o {
                NotifyOutput::Run(cmd) => {
                    let _ = self.run_notify(&cmd, logger);
                }
                NotifyOutput::Fifo(line) => {
                    let text = line.0.trim_end_matches('\n');
                    for f in &mut self.fifos {
                        match f.write_line(text) {
                            Ok(Delivery::Written) => {}
                            Ok(Delivery::Dropped { first }) => {
                                if first {
                                    logger.vrrp(
                                        Severity::Warning,
                                        &format!(
                                            "notify fifo {} is full (reader too slow or gone): dropping lines until it drains",
                                            f.path().display()
                                        ),
                                    );
                                }
                            }
                            Err(e) => logger.vrrp(
                                Severity::Err,
                                &format!("Error writing notify fifo {}: {e}", f.path().display()),
                            ),
                        }
                    }
                }
            }
        }
    }

    fn run_notify(&mut self, cmd: &NotifyCmd, logger: &Logger) -> Option<ChildId> {
        let user = cmd.user.clone().map(|u| (u, cmd.group.clone()));
        let mut c = Command::new(cmd.argv.clone());
        if let Some((uid, gid)) = self.resolve(user) {
            c = c.user(uid, gid);
        }
        match self.children.spawn(&c) {
            Ok(id) => {
                if cmd.wait_at_stop {
                    self.stop_waits.insert(id);
                }
                Some(id)
            }
            Err(e) => {
                logger.vrrp(
                    Severity::Info,
                    &format!(
                        "Unable to run notify script {}: {e}",
                        cmd.argv.first().map(String::as_str).unwrap_or("")
                    ),
                );
                None
            }
        }
    }

    /// Shutdown, before the engine stops: keepalived sends SIGTERM to the
    /// notify FIFO reader scripts and to the running track scripts' groups
    /// (so a FIFO reader sees its SIGTERM before the STOP lines).
    pub fn stop_scripts(&mut self) {
        for &id in &self.fifo_scripts {
            // and, like keepalived (which waits ~1 s before it exits), give
            // them the time to read the STOP lines and go before the FIFO
            // is closed (wait_stop_notifies)
            if self.children.kill_group(id, Signal::SIGTERM).is_ok() {
                self.stop_waits.insert(id);
            }
        }
        for &id in self.run_of.keys() {
            let _ = self.children.kill_group(id, Signal::SIGTERM);
        }
    }

    /// Shutdown, after the STOP notifications were started: give the
    /// `notify_stop` scripts up to 1 s, then kill what is left of them.
    pub fn wait_stop_notifies(&mut self, poll: &mut mio::Poll, token: mio::Token) {
        let deadline = std::time::Instant::now() + STOP_WAIT;
        let mut events = mio::Events::with_capacity(8);
        while !self.stop_waits.is_empty() {
            let now = std::time::Instant::now();
            if now >= deadline {
                break;
            }
            let _ = poll.poll(&mut events, Some(deadline - now));
            if events.iter().any(|e| e.token() == token) || events.is_empty() {
                for exit in self.children.reap() {
                    self.stop_waits.remove(&exit.id);
                }
            }
        }
        for &id in &self.stop_waits {
            let _ = self.children.kill_group(id, Signal::SIGKILL);
        }
        // reap whatever ended meanwhile so nothing stays a zombie while we exit
        let _ = self.children.reap();
    }
}
