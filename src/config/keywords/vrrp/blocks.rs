//! Root VRRP-side blocks: track_group, static_*, linkbeat, up/down delays,
//! vrrp_sync_group and garp_group.

#[allow(unused_imports)]
use super::*;

// ---------------------------------------------------------------- root blocks

pub(super) fn track_group(c: &mut C, w: &[String]) {
    if w.len() != 2 {
        c.err(GE, "track_group must have a name - skipping");
        c.skip_block(true);
        return;
    }
    if c.state.cfg.track_groups.contains(&w[1]) {
        c.err(GE, format!("track_group {} already defined", w[1]));
        c.skip_block(true);
        return;
    }
    c.state.cfg.track_groups.push(w[1].clone());
}

pub(super) fn track_group_group(c: &mut C, w: &[String]) {
    let items = c.value_block(w);
    if items.is_empty() {
        let g = c.state.cfg.track_groups.last().cloned().unwrap_or_default();
        c.err(
            GE,
            format!("Warning - track group {g} has empty group block"),
        );
    }
}

pub(super) fn static_ipaddress(c: &mut C, w: &[String]) {
    for item in c.value_block(w) {
        c.at(&item);
        if let Some(a) = ip_address(c, &item, true) {
            c.state.cfg.static_addresses.push(a);
        }
    }
}

pub(super) fn static_routes(c: &mut C, w: &[String]) {
    for item in c.value_block(w) {
        c.at(&item);
        if let Some(r) = route::route(c, &item, true) {
            c.state.cfg.static_routes.push(r);
        }
    }
}

pub(super) fn static_rules(c: &mut C, w: &[String]) {
    for item in c.value_block(w) {
        c.at(&item);
        if let Some(r) = rule::rule(c, &item, true) {
            c.state.cfg.static_rules.push(r);
        }
    }
}

pub(super) fn linkbeat_interfaces(c: &mut C, w: &[String]) {
    for item in c.value_block(w) {
        c.at(&item);
        if !interface_exists(c, &item[0]) {
            c.err(
                ErrClass::Fatal,
                format!(
                    "unknown interface {} specified for linkbeat interface",
                    item[0]
                ),
            );
            continue;
        }
        if item.len() > 1
            && (!matches!(item[1].as_str(), "MII" | "ETHTOOL" | "IOCTL") || item.len() > 2)
        {
            c.err(
                GE,
                format!("extra characters {} in linkbeat interface", item[1]),
            );
        }
        c.state.cfg.linkbeat_interfaces.push(item[0].clone());
    }
}

pub(super) fn up_down_delays(c: &mut C, w: &[String]) {
    for item in c.value_block(w) {
        c.at(&item);
        if !interface_exists(c, &item[0]) {
            c.err(
                ErrClass::Fatal,
                format!("unknown interface {} specified for up/down delay", item[0]),
            );
            continue;
        }
        if item.len() < 2 {
            c.log(format!(
                "No timeouts specified for {} up/down delays",
                item[0]
            ));
            continue;
        }
        if item.len() > 3 {
            c.log(format!(
                "Too many parameters for {} up/down delays",
                item[0]
            ));
        }
        let Some(down) = read_timer(c, &item[1], 0, 255 * HZ, true) else {
            c.log(format!("Invalid down delay {} for {}", item[1], item[0]));
            continue;
        };
        let up = if item.len() == 2 {
            0
        } else {
            match read_timer(c, &item[2], 0, 255 * HZ, true) {
                Some(u) => u,
                None => {
                    c.log(format!("Invalid up delay {} for {}", item[2], item[0]));
                    continue;
                }
            }
        };
        c.state
            .cfg
            .interface_delays
            .push((item[0].clone(), down, up));
    }
}

// ---------------------------------------------------------------- sync group

pub(super) fn sync_group(c: &mut C, w: &[String]) {
    if w.len() != 2 {
        c.err(GE, "vrrp_sync_group must have a name - skipping");
        c.skip_block(true);
        return;
    }
    if c.state.cfg.sync_groups.iter().any(|g| g.name == w[1]) {
        c.err(GE, format!("vrrp sync group {} already defined", w[1]));
        c.skip_block(true);
        return;
    }
    c.state.cfg.sync_groups.push(SyncGroup {
        name: w[1].clone(),
        ..Default::default()
    });
}

pub(super) fn group_members(c: &mut C, w: &[String]) {
    if !group(c).members.is_empty() {
        let g = group(c).name.clone();
        c.err(
            GE,
            format!("Group list already specified for sync group {g}"),
        );
        c.skip_block(true);
        return;
    }
    let items: Vec<String> = c.value_block(w).into_iter().flatten().collect();
    if items.is_empty() {
        let g = group(c).name.clone();
        c.err(
            GE,
            format!("Warning - sync group {g} has empty group block"),
        );
    }
    group(c).members = items;
}

pub(super) fn group_notify(c: &mut C, w: &[String]) {
    let g = group(c).name.clone();
    let kw = w[0].as_str();
    let already = {
        let n = &group(c).notify;
        match kw {
            "notify_backup" => n.backup.is_some(),
            "notify_master" => n.master.is_some(),
            "notify_fault" => n.fault.is_some(),
            "notify_stop" => n.stop.is_some(),
            _ => n.generic.is_some(),
        }
    };
    if already {
        let what = if kw == "notify" {
            "notify".to_string()
        } else {
            kw.to_string()
        };
        let Some(arg) = c.arg(w, 1) else { return };
        c.err(
            GE,
            format!("vrrp group {g}: {what} script already specified - ignoring {arg}"),
        );
        return;
    }
    let Some(s) = super::super::global::notify_script_init(c, "notify") else {
        return;
    };
    let n = &mut group(c).notify;
    match kw {
        "notify_backup" => n.backup = Some(s),
        "notify_master" => n.master = Some(s),
        "notify_fault" => n.fault = Some(s),
        "notify_stop" => n.stop = Some(s),
        _ => n.generic = Some(s),
    }
}

pub(super) fn group_smtp(c: &mut C, w: &[String]) {
    let mut v = true;
    if let Some(a) = w.get(1) {
        match check_true_false(a) {
            Some(b) => v = b,
            None => {
                c.err(GE, format!("Invalid vrrp_group smtp_alert parameter {a}"));
                return;
            }
        }
    }
    group(c).smtp_alert = Some(v);
}

pub(super) fn group_global_tracking(c: &mut C, _w: &[String]) {
    let g = group(c).name.clone();
    c.err(
        GE,
        format!(
            "({g}) global_tracking is deprecated. Use track_interface/script/file on the sync group"
        ),
    );
    group(c).tracking_weight = true;
}

pub(super) fn group_tracking_weight(c: &mut C, _w: &[String]) {
    group(c).tracking_weight = true;
}

pub(super) fn group_notify_prio(c: &mut C, w: &[String]) {
    let mut v = true;
    if let Some(a) = w.get(1) {
        match check_true_false(a) {
            Some(b) => v = b,
            None => {
                let g = group(c).name.clone();
                c.err(
                    GE,
                    format!(
                        "({g}) Invalid value '{a}' for sync group notify_priority_changes specified"
                    ),
                );
                return;
            }
        }
    }
    group(c).notify_priority_changes = Some(v);
}

// ---------------------------------------------------------------- garp_group

pub(super) fn garp_group(c: &mut C, _w: &[String]) {
    c.state.cfg.garp_groups.push(GarpGroup::default());
}

pub(super) fn cur_garp<'a>(c: &'a mut C) -> &'a mut GarpGroup {
    let st = &mut c.state;
    match st.cfg.garp_groups.last_mut() {
        Some(g) => g,
        None => &mut st.orphans.garp,
    }
}

pub(super) fn garp_interval(c: &mut C, w: &[String]) {
    let Some(a) = c.arg(w, 1) else { return };
    let kw = w[0].clone();
    let Some(v) = read_decimal(c, a, 0, i32::MAX as u64, 6, true) else {
        c.err(GE, format!("garp_group {kw} '{a}' invalid"));
        return;
    };
    if v >= HZ {
        c.log(format!("The {kw} is very large - {a} seconds"));
    }
    let g = cur_garp(c);
    if kw == "garp_interval" {
        g.garp_interval_us = Some(v);
    } else {
        g.gna_interval_us = Some(v);
    }
}

/// `shown` is the name keepalived prints when the interface is already in a
/// group: the interface itself for `interface`, word 2 of the whole
/// `interfaces` block for `interfaces` (a keepalived 2.2.7 bug, kept).
pub(super) fn garp_interface_one(c: &mut C, name: &str, report: bool, shown: &str) {
    if !interface_known(c, name) {
        let msg = format!("WARNING - interface {name} specified for garp_group doesn't exist");
        if report {
            c.err(GE, msg);
        } else {
            c.log(msg);
        }
        return;
    }
    if c.state
        .cfg
        .garp_groups
        .iter()
        .any(|g| g.interfaces.iter().any(|i| i == name))
    {
        c.err(
            GE,
            format!("garp_group already specified for {shown} - ignoring"),
        );
        return;
    }
    cur_garp(c).interfaces.push(name.to_string());
}

pub(super) fn garp_interface(c: &mut C, w: &[String]) {
    let Some(a) = c.arg(w, 1) else { return };
    garp_interface_one(c, a, true, a);
}

pub(super) fn garp_interfaces(c: &mut C, w: &[String]) {
    let items: Vec<String> = c.value_block(w).into_iter().flatten().collect();
    if items.is_empty() {
        c.err(GE, "Warning - empty garp_group interfaces block");
        return;
    }
    let earlier = c
        .state
        .cfg
        .garp_groups
        .iter()
        .rev()
        .skip(1)
        .filter(|g| g.aggregation_group != 0)
        .count();
    cur_garp(c).aggregation_group = 1 + earlier as u32;
    let report = !c.state.cfg.global.dynamic_interfaces;
    let shown = items.get(1).cloned().unwrap_or_else(|| "(null)".into());
    for i in &items {
        garp_interface_one(c, i, report, &shown);
    }
}

pub(super) fn garp_group_end(c: &mut C) {
    let g = cur_garp(c);
    if g.garp_interval_us.is_none() && g.gna_interval_us.is_none() {
        let n = g.aggregation_group;
        c.err(
            GE,
            format!("garp group {n} does not have any delay set - removing"),
        );
        c.state.cfg.garp_groups.pop();
    }
}
