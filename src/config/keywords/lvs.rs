//! LVS (IPVS) and BFD blocks: `virtual_server_group`, `virtual_server` (with
//! `real_server`, the sorry server and the health checkers), `SSL` and
//! `bfd_instance`.
//!
//! This build runs neither IPVS nor BFD, but `keepalived -t` must answer as
//! keepalived 2.2.7 does for files that contain them. So the keyword tables
//! are keepalived's (an unknown word is reported exactly where keepalived's
//! checker or BFD parser reports it) and the handlers reproduce the
//! `report_config_error` messages of those parsers and of the checker's
//! end-of-configuration checks (`validate_check_config`,
//! `check_check_script_security`), with their texts and classes. Nothing is
//! stored in the VRRP model except block counts and the `bfd_instance` names
//! the VRRP process knows (`State::bfd_names`, for `track_bfd`).
//!
//! keepalived reads a `bfd_instance` block in three processes (checker, VRRP,
//! BFD), each with its own checks; `bfd` runs the three in one pass.
//!
//! Must not: change anything the VRRP side reads beyond `cfg.lvs_blocks`,
//! `cfg.bfd_blocks`, `State::bfd_names` and the shared default script user.

mod addr;
mod bfd;
mod checkers;
mod end;
#[cfg(test)]
mod tests;

use super::{C, K};
use crate::config::diag::ErrClass;
use crate::config::parser::{Kw, MissingParameter};
use crate::config::source::Loc;
use crate::config::values::{self, check_true_false};
use addr::{Fam, SockAddr};
use std::sync::LazyLock;

pub use end::validate;

/// LVS / BFD bookkeeping while the file is read (`State::lvs`).
#[derive(Debug, Default)]
pub struct LvsState {
    vs: Vec<Vs>,
    vsgs: Vec<Vsg>,
    ssl: Option<SslFiles>,
    /// The checker block being read.
    cur: Option<checkers::Cur>,
    /// Scripts (MISC_CHECK, notify_up/down, quorum_up/down) for the
    /// end-of-configuration security check.
    scripts: Vec<ScriptEntry>,
    next_id: usize,
    bfd: bfd::BfdState,
    n_vs: usize,
    n_vsg: usize,
    n_ssl: usize,
    n_bfd: usize,
    /// Line of the first LVS / BFD block.
    first_loc: Option<Loc>,
    /// [`validate`] has run.
    validated: bool,
    /// How keepalived 2.2.7 `-t` itself would die on this file, if it does.
    death: Option<Death>,
    /// The checker queue (keepalived `checkers_queue`): per queued checker,
    /// whether it has connection options.
    queue: Vec<bool>,
}

/// keepalived 2.2.7 `-t` killed by a signal instead of exiting: what the
/// shell would see is 128 + `signal`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Death {
    /// 11 (SIGSEGV) or 15 (SIGTERM).
    pub signal: i32,
    /// What in the file causes it.
    pub why: String,
}

impl LvsState {
    /// Set when keepalived 2.2.7 `-t` would not exit with a status on this
    /// file but be killed by a signal (the first such cause). Known causes:
    ///
    /// * SIGSEGV while reading: `virtual_server group` / `virtual_server
    ///   fwmark` or `bfd_instance` without its name or number; `misc_path`
    ///   or `regex` with an unterminated quote; an HTTP_GET / SSL_GET
    ///   without any usable `url` when the checker queued just before it (in
    ///   the whole file) is a MISC_CHECK or BFD_CHECK, or there is none;
    ///   `neighbor_ip` without an address (in the BFD pass, i.e. after every
    ///   other message);
    /// * SIGTERM while checking scripts: `check_script_secure` ends with
    ///   `if (main_pid != getppid()) kill(getpid(), SIGTERM)` when a script
    ///   runs as another uid/gid than keepalived, which under `-t` (no fork)
    ///   is always true — a MISC_CHECK / notify / quorum / FIFO script with
    ///   a `user` (or a default `keepalived_script` user) kills it.
    ///
    /// Our diagnostics go on past that point; the caller decides the status.
    pub fn keepalived_dies(&self) -> Option<&Death> {
        self.death.as_ref()
    }

    fn die(&mut self, signal: i32, why: String) {
        if self.death.is_none() {
            self.death = Some(Death { signal, why });
        }
    }

    fn id(&mut self) -> usize {
        self.next_id += 1;
        self.next_id
    }
}

/// keepalived's scheduler names.
const SCHEDULERS: [&str; 14] = [
    "rr", "wrr", "lc", "wlc", "lblc", "sh", "mh", "dh", "fo", "ovf", "lblcr", "sed", "nq", "twos",
];
/// IPVS_WEIGHT_LIMIT (INT32_MAX).
const WEIGHT_LIMIT: u64 = i32::MAX as u64;
/// LVS_MAX_TIMEOUT: 31 days.
const LVS_MAX_TIMEOUT: u64 = 86400 * 31;
/// IPVS_SVC_PERSISTENT_TIMEOUT.
const PERSISTENT_TIMEOUT: u32 = 360;
const UINT_MAX: u64 = u32::MAX as u64;

/// How traffic reaches a real server (`lb_kind` / `lvs_method`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Fwd {
    Nat,
    Dr,
    Tun,
}

/// IPVS protocol of a virtual server (0 = not set).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
enum Proto {
    #[default]
    None,
    Tcp,
    Udp,
    Sctp,
}

impl Proto {
    fn name(self) -> &'static str {
        match self {
            Proto::None => "none",
            Proto::Tcp => "tcp",
            Proto::Udp => "udp",
            Proto::Sctp => "sctp",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum VsKind {
    Addr(SockAddr),
    Fwmark(u32),
    Group(String),
}

/// A real or sorry server.
#[derive(Clone, Debug)]
struct Server {
    id: usize,
    addr: SockAddr,
    /// `None`: not set (IP_VS_CONN_F_FWD_MASK), taken from the virtual server.
    fwd: Option<Fwd>,
    /// `None`: the virtual server's weight.
    weight: Option<u64>,
    /// `None`: the virtual server's `inhibit_on_failure`.
    inhibit: Option<bool>,
    notify_up: bool,
    notify_down: bool,
    /// BFD_CHECK names.
    bfds: Vec<String>,
}

impl Server {
    fn new(id: usize, addr: SockAddr, fwd: Option<Fwd>) -> Self {
        Server {
            id,
            addr,
            fwd,
            weight: None,
            inhibit: None,
            notify_up: false,
            notify_down: false,
            bfds: Vec::new(),
        }
    }
}

#[derive(Clone, Debug)]
struct Vs {
    id: usize,
    kind: VsKind,
    af: Option<Fam>,
    proto: Proto,
    sched: Option<&'static str>,
    ops: bool,
    fwd: Option<Fwd>,
    persistence_timeout: u32,
    quorum: u64,
    hysteresis: u64,
    weight: u64,
    ha_suspend: bool,
    inhibit: bool,
    s_svr: Option<Server>,
    rs: Vec<Server>,
    quorum_up: bool,
    quorum_down: bool,
    /// Index of the linked `virtual_server_group` (after the parse).
    vsg: Option<usize>,
    /// For a group member: its sequence number in the group (keepalived
    /// prints it as the port).
    seq: u16,
}

impl Vs {
    fn group_name(&self) -> Option<&str> {
        match &self.kind {
            VsKind::Group(g) => Some(g),
            _ => None,
        }
    }
    /// `(%s)` of the notify messages: the group name, or "(null)".
    fn vsgname(&self) -> String {
        self.group_name().unwrap_or("(null)").to_string()
    }
    fn port(&self) -> u16 {
        match &self.kind {
            VsKind::Addr(a) => a.port,
            VsKind::Group(_) => self.seq,
            VsKind::Fwmark(_) => 0,
        }
    }
    /// keepalived FMT_VS.
    fn fmt(&self) -> String {
        match &self.kind {
            VsKind::Group(g) => format!("[{g}]:{}", self.seq),
            VsKind::Fwmark(m) => format!("FWM {m}"),
            VsKind::Addr(a) => a.trio(self.proto.name()),
        }
    }
    /// keepalived FMT_RS.
    fn fmt_rs(&self, rs: &Server) -> String {
        rs.addr.trio(self.proto.name())
    }
}

#[derive(Clone, Debug)]
struct VsgEntry {
    addr: SockAddr,
    end: std::net::IpAddr,
}

#[derive(Clone, Debug, Default)]
struct Vsg {
    name: String,
    ranges: Vec<VsgEntry>,
    fwmarks: usize,
    have_ipv4: bool,
    have_ipv6: bool,
    fwmark_no_family: bool,
}

#[derive(Clone, Debug, Default)]
struct SslFiles {
    password: bool,
    ca: bool,
    certificate: bool,
    key: bool,
}

/// A script for the end-of-configuration security check.
#[derive(Clone, Debug)]
struct ScriptEntry {
    /// A MISC_CHECK script (it stays in keepalived's checker queue when its
    /// real server is dropped at `}`; a notify script goes with it).
    misc: bool,
    vs_id: usize,
    rs_id: Option<usize>,
    args: Vec<String>,
    uid: u32,
    gid: u32,
}

/// Words from index 1 of a line (keepalived `set_value`), or the parse stops.
fn arg1<'w>(c: &mut C, w: &'w [String]) -> Option<&'w str> {
    c.arg(w, 1)
}

/// keepalived `read_timer`: microseconds; `max_us == 0` means TIMER_MAXIMUM.
fn read_timer(c: &mut C, s: &str, min_us: u64, max_us: u64, ignore_error: bool) -> Option<u64> {
    let max = if max_us == 0 { u64::MAX - 1 } else { max_us };
    values::read_decimal(c, s, min_us, max, 6, ignore_error)
}

/// An optional boolean argument (`alpha`, `smtp_alert`, ...): `None` after
/// reporting `msg PARAM` when the word is not a boolean.
fn opt_bool(c: &mut C, w: &[String], msg: &str) -> Option<bool> {
    match w.get(1) {
        None => Some(true),
        Some(v) => match check_true_false(v) {
            Some(b) => Some(b),
            None => {
                c.err(ErrClass::GeneralError, format!("{msg} {v}"));
                None
            }
        },
    }
}

/// Stop the parse as keepalived does when a handler reads a missing word
/// through a NULL vector slot (`null_strvec` at word position 1).
fn stop_null_slot(c: &mut C) {
    c.err(ErrClass::MissingParameter, "*** Configuration line starting `***MISSING ***` is missing a parameter at word position 1");
    c.stopped = Some(MissingParameter);
}

fn note_block(c: &mut C) {
    if c.state.lvs.first_loc.is_none() {
        c.state.lvs.first_loc = c.loc.or_else(|| c.reader.loc());
    }
}

/// keepalived `set_uid_gid` (shared with the global keywords).
fn lookup_user(c: &mut C, user: &str, group: Option<&str>) -> Option<(u32, u32)> {
    super::global::lookup_uid_gid(c, user, group)
}

/// keepalived `get_default_script_user` (shared with the VRRP side through
/// `cfg.global.default_script_user`).
fn default_script_user(c: &mut C) -> Option<(u32, u32)> {
    super::global::default_script_user(c)
}

/// keepalived `notify_script_init` for the checker's notify scripts: the
/// command and the uid/gid it runs as, or `None` (logged) when dropped.
fn notify_script(c: &mut C, kind: &str) -> Option<(Vec<String>, u32, u32)> {
    let script = super::global::notify_script_init(c, kind)?;
    let host = c.state.host.clone();
    let user = script.user.as_deref().map(|u| (u, script.group.as_deref()));
    let (uid, gid) = crate::config::validate::script_ids(user, &c.state.cfg.global, host.as_ref())?;
    Some((script.argv, uid, gid))
}

// ---------------------------------------------------------------- SSL

fn ssl_handler(c: &mut C, _w: &[String]) {
    note_block(c);
    c.state.lvs.n_ssl += 1;
    c.state.cfg.lvs_blocks += 1;
    if c.state.lvs.ssl.is_some() {
        c.err(
            ErrClass::GeneralError,
            "SSL context already specified - replacing",
        );
    }
    c.state.lvs.ssl = Some(SslFiles::default());
}

fn ssl_file(c: &mut C, w: &[String], what: &str, field: fn(&mut SslFiles) -> &mut bool) {
    if w.len() < 2 {
        c.err(ErrClass::GeneralError, format!("SSL {what} missing"));
        return;
    }
    let already = c.state.lvs.ssl.as_mut().is_some_and(|s| *field(s));
    if already {
        c.err(
            ErrClass::GeneralError,
            format!("SSL {what} already specified - replacing"),
        );
    }
    if let Some(s) = c.state.lvs.ssl.as_mut() {
        *field(s) = true;
    }
}

fn ssl_password(c: &mut C, w: &[String]) {
    ssl_file(c, w, "password", |s| &mut s.password);
}
fn ssl_ca(c: &mut C, w: &[String]) {
    ssl_file(c, w, "cafile", |s| &mut s.ca);
}
fn ssl_cert(c: &mut C, w: &[String]) {
    ssl_file(c, w, "certfile", |s| &mut s.certificate);
}
fn ssl_key(c: &mut C, w: &[String]) {
    ssl_file(c, w, "keyfile", |s| &mut s.key);
}

// ---------------------------------------------------------------- virtual_server_group

fn vsg_handler(c: &mut C, w: &[String]) {
    let Some(name) = arg1(c, w) else { return };
    let name = name.to_string();
    note_block(c);
    c.state.lvs.n_vsg += 1;
    c.state.cfg.lvs_blocks += 1;
    c.state.lvs.vsgs.push(Vsg {
        name: name.clone(),
        ..Default::default()
    });
    // keepalived hands alloc_value_block a copy of the line whose slot 0 is
    // NULL: extra words, or a missing '{', make it print that NULL slot.
    let mut head = vec![w[0].clone()];
    if w.len() > 2 {
        if w[2] != "{" {
            stop_null_slot(c);
            return;
        }
        head.extend(w[2..].iter().cloned());
    }
    let before = c.reader.diags.items.len();
    let items = c.value_block(&head);
    let missing_bob = c.reader.diags.items[before.min(c.reader.diags.items.len())..]
        .iter()
        .any(|d| d.message.starts_with("'{' missing from beginning of block"));
    if missing_bob {
        stop_null_slot(c);
        return;
    }
    for item in items {
        vsg_entry(c, &item);
        if c.stopped.is_some() {
            return;
        }
    }
    let Some(vsg) = c.state.lvs.vsgs.last() else {
        return;
    };
    if vsg.fwmarks == 0 && vsg.ranges.is_empty() {
        c.err(
            ErrClass::GeneralError,
            format!("virtual server group {name} has no entries - removing"),
        );
        c.state.lvs.vsgs.pop();
    } else if vsg.have_ipv4 && vsg.have_ipv6 && vsg.fwmark_no_family {
        c.err(ErrClass::GeneralError, format!("virtual server group {name} cannot have IPv4, IPv6 and fwmark without family - removing"));
        c.state.lvs.vsgs.pop();
    }
}

/// keepalived `alloc_vsg_entry`: one line of a `virtual_server_group`.
fn vsg_entry(c: &mut C, w: &[String]) {
    let gname = c
        .state
        .lvs
        .vsgs
        .last()
        .map(|g| g.name.clone())
        .unwrap_or_default();
    let addr_str = w[0].as_str();
    if addr_str == "fwmark" {
        let Some(v) = c.arg(w, 1) else { return };
        let Some(mark) = values::read_unsigned(c, v, 0, UINT_MAX, true) else {
            c.err(
                ErrClass::GeneralError,
                format!("({gname}): fwmark '{v}' must be in [0, {UINT_MAX}] - ignoring"),
            );
            return;
        };
        let Some(g) = c.state.lvs.vsgs.last_mut() else {
            return;
        };
        if let Some(fam) = w.get(2) {
            match fam.as_str() {
                "inet" => g.have_ipv4 = true,
                "inet6" => g.have_ipv6 = true,
                _ => {
                    c.err(
                        ErrClass::GeneralError,
                        format!("({gname}): fwmark '{mark}' family {fam} unknown - ignoring"),
                    );
                    return;
                }
            }
        } else {
            g.fwmark_no_family = true;
        }
        g.fwmarks += 1;
        return;
    }
    let port_str = w
        .get(1)
        .map(String::as_str)
        .filter(|p| !p.bytes().all(|b| b == b'0'));
    let Some(mut start) = addr::stosockaddr(c, addr_str, port_str) else {
        let (a, b, p) = match port_str {
            Some(p) => ("/port", "/", p),
            None => ("", "", ""),
        };
        c.err(
            ErrClass::GeneralError,
            format!("Invalid virtual server group IP address {addr_str} {a}{b}{p} - skipping"),
        );
        return;
    };
    let skip = |c: &mut C, what: &str| {
        c.err(
            ErrClass::GeneralError,
            format!("{what} - {addr_str} - skipping"),
        );
    };
    let end;
    if let Some(slash) = addr_str.find('/') {
        let mask_s = &addr_str[slash + 1..];
        let (mask, rest, _) = crate::config::values::strtoul(mask_s, 10);
        let bits = if start.fam() == Fam::V4 { 32 } else { 128 };
        if !rest.is_empty() || mask == 0 || mask > bits {
            skip(c, "Invalid netmask");
            return;
        }
        match addr::mask_range(start.ip, mask as u32) {
            Some(e) => end = e,
            None => {
                skip(c, "Address mask bits not empty");
                return;
            }
        }
    } else if let Some(dash) = addr_str.find('-').filter(|&d| {
        let tail = &addr_str[d + 1..];
        (start.fam() == Fam::V4 && tail.contains('.'))
            || (start.fam() == Fam::V6 && tail.contains(':'))
    }) {
        let Some(e) = addr::stosockaddr(c, &addr_str[dash + 1..], port_str) else {
            c.err(
                ErrClass::GeneralError,
                format!("Invalid range end {addr_str} - skipping"),
            );
            return;
        };
        if e.fam() != start.fam() {
            c.err(
                ErrClass::GeneralError,
                format!("Range address families do not match {addr_str} - skipping"),
            );
            return;
        }
        if addr::ip_bits(e.ip) < addr::ip_bits(start.ip) {
            skip(c, "Address range end is less than address range start");
            return;
        }
        end = e.ip;
    } else {
        match addr::inet_stor(c, addr_str) {
            Err(()) => return,
            Ok(None) => end = start.ip,
            Ok(Some(range)) => {
                let (e, first) = addr::with_last_part(start.ip, range);
                if first >= range {
                    c.err(ErrClass::GeneralError, format!("Address range end is not greater than address range start - {addr_str} - skipping"));
                    return;
                }
                end = e;
            }
        }
    }
    if port_str.is_none() {
        start.port = 0;
    }
    let Some(g) = c.state.lvs.vsgs.last_mut() else {
        return;
    };
    match start.fam() {
        Fam::V4 => g.have_ipv4 = true,
        Fam::V6 => g.have_ipv6 = true,
    }
    g.ranges.push(VsgEntry { addr: start, end });
}

// ---------------------------------------------------------------- virtual_server

fn vs_handler(c: &mut C, w: &[String]) {
    note_block(c);
    c.state.lvs.n_vs += 1;
    c.state.cfg.lvs_blocks += 1;
    let Some(p1) = arg1(c, w) else { return };
    let kind = match p1 {
        "group" | "fwmark" if w.len() < 3 => {
            let why = format!(
                "`virtual_server {p1}` without its {}: keepalived 2.2.7 dereferences NULL",
                if p1 == "group" { "name" } else { "number" }
            );
            c.log(why.clone());
            c.state.lvs.die(11, why);
            c.skip_block(true);
            return;
        }
        "group" => VsKind::Group(w[2].clone()),
        "fwmark" => {
            let p2 = w[2].as_str();
            match values::read_unsigned(c, p2, 0, UINT_MAX, true) {
                Some(m) => VsKind::Fwmark(m as u32),
                None => {
                    c.err(
                        ErrClass::GeneralError,
                        format!(
                            "virtual server fwmark '{p2}' must be in [0, {UINT_MAX}] - ignoring"
                        ),
                    );
                    c.skip_block(true);
                    return;
                }
            }
        }
        ip => {
            let port = w
                .get(2)
                .map(String::as_str)
                .filter(|p| !p.bytes().all(|b| b == b'0'));
            match addr::stosockaddr(c, ip, port) {
                Some(a) => VsKind::Addr(a),
                None => {
                    let (a, b, p) = match port {
                        Some(p) => ("/port", "/", p),
                        None => ("", "", ""),
                    };
                    c.err(
                        ErrClass::GeneralError,
                        format!("Invalid virtual server IP address{a} {ip}{b}{p} - skipping"),
                    );
                    c.skip_block(true);
                    return;
                }
            }
        }
    };
    let af = match &kind {
        VsKind::Addr(a) => Some(a.fam()),
        _ => None,
    };
    let id = c.state.lvs.id();
    c.state.lvs.vs.push(Vs {
        id,
        kind,
        af,
        proto: Proto::None,
        sched: None,
        ops: false,
        fwd: None,
        persistence_timeout: 0,
        quorum: 1,
        hysteresis: 0,
        weight: 1,
        ha_suspend: false,
        inhibit: false,
        s_svr: None,
        rs: Vec::new(),
        quorum_up: false,
        quorum_down: false,
        vsg: None,
        seq: 0,
    });
}

fn vs_end(c: &mut C) {
    let Some(vs) = c.state.lvs.vs.last_mut() else {
        return;
    };
    let mut msg = None;
    if let Some(s) = &vs.s_svr {
        if s.fwd != Some(Fwd::Tun) {
            match vs.af {
                None => vs.af = Some(s.addr.fam()),
                Some(af) if af != s.addr.fam() => {
                    msg = Some(format!(
                        "Address family of virtual server and sorry server {} don't match - skipping sorry server.",
                        s.addr.ip
                    ));
                    vs.s_svr = None;
                }
                Some(_) => {}
            }
        }
    }
    if vs.af.is_none() && vs.group_name().is_none() {
        let mut mixed = false;
        if let Some(s) = &vs.s_svr {
            vs.af = Some(s.addr.fam());
        }
        for rs in &vs.rs {
            match vs.af {
                None => vs.af = Some(rs.addr.fam()),
                Some(af) if af != rs.addr.fam() => {
                    mixed = true;
                    break;
                }
                Some(_) => {}
            }
        }
        if mixed || vs.af.is_none() {
            vs.af = Some(Fam::V4);
        }
    }
    if let Some(m) = msg {
        c.err(ErrClass::GeneralError, m);
    }
}

/// Run `f` on the virtual server being read.
fn with_vs(c: &mut C, f: impl FnOnce(&mut Vs)) {
    if let Some(vs) = c.state.lvs.vs.last_mut() {
        f(vs);
    }
}

/// Run `f` on the real server being read.
fn with_rs(c: &mut C, f: impl FnOnce(&mut Server)) {
    if let Some(rs) = c.state.lvs.vs.last_mut().and_then(|v| v.rs.last_mut()) {
        f(rs);
    }
}

fn vs_ip_family(c: &mut C, w: &[String]) {
    let Some(fam) = arg1(c, w) else { return };
    let af = match fam {
        "inet" => Fam::V4,
        "inet6" => Fam::V6,
        _ => {
            c.err(
                ErrClass::GeneralError,
                format!("unknown address family {fam}"),
            );
            return;
        }
    };
    let cur = c.state.lvs.vs.last().and_then(|v| v.af);
    if cur.is_some_and(|a| a != af) {
        c.err(
            ErrClass::GeneralError,
            format!("Virtual server specified family {fam} conflicts with server family"),
        );
        return;
    }
    with_vs(c, |vs| vs.af = Some(af));
}

/// A numeric keyword: read, or report `msg` (with `{}` replaced by the value).
fn number_or(c: &mut C, w: &[String], ok: Option<u64>, msg: &str) -> Option<u64> {
    if ok.is_none() {
        let v = w.get(1).map_or("", String::as_str);
        c.err(ErrClass::GeneralError, msg.replace("{}", v));
    }
    ok
}

fn vs_retry(c: &mut C, w: &[String]) {
    let Some(v) = arg1(c, w) else { return };
    let r = values::read_unsigned(c, v, 1, UINT_MAX, false);
    number_or(c, w, r, "retry value invalid - {}");
}

fn timer_kw(c: &mut C, w: &[String], min: u64, max: u64, msg: &str) {
    let Some(v) = arg1(c, w) else { return };
    let r = read_timer(c, v, min, max, true);
    number_or(c, w, r, msg);
}

fn vs_delay_before_retry(c: &mut C, w: &[String]) {
    timer_kw(
        c,
        w,
        0,
        0,
        "virtual server delay before retry '{}' invalid - ignoring",
    );
}
fn vs_warmup(c: &mut C, w: &[String]) {
    timer_kw(c, w, 0, 0, "virtual server warmup '{}' invalid - ignoring");
}
fn vs_connect_timeout(c: &mut C, w: &[String]) {
    timer_kw(
        c,
        w,
        1,
        UINT_MAX,
        "virtual server connect_timeout {} invalid - ignoring",
    );
}
fn vs_delay_loop(c: &mut C, w: &[String]) {
    timer_kw(
        c,
        w,
        1,
        0,
        "virtual server delay loop '{}' invalid - ignoring",
    );
}

fn vs_inhibit(c: &mut C, _w: &[String]) {
    with_vs(c, |vs| vs.inhibit = true);
}

fn vs_lb_algo(c: &mut C, w: &[String]) {
    let Some(s) = arg1(c, w) else { return };
    match SCHEDULERS.iter().find(|n| **n == s) {
        Some(n) => with_vs(c, |vs| vs.sched = Some(n)),
        None => {
            c.err(
                ErrClass::GeneralError,
                format!("Invalid lvs_scheduler '{s}' - ignoring"),
            );
        }
    }
}

fn vs_lbflags(c: &mut C, w: &[String]) {
    let s = w[0].as_str();
    match s {
        "ops" => with_vs(c, |vs| vs.ops = true),
        "flag-1" | "flag-2" | "flag-3" => {}
        _ => {
            let sched = c.state.lvs.vs.last().and_then(|v| v.sched);
            if !matches!(sched, Some("sh" | "mh")) {
                c.err(
                    ErrClass::GeneralError,
                    format!("{s} only applies to sh scheduler - ignoring"),
                );
            }
        }
    }
}

/// keepalived `svr_forwarding_handler`: the method when it was recognised
/// (the tunnel options after it may still be reported as invalid).
fn forwarding(c: &mut C, w: &[String], s_type: &str) -> Option<Fwd> {
    let m = arg1(c, w)?;
    let fwd = match m {
        "NAT" => Fwd::Nat,
        "DR" => Fwd::Dr,
        "TUN" => Fwd::Tun,
        _ => {
            c.err(
                ErrClass::GeneralError,
                format!("PARSER : unknown [{m}] routing method for {s_type} server."),
            );
            return None;
        }
    };
    #[derive(PartialEq)]
    enum Tun {
        Ipip,
        Gue,
        Gre,
    }
    #[derive(PartialEq)]
    enum Csum {
        No,
        Yes,
        Remote,
    }
    let (mut tun, mut port, mut csum) = (Tun::Ipip, 0, Csum::No);
    let mut i = 2;
    while i < w.len() {
        match w[i].as_str() {
            "type" => {
                let Some(t) = w.get(i + 1) else {
                    c.err(
                        ErrClass::GeneralError,
                        format!("Missing tunnel type for {s_type} server."),
                    );
                    return Some(fwd);
                };
                tun = match t.as_str() {
                    "ipip" => Tun::Ipip,
                    "gue" => Tun::Gue,
                    "gre" => Tun::Gre,
                    _ => {
                        c.err(
                            ErrClass::GeneralError,
                            format!("Unknown tunnel type {t} for {s_type} server."),
                        );
                        return Some(fwd);
                    }
                };
                i += 1;
            }
            "port" => {
                let Some(p) = w.get(i + 1) else {
                    c.err(
                        ErrClass::GeneralError,
                        format!("Missing port for {s_type} server gue tunnel."),
                    );
                    return Some(fwd);
                };
                match values::read_unsigned(c, p, 1, 65535, false) {
                    Some(v) => port = v,
                    None => {
                        c.err(
                            ErrClass::GeneralError,
                            format!("Invalid gue tunnel port {p} for {s_type} server."),
                        );
                        return Some(fwd);
                    }
                }
                i += 1;
            }
            "nocsum" => csum = Csum::No,
            "csum" => csum = Csum::Yes,
            "remcsum" => csum = Csum::Remote,
            o => {
                c.err(
                    ErrClass::GeneralError,
                    format!("Invalid tunnel option {o} for {s_type} server."),
                );
                return Some(fwd);
            }
        }
        i += 1;
    }
    if (tun == Tun::Gue) != (port != 0) {
        c.err(
            ErrClass::GeneralError,
            "gue tunnels require port, otherwise cannot have port.",
        );
    } else if tun == Tun::Ipip && csum != Csum::No {
        c.err(
            ErrClass::GeneralError,
            "ipip tunnels do not support checksum option.",
        );
    } else if tun == Tun::Gre && csum == Csum::Remote {
        c.err(
            ErrClass::GeneralError,
            "gre tunnels do not support remote checksum option.",
        );
    }
    Some(fwd)
}

fn vs_lb_kind(c: &mut C, w: &[String]) {
    if let Some(f) = forwarding(c, w, "virtual") {
        with_vs(c, |vs| vs.fwd = Some(f));
    }
}

fn vs_persistence_engine(c: &mut C, w: &[String]) {
    let Some(s) = arg1(c, w) else { return };
    // pe_name[IP_VS_PENAME_MAXLEN + 1]
    if s.len() > 16 {
        c.err(
            ErrClass::GeneralError,
            format!("persistence_name too long, truncating - {s}"),
        );
    }
}

fn vs_persistence_timeout(c: &mut C, w: &[String]) {
    let Some(v) = w.get(1) else {
        with_vs(c, |vs| vs.persistence_timeout = PERSISTENT_TIMEOUT);
        return;
    };
    match values::read_unsigned(c, v, 1, LVS_MAX_TIMEOUT, false) {
        Some(t) => with_vs(c, |vs| vs.persistence_timeout = t as u32),
        None => {
            c.err(ErrClass::GeneralError, "persistence_timeout invalid");
        }
    }
}

fn vs_persistence_granularity(c: &mut C, w: &[String]) {
    let Some(v) = arg1(c, w) else { return };
    let af = c
        .state
        .lvs
        .vs
        .last()
        .and_then(|vs| vs.af)
        .unwrap_or(if v.contains('.') { Fam::V4 } else { Fam::V6 });
    if af == Fam::V6 {
        if values::read_unsigned(c, v, 1, 128, false).is_none() {
            c.err(
                ErrClass::GeneralError,
                format!("Invalid IPv6 persistence_granularity specified - {v}"),
            );
            return;
        }
    } else if crate::config::values::inet_aton(v).is_none() {
        c.err(
            ErrClass::GeneralError,
            format!("Invalid IPv4 persistence_granularity specified - {v}"),
        );
        return;
    }
    with_vs(c, |vs| {
        if vs.af.is_none() {
            vs.af = Some(af);
        }
        if vs.persistence_timeout == 0 {
            vs.persistence_timeout = PERSISTENT_TIMEOUT;
        }
    });
}

fn vs_protocol(c: &mut C, w: &[String]) {
    let Some(p) = arg1(c, w) else { return };
    let proto = match p.to_ascii_uppercase().as_str() {
        "TCP" => Proto::Tcp,
        "SCTP" => Proto::Sctp,
        "UDP" => Proto::Udp,
        _ => {
            c.err(
                ErrClass::GeneralError,
                format!("Unknown protocol {p} - ignoring"),
            );
            return;
        }
    };
    with_vs(c, |vs| vs.proto = proto);
}

fn vs_ha_suspend(c: &mut C, _w: &[String]) {
    with_vs(c, |vs| vs.ha_suspend = true);
}

fn vs_smtp_alert(c: &mut C, w: &[String]) {
    opt_bool(c, w, "Invalid virtual_server smtp_alert parameter");
}

fn vs_virtualhost(c: &mut C, w: &[String]) {
    if w.len() < 2 {
        c.err(ErrClass::GeneralError, "virtual server virtualhost missing");
    }
}

fn vs_snmp_name(c: &mut C, w: &[String]) {
    if w.len() != 2 {
        c.err(
            ErrClass::GeneralError,
            "virtual server snmp_name missing or extra parameters",
        );
    }
}

fn nothing(_c: &mut C, _w: &[String]) {}

fn vs_quorum_script(c: &mut C, w: &[String], up: bool) {
    let name = if up { "quorum_up" } else { "quorum_down" };
    let Some(vs) = c.state.lvs.vs.last() else {
        return;
    };
    let (already, gname, vs_id) = (
        if up { vs.quorum_up } else { vs.quorum_down },
        vs.vsgname(),
        vs.id,
    );
    if already {
        let Some(v) = arg1(c, w) else { return };
        c.err(
            ErrClass::GeneralError,
            format!("({gname}) {name} script already specified - ignoring {v}"),
        );
        return;
    }
    let Some((args, uid, gid)) = notify_script(c, "quorum") else {
        return;
    };
    c.state.lvs.scripts.push(ScriptEntry {
        misc: false,
        vs_id,
        rs_id: None,
        args,
        uid,
        gid,
    });
    with_vs(c, |vs| {
        if up {
            vs.quorum_up = true;
        } else {
            vs.quorum_down = true;
        }
    });
}

fn vs_quorum_up(c: &mut C, w: &[String]) {
    vs_quorum_script(c, w, true);
}
fn vs_quorum_down(c: &mut C, w: &[String]) {
    vs_quorum_script(c, w, false);
}

fn vs_quorum(c: &mut C, w: &[String]) {
    let Some(v) = arg1(c, w) else { return };
    let q = match values::read_unsigned(c, v, 1, UINT_MAX, true) {
        Some(q) => q,
        None => {
            c.err(
                ErrClass::GeneralError,
                format!("Quorum {v} must be in [1, {UINT_MAX}]. Setting to 1."),
            );
            1
        }
    };
    with_vs(c, |vs| vs.quorum = q);
}

fn vs_hysteresis(c: &mut C, w: &[String]) {
    let Some(v) = arg1(c, w) else { return };
    match values::read_unsigned(c, v, 0, UINT_MAX, true) {
        Some(h) => with_vs(c, |vs| vs.hysteresis = h),
        None => {
            c.err(
                ErrClass::GeneralError,
                format!("Hysteresis {v} must be in [0, {UINT_MAX}] - ignoring"),
            );
        }
    }
}

fn vs_weight(c: &mut C, w: &[String]) {
    let Some(v) = arg1(c, w) else { return };
    match values::read_unsigned(c, v, 1, WEIGHT_LIMIT, true) {
        Some(x) => with_vs(c, |vs| vs.weight = x),
        None => {
            c.err(
                ErrClass::GeneralError,
                format!("Virtual server weight {v} is outside range 1-{WEIGHT_LIMIT}"),
            );
        }
    }
}

/// The port word of a server line, `None` when absent or zero
/// (keepalived does not pass a zero port to inet_stosockaddr).
fn port_word(w: &[String], i: usize) -> Option<&str> {
    w.get(i)
        .map(String::as_str)
        .filter(|p| !p.bytes().all(|b| b == b'0'))
}

fn vs_sorry_server(c: &mut C, w: &[String]) {
    let Some(ip) = arg1(c, w) else { return };
    let Some(a) = addr::stosockaddr(c, ip, port_word(w, 2)) else {
        c.err(
            ErrClass::GeneralError,
            format!("Invalid sorry server IP address {ip} - skipping"),
        );
        return;
    };
    let id = c.state.lvs.id();
    with_vs(c, |vs| {
        let mut s = Server::new(id, a, vs.fwd);
        s.inhibit = Some(false);
        vs.s_svr = Some(s);
    });
}

fn vs_sorry_server_inhibit(c: &mut C, _w: &[String]) {
    let has = c.state.lvs.vs.last().is_some_and(|v| v.s_svr.is_some());
    if has {
        with_vs(c, |vs| {
            if let Some(s) = vs.s_svr.as_mut() {
                s.inhibit = Some(true);
            }
        });
    } else {
        c.err(
            ErrClass::GeneralError,
            "Ignoring sorry_server inhibit used before or without sorry_server",
        );
    }
}

fn vs_sorry_server_lvs_method(c: &mut C, w: &[String]) {
    let has = c.state.lvs.vs.last().is_some_and(|v| v.s_svr.is_some());
    if !has {
        c.err(
            ErrClass::GeneralError,
            "sorry_server forwarding used without sorry_server",
        );
        return;
    }
    if let Some(f) = forwarding(c, w, "sorry") {
        with_vs(c, |vs| {
            if let Some(s) = vs.s_svr.as_mut() {
                s.fwd = Some(f);
            }
        });
    }
}

// ---------------------------------------------------------------- real_server

fn rs_handler(c: &mut C, w: &[String]) {
    let Some(ip) = arg1(c, w) else { return };
    let port = w.get(2).map(String::as_str);
    let Some(a) = addr::stosockaddr(c, ip, port_word(w, 2)) else {
        c.err(
            ErrClass::GeneralError,
            format!(
                "Invalid real server ip address/port {ip}/{} - skipping",
                port.unwrap_or("(null)")
            ),
        );
        c.skip_block(true);
        return;
    };
    let id = c.state.lvs.id();
    with_vs(c, |vs| {
        let rs = Server::new(id, a, vs.fwd);
        vs.rs.push(rs);
    });
}

fn rs_end(c: &mut C) {
    let Some(vs) = c.state.lvs.vs.last_mut() else {
        return;
    };
    let Some(rs) = vs.rs.last() else { return };
    if rs.fwd == Some(Fwd::Tun) {
        return;
    }
    match vs.af {
        None => vs.af = Some(rs.addr.fam()),
        Some(af) if af != rs.addr.fam() => {
            let msg = format!(
                "Address family of virtual server and real server {} don't match - skipping real server.",
                rs.addr.ip
            );
            let id = rs.id;
            vs.rs.pop();
            c.state
                .lvs
                .scripts
                .retain(|s| s.misc || s.rs_id != Some(id));
            c.err(ErrClass::GeneralError, msg);
        }
        Some(_) => {}
    }
}

fn rs_weight(c: &mut C, w: &[String]) {
    let Some(v) = arg1(c, w) else { return };
    match values::read_unsigned(c, v, 0, WEIGHT_LIMIT, true) {
        Some(x) => with_rs(c, |rs| rs.weight = Some(x)),
        None => {
            c.err(
                ErrClass::GeneralError,
                format!("Real server weight {v} is outside range 0-{WEIGHT_LIMIT}"),
            );
        }
    }
}

fn rs_lvs_method(c: &mut C, w: &[String]) {
    if let Some(f) = forwarding(c, w, "real") {
        with_rs(c, |rs| rs.fwd = Some(f));
    }
}

fn rs_threshold(c: &mut C, w: &[String], which: &str) {
    let Some(v) = arg1(c, w) else { return };
    if values::read_unsigned(c, v, 0, UINT_MAX, true).is_none() {
        c.err(
            ErrClass::GeneralError,
            format!("Invalid real_server {which} '{v}' - ignoring"),
        );
    }
}

fn rs_uthreshold(c: &mut C, w: &[String]) {
    rs_threshold(c, w, "uthreshold");
}
fn rs_lthreshold(c: &mut C, w: &[String]) {
    rs_threshold(c, w, "lthreshold");
}

fn rs_inhibit(c: &mut C, w: &[String]) {
    if let Some(b) = opt_bool(c, w, "Invalid inhibit_on_failure parameter") {
        with_rs(c, |rs| rs.inhibit = Some(b));
    }
}

fn rs_notify(c: &mut C, w: &[String], up: bool) {
    let name = if up { "notify_up" } else { "notify_down" };
    let Some(vs) = c.state.lvs.vs.last() else {
        return;
    };
    let Some(rs) = vs.rs.last() else { return };
    let (already, gname, vs_id, rs_id) = (
        if up { rs.notify_up } else { rs.notify_down },
        vs.vsgname(),
        vs.id,
        rs.id,
    );
    if already {
        let Some(v) = arg1(c, w) else { return };
        c.err(
            ErrClass::GeneralError,
            format!("({gname}) {name} script already specified - ignoring {v}"),
        );
        return;
    }
    let Some((args, uid, gid)) = notify_script(c, "notify") else {
        return;
    };
    c.state.lvs.scripts.push(ScriptEntry {
        misc: false,
        vs_id,
        rs_id: Some(rs_id),
        args,
        uid,
        gid,
    });
    with_rs(c, |rs| {
        if up {
            rs.notify_up = true;
        } else {
            rs.notify_down = true;
        }
    });
}

fn rs_notify_up(c: &mut C, w: &[String]) {
    rs_notify(c, w, true);
}
fn rs_notify_down(c: &mut C, w: &[String]) {
    rs_notify(c, w, false);
}

fn rs_alpha(c: &mut C, w: &[String]) {
    opt_bool(c, w, "Invalid alpha parameter");
}

fn rs_retry(c: &mut C, w: &[String]) {
    vs_retry(c, w);
}
fn rs_delay_before_retry(c: &mut C, w: &[String]) {
    timer_kw(
        c,
        w,
        0,
        0,
        "real server delay_before_retry '{}' invalid - ignoring",
    );
}
fn rs_warmup(c: &mut C, w: &[String]) {
    timer_kw(c, w, 0, 0, "real server warmup '{}' invalid - ignoring");
}
fn rs_connect_timeout(c: &mut C, w: &[String]) {
    timer_kw(
        c,
        w,
        1,
        UINT_MAX,
        "real server connect_timeout {} invalid - ignoring",
    );
}
fn rs_delay_loop(c: &mut C, w: &[String]) {
    timer_kw(c, w, 1, 0, "real server delay_loop '{}' invalid - ignoring");
}

fn rs_smtp_alert(c: &mut C, w: &[String]) {
    opt_bool(c, w, "Invalid real_server smtp_alert parameter");
}

fn rs_virtualhost(c: &mut C, w: &[String]) {
    if w.len() < 2 {
        c.err(ErrClass::GeneralError, "real server virtualhost missing");
    }
}

fn rs_snmp_name(c: &mut C, w: &[String]) {
    if w.len() != 2 {
        c.err(
            ErrClass::GeneralError,
            "real server snmp_name missing or extra parameters",
        );
    }
}

// ---------------------------------------------------------------- tables

static SSL_KW: [K; 4] = [
    Kw::new("password", ssl_password),
    Kw::new("ca", ssl_ca),
    Kw::new("certificate", ssl_cert),
    Kw::new("key", ssl_key),
];

/// `real_server { ... }`: its options and the checkers.
static RS_KW: LazyLock<Vec<K>> = LazyLock::new(|| {
    let mut v = vec![
        Kw::new("weight", rs_weight),
        Kw::new("lvs_method", rs_lvs_method),
        Kw::new("uthreshold", rs_uthreshold),
        Kw::new("lthreshold", rs_lthreshold),
        Kw::new("inhibit_on_failure", rs_inhibit),
        Kw::new("notify_up", rs_notify_up),
        Kw::new("notify_down", rs_notify_down),
        Kw::new("alpha", rs_alpha),
        Kw::new("retry", rs_retry),
        Kw::new("delay_before_retry", rs_delay_before_retry),
        Kw::new("warmup", rs_warmup),
        Kw::new("connect_timeout", rs_connect_timeout),
        Kw::new("delay_loop", rs_delay_loop),
        Kw::new("smtp_alert", rs_smtp_alert),
        Kw::new("virtualhost", rs_virtualhost),
        Kw::new("snmp_name", rs_snmp_name),
    ];
    v.extend(checkers::keywords());
    v
});

/// `virtual_server { ... }`.
static VS_KW: LazyLock<Vec<K>> = LazyLock::new(|| {
    vec![
        Kw::new("ip_family", vs_ip_family),
        Kw::new("retry", vs_retry),
        Kw::new("delay_before_retry", vs_delay_before_retry),
        Kw::new("warmup", vs_warmup),
        Kw::new("connect_timeout", vs_connect_timeout),
        Kw::new("delay_loop", vs_delay_loop),
        Kw::new("inhibit_on_failure", vs_inhibit),
        Kw::new("lb_algo", vs_lb_algo),
        Kw::new("lvs_sched", vs_lb_algo),
        Kw::new("hashed", vs_lbflags),
        Kw::new("ops", vs_lbflags),
        Kw::new("flag-1", vs_lbflags),
        Kw::new("flag-2", vs_lbflags),
        Kw::new("flag-3", vs_lbflags),
        Kw::new("sh-port", vs_lbflags),
        Kw::new("sh-fallback", vs_lbflags),
        Kw::new("mh-port", vs_lbflags),
        Kw::new("mh-fallback", vs_lbflags),
        Kw::new("lb_kind", vs_lb_kind),
        Kw::new("lvs_method", vs_lb_kind),
        Kw::new("persistence_engine", vs_persistence_engine),
        Kw::new("persistence_timeout", vs_persistence_timeout),
        Kw::new("persistence_granularity", vs_persistence_granularity),
        Kw::new("protocol", vs_protocol),
        Kw::new("ha_suspend", vs_ha_suspend),
        Kw::new("smtp_alert", vs_smtp_alert),
        Kw::new("virtualhost", vs_virtualhost),
        Kw::new("snmp_name", vs_snmp_name),
        Kw::new("alpha", nothing),
        Kw::new("omega", nothing),
        Kw::new("quorum_up", vs_quorum_up),
        Kw::new("quorum_down", vs_quorum_down),
        Kw::new("quorum", vs_quorum),
        Kw::new("hysteresis", vs_hysteresis),
        Kw::new("weight", vs_weight),
        Kw::new("sorry_server", vs_sorry_server),
        Kw::new("sorry_server_inhibit", vs_sorry_server_inhibit),
        Kw::new("sorry_server_lvs_method", vs_sorry_server_lvs_method),
        Kw::block(
            "real_server",
            Some(rs_handler),
            RS_KW.as_slice(),
            Some(rs_end),
        ),
    ]
});

/// The LVS and BFD top-level keywords.
pub fn root_keywords() -> Vec<K> {
    vec![
        Kw::block("SSL", Some(ssl_handler), &SSL_KW, None),
        Kw::new("virtual_server_group", vsg_handler),
        Kw::block(
            "virtual_server",
            Some(vs_handler),
            VS_KW.as_slice(),
            Some(vs_end),
        ),
        bfd::root_keyword(),
    ]
}
