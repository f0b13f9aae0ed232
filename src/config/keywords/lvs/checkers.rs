//! The health checkers of a `real_server`: TCP_CHECK, HTTP_GET / SSL_GET
//! (with `url` blocks), MISC_CHECK, SMTP_CHECK (with its deprecated `host`
//! blocks), DNS_CHECK, UDP_CHECK, PING_CHECK, FILE_CHECK and BFD_CHECK, with
//! keepalived 2.2.7's keywords and messages (keepalived/check/check_*.c).

use super::addr::{self, SockAddr};
use super::{
    C, K, ScriptEntry, UINT_MAX, WEIGHT_LIMIT, arg1, default_script_user, lookup_user, opt_bool,
    read_timer,
};
use crate::config::diag::ErrClass;
use crate::config::format::cmd_str;
use crate::config::parser::Kw;
use crate::config::values;
use std::sync::LazyLock;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    Tcp,
    Http,
    Misc,
    Smtp,
    Dns,
    Udp,
    Ping,
    File,
    Bfd,
}

/// Connection options (keepalived `conn_opts_t`).
#[derive(Clone, Debug, Default)]
pub(super) struct Co {
    dst: Option<SockAddr>,
    dst_port: bool,
    bindto: Option<SockAddr>,
    bind_port: bool,
    bind_if: bool,
    fwmark: bool,
    timeout: bool,
}

impl Co {
    fn to(dst: Option<SockAddr>) -> Self {
        Co {
            dst,
            ..Default::default()
        }
    }
    fn touched(&self) -> bool {
        self.dst.is_some()
            || self.dst_port
            || self.bindto.is_some()
            || self.bind_port
            || self.bind_if
            || self.fwmark
            || self.timeout
    }
}

/// A MISC_CHECK being read: its script and the uid/gid of its `user`.
type Misc = (Option<Vec<String>>, Option<(u32, u32)>);

/// The checker block being read.
#[derive(Clone, Debug)]
pub(super) struct Cur {
    vs_id: usize,
    rs_id: usize,
    rs_addr: SockAddr,
    /// The real server as keepalived prints it at this point (FMT_RS).
    rs_fmt: String,
    co: Co,
    /// SMTP_CHECK: the checker's own options while a `host` block is read.
    saved_co: Option<Co>,
    smtp_hosts: usize,
    /// HTTP_GET / SSL_GET: urls kept, and the one being read (has a path,
    /// has a digest).
    urls: usize,
    url: Option<(bool, bool)>,
    /// MISC_CHECK: `None` once removed.
    misc: Option<Misc>,
    dns_name: bool,
    udp_len: (u64, u64),
    /// FILE_CHECK: a known track_file was named.
    file: bool,
    /// BFD_CHECK: `false` once removed; the BFD named.
    bfd_active: bool,
    bfd_name: Option<String>,
}

/// Start checker `kind` on the real server being read.
fn open(c: &mut C, kind: Kind) {
    let Some(vs) = c.state.lvs.vs.last() else {
        return;
    };
    let Some(rs) = vs.rs.last() else { return };
    let dst = if kind == Kind::Smtp {
        None
    } else {
        Some(rs.addr)
    };
    if kind != Kind::File {
        let has_co = !matches!(kind, Kind::Misc | Kind::Bfd);
        c.state.lvs.queue.push(has_co);
    }
    let cur = Cur {
        vs_id: vs.id,
        rs_id: rs.id,
        rs_addr: rs.addr,
        rs_fmt: vs.fmt_rs(rs),
        co: Co::to(dst),
        saved_co: None,
        smtp_hosts: 0,
        urls: 0,
        url: None,
        misc: (kind == Kind::Misc).then_some((None, None)),
        dns_name: false,
        udp_len: (0, 255),
        file: false,
        bfd_active: kind == Kind::Bfd,
        bfd_name: None,
    };
    c.state.lvs.cur = Some(cur);
}

fn cur<'a>(c: &'a mut C<'_, '_>) -> Option<&'a mut Cur> {
    c.state.lvs.cur.as_mut()
}

/// keepalived `dequeue_new_checker`: the checker being read is dropped.
fn dequeue(c: &mut C) {
    c.state.lvs.queue.pop();
}

/// keepalived `check_conn_opts`: false (reported) when the checker must go.
fn conn_ok(c: &mut C, co: &Co) -> bool {
    match co.dst {
        Some(d) if d.is_link_local() && !co.bind_if => {
            c.err(
                ErrClass::GeneralError,
                format!("Checker link local address {} requires a bind_if", d.ip),
            );
            false
        }
        _ => true,
    }
}

// ------------------------------------------------------------ common keywords

fn co_ip(c: &mut C, w: &[String]) {
    let Some(v) = arg1(c, w) else { return };
    let a = addr::stosockaddr(c, v, None);
    let bind = c.state.lvs.cur.as_ref().and_then(|k| k.co.bindto);
    let new = match a {
        None => {
            c.err(
                ErrClass::GeneralError,
                format!("Invalid connect_ip address {v} - ignoring"),
            );
            None
        }
        Some(a) if bind.is_some_and(|b| b.fam() != a.fam()) => {
            c.err(
                ErrClass::GeneralError,
                format!(
                    "connect_ip address {v} does not match address family of bindto - skipping"
                ),
            );
            None
        }
        Some(a) => Some(a),
    };
    if let Some(k) = cur(c) {
        k.co.dst = new;
    }
}

fn co_port(c: &mut C, w: &[String]) {
    let Some(v) = arg1(c, w) else { return };
    if values::read_unsigned(c, v, 1, 65535, true).is_none() {
        c.err(
            ErrClass::GeneralError,
            format!("Invalid checker connect_port '{v}'"),
        );
        return;
    }
    if let Some(k) = cur(c) {
        k.co.dst_port = true;
    }
}

fn co_bindto(c: &mut C, w: &[String]) {
    let Some(v) = arg1(c, w) else { return };
    let a = addr::stosockaddr(c, v, None);
    let dst = c.state.lvs.cur.as_ref().and_then(|k| k.co.dst);
    let new = match a {
        None => {
            c.err(
                ErrClass::GeneralError,
                format!("Invalid bindto address {v} - ignoring"),
            );
            None
        }
        Some(a) if dst.is_some_and(|d| d.fam() != a.fam()) => {
            c.err(
                ErrClass::GeneralError,
                format!(
                    "bindto address {v} does not match address family of connect_ip - skipping"
                ),
            );
            None
        }
        Some(a) => Some(a),
    };
    if let Some(k) = cur(c) {
        k.co.bindto = new;
    }
}

fn co_bind_port(c: &mut C, w: &[String]) {
    let Some(v) = arg1(c, w) else { return };
    if values::read_unsigned(c, v, 1, 65535, true).is_none() {
        c.err(
            ErrClass::GeneralError,
            format!("Invalid checker bind_port '{v}'"),
        );
        return;
    }
    if let Some(k) = cur(c) {
        k.co.bind_port = true;
    }
}

fn co_bind_if(c: &mut C, w: &[String]) {
    let Some(v) = arg1(c, w) else { return };
    // bind_if[IFNAMSIZ]
    if v.len() > 15 {
        c.err(
            ErrClass::GeneralError,
            format!("Interface name {v} is too long - ignoring"),
        );
        return;
    }
    if let Some(k) = cur(c) {
        k.co.bind_if = true;
    }
}

fn co_timeout(c: &mut C, w: &[String]) {
    let Some(v) = arg1(c, w) else { return };
    if read_timer(c, v, 1, UINT_MAX, true).is_none() {
        c.err(
            ErrClass::GeneralError,
            format!("connect_timeout {v} invalid - ignoring"),
        );
        return;
    }
    if let Some(k) = cur(c) {
        k.co.timeout = true;
    }
}

fn co_fwmark(c: &mut C, w: &[String]) {
    let Some(v) = arg1(c, w) else { return };
    match values::read_unsigned(c, v, 0, UINT_MAX, true) {
        None => {
            c.err(
                ErrClass::GeneralError,
                format!("Invalid fwmark connection value '{v}'"),
            );
        }
        Some(m) => {
            if let Some(k) = cur(c) {
                k.co.fwmark = m != 0;
            }
        }
    }
}

fn retry(c: &mut C, w: &[String]) {
    let Some(v) = arg1(c, w) else { return };
    if values::read_unsigned(c, v, 0, UINT_MAX, true).is_none() {
        c.err(
            ErrClass::GeneralError,
            format!("Invalid retry connection value '{v}'"),
        );
    }
}

fn delay_before_retry(c: &mut C, w: &[String]) {
    let Some(v) = arg1(c, w) else { return };
    if read_timer(c, v, 0, 0, true).is_none() {
        c.err(
            ErrClass::GeneralError,
            format!("Invalid delay_before_retry connection value '{v}'"),
        );
    }
}

fn warmup(c: &mut C, w: &[String]) {
    let Some(v) = arg1(c, w) else { return };
    if read_timer(c, v, 0, 0, true).is_none() {
        c.err(
            ErrClass::GeneralError,
            format!("Invalid warmup connection value '{v}'"),
        );
    }
}

fn delay_loop(c: &mut C, w: &[String]) {
    let Some(v) = arg1(c, w) else { return };
    if read_timer(c, v, 1, 0, true).is_none() {
        c.err(
            ErrClass::GeneralError,
            format!("delay_loop '{v}' is invalid - ignoring"),
        );
    }
}

fn alpha(c: &mut C, w: &[String]) {
    opt_bool(c, w, "Invalid alpha parameter");
}

fn log_all_failures(c: &mut C, w: &[String]) {
    opt_bool(c, w, "Invalid log_all_failures parameter");
}

/// keepalived `install_checker_common_keywords`.
fn common(connection: bool) -> Vec<K> {
    let mut v = Vec::new();
    if connection {
        v.extend([
            Kw::new("connect_ip", co_ip),
            Kw::new("connect_port", co_port),
            Kw::new("bindto", co_bindto),
            Kw::new("bind_port", co_bind_port),
            Kw::new("bind_if", co_bind_if),
            Kw::new("connect_timeout", co_timeout),
            Kw::new("fwmark", co_fwmark),
        ]);
    }
    v.extend([
        Kw::new("retry", retry),
        Kw::new("delay_before_retry", delay_before_retry),
        Kw::new("warmup", warmup),
        Kw::new("delay_loop", delay_loop),
        Kw::new("alpha", alpha),
        Kw::new("log_all_failures", log_all_failures),
    ]);
    v
}

/// End of a checker whose only end check is its connection options.
fn end_conn(c: &mut C) {
    if let Some(k) = c.state.lvs.cur.take() {
        if !conn_ok(c, &k.co) {
            dequeue(c);
        }
    }
}

// ------------------------------------------------------------ TCP / PING

fn tcp_open(c: &mut C, _w: &[String]) {
    open(c, Kind::Tcp);
}

fn ping_open(c: &mut C, _w: &[String]) {
    open(c, Kind::Ping);
}

// ------------------------------------------------------------ HTTP_GET / SSL_GET

fn http_open(c: &mut C, _w: &[String]) {
    open(c, Kind::Http);
}

fn nb_get_retry(c: &mut C, w: &[String]) {
    c.err(
        ErrClass::GeneralError,
        "nb_get_retry is deprecated - please use 'retry'",
    );
    let Some(v) = arg1(c, w) else { return };
    if values::read_unsigned(c, v, 0, UINT_MAX, true).is_none() {
        c.err(
            ErrClass::GeneralError,
            format!("Invalid nb_get_retry value '{v}'"),
        );
    }
}

fn http_virtualhost(c: &mut C, w: &[String]) {
    if w.len() < 2 {
        c.err(ErrClass::GeneralError, "HTTP_GET virtualhost name missing");
    }
}

fn http_protocol(c: &mut C, w: &[String]) {
    let Some(v) = w.get(1) else {
        c.err(ErrClass::GeneralError, "Missing http_protocol version");
        return;
    };
    if !matches!(v.as_str(), "1.0" | "1.1" | "1.0C" | "1.0c") {
        c.err(
            ErrClass::GeneralError,
            format!("Invalid http_protocol version {v}"),
        );
    }
}

fn enable_sni(c: &mut C, w: &[String]) {
    opt_bool(c, w, "Invalid enable_sni parameter");
}

fn fast_recovery(c: &mut C, w: &[String]) {
    opt_bool(c, w, "Invalid fast_recovery parameter");
}

fn noop(_c: &mut C, _w: &[String]) {}

fn url_handler(c: &mut C, _w: &[String]) {
    if let Some(k) = cur(c) {
        k.urls += 1;
        k.url = Some((false, false));
    }
}

fn url_path(c: &mut C, w: &[String]) {
    if arg1(c, w).is_none() {
        return;
    }
    if let Some((path, _)) = cur(c).and_then(|k| k.url.as_mut()) {
        *path = true;
    }
}

/// Whether C `strtoul(pair, &end, 16)` consumes both characters.
fn hex_pair_ok(a: u8, b: u8) -> bool {
    b.is_ascii_hexdigit()
        && (a.is_ascii_hexdigit()
            || matches!(a, b'+' | b'-' | b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c))
}

fn url_digest(c: &mut C, w: &[String]) {
    let Some(d) = arg1(c, w) else { return };
    let dup = c
        .state
        .lvs
        .cur
        .as_ref()
        .and_then(|k| k.url)
        .is_some_and(|u| u.1);
    if dup {
        c.err(
            ErrClass::GeneralError,
            format!("Digest '{d}' is a duplicate"),
        );
        return;
    }
    if d.len() != 32 {
        c.err(
            ErrClass::GeneralError,
            format!(
                "digest '{d}' character length should be 32 rather than {}",
                d.len()
            ),
        );
        return;
    }
    let b = d.as_bytes();
    for i in (0..16).rev() {
        if !hex_pair_ok(b[2 * i], b[2 * i + 1]) {
            // keepalived has cut the string after the pair by then
            let shown = String::from_utf8_lossy(&b[..2 * i + 2]);
            c.err(
                ErrClass::GeneralError,
                format!(
                    "Unable to interpret hex digit in '{shown}' at offset {}/{}",
                    2 * i,
                    2 * i + 1
                ),
            );
            return;
        }
    }
    if let Some((_, digest)) = cur(c).and_then(|k| k.url.as_mut()) {
        *digest = true;
    }
}

fn url_status_code(c: &mut C, w: &[String]) {
    for s in &w[1..] {
        let (min, rest, _) = crate::config::values::strtoul(s, 10);
        let (max, rest) = match rest.strip_prefix('-') {
            Some(r) => {
                let (v, rest, _) = crate::config::values::strtoul(r, 10);
                (v, rest)
            }
            None => (min, rest),
        };
        let ok = |v: u64| (100..=599).contains(&v);
        if !rest.is_empty() || !ok(min) || !ok(max) || min > max {
            c.err(
                ErrClass::GeneralError,
                format!("Invalid HTTP_GET status code '{s}'"),
            );
        }
    }
}

fn url_virtualhost(c: &mut C, w: &[String]) {
    if w.len() < 2 {
        c.err(ErrClass::GeneralError, "Missing HTTP_GET virtualhost name");
    }
}

fn url_regex(c: &mut C, _w: &[String]) {
    match c.shell_words() {
        Some(qe) if qe.len() != 2 => c.log("regex missing or too many fields"),
        Some(_) => {}
        None => {
            let why = "`regex` with an unterminated quote: keepalived 2.2.7 dereferences NULL"
                .to_string();
            c.state.lvs.die(11, why);
        }
    }
}

fn url_end(c: &mut C) {
    let Some(k) = cur(c) else { return };
    if k.url.take().is_some_and(|u| !u.0) {
        k.urls -= 1;
        c.err(
            ErrClass::GeneralError,
            "HTTP/SSL_GET checker url has no path - ignoring",
        );
    }
}

fn http_end(c: &mut C) {
    let Some(k) = c.state.lvs.cur.take() else {
        return;
    };
    if k.urls == 0 {
        c.err(
            ErrClass::GeneralError,
            "HTTP/SSL_GET checker has no urls specified - ignoring",
        );
        dequeue(c);
        // keepalived then checks the connection options of the checker now
        // last in its queue: none, or one without options, is a NULL pointer
        if !c.state.lvs.queue.last().copied().unwrap_or(false) {
            let why = "HTTP_GET/SSL_GET without a url after a MISC_CHECK or BFD_CHECK (or as the first checker): keepalived 2.2.7 dereferences NULL".to_string();
            c.log(why.clone());
            c.state.lvs.die(11, why);
        }
        return;
    }
    if !conn_ok(c, &k.co) {
        dequeue(c);
    }
}

// ------------------------------------------------------------ MISC_CHECK

fn misc_open(c: &mut C, _w: &[String]) {
    open(c, Kind::Misc);
}

fn misc_path(c: &mut C, _w: &[String]) {
    if c.state
        .lvs
        .cur
        .as_ref()
        .and_then(|k| k.misc.as_ref())
        .is_none()
    {
        return;
    }
    let Some(qe) = c.shell_words() else {
        let why = "`misc_path` with an unterminated quote: keepalived 2.2.7 dereferences NULL"
            .to_string();
        c.state.lvs.die(11, why);
        return;
    };
    let Some(cmd) = qe.get(1) else { return };
    let Some(args) = c.shell_split(cmd) else {
        return;
    };
    if args.is_empty() {
        return;
    }
    if let Some((script, _)) = cur(c).and_then(|k| k.misc.as_mut()) {
        *script = Some(args);
    }
}

fn misc_timeout(c: &mut C, w: &[String]) {
    if c.state
        .lvs
        .cur
        .as_ref()
        .and_then(|k| k.misc.as_ref())
        .is_none()
    {
        return;
    }
    let Some(v) = arg1(c, w) else { return };
    if values::read_unsigned(c, v, 0, UINT_MAX / 1_000_000, true).is_none() {
        c.err(
            ErrClass::GeneralError,
            format!("Invalid misc_timeout value '{v}'"),
        );
    }
}

fn misc_user(c: &mut C, w: &[String]) {
    let Some((script, _)) = c.state.lvs.cur.as_ref().and_then(|k| k.misc.as_ref()) else {
        return;
    };
    let shown = cmd_str(script.as_deref().unwrap_or(&[]));
    let Some(user) = w.get(1) else {
        c.err(
            ErrClass::GeneralError,
            format!("No user specified for misc checker script {shown}"),
        );
        return;
    };
    match lookup_user(c, user, w.get(2).map(String::as_str)) {
        Some(ids) => {
            if let Some((_, u)) = cur(c).and_then(|k| k.misc.as_mut()) {
                *u = Some(ids);
            }
        }
        None => {
            c.err(
                ErrClass::GeneralError,
                format!("Failed to set uid/gid for misc checker script {shown} - removing"),
            );
            dequeue(c);
            if let Some(k) = cur(c) {
                k.misc = None;
            }
        }
    }
}

fn misc_end(c: &mut C) {
    let Some(k) = c.state.lvs.cur.take() else {
        return;
    };
    let Some((script, user)) = k.misc else { return };
    let Some(args) = script else {
        c.err(
            ErrClass::GeneralError,
            "No script path has been specified for MISC_CHECKER - skipping",
        );
        dequeue(c);
        return;
    };
    let ids = match user {
        Some(ids) => ids,
        None => match default_script_user(c) {
            Some(ids) => ids,
            None => {
                c.err(
                    ErrClass::GeneralError,
                    format!(
                        "Unable to set default user for misc script {} - removing",
                        cmd_str(&args)
                    ),
                );
                dequeue(c);
                return;
            }
        },
    };
    c.state.lvs.scripts.push(ScriptEntry {
        misc: true,
        vs_id: k.vs_id,
        rs_id: Some(k.rs_id),
        args,
        uid: ids.0,
        gid: ids.1,
    });
}

// ------------------------------------------------------------ SMTP_CHECK

fn smtp_open(c: &mut C, _w: &[String]) {
    open(c, Kind::Smtp);
}

fn smtp_helo_name(c: &mut C, w: &[String]) {
    if w.len() < 2 {
        c.err(ErrClass::GeneralError, "SMTP_CHECK helo name missing");
    }
}

fn smtp_host(c: &mut C, _w: &[String]) {
    if let Some(k) = cur(c) {
        let host = Co::to(Some(k.rs_addr));
        k.saved_co = Some(std::mem::replace(&mut k.co, host));
    }
}

fn smtp_host_end(c: &mut C) {
    let Some(k) = cur(c) else { return };
    let Some(saved) = k.saved_co.take() else {
        return;
    };
    let host = std::mem::replace(&mut k.co, saved);
    if conn_ok(c, &host) {
        if let Some(k) = cur(c) {
            k.smtp_hosts += 1;
        }
    }
}

fn smtp_end(c: &mut C) {
    let Some(mut k) = c.state.lvs.cur.take() else {
        return;
    };
    if k.co.touched() || k.smtp_hosts == 0 {
        if k.co.dst.is_none() {
            k.co.dst = Some(k.rs_addr);
        }
        if !conn_ok(c, &k.co) {
            dequeue(c);
        }
    }
}

// ------------------------------------------------------------ DNS_CHECK

fn dns_open(c: &mut C, _w: &[String]) {
    open(c, Kind::Dns);
}

const DNS_TYPES: [&str; 9] = [
    "A", "NS", "CNAME", "SOA", "MX", "TXT", "AAAA", "RRSIG", "DNSKEY",
];

fn dns_type(c: &mut C, w: &[String]) {
    let Some(t) = arg1(c, w) else { return };
    if !DNS_TYPES.iter().any(|d| d.eq_ignore_ascii_case(t)) {
        c.err(
            ErrClass::GeneralError,
            format!("Unknown DNS check type {t} - ignoring"),
        );
    }
}

/// keepalived's empty-label test (it also rejects any name whose second
/// character is a '.').
fn dns_name_invalid(name: &str) -> bool {
    let b = name.as_bytes();
    if b.first() == Some(&b'.') && b.len() > 1 {
        return true;
    }
    let mut p = 0;
    loop {
        if b.get(p + 1) == Some(&b'.') {
            return true;
        }
        match b
            .get(p + 1..)
            .and_then(|r| r.iter().position(|&ch| ch == b'.'))
        {
            Some(i) => p = p + 1 + i,
            None => return false,
        }
    }
}

fn dns_name(c: &mut C, w: &[String]) {
    if c.state.lvs.cur.as_ref().is_some_and(|k| k.dns_name) {
        c.err(
            ErrClass::GeneralError,
            "DNS_CHECK name already specified - ignoring",
        );
        return;
    }
    let Some(name) = arg1(c, w) else { return };
    if dns_name_invalid(name) {
        c.err(
            ErrClass::GeneralError,
            format!("DNS_CHECK name '{name}' has empty label - ignoring"),
        );
        return;
    }
    if let Some(k) = cur(c) {
        k.dns_name = true;
    }
}

// ------------------------------------------------------------ UDP_CHECK

fn udp_open(c: &mut C, _w: &[String]) {
    open(c, Kind::Udp);
}

/// keepalived `read_hex_str`: the octets, or `None` (invalid or empty).
fn read_hex_str(s: &str, wildcard: bool) -> Option<usize> {
    let val = |ch: u8| -> Option<u8> {
        let u = if ch >= b'a' { ch - (b'a' - b'A') } else { ch };
        match u {
            b'0'..=b'9' => Some(u - b'0'),
            b'A'..=b'F' => Some(u - b'A' + 10),
            b'X' if wildcard => Some(0),
            _ => None,
        }
    };
    let b = s.as_bytes();
    let (mut i, mut len) = (0, 0);
    loop {
        while i < b.len() && (b[i] == b' ' || b[i] == b'\t') {
            i += 1;
        }
        if i >= b.len() {
            break;
        }
        val(b[i])?;
        i += 1;
        if i < b.len() && b[i] != b' ' {
            val(b[i])?;
            i += 1;
        }
        len += 1;
    }
    (len > 0).then_some(len)
}

fn udp_payload(c: &mut C, w: &[String]) {
    if w.len() == 1 {
        c.err(
            ErrClass::GeneralError,
            "UDP_CHECK payload requires a payload",
        );
        return;
    }
    if read_hex_str(&w[1..].join(" "), false).is_none() {
        c.err(
            ErrClass::GeneralError,
            "Invalid hex string for UDP_CHECK payload",
        );
    }
}

fn udp_require_reply(c: &mut C, w: &[String]) {
    if w.len() > 1 && read_hex_str(&w[1..].join(" "), true).is_none() {
        c.err(
            ErrClass::GeneralError,
            "Invalid hex string for UDP_CHECK reply",
        );
    }
}

fn udp_length(c: &mut C, w: &[String], max: bool) {
    let Some(v) = arg1(c, w) else { return };
    match values::read_unsigned(c, v, 0, 65535, false) {
        None => {
            let which = if max { "max" } else { "min" };
            c.err(
                ErrClass::GeneralError,
                format!("UDP_CHECK {which} length {v} not valid - must be between 0 & 65535"),
            );
        }
        Some(n) => {
            if let Some(k) = cur(c) {
                if max {
                    k.udp_len.1 = n;
                } else {
                    k.udp_len.0 = n;
                }
            }
        }
    }
}

fn udp_min(c: &mut C, w: &[String]) {
    udp_length(c, w, false);
}
fn udp_max(c: &mut C, w: &[String]) {
    udp_length(c, w, true);
}

fn udp_end(c: &mut C) {
    let Some(k) = c.state.lvs.cur.take() else {
        return;
    };
    if !conn_ok(c, &k.co) {
        dequeue(c);
        return;
    }
    let (min, max) = k.udp_len;
    if min > max {
        c.err(
            ErrClass::GeneralError,
            format!("UDP_CHECK min_reply length {min} > max_reply_length {max} - will always fail"),
        );
    }
}

// ------------------------------------------------------------ FILE_CHECK

fn file_open(c: &mut C, _w: &[String]) {
    open(c, Kind::File);
}

fn file_track_file(c: &mut C, w: &[String]) {
    let Some(name) = arg1(c, w) else { return };
    if !c.state.cfg.track_files.iter().any(|t| t.name == name) {
        c.err(
            ErrClass::GeneralError,
            format!("track_file {name} not found"),
        );
        return;
    }
    if let Some(k) = cur(c) {
        k.file = true;
    }
}

fn file_weight(c: &mut C, w: &[String]) {
    let Some(v) = w.get(1) else {
        c.err(ErrClass::GeneralError, "track file weight missing");
        return;
    };
    let lim = WEIGHT_LIMIT as i64;
    if values::read_int(c, v, -lim, lim, true).is_none() {
        c.err(
            ErrClass::GeneralError,
            format!(
                "weight for track file must be in [{}..{lim}] inclusive. Ignoring...",
                -lim
            ),
        );
        return;
    }
    if let Some(o) = w.get(2) {
        if o != "reverse" && o != "noreverse" {
            c.err(
                ErrClass::GeneralError,
                format!("unknown track file weight option {o} - ignoring"),
            );
        }
    }
}

fn file_end(c: &mut C) {
    let Some(k) = c.state.lvs.cur.take() else {
        return;
    };
    if !k.file {
        c.err(
            ErrClass::GeneralError,
            "FILE_CHECK has no track_file specified - ignoring",
        );
    }
}

// ------------------------------------------------------------ BFD_CHECK

fn bfdc_open(c: &mut C, _w: &[String]) {
    open(c, Kind::Bfd);
}

fn bfdc_name(c: &mut C, w: &[String]) {
    let Some(k) = c.state.lvs.cur.as_ref().filter(|k| k.bfd_active) else {
        return;
    };
    let (rs_fmt, prev, vs_id, rs_id) = (k.rs_fmt.clone(), k.bfd_name.clone(), k.vs_id, k.rs_id);
    let name = w.get(1).map(String::as_str).unwrap_or("");
    let err = if w.len() != 2 {
        Some(format!(
            "({rs_fmt}) BFD_CHECK - No or too many names specified - skipping checker"
        ))
    } else if !c.state.lvs.bfd.checker_knows(name) {
        Some(format!("({rs_fmt}) BFD_CHECK - BFD {name} not configured"))
    } else if let Some(p) = prev {
        Some(format!(
            "({rs_fmt}) BFD_CHECK - BFD {name} already specified as {p}"
        ))
    } else if name.len() >= 32 {
        Some(format!("({rs_fmt}) BFD_CHECK - BFD name {name} too long"))
    } else {
        let monitored = c
            .state
            .lvs
            .vs
            .iter()
            .filter(|v| v.id == vs_id)
            .flat_map(|v| v.rs.iter())
            .any(|r| r.id == rs_id && r.bfds.iter().any(|b| b == name));
        monitored.then(|| format!("({rs_fmt}) BFD_CHECK - RS already monitoring {name}"))
    };
    match err {
        Some(m) => {
            c.err(ErrClass::GeneralError, m);
            dequeue(c);
            if let Some(k) = cur(c) {
                k.bfd_active = false;
            }
        }
        None => {
            if let Some(k) = cur(c) {
                k.bfd_name = Some(name.to_string());
            }
        }
    }
}

fn bfdc_alpha(c: &mut C, w: &[String]) {
    if c.state.lvs.cur.as_ref().is_some_and(|k| k.bfd_active) {
        opt_bool(c, w, "Invalid alpha parameter");
    }
}

fn bfdc_end(c: &mut C) {
    let Some(k) = c.state.lvs.cur.take() else {
        return;
    };
    if !k.bfd_active {
        return;
    }
    let Some(name) = k.bfd_name else {
        c.err(
            ErrClass::GeneralError,
            format!(
                "({}) No name has been specified for BFD_CHECKER - skipping",
                k.rs_fmt
            ),
        );
        dequeue(c);
        return;
    };
    for v in c.state.lvs.vs.iter_mut().filter(|v| v.id == k.vs_id) {
        for r in v.rs.iter_mut().filter(|r| r.id == k.rs_id) {
            r.bfds.push(name.clone());
        }
    }
}

// ------------------------------------------------------------ tables

static TCP_KW: LazyLock<Vec<K>> = LazyLock::new(|| common(true));

static URL_KW: [K; 10] = [
    Kw::new("path", url_path),
    Kw::new("digest", url_digest),
    Kw::new("status_code", url_status_code),
    Kw::new("virtualhost", url_virtualhost),
    Kw::new("regex", url_regex),
    Kw::new("regex_no_match", noop),
    Kw::new("regex_options", noop),
    Kw::new("regex_min_offset", noop),
    Kw::new("regex_max_offset", noop),
    Kw::new("regex_stack", noop),
];

static HTTP_KW: LazyLock<Vec<K>> = LazyLock::new(|| {
    let mut v = common(true);
    v.extend([
        Kw::new("nb_get_retry", nb_get_retry),
        Kw::new("virtualhost", http_virtualhost),
        Kw::new("http_protocol", http_protocol),
        Kw::new("enable_sni", enable_sni),
        Kw::new("fast_recovery", fast_recovery),
        Kw::block("url", Some(url_handler), &URL_KW, Some(url_end)),
    ]);
    v
});

static MISC_KW: LazyLock<Vec<K>> = LazyLock::new(|| {
    let mut v = common(false);
    v.extend([
        Kw::new("misc_path", misc_path),
        Kw::new("misc_timeout", misc_timeout),
        Kw::new("misc_dynamic", noop),
        Kw::new("user", misc_user),
    ]);
    v
});

static SMTP_HOST_KW: LazyLock<Vec<K>> = LazyLock::new(|| common(true));

static SMTP_KW: LazyLock<Vec<K>> = LazyLock::new(|| {
    let mut v = vec![Kw::new("helo_name", smtp_helo_name)];
    v.extend(common(true));
    v.push(Kw::block(
        "host",
        Some(smtp_host),
        SMTP_HOST_KW.as_slice(),
        Some(smtp_host_end),
    ));
    v
});

static DNS_KW: LazyLock<Vec<K>> = LazyLock::new(|| {
    let mut v = common(true);
    v.extend([Kw::new("type", dns_type), Kw::new("name", dns_name)]);
    v
});

static UDP_KW: LazyLock<Vec<K>> = LazyLock::new(|| {
    let mut v = common(true);
    v.extend([
        Kw::new("payload", udp_payload),
        Kw::new("require_reply", udp_require_reply),
        Kw::new("min_reply_length", udp_min),
        Kw::new("max_reply_length", udp_max),
    ]);
    v
});

static FILE_KW: [K; 2] = [
    Kw::new("track_file", file_track_file),
    Kw::new("weight", file_weight),
];

static BFDC_KW: [K; 2] = [Kw::new("name", bfdc_name), Kw::new("alpha", bfdc_alpha)];

/// The checker keywords of `real_server`, in keepalived's order.
pub(super) fn keywords() -> Vec<K> {
    vec![
        Kw::block(
            "MISC_CHECK",
            Some(misc_open),
            MISC_KW.as_slice(),
            Some(misc_end),
        ),
        Kw::block(
            "SMTP_CHECK",
            Some(smtp_open),
            SMTP_KW.as_slice(),
            Some(smtp_end),
        ),
        Kw::block(
            "TCP_CHECK",
            Some(tcp_open),
            TCP_KW.as_slice(),
            Some(end_conn),
        ),
        Kw::block(
            "PING_CHECK",
            Some(ping_open),
            TCP_KW.as_slice(),
            Some(end_conn),
        ),
        Kw::block(
            "UDP_CHECK",
            Some(udp_open),
            UDP_KW.as_slice(),
            Some(udp_end),
        ),
        Kw::block(
            "HTTP_GET",
            Some(http_open),
            HTTP_KW.as_slice(),
            Some(http_end),
        ),
        Kw::block(
            "SSL_GET",
            Some(http_open),
            HTTP_KW.as_slice(),
            Some(http_end),
        ),
        Kw::block(
            "DNS_CHECK",
            Some(dns_open),
            DNS_KW.as_slice(),
            Some(dns_end),
        ),
        Kw::block("FILE_CHECK", Some(file_open), &FILE_KW, Some(file_end)),
        Kw::block("BFD_CHECK", Some(bfdc_open), &BFDC_KW, Some(bfdc_end)),
    ]
}

fn dns_end(c: &mut C) {
    end_conn(c);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dns_empty_label_quirk() {
        assert!(dns_name_invalid("a.example.com"));
        assert!(dns_name_invalid("www..com"));
        assert!(dns_name_invalid(".x"));
        assert!(!dns_name_invalid("."));
        assert!(!dns_name_invalid("www.example.com"));
    }

    #[test]
    fn hex_strings() {
        assert_eq!(read_hex_str("0a 1b", false), Some(2));
        assert_eq!(read_hex_str("abc", false), Some(2));
        assert_eq!(read_hex_str("zz", false), None);
        assert_eq!(read_hex_str("xx", true), Some(1));
        assert_eq!(read_hex_str("xx", false), None);
    }
}
