//! The VRRP message (RFC 3768 §5 for v2, RFC 5798 §5 for v3) as keepalived
//! 2.2.7 writes and checks it: view, repr, checksums. No IP framing, no
//! configuration, no state.
//!
//! Layout (KEEPALIVED.md §5.2): byte 0 version<<4 | type, 1 VRID, 2 priority,
//! 3 address count; v2: 4 auth type, 5 advert interval in seconds; v3: 4 bits
//! reserved + 12-bit max advert interval in centiseconds; 6-7 checksum; the
//! addresses; then, for v2 over IPv4 only, 8 bytes of auth data (always
//! there, zeros for auth none; keepalived's expected length always counts
//! them). keepalived also sends v2 over IPv6 when not in strict mode: v2
//! header fields, no auth data, IPv6 checksum.
//!
//! Checksums ([`ChecksumForm`]): v2/IPv4 over the message with its 8 auth
//! bytes, no pseudo header; v3/IPv4 over the IPv4 pseudo header (src, the real
//! dst: group or unicast peer, 0, 112, VRRP length) + message; IPv6 (v3, and
//! v2) over the IPv6 pseudo header (the kernel's `IPV6_CHECKSUM`, offset 6).
//! [`VrrpRepr::parse`] also accepts two v3/IPv4 variants and says which
//! matched: the pseudo header with dst 224.0.0.18 on a unicast packet
//! (keepalived <= 1.3.6; 2.2.7 detects it and logs "(%s) Setting unicast
//! VRRPv3 checksum to old version") and no pseudo header at all (keepalived
//! 2.2.8's `v3_checksum_as_v2`, Cisco interop).
//!
//! Receiving and sending whole adverts (IP framing, keepalived's check
//! order) is in [`super::advert`].

use super::checksum;
use super::{Error, Result};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::ops::Range;

/// IP protocol number of VRRP.
pub const PROTOCOL_VRRP: u8 = 112;
/// IP protocol number of IPsec AH (keepalived's `auth_type AH`).
pub const PROTOCOL_AH: u8 = 51;
/// The IPv4 group, 224.0.0.18.
pub const MCAST_GROUP_V4: Ipv4Addr = Ipv4Addr::new(224, 0, 0, 18);
/// The IPv6 group, ff02::12.
pub const MCAST_GROUP_V6: Ipv6Addr = Ipv6Addr::new(0xff02, 0, 0, 0, 0, 0, 0, 0x12);
/// TTL / hop limit of every advert (RFC 3768 §5.2.3, RFC 5798 §5.1.1.3).
pub const TTL: u8 = 255;
/// The fixed VRRP header.
pub const HEADER_LEN: usize = field::ADDRESSES.start;
/// The v2 authentication data (RFC 3768 §5.3.10).
pub const AUTH_DATA_LEN: usize = 8;
/// keepalived's AH header (`ipsec_ah_t`): next header, payload length,
/// reserved, SPI, sequence number, 96-bit ICV.
pub const AH_HEADER_LEN: usize = 24;
/// VRRP type of an advertisement (the only type).
pub const TYPE_ADVERTISEMENT: u8 = 1;

/// The address family a VRRP message's addresses (and pseudo header) use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Family {
    Ipv4,
    Ipv6,
}

impl Family {
    /// 4 or 16.
    pub const fn addr_len(self) -> usize {
        match self {
            Family::Ipv4 => 4,
            Family::Ipv6 => 16,
        }
    }

    pub fn of(addr: &IpAddr) -> Family {
        match addr {
            IpAddr::V4(_) => Family::Ipv4,
            IpAddr::V6(_) => Family::Ipv6,
        }
    }
}

/// The VRRP version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Version {
    /// RFC 3768: interval in seconds, authentication fields.
    V2,
    /// RFC 5798: interval in centiseconds, no authentication.
    V3,
}

impl Version {
    pub const fn number(self) -> u8 {
        match self {
            Version::V2 => 2,
            Version::V3 => 3,
        }
    }

    pub const fn from_number(n: u8) -> Option<Version> {
        match n {
            2 => Some(Version::V2),
            3 => Some(Version::V3),
            _ => None,
        }
    }
}

/// The VRRP packet type; advertisement is the only one defined.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Advertisement,
}

/// The v2 auth type (RFC 3768 §5.3.6; type 1 was dropped by the RFC but
/// keepalived still speaks it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuthType {
    None = 0,
    /// `auth_type PASS`: the password in clear in the auth data.
    Pass = 1,
    /// `auth_type AH`: IPsec AH header before the VRRP message.
    Ah = 2,
}

impl AuthType {
    pub const fn from_number(n: u8) -> Option<AuthType> {
        match n {
            0 => Some(AuthType::None),
            1 => Some(AuthType::Pass),
            2 => Some(AuthType::Ah),
            _ => None,
        }
    }
}

/// VRRPv2 authentication: the type and the 8 auth-data bytes after the
/// addresses (sent with IPv4 only; zeros unless PASS).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Auth {
    pub kind: AuthType,
    pub data: [u8; AUTH_DATA_LEN],
}

impl Auth {
    /// No authentication, 8 zero bytes (also the only value for VRRPv3).
    pub const NONE: Auth = Auth {
        kind: AuthType::None,
        data: [0; AUTH_DATA_LEN],
    };

    /// `auth_type PASS` with `password` truncated or zero-padded to 8 bytes
    /// (keepalived: `auth_pass` keeps at most 8 characters).
    pub fn pass(password: &[u8]) -> Auth {
        let mut data = [0; AUTH_DATA_LEN];
        let n = password.len().min(AUTH_DATA_LEN);
        data[..n].copy_from_slice(&password[..n]);
        Auth {
            kind: AuthType::Pass,
            data,
        }
    }
}

/// Which checksum a message carries (parse) or gets (emit).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChecksumForm {
    /// What keepalived 2.2.7 writes: v2/IPv4 over the message alone
    /// (RFC 3768 §5.3.8); v3/IPv4 with the IPv4 pseudo header and the real
    /// destination (RFC 5798 §5.2.8); IPv6 (v3 or v2) with the IPv6 pseudo
    /// header.
    Standard,
    /// v3/IPv4 with the pseudo-header destination 224.0.0.18 whatever the
    /// real one: unicast adverts of keepalived <= 1.3.6 (2.2.7:
    /// `old_unicast_checksum`, auto-detected). Same as `Standard` elsewhere.
    OldUnicast,
    /// v3/IPv4 without a pseudo header, like v2 (keepalived 2.2.8+
    /// `v3_checksum_as_v2`, Cisco). Same as `Standard` elsewhere.
    NoPseudoHeader,
}

/// The source and destination a checksum's pseudo header uses; also fixes
/// the family of the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PseudoHeader {
    V4 { src: Ipv4Addr, dst: Ipv4Addr },
    V6 { src: Ipv6Addr, dst: Ipv6Addr },
}

impl PseudoHeader {
    /// `None` when the two addresses are of different families.
    pub fn new(src: IpAddr, dst: IpAddr) -> Option<PseudoHeader> {
        match (src, dst) {
            (IpAddr::V4(src), IpAddr::V4(dst)) => Some(PseudoHeader::V4 { src, dst }),
            (IpAddr::V6(src), IpAddr::V6(dst)) => Some(PseudoHeader::V6 { src, dst }),
            _ => None,
        }
    }

    pub fn family(&self) -> Family {
        match self {
            PseudoHeader::V4 { .. } => Family::Ipv4,
            PseudoHeader::V6 { .. } => Family::Ipv6,
        }
    }

    pub fn src(&self) -> IpAddr {
        match *self {
            PseudoHeader::V4 { src, .. } => src.into(),
            PseudoHeader::V6 { src, .. } => src.into(),
        }
    }

    pub fn dst(&self) -> IpAddr {
        match *self {
            PseudoHeader::V4 { dst, .. } => dst.into(),
            PseudoHeader::V6 { dst, .. } => dst.into(),
        }
    }
}

mod field {
    use std::ops::{Range, RangeFrom};
    pub const VER_TYPE: usize = 0;
    pub const VRID: usize = 1;
    pub const PRIORITY: usize = 2;
    pub const COUNT: usize = 3;
    /// v2: auth type.
    pub const AUTH_TYPE: usize = 4;
    /// v2: advert interval, seconds.
    pub const ADVER_INT: usize = 5;
    /// v3: 4 reserved bits + max advert interval, centiseconds.
    pub const MAX_ADVER_INT: Range<usize> = 4..6;
    pub const CHECKSUM: Range<usize> = 6..8;
    pub const ADDRESSES: RangeFrom<usize> = 8..;
}

/// A read/write view of a VRRP message.
#[derive(Debug, Clone)]
pub struct VrrpPacket<T: AsRef<[u8]>> {
    buffer: T,
}

impl<T: AsRef<[u8]>> VrrpPacket<T> {
    /// A view without checks: fixed-field accessors panic on fewer than 8
    /// bytes; address and auth accessors never panic.
    pub const fn new_unchecked(buffer: T) -> VrrpPacket<T> {
        VrrpPacket { buffer }
    }

    /// A view whose length is exactly what its address count and version
    /// imply for `family` (see [`check_len`](Self::check_len)).
    pub fn new_checked(buffer: T, family: Family) -> Result<VrrpPacket<T>> {
        let packet = Self::new_unchecked(buffer);
        packet.check_len(family)?;
        Ok(packet)
    }

    /// [`Error::Truncated`] below 8 bytes; [`Error::VrrpLength`] unless the
    /// length is 8 + count × address size, + 8 for version 2 over IPv4
    /// (keepalived's `expected_vrrp_pkt_len`: any version other than 2 is
    /// counted without auth data).
    pub fn check_len(&self, family: Family) -> Result<()> {
        let len = self.buffer.as_ref().len();
        if len < HEADER_LEN {
            return Err(Error::Truncated);
        }
        let expected = self.expected_len(family);
        if len != expected {
            return Err(Error::VrrpLength { len, expected });
        }
        Ok(())
    }

    /// The message length the header implies for `family`.
    pub fn expected_len(&self, family: Family) -> usize {
        let auth = if family == Family::Ipv4 && self.version() == 2 {
            AUTH_DATA_LEN
        } else {
            0
        };
        HEADER_LEN + usize::from(self.addr_count()) * family.addr_len() + auth
    }

    /// Checks the fields keepalived checks regardless of configuration, in
    /// its order: version 2 or 3 ([`Error::VrrpVersion`]), v2 auth type
    /// 0/1/2 ([`Error::AuthType`]), type 1 ([`Error::VrrpType`]).
    pub fn check_fields(&self) -> Result<()> {
        let version =
            Version::from_number(self.version()).ok_or(Error::VrrpVersion(self.version()))?;
        if version == Version::V2 && AuthType::from_number(self.auth_type()).is_none() {
            return Err(Error::AuthType(self.auth_type()));
        }
        if self.kind() != TYPE_ADVERTISEMENT {
            return Err(Error::VrrpType(self.kind()));
        }
        Ok(())
    }

    pub fn into_inner(self) -> T {
        self.buffer
    }

    /// The version nibble as is.
    pub fn version(&self) -> u8 {
        self.buffer.as_ref()[field::VER_TYPE] >> 4
    }
    /// The type nibble as is (1 = advertisement).
    pub fn kind(&self) -> u8 {
        self.buffer.as_ref()[field::VER_TYPE] & 0x0f
    }
    pub fn vrid(&self) -> u8 {
        self.buffer.as_ref()[field::VRID]
    }
    pub fn priority(&self) -> u8 {
        self.buffer.as_ref()[field::PRIORITY]
    }
    pub fn addr_count(&self) -> u8 {
        self.buffer.as_ref()[field::COUNT]
    }
    /// v2: the auth type byte.
    pub fn auth_type(&self) -> u8 {
        self.buffer.as_ref()[field::AUTH_TYPE]
    }
    /// v2: the advert interval byte, seconds.
    pub fn adver_int(&self) -> u8 {
        self.buffer.as_ref()[field::ADVER_INT]
    }
    /// v3: the 12-bit max advert interval, centiseconds.
    pub fn max_adver_int(&self) -> u16 {
        let b = &self.buffer.as_ref()[field::MAX_ADVER_INT];
        u16::from_be_bytes([b[0], b[1]]) & 0x0fff
    }
    /// v3: the 4 reserved bits (ignored on receipt, RFC 5798 §5.2.5).
    pub fn reserved(&self) -> u8 {
        self.buffer.as_ref()[field::MAX_ADVER_INT.start] >> 4
    }
    pub fn checksum(&self) -> u16 {
        let b = &self.buffer.as_ref()[field::CHECKSUM];
        u16::from_be_bytes([b[0], b[1]])
    }

    /// The byte range of the address list the count announces, clamped to
    /// the buffer.
    fn addresses_range(&self, family: Family) -> Range<usize> {
        let len = self.buffer.as_ref().len();
        let start = HEADER_LEN.min(len);
        let end = HEADER_LEN
            .saturating_add(usize::from(self.addr_count()) * family.addr_len())
            .min(len);
        start..end
    }

    /// The addresses, read as `family` (those the buffer holds).
    pub fn addresses(&self, family: Family) -> impl Iterator<Item = IpAddr> + '_ {
        let bytes = &self.buffer.as_ref()[self.addresses_range(family)];
        bytes.chunks_exact(family.addr_len()).map(|c| match *c {
            [a, b, c, d] => IpAddr::V4(Ipv4Addr::new(a, b, c, d)),
            _ => {
                let mut o = [0u8; 16];
                o.copy_from_slice(c);
                IpAddr::V6(Ipv6Addr::from(o))
            }
        })
    }

    /// v2/IPv4: the 8 auth-data bytes after the addresses (keepalived reads
    /// the password from the last 8 bytes of the packet); `None` if absent.
    pub fn auth_data(&self, family: Family) -> Option<[u8; AUTH_DATA_LEN]> {
        let start = HEADER_LEN + usize::from(self.addr_count()) * family.addr_len();
        let bytes = self.buffer.as_ref().get(start..start + AUTH_DATA_LEN)?;
        bytes.try_into().ok()
    }

    /// The one's-complement sum a checksum of `form` covers, checksum field
    /// included. Forms that do not apply fall back to `Standard`.
    fn covered_sum(&self, form: ChecksumForm, ph: &PseudoHeader) -> u16 {
        let msg = self.buffer.as_ref();
        let body = checksum::data(msg);
        let len = msg.len();
        let pseudo = match (*ph, form, self.version()) {
            (PseudoHeader::V6 { src, dst }, _, _) => checksum::pseudo_header_v6(
                &src,
                &dst,
                PROTOCOL_VRRP,
                u32::try_from(len).unwrap_or(u32::MAX),
            ),
            (PseudoHeader::V4 { .. }, _, 2)
            | (PseudoHeader::V4 { .. }, ChecksumForm::NoPseudoHeader, _) => 0,
            (PseudoHeader::V4 { src, dst }, form, _) => {
                let dst = if form == ChecksumForm::OldUnicast {
                    MCAST_GROUP_V4
                } else {
                    dst
                };
                checksum::pseudo_header_v4(
                    src,
                    dst,
                    PROTOCOL_VRRP,
                    u16::try_from(len).unwrap_or(u16::MAX),
                )
            }
        };
        checksum::combine(&[pseudo, body])
    }

    /// True when the checksum is right in `form`.
    pub fn checksum_matches(&self, form: ChecksumForm, ph: &PseudoHeader) -> bool {
        checksum::is_valid(self.covered_sum(form, ph))
    }

    /// The first form whose checksum is right: `Standard`, then for v3 over
    /// IPv4 `OldUnicast` (when the destination is not 224.0.0.18) and
    /// `NoPseudoHeader`.
    pub fn verify_checksum(&self, ph: &PseudoHeader) -> Option<ChecksumForm> {
        if self.checksum_matches(ChecksumForm::Standard, ph) {
            return Some(ChecksumForm::Standard);
        }
        if let PseudoHeader::V4 { dst, .. } = ph {
            if self.version() != 2 {
                if *dst != MCAST_GROUP_V4 && self.checksum_matches(ChecksumForm::OldUnicast, ph) {
                    return Some(ChecksumForm::OldUnicast);
                }
                if self.checksum_matches(ChecksumForm::NoPseudoHeader, ph) {
                    return Some(ChecksumForm::NoPseudoHeader);
                }
            }
        }
        None
    }
}

impl<T: AsRef<[u8]> + AsMut<[u8]>> VrrpPacket<T> {
    /// Sets byte 0 from the version and type nibbles.
    pub fn set_version_kind(&mut self, version: u8, kind: u8) {
        self.buffer.as_mut()[field::VER_TYPE] = (version << 4) | (kind & 0x0f);
    }
    pub fn set_vrid(&mut self, v: u8) {
        self.buffer.as_mut()[field::VRID] = v;
    }
    /// Sets the priority byte, leaving the checksum alone (see
    /// [`update_priority`](Self::update_priority)).
    pub fn set_priority(&mut self, v: u8) {
        self.buffer.as_mut()[field::PRIORITY] = v;
    }
    pub fn set_addr_count(&mut self, v: u8) {
        self.buffer.as_mut()[field::COUNT] = v;
    }
    /// v2.
    pub fn set_auth_type(&mut self, v: u8) {
        self.buffer.as_mut()[field::AUTH_TYPE] = v;
    }
    /// v2.
    pub fn set_adver_int(&mut self, secs: u8) {
        self.buffer.as_mut()[field::ADVER_INT] = secs;
    }
    /// v3: writes the 12-bit interval with the reserved bits 0.
    pub fn set_max_adver_int(&mut self, centis: u16) {
        self.buffer.as_mut()[field::MAX_ADVER_INT]
            .copy_from_slice(&(centis & 0x0fff).to_be_bytes());
    }
    pub fn set_checksum(&mut self, v: u16) {
        self.buffer.as_mut()[field::CHECKSUM].copy_from_slice(&v.to_be_bytes());
    }

    /// Writes `addr` in slot `index` (0-based) of the list, slots being the
    /// size of `addr`'s family; a slot past the buffer is not written.
    pub fn set_address(&mut self, index: usize, addr: &IpAddr) {
        let (bytes, n): ([u8; 16], usize) = match addr {
            IpAddr::V4(a) => {
                let mut o = [0; 16];
                o[..4].copy_from_slice(&a.octets());
                (o, 4)
            }
            IpAddr::V6(a) => (a.octets(), 16),
        };
        let start = HEADER_LEN + index * n;
        if let Some(slot) = self.buffer.as_mut().get_mut(start..start + n) {
            slot.copy_from_slice(&bytes[..n]);
        }
    }

    /// v2/IPv4: writes the 8 auth-data bytes after `addr_count` IPv4
    /// addresses, if the buffer holds them.
    pub fn set_auth_data(&mut self, data: &[u8; AUTH_DATA_LEN]) {
        let start = HEADER_LEN + usize::from(self.addr_count()) * 4;
        if let Some(slot) = self.buffer.as_mut().get_mut(start..start + AUTH_DATA_LEN) {
            slot.copy_from_slice(data);
        }
    }

    /// Computes and writes the checksum in `form` over the whole buffer.
    pub fn fill_checksum(&mut self, form: ChecksumForm, ph: &PseudoHeader) {
        self.set_checksum(0);
        let sum = self.covered_sum(form, ph);
        self.set_checksum(!sum);
    }

    /// Changes the priority and patches the checksum incrementally (RFC
    /// 1624), as keepalived does before each advert (`vrrp_update_pkt`): the
    /// same bytes as a full recompute for any form, since the pseudo header
    /// does not hold the priority.
    pub fn update_priority(&mut self, priority: u8) {
        let b = self.buffer.as_ref();
        let old_word = u16::from_be_bytes([b[field::PRIORITY], b[field::COUNT]]);
        let new_word = u16::from_be_bytes([priority, b[field::COUNT]]);
        let sum = checksum::update_u16(self.checksum(), old_word, new_word);
        self.set_priority(priority);
        self.set_checksum(sum);
    }
}

/// A VRRP advertisement.
///
/// Valid when [`check`](Self::check) passes for its family: at most 255
/// addresses, all of that family; v2 interval in seconds (0..=255), v3 in
/// centiseconds (0..=4095); v3 with [`Auth::NONE`]; v2 over IPv6 with zero
/// auth data (it is not sent). [`parse`](Self::parse) only makes valid ones.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct VrrpRepr {
    pub version: Version,
    pub kind: Kind,
    pub vrid: u8,
    pub priority: u8,
    /// v2: seconds; v3: centiseconds.
    pub interval: u16,
    /// v2 only; [`Auth::NONE`] for v3.
    pub auth: Auth,
    pub addresses: Vec<IpAddr>,
}

impl VrrpRepr {
    /// Reads a message sent from `ph`'s source to its destination: length
    /// ([`Error::VrrpLength`]), then [`VrrpPacket::check_fields`], then the
    /// checksum in any accepted form ([`Error::Checksum`]). Returns the form
    /// that matched. Never panics.
    pub fn parse<T: AsRef<[u8]>>(
        packet: &VrrpPacket<T>,
        ph: &PseudoHeader,
    ) -> Result<(VrrpRepr, ChecksumForm)> {
        let family = ph.family();
        packet.check_len(family)?;
        packet.check_fields()?;
        let form = packet.verify_checksum(ph).ok_or(Error::Checksum)?;
        Ok((Self::read(packet, family), form))
    }

    /// Builds the repr from a packet that passed the length and field checks.
    pub(super) fn read<T: AsRef<[u8]>>(packet: &VrrpPacket<T>, family: Family) -> VrrpRepr {
        let (version, interval, auth) = match Version::from_number(packet.version()) {
            Some(Version::V2) => {
                let kind = AuthType::from_number(packet.auth_type()).unwrap_or(AuthType::None);
                let data = packet
                    .auth_data(family)
                    .filter(|_| family == Family::Ipv4)
                    .unwrap_or_default();
                (
                    Version::V2,
                    u16::from(packet.adver_int()),
                    Auth { kind, data },
                )
            }
            _ => (Version::V3, packet.max_adver_int(), Auth::NONE),
        };
        VrrpRepr {
            version,
            kind: Kind::Advertisement,
            vrid: packet.vrid(),
            priority: packet.priority(),
            interval,
            auth,
            addresses: packet.addresses(family).collect(),
        }
    }

    /// Why this repr cannot be written for `family`, if it cannot.
    pub fn check(&self, family: Family) -> Result<()> {
        if self.addresses.len() > 255 {
            return Err(Error::BadRepr("more than 255 addresses"));
        }
        if self.addresses.iter().any(|a| Family::of(a) != family) {
            return Err(Error::BadRepr("address of the other family"));
        }
        match self.version {
            Version::V2 if self.interval > 255 => {
                Err(Error::BadRepr("VRRPv2 interval above 255 s"))
            }
            Version::V3 if self.interval > 0x0fff => {
                Err(Error::BadRepr("VRRPv3 interval above 4095 cs"))
            }
            Version::V3 if self.auth != Auth::NONE => {
                Err(Error::BadRepr("VRRPv3 has no authentication"))
            }
            Version::V2 if family == Family::Ipv6 && self.auth.data != [0; AUTH_DATA_LEN] => {
                Err(Error::BadRepr("VRRPv2 over IPv6 carries no auth data"))
            }
            _ => Ok(()),
        }
    }

    /// The number of addresses written (at most 255).
    fn count(&self) -> u8 {
        u8::try_from(self.addresses.len()).unwrap_or(u8::MAX)
    }

    /// The message length for `family`: 8 + n × (4 | 16), + 8 for v2/IPv4.
    pub fn buffer_len(&self, family: Family) -> usize {
        let auth = if family == Family::Ipv4 && self.version == Version::V2 {
            AUTH_DATA_LEN
        } else {
            0
        };
        HEADER_LEN + usize::from(self.count()) * family.addr_len() + auth
    }

    /// The advert interval in microseconds (keepalived's TIMER_HZ units).
    pub fn interval_micros(&self) -> u64 {
        match self.version {
            Version::V2 => u64::from(self.interval) * 1_000_000,
            Version::V3 => u64::from(self.interval) * 10_000,
        }
    }

    /// Writes the message for `ph` (its family picks the address size) with
    /// the checksum in `form`. The packet's buffer must be exactly
    /// [`buffer_len`](Self::buffer_len) bytes (the checksum covers all of
    /// it). An unchecked repr writes at most 255 addresses, skips those of
    /// the other family and truncates the interval; it never panics on a
    /// buffer of the right length.
    pub fn emit<T: AsRef<[u8]> + AsMut<[u8]>>(
        &self,
        packet: &mut VrrpPacket<T>,
        ph: &PseudoHeader,
        form: ChecksumForm,
    ) {
        let family = ph.family();
        packet.set_version_kind(self.version.number(), TYPE_ADVERTISEMENT);
        packet.set_vrid(self.vrid);
        packet.set_priority(self.priority);
        packet.set_addr_count(self.count());
        match self.version {
            Version::V2 => {
                packet.set_auth_type(self.auth.kind as u8);
                packet.set_adver_int(u8::try_from(self.interval).unwrap_or(u8::MAX));
            }
            Version::V3 => packet.set_max_adver_int(self.interval),
        }
        let addr_len = family.addr_len();
        let end = HEADER_LEN + usize::from(self.count()) * addr_len;
        packet.buffer.as_mut()[HEADER_LEN..end].fill(0);
        for (i, addr) in self.addresses.iter().take(255).enumerate() {
            if Family::of(addr) == family {
                packet.set_address(i, addr);
            }
        }
        if family == Family::Ipv4 && self.version == Version::V2 {
            packet.set_auth_data(&self.auth.data);
        }
        packet.fill_checksum(form, ph);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // keepalived 2.2.7's first VRRPv3 advert of v3-ipv4.pcap: vrid 33,
    // priority 200, 50 cs, 10.99.0.150 and .151, from 10.99.0.1 to the group.
    static V3_BYTES: [u8; 16] = [
        0x31, 0x21, 0xc8, 0x02, 0x00, 0x32, 0x05, 0xc0, 0x0a, 0x63, 0x00, 0x96, 0x0a, 0x63, 0x00,
        0x97,
    ];
    // The VRRPv2 PASS advert of v2pass-failover.pcap: vrid 255, priority 100,
    // 1 s, 10.99.0.140, password "1111".
    static V2_PASS_BYTES: [u8; 20] = [
        0x21, 0xff, 0x64, 0x01, 0x01, 0x01, 0x0b, 0xad, 0x0a, 0x63, 0x00, 0x8c, 0x31, 0x31, 0x31,
        0x31, 0, 0, 0, 0,
    ];

    fn ph_v4() -> PseudoHeader {
        PseudoHeader::V4 {
            src: Ipv4Addr::new(10, 99, 0, 1),
            dst: MCAST_GROUP_V4,
        }
    }

    fn v3_repr() -> VrrpRepr {
        VrrpRepr {
            version: Version::V3,
            kind: Kind::Advertisement,
            vrid: 33,
            priority: 200,
            interval: 50,
            auth: Auth::NONE,
            addresses: vec![
                Ipv4Addr::new(10, 99, 0, 150).into(),
                Ipv4Addr::new(10, 99, 0, 151).into(),
            ],
        }
    }

    fn v2_repr() -> VrrpRepr {
        VrrpRepr {
            version: Version::V2,
            kind: Kind::Advertisement,
            vrid: 255,
            priority: 100,
            interval: 1,
            auth: Auth::pass(b"1111"),
            addresses: vec![Ipv4Addr::new(10, 99, 0, 140).into()],
        }
    }

    #[test]
    fn test_deconstruct() {
        let p = VrrpPacket::new_checked(&V3_BYTES[..], Family::Ipv4).unwrap();
        assert_eq!(p.version(), 3);
        assert_eq!(p.kind(), 1);
        assert_eq!(p.vrid(), 33);
        assert_eq!(p.priority(), 200);
        assert_eq!(p.addr_count(), 2);
        assert_eq!(p.max_adver_int(), 50);
        assert_eq!(p.reserved(), 0);
        assert_eq!(p.checksum(), 0x05c0);
        assert_eq!(
            p.addresses(Family::Ipv4).collect::<Vec<_>>(),
            v3_repr().addresses
        );
        assert_eq!(p.verify_checksum(&ph_v4()), Some(ChecksumForm::Standard));

        let p = VrrpPacket::new_checked(&V2_PASS_BYTES[..], Family::Ipv4).unwrap();
        assert_eq!(p.version(), 2);
        assert_eq!(p.auth_type(), 1);
        assert_eq!(p.adver_int(), 1);
        assert_eq!(p.checksum(), 0x0bad);
        assert_eq!(p.auth_data(Family::Ipv4), Some(*b"1111\0\0\0\0"));
        assert_eq!(p.verify_checksum(&ph_v4()), Some(ChecksumForm::Standard));
    }

    #[test]
    fn test_construct() {
        let mut bytes = vec![0xa5; 16];
        let mut p = VrrpPacket::new_unchecked(&mut bytes);
        p.set_version_kind(3, 1);
        p.set_vrid(33);
        p.set_priority(200);
        p.set_addr_count(2);
        p.set_max_adver_int(50);
        p.set_address(0, &Ipv4Addr::new(10, 99, 0, 150).into());
        p.set_address(1, &Ipv4Addr::new(10, 99, 0, 151).into());
        p.fill_checksum(ChecksumForm::Standard, &ph_v4());
        assert_eq!(&bytes[..], &V3_BYTES[..]);

        let mut bytes = vec![0xa5; 20];
        let mut p = VrrpPacket::new_unchecked(&mut bytes);
        p.set_version_kind(2, 1);
        p.set_vrid(255);
        p.set_priority(100);
        p.set_addr_count(1);
        p.set_auth_type(1);
        p.set_adver_int(1);
        p.set_address(0, &Ipv4Addr::new(10, 99, 0, 140).into());
        p.set_auth_data(b"1111\0\0\0\0");
        p.fill_checksum(ChecksumForm::Standard, &ph_v4());
        assert_eq!(&bytes[..], &V2_PASS_BYTES[..]);
    }

    #[test]
    fn test_parse() {
        let p = VrrpPacket::new_checked(&V3_BYTES[..], Family::Ipv4).unwrap();
        assert_eq!(
            VrrpRepr::parse(&p, &ph_v4()).unwrap(),
            (v3_repr(), ChecksumForm::Standard)
        );
        let p = VrrpPacket::new_checked(&V2_PASS_BYTES[..], Family::Ipv4).unwrap();
        assert_eq!(
            VrrpRepr::parse(&p, &ph_v4()).unwrap(),
            (v2_repr(), ChecksumForm::Standard)
        );
    }

    #[test]
    fn test_emit() {
        let repr = v3_repr();
        assert_eq!(repr.buffer_len(Family::Ipv4), 16);
        let mut bytes = vec![0xa5; 16];
        repr.emit(
            &mut VrrpPacket::new_unchecked(&mut bytes),
            &ph_v4(),
            ChecksumForm::Standard,
        );
        assert_eq!(&bytes[..], &V3_BYTES[..]);

        let repr = v2_repr();
        assert_eq!(repr.buffer_len(Family::Ipv4), 20);
        let mut bytes = vec![0xa5; 20];
        repr.emit(
            &mut VrrpPacket::new_unchecked(&mut bytes),
            &ph_v4(),
            ChecksumForm::Standard,
        );
        assert_eq!(&bytes[..], &V2_PASS_BYTES[..]);
    }

    #[test]
    fn length_errors() {
        let err = |b: &[u8], f| VrrpPacket::new_checked(b, f).unwrap_err();
        assert_eq!(err(&V3_BYTES[..7], Family::Ipv4), Error::Truncated);
        assert_eq!(
            err(&V3_BYTES[..12], Family::Ipv4),
            Error::VrrpLength {
                len: 12,
                expected: 16
            }
        );
        let mut long = V3_BYTES.to_vec();
        long.push(0);
        assert_eq!(
            err(&long, Family::Ipv4),
            Error::VrrpLength {
                len: 17,
                expected: 16
            }
        );
        // The same bytes read as IPv6 announce 2 × 16 address bytes.
        assert_eq!(
            err(&V3_BYTES, Family::Ipv6),
            Error::VrrpLength {
                len: 16,
                expected: 40
            }
        );
        // v2 over IPv4 counts the 8 auth bytes even with auth none.
        assert_eq!(
            err(&V2_PASS_BYTES[..12], Family::Ipv4),
            Error::VrrpLength {
                len: 12,
                expected: 20
            }
        );
    }

    #[test]
    fn field_errors_in_keepalived_order() {
        let check = |b: &[u8]| VrrpRepr::parse(&VrrpPacket::new_unchecked(b), &ph_v4()).map(|_| ());
        let mut b = V2_PASS_BYTES;
        b[0] = 0x41; // version 4: counted without auth data, so length first
        assert_eq!(
            check(&b),
            Err(Error::VrrpLength {
                len: 20,
                expected: 12
            })
        );
        let mut b = V3_BYTES;
        b[0] = 0x42; // version 4, type 2
        assert_eq!(check(&b), Err(Error::VrrpVersion(4)));
        let mut b = V2_PASS_BYTES;
        b[0] = 0x22; // type 2 and auth type 3: auth type is checked first
        b[4] = 3;
        assert_eq!(check(&b), Err(Error::AuthType(3)));
        b[4] = 1;
        assert_eq!(check(&b), Err(Error::VrrpType(2)));
        let mut b = V3_BYTES;
        b[2] = 199;
        assert_eq!(check(&b), Err(Error::Checksum));
    }

    #[test]
    fn checksum_variants() {
        let peer = PseudoHeader::V4 {
            src: Ipv4Addr::new(10, 99, 0, 1),
            dst: Ipv4Addr::new(10, 99, 0, 2),
        };
        for form in [
            ChecksumForm::Standard,
            ChecksumForm::OldUnicast,
            ChecksumForm::NoPseudoHeader,
        ] {
            let mut bytes = vec![0xa5; 16];
            v3_repr().emit(&mut VrrpPacket::new_unchecked(&mut bytes), &peer, form);
            let p = VrrpPacket::new_checked(&bytes[..], Family::Ipv4).unwrap();
            assert_eq!(VrrpRepr::parse(&p, &peer).unwrap(), (v3_repr(), form));
        }
        // Old unicast form = the multicast checksum, whatever the peer.
        let mut bytes = vec![0; 16];
        v3_repr().emit(
            &mut VrrpPacket::new_unchecked(&mut bytes),
            &peer,
            ChecksumForm::OldUnicast,
        );
        assert_eq!(&bytes[..], &V3_BYTES[..]);
        // v2 ignores the form and the pseudo header.
        let mut bytes = vec![0; 20];
        v2_repr().emit(
            &mut VrrpPacket::new_unchecked(&mut bytes),
            &peer,
            ChecksumForm::NoPseudoHeader,
        );
        assert_eq!(&bytes[..], &V2_PASS_BYTES[..]);
    }

    #[test]
    fn ipv6_and_v2_over_ipv6() {
        let ph = PseudoHeader::V6 {
            src: "fe80::1".parse().unwrap(),
            dst: MCAST_GROUP_V6,
        };
        let v6: IpAddr = "fd00:99::140".parse().unwrap();
        let repr = VrrpRepr {
            addresses: vec![v6],
            ..v3_repr()
        };
        assert_eq!(repr.buffer_len(Family::Ipv6), 24);
        let mut bytes = vec![0xa5; 24];
        repr.emit(
            &mut VrrpPacket::new_unchecked(&mut bytes),
            &ph,
            ChecksumForm::Standard,
        );
        let p = VrrpPacket::new_checked(&bytes[..], Family::Ipv6).unwrap();
        assert_eq!(
            VrrpRepr::parse(&p, &ph).unwrap(),
            (repr, ChecksumForm::Standard)
        );
        // keepalived (not strict) sends v2 over IPv6: no auth data.
        let repr = VrrpRepr {
            addresses: vec![v6],
            auth: Auth {
                kind: AuthType::Pass,
                data: [0; 8],
            },
            ..v2_repr()
        };
        assert_eq!(repr.buffer_len(Family::Ipv6), 24);
        let mut bytes = vec![0xa5; 24];
        repr.emit(
            &mut VrrpPacket::new_unchecked(&mut bytes),
            &ph,
            ChecksumForm::Standard,
        );
        let p = VrrpPacket::new_checked(&bytes[..], Family::Ipv6).unwrap();
        assert_eq!(p.auth_type(), 1);
        assert_eq!(VrrpRepr::parse(&p, &ph).unwrap().0, repr);
    }

    #[test]
    fn update_priority_patches_checksum() {
        let mut bytes = V3_BYTES;
        let mut p = VrrpPacket::new_unchecked(&mut bytes[..]);
        p.update_priority(0);
        // The priority-0 advert keepalived sent at stop (v3-ipv4.pcap).
        assert_eq!(p.checksum(), 0xcdc0);
        assert_eq!(p.verify_checksum(&ph_v4()), Some(ChecksumForm::Standard));
        p.update_priority(200);
        assert_eq!(&bytes[..], &V3_BYTES[..]);
    }

    #[test]
    fn repr_checks() {
        assert_eq!(v3_repr().check(Family::Ipv4), Ok(()));
        assert!(v3_repr().check(Family::Ipv6).is_err());
        assert!(
            VrrpRepr {
                interval: 4096,
                ..v3_repr()
            }
            .check(Family::Ipv4)
            .is_err()
        );
        assert!(
            VrrpRepr {
                interval: 256,
                ..v2_repr()
            }
            .check(Family::Ipv4)
            .is_err()
        );
        assert!(
            VrrpRepr {
                auth: Auth::pass(b"x"),
                ..v3_repr()
            }
            .check(Family::Ipv4)
            .is_err()
        );
        let many = vec![IpAddr::from(Ipv4Addr::LOCALHOST); 256];
        assert!(
            VrrpRepr {
                addresses: many.clone(),
                ..v3_repr()
            }
            .check(Family::Ipv4)
            .is_err()
        );
        // Emit still never panics: 255 addresses are written.
        let repr = VrrpRepr {
            addresses: many,
            ..v3_repr()
        };
        let mut bytes = vec![0; repr.buffer_len(Family::Ipv4)];
        assert_eq!(bytes.len(), 8 + 255 * 4);
        repr.emit(
            &mut VrrpPacket::new_unchecked(&mut bytes),
            &ph_v4(),
            ChecksumForm::Standard,
        );
        assert_eq!(
            VrrpPacket::new_checked(&bytes[..], Family::Ipv4)
                .unwrap()
                .addr_count(),
            255
        );
    }

    #[test]
    fn pass_truncates_and_pads() {
        assert_eq!(Auth::pass(b"123456789").data, *b"12345678");
        assert_eq!(Auth::pass(b"").data, [0; 8]);
        assert_eq!(v2_repr().interval_micros(), 1_000_000);
        assert_eq!(v3_repr().interval_micros(), 500_000);
    }
}
