//! Notifications, sans-IO (KEEPALIVED.md §10.1, §10.2; keepalived
//! `vrrp_notify.c`): from a state change of an instance or a sync group,
//! the scripts to spawn and the FIFO lines to write, in keepalived's order.
//!
//! Per change: the state's own script (`notify_master` ... with only its
//! configured argv), then the generic `notify` script (configured argv +
//! `INSTANCE|GROUP NAME STATE PRIORITY`, priority 0 for groups), then the
//! FIFO line (`INSTANCE "VI_1" MASTER 150`, `GROUP "G1" BACKUP 0`). A master
//! receiving a lower priority advert runs `notify_master_rx_lower_pri` (own
//! argv only) and writes `MASTER_RX_LOWER_PRI`; priority changes (with
//! `notify_priority_changes`) write `MASTER_PRIORITY` / `BACKUP_PRIORITY`
//! lines only. A removed instance notifies FAULT, or DELETED with
//! `notify_deleted`. A sync-group member that has notified once is silent
//! when it merely follows its group into the state the group is in.
//!
//! Scripts are not waited for, except at shutdown: an instance's
//! `notify_stop` and every generic `notify ... STOP` get up to 1 s
//! ([`NotifyCmd::wait_at_stop`]); a group's own `notify_stop` is not waited
//! for (keepalived spawns it like the others).
//!
//! Must not: spawn, write FIFOs or look users up. [`NotifyCmd::user`] /
//! [`NotifyCmd::group`] are the script's own `USER [GROUP]`; `None` means
//! the default script user (`config::validate::scripts::script_ids`
//! resolves both).

use crate::config::model::{Config, GlobalDefs, Notify, Script};
use crate::vrrp::engine::Action;
use crate::vrrp::instance::{Instance, State};
use std::rc::Rc;

/// A state (or event) as keepalived names it in notifications.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NotifyState {
    Master,
    Backup,
    Fault,
    Stop,
    Deleted,
    /// FIFO only (and `notify_master_rx_lower_pri`).
    MasterRxLowerPri,
    /// FIFO only, with `notify_priority_changes`.
    MasterPriority,
    BackupPriority,
}

impl NotifyState {
    /// keepalived's word.
    pub fn word(self) -> &'static str {
        match self {
            NotifyState::Master => "MASTER",
            NotifyState::Backup => "BACKUP",
            NotifyState::Fault => "FAULT",
            NotifyState::Stop => "STOP",
            NotifyState::Deleted => "DELETED",
            NotifyState::MasterRxLowerPri => "MASTER_RX_LOWER_PRI",
            NotifyState::MasterPriority => "MASTER_PRIORITY",
            NotifyState::BackupPriority => "BACKUP_PRIORITY",
        }
    }

    /// The inverse of [`NotifyState::word`].
    pub fn from_word(w: &str) -> Option<NotifyState> {
        Some(match w {
            "MASTER" => NotifyState::Master,
            "BACKUP" => NotifyState::Backup,
            "FAULT" => NotifyState::Fault,
            "STOP" => NotifyState::Stop,
            "DELETED" => NotifyState::Deleted,
            "MASTER_RX_LOWER_PRI" => NotifyState::MasterRxLowerPri,
            "MASTER_PRIORITY" => NotifyState::MasterPriority,
            "BACKUP_PRIORITY" => NotifyState::BackupPriority,
            _ => return None,
        })
    }

    /// The engine's state (INIT is notified as BACKUP, like keepalived's
    /// "BACKUP (init)").
    pub fn of(s: State) -> NotifyState {
        match s {
            State::Init | State::Backup => NotifyState::Backup,
            State::Master => NotifyState::Master,
            State::Fault => NotifyState::Fault,
        }
    }
}

/// Instance or sync group.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Subject {
    Instance,
    Group,
}

impl Subject {
    pub fn word(self) -> &'static str {
        match self {
            Subject::Instance => "INSTANCE",
            Subject::Group => "GROUP",
        }
    }
}

/// A notify script to spawn (own process group, stdio on /dev/null).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotifyCmd {
    /// The full argument vector (`argv[0]` is the resolved command).
    pub argv: Vec<String>,
    /// The script's own user; `None` = the default script user.
    pub user: Option<String>,
    /// The script's own group (only with `user`).
    pub group: Option<String>,
    /// Shutdown: give it up to 1 s before exiting, then SIGKILL its group.
    pub wait_at_stop: bool,
}

/// A line for every open notify FIFO (`notify_fifo`, `vrrp_notify_fifo`),
/// newline included.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FifoLine(pub String);

/// One thing to do, in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NotifyOutput {
    Run(NotifyCmd),
    Fifo(FifoLine),
}

/// The FIFO line (keepalived `notify_fifo`): `TYPE "NAME" STATE PRIO\n`.
pub fn fifo_line(subject: Subject, name: &str, state: NotifyState, priority: u8) -> FifoLine {
    FifoLine(format!(
        "{} \"{name}\" {} {priority}\n",
        subject.word(),
        state.word()
    ))
}

fn cmd(s: &Script, argv: Vec<String>, wait_at_stop: bool) -> NotifyCmd {
    NotifyCmd {
        argv,
        user: s.user.clone(),
        group: s.user.as_ref().and(s.group.clone()),
        wait_at_stop,
    }
}

/// The state's own script of an instance or group (keepalived
/// `get_iscript` / `get_gscript`: groups have no `notify_deleted`).
fn state_script(n: &Notify, subject: Subject, state: NotifyState) -> Option<&Script> {
    match state {
        NotifyState::Master => n.master.as_ref(),
        NotifyState::Backup => n.backup.as_ref(),
        NotifyState::Fault => n.fault.as_ref(),
        NotifyState::Stop => n.stop.as_ref(),
        NotifyState::Deleted if subject == Subject::Instance => n.deleted.as_ref(),
        _ => None,
    }
}

/// Scripts and FIFO line for one state change, in keepalived's order
/// (`send_instance_notifies` / `send_group_notifies`). `priority` is the
/// instance's effective priority (ignored for groups: 0). `fifo`: a notify
/// FIFO is configured.
pub fn state_change(
    subject: Subject,
    name: &str,
    notify: &Notify,
    state: NotifyState,
    priority: u8,
    fifo: bool,
) -> Vec<NotifyOutput> {
    let priority = if subject == Subject::Group {
        0
    } else {
        priority
    };
    let stop = state == NotifyState::Stop;
    let mut out = Vec::new();
    if let Some(s) = state_script(notify, subject, state) {
        let wait = stop && subject == Subject::Instance;
        out.push(NotifyOutput::Run(cmd(s, s.argv.clone(), wait)));
    }
    if let Some(s) = &notify.generic {
        let mut argv = s.argv.clone();
        argv.extend([
            subject.word().to_string(),
            name.to_string(),
            state.word().to_string(),
            priority.to_string(),
        ]);
        out.push(NotifyOutput::Run(cmd(s, argv, stop)));
    }
    if fifo {
        out.push(NotifyOutput::Fifo(fifo_line(
            subject, name, state, priority,
        )));
    }
    out
}

/// A MASTER received a lower-priority advert (keepalived
/// `send_event_notify`): `notify_master_rx_lower_pri` with its own argv,
/// then the FIFO line. The generic `notify` is not run.
pub fn master_rx_lower_pri(
    name: &str,
    notify: &Notify,
    priority: u8,
    fifo: bool,
) -> Vec<NotifyOutput> {
    let mut out = Vec::new();
    if let Some(s) = &notify.master_rx_lower_pri {
        out.push(NotifyOutput::Run(cmd(s, s.argv.clone(), false)));
    }
    if fifo {
        out.push(NotifyOutput::Fifo(fifo_line(
            Subject::Instance,
            name,
            NotifyState::MasterRxLowerPri,
            priority,
        )));
    }
    out
}

/// The FIFO scripts to start before the FIFOs are opened
/// (`notify_fifo_script`, then `vrrp_notify_fifo_script`); only for a FIFO
/// that is configured. Validation has already appended the FIFO's path to
/// their argv (keepalived `vrrp_complete_init`). They run for the daemon's
/// lifetime (not waited for at stop).
pub fn fifo_scripts(g: &GlobalDefs) -> Vec<NotifyCmd> {
    [
        (&g.notify_fifo, &g.notify_fifo_script),
        (&g.vrrp_notify_fifo, &g.vrrp_notify_fifo_script),
    ]
    .into_iter()
    .filter_map(|(fifo, script)| {
        fifo.as_ref()?;
        let s = script.as_ref()?;
        Some(cmd(s, s.argv.clone(), false))
    })
    .collect()
}

/// What the notifier keeps of one instance between changes.
#[derive(Clone, Copy, Debug)]
struct InstState {
    /// Its sync group: an index in [`Notifier::groups`].
    group: Option<u32>,
    /// `notify_priority_changes`: instance, else its sync group, else global
    /// (validation has already resolved it into the instance).
    priority_changes: bool,
    /// keepalived `notifies_sent`.
    notified: bool,
}

/// Indices of `items` sorted by name; of a duplicated name only the last
/// one given (as a map built in order would keep).
fn by_name<T>(items: &[T], name: impl Fn(&T) -> &str) -> Vec<u32> {
    let mut v: Vec<u32> = (0..items.len() as u32).rev().collect();
    v.sort_by(|&a, &b| name(&items[a as usize]).cmp(name(&items[b as usize])));
    v.dedup_by(|a, b| name(&items[*a as usize]) == name(&items[*b as usize]));
    v.shrink_to_fit();
    v
}

/// Notifications of a running configuration: keeps what keepalived keeps
/// between changes (which instances have notified, each group's state).
/// Names and scripts are read in the configuration; instances and groups
/// are found by binary search in lists of indices sorted by name.
#[derive(Clone, Debug)]
pub struct Notifier {
    cfg: Rc<Config>,
    /// Per instance of the configuration, in its order.
    inst: Vec<InstState>,
    /// Indices in `cfg.instances`, by name.
    inst_by_name: Vec<u32>,
    /// Indices in `cfg.sync_groups`, by name, with each group's last state.
    groups: Vec<(u32, Option<NotifyState>)>,
    fifo: bool,
}

impl Notifier {
    /// The notifier of `cfg` (a copy of it is kept: [`Notifier::with_config`]
    /// shares the caller's).
    pub fn new(cfg: &Config) -> Notifier {
        Notifier::with_config(Rc::new(cfg.clone()))
    }

    pub fn with_config(cfg: Rc<Config>) -> Notifier {
        let g = &cfg.global;
        let groups: Vec<(u32, Option<NotifyState>)> = by_name(&cfg.sync_groups, |sg| &sg.name)
            .into_iter()
            .map(|k| (k, None))
            .collect();
        let group_of = |name: &str| {
            cfg.sync_groups
                .iter()
                .find(|sg| sg.members.iter().any(|m| m == name))
        };
        let inst = cfg
            .instances
            .iter()
            .map(|i| {
                let sg = group_of(&i.name);
                let priority_changes = i
                    .notify_priority_changes
                    .or(sg.and_then(|sg| sg.notify_priority_changes))
                    .unwrap_or(g.notify_priority_changes);
                let group = sg.and_then(|sg| {
                    let k = groups
                        .binary_search_by(|&(k, _)| cfg.sync_groups[k as usize].name.cmp(&sg.name))
                        .ok()?;
                    Some(k as u32)
                });
                InstState {
                    group,
                    priority_changes,
                    notified: false,
                }
            })
            .collect();
        Notifier {
            inst,
            inst_by_name: by_name(&cfg.instances, |i| &i.name),
            groups,
            fifo: g.notify_fifo.is_some() || g.vrrp_notify_fifo.is_some(),
            cfg,
        }
    }

    /// The index in the configuration of instance `name`.
    fn find(&self, name: &str) -> Option<usize> {
        let k = self
            .inst_by_name
            .binary_search_by(|&k| self.cfg.instances[k as usize].name.as_str().cmp(name))
            .ok()?;
        Some(self.inst_by_name[k] as usize)
    }

    /// The index in `groups` of sync group `name`.
    fn find_group(&self, name: &str) -> Option<usize> {
        self.groups
            .binary_search_by(|&(k, _)| self.cfg.sync_groups[k as usize].name.as_str().cmp(name))
            .ok()
    }

    /// Reload: keep what the running notifier knew of the instances and
    /// groups the new configuration still has (by name): which instances
    /// have notified, each group's last state.
    pub fn carry_from(&mut self, old: &Notifier) {
        for k in 0..self.inst.len() {
            if let Some(o) = old.find(&self.cfg.instances[k].name) {
                self.inst[k].notified = old.inst[o].notified;
            }
        }
        for j in 0..self.groups.len() {
            let name = &self.cfg.sync_groups[self.groups[j].0 as usize].name;
            if let Some(o) = old.find_group(name) {
                self.groups[j].1 = old.groups[o].1;
            }
        }
    }

    /// Instance `name` is now in `state` (MASTER, BACKUP, FAULT, STOP, or
    /// DELETED when removed at reload) with effective priority `priority`.
    pub fn instance(&mut self, name: &str, state: NotifyState, priority: u8) -> Vec<NotifyOutput> {
        let Some(k) = self.find(name) else {
            return Vec::new();
        };
        let i = &mut self.inst[k];
        let c = &self.cfg.instances[k];
        let group_state = i
            .group
            .and_then(|g| self.groups.get(g as usize))
            .and_then(|g| g.1);
        if i.notified && group_state == Some(state) {
            return Vec::new();
        }
        let state = if state == NotifyState::Deleted && !c.notify_deleted {
            NotifyState::Fault
        } else {
            state
        };
        i.notified = true;
        state_change(
            Subject::Instance,
            name,
            &c.notify,
            state,
            priority,
            self.fifo,
        )
    }

    /// Sync group `name` is now in `state` (sent after its members').
    pub fn group(&mut self, name: &str, state: NotifyState) -> Vec<NotifyOutput> {
        let Some(k) = self.find_group(name) else {
            return Vec::new();
        };
        let g = &mut self.groups[k];
        g.1 = Some(state);
        let notify = &self.cfg.sync_groups[g.0 as usize].notify;
        state_change(Subject::Group, name, notify, state, 0, self.fifo)
    }

    /// Instance `name`, MASTER, received a lower-priority advert.
    pub fn master_rx_lower_pri(&self, name: &str, priority: u8) -> Vec<NotifyOutput> {
        match self.find(name) {
            Some(k) => {
                master_rx_lower_pri(name, &self.cfg.instances[k].notify, priority, self.fifo)
            }
            None => Vec::new(),
        }
    }

    /// Instance `name` changed its effective priority while in `state`
    /// (keepalived `send_instance_priority_notifies`): a FIFO line with
    /// `notify_priority_changes`, nothing otherwise.
    pub fn priority_changed(&self, name: &str, state: State, priority: u8) -> Vec<NotifyOutput> {
        let Some(i) = self.find(name).map(|k| self.inst[k]) else {
            return Vec::new();
        };
        if !i.priority_changes || !self.fifo {
            return Vec::new();
        }
        let st = if state == State::Master {
            NotifyState::MasterPriority
        } else {
            NotifyState::BackupPriority
        };
        vec![NotifyOutput::Fifo(fifo_line(
            Subject::Instance,
            name,
            st,
            priority,
        ))]
    }

    /// The notifications of one engine action (`instances` =
    /// `Engine::instances()`, to name the instance); other actions give
    /// nothing.
    pub fn on_action(&mut self, action: &Action, instances: &[Instance]) -> Vec<NotifyOutput> {
        let name = |k: usize| instances.get(k).map(|i| i.p.name.clone());
        match action {
            Action::Notify {
                instance,
                state,
                priority,
            } => match name(*instance) {
                Some(n) => self.instance(&n, NotifyState::of(*state), *priority),
                None => Vec::new(),
            },
            Action::NotifyStop { instance, priority } => match name(*instance) {
                Some(n) => self.instance(&n, NotifyState::Stop, *priority),
                None => Vec::new(),
            },
            Action::NotifyDeleted { instance, priority } => match name(*instance) {
                Some(n) => self.instance(&n, NotifyState::Deleted, *priority),
                None => Vec::new(),
            },
            Action::NotifyGroup { group, state } => match NotifyState::from_word(state) {
                Some(st) => self.group(group, st),
                None => Vec::new(),
            },
            Action::NotifyMasterRxLowerPri { instance, priority } => match name(*instance) {
                Some(n) => self.master_rx_lower_pri(&n, *priority),
                None => Vec::new(),
            },
            _ => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests;
