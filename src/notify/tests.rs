//! Notify scripts and FIFO lines against keepalived 2.2.7's evidence
//! (../shared/compat/evidence: fifo-*.txt, notify-log-last.txt, conf-*.conf).

use super::*;
use crate::config::fs::memfs::MemFs;
use crate::config::host::{FakeHost, Owner};
use crate::config::{LoadOptions, load};
use crate::time::Instant;
use crate::vrrp::engine::{Engine, StaticInterfaces};
use std::path::PathBuf;
use std::rc::Rc;

const NOTIFY_SH: &str = "/tmp/karef/notify.sh";

/// Load `text` as keepalived would, on a host with interface kv0 and an
/// executable root-owned /tmp/karef/notify.sh.
fn config(text: &str) -> Config {
    let mut fs = MemFs::new();
    fs.add("/k.conf", text);
    let mut host = FakeHost::with_interfaces(&["kv0"]);
    host.files.push((
        PathBuf::from(NOTIFY_SH),
        Owner {
            uid: 0,
            gid: 0,
            mode: 0o100755,
        },
    ));
    let loaded = load(&fs, Rc::new(host), "/k.conf", &LoadOptions::default());
    loaded.config
}

fn fifo_text(out: &[NotifyOutput]) -> String {
    out.iter()
        .filter_map(|o| match o {
            NotifyOutput::Fifo(FifoLine(l)) => Some(l.as_str()),
            NotifyOutput::Run(_) => None,
        })
        .collect()
}

fn runs(out: &[NotifyOutput]) -> Vec<(Vec<String>, bool)> {
    out.iter()
        .filter_map(|o| match o {
            NotifyOutput::Run(c) => Some((c.argv.clone(), c.wait_at_stop)),
            NotifyOutput::Fifo(_) => None,
        })
        .collect()
}

fn argv(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

/// compat/evidence/conf-a.conf (nodeA of the failover run).
const CONF_A: &str = r#"global_defs {
   router_id nodeA
   enable_script_security
   script_user root
   vrrp_notify_fifo /tmp/karef/fifoA
}
vrrp_script chk {
   script "/tmp/karef/notify.sh"
   interval 1
   weight -60
   fall 2
   rise 2
}
vrrp_instance VI_1 {
    state BACKUP
    interface kv0
    virtual_router_id 51
    priority 150
    advert_int 1
    virtual_ipaddress {
        10.99.0.100/24
    }
    track_script {
        chk
    }
    notify_master "/tmp/karef/notify.sh master VI_1"
    notify_backup /tmp/karef/notify.sh
    notify /tmp/karef/notify.sh
}
"#;

#[test]
fn node_a_failover_fifo_and_scripts() {
    // fifo-nodeA.txt: BACKUP 150 (init), MASTER 150, BACKUP 90 (script
    // failed, peer 120 preempted), MASTER 150 (script OK again).
    let cfg = config(CONF_A);
    let mut n = Notifier::new(&cfg);
    let mut fifo = String::new();
    let mut all = Vec::new();
    for (st, prio) in [
        (NotifyState::Backup, 150),
        (NotifyState::Master, 150),
        (NotifyState::Backup, 90),
        (NotifyState::Master, 150),
    ] {
        let out = n.instance("VI_1", st, prio);
        fifo.push_str(&fifo_text(&out));
        all.push(out);
    }
    assert_eq!(
        fifo,
        "INSTANCE \"VI_1\" BACKUP 150\n\
         INSTANCE \"VI_1\" MASTER 150\n\
         INSTANCE \"VI_1\" BACKUP 90\n\
         INSTANCE \"VI_1\" MASTER 150\n"
    );
    // The state's own script first with only its argv, then `notify` with
    // the four words, then the FIFO line.
    assert_eq!(
        all[1],
        vec![
            NotifyOutput::Run(NotifyCmd {
                argv: argv(&[NOTIFY_SH, "master", "VI_1"]),
                user: None,
                group: None,
                wait_at_stop: false,
            }),
            NotifyOutput::Run(NotifyCmd {
                argv: argv(&[NOTIFY_SH, "INSTANCE", "VI_1", "MASTER", "150"]),
                user: None,
                group: None,
                wait_at_stop: false,
            }),
            NotifyOutput::Fifo(FifoLine("INSTANCE \"VI_1\" MASTER 150\n".into())),
        ]
    );
    // notify_backup got no arguments (KEEPALIVED.md §10.1, verified).
    assert_eq!(
        runs(&all[2]),
        vec![
            (argv(&[NOTIFY_SH]), false),
            (
                argv(&[NOTIFY_SH, "INSTANCE", "VI_1", "BACKUP", "90"]),
                false
            ),
        ]
    );
}

/// compat/evidence/conf-f.conf: only the generic `notify`, no FIFO.
const CONF_F: &str = "vrrp_instance F {
    interface kv0
    virtual_router_id 121
    priority 150
    virtual_ipaddress {
      10.99.0.121
    }
    notify /tmp/karef/notify.sh
}
";

#[test]
fn generic_notify_args_as_in_notify_log() {
    // notify-log-last.txt: "args: INSTANCE F BACKUP 150" ... "STOP 150".
    let cfg = config(CONF_F);
    let mut n = Notifier::new(&cfg);
    let mut got = Vec::new();
    for st in [
        NotifyState::Backup,
        NotifyState::Master,
        NotifyState::Fault,
        NotifyState::Backup,
        NotifyState::Master,
        NotifyState::Stop,
    ] {
        for (a, wait) in runs(&n.instance("F", st, 150)) {
            got.push(format!("{} args: {} wait {wait}", a[0], a[1..].join(" ")));
        }
    }
    assert_eq!(
        got,
        vec![
            "/tmp/karef/notify.sh args: INSTANCE F BACKUP 150 wait false",
            "/tmp/karef/notify.sh args: INSTANCE F MASTER 150 wait false",
            "/tmp/karef/notify.sh args: INSTANCE F FAULT 150 wait false",
            "/tmp/karef/notify.sh args: INSTANCE F BACKUP 150 wait false",
            "/tmp/karef/notify.sh args: INSTANCE F MASTER 150 wait false",
            // notify ... STOP is given up to 1 s at shutdown
            "/tmp/karef/notify.sh args: INSTANCE F STOP 150 wait true",
        ]
    );
    // No FIFO configured: no lines.
    assert_eq!(fifo_text(&n.instance("F", NotifyState::Master, 150)), "");
}

/// compat/evidence/conf-la.conf: the master receiving lower adverts.
const CONF_LA: &str = r#"global_defs {
   vrrp_notify_fifo /tmp/karef/fifoL
}
vrrp_instance L {
    interface kv0
    virtual_router_id 131
    priority 150
    unicast_src_ip 10.99.0.1
    unicast_peer {
        10.99.0.2
    }
    virtual_ipaddress {
        10.99.0.131
    }
    notify_master_rx_lower_pri "/tmp/karef/notify.sh rxlower"
}
"#;

#[test]
fn master_rx_lower_pri_script_and_fifo() {
    // fifo-rx-lower.txt and notify-log-last.txt ("args: rxlower").
    let cfg = config(CONF_LA);
    let mut n = Notifier::new(&cfg);
    let mut fifo = String::new();
    let mut args = Vec::new();
    let mut push = |out: Vec<NotifyOutput>| {
        fifo.push_str(&fifo_text(&out));
        for (a, _) in runs(&out) {
            args.push(a[1..].join(" "));
        }
    };
    push(n.instance("L", NotifyState::Backup, 150));
    push(n.instance("L", NotifyState::Master, 150));
    push(n.master_rx_lower_pri("L", 150));
    push(n.master_rx_lower_pri("L", 150));
    assert_eq!(
        fifo,
        "INSTANCE \"L\" BACKUP 150\n\
         INSTANCE \"L\" MASTER 150\n\
         INSTANCE \"L\" MASTER_RX_LOWER_PRI 150\n\
         INSTANCE \"L\" MASTER_RX_LOWER_PRI 150\n"
    );
    // Only notify_master_rx_lower_pri runs, with its own argv.
    assert_eq!(args, vec!["rxlower", "rxlower"]);
}

/// compat/evidence/conf-sg.conf (priority 100 members).
const CONF_SG: &str = "global_defs {
   vrrp_notify_fifo /tmp/karef/fifoS
}
vrrp_sync_group G1 {
   group {
      S1
      S2
   }
   notify /tmp/karef/notify.sh
}
vrrp_instance S1 {
    interface kv0
    virtual_router_id 101
    priority 100
    virtual_ipaddress {
      10.99.0.101
    }
}
vrrp_instance S2 {
    interface kv0
    virtual_router_id 102
    priority 100
    virtual_ipaddress {
      10.99.0.102
    }
}
";

#[test]
fn sync_group_run_through_the_engine_matches_fifo_evidence() {
    // The engine started, left alone until both members are MASTER, then
    // stopped; its notify actions through the Notifier.
    let cfg = config(CONF_SG);
    let ifs = StaticInterfaces(vec![("kv0".into(), "10.99.0.1".parse().expect("a"))]);
    let mut e = Engine::new(&cfg, &ifs);
    let mut n = Notifier::new(&cfg);
    let mut out = Vec::new();
    let mut drain = |e: &mut Engine, n: &mut Notifier| {
        while let Some(a) = e.poll_action() {
            out.extend(n.on_action(&a, e.instances()));
        }
    };
    e.start(Instant::ZERO);
    drain(&mut e, &mut n);
    for _ in 0..20 {
        if e.instances().iter().all(|i| i.state == State::Master) {
            break;
        }
        let t = e.poll_timeout().expect("a deadline");
        e.handle_timeout(t);
        drain(&mut e, &mut n);
    }
    e.shutdown();
    drain(&mut e, &mut n);
    assert_eq!(
        fifo_text(&out),
        // fifo-syncgroup.txt, byte for byte
        "GROUP \"G1\" BACKUP 0\n\
         INSTANCE \"S1\" BACKUP 100\n\
         INSTANCE \"S2\" BACKUP 100\n\
         INSTANCE \"S2\" MASTER 100\n\
         INSTANCE \"S1\" MASTER 100\n\
         GROUP \"G1\" MASTER 0\n\
         INSTANCE \"S1\" STOP 100\n\
         INSTANCE \"S2\" STOP 100\n\
         GROUP \"G1\" STOP 0\n"
    );
    // The group's generic notify: GROUP NAME STATE 0; waited for at STOP.
    assert_eq!(
        runs(&out),
        vec![
            (argv(&[NOTIFY_SH, "GROUP", "G1", "BACKUP", "0"]), false),
            (argv(&[NOTIFY_SH, "GROUP", "G1", "MASTER", "0"]), false),
            (argv(&[NOTIFY_SH, "GROUP", "G1", "STOP", "0"]), true),
        ]
    );
}

fn script(cmd: &str, user: Option<(&str, Option<&str>)>) -> Script {
    Script {
        cmd: cmd.into(),
        argv: cmd.split(' ').map(String::from).collect(),
        user: user.map(|u| u.0.to_string()),
        group: user.and_then(|u| u.1).map(String::from),
    }
}

#[test]
fn state_scripts_table() {
    let n = Notify {
        master: Some(script("/m", None)),
        backup: Some(script("/b x", None)),
        fault: Some(script("/f", Some(("nobody", Some("nogroup"))))),
        stop: Some(script("/s", None)),
        deleted: Some(script("/d", None)),
        generic: Some(script("/g a b", Some(("www", None)))),
        master_rx_lower_pri: Some(script("/r", None)),
    };
    let first = |subject, st| {
        let out = state_change(subject, "N", &n, st, 77, true);
        let mut r = runs(&out);
        let fifo = fifo_text(&out);
        (
            r.drain(..)
                .map(|(a, w)| (a.join(" "), w))
                .collect::<Vec<_>>(),
            fifo,
        )
    };
    use NotifyState::*;
    use Subject::*;
    type Row<'a> = (Subject, NotifyState, Vec<(&'a str, bool)>, &'a str);
    let table: Vec<Row> = vec![
        (
            Instance,
            Master,
            vec![("/m", false), ("/g a b INSTANCE N MASTER 77", false)],
            "INSTANCE \"N\" MASTER 77\n",
        ),
        (
            Instance,
            Backup,
            vec![("/b x", false), ("/g a b INSTANCE N BACKUP 77", false)],
            "INSTANCE \"N\" BACKUP 77\n",
        ),
        (
            Instance,
            Fault,
            vec![("/f", false), ("/g a b INSTANCE N FAULT 77", false)],
            "INSTANCE \"N\" FAULT 77\n",
        ),
        (
            Instance,
            Stop,
            vec![("/s", true), ("/g a b INSTANCE N STOP 77", true)],
            "INSTANCE \"N\" STOP 77\n",
        ),
        (
            Instance,
            Deleted,
            vec![("/d", false), ("/g a b INSTANCE N DELETED 77", false)],
            "INSTANCE \"N\" DELETED 77\n",
        ),
        // groups: priority 0, no notify_deleted, own notify_stop not waited for
        (
            Group,
            Master,
            vec![("/m", false), ("/g a b GROUP N MASTER 0", false)],
            "GROUP \"N\" MASTER 0\n",
        ),
        (
            Group,
            Stop,
            vec![("/s", false), ("/g a b GROUP N STOP 0", true)],
            "GROUP \"N\" STOP 0\n",
        ),
        (
            Group,
            Deleted,
            vec![("/g a b GROUP N DELETED 0", false)],
            "GROUP \"N\" DELETED 0\n",
        ),
    ];
    for (subject, st, want_runs, want_fifo) in table {
        let (got_runs, got_fifo) = first(subject, st);
        let want: Vec<(String, bool)> =
            want_runs.iter().map(|(a, w)| (a.to_string(), *w)).collect();
        assert_eq!(got_runs, want, "{subject:?} {st:?}");
        assert_eq!(got_fifo, want_fifo, "{subject:?} {st:?}");
    }
    // Users: the script's own, else None (= default script user).
    let out = state_change(Instance, "N", &n, Fault, 1, false);
    let users: Vec<(Option<String>, Option<String>)> = out
        .iter()
        .filter_map(|o| match o {
            NotifyOutput::Run(c) => Some((c.user.clone(), c.group.clone())),
            NotifyOutput::Fifo(_) => None,
        })
        .collect();
    assert_eq!(
        users,
        vec![
            (Some("nobody".into()), Some("nogroup".into())),
            (Some("www".into()), None)
        ]
    );
    // No FIFO: no line; no scripts: nothing at all.
    assert!(state_change(Instance, "N", &Notify::default(), Master, 1, false).is_empty());
}

#[test]
fn deleted_is_fault_unless_notify_deleted() {
    let mut cfg = config(CONF_F);
    let mut n = Notifier::new(&cfg);
    let a = runs(&n.instance("F", NotifyState::Deleted, 150));
    assert_eq!(
        a,
        vec![(argv(&[NOTIFY_SH, "INSTANCE", "F", "FAULT", "150"]), false)]
    );
    cfg.instances[0].notify_deleted = true;
    let mut n = Notifier::new(&cfg);
    let a = runs(&n.instance("F", NotifyState::Deleted, 150));
    assert_eq!(
        a,
        vec![(argv(&[NOTIFY_SH, "INSTANCE", "F", "DELETED", "150"]), false)]
    );
}

#[test]
fn member_following_its_group_after_notifying_once_is_silent() {
    let cfg = config(CONF_SG);
    let mut n = Notifier::new(&cfg);
    // Never notified yet: notifies even when the group is already BACKUP.
    assert!(!n.group("G1", NotifyState::Backup).is_empty());
    assert!(!n.instance("S1", NotifyState::Backup, 100).is_empty());
    // Group FAULT; S1 has notified once and now enters FAULT too: silent.
    n.group("G1", NotifyState::Fault);
    assert!(n.instance("S1", NotifyState::Fault, 100).is_empty());
    // A state different from the group's is notified.
    assert_eq!(
        fifo_text(&n.instance("S1", NotifyState::Master, 100)),
        "INSTANCE \"S1\" MASTER 100\n"
    );
    // S2 never notified: it does, even into the group's state.
    assert_eq!(
        fifo_text(&n.instance("S2", NotifyState::Fault, 100)),
        "INSTANCE \"S2\" FAULT 100\n"
    );
    // Unknown names give nothing.
    assert!(n.instance("nope", NotifyState::Master, 1).is_empty());
    assert!(n.group("nope", NotifyState::Master).is_empty());
}

#[test]
fn priority_change_lines_follow_notify_priority_changes() {
    let mut cfg = config(CONF_SG);
    let n = Notifier::new(&cfg);
    assert!(n.priority_changed("S1", State::Master, 90).is_empty());
    // global on: validation hands it down to the instances
    let mut on = config(&CONF_SG.replace(
        "global_defs {\n",
        "global_defs {\n vrrp_notify_priority_changes\n",
    ));
    let n = Notifier::new(&on);
    assert_eq!(
        n.priority_changed("S1", State::Master, 90),
        vec![NotifyOutput::Fifo(FifoLine(
            "INSTANCE \"S1\" MASTER_PRIORITY 90\n".into()
        ))]
    );
    assert_eq!(
        n.priority_changed("S2", State::Backup, 60),
        vec![NotifyOutput::Fifo(FifoLine(
            "INSTANCE \"S2\" BACKUP_PRIORITY 60\n".into()
        ))]
    );
    // per instance
    on.instances[0].notify_priority_changes = Some(false);
    let n = Notifier::new(&on);
    assert!(n.priority_changed("S1", State::Master, 90).is_empty());
    assert_eq!(n.priority_changed("S2", State::Fault, 60).len(), 1);
    // without a FIFO there is nothing to write
    cfg.global.vrrp_notify_fifo = None;
    cfg.instances[0].notify_priority_changes = Some(true);
    assert!(
        Notifier::new(&cfg)
            .priority_changed("S1", State::Master, 1)
            .is_empty()
    );
}

#[test]
fn fifo_scripts_get_the_fifo_path_appended() {
    let cfg = config(
        "global_defs {\n notify_fifo /run/ka.fifo\n notify_fifo_script \"/tmp/karef/notify.sh -v\"\n vrrp_notify_fifo /run/vrrp.fifo\n vrrp_notify_fifo_script /tmp/karef/notify.sh root\n}\n",
    );
    let got: Vec<(Vec<String>, Option<String>)> = fifo_scripts(&cfg.global)
        .into_iter()
        .map(|c| (c.argv, c.user))
        .collect();
    assert_eq!(
        got,
        vec![
            (argv(&[NOTIFY_SH, "-v", "/run/ka.fifo"]), None),
            (argv(&[NOTIFY_SH, "/run/vrrp.fifo"]), Some("root".into())),
        ]
    );
    // A script without its FIFO is not started.
    let cfg = config("global_defs {\n vrrp_notify_fifo_script /tmp/karef/notify.sh\n}\n");
    assert!(fifo_scripts(&cfg.global).is_empty());
}

#[test]
fn words_round_trip() {
    for st in [
        NotifyState::Master,
        NotifyState::Backup,
        NotifyState::Fault,
        NotifyState::Stop,
        NotifyState::Deleted,
        NotifyState::MasterRxLowerPri,
        NotifyState::MasterPriority,
        NotifyState::BackupPriority,
    ] {
        assert_eq!(NotifyState::from_word(st.word()), Some(st));
    }
    assert_eq!(NotifyState::from_word("master"), None);
    assert_eq!(NotifyState::of(State::Init), NotifyState::Backup);
}
