//! Engine scenarios: checksum forms (`v3_checksum_as_v2`), the addresses a
//! GARP burst covers, and a burst through the pacer.

use super::*;
use crate::config::fs::memfs::MemFs;
use crate::config::host::FakeHost;
use crate::config::{LoadOptions, load};
use crate::vrrp::garp::GarpPacer;
use crate::vrrp::stats::ChecksumForm as Seen;
use crate::vrrp::wire::advert::{advert_ipv4_header, emit_ipv4_advert, ipv4_advert_len};
use std::net::Ipv4Addr;
use std::rc::Rc;

const ME: &str = "10.99.0.2";
const PEER: &str = "10.99.0.1";

fn config(text: &str) -> Config {
    let mut fs = MemFs::new();
    fs.add("/k.conf", text);
    let host = FakeHost::with_interfaces(&["eth0", "eth1"]);
    let loaded = load(&fs, Rc::new(host), "/k.conf", &LoadOptions::default());
    assert!(
        loaded.diags.messages().is_empty(),
        "{:?}",
        loaded.diags.messages()
    );
    loaded.config
}

/// An engine for `text` with eth0 = 10.99.0.2, eth1 = 10.98.0.2, started.
fn engine(text: &str) -> Engine {
    let ifs = StaticInterfaces(vec![
        ("eth0".into(), ME.parse().expect("a")),
        ("eth1".into(), "10.98.0.2".parse().expect("a")),
    ]);
    let mut e = Engine::new(&config(text), &ifs);
    e.start(Instant::ZERO);
    while e.poll_action().is_some() {}
    e
}

/// VI_1 on eth0, VRID 51, VIP 10.99.0.100, then `extra` lines.
fn instance(extra: &str) -> String {
    format!(
        "vrrp_instance VI_1 {{\n interface eth0\n virtual_router_id 51\n{extra}\n virtual_ipaddress {{\n  10.99.0.100\n }}\n}}\n"
    )
}

/// Run timers until the engine sends an advert; its bytes.
fn first_advert(e: &mut Engine) -> Vec<u8> {
    for _ in 0..100 {
        let now = e.poll_timeout().expect("a timer");
        e.handle_timeout(now);
        while let Some(a) = e.poll_action() {
            if let Action::Send { packet, .. } = a {
                return packet;
            }
        }
    }
    panic!("no advert sent");
}

fn v4(s: &str) -> Ipv4Addr {
    s.parse().expect("IPv4 address")
}

/// The checksum forms the IPv4 advert `packet` verifies in.
fn forms(packet: &[u8]) -> Vec<ChecksumForm> {
    let (ip, vrrp) = advert::parse_ip_packet(packet, RxFamily::Ipv4).expect("IPv4 advert");
    let pkt = VrrpPacket::new_checked(vrrp, Family::Ipv4).expect("VRRP");
    let ph = ip.pseudo_header();
    [
        ChecksumForm::Standard,
        ChecksumForm::OldUnicast,
        ChecksumForm::NoPseudoHeader,
    ]
    .into_iter()
    .filter(|f| pkt.checksum_matches(*f, &ph))
    .collect()
}

#[test]
fn v3_checksum_as_v2_adverts_verify_only_without_pseudo_header() {
    let mut e = engine(&instance(" version 3\n priority 255\n v3_checksum_as_v2"));
    assert_eq!(
        forms(&first_advert(&mut e)),
        vec![ChecksumForm::NoPseudoHeader]
    );

    // unset, and `off`: the standard form (to 224.0.0.18 the same as the
    // old unicast form)
    for extra in [
        " version 3\n priority 255",
        " version 3\n priority 255\n v3_checksum_as_v2 off",
    ] {
        let mut e = engine(&instance(extra));
        assert_eq!(
            forms(&first_advert(&mut e)),
            vec![ChecksumForm::Standard, ChecksumForm::OldUnicast],
            "{extra}"
        );
    }

    // from global_defs
    let text = format!(
        "global_defs {{\n v3_checksum_as_v2\n}}\n{}",
        instance(" version 3\n priority 255")
    );
    let mut e = engine(&text);
    assert_eq!(
        forms(&first_advert(&mut e)),
        vec![ChecksumForm::NoPseudoHeader]
    );

    // wins over old_unicast_checksum (unicast: one copy per peer)
    let mut e = engine(&instance(&format!(
        " version 3\n priority 255\n v3_checksum_as_v2 yes\n old_unicast_checksum\n unicast_src_ip {ME}\n unicast_peer {{\n  {PEER}\n }}"
    )));
    assert_eq!(
        forms(&first_advert(&mut e)),
        vec![ChecksumForm::NoPseudoHeader]
    );

    // VRRPv2 has no pseudo header anyway: the flag changes nothing
    let mut e = engine(&instance(" version 2\n priority 255\n v3_checksum_as_v2"));
    let v2 = first_advert(&mut e);
    let (ip, vrrp) = advert::parse_ip_packet(&v2, RxFamily::Ipv4).expect("advert");
    let pkt = VrrpPacket::new_checked(vrrp, Family::Ipv4).expect("VRRP");
    assert_eq!(pkt.version(), 2);
    assert_eq!(
        pkt.verify_checksum(&ip.pseudo_header()),
        Some(ChecksumForm::Standard)
    );
}

/// A v3 advert from PEER (priority 150) to 224.0.0.18 in `form`.
fn peer_advert(form: ChecksumForm) -> Vec<u8> {
    let repr = VrrpRepr {
        version: Version::V3,
        kind: Kind::Advertisement,
        vrid: 51,
        priority: 150,
        interval: 100,
        auth: Auth::NONE,
        addresses: vec!["10.99.0.100".parse().expect("a")],
    };
    let ip = advert_ipv4_header(v4(PEER), v4("224.0.0.18"), 255, 1);
    let mut buf = vec![0u8; ipv4_advert_len(&repr)];
    emit_ipv4_advert(&ip, &repr, form, HeaderChecksum::Compute, &mut buf);
    buf
}

fn receive(e: &mut Engine, at_ms: u64, bytes: &[u8]) -> Vec<String> {
    e.handle_packet(
        Instant::from_millis(at_ms),
        &Received {
            ifname: "eth0",
            rx: RxFamily::Ipv4,
            bytes,
        },
    );
    std::iter::from_fn(|| e.poll_action())
        .filter_map(|a| match a {
            Action::Log(ev) => Some(ev.text()),
            _ => None,
        })
        .collect()
}

#[test]
fn both_v3_checksum_forms_are_accepted_and_counted_whatever_the_setting() {
    for extra in [" version 3", " version 3\n v3_checksum_as_v2"] {
        let mut e = engine(&instance(extra));
        let logs = receive(&mut e, 100, &peer_advert(ChecksumForm::NoPseudoHeader));
        assert_eq!(logs, Vec::<String>::new(), "{extra}");
        let st = e.instances()[0].stats;
        assert_eq!(st.advert_rcvd, 1, "{extra}");
        assert_eq!(st.csum_no_pseudo_header, 1, "{extra}");
        assert_eq!(st.csum_pseudo_header, 0, "{extra}");
        assert_eq!(st.last_checksum_form, Some(Seen::NoPseudoHeader));
        assert_eq!(e.instances()[0].master_addr, Some(PEER.parse().expect("a")));

        let logs = receive(&mut e, 200, &peer_advert(ChecksumForm::Standard));
        assert_eq!(logs, Vec::<String>::new(), "{extra}");
        let st = e.instances()[0].stats;
        assert_eq!(st.advert_rcvd, 2);
        assert_eq!((st.csum_pseudo_header, st.csum_no_pseudo_header), (1, 1));
        assert_eq!(st.last_checksum_form, Some(Seen::PseudoHeader));
        assert_eq!(st.checksum_err, 0);
    }
}

#[test]
fn a_corrupted_v3_checksum_is_rejected_and_counted() {
    for extra in [" version 3", " version 3\n v3_checksum_as_v2"] {
        let mut e = engine(&instance(extra));
        for form in [ChecksumForm::Standard, ChecksumForm::NoPseudoHeader] {
            let mut bad = peer_advert(form);
            bad[20 + 7] ^= 0x01; // low byte of the VRRP checksum
            let logs = receive(&mut e, 100, &bad);
            assert_eq!(logs, vec!["(VI_1) Invalid VRRPv3 checksum"], "{extra}");
        }
        let st = e.instances()[0].stats;
        assert_eq!(st.checksum_err, 2, "{extra}");
        assert_eq!(st.advert_rcvd, 0);
        assert_eq!(
            (
                st.csum_pseudo_header,
                st.csum_no_pseudo_header,
                st.csum_old_unicast
            ),
            (0, 0, 0)
        );
        assert_eq!(st.last_checksum_form, None);
        assert_eq!(e.instances()[0].master_addr, None);
    }
}

#[test]
fn v2_adverts_do_not_count_checksum_forms() {
    let mut sender = engine(&instance(" version 2\n priority 255"));
    let packet = first_advert(&mut sender);
    let mut e = engine(&instance(" version 2"));
    // the sender is 10.99.0.2 as well; the receiver only checks the advert
    let logs = receive(&mut e, 100, &packet);
    assert_eq!(logs, Vec::<String>::new());
    let st = e.instances()[0].stats;
    assert_eq!(st.advert_rcvd, 1);
    assert_eq!(
        (
            st.csum_pseudo_header,
            st.csum_no_pseudo_header,
            st.csum_old_unicast
        ),
        (0, 0, 0)
    );
    assert_eq!(st.last_checksum_form, None);
}

const TWO_IFS: &str = "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 51\n priority 255\n\
    virtual_ipaddress {\n  10.99.0.100/24\n  10.98.0.100/24 dev eth1\n }\n\
    virtual_ipaddress_excluded {\n  fd00::100/64\n  10.99.0.101/24\n }\n}\n";

#[test]
fn garp_addresses_are_vips_then_evips_each_on_its_interface() {
    let e = engine(TWO_IFS);
    let got: Vec<(String, String)> = e
        .garp_addresses(0)
        .into_iter()
        .map(|t| (t.ifname, t.addr.to_string()))
        .collect();
    let want: Vec<(String, String)> = [
        ("eth0", "10.99.0.100"),
        ("eth1", "10.98.0.100"),
        ("eth0", "fd00::100"),
        ("eth0", "10.99.0.101"),
    ]
    .iter()
    .map(|(i, a)| (i.to_string(), a.to_string()))
    .collect();
    assert_eq!(got, want);
    assert!(e.garp_addresses(1).is_empty());

    let a = e.instance_addresses(0).expect("instance 0");
    assert_eq!(a.ifname, "eth0");
    let vips: Vec<(String, u8, Option<&str>)> = a
        .vips
        .iter()
        .map(|v| (v.addr.to_string(), v.prefix, v.dev.as_deref()))
        .collect();
    assert_eq!(
        vips,
        vec![
            ("10.99.0.100".to_string(), 24, None),
            ("10.98.0.100".to_string(), 24, Some("eth1")),
        ]
    );
    assert_eq!(a.evips.len(), 2);
    assert_eq!(a.evips[0].prefix, 64);
    assert!(e.instance_addresses(1).is_none());
}

#[test]
fn becoming_master_bursts_through_the_pacer_at_the_configured_pace() {
    let text = format!("global_defs {{\n vrrp_garp_interval 0.01\n}}\n{TWO_IFS}");
    let cfg = config(&text);
    let ifs = StaticInterfaces(vec![
        ("eth0".into(), ME.parse().expect("a")),
        ("eth1".into(), "10.98.0.2".parse().expect("a")),
    ]);
    let mut e = Engine::new(&cfg, &ifs);
    let mut pacer = GarpPacer::new(&cfg);
    e.start(Instant::ZERO);
    let mut sent: Vec<(Instant, String, String)> = Vec::new();
    let mut bursts = Vec::new();
    let mut now = Instant::ZERO;
    while now < Instant::from_secs(1) {
        while let Some(a) = e.poll_action() {
            if let Action::GarpBurst { instance, repeat } = a {
                bursts.push((now, repeat));
                pacer.burst(now, instance, &e.garp_addresses(instance), repeat);
            }
        }
        while let Some(s) = pacer.poll(now) {
            sent.push((now, s.ifname, s.addr.to_string()));
        }
        let next = [e.poll_timeout(), pacer.next_deadline()]
            .into_iter()
            .flatten()
            .min()
            .expect("a deadline");
        assert!(next > now, "{next:?} <= {now:?}");
        now = next;
        e.handle_timeout(now);
    }
    assert_eq!(bursts.len(), 1, "one burst in the first second");
    let (t0, repeat) = bursts[0];
    assert_eq!(repeat, 5, "garp_master_repeat default");
    assert_eq!(sent.len(), 4 * 5);
    let at = |i: usize| (sent[i].0 - t0).millis();
    // eth0 carries 3 addresses x 5, IPv4 paced 10 ms (the IPv6 eVIP is not:
    // no vrrp_gna_interval); eth1 carries 1 x 5, paced on its own.
    let on = |ifname: &str, v6: bool| -> Vec<u64> {
        (0..sent.len())
            .filter(|&i| sent[i].1 == ifname && sent[i].2.contains(':') == v6)
            .map(at)
            .collect()
    };
    assert_eq!(
        on("eth0", false),
        (0..10).map(|k| k * 10).collect::<Vec<_>>()
    );
    assert_eq!(
        on("eth1", false),
        (0..5).map(|k| k * 10).collect::<Vec<_>>()
    );
    assert_eq!(on("eth0", true), vec![0; 5]);
    // eth0's IPv4 frames alternate between the VIP and the eVIP
    let eth0: Vec<&str> = sent
        .iter()
        .filter(|s| s.1 == "eth0" && !s.2.contains(':'))
        .map(|s| s.2.as_str())
        .collect();
    assert_eq!(
        eth0,
        ["10.99.0.100", "10.99.0.101"]
            .iter()
            .cycle()
            .take(10)
            .copied()
            .collect::<Vec<_>>()
    );
}

#[test]
fn a_masters_vip_removed_from_outside_resigns_and_comes_back() {
    let mut e = engine(&instance(" priority 255"));
    // a BACKUP (or an unknown index) is left alone
    e.handle_vip_removed(Instant::from_millis(1), 0);
    e.handle_vip_removed(Instant::from_millis(1), 5);
    assert_eq!(e.poll_action(), None);
    first_advert(&mut e);
    while e.poll_action().is_some() {}
    assert_eq!(e.instances()[0].state, State::Master);

    let t = e.poll_timeout().expect("advert timer") - Duration::from_millis(1);
    e.handle_vip_removed(t, 0);
    assert_eq!(e.instances()[0].state, State::Backup);
    let actions: Vec<Action> = std::iter::from_fn(|| e.poll_action()).collect();
    let prio0 = actions
        .iter()
        .any(|a| matches!(a, Action::Send { packet, .. } if packet[20 + 2] == 0));
    assert!(prio0, "{actions:?}");
    assert!(actions.contains(&Action::RemoveAddresses { instance: 0 }));
    // nobody else claims the VRID: MASTER again after the skew time
    // (priority 255: (256 - 255) / 256 s), not after a full down timer
    let back = e.poll_timeout().expect("master down timer");
    assert!(back - t < Duration::from_millis(10), "{:?}", back - t);
    e.handle_timeout(back);
    assert_eq!(e.instances()[0].state, State::Master);
}

#[test]
fn timeouts_handled_in_batches_give_the_same_actions_in_the_same_order() {
    // 10 instances, two of them in a sync group, run 10 s one way and the other
    let mut text = String::from("vrrp_sync_group G1 {\n group {\n  VI_3\n  VI_7\n }\n}\n");
    for k in 0..10 {
        text += &format!(
            "vrrp_instance VI_{k} {{\n interface eth0\n virtual_router_id {}\n priority {}\n advert_int 1\n virtual_ipaddress {{\n  10.99.0.{}\n }}\n}}\n",
            k + 1,
            100 + k,
            100 + k
        );
    }
    let run = |batch: Option<usize>| {
        let mut e = engine(&text);
        let mut seen = Vec::new();
        while let Some(now) = e
            .poll_timeout()
            .filter(|t| *t < Instant::from_micros(10_000_000))
        {
            match batch {
                None => e.handle_timeout(now),
                Some(max) => {
                    while e.handle_timeout_batch(now, max) {
                        while let Some(a) = e.poll_action() {
                            seen.push((now, a));
                        }
                    }
                }
            }
            while let Some(a) = e.poll_action() {
                seen.push((now, a));
            }
        }
        seen
    };
    let whole = run(None);
    assert!(
        whole
            .iter()
            .filter(|(_, a)| matches!(a, Action::Send { .. }))
            .count()
            > 20
    );
    assert_eq!(run(Some(1)), whole);
    assert_eq!(run(Some(3)), whole);
}
