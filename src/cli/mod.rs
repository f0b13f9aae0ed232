//! keepalived 2.2.7's command line.
//!
//! One table ([`defs::OPTIONS`]) drives it all, in two stages:
//!
//! 1. [`getopt::lex`] splits the arguments exactly as keepalived's
//!    `getopt_long` call does (bundling, attached optional values,
//!    abbreviations, permutation) and [`parse`] walks the result in order the
//!    way keepalived's option loop does: `-h`, `-v` and `--signum` print and
//!    exit where they stand, bad options are reported with keepalived's words
//!    and make the run exit 1 at the end.
//! 2. The accepted options, rewritten as `--long[=value]`, are stored by a
//!    clap [`command`] built from the same table, and read back into
//!    [`Options`].
//!
//! clap alone cannot be the first stage: it has no way to accept `-tFILE`
//! while leaving `-t FILE` as an operand, nor to print keepalived's messages
//! in order. `--help` text ([`usage`]) and the man page rows
//! ([`man_options`]) also come from the table.

pub mod defs;
pub mod getopt;
pub mod man;

use clap::{Arg, ArgAction, ArgMatches, Command};
use defs::{ArgForm, Effect, OPTIONS, OptDef};
use getopt::Tok;

/// Where keepalived looks for its configuration.
pub const DEFAULT_CONFIG_FILE: &str = "/etc/keepalived/keepalived.conf";
/// The keepalived release whose behaviour this program reproduces.
pub const KEEPALIVED_VERSION: &str = "2.2.7";
/// clap id of the operands.
const OPERANDS: &str = "operands";

/// `-S`: syslog facility.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LogFacility {
    #[default]
    Daemon,
    User,
    /// LOG_LOCAL0 .. LOG_LOCAL7 (`-S N` or `-S localN`).
    Local(u8),
}

/// The parsed command line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Options {
    /// `-f`: configuration file (a glob pattern).
    pub conf_file: String,
    /// `-P`.
    pub vrrp_only: bool,
    /// `-l`.
    pub log_console: bool,
    /// `-D`: 0, 1 (detail) or 2 (given twice: extra detail).
    pub log_detail: u8,
    /// `-S`.
    pub log_facility: LogFacility,
    /// `-g`: log file name (keepalived's default `keepalived.log` when bare).
    pub log_file: Option<String>,
    /// `--flush-log-file`.
    pub flush_log_file: bool,
    /// `-G` (also implied by `-t`).
    pub no_syslog: bool,
    /// `-u`: umask bits.
    pub umask: Option<u32>,
    /// `-X`.
    pub release_vips: bool,
    /// `-V`.
    pub dont_release_vrrp: bool,
    /// `-R` (also implied by `-t`).
    pub dont_respawn: bool,
    /// `-n` (also implied by `-t`).
    pub dont_fork: bool,
    /// `-d`.
    pub dump_conf: bool,
    /// `-p`: parent pid file.
    pub pid_file: Option<String>,
    /// `-r`: VRRP child pid file.
    pub vrrp_pid_file: Option<String>,
    /// `-s`: network namespace.
    pub namespace: Option<String>,
    /// `-e`.
    pub all_config: bool,
    /// `-i`.
    pub config_id: Option<String>,
    /// `-t`.
    pub config_test: bool,
    /// `-tFILE`: append the `-t` output to FILE instead of stderr.
    pub config_test_log: Option<String>,
    /// Operands (keepalived prints them as unexpected and carries on).
    pub operands: Vec<String>,
    /// One line per accepted option that has no effect in this build, to be
    /// logged once when the daemon starts.
    pub notes: Vec<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            conf_file: DEFAULT_CONFIG_FILE.to_string(),
            vrrp_only: false,
            log_console: false,
            log_detail: 0,
            log_facility: LogFacility::Daemon,
            log_file: None,
            flush_log_file: false,
            no_syslog: false,
            umask: None,
            release_vips: false,
            dont_release_vrrp: false,
            dont_respawn: false,
            dont_fork: false,
            dump_conf: false,
            pid_file: None,
            vrrp_pid_file: None,
            namespace: None,
            all_config: false,
            config_id: None,
            config_test: false,
            config_test_log: None,
            operands: Vec::new(),
            notes: Vec::new(),
        }
    }
}

/// What to do after parsing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Go on with these options.
    Run(Box<Options>),
    /// Print, then exit with this status.
    Exit(u8),
}

/// The result of [`parse`]: text to print first, then the outcome.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parsed {
    pub stdout: String,
    pub stderr: String,
    pub outcome: Outcome,
}

/// keepalived `get_signum`: the signal a `--signum` name stands for.
pub fn signum(name: &str) -> Option<i32> {
    use nix::sys::signal::Signal;
    Some(match name {
        "STOP" => Signal::SIGTERM as i32,
        "RELOAD" => Signal::SIGHUP as i32,
        "DATA" => Signal::SIGUSR1 as i32,
        "STATS" => Signal::SIGUSR2 as i32,
        "STATS_CLEAR" => crate::io::sys::sigrtmax() - 1,
        "JSON" => crate::io::sys::sigrtmin() + 2,
        _ => return None,
    })
}

/// `-S` argument: `0`-`7`, `local0`-`local7`, `user` or `daemon`.
pub fn parse_facility(s: &str) -> Option<LogFacility> {
    let local = |d: &str| {
        (!d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
            .then(|| d.parse::<u8>().ok())
            .flatten()
            .filter(|n| *n <= 7)
            .map(LogFacility::Local)
    };
    match s {
        "daemon" => Some(LogFacility::Daemon),
        "user" => Some(LogFacility::User),
        _ => local(s).or_else(|| s.strip_prefix("local").and_then(local)),
    }
}

/// `-u` argument as keepalived reads it (`strtoll(s, &end, 0)`, all of it
/// consumed, no bits outside 0777).
pub fn parse_umask(s: &str) -> Option<u32> {
    if s.is_empty() {
        return Some(0); // strtoll converts nothing and stops at the NUL
    }
    let t = s.trim_start_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
    let (neg, t) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let hex = t
        .strip_prefix("0x")
        .or_else(|| t.strip_prefix("0X"))
        .filter(|h| h.starts_with(|c: char| c.is_ascii_hexdigit()));
    let (radix, digits) = match hex {
        Some(h) => (16, h),
        None if t.starts_with('0') => (8, t),
        None => (10, t),
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let v = u64::from_str_radix(digits, radix).ok()?;
    if (neg && v != 0) || v & !0o777 != 0 {
        return None;
    }
    Some(v as u32)
}

/// The clap command built from the table. It stores the options of the
/// canonical `--long[=value]` argument list that [`parse`] hands it.
pub fn command() -> Command {
    let mut cmd = Command::new("keepalived")
        .no_binary_name(true)
        .disable_help_flag(true)
        .disable_version_flag(true)
        .args_override_self(true);
    for d in OPTIONS {
        let mut a = Arg::new(d.long).long(d.long).help(d.help.join(" "));
        if let Some(c) = d.short {
            a = a.short(c);
        }
        a = match d.arg {
            ArgForm::None if d.count => a.action(ArgAction::Count),
            ArgForm::None => a.action(ArgAction::SetTrue),
            ArgForm::Required => a
                .action(ArgAction::Set)
                .num_args(1)
                .require_equals(true)
                .allow_hyphen_values(true),
            ArgForm::Optional => a
                .action(ArgAction::Append)
                .num_args(0..=1)
                .require_equals(true)
                .default_missing_value(""),
        };
        cmd = cmd.arg(a);
    }
    cmd.arg(Arg::new(OPERANDS).num_args(0..).action(ArgAction::Append))
}

/// The message logged for an accepted option that does nothing here.
fn note(def: &OptDef, reason: &str) -> String {
    format!(
        "option {} is accepted but has no effect in this build ({reason})",
        def.spelling()
    )
}

/// Parse a command line (`args[0]` is the program name, used by `--help`).
pub fn parse<I, S>(args: I) -> Parsed
where
    I: IntoIterator<Item = S>,
    S: Into<String>,
{
    let mut args: Vec<String> = args.into_iter().map(Into::into).collect();
    let prog = if args.is_empty() {
        "keepalived".to_string()
    } else {
        args.remove(0)
    };
    let lexed = getopt::lex(&args);
    let mut p = Parsed {
        stdout: String::new(),
        stderr: String::new(),
        outcome: Outcome::Exit(1),
    };
    let mut bad = false;
    let mut canon: Vec<String> = Vec::new();
    let mut notes: Vec<String> = Vec::new();

    for tok in lexed.toks {
        let (def, value) = match tok {
            Tok::Unknown(s) => {
                p.stderr.push_str(&format!("Unknown option {s}\n"));
                bad = true;
                continue;
            }
            Tok::Missing(s) => {
                p.stderr
                    .push_str(&format!("Missing parameter for option {s}\n"));
                bad = true;
                continue;
            }
            Tok::Opt { def, value } => (def, value),
        };
        match def.effect {
            Effect::Refused(text) => {
                p.stderr.push_str(text);
                p.stderr.push('\n');
                bad = true;
                continue;
            }
            Effect::NoEffect(reason) => {
                let n = note(def, reason);
                if !notes.contains(&n) {
                    notes.push(n);
                }
            }
            Effect::Applies => {}
        }
        let v = value.as_deref().unwrap_or("");
        match def.long {
            "help" => {
                p.stderr.push_str(&usage(&prog));
                p.outcome = Outcome::Exit(0);
                return p;
            }
            "version" => {
                let (sys, release, version) = crate::io::sys::kernel();
                p.stderr.push_str(&version_text(
                    &format!("{sys} {release} {version}"),
                    crate::io::sys::distro().as_deref(),
                ));
                p.outcome = Outcome::Exit(0);
                return p;
            }
            "signum" => {
                match signum(v) {
                    Some(n) => {
                        p.stdout.push_str(&format!("{n}\n"));
                        p.outcome = Outcome::Exit(0);
                    }
                    None => {
                        p.stderr.push_str(&format!("Unknown sigfunc {v}\n"));
                        p.outcome = Outcome::Exit(1);
                    }
                }
                return p;
            }
            "log-facility" if parse_facility(v).is_none() => {
                p.stderr.push_str(&format!("Invalid log facility '{v}'\n"));
                continue;
            }
            "umask" if parse_umask(v).is_none() => {
                p.stderr.push_str(&format!("Invalid --umask option {v}\n"));
                continue;
            }
            _ => {}
        }
        canon.push(match value {
            Some(v) => format!("--{}={v}", def.long),
            None => format!("--{}", def.long),
        });
    }

    if !lexed.operands.is_empty() {
        p.stdout.push_str("Unexpected argument(s): ");
        for o in &lexed.operands {
            p.stdout.push_str(o);
            p.stdout.push(' ');
        }
        p.stdout.push('\n');
    }
    if bad {
        return p;
    }

    canon.push("--".to_string());
    canon.extend(lexed.operands);
    match command().try_get_matches_from(&canon) {
        Ok(m) => {
            let mut o = options_from(&m);
            o.notes = notes;
            p.outcome = Outcome::Run(Box::new(o));
        }
        Err(e) => {
            // The canonical list is built from the table: this is a bug.
            p.stderr.push_str(&format!(
                "keepalived-rs: internal command line error: {e}\n"
            ));
        }
    }
    p
}

fn options_from(m: &ArgMatches) -> Options {
    let one = |id: &str| m.get_one::<String>(id).cloned();
    let flag = |id: &str| m.get_flag(id);
    let all = |id: &str| {
        m.get_many::<String>(id)
            .map(|v| v.cloned().collect::<Vec<_>>())
    };
    let mut o = Options {
        conf_file: one("use-file").unwrap_or_else(|| DEFAULT_CONFIG_FILE.to_string()),
        vrrp_only: flag("vrrp"),
        log_console: flag("log-console"),
        log_detail: m.get_count("log-detail").min(2),
        log_facility: one("log-facility")
            .and_then(|s| parse_facility(&s))
            .unwrap_or_default(),
        // keepalived: `-g` alone means "keepalived.log"; the last one wins.
        log_file: all("log-file").and_then(|v| v.last().cloned()).map(|f| {
            if f.is_empty() {
                "keepalived.log".into()
            } else {
                f
            }
        }),
        flush_log_file: flag("flush-log-file"),
        no_syslog: flag("no-syslog"),
        umask: one("umask").and_then(|s| parse_umask(&s)),
        release_vips: flag("release-vips"),
        dont_release_vrrp: flag("dont-release-vrrp"),
        dont_respawn: flag("dont-respawn"),
        dont_fork: flag("dont-fork"),
        dump_conf: flag("dump-conf"),
        pid_file: one("pid"),
        vrrp_pid_file: one("vrrp_pid"),
        namespace: one("namespace"),
        all_config: flag("all-config"),
        config_id: one("config-id"),
        config_test: false,
        // each `-tFILE` redirects the output again: the last named file wins
        config_test_log: None,
        operands: all(OPERANDS).unwrap_or_default(),
        notes: Vec::new(),
    };
    if let Some(v) = all("config-test") {
        o.config_test = true;
        o.config_test_log = v.into_iter().rev().find(|f| !f.is_empty());
        // keepalived: -t implies -R -n -G
        o.dont_respawn = true;
        o.dont_fork = true;
        o.no_syslog = true;
    }
    o
}

/// `--help` text, in keepalived's layout (to stderr).
pub fn usage(prog: &str) -> String {
    const COL: usize = 31;
    let mut out = format!("Usage: {prog} [OPTION...]\n");
    for d in OPTIONS.iter().filter(|d| !d.hidden) {
        let left = format!("  {}", d.synopsis());
        let mut lines = d.help.iter();
        if left.len() < COL {
            let first = lines.next().copied().unwrap_or("");
            out.push_str(&format!("{left:<COL$}{first}\n"));
            for l in lines {
                out.push_str(&format!("{:COL$} {l}\n", ""));
            }
        } else {
            out.push_str(&left);
            out.push('\n');
            for l in lines {
                out.push_str(&format!("{:COL$}{l}\n", ""));
            }
        }
    }
    out
}

/// `-v` text, in keepalived's layout. The first line starts with
/// "Keepalived v2.2.7" so scripts reading the version keep working.
pub fn version_text(running_on: &str, distro: Option<&str>) -> String {
    let me = env!("CARGO_PKG_VERSION");
    let mut out = format!("Keepalived v{KEEPALIVED_VERSION} (keepalived-rs {me})\n\n");
    out.push_str(&format!(
        "keepalived-rs {me}: a drop-in replacement for keepalived {KEEPALIVED_VERSION}'s VRRP daemon,\n\
         written in Rust, licensed {} (it contains no keepalived code).\n\
         keepalived is Copyright(C) 2001-2022 Alexandre Cassen, <acassen@gmail.com>\n\n",
        env!("CARGO_PKG_LICENSE")
    ));
    out.push_str(&format!("Running on {running_on}\n"));
    if let Some(d) = distro {
        out.push_str(&format!("Distro: {d}\n"));
    }
    out.push_str("\nConfig options:  VRRP\n");
    out
}

/// Rows for the man page's OPTIONS section: (synopsis, description), every
/// accepted option included, with what this build does with it.
pub fn man_options() -> Vec<(String, String)> {
    OPTIONS
        .iter()
        .map(|d| {
            let shown = match d.arg {
                ArgForm::Optional if !d.shown.starts_with('[') => format!("[{}]", d.shown),
                ArgForm::Required if d.shown.starts_with(' ') => {
                    format!("={}", d.shown.trim_start())
                }
                _ => d.shown.to_string(),
            };
            let left = match d.short {
                Some(c) => format!("-{c}, --{}{shown}", d.long),
                None => format!("--{}{shown}", d.long),
            };
            let mut text = d.help.join(" ");
            if !d.man.is_empty() {
                text.push(' ');
                text.push_str(d.man);
            }
            match d.effect {
                Effect::Applies => {}
                Effect::NoEffect(reason) => text.push_str(&format!(
                    " Accepted for compatibility; has no effect in keepalived-rs ({reason})."
                )),
                Effect::Refused(_) => {
                    text.push_str(" Not supported by keepalived-rs: it exits with status 1.")
                }
            }
            (left, text)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(args: &[&str]) -> Parsed {
        parse(std::iter::once("keepalived").chain(args.iter().copied()))
    }

    fn opts(args: &[&str]) -> Options {
        match run(args).outcome {
            Outcome::Run(o) => *o,
            other => panic!("{args:?}: {other:?}"),
        }
    }

    #[test]
    fn table_is_a_valid_clap_command() {
        command().debug_assert();
        let mut longs: Vec<_> = OPTIONS.iter().map(|d| d.long).collect();
        longs.sort_unstable();
        longs.dedup();
        assert_eq!(longs.len(), OPTIONS.len());
    }

    #[test]
    fn defaults() {
        let o = opts(&[]);
        assert_eq!(o, Options::default());
        assert_eq!(o.conf_file, DEFAULT_CONFIG_FILE);
    }

    #[test]
    fn daemon_options() {
        let o = opts(&[
            "-lDD",
            "-nS",
            "local3",
            "-f/x.conf",
            "--vrrp_pid=/r",
            "-p",
            "/p",
            "-u022",
            "-s",
            "ns1",
            "-i",
            "h1",
            "-e",
            "-P",
        ]);
        assert!(o.log_console && o.dont_fork && o.all_config && o.vrrp_only);
        assert_eq!(o.log_detail, 2);
        assert_eq!(o.log_facility, LogFacility::Local(3));
        assert_eq!(o.conf_file, "/x.conf");
        assert_eq!(o.vrrp_pid_file.as_deref(), Some("/r"));
        assert_eq!(o.pid_file.as_deref(), Some("/p"));
        assert_eq!(o.umask, Some(0o22));
        assert_eq!(o.namespace.as_deref(), Some("ns1"));
        assert_eq!(o.config_id.as_deref(), Some("h1"));
        assert!(o.notes.is_empty());
    }

    #[test]
    fn config_test_forms() {
        let o = opts(&["-t"]);
        assert!(o.config_test && o.dont_fork && o.dont_respawn && o.no_syslog);
        assert_eq!(o.config_test_log, None);
        assert_eq!(
            opts(&["-t/tmp/l"]).config_test_log.as_deref(),
            Some("/tmp/l")
        );
        assert_eq!(
            opts(&["--config-test=/a", "-t"]).config_test_log.as_deref(),
            Some("/a")
        );
        let p = run(&["-t", "x.conf"]);
        assert_eq!(p.stdout, "Unexpected argument(s): x.conf \n");
        let Outcome::Run(o) = p.outcome else { panic!() };
        assert_eq!(o.operands, ["x.conf"]);
    }

    #[test]
    fn inapplicable_options_give_notes() {
        let o = opts(&[
            "-B",
            "--all",
            "-I",
            "-c/c",
            "-b",
            "/b",
            "-a",
            "-x",
            "-A/s",
            "-m",
            "-Mcore",
            "-g",
            "--perf",
            "--debug=v",
            "--no-mem-check",
            "--config-fd=3",
            "-B",
        ]);
        assert_eq!(o.notes.len(), 15, "{:#?}", o.notes);
        assert_eq!(
            o.notes[0],
            "option -B/--no_bfd is accepted but has no effect in this build (there is no BFD subsystem)"
        );
        assert!(
            o.notes
                .iter()
                .any(|n| n.starts_with("option --all is accepted"))
        );
        assert_eq!(o.log_file.as_deref(), Some("keepalived.log"));
    }

    #[test]
    fn refused_and_bad_options() {
        let p = run(&["-C"]);
        assert_eq!(p.outcome, Outcome::Exit(1));
        assert_eq!(p.stderr, format!("{}\n", defs::CHECK_REFUSED));
        let p = run(&["-T", "-s", "host"]);
        assert_eq!(p.outcome, Outcome::Exit(1));
        let p = run(&["-Z", "--foo", "-f"]);
        assert_eq!(
            p.stderr,
            "Unknown option -Z\nUnknown option --foo\nMissing parameter for option -f\n"
        );
        assert_eq!(p.outcome, Outcome::Exit(1));
        // -h after a bad option still prints the usage and exits 0
        let p = run(&["-Z", "-h"]);
        assert_eq!(p.outcome, Outcome::Exit(0));
        assert!(
            p.stderr
                .starts_with("Unknown option -Z\nUsage: keepalived [OPTION...]\n")
        );
    }

    #[test]
    fn soft_errors_carry_on() {
        let p = run(&["-S", "local9", "-u", "0999"]);
        assert_eq!(
            p.stderr,
            "Invalid log facility 'local9'\nInvalid --umask option 0999\n"
        );
        let Outcome::Run(o) = p.outcome else { panic!() };
        assert_eq!((o.log_facility, o.umask), (LogFacility::Daemon, None));
    }

    #[test]
    fn signums() {
        let n = |s: &str| {
            let p = run(&[&format!("--signum={s}")]);
            (p.stdout, p.outcome)
        };
        assert_eq!(n("STOP"), ("15\n".into(), Outcome::Exit(0)));
        assert_eq!(n("RELOAD"), ("1\n".into(), Outcome::Exit(0)));
        assert_eq!(n("DATA"), ("10\n".into(), Outcome::Exit(0)));
        assert_eq!(n("STATS"), ("12\n".into(), Outcome::Exit(0)));
        assert_eq!(signum("JSON"), Some(crate::io::sys::sigrtmin() + 2));
        assert_eq!(signum("STATS_CLEAR"), Some(crate::io::sys::sigrtmax() - 1));
        let p = run(&["--signum", "stop"]);
        assert_eq!(
            (p.stderr.as_str(), p.outcome),
            ("Unknown sigfunc stop\n", Outcome::Exit(1))
        );
    }

    #[test]
    fn facility_and_umask_readers() {
        assert_eq!(parse_facility("0"), Some(LogFacility::Local(0)));
        assert_eq!(parse_facility("local7"), Some(LogFacility::Local(7)));
        assert_eq!(parse_facility("user"), Some(LogFacility::User));
        assert_eq!(parse_facility("8"), None);
        assert_eq!(parse_facility("local"), None);
        assert_eq!(parse_umask("022"), Some(0o22));
        assert_eq!(parse_umask("18"), Some(18));
        assert_eq!(parse_umask("0x1f"), Some(0x1f));
        assert_eq!(parse_umask(""), Some(0));
        assert_eq!(parse_umask("-0"), Some(0));
        for bad in ["1000", "-1", "0x", "08", "abc", " ", "022 "] {
            assert_eq!(parse_umask(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn usage_matches_keepalived_layout() {
        let u = usage("/usr/sbin/keepalived");
        let lines: Vec<&str> = u.lines().collect();
        assert_eq!(lines[0], "Usage: /usr/sbin/keepalived [OPTION...]");
        assert_eq!(
            lines[1],
            "  -f, --use-file=FILE          Use the specified configuration file"
        );
        assert_eq!(
            lines[2],
            "                                default '/etc/keepalived/keepalived.conf'"
        );
        assert!(lines.contains(&"      --all                    Force all child processes to run, even if have no configuration"));
        assert!(lines.contains(&"  -S, --log-facility=([0-7]|local[0-7]|user|daemon)"));
        assert!(lines.contains(&"                               Set syslog facility to LOG_LOCAL[0-7], user or daemon (default)"));
        assert!(
            lines.contains(
                &"  -A, --snmp-agent-socket=FILE Use the specified socket for master agent"
            )
        );
        assert!(lines.contains(
            &"  -t, --config-test[=LOG_FILE] Check the configuration for obvious errors, output to"
        ));
        assert!(lines.contains(&"  -i, --config-id id           Skip any configuration lines beginning '@' that don't match id"));
        assert_eq!(
            lines.last(),
            Some(&"  -h, --help                   Display this help message")
        );
        assert!(!u.contains("--perf") && !u.contains("--config-fd"));
    }

    #[test]
    fn version_first_line() {
        let v = version_text("Linux 6.1.0 #1 SMP", Some("Debian GNU/Linux 12 (bookworm)"));
        assert!(v.starts_with("Keepalived v2.2.7 (keepalived-rs "));
        assert!(
            v.contains("Running on Linux 6.1.0 #1 SMP\nDistro: Debian GNU/Linux 12 (bookworm)\n")
        );
        assert!(v.contains(env!("CARGO_PKG_LICENSE")));
    }

    #[test]
    fn man_rows_cover_every_option() {
        let rows = man_options();
        assert_eq!(rows.len(), OPTIONS.len());
        assert!(
            rows.iter()
                .any(|(l, _)| l == "-t, --config-test[=LOG_FILE]")
        );
        assert!(
            rows.iter()
                .any(|(l, _)| l == "-M, --core-dump-pattern[=PATN]")
        );
        assert!(rows.iter().any(|(l, _)| l == "-i, --config-id=id"));
        assert!(
            rows.iter()
                .any(|(l, t)| l == "--all" && t.contains("no effect"))
        );
        assert!(
            rows.iter()
                .any(|(l, t)| l == "-C, --check" && t.contains("Not supported"))
        );
    }
}
