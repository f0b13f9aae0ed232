//! The `-l/--log-console` line: `"%c: msg"`, with C's `%c` in the C locale
//! (`"%a %b %e %H:%M:%S %Y"`, e.g. `Wed Nov 25 07:45:17 2026`), as
//! keepalived 2.2.7's `vlog_message` prints it (compat/evidence/log-*.txt).
//!
//! Owns: the pure formatting. Must not: read the clock or the time zone
//! (the broken-down local time comes from [`crate::io::sys::local_time_string`]).

use std::fmt::Write as _;

/// keepalived formats console lines into `char buf[2 * MAX_LOG_MSG + 1]`
/// (lib/logger.c, MAX_LOG_MSG 255): longer messages are cut to 510 bytes.
pub const MAX_CONSOLE_MSG: usize = 2 * 255;

/// A broken-down calendar time, as C's `struct tm` holds it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CivilTime {
    /// Full year, e.g. 2026.
    pub year: i64,
    /// Month 0-11 (`tm_mon`).
    pub mon: u32,
    /// Day of the month 1-31.
    pub mday: u32,
    pub hour: u32,
    pub min: u32,
    pub sec: u32,
    /// Day of the week 0-6, Sunday = 0 (`tm_wday`).
    pub wday: u32,
}

const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// C's `%c` in the C locale: `"%a %b %e %H:%M:%S %Y"` (`%e` is the day of
/// the month padded with a space).
pub fn format_ctime(t: &CivilTime) -> String {
    let day = DAYS.get(t.wday as usize).copied().unwrap_or("???");
    let mon = MONTHS.get(t.mon as usize).copied().unwrap_or("???");
    format!(
        "{day} {mon} {:2} {:02}:{:02}:{:02} {}",
        t.mday, t.hour, t.min, t.sec, t.year
    )
}

/// The calendar time `secs` seconds after the epoch at a fixed UTC offset
/// (`offset_secs` east of Greenwich; 0 for UTC). Used for tests and as the
/// fallback when the C library cannot convert to local time.
pub fn civil_at_offset(secs: i64, offset_secs: i64) -> CivilTime {
    let t = secs.saturating_add(offset_secs);
    let days = t.div_euclid(86_400);
    let rem = t.rem_euclid(86_400) as u32;
    let (year, mon, mday) = civil_from_days(days);
    CivilTime {
        year,
        mon,
        mday,
        hour: rem / 3600,
        min: rem % 3600 / 60,
        sec: rem % 60,
        // 1970-01-01 was a Thursday.
        wday: (days + 4).rem_euclid(7) as u32,
    }
}

/// Proleptic Gregorian date of a day count since 1970-01-01, as
/// `(year, month 0-11, day 1-31)` (the well-known era/day-of-era method).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097); // [0, 146096]
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365; // [0, 399]
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // [0, 365]
    let mp = (5 * doy + 2) / 153; // [0, 11], March-based
    let mday = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let mon = if mp < 10 { mp + 2 } else { mp - 10 } as u32;
    let year = yoe + era * 400 + i64::from(mon < 2);
    (year, mon, mday)
}

/// One console line, newline included: `"<timestamp>: <msg>\n"`, the message
/// cut to [`MAX_CONSOLE_MSG`] bytes (on a character boundary) as keepalived's
/// buffer cuts it.
pub fn console_line(timestamp: &str, msg: &str) -> String {
    let mut end = msg.len().min(MAX_CONSOLE_MSG);
    while !msg.is_char_boundary(end) {
        end -= 1;
    }
    let mut line = String::with_capacity(timestamp.len() + end + 3);
    let _ = write!(line, "{timestamp}: {}", &msg[..end]);
    line.push('\n');
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_timestamps_like_c_ctime() {
        // compat/evidence/log-nodeA-failover-with-D.txt style, read as UTC.
        let t = civil_at_offset(1_795_592_717, 0);
        assert_eq!(format_ctime(&t), "Wed Nov 25 07:45:17 2026");
        // %e pads a one-digit day with a space.
        assert_eq!(
            format_ctime(&civil_at_offset(1_772_670_896, 0)),
            "Thu Mar  5 00:34:56 2026"
        );
        assert_eq!(
            format_ctime(&civil_at_offset(0, 0)),
            "Thu Jan  1 00:00:00 1970"
        );
        assert_eq!(
            format_ctime(&civil_at_offset(-1, 0)),
            "Wed Dec 31 23:59:59 1969"
        );
        // leap day
        assert_eq!(
            format_ctime(&civil_at_offset(951_782_400, 0)),
            "Tue Feb 29 00:00:00 2000"
        );
        // an explicit offset: UTC+9 crosses midnight
        assert_eq!(
            format_ctime(&civil_at_offset(1_795_592_717 + 16 * 3600, 9 * 3600)),
            "Thu Nov 26 08:45:17 2026"
        );
    }

    #[test]
    fn console_line_format_and_cut() {
        assert_eq!(
            console_line("Wed Nov 25 07:45:17 2026", "(VI_1) Entering MASTER STATE"),
            "Wed Nov 25 07:45:17 2026: (VI_1) Entering MASTER STATE\n"
        );
        let long = "é".repeat(400);
        let line = console_line("T", &long);
        assert!(line.len() <= 3 + MAX_CONSOLE_MSG + 1);
        assert!(line.ends_with("é\n"));
    }
}
