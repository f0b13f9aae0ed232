//! The `keepalived` binary's command line, run as a user would (no root needed).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

const BIN: &str = env!("CARGO_BIN_EXE_keepalived");

fn run(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .output()
        .expect("run keepalived")
}

fn code(o: &Output) -> i32 {
    o.status.code().expect("exited normally")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// A scratch directory, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> Self {
        static N: AtomicUsize = AtomicUsize::new(0);
        let p = std::env::temp_dir().join(format!(
            "kars-cli-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&p).expect("create temp dir");
        TempDir(p)
    }

    fn file(&self, name: &str, text: &str) -> String {
        let p = self.0.join(name);
        std::fs::write(&p, text).expect("write config");
        p.to_string_lossy().into_owned()
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn help_prints_usage_to_stderr_and_exits_0() {
    for flag in ["-h", "--help", "--he"] {
        let o = run(&[flag]);
        assert_eq!(code(&o), 0, "{flag}");
        let e = stderr(&o);
        assert!(e.starts_with(&format!("Usage: {BIN} [OPTION...]\n")), "{e}");
        assert!(
            e.contains("  -f, --use-file=FILE          Use the specified configuration file\n")
        );
        assert!(e.contains(
            "  -t, --config-test[=LOG_FILE] Check the configuration for obvious errors, output to\n"
        ));
        assert!(e.contains("      --signum=SIGFUNC         Return signal number for STOP, RELOAD, DATA, STATS, STATS_CLEAR, JSON\n"));
        assert!(e.ends_with("  -h, --help                   Display this help message\n"));
        assert!(o.stdout.is_empty());
    }
}

#[test]
fn version_first_line_is_keepalived_compatible() {
    let o = run(&["-v"]);
    assert_eq!(code(&o), 0);
    let e = stderr(&o);
    let first = e.lines().next().unwrap_or_default();
    assert!(first.starts_with("Keepalived v2.2.7"), "{first}");
    assert!(first.contains("keepalived-rs"), "{first}");
    assert!(e.contains("MIT OR Apache-2.0"));
    assert_eq!(code(&run(&["--version"])), 0);
}

#[test]
fn signum_values() {
    for (name, n) in [
        ("STOP", 15),
        ("RELOAD", 1),
        ("DATA", 10),
        ("STATS", 12),
        ("JSON", 36),
        ("STATS_CLEAR", 63),
    ] {
        let o = run(&[&format!("--signum={name}")]);
        assert_eq!((code(&o), stdout(&o)), (0, format!("{n}\n")), "{name}");
    }
    let o = run(&["--signum", "STOP"]);
    assert_eq!(stdout(&o), "15\n");
    let o = run(&["--signum=FOO"]);
    assert_eq!(code(&o), 1);
    assert_eq!(stderr(&o), "Unknown sigfunc FOO\n");
}

#[test]
fn bad_options_exit_1_with_keepalived_messages() {
    let o = run(&["-Z"]);
    assert_eq!(
        (code(&o), stderr(&o)),
        (1, "Unknown option -Z\n".to_string())
    );
    let o = run(&["--no-such-option=1"]);
    assert_eq!(
        (code(&o), stderr(&o)),
        (1, "Unknown option --no-such-option=1\n".to_string())
    );
    let o = run(&["-f"]);
    assert_eq!(
        (code(&o), stderr(&o)),
        (1, "Missing parameter for option -f\n".to_string())
    );
    let o = run(&["--use-file="]);
    assert_eq!(
        (code(&o), stderr(&o)),
        (1, "Missing parameter for option --use-file\n".to_string())
    );
    let o = run(&["-Z", "stray"]);
    assert_eq!(code(&o), 1);
    assert_eq!(stdout(&o), "Unexpected argument(s): stray \n");
}

#[test]
fn check_only_mode_is_refused() {
    let o = run(&["-C"]);
    assert_eq!(code(&o), 1);
    assert!(
        stderr(&o).contains("-C/--check (checkers only) is not supported"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn config_test_clean_and_empty_files_exit_0() {
    let d = TempDir::new();
    let empty = d.file("empty.conf", "");
    let o = run(&["-t", "-f", &empty]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(stderr(&o), "");
    let clean = d.file("clean.conf", "# nothing but comments\n! and more\n\n");
    let o = run(&["--config-test", "--use-file", &clean]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(stderr(&o), "");
}

#[test]
fn config_test_unknown_keyword_exits_5() {
    let d = TempDir::new();
    let f = d.file("unknown.conf", "\nno_such_keyword 1\n");
    let o = run(&["-t", "-f", &f]);
    assert_eq!(code(&o), 5);
    let e = stderr(&o);
    assert!(
        e.contains(&format!("({f}: Line 2) Unknown keyword 'no_such_keyword'")),
        "{e}"
    );
}

#[test]
fn config_test_missing_file_exits_0_with_message() {
    let d = TempDir::new();
    let f = d.path().join("missing.conf").to_string_lossy().into_owned();
    let o = run(&["-t", "-f", &f]);
    assert_eq!(code(&o), 0);
    assert!(
        stderr(&o).contains(&format!("Config files missing '{f}'.")),
        "{}",
        stderr(&o)
    );
}

#[test]
fn config_test_missing_parameter_exits_2() {
    let d = TempDir::new();
    let f = d.file("prio.conf", "vrrp_instance VI_1 {\n    priority\n}\n");
    let o = run(&["-t", "-f", &f]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(stderr(&o).contains("missing a parameter"), "{}", stderr(&o));
}

#[test]
fn config_test_output_can_go_to_a_file() {
    let d = TempDir::new();
    let f = d.file("unknown.conf", "bogus\n");
    let log = d.path().join("test.log").to_string_lossy().into_owned();
    let o = run(&[&format!("-t{log}"), "-f", &f]);
    assert_eq!(code(&o), 5);
    assert_eq!(stderr(&o), "");
    let text = std::fs::read_to_string(&log).expect("log written");
    assert!(text.contains("Unknown keyword 'bogus'"), "{text}");
}

#[test]
fn daemon_without_a_config_file_exits_6_before_forking() {
    // Safe outside a namespace: the daemon stops before it forks, opens a
    // socket or writes a pid file. keepalived: nonexistent -f -> rc 6.
    let d = TempDir::new();
    let missing = d.path().join("none.conf").to_string_lossy().into_owned();
    let pid = d.path().join("k.pid").to_string_lossy().into_owned();
    let vpid = d.path().join("v.pid").to_string_lossy().into_owned();
    let o = run(&["-f", &missing, "-p", &pid, "-r", &vpid, "-G"]);
    assert_eq!(code(&o), 6);
    assert!(!d.path().join("k.pid").exists());
    assert!(!d.path().join("v.pid").exists());
}
