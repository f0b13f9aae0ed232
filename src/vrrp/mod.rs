//! The VRRP protocol core, sans-IO: wire formats, the per-instance state
//! machine of keepalived 2.2.7, timers as data, actions as values.
//!
//! Must not: touch sockets, clocks, processes or the file system. Time comes
//! in as [`crate::time::Instant`]; side effects go out as actions.

pub mod engine;
pub mod event;
pub mod garp;
pub mod instance;
pub mod priority;
pub mod stats;
pub mod timer;
pub mod timing;
pub mod wire;
