//! Everything that touches the operating system: file descriptors, the
//! clock, child processes, netlink and sockets. The core modules stay sans-IO.

pub mod children;
pub mod clock;
pub mod daemon;
pub mod fifo;
pub mod filewatch;
pub mod json_dump;
pub mod netlink;
pub mod netlink_events;
pub mod packet_socket;
pub mod pidfile;
pub mod runner;
pub mod sdnotify;
pub mod sys;
#[cfg(test)]
mod testns;
pub mod vrrp_socket;
