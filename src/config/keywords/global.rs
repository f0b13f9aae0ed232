//! `global_defs` and the top-level global keywords (placeholder).
use super::K;

pub fn root_keywords() -> Vec<K> {
    Vec::new()
}
