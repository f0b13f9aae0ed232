//! Replay fixtures: an incident (or a capture of keepalived) written down as
//! recorded inputs, replayed through the sans-IO [`Engine`] on a fake clock,
//! its actions compared line by line with the recorded `expected` output.
//!
//! Each directory under `tests/fixtures/vrrp/` is one case (the format is in
//! that directory's README.md): `keepalived.conf`, `setup` (interface
//! addresses), `input` (one step per line) and `expected`. The engine is
//! started at t = 0 and fed the steps in order; after each step its actions
//! and next deadline are rendered as text.
//!
//! Re-record every `expected` with `BLESS=1 cargo test --test replay` (then
//! read the diff before committing it); run one case with
//! `REPLAY_CASE=<name>`. A new case may list only its packets: with
//! `BLESS=1 FILL_TIMEOUTS=1` the timer wake-ups the engine asks for are
//! inserted into `input` as `timeout` steps.

use keepalived_rs::config::{self, LoadOptions, fs::memfs::MemFs, host::FakeHost};
use keepalived_rs::time::Instant;
use keepalived_rs::vrrp::engine::{Action, Engine, Received, StaticInterfaces};
use keepalived_rs::vrrp::wire::advert::RxFamily;
use std::fmt::Write as _;
use std::fs;
use std::net::{IpAddr, Ipv6Addr};
use std::path::{Path, PathBuf};
use std::rc::Rc;

/// What one line of `input` asks for.
enum Input {
    Timeout,
    Packet {
        ifname: String,
        rx: RxFamily,
        bytes: Vec<u8>,
    },
    Shutdown,
}

/// One line of `input`.
struct Step {
    at_us: u64,
    /// 1-based line number in `input`.
    line: usize,
    input: Input,
}

/// The directory holding the cases.
fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/vrrp")
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Lines that carry data: blank lines and `#` comments are skipped. Yields
/// (1-based line number, trimmed line).
fn data_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty() && !l.starts_with('#'))
}

fn parse_hex(s: &str) -> Result<Vec<u8>, String> {
    if s.len() % 2 != 0 {
        return Err(format!("odd number of hex digits ({})", s.len()));
    }
    (0..s.len())
        .step_by(2)
        .map(|i| {
            u8::from_str_radix(&s[i..i + 2], 16)
                .map_err(|_| format!("not a hex byte: {:?}", &s[i..i + 2]))
        })
        .collect()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// `setup`: one `IFNAME ADDRESS` per line.
fn parse_setup(path: &Path) -> Vec<(String, IpAddr)> {
    data_lines(&read(path))
        .map(|(n, line)| {
            let w: Vec<&str> = line.split_whitespace().collect();
            let addr = match w[..] {
                [_, a] => a.parse::<IpAddr>().ok(),
                _ => None,
            };
            let Some(addr) = addr else {
                panic!(
                    "{}:{n}: {line:?}: expected `IFNAME ADDRESS` (IPv4 or IPv6)",
                    path.display()
                );
            };
            (w[0].to_string(), addr)
        })
        .collect()
}

/// One `input` line, without its time.
fn parse_input(w: &[&str]) -> Result<Input, String> {
    let v6 = |s: &str| {
        s.parse::<Ipv6Addr>()
            .map_err(|_| format!("{s:?}: not an IPv6 address"))
    };
    match w {
        ["timeout"] => Ok(Input::Timeout),
        ["shutdown"] => Ok(Input::Shutdown),
        ["packet", ifname, "ipv4", bytes] => Ok(Input::Packet {
            ifname: ifname.to_string(),
            rx: RxFamily::Ipv4,
            bytes: parse_hex(bytes)?,
        }),
        ["packet", ifname, "ipv6", src, dst, hop, bytes] => {
            let hop_limit = match *hop {
                "-" => None,
                h => Some(
                    h.parse::<u8>()
                        .map_err(|_| format!("{h:?}: not a hop limit"))?,
                ),
            };
            Ok(Input::Packet {
                ifname: ifname.to_string(),
                rx: RxFamily::Ipv6 {
                    src: v6(src)?,
                    dst: v6(dst)?,
                    hop_limit,
                },
                bytes: parse_hex(bytes)?,
            })
        }
        _ => Err("unknown step".into()),
    }
}

/// `input`: steps in time order.
fn parse_steps(path: &Path) -> Vec<Step> {
    let mut steps: Vec<Step> = Vec::new();
    for (n, line) in data_lines(&read(path)) {
        let w: Vec<&str> = line.split_whitespace().collect();
        let parsed = w[0]
            .parse::<u64>()
            .map_err(|_| format!("{:?}: not a time in microseconds", w[0]))
            .and_then(|at_us| Ok((at_us, parse_input(&w[1..])?)));
        let (at_us, input) = parsed.unwrap_or_else(|e| {
            panic!(
                "{}:{n}: {e}; accepted: `T_US timeout` | `T_US shutdown` | \
                 `T_US packet IFNAME ipv4 HEX` | \
                 `T_US packet IFNAME ipv6 SRC DST HOPLIMIT|- HEX`",
                path.display()
            )
        });
        if let Some(prev) = steps.last() {
            assert!(
                at_us >= prev.at_us,
                "{}:{n}: time {at_us} goes back (previous step at {})",
                path.display(),
                prev.at_us
            );
        }
        steps.push(Step {
            at_us,
            line: n,
            input,
        });
    }
    steps
}

/// The engine of a case, from its configuration and interface addresses.
fn build_engine(dir: &Path, setup: &[(String, IpAddr)]) -> Engine {
    let mut memfs = MemFs::new();
    memfs.add("/keepalived.conf", &read(&dir.join("keepalived.conf")));
    let mut names: Vec<&str> = setup.iter().map(|(n, _)| n.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    let loaded = config::load(
        &memfs,
        Rc::new(FakeHost::with_interfaces(&names)),
        "/keepalived.conf",
        &LoadOptions::default(),
    );
    assert!(
        !loaded.config.instances.is_empty()
            && loaded.config.instances.iter().all(|i| i.disabled.is_none()),
        "{}: keepalived.conf does not give running instances: {:?}",
        dir.display(),
        loaded.diags.messages()
    );
    let engine = Engine::new(&loaded.config, &StaticInterfaces(setup.to_vec()));
    assert_eq!(
        engine.instances().len(),
        loaded.config.instances.len(),
        "{}: an instance has no source address in `setup`",
        dir.display()
    );
    engine
}

fn addrs(a: &[keepalived_rs::config::model::IpAddress]) -> String {
    a.iter()
        .map(|a| format!("{}/{}", a.addr, a.prefix))
        .collect::<Vec<_>>()
        .join(" ")
}

/// One action as a line of `expected`.
fn render(a: &Action) -> String {
    match a {
        Action::Send {
            ifname,
            dst,
            packet,
            ..
        } => format!("send {ifname} {dst} {}", hex(packet)),
        Action::AddAddresses { .. } => "add-addresses".into(),
        Action::RemoveAddresses { .. } => "remove-addresses".into(),
        Action::GarpBurst { repeat, .. } => format!("garp {repeat}"),
        Action::Notify {
            state, priority, ..
        } => format!("notify {} {priority}", state.notify_word()),
        Action::NotifyStop { priority, .. } => format!("notify-stop {priority}"),
        Action::NotifyGroup { group, state } => format!("notify-group {group} {state}"),
        Action::NotifyMasterRxLowerPri { priority, .. } => format!("notify-rx-lower {priority}"),
        Action::NotifyDeleted { priority, .. } => format!("notify-deleted {priority}"),
        Action::AddAddressList { addresses, .. } => {
            format!("add-address-list {}", addrs(addresses))
        }
        Action::RemoveAddressList { addresses, .. } => {
            format!("remove-address-list {}", addrs(addresses))
        }
        Action::Log(e) => format!("log {}", e.text()),
    }
}

/// Drain the engine's actions and its next deadline after the step at `at_us`.
fn record(engine: &mut Engine, at_us: u64, out: &mut Vec<String>) {
    out.push(format!("@ {at_us}"));
    while let Some(a) = engine.poll_action() {
        out.push(render(&a));
    }
    out.push(match engine.poll_timeout() {
        Some(t) => format!("next-deadline {}", t.micros()),
        None => "next-deadline none".into(),
    });
}

/// What replaying a case gives.
struct Replayed {
    /// The lines of `expected`.
    out: Vec<String>,
    /// Timer wake-ups the input lacked: (input line to insert before, time).
    filled: Vec<(usize, u64)>,
}

/// Run one case. A step later than a pending deadline is a recording that
/// skipped a wake-up: an error, unless the step is the (late) timeout
/// itself; with `fill` a `timeout` at the deadline is inserted instead.
fn replay(dir: &Path, fill: bool) -> Replayed {
    let setup = parse_setup(&dir.join("setup"));
    let steps = parse_steps(&dir.join("input"));
    let mut engine = build_engine(dir, &setup);
    let mut r = Replayed {
        out: Vec::new(),
        filled: Vec::new(),
    };
    engine.start(Instant::ZERO);
    record(&mut engine, 0, &mut r.out);
    for s in &steps {
        while let Some(d) = engine.poll_timeout().filter(|d| d.micros() < s.at_us) {
            if !fill {
                assert!(
                    matches!(s.input, Input::Timeout),
                    "{}/input:{}: this step at {} comes after the deadline {}: add \
                     `{} timeout` before it (or re-record with BLESS=1 FILL_TIMEOUTS=1)",
                    dir.display(),
                    s.line,
                    s.at_us,
                    d.micros(),
                    d.micros()
                );
                break;
            }
            r.filled.push((s.line, d.micros()));
            engine.handle_timeout(d);
            record(&mut engine, d.micros(), &mut r.out);
        }
        let now = Instant::from_micros(s.at_us);
        match &s.input {
            Input::Timeout => engine.handle_timeout(now),
            Input::Shutdown => engine.shutdown(),
            Input::Packet { ifname, rx, bytes } => {
                let p = Received {
                    ifname,
                    rx: *rx,
                    bytes,
                };
                engine.handle_packet(now, &p);
            }
        }
        record(&mut engine, s.at_us, &mut r.out);
    }
    // keepalived.stats of every instance (KEEPALIVED.md §8.4) at the end.
    r.out.push("@ stats".into());
    let mut stats = String::new();
    for i in engine.instances() {
        i.stats.write_keepalived_stats(&i.p.name, &mut stats);
    }
    r.out.extend(stats.lines().map(str::to_string));
    r
}

/// `input` with the filled-in `timeout` lines inserted before their steps.
fn with_filled(input: &str, filled: &[(usize, u64)]) -> String {
    let mut text = String::new();
    for (i, line) in input.lines().enumerate() {
        for (_, at) in filled.iter().filter(|(l, _)| *l == i + 1) {
            let _ = writeln!(text, "{at} timeout");
        }
        let _ = writeln!(text, "{line}");
    }
    text
}

/// A unified-ish diff around the first mismatching line.
fn diff(expected: &[String], actual: &[String]) -> String {
    let first = expected
        .iter()
        .zip(actual)
        .position(|(e, a)| e != a)
        .unwrap_or(expected.len().min(actual.len()));
    let common_tail = expected[first..]
        .iter()
        .rev()
        .zip(actual[first..].iter().rev())
        .take_while(|(e, a)| e == a)
        .count();
    const MAX: usize = 12;
    let mut s = format!("@@ line {} @@\n", first + 1);
    for l in &expected[first.saturating_sub(3)..first] {
        let _ = writeln!(s, " {l}");
    }
    let hunk = |lines: &[String], sign: char, s: &mut String| {
        for l in lines.iter().take(MAX) {
            let _ = writeln!(s, "{sign}{l}");
        }
        if lines.len() > MAX {
            let _ = writeln!(s, "{sign}... ({} more lines)", lines.len() - MAX);
        }
    };
    hunk(&expected[first..expected.len() - common_tail], '-', &mut s);
    hunk(&actual[first..actual.len() - common_tail], '+', &mut s);
    s
}

/// An environment variable set to something other than "" or "0".
fn env_flag(name: &str) -> bool {
    std::env::var(name).is_ok_and(|v| !v.is_empty() && v != "0")
}

#[test]
fn replay_fixtures() {
    let mut dirs: Vec<PathBuf> = fs::read_dir(fixtures_dir())
        .expect("tests/fixtures/vrrp")
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    assert!(!dirs.is_empty(), "no cases in tests/fixtures/vrrp");
    let only = std::env::var("REPLAY_CASE").ok();
    let bless = env_flag("BLESS");
    let fill = bless && env_flag("FILL_TIMEOUTS");
    let mut failures = Vec::new();
    for dir in &dirs {
        let name = dir.file_name().expect("name").to_string_lossy().to_string();
        if only.as_ref().is_some_and(|o| *o != name) {
            continue;
        }
        let Replayed {
            out: actual,
            filled,
        } = replay(dir, fill);
        let path = dir.join("expected");
        if bless {
            if !filled.is_empty() {
                let input = dir.join("input");
                fs::write(&input, with_filled(&read(&input), &filled)).expect("write input");
            }
            fs::write(&path, actual.join("\n") + "\n").expect("write expected");
            continue;
        }
        let Ok(text) = fs::read_to_string(&path) else {
            failures.push(format!("{name}: no `expected`; record it with BLESS=1"));
            continue;
        };
        let expected: Vec<String> = text.lines().map(str::to_string).collect();
        if expected != actual {
            failures.push(format!(
                "{name}: the engine's output differs from `expected` (re-record with BLESS=1 \
                 if the change is intended)\n{}",
                diff(&expected, &actual)
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn diff_shows_the_first_mismatch_with_context() {
    let l = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let d = diff(
        &l(&["a", "b", "c", "d", "e"]),
        &l(&["a", "b", "X", "d", "e"]),
    );
    assert_eq!(d, "@@ line 3 @@\n a\n b\n-c\n+X\n");
    let d = diff(&l(&["a", "b"]), &l(&["a", "b", "c"]));
    assert_eq!(d, "@@ line 3 @@\n a\n b\n+c\n");
}
