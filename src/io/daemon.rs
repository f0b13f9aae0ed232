//! The daemon: one thread, one `mio::Poll`, driving the sans-IO engine.
//!
//! Inputs are the VRRP sockets (one per interface and family), the rtnetlink
//! monitor (links and addresses), the signals (through `signal-hook-mio`) and
//! one timer: the earliest deadline of the engine or of the GARP pacing. The
//! engine's [`Action`]s are executed here and nowhere else: adverts go out
//! on the VRRP sockets, addresses are added and removed with rtnetlink,
//! gratuitous ARPs / unsolicited NAs go out on an `AF_PACKET` socket, events
//! are logged with keepalived's texts.
//!
//! keepalived runs a parent and a VRRP child; we run one process that plays
//! both (its lines keep their two syslog idents, both pid files hold its pid).
//!
//! Owns: the loop, start-up and shutdown sequences, the interface table.
//! Must not: decide anything VRRP decides (that is [`crate::vrrp`]).

use crate::cli::Options;
use crate::config::Loaded;
use crate::config::diag::Level;
use crate::config::model::{Config, Family as CfgFamily, IpAddress, VrrpInstance};
use crate::io::clock::{Clock, Timer};
use crate::io::filewatch::{FileEvent, FileWatch};
use crate::io::json_dump::{self, Observed};
use crate::io::netlink::{AddrSpec, Rtnl};
use crate::io::netlink_events::{NetEvent, NetlinkMonitor};
use crate::io::packet_socket::{self, PacketSocket};
use crate::io::pidfile::{self, PidFile, PidPaths, Running};
use crate::io::runner::Runner;
use crate::io::sdnotify::{self, SdNotify};
use crate::io::sys;
use crate::io::vrrp_socket::VrrpSocket;
use crate::log::ratelimit::{self, RxErrorLimiter, Verdict};
use crate::log::{Logger, Severity};
use crate::time::Instant;
use crate::vrrp::engine::{Action, Engine, Interfaces, Received};
use crate::vrrp::event::Event;
use crate::vrrp::garp::GarpPacer;
use crate::vrrp::instance::State;
use crate::vrrp::priority::{TrackerKind, TrackerStatus};
use crate::vrrp::wire::vrrp::Family;
use mio::unix::SourceFd;
use mio::{Events, Interest, Poll, Token};
use std::collections::{HashMap, HashSet};
use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::os::fd::AsRawFd;
use std::rc::Rc;

/// The version line keepalived's start and stop lines carry, with ours.
pub fn version_banner() -> String {
    format!(
        "Keepalived v{} (keepalived-rs {})",
        crate::cli::KEEPALIVED_VERSION,
        env!("CARGO_PKG_VERSION")
    )
}

/// Exit codes of a normal run (KEEPALIVED.md §7.1).
pub mod exit {
    pub const OK: u8 = 0;
    pub const FATAL: u8 = 1;
    pub const CONFIG: u8 = 2;
    pub const NO_CONFIG: u8 = 6;
}

const TOKEN_SIGNALS: Token = Token(0);
const TOKEN_NETLINK: Token = Token(1);
const TOKEN_TIMER: Token = Token(2);
const TOKEN_CHILDREN: Token = Token(3);
const TOKEN_FILES: Token = Token(4);
/// VRRP sockets use tokens from here on (index into the socket table).
const TOKEN_SOCKET_BASE: usize = 16;

/// How often the metrics file is rewritten when nothing changes.
const METRICS_PERIOD: crate::time::Duration = crate::time::Duration::from_secs(15);

/// Instances whose timers are handled before their actions are carried out
/// (adverts sent ...): the engine's action queue stays that small, and each
/// batch is handled at the clock's time when it starts, so an instance's next
/// advert is due one interval after its advert really left, wherever it sat
/// in a burst (as keepalived's per-instance timers are), instead of one
/// interval after the burst began: the burst's varying width (0.5-1.5 ms for
/// 100 adverts here) no longer shows in each instance's period.
const TIMEOUT_BATCH: usize = 16;

/// A reload makes every MASTER advertise at once, except one that did in
/// the last 50 ms (its timer just fired).
const RELOAD_RECENT_ADVERT: crate::time::Duration = crate::time::Duration::from_millis(50);

/// A datagram larger than any VRRP packet we accept (IPv4 header with
/// options + 255 IPv6 addresses would be ~4.1 KB).
const RX_BUF: usize = 8192;

/// keepalived's "Command line: ..." lines: the quoted arguments, broken at
/// spaces into pieces of at most 100 - len("Command line") characters, the
/// continuation lines indented by 14 spaces.
pub fn command_line_lines(args: &[String]) -> Vec<String> {
    const LABEL: &str = "Command line";
    let all: String = args
        .iter()
        .map(|a| format!("'{a}'"))
        .collect::<Vec<_>>()
        .join(" ");
    let max = 100 - LABEL.len();
    let mut out = Vec::new();
    let mut rest = all.as_str();
    loop {
        rest = rest.trim_start_matches(' ');
        if rest.is_empty() {
            break;
        }
        let end = if rest.len() <= max {
            rest.len()
        } else if rest.as_bytes()[max] == b' ' {
            max
        } else {
            match rest[..max].rfind(' ') {
                Some(0) | None => max,
                Some(i) => i,
            }
        };
        // keep to a char boundary (arguments may be any UTF-8)
        let mut end = end;
        while !rest.is_char_boundary(end) {
            end += 1;
        }
        let piece = &rest[..end];
        if out.is_empty() {
            out.push(format!("{LABEL}: {piece}"));
        } else {
            out.push(format!("{:w$}{piece}", "", w = LABEL.len() + 2));
        }
        rest = &rest[end..];
    }
    out
}

/// What the daemon knows of one interface (from rtnetlink).
#[derive(Clone, Debug, Default)]
struct IfState {
    index: u32,
    up: bool,
    mac: Option<[u8; 6]>,
    /// `IFF_NOARP`: keepalived sends no gratuitous ARP there.
    noarp: bool,
    /// IPv4 addresses in the kernel's order (the primary first).
    v4: Vec<(Ipv4Addr, u8)>,
    /// IPv6 link-local addresses.
    v6ll: Vec<Ipv6Addr>,
}

/// The interface table, by name.
#[derive(Clone, Debug, Default)]
struct Ifaces {
    by_name: HashMap<String, IfState>,
}

impl Ifaces {
    fn load(rtnl: &mut Rtnl) -> io::Result<Ifaces> {
        let links = rtnl.links()?;
        let addrs = rtnl.addresses()?;
        let mut by_name = HashMap::new();
        let mut name_of = HashMap::new();
        for l in links {
            name_of.insert(l.index, l.name.clone());
            by_name.insert(
                l.name,
                IfState {
                    index: l.index,
                    up: l.up,
                    mac: l.mac,
                    noarp: l.noarp,
                    ..IfState::default()
                },
            );
        }
        let mut t = Ifaces { by_name };
        for a in addrs {
            if let Some(name) = name_of.get(&a.index) {
                t.add_addr(name.clone().as_str(), a.addr, a.prefix);
            }
        }
        Ok(t)
    }

    fn name_of(&self, index: u32) -> Option<&str> {
        self.by_name
            .iter()
            .find(|(_, s)| s.index == index)
            .map(|(n, _)| n.as_str())
    }

    fn add_addr(&mut self, name: &str, addr: IpAddr, prefix: u8) {
        let Some(s) = self.by_name.get_mut(name) else {
            return;
        };
        match addr {
            IpAddr::V4(a) => {
                if !s.v4.iter().any(|(x, _)| *x == a) {
                    s.v4.push((a, prefix));
                }
            }
            IpAddr::V6(a) => {
                if a.segments()[0] & 0xffc0 == 0xfe80 && !s.v6ll.contains(&a) {
                    s.v6ll.push(a);
                }
            }
        }
    }

    fn del_addr(&mut self, name: &str, addr: IpAddr) {
        let Some(s) = self.by_name.get_mut(name) else {
            return;
        };
        match addr {
            IpAddr::V4(a) => s.v4.retain(|(x, _)| *x != a),
            IpAddr::V6(a) => s.v6ll.retain(|x| *x != a),
        }
    }
}

impl Interfaces for Ifaces {
    fn source(&self, ifname: &str, family: Family) -> Option<IpAddr> {
        let s = self.by_name.get(ifname)?;
        match family {
            Family::Ipv4 => s.v4.first().map(|(a, _)| IpAddr::V4(*a)),
            Family::Ipv6 => s.v6ll.first().map(|a| IpAddr::V6(*a)),
        }
    }
}

/// One VRRP socket of the table.
struct Sock {
    ifname: String,
    family: Family,
    sock: Option<VrrpSocket>,
    /// Groups to join (multicast instances on this interface and family).
    groups: Vec<IpAddr>,
}

/// Rate limit for repeated I/O errors: one line per key until it clears.
#[derive(Default)]
struct Once {
    seen: HashSet<String>,
}

impl Once {
    /// True the first time `key` is seen since it was last cleared.
    fn first(&mut self, key: &str) -> bool {
        self.seen.insert(key.to_string())
    }
    fn clear(&mut self, key: &str) {
        self.seen.remove(key);
    }
}

/// The running daemon.
struct Daemon<'a> {
    logger: &'a Logger,
    /// The running configuration (shared with the engine).
    cfg: Rc<Config>,
    clock: Clock,
    poll: Poll,
    engine: Engine,
    /// Per engine instance: wall-clock time of its last state change and
    /// whether its addresses are set (for the JSON dump).
    observed: Vec<Observed>,
    ifaces: Ifaces,
    rtnl: Rtnl,
    monitor: Option<NetlinkMonitor>,
    packet: Option<PacketSocket>,
    sockets: Vec<Sock>,
    signals: signal_hook_mio::v1_0::Signals,
    pacer: GarpPacer,
    timer: Timer,
    runner: Runner,
    sd: SdNotify,
    /// When the metrics file is rewritten next (`None`: no metrics_file).
    metrics_due: Option<Instant>,
    files: FileWatch,
    /// Addresses we removed ourselves, whose netlink echo is not news.
    own_removals: HashSet<(u32, IpAddr)>,
    errors: Once,
    /// Rejected adverts: one line per instance and kind per 10 s.
    rx_errors: RxErrorLimiter,
    stop: bool,
    reload: &'a dyn Fn() -> Loaded,
    /// `-f`, for the reload's log lines.
    conf_file: String,
    rx_buf: Vec<u8>,
}

/// An advert waiting in [`Daemon::execute`]'s batch.
struct Outgoing {
    instance: usize,
    ifname: String,
    dst: IpAddr,
    packet: Vec<u8>,
}

/// Signals the daemon handles (KEEPALIVED.md §8).
fn handled_signals() -> Vec<i32> {
    use signal_hook::consts::*;
    vec![
        SIGTERM,
        SIGINT,
        SIGHUP,
        SIGUSR1,
        SIGUSR2,
        sys::sigrtmin() + 2,
        sys::sigrtmax() - 1,
    ]
}

/// Run the daemon until SIGTERM/SIGINT. `args` is the command line as
/// given (for the "Command line" log lines); `reload` re-reads the
/// configuration (SIGHUP).
pub fn run(
    opts: &Options,
    args: &[String],
    loaded: Loaded,
    logger: &Logger,
    reload: &dyn Fn() -> Loaded,
) -> u8 {
    let g = &loaded.config;
    let paths = PidPaths::from_options(
        opts.pid_file.as_deref(),
        opts.vrrp_pid_file.as_deref(),
        g.instance_name.as_deref(),
        g.use_pid_dir,
        opts.namespace.as_deref().or(g.net_namespace.as_deref()),
    );
    logger.process(Severity::Info, &format!("Starting {}", version_banner()));
    let (sysname, release, version) = sys::kernel();
    logger.process(
        Severity::Info,
        &format!("Running on {sysname} {release} {version}"),
    );
    for l in command_line_lines(args) {
        logger.process(Severity::Info, &l);
    }
    if logger.detail() > 0 {
        logger.process(
            Severity::Info,
            &format!("Opening file '{}'.", opts.conf_file),
        );
    }
    log_diagnostics(logger, &loaded);
    if loaded.not_opened {
        return exit::NO_CONFIG;
    }
    logger.process(
        Severity::Info,
        &format!("Configuration file {}", opts.conf_file),
    );
    for n in &opts.notes {
        logger.process(Severity::Info, n);
    }
    if loaded.missing_parameter {
        logger.process(
            Severity::Err,
            "Configuration error (a keyword is missing its parameter): exiting",
        );
        return exit::CONFIG;
    }
    if loaded.include_failed {
        logger.process(Severity::Err, "Configuration file(s) missing: exiting");
        return exit::NO_CONFIG;
    }
    // keepalived refuses to start over a live daemon before it forks, so the
    // message reaches the terminal.
    for p in [&paths.main, &paths.vrrp] {
        if let Ok(Running::Yes(_)) = pidfile::check_running(p) {
            logger.process(Severity::Info, "daemon is already running");
            return exit::FATAL;
        }
    }
    if !opts.dont_fork {
        if let Err(e) = sys::daemonize() {
            logger.process(Severity::Err, &format!("Unable to daemonize: {e}"));
            return exit::FATAL;
        }
    }
    if let Some(mask) = opts.umask {
        nix::sys::stat::umask(nix::sys::stat::Mode::from_bits_truncate(mask));
    }
    let mut notices = Vec::new();
    let pid = std::process::id();
    let written = pidfile::write_both(&paths, pid, &mut notices);
    for n in &notices {
        logger.process(Severity::Info, n);
    }
    let pidfiles: (PidFile, PidFile) = match written {
        Ok(p) => p,
        Err(e) => {
            logger.process(Severity::Err, &e.to_string());
            return exit::FATAL;
        }
    };
    logger.process(
        Severity::Info,
        &format!("Starting VRRP child process, pid={pid}"),
    );
    if let Some(ns) = opts
        .namespace
        .as_deref()
        .or(loaded.config.net_namespace.as_deref())
    {
        if let Err(e) = enter_netns(ns) {
            logger.process(
                Severity::Err,
                &format!("Unable to set network namespace {ns} ({e}) - exiting"),
            );
            return exit::FATAL;
        }
    }
    // keep the configuration only: the file texts and messages go now
    fn into_config(l: Loaded) -> Config {
        l.config
    }
    let code = match Daemon::new(into_config(loaded), logger, reload, &opts.conf_file) {
        Ok(mut d) => d.run(),
        Err(e) => {
            logger.process(Severity::Err, &format!("Unable to start: {e}"));
            exit::FATAL
        }
    };
    if code == exit::OK {
        if logger.detail() > 0 {
            let (user, system) = sys::cpu_times();
            logger.vrrp(
                Severity::Info,
                &format!("Stopped - used {user:.6} user time, {system:.6} system time"),
            );
        } else {
            logger.vrrp(Severity::Info, "Stopped");
        }
    }
    drop(pidfiles);
    logger.process(Severity::Info, &format!("Stopped {}", version_banner()));
    code
}

/// Where keepalived writes its dumps: `$TMPDIR` when it is absolute, else /tmp.
fn dump_dir() -> std::path::PathBuf {
    match std::env::var_os("TMPDIR") {
        Some(d) if std::path::Path::new(&d).is_absolute() => d.into(),
        _ => "/tmp".into(),
    }
}

/// Write `path` as keepalived does (a temporary file in the same directory,
/// mode 0600, renamed over the old one), so a reader never sees half a file.
fn write_atomic(path: &std::path::Path, data: &[u8]) -> io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let dir = path.parent().unwrap_or(std::path::Path::new("/"));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let _ = std::fs::remove_file(&tmp);
    let res = (|| {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .custom_flags(nix::libc::O_NOFOLLOW)
            .open(&tmp)?;
        f.write_all(data)?;
        f.sync_data()?;
        std::fs::rename(&tmp, path)
    })();
    if res.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    res
}

/// A label value in the Prometheus text format: `\\`, `"` and newlines escaped.
fn prom_escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// `-s NAME` / `net_namespace NAME`: run in the network namespace that
/// `ip netns add NAME` made (`/run/netns/NAME`), as keepalived does.
fn enter_netns(name: &str) -> io::Result<()> {
    if name.is_empty() || name.contains('/') || name == "." || name == ".." {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "not a namespace name",
        ));
    }
    let f = std::fs::File::open(std::path::Path::new("/run/netns").join(name))?;
    nix::sched::setns(f, nix::sched::CloneFlags::CLONE_NEWNET)?;
    Ok(())
}

/// Configuration messages, as keepalived logs them while reading.
fn log_diagnostics(logger: &Logger, loaded: &Loaded) {
    for d in &loaded.diags.items {
        match d.level {
            Level::Config(_) => logger.diagnostic(d, &loaded.sources),
            Level::Log => logger.vrrp(Severity::Info, &d.render(&loaded.sources)),
        }
    }
}

/// The configured interface of an address: its `dev`, else the instance's.
fn addr_dev<'c>(a: &'c IpAddress, inst: &'c VrrpInstance) -> Option<&'c str> {
    a.dev.as_deref().or(inst.interface.as_deref())
}

fn spec_of(a: &IpAddress) -> AddrSpec {
    let mut s = AddrSpec::new(a.addr, a.prefix);
    s.broadcast = match a.broadcast {
        Some(IpAddr::V4(b)) => Some(b),
        _ => None,
    };
    s.scope = a.scope;
    s.label = a.label.as_deref().map(str::to_string);
    s.preferred_lft = a.preferred_lft;
    s.nodad = a.nodad;
    s.noprefixroute = a.noprefixroute;
    s
}

impl<'a> Daemon<'a> {
    fn new(
        cfg: Config,
        logger: &'a Logger,
        reload: &'a dyn Fn() -> Loaded,
        conf_file: &str,
    ) -> io::Result<Self> {
        let clock = Clock::new();
        let poll = Poll::new()?;
        let detail = logger.detail() > 0;
        let mut rtnl = Rtnl::open()?;
        let monitor = match NetlinkMonitor::open() {
            Ok(mut m) => {
                poll.registry()
                    .register(&mut m, TOKEN_NETLINK, Interest::READABLE)?;
                if detail {
                    logger.vrrp(Severity::Info, "Registering Kernel netlink reflector");
                }
                Some(m)
            }
            Err(e) => {
                logger.vrrp(
                    Severity::Err,
                    &format!("Unable to open the netlink monitor socket ({e}): interface and address changes will not be followed"),
                );
                None
            }
        };
        if detail {
            logger.vrrp(Severity::Info, "Registering Kernel netlink command channel");
        }
        let ifaces = Ifaces::load(&mut rtnl)?;
        let cfg = Rc::new(cfg);
        let engine = Engine::with_config(Rc::clone(&cfg), &ifaces);
        let cfg_of: Vec<usize> = (0..engine.instances().len())
            .map(|k| engine.config_index(k))
            .collect();
        if detail {
            let mut used: Vec<&String> = cfg_of
                .iter()
                .filter_map(|&c| cfg.instances[c].interface.as_ref())
                .collect();
            used.sort();
            used.dedup();
            for name in used {
                if let Some(s) = ifaces.by_name.get(name) {
                    for (a, _) in &s.v4 {
                        logger.vrrp(
                            Severity::Info,
                            &format!("Assigned address {a} for interface {name}"),
                        );
                    }
                    for a in &s.v6ll {
                        logger.vrrp(
                            Severity::Info,
                            &format!("Assigned address {a} for interface {name}"),
                        );
                    }
                }
            }
        }
        for c in &cfg.instances {
            if c.disabled.is_none()
                && c.interface.is_some()
                && !cfg_of.iter().any(|&k| cfg.instances[k].name == c.name)
            {
                let fam = if c.family == Some(CfgFamily::V6) {
                    6
                } else {
                    4
                };
                logger.vrrp(
                    Severity::Info,
                    &format!(
                        "({}) entering FAULT state (no IPv{fam} address for interface)",
                        c.name
                    ),
                );
            }
        }
        let packet = match PacketSocket::open() {
            Ok(p) => {
                if detail {
                    logger.vrrp(Severity::Info, "Registering gratuitous ARP shared channel");
                }
                Some(p)
            }
            Err(e) => {
                logger.vrrp(
                    Severity::Err,
                    &format!("Unable to open the gratuitous ARP/NA socket ({e}): no GARP or NA will be sent"),
                );
                None
            }
        };
        let mut signals = signal_hook_mio::v1_0::Signals::new(handled_signals())?;
        poll.registry()
            .register(&mut signals, TOKEN_SIGNALS, Interest::READABLE)?;
        let pacer = GarpPacer::new(&cfg);
        let mut fevs = Vec::new();
        let files = FileWatch::new(&cfg, &mut fevs);
        if files.is_active() {
            let ffd = files.as_raw_fd();
            poll.registry()
                .register(&mut SourceFd(&ffd), TOKEN_FILES, Interest::READABLE)?;
        }
        for ev in &fevs {
            match ev {
                FileEvent::Log(e) => logger.event(e),
                FileEvent::Error(t) => logger.vrrp(Severity::Err, t),
                FileEvent::Status { .. } => {}
            }
        }
        let mut runner = Runner::new(&cfg, clock)?;
        poll.registry()
            .register(runner.children_mut(), TOKEN_CHILDREN, Interest::READABLE)?;
        let timer = Timer::new(clock)?;
        let tfd = timer.as_raw_fd();
        poll.registry()
            .register(&mut SourceFd(&tfd), TOKEN_TIMER, Interest::READABLE)?;
        let started = json_dump::wall_clock_now();
        let observed = vec![
            Observed {
                last_transition: started,
                vipset: false,
            };
            engine.instances().len()
        ];
        let mut d = Daemon {
            logger,
            cfg,
            clock,
            poll,
            engine,
            observed,
            ifaces,
            rtnl,
            monitor,
            packet,
            sockets: Vec::new(),
            signals,
            pacer,
            timer,
            runner,
            sd: SdNotify::from_env(),
            metrics_due: None,
            files,
            own_removals: HashSet::new(),
            errors: Once::default(),
            rx_errors: RxErrorLimiter::default(),
            stop: false,
            reload,
            conf_file: conf_file.to_string(),
            rx_buf: vec![0; RX_BUF],
        };
        d.build_sockets();
        Ok(d)
    }

    /// One socket per (interface, family) of the running instances.
    fn build_sockets(&mut self) {
        self.sockets = self.socket_plan();
        for i in 0..self.sockets.len() {
            self.open_socket(i);
        }
    }

    /// The sockets the running instances need (none opened yet).
    fn socket_plan(&self) -> Vec<Sock> {
        let mut plan: Vec<Sock> = Vec::new();
        for k in 0..self.engine.instances().len() {
            let c = &self.cfg.instances[self.engine.config_index(k)];
            let Some(ifname) = c.interface.clone() else {
                continue;
            };
            let family = if c.family == Some(CfgFamily::V6) {
                Family::Ipv6
            } else {
                Family::Ipv4
            };
            let group = if c.unicast_peers.is_empty() {
                Some(c.mcast_dst_ip.unwrap_or(match family {
                    Family::Ipv4 => self.cfg.global.mcast_group4,
                    Family::Ipv6 => self.cfg.global.mcast_group6,
                }))
            } else {
                None
            };
            let i = match plan
                .iter()
                .position(|s| s.ifname == ifname && s.family == family)
            {
                Some(i) => i,
                None => {
                    plan.push(Sock {
                        ifname,
                        family,
                        sock: None,
                        groups: Vec::new(),
                    });
                    plan.len() - 1
                }
            };
            if let Some(g) = group {
                if !plan[i].groups.contains(&g) {
                    plan[i].groups.push(g);
                }
            }
        }
        plan
    }

    /// Reload: the sockets the new instances need. One already open for the
    /// same interface and family is kept (registered under its new slot;
    /// groups added are joined; one that leaves a group is opened anew, the
    /// new one before the old closes); the others open, the unused close.
    fn rebuild_sockets(&mut self) {
        let mut old = std::mem::take(&mut self.sockets);
        self.sockets = self.socket_plan();
        for i in 0..self.sockets.len() {
            let found = old.iter().position(|o| {
                o.ifname == self.sockets[i].ifname && o.family == self.sockets[i].family
            });
            let Some(p) = found else {
                self.open_socket(i);
                continue;
            };
            let keeps = old[p]
                .groups
                .iter()
                .all(|g| self.sockets[i].groups.contains(g));
            let Some(sock) = old[p].sock.take().filter(|_| keeps) else {
                self.open_socket(i);
                continue;
            };
            for g in &self.sockets[i].groups {
                if !old[p].groups.contains(g) {
                    if let Err(e) = sock.join(*g) {
                        self.logger.vrrp(
                            Severity::Err,
                            &format!(
                                "Unable to join multicast group {g} on {} ({e})",
                                self.sockets[i].ifname
                            ),
                        );
                    }
                }
            }
            let fd = sock.as_raw_fd();
            if let Err(e) = self.poll.registry().reregister(
                &mut SourceFd(&fd),
                Token(TOKEN_SOCKET_BASE + i),
                Interest::READABLE,
            ) {
                self.logger.vrrp(
                    Severity::Err,
                    &format!("Unable to poll the VRRP socket on {} ({e})", sock.ifname()),
                );
            }
            self.sockets[i].sock = Some(sock);
        }
        for o in &mut old {
            if let Some(sock) = o.sock.take() {
                let fd = sock.as_raw_fd();
                let _ = self.poll.registry().deregister(&mut SourceFd(&fd));
            }
        }
    }

    /// (Re)open socket `i` (start-up, or its interface came back).
    fn open_socket(&mut self, i: usize) {
        if let Some(old) = self.sockets[i].sock.take() {
            let fd = old.as_raw_fd();
            let _ = self.poll.registry().deregister(&mut SourceFd(&fd));
        }
        let s = &self.sockets[i];
        let opened = match s.family {
            Family::Ipv4 => VrrpSocket::open_ipv4(&s.ifname),
            Family::Ipv6 => VrrpSocket::open_ipv6(&s.ifname),
        };
        let key = format!("socket {} {:?}", s.ifname, s.family);
        let sock = match opened {
            Ok(sock) => sock,
            Err(e) => {
                if self.errors.first(&key) {
                    self.logger.vrrp(
                        Severity::Err,
                        &format!("Unable to open the VRRP socket on {} ({e}); will retry when the interface changes", s.ifname),
                    );
                }
                return;
            }
        };
        self.errors.clear(&key);
        for g in &s.groups {
            if let Err(e) = sock.join(*g) {
                self.logger.vrrp(
                    Severity::Err,
                    &format!("Unable to join multicast group {g} on {} ({e})", s.ifname),
                );
            }
        }
        let fd = sock.as_raw_fd();
        if let Err(e) = self.poll.registry().register(
            &mut SourceFd(&fd),
            Token(TOKEN_SOCKET_BASE + i),
            Interest::READABLE,
        ) {
            self.logger.vrrp(
                Severity::Err,
                &format!("Unable to poll the VRRP socket on {} ({e})", s.ifname),
            );
            return;
        }
        if self.logger.detail() > 0 {
            let fam = match s.family {
                Family::Ipv4 => "IPv4",
                Family::Ipv6 => "IPv6",
            };
            let kind = match s.groups.first() {
                Some(g) => format!("multicast, address({g})"),
                None => "unicast".to_string(),
            };
            self.logger.vrrp(
                Severity::Info,
                &format!(
                    "VRRP sockpool: [ifindex({:3}), family({fam}), proto(112), fd({fd},{fd}) {kind}]",
                    sock.ifindex()
                ),
            );
        }
        self.sockets[i].sock = Some(sock);
    }

    fn run(&mut self) -> u8 {
        let now = self.clock.now();
        self.runner.open_fifos(self.logger);
        let mut fevs = Vec::new();
        self.files.read_all(&mut fevs);
        for ev in fevs {
            match ev {
                FileEvent::Status { name, status } => {
                    self.engine.preset_tracker(TrackerKind::File, &name, status)
                }
                FileEvent::Log(e) => self.logger.event(&e),
                FileEvent::Error(t) => self.logger.vrrp(Severity::Err, &t),
            }
        }
        self.preset_unsupported_trackers();
        self.engine.start(now);
        self.execute();
        self.runner.start(now, &mut self.engine, self.logger);
        self.execute();
        self.logger.process(Severity::Info, "Startup complete");
        self.sd_notify("READY=1\nSTATUS=Startup complete");
        self.write_metrics(self.clock.now());
        sys::trim_heap();
        let mut events = Events::with_capacity(64);
        while !self.stop {
            // The timer fd wakes us at the deadline with µs precision; the
            // poll timeout (rounded up to ms by epoll) is only a safety net.
            let deadline = self.next_deadline();
            let timeout = match self.timer.set(deadline) {
                Ok(()) => {
                    deadline.map(|t| self.clock.until(t) + std::time::Duration::from_millis(50))
                }
                Err(_) => deadline.map(|t| self.clock.until(t)),
            };
            if let Err(e) = self.poll.poll(&mut events, timeout) {
                if e.kind() != io::ErrorKind::Interrupted {
                    self.logger
                        .vrrp(Severity::Err, &format!("poll failed: {e}"));
                    return exit::FATAL;
                }
            }
            for ev in events.iter() {
                match ev.token() {
                    TOKEN_SIGNALS => self.on_signals(),
                    TOKEN_NETLINK => self.on_netlink(),
                    TOKEN_TIMER => self.timer.acknowledge(),
                    TOKEN_FILES => self.on_files(),
                    TOKEN_CHILDREN => {
                        let now = self.clock.now();
                        self.runner.on_children(now, &mut self.engine, self.logger);
                        self.execute();
                    }
                    Token(t) if t >= TOKEN_SOCKET_BASE => self.on_socket(t - TOKEN_SOCKET_BASE),
                    _ => {}
                }
                if self.stop {
                    break;
                }
            }
            if self.stop {
                break;
            }
            let now = self.handle_due_timers();
            self.execute();
            self.runner
                .handle_timeout(now, &mut self.engine, self.logger);
            self.execute();
            if self.metrics_due.is_some_and(|t| t <= now) {
                self.write_metrics(now);
            }
            if self.pacer.next_deadline().is_some_and(|t| t <= now) {
                self.send_due_garps();
            }
        }
        self.shutdown();
        exit::OK
    }

    /// The engine's expired timers, a batch at a time, its actions done
    /// before the next (the adverts of every instance never wait all at
    /// once), each batch at the clock's time. Returns the time of the last.
    fn handle_due_timers(&mut self) -> Instant {
        let mut now = self.clock.now();
        if self.engine.poll_timeout().is_some_and(|t| t <= now) {
            while self.engine.handle_timeout_batch(now, TIMEOUT_BATCH) {
                self.execute();
                now = self.clock.now();
            }
        }
        now
    }

    fn next_deadline(&self) -> Option<Instant> {
        [
            self.engine.poll_timeout(),
            self.pacer.next_deadline(),
            self.runner.poll_timeout(),
            self.metrics_due,
        ]
        .into_iter()
        .flatten()
        .min()
    }

    fn on_signals(&mut self) {
        use signal_hook::consts::*;
        let pending: Vec<i32> = self.signals.pending().collect();
        for sig in pending {
            match sig {
                SIGTERM | SIGINT => {
                    self.stop = true;
                }
                SIGHUP => self.on_reload(),
                SIGUSR1 => self.write_data(),
                SIGUSR2 => self.write_stats(false),
                s if s == sys::sigrtmin() + 2 => self.write_json(),
                _ => self.write_stats(true),
            }
        }
    }

    /// Tell systemd (Type=notify units); a failure is said once.
    fn sd_notify(&mut self, state: &str) {
        if let Err(e) = self.sd.notify(state) {
            if self.errors.first("sd_notify") {
                self.logger.process(
                    Severity::Warning,
                    &format!("Unable to notify systemd ({e})"),
                );
            }
        }
    }

    /// SIGUSR1: `/tmp/keepalived.data` in keepalived's layout (§8.3): the
    /// global definitions, each instance, the scripts. Every field that
    /// keepalived-exporter reads is there (instance name, State,
    /// Wantstate, Interface, Gratuitous ARP delay, Virtual Router ID, the
    /// virtual IPs; per script Status and State).
    fn write_data(&mut self) {
        use std::fmt::Write as _;
        let pid = std::process::id();
        self.logger.vrrp(
            Severity::Info,
            &format!("Printing VRRP data for process({pid}) on signal"),
        );
        let g = &self.cfg.global;
        let word = |s: State| match s {
            State::Init => "INIT",
            State::Backup => "BACKUP",
            State::Master => "MASTER",
            State::Fault => "FAULT",
        };
        let mut t = String::new();
        let _ = writeln!(t, "------< Global definitions >------");
        let _ = writeln!(
            t,
            " Network namespace = {}",
            self.cfg.net_namespace.as_deref().unwrap_or("(default)")
        );
        let _ = writeln!(
            t,
            " Router ID = {}",
            g.router_id.clone().unwrap_or_else(sys::node_name)
        );
        let _ = writeln!(t, " VRRP IPv4 mcast group = {}", g.mcast_group4);
        let _ = writeln!(t, " VRRP IPv6 mcast group = {}", g.mcast_group6);
        let _ = writeln!(t, "------< VRRP Topology >------");
        for (k, i) in self.engine.instances().iter().enumerate() {
            let c = &self.cfg.instances[self.engine.config_index(k)];
            let _ = writeln!(t, " VRRP Instance = {}", i.p.name);
            let _ = writeln!(t, "   VRRP Version = {}", i.p.version);
            let _ = writeln!(t, "   State = {}", word(i.state));
            let _ = writeln!(t, "   Flags: none");
            let _ = writeln!(t, "   Wantstate = {}", word(i.wantstate));
            let _ = writeln!(t, "   Number of config faults = 0");
            let _ = writeln!(
                t,
                "   Number of interface and track script faults = {}",
                i.link_faults
            );
            if i.state == State::Backup {
                if let Some(m) = i.master_addr {
                    let _ = writeln!(t, "   Master router = {m}");
                    let _ = writeln!(t, "   Master priority = {}", i.master_prio);
                }
            }
            let _ = writeln!(t, "   Interface = {}", c.interface.as_deref().unwrap_or(""));
            let _ = writeln!(t, "   Using src_ip = {}", i.p.saddr);
            if c.unicast_peers.is_empty() {
                let group = c
                    .mcast_dst_ip
                    .unwrap_or(if c.family == Some(CfgFamily::V6) {
                        g.mcast_group6
                    } else {
                        g.mcast_group4
                    });
                let _ = writeln!(t, "   Multicast address {group}");
            } else {
                let _ = writeln!(t, "   Unicast Peers :");
                for p in &c.unicast_peers {
                    let _ = writeln!(t, "     {}", p.addr);
                }
            }
            let gd = c.garp.master_delay.unwrap_or(g.garp.master_delay);
            let _ = writeln!(t, "   Gratuitous ARP delay = {gd}");
            let gr = c.garp.master_repeat.unwrap_or(g.garp.master_repeat);
            let _ = writeln!(t, "   Gratuitous ARP repeat = {gr}");
            let _ = writeln!(t, "   Virtual Router ID = {}", i.p.vrid);
            let _ = writeln!(t, "   Priority = {}", i.prio.base());
            let _ = writeln!(t, "   Effective priority = {}", i.priority());
            let _ = writeln!(t, "   Total priority = {}", i.prio.total());
            let us = i.p.adver_int.micros();
            if us % 1_000_000 == 0 {
                let _ = writeln!(t, "   Advert interval = {} sec", us / 1_000_000);
            } else {
                let _ = writeln!(t, "   Advert interval = {} milli-sec", us / 1_000);
            }
            let _ = writeln!(
                t,
                "   Preempt = {}",
                if i.p.nopreempt { "disabled" } else { "enabled" }
            );
            let set = if i.state == State::Master { " set" } else { "" };
            let vip_line = |a: &IpAddress| {
                format!(
                    "     {}/{} dev {} scope {}{set}",
                    a.addr,
                    a.prefix,
                    addr_dev(a, c).unwrap_or(""),
                    match a.scope {
                        0 => "global".to_string(),
                        200 => "site".to_string(),
                        253 => "link".to_string(),
                        254 => "host".to_string(),
                        255 => "nowhere".to_string(),
                        n => n.to_string(),
                    }
                )
            };
            let _ = writeln!(t, "   Virtual IP ({}):", c.vips.len());
            for a in &c.vips {
                let _ = writeln!(t, "{}", vip_line(a));
            }
            if !c.evips.is_empty() {
                let _ = writeln!(t, "   Virtual IP Excluded :");
                for a in &c.evips {
                    let _ = writeln!(t, "{}", vip_line(a));
                }
            }
            if !c.track_scripts.is_empty() {
                let _ = writeln!(t, "   Tracked scripts :");
                for s in &c.track_scripts {
                    let _ = writeln!(t, "     {} weight {}", s.name, s.weight);
                }
            }
        }
        let scripts = self.runner.script_dump(&self.cfg);
        if !scripts.is_empty() {
            let _ = writeln!(t, "------< VRRP Scripts >------");
            for s in scripts {
                let _ = writeln!(t, " VRRP Script = {}", s.name);
                let _ = writeln!(t, "   Command = '{}'", s.command);
                let _ = writeln!(t, "   Interval = {} sec", s.interval_s);
                let _ = writeln!(t, "   Timeout = {} sec", s.timeout_s);
                let _ = writeln!(t, "   Weight = {}", s.weight);
                let _ = writeln!(t, "   Rise = {}", s.rise);
                let _ = writeln!(t, "   Fall = {}", s.fall);
                let _ = writeln!(t, "   Status = {}", if s.good { "GOOD" } else { "BAD" });
                let _ = writeln!(
                    t,
                    "   State = {}",
                    if s.running { "running" } else { "idle" }
                );
            }
        }
        let path = dump_dir().join("keepalived.data");
        if let Err(e) = write_atomic(&path, t.as_bytes()) {
            self.logger.vrrp(
                Severity::Err,
                &format!("Unable to write {}: {e}", path.display()),
            );
        }
    }

    /// SIGRTMIN+2 (JSON): `/tmp/keepalived.json` (or `$TMPDIR`) as keepalived
    /// writes it ([`json_dump::render`]), atomically, mode 0600. Like
    /// keepalived, nothing is written when no instance runs; a write error
    /// is logged with keepalived's words and the daemon goes on.
    fn write_json(&mut self) {
        let pid = std::process::id();
        self.logger.vrrp(
            Severity::Info,
            &format!("Printing VRRP as json for process({pid}) on signal"),
        );
        if self.engine.instances().is_empty() {
            return;
        }
        let cfg_of: Vec<usize> = (0..self.engine.instances().len())
            .map(|k| self.engine.config_index(k))
            .collect();
        let text = json_dump::render(&self.cfg, &self.engine, &cfg_of, &self.observed);
        let path = dump_dir().join("keepalived.json");
        if let Err(e) = write_atomic(&path, text.as_bytes()) {
            let msg = e.to_string();
            let msg = msg.split(" (os error").next().unwrap_or(&msg);
            self.logger.vrrp(
                Severity::Err,
                &format!(
                    "Can't open {} ({}: {msg})",
                    path.display(),
                    e.raw_os_error().unwrap_or(0)
                ),
            );
        }
    }

    /// `metrics_file` (ours): the Prometheus text exposition of every
    /// instance's state, priorities and counters and every script's result,
    /// written atomically for node_exporter's textfile collector. Written at
    /// start-up, after state changes and every [`METRICS_PERIOD`].
    fn write_metrics(&mut self, now: Instant) {
        use crate::vrrp::stats::Counter as C;
        use std::fmt::Write as _;
        let Some(path) = self.cfg.global.metrics_file.clone() else {
            return;
        };
        self.metrics_due = Some(now + METRICS_PERIOD);
        let mut t = String::new();
        let insts = self.engine.instances();
        let label = |k: usize| {
            let i = &insts[k];
            let c = &self.cfg.instances[self.engine.config_index(k)];
            format!(
                "iname=\"{}\",intf=\"{}\",vrid=\"{}\",ip_family=\"{}\"",
                prom_escape(&i.p.name),
                prom_escape(c.interface.as_deref().unwrap_or("")),
                i.p.vrid,
                if c.family == Some(CfgFamily::V6) {
                    "inet6"
                } else {
                    "inet"
                }
            )
        };
        let gauge =
            |t: &mut String, name: &str, help: &str, kind: &str, v: &dyn Fn(usize) -> u64| {
                let _ = writeln!(t, "# HELP {name} {help}");
                let _ = writeln!(t, "# TYPE {name} {kind}");
                for k in 0..insts.len() {
                    let _ = writeln!(t, "{name}{{{}}} {}", label(k), v(k));
                }
            };
        gauge(
            &mut t,
            "keepalived_vrrp_state",
            "State of the instance: 0 INIT, 1 BACKUP, 2 MASTER, 3 FAULT.",
            "gauge",
            &|k| match insts[k].state {
                State::Init => 0,
                State::Backup => 1,
                State::Master => 2,
                State::Fault => 3,
            },
        );
        gauge(
            &mut t,
            "keepalived_vrrp_priority",
            "Configured priority.",
            "gauge",
            &|k| u64::from(insts[k].prio.base()),
        );
        gauge(
            &mut t,
            "keepalived_vrrp_effective_priority",
            "Priority in the adverts, after tracking.",
            "gauge",
            &|k| u64::from(insts[k].priority()),
        );
        for (name, help, c) in [
            (
                "keepalived_advertisements_received_total",
                "Adverts received.",
                C::AdvertRcvd,
            ),
            (
                "keepalived_advertisements_sent_total",
                "Adverts sent.",
                C::AdvertSent,
            ),
            (
                "keepalived_become_master_total",
                "Transitions to MASTER.",
                C::BecomeMaster,
            ),
            (
                "keepalived_release_master_total",
                "Transitions out of MASTER.",
                C::ReleaseMaster,
            ),
            (
                "keepalived_packet_length_errors_total",
                "Packets with a bad length.",
                C::PacketLenErr,
            ),
            (
                "keepalived_advertisements_interval_errors_total",
                "Adverts with a wrong interval.",
                C::AdvertIntervalErr,
            ),
            (
                "keepalived_ip_ttl_errors_total",
                "Packets with TTL/hop limit other than 255.",
                C::IpTtlErr,
            ),
            (
                "keepalived_invalid_type_received_total",
                "Packets of an unknown type.",
                C::InvalidTypeRcvd,
            ),
            (
                "keepalived_address_list_errors_total",
                "Adverts whose address list does not match.",
                C::AddrListErr,
            ),
            (
                "keepalived_authentication_invalid_total",
                "Packets with an unknown authentication type.",
                C::InvalidAuthtype,
            ),
            (
                "keepalived_authentication_mismatch_total",
                "Packets with another authentication type.",
                C::AuthtypeMismatch,
            ),
            (
                "keepalived_authentication_failure_total",
                "Packets with a wrong password.",
                C::AuthFailure,
            ),
            (
                "keepalived_priority_zero_received_total",
                "Priority 0 adverts received.",
                C::PriZeroRcvd,
            ),
            (
                "keepalived_priority_zero_sent_total",
                "Priority 0 adverts sent.",
                C::PriZeroSent,
            ),
            (
                "keepalived_version_errors_total",
                "Packets of another VRRP version.",
                C::VersionErr,
            ),
            (
                "keepalived_checksum_errors_total",
                "Packets with a bad checksum.",
                C::ChecksumErr,
            ),
            (
                "keepalived_not_unicast_peer_total",
                "Adverts from an address that is not a unicast peer.",
                C::NotUnicastPeer,
            ),
        ] {
            gauge(&mut t, name, help, "counter", &|k| insts[k].stats.get(c));
        }
        let scripts = self.runner.script_dump(&self.cfg);
        if !scripts.is_empty() {
            let _ = writeln!(
                t,
                "# HELP keepalived_script_status Result of a vrrp_script: 1 good, 0 bad."
            );
            let _ = writeln!(t, "# TYPE keepalived_script_status gauge");
            for sc in &scripts {
                let _ = writeln!(
                    t,
                    "keepalived_script_status{{name=\"{}\"}} {}",
                    prom_escape(&sc.name),
                    u8::from(sc.good)
                );
            }
        }
        if let Err(e) = write_atomic(std::path::Path::new(&path), t.as_bytes()) {
            if self.errors.first("metrics") {
                self.logger.vrrp(
                    Severity::Err,
                    &format!("Unable to write metrics file {path}: {e}"),
                );
            }
        } else {
            self.errors.clear("metrics");
        }
    }

    /// SIGUSR2 (and STATS_CLEAR, `clear`): every instance's counters in
    /// keepalived's `/tmp/keepalived.stats` layout (KEEPALIVED.md §8.4),
    /// written atomically with mode 0600 in `$TMPDIR` (when absolute) or
    /// /tmp; a write error is logged and the daemon goes on.
    fn write_stats(&mut self, clear: bool) {
        let pid = std::process::id();
        self.logger.vrrp(
            Severity::Info,
            &if clear {
                format!("Printing and clearing VRRP stats for process({pid}) on signal")
            } else {
                format!("Printing VRRP stats for process({pid}) on signal")
            },
        );
        let mut text = String::new();
        for i in self.engine.instances() {
            i.stats.write_keepalived_stats(&i.p.name, &mut text);
        }
        let path = dump_dir().join("keepalived.stats");
        if let Err(e) = write_atomic(&path, text.as_bytes()) {
            self.logger.vrrp(
                Severity::Err,
                &format!("Unable to write {}: {e}", path.display()),
            );
        }
        if clear {
            self.engine.clear_stats();
        }
    }

    /// SIGHUP (KEEPALIVED.md §8.1): every MASTER advertises at once, the
    /// file is read again and, unless it is broken, applied without a flap
    /// ([`Daemon::apply_reload`]); a broken file is said (file:line) and the
    /// running configuration stays.
    fn on_reload(&mut self) {
        self.logger.process(Severity::Info, "Reloading ...");
        self.sd_notify(&format!(
            "RELOADING=1\nMONOTONIC_USEC={}",
            sdnotify::monotonic_usec()
        ));
        // timers already due first, in their usual order; then every master
        // that did not just advertise, a batch at a time, each at the
        // clock's time, as timers are handled
        self.handle_due_timers();
        let masters = self
            .engine
            .masters_to_advertise(self.clock.now(), RELOAD_RECENT_ADVERT);
        for batch in masters.chunks(TIMEOUT_BATCH) {
            let now = self.clock.now();
            for &k in batch {
                self.engine.advertise_now(k, now);
            }
            self.execute();
        }
        if self.logger.detail() > 0 {
            self.logger.process(
                Severity::Info,
                &format!("Opening file '{}'.", self.conf_file),
            );
        }
        self.logger.process(
            Severity::Info,
            &format!("Configuration file {}", self.conf_file),
        );
        self.logger.vrrp(Severity::Info, "Reloading");
        let loaded = (self.reload)();
        log_diagnostics(self.logger, &loaded);
        match reload_refusal(&self.cfg, &loaded) {
            Some(why) => self.logger.process(
                Severity::Err,
                &format!(
                    "New configuration not applied ({why}): keeping the running configuration"
                ),
            ),
            None => {
                self.apply_reload(loaded.config);
                self.logger.process(Severity::Info, "Reload complete");
            }
        }
        self.sd_notify("READY=1\nSTATUS=Running");
    }

    /// Run `cfg` in place of the running configuration: instances matched as
    /// keepalived matches them keep their state and addresses, removed ones
    /// release, new ones start; scripts keep their results by name; the
    /// sockets, tracked files and GARP queue follow.
    fn apply_reload(&mut self, cfg: Config) {
        let now = self.clock.now();
        let cfg = Rc::new(cfg);
        let mut next = Engine::with_config(Rc::clone(&cfg), &self.ifaces);
        let plan = self.engine.plan_reload(&next);
        // removed instances release with the old configuration's notify
        // scripts
        self.engine.release_unmatched(&plan);
        self.execute();
        self.runner.reload(&cfg, now, self.logger);
        for (name, status) in self.runner.script_statuses() {
            next.preset_tracker(TrackerKind::Script, &name, status);
        }
        for (name, s) in &self.ifaces.by_name {
            if !s.up {
                next.preset_link(name, false);
            }
        }
        for (kind, name) in unsupported_trackers(&cfg) {
            next.preset_tracker(kind, &name, TrackerStatus::Up);
        }
        self.reload_files(&cfg, &mut next);
        let old = std::mem::replace(&mut self.engine, next);
        self.engine.adopt(now, old, &plan);
        self.rx_errors.clear();
        // keepalived builds every instance anew at a reload: the last
        // transition of each is the reload's time; vipset is carried over
        let reloaded = json_dump::wall_clock_now();
        self.observed = plan
            .new_to_old
            .iter()
            .map(|o| Observed {
                last_transition: reloaded,
                vipset: o
                    .and_then(|o| self.observed.get(o))
                    .is_some_and(|x| x.vipset),
            })
            .collect();
        self.cfg = cfg;
        if self.pacer.pending() == 0 {
            self.pacer = GarpPacer::new(&self.cfg);
        } else {
            self.pacer.renumber(&plan.old_to_new);
        }
        self.rebuild_sockets();
        self.execute();
        self.runner.start(now, &mut self.engine, self.logger);
        self.execute();
        self.metrics_due = self.cfg.global.metrics_file.as_ref().map(|_| Instant::ZERO);
        // adverts that came while the file was read count before any timer
        for i in 0..self.sockets.len() {
            self.on_socket(i);
        }
        sys::trim_heap();
    }

    /// Reload: the tracked files of `cfg`, read now into `next`'s trackers.
    fn reload_files(&mut self, cfg: &Config, next: &mut Engine) {
        if self.files.is_active() {
            let fd = self.files.as_raw_fd();
            let _ = self.poll.registry().deregister(&mut SourceFd(&fd));
        }
        let mut fevs = Vec::new();
        self.files = FileWatch::new(cfg, &mut fevs);
        if self.files.is_active() {
            let fd = self.files.as_raw_fd();
            if let Err(e) =
                self.poll
                    .registry()
                    .register(&mut SourceFd(&fd), TOKEN_FILES, Interest::READABLE)
            {
                self.logger.vrrp(
                    Severity::Err,
                    &format!("Unable to watch the tracked files ({e})"),
                );
            }
        }
        self.files.read_all(&mut fevs);
        for ev in fevs {
            match ev {
                FileEvent::Status { name, status } => {
                    next.preset_tracker(TrackerKind::File, &name, status)
                }
                FileEvent::Log(e) => self.logger.event(&e),
                FileEvent::Error(t) => self.logger.vrrp(Severity::Err, &t),
            }
        }
    }

    /// `vrrp_track_process` and `track_bfd` are not run by this build: say so
    /// once per tracker and count them as up, so that the instances tracking
    /// them run instead of waiting for a result that never comes.
    fn preset_unsupported_trackers(&mut self) {
        for (kind, name) in unsupported_trackers(&self.cfg) {
            let what = if kind == TrackerKind::Process {
                "vrrp_track_process"
            } else {
                "track_bfd"
            };
            self.logger.vrrp(
                Severity::Warning,
                &format!(
                    "WARNING: {what} {name} is not run by this keepalived-rs build: it is counted as up"
                ),
            );
            self.engine.preset_tracker(kind, &name, TrackerStatus::Up);
        }
    }

    /// A tracked file changed.
    fn on_files(&mut self) {
        let mut fevs = Vec::new();
        self.files.on_events(&mut fevs);
        let now = self.clock.now();
        for ev in fevs {
            match ev {
                FileEvent::Status { name, status } => {
                    self.engine
                        .handle_tracker(now, TrackerKind::File, &name, status)
                }
                FileEvent::Log(e) => self.logger.event(&e),
                FileEvent::Error(t) => self.logger.vrrp(Severity::Err, &t),
            }
        }
        self.execute();
    }

    fn on_netlink(&mut self) {
        let mut evs = Vec::new();
        let res = match self.monitor.as_mut() {
            Some(m) => m.drain(&mut evs),
            None => return,
        };
        if let Err(e) = res {
            if self.errors.first("netlink-read") {
                self.logger
                    .vrrp(Severity::Err, &format!("Netlink monitor read error: {e}"));
            }
        } else {
            self.errors.clear("netlink-read");
        }
        for ev in evs {
            self.on_net_event(ev);
        }
    }

    fn on_net_event(&mut self, ev: NetEvent) {
        let now = self.clock.now();
        match ev {
            NetEvent::Link(l) => {
                let prev = self.ifaces.by_name.get(&l.name).cloned();
                let entry = self.ifaces.by_name.entry(l.name.clone()).or_default();
                entry.index = l.index;
                entry.up = l.up;
                entry.mac = l.mac;
                entry.noarp = l.noarp;
                let reindexed = prev.as_ref().is_some_and(|p| p.index != l.index);
                if reindexed {
                    self.reopen_sockets_on(&l.name);
                }
                let was_up = prev.as_ref().is_some_and(|p| p.up);
                if was_up != l.up && self.uses_interface(&l.name) {
                    if l.up && prev.as_ref().is_none_or(|p| p.index != l.index) {
                        self.reopen_sockets_on(&l.name);
                    }
                    self.engine.handle_link(now, &l.name, l.up);
                }
            }
            NetEvent::LinkRemoved { index, name } => {
                let was_up = self
                    .ifaces
                    .by_name
                    .get(&name)
                    .is_some_and(|s| s.up && s.index == index);
                self.ifaces.by_name.remove(&name);
                if was_up && self.uses_interface(&name) {
                    self.engine.handle_link(now, &name, false);
                }
            }
            NetEvent::AddrAdded(a) => {
                if let Some(name) = self.ifaces.name_of(a.index).map(str::to_string) {
                    self.ifaces.add_addr(&name, a.addr, a.prefix);
                }
            }
            NetEvent::AddrRemoved(a) => {
                if let Some(name) = self.ifaces.name_of(a.index).map(str::to_string) {
                    self.ifaces.del_addr(&name, a.addr);
                }
                if self.own_removals.remove(&(a.index, a.addr)) {
                    return;
                }
                self.on_vip_removed(now, a.index, a.addr);
            }
            NetEvent::Overrun => self.resync(),
        }
    }

    /// A VIP of a MASTER instance was deleted by someone else.
    fn on_vip_removed(&mut self, now: Instant, index: u32, addr: IpAddr) {
        let Some(name) = self.ifaces.name_of(index).map(str::to_string) else {
            return;
        };
        for k in 0..self.engine.instances().len() {
            if self.engine.instances()[k].state != State::Master {
                continue;
            }
            let c = &self.cfg.instances[self.engine.config_index(k)];
            let hit = c
                .vips
                .iter()
                .any(|v| v.addr == addr && addr_dev(v, c) == Some(name.as_str()));
            if hit {
                self.engine.handle_vip_removed(now, k);
            }
        }
    }

    /// The monitor socket overran: read the whole state again and feed the
    /// differences, as if the lost messages had arrived.
    fn resync(&mut self) {
        if self.errors.first("netlink-overrun") {
            self.logger.vrrp(
                Severity::Warning,
                "Netlink monitor socket overrun (ENOBUFS): re-reading interfaces and addresses",
            );
        }
        let fresh = match Ifaces::load(&mut self.rtnl) {
            Ok(f) => f,
            Err(e) => {
                self.logger.vrrp(
                    Severity::Err,
                    &format!("Unable to re-read interfaces after a netlink overrun: {e}"),
                );
                return;
            }
        };
        let now = self.clock.now();
        let old = std::mem::replace(&mut self.ifaces, fresh);
        let names: Vec<String> = self.ifaces.by_name.keys().cloned().collect();
        for name in &names {
            let new = &self.ifaces.by_name[name];
            let (up, index) = (new.up, new.index);
            let before = old.by_name.get(name);
            if before.is_some_and(|b| b.index != index) {
                self.reopen_sockets_on(name);
            }
            if before.is_none_or(|b| b.up) != up && self.uses_interface(name) {
                self.engine.handle_link(now, name, up);
            }
        }
        for (name, b) in &old.by_name {
            if b.up && !self.ifaces.by_name.contains_key(name) && self.uses_interface(name) {
                self.engine.handle_link(now, name, false);
            }
        }
        // A master whose VIP vanished meanwhile.
        for k in 0..self.engine.instances().len() {
            if self.engine.instances()[k].state != State::Master {
                continue;
            }
            let c = &self.cfg.instances[self.engine.config_index(k)];
            let missing = c.vips.iter().any(|v| {
                addr_dev(v, c)
                    .and_then(|d| self.ifaces.by_name.get(d))
                    .is_some_and(|s| match v.addr {
                        IpAddr::V4(a) => !s.v4.iter().any(|(x, _)| *x == a),
                        IpAddr::V6(_) => false,
                    })
            });
            if missing {
                self.engine.handle_vip_removed(now, k);
            }
        }
        self.errors.clear("netlink-overrun");
    }

    fn uses_interface(&self, name: &str) -> bool {
        self.sockets.iter().any(|s| s.ifname == name)
            || (0..self.engine.instances().len()).any(|k| {
                self.cfg.instances[self.engine.config_index(k)]
                    .track_interfaces
                    .iter()
                    .any(|t| t.ifname == name)
            })
    }

    fn reopen_sockets_on(&mut self, name: &str) {
        for i in 0..self.sockets.len() {
            if self.sockets[i].ifname == name {
                self.open_socket(i);
            }
        }
    }

    fn on_socket(&mut self, i: usize) {
        loop {
            let Some(sock) = self.sockets.get(i).and_then(|s| s.sock.as_ref()) else {
                return;
            };
            let got = sock.recv(&mut self.rx_buf);
            let now = self.clock.now();
            match got {
                Ok(Some(p)) => {
                    let n = p.bytes_len.min(self.rx_buf.len());
                    let r = Received {
                        ifname: &self.sockets[i].ifname,
                        rx: p.rx,
                        bytes: &self.rx_buf[..n],
                    };
                    self.engine.handle_packet(now, &r);
                    self.execute();
                }
                Ok(None) => return,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    let key = format!("recv {i}");
                    if self.errors.first(&key) {
                        self.logger.vrrp(
                            Severity::Err,
                            &format!("VRRP socket read error on {}: {e}", self.sockets[i].ifname),
                        );
                    }
                    return;
                }
            }
        }
    }

    /// Run every pending action of the engine.
    /// Adverts go out in batches (one `sendmmsg` per socket for a run of
    /// them), flushed before any other action so the order stays the
    /// engine's.
    fn execute(&mut self) {
        let mut sends: Vec<Outgoing> = Vec::new();
        while let Some(a) = self.engine.poll_action() {
            let a = match a {
                Action::Send {
                    instance,
                    ifname,
                    dst,
                    packet,
                } => {
                    sends.push(Outgoing {
                        instance,
                        ifname,
                        dst,
                        packet,
                    });
                    continue;
                }
                a => a,
            };
            self.flush_sends(&mut sends);
            match a {
                Action::Send { .. } => {}
                Action::AddAddresses { instance } => {
                    self.add_addresses(instance);
                    if let Some(o) = self.observed.get_mut(instance) {
                        o.vipset = true;
                    }
                }
                Action::RemoveAddresses { instance } => {
                    self.pacer.cancel_instance(instance);
                    self.remove_addresses(instance);
                    if let Some(o) = self.observed.get_mut(instance) {
                        o.vipset = false;
                    }
                }
                Action::GarpBurst { instance, repeat } => self.garp_burst(instance, repeat),
                Action::AddAddressList {
                    instance,
                    addresses,
                } => self.add_specs(instance, &addresses),
                Action::RemoveAddressList {
                    instance,
                    addresses,
                } => self.remove_specs(instance, &addresses),
                Action::Log(ev) => {
                    if let Some((subject, kind)) = ev.rx_error() {
                        let now = self.clock.now();
                        match self.rx_errors.check(now, subject, kind) {
                            Verdict::Quiet => continue,
                            Verdict::Log { left_out } if left_out > 0 => self.logger.vrrp(
                                Severity::Info,
                                &ratelimit::left_out_line(
                                    subject,
                                    kind,
                                    left_out,
                                    ratelimit::WINDOW,
                                ),
                            ),
                            Verdict::Log { .. } => {}
                        }
                    }
                    self.logger.event(&ev);
                    if let Event::ChangingEffectivePriority { name, to, .. } = &ev {
                        let state = self
                            .engine
                            .instances()
                            .iter()
                            .find(|i| &i.p.name == name)
                            .map(|i| i.state);
                        if let Some(state) = state {
                            self.runner.priority_changed(name, state, *to, self.logger);
                        }
                    }
                }
                a @ (Action::Notify { .. }
                | Action::NotifyStop { .. }
                | Action::NotifyDeleted { .. }
                | Action::NotifyGroup { .. }
                | Action::NotifyMasterRxLowerPri { .. }) => {
                    if let Action::Notify { instance, .. } = a {
                        // a state change (keepalived's last_transition)
                        if let Some(o) = self.observed.get_mut(instance) {
                            o.last_transition = json_dump::wall_clock_now();
                        }
                    }
                    self.runner.notify(&a, &self.engine, self.logger);
                    // a state change: the metrics file follows at once
                    if self.metrics_due.is_some() {
                        self.metrics_due = Some(Instant::ZERO);
                    }
                }
            }
        }
        self.flush_sends(&mut sends);
    }

    fn inst_name(&self, k: usize) -> &str {
        &self.engine.instances()[k].p.name
    }

    /// Send the batched adverts: consecutive ones on the same socket with one
    /// `sendmmsg`; an advert that fails is said once per instance and
    /// destination until one succeeds again, and the rest still go.
    fn flush_sends(&mut self, sends: &mut Vec<Outgoing>) {
        let mut at = 0;
        while at < sends.len() {
            let family = Family::of(&sends[at].dst);
            let run = sends[at..]
                .iter()
                .take_while(|o| o.ifname == sends[at].ifname && Family::of(&o.dst) == family)
                .count();
            let sock = self
                .sockets
                .iter()
                .find(|s| s.ifname == sends[at].ifname && s.family == family)
                .and_then(|s| s.sock.as_ref());
            let (sent, err) = match sock {
                Some(sock) => {
                    let items: Vec<(IpAddr, &[u8])> = sends[at..at + run]
                        .iter()
                        .map(|o| (o.dst, o.packet.as_slice()))
                        .collect();
                    sock.send_many(&items)
                }
                None => (0, Some(io::Error::from(io::ErrorKind::NotConnected))),
            };
            if !self.errors.seen.is_empty() {
                for o in &sends[at..at + sent] {
                    self.errors.clear(&format!("send {} {}", o.instance, o.dst));
                }
            }
            at += sent;
            if let Some(e) = err {
                let (k, dst) = (sends[at].instance, sends[at].dst);
                if self.errors.first(&format!("send {k} {dst}")) {
                    let name = self.inst_name(k).to_string();
                    let line = if dst.is_multicast() {
                        format!(
                            "({name}): send advert error {} ({e})",
                            e.raw_os_error().unwrap_or(0)
                        )
                    } else {
                        format!("({name}) Cant send advert to {dst} ({e})")
                    };
                    self.logger.vrrp(Severity::Info, &line);
                }
                at += 1;
            }
        }
        sends.clear();
    }

    /// The instance's configured VIPs and eVIPs (becoming MASTER).
    fn add_addresses(&mut self, k: usize) {
        let Some(a) = self.engine.instance_addresses(k) else {
            return;
        };
        if !a.evips.is_empty() {
            self.logger.event(&Event::SettingEvips {
                name: self.inst_name(k).to_string(),
            });
        }
        let specs: Vec<IpAddress> = a.vips.iter().chain(a.evips).cloned().collect();
        self.add_specs(k, &specs);
    }

    /// Instance `k`'s interface (where an address without `dev` goes) and
    /// name, for adding or removing its addresses.
    fn addr_owner(&self, k: usize) -> Option<(String, String)> {
        let ifname = self.engine.instance_addresses(k)?.ifname.to_string();
        Some((ifname, self.inst_name(k).to_string()))
    }

    fn add_specs(&mut self, k: usize, specs: &[IpAddress]) {
        let Some((ifname, name)) = self.addr_owner(k) else {
            return;
        };
        for a in specs {
            let dev = a.dev.as_deref().unwrap_or(&ifname);
            let Some(index) = self.ifaces.by_name.get(dev).map(|s| s.index) else {
                let key = format!("add {} {dev}", a.addr);
                if self.errors.first(&key) {
                    self.logger.vrrp(
                        Severity::Err,
                        &format!(
                            "({name}) cannot add {}: interface {dev} does not exist",
                            a.addr
                        ),
                    );
                }
                continue;
            };
            self.own_removals.remove(&(index, a.addr));
            match self.rtnl.add_address(index, &spec_of(a)) {
                Ok(()) => self.errors.clear(&format!("exists {name} {}", a.addr)),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                    // Someone (an operator, a previous run) put it there: it
                    // is used as it is; said once until it goes away.
                    if self.errors.first(&format!("exists {name} {}", a.addr)) {
                        self.logger.vrrp(
                            Severity::Info,
                            &format!(
                                "({name}) {}/{} already exists on {dev}; using it",
                                a.addr, a.prefix
                            ),
                        );
                    }
                }
                Err(e) => {
                    let key = format!("add {} {dev}", a.addr);
                    if self.errors.first(&key) {
                        self.logger.vrrp(
                            Severity::Err,
                            &format!("({name}) cannot add {}/{} on {dev}: {e}", a.addr, a.prefix),
                        );
                    }
                }
            }
        }
    }

    /// The instance's configured VIPs and eVIPs (leaving MASTER, start-up).
    fn remove_addresses(&mut self, k: usize) {
        let Some(a) = self.engine.instance_addresses(k) else {
            return;
        };
        if !a.evips.is_empty() {
            self.logger.event(&Event::RemovingEvips {
                name: self.inst_name(k).to_string(),
            });
        }
        let specs: Vec<IpAddress> = a.vips.iter().chain(a.evips).cloned().collect();
        self.remove_specs(k, &specs);
    }

    fn remove_specs(&mut self, k: usize, specs: &[IpAddress]) {
        let Some((ifname, name)) = self.addr_owner(k) else {
            return;
        };
        for a in specs {
            let dev = a.dev.as_deref().unwrap_or(&ifname);
            let Some(s) = self.ifaces.by_name.get(dev) else {
                continue;
            };
            let index = s.index;
            self.own_removals.insert((index, a.addr));
            match self.rtnl.del_address(index, a.addr, a.prefix) {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::AddrNotAvailable => {
                    self.own_removals.remove(&(index, a.addr));
                }
                Err(e) => {
                    self.own_removals.remove(&(index, a.addr));
                    let key = format!("del {} {dev}", a.addr);
                    if self.errors.first(&key) {
                        self.logger.vrrp(
                            Severity::Err,
                            &format!(
                                "({name}) cannot remove {}/{} from {dev}: {e}",
                                a.addr, a.prefix
                            ),
                        );
                    }
                }
            }
        }
    }

    /// `repeat` gratuitous ARPs / unsolicited NAs for every VIP and eVIP,
    /// handed to the pacer ("Sending/queueing ..." once per address).
    fn garp_burst(&mut self, k: usize, repeat: u32) {
        let targets = self.engine.garp_addresses(k);
        let name = self.inst_name(k).to_string();
        for t in &targets {
            let ev = match t.addr {
                IpAddr::V4(_) => Event::SendingGarps {
                    name: name.clone(),
                    ifname: t.ifname.clone(),
                    addr: t.addr,
                },
                IpAddr::V6(_) => Event::SendingNas {
                    name: name.clone(),
                    ifname: t.ifname.clone(),
                    addr: t.addr,
                },
            };
            self.logger.event(&ev);
        }
        let now = self.clock.now();
        self.pacer.burst(now, k, &targets, repeat);
        self.send_due_garps();
    }

    /// Send every gratuitous ARP / NA the pacer lets go now.
    fn send_due_garps(&mut self) {
        let now = self.clock.now();
        let detail = self.logger.detail() > 0;
        while let Some(g) = self.pacer.poll(now) {
            let dev = g.ifname.as_str();
            let Some(s) = self.ifaces.by_name.get(dev) else {
                continue;
            };
            let (index, mac) = (s.index, s.mac);
            if s.noarp && g.addr.is_ipv4() {
                continue;
            }
            let (Some(packet), Some(mac)) = (self.packet.as_ref(), mac) else {
                continue;
            };
            let res = match g.addr {
                IpAddr::V4(v) => {
                    if detail {
                        self.logger.vrrp(
                            Severity::Info,
                            &format!("Sending gratuitous ARP on {dev} for {v}"),
                        );
                    }
                    packet.send_garp(index, mac, v)
                }
                IpAddr::V6(v) => {
                    if detail {
                        self.logger.vrrp(
                            Severity::Info,
                            &format!("Sending unsolicited Neighbour Advert on {dev} for {v}"),
                        );
                    }
                    let router = packet_socket::ipv6_forwarding(dev);
                    packet.send_na(index, mac, v, router)
                }
            };
            let key = format!("garp {dev} {}", g.addr);
            match res {
                Ok(()) => self.errors.clear(&key),
                Err(e) => {
                    if self.errors.first(&key) {
                        let what = if g.addr.is_ipv4() {
                            "gratuitous ARP"
                        } else {
                            "unsolicited Neighbour Advert"
                        };
                        self.logger.vrrp(
                            Severity::Err,
                            &format!(
                                "Error {} ({e}) sending {what} on {dev} for {}",
                                e.raw_os_error().unwrap_or(0),
                                g.addr
                            ),
                        );
                    }
                }
            }
        }
    }

    /// SIGTERM/SIGINT: "Stopping", every MASTER sends priority 0 and drops
    /// its addresses, STOP notifications.
    fn shutdown(&mut self) {
        self.logger.process(Severity::Info, "Stopping");
        self.sd_notify("STOPPING=1");
        self.runner.stop_scripts();
        self.engine.shutdown();
        self.execute();
        self.runner
            .wait_stop_notifies(&mut self.poll, TOKEN_CHILDREN);
    }
}

/// Why a reloaded configuration must not replace the running one, if it
/// must not: the file could not be read, a structural error (a brace or
/// quote out of place, a keyword without its parameter) would leave
/// keepalived running a mangled configuration that drops instances, an
/// include failed, or it changes what only a restart can (keepalived:
/// "Cannot change network namespace at a reload - please restart
/// keepalived").
fn reload_refusal(running: &Config, loaded: &Loaded) -> Option<String> {
    use crate::config::diag::{ErrClass, Level};
    if loaded.not_opened {
        return Some("the configuration file could not be opened".into());
    }
    if loaded.include_failed {
        return Some("an included file failed its checks".into());
    }
    if loaded.missing_parameter {
        return Some("a keyword is missing its parameter".into());
    }
    let structural = loaded.diags.items.iter().find(|d| {
        matches!(
            d.level,
            Level::Config(
                ErrClass::Fatal
                    | ErrClass::UnexpectedBob
                    | ErrClass::MissingBob
                    | ErrClass::UnexpectedEob
                    | ErrClass::MissingEob
                    | ErrClass::UnmatchedQuote
                    | ErrClass::MissingParameter
            )
        )
    });
    if let Some(d) = structural {
        let at = d
            .loc
            .as_ref()
            .map(|l| format!("{}: ", loaded.sources.describe(*l)))
            .unwrap_or_default();
        return Some(format!("{at}{}", d.message));
    }
    let new = &loaded.config;
    if new.net_namespace != running.net_namespace {
        return Some(
            "Cannot change network namespace at a reload - please restart keepalived".into(),
        );
    }
    if new.instance_name != running.instance_name {
        return Some("Cannot change instance name at a reload - please restart keepalived".into());
    }
    None
}

/// `vrrp_track_process` and `track_bfd` trackers of the running instances.
fn unsupported_trackers(cfg: &Config) -> Vec<(TrackerKind, String)> {
    let mut seen: Vec<(TrackerKind, String)> = Vec::new();
    for i in cfg.instances.iter().filter(|i| i.disabled.is_none()) {
        for t in &i.track_processes {
            seen.push((TrackerKind::Process, t.name.clone()));
        }
        for t in &i.track_bfds {
            seen.push((TrackerKind::Bfd, t.name.clone()));
        }
    }
    seen.sort_by(|a, b| a.1.cmp(&b.1));
    seen.dedup();
    seen
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<String> {
        s.split(' ').map(str::to_string).collect()
    }

    #[test]
    fn command_line_wraps_like_keepalived_evidence() {
        // ../shared/compat/evidence/log-nodeA-failover-with-D.txt
        let a = args(
            "/usr/sbin/keepalived -n -l -D -P -f /tmp/karef/a.conf -p /tmp/karef/run-A/k.pid -r /tmp/karef/run-A/v.pid -c /tmp/karef/run-A/c.pid -b /tmp/karef/run-A/b.pid",
        );
        assert_eq!(
            command_line_lines(&a),
            vec![
                "Command line: '/usr/sbin/keepalived' '-n' '-l' '-D' '-P' '-f' '/tmp/karef/a.conf' '-p'",
                "              '/tmp/karef/run-A/k.pid' '-r' '/tmp/karef/run-A/v.pid' '-c' '/tmp/karef/run-A/c.pid'",
                "              '-b' '/tmp/karef/run-A/b.pid'",
            ]
        );
    }

    #[test]
    fn command_line_short_is_one_line_and_long_word_is_cut() {
        assert_eq!(
            command_line_lines(&args("keepalived -n")),
            vec!["Command line: 'keepalived' '-n'"]
        );
        let long = "x".repeat(120);
        let lines = command_line_lines(std::slice::from_ref(&long));
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].len(), "Command line: ".len() + 88);
        assert!(lines[1].starts_with("              xxx"));
    }
}
