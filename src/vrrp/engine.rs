//! The VRRP engine: every instance of a configuration, the receive path
//! (keepalived's checks of KEEPALIVED.md §5.3 in its order, with its
//! counters) and the packets the instances' outputs turn into. Sans-IO.
//!
//! Calling order: [`Engine::new`], [`Engine::start`], then in time order any
//! of [`Engine::handle_packet`] / [`Engine::handle_timeout`] /
//! [`Engine::shutdown`]; after each call drain [`Engine::poll_action`] and
//! sleep until [`Engine::poll_timeout`].
//!
//! Rejected packets never move an advert timer (keepalived restarts its
//! master's advert timer after any received packet, which lets a flood of
//! forged adverts silence a master: KEEPALIVED.md §13 item 22).
//!
//! Checksums of VRRPv3/IPv4 adverts: sent in the standard form (pseudo
//! header with the real destination), keepalived ≤ 1.3.6's old unicast form
//! (`old_unicast_checksum`, or after a unicast peer is seen using it) or,
//! with `v3_checksum_as_v2` (keepalived 2.2.8+), without a pseudo header.
//! Received adverts are accepted in the standard and the no-pseudo-header
//! form whatever the setting (the form each advert used is counted in the
//! instance's stats), the old form only from unicast peers and not with
//! `old_unicast_checksum never`; anything else is an invalid checksum.
//! (keepalived 2.2.8+ with `v3_checksum_as_v2` skips the check altogether;
//! we still reject a corrupted checksum.)
//!
//! GARPs / unsolicited NAs: [`Action::GarpBurst`] names the instance and the
//! repeat count; [`Engine::garp_addresses`] gives the frames' addresses and
//! interfaces, for [`super::garp::GarpPacer`].

use super::event::Event;
use super::garp::GarpTarget;
use super::instance::{Advert, Instance, Output, Params, State};
use super::priority::{Priority, TrackerKind, TrackerStatus};
use super::stats::Counter;
use super::timing::normalize_advert_int;
use super::wire::advert::{self, RxFamily};
use super::wire::ipv4::HeaderChecksum;
use super::wire::vrrp::{
    Auth, AuthType, ChecksumForm, Family, Kind, PseudoHeader, Version, VrrpPacket, VrrpRepr,
};
use crate::config::model::{self, Config};
use crate::time::{Duration, Instant};
use std::collections::{BTreeSet, HashMap, VecDeque};
use std::net::IpAddr;
use std::rc::Rc;

/// What the engine asks the I/O layer to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// Send `packet` on `ifname` to `dst`: IPv4 = the whole IP packet
    /// (IP_HDRINCL); IPv6 = the VRRP message (the kernel adds the header).
    Send {
        instance: usize,
        ifname: String,
        dst: IpAddr,
        packet: Vec<u8>,
    },
    AddAddresses {
        instance: usize,
    },
    RemoveAddresses {
        instance: usize,
    },
    /// `repeat` gratuitous ARPs / NAs for every VIP and eVIP: the addresses
    /// are [`Engine::garp_addresses`], the pacing [`super::garp::GarpPacer`].
    GarpBurst {
        instance: usize,
        repeat: u32,
    },
    Notify {
        instance: usize,
        state: State,
        priority: u8,
    },
    /// Shutdown of the instance (`notify_stop`, FIFO `STOP`).
    NotifyStop {
        instance: usize,
        priority: u8,
    },
    /// A sync group changed state (`GROUP "G1" MASTER 0`; STOP at shutdown).
    NotifyGroup {
        group: String,
        state: &'static str,
    },
    NotifyMasterRxLowerPri {
        instance: usize,
        priority: u8,
    },
    /// Removed by a reload (DELETED with `notify_deleted`, else FAULT).
    NotifyDeleted {
        instance: usize,
        priority: u8,
    },
    /// Reload of a MASTER: add these of its addresses (new in the
    /// configuration; the unchanged ones stay as they are).
    AddAddressList {
        instance: usize,
        addresses: Vec<model::IpAddress>,
    },
    /// Reload of a MASTER: remove these addresses, no longer configured.
    RemoveAddressList {
        instance: usize,
        addresses: Vec<model::IpAddress>,
    },
    Log(Event),
}

/// An instance's interface and configured addresses
/// ([`Engine::instance_addresses`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct InstanceAddresses<'a> {
    /// The instance's `interface`.
    pub ifname: &'a str,
    /// `virtual_ipaddress`, in configuration order.
    pub vips: &'a [model::IpAddress],
    /// `virtual_ipaddress_excluded`, in configuration order.
    pub evips: &'a [model::IpAddress],
}

/// Facts about interfaces the engine needs (from netlink in the daemon).
pub trait Interfaces {
    /// The address adverts are sent from: IPv4 primary / IPv6 link-local.
    fn source(&self, ifname: &str, family: Family) -> Option<IpAddr>;
}

/// One received packet.
#[derive(Clone, Debug)]
pub struct Received<'a> {
    pub ifname: &'a str,
    pub rx: RxFamily,
    pub bytes: &'a [u8],
}

/// What the engine keeps per instance besides the state machine.
#[derive(Debug)]
struct Meta {
    /// The instance's index in the configuration's instances (its
    /// interface and addresses are read there).
    cfg: usize,
    family: Family,
    version: Version,
    auth: Auth,
    group: IpAddr,
    ttl: u8,
    ip_id: u16,
    check_unicast_src: bool,
    skip_check_adv_addr: bool,
    /// The VRRPv3 checksum form we send (unicast: keepalived ≤ 1.3.6's old
    /// form after a peer is seen using it, or with `old_unicast_checksum`;
    /// `NoPseudoHeader` with `v3_checksum_as_v2`, which then never changes).
    send_form: ChecksumForm,
    /// `old_unicast_checksum never`: old-form adverts are invalid.
    old_checksum_never: bool,
    /// `notify_deleted`: a reload that removes the instance notifies even
    /// from FAULT (and says DELETED instead of FAULT).
    notify_deleted: bool,
}

/// A sync group: members go MASTER together, fall back together and are
/// FAULT together (KEEPALIVED.md §4.2).
#[derive(Debug)]
struct Group {
    name: String,
    members: Vec<usize>,
}

/// All instances of a configuration.
pub struct Engine {
    /// The configuration the instances were built from.
    cfg: Rc<Config>,
    inst: Vec<Instance>,
    meta: Vec<Meta>,
    groups: Vec<Group>,
    /// The group of each instance.
    group_of: Vec<Option<usize>>,
    actions: VecDeque<Action>,
    startup_delay: Duration,
    /// `log_unknown_vrids` (global_defs).
    log_unknown_vrids: bool,
    /// Instance by interface, then `[family][vrid]` (`NONE` when unused):
    /// a received packet finds its instance without a scan.
    by_vrid: HashMap<String, Box<[[u32; 256]; 2]>>,
    /// Every instance's next deadline, ordered, and the one filed for each
    /// instance (kept by [`Engine::reindex`] after every change), so the
    /// earliest deadline and the due instances are found without a scan.
    deadlines: BTreeSet<(Instant, usize)>,
    filed: Vec<Option<Instant>>,
    /// Instances due that [`Engine::handle_timeout_batch`] has yet to
    /// handle, the next last.
    due: Vec<usize>,
}

/// Room kept in the actions queue once it is drained (more, grown by a
/// burst, is given back).
const ACTIONS_KEPT: usize = 256;

/// No instance in [`Engine::by_vrid`].
const NONE: u32 = u32::MAX;

fn family_index(f: Family) -> usize {
    match f {
        Family::Ipv4 => 0,
        Family::Ipv6 => 1,
    }
}

fn family_of(i: &model::VrrpInstance) -> Family {
    if i.family == Some(model::Family::V6) {
        Family::Ipv6
    } else {
        Family::Ipv4
    }
}

impl Engine {
    /// Build the engine from a validated configuration (a copy of it is
    /// kept: [`Engine::with_config`] shares the caller's). Instances
    /// keepalived would not run (`disabled`) and those without an interface
    /// source address are left out.
    pub fn new(cfg: &Config, ifs: &dyn Interfaces) -> Engine {
        Engine::with_config(Rc::new(cfg.clone()), ifs)
    }

    /// [`Engine::new`], keeping `cfg` itself: the instances' interfaces and
    /// addresses are read there, not copied.
    pub fn with_config(cfg: Rc<Config>, ifs: &dyn Interfaces) -> Engine {
        let g = &cfg.global;
        let mut e = Engine {
            cfg: Rc::clone(&cfg),
            inst: Vec::new(),
            meta: Vec::new(),
            groups: Vec::new(),
            group_of: Vec::new(),
            actions: VecDeque::new(),
            startup_delay: Duration::from_micros(g.startup_delay_us),
            log_unknown_vrids: g.log_unknown_vrids,
            by_vrid: HashMap::new(),
            deadlines: BTreeSet::new(),
            filed: Vec::new(),
            due: Vec::new(),
        };
        for (index, c) in cfg.instances.iter().enumerate() {
            if c.disabled.is_some() {
                continue;
            }
            let (Some(ifname), Some(vrid)) = (c.interface.as_deref(), c.vrid) else {
                continue;
            };
            let family = family_of(c);
            let saddr = c
                .unicast_src_ip
                .or(c.mcast_src_ip)
                .or_else(|| ifs.source(ifname, family));
            let Some(saddr) = saddr else { continue };
            let version = if c.effective_version(g) == 3 {
                Version::V3
            } else {
                Version::V2
            };
            let (adver_int, _) = normalize_advert_int(
                c.effective_version(g),
                Duration::from_micros(c.advert_int_us),
            );
            let garp = c.garp;
            let gd = g.garp;
            let secs = |s: u32| Duration::from_secs(u64::from(s));
            let master_delay = garp.master_delay.unwrap_or(gd.master_delay);
            let master_repeat = garp.master_repeat.unwrap_or(gd.master_repeat);
            let p = Params {
                name: c.name.clone(),
                vrid,
                version: c.effective_version(g),
                adver_int,
                want_master: c.state == Some(model::InitialState::Master)
                    || c.base_priority() == 255,
                nopreempt: c.nopreempt,
                preempt_delay: Duration::from_micros(c.preempt_delay_us),
                down_timer_adverts: c.down_timer_adverts.unwrap_or(g.down_timer_adverts),
                lower_prio_no_advert: c.lower_prio_no_advert.unwrap_or(g.lower_prio_no_advert),
                higher_prio_send_advert: c
                    .higher_prio_send_advert
                    .unwrap_or(g.higher_prio_send_advert),
                garp_master_repeat: master_repeat,
                garp_master_delay: secs(master_delay),
                garp_lower_prio_repeat: garp
                    .lower_prio_repeat
                    .or(gd.lower_prio_repeat)
                    .unwrap_or(master_repeat),
                garp_lower_prio_delay: secs(
                    garp.lower_prio_delay
                        .or(gd.lower_prio_delay)
                        .unwrap_or(master_delay),
                ),
                garp_master_refresh: secs(garp.master_refresh.unwrap_or(gd.master_refresh)),
                garp_master_refresh_repeat: garp
                    .master_refresh_repeat
                    .unwrap_or(gd.master_refresh_repeat),
                saddr,
            };
            let auth = match (&c.auth, version, family) {
                (model::Auth::Pass(d), Version::V2, Family::Ipv4) => Auth {
                    kind: AuthType::Pass,
                    data: *d,
                },
                _ => Auth::NONE,
            };
            let group = c.mcast_dst_ip.unwrap_or(if family == Family::Ipv6 {
                g.mcast_group6
            } else {
                g.mcast_group4
            });
            e.meta.push(Meta {
                cfg: index,
                family,
                version,
                auth,
                group,
                ttl: if c.unicast_peers.is_empty() {
                    255
                } else {
                    c.unicast_ttl.unwrap_or(255)
                },
                ip_id: 0,
                check_unicast_src: c.check_unicast_src.unwrap_or(g.check_unicast_src),
                skip_check_adv_addr: c.skip_check_adv_addr.unwrap_or(g.skip_check_adv_addr),
                send_form: if c.v3_checksum_as_v2 == Some(true)
                    && version == Version::V3
                    && family == Family::Ipv4
                {
                    // keepalived 2.2.8+: this wins over old_unicast_checksum
                    ChecksumForm::NoPseudoHeader
                } else if c.old_unicast_checksum == Some(true) && !c.unicast_peers.is_empty() {
                    ChecksumForm::OldUnicast
                } else {
                    ChecksumForm::Standard
                },
                old_checksum_never: c.old_unicast_checksum == Some(false),
                notify_deleted: c.notify_deleted,
            });
            let mut prio = Priority::new(c.base_priority());
            let group = cfg
                .sync_groups
                .iter()
                .find(|sg| sg.members.contains(&c.name));
            let group_scripts = group
                .map(|sg| sg.track_scripts.as_slice())
                .unwrap_or_default();
            let group_ifs = group
                .map(|sg| sg.track_interfaces.as_slice())
                .unwrap_or_default();
            let group_files = group
                .map(|sg| sg.track_files.as_slice())
                .unwrap_or_default();
            for t in c.track_scripts.iter().chain(group_scripts) {
                prio.add_tracker(
                    TrackerKind::Script,
                    &t.name,
                    t.weight,
                    t.reverse,
                    TrackerStatus::Init,
                );
            }
            for t in c.track_interfaces.iter().chain(group_ifs) {
                prio.add_tracker(
                    TrackerKind::Interface,
                    &t.ifname,
                    t.weight,
                    t.reverse,
                    TrackerStatus::Up,
                );
            }
            for t in c.track_files.iter().chain(group_files) {
                prio.add_tracker(
                    TrackerKind::File,
                    &t.name,
                    t.weight,
                    t.reverse,
                    TrackerStatus::Value(0),
                );
            }
            prio.refresh();
            e.inst.push(Instance::new(p, prio));
        }
        // as many as were built (grown by doubling: up to twice that)
        e.inst.shrink_to_fit();
        e.meta.shrink_to_fit();
        for sg in &cfg.sync_groups {
            let members: Vec<usize> = sg
                .members
                .iter()
                .filter_map(|m| e.inst.iter().position(|i| &i.p.name == m))
                .collect();
            if members.len() > 1 {
                e.groups.push(Group {
                    name: sg.name.clone(),
                    members,
                });
            }
        }
        for g in &e.groups {
            for &m in &g.members {
                e.inst[m].grouped = true;
            }
        }
        for k in 0..e.inst.len() {
            let table = e
                .by_vrid
                .entry(e.ifname(k).to_string())
                .or_insert_with(|| Box::new([[NONE; 256]; 2]));
            let slot = &mut table[family_index(e.meta[k].family)][usize::from(e.inst[k].p.vrid)];
            if *slot == NONE {
                *slot = u32::try_from(k).unwrap_or(NONE);
            }
        }
        e.filed = vec![None; e.inst.len()];
        e.group_of = (0..e.inst.len())
            .map(|k| e.groups.iter().position(|g| g.members.contains(&k)))
            .collect();
        e
    }

    /// A tracker changed (script result, tracked interface, file value):
    /// every instance tracking it updates its priority and fault state.
    pub fn handle_tracker(
        &mut self,
        now: Instant,
        kind: TrackerKind,
        name: &str,
        status: TrackerStatus,
    ) {
        for k in 0..self.inst.len() {
            let Some(id) = self.inst[k].prio.find(kind, name) else {
                continue;
            };
            let before = self.inst[k].state;
            let u = self.inst[k].prio.set_status(id, status);
            if !u.is_noop() {
                self.inst[k].on_track_update(now, &u);
            }
            self.after_change(now, k, before);
        }
    }

    /// A tracker's value known before [`Engine::start`] (a track_file read
    /// at start-up): taken into the priorities silently, as keepalived
    /// reads the files before it computes the first priority. After start
    /// use [`Engine::handle_tracker`].
    pub fn preset_tracker(&mut self, kind: TrackerKind, name: &str, status: TrackerStatus) {
        for k in 0..self.inst.len() {
            if let Some(id) = self.inst[k].prio.find(kind, name) {
                let _ = self.inst[k].prio.set_status(id, status);
            }
        }
    }

    /// An interface's state known before [`Engine::start`] /
    /// [`Engine::adopt`]: the instances on it count a link fault while it is
    /// down and trackers of it take the state, silently.
    pub fn preset_link(&mut self, ifname: &str, up: bool) {
        for k in 0..self.inst.len() {
            if self.ifname(k) == ifname {
                self.inst[k].link_faults = u32::from(!up);
            }
        }
        let status = if up {
            TrackerStatus::Up
        } else {
            TrackerStatus::Down
        };
        self.preset_tracker(TrackerKind::Interface, ifname, status);
    }

    /// An interface went up or down (netlink): the instances on it enter or
    /// leave FAULT; tracked interfaces update like any tracker.
    pub fn handle_link(&mut self, now: Instant, ifname: &str, up: bool) {
        self.actions.push_back(Action::Log(Event::NetlinkReports {
            ifname: ifname.to_string(),
            up,
        }));
        for k in 0..self.inst.len() {
            if self.ifname(k) != ifname {
                continue;
            }
            let before = self.inst[k].state;
            self.inst[k].link_faults = u32::from(!up);
            self.inst[k].re_evaluate(now);
            self.after_change(now, k, before);
        }
        let status = if up {
            TrackerStatus::Up
        } else {
            TrackerStatus::Down
        };
        self.handle_tracker(now, TrackerKind::Interface, ifname, status);
    }

    /// One of a MASTER instance's VIPs/eVIPs was deleted from outside
    /// (netlink): it goes BACKUP with priority 0 and comes back after the
    /// skew time unless a peer claims the VRID (keepalived
    /// `set_vrrp_backup`); a sync group's members follow it to BACKUP.
    /// Anything but a MASTER, or an index out of range, is left alone.
    pub fn handle_vip_removed(&mut self, now: Instant, instance: usize) {
        let Some(i) = self.inst.get_mut(instance) else {
            return;
        };
        let before = i.state;
        i.on_vip_removed(now);
        self.after_change(now, instance, before);
    }

    /// keepalived `vrrp_sync_can_goto_master`: yes when the group is
    /// already MASTER, or when every other member wants MASTER too (prefer
    /// BACKUP to avoid thrashing).
    fn can_goto_master(&self, k: usize) -> bool {
        let Some(g) = self.group_of.get(k).copied().flatten() else {
            return true;
        };
        let members = &self.groups[g].members;
        members.iter().any(|&m| self.inst[m].state == State::Master)
            || members
                .iter()
                .all(|&m| m == k || self.inst[m].wantstate == State::Master)
    }

    /// Flush instance `k` and, when it changed state inside a sync group,
    /// bring the other members along (keepalived vrrp_sync_master/backup/fault).
    fn after_change(&mut self, now: Instant, k: usize, before: State) {
        self.flush_at(k, Some(now));
        let after = self.inst[k].state;
        let Some(g) = self.group_of.get(k).copied().flatten() else {
            return;
        };
        if before == after {
            return;
        }
        let word = match after {
            State::Master => "MASTER",
            State::Fault => "FAULT",
            State::Backup if before == State::Master => "BACKUP",
            _ => return,
        };
        let followers: Vec<usize> = self.groups[g]
            .members
            .iter()
            .copied()
            .filter(|&m| m != k && self.inst[m].state != after)
            .collect();
        if followers.is_empty() {
            return;
        }
        let group = self.groups[g].name.clone();
        self.actions
            .push_back(Action::Log(Event::GroupSyncing { group, state: word }));
        for m in followers {
            match after {
                State::Master => self.inst[m].sync_to_master(now),
                State::Fault => self.inst[m].enter_fault(now),
                _ => self.inst[m].sync_to_backup(now),
            }
            self.flush(m);
        }
        let group = self.groups[g].name.clone();
        self.actions
            .push_back(Action::NotifyGroup { group, state: word });
    }

    /// STATS_CLEAR: every instance's counters back to zero.
    pub fn clear_stats(&mut self) {
        for i in &mut self.inst {
            i.stats.clear();
        }
    }

    pub fn instances(&self) -> &[Instance] {
        &self.inst
    }

    /// The interface and the configured addresses of instance `instance`
    /// (what [`Action::AddAddresses`] / [`Action::RemoveAddresses`] act on);
    /// `None` for an index out of range.
    pub fn instance_addresses(&self, instance: usize) -> Option<InstanceAddresses<'_>> {
        let c = self.conf(instance)?;
        Some(InstanceAddresses {
            ifname: self.ifname(instance),
            vips: &c.vips,
            evips: &c.evips,
        })
    }

    /// The index in the configuration's instances of instance `k` (which
    /// must exist).
    pub fn config_index(&self, k: usize) -> usize {
        self.meta[k].cfg
    }

    /// The configuration of instance `k`.
    fn conf(&self, k: usize) -> Option<&model::VrrpInstance> {
        self.meta.get(k).map(|m| &self.cfg.instances[m.cfg])
    }

    /// The interface of instance `k` (every instance has one).
    fn ifname(&self, k: usize) -> &str {
        self.conf(k)
            .and_then(|c| c.interface.as_deref())
            .unwrap_or_default()
    }

    /// The frames of one round of [`Action::GarpBurst`] for instance
    /// `instance`, in keepalived's order (`vrrp_send_link_update`): every
    /// VIP, then every eVIP (keepalived 2.2.7 sends for all of them, IPv4
    /// as gratuitous ARP, IPv6 as unsolicited NA), each on its `dev` or else
    /// the instance's interface. A burst of `repeat` is this list `repeat`
    /// times over; hand it to [`super::garp::GarpPacer::burst`]. Whether an
    /// interface can ARP at all (IFF_NOARP) is for the sender to check.
    pub fn garp_addresses(&self, instance: usize) -> Vec<GarpTarget> {
        let Some(c) = self.conf(instance) else {
            return Vec::new();
        };
        let ifname = self.ifname(instance);
        c.vips
            .iter()
            .chain(&c.evips)
            .map(|a| GarpTarget {
                ifname: a.dev.as_deref().unwrap_or(ifname).to_string(),
                addr: a.addr,
            })
            .collect()
    }

    /// Start every instance.
    pub fn start(&mut self, now: Instant) {
        for g in &self.groups {
            self.actions.push_back(Action::NotifyGroup {
                group: g.name.clone(),
                state: "BACKUP",
            });
        }
        for k in 0..self.inst.len() {
            self.inst[k].start(now, self.startup_delay);
            self.flush(k);
        }
    }

    /// Expired timers of every instance, each once, the most overdue first
    /// (then in instance order): when a burst of adverts is due together,
    /// the ones waiting longest go out first.
    pub fn handle_timeout(&mut self, now: Instant) {
        while self.handle_timeout_batch(now, usize::MAX) {}
    }

    /// [`Engine::handle_timeout`] a few instances at a time: handles the
    /// expired timers of at most `max` of the instances due at the first
    /// call's `now` and says whether some are left. Call it again (the same
    /// or a later `now`: the time each batch is really handled at; no other
    /// input in between) until it returns false, draining
    /// [`Engine::poll_action`] between calls: the actions queue then holds
    /// one batch's adverts, not those of every instance at once.
    pub fn handle_timeout_batch(&mut self, now: Instant, max: usize) -> bool {
        if self.due.is_empty() {
            self.due = self
                .deadlines
                .range(..=(now, usize::MAX))
                .map(|&(_, k)| k)
                .collect();
            // popped from the end: the most overdue first
            self.due.reverse();
        }
        for _ in 0..max {
            let Some(k) = self.due.pop() else { break };
            if self.inst[k].next_deadline().is_some_and(|d| d <= now) {
                let before = self.inst[k].state;
                self.inst[k].on_timeout(now);
                self.after_change(now, k, before);
            }
        }
        if self.due.is_empty() {
            self.due = Vec::new();
            return false;
        }
        true
    }

    /// Stop: every MASTER sends priority 0 and removes its addresses.
    pub fn shutdown(&mut self) {
        for k in 0..self.inst.len() {
            self.inst[k].shutdown();
            self.flush(k);
        }
        for g in &self.groups {
            self.actions.push_back(Action::NotifyGroup {
                group: g.name.clone(),
                state: "STOP",
            });
        }
    }

    pub fn poll_action(&mut self) -> Option<Action> {
        let a = self.actions.pop_front();
        if a.is_none() && self.actions.capacity() > ACTIONS_KEPT {
            // a burst (start-up, reload) is over: its room goes back
            self.actions = VecDeque::new();
        }
        a
    }

    /// The earliest deadline of any instance.
    pub fn poll_timeout(&self) -> Option<Instant> {
        self.deadlines.first().map(|&(t, _)| t)
    }

    /// File instance `k`'s next deadline after a change.
    fn reindex(&mut self, k: usize) {
        let new = self.inst[k].next_deadline();
        if self.filed[k] != new {
            if let Some(old) = self.filed[k] {
                self.deadlines.remove(&(old, k));
            }
            if let Some(t) = new {
                self.deadlines.insert((t, k));
            }
            self.filed[k] = new;
        }
    }

    /// A packet read from a VRRP socket: find its instance by interface,
    /// family and VRID, check it as keepalived does, hand it to the instance.
    pub fn handle_packet(&mut self, now: Instant, r: &Received) {
        let Ok((ip, vrrp_bytes)) = advert::parse_ip_packet(r.bytes, r.rx) else {
            return;
        };
        let family = ip.family();
        let Some(vrid) = vrrp_bytes.get(1).copied() else {
            return;
        };
        let found = self
            .by_vrid
            .get(r.ifname)
            .map(|t| t[family_index(family)][usize::from(vrid)])
            .filter(|&k| k != NONE)
            .map(|k| k as usize);
        let Some(k) = found else {
            // keepalived drops it silently unless log_unknown_vrids
            if self.log_unknown_vrids {
                let ifname = r.ifname.to_string();
                self.actions
                    .push_back(Action::Log(Event::UnknownVrid { vrid, ifname }));
            }
            return;
        };
        if matches!(self.inst[k].state, State::Init | State::Fault) {
            self.inst[k].stats.count(Counter::IgnoredNotRunning);
            return;
        }
        match self.check(k, &ip, vrrp_bytes) {
            Ok(adv) => {
                self.inst[k].stats.count(Counter::AdvertRcvd);
                if adv.priority == 0 {
                    self.inst[k].stats.count(Counter::PriZeroRcvd);
                }
                let before = self.inst[k].state;
                self.inst[k].on_advert(now, &adv);
                self.after_change(now, k, before);
                return;
            }
            Err(e) => {
                if let Some(e) = e {
                    self.actions.push_back(Action::Log(e));
                }
            }
        }
        self.flush(k);
    }

    /// keepalived `vrrp_check_packet`, in its order; the counters it keeps.
    fn check(
        &mut self,
        k: usize,
        ip: &advert::IpHeaderInfo,
        bytes: &[u8],
    ) -> Result<Advert, Option<Event>> {
        let mine = (self.inst[k].p.adver_int.micros() / 1_000_000) as u32;
        let (master_addr, is_master) = (
            self.inst[k].master_addr,
            self.inst[k].state == State::Master,
        );
        let m = &self.meta[k];
        // its VIPs and unicast peers
        let c = &self.cfg.instances[m.cfg];
        let unicast = !c.unicast_peers.is_empty();
        // Disjoint borrows: counters to bump, the name (cloned only into an
        // error event: nothing is allocated for a valid advert).
        let inst = &mut self.inst[k];
        let (st, name) = (&mut inst.stats, &inst.p.name);
        let Ok(pkt) = VrrpPacket::new_checked(bytes, m.family) else {
            st.count(Counter::PacketLenErr);
            let expected = VrrpPacket::new_unchecked(bytes).expected_len(m.family);
            return Err(Some(Event::PacketTooShortLong {
                name: name.clone(),
                long: bytes.len() > expected,
                len: bytes.len(),
                expected,
            }));
        };
        if !unicast {
            if let Some(ttl) = ip.ttl.filter(|t| *t != 255) {
                st.count(Counter::IpTtlErr);
                return Err(Some(Event::InvalidTtl {
                    name: name.clone(),
                    got: ttl,
                    expected: 255,
                }));
            }
        }
        let ours = if m.version == Version::V3 { 3 } else { 2 };
        if pkt.version() != ours {
            st.count(Counter::VersionErr);
            return Err(Some(Event::WrongVersion {
                name: name.clone(),
                got: pkt.version(),
                expected: ours,
            }));
        }
        if m.version == Version::V2 && m.family == Family::Ipv4 {
            let at = pkt.auth_type();
            if at > 2 {
                st.count(Counter::InvalidAuthtype);
                return Err(Some(Event::InvalidAuthType {
                    name: name.clone(),
                    got: at,
                }));
            }
            if at != m.auth.kind as u8 {
                st.count(Counter::AuthtypeMismatch);
                return Err(Some(Event::AuthTypeMismatch {
                    name: name.clone(),
                    got: at,
                    expected: m.auth.kind as u8,
                }));
            }
            if m.auth.kind == AuthType::Pass
                && !ct_eq(&pkt.auth_data(m.family).unwrap_or([0; 8]), &m.auth.data)
            {
                st.count(Counter::AuthFailure);
                return Err(Some(Event::InvalidPasswd { name: name.clone() }));
            }
            if u32::from(pkt.adver_int()) != mine {
                st.count(Counter::AdvertIntervalMismatch);
                return Err(Some(Event::IntervalMismatch {
                    name: name.clone(),
                    mine_s: mine,
                    theirs_s: u32::from(pkt.adver_int()),
                }));
            }
        }
        if pkt.kind() != 1 {
            st.count(Counter::InvalidTypeRcvd);
            return Err(Some(Event::InvalidType {
                name: name.clone(),
                got: pkt.kind(),
                expected: 1,
            }));
        }
        let src = ip.src;
        // keepalived checks the addresses always as MASTER, and as BACKUP
        // unless skip_check_adv_addr and the sender is the known master.
        let check_addr = is_master || !(m.skip_check_adv_addr && master_addr == Some(src));
        if check_addr && usize::from(pkt.addr_count()) != c.vips.len() {
            st.count(Counter::AddrListErr);
            return Err(Some(Event::AddressCountMismatch {
                name: name.clone(),
                got: pkt.addr_count(),
                expected: c.vips.len() as u8,
            }));
        }
        if ip.check_total_len().is_err() {
            st.count(Counter::PacketLenErr);
            return Err(Some(Event::IpTotLenMismatch {
                name: name.clone(),
                tot_len: ip.total_len as u16,
                received: ip.received_len,
            }));
        }
        let form = pkt.verify_checksum(&ip.pseudo_header());
        match form {
            Some(ChecksumForm::Standard | ChecksumForm::NoPseudoHeader) => {}
            Some(ChecksumForm::OldUnicast) if unicast && !m.old_checksum_never => {}
            _ => {
                st.count(Counter::ChecksumErr);
                return Err(Some(Event::InvalidChecksum {
                    name: name.clone(),
                    version: ours,
                }));
            }
        }
        // Only VRRPv3/IPv4 has a choice of forms.
        if let Some(f) = form.filter(|_| m.version == Version::V3 && m.family == Family::Ipv4) {
            st.record_checksum_form(match f {
                ChecksumForm::Standard => super::stats::ChecksumForm::PseudoHeader,
                ChecksumForm::OldUnicast => super::stats::ChecksumForm::OldUnicast,
                ChecksumForm::NoPseudoHeader => super::stats::ChecksumForm::NoPseudoHeader,
            });
        }
        if unicast == ip.is_multicast() {
            st.count(Counter::AddrListErr);
            return Err(Some(Event::UnicastMismatch {
                name: name.clone(),
                expected_unicast: unicast,
            }));
        }
        if check_addr {
            if let Some(missing) = c
                .vips
                .iter()
                .map(|v| v.addr)
                .find(|v| !pkt.addresses(m.family).any(|a| a == *v))
            {
                st.count(Counter::AddrListErr);
                return Err(Some(Event::AddressNotPresent {
                    name: name.clone(),
                    vrid: pkt.vrid(),
                    addr: missing,
                }));
            }
        }
        if unicast && m.check_unicast_src && !c.unicast_peers.iter().any(|p| p.addr == src) {
            st.count(Counter::NotUnicastPeer);
            return Err(Some(Event::UnicastSourceNotPeer {
                name: name.clone(),
                from: src,
            }));
        }
        let interval = Duration::from_micros(match m.version {
            Version::V2 => u64::from(pkt.adver_int()) * 1_000_000,
            Version::V3 => u64::from(pkt.max_adver_int()) * 10_000,
        });
        // keepalived 2.2.7 follows a unicast peer that uses the old (<= 1.3.6)
        // VRRPv3 checksum, and says so once.
        if form == Some(ChecksumForm::OldUnicast)
            && self.meta[k].send_form == ChecksumForm::Standard
        {
            self.meta[k].send_form = ChecksumForm::OldUnicast;
            let name = self.inst[k].p.name.clone();
            self.actions
                .push_back(Action::Log(Event::OldUnicastChecksum { name }));
        }
        Ok(Advert {
            src,
            priority: pkt.priority(),
            interval,
        })
    }

    /// Turn an instance's outputs into actions (adverts into packets).
    fn flush(&mut self, k: usize) {
        self.flush_at(k, None);
    }

    /// [`Engine::flush`], deciding a sync-group member's wish to go MASTER
    /// when the time is known.
    fn flush_at(&mut self, k: usize, now: Option<Instant>) {
        // The outputs are taken out of the instance (a going MASTER adds
        // more, taken in turn): an idle instance keeps no queue allocated.
        loop {
            let mut out = std::mem::take(&mut self.inst[k].out);
            if out.is_empty() {
                break;
            }
            while let Some(o) = out.pop_front() {
                let a = match o {
                    Output::Advert { priority } => {
                        self.send_advert(k, priority);
                        continue;
                    }
                    Output::AddAddresses => Action::AddAddresses { instance: k },
                    Output::RemoveAddresses => Action::RemoveAddresses { instance: k },
                    Output::GarpBurst { repeat } => Action::GarpBurst {
                        instance: k,
                        repeat,
                    },
                    Output::Notify { state, priority } => Action::Notify {
                        instance: k,
                        state,
                        priority,
                    },
                    Output::NotifyMasterRxLowerPri { priority } => Action::NotifyMasterRxLowerPri {
                        instance: k,
                        priority,
                    },
                    Output::NotifyStop { priority } => Action::NotifyStop {
                        instance: k,
                        priority,
                    },
                    Output::NotifyDeleted { priority } => Action::NotifyDeleted {
                        instance: k,
                        priority,
                    },
                    Output::WantMaster => {
                        if let Some(now) = now {
                            if self.can_goto_master(k) {
                                self.inst[k].go_master(now);
                            } else {
                                self.inst[k].hold_backup(now);
                            }
                        }
                        continue;
                    }
                    Output::Log(e) => Action::Log(e),
                };
                self.actions.push_back(a);
            }
        }
        self.reindex(k);
    }

    /// The advert of instance `k` with `priority`, one per destination
    /// (multicast group or each unicast peer; all copies share one IP ID).
    fn send_advert(&mut self, k: usize, priority: u8) {
        let saddr = self.inst[k].p.saddr;
        let vrid = self.inst[k].p.vrid;
        let adver_int = self.inst[k].p.adver_int;
        let ifname = self.ifname(k).to_string();
        let m = &mut self.meta[k];
        let c = &self.cfg.instances[m.cfg];
        m.ip_id = m.ip_id.wrapping_add(1).max(1);
        let interval = match m.version {
            Version::V2 => (adver_int.micros() / 1_000_000) as u16,
            Version::V3 => (adver_int.micros() / 10_000) as u16,
        };
        let repr = VrrpRepr {
            version: m.version,
            kind: Kind::Advertisement,
            vrid,
            priority,
            interval,
            auth: m.auth,
            addresses: c.vips.iter().map(|a| a.addr).collect(),
        };
        let dsts: Vec<IpAddr> = if c.unicast_peers.is_empty() {
            vec![m.group]
        } else {
            c.unicast_peers.iter().map(|p| p.addr).collect()
        };
        for dst in dsts {
            let packet = match (saddr, dst) {
                (IpAddr::V4(s), IpAddr::V4(d)) => {
                    let ip = advert::advert_ipv4_header(s, d, m.ttl, m.ip_id);
                    let mut buf = vec![0u8; advert::ipv4_advert_len(&repr)];
                    advert::emit_ipv4_advert(
                        &ip,
                        &repr,
                        m.send_form,
                        HeaderChecksum::Compute,
                        &mut buf,
                    );
                    buf
                }
                (IpAddr::V6(s), IpAddr::V6(d)) => {
                    let mut buf = vec![0u8; repr.buffer_len(Family::Ipv6)];
                    let ph = PseudoHeader::V6 { src: s, dst: d };
                    repr.emit(
                        &mut VrrpPacket::new_unchecked(&mut buf[..]),
                        &ph,
                        ChecksumForm::Standard,
                    );
                    buf
                }
                _ => continue,
            };
            self.actions.push_back(Action::Send {
                instance: k,
                ifname: ifname.clone(),
                dst,
                packet,
            });
        }
    }
}

/// Constant-time comparison of the 8 password bytes (keepalived does too).
fn ct_eq(a: &[u8; 8], b: &[u8; 8]) -> bool {
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A fixed source per interface, for tests and simulations.
pub struct StaticInterfaces(pub Vec<(String, IpAddr)>);

impl Interfaces for StaticInterfaces {
    fn source(&self, ifname: &str, family: Family) -> Option<IpAddr> {
        self.0
            .iter()
            .find(|(n, a)| n == ifname && Family::of(a) == family)
            .map(|(_, a)| *a)
    }
}

mod reload;
pub use reload::ReloadPlan;

#[cfg(test)]
mod tests;
