//! Per-instance counters: keepalived's `vrrp_stats` (KEEPALIVED.md §5.3,
//! §8.4) plus ours for what keepalived drops silently or only logs.
//!
//! Owns: the counters, clearing them, and the `keepalived.stats` block of an
//! instance. Must not: decide when to count (the receive checks and the
//! state machine do), or write files (io does).

use std::fmt::Write as _;

/// The checksum form a VRRPv3/IPv4 peer used, as found by the receive check.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChecksumForm {
    /// RFC 5798: pseudo header with the packet's real destination.
    PseudoHeader,
    /// keepalived ≤ 1.3.6 unicast: pseudo header with the multicast group as
    /// destination ("(%s) Setting unicast VRRPv3 checksum to old version").
    OldUnicast,
    /// No pseudo header, as VRRPv2 (some vendors' VRRPv3; keepalived HEAD's
    /// `v3_checksum_as_v2`).
    NoPseudoHeader,
}

/// A counter of [`Stats`], for [`Stats::count`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Counter {
    // keepalived's vrrp_stats.
    AdvertRcvd,
    AdvertSent,
    BecomeMaster,
    ReleaseMaster,
    PacketLenErr,
    AdvertIntervalErr,
    IpTtlErr,
    InvalidTypeRcvd,
    AddrListErr,
    InvalidAuthtype,
    AuthtypeMismatch,
    AuthFailure,
    PriZeroRcvd,
    PriZeroSent,
    // keepalived's SNMP-only counters.
    VersionErr,
    ChecksumErr,
    // Ours.
    AdvertIntervalMismatch,
    UnknownVrid,
    NotUnicastPeer,
    IgnoredNotRunning,
}

/// The counters of one instance. Field widths are keepalived's (its `u32`
/// counters wrap at 2^32); [`Stats::count`] increments with wrap-around.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Adverts that passed the checks up to the unicast/multicast one
    /// (§5.3 step 15): "Advertisements: Received".
    pub advert_rcvd: u64,
    /// Adverts sent (priority 0 included): "Advertisements: Sent".
    pub advert_sent: u32,
    /// Transitions to MASTER: "Became master".
    pub become_master: u32,
    /// Transitions out of MASTER: "Released master".
    pub release_master: u32,
    /// Wrong length, or IPv4 total length mismatch: "Packet Errors: Length".
    pub packet_len_err: u64,
    /// Never incremented by keepalived 2.2.7 (a v2 interval mismatch is
    /// dropped uncounted, see `advert_interval_mismatch`): "Advertisement
    /// Interval".
    pub advert_interval_err: u64,
    /// Multicast TTL/hop limit not 255, or unicast TTL outside the peer's
    /// min/max: "Packet Errors: TTL".
    pub ip_ttl_err: u64,
    /// VRRP type not 1 (advertisement): "Packet Errors: Invalid Type".
    pub invalid_type_rcvd: u64,
    /// VIP count or set mismatch, and unicast/multicast destination
    /// mismatch: "Packet Errors: Address List".
    pub addr_list_err: u64,
    /// v2 auth type not 0/1/2: "Authentication Errors: Invalid Type".
    pub invalid_authtype: u32,
    /// Auth type (or AH presence) differs from ours: "Type Mismatch".
    pub authtype_mismatch: u32,
    /// Wrong password or AH ICV: "Authentication Errors: Failure".
    pub auth_failure: u32,
    /// Valid adverts with priority 0: "Priority Zero: Received".
    pub pri_zero_rcvd: u64,
    /// Priority-0 adverts sent: "Priority Zero: Sent".
    pub pri_zero_sent: u64,

    /// Wrong VRRP version ("(%s) wrong version. Received %d and expect %d");
    /// keepalived counts it only for SNMP (`vers_err`).
    pub version_err: u32,
    /// Bad VRRP checksum ("(%s) Invalid VRRPv%d checksum"); keepalived counts
    /// it only for SNMP (`chk_err`).
    pub checksum_err: u32,

    /// v2 advert whose interval differs from ours: dropped with "(%s)
    /// advertisement interval mismatch mine=%u sec rcv'd=%d sec", uncounted
    /// by keepalived.
    pub advert_interval_mismatch: u64,
    /// Adverts for a VRID no instance on the receiving socket has (keepalived
    /// drops them silently; logs them only with `log_unknown_vrids`). The
    /// engine decides which instance's stats carry them.
    pub unknown_vrid: u64,
    /// Unicast advert whose source is not a configured peer, with
    /// `check_unicast_src` ("(%s) unicast source address %s not a unicast
    /// peer"), uncounted by keepalived.
    pub not_unicast_peer: u64,
    /// Adverts that arrived while the instance was in FAULT or INIT,
    /// silently ignored by keepalived.
    pub ignored_not_running: u64,
    /// VRRPv3/IPv4 adverts accepted per checksum form.
    pub csum_pseudo_header: u64,
    pub csum_old_unicast: u64,
    pub csum_no_pseudo_header: u64,
    /// The checksum form of the last accepted VRRPv3/IPv4 advert.
    pub last_checksum_form: Option<ChecksumForm>,
}

impl Stats {
    /// All counters zero.
    pub fn new() -> Self {
        Stats::default()
    }

    /// Zero everything (keepalived clears the whole `vrrp_stats` after
    /// writing the file when asked to clear).
    pub fn clear(&mut self) {
        *self = Stats::default();
    }

    /// Add one to `counter`, wrapping like keepalived's fixed-width counters.
    pub fn count(&mut self, counter: Counter) {
        fn inc32(c: &mut u32) {
            *c = c.wrapping_add(1);
        }
        fn inc64(c: &mut u64) {
            *c = c.wrapping_add(1);
        }
        match counter {
            Counter::AdvertRcvd => inc64(&mut self.advert_rcvd),
            Counter::AdvertSent => inc32(&mut self.advert_sent),
            Counter::BecomeMaster => inc32(&mut self.become_master),
            Counter::ReleaseMaster => inc32(&mut self.release_master),
            Counter::PacketLenErr => inc64(&mut self.packet_len_err),
            Counter::AdvertIntervalErr => inc64(&mut self.advert_interval_err),
            Counter::IpTtlErr => inc64(&mut self.ip_ttl_err),
            Counter::InvalidTypeRcvd => inc64(&mut self.invalid_type_rcvd),
            Counter::AddrListErr => inc64(&mut self.addr_list_err),
            Counter::InvalidAuthtype => inc32(&mut self.invalid_authtype),
            Counter::AuthtypeMismatch => inc32(&mut self.authtype_mismatch),
            Counter::AuthFailure => inc32(&mut self.auth_failure),
            Counter::PriZeroRcvd => inc64(&mut self.pri_zero_rcvd),
            Counter::PriZeroSent => inc64(&mut self.pri_zero_sent),
            Counter::VersionErr => inc32(&mut self.version_err),
            Counter::ChecksumErr => inc32(&mut self.checksum_err),
            Counter::AdvertIntervalMismatch => inc64(&mut self.advert_interval_mismatch),
            Counter::UnknownVrid => inc64(&mut self.unknown_vrid),
            Counter::NotUnicastPeer => inc64(&mut self.not_unicast_peer),
            Counter::IgnoredNotRunning => inc64(&mut self.ignored_not_running),
        }
    }

    /// The value of `counter`.
    pub fn get(&self, counter: Counter) -> u64 {
        match counter {
            Counter::AdvertRcvd => self.advert_rcvd,
            Counter::AdvertSent => self.advert_sent.into(),
            Counter::BecomeMaster => self.become_master.into(),
            Counter::ReleaseMaster => self.release_master.into(),
            Counter::PacketLenErr => self.packet_len_err,
            Counter::AdvertIntervalErr => self.advert_interval_err,
            Counter::IpTtlErr => self.ip_ttl_err,
            Counter::InvalidTypeRcvd => self.invalid_type_rcvd,
            Counter::AddrListErr => self.addr_list_err,
            Counter::InvalidAuthtype => self.invalid_authtype.into(),
            Counter::AuthtypeMismatch => self.authtype_mismatch.into(),
            Counter::AuthFailure => self.auth_failure.into(),
            Counter::PriZeroRcvd => self.pri_zero_rcvd,
            Counter::PriZeroSent => self.pri_zero_sent,
            Counter::VersionErr => self.version_err.into(),
            Counter::ChecksumErr => self.checksum_err.into(),
            Counter::AdvertIntervalMismatch => self.advert_interval_mismatch,
            Counter::UnknownVrid => self.unknown_vrid,
            Counter::NotUnicastPeer => self.not_unicast_peer,
            Counter::IgnoredNotRunning => self.ignored_not_running,
        }
    }

    /// Count an accepted VRRPv3/IPv4 advert's checksum form.
    pub fn record_checksum_form(&mut self, form: ChecksumForm) {
        let c = match form {
            ChecksumForm::PseudoHeader => &mut self.csum_pseudo_header,
            ChecksumForm::OldUnicast => &mut self.csum_old_unicast,
            ChecksumForm::NoPseudoHeader => &mut self.csum_no_pseudo_header,
        };
        *c = c.wrapping_add(1);
        self.last_checksum_form = Some(form);
    }

    /// Append this instance's block of `keepalived.stats`, exactly as
    /// keepalived 2.2.7 writes it (`vrrp_print_stats`; KEEPALIVED.md §8.4).
    /// Our extra counters are not part of it.
    pub fn write_keepalived_stats(&self, name: &str, out: &mut String) {
        // Writing to a String cannot fail.
        let _ = write!(
            out,
            "VRRP Instance: {name}\n\
             \x20 Advertisements:\n\
             \x20   Received: {}\n\
             \x20   Sent: {}\n\
             \x20 Became master: {}\n\
             \x20 Released master: {}\n\
             \x20 Packet Errors:\n\
             \x20   Length: {}\n\
             \x20   TTL: {}\n\
             \x20   Invalid Type: {}\n\
             \x20   Advertisement Interval: {}\n\
             \x20   Address List: {}\n\
             \x20 Authentication Errors:\n\
             \x20   Invalid Type: {}\n\
             \x20   Type Mismatch: {}\n\
             \x20   Failure: {}\n\
             \x20 Priority Zero:\n\
             \x20   Received: {}\n\
             \x20   Sent: {}\n",
            self.advert_rcvd,
            self.advert_sent,
            self.become_master,
            self.release_master,
            self.packet_len_err,
            self.ip_ttl_err,
            self.invalid_type_rcvd,
            self.advert_interval_err,
            self.addr_list_err,
            self.invalid_authtype,
            self.authtype_mismatch,
            self.auth_failure,
            self.pri_zero_rcvd,
            self.pri_zero_sent,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// /work/shared/compat/evidence/keepalived.stats.txt, byte for byte
    /// (keepalived 2.2.7, instance "U": one advert sent, master once, three
    /// wrong passwords received).
    const EVIDENCE: &str = "\
VRRP Instance: U
  Advertisements:
    Received: 0
    Sent: 1
  Became master: 1
  Released master: 0
  Packet Errors:
    Length: 0
    TTL: 0
    Invalid Type: 0
    Advertisement Interval: 0
    Address List: 0
  Authentication Errors:
    Invalid Type: 0
    Type Mismatch: 0
    Failure: 3
  Priority Zero:
    Received: 0
    Sent: 0
";

    #[test]
    fn matches_keepalived_byte_for_byte() {
        let mut s = Stats::new();
        s.count(Counter::AdvertSent);
        s.count(Counter::BecomeMaster);
        for _ in 0..3 {
            s.count(Counter::AuthFailure);
        }
        // Our counters do not show in keepalived's layout.
        s.count(Counter::UnknownVrid);
        s.count(Counter::VersionErr);
        s.record_checksum_form(ChecksumForm::PseudoHeader);
        let mut out = String::new();
        s.write_keepalived_stats("U", &mut out);
        assert_eq!(out, EVIDENCE);
    }

    #[test]
    fn each_counter_lands_on_its_line() {
        let keepalived = [
            (Counter::AdvertRcvd, 1usize),
            (Counter::AdvertSent, 2),
            (Counter::BecomeMaster, 3),
            (Counter::ReleaseMaster, 4),
            (Counter::PacketLenErr, 6),
            (Counter::IpTtlErr, 7),
            (Counter::InvalidTypeRcvd, 8),
            (Counter::AdvertIntervalErr, 9),
            (Counter::AddrListErr, 10),
            (Counter::InvalidAuthtype, 12),
            (Counter::AuthtypeMismatch, 13),
            (Counter::AuthFailure, 14),
            (Counter::PriZeroRcvd, 16),
            (Counter::PriZeroSent, 17),
        ];
        for (i, &(c, line)) in keepalived.iter().enumerate() {
            let mut s = Stats::new();
            for _ in 0..=i + 10 {
                s.count(c);
            }
            assert_eq!(s.get(c), (i + 11) as u64);
            let mut out = String::new();
            s.write_keepalived_stats("VI_1", &mut out);
            let lines: Vec<&str> = out.lines().collect();
            assert_eq!(lines.len(), 19);
            for (n, l) in lines.iter().enumerate().skip(1) {
                let has = l.ends_with(&format!(": {}", i + 11));
                assert_eq!(has, n == line + 1, "{c:?} line {n}: {l}");
            }
        }
    }

    #[test]
    fn blocks_append() {
        let s = Stats::new();
        let mut out = String::new();
        s.write_keepalived_stats("A", &mut out);
        s.write_keepalived_stats("B", &mut out);
        assert_eq!(out.matches("VRRP Instance: ").count(), 2);
        assert!(out.contains("\nVRRP Instance: B\n"));
    }

    #[test]
    fn clear_zeroes_everything() {
        let mut s = Stats::new();
        s.count(Counter::AdvertRcvd);
        s.count(Counter::ChecksumErr);
        s.count(Counter::IgnoredNotRunning);
        s.record_checksum_form(ChecksumForm::OldUnicast);
        assert_eq!(s.csum_old_unicast, 1);
        assert_eq!(s.last_checksum_form, Some(ChecksumForm::OldUnicast));
        s.clear();
        assert_eq!(s, Stats::default());
    }

    #[test]
    fn u32_counters_wrap_like_keepalived() {
        let mut s = Stats {
            advert_sent: u32::MAX,
            advert_rcvd: u64::from(u32::MAX),
            ..Stats::default()
        };
        s.count(Counter::AdvertSent);
        s.count(Counter::AdvertRcvd);
        assert_eq!(s.advert_sent, 0);
        assert_eq!(s.advert_rcvd, 1 << 32);
    }
}
