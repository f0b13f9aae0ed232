//! VRRP timing formulas, in microseconds, with keepalived 2.2.7's integer
//! arithmetic and rounding (KEEPALIVED.md §5.4, §4 `advert_int`).
//!
//! Owns: skew time, Master_Down_Interval, the advert-interval conversions
//! (configuration → stored value, stored value ↔ wire field). Must not: keep
//! state, read a clock, or log (adjustments come back as values).
//!
//! `version` arguments are keepalived's: 3 means VRRPv3, anything else is
//! treated as VRRPv2 (keepalived tests `version == VRRP_VERSION_3`).

use crate::time::{Duration, Instant};

/// Microseconds per second (keepalived's `TIMER_HZ`).
pub const TIMER_HZ: u64 = 1_000_000;
/// Microseconds per centisecond (keepalived's `TIMER_CENTI_HZ`).
pub const TIMER_CENTI_HZ: u64 = 10_000;
/// keepalived's default advert interval, 1 s (`VRRP_ADVER_DFL`).
pub const ADVER_INT_DEFAULT: Duration = Duration::from_secs(1);
/// The largest VRRPv2 advert interval (8-bit field, seconds): 255 s.
pub const V2_ADVER_INT_MAX: Duration = Duration::from_secs(255);
/// The largest VRRPv3 advert interval (12-bit field, centiseconds): 40.95 s.
pub const V3_ADVER_INT_MAX: Duration = Duration::from_micros(4095 * TIMER_CENTI_HZ);

/// keepalived's `VRRP_TIMER_SKEW_CALC` for a given `256 - priority`.
///
/// v2: `pri_val * 1 s / 256`, whatever the advert interval.
/// v3: `pri_val * (master_adver_int / 10 ms) * 625 / 16` µs (625/16 is
/// 10 000/256, reduced so that keepalived's `u32` cannot overflow). Both
/// truncate. The intermediate values fit in `u32` for every valid input, so
/// computing in `u64` gives keepalived's results.
fn skew_calc(version: u8, pri_val: u64, master_adver_int: Duration) -> Duration {
    if version == 3 {
        let centis = master_adver_int.micros() / TIMER_CENTI_HZ;
        Duration::from_micros(pri_val * centis * 625 / 16)
    } else {
        Duration::from_micros(pri_val * TIMER_HZ / 256)
    }
}

/// Skew_Time for an instance whose *effective* priority is `priority`
/// (keepalived `VRRP_TIMER_SKEW`): v2 `(256 - p) * 1 s / 256`; v3
/// `(256 - p) * Master_Adver_Interval / 256`, on the interval in
/// centiseconds. Used alone as the down timer after a priority-0 advert.
pub fn skew_time(version: u8, priority: u8, master_adver_int: Duration) -> Duration {
    skew_calc(version, 256 - u64::from(priority), master_adver_int)
}

/// The smallest skew, `256 - p` taken as 1 (keepalived
/// `VRRP_TIMER_SKEW_MIN`): v2 3 906 µs. A sync-group member that wants
/// MASTER while its group is BACKUP uses `master_adver_int +` this as its
/// down timer (keepalived `vrrp_init_state`).
pub fn skew_time_min(version: u8, master_adver_int: Duration) -> Duration {
    skew_calc(version, 1, master_adver_int)
}

/// Master_Down_Interval = `down_timer_adverts * master_adver_int + skew`
/// (keepalived `VRRP_MS_DOWN_TIMER`; default `down_timer_adverts` 3).
///
/// keepalived computes this in `u32` µs, which wraps once
/// `down_timer_adverts * advert_int` reaches 2^32 µs (about 4 295 s: e.g. v2
/// with `down_timer_adverts 17` and `advert_int 255`); this function does not
/// wrap.
pub fn master_down_interval(
    version: u8,
    down_timer_adverts: u32,
    master_adver_int: Duration,
    priority: u8,
) -> Duration {
    master_adver_int.saturating_mul(u64::from(down_timer_adverts))
        + skew_time(version, priority, master_adver_int)
}

/// Move a pending master-down deadline by the change of the down interval
/// (keepalived `vrrp_set_effective_priority` in BACKUP: `sands +=
/// new_ms_down_timer - old_ms_down_timer`). `old` is whatever the instance
/// last stored as its down interval, which is not always a full
/// Master_Down_Interval (keepalived stores the skew after a priority-0
/// advert, and the time left after an ignored advert).
pub fn shift_deadline(deadline: Instant, old: Duration, new: Duration) -> Instant {
    if new >= old {
        deadline + new.saturating_sub(old)
    } else {
        deadline - old.saturating_sub(new)
    }
}

/// The VRRPv2 header's advert interval (seconds) for a stored interval
/// (keepalived: `adver_int / TIMER_HZ`, truncated to 8 bits).
pub fn v2_advert_int_to_wire(adver_int: Duration) -> u8 {
    (adver_int.micros() / TIMER_HZ) as u8
}

/// The interval a VRRPv2 advert carries. keepalived drops a v2 advert unless
/// this equals its own `adver_int` exactly (KEEPALIVED.md §5.3 item 9).
pub fn v2_advert_int_from_wire(seconds: u8) -> Duration {
    Duration::from_secs(u64::from(seconds))
}

/// The VRRPv3 header's 12-bit max advert interval (centiseconds), reserved
/// bits zero (keepalived: `(adver_int / TIMER_CENTI_HZ) & 0x0FFF`).
pub fn v3_advert_int_to_wire(adver_int: Duration) -> u16 {
    ((adver_int.micros() / TIMER_CENTI_HZ) & 0x0FFF) as u16
}

/// The Master_Adver_Interval a VRRPv3 advert carries: the low 12 bits of the
/// field, in centiseconds (the 4 reserved bits are ignored). May be zero:
/// keepalived adopts it as it is.
pub fn v3_advert_int_from_wire(field: u16) -> Duration {
    Duration::from_micros(u64::from(field & 0x0FFF) * TIMER_CENTI_HZ)
}

/// Why keepalived changed a configured advert interval. Each carries the
/// configured value; [`AdvertIntNote::message`] gives keepalived's text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AdvertIntNote {
    /// v2, ≥ 256 s: set to 255 s.
    V2OutOfRange { configured: Duration },
    /// v2, not whole seconds: rounded half up to seconds (never below 1 s).
    V2NotInteger { configured: Duration },
    /// v3, ≥ 40.96 s: set to 40.95 s.
    V3OutOfRange { configured: Duration },
    /// v3, not a multiple of 10 ms: rounded half up (never below 10 ms).
    V3Not10ms { configured: Duration },
}

impl AdvertIntNote {
    /// keepalived's configuration-error line for instance `iname`
    /// (`vrrp_complete_instance`), e.g. "(VI_1) VRRPv2 advertisement interval
    /// 1.500000s must be an integer. rounding".
    pub fn message(&self, iname: &str) -> String {
        match *self {
            AdvertIntNote::V2OutOfRange { configured } => format!(
                "({iname}) VRRPv2 advertisement interval {:.2}s is out of range. \
                 Must be less than 256s. Setting to 255s",
                seconds_f64(configured)
            ),
            AdvertIntNote::V2NotInteger { configured } => format!(
                "({iname}) VRRPv2 advertisement interval {:.6}s must be an integer. rounding",
                seconds_f64(configured)
            ),
            AdvertIntNote::V3OutOfRange { configured } => format!(
                "({iname}) VRRPv3 advertisement interval {:.2}s is out of range. \
                 Must be less than 40.96s. Setting to 40.95s",
                seconds_f64(configured)
            ),
            AdvertIntNote::V3Not10ms { configured } => format!(
                "({iname}) VRRPv3 advertisement interval {:.6}s must be in units of 10ms - rounding",
                seconds_f64(configured)
            ),
        }
    }
}

/// keepalived's `adver_int / TIMER_HZ_DOUBLE` (Rust's float formatting
/// rounds like glibc's printf).
fn seconds_f64(d: Duration) -> f64 {
    d.micros() as f64 / TIMER_HZ as f64
}

/// Round `us` half up to a multiple of `unit`, never to zero (keepalived
/// adds `unit / 2`, subtracts the remainder, and turns 0 into `unit`).
fn round_to_unit(us: u64, unit: u64) -> u64 {
    let r = us + unit / 2;
    match r - r % unit {
        0 => unit,
        v => v,
    }
}

/// The advert interval keepalived stores for a configured one (µs; 0 = not
/// configured → 1 s), with the note it reports when it changes it
/// (keepalived `vrrp_complete_instance`).
///
/// v2: ≥ 256 s → 255 s; else not whole seconds → rounded half up (0.4 s and
/// 0.5 s → 1 s, 1.5 s → 2 s). v3: ≥ 40.96 s → 40.95 s; else not a multiple
/// of 10 ms → rounded half up to 10 ms. (keepalived's parser only accepts
/// 0.01..255 s, so the v2 range case cannot come from a configuration.)
///
/// One deliberate difference: keepalived checks the range *before* rounding,
/// so v3 40.955..40.959999 s rounds to 40.96 s, whose 12-bit wire field is 0
/// (a backup adopting it gets a zero down timer). Here the rounded value is
/// capped at the maximum (40.95 s; v2 255 s), with the same message.
pub fn normalize_advert_int(
    version: u8,
    configured: Duration,
) -> (Duration, Option<AdvertIntNote>) {
    let configured = if configured == Duration::ZERO {
        ADVER_INT_DEFAULT
    } else {
        configured
    };
    let us = configured.micros();
    if version == 3 {
        if us >= 4096 * TIMER_CENTI_HZ {
            (
                V3_ADVER_INT_MAX,
                Some(AdvertIntNote::V3OutOfRange { configured }),
            )
        } else if us % TIMER_CENTI_HZ != 0 {
            let v = Duration::from_micros(round_to_unit(us, TIMER_CENTI_HZ));
            (
                v.min(V3_ADVER_INT_MAX),
                Some(AdvertIntNote::V3Not10ms { configured }),
            )
        } else {
            (configured, None)
        }
    } else if us >= 256 * TIMER_HZ {
        (
            V2_ADVER_INT_MAX,
            Some(AdvertIntNote::V2OutOfRange { configured }),
        )
    } else if us % TIMER_HZ != 0 {
        let v = Duration::from_micros(round_to_unit(us, TIMER_HZ));
        (
            v.min(V2_ADVER_INT_MAX),
            Some(AdvertIntNote::V2NotInteger { configured }),
        )
    } else {
        (configured, None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn us(n: u64) -> Duration {
        Duration::from_micros(n)
    }
    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    /// (version, priority, master_adver_int µs, skew µs, Master_Down_Interval µs with 3 adverts)
    const TABLE: &[(u8, u8, u64, u64, u64)] = &[
        // KEEPALIVED.md §5.4, verified on the wire.
        (2, 100, 1_000_000, 609_375, 3_609_375),
        (2, 100, 2_000_000, 609_375, 6_609_375),
        (3, 100, 500_000, 304_687, 1_804_687),
        // v2: skew does not depend on advert_int.
        (2, 1, 1_000_000, 996_093, 3_996_093),
        (2, 1, 255_000_000, 996_093, 765_996_093),
        (2, 254, 1_000_000, 7_812, 3_007_812),
        (2, 255, 1_000_000, 3_906, 3_003_906),
        (2, 150, 3_000_000, 414_062, 9_414_062),
        // v3: skew scales with the master's interval in centiseconds.
        (3, 100, 1_000_000, 609_375, 3_609_375),
        (3, 1, 1_000_000, 996_093, 3_996_093),
        (3, 254, 1_000_000, 7_812, 3_007_812),
        (3, 255, 1_000_000, 3_906, 3_003_906),
        (3, 100, 10_000, 6_093, 36_093),
        (3, 1, 10_000, 9_960, 39_960),
        (3, 254, 10_000, 78, 30_078),
        (3, 255, 10_000, 39, 30_039),
        (3, 254, 40_950_000, 319_921, 123_169_921),
        (3, 1, 40_950_000, 40_790_039, 163_640_039),
        // A zero interval adopted from a master: zero skew, zero down time.
        (3, 100, 0, 0, 0),
    ];

    #[test]
    fn skew_and_master_down_table() {
        for &(v, p, mai, skew, down) in TABLE {
            let mai = us(mai);
            assert_eq!(skew_time(v, p, mai), us(skew), "skew v{v} p{p} {mai:?}");
            assert_eq!(
                master_down_interval(v, 3, mai, p),
                us(down),
                "down v{v} p{p} {mai:?}"
            );
        }
    }

    #[test]
    fn v3_skew_truncates_the_interval_to_centiseconds() {
        // keepalived divides master_adver_int by 10 ms first.
        assert_eq!(skew_time(3, 100, us(509_999)), skew_time(3, 100, ms(500)));
    }

    #[test]
    fn v3_skew_equals_the_rfc_form() {
        // 625/16 == 10000/256: (256-p) * MAI / 256 in µs, truncated.
        for p in 0..=255u8 {
            for cs in [1u64, 7, 50, 100, 333, 4095] {
                let mai = us(cs * TIMER_CENTI_HZ);
                let rfc = (256 - u64::from(p)) * mai.micros() / 256;
                assert_eq!(skew_time(3, p, mai), us(rfc));
            }
        }
    }

    #[test]
    fn other_down_timer_adverts() {
        assert_eq!(master_down_interval(2, 1, ms(1000), 100), us(1_609_375));
        assert_eq!(master_down_interval(2, 100, ms(1000), 100), us(100_609_375));
        // No u32 wrap (keepalived would wrap here).
        assert_eq!(
            master_down_interval(2, 100, ms(255_000), 100),
            us(25_500_609_375)
        );
    }

    #[test]
    fn skew_min() {
        assert_eq!(skew_time_min(2, ms(1000)), us(3_906));
        assert_eq!(skew_time_min(2, ms(5000)), us(3_906));
        assert_eq!(skew_time_min(3, ms(1000)), us(3_906));
        assert_eq!(skew_time_min(3, ms(500)), us(1_953));
        assert_eq!(skew_time_min(3, ms(10)), us(39));
        assert_eq!(skew_time_min(2, ms(1000)), skew_time(2, 255, ms(1000)));
    }

    #[test]
    fn shifting_a_deadline() {
        let t = Instant::from_micros(10_000_000);
        // 100 -> 40 (v2, 1 s): down interval 3_609_375 -> 3_843_750.
        let old = master_down_interval(2, 3, ms(1000), 100);
        let new = master_down_interval(2, 3, ms(1000), 40);
        assert_eq!(new, us(3_843_750));
        assert_eq!(
            shift_deadline(t, old, new),
            Instant::from_micros(10_234_375)
        );
        assert_eq!(shift_deadline(t, new, old), Instant::from_micros(9_765_625));
        assert_eq!(shift_deadline(t, old, old), t);
        // Never before the origin.
        assert_eq!(shift_deadline(Instant::ZERO, us(5), us(1)), Instant::ZERO);
    }

    #[test]
    fn wire_conversions() {
        assert_eq!(v2_advert_int_to_wire(ms(1000)), 1);
        assert_eq!(v2_advert_int_to_wire(ms(255_000)), 255);
        assert_eq!(v2_advert_int_from_wire(2), ms(2000));
        assert_eq!(v2_advert_int_from_wire(0), Duration::ZERO);
        assert_eq!(v3_advert_int_to_wire(ms(500)), 50);
        assert_eq!(v3_advert_int_to_wire(ms(10)), 1);
        assert_eq!(v3_advert_int_to_wire(ms(40_950)), 4095);
        assert_eq!(v3_advert_int_to_wire(ms(1000)), 100);
        assert_eq!(v3_advert_int_from_wire(50), ms(500));
        assert_eq!(v3_advert_int_from_wire(0xF032), ms(500));
        assert_eq!(v3_advert_int_from_wire(0x0FFF), ms(40_950));
        assert_eq!(v3_advert_int_from_wire(0), Duration::ZERO);
    }

    /// (version, configured µs, stored µs, message or "")
    const ADVERT_INT: &[(u8, u64, u64, &str)] = &[
        (2, 0, 1_000_000, ""),
        (2, 1_000_000, 1_000_000, ""),
        (2, 255_000_000, 255_000_000, ""),
        (
            2,
            1_500_000,
            2_000_000,
            "(VI_1) VRRPv2 advertisement interval 1.500000s must be an integer. rounding",
        ),
        (
            2,
            2_499_999,
            2_000_000,
            "(VI_1) VRRPv2 advertisement interval 2.499999s must be an integer. rounding",
        ),
        (
            2,
            500_000,
            1_000_000,
            "(VI_1) VRRPv2 advertisement interval 0.500000s must be an integer. rounding",
        ),
        (
            2,
            10_000,
            1_000_000,
            "(VI_1) VRRPv2 advertisement interval 0.010000s must be an integer. rounding",
        ),
        (
            2,
            400_000,
            1_000_000,
            "(VI_1) VRRPv2 advertisement interval 0.400000s must be an integer. rounding",
        ),
        (
            2,
            256_000_000,
            255_000_000,
            "(VI_1) VRRPv2 advertisement interval 256.00s is out of range. Must be less than 256s. Setting to 255s",
        ),
        (
            2,
            300_005_000,
            255_000_000,
            "(VI_1) VRRPv2 advertisement interval 300.00s is out of range. Must be less than 256s. Setting to 255s",
        ),
        (3, 0, 1_000_000, ""),
        (3, 10_000, 10_000, ""),
        (3, 500_000, 500_000, ""),
        (3, 40_950_000, 40_950_000, ""),
        (
            3,
            15_000,
            20_000,
            "(VI_1) VRRPv3 advertisement interval 0.015000s must be in units of 10ms - rounding",
        ),
        (
            3,
            14_999,
            10_000,
            "(VI_1) VRRPv3 advertisement interval 0.014999s must be in units of 10ms - rounding",
        ),
        (
            3,
            1_234_567,
            1_230_000,
            "(VI_1) VRRPv3 advertisement interval 1.234567s must be in units of 10ms - rounding",
        ),
        (
            3,
            40_955_000,
            40_950_000,
            "(VI_1) VRRPv3 advertisement interval 40.955000s must be in units of 10ms - rounding",
        ),
        (
            3,
            40_960_000,
            40_950_000,
            "(VI_1) VRRPv3 advertisement interval 40.96s is out of range. Must be less than 40.96s. Setting to 40.95s",
        ),
        (
            3,
            255_000_000,
            40_950_000,
            "(VI_1) VRRPv3 advertisement interval 255.00s is out of range. Must be less than 40.96s. Setting to 40.95s",
        ),
    ];

    #[test]
    fn normalising_advert_int() {
        for &(v, conf, stored, msg) in ADVERT_INT {
            let (got, note) = normalize_advert_int(v, us(conf));
            assert_eq!(got, us(stored), "v{v} {conf}");
            let text = note.map(|n| n.message("VI_1")).unwrap_or_default();
            assert_eq!(text, msg, "v{v} {conf}");
        }
    }
}
