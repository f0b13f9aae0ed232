//! A simulated LAN: several engines exchanging real encoded adverts with a
//! delivery delay, time advanced to the next event, a bound on steps to catch
//! livelock. Takeover times are checked exactly against the protocol's ideal.

use keepalived_rs::config::{self, LoadOptions, fs::memfs::MemFs, host::FakeHost};
use keepalived_rs::time::{Duration, Instant};
use keepalived_rs::vrrp::engine::{Action, Engine, Received, StaticInterfaces};
use keepalived_rs::vrrp::instance::State;
use keepalived_rs::vrrp::wire::advert::RxFamily;
use std::net::IpAddr;
use std::rc::Rc;

const DELAY: Duration = Duration::from_micros(100);

struct Router {
    engine: Engine,
    up: bool,
    /// (time, priority) of every advert this router sent.
    sent: Vec<(Instant, u8)>,
    /// The last advert this router sent, as bytes.
    last_packet: Vec<u8>,
}

struct Lan {
    routers: Vec<Router>,
    /// (deliver at, from router, bytes)
    wire: Vec<(Instant, usize, Vec<u8>)>,
    now: Instant,
}

fn router(addr: &str, instance: &str) -> Router {
    let text = format!(
        "vrrp_instance VI_1 {{\n interface eth0\n{instance}\n virtual_ipaddress {{\n  10.99.0.100/24\n }}\n}}\n"
    );
    let mut fs = MemFs::new();
    fs.add("/k.conf", &text);
    let loaded = config::load(
        &fs,
        Rc::new(FakeHost::with_interfaces(&["eth0"])),
        "/k.conf",
        &LoadOptions::default(),
    );
    assert!(
        loaded.config.instances[0].disabled.is_none(),
        "{:?}",
        loaded.diags.messages()
    );
    let ifs = StaticInterfaces(vec![("eth0".into(), addr.parse::<IpAddr>().expect("addr"))]);
    Router {
        engine: Engine::new(&loaded.config, &ifs),
        up: true,
        sent: Vec::new(),
        last_packet: Vec::new(),
    }
}

impl Lan {
    fn new(routers: Vec<Router>) -> Lan {
        let mut lan = Lan {
            routers,
            wire: Vec::new(),
            now: Instant::ZERO,
        };
        for k in 0..lan.routers.len() {
            lan.routers[k].engine.start(Instant::ZERO);
            lan.drain(k);
        }
        lan
    }

    fn drain(&mut self, k: usize) {
        while let Some(a) = self.routers[k].engine.poll_action() {
            if let Action::Log(e) = &a {
                if std::env::var("SIM_DEBUG").is_ok() {
                    eprintln!("{:?} r{k}: {}", self.now, e.text());
                }
            }
            if let Action::Send { packet, .. } = a {
                if self.routers[k].up {
                    let prio = packet[20 + 2];
                    self.routers[k].sent.push((self.now, prio));
                    self.routers[k].last_packet.clone_from(&packet);
                    self.wire.push((self.now + DELAY, k, packet));
                }
            }
        }
    }

    /// Run until `until`, at most `max_steps` events.
    fn run_until(&mut self, until: Instant) {
        for _ in 0..1_000_000 {
            let next_wire = self.wire.iter().map(|w| w.0).min();
            let next_timer = self
                .routers
                .iter()
                .filter(|r| r.up)
                .filter_map(|r| r.engine.poll_timeout())
                .min();
            let Some(next) = [next_wire, next_timer].into_iter().flatten().min() else {
                return;
            };
            if next > until {
                self.now = until;
                return;
            }
            self.now = next;
            if next_wire == Some(next) {
                let i = self.wire.iter().position(|w| w.0 == next).expect("due");
                let (_, from, bytes) = self.wire.remove(i);
                for k in 0..self.routers.len() {
                    if k != from && self.routers[k].up {
                        let r = Received {
                            ifname: "eth0",
                            rx: RxFamily::Ipv4,
                            bytes: &bytes,
                        };
                        self.routers[k].engine.handle_packet(next, &r);
                        self.drain(k);
                    }
                }
            } else {
                for k in 0..self.routers.len() {
                    if self.routers[k].up {
                        self.routers[k].engine.handle_timeout(next);
                        self.drain(k);
                    }
                }
            }
        }
        panic!("livelock: more than 1,000,000 events");
    }

    fn state(&self, k: usize) -> State {
        self.routers[k].engine.instances()[0].state
    }

    fn masters(&self) -> Vec<usize> {
        (0..self.routers.len())
            .filter(|&k| self.routers[k].up && self.state(k) == State::Master)
            .collect()
    }

    fn last_sent(&self, k: usize) -> Instant {
        self.routers[k].sent.last().expect("sent").0
    }

    fn first_sent_after(&self, k: usize, t: Instant) -> Instant {
        self.routers[k]
            .sent
            .iter()
            .find(|s| s.0 > t)
            .expect("sent after")
            .0
    }
}

fn secs(s: u64) -> Instant {
    Instant::from_secs(s)
}

#[test]
fn election_of_two_the_higher_priority_wins() {
    let mut lan = Lan::new(vec![
        router(
            "10.99.0.1",
            " state BACKUP\n virtual_router_id 51\n priority 100",
        ),
        router(
            "10.99.0.2",
            " state BACKUP\n virtual_router_id 51\n priority 150",
        ),
    ]);
    lan.run_until(secs(20));
    assert_eq!(lan.masters(), vec![1]);
    // 150 becomes master after 3 s + (256-150)/256 s = 3.414062 s
    assert_eq!(lan.routers[1].sent[0].0, Instant::from_micros(3_414_062));
    assert!(
        lan.routers[0].sent.is_empty(),
        "the backup never sent an advert"
    );
}

#[test]
fn election_of_three() {
    let mut lan = Lan::new(vec![
        router("10.99.0.1", " virtual_router_id 51\n priority 100"),
        router("10.99.0.2", " virtual_router_id 51\n priority 200"),
        router("10.99.0.3", " virtual_router_id 51\n priority 150"),
    ]);
    lan.run_until(secs(30));
    assert_eq!(lan.masters(), vec![1]);
}

#[test]
fn equal_priorities_settle_on_the_higher_address() {
    let mut lan = Lan::new(vec![
        router("10.99.0.1", " virtual_router_id 51\n priority 100"),
        router("10.99.0.2", " virtual_router_id 51\n priority 100"),
    ]);
    lan.run_until(secs(20));
    assert_eq!(lan.masters(), vec![1]);
}

#[test]
fn master_killed_backup_takes_over_after_3_adverts_plus_skew() {
    let mut lan = Lan::new(vec![
        router("10.99.0.1", " virtual_router_id 51\n priority 150"),
        router("10.99.0.2", " virtual_router_id 51\n priority 100"),
    ]);
    lan.run_until(secs(10));
    assert_eq!(lan.masters(), vec![0]);
    lan.routers[0].up = false; // SIGKILL: silence
    let last = lan.last_sent(0);
    lan.run_until(secs(20));
    assert_eq!(lan.masters(), vec![1]);
    // the backup's timer restarts when the last advert arrives (DELAY later):
    // takeover = last + DELAY + 3 x 1 s + (256-100)/256 s
    let takeover = lan.first_sent_after(1, last);
    assert_eq!(takeover - last, DELAY + Duration::from_micros(3_609_375));
}

#[test]
fn master_stopped_backup_takes_over_after_skew() {
    let mut lan = Lan::new(vec![
        router("10.99.0.1", " virtual_router_id 51\n priority 150"),
        router("10.99.0.2", " virtual_router_id 51\n priority 100"),
    ]);
    lan.run_until(secs(10));
    lan.routers[0].engine.shutdown(); // SIGTERM: priority-0 advert
    lan.drain(0);
    let (t0, prio) = *lan.routers[0].sent.last().expect("sent");
    assert_eq!(prio, 0);
    lan.routers[0].up = false;
    lan.run_until(secs(15));
    assert_eq!(lan.masters(), vec![1]);
    let takeover = lan.first_sent_after(1, t0);
    // skew of priority 100: (256-100)/256 s = 609 375 us
    assert_eq!(takeover - t0, DELAY + Duration::from_micros(609_375));
}

#[test]
fn preemption_by_a_higher_priority_router_and_nopreempt() {
    // B (100) is master alone; A (150) starts later and preempts after its
    // own down timer, discarding B's lower adverts meanwhile.
    let mut lan = Lan::new(vec![router(
        "10.99.0.2",
        " virtual_router_id 51\n priority 100",
    )]);
    lan.run_until(secs(10));
    assert_eq!(lan.masters(), vec![0]);
    let mut a = router("10.99.0.1", " virtual_router_id 51\n priority 150");
    a.engine.start(secs(10));
    lan.routers.push(a);
    lan.drain(1);
    lan.run_until(secs(20));
    assert_eq!(lan.masters(), vec![1]);
    assert_eq!(
        lan.routers[1].sent[0].0,
        Instant::from_micros(10_000_000 + 3_414_062)
    );

    // the same with nopreempt: B stays master
    let mut lan = Lan::new(vec![router(
        "10.99.0.2",
        " virtual_router_id 51\n priority 100",
    )]);
    lan.run_until(secs(10));
    let mut a = router(
        "10.99.0.1",
        " state BACKUP\n nopreempt\n virtual_router_id 51\n priority 150",
    );
    a.engine.start(secs(10));
    lan.routers.push(a);
    lan.drain(1);
    lan.run_until(secs(30));
    assert_eq!(lan.masters(), vec![0]);
}

#[test]
fn v3_at_10ms_adverts_takes_over_in_3_adverts_plus_skew() {
    let mut lan = Lan::new(vec![
        router(
            "10.99.0.1",
            " version 3\n advert_int 0.01\n virtual_router_id 51\n priority 150",
        ),
        router(
            "10.99.0.2",
            " version 3\n advert_int 0.01\n virtual_router_id 51\n priority 100",
        ),
    ]);
    lan.run_until(secs(2));
    assert_eq!(lan.masters(), vec![0]);
    lan.routers[0].up = false;
    let last = lan.last_sent(0);
    lan.run_until(secs(3));
    let takeover = lan.first_sent_after(1, last);
    // 3 x 10 ms + (256-100) x 1 cs x 625/16 us = 30 000 + 6 093 us
    assert_eq!(takeover - last, DELAY + Duration::from_micros(36_093));
}

#[test]
fn wrong_password_is_ignored_and_split_brain_follows() {
    // KEEPALIVED.md §5.3 item 8: the backup ignores a master whose password
    // differs, and becomes master too.
    let mut lan = Lan::new(vec![
        router(
            "10.99.0.1",
            " virtual_router_id 51\n priority 150\n authentication {\n  auth_type PASS\n  auth_pass 1111\n }",
        ),
        router(
            "10.99.0.2",
            " virtual_router_id 51\n priority 100\n authentication {\n  auth_type PASS\n  auth_pass 2222\n }",
        ),
    ]);
    lan.run_until(secs(10));
    assert_eq!(lan.masters(), vec![0, 1]);
}

fn router_cfg(addr: &str, text: &str) -> Router {
    let mut fs = MemFs::new();
    fs.add("/k.conf", text);
    // a host with eth0 and one root-owned script, /bin/true
    let mut host = FakeHost::with_interfaces(&["eth0"]);
    host.files.push((
        "/bin/true".into(),
        keepalived_rs::config::host::Owner {
            uid: 0,
            gid: 0,
            mode: 0o100755,
        },
    ));
    let loaded = config::load(&fs, Rc::new(host), "/k.conf", &LoadOptions::default());
    let ifs = StaticInterfaces(vec![("eth0".into(), addr.parse::<IpAddr>().expect("addr"))]);
    Router {
        engine: Engine::new(&loaded.config, &ifs),
        up: true,
        sent: Vec::new(),
        last_packet: Vec::new(),
    }
}

#[test]
fn every_vrid_1_to_255_on_one_segment_settles_to_one_master_each() {
    // Three routers with 255 instances each (generated with ~SEQ); router k
    // has the highest priority for the VRIDs with vrid % 3 == k.
    let mk = |k: u64, addr: &str| {
        let mut text = String::new();
        for v in 1..=255u64 {
            let prio = if v % 3 == k { 200 } else { 100 + k };
            text.push_str(&format!(
                "vrrp_instance VI_{v} {{\n interface eth0\n virtual_router_id {v}\n priority {prio}\n virtual_ipaddress {{\n  10.98.{v}.1/32\n }}\n}}\n"
            ));
        }
        router_cfg(addr, &text)
    };
    let mut lan = Lan::new(vec![
        mk(0, "10.99.0.1"),
        mk(1, "10.99.0.2"),
        mk(2, "10.99.0.3"),
    ]);
    lan.run_until(secs(15));
    for v in 0..255usize {
        let masters: Vec<usize> = (0..3)
            .filter(|&k| lan.routers[k].engine.instances()[v].state == State::Master)
            .collect();
        assert_eq!(masters, vec![(v + 1) % 3], "VRID {}", v + 1);
    }
}

#[test]
fn hostile_packets_are_counted_and_change_nothing() {
    let mut lan = Lan::new(vec![
        router("10.99.0.1", " virtual_router_id 51\n priority 150"),
        router("10.99.0.2", " virtual_router_id 51\n priority 100"),
    ]);
    lan.run_until(secs(10));
    assert_eq!(lan.masters(), vec![0]);
    // a copy of a real advert from the master, damaged in several ways
    let good = lan.routers[0].last_packet.clone();
    assert_eq!(
        good.len(),
        40,
        "v2 advert with one VIP: 20 + 8 + 4 + 8 bytes"
    );
    let mut cases: Vec<Vec<u8>> = Vec::new();
    let mut ttl = good.clone();
    ttl[8] = 1; // TTL 1
    cases.push(ttl);
    let mut csum = good.clone();
    csum[20 + 6] ^= 0xff; // VRRP checksum
    cases.push(csum);
    let mut prio255 = good.clone();
    prio255[20 + 2] = 255; // priority 255 with a stale checksum
    cases.push(prio255);
    cases.push(good[..25].to_vec()); // truncated
    let before = lan.routers[1].engine.instances()[0].next_deadline();
    let state_before = lan.state(1);
    for bytes in &cases {
        for _ in 0..1000 {
            let r = Received {
                ifname: "eth0",
                rx: RxFamily::Ipv4,
                bytes,
            };
            lan.routers[1].engine.handle_packet(lan.now, &r);
        }
    }
    while lan.routers[1].engine.poll_action().is_some() {}
    assert_eq!(lan.state(1), state_before);
    assert_eq!(
        lan.routers[1].engine.instances()[0].next_deadline(),
        before,
        "rejected packets never move a timer"
    );
    let st = lan.routers[1].engine.instances()[0].stats;
    assert_eq!(st.ip_ttl_err, 1000);
    assert!(
        st.checksum_err >= 2000,
        "checksum errors: {}",
        st.checksum_err
    );
}

const GROUP_A: &str = "vrrp_sync_group G1 {\n group {\n  VI_1\n  VI_2\n }\n}\n\
vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 51\n priority 150\n virtual_ipaddress {\n  10.99.0.100\n }\n}\n\
vrrp_instance VI_2 {\n interface eth0\n virtual_router_id 52\n priority 150\n virtual_ipaddress {\n  10.99.0.101\n }\n}\n";

const GROUP_B: &str = "vrrp_sync_group G1 {\n group {\n  VI_1\n  VI_2\n }\n}\n\
vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 51\n priority 100\n virtual_ipaddress {\n  10.99.0.100\n }\n}\n\
vrrp_instance VI_2 {\n interface eth0\n virtual_router_id 52\n priority 100\n virtual_ipaddress {\n  10.99.0.101\n }\n}\n";

fn states(lan: &Lan, k: usize) -> Vec<State> {
    lan.routers[k]
        .engine
        .instances()
        .iter()
        .map(|i| i.state)
        .collect()
}

#[test]
fn sync_group_members_fault_together_and_the_peer_takes_both() {
    let mut lan = Lan::new(vec![
        router_cfg("10.99.0.1", GROUP_A),
        router_cfg("10.99.0.2", GROUP_B),
    ]);
    lan.run_until(secs(10));
    assert_eq!(states(&lan, 0), vec![State::Master, State::Master]);
    assert_eq!(states(&lan, 1), vec![State::Backup, State::Backup]);
    // one member's tracked interface... here: the whole link goes down on A
    let now = lan.now;
    lan.routers[0].engine.handle_link(now, "eth0", false);
    lan.drain(0);
    assert_eq!(states(&lan, 0), vec![State::Fault, State::Fault]);
    lan.run_until(secs(12));
    assert_eq!(
        states(&lan, 1),
        vec![State::Master, State::Master],
        "priority-0 adverts: B takes over after skew"
    );
    let now = lan.now;
    lan.routers[0].engine.handle_link(now, "eth0", true);
    lan.drain(0);
    assert_eq!(states(&lan, 0), vec![State::Backup, State::Backup]);
    lan.run_until(secs(20));
    assert_eq!(
        states(&lan, 0),
        vec![State::Master, State::Master],
        "A preempts back"
    );
    assert_eq!(states(&lan, 1), vec![State::Backup, State::Backup]);
}

#[test]
fn tracked_script_weight_moves_mastership_and_back() {
    // the seed's scenario 4: 150 - 60 < 100
    let a = "vrrp_script chk {\n script /bin/true\n weight -60\n}\n\
             vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 51\n priority 150\n track_script {\n  chk\n }\n virtual_ipaddress {\n  10.99.0.100\n }\n}\n";
    let mut lan = Lan::new(vec![
        router_cfg("10.99.0.1", a),
        router("10.99.0.2", " virtual_router_id 51\n priority 100"),
    ]);
    use keepalived_rs::vrrp::priority::{TrackerKind, TrackerStatus};
    lan.routers[0].engine.handle_tracker(
        Instant::ZERO,
        TrackerKind::Script,
        "chk",
        TrackerStatus::Up,
    );
    lan.drain(0);
    lan.run_until(secs(10));
    assert_eq!(lan.masters(), vec![0]);
    let now = lan.now;
    lan.routers[0]
        .engine
        .handle_tracker(now, TrackerKind::Script, "chk", TrackerStatus::Down);
    lan.drain(0);
    assert_eq!(lan.routers[0].engine.instances()[0].priority(), 90);
    lan.run_until(secs(20));
    assert_eq!(lan.masters(), vec![1], "90 < 100: B preempts");
    let now = lan.now;
    lan.routers[0]
        .engine
        .handle_tracker(now, TrackerKind::Script, "chk", TrackerStatus::Up);
    lan.drain(0);
    lan.run_until(secs(30));
    assert_eq!(lan.masters(), vec![0], "150 again: A preempts back");
}

#[test]
fn sync_group_notifications_follow_keepalived_order() {
    // compat/evidence/fifo-syncgroup.txt: GROUP BACKUP first, the members'
    // lines, GROUP MASTER after them, GROUP STOP last.
    let mut seen = Vec::new();
    let mut e = router_cfg("10.99.0.1", GROUP_A).engine;
    e.start(Instant::ZERO);
    e.handle_timeout(Instant::from_micros(3_414_062));
    e.shutdown();
    while let Some(a) = e.poll_action() {
        match a {
            Action::Notify {
                instance,
                state,
                priority,
            } => seen.push(format!(
                "INSTANCE {instance} {} {priority}",
                state.notify_word()
            )),
            Action::NotifyGroup { group, state } => seen.push(format!("GROUP {group} {state} 0")),
            Action::NotifyStop { instance, priority } => {
                seen.push(format!("INSTANCE {instance} STOP {priority}"))
            }
            _ => {}
        }
    }
    assert_eq!(
        seen,
        vec![
            "GROUP G1 BACKUP 0",
            "INSTANCE 0 BACKUP 150",
            "INSTANCE 1 BACKUP 150",
            // keepalived: the first member to time out waits for the others
            // (vrrp_sync_can_goto_master); the last goes MASTER and the
            // group follows it: S2 then S1 in fifo-syncgroup.txt
            "INSTANCE 1 MASTER 150",
            "INSTANCE 0 MASTER 150",
            "GROUP G1 MASTER 0",
            "INSTANCE 0 STOP 150",
            "INSTANCE 1 STOP 150",
            "GROUP G1 STOP 0"
        ]
    );
}

#[test]
fn a_unicast_peer_with_the_old_v3_checksum_is_followed() {
    use keepalived_rs::vrrp::wire::advert::{
        advert_ipv4_header, emit_ipv4_advert, ipv4_advert_len,
    };
    use keepalived_rs::vrrp::wire::ipv4::HeaderChecksum;
    use keepalived_rs::vrrp::wire::vrrp::{Auth, ChecksumForm, Kind, Version, VrrpRepr};
    let conf = |extra: &str| {
        format!(
            "vrrp_instance VI_1 {{\n interface eth0\n version 3\n virtual_router_id 51\n priority 100\n unicast_src_ip 10.99.0.2\n unicast_peer {{\n  10.99.0.1\n }}\n{extra}\n virtual_ipaddress {{\n  10.99.0.100\n }}\n}}\n"
        )
    };
    // keepalived <= 1.3.6 computes the unicast v3 checksum against 224.0.0.18
    let repr = VrrpRepr {
        version: Version::V3,
        kind: Kind::Advertisement,
        vrid: 51,
        priority: 150,
        interval: 100,
        auth: Auth::NONE,
        addresses: vec!["10.99.0.100".parse().expect("a")],
    };
    let ip = advert_ipv4_header(
        "10.99.0.1".parse().expect("a"),
        "10.99.0.2".parse().expect("a"),
        255,
        1,
    );
    let mut old = vec![0u8; ipv4_advert_len(&repr)];
    emit_ipv4_advert(
        &ip,
        &repr,
        ChecksumForm::OldUnicast,
        HeaderChecksum::Compute,
        &mut old,
    );

    let mut r = router_cfg("10.99.0.2", &conf(""));
    r.engine.start(Instant::ZERO);
    while r.engine.poll_action().is_some() {}
    r.engine.handle_packet(
        Instant::from_secs(1),
        &Received {
            ifname: "eth0",
            rx: RxFamily::Ipv4,
            bytes: &old,
        },
    );
    let logs = drain_logs(&mut r.engine);
    assert_eq!(
        logs,
        vec!["(VI_1) Setting unicast VRRPv3 checksum to old version"]
    );
    assert_eq!(r.engine.instances()[0].stats.advert_rcvd, 1);

    // with `old_unicast_checksum never` the same advert is an invalid checksum
    let mut r = router_cfg("10.99.0.2", &conf(" old_unicast_checksum never"));
    r.engine.start(Instant::ZERO);
    while r.engine.poll_action().is_some() {}
    r.engine.handle_packet(
        Instant::from_secs(1),
        &Received {
            ifname: "eth0",
            rx: RxFamily::Ipv4,
            bytes: &old,
        },
    );
    let logs = drain_logs(&mut r.engine);
    assert_eq!(logs, vec!["(VI_1) Invalid VRRPv3 checksum"]);
}

#[test]
fn unknown_vrids_are_dropped_and_logged_only_with_log_unknown_vrids() {
    let mut lan = Lan::new(vec![router(
        "10.99.0.1",
        " virtual_router_id 51\n priority 150",
    )]);
    lan.run_until(secs(5));
    let pkt = lan.routers[0].last_packet.clone();
    let mut other = pkt.clone();
    other[21] = 52; // VRID 52: nobody here (checksum no longer matters)
    let quiet = "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 51\n virtual_ipaddress {\n  10.99.0.100\n }\n}\n";
    let logged = format!("global_defs {{\n log_unknown_vrids\n}}\n{quiet}");
    for (text, expect) in [
        (quiet.to_string(), vec![]),
        (
            logged,
            vec!["Unknown VRID(52) received on interface(eth0). ignoring...".to_string()],
        ),
    ] {
        let mut r = router_cfg("10.99.0.2", &text);
        r.engine.start(Instant::ZERO);
        while r.engine.poll_action().is_some() {}
        r.engine.handle_packet(
            Instant::from_secs(1),
            &Received {
                ifname: "eth0",
                rx: RxFamily::Ipv4,
                bytes: &other,
            },
        );
        let logs = drain_logs(&mut r.engine);
        assert_eq!(logs, expect);
    }
}

/// Drain an engine's actions, keeping the text of its log lines.
fn drain_logs(engine: &mut Engine) -> Vec<String> {
    std::iter::from_fn(|| engine.poll_action())
        .filter_map(|a| {
            if let Action::Log(e) = a {
                Some(e.text())
            } else {
                None
            }
        })
        .collect()
}
