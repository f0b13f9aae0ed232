//! keepalived-rs: a keepalived.conf-compatible replacement for keepalived's VRRP daemon.
//!
//! * [`config`] turns a keepalived.conf into a typed, validated model, with
//!   keepalived's diagnostics (nothing here touches sockets or clocks).
//! * [`vrrp`] is the sans-IO protocol engine: wire formats, keepalived's
//!   state machine, timers as data; `handle_*(now, input)` in, actions out.
//! * [`time`] is the core's own Instant/Duration (microseconds, passed in).
//! * [`io`] is the only place that owns file descriptors and the clock
//!   ([`io::sys`] holds the only `unsafe`; [`io::pidfile`] the pid files).
//! * [`log`] writes keepalived's syslog and console lines.
//! * [`cli`] is keepalived's command line.

pub mod cli;
pub mod config;
pub mod io;
pub mod log;
pub mod notify;
pub mod time;
pub mod track;
pub mod vrrp;
