//! Top-level globals, umask, random seed, include checks, reload and config copies.

#[allow(unused_imports)]
use super::*;

// Top-level keywords

pub(super) fn net_namespace(c: &mut C<'_, '_>, w: &[String]) {
    let Some(name) = w.get(1) else {
        general(c, "net_namespace name missing - ignoring".into());
        return;
    };
    if c.state.cfg.net_namespace.is_none() {
        c.state.cfg.net_namespace = Some(name.clone());
        c.state.cfg.use_pid_dir = true;
    } else {
        general(
            c,
            format!("Duplicate net_namespace definition {name} - ignoring"),
        );
    }
}

pub(super) fn net_namespace_ipvs(c: &mut C<'_, '_>, w: &[String]) {
    if g(c).net_namespace_ipvs.is_some() {
        // keepalived names the duplicate without checking it was given.
        let Some(name) = c.arg(w, 1) else { return };
        general(
            c,
            format!("Duplicate net_namespace_ipvs definition {name} - ignoring"),
        );
        return;
    }
    // No name: the default namespace.
    g(c).net_namespace_ipvs = Some(w.get(1).cloned().unwrap_or_default());
}

pub(super) fn instance(c: &mut C<'_, '_>, w: &[String]) {
    let Some(name) = w.get(1) else {
        general(c, "instance name missing - ignoring".into());
        return;
    };
    if c.state.cfg.instance_name.is_none() {
        c.state.cfg.instance_name = Some(name.clone());
        c.state.cfg.use_pid_dir = true;
    } else {
        general(
            c,
            format!("Duplicate instance definition {name} - ignoring"),
        );
    }
}

pub(super) fn child_wait_time(c: &mut C<'_, '_>, w: &[String]) {
    let Some(v) = c.arg(w, 1) else { return };
    match read_unsigned(c, v, 0, u32::MAX as u64, false) {
        Some(n) => c.state.cfg.child_wait_time = Some(n),
        None => general(c, format!("Invalid child_wait_time {v}")),
    }
}

// umask, random seed, include checks, reload and config copies

pub(super) fn umask(c: &mut C<'_, '_>, w: &[String]) {
    // The `-u` command line option takes precedence; the caller applies it
    // after the parse (keepalived logs "umask command line option
    // specified, ignoring config option" here).
    let Some(mask) = c.arg(w, 1) else { return };
    const ALL: u64 = 0o777;
    let bits: u32;
    if mask.as_bytes().first().is_some_and(u8::is_ascii_digit) {
        if w.len() != 2 {
            general(c, "Extra parameter(s) to umask option".into());
            return;
        }
        let (v, whole) = strtol_base0(mask);
        if !whole || v & !ALL != 0 {
            general(c, format!("invalid umask value {mask}"));
            return;
        }
        bits = v as u32;
    } else {
        const NAMES: [(&str, u32); 9] = [
            ("IRUSR", 0o400),
            ("IWUSR", 0o200),
            ("IXUSR", 0o100),
            ("IRGRP", 0o040),
            ("IWGRP", 0o020),
            ("IXGRP", 0o010),
            ("IROTH", 0o004),
            ("IWOTH", 0o002),
            ("IXOTH", 0o001),
        ];
        let mut acc = 0;
        let mut need_or = false;
        for word in &w[1..] {
            let mut p = word.as_str();
            while !p.is_empty() {
                if need_or {
                    if let Some(rest) = p.strip_prefix('|') {
                        need_or = false;
                        p = rest;
                        continue;
                    }
                    general(c, format!("Invalid umask syntax {word}"));
                    return;
                }
                let Some((name, bit)) = NAMES.iter().find(|(n, _)| p.starts_with(n)) else {
                    general(c, format!("Unknown umask bit {p}"));
                    return;
                };
                acc |= bit;
                p = &p[name.len()..];
                need_or = true;
            }
        }
        if !need_or {
            general(c, "umask missing bit value".into());
            return;
        }
        bits = acc;
    }
    g(c).umask = Some(bits);
}

pub(super) fn random_seed(c: &mut C<'_, '_>, w: &[String]) {
    let Some(v) = c.arg(w, 1) else { return };
    match read_unsigned(c, v, 0, u32::MAX as u64, false) {
        Some(n) => {
            g(c).random_seed = Some(n);
            c.reader.set_random_seed(n);
        }
        None => general(c, format!("random_seed {v} invalid")),
    }
}

/// keepalived `include_check_set`: no words = every check; a first word
/// without `+`/`-` replaces the checks (always keeping `read`), later ones
/// add (`+`) or remove (`-`).
pub(super) fn include_check(c: &mut C<'_, '_>, w: &[String]) {
    if w.len() < 2 {
        c.reader.set_include_check(include::ALL);
        return;
    }
    let mut check = c.reader.include_check();
    for (i, word) in w.iter().enumerate().skip(1) {
        let (mode, name) = match word.as_bytes().first() {
            Some(b'-') => (-1, &word[1..]),
            Some(b'+') => (1, &word[1..]),
            _ => (0, word.as_str()),
        };
        if mode == 0 {
            if i == 1 {
                check = 0;
            } else {
                general(
                    c,
                    format!("Duplicate include_check '{word}' specified - ignoring"),
                );
                continue;
            }
        }
        let flag = match name {
            "read" => include::R,
            "match" => include::M,
            "wildcard_match" => include::W,
            "brace_match" => include::B,
            _ => {
                general(c, format!("Unknown include_check type '{name}' - ignoring"));
                0
            }
        };
        if flag != 0 {
            match mode {
                0 => check = include::R | flag,
                1 => check |= flag,
                _ => check &= !flag,
            }
        }
    }
    c.reader.set_include_check(check);
}

pub(super) fn reload_time_file(c: &mut C<'_, '_>, w: &[String]) {
    if w.len() != 2 {
        general(c, "reload_time_file invalid".into());
        return;
    }
    g(c).reload_time_file = Some(w[1].clone());
}

pub(super) fn config_save_dir(c: &mut C<'_, '_>, w: &[String]) {
    let Some(dir) = c.arg(w, 1) else { return };
    let save = dir.strip_suffix('/').unwrap_or(dir).to_string();
    match c.state.host.owner(Path::new(dir), true) {
        // keepalived tests the S_IFDIR bit, not the file type.
        Ok(o) if o.mode & 0o040000 != 0 => g(c).config_save_dir = Some(save),
        Ok(_) => general(
            c,
            format!("config_save_dir {dir} exists and is not a directory"),
        ),
        // keepalived (the parent) creates the directory, mode 0700, here;
        // we record it and leave the creation to whoever saves a config.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => g(c).config_save_dir = Some(save),
        Err(e) => {
            let errno = e.raw_os_error().unwrap_or(0);
            let text = e.to_string();
            let text = text.split(" (os error").next().unwrap_or(&text).to_string();
            general(c, format!("config_save_dir {dir} error {errno} - {text}"));
        }
    }
}

pub(super) fn tmp_config_directory(c: &mut C<'_, '_>, w: &[String]) {
    if g(c).tmp_config_directory.is_some() {
        general(c, format!("{} already specified - ignoring", w[0]));
        return;
    }
    match w.get(1) {
        Some(d) => g(c).tmp_config_directory = Some(d.clone()),
        None => general(c, format!("{} missing directory name", w[0])),
    }
}

pub(super) fn data_use_instance(c: &mut C<'_, '_>, w: &[String]) {
    let v = match w.get(1) {
        None => true,
        Some(v) => match check_true_false(v) {
            Some(b) => b,
            None => {
                // keepalived's spelling.
                general(
                    c,
                    format!("Invalid value '{v}' for global date_use_instance specified"),
                );
                return;
            }
        },
    };
    g(c).data_use_instance = v;
}

/// Ours: `metrics_file PATH`, the Prometheus textfile the daemon rewrites.
pub(super) fn metrics_file(c: &mut C<'_, '_>, w: &[String]) {
    match w.get(1) {
        Some(p) => g(c).metrics_file = Some(p.clone()),
        None => general(c, "metrics_file requires a file name - ignoring".into()),
    }
}
