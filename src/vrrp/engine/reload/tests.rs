//! Reload scenarios on a fake clock: keepalived's r1 → r2 evidence
//! (../shared/compat/evidence/log-reload-sighup-with-D.txt), unchanged files,
//! a backup's down timer across reload storms, removed instances' notices.

use super::*;
use crate::config::fs::memfs::MemFs;
use crate::config::host::FakeHost;
use crate::config::model::Config;
use crate::config::{LoadOptions, load};
use crate::vrrp::engine::StaticInterfaces;
use std::rc::Rc;

fn config(text: &str) -> Config {
    let mut fs = MemFs::new();
    fs.add("/k.conf", text);
    let host = FakeHost::with_interfaces(&["kv0", "kv1"]);
    let loaded = load(&fs, Rc::new(host), "/k.conf", &LoadOptions::default());
    loaded.config
}

fn build(text: &str) -> Engine {
    let ifs = StaticInterfaces(vec![("kv0".into(), "10.99.0.1".parse().expect("a"))]);
    Engine::new(&config(text), &ifs)
}

fn drain(e: &mut Engine) -> Vec<Action> {
    std::iter::from_fn(|| e.poll_action()).collect()
}

/// Run `e`'s timers up to `until` (ms); the actions on the way.
fn run(e: &mut Engine, until: u64) -> Vec<Action> {
    let mut out = Vec::new();
    while let Some(t) = e
        .poll_timeout()
        .filter(|t| *t <= Instant::from_millis(until))
    {
        e.handle_timeout(t);
        out.extend(drain(e));
    }
    out
}

/// Reload `old` with `text` at `at` ms (the daemon's steps): the running
/// engine's actions (releases) and the new engine's.
fn reload(old: &mut Engine, text: &str, at: u64) -> (Engine, ReloadPlan, Vec<Action>, Vec<Action>) {
    let now = Instant::from_millis(at);
    old.advertise_masters(now);
    let mut new = build(text);
    let plan = old.plan_reload(&new);
    old.release_unmatched(&plan);
    let released = drain(old);
    let gone = std::mem::replace(old, build(""));
    new.adopt(now, gone, &plan);
    let acts = drain(&mut new);
    (new, plan, released, acts)
}

fn logs(actions: &[Action]) -> Vec<String> {
    actions
        .iter()
        .filter_map(|a| match a {
            Action::Log(e) => Some(e.text()),
            _ => None,
        })
        .collect()
}

fn adverts(actions: &[Action]) -> Vec<(u8, u8)> {
    // (VRID, priority) of each IPv4 advert sent
    actions
        .iter()
        .filter_map(|a| match a {
            Action::Send { packet, .. } => Some((packet[21], packet[22])),
            _ => None,
        })
        .collect()
}

fn inst(name: &str, vrid: u8, prio: u8, vips: &[&str], extra: &str) -> String {
    let mut s = format!(
        "vrrp_instance {name} {{\n interface kv0\n virtual_router_id {vrid}\n priority {prio}\n advert_int 1\n{extra}\n virtual_ipaddress {{\n"
    );
    for v in vips {
        s += &format!("  {v}\n");
    }
    s + " }\n}\n"
}

fn r1() -> String {
    inst("KEEP", 61, 200, &["10.99.0.61", "10.99.0.62"], "")
        + &inst("DROPME", 62, 200, &["10.99.0.63"], "")
        + &inst("RENAME_OLD", 63, 200, &["10.99.0.64"], "")
}

fn r2() -> String {
    inst("KEEP", 61, 50, &["10.99.0.61", "10.99.0.65"], "")
        + &inst("RENAMED_NEW", 63, 200, &["10.99.0.64"], "")
        + &inst("ADDED", 64, 200, &["10.99.0.66"], "")
}

fn masters(text: &str) -> Engine {
    let mut e = build(text);
    e.start(Instant::ZERO);
    drain(&mut e);
    run(&mut e, 5_000);
    assert!(
        e.instances().iter().all(|i| i.state == State::Master),
        "all MASTER after 5 s"
    );
    e
}

#[test]
fn keepalived_r1_to_r2_evidence() {
    let mut e = masters(&r1());
    let (new, plan, released, acts) = reload(&mut e, &r2(), 5_500);
    // KEEP → KEEP, DROPME removed, RENAME_OLD → RENAMED_NEW (same VRID), ADDED new
    assert_eq!(plan.old_to_new, vec![Some(0), None, Some(1)]);
    assert_eq!(plan.new_to_old, vec![Some(0), Some(2), None]);
    // one advert per MASTER before the file is read, then DROPME's priority 0
    assert_eq!(
        adverts(&released),
        vec![(61, 200), (62, 200), (63, 200), (62, 0)]
    );
    assert_eq!(
        logs(&released),
        vec!["(DROPME) sent 0 priority", "(DROPME) removing VIPs."]
    );
    assert!(released.contains(&Action::RemoveAddresses { instance: 1 }));
    assert!(released.contains(&Action::NotifyDeleted {
        instance: 1,
        priority: 200
    }));
    // the new engine: KEEP's diff, RENAMED_NEW untouched, ADDED at boot
    assert_eq!(
        logs(&acts),
        vec![
            "(KEEP) ip address 10.99.0.62/32 dev kv0, no longer exist",
            "(KEEP) setting VIPs.",
            "(RENAMED_NEW) setting VIPs.",
            "(ADDED) Entering BACKUP STATE (init)",
        ]
    );
    let addr = |s: &str| s.parse::<IpAddr>().expect("address");
    let removed: Vec<_> = acts
        .iter()
        .filter_map(|a| match a {
            Action::RemoveAddressList {
                instance: 0,
                addresses,
            } => Some(addresses.iter().map(|a| a.addr).collect::<Vec<_>>()),
            _ => None,
        })
        .collect();
    assert_eq!(removed, vec![vec![addr("10.99.0.62")]]);
    let added: Vec<_> = acts
        .iter()
        .filter_map(|a| match a {
            Action::AddAddressList {
                instance,
                addresses,
            } => Some((
                *instance,
                addresses.iter().map(|a| a.addr).collect::<Vec<_>>(),
            )),
            _ => None,
        })
        .collect();
    assert_eq!(added, vec![(0, vec![addr("10.99.0.65")])]);
    assert!(acts.contains(&Action::GarpBurst {
        instance: 0,
        repeat: 5
    }));
    // no address is removed wholesale, nobody else bursts or notifies but ADDED
    assert!(
        !acts
            .iter()
            .any(|a| matches!(a, Action::RemoveAddresses { .. }))
    );
    assert_eq!(
        acts.iter()
            .filter(|a| matches!(a, Action::GarpBurst { .. }))
            .count(),
        1
    );
    let notified: Vec<_> = acts
        .iter()
        .filter_map(|a| match a {
            Action::Notify {
                instance, state, ..
            } => Some((*instance, *state)),
            _ => None,
        })
        .collect();
    assert_eq!(notified, vec![(2, State::Backup)]);
    // KEEP's priority fell to 50: it stays MASTER and says so at once
    assert_eq!(adverts(&acts), vec![(61, 50)]);
    let states: Vec<State> = new.instances().iter().map(|i| i.state).collect();
    assert_eq!(states, vec![State::Master, State::Master, State::Backup]);
    // counters come along (KEEP: became master once, sent adverts)
    assert_eq!(
        new.instances()[0]
            .stats
            .get(crate::vrrp::stats::Counter::BecomeMaster),
        1
    );
}

#[test]
fn unchanged_file_keeps_masters_and_their_rhythm() {
    let text = inst("A", 1, 150, &["10.99.0.10"], "") + &inst("B", 2, 150, &["10.99.0.11/24"], "");
    let mut e = masters(&text);
    let (mut new, _, released, acts) = reload(&mut e, &text, 5_300);
    assert_eq!(adverts(&released), vec![(1, 150), (2, 150)]);
    // nothing removed, nothing added, no advert twice, no notification
    assert_eq!(logs(&acts), vec!["(A) setting VIPs.", "(B) setting VIPs."]);
    assert_eq!(acts.len(), 2, "{acts:?}");
    // the next adverts follow the pre-reload ones by exactly one interval
    let next = run(&mut new, 6_300);
    assert_eq!(adverts(&next), vec![(1, 150), (2, 150)]);
    assert_eq!(new.poll_timeout(), Some(Instant::from_millis(7_300)));
}

#[test]
fn a_reload_storm_never_postpones_a_backups_takeover() {
    let text = inst("A", 1, 100, &["10.99.0.10"], "");
    let mut e = build(&text);
    e.start(Instant::ZERO);
    drain(&mut e);
    let deadline = e.poll_timeout().expect("master down timer");
    // 100 reloads before the deadline, 10 ms apart
    let mut t = deadline.micros() / 1000 - 1_500;
    for _ in 0..100 {
        let (new, _, _, acts) = reload(&mut e, &text, t);
        assert!(acts.is_empty(), "{acts:?}");
        e = new;
        assert_eq!(e.poll_timeout(), Some(deadline));
        t += 10;
    }
    let out = run(&mut e, deadline.micros() / 1000 + 1);
    assert_eq!(e.instances()[0].state, State::Master);
    assert!(logs(&out).contains(&"(A) Entering MASTER STATE".to_string()));
}

#[test]
fn a_longer_master_down_interval_keeps_the_deadline_a_shorter_one_pulls_it_in() {
    let slow = inst("A", 1, 100, &["10.99.0.10"], "").replace("advert_int 1", "advert_int 5");
    let mut e = build(&slow);
    e.start(Instant::ZERO);
    drain(&mut e);
    let before = e.poll_timeout().expect("down timer");
    assert!(before > Instant::from_millis(15_000));
    let fast = inst("A", 1, 100, &["10.99.0.10"], "");
    let (e2, ..) = reload(&mut e, &fast, 1_000);
    // at most a full new master-down interval from the reload
    let t = e2.poll_timeout().expect("down timer");
    assert!(t <= Instant::from_millis(1_000 + 3_000 + 610), "{t:?}");
}

#[test]
fn removed_instance_in_fault_notifies_only_with_notify_deleted() {
    let text = inst("A", 1, 100, &["10.99.0.10"], "")
        + &inst("B", 2, 100, &["10.99.0.11"], " notify_deleted")
        + &inst("C", 3, 100, &["10.99.0.12"], "");
    let mut e = build(&text);
    e.start(Instant::ZERO);
    drain(&mut e);
    e.handle_link(Instant::from_millis(10), "kv0", false);
    drain(&mut e);
    assert!(e.instances().iter().all(|i| i.state == State::Fault));
    let (_, _, released, _) = reload(&mut e, "", 100);
    let notified: Vec<usize> = released
        .iter()
        .filter_map(|a| match a {
            Action::NotifyDeleted { instance, .. } => Some(*instance),
            _ => None,
        })
        .collect();
    assert_eq!(notified, vec![1]);
    assert!(adverts(&released).is_empty());
}

#[test]
fn a_fault_that_stays_stays_silent_one_that_clears_starts_over() {
    let text = inst("A", 1, 100, &["10.99.0.10"], "");
    let mut e = build(&text);
    e.start(Instant::ZERO);
    drain(&mut e);
    e.handle_link(Instant::from_millis(10), "kv0", false);
    drain(&mut e);
    let (mut e2, _, _, acts) = reload(&mut e, &text, 100);
    assert!(acts.is_empty(), "{acts:?}");
    assert_eq!(e2.instances()[0].state, State::Fault);
    // the link comes back: BACKUP as usual
    e2.handle_link(Instant::from_millis(200), "kv0", true);
    assert_eq!(e2.instances()[0].state, State::Backup);
}

#[test]
fn unicast_instances_match_by_source_and_multicast_by_group() {
    let uni = |src: &str| {
        inst(
            "U",
            9,
            100,
            &["10.99.0.90"],
            &format!(" unicast_src_ip {src}\n unicast_peer {{\n  10.99.0.2\n }}"),
        )
    };
    let e = build(&uni("10.99.0.1"));
    assert_eq!(
        e.plan_reload(&build(&uni("10.99.0.1"))).old_to_new,
        vec![Some(0)]
    );
    assert_eq!(
        e.plan_reload(&build(&uni("10.99.0.3"))).old_to_new,
        vec![None]
    );
    // unicast ↔ multicast never match
    let multi = inst("U", 9, 100, &["10.99.0.90"], "");
    assert_eq!(e.plan_reload(&build(&multi)).old_to_new, vec![None]);
    let m = build(&multi);
    let other_group = inst("U", 9, 100, &["10.99.0.90"], " mcast_dst_ip 224.0.0.19");
    assert_eq!(m.plan_reload(&build(&other_group)).old_to_new, vec![None]);
    // another VRID or interface is another instance
    assert_eq!(
        m.plan_reload(&build(&inst("U", 10, 100, &["10.99.0.90"], "")))
            .old_to_new,
        vec![None]
    );
}

#[test]
fn duplicate_keys_pair_in_order() {
    // two instances with the same key (a config keepalived would warn about):
    // each new one is taken once
    let text = inst("A", 1, 100, &["10.99.0.10"], "") + &inst("B", 1, 100, &["10.99.0.11"], "");
    let e = build(&text);
    let plan = e.plan_reload(&build(&text));
    let mut got: Vec<usize> = plan.old_to_new.iter().flatten().copied().collect();
    got.sort_unstable();
    got.dedup();
    assert_eq!(got.len(), plan.old_to_new.iter().flatten().count());
}

#[test]
fn a_changed_vip_prefix_is_removed_and_added_again() {
    let a = inst("A", 1, 150, &["10.99.0.10/24"], "");
    let b = inst("A", 1, 150, &["10.99.0.10/25"], "");
    let mut e = masters(&a);
    let (_, _, _, acts) = reload(&mut e, &b, 5_300);
    assert_eq!(
        logs(&acts),
        vec![
            "(A) ip address 10.99.0.10/24 dev kv0, no longer exist",
            "(A) setting VIPs."
        ]
    );
    assert!(
        acts.iter()
            .any(|a| matches!(a, Action::AddAddressList { .. }))
    );
    assert!(acts.iter().any(|a| matches!(a, Action::GarpBurst { .. })));
    // the advert is unchanged (same address list): no extra advert
    assert!(adverts(&acts).is_empty());
}

#[test]
fn a_new_fault_applies_to_a_carried_master() {
    let a = inst("A", 1, 150, &["10.99.0.10"], "");
    let b = inst(
        "A",
        1,
        150,
        &["10.99.0.10"],
        " track_interface {\n  kv1\n }",
    );
    let mut e = masters(&a);
    let mut new = build(&b);
    new.preset_tracker(
        crate::vrrp::priority::TrackerKind::Interface,
        "kv1",
        crate::vrrp::priority::TrackerStatus::Down,
    );
    let now = Instant::from_millis(5_300);
    let plan = e.plan_reload(&new);
    e.release_unmatched(&plan);
    drain(&mut e);
    new.adopt(now, e, &plan);
    let acts = drain(&mut new);
    assert_eq!(new.instances()[0].state, State::Fault);
    assert_eq!(adverts(&acts), vec![(1, 0), (1, 0)]);
    assert!(acts.contains(&Action::RemoveAddresses { instance: 0 }));
    assert!(logs(&acts).contains(&"(A) Entering FAULT STATE".to_string()));
}
