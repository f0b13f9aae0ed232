//! Notify FIFOs and their scripts.

#[allow(unused_imports)]
use super::*;

// Notify FIFOs

#[derive(Clone, Copy)]
pub(super) enum Fifo {
    Global,
    Vrrp,
    Lvs,
}

impl Fifo {
    fn prefix(self) -> &'static str {
        match self {
            Fifo::Global => "",
            Fifo::Vrrp => "vrrp_",
            Fifo::Lvs => "lvs_",
        }
    }
    fn spec(self, g: &mut GlobalDefs) -> &mut Option<FifoSpec> {
        match self {
            Fifo::Global => &mut g.notify_fifo,
            Fifo::Vrrp => &mut g.vrrp_notify_fifo,
            Fifo::Lvs => &mut g.lvs_notify_fifo,
        }
    }
    fn script(self, g: &mut GlobalDefs) -> &mut Option<Script> {
        match self {
            Fifo::Global => &mut g.notify_fifo_script,
            Fifo::Vrrp => &mut g.vrrp_notify_fifo_script,
            Fifo::Lvs => &mut g.lvs_notify_fifo_script,
        }
    }
}

pub(super) fn notify_fifo(c: &mut C<'_, '_>, w: &[String], f: Fifo) {
    let ty = f.prefix();
    let Some(path) = w.get(1) else {
        general(c, format!("No {ty}notify_fifo name specified"));
        return;
    };
    if f.spec(g(c)).is_some() {
        general(
            c,
            format!("{ty}notify_fifo already specified - ignoring {path}"),
        );
        return;
    }
    // keepalived names the FIFO in these messages before it has stored the
    // name, so they read "(null)".
    let (user, group) = (w.get(2).cloned(), w.get(3).cloned());
    let ids = if let Some(u) = &user {
        let r = lookup_uid_gid(c, u, group.as_deref());
        if r.is_none() {
            c.log(format!(
                "Invalid user/group for {ty} fifo (null) - ignoring"
            ));
        }
        r
    } else {
        let r = default_script_user(c);
        if r.is_none() {
            c.log(format!(
                "Failed to set default user for {ty} fifo (null) - ignoring"
            ));
        }
        r
    };
    let Some((uid, gid)) = ids else { return };
    *f.spec(g(c)) = Some(FifoSpec {
        path: path.clone(),
        user,
        group,
        uid,
        gid,
    });
}

pub(super) fn notify_fifo_script(c: &mut C<'_, '_>, w: &[String], f: Fifo) {
    let ty = f.prefix();
    let Some(cmd) = w.get(1) else {
        general(c, format!("No {ty}notify_fifo_script specified"));
        return;
    };
    if f.script(g(c)).is_some() {
        general(
            c,
            format!("{ty}notify_fifo_script already specified - ignoring {cmd}"),
        );
        return;
    }
    let script = notify_script_init(c, &format!("{ty}notify_fifo"));
    *f.script(g(c)) = script;
}
