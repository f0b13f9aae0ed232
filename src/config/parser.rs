//! The keyword engine: keepalived's `process_stream` over keyword tables.
//!
//! Each level has a table of [`Kw`]; a line's first word selects a keyword,
//! whose handler reads the line, and a keyword with a sub-table opens a block.
//! keepalived's quirks are kept on purpose because existing files depend on
//! them: an unknown keyword followed by `{` gives "Unexpected '{' - ignoring"
//! and its inner lines are read at the *current* level, so its `}` closes the
//! enclosing block (we say plainly what that cost, in help lines); a missing
//! `{` is reported and the block read anyway; an inactive keyword's block is
//! skipped by brace counting.
//!
//! Must not: know what keywords mean (that is in `keywords/`).

use super::diag::{Diagnostic, ErrClass};
use super::lexer::{self, LexError};
use super::reader::{Line, Reader};
use super::source::Loc;
use super::values::Report;

/// A keyword handler: the words of the line (keyword first).
pub type Handler<S> = fn(&mut Ctx<'_, '_, S>, &[String]);
/// Runs when a keyword's block closes.
pub type CloseHandler<S> = fn(&mut Ctx<'_, '_, S>);

/// One keyword of a table.
pub struct Kw<S: 'static> {
    pub name: &'static str,
    pub handler: Option<Handler<S>>,
    /// Keywords of the block this keyword opens.
    pub sub: Option<&'static [Kw<S>]>,
    pub close: Option<CloseHandler<S>>,
    /// Inactive keywords are recognised but their lines (and blocks) skipped,
    /// as keepalived does for another process's keywords.
    pub active: bool,
}

impl<S> Kw<S> {
    pub const fn new(name: &'static str, handler: Handler<S>) -> Self {
        Kw {
            name,
            handler: Some(handler),
            sub: None,
            close: None,
            active: true,
        }
    }
    pub const fn block(
        name: &'static str,
        handler: Option<Handler<S>>,
        sub: &'static [Kw<S>],
        close: Option<CloseHandler<S>>,
    ) -> Self {
        Kw {
            name,
            handler,
            sub: Some(sub),
            close,
            active: true,
        }
    }
    /// A keyword accepted and ignored (its block, if any, skipped).
    pub const fn skip(name: &'static str) -> Self {
        Kw {
            name,
            handler: None,
            sub: None,
            close: None,
            active: false,
        }
    }
}

/// One item of a `{ ... }` value list and the line it came from. Handlers
/// call [`Ctx::at`] with it so their messages name the item's line, as
/// keepalived's (which handles each item as it reads it) do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    pub words: Vec<String>,
    pub loc: Option<Loc>,
    pub phys: Option<super::reader::PhysLine>,
}

impl std::ops::Deref for Item {
    type Target = Vec<String>;
    fn deref(&self) -> &Vec<String> {
        &self.words
    }
}

impl IntoIterator for Item {
    type Item = String;
    type IntoIter = std::vec::IntoIter<String>;
    fn into_iter(self) -> Self::IntoIter {
        self.words.into_iter()
    }
}

/// A missing mandatory parameter stops the parse (keepalived exits with
/// KEEPALIVED_EXIT_CONFIG = 2, even under `-t`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MissingParameter;

/// The parse context handed to handlers.
pub struct Ctx<'r, 'fs, S> {
    pub reader: &'r mut Reader<'fs>,
    pub state: S,
    /// `-t` is running.
    pub config_test: bool,
    /// The current logical line (keepalived's `buf_extern`).
    pub line: String,
    pub loc: Option<Loc>,
    kw_level: usize,
    skip_sublevel: i32,
    /// Set when a handler hit a missing parameter: the parse stops.
    pub stopped: Option<MissingParameter>,
    /// Open blocks (keyword, line), innermost last.
    blocks: Vec<(&'static str, Option<Loc>)>,
    /// A block ended by the `}` of an unknown nested block, and where.
    closed_early: Option<(&'static str, u32)>,
}

impl<S> Report for Ctx<'_, '_, S> {
    fn report(&mut self, class: ErrClass, msg: String) {
        self.err(class, msg);
    }
    fn config_test(&self) -> bool {
        self.config_test
    }
}

/// Cap on the block nesting handled recursively (deeper input is read flat).
const MAX_LEVEL: usize = 64;

impl<'r, 'fs, S> Ctx<'r, 'fs, S> {
    pub fn new(reader: &'r mut Reader<'fs>, state: S, config_test: bool) -> Self {
        Ctx {
            reader,
            state,
            config_test,
            line: String::new(),
            loc: None,
            kw_level: 0,
            skip_sublevel: 0,
            stopped: None,
            blocks: Vec::new(),
            closed_early: None,
        }
    }

    /// keepalived `report_config_error` at the current line.
    /// The `-t` console also gets the offending text: a caret under the
    /// first quoted word of the message when the line holds it, else the line.
    pub fn err(&mut self, class: ErrClass, msg: impl Into<String>) -> &mut Diagnostic {
        let loc = self.reader.loc();
        let msg = msg.into();
        let pointer = quoted_word(&msg).and_then(|w| self.reader.point_at(w));
        let text = if pointer.is_none() {
            self.reader.physical_text()
        } else {
            None
        };
        let d = self.reader.diags.report(class, loc, msg);
        match (pointer, text) {
            (Some((line, caret)), _) => {
                d.help(line).help(caret);
            }
            (None, Some(t)) if loc.is_some() && !t.is_empty() => {
                d.help(format!("in: {}", t.trim_start()));
            }
            _ => {}
        }
        d
    }

    /// Make later messages name `item`'s line (until the next line is read).
    pub fn at(&mut self, item: &Item) {
        if let Some(loc) = item.loc {
            self.reader.set_loc(loc, item.phys);
        }
    }

    /// A report with no line prefix (keepalived reports after the parse).
    pub fn err_noloc(&mut self, class: ErrClass, msg: impl Into<String>) -> &mut Diagnostic {
        self.reader.diags.report(class, None, msg)
    }

    /// keepalived `log_message`: log only.
    pub fn log(&mut self, msg: impl Into<String>) {
        let loc = self.reader.loc();
        self.reader.diags.log(loc, msg);
    }

    /// Word `i` of `words`, or stop the parse with keepalived's
    /// "missing a parameter" error (`null_strvec`).
    pub fn arg<'w>(&mut self, words: &'w [String], i: usize) -> Option<&'w str> {
        if let Some(w) = words.get(i) {
            return Some(w.as_str());
        }
        let first = words.first().map_or("***MISSING ***", String::as_str);
        let msg = match i.checked_sub(1).and_then(|p| words.get(p)) {
            Some(prev) => format!(
                "*** Configuration line starting `{first}` is missing a parameter after keyword `{prev}` at word position {}",
                i + 1
            ),
            None => format!(
                "*** Configuration line starting `{first}` is missing a parameter at word position {}",
                i + 1
            ),
        };
        self.err(ErrClass::MissingParameter, msg);
        self.stopped = Some(MissingParameter);
        None
    }

    /// Words of the current line split with the shell-like tokeniser
    /// (keepalived `alloc_strvec_quoted_escaped(NULL)`), reporting errors.
    pub fn shell_words(&mut self) -> Option<Vec<String>> {
        let line = self.line.clone();
        self.shell_split(&line)
    }

    /// Shell-like split of `text` (reports keepalived's messages).
    pub fn shell_split(&mut self, text: &str) -> Option<Vec<String>> {
        match lexer::shell_words(text) {
            Ok(v) => Some(
                v.into_iter()
                    .map(|b| String::from_utf8_lossy(&b).into_owned())
                    .collect(),
            ),
            Err(LexError::MissingTerminating(q)) => {
                self.err(
                    ErrClass::UnmatchedQuote,
                    format!("String '{text}': missing terminating {q}"),
                );
                None
            }
            Err(_) => {
                self.log(format!("Missing escape char at end: '{text}'"));
                None
            }
        }
    }

    /// The next logical line split into words; empty lines skipped.
    fn next_words(&mut self) -> Option<(Line, Vec<String>)> {
        loop {
            let line = self.reader.next_line()?;
            let (words, err) = lexer::words(&line.text);
            if err == Some(LexError::UnmatchedQuote) {
                let text = line.text.clone();
                self.err(
                    ErrClass::UnmatchedQuote,
                    format!("Unmatched quote: '{text}'"),
                );
            }
            if words.is_empty() {
                continue;
            }
            return Some((line, words));
        }
    }

    /// keepalived `alloc_value_block`: the items of a `{ ... }` list, one
    /// logical line each (words), starting after the keyword line `words`.
    pub fn value_block(&mut self, words: &[String]) -> Vec<Item> {
        let mut out = Vec::new();
        let mut need_bob = true;
        if words.len() > 1 {
            if words[1] == "{" {
                need_bob = false;
                if words.len() > 2 {
                    let mut first: Vec<String> = words[2..].to_vec();
                    let had_eob = first.last().is_some_and(|w| w == "}");
                    if had_eob {
                        first.pop();
                    }
                    if !first.is_empty() {
                        out.push(Item {
                            words: first,
                            loc: self.reader.loc(),
                            phys: self.reader.physical(),
                        });
                    }
                    if had_eob {
                        return out;
                    }
                }
            } else {
                let msg = format!("Block {} has extra parameters {} ...", words[0], words[1]);
                self.err(ErrClass::GeneralError, msg);
            }
        }
        while let Some((line, mut vec)) = self.next_words() {
            self.line = line.text;
            self.loc = Some(line.loc);
            if need_bob {
                need_bob = false;
                if vec[0] == "{" {
                    if vec.len() == 1 {
                        continue;
                    }
                    vec.remove(0);
                } else {
                    let msg = format!("'{{' missing from beginning of block {}", words[0]);
                    self.log(msg);
                }
            }
            let mut had_eob = false;
            if vec.last().is_some_and(|w| w == "}") {
                if vec.len() == 1 {
                    break;
                }
                had_eob = true;
                vec.pop();
            }
            out.push(Item {
                words: vec,
                loc: self.reader.loc(),
                phys: self.reader.physical(),
            });
            if had_eob {
                break;
            }
        }
        out
    }

    /// Skip the rest of the current block (keepalived `skip_block`).
    pub fn skip_block(&mut self, need_block_start: bool) {
        self.skip_sublevel = if need_block_start { -1 } else { 1 };
    }

    /// keepalived `process_stream`. Returns true when the block was skipped.
    pub fn process(&mut self, table: &'static [Kw<S>], mut need_bob: bool) -> bool {
        let mut skipped = false;
        // Lines of `{` that opened nothing at this level (after an unknown
        // keyword): keepalived lets their `}` end this block instead.
        let mut stray_opens: Vec<Option<Loc>> = Vec::new();
        while let Some((line, words)) = self.next_words() {
            if self.stopped.is_some() {
                return skipped;
            }
            self.line = line.text;
            self.loc = Some(line.loc);
            let mut first = words[0].as_str();
            if self.skip_sublevel == -1 {
                if first == "{" {
                    self.skip_sublevel = 1;
                    need_bob = false;
                    continue;
                }
                self.skip_sublevel = 0;
            }
            if self.skip_sublevel != 0 {
                let mut last = "";
                for w in &words {
                    last = w;
                    if w == "{" {
                        self.skip_sublevel += 1;
                    } else if w == "}" {
                        self.skip_sublevel -= 1;
                        if self.skip_sublevel == 0 {
                            break;
                        }
                    }
                }
                if last == "}" && self.skip_sublevel == 0 && self.kw_level > 0 {
                    skipped = true;
                    break;
                }
                continue;
            }
            if need_bob {
                need_bob = false;
                if first == "{" && self.kw_level > 0 {
                    continue;
                }
                self.err(
                    ErrClass::MissingBob,
                    "Missing '{' at beginning of configuration block",
                );
            } else if first == "{" {
                self.err(ErrClass::UnexpectedBob, "Unexpected '{' - ignoring");
                stray_opens.push(self.reader.loc());
                continue;
            }
            if first == "}" && self.kw_level > 0 {
                if let Some(open) = stray_opens.pop() {
                    self.explain_early_close(open);
                }
                break;
            }
            if let Some((block, at)) = self.closed_early.as_ref().filter(|_| self.kw_level == 0) {
                // A line meant for a block that keepalived already closed.
                let note = format!(
                    "this line was meant for the `{block}` block that ended early on line {at}"
                );
                if table.iter().all(|k| k.name != first) {
                    let msg = format!("Unknown keyword '{first}'");
                    self.err(ErrClass::UnknownKeyword, msg).help(note);
                    continue;
                }
                self.closed_early = None;
            }
            let Some(kw) = table.iter().find(|k| k.name == first) else {
                first = words[0].as_str();
                let msg = format!("Unknown keyword '{first}'");
                let d = self.err(ErrClass::UnknownKeyword, msg);
                match suggest(first, table) {
                    Some(s) => d.help(format!("did you mean `{s}`?")),
                    None => d.help("the line is skipped; keywords are case-sensitive and must belong to the enclosing block"),
                };
                continue;
            };
            let mut words = words;
            let mut bob_needed = false;
            if !kw.active {
                self.skip_sublevel = if words.last().is_some_and(|w| w == "{") {
                    1
                } else {
                    -1
                };
            }
            if kw.sub.is_some() {
                if words.last().is_some_and(|w| w == "{") {
                    words.pop();
                } else {
                    bob_needed = true;
                }
            }
            if kw.active {
                if let Some(h) = kw.handler {
                    h(self, &words);
                    if self.stopped.is_some() {
                        return skipped;
                    }
                }
            }
            if let Some(sub) = kw.sub {
                if self.kw_level >= MAX_LEVEL {
                    self.err(
                        ErrClass::GeneralError,
                        format!(
                            "Blocks nested more than {MAX_LEVEL} deep - '{}' read at this level",
                            kw.name
                        ),
                    );
                    continue;
                }
                self.kw_level += 1;
                self.blocks.push((kw.name, self.reader.loc()));
                let sub_skipped = self.process(sub, bob_needed);
                self.blocks.pop();
                self.kw_level -= 1;
                if self.stopped.is_some() {
                    return skipped;
                }
                if !sub_skipped && kw.active {
                    if let Some(c) = kw.close {
                        c(self);
                    }
                }
            }
        }
        skipped
    }

    /// keepalived ends the current block at the `}` of an unknown nested
    /// block (KEEPALIVED.md §1.3, trip-up 23); say plainly what that costs.
    fn explain_early_close(&mut self, open: Option<Loc>) {
        let Some(&(block, block_loc)) = self.blocks.last() else {
            return;
        };
        let here = self.reader.loc();
        let open_line = open.map_or(0, |l| l.line);
        let msg = format!(
            "NOTE: this '}}' closes the unknown block opened on line {open_line}, but keepalived ends `{block}` (line {}) here: \
             the rest of `{block}` is read outside it and its keywords are lost",
            block_loc.map_or(0, |l| l.line)
        );
        self.reader.diags.report(ErrClass::Ok, here, msg);
        self.closed_early = here.map(|l| (block, l.line));
    }

    /// Parse everything from the reader with `root`, then check braces.
    pub fn run(&mut self, root: &'static [Kw<S>]) {
        self.process(root, false);
        if self.stopped.is_some() {
            return;
        }
        let depth = self.reader.block_depth();
        if depth > 0 {
            self.err_noloc(
                ErrClass::MissingEob,
                format!("There are {depth} missing '}}'s or extra '{{'s"),
            );
        }
    }
}

/// The first `'word'` quoted in a message (keepalived quotes the offending
/// text that way: "Unknown keyword 'x'", "invalid number '1x'").
fn quoted_word(msg: &str) -> Option<&str> {
    let start = msg.find('\'')? + 1;
    let len = msg[start..].find('\'')?;
    (len > 0).then(|| &msg[start..start + len])
}

/// The closest keyword of `table` to `word` (edit distance ≤ 2, or ≤ a third
/// of the word), for "did you mean" help.
pub fn suggest<S>(word: &str, table: &[Kw<S>]) -> Option<&'static str> {
    if word.len() < 3 || word == "{" || word == "}" {
        return None;
    }
    let limit = (word.len() / 3).clamp(1, 3);
    table
        .iter()
        .map(|k| (edit_distance(word, k.name), k.name))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, n)| n)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len().abs_diff(b.len()) > 3 {
        return usize::MAX;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut cur = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::super::fs::memfs::MemFs;
    use super::super::reader::{ReadOptions, Reader};
    use super::*;
    use std::path::PathBuf;

    #[derive(Default)]
    struct T {
        seen: Vec<String>,
    }

    fn rec(c: &mut Ctx<'_, '_, T>, w: &[String]) {
        c.state.seen.push(w.join(" "));
    }
    fn need1(c: &mut Ctx<'_, '_, T>, w: &[String]) {
        if let Some(v) = c.arg(w, 1) {
            c.state.seen.push(format!("prio={v}"));
        }
    }
    fn list(c: &mut Ctx<'_, '_, T>, w: &[String]) {
        for item in c.value_block(w) {
            c.state.seen.push(format!("item:{}", item.join(" ")));
        }
    }
    fn close(c: &mut Ctx<'_, '_, T>) {
        c.state.seen.push("close".into());
    }

    static INNER: [Kw<T>; 3] = [
        Kw::new("priority", need1),
        Kw::new("state", rec),
        Kw::new("virtual_ipaddress", list),
    ];
    static ROOT: [Kw<T>; 2] = [
        Kw::block("vrrp_instance", Some(rec), &INNER, Some(close)),
        Kw::skip("virtual_server"),
    ];

    fn parse(text: &str) -> (Vec<String>, Vec<String>, bool) {
        let mut fs = MemFs::new();
        fs.add("/k.conf", text);
        let opts = ReadOptions {
            cwd: PathBuf::from("/"),
            ..Default::default()
        };
        let mut r = Reader::new(&fs, &opts);
        r.open_main("/k.conf");
        let mut c = Ctx::new(&mut r, T::default(), true);
        c.run(&ROOT);
        let stopped = c.stopped.is_some();
        let seen = std::mem::take(&mut c.state.seen);
        let msgs = r.diags.messages().into_iter().map(String::from).collect();
        (seen, msgs, stopped)
    }

    #[test]
    fn blocks_and_lists() {
        let (seen, msgs, _) = parse(
            "vrrp_instance X {\n state MASTER\n virtual_ipaddress {\n 10.0.0.1\n 10.0.0.2 dev x\n }\n priority 5 }\n",
        );
        assert_eq!(
            seen,
            vec![
                "vrrp_instance X",
                "state MASTER",
                "item:10.0.0.1",
                "item:10.0.0.2 dev x",
                "prio=5",
                "close"
            ]
        );
        assert!(msgs.is_empty(), "{msgs:?}");
    }

    #[test]
    fn one_line_list_is_one_item() {
        let (seen, _, _) =
            parse("vrrp_instance X {\n virtual_ipaddress { 10.0.0.1 10.0.0.2 }\n}\n");
        assert_eq!(
            seen,
            vec!["vrrp_instance X", "item:10.0.0.1 10.0.0.2", "close"]
        );
    }

    #[test]
    fn unknown_block_inside_instance_closes_it() {
        // KEEPALIVED.md §1.3: the `}` of the unknown block closes the instance.
        let (seen, msgs, _) = parse("vrrp_instance E2 {\n bogus_block { x 1 }\n priority 120\n}\n");
        assert_eq!(seen, vec!["vrrp_instance E2", "close"]);
        assert_eq!(
            msgs,
            vec![
                "Unknown keyword 'bogus_block'",
                "Unexpected '{' - ignoring",
                "Unknown keyword 'x'",
                "NOTE: this '}' closes the unknown block opened on line 2, but keepalived ends `vrrp_instance` (line 1) here: the rest of `vrrp_instance` is read outside it and its keywords are lost",
                "Unknown keyword 'priority'",
                "Unknown keyword '}'"
            ]
        );
    }

    #[test]
    fn missing_open_brace_reported_block_read() {
        let (seen, msgs, _) = parse("vrrp_instance X\n state BACKUP\n}\n");
        assert_eq!(seen, vec!["vrrp_instance X", "state BACKUP", "close"]);
        assert_eq!(
            msgs,
            vec![
                "Missing '{' at beginning of configuration block",
                "Extra '}' found"
            ]
        );
    }

    #[test]
    fn missing_parameter_stops() {
        let (seen, msgs, stopped) = parse("vrrp_instance X {\n priority\n state A\n}\n");
        assert!(stopped);
        assert_eq!(seen, vec!["vrrp_instance X"]);
        assert_eq!(
            msgs,
            vec![
                "*** Configuration line starting `priority` is missing a parameter after keyword `priority` at word position 2"
            ]
        );
    }

    #[test]
    fn inactive_blocks_are_skipped_by_brace_count() {
        let (seen, msgs, _) = parse(
            "virtual_server 1.2.3.4 80 {\n real_server 1.1.1.1 80 {\n weight 1\n }\n}\nvrrp_instance Y {\n}\n",
        );
        assert_eq!(seen, vec!["vrrp_instance Y", "close"]);
        assert!(msgs.is_empty(), "{msgs:?}");
    }

    #[test]
    fn missing_close_braces_counted() {
        let (_, msgs, _) = parse("vrrp_instance X {\n state A\n");
        assert_eq!(msgs, vec!["There are 1 missing '}'s or extra '{'s"]);
    }

    #[test]
    fn unknown_keyword_help_points_at_the_column() {
        let mut fs = MemFs::new();
        fs.add("/k.conf", "vrrp_instance X {\n    priorty 100\n}\n");
        let opts = ReadOptions {
            cwd: PathBuf::from("/"),
            ..Default::default()
        };
        let mut r = Reader::new(&fs, &opts);
        r.open_main("/k.conf");
        let mut c = Ctx::new(&mut r, T::default(), true);
        c.run(&ROOT);
        let d = &r.diags.items[0];
        assert_eq!(d.message, "Unknown keyword 'priorty'");
        assert_eq!(
            d.help,
            vec![
                "column 5:     priorty 100",
                "              ^^^^^^^",
                "did you mean `priority`?"
            ]
        );
    }

    #[test]
    fn suggestions() {
        assert_eq!(suggest("priorty", &INNER), Some("priority"));
        assert_eq!(suggest("zzzzzz", &INNER), None);
    }
}
