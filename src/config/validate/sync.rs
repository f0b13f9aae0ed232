//! Sync groups after the parse: keepalived 2.2.7 `vrrp_sync_set_group`
//! (members), `sync_group_tracking_init` (group trackers against members)
//! and the start-up state of group members.

use super::V;
use crate::config::diag::ErrClass;
use crate::config::model::{InitialState, SyncGroup, TrackRef};

impl V<'_> {
    /// Sync groups: keepalived's loop in `vrrp_complete_init` and
    /// `vrrp_sync_set_group`. Groups left without members are removed.
    pub(super) fn sync_groups(&mut self) {
        let groups = std::mem::take(&mut self.cfg.sync_groups);
        let mut kept = Vec::with_capacity(groups.len());
        for mut sg in groups {
            if sg.members.is_empty() {
                self.err(
                    ErrClass::GeneralError,
                    format!("Sync group {} has no virtual router(s). removing", sg.name),
                );
                continue;
            }
            // A group refused here attached no member.
            if self.sync_set_group(&mut sg) {
                kept.push(sg);
            }
        }
        self.cfg.sync_groups = kept;
    }

    /// keepalived `vrrp_sync_set_group`.
    fn sync_set_group(&mut self, sg: &mut SyncGroup) -> bool {
        #[derive(PartialEq)]
        enum St {
            Init,
            Master,
            Backup,
        }
        let mut state = St::Init;
        let mut members = Vec::new();
        for name in std::mem::take(&mut sg.members) {
            let Some(i) = self.cfg.instances.iter().position(|v| v.name == name) else {
                self.err(
                    ErrClass::GeneralError,
                    format!(
                        "Virtual router {name} specified in sync group {} doesn't exist - ignoring",
                        sg.name
                    ),
                );
                continue;
            };
            if self.cfg.instances[i].sync_group.is_some() {
                self.err(
                    ErrClass::GeneralError,
                    format!("Virtual router {name} cannot exist in more than one sync group; ignoring {}", sg.name),
                );
                continue;
            }
            *self.cfg.instances[i].sync_group = Some(sg.name.clone());
            members.push(name);

            // The configured values (not yet defaulted) decide, as in keepalived.
            let inst = &self.cfg.instances[i];
            let want = inst.state;
            if state == St::Master && want == Some(InitialState::Backup) {
                self.err(
                    ErrClass::GeneralError,
                    format!(
                        "Sync group {} has some member(s) as address owner and some not as address owner. This won't work.",
                        sg.name
                    ),
                );
            }
            let inst = &self.cfg.instances[i];
            if state != St::Backup {
                state = if inst.state == Some(InitialState::Master) && inst.priority == Some(255) {
                    St::Master
                } else {
                    St::Backup
                };
            }
        }
        sg.members = members;
        if sg.members.is_empty() {
            self.err(
                ErrClass::GeneralError,
                format!("Sync group {}, no matching virtual router found in group declaration - removing", sg.name),
            );
            return false;
        }
        if sg.members.len() == 1 {
            self.err(
                ErrClass::GeneralError,
                format!("Sync group {} has only 1 virtual router(s) - this probably isn't what you want", sg.name),
            );
        }
        true
    }

    /// keepalived `sync_group_tracking_init`.
    pub(super) fn sync_group_tracking_init(&mut self) {
        let smtp_default = self
            .cfg
            .global
            .smtp_alert_vrrp
            .or(self.cfg.global.smtp_alert)
            .unwrap_or(false);
        for gi in 0..self.cfg.sync_groups.len() {
            let sg = &self.cfg.sync_groups[gi];
            if sg.members.is_empty() {
                continue;
            }
            let gname = sg.name.clone();
            let members: Vec<usize> = sg
                .members
                .iter()
                .filter_map(|m| self.cfg.instances.iter().position(|v| &v.name == m))
                .collect();
            let has_owner = members
                .iter()
                .any(|&i| self.cfg.instances[i].priority == Some(255));

            // Scripts.
            for k in 0..self.cfg.sync_groups[gi].track_scripts.len() {
                let sc = self.cfg.sync_groups[gi].track_scripts[k].clone();
                let mut sc_weight = sc.weight;
                if has_owner && sc.weight != 0 {
                    self.err(
                        ErrClass::GeneralError,
                        format!(
                            "({gname}) Cannot have weighted track script '{}' with member having priority 255 - clearing weight",
                            sc.name
                        ),
                    );
                    self.cfg.sync_groups[gi].track_scripts[k].weight = 0;
                    sc_weight = 0;
                }
                let sc = TrackRef {
                    weight: sc_weight,
                    ..sc
                };
                for &i in &members {
                    self.merge_group_ref(i, &sc, Kind::Script);
                }
            }
            // Files.
            for k in 0..self.cfg.sync_groups[gi].track_files.len() {
                let tf = self.cfg.sync_groups[gi].track_files[k].clone();
                let mut w = tf.weight;
                if has_owner && tf.weight != 0 {
                    self.err(
                        ErrClass::GeneralError,
                        format!(
                            "({gname}) Cannot have weighted track file '{}' with member having priority 255 - setting weight 0",
                            tf.name
                        ),
                    );
                    self.cfg.sync_groups[gi].track_files[k].weight = 0;
                    w = 0;
                }
                let tf = TrackRef { weight: w, ..tf };
                for &i in &members {
                    self.merge_group_ref(i, &tf, Kind::File);
                }
            }
            // Processes.
            for k in 0..self.cfg.sync_groups[gi].track_processes.len() {
                let tp = self.cfg.sync_groups[gi].track_processes[k].clone();
                let mut w = tp.weight;
                if has_owner && tp.weight != 0 {
                    self.err(
                        ErrClass::GeneralError,
                        format!(
                            "({gname}) Cannot have weighted track process '{}' with member having priority 255 - setting weight 0",
                            tp.name
                        ),
                    );
                    self.cfg.sync_groups[gi].track_processes[k].weight = 0;
                    w = 0;
                }
                let tp = TrackRef { weight: w, ..tp };
                for &i in &members {
                    self.merge_group_ref(i, &tp, Kind::Process);
                }
            }
            // BFDs.
            for k in 0..self.cfg.sync_groups[gi].track_bfds.len() {
                let tb = self.cfg.sync_groups[gi].track_bfds[k].clone();
                let mut w = tb.weight;
                if has_owner && tb.weight != 0 {
                    self.err(
                        ErrClass::GeneralError,
                        format!(
                            "({gname}) Cannot have weighted track bfd '{}' with member having priority 255 - setting weight 0",
                            tb.name
                        ),
                    );
                    self.cfg.sync_groups[gi].track_bfds[k].weight = 0;
                    w = 0;
                }
                let tb = TrackRef { weight: w, ..tb };
                for &i in &members {
                    self.merge_group_ref(i, &tb, Kind::Bfd);
                }
            }
            // Interfaces.
            for k in 0..self.cfg.sync_groups[gi].track_interfaces.len() {
                let ti = self.cfg.sync_groups[gi].track_interfaces[k].clone();
                let mut w = ti.weight;
                if has_owner && ti.weight != 0 {
                    self.err(
                        ErrClass::GeneralError,
                        format!(
                            "({gname}) Cannot have weighted track interface '{}' with member having priority 255 - clearing weight",
                            ti.ifname
                        ),
                    );
                    self.cfg.sync_groups[gi].track_interfaces[k].weight = 0;
                    w = 0;
                }
                for &i in &members {
                    // add_vrrp_to_interface: the instance already tracks the
                    // interface as its own or through its track_interface.
                    let own = self.ifp(i).as_deref() == Some(ti.ifname.as_str())
                        && !self.cfg.instances[i].dont_track_primary;
                    let inst = &mut self.cfg.instances[i];
                    let listed = inst
                        .track_interfaces
                        .iter()
                        .position(|t| t.ifname == ti.ifname);
                    if own || listed.is_some() {
                        let msg = format!(
                            "({}) track_interface {} is configured on VRRP instance and sync group. Remove vrrp instance or sync group config",
                            inst.name, ti.ifname
                        );
                        if let Some(p) = listed {
                            let t = &mut inst.track_interfaces[p];
                            if t.weight != 0 {
                                t.weight = w;
                                t.reverse = ti.reverse;
                            }
                        }
                        self.err(ErrClass::GeneralError, msg);
                    }
                }
            }

            let sg = &mut self.cfg.sync_groups[gi];
            if sg.smtp_alert.is_none() {
                sg.smtp_alert = Some(smtp_default);
            }
        }
    }

    /// keepalived `add_vrrp_to_track_*` for a sync group's tracker: when the
    /// member already tracks the object directly, its entry takes the
    /// group's weight (unless unweighted) and keepalived logs it.
    fn merge_group_ref(&mut self, i: usize, r: &TrackRef, kind: Kind) {
        let inst = &mut self.cfg.instances[i];
        // (a list never written stays unset: nothing in it to merge)
        let list = match kind {
            Kind::Script => Some(&mut inst.track_scripts),
            Kind::File => inst.track_files.as_set_mut(),
            Kind::Process => inst.track_processes.as_set_mut(),
            Kind::Bfd => inst.track_bfds.as_set_mut(),
        };
        let found = list.and_then(|l| l.iter_mut().find(|e| e.name == r.name));
        if let Some(e) = found {
            if e.weight != 0 {
                e.weight = r.weight;
                if kind != Kind::Process {
                    e.reverse = r.reverse;
                }
            }
            let what = match kind {
                Kind::Script => "track_script",
                Kind::File => "track_file",
                Kind::Process => "track_process",
                Kind::Bfd => "track_bfd",
            };
            let msg = format!(
                "({}) {what} {} is configured on VRRP instance and sync group. Remove vrrp instance config",
                inst.name, r.name
            );
            self.log(msg);
        }
    }

    /// keepalived: "if any sync group has member wanting to start in master
    /// state, then all can start in master state" — else none does.
    pub(super) fn sync_group_wantstate(&mut self) {
        for sg in &self.cfg.sync_groups {
            let members: Vec<usize> = sg
                .members
                .iter()
                .filter_map(|m| self.cfg.instances.iter().position(|v| &v.name == m))
                .collect();
            let mut have_backup = false;
            let mut have_master = false;
            for &i in &members {
                let inst = &self.cfg.instances[i];
                if inst.state == Some(InitialState::Backup) || inst.priority != Some(255) {
                    have_backup = true;
                }
                if inst.state == Some(InitialState::Master) {
                    have_master = true;
                }
                if have_master && have_backup {
                    for &j in &members {
                        let s = &mut self.cfg.instances[j].state;
                        if *s == Some(InitialState::Master) {
                            *s = Some(InitialState::Backup);
                        }
                    }
                    break;
                }
            }
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Script,
    File,
    Process,
    Bfd,
}
