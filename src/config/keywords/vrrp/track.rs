//! Tracking references (`track_interface`, `track_script`, `track_file`,
//! `track_process`, `track_bfd`) of instances and sync groups.

#[allow(unused_imports)]
use super::*;

// ---------------------------------------------------------------- tracking references

/// `IF [weight W [reverse]]` (keepalived `alloc_track_if`).
pub(super) fn track_if_item(
    c: &mut C,
    owner: &str,
    existing: &[TrackIf],
    item: &[String],
) -> Option<TrackIf> {
    let tracked = item[0].clone();
    if !interface_known(c, &tracked) {
        c.err(
            GE,
            format!("({owner}) tracked interface {tracked} doesn't exist"),
        );
        return None;
    }
    if existing.iter().any(|t| t.ifname == tracked) {
        c.err(
            GE,
            format!("({owner}) duplicate track_interface {tracked} - ignoring"),
        );
        return None;
    }
    let mut weight = 0;
    let mut reverse = false;
    if item.len() >= 2 {
        if item[1] != "weight" {
            c.err(
                GE,
                format!(
                    "({owner}) unknown track_interface {tracked} option {} - ignoring",
                    item[1]
                ),
            );
            return None;
        }
        if item.len() == 2 {
            c.err(GE, format!("({owner}) weight without value specified for track_interface {tracked} - ignoring"));
            return None;
        }
        weight = match read_int(c, &item[2], -254, 254, true) {
            Some(v) => v as i32,
            None => {
                c.err(GE, format!("({owner}) weight {} for {tracked} must be between [-253..253] inclusive. Ignoring...", item[2]));
                0
            }
        };
        if weight.abs() == 254 {
            c.err(
                GE,
                format!("({owner}) weight for {tracked} cannot be +/-254. Setting to +/-253"),
            );
            weight = weight.signum() * 253;
        }
        if item.len() >= 4 {
            if item[3] == "reverse" {
                reverse = true;
            } else {
                c.err(
                    GE,
                    format!(
                        "({owner}) unknown track_interace {tracked} weight option {} - ignoring",
                        item[3]
                    ),
                );
            }
        }
    }
    Some(TrackIf {
        ifname: tracked,
        weight,
        reverse,
    })
}

/// `weight W [reverse|noreverse]` part shared by script/file/process/bfd refs.
pub(super) struct RefTexts {
    what: &'static str,
    unknown_opt: fn(&str, &str, &str) -> String,
    no_value: fn(&str, &str) -> String,
    bad_weight: fn(&str, &str, &str) -> String,
    bad_rev: fn(&str, &str, &str) -> String,
    clamp_254: bool,
    bad_rev_rejects: bool,
}

pub(super) fn track_ref(
    c: &mut C,
    owner: &str,
    existing: &[TrackRef],
    item: &[String],
    found: Option<(i32, bool)>,
    t: &RefTexts,
) -> Option<TrackRef> {
    let tracked = item[0].clone();
    let Some((dw, drev)) = found else {
        c.err(
            GE,
            format!("({owner}) {} {tracked} not found, ignoring...", t.what),
        );
        return None;
    };
    if existing.iter().any(|e| e.name == tracked) {
        let kw = t.what.replace(' ', "_");
        c.err(GE, format!("({owner}) duplicate {kw} {tracked} - ignoring"));
        return None;
    }
    let (mut weight, mut reverse) = (dw, drev);
    if item.len() >= 2 {
        if item[1] != "weight" {
            c.err(GE, (t.unknown_opt)(owner, &tracked, &item[1]));
            return None;
        }
        if item.len() == 2 {
            c.err(GE, (t.no_value)(owner, &tracked));
            return None;
        }
        match read_int(c, &item[2], -254, 254, true) {
            Some(v) => weight = v as i32,
            None => {
                c.err(GE, (t.bad_weight)(owner, &tracked, &item[2]));
                weight = dw;
            }
        }
        if t.clamp_254 && weight.abs() == 254 {
            c.err(
                GE,
                format!("({owner}) weight for {tracked} cannot be +/-254. Setting to +/-253"),
            );
            weight = weight.signum() * 253;
        }
        if item.len() >= 4 {
            match item[3].as_str() {
                "reverse" => reverse = true,
                "noreverse" => reverse = false,
                other => {
                    c.err(GE, (t.bad_rev)(owner, &tracked, other));
                    if t.bad_rev_rejects {
                        return None;
                    }
                }
            }
        }
    }
    Some(TrackRef {
        name: tracked,
        weight,
        reverse,
    })
}

pub(super) const SCRIPT_TEXTS: RefTexts = RefTexts {
    what: "track script",
    unknown_opt: |o, _t, opt| format!("({o}) unknown track script option {opt} - ignoring"),
    no_value: |o, t| {
        format!("({o}) weight without value specified for track script {t} - ignoring")
    },
    bad_weight: |o, t, _w| {
        format!("({o}) track script {t}: weight must be between [-253..253] inclusive, ignoring...")
    },
    bad_rev: |o, t, opt| format!("({o}) unknown track_script {t} weight option {opt} - ignoring"),
    clamp_254: true,
    bad_rev_rejects: false,
};

pub(super) const FILE_TEXTS: RefTexts = RefTexts {
    what: "track file",
    unknown_opt: |o, _t, opt| format!("({o}) unknown track file option {opt} - ignoring"),
    no_value: |o, t| format!("({o}) weight without value specified for track file {t} - ignoring"),
    bad_weight: |o, t, _w| {
        format!("({o}) weight for track file {t} must be in [-254..254] inclusive. Ignoring...")
    },
    bad_rev: |o, t, opt| format!("({o}) unknown track file {t} weight option {opt} - ignoring"),
    clamp_254: false,
    bad_rev_rejects: true,
};

pub(super) const PROCESS_TEXTS: RefTexts = RefTexts {
    what: "track process",
    unknown_opt: |o, _t, opt| format!("({o}) unknown track process option {opt} - ignoring"),
    no_value: |o, t| {
        format!("({o}) weight without value specified for track process {t} - ignoring")
    },
    bad_weight: |o, t, _w| {
        format!("({o}) weight for track process {t} must be in [-254..254] inclusive. Ignoring...")
    },
    bad_rev: |o, t, opt| format!("({o}) unknown track_process {t} weight option {opt} - ignoring"),
    clamp_254: false,
    bad_rev_rejects: true,
};

pub(super) const BFD_TEXTS: RefTexts = RefTexts {
    what: "track bfd",
    unknown_opt: |o, t, opt| format!("({o}) unknown track bfd {t} option {opt} - ignoring"),
    no_value: |o, t| format!("({o}) weight without value specified for track bfd {t} - ignoring"),
    bad_weight: |o, t, _w| {
        format!("({o}) weight for track bfd {t} must be in [-254..254] inclusive. Ignoring...")
    },
    bad_rev: |o, t, opt| format!("({o}) unknown track bfd {t} weight option {opt} - ignoring"),
    clamp_254: false,
    bad_rev_rejects: true,
};

pub(super) fn track_script_item(
    c: &mut C,
    owner: &str,
    existing: &[TrackRef],
    item: &[String],
) -> Option<TrackRef> {
    let found = c
        .state
        .cfg
        .scripts
        .iter()
        .find(|s| s.name == item[0])
        .map(|s| (s.weight, s.weight_reverse));
    let r = track_ref(c, owner, existing, item, found, &SCRIPT_TEXTS)?;
    if let Some(s) = c.state.cfg.scripts.iter_mut().find(|s| s.name == r.name) {
        s.used = true;
    }
    Some(r)
}

pub(super) fn track_file_item(
    c: &mut C,
    owner: &str,
    existing: &[TrackRef],
    item: &[String],
) -> Option<TrackRef> {
    let found = c
        .state
        .cfg
        .track_files
        .iter()
        .find(|s| s.name == item[0])
        .map(|s| (s.weight, s.weight_reverse));
    track_ref(c, owner, existing, item, found, &FILE_TEXTS)
}

pub(super) fn track_process_item(
    c: &mut C,
    owner: &str,
    existing: &[TrackRef],
    item: &[String],
) -> Option<TrackRef> {
    let found = c
        .state
        .cfg
        .track_processes
        .iter()
        .find(|s| s.name == item[0])
        .map(|s| (s.weight, s.weight_reverse));
    track_ref(c, owner, existing, item, found, &PROCESS_TEXTS)
}

pub(super) fn track_bfd_item(
    c: &mut C,
    owner: &str,
    existing: &[TrackRef],
    item: &[String],
) -> Option<TrackRef> {
    let found = c
        .state
        .bfd_names
        .iter()
        .any(|n| *n == item[0])
        .then_some((0, false));
    track_ref(c, owner, existing, item, found, &BFD_TEXTS)
}

/// Whose tracking lists a keyword fills.
#[derive(Clone, Copy)]
pub(super) enum Owner {
    Instance,
    Group,
}

/// Which list of named tracked objects.
#[derive(Clone, Copy)]
pub(super) enum RefKind {
    Script,
    File,
    Process,
    Bfd,
}

fn owner_name(c: &mut C, o: Owner) -> String {
    match o {
        Owner::Instance => iname(c),
        Owner::Group => group(c).name.clone(),
    }
}

fn if_list<'a>(c: &'a mut C, o: Owner) -> &'a mut Vec<TrackIf> {
    match o {
        Owner::Instance => &mut inst(c).track_interfaces,
        Owner::Group => &mut group(c).track_interfaces,
    }
}

fn ref_list<'a>(c: &'a mut C, o: Owner, k: RefKind) -> &'a mut Vec<TrackRef> {
    match (o, k) {
        (Owner::Instance, RefKind::Script) => &mut inst(c).track_scripts,
        (Owner::Instance, RefKind::File) => &mut inst(c).track_files,
        (Owner::Instance, RefKind::Process) => &mut inst(c).track_processes,
        (Owner::Instance, RefKind::Bfd) => &mut inst(c).track_bfds,
        (Owner::Group, RefKind::Script) => &mut group(c).track_scripts,
        (Owner::Group, RefKind::File) => &mut group(c).track_files,
        (Owner::Group, RefKind::Process) => &mut group(c).track_processes,
        (Owner::Group, RefKind::Bfd) => &mut group(c).track_bfds,
    }
}

/// `track_interface { IF [weight W [reverse]] ... }` of an instance or group.
pub(super) fn read_track_ifs(c: &mut C, w: &[String], o: Owner) {
    let name = owner_name(c, o);
    for item in c.value_block(w) {
        c.at(&item);
        let existing = if_list(c, o).clone();
        if let Some(t) = track_if_item(c, &name, &existing, &item) {
            if_list(c, o).push(t);
        }
    }
}

/// `track_script`/`track_file`/`track_process`/`track_bfd` lists.
pub(super) fn read_track_refs(c: &mut C, w: &[String], o: Owner, k: RefKind) {
    let name = owner_name(c, o);
    for item in c.value_block(w) {
        c.at(&item);
        let existing = ref_list(c, o, k).clone();
        let found = match k {
            RefKind::Script => track_script_item(c, &name, &existing, &item),
            RefKind::File => track_file_item(c, &name, &existing, &item),
            RefKind::Process => track_process_item(c, &name, &existing, &item),
            RefKind::Bfd => track_bfd_item(c, &name, &existing, &item),
        };
        if let Some(t) = found {
            ref_list(c, o, k).push(t);
        }
    }
}

pub(super) fn track_interface(c: &mut C, w: &[String]) {
    read_track_ifs(c, w, Owner::Instance);
}

pub(super) fn track_script(c: &mut C, w: &[String]) {
    read_track_refs(c, w, Owner::Instance, RefKind::Script);
}

pub(super) fn track_file_ref(c: &mut C, w: &[String]) {
    read_track_refs(c, w, Owner::Instance, RefKind::File);
}

pub(super) fn track_process_ref(c: &mut C, w: &[String]) {
    read_track_refs(c, w, Owner::Instance, RefKind::Process);
}

pub(super) fn track_bfd_ref(c: &mut C, w: &[String]) {
    read_track_refs(c, w, Owner::Instance, RefKind::Bfd);
}

pub(super) fn group_track_if(c: &mut C, w: &[String]) {
    read_track_ifs(c, w, Owner::Group);
}

pub(super) fn group_track_script(c: &mut C, w: &[String]) {
    read_track_refs(c, w, Owner::Group, RefKind::Script);
}

pub(super) fn group_track_file(c: &mut C, w: &[String]) {
    read_track_refs(c, w, Owner::Group, RefKind::File);
}

pub(super) fn group_track_process(c: &mut C, w: &[String]) {
    read_track_refs(c, w, Owner::Group, RefKind::Process);
}

pub(super) fn group_track_bfd(c: &mut C, w: &[String]) {
    read_track_refs(c, w, Owner::Group, RefKind::Bfd);
}
