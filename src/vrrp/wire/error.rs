//! The one error type of the wire layer.
//!
//! Variants are distinct where keepalived counts or logs the failures
//! differently, so the engine can map each to keepalived's counter
//! (`packet_len_err`, `invalid_type_rcvd`, `invalid_authtype`, …) and log line.

use std::fmt;

/// Why bytes could not be read as a packet, or a repr could not be written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Error {
    /// Fewer bytes than the fixed headers need (keepalived: "IPv4 VRRP
    /// packet too short - %zu bytes", "IPv6 VRRP packet too short", no counter).
    Truncated,
    /// IPv4 version nibble is not 4 (IPv6 header: not 6).
    IpVersion(u8),
    /// IPv4 IHL below 5 (a header shorter than 20 bytes).
    IpHeaderLength(u8),
    /// IPv4 total-length field below the header length or beyond the bytes
    /// held (keepalived: "ip_tot_len mismatch against received length" ->
    /// `packet_len_err`).
    IpTotalLength { total_len: usize, received: usize },
    /// The VRRP message length disagrees with what its address count implies
    /// (keepalived: "vrrp packet too long|short, length %zu and expect %zu"
    /// -> `packet_len_err`). `len`/`expected` count the VRRP message only.
    VrrpLength { len: usize, expected: usize },
    /// VRRP version nibble neither 2 nor 3 (keepalived: "wrong version").
    VrrpVersion(u8),
    /// VRRPv2 auth type not 0, 1 or 2 (keepalived: "Invalid auth type"
    /// -> `invalid_authtype`).
    AuthType(u8),
    /// VRRP type not 1 = advertisement (keepalived: "Invalid packet type"
    /// -> `invalid_type_rcvd`).
    VrrpType(u8),
    /// The VRRP checksum matches none of the accepted forms (keepalived:
    /// "Invalid VRRPv2|VRRPv3 checksum", SNMP `chk_err`).
    Checksum,
    /// A repr that cannot be written: more than 255 addresses, an address of
    /// the other family, an interval out of range, auth on VRRPv3.
    BadRepr(&'static str),
    /// A well-formed packet of a kind these parsers do not handle (ARP for
    /// another hardware/protocol, ICMPv6 other than NA, a malformed option).
    Unsupported(&'static str),
}

/// The wire layer's result.
pub type Result<T> = std::result::Result<T, Error>;

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Error::Truncated => write!(f, "packet too short"),
            Error::IpVersion(v) => write!(f, "IP version {v}"),
            Error::IpHeaderLength(ihl) => write!(f, "IPv4 header length {ihl} words"),
            Error::IpTotalLength {
                total_len,
                received,
            } => {
                write!(
                    f,
                    "ip_tot_len mismatch against received length. {total_len} and received {received}"
                )
            }
            Error::VrrpLength { len, expected } => {
                let which = if len > expected { "long" } else { "short" };
                write!(
                    f,
                    "vrrp packet too {which}, length {len} and expect {expected}"
                )
            }
            Error::VrrpVersion(v) => write!(f, "VRRP version {v}"),
            Error::AuthType(t) => write!(f, "Invalid auth type: {t}"),
            Error::VrrpType(t) => write!(f, "Invalid packet type. {t} and expect 1"),
            Error::Checksum => write!(f, "invalid checksum"),
            Error::BadRepr(why) => write!(f, "cannot emit: {why}"),
            Error::Unsupported(what) => write!(f, "unsupported: {what}"),
        }
    }
}

impl std::error::Error for Error {}
