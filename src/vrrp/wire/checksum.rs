//! The Internet checksum (RFC 1071): 16-bit one's-complement sums, the IPv4
//! and IPv6 pseudo-header sums, and incremental update (RFC 1624).
//!
//! Sums are returned folded to 16 bits but *not* complemented; the checksum
//! field holds `!combine(&[...])`. A buffer whose checksum is right sums to
//! `0xffff` (see [`is_valid`]). Pure arithmetic: owns no packet layout.

use std::net::{Ipv4Addr, Ipv6Addr};

/// Folds a wide accumulator into 16 bits with end-around carry.
fn fold(mut acc: u64) -> u16 {
    while acc > 0xffff {
        acc = (acc & 0xffff) + (acc >> 16);
    }
    acc as u16
}

/// The one's-complement sum of `data` read as big-endian 16-bit words. An odd
/// last byte is the high byte of a zero-padded word (as keepalived's
/// `in_csum` and RFC 1071 do).
pub fn data(data: &[u8]) -> u16 {
    let mut chunks = data.chunks_exact(2);
    let mut acc: u64 = chunks
        .by_ref()
        .map(|w| u64::from(u16::from_be_bytes([w[0], w[1]])))
        .sum();
    if let [last] = chunks.remainder() {
        acc += u64::from(*last) << 8;
    }
    fold(acc)
}

/// The one's-complement sum of partial sums.
pub fn combine(sums: &[u16]) -> u16 {
    fold(sums.iter().map(|&s| u64::from(s)).sum())
}

/// True when a region that includes its own checksum field sums to all ones.
pub fn is_valid(sum: u16) -> bool {
    sum == 0xffff
}

/// The sum of the IPv4 pseudo header (RFC 768 layout: src, dst, zero,
/// protocol, length), as VRRPv3 uses it (RFC 5798 §5.2.8; keepalived's
/// `ipv4_phdr_t`).
pub fn pseudo_header_v4(src: Ipv4Addr, dst: Ipv4Addr, protocol: u8, length: u16) -> u16 {
    let mut buf = [0u8; 12];
    buf[0..4].copy_from_slice(&src.octets());
    buf[4..8].copy_from_slice(&dst.octets());
    buf[9] = protocol;
    buf[10..12].copy_from_slice(&length.to_be_bytes());
    data(&buf)
}

/// The sum of the IPv6 pseudo header (RFC 8200 §8.1: src, dst, 32-bit
/// upper-layer length, 3 zero bytes, next header), as the kernel's
/// `IPV6_CHECKSUM` computes it for VRRP and as ICMPv6 uses it.
pub fn pseudo_header_v6(src: &Ipv6Addr, dst: &Ipv6Addr, next_header: u8, length: u32) -> u16 {
    let mut buf = [0u8; 40];
    buf[0..16].copy_from_slice(&src.octets());
    buf[16..32].copy_from_slice(&dst.octets());
    buf[32..36].copy_from_slice(&length.to_be_bytes());
    buf[39] = next_header;
    data(&buf)
}

/// RFC 1624 eqn. 3, `HC' = ~(~HC + ~m + m')`: the checksum after one 16-bit
/// word changed from `old` to `new`. keepalived patches a changed priority
/// this way (`csum_incremental_update16`), so the same formula gives the same
/// bytes. Returns `checksum` untouched when the word did not change.
pub fn update_u16(checksum: u16, old: u16, new: u16) -> u16 {
    if old == new {
        return checksum;
    }
    !combine(&[!checksum, !old, new])
}

/// [`update_u16`] for a 32-bit field (an address in a pseudo header),
/// keepalived's `csum_incremental_update32`.
pub fn update_u32(checksum: u16, old: u32, new: u32) -> u16 {
    if old == new {
        return checksum;
    }
    let (oh, ol) = ((old >> 16) as u16, old as u16);
    let (nh, nl) = ((new >> 16) as u16, new as u16);
    !combine(&[!checksum, !oh, !ol, nh, nl])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc1071_example() {
        // RFC 1071 §3: 00 01 f2 03 f4 f5 f6 f7 sums to ddf2.
        assert_eq!(
            data(&[0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7]),
            0xddf2
        );
    }

    #[test]
    fn odd_length_pads_low_byte() {
        assert_eq!(data(&[0x12, 0x34, 0x56]), 0x1234 + 0x5600);
        assert_eq!(data(&[]), 0);
    }

    #[test]
    fn carries_fold_around() {
        assert_eq!(data(&[0xff, 0xff, 0x00, 0x01]), 0x0001);
        assert_eq!(combine(&[0xffff, 0xffff]), 0xffff);
        // Long input cannot overflow the accumulator.
        assert_eq!(data(&vec![0xff; 1 << 20]), 0xffff);
    }

    #[test]
    fn captured_v2_advert_checksum() {
        // keepalived 2.2.7, vrid 51 prio 120, 10.99.0.100 (KEEPALIVED.md §5.2).
        let mut msg = [
            0x21, 0x33, 0x78, 0x01, 0x00, 0x01, 0x00, 0x00, 0x0a, 0x63, 0x00, 0x64, 0, 0, 0, 0, 0,
            0, 0, 0,
        ];
        assert_eq!(!data(&msg), 0x5c03);
        msg[6..8].copy_from_slice(&0x5c03u16.to_be_bytes());
        assert!(is_valid(data(&msg)));
    }

    #[test]
    fn pseudo_headers() {
        let v4 = pseudo_header_v4(
            Ipv4Addr::new(10, 0, 0, 1),
            Ipv4Addr::new(224, 0, 0, 18),
            112,
            16,
        );
        assert_eq!(v4, combine(&[0x0a00, 0x0001, 0xe000, 0x0012, 112, 16]));
        let s: Ipv6Addr = "fe80::1".parse().unwrap();
        let d: Ipv6Addr = "ff02::12".parse().unwrap();
        assert_eq!(
            pseudo_header_v6(&s, &d, 112, 40),
            combine(&[0xfe80, 1, 0xff02, 0x12, 40, 112])
        );
    }

    #[test]
    fn incremental_matches_recompute() {
        let mut msg = [
            0x31u8, 0x21, 0xc8, 0x02, 0x00, 0x32, 0, 0, 10, 99, 0, 150, 10, 99, 0, 151,
        ];
        let full = |m: &[u8]| !data(m);
        let before = full(&msg);
        msg[6..8].copy_from_slice(&before.to_be_bytes());
        let old_word = u16::from_be_bytes([msg[2], msg[3]]);
        msg[2] = 0; // priority 200 -> 0
        let new_word = u16::from_be_bytes([msg[2], msg[3]]);
        let patched = update_u16(before, old_word, new_word);
        msg[6..8].copy_from_slice(&[0, 0]);
        assert_eq!(patched, full(&msg));
        assert_eq!(update_u16(0x1234, 7, 7), 0x1234);
    }

    #[test]
    fn incremental_32_matches_recompute() {
        let body = [0x31u8, 0x21, 0xc8, 0x01, 0x00, 0x64, 0, 0, 10, 99, 0, 150];
        let sum_for = |dst: Ipv4Addr| {
            !combine(&[
                pseudo_header_v4(Ipv4Addr::new(10, 99, 0, 1), dst, 112, 12),
                data(&body),
            ])
        };
        let a = Ipv4Addr::new(224, 0, 0, 18);
        let b = Ipv4Addr::new(10, 99, 0, 3);
        assert_eq!(update_u32(sum_for(a), a.to_bits(), b.to_bits()), sum_for(b));
    }
}
