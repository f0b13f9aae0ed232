//! Reload (SIGHUP): the running engine hands its state to one built from the
//! new configuration, as keepalived's `clear_diff_vrrp` / `restore_vrrp_state`
//! do (KEEPALIVED.md §8.1).
//!
//! Calling order, with the I/O layer between the steps:
//! 1. [`Engine::advertise_masters`] on the running engine, before the new
//!    file is read (keepalived sends one advert per MASTER first, so a slow
//!    reload leaves no gap);
//! 2. build the new engine ([`Engine::new`]) and preset its trackers from
//!    the world (script results carried by name, links, files);
//! 3. [`Engine::plan_reload`]: which running instance becomes which new one;
//! 4. [`Engine::release_unmatched`] on the running engine, and carry out its
//!    actions with the *old* configuration (notify scripts of a removed
//!    instance are the old ones);
//! 5. [`Engine::adopt`] on the new engine, consuming the old one; carry out
//!    its actions with the new configuration.

use super::{Action, Engine, Meta, family_index};
use crate::config::model;
use crate::time::{Duration, Instant};
use crate::vrrp::instance::State;
use crate::vrrp::wire::vrrp::ChecksumForm;
use std::collections::HashMap;
use std::net::IpAddr;
use std::rc::Rc;

/// Which new instance each running instance becomes (`None`: removed), and
/// which new instances are new.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReloadPlan {
    /// Running instance → new instance.
    pub old_to_new: Vec<Option<usize>>,
    /// New instance → the running instance it replaces.
    pub new_to_old: Vec<Option<usize>>,
}

/// keepalived `vrrp_exist`: VRID, family, interface, unicast or not, then the
/// unicast source address or the multicast group. Not the name: a renamed
/// instance keeps its state.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Key {
    ifname: String,
    family: usize,
    vrid: u8,
    unicast: bool,
    /// Unicast: the source address; multicast: the group.
    addr: IpAddr,
}

/// The two instances advertise the same addresses, in the same order.
fn same_vips(a: &model::VrrpInstance, b: &model::VrrpInstance) -> bool {
    a.vips
        .iter()
        .map(|v| v.addr)
        .eq(b.vips.iter().map(|v| v.addr))
}

impl Engine {
    fn reload_key(&self, k: usize) -> Key {
        let m = &self.meta[k];
        let unicast = !self.cfg.instances[m.cfg].unicast_peers.is_empty();
        Key {
            ifname: self.ifname(k).to_string(),
            family: family_index(m.family),
            vrid: self.inst[k].p.vrid,
            unicast,
            addr: if unicast {
                self.inst[k].p.saddr
            } else {
                m.group
            },
        }
    }

    /// Step 1: every MASTER advertises now (its next advert an interval
    /// later), so that the time the new file takes to read and apply adds no
    /// gap on the wire. The one whose next advert is nearest goes first: with
    /// a thousand masters the burst takes milliseconds, and an advert already
    /// due must not wait behind the others. The daemon does this a batch at a
    /// time ([`Engine::masters_by_deadline`], [`Engine::advertise_now`]) with
    /// the clock read for each batch, as it handles timers.
    pub fn advertise_masters(&mut self, now: Instant) {
        for k in self.masters_by_deadline() {
            self.advertise_now(k, now);
        }
    }

    /// The MASTER instances, the nearest next deadline first.
    pub fn masters_by_deadline(&self) -> Vec<usize> {
        self.deadlines
            .iter()
            .map(|&(_, k)| k)
            .filter(|&k| self.inst[k].state == State::Master)
            .collect()
    }

    /// [`Engine::masters_by_deadline`] without those that advertised less
    /// than `recent` before `now` (their next advert is further than an
    /// interval minus `recent` away): an advert at once would only repeat it.
    pub fn masters_to_advertise(&self, now: Instant, recent: Duration) -> Vec<usize> {
        self.masters_by_deadline()
            .into_iter()
            .filter(|&k| {
                let i = &self.inst[k];
                i.timers
                    .get(crate::vrrp::timer::Timer::Advert)
                    .is_none_or(|t| t < now + i.p.adver_int.saturating_sub(recent))
            })
            .collect()
    }

    /// Instance `k`, if MASTER, advertises now; its next advert an interval
    /// later.
    pub fn advertise_now(&mut self, k: usize, now: Instant) {
        if self.inst.get(k).is_some_and(|i| i.state == State::Master) {
            self.inst[k].advertise_now(now);
            self.flush(k);
        }
    }

    /// Step 3: match the running instances (`self`) with those of `new`.
    pub fn plan_reload(&self, new: &Engine) -> ReloadPlan {
        let mut free: HashMap<Key, Vec<usize>> = HashMap::new();
        for j in (0..new.inst.len()).rev() {
            free.entry(new.reload_key(j)).or_default().push(j);
        }
        let mut old_to_new = vec![None; self.inst.len()];
        let mut new_to_old = vec![None; new.inst.len()];
        for (k, slot) in old_to_new.iter_mut().enumerate() {
            if let Some(j) = free.get_mut(&self.reload_key(k)).and_then(Vec::pop) {
                *slot = Some(j);
                new_to_old[j] = Some(k);
            }
        }
        ReloadPlan {
            old_to_new,
            new_to_old,
        }
    }

    /// Step 4: the running instances the new configuration no longer has
    /// release: a MASTER sends priority 0 and removes its addresses; each
    /// notifies DELETED (FAULT without `notify_deleted`), except one already
    /// in FAULT without `notify_deleted` (keepalived).
    pub fn release_unmatched(&mut self, plan: &ReloadPlan) {
        for k in 0..self.inst.len() {
            if plan.old_to_new.get(k).copied().flatten().is_some() {
                continue;
            }
            let notify = self.meta[k].notify_deleted || self.inst[k].state != State::Fault;
            self.inst[k].release(notify);
            self.flush(k);
        }
    }

    /// Step 5: this engine (built from the new configuration, trackers
    /// preset) takes over from `old`:
    /// * a matched instance that was MASTER or BACKUP keeps its state
    ///   ([`crate::vrrp::instance::Instance::adopt`]), its IP ID sequence and
    ///   a learnt checksum form; a MASTER removes the addresses no longer
    ///   configured ("no longer exist"), adds the new ones ("setting VIPs.")
    ///   with a GARP burst when there are any, and advertises at once when
    ///   its advert changed; then the new configuration's faults apply;
    /// * one that was FAULT and still has a fault stays FAULT, silently;
    /// * anything else, and every new instance, starts as at boot (without
    ///   removing addresses first).
    pub fn adopt(&mut self, now: Instant, old: Engine, plan: &ReloadPlan) {
        let Engine {
            cfg: old_cfg,
            inst: old_inst,
            meta: old_meta,
            ..
        } = old;
        let mut olds: Vec<Option<(crate::vrrp::instance::Instance, Meta)>> =
            old_inst.into_iter().zip(old_meta).map(Some).collect();
        for j in 0..self.inst.len() {
            let taken = plan
                .new_to_old
                .get(j)
                .copied()
                .flatten()
                .and_then(|k| olds.get_mut(k))
                .and_then(Option::take);
            let Some((oi, om)) = taken else {
                self.inst[j].start_without_removal(now, Duration::ZERO);
                self.flush(j);
                continue;
            };
            match oi.state {
                State::Master | State::Backup => {
                    let was_master = oi.state == State::Master;
                    let advert_changed = oi.priority() != self.inst[j].priority()
                        || !same_vips(
                            &old_cfg.instances[om.cfg],
                            &self.cfg.instances[self.meta[j].cfg],
                        )
                        || oi.p.adver_int != self.inst[j].p.adver_int
                        || om.auth != self.meta[j].auth
                        || om.version != self.meta[j].version;
                    self.carry_meta(j, &om);
                    self.inst[j].adopt(now, oi);
                    if was_master {
                        self.reconcile_addresses(j, &old_cfg.instances[om.cfg]);
                        if advert_changed {
                            self.inst[j].advertise_now(now);
                        }
                    }
                    self.inst[j].re_evaluate(now);
                }
                // the interface is the same: so is its link fault
                State::Fault if self.inst[j].faulted() || oi.link_faults > 0 => {
                    self.carry_meta(j, &om);
                    self.inst[j].adopt(now, oi);
                }
                State::Init | State::Fault => {
                    self.carry_meta(j, &om);
                    self.inst[j].stats = oi.stats;
                    self.inst[j].start_without_removal(now, Duration::ZERO);
                }
            }
            self.flush_at(j, Some(now));
        }
    }

    fn carry_meta(&mut self, j: usize, om: &Meta) {
        let unicast = !self.cfg.instances[self.meta[j].cfg]
            .unicast_peers
            .is_empty();
        let m = &mut self.meta[j];
        m.ip_id = om.ip_id;
        // keepalived follows a unicast peer that uses the old checksum; the
        // peer has not changed with our file.
        if om.send_form == ChecksumForm::OldUnicast
            && m.send_form == ChecksumForm::Standard
            && unicast
            && !m.old_checksum_never
        {
            m.send_form = ChecksumForm::OldUnicast;
        }
    }

    /// A MASTER across a reload: addresses the new configuration no longer
    /// has go ("no longer exist"), new ones are added and announced. `old`:
    /// the instance's running configuration.
    fn reconcile_addresses(&mut self, j: usize, old: &model::VrrpInstance) {
        let name = self.inst[j].p.name.clone();
        let cfg = Rc::clone(&self.cfg);
        let new = &cfg.instances[self.meta[j].cfg];
        let new_specs: Vec<&model::IpAddress> = new.vips.iter().chain(&new.evips).collect();
        let old_specs: Vec<&model::IpAddress> = old.vips.iter().chain(&old.evips).collect();
        let old_ifname = old.interface.clone().unwrap_or_default();
        let removed: Vec<model::IpAddress> = old_specs
            .iter()
            .filter(|a| !new_specs.contains(a))
            .map(|a| (*a).clone())
            .collect();
        let added: Vec<model::IpAddress> = new_specs
            .iter()
            .filter(|a| !old_specs.contains(a))
            .map(|a| (*a).clone())
            .collect();
        for a in &removed {
            self.actions
                .push_back(Action::Log(super::Event::AddressNoLongerExists {
                    name: name.clone(),
                    addr: a.addr,
                    prefix: a.prefix,
                    dev: a.dev.as_deref().unwrap_or(&old_ifname).to_string(),
                }));
        }
        if !removed.is_empty() {
            self.actions.push_back(Action::RemoveAddressList {
                instance: j,
                addresses: removed,
            });
        }
        self.actions
            .push_back(Action::Log(super::Event::SettingVips { name }));
        if !added.is_empty() {
            self.actions.push_back(Action::AddAddressList {
                instance: j,
                addresses: added,
            });
            let repeat = self.inst[j].p.garp_master_repeat;
            self.actions.push_back(Action::GarpBurst {
                instance: j,
                repeat,
            });
        }
    }
}

#[cfg(test)]
mod tests;
