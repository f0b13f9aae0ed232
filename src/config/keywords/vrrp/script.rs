//! `vrrp_script`, `vrrp_track_process` and `track_file` blocks.

#[allow(unused_imports)]
use super::*;

// ---------------------------------------------------------------- vrrp_script

pub(super) fn script(c: &mut C, w: &[String]) {
    let Some(a) = c.arg(w, 1) else { return };
    c.state.cfg.scripts.push(VrrpScript {
        name: a.to_string(),
        script: None,
        interval_s: 1,
        timeout_s: 0,
        weight: 0,
        weight_reverse: false,
        rise: 1,
        fall: 1,
        init_fail: false,
        user: None,
        user_set: false,
        used: false,
    });
    c.state.script_user_set = false;
    c.state.remove_script = false;
}

pub(super) fn vscript<'a>(c: &'a mut C) -> &'a mut VrrpScript {
    let st = &mut c.state;
    match st.cfg.scripts.last_mut() {
        Some(s) => s,
        None => &mut st.orphans.script,
    }
}

pub(super) fn script_script(c: &mut C, _w: &[String]) {
    let Some(words) = c.shell_words() else { return };
    let Some(cmd) = words.get(1).cloned() else {
        return;
    };
    let Some(argv) = c.shell_split(&cmd) else {
        return;
    };
    vscript(c).script = Some(Script {
        cmd,
        argv,
        user: None,
        group: None,
    });
}

pub(super) fn script_number(c: &mut C, w: &[String]) {
    let Some(a) = c.arg(w, 1) else { return };
    let sname = vscript(c).name.clone();
    let kw = w[0].as_str();
    let max = u32::MAX as u64 / HZ;
    match kw {
        "interval" | "timeout" => {
            let Some(mut v) = read_unsigned(c, a, 0, max, true) else {
                let msg = if kw == "interval" {
                    format!(
                        "({sname}): vrrp script interval '{a}' must be between 1 and {max} - ignoring"
                    )
                } else {
                    format!("({sname}): vrrp script timeout '{a}' invalid - ignoring")
                };
                c.err(GE, msg)
                    .help("keepalived 2.2.7 takes whole seconds here");
                return;
            };
            if v == 0 {
                c.err(
                    GE,
                    format!("({sname}): vrrp script {kw} must be greater than 0, setting to 1"),
                );
                v = 1;
            }
            if kw == "interval" {
                vscript(c).interval_s = v as u32;
            } else {
                vscript(c).timeout_s = v as u32;
            }
        }
        _ => {
            let v = match read_unsigned(c, a, 1, i32::MAX as u64, true) {
                Some(v) => v as u32,
                None => {
                    c.err(
                        GE,
                        format!("({sname}): vrrp script {kw} value '{a}' invalid, defaulting to 1"),
                    );
                    1
                }
            };
            if kw == "rise" {
                vscript(c).rise = v;
            } else {
                vscript(c).fall = v;
            }
        }
    }
}

pub(super) fn script_weight(c: &mut C, w: &[String]) {
    let Some(a) = c.arg(w, 1) else { return };
    let sname = vscript(c).name.clone();
    let v = read_int(c, a, -253, 253, true);
    if v.is_none() {
        c.err(
            GE,
            format!("vrrp_script {sname} weight {a} must be in [-253, 253]"),
        );
    }
    // keepalived stores whatever strtol produced, even when out of range
    let raw = v.unwrap_or_else(|| {
        let t = a.trim_start();
        let n: String = t
            .chars()
            .take_while(|ch| ch.is_ascii_digit() || *ch == '-' || *ch == '+')
            .collect();
        n.parse::<i64>()
            .unwrap_or(0)
            .clamp(i32::MIN as i64, i32::MAX as i64)
    });
    vscript(c).weight = raw as i32;
    if let Some(opt) = w.get(2) {
        if opt == "reverse" {
            vscript(c).weight_reverse = true;
        } else {
            c.err(
                GE,
                format!("vrrp_script {sname} unknown weight option {opt}"),
            );
        }
    }
}

pub(super) fn script_user(c: &mut C, w: &[String]) {
    let Some(u) = c.arg(w, 1) else { return };
    let g = w.get(2).cloned();
    let ok = super::super::global::lookup_uid_gid(c, u, g.as_deref()).is_some();
    if !ok {
        // keepalived's cmd_str(): each word of argv in single quotes.
        let cmd = vscript(c)
            .script
            .as_ref()
            .map(|s| {
                s.argv
                    .iter()
                    .map(|a| format!("'{a}'"))
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .unwrap_or_default();
        c.err(GE, format!("Unable to set uid/gid for script {cmd}"));
        c.state.remove_script = true;
    } else {
        c.state.remove_script = false;
        c.state.script_user_set = true;
        vscript(c).user = Some((u.to_string(), g));
    }
}

pub(super) fn script_init_fail(c: &mut C, _w: &[String]) {
    vscript(c).init_fail = true;
}

pub(super) fn script_end(c: &mut C) {
    let s = vscript(c);
    let sname = s.name.clone();
    let has_script = s.script.as_ref().is_some_and(|s| !s.argv.is_empty());
    let mut remove = c.state.remove_script;
    if !has_script {
        c.err(
            GE,
            format!("No script set for vrrp_script {sname} - removing"),
        );
        remove = true;
    } else if !remove
        && !c.state.script_user_set
        && super::super::global::default_script_user(c).is_none()
    {
        c.err(
            GE,
            format!("Unable to set default user for vrrp script {sname} - removing"),
        );
        remove = true;
    }
    if remove {
        c.state.cfg.scripts.pop();
    } else {
        vscript(c).user_set = c.state.script_user_set;
    }
}

// ---------------------------------------------------------------- vrrp_track_process

pub(super) fn tprocess(c: &mut C, w: &[String]) {
    let Some(a) = c.arg(w, 1) else { return };
    c.state.cfg.track_processes.push(TrackProcess {
        name: a.to_string(),
        process: Vec::new(),
        weight: 0,
        weight_reverse: false,
        quorum: 1,
        quorum_max: u32::MAX,
    });
}

pub(super) fn tproc<'a>(c: &'a mut C) -> &'a mut TrackProcess {
    let st = &mut c.state;
    match st.cfg.track_processes.last_mut() {
        Some(p) => p,
        None => &mut st.orphans.process,
    }
}

pub(super) fn tprocess_process(c: &mut C, w: &[String]) {
    let name = tproc(c).name.clone();
    if !tproc(c).process.is_empty() {
        c.err(
            GE,
            format!(
                "Process already set for track process {name} - ignoring {}",
                w.get(1).map_or("", String::as_str)
            ),
        );
        return;
    }
    let words = c.shell_words().unwrap_or_default();
    tproc(c).process = if words.len() > 1 {
        words[1..].to_vec()
    } else {
        w[1..].to_vec()
    };
}

pub(super) fn tprocess_match(c: &mut C, w: &[String]) {
    let Some(a) = c.arg(w, 1) else { return };
    if a != "initial" && a != "partial" {
        c.err(GE, format!("Invalid param_match type {a} - ignoring"));
    }
}

pub(super) fn tprocess_weight(c: &mut C, w: &[String]) {
    let name = tproc(c).name.clone();
    let Some(a) = w.get(1) else {
        c.err(
            GE,
            format!("No weight specified for track process {name} - ignoring"),
        );
        return;
    };
    if tproc(c).weight != 0 {
        c.err(
            GE,
            format!("Weight already set for track process {name} - ignoring {a}"),
        );
        return;
    }
    let v = match read_int(c, a, -254, 254, true) {
        Some(v) => v as i32,
        None => {
            c.err(GE, format!("Weight ({a}) for vrrp_track_process {name} must be between [-254..254] inclusive. Ignoring..."));
            0
        }
    };
    tproc(c).weight = v;
    if let Some(opt) = w.get(2) {
        if opt == "reverse" {
            tproc(c).weight_reverse = true;
        } else {
            c.err(
                GE,
                format!("vrrp_track_process {name} unknown weight option {opt}"),
            );
        }
    }
}

pub(super) fn tprocess_quorum(c: &mut C, w: &[String]) {
    let Some(a) = c.arg(w, 1) else { return };
    let name = tproc(c).name.clone();
    let kw = w[0].as_str();
    let Some(v) = read_unsigned(c, a, if kw == "quorum" { 1 } else { 0 }, 65535, true) else {
        let label = if kw == "quorum" {
            "Quorum"
        } else {
            "quorum_max"
        };
        let min = if kw == "quorum" { 1 } else { 0 };
        c.err(GE, format!("{label} ({a}) for vrrp_track_process {name} must be between [{min}..65535] inclusive. Ignoring..."));
        return;
    };
    let v = v as u32;
    if kw == "quorum" {
        if v > tproc(c).quorum_max {
            c.err(GE, "Quorum is greater than quorum_max - ignoring");
            return;
        }
        tproc(c).quorum = v;
    } else {
        if v < tproc(c).quorum {
            c.err(GE, "quorum_max is less than quorum - ignoring");
            return;
        }
        tproc(c).quorum_max = v;
    }
}

pub(super) fn tprocess_delay(c: &mut C, w: &[String]) {
    let Some(a) = c.arg(w, 1) else { return };
    let name = tproc(c).name.clone();
    if read_decimal(c, a, 1, 3600 * HZ, 6, true).is_none() {
        let prefix = w[0].strip_suffix("delay").unwrap_or("");
        c.err(GE, format!("{prefix}delay ({a}) for vrrp_track_process {name} must be between [0.000001..3600] inclusive. Ignoring..."));
    }
}

pub(super) fn tprocess_full(_c: &mut C, _w: &[String]) {}

pub(super) fn tprocess_end(c: &mut C) {
    if tproc(c).process.is_empty() {
        let name = tproc(c).name.clone();
        c.err(
            GE,
            format!("track process '{name}' process name not specified"),
        );
        c.state.cfg.track_processes.pop();
    }
}

// ---------------------------------------------------------------- track_file

pub(super) fn track_file(c: &mut C, w: &[String]) {
    let Some(a) = c.arg(w, 1) else { return };
    c.state.cfg.track_files.push(TrackFile {
        name: a.to_string(),
        file: None,
        weight: 1,
        weight_reverse: false,
        init_file: None,
    });
    c.state.cur_track_file = Some(c.state.cfg.track_files.len() - 1);
}

pub(super) fn vrrp_track_file(c: &mut C, w: &[String]) {
    c.log("\"vrrp_track_file\" is deprecated, please use \"track_file\"");
    track_file(c, w);
}

pub(super) fn tf<'a>(c: &'a mut C) -> Option<&'a mut TrackFile> {
    let i = c.state.cur_track_file?;
    c.state.cfg.track_files.get_mut(i)
}

pub(super) fn tfile_file(c: &mut C, w: &[String]) {
    let Some(a) = w.get(1) else {
        c.err(GE, "track file file name missing");
        return;
    };
    let Some(t) = tf(c) else { return };
    if t.file.is_some() {
        let n = t.name.clone();
        c.err(
            GE,
            format!("File already set for track file {n} - ignoring {a}"),
        );
        return;
    }
    t.file = Some(a.clone());
}

pub(super) fn tfile_weight(c: &mut C, w: &[String]) {
    let Some(name) = tf(c).map(|t| t.name.clone()) else {
        return;
    };
    let Some(a) = w.get(1) else {
        c.err(
            GE,
            format!("No weight specified for track file {name} - ignoring"),
        );
        return;
    };
    if tf(c).is_some_and(|t| t.weight != 1) {
        c.err(
            GE,
            format!("Weight already set for track file {name} - ignoring {a}"),
        );
        return;
    }
    let v = match read_int(c, a, -254, 254, true) {
        Some(v) => v as i32,
        None => {
            c.err(GE, format!("Weight ({a}) for track_file {name} must be between [-254..254] inclusive. Ignoring..."));
            1
        }
    };
    if let Some(t) = tf(c) {
        t.weight = v;
    }
    if let Some(opt) = w.get(2) {
        if opt == "reverse" {
            if let Some(t) = tf(c) {
                t.weight_reverse = true;
            }
        } else {
            c.err(GE, format!("track_file {name} unknown weight option {opt}"));
        }
    }
}

pub(super) fn tfile_init(c: &mut C, w: &[String]) {
    let Some(name) = tf(c).map(|t| t.name.clone()) else {
        return;
    };
    let mut value = 0i64;
    let mut overwrite = false;
    for word in &w[1..] {
        let t = word.trim_start();
        if t.starts_with(|ch: char| ch.is_ascii_digit() || ch == '-') {
            match read_int(c, word, i32::MIN as i64, i32::MAX as i64, false) {
                Some(v) => {
                    if !(-254..=254).contains(&v) {
                        c.err(GE, format!("Track file {name} init value {v} is outside sensible range [-254, 254]"));
                    }
                    value = v;
                }
                None => {
                    c.err(GE, format!("Track file {name} init value {t} is invalid"));
                    value = 0;
                }
            }
        } else if t == "overwrite" {
            overwrite = true;
        } else {
            c.err(GE, format!("Unknown track file init option {t}"));
        }
    }
    if let Some(t) = tf(c) {
        t.init_file = Some((value, overwrite));
    }
}

pub(super) fn track_file_end(c: &mut C) {
    let Some(t) = tf(c) else { return };
    if t.file.is_none() {
        let n = t.name.clone();
        c.err(GE, format!("No file set for track_file {n} - ignoring"));
        c.state.cfg.track_files.pop();
    }
    c.state.cur_track_file = None;
}
