//! Number, boolean and time readers with keepalived's messages and its
//! `-t` strictness (`read_int`, `read_unsigned`, `read_decimal_unsigned`,
//! `check_true_false`, `read_timer`).
//!
//! With `ignore_error` keepalived accepts a value with trailing junk at run
//! time ("WARNING - invalid number") but rejects it under `-t`.

use super::diag::ErrClass;

/// Where value errors go.
pub trait Report {
    fn report(&mut self, class: ErrClass, msg: String);
    /// `-t` is running (stricter number reading, no "WARNING - " prefix).
    fn config_test(&self) -> bool;
}

fn strtol(s: &str, unsigned: bool) -> (Option<i128>, &str) {
    let t = s.trim_start_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
    let (neg, d) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let n = d.bytes().take_while(u8::is_ascii_digit).count();
    if n == 0 {
        return (Some(0), s);
    }
    let v: Option<i128> = d[..n]
        .parse::<i128>()
        .ok()
        .filter(|v| *v <= u64::MAX as i128);
    let v = v.map(|v| {
        if neg {
            if unsigned {
                (u64::MAX as i128 + 1 - v) % (u64::MAX as i128 + 1)
            } else {
                -v
            }
        } else {
            v
        }
    });
    (v, &d[n..])
}

/// C's isspace set, skipped before numbers.
const C_WHITE: [char; 6] = [' ', '\t', '\n', '\r', '\x0b', '\x0c'];

/// C `strtoul` / `strtoull`: (value, rest, any digits, overflowed).
/// Overflow gives u64::MAX; a leading `-` negates (wrapping), as C does.
/// Without digits the rest is the whole input.
pub fn strtoul_ex(s: &str, base: u32) -> (u64, &str, bool, bool) {
    let t = s.trim_start_matches(C_WHITE);
    let (neg, mut d) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let mut base = base;
    let b = d.as_bytes();
    let hex_prefix =
        b.len() > 2 && b[0] == b'0' && (b[1] | 0x20) == b'x' && (b[2] as char).is_ascii_hexdigit();
    if (base == 0 || base == 16) && hex_prefix {
        d = &d[2..];
        base = 16;
    } else if base == 0 {
        base = if d.starts_with('0') { 8 } else { 10 };
    }
    let n = d
        .bytes()
        .take_while(|b| (*b as char).is_digit(base))
        .count();
    if n == 0 {
        return (0, s, false, false);
    }
    let mut v: u64 = 0;
    let mut overflow = false;
    for b in d[..n].bytes() {
        let digit = (b as char).to_digit(base).unwrap_or(0) as u64;
        match v
            .checked_mul(base as u64)
            .and_then(|x| x.checked_add(digit))
        {
            Some(x) => v = x,
            None => overflow = true,
        }
    }
    let v = if overflow {
        u64::MAX
    } else if neg {
        v.wrapping_neg()
    } else {
        v
    };
    (v, &d[n..], true, overflow)
}

/// C `strtoul`: (value, rest, any digits).
pub fn strtoul(s: &str, base: u32) -> (u64, &str, bool) {
    let (v, rest, digits, _) = strtoul_ex(s, base);
    (v, rest, digits)
}

/// keepalived `read_unsigned_func` (ignore_error false) in any base.
pub fn read_unsigned_base(
    r: &mut dyn Report,
    s: &str,
    base: u32,
    min: u32,
    max: u32,
) -> Option<u32> {
    let t = s.trim_start_matches(C_WHITE);
    let (v, rest, _) = strtoul(t, base);
    let msg = if t.starts_with('-') {
        format!("negative number '{s}'")
    } else if !rest.is_empty() {
        format!("invalid number '{s}'")
    } else if v > u32::MAX as u64 {
        format!("number '{s}' outside unsigned integer range")
    } else if v < min as u64 || v > max as u64 {
        format!("number '{s}' outside range [{min}, {max}]")
    } else {
        return Some(v as u32);
    };
    r.report(ErrClass::InvalidNumber, msg);
    None
}

/// keepalived `read_unsigned64` (base 10, ignore_error false). keepalived
/// stores the result through an `unsigned` cast, so only the low 32 bits
/// survive (kept).
pub fn read_unsigned64(r: &mut dyn Report, s: &str) -> Option<u64> {
    let t = s.trim_start_matches(C_WHITE);
    let (v, rest, _, overflow) = strtoul_ex(t, 10);
    let msg = if t.starts_with('-') {
        format!("negative number '{s}'")
    } else if !rest.is_empty() {
        format!("invalid number '{s}'")
    } else if overflow {
        format!("number '{s}' outside unsigned 64 bit range")
    } else {
        return Some(v as u32 as u64);
    };
    r.report(ErrClass::InvalidNumber, msg);
    None
}

/// glibc `inet_aton` (what `getaddrinfo(AI_NUMERICHOST)` accepts for IPv4):
/// 1 to 4 parts, each decimal, octal (leading 0) or hex (0x).
pub fn inet_aton(s: &str) -> Option<u32> {
    let parts: Vec<&str> = s.split('.').collect();
    if parts.is_empty() || parts.len() > 4 {
        return None;
    }
    let mut vals = Vec::new();
    for p in &parts {
        let (digits, radix) = if let Some(h) = p.strip_prefix("0x").or_else(|| p.strip_prefix("0X"))
        {
            (h, 16)
        } else if p.len() > 1 && p.starts_with('0') {
            (&p[1..], 8)
        } else {
            (*p, 10)
        };
        if p.is_empty() || (radix != 16 && digits.is_empty() && *p != "0") {
            return None;
        }
        let v = if digits.is_empty() {
            0
        } else {
            u64::from_str_radix(digits, radix).ok()?
        };
        vals.push(v);
    }
    let last = *vals.last()?;
    let head = &vals[..vals.len() - 1];
    if head.iter().any(|v| *v > 255) {
        return None;
    }
    let max_last = [u32::MAX as u64, 0xff_ffff, 0xffff, 0xff][head.len()];
    if last > max_last {
        return None;
    }
    let mut v = 0u32;
    for (i, h) in head.iter().enumerate() {
        v |= (*h as u32) << (24 - 8 * i);
    }
    Some(v | last as u32)
}

/// keepalived `read_int` (base 10).
pub fn read_int(
    r: &mut dyn Report,
    s: &str,
    min: i64,
    max: i64,
    ignore_error: bool,
) -> Option<i64> {
    let warn = if ignore_error && !r.config_test() {
        "WARNING - "
    } else {
        ""
    };
    let (v, end) = strtol(s, false);
    let val = v.unwrap_or(i128::MAX);
    if !end.is_empty() {
        r.report(
            ErrClass::InvalidNumber,
            format!("{warn}invalid number '{s}'"),
        );
    } else if v.is_none() || val < i32::MIN as i128 || val > i32::MAX as i128 {
        r.report(
            ErrClass::InvalidNumber,
            format!("{warn}number '{s}' outside integer range"),
        );
        return None;
    } else if val < min as i128 || val > max as i128 {
        r.report(
            ErrClass::InvalidNumber,
            format!("number '{s}' outside range [{min}, {max}]"),
        );
    } else {
        return Some(val as i64);
    }
    (ignore_error && val >= min as i128 && val <= max as i128 && !r.config_test())
        .then_some(val as i64)
}

/// keepalived `read_unsigned` (base 10, or `base` for the `_base` variant).
pub fn read_unsigned(
    r: &mut dyn Report,
    s: &str,
    min: u64,
    max: u64,
    ignore_error: bool,
) -> Option<u64> {
    let warn = if ignore_error && !r.config_test() {
        "WARNING - "
    } else {
        ""
    };
    let t = s.trim_start_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
    let (v, end) = strtol(t, true);
    let val = v.unwrap_or(i128::MAX);
    if t.starts_with('-') {
        r.report(
            ErrClass::InvalidNumber,
            format!("{warn}negative number '{s}'"),
        );
    } else if !end.is_empty() {
        r.report(
            ErrClass::InvalidNumber,
            format!("{warn}invalid number '{s}'"),
        );
    } else if v.is_none() || val > u32::MAX as i128 {
        r.report(
            ErrClass::InvalidNumber,
            format!("{warn}number '{s}' outside unsigned integer range"),
        );
        return None;
    } else if val < min as i128 || val > max as i128 {
        r.report(
            ErrClass::InvalidNumber,
            format!("{warn}number '{s}' outside range [{min}, {max}]"),
        );
    } else {
        return Some(val as u64);
    }
    (ignore_error
        && val >= min as i128
        && val <= max as i128
        && !r.config_test()
        && !t.starts_with('-'))
    .then_some(val as u64)
}

/// keepalived `read_decimal_unsigned`: a decimal with up to `shift` places,
/// returned multiplied by 10^shift (e.g. shift 6: seconds to microseconds).
pub fn read_decimal(
    r: &mut dyn Report,
    s: &str,
    min: u64,
    max: u64,
    shift: u32,
    ignore_error: bool,
) -> Option<u64> {
    let warn = if ignore_error && !r.config_test() {
        "WARNING - "
    } else {
        ""
    };
    if s.starts_with('-') {
        r.report(
            ErrClass::InvalidNumber,
            format!("{warn}negative number '{s}'"),
        );
        return None;
    }
    let (int_part, frac) = match s.find('.') {
        Some(i) => (&s[..i], &s[i + 1..]),
        None => (s, ""),
    };
    let mut round_up = false;
    // Bytes, as keepalived counts them: a multi-byte character may be cut
    // (the number is then invalid anyway).
    let mut frac: Vec<u8> = frac.as_bytes().to_vec();
    if frac.len() > shift as usize {
        r.report(
            ErrClass::InvalidNumber,
            format!("{warn}number '{s}' has too many decimal places"),
        );
        round_up = frac[shift as usize] >= b'5';
        frac.truncate(shift as usize);
    }
    frac.resize(frac.len().max(shift as usize), b'0');
    let digits = format!("{int_part}{}", String::from_utf8_lossy(&frac));
    let (v, end) = strtol(&digits, true);
    let valid = end.is_empty() && !digits.starts_with(['-', '+', ' ', '\t']);
    let Some(mut val) = v.filter(|v| *v <= u64::MAX as i128) else {
        r.report(
            ErrClass::InvalidNumber,
            format!("{warn}number '{s}' outside unsigned decimal range"),
        );
        return None;
    };
    if round_up {
        val += 1;
    }
    if !valid {
        r.report(
            ErrClass::InvalidNumber,
            format!("{warn}invalid number '{s}'"),
        );
    } else if val < min as i128 || val > max as i128 {
        // C `%lu.%*.*lu`: with no decimals nothing follows the point.
        let dp = 10u64.pow(shift);
        let w = shift as usize;
        let f = |x: u64| {
            if w == 0 {
                format!("{x}.")
            } else {
                format!("{}.{:0w$}", x / dp, x % dp)
            }
        };
        r.report(
            ErrClass::InvalidNumber,
            format!("{warn}number '{s}' outside range [{}, {}]", f(min), f(max)),
        );
    } else {
        return Some(val as u64);
    }
    (ignore_error && val >= min as i128 && val <= max as i128).then_some(val as u64)
}

/// keepalived `read_timer`: seconds with microsecond resolution.
pub fn read_timer(
    r: &mut dyn Report,
    s: &str,
    min_us: u64,
    max_us: u64,
    ignore_error: bool,
) -> Option<u64> {
    let max = if max_us == 0 {
        u32::MAX as u64 * 1_000_000
    } else {
        max_us
    };
    read_decimal(r, s, min_us, max, 6, ignore_error)
}

/// keepalived `check_true_false`: exactly on/true/yes or off/false/no.
pub fn check_true_false(s: &str) -> Option<bool> {
    match s {
        "true" | "on" | "yes" => Some(true),
        "false" | "off" | "no" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Default)]
    struct R {
        msgs: Vec<String>,
        test: bool,
    }
    impl Report for R {
        fn report(&mut self, _c: ErrClass, m: String) {
            self.msgs.push(m);
        }
        fn config_test(&self) -> bool {
            self.test
        }
    }

    #[test]
    fn int_ranges_and_junk() {
        let mut r = R::default();
        assert_eq!(read_int(&mut r, "100", 1, 255, false), Some(100));
        assert_eq!(read_int(&mut r, "300", 1, 255, false), None);
        assert_eq!(read_int(&mut r, "10x", 1, 255, true), Some(10));
        assert_eq!(
            r.msgs,
            vec![
                "number '300' outside range [1, 255]",
                "WARNING - invalid number '10x'"
            ]
        );
        let mut t = R {
            test: true,
            ..Default::default()
        };
        assert_eq!(read_int(&mut t, "10x", 1, 255, true), None);
        assert_eq!(t.msgs, vec!["invalid number '10x'"]);
        assert_eq!(read_int(&mut t, "0x10", 0, 255, false), None);
    }

    #[test]
    fn unsigned_negative_and_range() {
        let mut r = R::default();
        assert_eq!(read_unsigned(&mut r, "-1", 0, 10, false), None);
        assert_eq!(read_unsigned(&mut r, "  7", 0, 10, false), Some(7));
        assert_eq!(read_unsigned(&mut r, "99999999999", 0, 10, false), None);
        assert_eq!(
            r.msgs,
            vec![
                "negative number '-1'",
                "number '99999999999' outside unsigned integer range"
            ]
        );
    }

    #[test]
    fn decimals() {
        let mut r = R::default();
        assert_eq!(
            read_decimal(&mut r, "0.5", 0, 10_000_000, 6, false),
            Some(500_000)
        );
        assert_eq!(
            read_decimal(&mut r, "1", 0, 10_000_000, 6, false),
            Some(1_000_000)
        );
        // too many places: reported, then rounded (keepalived keeps the value)
        assert_eq!(
            read_decimal(&mut r, "0.0000015", 0, 10_000_000, 6, false),
            Some(2)
        );
        assert_eq!(
            r.msgs,
            vec!["number '0.0000015' has too many decimal places"]
        );
        r.msgs.clear();
        assert_eq!(
            read_decimal(&mut r, "256", 10_000, 255_000_000, 6, false),
            None
        );
        assert_eq!(
            r.msgs,
            vec!["number '256' outside range [0.010000, 255.000000]"]
        );
        r.msgs.clear();
        assert_eq!(read_decimal(&mut r, "1.2.3", 0, 10_000_000, 6, false), None);
        assert_eq!(r.msgs, vec!["invalid number '1.2.3'"]);
    }

    #[test]
    fn decimal_places_cut_inside_a_multibyte_character() {
        // found by fuzzing: the 7th byte after the dot is inside 'é'
        let mut r = R::default();
        assert_eq!(
            read_decimal(&mut r, "1.00000é", 0, u64::MAX, 6, false),
            None
        );
        assert!(r.msgs.iter().any(|m| m.contains("too many decimal places")));
    }

    #[test]
    fn booleans_are_exact() {
        assert_eq!(check_true_false("on"), Some(true));
        assert_eq!(check_true_false("No"), None);
        assert_eq!(check_true_false("off"), Some(false));
    }
}
