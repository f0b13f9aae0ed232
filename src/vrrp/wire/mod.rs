//! Packet formats: checked views over bytes plus validated representations
//! (smoltcp's layout: `Packet<T>` with field accessors, a `Repr` with
//! `parse`, `buffer_len` and `emit`). Parsing never panics on any input.

pub mod advert;
pub mod arp;
pub mod checksum;
mod error;
pub mod ethernet;
pub mod ipv4;
pub mod ipv6;
pub mod ndisc;
pub mod vrrp;

#[cfg(test)]
mod captures;
#[cfg(test)]
mod pcap;
#[cfg(test)]
mod proptests;

pub use error::{Error, Result};
