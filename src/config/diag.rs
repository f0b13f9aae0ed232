//! Configuration diagnostics: keepalived's error classes, its message texts and
//! its `(FILE: Line N)` prefixes, plus the extra help we give on the `-t` console.
//!
//! Owns: the `ErrClass` ordering (keepalived's `config_err_t`), the status kept
//! across a parse (the numerically highest class seen, as keepalived does) and
//! rendering. Must not: print by itself; the caller decides where lines go.

use super::source::{Loc, SourceMap};
use std::fmt::Write as _;

/// keepalived 2.2.7 `config_err_t`, in its order: the status of a parse is the
/// highest class reported, so a warning "beats" a fatal error (keepalived quirk).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ErrClass {
    /// Printed but does not change the status (keepalived's `CONFIG_OK` reports,
    /// e.g. a missing plain `include`).
    Ok,
    FileNotFound,
    BadIf,
    Fatal,
    MultipleFiles,
    UnknownKeyword,
    UnexpectedBob,
    MissingBob,
    UnexpectedEob,
    MissingEob,
    UnmatchedQuote,
    MissingParameter,
    InvalidNumber,
    GeneralError,
    Warning,
    Deprecated,
    SecurityError,
}

impl ErrClass {
    /// `keepalived -t` exit code for a final status (keepalived `config_test_exit`).
    pub fn config_test_exit_code(status: Option<ErrClass>) -> i32 {
        match status {
            None | Some(ErrClass::Ok) => 0,
            Some(ErrClass::FileNotFound | ErrClass::BadIf | ErrClass::Fatal) => 4,
            Some(ErrClass::SecurityError) => 6,
            Some(_) => 5,
        }
    }

    /// Whether keepalived could not run with this status.
    pub fn is_fatal(self) -> bool {
        matches!(
            self,
            ErrClass::FileNotFound | ErrClass::BadIf | ErrClass::Fatal
        )
    }
}

/// How a line is addressed in keepalived's prefix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    /// `report_config_error`: counts towards the status, shown by `-t`.
    Config(ErrClass),
    /// `log_message`: only in the log, never on the `-t` console, no status.
    Log,
}

/// One diagnostic.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub level: Level,
    /// Where, when the message was produced while reading a line.
    pub loc: Option<Loc>,
    /// keepalived's text, without the location prefix.
    pub message: String,
    /// Extra lines for the `-t` console (what was wrong, what is accepted).
    pub help: Vec<String>,
}

/// Collects diagnostics and the running status.
#[derive(Default, Debug)]
pub struct Diagnostics {
    pub items: Vec<Diagnostic>,
    status: Option<ErrClass>,
    /// Cap on stored items so a hostile file cannot grow memory without bound;
    /// the status keeps being updated past it.
    dropped: usize,
}

/// Maximum number of diagnostics kept in memory.
pub const MAX_DIAGNOSTICS: usize = 100_000;

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }

    /// Record a keepalived `report_config_error`.
    pub fn report(
        &mut self,
        class: ErrClass,
        loc: Option<Loc>,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        if class != ErrClass::Ok {
            self.status = Some(self.status.map_or(class, |s| s.max(class)));
        }
        self.push(Diagnostic {
            level: Level::Config(class),
            loc,
            message: message.into(),
            help: Vec::new(),
        })
    }

    /// Record a keepalived `log_message` (log only).
    pub fn log(&mut self, loc: Option<Loc>, message: impl Into<String>) -> &mut Diagnostic {
        self.push(Diagnostic {
            level: Level::Log,
            loc,
            message: message.into(),
            help: Vec::new(),
        })
    }

    fn push(&mut self, d: Diagnostic) -> &mut Diagnostic {
        if self.items.len() >= MAX_DIAGNOSTICS {
            self.dropped += 1;
            // Overwrite the last slot so callers can still attach help cheaply.
            let last = self.items.len() - 1;
            self.items[last] = d;
            return &mut self.items[last];
        }
        self.items.push(d);
        self.items.last_mut().expect("just pushed")
    }

    /// The highest class reported so far (keepalived `get_config_status`).
    pub fn status(&self) -> Option<ErrClass> {
        self.status
    }

    /// Number of diagnostics not kept because of [`MAX_DIAGNOSTICS`].
    pub fn dropped(&self) -> usize {
        self.dropped
    }

    pub fn has_fatal(&self) -> bool {
        self.items
            .iter()
            .any(|d| matches!(d.level, Level::Config(c) if c.is_fatal()))
    }

    /// Texts of all config-level messages (for tests).
    pub fn messages(&self) -> Vec<&str> {
        self.items
            .iter()
            .filter(|d| matches!(d.level, Level::Config(_)))
            .map(|d| d.message.as_str())
            .collect()
    }
}

impl Diagnostic {
    /// Attach a help line shown on the `-t` console.
    pub fn help(&mut self, text: impl Into<String>) -> &mut Self {
        self.help.push(text.into());
        self
    }

    /// keepalived's line: `(FILE: Line N) msg` when the file is named,
    /// `(Line N) msg` otherwise, bare text when no line applies.
    pub fn render(&self, sources: &SourceMap) -> String {
        let mut out = String::with_capacity(self.message.len() + 32);
        if let Some(loc) = self.loc {
            match sources.display_name(loc.file) {
                Some(name) => {
                    let _ = write!(out, "({}: Line {}) ", name, loc.line);
                }
                None => {
                    let _ = write!(out, "(Line {}) ", loc.line);
                }
            }
        }
        out.push_str(&self.message);
        out
    }

    /// The `-t` console form: keepalived's line, then our help lines indented.
    pub fn render_console(&self, sources: &SourceMap) -> String {
        let mut out = self.render(sources);
        for h in &self.help {
            out.push_str("\n    ");
            out.push_str(h);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn least_severe_class_wins_like_keepalived() {
        let mut d = Diagnostics::new();
        d.report(ErrClass::BadIf, None, "bad interface");
        assert_eq!(ErrClass::config_test_exit_code(d.status()), 4);
        d.report(ErrClass::Warning, None, "warning");
        assert_eq!(ErrClass::config_test_exit_code(d.status()), 5);
        d.report(ErrClass::Fatal, None, "fatal");
        assert_eq!(ErrClass::config_test_exit_code(d.status()), 5);
        d.report(ErrClass::SecurityError, None, "security");
        assert_eq!(ErrClass::config_test_exit_code(d.status()), 6);
    }

    #[test]
    fn ok_reports_print_but_keep_status() {
        let mut d = Diagnostics::new();
        d.report(ErrClass::Ok, None, "Config files missing 'x'.");
        assert_eq!(d.status(), None);
        assert_eq!(ErrClass::config_test_exit_code(d.status()), 0);
        assert_eq!(d.messages(), vec!["Config files missing 'x'."]);
    }
}
