//! Per-operation cost of the VRRP core's hot paths (not a test: it asserts
//! only that each case does what it claims, never a time).
//!
//! Cases, each on real adverts built by a master engine from a config text:
//! - `rx_v2`: one received v2 advert (PASS auth, one VIP) decoded, checked
//!   and processed by a BACKUP engine, actions drained;
//! - `rx_v3`: the same for VRRPv3 over IPv4;
//! - `tx_v2`: the master's advert timer firing: `handle_timeout` at the
//!   deadline and the `Action::Send` it yields (packet built);
//! - `decode_v2`, `decode_v3`: wire only, [`decode_advert`] of the packet;
//! - `emit_v2`: wire only, [`emit_ipv4_advert`] into a reused buffer.
//!
//! `cargo bench --bench vrrp_core` prints the median ns/op over batches.
//! With `VRRP_BENCH_CASE=<case> VRRP_BENCH_ITERS=<n>` it runs exactly `n`
//! operations of one case and no clock (for `benches/callgrind.sh`, which
//! subtracts an `n = 0` run to get instructions per operation).

use keepalived_rs::config::{self, LoadOptions, fs::memfs::MemFs, host::FakeHost};
use keepalived_rs::time::Instant;
use keepalived_rs::vrrp::engine::{Action, Engine, Received, StaticInterfaces};
use keepalived_rs::vrrp::instance::State;
use keepalived_rs::vrrp::wire::advert::{
    self, RxFamily, advert_ipv4_header, decode_advert, emit_ipv4_advert,
};
use keepalived_rs::vrrp::wire::ipv4::HeaderChecksum;
use keepalived_rs::vrrp::wire::vrrp::{ChecksumForm, VrrpRepr};
use std::hint::black_box;
use std::net::{IpAddr, Ipv4Addr};
use std::rc::Rc;
use std::time::Instant as Clock;

const MASTER_ADDR: &str = "10.99.0.1";
const BACKUP_ADDR: &str = "10.99.0.2";

const V2_AUTH: &str = " authentication {\n  auth_type PASS\n  auth_pass s3cr3t\n }\n";
const V3: &str = " version 3\n";

fn engine(addr: &str, body: &str) -> Engine {
    let text = format!(
        "vrrp_instance VI_1 {{\n interface eth0\n virtual_router_id 51\n{body} virtual_ipaddress {{\n  10.99.0.100/24\n }}\n}}\n"
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
    Engine::new(&loaded.config, &ifs)
}

/// A started master engine (priority 150) that has become MASTER and sent
/// its first advert, which is returned with it.
fn master(extra: &str) -> (Engine, Vec<u8>) {
    let mut m = engine(
        MASTER_ADDR,
        &format!(" state MASTER\n priority 150\n{extra}"),
    );
    m.start(Instant::ZERO);
    while m.poll_action().is_some() {}
    for _ in 0..100 {
        let t = m.poll_timeout().expect("a deadline");
        m.handle_timeout(t);
        let mut packet = None;
        while let Some(a) = m.poll_action() {
            if let Action::Send { packet: p, .. } = a {
                packet = Some(p);
            }
        }
        if let Some(p) = packet {
            assert_eq!(m.instances()[0].state, State::Master);
            return (m, p);
        }
    }
    panic!("the master never sent an advert");
}

/// A started BACKUP engine (priority 100).
fn backup(extra: &str) -> Engine {
    let mut b = engine(
        BACKUP_ADDR,
        &format!(" state BACKUP\n priority 100\n{extra}"),
    );
    b.start(Instant::ZERO);
    while b.poll_action().is_some() {}
    assert_eq!(b.instances()[0].state, State::Backup);
    b
}

/// One benchmark case: `op()` performs one operation.
trait Case {
    fn op(&mut self);
    /// Panics if the operations did not do what the case claims.
    fn verify(&self, ops: u64);
}

/// A BACKUP engine receiving the master's advert, `now` 1 us later each time.
struct Rx {
    backup: Engine,
    packet: Vec<u8>,
    now: u64,
    actions: u64,
    rcvd_before: u64,
}

impl Rx {
    fn new(extra: &str) -> Rx {
        let (_, packet) = master(extra);
        let backup = backup(extra);
        let rcvd_before = backup.instances()[0].stats.advert_rcvd;
        Rx {
            backup,
            packet,
            now: 1_000_000,
            actions: 0,
            rcvd_before,
        }
    }
}

impl Case for Rx {
    #[inline(never)]
    fn op(&mut self) {
        self.now += 1;
        let r = Received {
            ifname: "eth0",
            rx: RxFamily::Ipv4,
            bytes: black_box(&self.packet),
        };
        self.backup
            .handle_packet(Instant::from_micros(self.now), &r);
        while let Some(a) = self.backup.poll_action() {
            black_box(&a);
            self.actions += 1;
        }
    }

    fn verify(&self, ops: u64) {
        let inst = &self.backup.instances()[0];
        assert_eq!(inst.state, State::Backup);
        assert_eq!(inst.stats.advert_rcvd - self.rcvd_before, ops, "accepted");
        assert_eq!(self.actions, 0, "a backup hearing its master does nothing");
    }
}

/// The master's advert timer: fire it at each deadline, take the packet.
struct Tx {
    master: Engine,
    sent: u64,
}

impl Case for Tx {
    #[inline(never)]
    fn op(&mut self) {
        let t = self.master.poll_timeout().expect("advert timer");
        self.master.handle_timeout(t);
        while let Some(a) = self.master.poll_action() {
            if let Action::Send { packet, .. } = &a {
                black_box(packet);
                self.sent += 1;
            }
        }
    }

    fn verify(&self, ops: u64) {
        assert_eq!(self.master.instances()[0].state, State::Master);
        assert_eq!(self.sent, ops, "one advert per deadline");
    }
}

/// [`decode_advert`] of a fixed packet.
struct Decode {
    packet: Vec<u8>,
}

impl Case for Decode {
    #[inline(never)]
    fn op(&mut self) {
        let adv = decode_advert(black_box(&self.packet), RxFamily::Ipv4);
        assert!(black_box(adv).is_ok());
    }

    fn verify(&self, _ops: u64) {}
}

/// [`emit_ipv4_advert`] of a fixed advert into a reused buffer.
struct Emit {
    vrrp: VrrpRepr,
    src: Ipv4Addr,
    dst: Ipv4Addr,
    ident: u16,
    buf: [u8; 64],
    expected: Vec<u8>,
}

impl Emit {
    fn new() -> Emit {
        let (_, packet) = master(V2_AUTH);
        let adv = decode_advert(&packet, RxFamily::Ipv4).expect("the master's advert");
        let (IpAddr::V4(src), IpAddr::V4(dst)) = (adv.ip.src, adv.ip.dst) else {
            panic!("IPv4 advert");
        };
        let ident = u16::from_be_bytes([packet[4], packet[5]]);
        let mut e = Emit {
            vrrp: adv.vrrp,
            src,
            dst,
            ident: ident.wrapping_sub(1),
            buf: [0; 64],
            expected: packet,
        };
        // the same bytes the engine sent
        e.op();
        assert_eq!(&e.buf[..e.expected.len()], &e.expected[..]);
        e
    }
}

impl Case for Emit {
    #[inline(never)]
    fn op(&mut self) {
        self.ident = self.ident.wrapping_add(1);
        let ip = advert_ipv4_header(self.src, self.dst, 255, self.ident);
        let n = emit_ipv4_advert(
            &ip,
            black_box(&self.vrrp),
            ChecksumForm::Standard,
            HeaderChecksum::Compute,
            &mut self.buf,
        );
        black_box((&self.buf, n));
    }

    fn verify(&self, _ops: u64) {
        assert_eq!(advert::ipv4_advert_len(&self.vrrp), self.expected.len());
    }
}

const CASES: &[&str] = &[
    "rx_v2",
    "rx_v3",
    "tx_v2",
    "decode_v2",
    "decode_v3",
    "emit_v2",
];

fn make(name: &str) -> Box<dyn Case> {
    match name {
        "rx_v2" => Box::new(Rx::new(V2_AUTH)),
        "rx_v3" => Box::new(Rx::new(V3)),
        "tx_v2" => {
            let (master, _) = master(V2_AUTH);
            Box::new(Tx { master, sent: 0 })
        }
        "decode_v2" => Box::new(Decode {
            packet: master(V2_AUTH).1,
        }),
        "decode_v3" => Box::new(Decode {
            packet: master(V3).1,
        }),
        "emit_v2" => Box::new(Emit::new()),
        _ => panic!("unknown case {name:?}; cases: {}", CASES.join(" ")),
    }
}

/// Median ns/op over `batches` batches, each long enough (~5 ms) to dwarf
/// the clock's cost, after ~50 ms of warm-up.
fn measure(case: &mut dyn Case, batches: usize) -> (f64, u64) {
    let mut ops = 0u64;
    // warm up and size a batch
    let start = Clock::now();
    let mut n = 0u64;
    while start.elapsed().as_millis() < 50 {
        for _ in 0..100 {
            case.op();
        }
        n += 100;
    }
    ops += n;
    let per_op = start.elapsed().as_nanos() as f64 / n as f64;
    let batch = ((5_000_000.0 / per_op) as u64).max(100);
    let mut samples = Vec::with_capacity(batches);
    for _ in 0..batches {
        let t = Clock::now();
        for _ in 0..batch {
            case.op();
        }
        samples.push(t.elapsed().as_nanos() as f64 / batch as f64);
        ops += batch;
    }
    samples.sort_by(f64::total_cmp);
    (samples[samples.len() / 2], ops)
}

fn main() {
    // `cargo bench` passes `--bench`; a filter argument picks cases.
    let filter: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    if let Ok(name) = std::env::var("VRRP_BENCH_CASE") {
        let iters: u64 = std::env::var("VRRP_BENCH_ITERS")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(10_000);
        let mut case = make(&name);
        for _ in 0..iters {
            case.op();
        }
        case.verify(iters);
        println!("{name}: {iters} iterations");
        return;
    }
    for &name in CASES {
        if !filter.is_empty() && !filter.iter().any(|f| name.contains(f.as_str())) {
            continue;
        }
        let mut case = make(name);
        let (ns, ops) = measure(case.as_mut(), 31);
        case.verify(ops);
        println!("{name:<10} {ns:>8.1} ns/op");
    }
    println!("target: < 1000 ns per received advert (rx_v2, rx_v3)");
}
