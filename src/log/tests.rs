//! Logger tests: detail filtering, console lines, syslog delivery to a test
//! socket (priority, ident, pid), reconnection, and a missing or stuck
//! syslog daemon. No environment variable is set in this process; the local
//! time zone test runs in a child process.

use super::*;
use std::os::unix::net::UnixDatagram;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A shared buffer standing in for stderr.
#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        lock(&self.0).extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Capture {
    fn text(&self) -> String {
        String::from_utf8_lossy(&lock(&self.0)).into_owned()
    }
}

/// A private temporary directory, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> Self {
        let p = std::env::temp_dir().join(format!("krs-log-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).expect("create temp dir");
        TempDir(p)
    }
    fn path(&self, f: &str) -> PathBuf {
        self.0.join(f)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn receiver(path: &Path) -> UnixDatagram {
    let r = UnixDatagram::bind(path).expect("bind test syslog socket");
    r.set_read_timeout(Some(Duration::from_secs(5)))
        .expect("read timeout");
    r
}

fn recv(r: &UnixDatagram) -> String {
    let mut buf = [0u8; 2048];
    let n = r.recv(&mut buf).expect("a syslog datagram");
    String::from_utf8_lossy(&buf[..n]).into_owned()
}

fn syslog_only(path: PathBuf, detail: u8, err: &Capture) -> Logger {
    Logger::with_stderr(
        LogOptions {
            detail,
            socket_path: path,
            ..LogOptions::default()
        },
        Box::new(err.clone()),
    )
}

fn master(name: &str) -> Event {
    Event::EnteringMaster { name: name.into() }
}

fn timeout_event() -> Event {
    Event::ReceiveAdvertTimeout {
        name: "VI_1".into(),
    }
}

#[test]
fn detail_filtering() {
    let quiet = Logger::new(LogOptions {
        syslog: false,
        ..LogOptions::default()
    });
    assert!(quiet.wants(&master("VI_1")));
    assert!(!quiet.wants(&timeout_event()));
    let detailed = Logger::new(LogOptions {
        syslog: false,
        detail: 1,
        ..LogOptions::default()
    });
    assert!(detailed.wants(&timeout_event()));

    // Through the console: the Detailed line is dropped without -D.
    for (detail, want_timeout) in [(0u8, false), (1, true), (2, true)] {
        let err = Capture::default();
        let l = Logger::with_stderr(
            LogOptions {
                syslog: false,
                console: true,
                detail,
                ..LogOptions::default()
            },
            Box::new(err.clone()),
        );
        l.event(&timeout_event());
        l.event(&master("VI_1"));
        let out = err.text();
        assert_eq!(
            out.contains("(VI_1) Receive advertisement timeout"),
            want_timeout,
            "-D x{detail}: {out}"
        );
        assert!(out.contains(": (VI_1) Entering MASTER STATE\n"), "{out}");
    }
}

#[test]
fn console_line_has_ctime_stamp() {
    let err = Capture::default();
    let l = Logger::with_stderr(
        LogOptions {
            syslog: false,
            console: true,
            ..LogOptions::default()
        },
        Box::new(err.clone()),
    );
    l.process(Severity::Info, "Starting Keepalived v2.2.7 (01/16,2022)");
    let out = err.text();
    // "Www Mmm dd hh:mm:ss yyyy: msg\n"
    let (stamp, msg) = out.split_once(": ").expect("stamp separator");
    assert_eq!(msg, "Starting Keepalived v2.2.7 (01/16,2022)\n");
    let b = stamp.as_bytes();
    assert_eq!(b.len(), 24, "{stamp:?}");
    assert!(b[..3].iter().all(u8::is_ascii_alphabetic), "{stamp:?}");
    assert_eq!(
        (b[3], b[7], b[10], b[13], b[16], b[19]),
        (b' ', b' ', b' ', b':', b':', b' ')
    );
}

#[test]
fn no_output_without_sinks() {
    let err = Capture::default();
    let l = Logger::with_stderr(
        LogOptions {
            syslog: false,
            ..LogOptions::default()
        },
        Box::new(err.clone()),
    );
    l.event(&master("VI_1"));
    l.config("Unknown keyword 'foo'");
    assert_eq!(err.text(), "");
}

#[test]
fn local_time_string_follows_tz_in_a_child() {
    // Child side: print the conversion under the TZ the parent chose.
    if let Ok(secs) = std::env::var("KRS_LOG_LOCALTIME_CHILD") {
        let secs: i64 = secs.parse().expect("seconds");
        println!("LOCALTIME={}", crate::io::sys::local_time_string(secs));
        return;
    }
    let exe = std::env::current_exe().expect("test binary");
    for (tz, want) in [
        ("UTC0", "Wed Nov 25 07:45:17 2026"),
        ("JST-9", "Wed Nov 25 16:45:17 2026"),
        ("EST5", "Wed Nov 25 02:45:17 2026"),
    ] {
        let out = std::process::Command::new(&exe)
            .args([
                "--exact",
                "log::tests::local_time_string_follows_tz_in_a_child",
                "--nocapture",
                "--test-threads=1",
            ])
            .env("TZ", tz)
            .env("KRS_LOG_LOCALTIME_CHILD", "1795592717")
            .output()
            .expect("run child");
        let stdout = String::from_utf8_lossy(&out.stdout);
        // libtest prints the test name first, on the same line.
        let got = stdout
            .split_once("LOCALTIME=")
            .and_then(|(_, rest)| rest.lines().next())
            .unwrap_or_else(|| panic!("no LOCALTIME line for TZ={tz}: {stdout}"));
        assert_eq!(got, want, "TZ={tz}");
    }
}

#[test]
fn syslog_delivery_priority_ident_pid() {
    let dir = TempDir::new("deliver");
    let path = dir.path("log");
    let r = receiver(&path);
    let err = Capture::default();
    let l = syslog_only(path, 0, &err);
    let pid = std::process::id();

    l.event(&master("VI_1"));
    let got = recv(&r);
    assert!(got.starts_with("<30>"), "daemon.info = 3*8+6: {got}");
    assert!(
        got.ends_with(&format!(
            " Keepalived_vrrp[{pid}]: (VI_1) Entering MASTER STATE"
        )),
        "{got}"
    );

    // A Detailed event is dropped without -D: the next datagram is the next
    // Always line.
    l.event(&timeout_event());
    l.process(Severity::Alert, "VRRP child process(42) died: Respawning");
    let got = recv(&r);
    assert!(got.starts_with("<25>"), "daemon.alert = 3*8+1: {got}");
    assert!(
        got.ends_with(&format!(
            " Keepalived[{pid}]: VRRP child process(42) died: Respawning"
        )),
        "{got}"
    );

    l.config("(/etc/keepalived/keepalived.conf: Line 3) Unknown keyword 'foo'");
    let got = recv(&r);
    assert!(got.starts_with("<30>"), "{got}");
    assert!(got.contains("Keepalived_vrrp["), "{got}");
    assert_eq!(err.text(), "", "no stderr note while syslog works");
}

#[test]
fn syslog_facility_detail_and_suffix() {
    let dir = TempDir::new("facility");
    let path = dir.path("log");
    let r = receiver(&path);
    let err = Capture::default();
    let l = Logger::with_stderr(
        LogOptions {
            detail: 1,
            facility: parse_facility("local3").expect("local3"),
            ident_suffix: ident_suffix(Some("blue"), None),
            socket_path: path,
            ..LogOptions::default()
        },
        Box::new(err.clone()),
    );
    let pid = std::process::id();
    l.event(&timeout_event());
    let got = recv(&r);
    assert!(got.starts_with("<158>"), "local3.info = 19*8+6: {got}");
    assert!(
        got.ends_with(&format!(
            " Keepalived_vrrp_blue[{pid}]: (VI_1) Receive advertisement timeout"
        )),
        "{got}"
    );

    l.set_ident_suffix(ident_suffix(Some("blue"), Some("i2")));
    assert_eq!(l.ident(Ident::Process), "Keepalived_blue_i2");
    l.vrrp(Severity::Err, "x");
    let got = recv(&r);
    assert!(got.starts_with("<155>"), "local3.err: {got}");
    assert!(
        got.ends_with(&format!(" Keepalived_vrrp_blue_i2[{pid}]: x")),
        "{got}"
    );
    assert_eq!(ident_suffix(None, None), None);
    assert_eq!(ident_suffix(None, Some("i")).as_deref(), Some("_i"));
}

#[test]
fn log_crate_records_route_by_target() {
    use ::log::Log as _;
    let dir = TempDir::new("logcrate");
    let path = dir.path("log");
    let r = receiver(&path);
    let err = Capture::default();
    let l = syslog_only(path, 0, &err);
    let pid = std::process::id();
    let rec = |target: &'static str, level, msg: &'static str| {
        l.log(
            &::log::Record::builder()
                .target(target)
                .level(level)
                .args(format_args!("{msg}"))
                .build(),
        );
    };
    rec("anything", ::log::Level::Debug, "dropped without -D -D");
    rec(PROCESS_TARGET, ::log::Level::Info, "Startup complete");
    let got = recv(&r);
    assert!(got.starts_with("<30>"), "{got}");
    assert!(
        got.ends_with(&format!(" Keepalived[{pid}]: Startup complete")),
        "{got}"
    );
    rec("keepalived_rs::io", ::log::Level::Warn, "w");
    let got = recv(&r);
    assert!(got.starts_with("<28>"), "daemon.warning: {got}");
    assert!(
        got.ends_with(&format!(" Keepalived_vrrp[{pid}]: w")),
        "{got}"
    );
}

#[test]
fn missing_socket_neither_panics_nor_blocks() {
    let dir = TempDir::new("missing");
    let path = dir.path("no-such-log");
    let err = Capture::default();
    let l = syslog_only(path.clone(), 1, &err);
    let start = Instant::now();
    for _ in 0..200 {
        l.event(&master("VI_1"));
    }
    // Not a speed test: blocking on each message would take minutes; the
    // bound only has to be far below that to catch it on a loaded machine.
    assert!(
        start.elapsed() < Duration::from_secs(30),
        "{:?}",
        start.elapsed()
    );
    let note = err.text();
    assert_eq!(note.lines().count(), 1, "a single note: {note}");
    assert!(note.contains("no-such-log"), "{note}");

    // Once the socket appears, lines flow again (lazy connect).
    let r = receiver(&path);
    l.event(&master("VI_2"));
    assert!(recv(&r).ends_with("(VI_2) Entering MASTER STATE"));
}

#[test]
fn reconnects_after_syslog_restart() {
    let dir = TempDir::new("restart");
    let path = dir.path("log");
    let err = Capture::default();
    let l = syslog_only(path.clone(), 0, &err);
    {
        let r = receiver(&path);
        l.event(&master("A"));
        assert!(recv(&r).ends_with("(A) Entering MASTER STATE"));
    }
    // The daemon restarts: a new socket at the same path.
    std::fs::remove_file(&path).expect("remove old socket");
    let r = receiver(&path);
    l.event(&master("B"));
    assert!(recv(&r).ends_with("(B) Entering MASTER STATE"));
    assert_eq!(err.text(), "", "the retry hid the failure");
}

#[test]
fn stuck_syslog_does_not_stall() {
    let dir = TempDir::new("stuck");
    let path = dir.path("log");
    // Bound but never read until the end: the queue fills.
    let r = receiver(&path);
    let err = Capture::default();
    let l = syslog_only(path, 0, &err);
    let start = Instant::now();
    for i in 0..2000 {
        l.vrrp(Severity::Info, &format!("line {i}"));
    }
    let took = start.elapsed();
    // 2000 blocking sends of 100 ms would take 200 s; far below that means
    // the logger does not stall the caller (not a speed measurement).
    assert!(took < Duration::from_secs(30), "took {took:?}");
    let note = err.text();
    assert_eq!(note.lines().count(), 1, "{note}");
    assert!(note.contains("full"), "{note}");
    // What was queued is intact and in order.
    assert!(recv(&r).ends_with(": line 0"));
    assert!(recv(&r).ends_with(": line 1"));
}
