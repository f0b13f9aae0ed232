//! The syslog side: one `syslog` crate logger (RFC 3164 framing by
//! `Formatter3164`, unix socket backend) per ident, as keepalived's
//! `openlog(ident, LOG_PID, facility)` gives each process one.
//!
//! Owns: connecting lazily, reconnecting after a send error, and keeping a
//! stuck or missing syslog daemon from stalling the daemon. Must not: build
//! syslog frames itself, or panic.

use super::Severity;
use std::io::{self, ErrorKind};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use syslog::{Facility, Formatter3164, LogFormat, LoggerBackend};

/// Longest a blocked send may stall the caller (a syslog daemon that does not
/// read fills the socket queue; glibc's syslog would block forever).
pub const SEND_TIMEOUT: Duration = Duration::from_millis(100);

/// After a send timed out, sends are non-blocking (dropped when the queue is
/// full) for this long, so a stuck daemon costs one [`SEND_TIMEOUT`] at most
/// per period.
pub const CONGESTION_PERIOD: Duration = Duration::from_secs(1);

type Writer = syslog::Logger<LoggerBackend, Formatter3164>;

/// A live connection for one ident.
struct Conn {
    writer: Writer,
    /// Set while sends are non-blocking after a timeout.
    congested_until: Option<Instant>,
}

/// What became of one message.
#[derive(Debug)]
pub(super) enum Outcome {
    Sent,
    /// Not delivered; the error is worth one note on stderr.
    Failed(String),
}

/// The syslog connection of one ident (e.g. `Keepalived_vrrp`).
pub(super) struct IdentSink {
    conn: Option<Conn>,
}

impl IdentSink {
    pub(super) fn new() -> Self {
        IdentSink { conn: None }
    }

    /// Forget the connection (e.g. the ident changed); the next message
    /// connects again.
    pub(super) fn reset(&mut self) {
        self.conn = None;
    }

    /// Send one message, connecting first if needed. A send error other than
    /// a timeout drops the connection and is retried once on a fresh one
    /// (the syslog daemon may have restarted), as glibc's syslog does.
    pub(super) fn send(
        &mut self,
        path: &Path,
        facility: Facility,
        ident: &str,
        severity: Severity,
        text: &str,
    ) -> Outcome {
        let mut last_err = String::new();
        for _ in 0..2 {
            if self.conn.is_none() {
                match connect(path, facility, ident) {
                    Ok(c) => self.conn = Some(c),
                    Err(e) => return Outcome::Failed(e),
                }
            }
            let Some(conn) = self.conn.as_mut() else {
                break;
            };
            match conn.send(severity, text) {
                Ok(()) => return Outcome::Sent,
                Err(e) if is_timeout(&e) => {
                    if conn.is_stream() {
                        // A partly written frame would corrupt the stream.
                        self.conn = None;
                    }
                    return Outcome::Failed(format!("syslog socket {} is full", path.display()));
                }
                Err(e) => {
                    last_err = e.to_string();
                    self.conn = None;
                }
            }
        }
        Outcome::Failed(format!("sending to {} failed: {last_err}", path.display()))
    }
}

fn is_timeout(e: &io::Error) -> bool {
    matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut)
}

fn connect(path: &Path, facility: Facility, ident: &str) -> Result<Conn, String> {
    let formatter = Formatter3164 {
        facility,
        hostname: None,
        process: ident.to_string(),
        pid: std::process::id(),
    };
    let writer = syslog::unix_custom(formatter, path).map_err(|e| {
        let cause = std::error::Error::source(&e).map_or_else(|| e.to_string(), |c| c.to_string());
        format!("cannot connect to {}: {cause}", path.display())
    })?;
    let conn = Conn {
        writer,
        congested_until: None,
    };
    conn.set_blocking(true)
        .map_err(|e| format!("cannot set up {}: {e}", path.display()))?;
    Ok(conn)
}

impl Conn {
    fn is_stream(&self) -> bool {
        matches!(self.writer.backend, LoggerBackend::UnixStream(_))
    }

    /// Blocking with [`SEND_TIMEOUT`], or non-blocking.
    fn set_blocking(&self, blocking: bool) -> io::Result<()> {
        let timeout = Some(SEND_TIMEOUT);
        match &self.writer.backend {
            LoggerBackend::Unix(s) => {
                s.set_write_timeout(timeout)?;
                s.set_nonblocking(!blocking)
            }
            LoggerBackend::UnixStream(s) => {
                s.get_ref().set_write_timeout(timeout)?;
                s.get_ref().set_nonblocking(!blocking)
            }
            _ => Ok(()),
        }
    }

    fn send(&mut self, severity: Severity, text: &str) -> io::Result<()> {
        let now = Instant::now();
        if self.congested_until.is_some_and(|t| now >= t) {
            self.set_blocking(true)?;
            self.congested_until = None;
        }
        // The pid is read per message: it changes if we fork after connecting.
        self.writer.formatter.pid = std::process::id();
        let w = &mut self.writer;
        let res = w
            .formatter
            .format(&mut w.backend, severity.to_syslog(), text)
            .map_err(|e| match e {
                syslog::Error::Write(e) | syslog::Error::Io(e) => e,
                other => io::Error::other(other.to_string()),
            });
        if let Err(e) = &res {
            if is_timeout(e) && self.congested_until.is_none() && !self.is_stream() {
                self.set_blocking(false)?;
                self.congested_until = Some(now + CONGESTION_PERIOD);
            }
        }
        res
    }
}

/// Where keepalived's syslog goes: glibc's `_PATH_LOG`.
pub const DEFAULT_SOCKET: &str = "/dev/log";

/// The default socket path as a `PathBuf`.
pub fn default_socket() -> PathBuf {
    PathBuf::from(DEFAULT_SOCKET)
}
