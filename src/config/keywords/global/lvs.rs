//! LVS keywords of global_defs (parsed only).

#[allow(unused_imports)]
use super::*;

// LVS (parsed only)

pub(super) fn lvs_timeouts(c: &mut C<'_, '_>, w: &[String]) {
    if w.len() < 3 {
        general(c, "lvs_timeouts requires at least one option".into());
        return;
    }
    let mut i = 1;
    while i < w.len() {
        let opt = w[i].as_str();
        if matches!(opt, "tcp" | "tcpfin" | "udp") {
            if i == w.len() - 1 {
                general(
                    c,
                    format!("No value specified for lvs_timeout {opt} - ignoring"),
                );
                i += 1;
                continue;
            }
            let v = &w[i + 1];
            match read_unsigned(c, v, 0, LVS_MAX_TIMEOUT, false) {
                None => general(c, format!("Invalid lvs_timeout {opt} ({v}) - ignoring")),
                Some(n) => {
                    let t = &mut g(c).lvs_timeouts;
                    let slot = match opt {
                        "tcp" => &mut t.tcp,
                        "tcpfin" => &mut t.tcpfin,
                        _ => &mut t.udp,
                    };
                    *slot = Some(n as u32);
                }
            }
            i += 2;
            continue;
        }
        general(
            c,
            format!("Unknown option {opt} specified for lvs_timeouts"),
        );
        i += 1;
    }
}

pub(super) fn lvs_flush_on_stop(c: &mut C<'_, '_>, w: &[String]) {
    match w.get(1).map(String::as_str) {
        None => g(c).lvs_flush_on_stop = LvsFlushOnStop::Full,
        Some("VS") => g(c).lvs_flush_on_stop = LvsFlushOnStop::Vs,
        Some(t) => general(c, format!("Unknown lvs_flush_on_stop type {t}")),
    }
}

pub(super) fn lvs_sync_daemon(c: &mut C<'_, '_>, w: &[String]) {
    if let Some(s) = &g(c).lvs_sync_daemon {
        let msg = format!(
            "lvs_sync_daemon has already been specified as {} {} - ignoring",
            s.ifname,
            s.vrrp_instance.as_deref().unwrap_or("")
        );
        general(c, msg);
        return;
    }
    let Some(ifname) = w.get(1) else {
        general(c, "lvs_sync_daemon requires interface".into());
        return;
    };
    if ifname.len() >= IP_VS_IFNAME_MAXLEN {
        general(
            c,
            format!("lvs_sync_daemon interface name '{ifname}' too long - ignoring"),
        );
        return;
    }
    let mut sd = LvsSyncDaemon {
        ifname: ifname.clone(),
        ..Default::default()
    };
    let last = w.len() - 1;
    let mut i = 2;
    while i < w.len() {
        let opt = w[i].as_str();
        match opt {
            "inst" => {
                if let Some(name) = &sd.vrrp_instance {
                    let msg = format!(
                        "lvs_sync_daemon vrrp instance has already been specified as {name} - ignoring"
                    );
                    general(c, msg);
                } else {
                    // keepalived takes the next word without checking it exists.
                    let Some(v) = c.arg(w, i + 1) else { return };
                    sd.vrrp_instance = Some(v.to_string());
                }
                i += 2;
                continue;
            }
            "id" | "maxlen" | "port" | "ttl" | "group" => {
                if i == last {
                    let msg = if opt == "id" {
                        "No value specified for lvs_sync_daemon id, defaulting to vrid".to_string()
                    } else {
                        format!("No value specified for lvs_sync_daemon {opt} - ignoring")
                    };
                    general(c, msg);
                    i += 1;
                    continue;
                }
                let v = &w[i + 1];
                match opt {
                    "id" => match read_unsigned(c, v, 0, 255, false) {
                        Some(n) => sd.syncid = Some(n as u8),
                        None => general(c, format!("Invalid syncid ({v}) - defaulting to vrid")),
                    },
                    "maxlen" => match read_unsigned(c, v, 1, 65535 - 20 - 8, false) {
                        Some(n) => sd.maxlen = Some(n as u16),
                        None => general(
                            c,
                            format!("Invalid lvs_sync_daemon maxlen ({v}) - ignoring"),
                        ),
                    },
                    "port" => match read_unsigned(c, v, 1, 65535, false) {
                        Some(n) => sd.port = Some(n as u16),
                        None => {
                            general(c, format!("Invalid lvs_sync_daemon port ({v}) - ignoring"))
                        }
                    },
                    "ttl" => match read_unsigned(c, v, 1, 255, false) {
                        Some(n) => sd.ttl = Some(n as u8),
                        None => general(c, format!("Invalid lvs_sync_daemon ttl ({v}) - ignoring")),
                    },
                    _ => {
                        sd.group = inet_pton_ka(v);
                        if sd.group.is_none() {
                            general(c, format!("Invalid lvs_sync_daemon group ({v}) - ignoring"));
                        }
                        if sd.group.is_some_and(|a| !a.is_multicast()) {
                            general(
                                c,
                                format!(
                                    "lvs_sync_daemon group address {v} is not multicast - ignoring"
                                ),
                            );
                            sd.group = None;
                        }
                    }
                }
                i += 2;
                continue;
            }
            _ => {}
        }
        // Backward compatibility: `lvs_sync_daemon IF VRRP_INSTANCE [SYNC_ID]`.
        if i == 2 {
            sd.vrrp_instance = Some(opt.to_string());
        } else if i == 3 {
            match read_unsigned(c, opt, 0, 255, false) {
                None => general(c, format!("Invalid syncid ({opt}) - defaulting to vrid")),
                Some(n) => {
                    general(
                        c,
                        "Please use keyword \"id\" before lvs_sync_daemon SYNCID".into(),
                    );
                    sd.syncid = Some(n as u8);
                }
            }
        } else {
            general(
                c,
                format!("Unknown option {opt} specified for lvs_sync_daemon"),
            );
        }
        i += 1;
    }
    g(c).lvs_sync_daemon = Some(sd);
}
