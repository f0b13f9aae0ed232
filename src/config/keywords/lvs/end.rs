//! After the whole file: keepalived's checker start-up checks as `-t` runs
//! them (`link_vsg_to_vs`, `validate_check_config`,
//! `check_check_script_security`), then one line saying that this build
//! does not run what was checked.

use super::addr::Fam;
use super::{C, Fwd, LvsState, PERSISTENT_TIMEOUT, Proto, ScriptEntry, Vs, VsKind};
use crate::config::diag::ErrClass;
use crate::config::host::{Host, Owner};
use std::path::Path;

/// End-of-configuration checks of the LVS / BFD blocks, and the one line
/// saying they are not run. Call once after the parse (it does nothing for
/// a file without such blocks).
pub fn validate(c: &mut C) {
    let mut st = std::mem::take(&mut c.state.lvs);
    if st.validated || (st.first_loc.is_none() && st.n_vs + st.n_vsg + st.n_ssl + st.n_bfd == 0) {
        c.state.lvs = st;
        return;
    }
    st.validated = true;
    link_vsg_to_vs(c, &mut st);
    validate_check_config(c, &mut st);
    script_security(c, &mut st);
    let mut parts = vec![format!("{} virtual_server", st.n_vs)];
    if st.n_vsg > 0 {
        parts.push(format!("{} virtual_server_group", st.n_vsg));
    }
    if st.n_ssl > 0 {
        parts.push(format!("{} SSL", st.n_ssl));
    }
    let head = parts.join(", ");
    let msg = format!(
        "This build of keepalived does not manage LVS/IPVS or BFD: {head} and {} bfd_instance block(s) were checked but will not be run; VRRP is unaffected",
        st.n_bfd
    );
    c.reader.diags.report(ErrClass::Ok, st.first_loc, msg);
    c.state.lvs = st;
}

fn err(c: &mut C, msg: String) {
    c.err_noloc(ErrClass::GeneralError, msg);
}

/// Remove virtual server `i` and the scripts that belong to it.
fn free_vs(st: &mut LvsState, i: usize) {
    let vs = st.vs.remove(i);
    st.scripts.retain(|s| s.vs_id != vs.id);
}

/// keepalived `link_vsg_to_vs` (its messages are log lines).
fn link_vsg_to_vs(c: &mut C, st: &mut LvsState) {
    let mut i = 0;
    while i < st.vs.len() {
        let Some(gname) = st.vs[i].group_name().map(str::to_string) else {
            i += 1;
            continue;
        };
        let Some(gi) = st.vsgs.iter().position(|g| g.name == gname) else {
            c.log(format!("Virtual server group {gname} specified but not configured - ignoring virtual server {}", st.vs[i].fmt()));
            free_vs(st, i);
            continue;
        };
        let g = &st.vsgs[gi];
        let vsg_af = match (g.have_ipv4, g.have_ipv6) {
            (true, false) => Some(Fam::V4),
            (false, true) => Some(Fam::V6),
            _ => None,
        };
        let vs = &mut st.vs[i];
        vs.vsg = Some(gi);
        let drop = if g.have_ipv4 && g.have_ipv6 && vs.af.is_some() {
            Some(format!(
                "{gname}: virtual server group with IPv4 & IPv6 doesn't match virtual server {} - ignoring",
                vs.fmt()
            ))
        } else if (g.have_ipv4 && vs.af == Some(Fam::V6)) || (g.have_ipv6 && vs.af == Some(Fam::V4))
        {
            Some(format!(
                "{gname}: address family doesn't match virtual server {} - ignoring",
                vs.fmt()
            ))
        } else {
            if vsg_af.is_some() && vs.af.is_none() {
                vs.af = vsg_af;
            } else if vsg_af.is_none() && vs.af.is_none() && g.fwmark_no_family {
                let m = format!(
                    "{gname}: Virtual server {} address family cannot be determined, defaulting to IPv4",
                    vs.fmt()
                );
                c.log(m);
            }
            None
        };
        match drop {
            Some(m) => {
                c.log(m);
                free_vs(st, i);
            }
            None => i += 1,
        }
    }
    // The port of a group member is its sequence number in the group.
    let mut seen: Vec<(String, u16)> = Vec::new();
    for vs in st.vs.iter_mut() {
        let Some(g) = vs.group_name().map(str::to_string) else {
            continue;
        };
        if !st.vsgs.iter().any(|x| x.name == g) {
            continue;
        }
        match seen.iter_mut().find(|(n, _)| *n == g) {
            Some((_, n)) => {
                vs.seq = *n;
                *n = n.wrapping_add(1);
            }
            None => {
                vs.seq = 0;
                seen.push((g, 1));
            }
        }
    }
}

/// keepalived `validate_check_config` (its messages have no line).
fn validate_check_config(c: &mut C, st: &mut LvsState) {
    let mut i = 0;
    while i < st.vs.len() {
        if st.vs[i].rs.is_empty() {
            err(
                c,
                format!(
                    "Virtual server {} has no real servers - ignoring",
                    st.vs[i].fmt()
                ),
            );
            free_vs(st, i);
            continue;
        }
        let vsg = st.vs[i].vsg.map(|g| st.vsgs[g].clone());
        let removed = check_vs(c, &mut st.vs[i], vsg.as_ref());
        st.scripts
            .retain(|s| !s.rs_id.is_some_and(|r| removed.contains(&r)));
        i += 1;
    }
}

/// The checks of one virtual server; the ids of the real servers removed.
fn check_vs(c: &mut C, vs: &mut Vs, vsg: Option<&super::Vsg>) -> Vec<usize> {
    let fwmark = matches!(vs.kind, VsKind::Fwmark(_));
    if vs.ha_suspend && (fwmark || vsg.is_some_and(|g| g.fwmarks > 0)) {
        err(
            c,
            format!(
                "Virtual server {}: cannot use ha_suspend with fwmarks - clearing ha_suspend",
                vs.fmt()
            ),
        );
        vs.ha_suspend = false;
    }
    if vsg.is_some_and(|g| !g.ranges.is_empty()) || (vsg.is_none() && !fwmark) {
        if vs.proto == Proto::None {
            err(
                c,
                format!(
                    "Virtual server {}: no protocol set - defaulting to UDP",
                    vs.fmt()
                ),
            );
            vs.proto = Proto::Udp;
        }
        if vs.ops && vs.proto != Proto::Udp {
            err(
                c,
                format!(
                    "Virtual server {}: one packet scheduling requires UDP - resetting",
                    vs.fmt()
                ),
            );
            vs.ops = false;
        }
        if vs.persistence_timeout == 0 && vsg.is_none() && !fwmark && vs.port() == 0 {
            err(
                c,
                format!(
                    "Virtual server {}: zero port only valid for persistent services - setting",
                    vs.fmt()
                ),
            );
            vs.persistence_timeout = PERSISTENT_TIMEOUT;
        }
    }
    if vs.persistence_timeout == 0 {
        if let Some(g) = vsg {
            if g.ranges.iter().any(|r| r.addr.port == 0) {
                err(
                    c,
                    format!(
                        "Virtual server {}: zero port only valid for persistent services - setting",
                        vs.fmt()
                    ),
                );
                vs.persistence_timeout = PERSISTENT_TIMEOUT;
            }
        }
    }
    if vs.proto != Proto::None
        && (vsg.is_some_and(|g| g.ranges.is_empty() && g.fwmarks > 0) || (vsg.is_none() && fwmark))
    {
        err(
            c,
            format!(
                "Warning: Virtual server {}: protocol specified for fwmark - protocol will be ignored",
                vs.fmt()
            ),
        );
        vs.proto = Proto::None;
    }
    if vs.sched.is_none() {
        err(
            c,
            format!(
                "Virtual server {}: no scheduler set, setting default 'wlc'",
                vs.fmt()
            ),
        );
        vs.sched = Some("wlc");
    }

    let mut removed = Vec::new();
    let mut weight_sum: u32 = 0;
    let mut j = 0;
    while j < vs.rs.len() {
        if vs.rs[..j].iter().any(|r| r.addr == vs.rs[j].addr) {
            err(
                c,
                format!(
                    "VS {}: real server {} is duplicated - removing second rs",
                    vs.fmt(),
                    vs.fmt_rs(&vs.rs[j])
                ),
            );
            removed.push(vs.rs.remove(j).id);
            continue;
        }
        if vs.rs[j].fwd.is_none() {
            if vs.fwd.is_none() {
                err(
                    c,
                    format!(
                        "Virtual server {}: no forwarding method set, setting default NAT",
                        vs.fmt()
                    ),
                );
                vs.fwd = Some(Fwd::Nat);
            }
            vs.rs[j].fwd = vs.fwd;
        }
        let inhibit = *vs.rs[j].inhibit.get_or_insert(vs.inhibit);
        let weight = *vs.rs[j].weight.get_or_insert(vs.weight);
        weight_sum = weight_sum.wrapping_add(weight as u32);
        let same = vs.s_svr.as_ref().is_some_and(|s| s.addr == vs.rs[j].addr);
        if same {
            let s_inhibit = vs.s_svr.as_ref().and_then(|s| s.inhibit).unwrap_or(false);
            if s_inhibit != inhibit {
                let how = if inhibit { "sett" } else { "clear" };
                err(
                    c,
                    format!(
                        "Virtual server {}: real server {} matches sorry server, but inhibit setting differs, {how}ing on sorry server",
                        vs.fmt(),
                        vs.fmt_rs(&vs.rs[j])
                    ),
                );
                if let Some(s) = vs.s_svr.as_mut() {
                    s.inhibit = Some(inhibit);
                }
            }
        }
        j += 1;
    }
    if vs.s_svr.as_ref().is_some_and(|s| s.fwd.is_none()) {
        if vs.fwd.is_none() {
            err(
                c,
                format!(
                    "Virtual server {}: no forwarding method set, setting default NAT",
                    vs.fmt()
                ),
            );
            vs.fwd = Some(Fwd::Nat);
        }
        let f = vs.fwd;
        if let Some(s) = vs.s_svr.as_mut() {
            s.fwd = f;
        }
    }
    let quorum = vs.quorum as u32;
    if quorum > weight_sum {
        err(
            c,
            format!(
                "Warning - quorum {quorum} for {} exceeds total weight of real servers {weight_sum}, reducing quorum to {weight_sum}",
                vs.fmt()
            ),
        );
        vs.quorum = weight_sum as u64;
    }
    let (quorum, hysteresis) = (vs.quorum as u32, vs.hysteresis as u32);
    if hysteresis >= quorum {
        let h = quorum.wrapping_sub(1);
        err(
            c,
            format!(
                "Virtual server {}: hysteresis {hysteresis} >= quorum {quorum}; setting hysteresis to {h}",
                vs.fmt()
            ),
        );
        vs.hysteresis = h as u64;
    }
    check_ports(c, vs, vsg);
    removed
}

/// Unless NAT, real and virtual servers must use the same port (none with
/// a fwmark).
fn check_ports(c: &mut C, vs: &mut Vs, vsg: Option<&super::Vsg>) {
    let vfmt = vs.fmt();
    if let Some(g) = vsg {
        if g.fwmarks > 0 {
            for rs in &vs.rs {
                if rs.fwd != Some(Fwd::Nat) && rs.addr.port != 0 {
                    err(
                        c,
                        format!(
                            "WARNING - fwmark virtual server {vfmt}, real server {} has port specified - port will be ignored",
                            vs.fmt_rs(rs)
                        ),
                    );
                }
            }
            if vs
                .s_svr
                .as_ref()
                .is_some_and(|s| s.fwd != Some(Fwd::Nat) && s.addr.port != 0)
            {
                err(
                    c,
                    format!(
                        "WARNING - fwmark virtual server {vfmt}, sorry server has port specified - port will be ignored"
                    ),
                );
            }
        }
        for e in &g.ranges {
            let port = e.addr.port;
            for rs in &vs.rs {
                if rs.fwd != Some(Fwd::Nat) && rs.addr.port != 0 && port != rs.addr.port {
                    let ge = if e.addr.ip != e.end {
                        format!("{}-{},{port}", e.addr.ip, e.end)
                    } else {
                        format!("{},{port}", e.addr.ip)
                    };
                    err(
                        c,
                        format!(
                            "virtual server {vfmt}:[{ge}] and real server {} ports don't match",
                            vs.fmt_rs(rs)
                        ),
                    );
                }
            }
            if vs
                .s_svr
                .as_ref()
                .is_some_and(|s| s.fwd != Some(Fwd::Nat) && s.addr.port != 0 && s.addr.port != port)
            {
                err(
                    c,
                    format!(
                        "WARNING - virtual server {vfmt}, sorry server has port specified - port will be ignored"
                    ),
                );
            }
        }
        return;
    }
    let fwmark = matches!(vs.kind, VsKind::Fwmark(_));
    let vport = vs.port();
    for j in 0..vs.rs.len() {
        let rs = &vs.rs[j];
        if rs.fwd == Some(Fwd::Nat) {
            if !fwmark && rs.addr.port == 0 {
                vs.rs[j].addr.port = vport;
            }
            continue;
        }
        if fwmark {
            if rs.addr.port != 0 {
                err(
                    c,
                    format!(
                        "WARNING - fwmark virtual server {vfmt}, real server {} has port specified - clearing",
                        vs.fmt_rs(rs)
                    ),
                );
                vs.rs[j].addr.port = 0;
            }
        } else if rs.addr.port == 0 {
            vs.rs[j].addr.port = vport;
        } else if rs.addr.port != vport {
            err(
                c,
                format!(
                    "WARNING - virtual server {vfmt} and real server {} ports don't match - resetting",
                    vs.fmt_rs(rs)
                ),
            );
            vs.rs[j].addr.port = vport;
        }
    }
    if let Some(s) = vs.s_svr.as_mut().filter(|s| s.fwd != Some(Fwd::Nat)) {
        if fwmark {
            if s.addr.port != 0 {
                err(
                    c,
                    format!(
                        "WARNING - virtual server {vfmt}, sorry server has port specified - clearing"
                    ),
                );
                s.addr.port = 0;
            }
        } else if s.addr.port == 0 {
            s.addr.port = vport;
        } else if s.addr.port != vport {
            err(
                c,
                format!(
                    "WARNING - virtual server {vfmt} and sorry server ports don't match - resetting"
                ),
            );
            s.addr.port = vport;
        }
    }
}

// ---------------------------------------------------------------- scripts

/// check_script_secure flags (lib/notify.h).
const SC_ISSCRIPT: u32 = 0x01;
const SC_INSECURE: u32 = 0x02;
const SC_NOTFOUND: u32 = 0x04;
const SC_INHIBIT: u32 = 0x08;
const SC_SYSTEM: u32 = 0x10;

/// keepalived `is_executable` on a stat result.
fn is_executable(o: &Owner, uid: u32, gid: u32) -> bool {
    (uid == 0 && o.mode & 0o111 != 0)
        || (uid == o.uid && o.mode & 0o100 != 0)
        || (uid != o.uid
            && ((gid == o.gid && o.mode & 0o010 != 0) || (gid != o.gid && o.mode & 0o001 != 0)))
}

/// keepalived `check_security`: every directory of `path` and the file
/// itself must be root's and not writable by others.
fn check_security(host: &dyn Host, path: &str, security: bool) -> u32 {
    let mut prefixes: Vec<&str> = Vec::new();
    for (i, ch) in path.char_indices() {
        if ch == '/' {
            prefixes.push(if i == 0 { "/" } else { &path[..i] });
        }
    }
    let n = prefixes.len();
    prefixes.push(path);
    for (k, p) in prefixes.iter().enumerate() {
        let last = k == n;
        let Ok(o) = host.owner(Path::new(p), false) else {
            return SC_NOTFOUND;
        };
        if (!last && !o.is_dir()) || (last && !o.is_reg() && !o.is_symlink()) {
            return SC_INHIBIT;
        }
        let sticky = o.mode & 0o1000 != 0;
        let writable = (o.gid != 0 && o.mode & 0o020 != 0) || o.mode & 0o002 != 0;
        if o.uid != 0 || (((o.is_dir() && !sticky) || o.is_reg()) && writable) {
            return SC_INSECURE | if security { SC_INHIBIT } else { 0 };
        }
    }
    0
}

/// keepalived `check_script_secure`, reduced to what decides `-t`'s answer.
/// `Err` when keepalived would kill itself (see `LvsState::keepalived_dies`).
fn script_flags(host: &dyn Host, s: &ScriptEntry, security: bool) -> Result<u32, String> {
    let Some(a0) = s.args.first() else {
        return Ok(0);
    };
    if let Some(rest) = a0.strip_prefix('<') {
        if rest.trim_start_matches([' ', '\t']).starts_with('/') {
            return Ok(SC_SYSTEM);
        }
    }
    let mut path = a0.clone();
    if !a0.contains('/') {
        let found = host.path_env().split(':').find_map(|dir| {
            let cand = if dir.is_empty() {
                a0.clone()
            } else {
                format!("{dir}/{a0}")
            };
            let o = host.owner(Path::new(&cand), true).ok()?;
            (o.is_reg() && is_executable(&o, s.uid, s.gid)).then_some(cand)
        });
        match found {
            Some(p) => path = p,
            None => return Ok(SC_NOTFOUND),
        }
    }
    if (s.uid, s.gid) != host.ids() {
        return Err(format!(
            "keepalived 2.2.7 -t kills itself with SIGTERM when it checks script {} (uid:gid {}:{} differ from its own)",
            path, s.uid, s.gid
        ));
    }
    let Ok(real) = host.realpath(Path::new(&path)) else {
        return Ok(SC_NOTFOUND);
    };
    let Ok(st) = host.owner(&real, true) else {
        return Ok(SC_NOTFOUND);
    };
    let mut flags = SC_ISSCRIPT;
    if !is_executable(&st, s.uid, s.gid) {
        return Ok(flags);
    }
    let setid_root =
        (st.uid == 0 && st.mode & 0o4100 == 0o4100) || (st.gid == 0 && st.mode & 0o2010 == 0o2010);
    if s.uid == 0 || s.gid == 0 || setid_root {
        flags |= check_security(host, &real.to_string_lossy(), security);
    }
    Ok(flags)
}

/// keepalived `check_check_script_security`.
fn script_security(c: &mut C, st: &mut LvsState) {
    if st.vs.is_empty() {
        return;
    }
    let host = c.state.host.clone();
    let security = c.state.cfg.global.enable_script_security;
    let mut all = st.scripts.clone();
    let g = &c.state.cfg.global;
    for fifo in [&g.notify_fifo_script, &g.lvs_notify_fifo_script]
        .into_iter()
        .flatten()
    {
        let user = fifo.user.as_deref().map(|u| (u, fifo.group.as_deref()));
        if let Some((uid, gid)) = crate::config::validate::script_ids(user, g, host.as_ref()) {
            all.push(ScriptEntry {
                misc: false,
                vs_id: 0,
                rs_id: None,
                args: fifo.argv.clone(),
                uid,
                gid,
            });
        }
    }
    let mut flags = 0;
    for s in &all {
        match script_flags(host.as_ref(), s, security) {
            Ok(f) => flags |= f,
            Err(why) => {
                c.log(why.clone());
                st.die(15, why);
                return;
            }
        }
    }
    if !security && flags & SC_ISSCRIPT != 0 {
        let extra = if flags & SC_INSECURE != 0 {
            " There are insecure scripts."
        } else {
            ""
        };
        c.err_noloc(ErrClass::SecurityError, format!("SECURITY VIOLATION - check scripts are being executed but script_security not enabled.{extra}"));
    }
}
