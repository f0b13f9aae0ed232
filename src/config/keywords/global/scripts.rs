//! Script users and scripts (keepalived lib/notify.c), shared with the VRRP keywords.

#[allow(unused_imports)]
use super::*;

// Script users and scripts (lib/notify.c), shared with the VRRP keywords.

/// keepalived `set_uid_gid`: uid and gid of `user` (and `group`), logging
/// "Script user '%s' does not exist" / "Script group '%s' does not exist".
pub fn lookup_uid_gid(c: &mut C<'_, '_>, user: &str, group: Option<&str>) -> Option<(u32, u32)> {
    let Some((uid, mut gid)) = c.state.host.user(user) else {
        c.log(format!("Script user '{user}' does not exist"));
        return None;
    };
    if let Some(gn) = group {
        let Some(gr) = c.state.host.group(gn) else {
            c.log(format!("Script group '{gn}' does not exist"));
            return None;
        };
        gid = gr;
    }
    Some((uid, gid))
}

/// keepalived `set_default_script_user` (the `script_user` keyword).
/// Returns true when the default user has failed (now or before: sticky).
pub(super) fn set_default_script_user(c: &mut C<'_, '_>, user: &str, group: Option<&str>) -> bool {
    let ids = lookup_uid_gid(c, user, group);
    let g = g(c);
    match (ids, g.default_script_user) {
        (_, DefaultScriptUser::Failed) | (None, _) => {
            g.default_script_user = DefaultScriptUser::Failed;
            true
        }
        (Some((u, gid)), _) => {
            g.default_script_user = DefaultScriptUser::Ids(u, gid);
            false
        }
    }
}

/// keepalived `get_default_script_user`: the uid/gid of scripts with no user
/// of their own. The first call looks up `keepalived_script`, falling back
/// to keepalived's own ids; under `enable_script_security` (as set so far)
/// a missing `keepalived_script` is an error and every later call fails.
pub fn default_script_user(c: &mut C<'_, '_>) -> Option<(u32, u32)> {
    match g(c).default_script_user {
        DefaultScriptUser::Failed => None,
        DefaultScriptUser::Ids(u, gid) => Some((u, gid)),
        DefaultScriptUser::Unresolved => {
            let ours = c.state.host.ids();
            match lookup_uid_gid(c, DEFAULT_SCRIPT_USER, None) {
                Some(ids) => {
                    g(c).default_script_user = DefaultScriptUser::Ids(ids.0, ids.1);
                    Some(ids)
                }
                None if g(c).enable_script_security => {
                    general(
                        c,
                        format!("Unable to set default user {DEFAULT_SCRIPT_USER} for script"),
                    );
                    g(c).default_script_user = DefaultScriptUser::Failed;
                    None
                }
                None => {
                    g(c).default_script_user = DefaultScriptUser::Ids(ours.0, ours.1);
                    Some(ours)
                }
            }
        }
    }
}

/// keepalived `notify_script_init`: the current line re-read with the
/// shell-like tokeniser; word 1 is the command (split again into argv),
/// words 2 and 3 the optional user and group. `ty` names the script in the
/// log messages ("Invalid user/group for %s script %s - ignoring").
/// `None` when keepalived drops the script (all reasons are log-only).
pub fn notify_script_init(c: &mut C<'_, '_>, ty: &str) -> Option<Script> {
    let Some(qe) = c.shell_words() else {
        c.log("Unable to parse notify script");
        return None;
    };
    let cmd = c.arg(&qe, 1)?.to_string();
    let Some(argv) = c.shell_split(&cmd) else {
        c.log(format!("Unable to parse script '{cmd}' - ignoring"));
        return None;
    };
    let arg0 = argv.first().map_or("(null)", String::as_str).to_string();
    let (user, group) = (qe.get(2).cloned(), qe.get(3).cloned());
    if let Some(u) = &user {
        if lookup_uid_gid(c, u, group.as_deref()).is_none() {
            c.log(format!(
                "Invalid user/group for {ty} script {arg0} - ignoring"
            ));
            return None;
        }
    } else if default_script_user(c).is_none() {
        c.log(format!(
            "Failed to set default user for {ty} script {arg0} - ignoring"
        ));
        return None;
    }
    Some(Script {
        cmd,
        argv,
        user,
        group,
    })
}
