//! track_file content, init_file, and the whole path through priority.rs.

use super::*;
use crate::vrrp::priority::{Priority, Readiness, TrackerKind};

#[test]
fn strtol_base_0_like_c() {
    let table: &[(&str, i64, bool)] = &[
        ("", 0, false),
        ("0", 0, false),
        ("42", 42, false),
        ("42\n", 42, false),
        ("  \t\n 7", 7, false),
        ("+5", 5, false),
        ("-12abc", -12, false),
        ("0x1f", 31, false),
        ("0X1F", 31, false),
        ("-0x10", -16, false),
        ("0x", 0, false),  // glibc: "0" parsed, "x" left
        ("0xg", 0, false), // idem
        ("010", 8, false), // octal
        ("08", 0, false),  // octal stops at 8
        ("0778", 63, false),
        ("abc", 0, false),
        ("- 5", 0, false),
        ("1 2", 1, false),
        ("9223372036854775807", i64::MAX, false),
        ("9223372036854775808", i64::MAX, true),
        ("-9223372036854775808", i64::MIN, false),
        ("-9223372036854775809", i64::MIN, true),
        ("99999999999999999999999", i64::MAX, true),
        ("0xffffffffffffffffff", i64::MAX, true),
    ];
    for &(s, v, of) in table {
        assert_eq!(strtol0(s.as_bytes()), (v, of), "{s:?}");
    }
    // C strings end at NUL.
    assert_eq!(strtol0(b"12\x0034"), (12, false));
}

#[test]
fn file_values() {
    assert_eq!(file_value(None), FileValue::Value(0));
    assert_eq!(file_value(Some(b"")), FileValue::Value(0));
    assert_eq!(file_value(Some(b"\n")), FileValue::Value(0));
    assert_eq!(file_value(Some(b"-3\n")), FileValue::Value(-3));
    assert_eq!(
        file_value(Some(b"2147483647")),
        FileValue::Value(2147483647)
    );
    // keepalived accepts INT32_MAX + 1 (its check is `> INT32_MAX + 1`).
    assert_eq!(
        file_value(Some(b"2147483648")),
        FileValue::Value(2147483648)
    );
    assert_eq!(
        file_value(Some(b"2147483649")),
        FileValue::Invalid(2147483649)
    );
    assert_eq!(
        file_value(Some(b"-2147483648")),
        FileValue::Value(-2147483648)
    );
    assert_eq!(
        file_value(Some(b"-2147483649")),
        FileValue::Invalid(-2147483649)
    );
    assert_eq!(
        file_value(Some(b"123456789012345678901234567890")),
        FileValue::Invalid(i64::MAX)
    );
    // Only the first 127 bytes are read: a number after them is not seen.
    let mut long = vec![b' '; READ_MAX];
    long.extend_from_slice(b"55");
    assert_eq!(file_value(Some(&long)), FileValue::Value(0));
    long.remove(0);
    assert_eq!(file_value(Some(&long)), FileValue::Value(5));
}

#[test]
fn file_status_logs_invalid_numbers() {
    assert_eq!(
        file_status("/run/tf", Some(b"0x20")),
        Ok(TrackerStatus::Value(32))
    );
    let e = file_status("/run/tf", Some(b"5000000000")).unwrap_err();
    assert_eq!(
        e.text(),
        "Invalid number 5000000000 read from /run/tf - ignoring"
    );
}

/// (weight, reverse, content, effective priority from base 100, readiness)
#[test]
fn through_priority_table() {
    let table: &[(i32, bool, Option<&str>, u8, Readiness)] = &[
        (1, false, Some("10\n"), 110, Readiness::Ready),
        (1, false, None, 100, Readiness::Ready),
        (1, false, Some(""), 100, Readiness::Ready),
        (-5, false, Some("0x10"), 20, Readiness::Ready),
        (2, true, Some("  -7 apples"), 114, Readiness::Ready),
        (1, false, Some("010"), 108, Readiness::Ready),
        // value x weight clamps at 253, the total at 254
        (1, false, Some("300"), 254, Readiness::Ready),
        // -99 + 100 = 1; -150 would be -50 -> clamped to 1
        (1, false, Some("-99"), 1, Readiness::Ready),
        (1, false, Some("-150"), 1, Readiness::Ready),
        // <= -254 is FAULT (priority left as it was)
        (10, false, Some("-26"), 100, Readiness::Fault),
        (1, true, Some("254"), 100, Readiness::Fault),
        // weight 0: non-zero = FAULT, reversed: zero = FAULT
        (0, false, Some("1"), 100, Readiness::Fault),
        (0, false, Some("0"), 100, Readiness::Ready),
        (0, true, None, 100, Readiness::Fault),
        (0, true, Some("-4"), 100, Readiness::Ready),
    ];
    for &(w, r, content, eff, ready) in table {
        let mut p = Priority::new(100);
        let id = p.add_tracker(TrackerKind::File, "tf", w, r, TrackerStatus::Value(0));
        p.refresh();
        let st = file_status("/tmp/tf", content.map(str::as_bytes)).expect("valid");
        p.set_status(id, st);
        assert_eq!(
            (p.effective(), p.readiness()),
            (eff, ready),
            "weight {w} reverse {r} content {content:?}"
        );
    }
}

#[test]
fn invalid_content_keeps_the_previous_value() {
    let mut p = Priority::new(100);
    let id = p.add_tracker(TrackerKind::File, "tf", 2, false, TrackerStatus::Value(0));
    p.refresh();
    let mut feed = |content: &[u8]| {
        if let Ok(st) = file_status("/tmp/tf", Some(content)) {
            p.set_status(id, st);
        }
        p.effective()
    };
    assert_eq!(feed(b"20"), 140);
    assert_eq!(feed(b"99999999999"), 140);
    assert_eq!(feed(b"-10"), 80);
}

fn tf(init: Option<(i64, bool)>) -> TrackFile {
    TrackFile {
        name: "tf1".into(),
        file: Some("/run/tf1".into()),
        weight: 1,
        weight_reverse: false,
        init_file: init,
    }
}

#[test]
fn init_file_decisions() {
    use Existing::*;
    let write = |c: &str| InitFile::Write {
        path: "/run/tf1".into(),
        content: c.into(),
    };
    let not_regular = InitFile::Error(Event::TrackFileNotRegular { name: "tf1".into() });
    // (init_file, existing, reload) -> decision
    type Row = (Option<(i64, bool)>, Existing, bool, InitFile);
    let table: Vec<Row> = vec![
        (None, Absent, false, InitFile::Leave),
        (None, Regular, false, InitFile::Leave),
        // init_file [VAL]: create only
        (Some((0, false)), Absent, false, write("0\n")),
        (Some((-7, false)), Absent, true, write("-7\n")),
        (Some((5, false)), Regular, false, InitFile::Leave),
        (Some((5, false)), NotRegular, false, InitFile::Leave),
        // init_file [VAL] overwrite: also over a regular file, not on reload
        (Some((5, true)), Absent, false, write("5\n")),
        (Some((5, true)), Absent, true, write("5\n")),
        (Some((5, true)), Regular, false, write("5\n")),
        (Some((5, true)), Regular, true, InitFile::Leave),
        (Some((5, true)), NotRegular, false, not_regular.clone()),
        (Some((5, true)), NotRegular, true, not_regular),
    ];
    for (init, existing, reload, want) in table {
        assert_eq!(
            init_file(&tf(init), existing, reload),
            want,
            "{init:?} {existing:?} reload {reload}"
        );
    }
    let mut nofile = tf(Some((1, true)));
    nofile.file = None;
    assert_eq!(init_file(&nofile, Absent, false), InitFile::Leave);
    assert_eq!(
        Event::TrackFileNotRegular { name: "tf1".into() }.text(),
        "Cannot initialise track file tf1 - it is not a regular file"
    );
    assert_eq!(
        Event::TrackFileInitFailed { name: "tf1".into() }.text(),
        "Unable to initialise track file tf1"
    );
}
