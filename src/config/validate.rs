//! Checks after the whole file is read (keepalived's vrrp_complete_init and
//! friends): defaults that depend on other keywords, cross references,
//! duplicate VRIDs, interfaces, script resolution and security.

use super::keywords::C;

/// Run every post-parse check.
pub fn complete(_c: &mut C) {}
