//! The JSON state dump (`keepalived.json`, written on SIGRTMIN+2): every
//! VRRP instance as `{"data":{...},"stats":{...}}` in one JSON array, with
//! keepalived 2.2.7's keys, key order, value types and value meanings (its
//! `vrrp_json.c` layout, checked against the output it wrote for the same
//! configuration).
//!
//! Values for what this build has no feature for are the ones keepalived
//! prints with the feature off: `vmac_ifname` is `""` (no VMAC interface is
//! created), `smtp_alert` is the configured flag (no mail is sent).
//!
//! The writer is ours, not a JSON crate's: keepalived prints numbers with
//! C's `%g` (`"adver_int":1`, `"garp_delay":5`) and `%f`
//! (`"last_transition":1795592897.328047`) and escapes `/` as `\/`; matching
//! that byte for byte takes a formatter of its own either way, and the
//! writer is smaller than the dependency. Unlike keepalived's, it always
//! writes valid JSON: every control character is escaped (keepalived writes
//! most of them raw and a backslash as `\n`), and a non-finite number is
//! `null`.
//!
//! Must not: do I/O (the daemon writes the file).

use crate::config::format::{cmd_str, fmt_g, format_ipaddress, format_iproute, format_iprule};
use crate::config::model::{Auth, Config, Script, VrrpInstance};
use crate::vrrp::engine::Engine;
use crate::vrrp::instance::{Instance, State};
use crate::vrrp::stats::Counter;

/// What the daemon observed of an instance beyond the engine's state.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Observed {
    /// Wall-clock time of the instance's last state change (or of the
    /// start), seconds since the epoch (keepalived `last_transition`).
    pub last_transition: f64,
    /// The VIPs and eVIPs were added and not removed since (keepalived
    /// `vipset`; each address then shows ` set`).
    pub vipset: bool,
}

/// Seconds since the epoch, to the microsecond (keepalived's `timeval`).
pub fn wall_clock_now() -> f64 {
    let d = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    d.as_secs() as f64 + f64::from(d.subsec_micros()) / 1e6
}

/// keepalived's numbers for the states (VRRP_STATE_INIT .. VRRP_STATE_FAULT).
pub fn state_number(s: State) -> u64 {
    match s {
        State::Init => 0,
        State::Backup => 1,
        State::Master => 2,
        State::Fault => 3,
    }
}

/// The JSON text keepalived writes to `keepalived.json` for these instances:
/// engine instance `k` is configured by `cfg.instances[cfg_of[k]]` and was
/// observed as `observed[k]` (missing entries: never changed, no VIPs set).
/// Ends with a newline, as keepalived's.
pub fn render(cfg: &Config, engine: &Engine, cfg_of: &[usize], observed: &[Observed]) -> String {
    let mut w = JsonWriter::new();
    w.start_array();
    for (k, inst) in engine.instances().iter().enumerate() {
        let Some(c) = cfg_of.get(k).and_then(|&i| cfg.instances.get(i)) else {
            continue;
        };
        let ob = observed.get(k).copied().unwrap_or(Observed {
            last_transition: 0.0,
            vipset: false,
        });
        let ifname = engine
            .instance_addresses(k)
            .map(|a| a.ifname)
            .or(c.interface.as_deref())
            .unwrap_or("");
        w.start_object();
        data(&mut w, cfg, c, inst, ifname, ob);
        stats(&mut w, inst);
        w.end_object();
    }
    w.end_array();
    w.finish()
}

fn data(
    w: &mut JsonWriter,
    cfg: &Config,
    c: &VrrpInstance,
    i: &Instance,
    ifname: &str,
    ob: Observed,
) {
    let g = &cfg.global;
    let p = &i.p;
    let secs = |d: crate::time::Duration| d.micros() as f64 / 1e6;
    let whole_secs = |d: crate::time::Duration| d.micros() / 1_000_000;
    let strict = c.strict_mode.unwrap_or(g.vrrp_strict);
    w.name("data");
    w.start_object();
    w.string_field("iname", &p.name);
    w.uint_field("dont_track_primary", u64::from(c.dont_track_primary));
    w.uint_field(
        "skip_check_adv_addr",
        u64::from(c.skip_check_adv_addr.unwrap_or(g.skip_check_adv_addr)),
    );
    w.uint_field("strict_mode", u64::from(strict));
    // no VMAC interfaces in this build
    w.string_field("vmac_ifname", "");
    w.string_field("ifp_ifname", ifname);
    w.uint_field("master_priority", u64::from(i.master_prio));
    w.fixed6_field("last_transition", ob.last_transition);
    w.g_field("garp_delay", secs(p.garp_master_delay));
    w.uint_field("garp_refresh", whole_secs(p.garp_master_refresh));
    w.uint_field("garp_rep", u64::from(p.garp_master_repeat));
    w.uint_field("garp_refresh_rep", u64::from(p.garp_master_refresh_repeat));
    w.uint_field("garp_lower_prio_delay", whole_secs(p.garp_lower_prio_delay));
    w.uint_field("garp_lower_prio_rep", u64::from(p.garp_lower_prio_repeat));
    w.uint_field("lower_prio_no_advert", u64::from(p.lower_prio_no_advert));
    w.uint_field(
        "higher_prio_send_advert",
        u64::from(p.higher_prio_send_advert),
    );
    w.uint_field("vrid", u64::from(p.vrid));
    w.uint_field("base_priority", u64::from(i.prio.base()));
    w.uint_field("effective_priority", u64::from(i.priority()));
    w.bool_field("vipset", ob.vipset);
    w.bool_field("promote_secondaries", c.promote_secondaries);
    w.g_field("adver_int", secs(p.adver_int));
    w.g_field("master_adver_int", secs(i.master_adver_int));
    // keepalived's default when not configured: on, unless strict (owners: on)
    let accept = c.accept.unwrap_or(i.prio.base() == 255 || !strict);
    w.uint_field("accept", u64::from(accept));
    w.bool_field("nopreempt", p.nopreempt);
    w.uint_field("preempt_delay", whole_secs(p.preempt_delay));
    w.uint_field("state", state_number(i.state));
    w.uint_field("wantstate", state_number(i.wantstate));
    w.uint_field("version", u64::from(p.version));
    w.bool_field("smtp_alert", c.smtp_alert.unwrap_or(false));
    w.bool_field("notify_deleted", c.notify_deleted);

    let n = &c.notify;
    for (key, script) in [
        ("script_backup", &n.backup),
        ("script_master", &n.master),
        ("script_fault", &n.fault),
        ("script_stop", &n.stop),
        ("script_deleted", &n.deleted),
        ("script", &n.generic),
        ("script_master_rx_lower_pri", &n.master_rx_lower_pri),
    ] {
        if let Some(s) = script {
            w.string_field(key, &script_text(s));
        }
    }

    let dev_of = |a: &crate::config::model::IpAddress| a.dev.clone().unwrap_or(ifname.into());
    let vips: Vec<String> = c
        .vips
        .iter()
        .map(|a| format_ipaddress(a, &dev_of(a), ob.vipset))
        .collect();
    let evips: Vec<String> = c
        .evips
        .iter()
        .map(|a| format_ipaddress(a, &dev_of(a), ob.vipset))
        .collect();
    let vroutes: Vec<String> = c.vroutes.iter().map(format_iproute).collect();
    let vrules: Vec<String> = c.vrules.iter().map(format_iprule).collect();
    let track_ifp: Vec<String> = c
        .track_interfaces
        .iter()
        .map(|t| t.ifname.clone())
        .collect();
    let track_script: Vec<String> = c
        .track_scripts
        .iter()
        .filter_map(|t| cfg.scripts.iter().find(|s| s.name == t.name))
        .filter_map(|s| s.script.as_ref())
        .map(script_text)
        .collect();
    // keepalived leaves an empty list out
    for (key, list) in [
        ("vips", &vips),
        ("evips", &evips),
        ("vroutes", &vroutes),
        ("vrules", &vrules),
        ("track_ifp", &track_ifp),
        ("track_script", &track_script),
    ] {
        if !list.is_empty() {
            w.name(key);
            w.start_array();
            for s in list {
                w.string(s);
            }
            w.end_array();
        }
    }

    let (auth_type, auth_data) = match &c.auth {
        Auth::None => (0, None),
        Auth::Pass(d) => (1, Some(d)),
        Auth::Ah(d) => (2, Some(d)),
    };
    w.uint_field("auth_type", auth_type);
    if let Some(d) = auth_data {
        // the 8 password bytes, up to the first NUL
        let end = d.iter().position(|&b| b == 0).unwrap_or(d.len());
        w.string_field("auth_data", &String::from_utf8_lossy(&d[..end]));
    }
    w.end_object();
}

fn script_text(s: &Script) -> String {
    if s.argv.is_empty() {
        s.cmd.clone()
    } else {
        cmd_str(&s.argv)
    }
}

fn stats(w: &mut JsonWriter, i: &Instance) {
    use Counter as C;
    w.name("stats");
    w.start_object();
    for (key, c) in [
        ("advert_rcvd", C::AdvertRcvd),
        ("advert_sent", C::AdvertSent),
        ("become_master", C::BecomeMaster),
        ("release_master", C::ReleaseMaster),
        ("packet_len_err", C::PacketLenErr),
        ("advert_interval_err", C::AdvertIntervalErr),
        ("ip_ttl_err", C::IpTtlErr),
        ("invalid_type_rcvd", C::InvalidTypeRcvd),
        ("addr_list_err", C::AddrListErr),
        ("invalid_authtype", C::InvalidAuthtype),
        ("authtype_mismatch", C::AuthtypeMismatch),
        ("auth_failure", C::AuthFailure),
        ("pri_zero_rcvd", C::PriZeroRcvd),
        ("pri_zero_sent", C::PriZeroSent),
    ] {
        w.uint_field(key, i.stats.get(c));
    }
    w.end_object();
}

/// A compact JSON writer with keepalived's output form: no white space, a
/// comma before every member or element but the first, a newline at the
/// end. The caller nests the calls correctly (debug builds check it).
#[derive(Debug, Default)]
pub struct JsonWriter {
    out: String,
    /// A value precedes in the current object or array: a comma is due.
    sep: bool,
    depth: usize,
}

impl JsonWriter {
    pub fn new() -> Self {
        Self::default()
    }

    fn before_value(&mut self) {
        if self.sep {
            self.out.push(',');
        }
        self.sep = true;
    }

    fn begin(&mut self, c: char) {
        self.before_value();
        self.out.push(c);
        self.depth += 1;
        self.sep = false;
    }

    fn end(&mut self, c: char) {
        debug_assert!(self.depth > 0, "JSON: closing more than was opened");
        self.depth = self.depth.saturating_sub(1);
        self.out.push(c);
        self.sep = true;
    }

    pub fn start_object(&mut self) {
        self.begin('{');
    }
    pub fn end_object(&mut self) {
        self.end('}');
    }
    pub fn start_array(&mut self) {
        self.begin('[');
    }
    pub fn end_array(&mut self) {
        self.end(']');
    }

    /// A member name; its value follows.
    pub fn name(&mut self, key: &str) {
        self.before_value();
        push_escaped(&mut self.out, key);
        self.out.push(':');
        self.sep = false;
    }

    pub fn string(&mut self, v: &str) {
        self.before_value();
        push_escaped(&mut self.out, v);
    }

    pub fn uint(&mut self, v: u64) {
        self.before_value();
        self.out.push_str(&v.to_string());
    }

    pub fn bool(&mut self, v: bool) {
        self.before_value();
        self.out.push_str(if v { "true" } else { "false" });
    }

    /// A number as C's `%g` (`null` when not finite).
    pub fn float_g(&mut self, v: f64) {
        self.before_value();
        match fmt_g(v) {
            Some(s) => self.out.push_str(&s),
            None => self.out.push_str("null"),
        }
    }

    /// A number as C's `%f`: six decimals (`null` when not finite).
    pub fn float_fixed6(&mut self, v: f64) {
        self.before_value();
        if v.is_finite() {
            self.out.push_str(&format!("{v:.6}"));
        } else {
            self.out.push_str("null");
        }
    }

    pub fn string_field(&mut self, key: &str, v: &str) {
        self.name(key);
        self.string(v);
    }
    pub fn uint_field(&mut self, key: &str, v: u64) {
        self.name(key);
        self.uint(v);
    }
    pub fn bool_field(&mut self, key: &str, v: bool) {
        self.name(key);
        self.bool(v);
    }
    pub fn g_field(&mut self, key: &str, v: f64) {
        self.name(key);
        self.float_g(v);
    }
    pub fn fixed6_field(&mut self, key: &str, v: f64) {
        self.name(key);
        self.float_fixed6(v);
    }

    /// The text, with keepalived's final newline.
    pub fn finish(mut self) -> String {
        debug_assert_eq!(self.depth, 0, "JSON: unclosed object or array");
        self.out.push('\n');
        self.out
    }
}

/// `s` as a JSON string: `"` and `\` escaped, `/` as `\/` (keepalived's
/// form), the short escapes for backspace, form feed, newline, carriage
/// return and tab, every other control character as `\u00XX`.
fn push_escaped(out: &mut String, s: &str) {
    out.push('"');
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '/' => out.push_str("\\/"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests;
