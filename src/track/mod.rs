//! Tracking, sans-IO (KEEPALIVED.md §3): the `vrrp_script` runner's state
//! machine and `track_file` semantics.
//!
//! * [`script`]: one [`script::ScriptTracker`] per used `vrrp_script` — when
//!   to run it, when to kill it, what its exits mean (rise/fall, keepalived's
//!   log lines). The daemon runs the processes and feeds the results back.
//! * [`file`]: what a tracked file's content means (strtol base 0, missing
//!   or empty = 0) and what `init_file` makes the daemon write at start-up.
//!
//! Both hand [`crate::vrrp::priority::TrackerStatus`] values to the engine
//! ([`crate::vrrp::engine::Engine::handle_tracker`]), which turns them into
//! priorities and FAULT states (`vrrp/priority.rs`).
//!
//! Must not: spawn, signal, read files or the clock. Time comes in as an
//! argument; side effects go out as values.

pub mod file;
pub mod script;
