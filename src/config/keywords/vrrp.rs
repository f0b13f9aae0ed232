//! VRRP blocks (placeholder).
use super::K;

pub fn root_keywords() -> Vec<K> {
    Vec::new()
}
