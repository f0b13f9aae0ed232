//! Source map: every logical line keeps the file and line it came from through
//! includes, `$NAME` expansions, `~SEQ` repetitions and brace splitting.
//!
//! Owns: file ids, display names as keepalived prints them. Must not: read files.

use std::path::PathBuf;

/// Index of a file in the [`SourceMap`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub u32);

/// A position: file and 1-based line number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Loc {
    pub file: FileId,
    pub line: u32,
}

/// One file that was read.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// The path as keepalived names it: the glob match, relative to the
    /// including file's directory when the include pattern was relative.
    pub name: String,
    /// The absolute path actually opened.
    pub path: PathBuf,
    /// keepalived prints the name only when more than one file is involved
    /// (an included file, or a main pattern with several matches).
    pub named: bool,
}

/// All files of one configuration.
#[derive(Clone, Debug, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
    /// Name every file in prefixes (the VRRP process of a running keepalived
    /// reads a consolidated copy and always names the file).
    pub always_name: bool,
}

impl SourceMap {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, file: SourceFile) -> FileId {
        self.files.push(file);
        FileId((self.files.len() - 1) as u32)
    }

    pub fn get(&self, id: FileId) -> Option<&SourceFile> {
        self.files.get(id.0 as usize)
    }

    pub fn files(&self) -> &[SourceFile] {
        &self.files
    }

    /// The name to print in `(NAME: Line N)`, or `None` for `(Line N)`.
    pub fn display_name(&self, id: FileId) -> Option<&str> {
        let f = self.get(id)?;
        (f.named || self.always_name).then_some(f.name.as_str())
    }

    /// `file:line` for our own messages (always names the file).
    pub fn describe(&self, loc: Loc) -> String {
        match self.get(loc.file) {
            Some(f) => format!("{}:{}", f.path.display(), loc.line),
            None => format!("line {}", loc.line),
        }
    }
}
