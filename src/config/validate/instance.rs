//! keepalived 2.2.7 `vrrp_complete_instance`: per-instance defaults and
//! checks once the whole file is read, in keepalived's order and words.
//!
//! Effective values are written back into the model (`strict_mode`,
//! `version`, `family`, `priority`, `state`, `accept`, `mcast_dst_ip`,
//! `down_timer_adverts`, GARP lower-priority values, `smtp_alert`, ...), so
//! that every `Option` keepalived defaults here is `Some` afterwards.

use super::V;
use crate::config::diag::ErrClass;
use crate::config::model::{Auth, Family, InitialState, IpAddress, VrrpInstance};
use std::net::IpAddr;

/// keepalived's `TIMER_HZ` (microseconds per second).
const HZ: u64 = 1_000_000;
/// `TIMER_CENTI_HZ`.
const CENTI_HZ: u64 = 10_000;
/// `DEFAULT_MTU` (the host facts give no MTU).
const DEFAULT_MTU: usize = 1500;
/// `VRRP_MAX_ADDR`: the address count is an 8-bit field.
const VRRP_MAX_ADDR: usize = 255;
/// `VRRP_DOWN_TIMER_ADVERTS`.
const DOWN_TIMER_ADVERTS: u32 = 3;

/// `ipaddresstos`: the address, with `/prefix` unless a host prefix.
pub(crate) fn ipaddresstos(a: &IpAddress) -> String {
    let host = if a.addr.is_ipv4() { 32 } else { 128 };
    if a.prefix == host {
        a.addr.to_string()
    } else {
        format!("{}/{}", a.addr, a.prefix)
    }
}

fn is_link_local6(a: &IpAddr) -> bool {
    matches!(a, IpAddr::V6(v) if v.segments()[0] & 0xffc0 == 0xfe80)
}

/// Complete instance `i`; false when keepalived's VRRP process stops.
/// `nft_table`: a firewall table is configured or was already defaulted.
pub(crate) fn complete_instance(v: &mut V<'_>, i: usize, nft_table: &mut bool) -> bool {
    let g = v.cfg.global.clone();
    let ifp = v.ifp(i);
    let if_info = ifp.as_deref().and_then(|n| v.host.interface(n));
    let sync = v.cfg.instances[i]
        .sync_group
        .as_ref()
        .and_then(|n| v.cfg.sync_groups.iter().find(|s| &s.name == n))
        .map(|s| (s.tracking_weight, s.notify_priority_changes));
    let mut msgs = Queue::default();
    let mut fault: Option<String> = None;
    let mut delays = std::mem::take(&mut v.cfg.interface_delays);

    let ok = {
        let inst = &mut v.cfg.instances[i];
        let mut c = Cx {
            inst,
            msgs: &mut msgs,
            fault: &mut fault,
        };
        c.run(&g, ifp.as_deref(), if_info, sync, nft_table, &mut delays)
    };
    v.cfg.interface_delays = delays;

    for (class, m) in msgs.0 {
        match class {
            Some(class) => v.err(class, m),
            None => v.log(m),
        };
    }
    if let Err(why) = ok {
        v.stop(Some(i), why);
        return false;
    }
    if let Some(f) = fault {
        let d = &mut v.cfg.instances[i].disabled;
        if d.is_none() {
            **d = Some(f);
        }
    }
    true
}

/// Messages of one instance in order: a report class, or `None` for a log line.
#[derive(Default)]
struct Queue(Vec<(Option<ErrClass>, String)>);

impl Queue {
    fn push(&mut self, m: (ErrClass, String)) {
        self.0.push((Some(m.0), m.1));
    }
    fn push_log(&mut self, m: String) {
        self.0.push((None, m));
    }
}

/// One instance being completed (messages are queued, then reported).
struct Cx<'a> {
    inst: &'a mut VrrpInstance,
    msgs: &'a mut Queue,
    fault: &'a mut Option<String>,
}

impl Cx<'_> {
    fn err(&mut self, m: String) {
        self.msgs.push((ErrClass::GeneralError, m));
    }

    /// keepalived `num_config_faults++`: the instance stays in FAULT.
    fn set_fault(&mut self, m: &str) {
        if self.fault.is_none() {
            *self.fault = Some(m.to_string());
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn run(
        &mut self,
        g: &crate::config::model::GlobalDefs,
        ifp: Option<&str>,
        if_info: Option<crate::config::host::IfInfo>,
        sync: Option<(bool, Option<bool>)>,
        nft_table: &mut bool,
        delays: &mut [(String, u64, u64)],
    ) -> Result<(), String> {
        let name = self.inst.name.clone();
        let strict = self.inst.strict_mode.unwrap_or(g.vrrp_strict);
        self.inst.strict_mode = Some(strict);

        if self.inst.family == Some(Family::V6) {
            if self.inst.version == Some(2) && strict {
                self.err(format!(
                    "({name}) cannot use IPv6 with VRRP version 2; setting version 3"
                ));
                self.inst.version = Some(3);
            } else if self.inst.version.is_none() {
                self.inst.version = Some(3);
            }
        }
        // Default to IPv4 (only possible with no VIPs).
        let family = *self.inst.family.get_or_insert(Family::V4);
        let v6 = family == Family::V6;
        let version = *self
            .inst
            .version
            .get_or_insert(if v6 { 3 } else { g.vrrp_version });

        if !v6 && self.inst.unicast_ttl.is_none() {
            self.inst.unicast_ttl = Some(255);
        }

        if self.inst.vips.is_empty() {
            if version == 3 || strict {
                let m = format!("({name}) No VIP specified; at least one is required");
                self.err(m.clone());
                return Err(m);
            }
            self.err(format!(
                "({name}) No VIP specified; at least one is sensible"
            ));
        }

        // Priority from the initial state, then the state from the priority.
        let prio = self
            .inst
            .priority
            .unwrap_or(if self.inst.state == Some(InitialState::Master) {
                255
            } else {
                100
            });
        self.inst.priority = Some(prio);
        let owner_state = if prio == 255 {
            InitialState::Master
        } else {
            InitialState::Backup
        };
        match self.inst.state {
            None => self.inst.state = Some(owner_state),
            Some(s) if strict && (s == InitialState::Master) != (prio == 255) => {
                self.err(format!(
                    "({name}) State MASTER must match being address owner"
                ));
                self.inst.state = Some(owner_state);
            }
            Some(_) => {}
        }

        // Authentication.
        let auth_set = !matches!(self.inst.auth, Auth::None);
        let (is_ah, no_pass) = match &self.inst.auth {
            Auth::None => (false, false),
            Auth::Pass(p) => (false, p[0] == 0),
            Auth::Ah(p) => (true, p[0] == 0),
        };
        if strict && auth_set {
            self.err(format!(
                "({name}) Strict mode does not support authentication. Ignoring."
            ));
            self.inst.auth = Auth::None;
        } else if version == 3 && auth_set {
            self.err(format!(
                "({name}) VRRP version 3 does not support authentication. Ignoring."
            ));
            self.inst.auth = Auth::None;
        } else if auth_set && no_pass {
            self.err(format!(
                "({name}) Authentication specified but no password given. Ignoring"
            ));
            self.inst.auth = Auth::None;
        } else if v6 && is_ah {
            self.err(format!(
                "({name}) Cannot use AH authentication with IPv6. ignoring"
            ));
            self.inst.auth = Auth::None;
        } else if is_ah && self.inst.state == Some(InitialState::Master) && prio != 255 {
            self.err(format!(
                "({name}) Initial state master is incompatible with AH authentication - clearing"
            ));
            self.inst.state = Some(InitialState::Backup);
        }

        // (2.2.7's "Unicast peers are not supported in strict mode" and
        // "Unicast instances must have unicast_src_ip or interface" cannot
        // trigger: the unicast flag is only set below, and an instance
        // without an interface was refused by chk_min_cfg.)

        let mut unicast = false;
        if self.inst.unicast_configured {
            if !self.inst.unicast_peers.is_empty() {
                unicast = true;
            } else if self.inst.unicast_fault_no_peer {
                let m =
                    format!("({name}) Cannot use unicast without any peers - going to fault state");
                self.msgs.push_log(m.clone());
                self.set_fault(&m);
            } else {
                self.msgs.push((
                    ErrClass::Deprecated,
                    format!(
                        "({name}) A unicast keyword has been specified without any unicast peers. Defaulting to multicast. This usage is deprecated - please update your configuration."
                    ),
                ));
            }
        }

        // VMAC MAC address under strict mode.
        if strict {
            if let Some((_, mac @ Some(_))) = &mut self.inst.use_vmac {
                *mac = None;
                self.err(format!(
                    "({name}): cannot specify MAC address with strict mode - clearing"
                ));
            }
        }

        if let (Some(ifname), Some(info)) = (ifp, if_info) {
            if !info.multicast && !unicast {
                let m = format!(
                    "({name}) interface {ifname} does not support multicast, specify unicast peers - disabling"
                );
                self.err(m.clone());
                self.set_fault(&m);
            }
        }

        // The first IPv6 VIP must be link local (multicast).
        if v6 && !unicast {
            if let Some(first) = self.inst.vips.first() {
                if !is_link_local6(&first.addr) {
                    if strict {
                        self.err(format!(
                            "({name}) the first IPv6 VIP address must be link local"
                        ));
                    } else {
                        self.msgs.push_log(format!(
                            "({name}) the first IPv6 VIP address should be link local"
                        ));
                    }
                }
            }
        }

        // keepalived: a vrf needs a unicast instance without an interface.
        if self.inst.vrf.is_some() && (ifp.is_some() || !unicast) {
            let how = if ifp.is_some() {
                "out interface"
            } else {
                " unicast"
            };
            self.err(format!(
                "({name}) vrf can only be specified with{how} - clearing"
            ));
            self.inst.vrf.reset();
        }

        // VIPs that do not fit in an advert become eVIPs.
        let mtu = DEFAULT_MTU;
        let mut max_addr = if !v6 {
            let mut hdr = 14 + 20 + 8;
            if version == 2 {
                hdr += 8;
                if matches!(self.inst.auth, Auth::Ah(_)) {
                    hdr += 24;
                }
            }
            (mtu - hdr) / 4
        } else {
            (mtu - (14 + 40 + 8)) / 16
        };
        max_addr = max_addr.min(VRRP_MAX_ADDR);
        if self.inst.vips.len() > max_addr {
            self.err(format!(
                "({name}) Number of VIPs ({}) exceeds maximum/space available in packet (max {max_addr} addresses) - excess moved to eVIPs",
                self.inst.vips.len()
            ));
            let excess = self.inst.vips.split_off(max_addr);
            self.inst.evips.extend(excess);
        }

        if prio == 255 && self.inst.nopreempt {
            self.err(format!(
                "({name}) nopreempt is incompatible with priority 255. resetting nopreempt"
            ));
            self.inst.nopreempt = false;
        }

        if self.inst.state == Some(InitialState::Master) {
            if self.inst.nopreempt {
                self.err(format!("({name}) Warning - nopreempt will not work with initial state MASTER - clearing"));
                self.inst.nopreempt = false;
            }
            if self.inst.preempt_delay_us != 0 {
                self.err(format!("({name}) Warning - preempt delay will not work with initial state MASTER - clearing"));
                self.inst.preempt_delay_us = 0;
            }
        }
        if self.inst.preempt_delay_us != 0 {
            if strict {
                self.err(format!(
                    "({name}) preempt_delay is incompatible with strict mode - resetting"
                ));
                self.inst.preempt_delay_us = 0;
            }
            if self.inst.nopreempt {
                self.err(format!(
                    "({name}) preempt_delay is incompatible with nopreempt mode - resetting"
                ));
                self.inst.preempt_delay_us = 0;
            }
        }

        let mut dta = self.inst.down_timer_adverts.unwrap_or(g.down_timer_adverts);
        if dta != DOWN_TIMER_ADVERTS && strict {
            self.err(format!(
                "({name}) down_timer_adverts is incompatible with strict mode - resetting"
            ));
            dta = DOWN_TIMER_ADVERTS;
        }
        self.inst.down_timer_adverts = Some(dta);

        // Accept mode.
        let mut accept = self
            .inst
            .accept
            .unwrap_or(if prio == 255 { true } else { !strict });
        if accept && prio != 255 && strict && version == 2 {
            self.err(format!("({name}) warning - accept mode for VRRP version 2 does not comply with RFC3768 - resetting"));
            accept = false;
        }
        self.inst.accept = Some(accept);
        if (!accept || self.inst.use_vmac.is_some()) && !*nft_table {
            self.msgs.push_log("use_vmac or no_accept/strict specified, but no firewall configured - using nftables".into());
            *nft_table = true;
        }

        // Multicast group.
        if !unicast && self.inst.mcast_dst_ip.is_none() {
            self.inst.mcast_dst_ip = Some(if v6 { g.mcast_group6 } else { g.mcast_group4 });
        } else if unicast && self.inst.mcast_dst_ip.is_some() {
            self.err(format!(
                "({name}) multicast destination specified with unicast - ignoring"
            ));
            self.inst.mcast_dst_ip = None;
        }

        // GARP / advert behaviour towards lower priorities.
        let gl = &mut self.inst.garp;
        let mut strict_msgs = Vec::new();
        match gl.lower_prio_repeat {
            None => {
                gl.lower_prio_repeat = Some(if strict {
                    0
                } else {
                    g.garp.lower_prio_repeat.unwrap_or(g.garp.master_repeat)
                })
            }
            Some(r) if strict && r != 0 => {
                strict_msgs.push(format!(
                    "({name}) Strict mode requires no repeat garps. resetting"
                ));
                gl.lower_prio_repeat = Some(0);
            }
            Some(_) => {}
        }
        match gl.lower_prio_delay {
            None => {
                gl.lower_prio_delay = Some(if strict {
                    0
                } else {
                    g.garp.lower_prio_delay.unwrap_or(g.garp.master_delay)
                })
            }
            Some(d) if strict && d != 0 => {
                strict_msgs.push(format!(
                    "({name}) Strict mode requires no repeat garp delay. resetting"
                ));
                gl.lower_prio_delay = Some(0);
            }
            Some(_) => {}
        }
        for m in strict_msgs {
            self.err(m);
        }
        match self.inst.lower_prio_no_advert {
            None => self.inst.lower_prio_no_advert = Some(strict || g.lower_prio_no_advert),
            Some(false) if strict => {
                self.err(format!(
                    "({name}) Strict mode requires no lower priority advert. resetting"
                ));
                self.inst.lower_prio_no_advert = Some(true);
            }
            Some(_) => {}
        }
        match self.inst.higher_prio_send_advert {
            None => self.inst.higher_prio_send_advert = Some(!strict && g.higher_prio_send_advert),
            Some(true) if strict => {
                self.err(format!(
                    "({name}) strict mode requires higher_prio_send_advert to be clear. resetting"
                ));
                self.inst.higher_prio_send_advert = Some(false);
            }
            Some(_) => {}
        }

        if self.inst.smtp_alert.is_none() {
            self.inst.smtp_alert = Some(g.smtp_alert_vrrp.or(g.smtp_alert).unwrap_or(false));
        }
        if self.inst.notify_priority_changes.is_none() {
            let from_group = sync.and_then(|(_, n)| n);
            self.inst.notify_priority_changes =
                Some(from_group.unwrap_or(g.notify_priority_changes));
        }

        // Advert interval.
        let mut adv = self.inst.advert_int_us;
        if adv == 0 {
            adv = HZ;
        }
        if version == 2 {
            if adv >= 256 * HZ {
                self.err(format!(
                    "({name}) VRRPv2 advertisement interval {:.2}s is out of range. Must be less than 256s. Setting to 255s",
                    adv as f64 / HZ as f64
                ));
                adv = 255 * HZ;
            } else if adv % HZ != 0 {
                self.err(format!(
                    "({name}) VRRPv2 advertisement interval {:.6}s must be an integer. rounding",
                    adv as f64 / HZ as f64
                ));
                adv += HZ / 2;
                adv -= adv % HZ;
                if adv == 0 {
                    adv = HZ;
                }
            }
        } else if adv >= 4096 * CENTI_HZ {
            self.err(format!(
                "({name}) VRRPv3 advertisement interval {:.2}s is out of range. Must be less than 40.96s. Setting to 40.95s",
                adv as f64 / HZ as f64
            ));
            adv = 4095 * CENTI_HZ;
        } else if adv % CENTI_HZ != 0 {
            self.err(format!(
                "({name}) VRRPv3 advertisement interval {:.6}s must be in units of 10ms - rounding",
                adv as f64 / HZ as f64
            ));
            adv += CENTI_HZ / 2;
            adv -= adv % CENTI_HZ;
            if adv == 0 {
                adv = CENTI_HZ;
            }
        }
        self.inst.advert_int_us = adv;

        // Interface up/down debounce delays against the advert interval.
        if let Some(ifname) = ifp {
            if let Some(d) = delays.iter_mut().find(|d| d.0 == ifname) {
                if dta == 1 {
                    if d.1 != 0 || d.2 != 0 {
                        self.msgs.push_log(format!("{name}: cannot use debounce timers with down_timer_adverts = 1 - resetting"));
                        d.1 = 0;
                        d.2 = 0;
                    }
                } else {
                    let limit = u64::from(dta - 1) * adv;
                    if d.1 >= limit || d.2 >= limit {
                        if d.1 >= limit {
                            d.1 = limit - adv / 256;
                        }
                        if d.2 >= limit {
                            d.2 = limit - adv / 256;
                        }
                        self.msgs.push_log(format!(
                            "{name}: interface {ifname} debounce timer(s) not less that {} * advert_int - resetting",
                            dta - 1
                        ));
                    }
                }
            }
        }

        // track_src_ip needs a configured source address.
        if self.inst.unicast_src_ip.is_none() && self.inst.mcast_src_ip.is_none() {
            self.inst.track_src_ip = false;
        }

        // VMAC / ipvlan.
        let vmac = self.inst.use_vmac.is_some();
        if vmac || self.inst.use_ipvlan {
            if vmac && strict && self.inst.vmac_xmit_base {
                self.err(format!(
                    "({name}) xmit_base is incompatible with strict mode - resetting"
                ));
                self.inst.vmac_xmit_base = false;
            }
            if self.inst.promote_secondaries {
                self.err(format!(
                    "({name}) promote_secondaries is automatically set for vmacs - ignoring"
                ));
                self.inst.promote_secondaries = false;
            }
        }

        // The own interface is tracked anyway.
        if let Some(ifname) = ifp {
            let before = std::mem::take(&mut self.inst.track_interfaces);
            for t in before {
                if t.ifname == ifname {
                    self.err(format!(
                        "({name}) Ignoring track_interface {ifname} since own interface"
                    ));
                } else {
                    self.inst.track_interfaces.push(t);
                }
            }
        }

        if self.inst.vmac_xmit_base && !vmac {
            self.err(format!("({name}) vmac_xmit_base is only valid with a vmac"));
            self.inst.vmac_xmit_base = false;
        }

        // use_vmac on VIPs / eVIPs.
        let use_vmac_addr = self.inst.use_vmac_addr;
        let mut vip_msgs = Vec::new();
        // (an instance without eVIPs keeps its list unset)
        let evips = self.inst.evips.as_set_mut().map(Vec::as_mut_slice);
        for list in [self.inst.vips.as_mut_slice(), evips.unwrap_or_default()] {
            for a in list.iter_mut() {
                if !a.use_vmac {
                    continue;
                }
                a.use_vmac = false;
                let a_v6 = a.addr.is_ipv6();
                let own_dev = a.dev.is_none() || a.dev.as_deref() == ifp;
                if own_dev && vmac && a_v6 == v6 {
                    vip_msgs.push(format!(
                        "({name}) use_vmac specified for VIP/eVIP {} and vrrp instance",
                        ipaddresstos(a)
                    ));
                } else if (!own_dev || a_v6 != v6) && use_vmac_addr {
                    vip_msgs.push(format!(
                        "({name}) use_vmac_addr specified and use_vmac specified for VIP/eVIP {}",
                        ipaddresstos(a)
                    ));
                } else {
                    a.use_vmac = true;
                }
            }
        }
        for m in vip_msgs {
            self.err(m);
        }

        if self.inst.vips.is_empty() {
            if version == 3 || v6 || strict {
                let m = format!("({name}) No VIP specified; at least one is required");
                self.err(m.clone());
                return Err(m);
            }
            self.msgs.push((
                ErrClass::Warning,
                format!("({name}) No VIP specified; at least one is sensible"),
            ));
        }

        // No weights in a sync group (unless sync_group_tracking_weight), none
        // at all for an address owner.
        let in_sync_no_weight = sync.is_some_and(|(tw, _)| !tw);
        if in_sync_no_weight || prio == 255 {
            let why = if in_sync_no_weight {
                "SYNC group"
            } else {
                "address owner"
            };
            let why_ = if in_sync_no_weight {
                "SYNC group"
            } else {
                "address_owner"
            };
            let before = std::mem::take(&mut self.inst.track_interfaces);
            for mut t in before {
                if t.weight != 0 {
                    self.err(format!(
                        "({name}) ignoring {} tracked interface {}due to {why}",
                        t.ifname,
                        if in_sync_no_weight { "weight " } else { "" }
                    ));
                    if in_sync_no_weight {
                        t.weight = 0;
                    } else {
                        continue;
                    }
                }
                self.inst.track_interfaces.push(t);
            }
            let before = std::mem::take(&mut self.inst.track_scripts);
            for t in before {
                if t.weight != 0 {
                    self.err(format!(
                        "({name}) ignoring tracked script {} with weights due to {why_}",
                        t.name
                    ));
                    continue;
                }
                self.inst.track_scripts.push(t);
            }
            let before = std::mem::take(&mut self.inst.track_files);
            for mut t in before {
                if t.weight == 1 {
                    self.err(format!("({name}) ignoring weight from tracked file {} due to {why_}. specify weight 0", t.name));
                    t.weight = 0;
                } else if t.weight != 0 {
                    self.err(format!(
                        "({name}) ignoring tracked file {} with weight {} due to {why_}",
                        t.name, t.weight
                    ));
                    continue;
                }
                self.inst.track_files.push(t);
            }
            let before = std::mem::take(&mut self.inst.track_bfds);
            for t in before {
                if t.weight != 0 {
                    self.err(format!(
                        "({name}) ignoring tracked bfd {} with weight {} due to {why_}",
                        t.name, t.weight
                    ));
                    continue;
                }
                self.inst.track_bfds.push(t);
            }
        }

        // (Unreachable after the above, kept as keepalived has it.)
        if prio == 255 {
            let before = std::mem::take(&mut self.inst.track_scripts);
            for t in before {
                if t.weight != 0 {
                    self.err(format!(
                        "({name}) Cannot have weighted track script '{}' with priority 255",
                        t.name
                    ));
                    continue;
                }
                self.inst.track_scripts.push(t);
            }
        }
        Ok(())
    }
}
