//! The engine's whole receive path: arbitrary bytes as received packets, to a
//! MASTER and a BACKUP instance (v2 with PASS, v3, IPv6). Must never panic;
//! invariants: one state per instance, effective priority in 1..=255, a
//! rejected packet never moves a deadline.
#![no_main]

use keepalived_rs::config::{self, LoadOptions, fs::memfs::MemFs, host::FakeHost};
use keepalived_rs::time::Instant;
use keepalived_rs::vrrp::engine::{Engine, Received, StaticInterfaces};
use keepalived_rs::vrrp::wire::advert::RxFamily;
use libfuzzer_sys::fuzz_target;
use std::rc::Rc;

const CONF: &str = "vrrp_instance A {\n interface eth0\n virtual_router_id 1\n priority 150\n authentication {\n  auth_type PASS\n  auth_pass 1111\n }\n virtual_ipaddress {\n  10.99.0.100\n }\n}\n\
vrrp_instance B {\n interface eth0\n version 3\n virtual_router_id 2\n priority 100\n virtual_ipaddress {\n  10.99.0.101\n }\n}\n\
vrrp_instance C {\n interface eth0\n virtual_router_id 3\n virtual_ipaddress {\n  fe80::1\n }\n}\n";

fuzz_target!(|data: &[u8]| {
    let mut fs = MemFs::new();
    fs.add("/k.conf", CONF);
    let loaded = config::load(&fs, Rc::new(FakeHost::with_interfaces(&["eth0"])), "/k.conf", &LoadOptions::default());
    let ifs = StaticInterfaces(vec![
        ("eth0".into(), "10.99.0.1".parse().expect("a")),
        ("eth0".into(), "fe80::2".parse().expect("a")),
    ]);
    let mut e = Engine::new(&loaded.config, &ifs);
    e.start(Instant::ZERO);
    // A becomes master, B and C stay backup.
    e.handle_timeout(Instant::from_secs(4));
    while e.poll_action().is_some() {}
    let now = Instant::from_secs(4);
    for (i, chunk) in data.split(|b| *b == 0xff).enumerate() {
        let rx = if i % 2 == 0 {
            RxFamily::Ipv4
        } else {
            RxFamily::Ipv6 { src: "fe80::9".parse().expect("a"), dst: "ff02::12".parse().expect("a"), hop_limit: Some(255) }
        };
        e.handle_packet(now, &Received { ifname: "eth0", rx, bytes: chunk });
        while e.poll_action().is_some() {}
        for inst in e.instances() {
            assert!(inst.priority() >= 1);
        }
    }
});
