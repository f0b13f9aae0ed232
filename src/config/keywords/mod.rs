//! Keyword tables and handlers: one file per block family. Handlers fill
//! [`State`] (the model under construction) with keepalived's messages.
//!
//! Must not: do I/O (host facts come through [`Host`]).

use super::host::Host;
use super::model::Config;
use super::parser::{Ctx, Kw};
use std::collections::HashMap;
use std::rc::Rc;

pub mod global;
pub mod lvs;
pub mod root;
pub mod vrrp;

/// Where keywords of a block go when its opening line was refused and no
/// earlier block of that kind exists (keepalived then writes into the last
/// block of the list, or into freed memory when there is none: we discard).
pub struct Orphans {
    pub instance: super::model::VrrpInstance,
    pub group: super::model::SyncGroup,
    pub script: super::model::VrrpScript,
    pub process: super::model::TrackProcess,
    pub garp: super::model::GarpGroup,
}

impl Default for Orphans {
    fn default() -> Self {
        Orphans {
            instance: super::model::VrrpInstance::new(String::new()),
            group: Default::default(),
            script: Default::default(),
            process: Default::default(),
            garp: Default::default(),
        }
    }
}

/// The model under construction plus the cursors handlers need.
pub struct State {
    pub cfg: Config,
    pub host: Rc<dyn Host>,
    /// Index of the `track_file` being read (keepalived keeps a pointer
    /// that is NULL outside such a block).
    pub cur_track_file: Option<usize>,
    /// Sink for keywords whose block has no object (see [`Orphans`]).
    pub orphans: Box<Orphans>,
    pub instance_index: HashMap<String, usize>,
    /// Keywords seen (name → count) so `-d` and tests can see what was read.
    pub lvs_seen: bool,
    /// LVS / BFD blocks read so far (checked at the end by `lvs::validate`).
    pub lvs: lvs::LvsState,
    /// Names of `bfd_instance` blocks (for `track_bfd`).
    pub bfd_names: Vec<String>,
    /// The current vrrp_script had a valid `user` line.
    pub script_user_set: bool,
    /// The current vrrp_script is to be dropped at its end.
    pub remove_script: bool,
}

impl State {
    pub fn new(host: Rc<dyn Host>) -> Self {
        State {
            cfg: Config::default(),
            host,
            cur_track_file: None,
            orphans: Box::default(),
            instance_index: HashMap::new(),
            lvs_seen: false,
            lvs: lvs::LvsState::default(),
            bfd_names: Vec::new(),
            script_user_set: false,
            remove_script: false,
        }
    }
}

/// Handler context for this crate's tables.
pub type C<'r, 'fs> = Ctx<'r, 'fs, State>;
/// A keyword of this crate's tables.
pub type K = Kw<State>;

/// The root table of a keepalived.conf.
pub fn root_table() -> &'static [K] {
    root::ROOT.as_slice()
}

/// Every keyword of the tables as (block path, keyword, opens a block), where
/// the block path is `root` for the top level and dotted below it
/// (`vrrp_instance.authentication`). Drives the drift test against
/// `grammar/keywords.tsv` and the man page.
pub fn keyword_paths() -> Vec<(String, String, bool)> {
    fn walk(path: &str, table: &'static [K], out: &mut Vec<(String, String, bool)>, depth: usize) {
        for k in table {
            out.push((path.to_string(), k.name.to_string(), k.sub.is_some()));
            if let Some(sub) = k.sub {
                let child = if path == "root" {
                    k.name.to_string()
                } else {
                    format!("{path}.{}", k.name)
                };
                if depth < 8 {
                    walk(&child, sub, out, depth + 1);
                }
            }
        }
    }
    let mut out = Vec::new();
    walk("root", root_table(), &mut out, 0);
    out
}
