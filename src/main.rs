//! The `keepalived` binary: parse keepalived's command line, then either check
//! the configuration (`-t`) or run the daemon ([`keepalived_rs::io::daemon`]).

use keepalived_rs::cli::{self, Options, Outcome};
use keepalived_rs::config::diag::Level;
use keepalived_rs::config::fs::RealFs;
use keepalived_rs::config::reader::ReadOptions;
use keepalived_rs::config::{self, LoadOptions, Loaded};
use keepalived_rs::io::sys::RealHost;
use keepalived_rs::log::{LogOptions, Logger};
use std::io::Write;
use std::process::ExitCode;
use std::rc::Rc;

fn main() -> ExitCode {
    let args = std::env::args_os().map(|a| a.to_string_lossy().into_owned());
    let parsed = cli::parse(args);
    // Write errors (a closed pipe) are ignored, as keepalived's fprintf does.
    let _ = std::io::stdout()
        .write_all(parsed.stdout.as_bytes())
        .and_then(|()| std::io::stdout().flush());
    let _ = std::io::stderr().write_all(parsed.stderr.as_bytes());
    match parsed.outcome {
        Outcome::Exit(code) => ExitCode::from(code),
        Outcome::Run(opts) if opts.config_test => config_test(&opts),
        Outcome::Run(opts) => daemon(&opts),
    }
}

/// Load the configuration named on the command line.
fn load(opts: &Options) -> Loaded {
    let host = RealHost;
    // keepalived: the config id defaults to the node name up to the first '.'
    let config_id = opts.config_id.clone().unwrap_or_else(|| {
        let name = keepalived_rs::io::sys::node_name();
        name.split('.').next().unwrap_or_default().to_string()
    });
    let load_opts = LoadOptions {
        read: ReadOptions {
            config_id: Some(config_id),
            cwd: std::env::current_dir().unwrap_or_else(|_| "/".into()),
            all_config: opts.all_config,
            random_seed: random_seed(),
        },
        config_test: opts.config_test,
    };
    config::load(&RealFs, Rc::new(host), &opts.conf_file, &load_opts)
}

/// Seed for `${_RANDOM}` (keepalived seeds from the time of day).
fn random_seed() -> u64 {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    now.as_secs() ^ (u64::from(now.subsec_nanos()) << 20) ^ u64::from(std::process::id())
}

/// Write every `-t` diagnostic (keepalived's `report_config_error` lines).
fn write_config_diags(out: &mut dyn Write, loaded: &Loaded) -> std::io::Result<()> {
    for d in &loaded.diags.items {
        if matches!(d.level, Level::Config(_)) {
            writeln!(out, "{}", d.render_console(&loaded.sources))?;
        }
    }
    if loaded.diags.dropped() > 0 {
        writeln!(
            out,
            "({} further messages not shown)",
            loaded.diags.dropped()
        )?;
    }
    out.flush()
}

/// `-t[LOG_FILE]`: check the configuration, exit 0, 2, 4, 5 or 6.
fn config_test(opts: &Options) -> ExitCode {
    let mut out: Box<dyn Write> = match &opts.config_test_log {
        None => Box::new(std::io::stderr()),
        Some(path) => {
            use std::os::unix::fs::OpenOptionsExt;
            let f = std::fs::OpenOptions::new()
                .append(true)
                .create(true)
                .mode(0o644)
                .custom_flags(nix::libc::O_NOFOLLOW)
                .open(path);
            match f {
                Ok(f) => Box::new(f),
                Err(e) => {
                    let _ = writeln!(
                        std::io::stderr(),
                        "Unable to open config-test log file {path} {} - {e}",
                        e.raw_os_error().unwrap_or(0)
                    );
                    return ExitCode::FAILURE;
                }
            }
        }
    };
    let loaded = load(opts);
    let _ = write_config_diags(out.as_mut(), &loaded);
    if opts.dump_conf {
        dump(&loaded);
    }
    if loaded.not_opened && !opts.all_config {
        // keepalived quirk: its `-t` first checks the main file with no
        // include checks, so a missing file prints "Config files missing
        // '...'." and exits 0; only with -e does it count (exit 4).
        return ExitCode::SUCCESS;
    }
    exit_code(loaded.config_test_exit_code())
}

/// `-d`: the parsed model (a Debug dump until the keepalived-style dump exists).
fn dump(loaded: &Loaded) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{:#?}", loaded.config).and_then(|()| out.flush());
}

fn exit_code(code: i32) -> ExitCode {
    ExitCode::from(u8::try_from(code).unwrap_or(1))
}

/// The syslog facility of `-S`.
fn facility(f: cli::LogFacility) -> keepalived_rs::log::Facility {
    use keepalived_rs::log::Facility as F;
    const LOCAL: [F; 8] = [
        F::LOG_LOCAL0,
        F::LOG_LOCAL1,
        F::LOG_LOCAL2,
        F::LOG_LOCAL3,
        F::LOG_LOCAL4,
        F::LOG_LOCAL5,
        F::LOG_LOCAL6,
        F::LOG_LOCAL7,
    ];
    match f {
        cli::LogFacility::Daemon => F::LOG_DAEMON,
        cli::LogFacility::User => F::LOG_USER,
        cli::LogFacility::Local(n) => LOCAL.get(usize::from(n)).copied().unwrap_or(F::LOG_DAEMON),
    }
}

/// Daemon mode: load the configuration, then run the VRRP daemon until
/// SIGTERM/SIGINT (keepalived-rs is one process that plays keepalived's
/// parent and VRRP child).
fn daemon(opts: &Options) -> ExitCode {
    let loaded = load(opts);
    if opts.dump_conf {
        dump(&loaded);
    }
    let g = &loaded.config;
    let logger = Logger::new(LogOptions {
        syslog: !opts.no_syslog,
        console: opts.log_console && opts.dont_fork,
        detail: opts.log_detail,
        facility: facility(opts.log_facility),
        ident_suffix: keepalived_rs::log::ident_suffix(
            opts.namespace.as_deref().or(g.net_namespace.as_deref()),
            g.instance_name.as_deref(),
        ),
        ..LogOptions::default()
    });
    let args: Vec<String> = std::env::args_os()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let reload = || load(opts);
    let code = keepalived_rs::io::daemon::run(opts, &args, loaded, &logger, &reload);
    ExitCode::from(code)
}
