//! One VRRP instance: keepalived 2.2.7's state machine (KEEPALIVED.md §5.5),
//! sans-IO. Inputs are `on_*(now, ..)` calls; outputs are [`Output`] values
//! pushed on a queue the engine drains; deadlines live in a [`TimerTable`].
//!
//! Calling order: [`Instance::start`] once, then any `on_*` call in time
//! order; after each, drain the queue and ask [`Instance::next_deadline`].
//! A timeout handled early or twice does nothing.
//!
//! Must not: build packets (the engine does, from [`Output::Advert`]), read
//! clocks or touch the OS.

use super::event::Event;
use super::priority::Priority;
use super::stats::{Counter, Stats};
use super::timer::{Timer, TimerTable};
use super::timing::{master_down_interval, skew_time};
use crate::time::{Duration, Instant};
use std::collections::VecDeque;
use std::net::IpAddr;

/// keepalived's instance states (and the two notification-only ones).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    Init,
    Backup,
    Master,
    Fault,
}

impl State {
    /// The word keepalived uses in notifications and FIFO lines.
    pub fn notify_word(self) -> &'static str {
        match self {
            State::Init | State::Backup => "BACKUP",
            State::Master => "MASTER",
            State::Fault => "FAULT",
        }
    }
}

/// What an instance asks the engine to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Output {
    /// Send an advertisement with this priority (0 = resigning).
    Advert {
        priority: u8,
    },
    /// Add the VIPs and eVIPs (becoming MASTER).
    AddAddresses,
    /// Remove the VIPs and eVIPs (leaving MASTER, and at start-up).
    RemoveAddresses,
    /// A burst of gratuitous ARPs / unsolicited NAs for every address.
    GarpBurst {
        repeat: u32,
    },
    /// The state changed: run the notify scripts and FIFO lines.
    Notify {
        state: State,
        priority: u8,
    },
    /// A sync-group member's down timer ran out: it wants MASTER, and the
    /// engine decides (keepalived `vrrp_sync_can_goto_master`) whether it
    /// goes ([`Instance::go_master`]) or waits ([`Instance::hold_backup`]).
    WantMaster,
    /// Shutdown: `notify_stop`, `notify ... STOP`, FIFO `STOP`.
    NotifyStop {
        priority: u8,
    },
    /// A MASTER received a lower-priority advert (notify_master_rx_lower_pri,
    /// FIFO `MASTER_RX_LOWER_PRI`).
    NotifyMasterRxLowerPri {
        priority: u8,
    },
    /// Removed by a reload: `notify_deleted` scripts / FIFO `DELETED`, or
    /// FAULT without `notify_deleted` (keepalived's old way, its default).
    NotifyDeleted {
        priority: u8,
    },
    Log(Event),
}

/// Per-instance settings, resolved from the configuration.
#[derive(Clone, Debug)]
pub struct Params {
    pub name: String,
    pub vrid: u8,
    pub version: u8,
    /// Configured advert interval.
    pub adver_int: Duration,
    /// `state MASTER` given (or priority 255).
    pub want_master: bool,
    pub nopreempt: bool,
    pub preempt_delay: Duration,
    pub down_timer_adverts: u32,
    pub lower_prio_no_advert: bool,
    pub higher_prio_send_advert: bool,
    pub garp_master_repeat: u32,
    pub garp_master_delay: Duration,
    pub garp_lower_prio_repeat: u32,
    pub garp_lower_prio_delay: Duration,
    /// `garp_master_refresh` (0 = off) and its repeat count.
    pub garp_master_refresh: Duration,
    pub garp_master_refresh_repeat: u32,
    /// Our source address (for the IP tie-break).
    pub saddr: IpAddr,
}

/// The runtime of one instance.
#[derive(Debug)]
pub struct Instance {
    pub p: Params,
    pub prio: Priority,
    pub state: State,
    /// The interval the master advertises (v3: adopted from the master).
    pub master_adver_int: Duration,
    pub master_addr: Option<IpAddr>,
    pub master_prio: u8,
    pub timers: TimerTable,
    pub stats: Stats,
    /// The down interval last stored (keepalived `ms_down_timer`): shifting
    /// the deadline on a priority change uses it.
    down_stored: Duration,
    /// Other causes of FAULT than trackers (interface down, no address).
    pub link_faults: u32,
    /// The state the instance wants (keepalived `wantstate`): MASTER once its
    /// down timer ran out, BACKUP again when a master's advert is accepted.
    pub wantstate: State,
    /// Member of a sync group: going MASTER is the engine's decision.
    pub grouped: bool,
    startup_delay: Duration,
    /// Pending delayed lower-priority GARP bursts: keepalived schedules one
    /// per lower-priority advert and cancels none (§6 (d)).
    lower_garps: VecDeque<Instant>,
    pub out: VecDeque<Output>,
}

/// A received advertisement that passed validation (KEEPALIVED.md §5.3).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Advert {
    pub src: IpAddr,
    pub priority: u8,
    /// The sender's advert interval (v3 field; v2 equals ours after checks).
    pub interval: Duration,
}

impl Instance {
    pub fn new(p: Params, prio: Priority) -> Self {
        let master_adver_int = p.adver_int;
        let want_master = p.want_master;
        Instance {
            p,
            prio,
            state: State::Init,
            master_adver_int,
            master_addr: None,
            master_prio: 0,
            timers: TimerTable::new(),
            stats: Stats::new(),
            down_stored: Duration::ZERO,
            link_faults: 0,
            wantstate: if want_master {
                State::Master
            } else {
                State::Backup
            },
            grouped: false,
            startup_delay: Duration::ZERO,
            lower_garps: VecDeque::new(),
            out: VecDeque::new(),
        }
    }

    fn log(&mut self, e: Event) {
        self.out.push_back(Output::Log(e));
    }

    fn name(&self) -> String {
        self.p.name.clone()
    }

    /// Effective priority (what goes into adverts).
    pub fn priority(&self) -> u8 {
        self.prio.effective()
    }

    /// A fault holds (interface down, tracker fault).
    pub fn faulted(&self) -> bool {
        self.link_faults > 0 || self.prio.fault_count() > 0
    }

    fn master_down(&self) -> Duration {
        master_down_interval(
            self.p.version,
            self.p.down_timer_adverts,
            self.master_adver_int,
            self.priority(),
        )
    }

    fn arm_master_down(&mut self, now: Instant, d: Duration) {
        self.down_stored = d;
        self.timers.set(Timer::MasterDown, now + d);
    }

    /// Start-up (KEEPALIVED.md §5.5): VIPs removed first; FAULT if a fault
    /// holds; an owner becomes MASTER after 1 µs; else BACKUP (init) with a
    /// full down timer from `now + startup_delay`.
    pub fn start(&mut self, now: Instant, startup_delay: Duration) {
        self.remove_addresses();
        self.start_without_removal(now, startup_delay);
    }

    /// [`Instance::start`] for an instance added by a reload: its addresses
    /// are not removed first (another instance may hold them until the
    /// reload's removals; keepalived does not remove them either).
    pub fn start_without_removal(&mut self, now: Instant, startup_delay: Duration) {
        self.startup_delay = startup_delay;
        if self.link_faults == 0 && self.prio.readiness() == super::priority::Readiness::Init {
            // keepalived: unweighted scripts still in INIT keep the instance
            // out of BACKUP, silently, until their first result.
            self.state = State::Init;
            return;
        }
        if self.faulted() {
            self.state = State::Fault;
            let name = self.name();
            self.log(Event::EnteringFaultInit { name });
            self.out.push_back(Output::Notify {
                state: State::Fault,
                priority: self.priority(),
            });
            return;
        }
        if self.prio.is_owner() && self.p.want_master {
            // keepalived: master after 1 us, no "BACKUP (init)" line
            self.state = State::Backup;
            self.arm_master_down(now, Duration::from_micros(1));
            return;
        }
        self.become_backup_init(now, startup_delay);
    }

    fn become_backup_init(&mut self, now: Instant, startup_delay: Duration) {
        self.state = State::Backup;
        let name = self.name();
        self.log(Event::EnteringBackupInit { name });
        self.out.push_back(Output::Notify {
            state: State::Backup,
            priority: self.priority(),
        });
        // keepalived vrrp_init_state: a sync-group member configured MASTER
        // waits only advert_int + the smallest skew (the group is BACKUP).
        let d = if self.grouped && self.wantstate == State::Master {
            self.master_adver_int
                + super::timing::skew_time_min(self.p.version, self.master_adver_int)
        } else {
            self.master_down()
        };
        self.down_stored = d;
        self.timers.set(Timer::MasterDown, now + startup_delay + d);
    }

    /// The earliest deadline the instance must be woken at.
    pub fn next_deadline(&self) -> Option<Instant> {
        self.timers.next().map(|(_, t)| t)
    }

    /// Handle expired timers (a call with nothing due does nothing).
    pub fn on_timeout(&mut self, now: Instant) {
        if self.state == State::Backup && self.timers.take_if_expired(Timer::MasterDown, now) {
            let name = self.name();
            self.log(Event::ReceiveAdvertTimeout { name });
            self.wantstate = State::Master;
            if self.grouped {
                self.out.push_back(Output::WantMaster);
            } else {
                self.become_master(now);
            }
        }
        if self.state == State::Master && self.timers.take_if_expired(Timer::Advert, now) {
            self.send_advert(now);
        }
        if self.state == State::Master && self.timers.take_if_expired(Timer::GarpDelayed, now) {
            self.out.push_back(Output::GarpBurst {
                repeat: self.p.garp_master_repeat,
            });
        }
        if self.state == State::Master && self.timers.take_if_expired(Timer::GarpLowerPrio, now) {
            while self.lower_garps.front().is_some_and(|t| *t <= now) {
                self.lower_garps.pop_front();
                self.out.push_back(Output::GarpBurst {
                    repeat: self.p.garp_lower_prio_repeat,
                });
            }
            if let Some(&next) = self.lower_garps.front() {
                self.timers.set(Timer::GarpLowerPrio, next);
            }
        }
    }

    /// A priority-0 advert (counted as sent and as priority 0, as
    /// keepalived's vrrp_send_adv does).
    fn send_priority_zero(&mut self) {
        self.out.push_back(Output::Advert { priority: 0 });
        self.stats.count(Counter::AdvertSent);
        self.stats.count(Counter::PriZeroSent);
    }

    /// Remove the VIPs ("(%s) removing VIPs." with -D).
    fn remove_addresses(&mut self) {
        let name = self.name();
        self.log(Event::RemovingVips { name });
        self.out.push_back(Output::RemoveAddresses);
    }

    fn send_advert(&mut self, now: Instant) {
        // garp_master_refresh: checked when an advert is sent, strictly
        // after the deadline (keepalived; the timer is passive).
        if self.p.garp_master_refresh > Duration::ZERO
            && self.timers.get(Timer::GarpRefresh).is_some_and(|t| now > t)
        {
            self.out.push_back(Output::GarpBurst {
                repeat: self.p.garp_master_refresh_repeat,
            });
            self.timers
                .set(Timer::GarpRefresh, now + self.p.garp_master_refresh);
        }
        let priority = self.priority();
        self.out.push_back(Output::Advert { priority });
        self.stats.count(Counter::AdvertSent);
        self.timers.set(Timer::Advert, now + self.p.adver_int);
    }

    /// BACKUP → MASTER: advert first, then addresses, GARP burst, notify
    /// (keepalived `vrrp_state_become_master`).
    fn become_master(&mut self, now: Instant) {
        self.state = State::Master;
        if self.master_adver_int != self.p.adver_int {
            let (from_ms, to_ms) = (
                self.master_adver_int.millis() as u32,
                self.p.adver_int.millis() as u32,
            );
            let name = self.name();
            self.log(Event::AdvertIntervalRestored {
                name,
                from_ms,
                to_ms,
            });
            self.master_adver_int = self.p.adver_int;
        }
        self.timers.stop(Timer::MasterDown);
        self.timers.stop(Timer::PreemptDelay);
        self.send_advert(now);
        let name = self.name();
        self.log(Event::EnteringMaster { name: name.clone() });
        self.log(Event::SettingVips { name });
        self.out.push_back(Output::AddAddresses);
        self.out.push_back(Output::GarpBurst {
            repeat: self.p.garp_master_repeat,
        });
        if self.p.garp_master_delay > Duration::ZERO {
            self.timers
                .set(Timer::GarpDelayed, now + self.p.garp_master_delay);
        }
        if self.p.garp_master_refresh > Duration::ZERO {
            self.timers
                .set(Timer::GarpRefresh, now + self.p.garp_master_refresh);
        }
        self.stats.count(Counter::BecomeMaster);
        self.out.push_back(Output::Notify {
            state: State::Master,
            priority: self.priority(),
        });
        self.master_addr = Some(self.p.saddr);
    }

    /// MASTER → BACKUP after a better advert: no priority-0 advert
    /// (KEEPALIVED.md trip-up 6), addresses removed, full down timer.
    fn leave_master(&mut self, now: Instant) {
        self.state = State::Backup;
        self.timers.stop(Timer::Advert);
        self.timers.stop(Timer::GarpDelayed);
        self.timers.stop(Timer::GarpLowerPrio);
        self.lower_garps.clear();
        let name = self.name();
        self.log(Event::EnteringBackup { name });
        self.remove_addresses();
        self.stats.count(Counter::ReleaseMaster);
        self.out.push_back(Output::Notify {
            state: State::Backup,
            priority: self.priority(),
        });
        let d = self.master_down();
        self.arm_master_down(now, d);
    }

    /// A valid advert for this instance (after §5.3 validation).
    pub fn on_advert(&mut self, now: Instant, adv: &Advert) {
        match self.state {
            State::Backup => self.backup_rx(now, adv),
            State::Master => self.master_rx(now, adv),
            State::Init | State::Fault => {}
        }
    }

    fn backup_rx(&mut self, now: Instant, adv: &Advert) {
        let ours = self.priority();
        if adv.priority == 0 {
            let name = self.name();
            self.log(Event::BackupReceivedPriorityZero { name });
            let skew = skew_time(self.p.version, ours, self.master_adver_int);
            self.arm_master_down(now, skew);
            return;
        }
        // keepalived: with a preempt_delay, lower adverts are accepted until
        // the delay (started by the first of them) has run out.
        let preempt_pending = self.p.preempt_delay > Duration::ZERO
            && self.timers.get(Timer::PreemptDelay).is_none_or(|t| t > now);
        if self.p.nopreempt || adv.priority >= ours || preempt_pending {
            if self.p.version == 3
                && adv.interval != self.master_adver_int
                && adv.interval > Duration::ZERO
            {
                let (from_ms, to_ms) = (
                    self.master_adver_int.millis() as u32,
                    adv.interval.millis() as u32,
                );
                let name = self.name();
                self.log(Event::AdvertIntervalUpdated {
                    name,
                    from_ms,
                    to_ms,
                });
                self.master_adver_int = adv.interval;
            }
            if self.p.preempt_delay > Duration::ZERO {
                if adv.priority >= ours {
                    if self.timers.is_set(Timer::PreemptDelay) {
                        let name = self.name();
                        self.log(Event::StopPreemptDelay { name });
                        self.timers.stop(Timer::PreemptDelay);
                    }
                } else if !self.timers.is_set(Timer::PreemptDelay) {
                    let name = self.name();
                    let delay_us = self.p.preempt_delay.micros();
                    self.log(Event::StartPreemptDelay { name, delay_us });
                    self.timers
                        .set(Timer::PreemptDelay, now + self.p.preempt_delay);
                }
            }
            let d = self.master_down();
            self.arm_master_down(now, d);
            self.master_addr = Some(adv.src);
            self.master_prio = adv.priority;
            // keepalived: having accepted a master, we want BACKUP
            self.wantstate = State::Backup;
            return;
        }
        let name = self.name();
        self.log(Event::BackupReceivedLower {
            name,
            from: adv.src,
            prio: adv.priority,
        });
        // keepalived (vrrp_state_backup, ignore_advert): the stored down
        // interval becomes the time left, so a later priority change moves
        // the deadline to this advert + the new full down interval.
        if let Some(deadline) = self.timers.get(Timer::MasterDown) {
            self.down_stored = deadline.saturating_since(now);
        }
    }

    fn master_rx(&mut self, now: Instant, adv: &Advert) {
        let ours = self.priority();
        if adv.priority == 0 {
            let name = self.name();
            self.log(Event::MasterReceivedPriorityZero { name });
            self.send_advert(now);
            return;
        }
        let higher_ip = ip_greater(adv.src, self.p.saddr);
        let better = adv.priority > ours || (adv.priority == ours && higher_ip);
        if self.p.higher_prio_send_advert && better {
            self.send_advert(now);
        }
        if adv.priority == ours && adv.src == self.p.saddr {
            let name = self.name();
            self.log(Event::EqualPriorityOurIp { name });
            return;
        }
        if adv.priority == 255 && ours == 255 {
            let name = self.name();
            self.log(Event::BothAddressOwners { name });
            self.prio.demote_owner();
            return;
        }
        if better {
            let name = self.name();
            if adv.priority > ours {
                self.log(Event::MasterReceivedHigher {
                    name,
                    from: adv.src,
                    prio: adv.priority,
                    ours,
                });
            } else {
                self.log(Event::MasterReceivedSameHigherIp {
                    name,
                    from: adv.src,
                    prio: adv.priority,
                });
            }
            self.master_addr = Some(adv.src);
            self.master_prio = adv.priority;
            if self.p.version == 3 && adv.interval > Duration::ZERO {
                self.master_adver_int = adv.interval;
            }
            self.leave_master(now);
            return;
        }
        // Lower priority, or equal with a lower address: answer.
        let name = self.name();
        let no_advert = self.p.lower_prio_no_advert;
        self.log(Event::ReceivedLowerForcingElection {
            name,
            from: adv.src,
            prio: adv.priority,
            ours,
            no_advert,
        });
        if !no_advert {
            self.send_advert(now);
        }
        if self.p.garp_lower_prio_repeat > 0 {
            self.out.push_back(Output::GarpBurst {
                repeat: self.p.garp_lower_prio_repeat,
            });
            if self.p.garp_lower_prio_delay > Duration::ZERO {
                let at = now + self.p.garp_lower_prio_delay;
                self.lower_garps.push_back(at);
                if !self.timers.is_set(Timer::GarpLowerPrio) {
                    self.timers.set(Timer::GarpLowerPrio, at);
                }
            }
        }
        self.out
            .push_back(Output::NotifyMasterRxLowerPri { priority: ours });
    }

    /// A fault appeared (tracker or link): MASTER sends priority 0 (twice,
    /// as keepalived does in practice), addresses go, FAULT notified.
    pub fn enter_fault(&mut self, _now: Instant) {
        if self.state == State::Fault {
            return;
        }
        let was_master = self.state == State::Master;
        self.state = State::Fault;
        self.timers.stop_all();
        let name = self.name();
        if was_master {
            for _ in 0..2 {
                self.send_priority_zero();
            }
            self.log(Event::SentPriorityZero { name: name.clone() });
            self.remove_addresses();
            self.stats.count(Counter::ReleaseMaster);
        }
        self.log(Event::EnteringFault { name });
        self.out.push_back(Output::Notify {
            state: State::Fault,
            priority: self.priority(),
        });
    }

    /// All faults cleared: FAULT → BACKUP with a full down timer.
    pub fn leave_fault(&mut self, now: Instant) {
        if self.state != State::Fault || self.faulted() {
            return;
        }
        self.state = State::Backup;
        let name = self.name();
        self.log(Event::EnteringBackup { name });
        self.out.push_back(Output::Notify {
            state: State::Backup,
            priority: self.priority(),
        });
        self.master_adver_int = self.p.adver_int;
        let d = if self.prio.is_owner() && self.p.want_master {
            // keepalived: an owner leaving FAULT waits advert_int + skew
            self.p.adver_int + skew_time(self.p.version, self.priority(), self.p.adver_int)
        } else {
            self.master_down()
        };
        self.arm_master_down(now, d);
    }

    /// A tracked VIP was deleted from outside while MASTER: resign with
    /// priority 0, drop the addresses, become master again after skew
    /// unless someone else claims the VRID (KEEPALIVED.md §5.5).
    pub fn on_vip_removed(&mut self, now: Instant) {
        if self.state != State::Master {
            return;
        }
        self.state = State::Backup;
        self.timers.stop(Timer::Advert);
        self.timers.stop(Timer::GarpDelayed);
        self.timers.stop(Timer::GarpLowerPrio);
        self.lower_garps.clear();
        let name = self.name();
        self.log(Event::EnteringBackup { name: name.clone() });
        self.send_priority_zero();
        self.log(Event::SentPriorityZero { name });
        self.remove_addresses();
        self.stats.count(Counter::ReleaseMaster);
        self.out.push_back(Output::Notify {
            state: State::Backup,
            priority: self.priority(),
        });
        let skew = skew_time(self.p.version, self.priority(), self.master_adver_int);
        self.arm_master_down(now, skew);
    }

    /// Apply a tracker update (KEEPALIVED.md §3.2): priority change, a fault
    /// appearing or clearing, the last unweighted script leaving INIT.
    pub fn on_track_update(&mut self, now: Instant, u: &super::priority::TrackUpdate) {
        if let Some(c) = u.priority {
            if c.kind == super::priority::ChangeKind::Changed {
                self.priority_changed(now, c.from, c.to);
            }
        }
        self.re_evaluate(now);
    }

    /// Enter or leave FAULT / INIT after trackers or links changed.
    pub fn re_evaluate(&mut self, now: Instant) {
        if self.faulted() {
            if self.state != State::Fault {
                self.enter_fault(now);
            }
        } else if self.state == State::Fault {
            self.leave_fault(now);
        } else if self.state == State::Init
            && self.prio.readiness() != super::priority::Readiness::Init
        {
            let delay = self.startup_delay;
            self.become_backup_init(now, delay);
        }
    }

    /// Sync group: the engine lets this member go MASTER.
    pub fn go_master(&mut self, now: Instant) {
        if self.state == State::Backup {
            self.become_master(now);
        }
    }

    /// Sync group: not everyone wants MASTER yet; wait a full down interval
    /// (keepalived `vrrp_sync_can_goto_master` re-arms the timer).
    pub fn hold_backup(&mut self, now: Instant) {
        if self.state == State::Backup {
            let d = self.master_down();
            self.arm_master_down(now, d);
        }
    }

    /// Sync group: a member went MASTER, follow it (keepalived
    /// `vrrp_sync_master`).
    pub fn sync_to_master(&mut self, now: Instant) {
        if self.state == State::Backup {
            self.become_master(now);
        }
    }

    /// Sync group: a member left MASTER, follow it.
    pub fn sync_to_backup(&mut self, now: Instant) {
        if self.state == State::Master {
            self.leave_master(now);
        }
    }

    /// Shutdown: a MASTER sends priority 0 and removes its addresses.
    pub fn shutdown(&mut self) {
        if self.state == State::Master {
            self.send_priority_zero();
            let name = self.name();
            self.log(Event::SentPriorityZero { name });
            self.remove_addresses();
        }
        let priority = self.priority();
        self.out.push_back(Output::NotifyStop { priority });
        self.timers.stop_all();
    }

    /// Reload, instance no longer configured (keepalived `clear_diff_vrrp`):
    /// a MASTER sends priority 0 and removes its addresses; then the
    /// DELETED (or FAULT) notification when `notify` (keepalived: with
    /// `notify_deleted`, or when the instance was not in FAULT).
    pub fn release(&mut self, notify: bool) {
        if self.state == State::Master {
            self.send_priority_zero();
            let name = self.name();
            self.log(Event::SentPriorityZero { name });
            self.remove_addresses();
        }
        self.timers.stop_all();
        self.lower_garps.clear();
        if notify {
            let priority = self.priority();
            self.out.push_back(Output::NotifyDeleted { priority });
        }
    }

    /// Reload (keepalived `restore_vrrp_state`): this instance, freshly
    /// built from the new configuration, takes over the running state of
    /// `old`, the instance it replaces (matched by VRID, family, interface
    /// and unicast/multicast details, not by name). The state, the pending
    /// deadlines (a MASTER's next advert, a BACKUP's master-down time), the
    /// master's address and priority, a VRRPv3 backup's adopted interval, the
    /// counters and the interface faults come along; a MASTER stays MASTER
    /// even with a lower priority now. Deadlines are pulled in where the new
    /// intervals are shorter. Nothing is output: the engine decides about
    /// adverts and addresses, then calls [`Instance::re_evaluate`].
    pub fn adopt(&mut self, now: Instant, old: Instance) {
        self.state = old.state;
        self.stats = old.stats;
        self.link_faults = old.link_faults;
        self.master_prio = old.master_prio;
        self.timers = old.timers;
        self.lower_garps = old.lower_garps;
        match self.state {
            State::Master => {
                self.wantstate = State::Master;
                self.master_addr = Some(self.p.saddr);
                self.timers.stop(Timer::MasterDown);
                self.timers.stop(Timer::PreemptDelay);
                let latest = now + self.p.adver_int;
                if self.timers.get(Timer::Advert).is_none_or(|t| t > latest) {
                    self.timers.set(Timer::Advert, latest);
                }
                if self.p.garp_master_refresh == Duration::ZERO {
                    self.timers.stop(Timer::GarpRefresh);
                } else if self.timers.get(Timer::GarpRefresh).is_none() {
                    self.timers
                        .set(Timer::GarpRefresh, now + self.p.garp_master_refresh);
                }
                if self.lower_garps.is_empty() {
                    self.timers.stop(Timer::GarpLowerPrio);
                }
            }
            State::Backup => {
                self.wantstate = old.wantstate;
                self.master_addr = old.master_addr;
                if self.p.version == 3 && old.p.version == 3 {
                    self.master_adver_int = old.master_adver_int;
                }
                for t in [
                    Timer::Advert,
                    Timer::GarpDelayed,
                    Timer::GarpRefresh,
                    Timer::GarpLowerPrio,
                ] {
                    self.timers.stop(t);
                }
                self.lower_garps.clear();
                let full = self.master_down();
                self.down_stored = full;
                match self.timers.get(Timer::MasterDown) {
                    Some(t) if t > now + full => self.timers.set(Timer::MasterDown, now + full),
                    Some(_) => {}
                    None => self.arm_master_down(now, full),
                }
            }
            State::Init | State::Fault => {
                self.timers.stop_all();
                self.lower_garps.clear();
            }
        }
    }

    /// Reload of a MASTER whose advert changed (priority, addresses,
    /// interval): advertise now, the next one an interval later.
    pub fn advertise_now(&mut self, now: Instant) {
        if self.state == State::Master {
            self.send_advert(now);
        }
    }

    /// The effective priority changed (trackers): a BACKUP's pending down
    /// deadline moves by the change of the down interval (KEEPALIVED.md §3.2).
    pub fn priority_changed(&mut self, now: Instant, from: u8, to: u8) {
        let name = self.name();
        self.log(Event::ChangingEffectivePriority { name, from, to });
        if self.state == State::Backup {
            if let Some(deadline) = self.timers.get(Timer::MasterDown) {
                let new = self.master_down();
                let moved = super::timing::shift_deadline(deadline, self.down_stored, new);
                self.down_stored = new;
                self.timers.set(Timer::MasterDown, moved.max(now));
            }
        }
    }
}

/// keepalived's tie-break: addresses compared as big-endian unsigned numbers.
pub fn ip_greater(a: IpAddr, b: IpAddr) -> bool {
    match (a, b) {
        (IpAddr::V4(x), IpAddr::V4(y)) => u32::from(x) > u32::from(y),
        (IpAddr::V6(x), IpAddr::V6(y)) => u128::from(x) > u128::from(y),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vrrp::priority::{TrackerKind, TrackerStatus};

    fn params(name: &str, version: u8) -> Params {
        Params {
            name: name.into(),
            vrid: 51,
            version,
            adver_int: Duration::from_secs(1),
            want_master: false,
            nopreempt: false,
            preempt_delay: Duration::ZERO,
            down_timer_adverts: 3,
            lower_prio_no_advert: false,
            higher_prio_send_advert: false,
            garp_master_repeat: 5,
            garp_master_delay: Duration::from_secs(5),
            garp_lower_prio_repeat: 5,
            garp_lower_prio_delay: Duration::from_secs(5),
            garp_master_refresh: Duration::ZERO,
            garp_master_refresh_repeat: 1,
            saddr: "10.99.0.1".parse().expect("addr"),
        }
    }

    fn inst(prio: u8) -> Instance {
        Instance::new(params("VI_1", 2), Priority::new(prio))
    }

    fn t(us: u64) -> Instant {
        Instant::from_micros(us)
    }

    fn adv(src: &str, priority: u8) -> Advert {
        Advert {
            src: src.parse().expect("addr"),
            priority,
            interval: Duration::from_secs(1),
        }
    }

    fn logs(i: &mut Instance) -> Vec<String> {
        i.out
            .drain(..)
            .filter_map(|o| match o {
                Output::Log(e) => Some(e.text()),
                _ => None,
            })
            .collect()
    }

    fn drain(i: &mut Instance) -> Vec<Output> {
        i.out.drain(..).collect()
    }

    #[test]
    fn backup_priority_rise_after_discarded_adverts_counts_from_the_last_one() {
        // keepalived vrrp_state_backup: a discarded lower-priority advert
        // stores the time left as the down interval, so a priority change
        // then puts the deadline at that advert + the new full interval.
        let mut prio = Priority::new(100);
        let id = prio.add_tracker(TrackerKind::Script, "chk", 10, false, TrackerStatus::Down);
        prio.refresh();
        let mut i = Instance::new(params("VI_1", 2), prio);
        i.start(t(0), Duration::ZERO);
        assert_eq!(i.next_deadline(), Some(t(3_609_375)));
        i.on_advert(t(1_000_000), &adv("10.99.0.9", 50));
        i.on_advert(t(2_000_000), &adv("10.99.0.9", 50));
        assert_eq!(i.state, State::Backup);
        assert_eq!(
            i.next_deadline(),
            Some(t(3_609_375)),
            "discarding does not re-arm"
        );
        let u = i.prio.set_status(id, TrackerStatus::Up);
        i.on_track_update(t(2_500_000), &u);
        assert_eq!(i.priority(), 110);
        // 2 s (last discarded advert) + 3 s + skew(110) = (256-110)/256 s = 570 312 us
        assert_eq!(i.next_deadline(), Some(t(2_000_000 + 3_000_000 + 570_312)));
    }

    #[test]
    fn startup_backup_becomes_master_after_3_adverts_plus_skew() {
        // KEEPALIVED.md §5.4: v2 prio 100, advert 1 s -> 3 609 375 us
        let mut i = inst(100);
        i.start(t(0), Duration::ZERO);
        // keepalived removes its VIPs first ("removing VIPs." with -D)
        assert_eq!(
            logs(&mut i),
            vec![
                "(VI_1) removing VIPs.",
                "(VI_1) Entering BACKUP STATE (init)"
            ]
        );
        assert_eq!(i.next_deadline(), Some(t(3_609_375)));
        i.on_timeout(t(3_609_374));
        assert_eq!(
            i.state,
            State::Backup,
            "a timeout handled early does nothing"
        );
        i.on_timeout(t(3_609_375));
        assert_eq!(i.state, State::Master);
        let out = drain(&mut i);
        assert_eq!(
            out[0],
            Output::Log(Event::ReceiveAdvertTimeout {
                name: "VI_1".into()
            })
        );
        assert_eq!(out[1], Output::Advert { priority: 100 });
        assert!(out.contains(&Output::AddAddresses));
        assert!(out.contains(&Output::GarpBurst { repeat: 5 }));
        assert!(out.contains(&Output::Notify {
            state: State::Master,
            priority: 100
        }));
        // next advert one interval later; a second call at the same time does nothing
        assert_eq!(i.timers.get(Timer::Advert), Some(t(4_609_375)));
        i.on_timeout(t(3_609_375));
        assert!(drain(&mut i).is_empty());
    }

    #[test]
    fn owner_becomes_master_after_1us_without_backup_init_line() {
        let mut p = params("VI_1", 2);
        p.want_master = true;
        let mut i = Instance::new(p, Priority::new(255));
        i.start(t(0), Duration::ZERO);
        assert_eq!(i.next_deadline(), Some(t(1)));
        i.on_timeout(t(1));
        assert_eq!(i.state, State::Master);
        let l = logs(&mut i);
        assert!(!l.iter().any(|s| s.contains("(init)")));
        assert_eq!(
            l[..2],
            [
                "(VI_1) removing VIPs.",
                "(VI_1) Receive advertisement timeout"
            ]
        );
    }

    #[test]
    fn state_master_below_255_waits_like_a_backup() {
        let mut p = params("VI_1", 2);
        p.want_master = true;
        let mut i = Instance::new(p, Priority::new(150));
        i.start(t(0), Duration::ZERO);
        // (256-150)/256 s = 414 062 us
        assert_eq!(i.next_deadline(), Some(t(3_414_062)));
    }

    #[test]
    fn startup_delay_postpones_the_first_down_timer() {
        let mut i = inst(100);
        i.start(t(0), Duration::from_secs(10));
        assert_eq!(i.next_deadline(), Some(t(13_609_375)));
    }

    #[test]
    fn backup_accepts_equal_priority_without_ip_tiebreak() {
        let mut i = inst(100);
        i.start(t(0), Duration::ZERO);
        i.on_advert(t(1_000_000), &adv("10.99.0.0", 100));
        assert_eq!(i.next_deadline(), Some(t(4_609_375)));
        assert_eq!(i.master_addr, Some("10.99.0.0".parse().expect("addr")));
    }

    #[test]
    fn backup_discards_lower_priority_and_preempts_at_timer_expiry() {
        let mut i = inst(150);
        i.start(t(0), Duration::ZERO);
        drain(&mut i);
        let before = i.next_deadline();
        i.on_advert(t(1_000_000), &adv("10.99.0.2", 100));
        assert_eq!(
            logs(&mut i),
            vec!["(VI_1) received lower priority (100) advert from 10.99.0.2 - discarding"]
        );
        assert_eq!(i.next_deadline(), before, "the down timer keeps running");
        i.on_timeout(before.expect("deadline"));
        assert_eq!(i.state, State::Master);
    }

    #[test]
    fn backup_takes_over_after_skew_on_priority_zero() {
        let mut i = inst(100);
        i.start(t(0), Duration::ZERO);
        i.on_advert(t(2_000_000), &adv("10.99.0.2", 0));
        // skew (256-100)/256 s = 609 375 us
        assert_eq!(i.next_deadline(), Some(t(2_609_375)));
    }

    #[test]
    fn nopreempt_accepts_lower_priority_master() {
        let mut p = params("VI_1", 2);
        p.nopreempt = true;
        let mut i = Instance::new(p, Priority::new(150));
        i.start(t(0), Duration::ZERO);
        drain(&mut i);
        i.on_advert(t(1_000_000), &adv("10.99.0.2", 100));
        assert!(logs(&mut i).is_empty());
        // 3 s + (256-150)/256 s
        assert_eq!(i.next_deadline(), Some(t(1_000_000 + 3_414_062)));
    }

    #[test]
    fn preempt_delay_accepts_lower_adverts_until_it_expires() {
        let mut p = params("VI_1", 2);
        p.preempt_delay = Duration::from_secs(5);
        let mut i = Instance::new(p, Priority::new(150));
        i.start(t(0), Duration::ZERO);
        drain(&mut i);
        i.on_advert(t(1_000_000), &adv("10.99.0.2", 100));
        assert_eq!(logs(&mut i), vec!["(VI_1) start preempt delay (5.000000)"]);
        assert_eq!(i.timers.get(Timer::PreemptDelay), Some(t(6_000_000)));
        i.on_advert(t(5_000_000), &adv("10.99.0.2", 100));
        assert!(logs(&mut i).is_empty(), "still within the delay: accepted");
        i.on_advert(t(6_500_000), &adv("10.99.0.2", 100));
        assert_eq!(
            logs(&mut i),
            vec!["(VI_1) received lower priority (100) advert from 10.99.0.2 - discarding"]
        );
    }

    fn master(prio: u8) -> Instance {
        let mut i = inst(prio);
        i.start(t(0), Duration::ZERO);
        let d = i.next_deadline().expect("deadline");
        i.on_timeout(d);
        drain(&mut i);
        i
    }

    #[test]
    fn master_yields_to_higher_priority_without_priority_zero() {
        let mut i = master(100);
        i.on_advert(t(5_000_000), &adv("10.99.0.2", 150));
        assert_eq!(i.state, State::Backup);
        let out = drain(&mut i);
        assert!(
            !out.contains(&Output::Advert { priority: 0 }),
            "no priority-0 advert (trip-up 6)"
        );
        assert!(out.contains(&Output::RemoveAddresses));
        assert_eq!(
            out[0],
            Output::Log(Event::MasterReceivedHigher {
                name: "VI_1".into(),
                from: "10.99.0.2".parse().expect("a"),
                prio: 150,
                ours: 100
            })
        );
        assert_eq!(i.next_deadline(), Some(t(5_000_000 + 3_609_375)));
    }

    #[test]
    fn master_tiebreak_by_source_address() {
        let mut i = master(100);
        i.on_advert(t(5_000_000), &adv("10.99.0.0", 100));
        assert_eq!(i.state, State::Master, "lower address: we stay");
        let l = logs(&mut i);
        assert_eq!(
            l,
            vec![
                "(VI_1) Received advert from 10.99.0.0 with lower priority 100, ours 100, forcing new election"
            ]
        );
        i.on_advert(t(5_100_000), &adv("10.99.0.9", 100));
        assert_eq!(i.state, State::Backup, "higher address wins");
        assert_eq!(
            logs(&mut i)[0],
            "(VI_1) Master received advert from 10.99.0.9 with same priority 100 but higher IP address than ours"
        );
    }

    #[test]
    fn master_answers_lower_priority_with_advert_and_garps() {
        let mut i = master(150);
        i.on_advert(t(5_000_000), &adv("10.99.0.2", 100));
        let out = drain(&mut i);
        assert!(out.contains(&Output::Advert { priority: 150 }));
        assert!(out.contains(&Output::GarpBurst { repeat: 5 }));
        assert!(out.contains(&Output::NotifyMasterRxLowerPri { priority: 150 }));
        assert_eq!(i.timers.get(Timer::GarpLowerPrio), Some(t(10_000_000)));
    }

    #[test]
    fn every_lower_priority_advert_gets_its_own_delayed_burst() {
        // keepalived schedules one delayed burst per lower advert (§6 (d))
        let mut i = master(150);
        i.on_advert(t(5_000_000), &adv("10.99.0.2", 100));
        i.on_advert(t(6_000_000), &adv("10.99.0.2", 100));
        i.on_timeout(t(9_000_000)); // the second master burst (becoming master + 5 s)
        drain(&mut i);
        i.on_timeout(t(10_000_000));
        let bursts = |o: &[Output]| {
            o.iter()
                .filter(|o| matches!(o, Output::GarpBurst { .. }))
                .count()
        };
        assert_eq!(bursts(&drain(&mut i)), 1);
        assert_eq!(i.timers.get(Timer::GarpLowerPrio), Some(t(11_000_000)));
        i.on_timeout(t(11_000_000));
        assert_eq!(bursts(&drain(&mut i)), 1);
    }

    #[test]
    fn garp_master_refresh_sends_with_the_first_advert_after_it_expires() {
        let mut p = params("VI_1", 2);
        p.garp_master_refresh = Duration::from_secs(10);
        p.garp_master_refresh_repeat = 2;
        let mut i = Instance::new(p, Priority::new(100));
        i.start(t(0), Duration::ZERO);
        i.on_timeout(t(3_609_375)); // MASTER, refresh due at 13.609375 s
        drain(&mut i);
        let mut refreshes = Vec::new();
        for s in 4..=25u64 {
            let now = t(s * 1_000_000 + 609_375); // the advert deadlines
            i.on_timeout(now);
            if drain(&mut i).contains(&Output::GarpBurst { repeat: 2 }) {
                refreshes.push(now);
            }
        }
        // strictly after the deadline: the advert at 14.609375 (deadline
        // 13.609375), then the first advert strictly after 24.609375
        assert_eq!(refreshes, vec![t(14_609_375), t(25_609_375)]);
    }

    #[test]
    fn sync_member_configured_master_waits_advert_int_plus_smallest_skew() {
        let mut p = params("VI_1", 2);
        p.want_master = true;
        let mut i = Instance::new(p, Priority::new(100));
        i.grouped = true;
        i.start(t(0), Duration::ZERO);
        // 1 s + (256-255)/256 s = 1 003 906 us (keepalived VRRP_TIMER_SKEW_MIN)
        assert_eq!(i.next_deadline(), Some(t(1_003_906)));
    }

    #[test]
    fn lower_prio_no_advert_stays_silent() {
        let mut p = params("VI_1", 2);
        p.lower_prio_no_advert = true;
        let mut i = Instance::new(p, Priority::new(150));
        i.start(t(0), Duration::ZERO);
        let d = i.next_deadline().expect("d");
        i.on_timeout(d);
        drain(&mut i);
        i.on_advert(t(5_000_000), &adv("10.99.0.2", 100));
        let out = drain(&mut i);
        assert!(!out.iter().any(|o| matches!(o, Output::Advert { .. })));
        assert!(
            out.contains(&Output::Log(Event::ReceivedLowerForcingElection {
                name: "VI_1".into(),
                from: "10.99.0.2".parse().expect("a"),
                prio: 100,
                ours: 150,
                no_advert: true
            }))
        );
    }

    #[test]
    fn master_answers_priority_zero_with_an_advert() {
        let mut i = master(100);
        i.on_advert(t(5_000_000), &adv("10.99.0.2", 0));
        assert_eq!(i.state, State::Master);
        assert!(drain(&mut i).contains(&Output::Advert { priority: 100 }));
    }

    #[test]
    fn two_address_owners_reduce_local_priority() {
        let mut p = params("VI_1", 2);
        p.want_master = true;
        let mut i = Instance::new(p, Priority::new(255));
        i.start(t(0), Duration::ZERO);
        i.on_timeout(t(1));
        drain(&mut i);
        i.on_advert(t(1_000_000), &adv("10.99.0.2", 255));
        assert_eq!(i.priority(), 254);
        assert!(logs(&mut i)[0].contains("CONFIGURATION ERROR"));
    }

    #[test]
    fn v3_backup_adopts_master_interval_and_restores_its_own_as_master() {
        let mut i = Instance::new(params("VI_1", 3), Priority::new(100));
        i.start(t(0), Duration::ZERO);
        drain(&mut i);
        let a = Advert {
            src: "10.99.0.2".parse().expect("a"),
            priority: 150,
            interval: Duration::from_millis(500),
        };
        i.on_advert(t(1_000_000), &a);
        assert_eq!(i.master_adver_int, Duration::from_millis(500));
        // v3 prio 100 at 0.5 s: 1 804 687 us (KEEPALIVED.md §5.4)
        assert_eq!(i.next_deadline(), Some(t(1_000_000 + 1_804_687)));
        i.on_timeout(t(2_804_687));
        assert_eq!(i.state, State::Master);
        assert_eq!(i.master_adver_int, Duration::from_secs(1));
        assert!(logs(&mut i).iter().any(|l| {
            l.contains("changing advert interval from 500ms to locally configured 1000ms")
        }));
    }

    #[test]
    fn fault_from_master_sends_priority_zero_twice_and_recovers_to_backup() {
        let mut i = master(100);
        i.link_faults = 1;
        i.enter_fault(t(5_000_000));
        assert_eq!(i.state, State::Fault);
        let out = drain(&mut i);
        assert_eq!(
            out.iter()
                .filter(|o| **o == Output::Advert { priority: 0 })
                .count(),
            2
        );
        assert!(out.contains(&Output::RemoveAddresses));
        assert!(out.contains(&Output::Notify {
            state: State::Fault,
            priority: 100
        }));
        assert_eq!(i.next_deadline(), None);
        i.on_advert(t(5_500_000), &adv("10.99.0.2", 50));
        assert!(drain(&mut i).is_empty(), "FAULT ignores adverts");
        i.link_faults = 0;
        i.leave_fault(t(6_000_000));
        assert_eq!(i.state, State::Backup);
        assert_eq!(logs(&mut i), vec!["(VI_1) Entering BACKUP STATE"]);
        assert_eq!(i.next_deadline(), Some(t(6_000_000 + 3_609_375)));
    }

    #[test]
    fn vip_removed_outside_resigns_and_returns_after_skew() {
        let mut i = master(100);
        i.on_vip_removed(t(5_000_000));
        assert_eq!(i.state, State::Backup);
        let out = drain(&mut i);
        assert!(out.contains(&Output::Advert { priority: 0 }));
        assert_eq!(i.next_deadline(), Some(t(5_609_375)));
        i.on_timeout(t(5_609_375));
        assert_eq!(i.state, State::Master);
    }

    #[test]
    fn shutdown_master_sends_priority_zero_and_removes_addresses() {
        let mut i = master(100);
        i.shutdown();
        let out = drain(&mut i);
        assert_eq!(out[0], Output::Advert { priority: 0 });
        assert!(out.contains(&Output::RemoveAddresses));
        assert_eq!(i.next_deadline(), None);
    }

    #[test]
    fn ip_comparison_is_big_endian_unsigned() {
        assert!(ip_greater(
            "10.99.0.2".parse().expect("a"),
            "10.99.0.1".parse().expect("a")
        ));
        assert!(ip_greater(
            "200.0.0.1".parse().expect("a"),
            "10.0.0.1".parse().expect("a")
        ));
        assert!(ip_greater(
            "fe80::2".parse().expect("a"),
            "fe80::1".parse().expect("a")
        ));
    }
}
