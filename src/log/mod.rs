//! Where log lines go: syslog (through the `syslog` crate) and, with
//! `-l -n`, stderr, as keepalived 2.2.7 sends them (KEEPALIVED.md §9).
//!
//! * syslog: like `openlog(ident, LOG_PID, facility)`: RFC 3164 frames on the
//!   unix socket `/dev/log`, one connection per ident: `Keepalived` for the
//!   process lines, `Keepalived_vrrp` for the VRRP lines (plus the
//!   `_NETNS`/`_INSTANCE` suffix), facility `LOG_DAEMON` unless `-S`.
//! * console (`-l`, only effective with `-n`): `"%c: msg"` on stderr, e.g.
//!   `Wed Nov 25 07:45:17 2026: (VI_1) Entering MASTER STATE`, local time.
//! * [`Event`]s: `Detail::Detailed` ones only with `-D`; all at `LOG_INFO`.
//!
//! Owns: the [`Logger`] sink, `-S` parsing ([`parse_facility`]), the console
//! format ([`console`]). Must not: word messages (that is
//! [`crate::vrrp::event`] and the callers' catalogs), or panic or stall the
//! caller when syslog is missing or stuck.
//!
//! Differences from keepalived, on purpose:
//! * the RFC 3164 header timestamp is UTC (the `syslog` crate's choice; the
//!   usual receivers, journald and rsyslog's imuxsock, replace it by the
//!   receive time), and the day of the month is zero-padded.
//! * `LOG_CONS` (keepalived sets it with `-l`) is not emulated: a message
//!   syslog refuses is not copied to /dev/console; with `-l` it is already on
//!   stderr. One note goes to stderr instead when syslog starts failing.
//! * a send blocks at most [`sink::SEND_TIMEOUT`] (glibc: forever), after
//!   which messages are dropped while the socket stays full.

pub mod console;
pub mod facility;
pub mod ratelimit;
pub mod sink;

pub use facility::{DEFAULT_FACILITY, Facility, parse_facility};

use crate::config::diag::Diagnostic;
use crate::config::source::SourceMap;
use crate::vrrp::event::{Detail, Event};
use sink::{IdentSink, Outcome};
use std::io::Write;
use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};
use std::time::{SystemTime, UNIX_EPOCH};

/// The parent's syslog ident (keepalived's PACKAGE_NAME).
pub const PROCESS_IDENT: &str = "Keepalived";
/// The VRRP child's syslog ident (keepalived's PROG_VRRP).
pub const VRRP_IDENT: &str = "Keepalived_vrrp";
/// `log` crate records with this target go to the [`PROCESS_IDENT`] ident;
/// all others to [`VRRP_IDENT`].
pub const PROCESS_TARGET: &str = "Keepalived";

/// syslog severities (`LOG_EMERG` .. `LOG_DEBUG`), ordered most severe first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Emerg,
    Alert,
    Crit,
    Err,
    Warning,
    Notice,
    Info,
    Debug,
}

impl Severity {
    fn to_syslog(self) -> syslog::Severity {
        use syslog::Severity as S;
        match self {
            Severity::Emerg => S::LOG_EMERG,
            Severity::Alert => S::LOG_ALERT,
            Severity::Crit => S::LOG_CRIT,
            Severity::Err => S::LOG_ERR,
            Severity::Warning => S::LOG_WARNING,
            Severity::Notice => S::LOG_NOTICE,
            Severity::Info => S::LOG_INFO,
            Severity::Debug => S::LOG_DEBUG,
        }
    }
}

/// Which of keepalived's idents a line is logged under.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ident {
    /// `Keepalived`: the parent's lines (start, stop, reload, children).
    Process,
    /// `Keepalived_vrrp`: the VRRP lines.
    Vrrp,
}

impl Ident {
    fn base(self) -> &'static str {
        match self {
            Ident::Process => PROCESS_IDENT,
            Ident::Vrrp => VRRP_IDENT,
        }
    }

    fn index(self) -> usize {
        match self {
            Ident::Process => 0,
            Ident::Vrrp => 1,
        }
    }
}

/// How the daemon was asked to log (command line, KEEPALIVED.md §7.1).
#[derive(Clone, Debug)]
pub struct LogOptions {
    /// Send to syslog; false with `-G/--no-syslog` (and `-t`).
    pub syslog: bool,
    /// Copy lines to stderr: keepalived does so only for `-l` *with* `-n`,
    /// so pass `log_console && dont_fork`.
    pub console: bool,
    /// Number of `-D/--log-detail` flags.
    pub detail: u8,
    /// `-S/--log-facility`, default `LOG_DAEMON`.
    pub facility: Facility,
    /// Appended to both idents, e.g. `_NETNS_INSTANCE` (see [`ident_suffix`]).
    pub ident_suffix: Option<String>,
    /// The syslog socket; `/dev/log` (tests point it elsewhere).
    pub socket_path: PathBuf,
}

impl Default for LogOptions {
    fn default() -> Self {
        LogOptions {
            syslog: true,
            console: false,
            detail: 0,
            facility: DEFAULT_FACILITY,
            ident_suffix: None,
            socket_path: sink::default_socket(),
        }
    }
}

/// keepalived's `make_syslog_ident` suffix: `_NETNS` then `_INSTANCE`, for
/// `net_namespace` and `instance` (None when neither is set).
pub fn ident_suffix(netns: Option<&str>, instance: Option<&str>) -> Option<String> {
    let s: String = [netns, instance]
        .into_iter()
        .flatten()
        .map(|p| format!("_{p}"))
        .collect();
    (!s.is_empty()).then_some(s)
}

/// Mutable syslog state, behind one lock.
struct SyslogState {
    sinks: [IdentSink; 2],
    suffix: Option<String>,
    /// A stderr note was written for the current run of failures.
    failing: bool,
}

/// The daemon's log sink. Cheap to call from anywhere (`&self`, `Sync`).
pub struct Logger {
    syslog: bool,
    console: bool,
    detail: u8,
    facility: Facility,
    socket_path: PathBuf,
    state: Mutex<SyslogState>,
    /// stderr: console lines and the syslog failure note.
    stderr: Mutex<Box<dyn Write + Send>>,
}

fn lock<T: ?Sized>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Logger {
    /// A logger writing console lines to the process's stderr. Nothing is
    /// opened until the first line.
    pub fn new(opts: LogOptions) -> Self {
        Self::with_stderr(opts, Box::new(std::io::stderr()))
    }

    /// A logger whose "stderr" (console lines, syslog failure note) is
    /// `stderr`, e.g. a buffer in tests or a `-t` log file.
    pub fn with_stderr(opts: LogOptions, stderr: Box<dyn Write + Send>) -> Self {
        Logger {
            syslog: opts.syslog,
            console: opts.console,
            detail: opts.detail,
            facility: opts.facility,
            socket_path: opts.socket_path,
            state: Mutex::new(SyslogState {
                sinks: [IdentSink::new(), IdentSink::new()],
                suffix: opts.ident_suffix,
                failing: false,
            }),
            stderr: Mutex::new(stderr),
        }
    }

    /// Number of `-D` flags given.
    pub fn detail(&self) -> u8 {
        self.detail
    }

    /// Change the ident suffix (keepalived: "Changing syslog ident to %s",
    /// once the config names a namespace or instance). Reconnects lazily.
    pub fn set_ident_suffix(&self, suffix: Option<String>) {
        let mut st = lock(&self.state);
        st.suffix = suffix;
        for s in &mut st.sinks {
            s.reset();
        }
    }

    /// The ident lines of `which` are logged under, suffix included.
    pub fn ident(&self, which: Ident) -> String {
        let st = lock(&self.state);
        format!("{}{}", which.base(), st.suffix.as_deref().unwrap_or(""))
    }

    /// A line of the VRRP process (`Keepalived_vrrp`).
    pub fn vrrp(&self, severity: Severity, text: &str) {
        self.emit(Ident::Vrrp, severity, text);
    }

    /// A line of the parent process (`Keepalived`).
    pub fn process(&self, severity: Severity, text: &str) {
        self.emit(Ident::Process, severity, text);
    }

    /// Whether `event` is logged with this `-D` setting.
    pub fn wants(&self, event: &Event) -> bool {
        match event.detail() {
            Detail::Always => true,
            Detail::Detailed => self.detail > 0,
        }
    }

    /// A VRRP event, at `LOG_INFO` under `Keepalived_vrrp`; `Detailed` events
    /// only with `-D`.
    pub fn event(&self, event: &Event) {
        if self.wants(event) {
            self.vrrp(Severity::Info, &event.text());
        }
    }

    /// A configuration message (keepalived's `report_config_error` /
    /// `log_message` while reading the config), at `LOG_INFO` under
    /// `Keepalived_vrrp`. `text` is the rendered line, location prefix included.
    pub fn config(&self, text: &str) {
        self.vrrp(Severity::Info, text);
    }

    /// [`Logger::config`] for a [`Diagnostic`], rendered against `sources`.
    pub fn diagnostic(&self, diag: &Diagnostic, sources: &SourceMap) {
        self.config(&diag.render(sources));
    }

    /// A line under `which`: console first, then syslog, as keepalived does.
    pub fn emit(&self, which: Ident, severity: Severity, text: &str) {
        if self.console {
            let secs = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
            let stamp = crate::io::sys::local_time_string(secs);
            self.write_stderr(&console::console_line(&stamp, text));
        }
        if self.syslog {
            self.send_syslog(which, severity, text);
        }
    }

    fn send_syslog(&self, which: Ident, severity: Severity, text: &str) {
        let mut st = lock(&self.state);
        let ident = format!("{}{}", which.base(), st.suffix.as_deref().unwrap_or(""));
        let outcome =
            st.sinks[which.index()].send(&self.socket_path, self.facility, &ident, severity, text);
        match outcome {
            Outcome::Sent => st.failing = false,
            Outcome::Failed(why) => {
                if !st.failing {
                    st.failing = true;
                    self.write_stderr(&format!(
                        "keepalived: syslog: {why}; syslog messages are lost until it recovers\n"
                    ));
                }
            }
        }
    }

    fn write_stderr(&self, s: &str) {
        let mut w = lock(&self.stderr);
        // Like fprintf(stderr): errors (closed stderr, EPIPE) are ignored.
        let _ = w.write_all(s.as_bytes());
        let _ = w.flush();
    }
}

/// `log` crate records: Error/Warn/Info always, Debug with `-D -D`, Trace
/// never; under `Keepalived` when the target is [`PROCESS_TARGET`], else
/// under `Keepalived_vrrp`.
impl ::log::Log for Logger {
    fn enabled(&self, metadata: &::log::Metadata) -> bool {
        match metadata.level() {
            ::log::Level::Error | ::log::Level::Warn | ::log::Level::Info => true,
            ::log::Level::Debug => self.detail >= 2,
            ::log::Level::Trace => false,
        }
    }

    fn log(&self, record: &::log::Record) {
        if !self.enabled(record.metadata()) {
            return;
        }
        let severity = match record.level() {
            ::log::Level::Error => Severity::Err,
            ::log::Level::Warn => Severity::Warning,
            ::log::Level::Info => Severity::Info,
            ::log::Level::Debug | ::log::Level::Trace => Severity::Debug,
        };
        let which = if record.target() == PROCESS_TARGET {
            Ident::Process
        } else {
            Ident::Vrrp
        };
        self.emit(which, severity, &record.args().to_string());
    }

    fn flush(&self) {
        let _ = lock(&self.stderr).flush();
    }
}

#[cfg(test)]
mod tests;
