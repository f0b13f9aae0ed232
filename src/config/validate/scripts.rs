//! Script resolution and security (keepalived 2.2.7 `check_vrrp_script_security`,
//! lib/notify.c `check_script_secure`, `find_path`, `check_security`),
//! KEEPALIVED.md §10.3.
//!
//! Every `vrrp_script`, every instance and sync-group notify script and the
//! FIFO scripts are resolved (path search for bare names, realpath keeping
//! the name the user gave when it resolves to the same file), checked for
//! execute permission by their user, and — when run as root — every path
//! component is checked for ownership by root and for group/world write
//! access. `argv[0]` in the model is replaced by the resolved path.
//!
//! keepalived logs the details of each failure (log only, never on the `-t`
//! console) and reports only "Disabling track script ..." and the one
//! "SECURITY VIOLATION ..." line; we add help lines to those naming what was
//! wrong (the offending path component with its owner and mode).

use super::V;
use crate::config::diag::ErrClass;
use crate::config::host::{Host, Owner};
use crate::config::model::{DefaultScriptUser, GlobalDefs, Notify, Script};
use std::io;
use std::path::Path;

/// The script was not found or cannot be accessed.
const SC_NOTFOUND: u32 = 0x01;
/// The script must not be run.
const SC_INHIBIT: u32 = 0x02;
/// Some component of the path is unsafe.
const SC_INSECURE: u32 = 0x04;
/// A real script file was found.
const SC_ISSCRIPT: u32 = 0x08;
/// Executable by its user.
const SC_EXECUTABLE: u32 = 0x10;
/// A `</path` file test, run through system().
const SC_SYSTEM: u32 = 0x20;

const S_ISUID: u32 = 0o4000;
const S_ISGID: u32 = 0o2000;
const S_ISVTX: u32 = 0o1000;
const S_IXUSR: u32 = 0o100;
const S_IWGRP: u32 = 0o020;
const S_IXGRP: u32 = 0o010;
const S_IWOTH: u32 = 0o002;
const S_IXOTH: u32 = 0o001;

/// glibc's PATH_MAX / NAME_MAX.
const PATH_MAX: usize = 4096;
const NAME_MAX: usize = 255;

/// The default script user's uid/gid (lib/notify.c `get_default_script_user`):
/// `script_user` when given, else `keepalived_script` if it exists, else the
/// uid/gid keepalived runs as — except under `enable_script_security`,
/// where a missing `keepalived_script` means scripts without a user of their
/// own cannot run (`None`).
pub fn default_script_ids(global: &GlobalDefs, host: &dyn Host) -> Option<(u32, u32)> {
    match global.default_script_user {
        DefaultScriptUser::Ids(u, g) => return Some((u, g)),
        DefaultScriptUser::Failed => return None,
        DefaultScriptUser::Unresolved => {}
    }
    if let Some((user, group)) = &global.script_user {
        return user_ids(host, user, group.as_deref());
    }
    match host.user("keepalived_script") {
        Some(ids) => Some(ids),
        None if global.enable_script_security => None,
        None => Some(host.ids()),
    }
}

/// uid/gid of `user` (and `group` when given).
fn user_ids(host: &dyn Host, user: &str, group: Option<&str>) -> Option<(u32, u32)> {
    let (uid, mut gid) = host.user(user)?;
    if let Some(g) = group {
        gid = host.group(g)?;
    }
    Some((uid, gid))
}

/// The uid/gid a script runs as: its own `USER [GROUP]` (for a
/// `vrrp_script`, its `user` line), else the default script user.
pub fn script_ids(
    user: Option<(&str, Option<&str>)>,
    global: &GlobalDefs,
    host: &dyn Host,
) -> Option<(u32, u32)> {
    match user {
        Some((u, g)) => user_ids(host, u, g),
        None => default_script_ids(global, host),
    }
}

/// `strerror` for the errors realpath/stat give.
pub(crate) fn strerror(e: &io::Error) -> String {
    let by_errno = match e.raw_os_error() {
        Some(1) => Some("Operation not permitted"),
        Some(2) => Some("No such file or directory"),
        Some(5) => Some("Input/output error"),
        Some(13) => Some("Permission denied"),
        Some(20) => Some("Not a directory"),
        Some(36) => Some("File name too long"),
        Some(40) => Some("Too many levels of symbolic links"),
        _ => None,
    };
    if let Some(t) = by_errno {
        return t.to_string();
    }
    match e.kind() {
        io::ErrorKind::NotFound => "No such file or directory".into(),
        io::ErrorKind::PermissionDenied => "Permission denied".into(),
        io::ErrorKind::NotADirectory => "Not a directory".into(),
        _ => e.to_string(),
    }
}

/// errno of an I/O error (ENOENT when unknown).
fn errno(e: &io::Error) -> i32 {
    e.raw_os_error().unwrap_or(match e.kind() {
        io::ErrorKind::PermissionDenied => 13,
        io::ErrorKind::NotADirectory => 20,
        _ => 2,
    })
}

/// keepalived `is_executable` on a stat result.
fn is_executable(o: &Owner, uid: u32, gid: u32) -> bool {
    (uid == 0 && o.mode & (S_IXUSR | S_IXGRP | S_IXOTH) != 0)
        || (uid == o.uid && o.mode & S_IXUSR != 0)
        || (uid != o.uid
            && ((gid == o.gid && o.mode & S_IXGRP != 0) || (gid != o.gid && o.mode & S_IXOTH != 0)))
}

/// What the checks found about one script.
#[derive(Default)]
struct Check {
    flags: u32,
    /// Why it was not found / not usable / unsafe, for help lines.
    help: Vec<String>,
}

/// `ls`-like description of an unsafe path component.
fn describe_unsafe(comp: &str, o: &Owner) -> String {
    let what = if o.uid != 0 {
        format!("is owned by uid {}, not root", o.uid)
    } else if o.mode & S_IWOTH != 0 {
        "is world-writable".to_string()
    } else {
        "is group-writable".to_string()
    };
    format!(
        "{comp} {what} (mode {:04o}, owner {}:{})",
        o.mode & 0o7777,
        o.uid,
        o.gid
    )
}

fn basename(p: &str) -> &str {
    p.rfind('/').map_or(p, |i| &p[i + 1..])
}

/// The directory part of `p` including its final '/'.
fn dir_with_slash(p: &str) -> &str {
    p.rfind('/').map_or("", |i| &p[..=i])
}

impl V<'_> {
    /// glibc `execvpe`-style search of a bare name along PATH, as the
    /// script's user; `Err(errno)` when nothing usable was found.
    fn find_path(&mut self, file: &str, uid: u32, gid: u32) -> Result<String, i32> {
        const ENOENT: i32 = 2;
        const EACCES: i32 = 13;
        const ENAMETOOLONG: i32 = 36;
        if file.is_empty() {
            return Err(ENOENT);
        }
        if file.len() >= PATH_MAX || file.len() > NAME_MAX {
            return Err(ENAMETOOLONG);
        }
        let path = self.host.path_env();
        let mut got_eacces = false;
        for dir in path.split(':') {
            let cand = if dir.is_empty() {
                file.to_string()
            } else {
                format!("{dir}/{file}")
            };
            match self.host.owner(Path::new(&cand), true) {
                Ok(o) => {
                    if o.is_reg() && is_executable(&o, uid, gid) {
                        self.log(format!(
                            "WARNING - script `{file}` resolved by path search to `{cand}`. Please specify full path."
                        ));
                        return Ok(cand);
                    }
                    got_eacces = true;
                }
                Err(e) => match errno(&e) {
                    // ENOENT, EACCES, ENOTDIR, ESTALE, ENODEV, ETIMEDOUT, ENOEXEC: try the next one.
                    2 | 8 | 13 | 19 | 20 | 110 | 116 => {}
                    other => return Err(if got_eacces { EACCES } else { -other }),
                },
            }
        }
        Err(if got_eacces { EACCES } else { ENOENT })
    }

    /// lib/notify.c `check_security`: every component of `filename` must be
    /// root-owned and not writable by others (directories with the sticky
    /// bit may be).
    fn check_security(
        &mut self,
        filename: &str,
        script_security: bool,
        help: &mut Vec<String>,
    ) -> u32 {
        let mut next = Some(0usize);
        while let Some(start) = next {
            let (comp, last) = match filename[start..].find('/') {
                Some(rel) => {
                    let slash = start + rel;
                    next = Some(slash + 1);
                    // '/' itself is checked first.
                    let end = if slash == 0 { 1 } else { slash };
                    (&filename[..end], false)
                }
                None => {
                    next = None;
                    (filename, true)
                }
            };
            let o = match self.host.owner(Path::new(comp), false) {
                Ok(o) => o,
                Err(e) => {
                    let n = errno(&e);
                    if matches!(n, 2 | 13 | 20 | 40) {
                        self.log(format!(
                            "check_script_secure could not find script '{filename}' - disabling"
                        ));
                    } else {
                        self.log(format!(
                            "check_script_secure('{filename}') returned errno {n} - {} - disabling",
                            strerror(&e)
                        ));
                    }
                    help.push(format!("{comp}: {}", strerror(&e)));
                    return SC_NOTFOUND;
                }
            };
            if (!last && !o.is_dir()) || (last && !o.is_reg() && !o.is_symlink()) {
                self.log(format!(
                    "Wrong file type found in script path '{filename}'."
                ));
                help.push(format!(
                    "{comp} is not a {}",
                    if last {
                        "regular file or symbolic link"
                    } else {
                        "directory"
                    }
                ));
                return SC_INHIBIT;
            }
            let writable_kind = (o.is_dir() && o.mode & S_ISVTX == 0) || o.is_reg();
            if o.uid != 0
                || (writable_kind
                    && ((o.gid != 0 && o.mode & S_IWGRP != 0) || o.mode & S_IWOTH != 0))
            {
                let why = describe_unsafe(comp, &o);
                let d = self.log(format!(
                    "Unsafe permissions found for script '{filename}'{}.",
                    if script_security { " - disabling" } else { "" }
                ));
                d.help(why.clone());
                help.push(why);
                return SC_INSECURE | if script_security { SC_INHIBIT } else { 0 };
            }
        }
        0
    }

    /// lib/notify.c `check_script_secure` for a script run as `uid:gid`.
    fn check_script_secure(&mut self, s: &mut Script, uid: u32, gid: u32) -> Check {
        let script_security = self.cfg.global.enable_script_security;
        let mut c = Check::default();
        let Some(arg0) = s.argv.first().cloned() else {
            c.flags = SC_NOTFOUND;
            c.help.push("the command is empty".into());
            return c;
        };

        // "</path": a file test run by system(), never executed.
        if let Some(rest) = arg0.strip_prefix('<') {
            if rest.trim_start_matches([' ', '\t']).starts_with('/') {
                c.flags = SC_SYSTEM;
                return c;
            }
        }

        if !arg0.contains('/') {
            match self.find_path(&arg0, uid, gid) {
                Ok(found) => s.argv[0] = found,
                Err(e) => {
                    if e == 13 {
                        self.log(format!(
                            "Permissions failure for script {arg0} in path - disabling"
                        ));
                        c.help.push(format!("`{arg0}` was found in PATH but is not executable by uid:gid {uid}:{gid}"));
                    } else {
                        self.log(format!("Cannot find script {arg0} in path - disabling"));
                        c.help.push(format!(
                            "`{arg0}` is not in PATH ({})",
                            self.host.path_env()
                        ));
                    }
                    c.flags = SC_NOTFOUND;
                    return c;
                }
            }
        }

        let arg0 = s.argv[0].clone();
        let new = match self.host.realpath(Path::new(&arg0)) {
            Ok(p) => p.to_string_lossy().into_owned(),
            Err(e) => {
                let why = strerror(&e);
                self.log(format!("Script {arg0} cannot be accessed - {why}"));
                c.help.push(format!("{arg0}: {why}"));
                c.flags = SC_NOTFOUND;
                return c;
            }
        };

        // Keep the name the user gave when it still names the same file
        // (some programs behave according to their name).
        let mut real_file_path: Option<String> = None;
        if arg0 != new {
            let mut new_path = new.clone();
            if basename(&arg0) != basename(&new) {
                let cand = format!("{}{}", dir_with_slash(&new), basename(&arg0));
                let real_ok = self.host.owner(Path::new(&new), true).is_ok();
                let same = self
                    .host
                    .realpath(Path::new(&cand))
                    .is_ok_and(|r| r.to_string_lossy() == new);
                if !real_ok || same {
                    new_path = cand;
                    real_file_path = Some(new.clone());
                }
            }
            if arg0 != new_path {
                s.argv[0] = new_path;
            }
        }
        let arg0 = s.argv[0].clone();

        let target = real_file_path.clone().unwrap_or_else(|| arg0.clone());
        let st = match self.host.owner(Path::new(&target), true) {
            Ok(o) => o,
            Err(e) => {
                self.log(format!("Unable to access script `{arg0}` - disabling"));
                c.help.push(format!("{target}: {}", strerror(&e)));
                c.flags = SC_NOTFOUND;
                return c;
            }
        };

        c.flags = SC_ISSCRIPT;
        let mut need_protection = false;
        if is_executable(&st, uid, gid) {
            c.flags |= SC_EXECUTABLE;
            need_protection = uid == 0
                || gid == 0
                || (st.uid == 0 && st.mode & S_IXUSR != 0 && st.mode & S_ISUID != 0)
                || (st.gid == 0 && st.mode & S_IXGRP != 0 && st.mode & S_ISGID != 0);
        } else {
            self.log(format!(
                "WARNING - script '{arg0}' is not executable for uid:gid {uid}:{gid} - disabling."
            ));
            c.help.push(format!(
                "{target} is not executable by uid:gid {uid}:{gid} (mode {:04o}, owner {}:{})",
                st.mode & 0o7777,
                st.uid,
                st.gid
            ));
        }

        if !need_protection {
            return c;
        }
        let mut help = Vec::new();
        c.flags |= self.check_security(&arg0, script_security, &mut help);
        if let Some(real) = &real_file_path {
            c.flags |= self.check_security(real, script_security, &mut help);
        }
        c.help.extend(help);
        c
    }

    /// `check_notify_script_secure`: drop the script unless it can run.
    fn check_notify_script(
        &mut self,
        slot: &mut Option<Script>,
        flags: &mut u32,
        unsafe_help: &mut Vec<String>,
    ) {
        let Some(mut s) = slot.take() else { return };
        let user = s.user.clone();
        let group = s.group.clone();
        let ids = script_ids(
            user.as_deref().map(|u| (u, group.as_deref())),
            &self.cfg.global,
            self.host,
        );
        let Some((uid, gid)) = ids else {
            self.log(format!(
                "Unable to set uid/gid for script {} - disabling",
                s.cmd
            ));
            return;
        };
        let c = self.check_script_secure(&mut s, uid, gid);
        *flags |= c.flags;
        if c.flags & SC_INSECURE != 0 {
            unsafe_help.extend(c.help.iter().map(|h| format!("{}: {h}", s.cmd)));
        }
        if c.flags & (SC_INHIBIT | SC_NOTFOUND) == 0 && c.flags & SC_EXECUTABLE != 0 {
            *slot = Some(s);
        }
    }

    /// Check the notify scripts of `n` in keepalived's order; `group`
    /// scripts have no `deleted` / `master_rx_lower_pri`.
    fn check_notify_set(
        &mut self,
        n: &mut Notify,
        group: bool,
        flags: &mut u32,
        unsafe_help: &mut Vec<String>,
    ) {
        self.check_notify_script(&mut n.backup, flags, unsafe_help);
        self.check_notify_script(&mut n.master, flags, unsafe_help);
        self.check_notify_script(&mut n.fault, flags, unsafe_help);
        self.check_notify_script(&mut n.stop, flags, unsafe_help);
        if !group {
            self.check_notify_script(&mut n.deleted, flags, unsafe_help);
        }
        self.check_notify_script(&mut n.generic, flags, unsafe_help);
        if !group {
            self.check_notify_script(&mut n.master_rx_lower_pri, flags, unsafe_help);
        }
    }
}

/// keepalived `check_vrrp_script_security` (nothing is checked when there is
/// no vrrp_instance).
pub(crate) fn check_vrrp_script_security(v: &mut V<'_>) {
    if v.cfg.instances.is_empty() {
        return;
    }
    let script_security = v.cfg.global.enable_script_security;
    let mut flags = 0u32;
    let mut unsafe_help: Vec<String> = Vec::new();
    let mut insecure: Vec<String> = Vec::new();

    for k in 0..v.cfg.scripts.len() {
        let name = v.cfg.scripts[k].name.clone();
        let Some(mut s) = v.cfg.scripts[k].script.take() else {
            insecure.push(name);
            continue;
        };
        let vs_user = v.cfg.scripts[k].user.clone();
        let user = match &vs_user {
            Some((u, g)) => Some((u.as_str(), g.as_deref())),
            None => s.user.as_deref().map(|u| (u, s.group.as_deref())),
        };
        let Some((uid, gid)) = script_ids(user, &v.cfg.global, v.host) else {
            v.log(format!(
                "Unable to set default user for vrrp script {name} - removing"
            ));
            v.cfg.scripts[k].script = Some(s);
            insecure.push(name);
            continue;
        };
        let c = v.check_script_secure(&mut s, uid, gid);
        v.cfg.scripts[k].script = Some(s);
        flags |= c.flags;
        if c.flags & SC_INSECURE != 0 {
            unsafe_help.extend(c.help.iter().map(|h| format!("vrrp_script {name}: {h}")));
        }
        if c.flags & SC_INHIBIT != 0 {
            let d = v.err(
                ErrClass::GeneralError,
                format!("Disabling track script {name} due to insecure"),
            );
            for h in &c.help {
                d.help(h.clone());
            }
            insecure.push(name);
        } else if c.flags & SC_NOTFOUND != 0 {
            let d = v.err(
                ErrClass::GeneralError,
                format!("Disabling track script {name} since not found/accessible"),
            );
            for h in &c.help {
                d.help(h.clone());
            }
            insecure.push(name);
        } else if c.flags & (SC_EXECUTABLE | SC_SYSTEM) == 0 {
            // Not executable by its user: dropped without a report (the
            // log already says why).
            insecure.push(name);
        }
    }

    for i in 0..v.cfg.instances.len() {
        let mut n = std::mem::take(&mut v.cfg.instances[i].notify);
        if n.is_set() {
            v.check_notify_set(&mut n, false, &mut flags, &mut unsafe_help);
        }
        let inst = &mut v.cfg.instances[i];
        inst.notify = n;
        inst.track_scripts.retain(|t| !insecure.contains(&t.name));
    }
    for gi in 0..v.cfg.sync_groups.len() {
        let mut n = std::mem::take(&mut v.cfg.sync_groups[gi].notify);
        if n.is_set() {
            v.check_notify_set(&mut n, true, &mut flags, &mut unsafe_help);
        }
        let sg = &mut v.cfg.sync_groups[gi];
        sg.notify = n;
        sg.track_scripts.retain(|t| !insecure.contains(&t.name));
    }

    let mut fifo = v.cfg.global.notify_fifo_script.take();
    v.check_notify_script(&mut fifo, &mut flags, &mut unsafe_help);
    v.cfg.global.notify_fifo_script = fifo;
    let mut fifo = v.cfg.global.vrrp_notify_fifo_script.take();
    v.check_notify_script(&mut fifo, &mut flags, &mut unsafe_help);
    v.cfg.global.vrrp_notify_fifo_script = fifo;

    if !script_security && flags & SC_ISSCRIPT != 0 {
        let d = v.err(
            ErrClass::SecurityError,
            format!(
                "SECURITY VIOLATION - scripts are being executed but script_security not enabled.{}",
                if flags & SC_INSECURE != 0 { " There are insecure scripts." } else { "" }
            ),
        );
        for h in unsafe_help {
            d.help(h);
        }
        d.help("add `enable_script_security` to global_defs (scripts then need root-owned paths not writable by others)");
    }

    v.cfg.scripts.retain(|s| !insecure.contains(&s.name));
}
