//! The one table of keepalived 2.2.7's command-line options.
//!
//! Each row gives the spellings (short letter, long name), the argument form,
//! keepalived's `--help` text, and what this build does with the option. The
//! table drives everything else: the getopt-compatible lexer
//! ([`super::getopt`]), the clap command that stores the values
//! ([`super::command`]), `--help` ([`super::usage`]) and the man page rows
//! ([`super::man_options`]). Adding an option is adding a row here, plus the
//! field that carries its value in [`super::Options`].

/// The argument an option takes, getopt_long style.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArgForm {
    /// `no_argument`.
    None,
    /// `required_argument`: `-fFILE`, `-f FILE`, `--use-file=FILE`, `--use-file FILE`.
    Required,
    /// `optional_argument`: only attached, `-tFILE` or `--config-test=FILE`.
    Optional,
}

/// What this build does with an option.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effect {
    /// Honoured (by the command line itself, `-t`, or the daemon).
    Applies,
    /// Accepted so existing command lines keep working; when the daemon runs
    /// it logs once "option X is accepted but has no effect in this build
    /// (REASON)".
    NoEffect(&'static str),
    /// Refused: the text is printed and keepalived-rs exits 1.
    Refused(&'static str),
}

/// One option.
#[derive(Clone, Copy, Debug)]
pub struct OptDef {
    /// Short letter, if any.
    pub short: Option<char>,
    /// Long name without `--`; also the option's id.
    pub long: &'static str,
    pub arg: ArgForm,
    /// The argument as `--help` shows it after the long name, e.g. `=FILE`,
    /// `[=LOG_FILE]` or keepalived's ` id`.
    pub shown: &'static str,
    /// keepalived's help text, one entry per line.
    pub help: &'static [&'static str],
    /// More for the man page (not in `--help`).
    pub man: &'static str,
    /// Not listed by `--help` (keepalived's Debian build does not list it).
    pub hidden: bool,
    /// Counted rather than set (`-D` twice means extra detail).
    pub count: bool,
    pub effect: Effect,
}

const fn opt(
    short: Option<char>,
    long: &'static str,
    arg: ArgForm,
    shown: &'static str,
    help: &'static [&'static str],
) -> OptDef {
    OptDef {
        short,
        long,
        arg,
        shown,
        help,
        man: "",
        hidden: false,
        count: false,
        effect: Effect::Applies,
    }
}

impl OptDef {
    const fn no_effect(mut self, reason: &'static str) -> Self {
        self.effect = Effect::NoEffect(reason);
        self
    }
    const fn refused(mut self, text: &'static str) -> Self {
        self.effect = Effect::Refused(text);
        self
    }
    const fn hidden(mut self) -> Self {
        self.hidden = true;
        self
    }
    const fn counted(mut self) -> Self {
        self.count = true;
        self
    }
    const fn man(mut self, text: &'static str) -> Self {
        self.man = text;
        self
    }

    /// How the option is named in messages: `-B/--no_bfd` or `--all`.
    pub fn spelling(&self) -> String {
        match self.short {
            Some(c) => format!("-{c}/--{}", self.long),
            None => format!("--{}", self.long),
        }
    }

    /// The left column of `--help`: `-f, --use-file=FILE` (without indent).
    pub fn synopsis(&self) -> String {
        match self.short {
            Some(c) => format!("-{c}, --{}{}", self.long, self.shown),
            None => format!("    --{}{}", self.long, self.shown),
        }
    }
}

use ArgForm::{None as N, Optional as O, Required as R};

const NO_LOG_FILE: &str = "logging to a file is not implemented yet";
const NO_CHECKER: &str = "there is no checker process; keepalived-rs runs only VRRP";
const NO_BFD: &str = "there is no BFD process; keepalived-rs runs only VRRP";
const NO_SNMP: &str = "there is no SNMP support";
const NO_CORE: &str = "core dump settings are left to the system (ulimit -c, systemd LimitCORE=)";
const DEBUG_BUILD: &str = "it exists only in keepalived's debug builds";

/// `-C` refusal.
pub const CHECK_REFUSED: &str =
    "keepalived-rs runs only the VRRP subsystem; -C/--check (checkers only) is not supported";
/// `-T` refusal: genhash reads the rest of the command line as its own
/// options, so running the daemon instead would misread them.
pub const GENHASH_REFUSED: &str =
    "keepalived-rs has no genhash utility; -T/--genhash is not supported";

/// All options, in keepalived's `--help` order.
pub static OPTIONS: &[OptDef] = &[
    opt(Some('f'), "use-file", R, "=FILE", &["Use the specified configuration file", "default '/etc/keepalived/keepalived.conf'"])
        .man("FILE may be a glob pattern; relative names start from the current directory."),
    opt(Some('P'), "vrrp", N, "", &["Only run with VRRP subsystem"]).man("keepalived-rs only ever runs the VRRP subsystem."),
    opt(Some('C'), "check", N, "", &["Only run with Health-checker subsystem"]).refused(CHECK_REFUSED),
    opt(Some('B'), "no_bfd", N, "", &["Don't run BFD subsystem"]).no_effect("there is no BFD subsystem"),
    opt(None, "all", N, "", &["Force all child processes to run, even if have no configuration"])
        .no_effect("there are no checker or BFD processes to force"),
    opt(Some('l'), "log-console", N, "", &["Log messages to local console"]),
    opt(Some('D'), "log-detail", N, "", &["Detailed log messages"]).counted().man("Given twice, even more detail."),
    opt(Some('S'), "log-facility", R, "=([0-7]|local[0-7]|user|daemon)", &[
        "Set syslog facility to LOG_LOCAL[0-7], user or daemon (default)",
    ]),
    opt(Some('g'), "log-file", O, "=FILE", &["Also log to FILE (default /tmp/keepalived.log)"]).no_effect(NO_LOG_FILE),
    opt(None, "flush-log-file", N, "", &["Flush log file on write"]).no_effect(NO_LOG_FILE),
    opt(Some('G'), "no-syslog", N, "", &["Don't log via syslog"]),
    opt(Some('u'), "umask", R, "=MASK", &["umask for file creation (in numeric form)"])
        .man("Decimal, 0-prefixed octal or 0x-prefixed hexadecimal; overrides the configuration's umask."),
    opt(Some('X'), "release-vips", N, "", &["Drop VIP on transition from signal."]),
    opt(Some('V'), "dont-release-vrrp", N, "", &["Don't remove VRRP VIPs and VROUTEs on daemon stop"]),
    opt(Some('I'), "dont-release-ipvs", N, "", &["Don't remove IPVS topology on daemon stop"]).no_effect("there is no IPVS support"),
    opt(Some('R'), "dont-respawn", N, "", &["Don't respawn child processes"]),
    opt(Some('n'), "dont-fork", N, "", &["Don't fork the daemon process"]),
    opt(Some('d'), "dump-conf", N, "", &["Dump the configuration data"]),
    opt(Some('p'), "pid", R, "=FILE", &["Use specified pidfile for parent process"]),
    opt(Some('r'), "vrrp_pid", R, "=FILE", &["Use specified pidfile for VRRP child process"]),
    opt(Some('T'), "genhash", N, "", &["Enter into genhash utility mode (this should be the first option used)."])
        .refused(GENHASH_REFUSED),
    opt(Some('c'), "checkers_pid", R, "=FILE", &["Use specified pidfile for checkers child process"]).no_effect(NO_CHECKER),
    opt(Some('a'), "address-monitoring", N, "", &["Report all address additions/deletions notified via netlink"])
        .no_effect("reporting netlink address changes is not implemented"),
    opt(Some('b'), "bfd_pid", R, "=FILE", &["Use specified pidfile for BFD child process"]).no_effect(NO_BFD),
    opt(Some('x'), "snmp", N, "", &["Enable SNMP subsystem"]).no_effect(NO_SNMP),
    opt(Some('A'), "snmp-agent-socket", R, "=FILE", &["Use the specified socket for master agent"]).no_effect(NO_SNMP),
    opt(Some('s'), "namespace", R, "=NAME", &["Run in network namespace NAME (overrides config)"]),
    opt(Some('m'), "core-dump", N, "", &["Produce core dump if terminate abnormally"]).no_effect(NO_CORE),
    opt(Some('M'), "core-dump-pattern", O, "=PATN", &["Also set /proc/sys/kernel/core_pattern to PATN (default 'core')"])
        .no_effect(NO_CORE),
    opt(None, "no-mem-check", N, "", &["disable malloc() etc mem-checks"]).hidden().no_effect(DEBUG_BUILD),
    opt(Some('e'), "all-config", N, "", &["Error if any configuration file missing (same as includet)"]),
    opt(Some('i'), "config-id", R, " id", &[
        "Skip any configuration lines beginning '@' that don't match id",
        "or any lines beginning @^ that do match.",
        "The config-id defaults to the node name if option not used",
    ]),
    opt(None, "signum", R, "=SIGFUNC", &["Return signal number for STOP, RELOAD, DATA, STATS, STATS_CLEAR, JSON"])
        .man("Prints the number on standard output and exits."),
    opt(Some('t'), "config-test", O, "[=LOG_FILE]", &["Check the configuration for obvious errors, output to", "stderr by default"])
        .man(
            "Exit status: 0 no problem, 2 a keyword lacked its parameter, 4 a fatal error (missing file, unknown interface), \
             5 any other error or warning, 6 a script security problem. Implies -n -R -G.",
        ),
    opt(None, "config-fd", R, "=fd_num", &["File descriptor to write consolidated config to"])
        .hidden()
        .no_effect("it is internal to keepalived's own reload"),
    opt(None, "perf", O, "[=PERF_TYPE]", &["Collect perf data, PERF_TYPE=all, run(default) or end"]).hidden().no_effect(DEBUG_BUILD),
    opt(None, "debug", O, "[=...]", &["Enable debug options. p, b, c, v specify parent, bfd, checker and vrrp processes"])
        .hidden()
        .no_effect(DEBUG_BUILD),
    opt(Some('v'), "version", N, "", &["Display the version number"]),
    opt(Some('h'), "help", N, "", &["Display this help message"]),
];

/// The row for a long name (panics on a name not in the table: a bug).
pub fn by_long(long: &str) -> &'static OptDef {
    OPTIONS
        .iter()
        .find(|d| d.long == long)
        .unwrap_or_else(|| panic!("option --{long} is not in the table"))
}

/// The row for a short letter.
pub fn by_short(c: char) -> Option<&'static OptDef> {
    OPTIONS.iter().find(|d| d.short == Some(c))
}
