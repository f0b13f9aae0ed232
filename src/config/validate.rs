//! Checks after the whole file is read (keepalived 2.2.7's `start_vrrp` after
//! `init_data`, i.e. `vrrp_complete_init` and friends): defaults that depend
//! on other keywords, cross references, duplicate VRIDs, interfaces, script
//! resolution and security.
//!
//! The order of the checks and of their messages is keepalived's:
//!
//! 1. a non-existent interface stops everything ("Non-existent interface
//!    specified in configuration", CONFIG_BAD_IF);
//! 2. global defaults (`vrrp_garp_lower_prio_*`), the FIFO path appended to
//!    the FIFO scripts;
//! 3. script resolution and security (`scripts`): "Disabling track script
//!    ...", then the one "SECURITY VIOLATION ..." line;
//! 4. `chk_min_cfg` for every instance (VRID, interface) — a failure stops
//!    the VRRP process;
//! 5. sync groups (members, "has only 1 virtual router(s)");
//! 6. `vrrp_complete_instance` for every instance (`instance`);
//! 7. duplicate VRIDs — stop;
//! 8. sync group tracking;
//! 9. with `-t` keepalived stops here; a real start goes on with track files
//!    and "Warning - script %s is not used".
//!
//! Where keepalived would stop its VRRP process, [`Config::vrrp_exit`] says
//! why and the offending instance is marked `disabled`. Instances keepalived
//! keeps but holds in FAULT for good (`num_config_faults`) are marked
//! `disabled` too.
//!
//! Must not: do I/O except through [`Host`].

mod instance;
pub mod scripts;
mod sync;
#[cfg(test)]
mod tests;

pub use scripts::{default_script_ids, script_ids};

use super::diag::{Diagnostic, Diagnostics, ErrClass};
use super::host::Host;
use super::keywords::C;
use super::model::Config;
use std::path::Path;

/// Run every post-parse check on the model being built by `c`.
pub fn complete(c: &mut C) {
    // keepalived -t checks the checker (LVS) side before the VRRP side.
    super::keywords::lvs::validate(c);
    let host = c.state.host.clone();
    let config_test = c.config_test;
    complete_config(&mut c.state.cfg, &*host, &mut c.reader.diags, config_test);
}

/// Run every post-parse check on `cfg` (the body of [`complete`]).
pub fn complete_config(
    cfg: &mut Config,
    host: &dyn Host,
    diags: &mut Diagnostics,
    config_test: bool,
) {
    let mut v = V {
        cfg,
        host,
        diags,
        config_test,
    };
    v.run();
}

/// Post-parse state: the model, host facts and where messages go.
pub(crate) struct V<'a> {
    pub cfg: &'a mut Config,
    pub host: &'a dyn Host,
    pub diags: &'a mut Diagnostics,
    pub config_test: bool,
}

/// keepalived's VRRP-process stop after this message.
const NON_EXISTENT_IF: &str = "Non-existent interface specified in configuration";

impl V<'_> {
    /// keepalived `report_config_error` after the parse (no line prefix).
    pub(crate) fn err(&mut self, class: ErrClass, msg: impl Into<String>) -> &mut Diagnostic {
        self.diags.report(class, None, msg)
    }

    /// keepalived `log_message` (log only).
    pub(crate) fn log(&mut self, msg: impl Into<String>) -> &mut Diagnostic {
        self.diags.log(None, msg)
    }

    /// The VRRP process stops: record why, and on which instance.
    pub(crate) fn stop(&mut self, inst: Option<usize>, why: String) {
        if let Some(i) = inst {
            let d = &mut self.cfg.instances[i].disabled;
            if d.is_none() {
                **d = Some(why.clone());
            }
        }
        if self.cfg.vrrp_exit.is_none() {
            self.cfg.vrrp_exit = Some(why);
        }
    }

    fn run(&mut self) {
        if self.non_existent_interface() {
            self.err(ErrClass::BadIf, NON_EXISTENT_IF);
            self.stop(None, NON_EXISTENT_IF.to_string());
            return;
        }
        self.complete_init();
    }

    /// keepalived's `non_existent_interface_specified`: set by the handlers
    /// for any interface lookup, and checked here for the instance's own
    /// `interface` as written.
    fn non_existent_interface(&self) -> bool {
        if self.cfg.non_existent_interface {
            return true;
        }
        if self.cfg.global.dynamic_interfaces {
            return false;
        }
        self.cfg.instances.iter().any(|i| {
            i.interface.is_none()
                && i.interface_configured
                    .as_deref()
                    .is_some_and(|n| self.host.interface(n).is_none())
        })
    }

    /// keepalived `vrrp_complete_init` (the parts a configuration check sees).
    fn complete_init(&mut self) {
        let g = &mut self.cfg.global;
        if g.garp.lower_prio_repeat.is_none() {
            g.garp.lower_prio_repeat = Some(g.garp.master_repeat);
        }
        if g.garp.lower_prio_delay.is_none() {
            g.garp.lower_prio_delay = Some(g.garp.master_delay);
        }

        // The FIFO scripts get the FIFO's path as their last argument.
        if let (Some(s), Some(f)) = (g.notify_fifo_script.as_mut(), g.notify_fifo.as_ref()) {
            s.argv.push(f.path.clone());
        }
        if let (Some(s), Some(f)) = (
            g.vrrp_notify_fifo_script.as_mut(),
            g.vrrp_notify_fifo.as_ref(),
        ) {
            s.argv.push(f.path.clone());
        }

        scripts::check_vrrp_script_security(self);

        if !self.check_min_cfg() {
            return;
        }

        self.sync_groups();

        let mut nft_table = self.cfg.global.nftables.is_some();
        for i in 0..self.cfg.instances.len() {
            if !instance::complete_instance(self, i, &mut nft_table) {
                return;
            }
        }

        if self.check_vrid_conflicts() {
            return;
        }

        self.sync_group_tracking_init();
        self.sync_group_wantstate();
        self.mark_used_scripts();

        // keepalived -t stops here.
        if self.config_test {
            return;
        }

        self.init_track_files();
        self.lvs_syncd();

        // Unused tracking scripts.
        let mut i = 0;
        while i < self.cfg.scripts.len() {
            if self.cfg.scripts[i].used {
                i += 1;
                continue;
            }
            let name = self.cfg.scripts[i].name.clone();
            self.err(
                ErrClass::GeneralError,
                format!("Warning - script {name} is not used"),
            );
            self.cfg.scripts.remove(i);
        }
    }

    /// keepalived `chk_min_cfg`, for every instance in order; the first
    /// failure stops the VRRP process.
    fn check_min_cfg(&mut self) -> bool {
        for i in 0..self.cfg.instances.len() {
            let inst = &self.cfg.instances[i];
            let msg = if inst.vrid.is_none() {
                format!("({}) the virtual router id must be set", inst.name)
            } else if self.ifp(i).is_none() {
                // 2.2.7 tests its "unicast" flag here, but only sets it later
                // in vrrp_complete_instance: an instance without an
                // interface is always refused, unicast or not.
                format!("({}) Unknown interface!", inst.name)
            } else {
                continue;
            };
            self.err(ErrClass::GeneralError, msg.clone());
            self.stop(Some(i), msg);
            return false;
        }
        true
    }

    /// The instance's interface as keepalived holds it (`vrrp->ifp`): the
    /// existing one, or with `dynamic_interfaces` the one named even if it
    /// does not exist yet.
    pub(crate) fn ifp(&self, i: usize) -> Option<String> {
        let inst = &self.cfg.instances[i];
        if let Some(n) = &inst.interface {
            return Some(n.clone());
        }
        if self.cfg.global.dynamic_interfaces {
            if let Some(n) = &inst.interface_configured {
                if self.host.interface(n).is_none() {
                    return Some(n.clone());
                }
            }
        }
        None
    }

    /// keepalived `check_vrid_conflicts`: true when the VRRP process stops.
    fn check_vrid_conflicts(&mut self) -> bool {
        let mut had_error = false;
        let n = self.cfg.instances.len();
        // keepalived compares every pair (quadratic in the number of
        // instances); only instances with the same family and VRID can
        // conflict, so compare within those buckets, in the same order.
        // Multicast instances can only conflict on the same interface;
        // unicast ones are compared among themselves whatever the interface.
        let key = |v: &Self, k: usize| {
            let x = &v.cfg.instances[k];
            let unicast = !x.unicast_peers.is_empty();
            (
                x.family,
                x.vrid,
                unicast,
                if unicast { None } else { v.ifp(k) },
            )
        };
        let mut buckets: std::collections::HashMap<_, Vec<usize>> =
            std::collections::HashMap::new();
        let keys: Vec<_> = (0..n).map(|k| key(self, k)).collect();
        for (k, kk) in keys.iter().enumerate() {
            buckets.entry(kk.clone()).or_default().push(k);
        }
        for a in 0..n {
            let bucket = &buckets[&keys[a]];
            let first_later = bucket.partition_point(|&b| b <= a);
            let later: Vec<usize> = bucket[first_later..].to_vec();
            for b in later {
                let (x, y) = (&self.cfg.instances[a], &self.cfg.instances[b]);
                if x.family != y.family || x.vrid != y.vrid {
                    continue;
                }
                let (ux, uy) = (!x.unicast_peers.is_empty(), !y.unicast_peers.is_empty());
                if ux != uy {
                    continue;
                }
                let (ix, iy) = (self.ifp(a), self.ifp(b));
                if ux {
                    // Both unicast.
                    if ix.is_some() && iy.is_some() && ix != iy {
                        continue;
                    }
                    // keepalived compares the source addresses, taking the
                    // interface's address when none is configured; the host
                    // facts here do not include interface addresses, so only
                    // configured ones are compared.
                    let sx = x.unicast_src_ip.or(x.mcast_src_ip);
                    let sy = y.unicast_src_ip.or(y.mcast_src_ip);
                    let (Some(sx), Some(sy)) = (sx, sy) else {
                        continue;
                    };
                    if sx != sy {
                        continue;
                    }
                    let matched = x
                        .unicast_peers
                        .iter()
                        .any(|p| y.unicast_peers.iter().any(|q| q.addr == p.addr));
                    if !matched {
                        continue;
                    }
                    let msg = format!(
                        "({}) duplicate VRID conflict with {} VRID {}",
                        x.name,
                        y.name,
                        x.vrid.unwrap_or(0)
                    );
                    self.err(ErrClass::GeneralError, msg.clone());
                    self.stop(Some(a), msg);
                    had_error = true;
                    continue;
                }
                // Both multicast.
                if ix != iy {
                    continue;
                }
                let g = &self.cfg.global;
                let v6 = x.family == Some(super::model::Family::V6);
                let default_group = if v6 { g.mcast_group6 } else { g.mcast_group4 };
                if x.mcast_dst_ip.unwrap_or(default_group)
                    != y.mcast_dst_ip.unwrap_or(default_group)
                {
                    continue;
                }
                let Some(ifname) = ix else { continue };
                if self.host.interface(&ifname).is_none() {
                    continue;
                }
                let msg = format!(
                    "{} and {} both use VRID {} with IPv{} on interface {}",
                    x.name,
                    y.name,
                    x.vrid.unwrap_or(0),
                    if v6 { 6 } else { 4 },
                    ifname
                );
                self.err(ErrClass::GeneralError, msg.clone());
                self.stop(Some(a), msg);
                had_error = true;
            }
        }
        had_error
    }

    /// `VrrpScript::used`: tracked by a (surviving) instance or by a sync
    /// group that has members.
    fn mark_used_scripts(&mut self) {
        let cfg = &mut *self.cfg;
        for s in &mut cfg.scripts {
            s.used = cfg
                .instances
                .iter()
                .any(|i| i.track_scripts.iter().any(|t| t.name == s.name))
                || cfg.sync_groups.iter().any(|g| {
                    !g.members.is_empty() && g.track_scripts.iter().any(|t| t.name == s.name)
                });
        }
    }

    /// keepalived `init_track_files` (a real start only): files nothing
    /// tracks are forgotten; the path is resolved, a missing file needs an
    /// existing directory.
    fn init_track_files(&mut self) {
        let mut i = 0;
        while i < self.cfg.track_files.len() {
            let name = self.cfg.track_files[i].name.clone();
            let tracked =
                self.cfg
                    .instances
                    .iter()
                    .any(|v| v.track_files.iter().any(|t| t.name == name))
                    || self.cfg.sync_groups.iter().any(|g| {
                        !g.members.is_empty() && g.track_files.iter().any(|t| t.name == name)
                    });
            let Some(path) = self.cfg.track_files[i].file.clone() else {
                self.remove_track_file(i);
                continue;
            };
            if !tracked {
                self.remove_track_file(i);
                continue;
            }
            match self.host.realpath(Path::new(&path)) {
                Ok(real) => {
                    self.cfg.track_files[i].file = Some(real.to_string_lossy().into_owned());
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    let (dir, file) = match path.rfind('/') {
                        Some(p) => (if p == 0 { "/" } else { &path[..p] }, &path[p + 1..]),
                        None => (".", path.as_str()),
                    };
                    let resolved = self
                        .host
                        .realpath(Path::new(dir))
                        .ok()
                        .filter(|r| self.host.owner(r, true).is_ok_and(|o| o.is_dir()));
                    let Some(resolved) = resolved else {
                        let msg =
                            format!("Track file directory for {name} does not exist - removing");
                        self.err(ErrClass::GeneralError, msg)
                            .help(format!("{dir}: no such directory"));
                        self.remove_track_file(i);
                        continue;
                    };
                    let r = resolved.to_string_lossy();
                    let sep = if r.ends_with('/') { "" } else { "/" };
                    self.cfg.track_files[i].file = Some(format!("{r}{sep}{file}"));
                }
                Err(e) => {
                    let msg = format!("track file {name} is not accessible - ignoring");
                    self.err(ErrClass::GeneralError, msg)
                        .help(format!("{path}: {}", scripts::strerror(&e)));
                    self.remove_track_file(i);
                    continue;
                }
            }
            i += 1;
        }
    }

    /// `lvs_sync_daemon ... inst VRRP`: the instance must exist; its VRID is
    /// the default sync id (a real start only).
    fn lvs_syncd(&mut self) {
        let Some(sd) = self.cfg.global.lvs_sync_daemon.as_ref() else {
            return;
        };
        let Some(name) = sd.vrrp_instance.clone() else {
            return;
        };
        match self.cfg.instances.iter().find(|i| i.name == name) {
            None => {
                self.err(
                    ErrClass::GeneralError,
                    format!("Unable to find vrrp instance {name} for lvs_syncd - clearing lvs_syncd config"),
                );
                self.cfg.global.lvs_sync_daemon = None;
            }
            Some(i) => {
                let vrid = i.vrid;
                if let Some(sd) = self.cfg.global.lvs_sync_daemon.as_mut() {
                    if sd.syncid.is_none() {
                        sd.syncid = vrid;
                    }
                }
            }
        }
    }

    /// Drop track file `i` and every reference to it.
    fn remove_track_file(&mut self, i: usize) {
        let tf = self.cfg.track_files.remove(i);
        for v in &mut self.cfg.instances {
            if let Some(l) = v.track_files.as_set_mut() {
                l.retain(|t| t.name != tf.name);
            }
        }
        for g in &mut self.cfg.sync_groups {
            g.track_files.retain(|t| t.name != tf.name);
        }
    }
}
