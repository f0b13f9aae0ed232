//! The two man pages, generated from the tables that drive the program.
//!
//! As ripgrep does for `rg.1`, nothing is written twice: the page says what
//! the code does because it is built from the code's own tables.
//!
//! * [`keepalived_8`] builds `man/keepalived.8` from the option table (one
//!   OPTIONS entry per row of [`super::man_options`]) and from the small
//!   tables kept here: what the binary does today ([`BUILD_STATUS`]), exit
//!   statuses ([`CONFIG_TEST_EXIT`], [`RUN_EXIT`]), signals ([`SIGNALS`]) and
//!   files ([`FILES`]). Update those tables with the daemon and regenerate.
//! * [`keepalived_conf_5`] builds `man/keepalived.conf.5` from
//!   `grammar/keywords.tsv` (passed in as text: the library reads no files),
//!   one subsection per block, plus the lexical rules ([`LEXICAL`]) and the
//!   meaning of each status ([`STATUS_LEGEND`]).
//!
//! `tests/man_pages.rs` checks that the committed pages are exactly what
//! these functions produce, and that groff renders them without a warning;
//! `BLESS=1 cargo test --test man_pages` rewrites them.
//!
//! Prose in the tables is plain text: it is escaped for roff here (hyphens
//! become `\-` so options can be copied, quotes stay ASCII, a line never
//! starts with a control character) and `` `word` `` is set in bold.

use super::defs::OPTIONS;
use super::{DEFAULT_CONFIG_FILE, KEEPALIVED_VERSION, man_options};
use std::fmt::Write as _;

/// What the binary does today, said in DESCRIPTION.
pub const BUILD_STATUS: &[&str] = &[
    "Status of this build: the VRRP daemon and the configuration check (`-t`) are \
     implemented. The daemon is one process with one event loop: VRRP version 2 and 3 over \
     IPv4 and IPv6, multicast and unicast, virtual and excluded addresses, gratuitous ARP and \
     unsolicited neighbour adverts, sync groups, `vrrp_script`, tracked interfaces and \
     files, notify scripts and FIFOs, the data, stats and JSON dumps, reload without a \
     flap, pid files, syslog lines and packets as keepalived 2.2.7 writes them.",
    "Not run: LVS (virtual servers, checkers), BFD, `vrrp_track_process` (counted as up), \
     VMAC/IPVLAN interfaces, IPsec-AH authentication, virtual routes and rules, SNMP, DBus, \
     SMTP and nftables/iptables; they are parsed and checked as keepalived checks them \
     (see keepalived.conf(5)).",
];

/// `-t` exit statuses (keepalived 2.2.7's, reproduced).
pub const CONFIG_TEST_EXIT: &[(u8, &str)] = &[
    (
        0,
        "No problem found. Also, as keepalived does, when the configuration file does not \
         exist and `-e` is not given (the message \"Config files missing\" is still printed).",
    ),
    (
        2,
        "A keyword lacked a parameter it must have; the check stops at that line.",
    ),
    (
        4,
        "A fatal problem: a configuration file that must exist is missing, an interface does \
         not exist, or the configuration cannot be used.",
    ),
    (5, "Any other error or warning."),
    (
        6,
        "A script security problem (for instance a script run as root without \
         `enable_script_security`).",
    ),
];

/// Exit statuses of runs without `-t`, in this build.
pub const RUN_EXIT: &[(u8, &str)] = &[
    (
        0,
        "`-h`, `-v`, or `--signum` with a known name: the text was printed; or the daemon \
         stopped on SIGTERM/SIGINT.",
    ),
    (
        1,
        "An unknown option, a missing option argument, a refused option (`-C`, `-T`), an \
         unknown `--signum` name, a `-t` log file that cannot be opened, or a daemon already \
         running (its pid file names a live process).",
    ),
    (
        2,
        "A keyword lacked a parameter it must have (keepalived stops at start-up).",
    ),
    (
        6,
        "No configuration file could be read, or an `include` failed its checks.",
    ),
];

/// One row of the SIGNALS section.
pub struct SignalRow {
    /// The signal(s).
    pub signal: &'static str,
    /// keepalived's `--signum` name for it.
    pub sigfunc: &'static str,
    /// What keepalived 2.2.7 does.
    pub keepalived: &'static str,
    /// What this build does.
    pub here: &'static str,
}

/// keepalived's signals (KEEPALIVED.md section 8) and what this build does.
pub const SIGNALS: &[SignalRow] = &[
    SignalRow {
        signal: "SIGHUP",
        sigfunc: "RELOAD",
        keepalived: "reloads the configuration; instances that still exist keep their \
                     state, addresses no longer configured are removed.",
        here: "the same, matching instances as keepalived does (VRID, family, interface, \
               unicast source or multicast group, not the name): a MASTER stays MASTER and \
               keeps its unchanged addresses, removed instances send priority 0 and notify \
               FAULT (DELETED with `notify_deleted`), new ones start as at boot, script \
               results carry over by name. A file that cannot be read or has a structural \
               error (brace, quote, missing parameter) is refused with the reason, and the \
               running configuration stays (keepalived would run the mangled one).",
    },
    SignalRow {
        signal: "SIGTERM, SIGINT",
        sigfunc: "STOP",
        keepalived: "stops: a MASTER sends a priority 0 advert and removes its addresses \
                     (not with `-V`), notify scripts are run with state STOP, pid files are \
                     removed.",
        here: "the same, in keepalived's order; `notify_stop` scripts get up to 1 s.",
    },
    SignalRow {
        signal: "SIGUSR1",
        sigfunc: "DATA",
        keepalived: "writes the configuration and state to /tmp/keepalived.data (VRRP) \
                     and /tmp/keepalived_parent.data (parent).",
        here: "/tmp/keepalived.data (or in $TMPDIR when absolute), keepalived's layout, \
               written atomically with mode 0600; there is no parent process, so no \
               keepalived_parent.data.",
    },
    SignalRow {
        signal: "SIGUSR2",
        sigfunc: "STATS",
        keepalived: "writes the VRRP counters to /tmp/keepalived.stats.",
        here: "the same file and layout, written atomically with mode 0600.",
    },
    SignalRow {
        signal: "SIGRTMAX-1",
        sigfunc: "STATS_CLEAR",
        keepalived: "as STATS, then sets the counters to zero.",
        here: "the same.",
    },
    SignalRow {
        signal: "SIGRTMIN+2",
        sigfunc: "JSON",
        keepalived: "writes the VRRP state as JSON to /tmp/keepalived.json.",
        here: "the same file, in $TMPDIR when that is an absolute path, written \
               atomically with mode 0600; keepalived's fields, order and value types.",
    },
];

/// FILES: (path, what it is, what this build does with it).
pub const FILES: &[(&str, &str, &str)] = &[
    (
        DEFAULT_CONFIG_FILE,
        "The configuration read when `-f` is not given; see keepalived.conf(5).",
        "read.",
    ),
    (
        "/run/keepalived.pid",
        "Pid file of the parent process (`-p` names another). With `use_pid_dir`, \
         `instance` or `net_namespace` it is in /run/keepalived/.",
        "written with the daemon's pid (there is one process), removed at stop; a live \
         pid in it refuses a second start, a stale one is replaced.",
    ),
    (
        "/run/vrrp.pid",
        "Pid file of the VRRP child process (`-r` names another); same directory rule.",
        "written with the same pid, as keepalived's VRRP child would.",
    ),
];

/// The meaning of each value of keywords.tsv's status column:
/// (value, label, explanation).
pub const STATUS_LEGEND: &[(&str, &str, &str)] = &[
    (
        "supported",
        "supported",
        "The value is read, checked with keepalived's messages and used by the VRRP \
         daemon as keepalived uses it.",
    ),
    (
        "parsed-only",
        "parsed only: accepted and validated, no effect",
        "Accepted and validated with keepalived's messages, so `keepalived -t` reports \
         the same problems and exit status as keepalived, but it has no effect in this \
         build (SMTP, SNMP, DBus, nftables and similar).",
    ),
    (
        "not-supported",
        "not supported: checked, then not run",
        "LVS (virtual servers and their checkers) and BFD: the blocks are parsed and \
         checked so that `keepalived -t` agrees with keepalived, reported once, and never \
         run.",
    ),
];

/// The lexical rules of keepalived.conf, as (.TP tag, text).
pub const LEXICAL: &[(&str, &str)] = &[
    (
        "Lines",
        "The file is read line by line; a line holds at most 1024 bytes. Blanks at either \
         end are ignored, as are empty lines. There is no line continuation, except in \
         `$NAME=` definitions.",
    ),
    (
        "Comments",
        "`#` or `!` anywhere outside double quotes starts a comment that runs to the end of \
         the line (`advert_int 2!note` is `advert_int 2`). `\\#` and `\\!` stand for the \
         characters themselves.",
    ),
    (
        "Words and quotes",
        "Words are separated by blanks. Double quotes group words into one (`\"a b\"`) and are \
         removed; single quotes are ordinary characters. Commands (`script`, `notify*`, \
         FIFO scripts) are instead split like a shell command: both kinds of quotes group \
         words and backslash escapes such as `\\n`, `\\t` and `\\x41` are understood.",
    ),
    (
        "Braces",
        "`{` opens the block of the keyword before it, on the same line or the next one; `}` \
         closes it. Blocks may share lines with their contents, but all the items of a \
         one-line `{ a b }` form one logical line, so value lists (`virtual_ipaddress`) want \
         one item per line. Unbalanced braces are reported.",
    ),
    (
        "Keywords",
        "Keywords are case-sensitive and known only in their own block. An unknown keyword is \
         reported (\"Unknown keyword\") and its line skipped; a keyword without a value it \
         must have stops the reading (exit status 2). When a keyword is given twice, the \
         last one wins; value lists add up. Booleans are `on`, `off`, `true`, `false`, \
         `yes` or `no`; a boolean keyword alone means true. Numbers are decimal.",
    ),
    (
        "include GLOB",
        "Reads the files matching GLOB (wildcards and `{a,b}`, in sorted order) at that \
         point; relative names start from the directory of the including file. Files that \
         do not exist are only reported, unless checks are asked for: `includer`, \
         `includem`, `includew`, `includeb` and `includea` add checks (readable, must match, \
         must match even with wildcards, every brace alternative must match, all of them), \
         as do `include_check` in `global_defs` and the `-e` option.",
    ),
    (
        "$NAME=TEXT",
        "Defines NAME for the lines that follow; a trailing backslash continues the \
         definition on the next line. `$NAME` (followed by a blank, a comma, a closing \
         parenthesis or the end of the line) and `${NAME}` are replaced by the text; undefined names are left as \
         they are. Built in: `${_PWD}` (directory of the current file), `${_INSTANCE}` \
         (the config id), `${_RANDOM [MIN [MAX]]}`, `${_HASH}` (#) and `${_BANG}` (!).",
    ),
    (
        "@ID line",
        "The line is kept (without `@ID`) only if ID is the config id: the `-i` option, by \
         default the host name up to its first dot. `@^ID line` is kept only if ID is not \
         the config id.",
    ),
    (
        "~SEQ and ~LST",
        "`~SEQ(VAR, START, STEP, END) text` repeats the rest of the line once for each \
         value, with `$VAR` defined (START and STEP may be left out; `~SEQx` writes the \
         values in hexadecimal). `~LST(VAR, V1, V2, ...) text` does the same for the values \
         listed.",
    ),
];

// ---------------------------------------------------------------- roff

/// Escape plain text for roff, in a text line or a quoted macro argument:
/// `\`, `-` (so options copy as ASCII), quotes (so they stay ASCII),
/// controls and non-ASCII characters.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\(rs"),
            '-' => out.push_str("\\-"),
            '\'' => out.push_str("\\(aq"),
            '`' => out.push_str("\\(ga"),
            '"' => out.push_str("\\(dq"),
            '\t' | '\n' | '\r' => out.push(' '),
            c if c.is_ascii_control() => {}
            c if c.is_ascii() => out.push(c),
            c => {
                let _ = write!(out, "\\[u{:04X}]", c as u32);
            }
        }
    }
    out
}

/// [`escape`] for argument syntax from the keyword table, which has words
/// longer than a line (`mtu/advmss/rtt/...`): a line may break after `/`
/// or `|` (`\:`, a break point that prints nothing).
fn escape_syntax(s: &str) -> String {
    escape(s).replace('/', "/\\:").replace('|', "|\\:")
}

/// Plain prose to roff: [`escape`], with `` `word` `` set in bold.
fn prose(s: &str) -> String {
    s.split('`')
        .enumerate()
        .map(|(i, part)| {
            if i % 2 == 1 {
                format!("\\fB{}\\fR", escape(part))
            } else {
                escape(part)
            }
        })
        .collect()
}

fn bold(s: &str) -> String {
    format!("\\fB{}\\fR", escape(s))
}

fn italic(s: &str) -> String {
    format!("\\fI{}\\fR", escape(s))
}

/// A man page being written.
struct Page(String);

impl Page {
    fn new(title: &str, section: &str, manual: &str) -> Page {
        let mut p = Page(String::new());
        p.0.push_str(
            ".\\\" Generated by keepalived-rs (src/cli/man.rs); do not edit.\n\
             .\\\" Regenerate with: BLESS=1 cargo test --test man_pages\n",
        );
        let source = format!("keepalived-rs {}", env!("CARGO_PKG_VERSION"));
        p.request(&format!(
            "TH {title} {section} \"\" \"{}\" \"{}\"",
            escape(&source),
            escape(manual)
        ));
        // left-aligned, no hyphenation: keyword names must stay whole
        p.request("ad l");
        p.request("nh");
        p
    }

    /// `.NAME args` (args already roff).
    fn request(&mut self, r: &str) {
        self.0.push('.');
        self.0.push_str(r);
        self.0.push('\n');
    }

    /// A text line (already roff); never empty, never taken for a request.
    fn line(&mut self, roff: &str) {
        let roff = roff.trim_start();
        if roff.is_empty() {
            return;
        }
        if roff.starts_with(['.', '\'']) {
            self.0.push_str("\\&");
        }
        self.0.push_str(roff);
        self.0.push('\n');
    }

    fn sh(&mut self, title: &str) {
        self.request(&format!("SH \"{}\"", escape(title)));
    }

    fn ss(&mut self, title: &str) {
        self.request(&format!("SS \"{}\"", escape(title)));
    }

    /// A new paragraph of prose.
    fn para(&mut self, text: &str) {
        self.request("PP");
        self.line(&prose(text));
    }

    /// A tagged paragraph: tag (roff), then the non-empty lines (roff)
    /// separated by breaks.
    fn tp(&mut self, tag: &str, lines: &[String]) {
        self.request("TP");
        self.line(tag);
        let lines = lines.iter().filter(|l| !l.trim().is_empty());
        for (i, l) in lines.enumerate() {
            if i > 0 {
                self.request("br");
            }
            self.line(l);
        }
    }
}

// ---------------------------------------------------------------- keepalived(8)

/// An option's left column (`-t, --config-test[=LOG_FILE]`) in roff: names in
/// bold, argument in italic.
fn option_tag(left: &str) -> String {
    left.split(", ")
        .map(|part| {
            let cut = part.find(['=', '[']).unwrap_or(part.len());
            let (name, rest) = part.split_at(cut);
            let arg = if let Some(inner) = rest.strip_prefix("[=").and_then(|r| r.strip_suffix(']'))
            {
                format!("[={}]", italic(inner))
            } else if let Some(inner) = rest.strip_prefix('=') {
                format!("={}", italic(inner))
            } else {
                escape(rest)
            };
            format!("{}{arg}", bold(name))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// man/keepalived.8.
pub fn keepalived_8() -> String {
    let mut p = Page::new("KEEPALIVED", "8", "System Manager's Manual");

    p.sh("NAME");
    p.line(&escape(&format!(
        "keepalived - VRRP daemon (keepalived-rs, a drop-in replacement for keepalived \
         {KEEPALIVED_VERSION})"
    )));

    p.sh("SYNOPSIS");
    p.line(&format!("{} [{}]...", bold("keepalived"), italic("OPTION")));
    p.request("br");
    p.line(&format!(
        "{} {}[{}] [{} {}] [{}]...",
        bold("keepalived"),
        bold("-t"),
        italic("LOG_FILE"),
        bold("-f"),
        italic("FILE"),
        italic("OPTION")
    ));
    p.request("br");
    p.line(&format!(
        "{} {}={}",
        bold("keepalived"),
        bold("--signum"),
        italic("SIGFUNC")
    ));

    p.sh("DESCRIPTION");
    p.para(&format!(
        "`keepalived` is keepalived-rs, a drop-in replacement, written in Rust, for the VRRP \
         side of keepalived {KEEPALIVED_VERSION}: it reads the same keepalived.conf(5), takes \
         the same command line and is meant to write the same log lines and send the same \
         packets, so that one node of a pair can be moved at a time next to a real \
         keepalived. It contains no keepalived code. LVS (virtual servers and their \
         checkers) and BFD are not part of it: their configuration is checked, never run."
    ));
    for s in BUILD_STATUS {
        p.para(s);
    }

    p.sh("OPTIONS");
    p.para(
        "Options are read as keepalived's getopt_long reads them: short options may be \
         bundled (`-lDn`), long options may be abbreviated, and an optional argument must be \
         attached (`-tFILE`, `--config-test=FILE`). Every option keepalived \
         accepts is accepted; each entry says what it does in this build. Options that have \
         no effect are reported once when the daemon starts; `-C` and `-T` are refused.",
    );
    for (i, (left, text)) in man_options().into_iter().enumerate() {
        // keepalived's --help words as one sentence, then (new line) what
        // the man page adds: more detail and this build's effect
        let help = OPTIONS.get(i).map(|d| d.help.join(" ")).unwrap_or_default();
        let lines = match text.strip_prefix(&help) {
            Some(rest) if !help.is_empty() => {
                let mut first = help.clone();
                if !first.ends_with('.') {
                    first.push('.');
                }
                vec![escape(&first), escape(rest.trim())]
            }
            _ => vec![escape(&text)],
        };
        p.tp(&option_tag(&left), &lines);
    }

    p.sh("EXIT STATUS");
    p.para(
        "With `-t` (keepalived's statuses: a missing parameter ends the check with 2 at \
         once; otherwise, when several problems are found, 6 wins over 5 and 5 over 4, as \
         in keepalived):",
    );
    for (code, text) in CONFIG_TEST_EXIT {
        p.tp(&bold(&code.to_string()), &[prose(text)]);
    }
    p.para("Otherwise:");
    for (code, text) in RUN_EXIT {
        p.tp(&bold(&code.to_string()), &[prose(text)]);
    }

    p.sh("SIGNALS");
    p.para(
        "keepalived takes these signals in its parent process (see FILES for its pid file), \
         which passes them on to the VRRP child. `keepalived --signum=SIGFUNC` prints the \
         number of the signal for a SIGFUNC name, which works in this build, for instance \
         `kill -$(keepalived --signum=RELOAD) $(cat /run/keepalived.pid)`.",
    );
    for s in SIGNALS {
        p.tp(
            &format!("{} ({})", bold(s.signal), escape(s.sigfunc)),
            &[
                prose(&format!("keepalived: {}", s.keepalived)),
                prose(&format!("This build: {}", s.here)),
            ],
        );
    }

    p.sh("FILES");
    for (path, what, here) in FILES {
        p.tp(
            &italic(path),
            &[prose(what), prose(&format!("This build: {here}"))],
        );
    }

    p.sh("SEE ALSO");
    p.request("BR keepalived.conf (5)");
    p.0
}

// ---------------------------------------------------------------- keepalived.conf(5)

/// One row of keywords.tsv.
struct Row<'a> {
    block: &'a str,
    keyword: &'a str,
    kind: &'a str,
    args: &'a str,
    default: &'a str,
    status: &'a str,
}

/// The rows of keywords.tsv (header and empty lines skipped; missing
/// columns read as `-`).
fn rows(tsv: &str) -> Vec<Row<'_>> {
    tsv.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with("block\tkeyword\t"))
        .map(|l| {
            let mut c = l.split('\t').map(str::trim);
            let mut next = || c.next().filter(|s| !s.is_empty()).unwrap_or("-");
            Row {
                block: next(),
                keyword: next(),
                kind: next(),
                args: next(),
                default: next(),
                status: next(),
            }
        })
        .collect()
}

fn status_label(status: &str) -> &str {
    STATUS_LEGEND
        .iter()
        .find(|(v, _, _)| *v == status)
        .map_or(status, |(_, label, _)| label)
}

fn opens_block(kind: &str) -> bool {
    matches!(kind, "block" | "block_value")
}

/// A keyword's tag: name in bold, then its arguments (and `{ ... }` for a
/// block).
fn keyword_tag(r: &Row) -> String {
    let mut tag = bold(r.keyword);
    if r.args != "-" {
        tag.push(' ');
        tag.push_str(&escape_syntax(r.args));
    }
    if opens_block(r.kind) || (r.kind == "list" && !r.args.contains('{')) {
        tag.push_str(" {\\ ...\\ }");
    }
    tag
}

/// A block path as a heading: `virtual_server / real_server / HTTP_GET`.
fn block_title(path: &str) -> String {
    path.split('.').collect::<Vec<_>>().join(" / ")
}

/// The block a nested block sits in, and its own keyword.
fn parent_of(path: &str) -> (&str, &str) {
    path.rsplit_once('.').unwrap_or(("root", path))
}

/// The entry of one keyword.
fn keyword_entry(p: &mut Page, r: &Row, block_paths: &[&str], here: &str) {
    let mut lines = Vec::new();
    if opens_block(r.kind) {
        let path = if here == "root" {
            r.keyword.to_string()
        } else {
            format!("{here}.{}", r.keyword)
        };
        if block_paths.contains(&path.as_str()) {
            lines.push(prose(&format!(
                "A block: its keywords are under \"{}\" below.",
                block_title(&path)
            )));
        }
    }
    if r.default != "-" {
        lines.push(format!("Default: {}.", escape_syntax(r.default)));
    }
    lines.push(format!("Status: {}.", escape(status_label(r.status))));
    p.tp(&keyword_tag(r), &lines);
}

/// man/keepalived.conf.5 from the text of grammar/keywords.tsv.
pub fn keepalived_conf_5(tsv: &str) -> String {
    let rows = rows(tsv);
    let mut p = Page::new("KEEPALIVED.CONF", "5", "File Formats Manual");

    p.sh("NAME");
    p.line(&escape(&format!(
        "keepalived.conf - configuration file of keepalived (keepalived-rs, the VRRP side of \
         keepalived {KEEPALIVED_VERSION})"
    )));

    p.sh("SYNOPSIS");
    p.line(&italic(DEFAULT_CONFIG_FILE));

    p.sh("DESCRIPTION");
    p.para(&format!(
        "keepalived(8), here keepalived-rs, reads its configuration from \
         {DEFAULT_CONFIG_FILE} or from the file named with `-f`. The format is keepalived \
         {KEEPALIVED_VERSION}'s: the same files are accepted, and `keepalived -t` reports \
         the same problems with the same messages and exit status."
    ));
    p.para(
        "This page lists every keyword keepalived knows, block by block, with its arguments, \
         its default and its status in this build. In arguments, <ANGLE> marks a value to \
         fill in, [brackets] something optional, | alternatives and ... repetition; \
         `{ ... }` is a block or a list with one item per line.",
    );

    p.sh("STATUS");
    let total = rows.iter().filter(|r| r.block != "preprocessor").count();
    let count = |s: &str| {
        rows.iter()
            .filter(|r| r.block != "preprocessor" && r.status == s)
            .count()
    };
    p.para(&format!(
        "Of the {total} keywords listed (the pre-processor aside): {} supported, {} parsed \
         only, {} not supported.",
        count("supported"),
        count("parsed-only"),
        count("not-supported")
    ));
    for (_, label, text) in STATUS_LEGEND {
        p.tp(&bold(label), &[prose(text)]);
    }

    p.sh("LEXICAL CONVENTIONS");
    for (tag, text) in LEXICAL {
        p.tp(&bold(tag), &[prose(text)]);
    }

    // blocks in order of first appearance, the pre-processor and the top
    // level first
    let mut blocks: Vec<&str> = vec!["preprocessor", "root"];
    for r in &rows {
        if !blocks.contains(&r.block) {
            blocks.push(r.block);
        }
    }

    for &block in &blocks {
        let in_block: Vec<&Row> = rows.iter().filter(|r| r.block == block).collect();
        if in_block.is_empty() {
            continue;
        }
        match block {
            "preprocessor" => {
                p.sh("PRE-PROCESSOR");
                p.para(
                    "These are handled while the file is read, before keywords are \
                     looked at, at any level (see LEXICAL CONVENTIONS).",
                );
            }
            "root" => {
                p.sh("KEYWORDS");
                p.ss("Top level");
            }
            _ => {
                p.ss(&block_title(block));
                let (parent, own) = parent_of(block);
                let opener = rows
                    .iter()
                    .find(|r| r.block == parent && r.keyword == own && opens_block(r.kind));
                if let Some(o) = opener {
                    let where_ = if parent == "root" {
                        "at the top level".to_string()
                    } else {
                        format!("in {}", block_title(parent))
                    };
                    p.request("PP");
                    p.line(&format!(
                        "{}, {}. Status: {}.",
                        keyword_tag(o),
                        escape(&where_),
                        escape(status_label(o.status))
                    ));
                }
            }
        }
        for r in in_block {
            keyword_entry(&mut p, r, &blocks, block);
        }
    }

    p.sh("SEE ALSO");
    p.request("BR keepalived (8)");
    p.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(escape(r"a-b\c'd`e"), r"a\-b\(rsc\(aqd\(gae");
        assert_eq!(escape("\"x\"\u{2014}"), r"\(dqx\(dq\[u2014]");
        assert_eq!(prose("use `-t` now"), r"use \fB\-t\fR now");
        let mut p = Page(String::new());
        p.line(".x");
        p.line("  'y");
        p.line("");
        assert_eq!(p.0, "\\&.x\n\\&'y\n");
    }

    #[test]
    fn option_tags() {
        assert_eq!(
            option_tag("-t, --config-test[=LOG_FILE]"),
            r"\fB\-t\fR, \fB\-\-config\-test\fR[=\fILOG_FILE\fR]"
        );
        assert_eq!(
            option_tag("-f, --use-file=FILE"),
            r"\fB\-f\fR, \fB\-\-use\-file\fR=\fIFILE\fR"
        );
        assert_eq!(option_tag("--all"), r"\fB\-\-all\fR");
    }

    #[test]
    fn page_8_has_every_option_and_section() {
        let page = keepalived_8();
        assert!(page.contains("\n.TH KEEPALIVED 8 "));
        for s in [
            "NAME",
            "SYNOPSIS",
            "DESCRIPTION",
            "OPTIONS",
            "EXIT STATUS",
            "SIGNALS",
            "FILES",
            "SEE ALSO",
        ] {
            assert!(page.contains(&format!(".SH \"{s}\"\n")), "{s}");
        }
        for (left, _) in man_options() {
            assert!(page.contains(&option_tag(&left)), "{left}");
        }
        for code in [0, 2, 4, 5, 6] {
            assert!(page.contains(&format!(".TP\n\\fB{code}\\fR\n")));
        }
        assert!(page.contains("/run/vrrp.pid"));
        assert!(page.contains("VRRP daemon and the configuration check"));
    }

    #[test]
    fn page_5_from_a_small_table() {
        let tsv = "block\tkeyword\tkind\targs\tdefault\tstatus\tnote\n\
                   preprocessor\tinclude\tvalue\t<GLOB>\t-\tsupported\tn\n\
                   root\tvrrp_instance\tblock_value\t<NAME>\t-\tsupported\tn\n\
                   vrrp_instance\tpriority\tvalue\t<UINT 1..255>\t100\tsupported\tn\n\
                   vrrp_instance\tauthentication\tblock\t-\tnone\tsupported\tn\n\
                   vrrp_instance.authentication\tauth_type\tvalue\tPASS|AH\tnone\tsupported\tn\n\
                   root\tvirtual_server\tblock_value\t<IP> [<PORT>]\t-\tnot-supported\tn\n\
                   virtual_server\tflag-1\tflag\t-\toff\tnot-supported\tn\n\
                   global_defs\tsmtp_alert\tflag\t[<BOOL>]\tunset\tparsed-only\tn\n";
        let page = keepalived_conf_5(tsv);
        assert!(page.contains("\n.TH KEEPALIVED.CONF 5 "));
        assert!(page.contains(".SH \"PRE\\-PROCESSOR\"\n.PP\n"));
        assert!(page.contains(".TP\n\\fBinclude\\fR <GLOB>\nStatus: supported.\n"));
        assert!(page.contains(".SS \"vrrp_instance / authentication\"\n"));
        assert!(page.contains(
            ".TP\n\\fBpriority\\fR <UINT 1..255>\nDefault: 100.\n.br\nStatus: supported.\n"
        ));
        assert!(page.contains(".TP\n\\fBauth_type\\fR PASS|\\:AH\n"));
        assert!(page.contains("\\fBflag\\-1\\fR\nDefault: off.\n.br\nStatus: not supported"));
        assert!(page.contains("Status: parsed only: accepted and validated, no effect."));
        assert!(page.contains("Of the 7 keywords listed (the pre\\-processor aside): 4 supported, 1 parsed only, 2 not supported."));
        // global_defs has no opening row in this table: a heading, no syntax line
        assert!(page.contains(".SS \"global_defs\"\n.TP\n"));
    }
}
