//! The catalog of log events of the VRRP core, worded as keepalived 2.2.7
//! words them (KEEPALIVED.md §9), so that users' greps and alerts keep
//! working. The core emits events as values; the daemon prints them.
//!
//! Must not: print, or format text anywhere else: every line comes from
//! [`Event::text`].

use std::fmt::Write as _;
use std::net::IpAddr;

/// Whether keepalived prints the line always or only with `-D`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Detail {
    Always,
    /// Only with `-D/--log-detail`.
    Detailed,
}

/// One log event. `name` is the instance (or group) name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    EnteringBackupInit {
        name: String,
    },
    EnteringBackup {
        name: String,
    },
    EnteringMaster {
        name: String,
    },
    EnteringFault {
        name: String,
    },
    EnteringFaultInit {
        name: String,
    },
    ReceiveAdvertTimeout {
        name: String,
    },
    MasterReceivedHigher {
        name: String,
        from: IpAddr,
        prio: u8,
        ours: u8,
    },
    MasterReceivedSameHigherIp {
        name: String,
        from: IpAddr,
        prio: u8,
    },
    ReceivedLowerForcingElection {
        name: String,
        from: IpAddr,
        prio: u8,
        ours: u8,
        no_advert: bool,
    },
    BackupReceivedLower {
        name: String,
        from: IpAddr,
        prio: u8,
    },
    BackupReceivedPriorityZero {
        name: String,
    },
    MasterReceivedPriorityZero {
        name: String,
    },
    EqualPriorityOurIp {
        name: String,
    },
    BothAddressOwners {
        name: String,
    },
    SentPriorityZero {
        name: String,
    },
    SettingVips {
        name: String,
    },
    /// Reload: a MASTER's address that the new configuration no longer has
    /// (keepalived `address_exist`, logged always).
    AddressNoLongerExists {
        name: String,
        addr: IpAddr,
        prefix: u8,
        dev: String,
    },
    RemovingVips {
        name: String,
    },
    SettingEvips {
        name: String,
    },
    RemovingEvips {
        name: String,
    },
    SendingGarps {
        name: String,
        ifname: String,
        addr: IpAddr,
    },
    SendingNas {
        name: String,
        ifname: String,
        addr: IpAddr,
    },
    ChangingEffectivePriority {
        name: String,
        from: u8,
        to: u8,
    },
    AdvertIntervalUpdated {
        name: String,
        from_ms: u32,
        to_ms: u32,
    },
    AdvertIntervalRestored {
        name: String,
        from_ms: u32,
        to_ms: u32,
    },
    StartPreemptDelay {
        name: String,
        delay_us: u64,
    },
    StopPreemptDelay {
        name: String,
    },
    /// A unicast peer uses keepalived ≤ 1.3.6's VRRPv3 checksum; we switch.
    OldUnicastChecksum {
        name: String,
    },
    NetlinkReports {
        ifname: String,
        up: bool,
    },
    ScriptSucceeded {
        script: String,
    },
    ScriptFailed {
        script: String,
        how: String,
    },
    GroupSyncing {
        group: String,
        state: &'static str,
    },
    /// A track script's exit code differs from its previous one (the first
    /// run compares against 0).
    ScriptNowReturning {
        script: String,
        status: i32,
    },
    /// The interval came while the previous run is still going: this run is
    /// skipped (keepalived 2.2.7 logs it and runs anyway; 2.3+ skips).
    /// `timing_out`: the previous run is being killed at its timeout.
    ScriptSkippingRun {
        script: String,
        timing_out: bool,
    },
    /// A timed-out run survived SIGTERM and a first SIGKILL.
    ScriptFailedToTerminate {
        script: String,
        pid: u32,
    },
    /// The timed-out run's process group no longer exists (kill: ESRCH).
    ScriptChildLost {
        script: String,
        pid: u32,
    },
    /// Ours, not keepalived's: why a run was killed. `timeout_s` is the
    /// `timeout` configured in the vrrp_script (`None`: it defaulted to the
    /// interval, `after_s`).
    ScriptTimedOutAfter {
        script: String,
        after_s: u64,
        timeout_s: Option<u64>,
    },
    /// A track_file held a number out of range (strtol overflow or outside
    /// [INT32_MIN, INT32_MAX + 1]); the file's previous value stays.
    TrackFileInvalidNumber {
        value: i64,
        path: String,
    },
    /// `init_file` on a track_file whose path exists but is not a regular file.
    TrackFileNotRegular {
        name: String,
    },
    /// `init_file`: the file could not be written.
    TrackFileInitFailed {
        name: String,
    },
    /// Receive errors (§5.3), rate limited by the daemon.
    InvalidPasswd {
        name: String,
    },
    IntervalMismatch {
        name: String,
        mine_s: u32,
        theirs_s: u32,
    },
    AddressNotPresent {
        name: String,
        vrid: u8,
        addr: IpAddr,
    },
    AddressCountMismatch {
        name: String,
        got: u8,
        expected: u8,
    },
    InvalidTtl {
        name: String,
        got: u8,
        expected: u8,
    },
    InvalidChecksum {
        name: String,
        version: u8,
    },
    WrongVersion {
        name: String,
        got: u8,
        expected: u8,
    },
    InvalidType {
        name: String,
        got: u8,
        expected: u8,
    },
    InvalidAuthType {
        name: String,
        got: u8,
    },
    AuthTypeMismatch {
        name: String,
        got: u8,
        expected: u8,
    },
    PacketTooShortLong {
        name: String,
        long: bool,
        len: usize,
        expected: usize,
    },
    IpTotLenMismatch {
        name: String,
        tot_len: u16,
        received: usize,
    },
    UnicastMismatch {
        name: String,
        expected_unicast: bool,
    },
    UnicastSourceNotPeer {
        name: String,
        from: IpAddr,
    },
    TtlNotInRange {
        name: String,
        ttl: u8,
        min: u8,
        max: u8,
    },
    UnknownVrid {
        vrid: u8,
        ifname: String,
    },
    /// Reload: a script's result carried over (keepalived
    /// `clear_diff_script`).
    ScriptConsideredOnReload {
        script: String,
        ok: bool,
    },
}

impl Event {
    /// A rejected advert (§5.3): whom it is about (the instance, or the
    /// interface for an unknown VRID) and a short name of the error, for the
    /// daemon's rate limit; `None` for every other event.
    pub fn rx_error(&self) -> Option<(&str, &'static str)> {
        use Event::*;
        Some(match self {
            InvalidPasswd { name } => (name, "invalid password"),
            IntervalMismatch { name, .. } => (name, "advert interval mismatch"),
            AddressNotPresent { name, .. } => (name, "address not present"),
            AddressCountMismatch { name, .. } => (name, "address count mismatch"),
            InvalidTtl { name, .. } => (name, "invalid TTL"),
            InvalidChecksum { name, .. } => (name, "invalid checksum"),
            WrongVersion { name, .. } => (name, "wrong version"),
            InvalidType { name, .. } => (name, "invalid type"),
            InvalidAuthType { name, .. } => (name, "invalid auth type"),
            AuthTypeMismatch { name, .. } => (name, "auth type mismatch"),
            PacketTooShortLong { name, .. } => (name, "bad length"),
            IpTotLenMismatch { name, .. } => (name, "IP length mismatch"),
            UnicastMismatch { name, .. } => (name, "unicast/multicast mismatch"),
            UnicastSourceNotPeer { name, .. } => (name, "source not a unicast peer"),
            TtlNotInRange { name, .. } => (name, "TTL out of range"),
            UnknownVrid { ifname, .. } => (ifname, "unknown VRID"),
            _ => return None,
        })
    }

    /// keepalived's level for the line.
    pub fn detail(&self) -> Detail {
        use Event::*;
        match self {
            ReceiveAdvertTimeout { .. }
            | BackupReceivedPriorityZero { .. }
            | MasterReceivedPriorityZero { .. }
            | SentPriorityZero { .. }
            | SettingVips { .. }
            | RemovingVips { .. }
            | SettingEvips { .. }
            | RemovingEvips { .. }
            | SendingGarps { .. }
            | SendingNas { .. }
            | AdvertIntervalUpdated { .. }
            | AdvertIntervalRestored { .. }
            | StartPreemptDelay { .. }
            | StopPreemptDelay { .. } => Detail::Detailed,
            _ => Detail::Always,
        }
    }

    /// The line keepalived 2.2.7 logs for this event.
    pub fn text(&self) -> String {
        use Event::*;
        let mut s = String::new();
        let _ = match self {
            EnteringBackupInit { name } => write!(s, "({name}) Entering BACKUP STATE (init)"),
            EnteringBackup { name } => write!(s, "({name}) Entering BACKUP STATE"),
            EnteringMaster { name } => write!(s, "({name}) Entering MASTER STATE"),
            EnteringFault { name } => write!(s, "({name}) Entering FAULT STATE"),
            EnteringFaultInit { name } => write!(s, "({name}) Entering FAULT STATE (init)"),
            ReceiveAdvertTimeout { name } => write!(s, "({name}) Receive advertisement timeout"),
            MasterReceivedHigher {
                name,
                from,
                prio,
                ours,
            } => {
                write!(
                    s,
                    "({name}) Master received advert from {from} with higher priority {prio}, ours {ours}"
                )
            }
            MasterReceivedSameHigherIp { name, from, prio } => write!(
                s,
                "({name}) Master received advert from {from} with same priority {prio} but higher IP address than ours"
            ),
            ReceivedLowerForcingElection {
                name,
                from,
                prio,
                ours,
                no_advert,
            } => {
                if *no_advert {
                    write!(
                        s,
                        "({name}) Received advert from {from} with lower priority {prio}, ours {ours}"
                    )
                } else {
                    write!(
                        s,
                        "({name}) Received advert from {from} with lower priority {prio}, ours {ours}, forcing new election"
                    )
                }
            }
            BackupReceivedLower { name, from, prio } => {
                write!(
                    s,
                    "({name}) received lower priority ({prio}) advert from {from} - discarding"
                )
            }
            BackupReceivedPriorityZero { name } => {
                write!(s, "({name}) Backup received priority 0 advertisement")
            }
            MasterReceivedPriorityZero { name } => {
                write!(s, "({name}) Master received priority 0 message")
            }
            EqualPriorityOurIp { name } => {
                write!(
                    s,
                    "({name}) WARNING - equal priority advert received from remote host with our IP address."
                )
            }
            BothAddressOwners { name } => write!(
                s,
                "({name}) CONFIGURATION ERROR: local instance and a remote instance are both configured as address owner, please fix - reducing local priority"
            ),
            SentPriorityZero { name } => write!(s, "({name}) sent 0 priority"),
            SettingVips { name } => write!(s, "({name}) setting VIPs."),
            ScriptConsideredOnReload { script, ok } => write!(
                s,
                "VRRP_Script({script}) considered {} on reload",
                if *ok { "successful" } else { "unsuccessful" }
            ),
            AddressNoLongerExists {
                name,
                addr,
                prefix,
                dev,
            } => write!(
                s,
                "({name}) ip address {addr}/{prefix} dev {dev}, no longer exist"
            ),
            RemovingVips { name } => write!(s, "({name}) removing VIPs."),
            SettingEvips { name } => write!(s, "({name}) setting E-VIPs."),
            RemovingEvips { name } => write!(s, "({name}) removing E-VIPs."),
            SendingGarps { name, ifname, addr } => {
                write!(
                    s,
                    "({name}) Sending/queueing gratuitous ARPs on {ifname} for {addr}"
                )
            }
            SendingNas { name, ifname, addr } => {
                write!(
                    s,
                    "({name}) Sending/queueing Unsolicited Neighbour Adverts on {ifname} for {addr}"
                )
            }
            ChangingEffectivePriority { name, from, to } => {
                write!(
                    s,
                    "({name}) Changing effective priority from {from} to {to}"
                )
            }
            AdvertIntervalUpdated {
                name,
                from_ms,
                to_ms,
            } => {
                write!(
                    s,
                    "({name}) advertisement interval updated from {from_ms}ms to {to_ms}ms by master"
                )
            }
            AdvertIntervalRestored {
                name,
                from_ms,
                to_ms,
            } => {
                write!(
                    s,
                    "({name}) changing advert interval from {from_ms}ms to locally configured {to_ms}ms"
                )
            }
            StartPreemptDelay { name, delay_us } => write!(
                s,
                "({name}) start preempt delay ({}.{:06})",
                delay_us / 1_000_000,
                delay_us % 1_000_000
            ),
            StopPreemptDelay { name } => write!(s, "({name}) stop preempt delay"),
            OldUnicastChecksum { name } => {
                write!(s, "({name}) Setting unicast VRRPv3 checksum to old version")
            }
            NetlinkReports { ifname, up } => {
                write!(
                    s,
                    "Netlink reports {ifname} {}",
                    if *up { "up" } else { "down" }
                )
            }
            ScriptSucceeded { script } => write!(s, "VRRP_Script({script}) succeeded"),
            ScriptFailed { script, how } => write!(s, "VRRP_Script({script}) {how}"),
            GroupSyncing { group, state } => {
                write!(s, "VRRP_Group({group}) Syncing instances to {state} state")
            }
            ScriptNowReturning { script, status } => {
                write!(s, "Script `{script}` now returning {status}")
            }
            ScriptSkippingRun { script, timing_out } => write!(
                s,
                "Track script {script} is {}, expect idle - skipping run",
                if *timing_out {
                    "being timed out"
                } else {
                    "already running"
                }
            ),
            ScriptFailedToTerminate { script, pid } => write!(
                s,
                "Script {script} child (PID {pid}) failed to terminate after kill"
            ),
            ScriptChildLost { script, pid } => {
                write!(s, "Script {script} child (PID {pid}) lost")
            }
            ScriptTimedOutAfter {
                script,
                after_s,
                timeout_s: Some(t),
            } => write!(
                s,
                "VRRP_Script({script}) timed out after {after_s} s (timeout {t})"
            ),
            ScriptTimedOutAfter {
                script,
                after_s,
                timeout_s: None,
            } => write!(
                s,
                "VRRP_Script({script}) timed out after {after_s} s (timeout defaults to interval {after_s} s; set `timeout` in vrrp_script to allow longer runs)"
            ),
            TrackFileInvalidNumber { value, path } => {
                write!(s, "Invalid number {value} read from {path} - ignoring")
            }
            TrackFileNotRegular { name } => write!(
                s,
                "Cannot initialise track file {name} - it is not a regular file"
            ),
            TrackFileInitFailed { name } => {
                write!(s, "Unable to initialise track file {name}")
            }
            InvalidPasswd { name } => write!(s, "({name}) received an invalid passwd!"),
            IntervalMismatch {
                name,
                mine_s,
                theirs_s,
            } => {
                write!(
                    s,
                    "({name}) advertisement interval mismatch mine={mine_s} sec rcv'd={theirs_s} sec"
                )
            }
            AddressNotPresent { name, vrid, addr } => {
                write!(
                    s,
                    "({name}) ip address associated with VRID {vrid} not present in MASTER advert: {addr}"
                )
            }
            AddressCountMismatch {
                name,
                got,
                expected,
            } => {
                write!(
                    s,
                    "({name}) received an unexpected ip number count {got}, expected {expected}!"
                )
            }
            InvalidTtl {
                name,
                got,
                expected,
            } => write!(
                s,
                "({name}) invalid TTL/HL. Received {got} and expect {expected}"
            ),
            InvalidChecksum { name, version } => {
                write!(s, "({name}) Invalid VRRPv{version} checksum")
            }
            WrongVersion {
                name,
                got,
                expected,
            } => {
                write!(
                    s,
                    "({name}) wrong version. Received {got} and expect {expected}"
                )
            }
            InvalidType {
                name,
                got,
                expected,
            } => write!(
                s,
                "({name}) Invalid packet type. {got} and expect {expected}"
            ),
            InvalidAuthType { name, got } => write!(s, "({name}) Invalid auth type: {got}"),
            AuthTypeMismatch {
                name,
                got,
                expected,
            } => {
                write!(s, "({name}) received a {got} auth, expecting {expected}!")
            }
            PacketTooShortLong {
                name,
                long,
                len,
                expected,
            } => write!(
                s,
                "({name}) vrrp packet too {}, length {len} and expect {expected}",
                if *long { "long" } else { "short" }
            ),
            IpTotLenMismatch {
                name,
                tot_len,
                received,
            } => {
                write!(
                    s,
                    "({name}) ip_tot_len mismatch against received length. {tot_len} and received {received}"
                )
            }
            UnicastMismatch {
                name,
                expected_unicast,
            } => {
                let (e, r) = if *expected_unicast {
                    ("un", "mult")
                } else {
                    ("mult", "un")
                };
                write!(
                    s,
                    "({name}) Expected {e}icast packet but received {r}icast packet"
                )
            }
            UnicastSourceNotPeer { name, from } => write!(
                s,
                "({name}) unicast source address {from} not a unicast peer"
            ),
            TtlNotInRange {
                name,
                ttl,
                min,
                max,
            } => write!(s, "({name}) TTL/HL {ttl} not in range {min} - {max}"),
            UnknownVrid { vrid, ifname } => write!(
                s,
                "Unknown VRID({vrid}) received on interface({ifname}). ignoring..."
            ),
        };
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("test address")
    }

    #[test]
    fn texts_match_keepalived_evidence() {
        // compat/evidence/log-nodeB-failover-with-D.txt and KEEPALIVED.md §9
        assert_eq!(
            Event::EnteringBackupInit {
                name: "VI_1".into()
            }
            .text(),
            "(VI_1) Entering BACKUP STATE (init)"
        );
        assert_eq!(
            Event::EnteringMaster { name: "F".into() }.text(),
            "(F) Entering MASTER STATE"
        );
        assert_eq!(
            Event::MasterReceivedHigher {
                name: "VI_1".into(),
                from: ip("10.99.0.2"),
                prio: 150,
                ours: 90
            }
            .text(),
            "(VI_1) Master received advert from 10.99.0.2 with higher priority 150, ours 90"
        );
        assert_eq!(
            Event::BackupReceivedLower {
                name: "VI_1".into(),
                from: ip("10.99.0.1"),
                prio: 90
            }
            .text(),
            "(VI_1) received lower priority (90) advert from 10.99.0.1 - discarding"
        );
        assert_eq!(
            Event::ChangingEffectivePriority {
                name: "VI_1".into(),
                from: 150,
                to: 90
            }
            .text(),
            "(VI_1) Changing effective priority from 150 to 90"
        );
        assert_eq!(
            Event::UnicastMismatch {
                name: "U".into(),
                expected_unicast: true
            }
            .text(),
            "(U) Expected unicast packet but received multicast packet"
        );
        assert_eq!(
            Event::ReceiveAdvertTimeout { name: "X".into() }.detail(),
            Detail::Detailed
        );
        assert_eq!(
            Event::EnteringBackup { name: "X".into() }.detail(),
            Detail::Always
        );
    }
}
