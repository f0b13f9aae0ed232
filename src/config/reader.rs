//! Logical lines from a keepalived.conf, as keepalived's `read_line` makes them.
//!
//! One physical line is read at a time (at most 1023 bytes, like `fgets` into
//! keepalived's 1024-byte buffer: a longer line continues as the next line),
//! end-of-line characters and comments are removed, then in this order:
//! multi-line `$NAME=` definitions collect their lines, `@id` / `@^id`
//! conditionals, `$NAME=` definitions, `~SEQ` / `~LST` generators, `$NAME`
//! substitution (re-checked until stable), `include` lines; finally the line is
//! split at its first `{` or `}` outside double quotes, the rest being read
//! again as the next logical line.
//!
//! Owns: the include stack, definitions and generators, brace depth.
//! Must not: know keywords; it only produces lines and diagnostics.

use super::diag::{Diagnostics, ErrClass};
use super::fs::{self, ConfigFs};
use super::preprocess::{self, DEF_LINE_END, Defs, Env, Seq, Subst};
use super::source::{FileId, Loc, SourceFile, SourceMap};
use std::path::{Path, PathBuf};

/// keepalived's MAXBUF: line buffer size.
pub const MAXBUF: usize = 1024;
/// Most logical lines that `~SEQ`/`~LST` may generate in one configuration.
pub const MAX_GENERATED_LINES: u64 = 1_000_000;
/// Deepest include nesting.
pub const MAX_INCLUDE_DEPTH: usize = 64;
/// Most files one configuration may open.
pub const MAX_FILES: usize = 10_000;

/// Include checks (keepalived `include_t` bits).
pub mod include {
    pub const R: u8 = 0x01;
    pub const M: u8 = 0x02;
    pub const W: u8 = 0x04;
    pub const B: u8 = 0x08;
    pub const ALL: u8 = R | M | W | B;
}

/// One logical line and where it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    pub text: String,
    pub loc: Loc,
}

/// A physical line: file and byte range in its data.
pub type PhysLine = (FileId, usize, usize);

/// Options of a read.
#[derive(Clone, Debug)]
pub struct ReadOptions {
    /// `-i`: the id `@` lines compare with (default hostname up to the first dot).
    pub config_id: Option<String>,
    /// Directory relative main patterns start from (the process cwd).
    pub cwd: PathBuf,
    /// `-e/--all-config`: every include check.
    pub all_config: bool,
    /// Seed for `${_RANDOM}`.
    pub random_seed: u64,
}

impl Default for ReadOptions {
    fn default() -> Self {
        Self {
            config_id: None,
            cwd: PathBuf::from("/"),
            all_config: false,
            random_seed: 1,
        }
    }
}

struct OpenFile {
    id: FileId,
    data: Vec<u8>,
    pos: usize,
    line_no: u32,
    /// Absolute directory of the file: relative includes start here.
    dir: PathBuf,
}

struct Frame {
    pattern: String,
    include_type: u8,
    matches: Vec<String>,
    next: usize,
    num_matches: usize,
    file: Option<OpenFile>,
    saved_check: u8,
    /// Directory the pattern is relative to.
    base: PathBuf,
    /// Line number in the includer, for messages after the file ends.
    includer_loc: Option<Loc>,
}

/// The line reader. Call [`Reader::next_line`] until it returns `None`.
pub struct Reader<'a> {
    fs: &'a dyn ConfigFs,
    pub sources: SourceMap,
    pub diags: Diagnostics,
    defs: Defs,
    seqs: Vec<Seq>,
    multiline_seq_depth: usize,
    next_ptr: Option<String>,
    multiline_stack: Vec<(String, usize)>,
    residue: Option<String>,
    stack: Vec<Frame>,
    include_check: u8,
    block_depth: i32,
    config_id: Option<String>,
    pending_def: Option<usize>,
    generated: u64,
    generation_capped: bool,
    rng: u64,
    /// Location of the last physical line read (keepalived's current file/line).
    last_loc: Option<Loc>,
    cwd: PathBuf,
    opened_files: usize,
    /// Byte range of the physical line last read in the top file's data,
    /// for pointing at a column in help text (read only on errors).
    last_physical: Option<PhysLine>,
    /// An included file failed its include checks.
    include_failed: bool,
}

impl<'a> Reader<'a> {
    pub fn new(fs: &'a dyn ConfigFs, opts: &ReadOptions) -> Self {
        Reader {
            fs,
            sources: SourceMap::new(),
            diags: Diagnostics::new(),
            defs: Defs::with_builtins(),
            seqs: Vec::new(),
            multiline_seq_depth: 0,
            next_ptr: None,
            multiline_stack: Vec::new(),
            residue: None,
            stack: Vec::new(),
            include_check: if opts.all_config { include::ALL } else { 0 },
            block_depth: 0,
            config_id: opts.config_id.clone(),
            pending_def: None,
            generated: 0,
            generation_capped: false,
            rng: opts.random_seed | 1,
            last_loc: None,
            cwd: opts.cwd.clone(),
            opened_files: 0,
            last_physical: None,
            include_failed: false,
        }
    }

    /// Open the main configuration (keepalived opens it with the read, match
    /// and wildcard-match checks). Returns false when no file could be opened.
    pub fn open_main(&mut self, pattern: &str) -> bool {
        let cwd = self.cwd.clone();
        self.open_glob(pattern, include::R | include::M | include::W, cwd)
    }

    /// Point diagnostics at `loc` (and help text at the physical line
    /// `phys`, from [`Reader::physical`]) until the next line is read.
    pub fn set_loc(&mut self, loc: Loc, phys: Option<PhysLine>) {
        self.last_loc = Some(loc);
        if phys.is_some() {
            self.last_physical = phys;
        }
    }

    /// Where the physical line last read lies (for [`Reader::set_loc`]).
    pub fn physical(&self) -> Option<PhysLine> {
        self.last_physical
    }

    /// The physical line last read, tabs shown as spaces (for help text).
    pub fn physical_text(&self) -> Option<String> {
        let (id, from, to) = self.last_physical?;
        let data = self
            .stack
            .iter()
            .rev()
            .find_map(|f| f.file.as_ref().filter(|o| o.id == id))?;
        let raw = String::from_utf8_lossy(data.data.get(from..to)?);
        Some(
            raw.trim_end()
                .chars()
                .map(|c| if c == '\t' { ' ' } else { c })
                .collect(),
        )
    }

    /// The location diagnostics refer to now.
    pub fn loc(&self) -> Option<Loc> {
        self.last_loc
    }

    /// `column N: LINE` and a caret line under `word` in the physical line
    /// last read, when the word appears there (for `-t` help text).
    pub fn point_at(&self, word: &str) -> Option<(String, String)> {
        let line = self.physical_text()?;
        let byte = find_word(&line, word)?;
        let col = line[..byte].chars().count();
        let prefix = format!("column {}: ", col + 1);
        Some((
            format!("{prefix}{line}"),
            format!(
                "{}{}",
                " ".repeat(prefix.len() + col),
                "^".repeat(word.chars().count().max(1))
            ),
        ))
    }

    /// Current `{` depth (for "There are %d missing '}'s or extra '{'s").
    pub fn block_depth(&self) -> i32 {
        self.block_depth
    }

    /// `include_check` keyword (global_defs): replaces the running checks.
    pub fn set_include_check(&mut self, check: u8) {
        self.include_check = check;
    }

    pub fn include_check(&self) -> u8 {
        self.include_check
    }

    /// Set the seed of `${_RANDOM}` (global `random_seed`).
    pub fn set_random_seed(&mut self, seed: u64) {
        self.rng = seed | 1;
    }

    fn report(&mut self, class: ErrClass, msg: String) {
        let loc = self.last_loc;
        self.diags.report(class, loc, msg);
    }

    /// keepalived `file_config_error`: an error class only if the check bit is
    /// set for this include (or globally), else printed with no status change.
    fn file_error(&mut self, bit: u8, msg: String) {
        let ty = self.stack.last().map_or(0, |f| f.include_type);
        let class = if (self.include_check | ty) & bit != 0 {
            ErrClass::FileNotFound
        } else {
            ErrClass::Ok
        };
        if class == ErrClass::FileNotFound && self.stack.len() > 1 {
            self.include_failed = true;
        }
        self.report(class, msg);
    }

    /// An `include` failed one of its checks (keepalived then refuses to run,
    /// and `-t` exits 6 at once, as observed with keepalived 2.2.7).
    pub fn include_failed(&self) -> bool {
        self.include_failed
    }

    fn open_glob(&mut self, pattern: &str, include_type: u8, base: PathBuf) -> bool {
        if self.stack.len() >= MAX_INCLUDE_DEPTH {
            self.report(
                ErrClass::GeneralError,
                format!("include '{pattern}' nested more than {MAX_INCLUDE_DEPTH} deep (an include cycle?) - skipping"),
            );
            return false;
        }
        let g = fs::glob(self.fs, &base, pattern);
        self.stack.push(Frame {
            pattern: pattern.to_string(),
            include_type,
            matches: Vec::new(),
            next: 0,
            num_matches: 0,
            file: None,
            saved_check: self.include_check,
            base,
            includer_loc: self.last_loc,
        });
        let checks = self.include_check | include_type;
        if g.paths.is_empty() {
            if g.missing_files > 0 || g.missing_directories > 0 {
                let bit = if pattern.contains('{') {
                    include::B
                } else {
                    include::M
                };
                self.file_error(bit, format!("Config files missing '{pattern}'."));
            } else if g.have_wildcards && checks & include::W != 0 {
                self.file_error(include::W, format!("No config files matched '{pattern}'."));
            }
            self.stack.pop();
            return false;
        }
        if g.missing_files > 0 || g.missing_directories > 0 {
            self.file_error(
                include::B,
                format!("Some config files missing: \"{pattern}\"."),
            );
            if checks & include::B != 0 {
                self.stack.pop();
                return false;
            }
        }
        if let Some(top) = self.stack.last_mut() {
            top.matches = g.paths;
        }
        if !self.open_next_match() {
            self.stack.pop();
            return false;
        }
        true
    }

    /// keepalived `open_conf_file`: open the next usable match of the top frame.
    fn open_next_match(&mut self) -> bool {
        loop {
            let depth = self.stack.len();
            let Some(top) = self.stack.last_mut() else {
                return false;
            };
            if top.next >= top.matches.len() {
                return false;
            }
            let name = top.matches[top.next].clone();
            top.next += 1;
            let several = top.matches.len() > 1;
            let path = if name.starts_with('/') {
                PathBuf::from(&name)
            } else {
                top.base.join(&name)
            };
            if name.ends_with('/') {
                self.file_error(
                    include::R,
                    format!("Configuration file '{name}' is a directory - skipping"),
                );
                continue;
            }
            match self.fs.stat(&path) {
                Ok(m) if m.is_file && m.mode & 0o111 == 0 => {}
                _ => {
                    self.file_error(
                        include::R,
                        format!("Configuration file '{name}' is not a regular non-executable file - skipping"),
                    );
                    continue;
                }
            }
            if self.stack.iter().any(|f| {
                f.file
                    .as_ref()
                    .is_some_and(|o| self.sources.get(o.id).is_some_and(|s| s.path == path))
            }) {
                self.report(ErrClass::GeneralError, format!("Configuration file '{name}' is already being read (include cycle) - skipping"));
                continue;
            }
            if self.opened_files >= MAX_FILES {
                self.report(
                    ErrClass::GeneralError,
                    format!(
                        "Too many configuration files (more than {MAX_FILES}) - skipping '{name}'"
                    ),
                );
                return false;
            }
            let data = match self.fs.read(&path) {
                Ok(d) => d,
                Err(e) => {
                    self.file_error(
                        include::R,
                        format!(
                            "Configuration file '{name}' open problem ({}) - skipping",
                            io_text(&e)
                        ),
                    );
                    continue;
                }
            };
            self.opened_files += 1;
            let dir = path
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_else(|| PathBuf::from("/"));
            let id = self.sources.add(SourceFile {
                name,
                path,
                named: depth > 1 || several,
            });
            let top = self.stack.last_mut().expect("frame");
            top.num_matches += 1;
            top.file = Some(OpenFile {
                id,
                data,
                pos: 0,
                line_no: 0,
                dir,
            });
            return true;
        }
    }

    /// keepalived `get_next_file`: the top file ended; open the next match or
    /// pop the frame. Returns false when no file is left at all.
    fn next_file(&mut self) -> bool {
        if let Some(top) = self.stack.last_mut() {
            top.file = None;
            self.include_check = top.saved_check;
        }
        if self.open_next_match() {
            return true;
        }
        if let Some(f) = self.stack.pop() {
            if f.num_matches == 0 {
                self.diags.log(
                    f.includer_loc,
                    format!("No config files matched '{}'.", f.pattern),
                );
            }
        }
        // Messages now refer to the includer's line again.
        self.last_loc = self
            .stack
            .last()
            .and_then(|f| f.file.as_ref())
            .map(|o| Loc {
                file: o.id,
                line: o.line_no,
            });
        !self.stack.is_empty()
    }

    /// One `fgets` worth of the current file, with its end-of-line removed.
    fn read_physical(&mut self) -> Option<String> {
        loop {
            let top = self.stack.last_mut()?;
            let Some(f) = top.file.as_mut() else {
                if !self.next_file() {
                    return None;
                }
                continue;
            };
            if f.pos >= f.data.len() {
                if !self.next_file() {
                    return None;
                }
                continue;
            }
            let rest = &f.data[f.pos..];
            let max = MAXBUF - 1;
            let (chunk_len, ended) = match rest.iter().take(max).position(|&b| b == b'\n') {
                Some(i) => (i + 1, true),
                None => (rest.len().min(max), rest.len() <= max),
            };
            let continues_line = f.pos > 0 && f.data[f.pos - 1] != b'\n';
            if !continues_line {
                f.line_no += 1;
            }
            let mut chunk = &rest[..chunk_len];
            f.pos += chunk_len;
            let _ = ended;
            while let [head @ .., b'\n' | b'\r'] = chunk {
                chunk = head;
            }
            self.last_loc = Some(Loc {
                file: f.id,
                line: f.line_no,
            });
            self.last_physical = Some((f.id, f.pos - chunk_len, f.pos - chunk_len + chunk.len()));
            let text = match std::str::from_utf8(chunk) {
                Ok(t) => t.to_owned(),
                Err(_) => String::from_utf8_lossy(chunk).into_owned(),
            };
            return Some(text);
        }
    }

    fn current_dir(&self) -> PathBuf {
        self.stack
            .iter()
            .rev()
            .find_map(|f| f.file.as_ref().map(|o| o.dir.clone()))
            .unwrap_or_else(|| self.cwd.clone())
    }

    fn next_random(&mut self, min: u64, max: u64) -> u64 {
        // xorshift64*: deterministic for a given seed, no clock here.
        self.rng ^= self.rng >> 12;
        self.rng ^= self.rng << 25;
        self.rng ^= self.rng >> 27;
        let r = self.rng.wrapping_mul(0x2545_f491_4f6c_dd1d);
        min + r % (max - min + 1).max(1)
    }

    /// The next logical line, or `None` at the end of all files.
    pub fn next_line(&mut self) -> Option<Line> {
        let mut buf;
        loop {
            if let Some(r) = self.residue.take() {
                buf = r;
            } else if !self.seqs.is_empty() && self.seqs.len() > self.multiline_seq_depth {
                let seq = self.seqs.last_mut().expect("non-empty");
                let Some(t) = seq.next_line(&mut self.defs) else {
                    self.seqs.pop();
                    continue;
                };
                if seq.remaining() == 0 {
                    self.seqs.pop();
                }
                buf = t;
                self.generated += 1;
                if self.generated > MAX_GENERATED_LINES && !self.generation_capped {
                    self.generation_capped = true;
                    self.seqs.clear();
                    self.report(
                        ErrClass::GeneralError,
                        format!("~SEQ/~LST expansion exceeds {MAX_GENERATED_LINES} lines - stopping the expansion here"),
                    );
                    continue;
                }
            } else if let Some(np) = self.next_ptr.take() {
                match np.find(DEF_LINE_END) {
                    Some(i) => {
                        buf = np[..i].to_string();
                        self.next_ptr = Some(np[i + 1..].to_string());
                    }
                    None => {
                        buf = np;
                        match self.multiline_stack.pop() {
                            Some((p, d)) => {
                                self.next_ptr = Some(p);
                                self.multiline_seq_depth = d;
                            }
                            None => self.multiline_seq_depth = 0,
                        }
                    }
                }
            } else {
                loop {
                    let raw = self.read_physical()?;
                    if raw.is_empty() {
                        if let Some(i) = self.pending_def.take() {
                            self.finish_def(i);
                        }
                        continue;
                    }
                    buf = raw;
                    self.decomment(&mut buf);
                    if !buf.is_empty() {
                        break;
                    }
                }
            }

            if let Some(i) = self.pending_def {
                self.extend_def(i, &buf);
                continue;
            }
            if buf.is_empty() {
                continue;
            }
            self.preprocess(&mut buf);
            if buf.is_empty() || self.check_include(&buf) {
                continue;
            }
            break;
        }
        let loc = self.last_loc.unwrap_or(Loc {
            file: FileId(0),
            line: 0,
        });
        self.split_brace(&mut buf);
        Some(Line { text: buf, loc })
    }

    fn finish_def(&mut self, i: usize) {
        let d = &mut self.defs.defs[i];
        if d.value.is_empty() {
            d.multiline = false;
        }
    }

    /// A line of a multi-line `$NAME=` definition.
    fn extend_def(&mut self, i: usize, line: &str) {
        let mut text = line.to_string();
        let cont = text.ends_with('\\');
        if cont {
            text.pop();
            let t = text.trim_end_matches([' ', '\t']).len();
            text.truncate(t);
            text.push(DEF_LINE_END);
        } else {
            self.pending_def = None;
        }
        if text.len() >= 2 || (!text.is_empty() && !cont) {
            self.defs.defs[i].value.push_str(&text);
        }
        if !cont {
            self.finish_def(i);
        }
    }

    /// `@` conditionals, definitions, generators and substitution, repeated
    /// while a substitution produced a new `@` or `$`.
    fn preprocess(&mut self, buf: &mut String) {
        loop {
            if buf.starts_with('@') {
                let (rev, ofs) = if buf.as_bytes().get(1) == Some(&b'^') {
                    (true, 2)
                } else {
                    (false, 1)
                };
                let Some(sp) = buf[ofs..].find([' ', '\t']).map(|i| i + ofs) else {
                    buf.clear();
                    return;
                };
                let matches = self.config_id.as_deref() == Some(&buf[ofs..sp]);
                if matches == rev {
                    buf.clear();
                    return;
                }
                let start = sp + buf[sp..].len() - buf[sp..].trim_start_matches([' ', '\t']).len();
                buf.replace_range(..start, "");
            }
            if buf.starts_with('$') {
                if let Some(i) = self.defs.check_definition(buf) {
                    if self.defs.defs[i].multiline {
                        self.pending_def = Some(i);
                    }
                    buf.clear();
                    return;
                }
            }
            if buf.starts_with("~SEQ") || buf.starts_with("~LST") {
                self.add_generator(buf);
                buf.clear();
                return;
            }
            if buf.starts_with('~') {
                return;
            }
            if self.defs.is_empty() || !buf.contains('$') {
                return;
            }
            let pwd = self.current_dir().to_string_lossy().into_owned();
            let config_id = self.config_id.clone().unwrap_or_default();
            let mut rng = self.rng;
            let result = {
                let mut random = |min: u64, max: u64| {
                    rng ^= rng >> 12;
                    rng ^= rng << 25;
                    rng ^= rng >> 27;
                    min + rng.wrapping_mul(0x2545_f491_4f6c_dd1d) % (max - min + 1).max(1)
                };
                let mut env = Env {
                    pwd: &pwd,
                    config_id: &config_id,
                    random: &mut random,
                };
                self.defs.substitute(buf, MAXBUF, &mut env)
            };
            self.rng = rng;
            match result {
                Subst::Unchanged => return,
                Subst::TooLong => {
                    let loc = self.last_loc;
                    self.diags.log(loc, format!("Parameter substitution on line '{buf}' would exceed maximum line length"));
                    return;
                }
                Subst::Runaway => {
                    self.report(
                        ErrClass::GeneralError,
                        format!("Parameter substitution on line '{buf}' does not terminate (a definition refers to itself) - line ignored"),
                    );
                    buf.clear();
                    return;
                }
                Subst::Changed { rest } => {
                    if let Some(r) = rest {
                        if let Some(cur) = self.next_ptr.take() {
                            self.multiline_stack.push((cur, self.multiline_seq_depth));
                        }
                        self.multiline_seq_depth = self.seqs.len();
                        self.next_ptr = Some(r);
                    }
                }
            }
            self.decomment(buf);
            if !(buf.starts_with('@') || buf.contains('$')) {
                return;
            }
        }
    }

    fn add_generator(&mut self, buf: &str) {
        let is_seq = buf.as_bytes()[1] == b'S';
        let parsed = if is_seq {
            let pwd = self.current_dir().to_string_lossy().into_owned();
            let config_id = self.config_id.clone().unwrap_or_default();
            let defs = &mut self.defs;
            let mut random = |min: u64, _max: u64| min;
            preprocess::parse_seq(buf, &mut |params: &mut String| {
                let mut env = Env {
                    pwd: &pwd,
                    config_id: &config_id,
                    random: &mut random,
                };
                !matches!(
                    defs.substitute(params, 3 * 20 + 3 + 1, &mut env),
                    Subst::Changed { rest: Some(_) }
                )
            })
        } else {
            preprocess::parse_lst(buf)
        };
        match parsed {
            Ok(seq) => {
                if seq.remaining() > 0 {
                    self.seqs.push(seq);
                }
            }
            Err(e) => {
                if let Some(m) = e.message(buf) {
                    self.report(ErrClass::GeneralError, m);
                }
                let what = if is_seq { "SEQ" } else { "LST" };
                self.report(
                    ErrClass::GeneralError,
                    format!("Invalid ~{what} specification '{buf}'"),
                );
            }
        }
    }

    /// keepalived `check_include`: `include`, `includer`, `includem`,
    /// `includew`, `includeb`, `includea` followed by a blank.
    fn check_include(&mut self, buf: &str) -> bool {
        let b = buf.as_bytes();
        if !buf.starts_with("include") || b.len() < 8 {
            return false;
        }
        let white = |c: u8| matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'\x0b' | b'\x0c');
        let (ty, start) = if white(b[7]) {
            (0, 8)
        } else if b.len() > 8 && white(b[8]) && b"rmwba".contains(&b[7]) {
            let t = match b[7] {
                b'r' => include::R,
                b'a' => include::ALL,
                b'w' => include::R | include::M | include::W,
                b'm' => include::R | include::M,
                _ => include::R | include::B,
            };
            (t, 9)
        } else {
            return false;
        };
        let pattern = buf[start..].trim_start_matches([' ', '\t']).to_string();
        let base = self.current_dir();
        self.open_glob(&pattern, ty, base);
        true
    }

    /// keepalived `decomment`: leading blanks, `#`/`!` comments outside double
    /// quotes, `\#` `\!` escapes, trailing blanks; a trailing `\` is kept.
    fn decomment(&mut self, s: &mut String) {
        let lead = s.len() - s.trim_start_matches([' ', '\t']).len();
        s.replace_range(..lead, "");
        if !s.bytes().any(|b| matches!(b, b'"' | b'\\' | b'#' | b'!')) {
            // Nothing to interpret: only trailing blanks go.
            let t = s.trim_end_matches([' ', '\t']).len();
            s.truncate(t);
            return;
        }
        let mut out = Vec::with_capacity(s.len());
        let b = s.as_bytes();
        let mut quote = false;
        let mut skip: Option<usize> = None;
        let mut cont = false;
        let mut i = 0;
        while i < b.len() {
            let c = b[i];
            match c {
                b'"' => {
                    if skip.is_none() {
                        quote = !quote;
                    }
                    out.push(c);
                    i += 1;
                }
                b'\\' => {
                    if i + 1 < b.len() {
                        if !quote && (b[i + 1] == b'#' || b[i + 1] == b'!') {
                            out.push(b[i + 1]);
                        } else {
                            out.push(c);
                            out.push(b[i + 1]);
                        }
                        i += 2;
                    } else {
                        cont = true;
                        break;
                    }
                }
                b'#' | b'!' if !quote && skip.is_none() => {
                    skip = Some(out.len());
                    out.push(c);
                    i += 1;
                }
                _ => {
                    out.push(c);
                    i += 1;
                }
            }
        }
        if quote {
            let text = String::from_utf8_lossy(&out).into_owned();
            self.report(
                ErrClass::GeneralError,
                format!("Unterminated quote '{text}'"),
            );
        }
        if let Some(k) = skip {
            out.truncate(k);
        }
        while let [head @ .., b' ' | b'\t'] = out.as_slice() {
            let n = head.len();
            out.truncate(n);
        }
        if cont {
            out.push(b'\\');
        }
        // Only ASCII bytes were removed from valid UTF-8: still valid.
        *s = String::from_utf8(out)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    }

    /// Split at the first `{`/`}` outside double quotes; count block depth.
    fn split_brace(&mut self, buf: &mut String) {
        let b = buf.as_bytes();
        let mut pos = None;
        if b.first().is_some_and(|&c| c == b'{' || c == b'}') {
            pos = Some(0);
        } else {
            let mut i = 0;
            while i < b.len() {
                match b[i] {
                    b'{' | b'}' => {
                        pos = Some(i);
                        break;
                    }
                    b'"' => match b[i + 1..].iter().position(|&c| c == b'"') {
                        Some(j) => i += j + 2,
                        None => break,
                    },
                    _ => i += 1,
                }
            }
        }
        if let Some(p) = pos {
            let skip = if p == 0 {
                1 + b[1..]
                    .iter()
                    .take_while(|&&c| c == b' ' || c == b'\t')
                    .count()
            } else {
                0
            };
            if p + skip < b.len() {
                let residue = buf[p + skip..].trim_end_matches([' ', '\t']).to_string();
                buf.truncate(p + skip);
                self.residue = Some(residue);
            }
        }
        let t = buf.trim_end_matches([' ', '\t']).len();
        buf.truncate(t);
        if buf == "{" {
            self.block_depth += 1;
        } else if buf == "}" {
            self.block_depth -= 1;
            if self.block_depth < 0 {
                self.report(ErrClass::UnexpectedEob, "Extra '}' found".to_string());
                self.block_depth = 0;
            }
        }
    }

    /// Discard pending generated lines (used when a parse stops early).
    pub fn drain(&mut self) {
        while self.next_line().is_some() {}
    }

    #[allow(dead_code)]
    fn random_for_tests(&mut self) -> u64 {
        self.next_random(0, 32767)
    }
}

/// Byte offset of `word` in `line` as a whole word (not inside a longer word).
fn find_word(line: &str, word: &str) -> Option<usize> {
    if word.is_empty() {
        return None;
    }
    let mut from = 0;
    while let Some(i) = line[from..].find(word) {
        let at = from + i;
        let before_ok = line[..at]
            .chars()
            .next_back()
            .is_none_or(|c| c.is_whitespace() || c == '{' || c == '}' || c == '"');
        let end = at + word.len();
        let after_ok = line[end..].chars().next().is_none_or(|c| {
            c.is_whitespace() || c == '{' || c == '}' || c == '"' || c == '#' || c == '!'
        });
        if before_ok && after_ok {
            return Some(at);
        }
        from = at + word.len().max(1);
    }
    None
}

fn io_text(e: &std::io::Error) -> String {
    // strerror-like text without Rust's " (os error N)" suffix
    let s = e.to_string();
    match s.find(" (os error") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

#[cfg(test)]
mod tests {
    use super::super::fs::memfs::MemFs;
    use super::*;

    fn lines_of(fs: &MemFs, main: &str, id: Option<&str>) -> (Vec<String>, Vec<String>) {
        let opts = ReadOptions {
            config_id: id.map(String::from),
            cwd: PathBuf::from("/etc/keepalived"),
            ..Default::default()
        };
        let mut r = Reader::new(fs, &opts);
        assert!(r.open_main(main));
        let mut out = vec![];
        while let Some(l) = r.next_line() {
            out.push(format!("{}:{}", l.loc.line, l.text));
        }
        let msgs = r.diags.items.iter().map(|d| d.render(&r.sources)).collect();
        (out, msgs)
    }

    fn one(text: &str) -> (Vec<String>, Vec<String>) {
        let mut fs = MemFs::new();
        fs.add("/etc/keepalived/keepalived.conf", text);
        lines_of(&fs, "keepalived.conf", Some("node1"))
    }

    #[test]
    fn comments_anywhere_outside_quotes() {
        let (l, _) =
            one("advert_int 2!comment\n  # whole line\nrouter_id \"a#b\" # c\nx \\#y \\!z\n");
        assert_eq!(
            l,
            vec!["1:advert_int 2", "3:router_id \"a#b\"", "4:x #y !z"]
        );
    }

    #[test]
    fn braces_split_lines() {
        let (l, _) = one(
            "vrrp_instance X {\n  virtual_ipaddress { 10.0.0.1 10.0.0.2 }\n  virtual_router_id 10 }\n",
        );
        assert_eq!(
            l,
            vec![
                "1:vrrp_instance X",
                "1:{",
                "2:virtual_ipaddress",
                "2:{",
                "2:10.0.0.1 10.0.0.2",
                "2:}",
                "3:virtual_router_id 10",
                "3:}"
            ]
        );
    }

    #[test]
    fn brace_in_quotes_does_not_split() {
        let (l, _) = one("script \"echo {x}\" {\n");
        assert_eq!(l, vec!["1:script \"echo {x}\"", "1:{"]);
    }

    #[test]
    fn extra_close_brace_and_depth() {
        let opts = ReadOptions {
            cwd: PathBuf::from("/"),
            ..Default::default()
        };
        let mut fs = MemFs::new();
        fs.add("/k.conf", "}\na {\n");
        let mut r = Reader::new(&fs, &opts);
        assert!(r.open_main("/k.conf"));
        r.drain();
        assert_eq!(r.diags.messages(), vec!["Extra '}' found"]);
        assert_eq!(r.block_depth(), 1);
    }

    #[test]
    fn no_line_continuation_outside_definitions() {
        let (l, _) = one("virtual_router_id \\\n51\n");
        assert_eq!(l, vec!["1:virtual_router_id\\", "2:51"]);
    }

    #[test]
    fn crlf_and_trailing_blanks() {
        let (l, _) = one("a b  \r\n\r\n\tc\r\n");
        assert_eq!(l, vec!["1:a b", "3:c"]);
    }

    #[test]
    fn conditionals() {
        let (l, _) = one("@node1 a\n@node2 b\n@^node1 c\n@^node2 d\n@node1\n");
        assert_eq!(l, vec!["1:a", "4:d"]);
    }

    #[test]
    fn definitions_multiline_and_substitution() {
        let (l, _) =
            one("$PRIO=100\n$BLOCK=priority $PRIO \\\n  advert_int 1\n\npri $PRIO\n$BLOCK\n");
        assert_eq!(l, vec!["5:pri 100", "6:priority 100", "6:advert_int 1"]);
    }

    #[test]
    fn conditional_definition() {
        let (l, _) = one("@node1 $P=240\n@^node1 $P=100\nprio $P\n");
        assert_eq!(l, vec!["3:prio 240"]);
    }

    #[test]
    fn seq_and_lst_generate_lines() {
        let (l, _) = one("~SEQ(N,20,22) vrrp $N\n~LST(V, a, b) v $V\n");
        assert_eq!(
            l,
            vec!["1:vrrp 20", "1:vrrp 21", "1:vrrp 22", "2:v a", "2:v b"]
        );
    }

    #[test]
    fn nested_seq_left_is_outer() {
        let (l, _) = one("~SEQ(A,1,2) ~SEQ(B,1,2) $A$B\n");
        // $A$B: `$A` is followed by `$`, not a separator: only ${} or blanks end it
        assert_eq!(l.len(), 4);
        let (l, _) = one("~SEQ(A,1,2) ~SEQ(B,1,2) ${A}${B}\n");
        assert_eq!(l, vec!["1:11", "1:12", "1:21", "1:22"]);
    }

    #[test]
    fn seq_bomb_is_bounded() {
        let (l, m) = one("~SEQ(A,1,1000000000) x\n");
        assert_eq!(l.len() as u64, MAX_GENERATED_LINES);
        assert!(m.iter().any(|m| m.contains("expansion exceeds")));
    }

    #[test]
    fn includes_relative_glob_and_names() {
        let mut fs = MemFs::new();
        fs.add(
            "/etc/keepalived/keepalived.conf",
            "a\ninclude conf.d/*.conf\nb\n",
        )
        .add("/etc/keepalived/conf.d/2.conf", "two\nbad {\n")
        .add("/etc/keepalived/conf.d/1.conf", "one\n");
        let opts = ReadOptions {
            cwd: PathBuf::from("/etc/keepalived"),
            ..Default::default()
        };
        let mut r = Reader::new(&fs, &opts);
        assert!(r.open_main("keepalived.conf"));
        let mut out = vec![];
        while let Some(l) = r.next_line() {
            let name = r
                .sources
                .display_name(l.loc.file)
                .unwrap_or("-")
                .to_string();
            out.push(format!("{name}:{}:{}", l.loc.line, l.text));
        }
        assert_eq!(
            out,
            vec![
                "-:1:a",
                "conf.d/1.conf:1:one",
                "conf.d/2.conf:1:two",
                "conf.d/2.conf:2:bad",
                "conf.d/2.conf:2:{",
                "-:3:b"
            ]
        );
    }

    #[test]
    fn missing_plain_include_is_not_an_error_but_includea_is() {
        let (_, m) = one("include nothere.conf\n");
        assert_eq!(m, vec!["(Line 1) Config files missing 'nothere.conf'."]);
        let mut fs = MemFs::new();
        fs.add(
            "/etc/keepalived/keepalived.conf",
            "includea inc/missing*.conf\n",
        );
        let opts = ReadOptions {
            cwd: PathBuf::from("/etc/keepalived"),
            ..Default::default()
        };
        let mut r = Reader::new(&fs, &opts);
        r.open_main("keepalived.conf");
        r.drain();
        assert_eq!(r.diags.status(), Some(ErrClass::FileNotFound));
    }

    #[test]
    fn include_cycle_is_stopped() {
        let mut fs = MemFs::new();
        fs.add("/k/a.conf", "include b.conf\nx\n")
            .add("/k/b.conf", "include a.conf\ny\n");
        let opts = ReadOptions {
            cwd: PathBuf::from("/k"),
            ..Default::default()
        };
        let mut r = Reader::new(&fs, &opts);
        r.open_main("a.conf");
        let mut n = 0;
        while r.next_line().is_some() {
            n += 1;
        }
        assert_eq!(n, 2);
        assert!(
            r.diags
                .messages()
                .iter()
                .any(|m| m.contains("include cycle"))
        );
    }

    #[test]
    fn long_lines_split_at_1023_bytes() {
        let long = format!("{}{}\n", "a".repeat(1023), "tail");
        let (l, _) = one(&long);
        assert_eq!(l.len(), 2);
        assert_eq!(l[1], "1:tail");
    }

    #[test]
    fn pwd_builtin_follows_include_directory() {
        let mut fs = MemFs::new();
        fs.add("/etc/keepalived/keepalived.conf", "include sub/x.conf\n")
            .add("/etc/keepalived/sub/x.conf", "p ${_PWD}\n");
        let (l, _) = lines_of(&fs, "keepalived.conf", None);
        assert_eq!(l, vec!["1:p /etc/keepalived/sub"]);
    }

    #[test]
    fn unterminated_quote_is_reported() {
        let (_, m) = one("router_id \"abc\n");
        assert_eq!(m, vec!["(Line 1) Unterminated quote 'router_id \"abc'"]);
    }
}
