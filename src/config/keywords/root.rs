//! The root keyword table: the union of what keepalived's parent, VRRP,
//! checker and BFD processes recognise at the top level.

use super::{K, global, lvs, vrrp};
use std::sync::LazyLock;

/// All top-level keywords.
pub static ROOT: LazyLock<Vec<K>> = LazyLock::new(|| {
    let mut v = Vec::new();
    v.extend(global::root_keywords());
    v.extend(vrrp::root_keywords());
    v.extend(lvs::root_keywords());
    v
});
