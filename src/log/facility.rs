//! `-S/--log-facility`: keepalived 2.2.7's accepted spellings.
//!
//! Owns: the mapping from the option's text to a syslog facility. Must not:
//! print; the caller writes the error text to stderr.

pub use syslog::Facility;

/// keepalived's default facility (no `-S`).
pub const DEFAULT_FACILITY: Facility = Facility::LOG_DAEMON;

/// The eight `LOG_LOCALn` facilities, indexed by `n`.
const LOCAL: [Facility; 8] = [
    Facility::LOG_LOCAL0,
    Facility::LOG_LOCAL1,
    Facility::LOG_LOCAL2,
    Facility::LOG_LOCAL3,
    Facility::LOG_LOCAL4,
    Facility::LOG_LOCAL5,
    Facility::LOG_LOCAL6,
    Facility::LOG_LOCAL7,
];

/// Parse a `-S` argument as keepalived 2.2.7 does (keepalived/core/main.c,
/// `case 'S'`): a number 0-7 or `localN` (N 0-7) selects `LOG_LOCALn`; the
/// exact (case-sensitive) names `daemon` and `user` select those facilities.
///
/// Numbers follow keepalived's `read_unsigned` (strtoul base 10): leading
/// white space and a `+` are accepted, and an empty number counts as 0, so
/// `-S ""` and `-S local` both mean `LOG_LOCAL0` (keepalived quirk).
///
/// The error is keepalived's stderr text, `Invalid log facility '%s'`.
/// keepalived does not treat it as a bad option: it prints the line and goes
/// on with the facility it had (default `LOG_DAEMON`); the caller should too.
/// (keepalived's `read_unsigned` also logs an "invalid number" config line
/// for a non-numeric argument such as `daemon`; we do not reproduce that.)
pub fn parse_facility(s: &str) -> Result<Facility, String> {
    let n = read_unsigned(s).or_else(|| s.strip_prefix("local").and_then(read_unsigned));
    if let Some(n) = n {
        if let Some(f) = LOCAL.get(n as usize) {
            return Ok(*f);
        }
    }
    match s {
        "daemon" => Ok(Facility::LOG_DAEMON),
        "user" => Ok(Facility::LOG_USER),
        _ => Err(format!("Invalid log facility '{s}'")),
    }
}

/// keepalived's `read_unsigned` accepting rule (strtoul base 10, whole string
/// consumed, no minus sign, fits an unsigned int). Range is checked by the caller.
fn read_unsigned(s: &str) -> Option<u32> {
    // C isspace(): space, \t, \n, \v, \f, \r.
    let t = s.trim_start_matches([' ', '\t', '\n', '\x0b', '\x0c', '\r']);
    if t.is_empty() {
        // strtoul converts nothing and leaves endptr on the terminating NUL.
        return Some(0);
    }
    let digits = t.strip_prefix('+').unwrap_or(t);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse::<u32>().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(s: &str) -> Option<u8> {
        parse_facility(s).ok().map(|f| f as u8)
    }

    #[test]
    fn numbers_and_local_names() {
        for n in 0..8u8 {
            assert_eq!(code(&n.to_string()), Some((16 + n) << 3), "{n}");
            assert_eq!(code(&format!("local{n}")), Some((16 + n) << 3), "local{n}");
        }
        assert_eq!(code("daemon"), Some(3 << 3));
        assert_eq!(code("user"), Some(1 << 3));
        assert_eq!(DEFAULT_FACILITY as u8, 3 << 3);
    }

    #[test]
    fn strtoul_quirks() {
        assert_eq!(code(" 3"), Some(19 << 3));
        assert_eq!(code("+3"), Some(19 << 3));
        assert_eq!(code("07"), Some(23 << 3));
        assert_eq!(code("local 2"), Some(18 << 3));
        assert_eq!(code(""), Some(16 << 3));
        assert_eq!(code("local"), Some(16 << 3));
    }

    #[test]
    fn rejected_with_keepalived_text() {
        for bad in [
            "8",
            "local8",
            "-0",
            "3 ",
            "0x1",
            "+",
            "Daemon",
            "LOCAL0",
            "kern",
            "auth",
            "99999999999",
        ] {
            assert_eq!(
                parse_facility(bad).map(|f| f as u8),
                Err(format!("Invalid log facility '{bad}'")),
                "{bad:?}"
            );
        }
    }
}
