//! `bfd_instance NAME { ... }` as keepalived 2.2.7 reads it in its three
//! processes (keepalived/bfd/bfd_parser.c):
//!
//! * the checker keeps the names (for BFD_CHECK): "BFD %s already specified";
//! * the VRRP process keeps the names (for `track_bfd`) and reads `weight`:
//!   "BFD name %s too long", "BFD %s already specified";
//! * the BFD process reads everything else and checks the instance at `}`.
//!
//! A block is skipped only when all three skip it. A `vrrp` / `checker` line
//! restricts which of the first two keep the name.

use super::addr::{self, SockAddr};
use super::{C, K, arg1, note_block};
use crate::config::diag::ErrClass;
use crate::config::parser::Kw;
use crate::config::values;

/// BFD_INAME_MAX (names must be shorter).
const INAME_MAX: usize = 32;

#[derive(Clone, Debug)]
struct Instance {
    name: String,
    nbr: Option<SockAddr>,
    src: Option<SockAddr>,
}

#[derive(Clone, Debug)]
struct Cur {
    name: String,
    /// Still read by the checker / VRRP / BFD process.
    chk: bool,
    vrrp: bool,
    bfd: bool,
    nbr: Option<SockAddr>,
    src: Option<SockAddr>,
    ttl: u64,
    max_hops: i64,
    /// `vrrp` / `checker` lines seen: (any, vrrp, checker).
    events: (bool, bool, bool),
}

#[derive(Clone, Debug, Default)]
pub(super) struct BfdState {
    /// check_data->track_bfds.
    checker_names: Vec<String>,
    /// Valid instances of the BFD process.
    instances: Vec<Instance>,
    cur: Option<Cur>,
    /// keepalived keeps "neighbour" once a `neighbor_ip`/`neighbour_ip`
    /// line's *value* was the word `neighbour_ip` (a 2.2.7 slip).
    neighbour: bool,
}

impl BfdState {
    /// A `bfd_instance` the checker knows (for BFD_CHECK `name`).
    pub(super) fn checker_knows(&self, name: &str) -> bool {
        self.checker_names.iter().any(|n| n == name)
    }
    fn word(&self) -> &'static str {
        if self.neighbour {
            "neighbour"
        } else {
            "neighbor"
        }
    }
}

fn handler(c: &mut C, w: &[String]) {
    note_block(c);
    c.state.lvs.n_bfd += 1;
    c.state.cfg.bfd_blocks += 1;
    let Some(name) = w.get(1).cloned() else {
        let why =
            "`bfd_instance` without a name: keepalived 2.2.7 reads past the words".to_string();
        c.log(why.clone());
        c.state.lvs.die(11, why);
        c.state.lvs.bfd.cur = None;
        c.skip_block(true);
        return;
    };
    // checker process
    let chk = if c.state.lvs.bfd.checker_knows(&name) {
        c.err(
            ErrClass::GeneralError,
            format!("BFD {name} already specified"),
        );
        false
    } else {
        c.state.lvs.bfd.checker_names.push(name.clone());
        true
    };
    // VRRP process
    let vrrp = if name.len() >= INAME_MAX {
        c.err(ErrClass::GeneralError, format!("BFD name {name} too long"));
        false
    } else if c.state.bfd_names.contains(&name) {
        c.err(
            ErrClass::GeneralError,
            format!("BFD {name} already specified"),
        );
        false
    } else {
        c.state.bfd_names.push(name.clone());
        true
    };
    // BFD process
    let bfd = if name.len() >= INAME_MAX {
        let max = INAME_MAX - 1;
        c.err(
            ErrClass::GeneralError,
            format!("Configuration error: BFD instance {name} name too long (maximum length is {max} characters) - ignoring"),
        );
        false
    } else if c.state.lvs.bfd.instances.iter().any(|i| i.name == name) {
        c.err(
            ErrClass::GeneralError,
            format!("Configuration error: BFD instance {name} already configured - ignoring"),
        );
        false
    } else {
        true
    };
    if !(chk || vrrp || bfd) {
        c.state.lvs.bfd.cur = None;
        c.skip_block(true);
        return;
    }
    c.state.lvs.bfd.cur = Some(Cur {
        name,
        chk,
        vrrp,
        bfd,
        nbr: None,
        src: None,
        ttl: 0,
        max_hops: 0,
        events: (false, false, false),
    });
}

/// The instance the BFD process is reading, if any.
fn bfd_cur(c: &C) -> Option<String> {
    c.state
        .lvs
        .bfd
        .cur
        .as_ref()
        .filter(|k| k.bfd)
        .map(|k| k.name.clone())
}

fn with_cur(c: &mut C, f: impl FnOnce(&mut Cur)) {
    if let Some(k) = c.state.lvs.bfd.cur.as_mut() {
        f(k);
    }
}

fn source_ip(c: &mut C, w: &[String]) {
    let Some(name) = bfd_cur(c) else { return };
    let Some(v) = arg1(c, w) else { return };
    match addr::stosockaddr(c, v, None) {
        Some(a) => with_cur(c, |k| k.src = Some(a)),
        None => {
            c.err(ErrClass::GeneralError, format!("Configuration error: BFD instance {name} has malformed source address {v}, ignoring"));
        }
    }
}

fn neighbor_ip(c: &mut C, w: &[String]) {
    let Some(name) = bfd_cur(c) else { return };
    let Some(v) = w.get(1).map(String::as_str) else {
        let why = format!(
            "`{}` without an address: keepalived 2.2.7 (BFD pass) dereferences NULL",
            w[0]
        );
        c.log(why.clone());
        c.state.lvs.die(11, why);
        return;
    };
    if v == "neighbour_ip" {
        c.state.lvs.bfd.neighbour = true;
    }
    match addr::stosockaddr(c, v, Some("3784")) {
        Some(a) => with_cur(c, |k| k.nbr = Some(a)),
        None => {
            let word = c.state.lvs.bfd.word();
            c.err(ErrClass::GeneralError, format!("Configuration error: BFD instance {name} has malformed {word} address {v}, ignoring instance"));
            let mut others = false;
            with_cur(c, |k| {
                k.bfd = false;
                others = k.chk || k.vrrp;
            });
            if !others {
                c.state.lvs.bfd.cur = None;
                c.skip_block(false);
            }
        }
    }
}

fn interval(c: &mut C, w: &[String], what: &str, min: u64) {
    let Some(name) = bfd_cur(c) else { return };
    let Some(v) = arg1(c, w) else { return };
    let max = u32::MAX as u64 / 1000;
    if values::read_decimal(c, v, min * 1000, max * 1000, 3, false).is_none() {
        c.err(
            ErrClass::GeneralError,
            format!("Configuration error: BFD instance {name} {what} value {v} is not valid (must be in range [{min}-{max}]), ignoring"),
        );
    }
}

fn min_rx(c: &mut C, w: &[String]) {
    interval(c, w, "min_rx", 1);
}
fn min_tx(c: &mut C, w: &[String]) {
    interval(c, w, "min_tx", 1);
}
fn idle_tx(c: &mut C, w: &[String]) {
    interval(c, w, "idle_tx", 1000);
}

fn multiplier(c: &mut C, w: &[String]) {
    let Some(name) = bfd_cur(c) else { return };
    let Some(v) = arg1(c, w) else { return };
    if values::read_unsigned(c, v, 1, 255, false).is_none() {
        c.err(
            ErrClass::GeneralError,
            format!("Configuration error: BFD instance {name} multiplier value {v} not valid (must be in range [1-255]), ignoring"),
        );
    }
}

fn passive(_c: &mut C, _w: &[String]) {}

fn ttl(c: &mut C, w: &[String]) {
    let Some(name) = bfd_cur(c) else { return };
    let Some(v) = arg1(c, w) else { return };
    match values::read_unsigned(c, v, 1, 255, false) {
        Some(t) => with_cur(c, |k| k.ttl = t),
        None => {
            c.err(
                ErrClass::GeneralError,
                format!("Configuration error: BFD instance {name} ttl/hoplimit value {v} not valid (must be in range [1-255]), ignoring"),
            );
        }
    }
}

fn max_hops(c: &mut C, w: &[String]) {
    let Some(name) = bfd_cur(c) else { return };
    let Some(v) = arg1(c, w) else { return };
    match values::read_int(c, v, -1, 255, false) {
        Some(h) => with_cur(c, |k| k.max_hops = h),
        None => {
            c.err(
                ErrClass::GeneralError,
                format!("Configuration error: BFD instance {name} max_hops value {v} not valid (must be in range [-1-255]), ignoring"),
            );
        }
    }
}

/// `weight` is read by the VRRP process only.
fn weight(c: &mut C, w: &[String]) {
    let Some(name) = c
        .state
        .lvs
        .bfd
        .cur
        .as_ref()
        .filter(|k| k.vrrp)
        .map(|k| k.name.clone())
    else {
        return;
    };
    let Some(v) = arg1(c, w) else { return };
    if values::read_int(c, v, -253, 253, true).is_none() {
        c.err(
            ErrClass::GeneralError,
            format!("Configuration error: BFD instance {name} weight value {v} not valid (must be in range [-253-253]), ignoring"),
        );
    }
    if let Some(o) = w.get(2) {
        if o != "reverse" {
            c.err(
                ErrClass::GeneralError,
                format!("Configuration error: BFD instance {name} unknown weight option {o}"),
            );
        }
    }
}

fn event_vrrp(c: &mut C, _w: &[String]) {
    with_cur(c, |k| {
        k.events.0 = true;
        k.events.1 = true;
    });
}

fn event_checker(c: &mut C, _w: &[String]) {
    with_cur(c, |k| {
        k.events.0 = true;
        k.events.2 = true;
    });
}

fn end(c: &mut C) {
    let Some(k) = c.state.lvs.bfd.cur.take() else {
        return;
    };
    let (any, to_vrrp, to_checker) = k.events;
    if k.chk && any && !to_checker {
        if let Some(i) = c
            .state
            .lvs
            .bfd
            .checker_names
            .iter()
            .rposition(|n| *n == k.name)
        {
            c.state.lvs.bfd.checker_names.remove(i);
        }
    }
    if k.vrrp && any && !to_vrrp {
        if let Some(i) = c.state.bfd_names.iter().rposition(|n| *n == k.name) {
            c.state.bfd_names.remove(i);
        }
    }
    if !k.bfd {
        return;
    }
    let name = &k.name;
    let word = c.state.lvs.bfd.word();
    let Some(nbr) = k.nbr else {
        c.err(ErrClass::GeneralError, format!("Configuration error: BFD instance {name} has no {word} address set, disabling instance"));
        return;
    };
    if let Some(src) = k.src.filter(|s| s.fam() != nbr.fam()) {
        // keepalived formats both addresses through one static buffer: the
        // source address shows twice
        c.err(
            ErrClass::GeneralError,
            format!(
                "Configuration error: BFD instance {name} source address {} and {word} address {} are not of the same family, disabling instance",
                src.ip, src.ip
            ),
        );
        return;
    }
    let dup = c.state.lvs.bfd.instances.iter().any(|i| {
        i.nbr.is_some_and(|n| n.ip == nbr.ip)
            && (i.src.is_none() || k.src.is_none() || i.src.map(|s| s.ip) == k.src.map(|s| s.ip))
    });
    if dup {
        let msg = match k.src {
            Some(src) => format!(
                "Configuration error: BFD instance {name} has duplicate source/{word} address {}/{}, ignoring instance",
                src.ip, nbr.ip
            ),
            None => format!(
                "Configuration error: BFD instance {name} has duplicate {word} address {}, ignoring instance",
                nbr.ip
            ),
        };
        c.err(ErrClass::GeneralError, msg);
        return;
    }
    // ttl and max_hops are uint8_t in keepalived (max_hops -1 is 255)
    let ttl = if k.ttl != 0 {
        k.ttl
    } else if nbr.fam() == super::addr::Fam::V4 {
        255
    } else {
        64
    };
    if (k.max_hops as u8) as u64 > ttl {
        c.err(
            ErrClass::GeneralError,
            format!("BFD instance {name}: max_hops exceeds ttl/hoplimit - setting to ttl/hoplimit"),
        );
    }
    c.state.lvs.bfd.instances.push(Instance {
        name: k.name.clone(),
        nbr: Some(nbr),
        src: k.src,
    });
}

static BFD_KW: [K; 14] = [
    Kw::new("source_ip", source_ip),
    Kw::new("neighbor_ip", neighbor_ip),
    Kw::new("neighbour_ip", neighbor_ip),
    Kw::new("min_rx", min_rx),
    Kw::new("min_tx", min_tx),
    Kw::new("idle_tx", idle_tx),
    Kw::new("multiplier", multiplier),
    Kw::new("passive", passive),
    Kw::new("ttl", ttl),
    Kw::new("hoplimit", ttl),
    Kw::new("max_hops", max_hops),
    Kw::new("weight", weight),
    Kw::new("vrrp", event_vrrp),
    Kw::new("checker", event_checker),
];

/// The `bfd_instance` root keyword.
pub(super) fn root_keyword() -> K {
    Kw::block("bfd_instance", Some(handler), &BFD_KW, Some(end))
}
