//! Process names, start-up/shut-down scripts, auto priority and scheduling.

#[allow(unused_imports)]
use super::*;

// Process names

#[derive(Clone, Copy)]
pub(super) enum Which {
    Parent,
    Vrrp,
    Checker,
    Bfd,
}

pub(super) fn process_names(c: &mut C<'_, '_>, _w: &[String]) {
    let g = g(c);
    g.vrrp_process_name = Some("keepalived_vrrp".into());
    g.checker_process_name = Some("keepalived_lvs".into());
    g.bfd_process_name = Some("keepalived_bfd".into());
}

pub(super) fn process_name(c: &mut C<'_, '_>, w: &[String], which: Which) {
    let Some(src) = c.arg(w, 1) else { return };
    let mut name = src.to_string();
    if name.len() >= TASK_COMM_LEN {
        general(
            c,
            format!(
                "Process name {src} more than {} characters, truncating",
                TASK_COMM_LEN - 1
            ),
        );
        let mut end = TASK_COMM_LEN - 1;
        while !name.is_char_boundary(end) {
            end -= 1;
        }
        name.truncate(end);
    }
    let g = g(c);
    let slot = match which {
        Which::Parent => &mut g.process_name,
        Which::Vrrp => &mut g.vrrp_process_name,
        Which::Checker => &mut g.checker_process_name,
        Which::Bfd => &mut g.bfd_process_name,
    };
    *slot = Some(name);
}

pub(super) fn lvs_process_name(c: &mut C<'_, '_>, w: &[String]) {
    // Deprecated since 12/07/20.
    c.log("'lvs_process_name' is deprecated - please use 'checker_process_name'");
    process_name(c, w, Which::Checker);
}

// Start-up / shut-down scripts, auto priority

pub(super) fn start_stop_script(c: &mut C<'_, '_>, w: &[String], startup: bool) {
    let ty = if startup { "startup" } else { "shutdown" };
    let set = if startup {
        g(c).startup_script.is_some()
    } else {
        g(c).shutdown_script.is_some()
    };
    if set {
        general(c, format!("{ty} script already specified"));
        return;
    }
    if w.len() < 2 {
        general(c, format!("{ty} script missing"));
        return;
    }
    let Some(script) = notify_script_init(c, ty) else {
        if c.stopped.is_none() {
            general(c, format!("Invalid {ty} script"));
        }
        return;
    };
    let g = g(c);
    if startup {
        g.startup_script = Some(script);
        if g.startup_script_timeout_s == 0 {
            g.startup_script_timeout_s = 10;
        }
    } else {
        g.shutdown_script = Some(script);
        if g.shutdown_script_timeout_s == 0 {
            g.shutdown_script_timeout_s = 10;
        }
    }
}

pub(super) fn start_stop_timeout(c: &mut C<'_, '_>, w: &[String], startup: bool) {
    let ty = if startup { "startup" } else { "shutdown" };
    let Some(v) = w.get(1) else {
        general(c, format!("{ty}_script_timeout requires value"));
        return;
    };
    let Some(d) = read_unsigned(c, v, 1, 1000, true) else {
        general(
            c,
            format!("{ty}_script_timeout '{v}' must be in [1, 1000] - ignoring"),
        );
        return;
    };
    if startup {
        g(c).startup_script_timeout_s = d as u32;
    } else {
        g(c).shutdown_script_timeout_s = d as u32;
    }
}

pub(super) fn max_auto_priority(c: &mut C<'_, '_>, w: &[String]) {
    let Some(v) = w.get(1) else {
        g(c).max_auto_priority = Some(RR_PRIO_MAX as i32);
        return;
    };
    match read_int(c, v, -1, RR_PRIO_MAX, true) {
        Some(p) => g(c).max_auto_priority = Some(p as i32),
        None => general(
            c,
            format!(
                "max_auto_priority '{v}' must be in [0, {RR_PRIO_MAX}] (or -1 to disable) - ignoring"
            ),
        ),
    }
}

pub(super) fn min_auto_priority_delay(c: &mut C<'_, '_>, w: &[String]) {
    let Some(v) = w.get(1) else {
        general(c, "min_auto_priority_delay requires delay time".into());
        return;
    };
    match read_int(c, v, 1, 10_000_000, true) {
        Some(d) => g(c).min_auto_priority_delay_us = d as u32,
        None => general(
            c,
            format!("min_auto_priority_delay '{v}' must be in [1, 10000000] - ignoring"),
        ),
    }
}

// Process scheduling (parsed; applied by whoever starts the process)

#[derive(Clone, Copy)]
pub(super) enum Proc {
    Vrrp,
    Checker,
    Bfd,
}

impl Proc {
    fn name(self) -> &'static str {
        match self {
            Proc::Vrrp => "vrrp",
            Proc::Checker => "checker",
            Proc::Bfd => "bfd",
        }
    }
}

pub(super) fn sched<'a>(c: &'a mut C<'_, '_>, p: Proc) -> &'a mut ProcessSched {
    let g = g(c);
    match p {
        Proc::Vrrp => &mut g.vrrp_sched,
        Proc::Checker => &mut g.checker_sched,
        Proc::Bfd => &mut g.bfd_sched,
    }
}

pub(super) fn sched_priority(c: &mut C<'_, '_>, w: &[String], p: Proc) {
    let name = p.name();
    // keepalived sets the priority to 0 on any error.
    let prio = match w.get(1) {
        None => {
            general(c, format!("No {name} process priority specified"));
            0
        }
        Some(v) => match read_int(c, v, -20, 19, true) {
            Some(n) => n as i8,
            None => {
                general(c, format!("Invalid {name} process priority specified"));
                0
            }
        },
    };
    sched(c, p).priority = prio;
}

pub(super) fn sched_rt_priority(c: &mut C<'_, '_>, w: &[String], p: Proc) {
    let name = p.name();
    let Some(v) = w.get(1) else {
        general(c, format!("No {name} process real-time priority specified"));
        return;
    };
    let Some(mut prio) = read_int(c, v, i32::MIN as i64, i32::MAX as i64, true) else {
        general(
            c,
            format!("{name} process real-time priority '{v}' invalid"),
        );
        return;
    };
    if prio < RR_PRIO_MIN {
        general(
            c,
            format!(
                "{name} process real-time priority {prio} less than minimum {RR_PRIO_MIN} - setting to minimum"
            ),
        );
        prio = RR_PRIO_MIN;
    } else if prio > RR_PRIO_MAX {
        general(
            c,
            format!(
                "{name} process real-time priority {prio} greater than maximum {RR_PRIO_MAX} - setting to maximum"
            ),
        );
        prio = RR_PRIO_MAX;
    }
    sched(c, p).rt_priority = Some(prio as i32);
}

pub(super) fn sched_cpu_affinity(c: &mut C<'_, '_>, w: &[String], p: Proc) {
    let name = p.name();
    if w.len() < 2 {
        general(c, format!("No {name} cpu_id set specified"));
        return;
    }
    let max = i64::from(c.state.host.online_cpus()) - 1;
    let mut set = Vec::new();
    for v in &w[1..] {
        match read_int(c, v, 0, max, true) {
            Some(n) => set.push(n as u32),
            None => {
                // keepalived prints what strtol made of the word.
                general(
                    c,
                    format!(
                        "Invalid cpu_id:{} specified for {name} process",
                        strtol_prefix_int(v)
                    ),
                );
                sched(c, p).cpu_affinity.clear();
                return;
            }
        }
    }
    set.sort_unstable();
    set.dedup();
    sched(c, p).cpu_affinity = set;
}

pub(super) fn sched_rlimit(c: &mut C<'_, '_>, w: &[String], p: Proc) {
    let kw = w[0].as_str();
    // `*_rlimit_rtime` is deprecated since 02/02/2020.
    if let Some(prefix) = kw.strip_suffix("rtime").filter(|_| !kw.ends_with("rttime")) {
        c.log(format!(
            "Keyword '{kw}' is deprecated - please use '{prefix}rttime'"
        ));
    }
    let Some(v) = c.arg(w, 1) else { return };
    let limit = match read_unsigned(c, v, 1, u32::MAX as u64, true) {
        // The limit is halved elsewhere and must stay non-zero.
        Some(1) => 2,
        Some(n) => n,
        None => {
            general(c, format!("Invalid {} real-time limit - {v}", p.name()));
            0
        }
    };
    sched(c, p).rlimit_rttime_us = limit;
}
