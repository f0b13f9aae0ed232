//! keepalived-rs: a keepalived.conf-compatible replacement for keepalived's VRRP daemon.
//!
//! * [`config`] turns a keepalived.conf into a typed, validated model, with
//!   keepalived's diagnostics (nothing here touches sockets or clocks).
//! * `vrrp` (to come) is the sans-IO protocol engine: `handle_*(now, input)`
//!   in, actions out.
//! * [`io`] is the only place that owns file descriptors and the clock
//!   (today: [`io::sys`], host facts and the only `unsafe`).
//! * [`cli`] is keepalived's command line.

pub mod cli;
pub mod config;
pub mod io;
pub mod log;
pub mod time;
pub mod vrrp;
