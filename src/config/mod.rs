//! The keepalived.conf front end: source map, reader (includes and the
//! pre-processor), lexer, keyword-driven parser, typed model and validation.
//!
//! Knows nothing of sockets or time; facts about the host (interfaces, users,
//! files for script checks) come in through traits.

pub mod diag;
pub mod format;
pub mod fs;
pub mod host;
pub mod keywords;
pub mod lexer;
pub mod model;
pub mod parser;
pub mod preprocess;
pub mod reader;
pub mod source;
pub mod validate;
pub mod values;

use diag::{Diagnostics, ErrClass};
use fs::ConfigFs;
use host::Host;
use model::Config;
use parser::Ctx;
use reader::{ReadOptions, Reader};
use source::SourceMap;
use std::rc::Rc;

/// How to load a configuration.
#[derive(Clone, Debug, Default)]
pub struct LoadOptions {
    pub read: ReadOptions,
    /// `-t`: stricter number reading (keepalived's CONFIG_TEST_BIT).
    pub config_test: bool,
}

/// The result of reading and checking a configuration.
#[derive(Debug)]
pub struct Loaded {
    pub config: Config,
    pub diags: Diagnostics,
    pub sources: SourceMap,
    /// The main file could not be opened.
    pub not_opened: bool,
    /// A keyword lacked its parameter: keepalived stops (exit 2).
    pub missing_parameter: bool,
    /// An `include` failed its checks: keepalived refuses to run; `-t` exits 6.
    pub include_failed: bool,
}

impl Loaded {
    /// `keepalived -t` exit code: 0, 4, 5 or 6, or 2 when a parameter was missing.
    pub fn config_test_exit_code(&self) -> i32 {
        if self.missing_parameter {
            return 2;
        }
        if self.include_failed {
            // keepalived 2.2.7 exits straight after the parent's parse with
            // the status 6 (observed with `includea` on a missing file).
            return 6;
        }
        ErrClass::config_test_exit_code(self.diags.status())
    }
}

/// Read, parse and validate `path` (a glob pattern, as keepalived allows).
pub fn load(fs: &dyn ConfigFs, host: Rc<dyn Host>, path: &str, opts: &LoadOptions) -> Loaded {
    let mut reader = Reader::new(fs, &opts.read);
    reader.sources.always_name = true;
    let opened = reader.open_main(path);
    let host: Rc<dyn Host> = Rc::new(host::MemoHost::new(host));
    let mut ctx = Ctx::new(&mut reader, keywords::State::new(host), opts.config_test);
    if opened {
        ctx.run(keywords::root_table());
    }
    let missing_parameter = ctx.stopped.is_some();
    if opened && !missing_parameter {
        validate::complete(&mut ctx);
    }
    let mut config = std::mem::take(&mut ctx.state.cfg);
    config.shrink_to_fit();
    let include_failed = reader.include_failed();
    Loaded {
        config,
        diags: reader.diags,
        sources: reader.sources,
        not_opened: !opened,
        missing_parameter,
        include_failed,
    }
}
