//! `track_file` semantics as pure functions (KEEPALIVED.md §3.5; keepalived
//! `trackers/track_file.c`).
//!
//! * [`file_status`]: what a file's content means. keepalived reads at most
//!   127 bytes and parses them with `strtol(buf, NULL, 0)` (C rules: leading
//!   white space, a sign, `0x` hex, `0` octal, stop at the first other
//!   character); a missing, unreadable or empty file is 0. A number that
//!   overflows, or lies outside [INT32_MIN, INT32_MAX + 1], is logged
//!   ("Invalid number %ld read from %s - ignoring") and ignored: the previous
//!   value stays. The value goes to the engine as
//!   [`TrackerStatus::Value`]; `vrrp/priority.rs` turns it into value ×
//!   weight (× -1 with `reverse`) clamped to [-254, 253], ≤ -254 = FAULT,
//!   and with weight 0 any non-zero value = FAULT (inverted by `reverse`).
//! * [`init_file`]: what `init_file [VAL] [overwrite]` makes the daemon
//!   write at start-up (`"VAL\n"`, VAL default 0): without `overwrite` only
//!   when the file does not exist; with it also over an existing regular
//!   file, but never on a reload; an existing non-regular file is an error.
//!   Nothing is written with `-t` (the caller does not ask).
//!
//! The daemon watches the file (inotify: close-write, move-in → read it
//! again; delete, move-out → value 0, i.e. `file_status(path, None)`).

use crate::config::model::TrackFile;
use crate::vrrp::event::Event;
use crate::vrrp::priority::TrackerStatus;

/// keepalived reads `sizeof(buf) - 1` bytes of the file.
pub const READ_MAX: usize = 127;

/// C `isspace` in the C locale.
fn is_c_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

fn digit(b: u8, base: u64) -> Option<u64> {
    let d = match b {
        b'0'..=b'9' => u64::from(b - b'0'),
        b'a'..=b'z' => u64::from(b - b'a') + 10,
        b'A'..=b'Z' => u64::from(b - b'A') + 10,
        _ => return None,
    };
    (d < base).then_some(d)
}

/// C `strtol(s, NULL, 0)` with a 64-bit `long` (glibc): the value and
/// whether it overflowed (ERANGE; the value is then `i64::MAX`/`i64::MIN`).
/// No digits gives 0 without error. `s` ends at its first NUL.
pub fn strtol0(s: &[u8]) -> (i64, bool) {
    let s = s.split(|&b| b == 0).next().unwrap_or_default();
    let mut i = s.iter().take_while(|&&b| is_c_space(b)).count();
    let neg = match s.get(i) {
        Some(b'-') => {
            i += 1;
            true
        }
        Some(b'+') => {
            i += 1;
            false
        }
        _ => false,
    };
    let base = if s.get(i) == Some(&b'0')
        && matches!(s.get(i + 1), Some(b'x' | b'X'))
        && s.get(i + 2).and_then(|&b| digit(b, 16)).is_some()
    {
        i += 2;
        16
    } else if s.get(i) == Some(&b'0') {
        8
    } else {
        10
    };
    let mut mag: u64 = 0;
    let mut overflow = false;
    for &b in &s[i..] {
        let Some(d) = digit(b, base) else { break };
        match mag.checked_mul(base).and_then(|m| m.checked_add(d)) {
            Some(m) => mag = m,
            None => overflow = true,
        }
    }
    let limit = if neg {
        i64::MIN.unsigned_abs()
    } else {
        i64::MAX as u64
    };
    if overflow || mag > limit {
        return (if neg { i64::MIN } else { i64::MAX }, true);
    }
    let v = if neg {
        0i64.wrapping_sub_unsigned(mag)
    } else {
        mag as i64
    };
    (v, false)
}

/// What one read of a tracked file gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileValue {
    /// The file's number (0 when missing, unreadable or empty).
    Value(i64),
    /// Overflow or outside [INT32_MIN, INT32_MAX + 1]: keepalived logs it
    /// and keeps the previous value.
    Invalid(i64),
}

/// keepalived `process_track_file` on `content` (`None`: the file could not
/// be opened or read).
pub fn file_value(content: Option<&[u8]>) -> FileValue {
    let Some(c) = content.filter(|c| !c.is_empty()) else {
        return FileValue::Value(0);
    };
    let (v, overflow) = strtol0(&c[..c.len().min(READ_MAX)]);
    if overflow || v < i64::from(i32::MIN) || v > i64::from(i32::MAX) + 1 {
        FileValue::Invalid(v)
    } else {
        FileValue::Value(v)
    }
}

/// The status to feed the engine (`TrackerKind::File`) after reading
/// `path`, or the line to log when the content is ignored.
pub fn file_status(path: &str, content: Option<&[u8]>) -> Result<TrackerStatus, Event> {
    match file_value(content) {
        FileValue::Value(v) => Ok(TrackerStatus::Value(v)),
        FileValue::Invalid(value) => Err(Event::TrackFileInvalidNumber {
            value,
            path: path.to_string(),
        }),
    }
}

/// What is at the track file's path when the daemon starts (`stat`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Existing {
    /// `stat` failed (usually: no such file).
    Absent,
    Regular,
    /// A directory, FIFO, device ...
    NotRegular,
}

/// What to do about `init_file`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InitFile {
    /// Write nothing.
    Leave,
    /// Create/truncate `path` and write `content`; on failure log
    /// [`Event::TrackFileInitFailed`].
    Write { path: String, content: String },
    /// Log this and write nothing.
    Error(Event),
}

/// keepalived `track_file_end_handler`: what `init_file` asks for, given
/// what is at the path and whether this is a reload.
pub fn init_file(tf: &TrackFile, existing: Existing, reload: bool) -> InitFile {
    let (Some((value, overwrite)), Some(path)) = (tf.init_file, tf.file.as_ref()) else {
        return InitFile::Leave;
    };
    match existing {
        Existing::Absent => {}
        Existing::Regular | Existing::NotRegular if !overwrite => return InitFile::Leave,
        Existing::NotRegular => {
            return InitFile::Error(Event::TrackFileNotRegular {
                name: tf.name.clone(),
            });
        }
        Existing::Regular if reload => return InitFile::Leave,
        Existing::Regular => {}
    }
    InitFile::Write {
        path: path.clone(),
        content: format!("{value}\n"),
    }
}

#[cfg(test)]
mod tests;
