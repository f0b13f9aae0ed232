//! Pacing of gratuitous ARPs and unsolicited neighbour advertisements,
//! sans-IO (KEEPALIVED.md §6).
//!
//! keepalived keeps, per interface, the earliest time the next GARP may go
//! out and, separately, the next NA: `vrrp_garp_interval` /
//! `vrrp_gna_interval` in `global_defs` give every interface its own pair;
//! a `garp_group { garp_interval; gna_interval; interface | interfaces }`
//! gives the interfaces it names one pair they share (one interface's GARP
//! delays the next one on another interface of the same group). An interface
//! in a group that sets only one of the two intervals is not paced for the
//! other family, whatever the globals say (keepalived only gives the global
//! intervals to interfaces without a group). With no interval (or 0) a burst
//! goes out back to back.
//!
//! A burst of `repeat` for an instance is its addresses
//! ([`super::engine::Engine::garp_addresses`]: VIPs, then eVIPs) `repeat`
//! times over, in keepalived's order: all addresses once, then all again
//! (A B A B, not A A B B). Frames an interval holds back wait in that
//! interface's queue in the same order; an address still queued when another
//! burst for it arrives is topped up to the new `repeat`, not queued twice.
//!
//! keepalived 2.2.7 sends at most one more frame per address once one is
//! held back by an interval (its per-address "pending" is a flag), so
//! `garp_master_repeat 5` with `vrrp_garp_interval` gives 2 GARPs per VIP.
//! keepalived fixed that (commit b1d9e375, "will always send the configured
//! number of repeat messages") with a per-interface queue and a per-address
//! count; this module does what the fixed keepalived does.
//!
//! Use (the daemon's event loop):
//!
//! ```text
//! let mut pacer = GarpPacer::new(&config);
//! // on Action::GarpBurst { instance, repeat } from the engine:
//! pacer.burst(now, instance, &engine.garp_addresses(instance), repeat);
//! // on Action::RemoveAddresses { instance } (keepalived drops its delayed
//! // GARPs when an instance leaves MASTER):
//! pacer.cancel_instance(instance);
//! // after either, and when the pacer's deadline is reached:
//! while let Some(GarpSend { ifname, addr, .. }) = pacer.poll(now) {
//!     // IPv4: gratuitous ARP on ifname for addr; IPv6: unsolicited NA
//!     // (skip interfaces with IFF_NOARP, as keepalived does)
//! }
//! // sleep until the earliest of engine.poll_timeout() and pacer.next_deadline()
//! ```
//!
//! The interface named is the one the frame leaves by; keepalived paces a
//! VMAC's frames on its base interface, which is the caller's to map
//! (VMACs are not run by this build).

use crate::config::model::{Config, GarpGroup};
use crate::time::{Duration, Instant};
use std::collections::{BTreeMap, HashMap};
use std::net::IpAddr;

/// One address to announce and the interface to announce it on.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct GarpTarget {
    pub ifname: String,
    pub addr: IpAddr,
}

/// One frame to send now: a gratuitous ARP (IPv4 `addr`) or an unsolicited
/// NA (IPv6 `addr`) on `ifname`, for `instance` (the index the burst came
/// with).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GarpSend {
    pub instance: usize,
    pub ifname: String,
    pub addr: IpAddr,
}

/// One family's pacing on one interface or group: keepalived's
/// `garp_interval` + `garp_next_time` (or the `gna_` pair).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Lane {
    /// `None`: not paced (keepalived's `have_garp_interval` false).
    interval: Option<Duration>,
    /// When the next frame may go: the last send plus the interval; `None`
    /// until the first send.
    next: Option<Instant>,
}

impl Lane {
    fn ready(&self, now: Instant) -> bool {
        self.interval.is_none() || self.next.is_none_or(|t| now >= t)
    }

    /// When an entry queued at `since` may go.
    fn ready_at(&self, since: Instant) -> Instant {
        match (self.interval, self.next) {
            (Some(_), Some(t)) => t.max(since),
            _ => since,
        }
    }
}

/// Lane index: 0 = IPv4 (GARP), 1 = IPv6 (NA).
fn family_lane(addr: &IpAddr) -> usize {
    usize::from(addr.is_ipv6())
}

/// A queued address: `remaining` frames still to send.
#[derive(Clone, Debug)]
struct Entry {
    instance: usize,
    target: GarpTarget,
    domain: usize,
    remaining: u32,
    /// When the burst that queued it arrived.
    since: Instant,
}

/// The pacer: every interface's (or group's) next-allowed times and the
/// frames waiting for them. See the module documentation.
#[derive(Clone, Debug)]
pub struct GarpPacer {
    /// Pacing domains: one per `garp_group`, one per other interface used.
    domains: Vec<[Lane; 2]>,
    /// Interface name → its domain.
    by_if: HashMap<String, usize>,
    /// The global intervals, for interfaces in no group.
    default: [Option<Duration>; 2],
    /// Queued addresses in send order (a sequence number per queueing;
    /// an address sent with more to go is queued again at the end).
    queue: BTreeMap<u64, Entry>,
    /// (instance, target) → its sequence number in `queue`.
    index: HashMap<(usize, GarpTarget), u64>,
    next_seq: u64,
}

impl GarpPacer {
    /// The pacing a configuration asks for: `vrrp_garp_interval`,
    /// `vrrp_gna_interval` and the `garp_group`s.
    pub fn new(cfg: &Config) -> GarpPacer {
        GarpPacer::with_groups(
            Duration::from_micros(cfg.global.garp_interval_us),
            Duration::from_micros(cfg.global.gna_interval_us),
            &cfg.garp_groups,
        )
    }

    /// Global intervals (zero = not paced) and `garp_group`s. An interface
    /// listed by two groups belongs to the first (the parser already
    /// rejects the second with "garp_group already specified").
    pub fn with_groups(
        garp_interval: Duration,
        gna_interval: Duration,
        groups: &[GarpGroup],
    ) -> GarpPacer {
        let nonzero = |d: Duration| (d != Duration::ZERO).then_some(d);
        let mut p = GarpPacer {
            domains: Vec::new(),
            by_if: HashMap::new(),
            default: [nonzero(garp_interval), nonzero(gna_interval)],
            queue: BTreeMap::new(),
            index: HashMap::new(),
            next_seq: 0,
        };
        for g in groups {
            let d = p.domains.len();
            p.domains.push([
                Lane {
                    interval: g.garp_interval_us.map(Duration::from_micros),
                    next: None,
                },
                Lane {
                    interval: g.gna_interval_us.map(Duration::from_micros),
                    next: None,
                },
            ]);
            for i in &g.interfaces {
                p.by_if.entry(i.clone()).or_insert(d);
            }
        }
        p
    }

    /// The domain of `ifname`, created with the global intervals on first use.
    fn domain_of(&mut self, ifname: &str) -> usize {
        if let Some(&d) = self.by_if.get(ifname) {
            return d;
        }
        let d = self.domains.len();
        self.domains.push(self.default.map(|interval| Lane {
            interval,
            next: None,
        }));
        self.by_if.insert(ifname.to_string(), d);
        d
    }

    /// Queue a burst at `now`: `targets` (in order) `repeat` times over, for
    /// `instance`. Frames that may go at once are handed out by the next
    /// [`GarpPacer::poll`]`(now)`. `repeat` 0 queues nothing.
    pub fn burst(&mut self, now: Instant, instance: usize, targets: &[GarpTarget], repeat: u32) {
        if repeat == 0 {
            return;
        }
        for t in targets {
            if let Some(seq) = self.index.get(&(instance, t.clone())) {
                if let Some(e) = self.queue.get_mut(seq) {
                    e.remaining = e.remaining.max(repeat);
                }
                continue;
            }
            let domain = self.domain_of(&t.ifname);
            let seq = self.take_seq();
            self.index.insert((instance, t.clone()), seq);
            self.queue.insert(
                seq,
                Entry {
                    instance,
                    target: t.clone(),
                    domain,
                    remaining: repeat,
                    since: now,
                },
            );
        }
    }

    fn take_seq(&mut self) -> u64 {
        let s = self.next_seq;
        self.next_seq += 1;
        s
    }

    /// The next frame to send at `now`, if one may go: the earliest queued
    /// whose interface (or group) allows its family now. Call until `None`.
    pub fn poll(&mut self, now: Instant) -> Option<GarpSend> {
        let seq = self
            .queue
            .iter()
            .find(|(_, e)| self.domains[e.domain][family_lane(&e.target.addr)].ready(now))
            .map(|(s, _)| *s)?;
        let mut e = self.queue.remove(&seq)?;
        let lane = &mut self.domains[e.domain][family_lane(&e.target.addr)];
        lane.next = lane.interval.map(|i| now + i);
        let send = GarpSend {
            instance: e.instance,
            ifname: e.target.ifname.clone(),
            addr: e.target.addr,
        };
        e.remaining -= 1;
        let key = (e.instance, e.target.clone());
        if e.remaining == 0 {
            self.index.remove(&key);
        } else {
            let s = self.take_seq();
            self.index.insert(key, s);
            self.queue.insert(s, e);
        }
        Some(send)
    }

    /// When [`GarpPacer::poll`] next has a frame (possibly already past);
    /// `None` when nothing is queued.
    pub fn next_deadline(&self) -> Option<Instant> {
        self.queue
            .values()
            .map(|e| self.domains[e.domain][family_lane(&e.target.addr)].ready_at(e.since))
            .min()
    }

    /// Drop every frame still queued for `instance` (keepalived
    /// `vrrp_remove_delayed_arp`, when an instance leaves MASTER). The
    /// interfaces' next-allowed times stay.
    pub fn cancel_instance(&mut self, instance: usize) {
        self.queue.retain(|_, e| e.instance != instance);
        self.index.retain(|(i, _), _| *i != instance);
    }

    /// Reload: instance `k`'s queued frames now belong to instance
    /// `map[k]`; those of instances without one (removed) are dropped.
    pub fn renumber(&mut self, map: &[Option<usize>]) {
        let to = |k: usize| map.get(k).copied().flatten();
        self.queue.retain(|_, e| match to(e.instance) {
            Some(j) => {
                e.instance = j;
                true
            }
            None => false,
        });
        self.index = self
            .index
            .drain()
            .filter_map(|((k, t), seq)| to(k).map(|j| ((j, t), seq)))
            .collect();
    }

    /// Frames still to send.
    pub fn pending(&self) -> u64 {
        self.queue.values().map(|e| u64::from(e.remaining)).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::fs::memfs::MemFs;
    use crate::config::host::FakeHost;
    use crate::config::{LoadOptions, load};
    use std::rc::Rc;

    fn t(ifname: &str, addr: &str) -> GarpTarget {
        GarpTarget {
            ifname: ifname.to_string(),
            addr: addr.parse().expect("address"),
        }
    }

    fn ms(n: u64) -> Instant {
        Instant::from_millis(n)
    }

    fn dur_ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    /// Run the pacer as an event loop would: poll until `None`, then jump
    /// to the next deadline; every frame with its time as (ms, if, addr).
    fn run(p: &mut GarpPacer, from: Instant) -> Vec<(u64, String, String)> {
        let mut now = from;
        let mut out = Vec::new();
        for _ in 0..10_000 {
            while let Some(s) = p.poll(now) {
                out.push((now.micros() / 1000, s.ifname, s.addr.to_string()));
            }
            match p.next_deadline() {
                Some(d) => {
                    assert!(
                        d > now,
                        "deadline {d:?} not after {now:?} with nothing sendable"
                    );
                    now = d;
                }
                None => return out,
            }
        }
        panic!("pacer never drained");
    }

    fn row(ms: u64, ifname: &str, addr: &str) -> (u64, String, String) {
        (ms, ifname.to_string(), addr.to_string())
    }

    #[test]
    fn unpaced_burst_goes_at_once_all_addresses_then_all_again() {
        let mut p = GarpPacer::with_groups(Duration::ZERO, Duration::ZERO, &[]);
        let targets = [
            t("eth0", "10.0.0.1"),
            t("eth0", "10.0.0.2"),
            t("eth1", "fd00::1"),
        ];
        p.burst(ms(100), 0, &targets, 3);
        assert_eq!(p.pending(), 9);
        assert_eq!(p.next_deadline(), Some(ms(100)));
        let mut got = Vec::new();
        while let Some(s) = p.poll(ms(100)) {
            got.push(s.addr.to_string());
        }
        let round = ["10.0.0.1", "10.0.0.2", "fd00::1"];
        let want: Vec<&str> = round.iter().cycle().take(9).copied().collect();
        assert_eq!(got, want);
        assert_eq!(p.pending(), 0);
        assert_eq!(p.next_deadline(), None);
    }

    #[test]
    fn zero_repeat_queues_nothing() {
        let mut p = GarpPacer::with_groups(dur_ms(10), Duration::ZERO, &[]);
        p.burst(ms(0), 0, &[t("eth0", "10.0.0.1")], 0);
        assert_eq!(p.poll(ms(0)), None);
        assert_eq!(p.next_deadline(), None);
    }

    #[test]
    fn interval_spaces_frames_per_interface_and_interfaces_do_not_wait_for_each_other() {
        let mut p = GarpPacer::with_groups(dur_ms(10), Duration::ZERO, &[]);
        let targets = [
            t("eth0", "10.0.0.1"),
            t("eth0", "10.0.0.2"),
            t("eth1", "10.1.0.1"),
        ];
        p.burst(ms(0), 7, &targets, 2);
        // the first frame of each interface at once, then one per 10 ms each
        let first = p.poll(ms(0)).expect("first");
        assert_eq!(
            first,
            GarpSend {
                instance: 7,
                ifname: "eth0".into(),
                addr: "10.0.0.1".parse().expect("a"),
            }
        );
        let second = p.poll(ms(0)).expect("eth1 is not held by eth0");
        assert_eq!(second.ifname, "eth1");
        assert_eq!(p.poll(ms(0)), None);
        // polling early hands out nothing
        assert_eq!(p.poll(ms(9)), None);
        assert_eq!(p.next_deadline(), Some(ms(10)));
        let rest = run(&mut p, ms(9));
        assert_eq!(
            rest,
            vec![
                row(10, "eth0", "10.0.0.2"),
                row(10, "eth1", "10.1.0.1"),
                row(20, "eth0", "10.0.0.1"),
                row(30, "eth0", "10.0.0.2"),
            ]
        );
    }

    #[test]
    fn a_second_burst_tops_up_what_is_still_queued() {
        let mut p = GarpPacer::with_groups(dur_ms(10), Duration::ZERO, &[]);
        p.burst(ms(0), 0, &[t("eth0", "10.0.0.1")], 3);
        assert_eq!(
            p.poll(ms(0)).map(|s| s.addr.to_string()).as_deref(),
            Some("10.0.0.1")
        );
        assert_eq!(p.pending(), 2);
        // 5 ms later, while two are queued: the same VIP again (3), a new
        // one, and the same VIP for another instance
        p.burst(ms(5), 0, &[t("eth0", "10.0.0.1"), t("eth0", "10.0.0.2")], 3);
        p.burst(ms(5), 1, &[t("eth0", "10.0.0.1")], 1);
        assert_eq!(p.pending(), 3 + 3 + 1);
        assert_eq!(p.poll(ms(5)), None, "eth0 is held until 10 ms");
        let mut got = Vec::new();
        let mut now = ms(5);
        while let Some(d) = p.next_deadline() {
            now = d;
            while let Some(s) = p.poll(now) {
                got.push((now.micros() / 1000, s.instance, s.addr.to_string()));
            }
        }
        let g = |ms: u64, i: usize, a: &str| (ms, i, a.to_string());
        assert_eq!(
            got,
            vec![
                g(10, 0, "10.0.0.1"),
                g(20, 0, "10.0.0.2"),
                g(30, 1, "10.0.0.1"),
                g(40, 0, "10.0.0.1"),
                g(50, 0, "10.0.0.2"),
                g(60, 0, "10.0.0.1"),
                g(70, 0, "10.0.0.2"),
            ]
        );
        assert_eq!(now, ms(70));
    }

    #[test]
    fn nas_are_paced_by_gna_interval_apart_from_garps() {
        let mut p = GarpPacer::with_groups(dur_ms(10), dur_ms(25), &[]);
        p.burst(ms(0), 0, &[t("eth0", "10.0.0.1"), t("eth0", "fd00::1")], 2);
        assert_eq!(
            run(&mut p, ms(0)),
            vec![
                row(0, "eth0", "10.0.0.1"),
                row(0, "eth0", "fd00::1"),
                row(10, "eth0", "10.0.0.1"),
                row(25, "eth0", "fd00::1"),
            ]
        );
        // NAs unpaced when only vrrp_garp_interval is set
        let mut p = GarpPacer::with_groups(dur_ms(10), Duration::ZERO, &[]);
        p.burst(ms(0), 0, &[t("eth0", "fd00::1"), t("eth0", "fd00::2")], 2);
        let times: Vec<u64> = run(&mut p, ms(0)).into_iter().map(|r| r.0).collect();
        assert_eq!(times, vec![0, 0, 0, 0]);
    }

    #[test]
    fn garp_group_interfaces_share_one_pace() {
        let groups = [
            GarpGroup {
                aggregation_group: 1,
                garp_interval_us: Some(10_000),
                gna_interval_us: None,
                interfaces: vec!["eth0".into(), "eth1".into()],
            },
            GarpGroup {
                aggregation_group: 0,
                garp_interval_us: None,
                gna_interval_us: Some(30_000),
                interfaces: vec!["eth3".into()],
            },
        ];
        // global 50 ms applies only to interfaces in no group (eth2)
        let mut p = GarpPacer::with_groups(dur_ms(50), dur_ms(50), &groups);
        p.burst(
            ms(0),
            0,
            &[
                t("eth0", "10.0.0.1"),
                t("eth1", "10.1.0.1"),
                t("eth2", "10.2.0.1"),
                t("eth3", "10.3.0.1"),
                t("eth0", "fd00::1"),
                t("eth3", "fd03::1"),
            ],
            2,
        );
        assert_eq!(
            run(&mut p, ms(0)),
            vec![
                row(0, "eth0", "10.0.0.1"),
                row(0, "eth2", "10.2.0.1"),
                row(0, "eth3", "10.3.0.1"),
                row(0, "eth0", "fd00::1"),
                row(0, "eth3", "fd03::1"),
                // eth3's GARPs are not paced: the group sets only gna_interval
                row(0, "eth3", "10.3.0.1"),
                // eth0's NAs are not paced: its group sets only garp_interval
                row(0, "eth0", "fd00::1"),
                row(10, "eth1", "10.1.0.1"),
                row(20, "eth0", "10.0.0.1"),
                // same time: queue order (fd03::1 was queued first)
                row(30, "eth3", "fd03::1"),
                row(30, "eth1", "10.1.0.1"),
                row(50, "eth2", "10.2.0.1"),
            ]
        );
    }

    #[test]
    fn cancel_drops_one_instances_frames_and_keeps_the_pace() {
        let mut p = GarpPacer::with_groups(dur_ms(10), Duration::ZERO, &[]);
        p.burst(ms(0), 0, &[t("eth0", "10.0.0.1")], 3);
        p.burst(ms(0), 1, &[t("eth0", "10.0.0.9")], 1);
        assert_eq!(p.poll(ms(0)).map(|s| s.instance), Some(0));
        p.cancel_instance(0);
        assert_eq!(p.pending(), 1);
        // instance 1 still waits for eth0's interval after instance 0's frame
        assert_eq!(run(&mut p, ms(0)), vec![row(10, "eth0", "10.0.0.9")]);
        // a new burst for the cancelled instance starts afresh
        p.burst(ms(12), 0, &[t("eth0", "10.0.0.1")], 1);
        assert_eq!(run(&mut p, ms(12)), vec![row(20, "eth0", "10.0.0.1")]);
    }

    #[test]
    fn built_from_the_configuration() {
        let text = "global_defs {\n vrrp_garp_interval 0.01\n vrrp_gna_interval 0.02\n}\n\
                    garp_group {\n garp_interval 0.005\n interfaces {\n  eth1\n  eth2\n }\n}\n";
        let mut fs = MemFs::new();
        fs.add("/k.conf", text);
        let host = FakeHost::with_interfaces(&["eth0", "eth1", "eth2"]);
        let loaded = load(&fs, Rc::new(host), "/k.conf", &LoadOptions::default());
        assert!(
            loaded.diags.messages().is_empty(),
            "{:?}",
            loaded.diags.messages()
        );
        let mut p = GarpPacer::new(&loaded.config);
        let targets = [
            t("eth0", "10.0.0.1"),
            t("eth0", "fd00::1"),
            t("eth1", "10.1.0.1"),
            t("eth2", "10.2.0.1"),
        ];
        p.burst(ms(0), 0, &targets, 2);
        assert_eq!(
            run(&mut p, ms(0)),
            vec![
                row(0, "eth0", "10.0.0.1"),
                row(0, "eth0", "fd00::1"),
                row(0, "eth1", "10.1.0.1"),
                // eth1 and eth2 share one 5 ms pace: eth2 waits for eth1
                row(5, "eth2", "10.2.0.1"),
                row(10, "eth0", "10.0.0.1"),
                row(10, "eth1", "10.1.0.1"),
                row(15, "eth2", "10.2.0.1"),
                row(20, "eth0", "fd00::1"),
            ]
        );
    }
}
