//! Child processes for scripts (track scripts, notify scripts, the notify
//! FIFO script), run and reaped as keepalived 2.2.7 does it (KEEPALIVED.md
//! §3.1, §10; lib/notify.c `system_call_script`).
//!
//! # Running
//!
//! [`Children::spawn`] starts a [`Command`] in its own process group, with
//! stdin, stdout and stderr on `/dev/null`, the daemon's environment, the
//! requested uid/gid (setgid, setgroups to that one group, setuid), default
//! signal dispositions and an empty mask, PR_SET_PDEATHSIG = SIGTERM and no
//! descriptor of the daemon (see [`sys::script_child_setup`]).
//!
//! How the program is started follows keepalived ([`exec_mode`]): a file
//! that starts with `#!` or is ELF is exec'd directly with the argv as given;
//! anything else (a text script without `#!`, a `</path` file test) runs as
//! `/bin/sh -c` with every word single-quoted ([`shell_command`], keepalived's
//! `system()` path, "Please add a #! shebang to script %s").
//!
//! A missing program is a spawn error ([`io::ErrorKind::NotFound`]), not an
//! exit status: nothing is forked, so the caller can log it at once with the
//! path. keepalived disables such scripts at configuration load and, if the
//! file disappears later, its child logs "Error exec-ing command" and exits
//! 0; the caller maps a spawn error to that (the run counts as a success).
//! Other exec failures (`#!` naming a missing interpreter, no execute
//! permission) are spawn errors too, with exec's errno.
//!
//! # Reaping
//!
//! `Children` owns a `signal_hook_mio` SIGCHLD source and is itself a
//! [`mio::event::Source`]: the daemon registers it (READABLE) under a token
//! of its own and calls [`Children::reap`] whenever that token is ready (and
//! once after registering). `reap` drains the signal pipe, then collects
//! every exited child without blocking. Exits of children we started come
//! back as [`Exit`]s; in [`Scope::Any`] (the daemon's mode) any other child,
//! such as an orphan reparented to us when we are pid 1 or a subreaper, is
//! reaped too and only counted, so no zombie is left. `Scope::Any` requires
//! that nothing else in the process waits for children (std's
//! `Command::output`, `Child::wait`): its children would be reaped here.
//! [`Scope::Own`] only waits for our own pids, for processes that share
//! child handling (tests).

use crate::io::clock::Clock;
use crate::io::sys;
use crate::time::Instant;
use nix::libc;
use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;
use signal_hook_mio::v1_0::Signals;
use std::fmt;
use std::io::{self, Read};
use std::os::unix::process::CommandExt;
use std::process::Stdio;

/// A script to run: its argv (argv\[0\] the program, a path) and the
/// identity to run it as (`None`: the daemon's own).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Command {
    pub argv: Vec<String>,
    pub uid: Option<u32>,
    pub gid: Option<u32>,
}

impl Command {
    /// `argv` run with the daemon's identity.
    pub fn new<I, S>(argv: I) -> Command
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Command {
            argv: argv.into_iter().map(Into::into).collect(),
            uid: None,
            gid: None,
        }
    }

    /// Run as `uid:gid`.
    pub fn user(mut self, uid: u32, gid: u32) -> Command {
        self.uid = Some(uid);
        self.gid = Some(gid);
        self
    }
}

/// The uid and gid of script user `user` (its primary group unless `group`
/// is given), as keepalived's `set_uid_gid` resolves `user USER [GROUP]`.
/// Unknown names are `NotFound` errors worded as keepalived logs them
/// ("Script user '%s' does not exist").
pub fn resolve_ids(user: &str, group: Option<&str>) -> io::Result<(u32, u32)> {
    use nix::unistd::{Group, User};
    let u = User::from_name(user)
        .map_err(|e| {
            io::Error::new(
                io::Error::from(e).kind(),
                format!("Unable to resolve script username '{user}' - ignoring"),
            )
        })?
        .ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::NotFound,
                format!("Script user '{user}' does not exist"),
            )
        })?;
    let gid = match group {
        None => u.gid.as_raw(),
        Some(g) => Group::from_name(g)
            .map_err(|e| {
                io::Error::new(
                    io::Error::from(e).kind(),
                    format!("Unable to resolve script group name '{g}' - ignoring"),
                )
            })?
            .ok_or_else(|| {
                io::Error::new(
                    io::ErrorKind::NotFound,
                    format!("Script group '{g}' does not exist"),
                )
            })?
            .gid
            .as_raw(),
    };
    Ok((u.uid.as_raw(), gid))
}

/// How a command is started.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ExecMode {
    /// execve(argv\[0\], argv): a `#!` script or an ELF binary.
    Direct,
    /// `/bin/sh -c` with [`shell_command`]: keepalived's `system()` path.
    Shell,
}

/// How keepalived would start a command whose argv\[0\] is `argv0`.
///
/// keepalived decides at configuration load with libmagic ("... executable"
/// or "... shared object" → execve, else "Please add a #! shebang to script
/// %s" and `system()`); a leading `#!` or the ELF magic is what makes
/// libmagic say so. A command starting with `<` or `>` (the `</path`
/// file-exists test) is a shell command. A file that cannot be read but
/// exists, or is not a regular file, is exec'd (keepalived's default) and
/// exec reports the problem. A missing file is a `NotFound` error. A bare
/// name (no `/`) is a path relative to the working directory, as for
/// execve; the configuration resolves names in $PATH before this.
pub fn exec_mode(argv0: &str) -> io::Result<ExecMode> {
    if argv0.starts_with('<') || argv0.starts_with('>') {
        return Ok(ExecMode::Shell);
    }
    let meta = std::fs::metadata(argv0)?;
    if !meta.is_file() {
        return Ok(ExecMode::Direct);
    }
    let mut head = [0u8; 4];
    let mut got = 0;
    let read = std::fs::File::open(argv0).and_then(|mut f| {
        while got < head.len() {
            match f.read(&mut head[got..]) {
                Ok(0) => break,
                Ok(n) => got += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    });
    if read.is_err() {
        return Ok(ExecMode::Direct);
    }
    let head = &head[..got];
    if head.starts_with(b"#!") || head == b"\x7fELF" {
        Ok(ExecMode::Direct)
    } else {
        Ok(ExecMode::Shell)
    }
}

/// The `/bin/sh -c` string for `argv`: every word single-quoted and joined
/// with spaces, except a first word starting with `<` or `>` (keepalived's
/// `cmd_str_r`). keepalived does not escape a `'` inside a word, which
/// breaks the command; here it becomes `'\''`, so every word arrives intact.
pub fn shell_command(argv: &[String]) -> String {
    let mut s = String::new();
    for (i, w) in argv.iter().enumerate() {
        if i > 0 {
            s.push(' ');
        }
        if i == 0 && (w.starts_with('<') || w.starts_with('>')) {
            s.push_str(w);
            continue;
        }
        s.push('\'');
        s.push_str(&w.replace('\'', r"'\''"));
        s.push('\'');
    }
    s
}

/// Which children [`Children::reap`] waits for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// waitpid(-1): every child of the process, ours reported, others
    /// (orphans reparented to a pid 1 or subreaper daemon) counted.
    Any,
    /// waitpid(pid) for each child we started; other children untouched.
    Own,
}

/// A child we started, for as long as it has not been reaped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ChildId(u64);

impl fmt::Display for ChildId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "child#{}", self.0)
    }
}

/// How a child ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// exit(code).
    Exited(i32),
    /// Killed by signal number.
    Signaled(i32),
}

/// A child of ours that has ended and been reaped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Exit {
    pub id: ChildId,
    pub pid: u32,
    /// As waitpid reported it for the process we started (`/bin/sh` for
    /// [`ExecMode::Shell`]).
    pub outcome: Outcome,
    pub mode: ExecMode,
    pub started: Instant,
    pub ended: Instant,
}

impl Exit {
    /// The result keepalived acts on. On its `system()` path the forked
    /// child turns sh's 127 ("Couldn't find command: %s") and 126
    /// ("Couldn't execute command: %s") into exit 0 — a success; everything
    /// else is passed on (a signal by re-raising it).
    pub fn script_outcome(&self) -> Outcome {
        match (self.mode, self.outcome) {
            (ExecMode::Shell, Outcome::Exited(126 | 127)) => Outcome::Exited(0),
            (_, o) => o,
        }
    }
}

#[derive(Debug)]
struct Running {
    id: ChildId,
    pid: i32,
    mode: ExecMode,
    started: Instant,
}

/// The script runner: spawns, signals and reaps children. See the module
/// documentation for the mio integration.
pub struct Children {
    signals: Signals,
    clock: Clock,
    scope: Scope,
    running: Vec<Running>,
    next_id: u64,
    others_reaped: u64,
}

impl fmt::Debug for Children {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Children")
            .field("scope", &self.scope)
            .field("running", &self.running)
            .field("others_reaped", &self.others_reaped)
            .finish_non_exhaustive()
    }
}

impl Children {
    /// The daemon's runner ([`Scope::Any`]); times are on `clock`.
    pub fn new(clock: Clock) -> io::Result<Children> {
        Children::with_scope(clock, Scope::Any)
    }

    /// A runner reaping `scope`. Installs the SIGCHLD handler (before any
    /// spawn, so no exit goes unnoticed).
    pub fn with_scope(clock: Clock, scope: Scope) -> io::Result<Children> {
        Ok(Children {
            signals: Signals::new([libc::SIGCHLD])?,
            clock,
            scope,
            running: Vec::new(),
            next_id: 0,
            others_reaped: 0,
        })
    }

    /// Start `cmd` (see the module documentation). Returns once the
    /// program has been exec'd: the child is then in its own process group.
    pub fn spawn(&mut self, cmd: &Command) -> io::Result<ChildId> {
        let argv0 = cmd
            .argv
            .first()
            .filter(|a| !a.is_empty())
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "empty command"))?;
        let mode = exec_mode(argv0)?;
        let mut c = match mode {
            ExecMode::Direct => {
                // execve semantics: a bare name is relative to the working
                // directory, never searched in $PATH.
                let program = if argv0.contains('/') {
                    argv0.clone()
                } else {
                    format!("./{argv0}")
                };
                let mut c = std::process::Command::new(program);
                c.arg0(argv0).args(&cmd.argv[1..]);
                c
            }
            ExecMode::Shell => {
                let mut c = std::process::Command::new("/bin/sh");
                c.arg0("sh").arg("-c").arg(shell_command(&cmd.argv));
                c
            }
        };
        c.stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0);
        sys::script_child_setup(&mut c, cmd.uid, cmd.gid);
        let started = self.clock.now();
        // Dropping the std handle neither waits nor kills: reap() owns it.
        let pid = c.spawn()?.id();
        let pid = i32::try_from(pid).map_err(|_| io::Error::other("pid out of range"))?;
        let id = ChildId(self.next_id);
        self.next_id += 1;
        self.running.push(Running {
            id,
            pid,
            mode,
            started,
        });
        Ok(id)
    }

    /// Collect every child that has ended, without blocking; our own come
    /// back in the order reaped. Call when the registered token is ready.
    pub fn reap(&mut self) -> Vec<Exit> {
        // Drain first: a SIGCHLD arriving after this wakes the poll again.
        for _ in self.signals.pending() {}
        let mut out = Vec::new();
        match self.scope {
            Scope::Any => {
                while let Ok(Some((pid, status))) = sys::waitpid_nohang(-1) {
                    self.record(pid, status, &mut out);
                }
            }
            Scope::Own => {
                let pids: Vec<i32> = self.running.iter().map(|r| r.pid).collect();
                for pid in pids {
                    if let Ok(Some((pid, status))) = sys::waitpid_nohang(pid) {
                        self.record(pid, status, &mut out);
                    }
                }
            }
        }
        out
    }

    fn record(&mut self, pid: i32, status: i32, out: &mut Vec<Exit>) {
        let outcome = if libc::WIFEXITED(status) {
            Outcome::Exited(libc::WEXITSTATUS(status))
        } else if libc::WIFSIGNALED(status) {
            Outcome::Signaled(libc::WTERMSIG(status))
        } else {
            // Stopped/continued: not reported without WUNTRACED/WCONTINUED.
            return;
        };
        match self.running.iter().position(|r| r.pid == pid) {
            Some(i) => {
                let r = self.running.swap_remove(i);
                out.push(Exit {
                    id: r.id,
                    pid: r.pid.unsigned_abs(),
                    outcome,
                    mode: r.mode,
                    started: r.started,
                    ended: self.clock.now(),
                });
            }
            None => {
                self.others_reaped += 1;
                log::debug!("Reaped child process {pid} we did not start ({outcome:?})");
            }
        }
    }

    /// Send `signal` to the process group of running child `id` (the script
    /// and everything it started that stayed in its group). Only children
    /// not yet reaped: until then their pid, hence the group id, cannot be
    /// reused, so the signal never reaches a process we did not start.
    /// `NotFound` for an unknown or reaped id.
    pub fn kill_group(&self, id: ChildId, signal: Signal) -> io::Result<()> {
        let pid = self.pid_of(id).ok_or_else(|| {
            io::Error::new(io::ErrorKind::NotFound, format!("{id} is not running"))
        })?;
        match killpg(Pid::from_raw(pid), signal) {
            // A zombie leader with its whole group gone.
            Ok(()) | Err(nix::errno::Errno::ESRCH) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }

    /// [`Children::kill_group`] for every running child (keepalived's
    /// `script_killall`, at shutdown and reload).
    pub fn kill_all(&self, signal: Signal) {
        for r in &self.running {
            // ESRCH is the only expected failure (an exited group).
            let _ = killpg(Pid::from_raw(r.pid), signal);
        }
    }

    /// Children started and not yet reaped.
    pub fn running(&self) -> usize {
        self.running.len()
    }

    /// The pid of child `id` while it is not reaped.
    pub fn pid(&self, id: ChildId) -> Option<u32> {
        self.pid_of(id).map(i32::unsigned_abs)
    }

    /// The ids of the children not yet reaped, oldest first.
    pub fn ids(&self) -> Vec<ChildId> {
        let mut v: Vec<ChildId> = self.running.iter().map(|r| r.id).collect();
        v.sort_unstable();
        v
    }

    /// How many children we did not start have been reaped ([`Scope::Any`]).
    pub fn others_reaped(&self) -> u64 {
        self.others_reaped
    }

    fn pid_of(&self, id: ChildId) -> Option<i32> {
        self.running.iter().find(|r| r.id == id).map(|r| r.pid)
    }
}

impl mio::event::Source for Children {
    fn register(
        &mut self,
        registry: &mio::Registry,
        token: mio::Token,
        interests: mio::Interest,
    ) -> io::Result<()> {
        self.signals.register(registry, token, interests)
    }

    fn reregister(
        &mut self,
        registry: &mio::Registry,
        token: mio::Token,
        interests: mio::Interest,
    ) -> io::Result<()> {
        self.signals.reregister(registry, token, interests)
    }

    fn deregister(&mut self, registry: &mio::Registry) -> io::Result<()> {
        self.signals.deregister(registry)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mio::{Events, Interest, Poll, Token};
    use std::collections::BTreeSet;
    use std::os::unix::fs::PermissionsExt;
    use std::path::{Path, PathBuf};
    use std::time::{Duration, Instant as StdInstant};

    const TOKEN: Token = Token(7);
    const NOBODY: u32 = 65534;

    struct TempDir(PathBuf);

    impl TempDir {
        fn new(name: &str) -> TempDir {
            use std::sync::atomic::{AtomicU32, Ordering};
            static N: AtomicU32 = AtomicU32::new(0);
            let p = std::env::temp_dir().join(format!(
                "krs-children-{}-{name}-{}",
                std::process::id(),
                N.fetch_add(1, Ordering::Relaxed)
            ));
            std::fs::create_dir_all(&p).expect("temp dir");
            // Scripts run as nobody write here too.
            std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o777)).expect("chmod");
            TempDir(p)
        }
        fn path(&self, name: &str) -> PathBuf {
            self.0.join(name)
        }
        /// An executable file `name` holding `body`.
        fn script(&self, name: &str, body: &str) -> String {
            let p = self.path(name);
            std::fs::write(&p, body).expect("write script");
            std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).expect("chmod");
            p.to_string_lossy().into_owned()
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    /// A runner registered with its own poll, as the daemon does it.
    struct Rig {
        poll: Poll,
        ch: Children,
    }

    fn rig_with(scope: Scope) -> Rig {
        let poll = Poll::new().expect("poll");
        let mut ch = Children::with_scope(Clock::new(), scope).expect("children");
        poll.registry()
            .register(&mut ch, TOKEN, Interest::READABLE)
            .expect("register");
        Rig { poll, ch }
    }

    fn rig() -> Rig {
        rig_with(Scope::Own)
    }

    impl Rig {
        /// spawn, retrying while another test thread's fork briefly holds
        /// a just-written script open for writing (ETXTBSY).
        fn spawn(&mut self, cmd: &Command) -> io::Result<ChildId> {
            for _ in 0..200 {
                match self.ch.spawn(cmd) {
                    Err(e) if e.raw_os_error() == Some(libc::ETXTBSY) => {
                        std::thread::sleep(Duration::from_millis(5));
                    }
                    r => return r,
                }
            }
            self.ch.spawn(cmd)
        }

        /// Exits reaped within `timeout`, reaping only when the poll reports
        /// our token (plus once at the start, as after registering).
        fn exits_within(&mut self, n: usize, timeout: Duration) -> Vec<Exit> {
            let deadline = StdInstant::now() + timeout;
            let mut out = self.ch.reap();
            let mut events = Events::with_capacity(8);
            while out.len() < n {
                let left = deadline.saturating_duration_since(StdInstant::now());
                if left.is_zero() {
                    break;
                }
                match self.poll.poll(&mut events, Some(left)) {
                    Ok(()) => {}
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(e) => panic!("poll: {e}"),
                }
                if events.iter().any(|e| e.token() == TOKEN) {
                    out.extend(self.ch.reap());
                }
            }
            out
        }

        fn exit(&mut self, id: ChildId) -> Exit {
            let got = self.exits_within(1, Duration::from_secs(20));
            assert_eq!(got.len(), 1, "one exit for {id}: {got:?}");
            assert_eq!(got[0].id, id);
            got[0]
        }

        /// Run `cmd` to its end.
        fn run(&mut self, cmd: &Command) -> Exit {
            let id = self.spawn(cmd).expect("spawn");
            self.exit(id)
        }
    }

    /// Fields of /proc/PID/stat after the command name: state, ppid, pgrp.
    fn stat(pid: i32) -> Option<(char, i32, i32)> {
        let s = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
        let rest = &s[s.rfind(')')? + 2..];
        let mut f = rest.split(' ');
        let state = f.next()?.chars().next()?;
        let ppid = f.next()?.parse().ok()?;
        let pgrp = f.next()?.parse().ok()?;
        Some((state, ppid, pgrp))
    }

    /// Live (non-zombie) processes in process group `pgid`.
    fn group_members(pgid: i32) -> Vec<i32> {
        let mut v = Vec::new();
        for e in std::fs::read_dir("/proc").expect("/proc").flatten() {
            let Some(pid) = e.file_name().to_str().and_then(|n| n.parse::<i32>().ok()) else {
                continue;
            };
            if let Some((state, _, pgrp)) = stat(pid) {
                if pgrp == pgid && state != 'Z' && state != 'X' {
                    v.push(pid);
                }
            }
        }
        v
    }

    fn until(timeout: Duration, mut f: impl FnMut() -> bool) -> bool {
        let deadline = StdInstant::now() + timeout;
        loop {
            if f() {
                return true;
            }
            if StdInstant::now() >= deadline {
                return false;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    fn status_field(pid: u32, key: &str) -> String {
        let s = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("status");
        s.lines()
            .find_map(|l| l.strip_prefix(key).and_then(|r| r.strip_prefix(':')))
            .unwrap_or_else(|| panic!("no {key} in status"))
            .trim()
            .to_string()
    }

    fn is_root() -> bool {
        nix::unistd::geteuid().is_root()
    }

    fn sh(body: &str) -> String {
        format!("#!/bin/sh\n{body}\n")
    }

    #[test]
    fn shell_command_quotes_every_word() {
        let argv = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            shell_command(&argv(&["/x/y", "a b", "c\"d", "$HOME"])),
            r#"'/x/y' 'a b' 'c"d' '$HOME'"#
        );
        assert_eq!(shell_command(&argv(&["it's"])), r"'it'\''s'");
        // keepalived's file test: the redirection is left unquoted.
        assert_eq!(shell_command(&argv(&["</etc/passwd"])), "</etc/passwd");
        assert_eq!(shell_command(&argv(&["/a", "<b"])), "'/a' '<b'");
    }

    #[test]
    fn exec_mode_rules() {
        let d = TempDir::new("mode");
        assert_eq!(
            exec_mode(&d.script("s", "#!/bin/sh\n")).unwrap(),
            ExecMode::Direct
        );
        assert_eq!(
            exec_mode(&d.script("t", "exit 0\n")).unwrap(),
            ExecMode::Shell
        );
        assert_eq!(exec_mode(&d.script("e", "")).unwrap(), ExecMode::Shell);
        let elf = std::fs::canonicalize("/bin/sh").unwrap();
        assert_eq!(exec_mode(elf.to_str().unwrap()).unwrap(), ExecMode::Direct);
        assert_eq!(exec_mode("</etc/passwd").unwrap(), ExecMode::Shell);
        let missing = d.path("missing");
        assert_eq!(
            exec_mode(missing.to_str().unwrap()).unwrap_err().kind(),
            io::ErrorKind::NotFound
        );
    }

    #[test]
    fn exit_code_and_times_are_reported() {
        let d = TempDir::new("exit3");
        let mut r = rig();
        let s = d.script("s", &sh("sleep 0.2; exit 3"));
        let id = r.spawn(&Command::new([s])).unwrap();
        assert_eq!(r.ch.running(), 1);
        let pid = r.ch.pid(id).expect("pid while running");
        let e = r.exit(id);
        assert_eq!(e.outcome, Outcome::Exited(3));
        assert_eq!(e.script_outcome(), Outcome::Exited(3));
        assert_eq!(e.mode, ExecMode::Direct);
        assert_eq!(e.pid, pid);
        assert!(e.ended.saturating_since(e.started).millis() >= 200, "{e:?}");
        assert_eq!(r.ch.running(), 0);
        assert_eq!(r.ch.pid(id), None);
        assert!(r.ch.ids().is_empty());
    }

    #[test]
    fn sigterm_to_the_group_is_reported_as_signal_15() {
        let d = TempDir::new("term");
        let mut r = rig();
        // sh waits for sleep: both are in the group.
        let id = r
            .spawn(&Command::new([d.script("s", &sh("sleep 30"))]))
            .unwrap();
        let pid = r.ch.pid(id).unwrap() as i32;
        assert!(until(Duration::from_secs(5), || group_members(pid).len() == 2));
        r.ch.kill_group(id, Signal::SIGTERM).unwrap();
        assert_eq!(r.exit(id).outcome, Outcome::Signaled(libc::SIGTERM));
        assert!(until(Duration::from_secs(5), || group_members(pid).is_empty()));
    }

    #[test]
    fn background_child_stays_in_the_script_group() {
        let d = TempDir::new("bg");
        let mut r = rig();
        // Exits at once, leaving a sleep behind: reaped without waiting.
        let bg = d.path("bg.pid");
        let s = d.script(
            "s",
            &sh(&format!("sleep 30 & echo $! > {}; exit 0", bg.display())),
        );
        let started = StdInstant::now();
        let id = r.spawn(&Command::new([s])).unwrap();
        let pgid = r.ch.pid(id).unwrap() as i32;
        assert_eq!(r.exit(id).outcome, Outcome::Exited(0));
        assert!(started.elapsed() < Duration::from_secs(10));
        let sleep: i32 = std::fs::read_to_string(&bg)
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        assert_eq!(
            group_members(pgid),
            vec![sleep],
            "the sleep is left in the group"
        );
        // Reaped: kill_group no longer touches that group.
        let e = r.ch.kill_group(id, Signal::SIGKILL).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::NotFound);
        assert_eq!(group_members(pgid), vec![sleep]);
        killpg(Pid::from_raw(pgid), Signal::SIGKILL).unwrap();
        assert!(until(Duration::from_secs(5), || group_members(pgid).is_empty()));

        // While the script runs, kill_group reaches its background child.
        let s = d.script(
            "t",
            &sh(&format!("sleep 30 & echo $! > {}; sleep 30", bg.display())),
        );
        let id = r.spawn(&Command::new([s])).unwrap();
        let pgid = r.ch.pid(id).unwrap() as i32;
        assert!(until(Duration::from_secs(5), || group_members(pgid).len() == 3));
        r.ch.kill_group(id, Signal::SIGTERM).unwrap();
        assert_eq!(r.exit(id).outcome, Outcome::Signaled(libc::SIGTERM));
        assert!(until(Duration::from_secs(5), || group_members(pgid).is_empty()));
    }

    #[test]
    fn hanging_script_needs_kill_after_term() {
        let d = TempDir::new("hang");
        let mut r = rig();
        // Ignores TERM (inherited by its sleeps).
        let s = d.script("s", &sh("trap '' TERM\nwhile :; do sleep 30; done"));
        let id = r.spawn(&Command::new([s])).unwrap();
        let pgid = r.ch.pid(id).unwrap() as i32;
        assert!(until(Duration::from_secs(5), || group_members(pgid).len() == 2));
        r.ch.kill_group(id, Signal::SIGTERM).unwrap();
        assert!(r.exits_within(1, Duration::from_millis(400)).is_empty());
        assert_eq!(r.ch.running(), 1);
        assert_eq!(group_members(pgid).len(), 2);
        r.ch.kill_group(id, Signal::SIGKILL).unwrap();
        assert_eq!(r.exit(id).outcome, Outcome::Signaled(libc::SIGKILL));
        assert!(until(Duration::from_secs(5), || group_members(pgid).is_empty()));
    }

    #[test]
    fn text_script_runs_through_sh_with_words_intact() {
        let d = TempDir::new("text");
        let mut r = rig();
        // No #!: keepalived's system() path.
        let s = d.script(
            "s",
            "out=$1; shift; printf '%s\\n' \"$#\" \"$@\" > \"$out\"\n",
        );
        let out = d.path("out");
        let words = ["a b", "c\"d", "e'f", "$HOME", "x\\ny", "*"];
        let mut argv = vec![s.clone(), out.to_string_lossy().into_owned()];
        argv.extend(words.iter().map(|w| w.to_string()));
        let e = r.run(&Command::new(argv));
        assert_eq!(e.mode, ExecMode::Shell);
        assert_eq!(e.outcome, Outcome::Exited(0));
        let got = std::fs::read_to_string(&out).unwrap();
        let mut want = format!("{}\n", words.len());
        for w in words {
            want.push_str(w);
            want.push('\n');
        }
        assert_eq!(got, want);
    }

    #[test]
    fn file_test_command_and_sh_failures() {
        let d = TempDir::new("ftest");
        let mut r = rig();
        let there = d.script("there", "");
        let e = r.run(&Command::new([format!("<{there}")]));
        assert_eq!((e.mode, e.outcome), (ExecMode::Shell, Outcome::Exited(0)));
        let e = r.run(&Command::new([format!("<{}", d.path("gone").display())]));
        assert_ne!(e.outcome, Outcome::Exited(0));
        // sh's "not executable" (126) counts as success for keepalived.
        let s = d.path("noexec");
        std::fs::write(&s, "exit 5\n").unwrap();
        std::fs::set_permissions(&s, std::fs::Permissions::from_mode(0o644)).unwrap();
        let e = r.run(&Command::new([s.to_string_lossy()]));
        assert_eq!(e.mode, ExecMode::Shell);
        assert_eq!(e.outcome, Outcome::Exited(126));
        assert_eq!(e.script_outcome(), Outcome::Exited(0));
    }

    #[test]
    fn missing_program_is_a_spawn_error() {
        let d = TempDir::new("missing");
        let mut r = rig();
        let missing = d.path("nope").to_string_lossy().into_owned();
        let e = r.spawn(&Command::new([missing])).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::NotFound);
        // A #! naming a missing interpreter fails at exec: reported by spawn.
        let s = d.script("s", "#!/nonexistent/interpreter\n");
        let e = r.spawn(&Command::new([s])).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::NotFound);
        let e = r.spawn(&Command::new(Vec::<String>::new())).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::InvalidInput);
        assert_eq!(r.ch.running(), 0);
        assert!(r.exits_within(1, Duration::from_millis(100)).is_empty());
    }

    #[test]
    fn megabytes_of_output_do_not_block() {
        let d = TempDir::new("output");
        let mut r = rig();
        let s = d.script(
            "s",
            &sh("head -c 8000000 /dev/zero; head -c 8000000 /dev/zero >&2; cat; exit 4"),
        );
        let started = StdInstant::now();
        // `cat` ends at once: stdin is /dev/null.
        assert_eq!(r.run(&Command::new([s])).outcome, Outcome::Exited(4));
        assert!(started.elapsed() < Duration::from_secs(15));
    }

    #[test]
    fn no_zombie_is_left_after_reap() {
        let d = TempDir::new("zombie");
        let mut r = rig();
        let id = r
            .spawn(&Command::new([d.script("s", &sh("exit 0"))]))
            .unwrap();
        let pid = r.ch.pid(id).unwrap() as i32;
        let me = std::process::id() as i32;
        // Not reaped yet: a zombie child of ours.
        assert!(until(Duration::from_secs(10), || stat(pid)
            .is_some_and(|(s, ppid, _)| s == 'Z' && ppid == me)));
        assert_eq!(r.exit(id).outcome, Outcome::Exited(0));
        assert!(
            stat(pid).is_none_or(|(_, ppid, _)| ppid != me),
            "pid {pid} still ours"
        );
    }

    #[test]
    fn child_starts_clean_in_its_own_group() {
        let mut r = rig();
        // ELF: exec'd directly, so /proc shows the process we set up.
        let id = r.spawn(&Command::new(["/bin/sleep", "30"])).unwrap();
        let pid = r.ch.pid(id).unwrap();
        assert_eq!(stat(pid as i32).map(|s| s.2), Some(pid as i32), "own group");
        let fds: BTreeSet<String> = std::fs::read_dir(format!("/proc/{pid}/fd"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        // (The daemon is single-threaded; this test process is not: a
        // descriptor another test thread opened without O_CLOEXEC at the
        // instant of the fork would be inherited here, so say what it is.)
        let what: Vec<String> = fds
            .iter()
            .map(|f| {
                let l = std::fs::read_link(format!("/proc/{pid}/fd/{f}"));
                format!("{f} -> {l:?}")
            })
            .collect();
        assert_eq!(
            fds,
            ["0", "1", "2"].iter().map(|s| s.to_string()).collect(),
            "{what:?}"
        );
        for fd in 0..3 {
            let l = std::fs::read_link(format!("/proc/{pid}/fd/{fd}")).unwrap();
            assert_eq!(l, Path::new("/dev/null"), "fd {fd}");
        }
        // The Rust runtime ignores SIGPIPE; the script must not.
        assert_eq!(status_field(pid, "SigIgn"), "0000000000000000");
        assert_eq!(status_field(pid, "SigBlk"), "0000000000000000");
        let env = std::fs::read(format!("/proc/{pid}/environ")).unwrap();
        let path = format!("PATH={}", std::env::var("PATH").unwrap());
        assert!(
            env.split(|b| *b == 0).any(|v| v == path.as_bytes()),
            "environment inherited"
        );
        let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap();
        assert_eq!(cmdline, b"/bin/sleep\x0030\x00");
        r.ch.kill_group(id, Signal::SIGKILL).unwrap();
        assert_eq!(r.exit(id).outcome, Outcome::Signaled(libc::SIGKILL));
    }

    #[test]
    fn script_user_and_group() {
        let mut r = rig();
        let cmd = Command::new(["/bin/sleep", "30"]).user(NOBODY, NOBODY);
        if !is_root() {
            // Without privileges setgid fails and so does the spawn.
            let e = r.spawn(&cmd).unwrap_err();
            assert_eq!(e.kind(), io::ErrorKind::PermissionDenied);
            return;
        }
        let id = r.spawn(&cmd).unwrap();
        let pid = r.ch.pid(id).unwrap();
        assert_eq!(status_field(pid, "Uid"), "65534\t65534\t65534\t65534");
        assert_eq!(status_field(pid, "Gid"), "65534\t65534\t65534\t65534");
        assert_eq!(status_field(pid, "Groups"), "65534");
        r.ch.kill_group(id, Signal::SIGKILL).unwrap();
        assert_eq!(r.exit(id).outcome, Outcome::Signaled(libc::SIGKILL));
        // gid alone: root user, that group only.
        let id = r
            .spawn(&Command {
                argv: vec!["/bin/sleep".into(), "30".into()],
                uid: None,
                gid: Some(NOBODY),
            })
            .unwrap();
        let pid = r.ch.pid(id).unwrap();
        assert_eq!(status_field(pid, "Uid"), "0\t0\t0\t0");
        assert_eq!(status_field(pid, "Gid"), "65534\t65534\t65534\t65534");
        assert_eq!(status_field(pid, "Groups"), "65534");
        r.ch.kill_group(id, Signal::SIGKILL).unwrap();
        assert_eq!(r.exit(id).outcome, Outcome::Signaled(libc::SIGKILL));
    }

    #[test]
    fn resolve_script_user() {
        assert_eq!(resolve_ids("root", None).unwrap(), (0, 0));
        assert_eq!(resolve_ids("nobody", Some("root")).unwrap(), (NOBODY, 0));
        let e = resolve_ids("no-such-user-krs", None).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::NotFound);
        assert_eq!(
            e.to_string(),
            "Script user 'no-such-user-krs' does not exist"
        );
        let e = resolve_ids("root", Some("no-such-group-krs")).unwrap_err();
        assert_eq!(
            e.to_string(),
            "Script group 'no-such-group-krs' does not exist"
        );
    }

    #[test]
    fn children_die_with_the_spawning_thread() {
        let mut r = rig();
        let mut ch = Children::with_scope(Clock::new(), Scope::Own).unwrap();
        std::mem::swap(&mut ch, &mut r.ch);
        // The spawning thread plays the daemon: when it ends, PDEATHSIG.
        let (ch, ids) = std::thread::spawn(move || {
            let mut ch = ch;
            let mut ids = vec![ch.spawn(&Command::new(["/bin/sleep", "30"])).unwrap()];
            if is_root() {
                // Set after setuid, which would clear it.
                let cmd = Command::new(["/bin/sleep", "30"]).user(NOBODY, NOBODY);
                ids.push(ch.spawn(&cmd).unwrap());
            }
            (ch, ids)
        })
        .join()
        .unwrap();
        r.ch = ch;
        let mut got = r.exits_within(ids.len(), Duration::from_secs(10));
        got.sort_by_key(|e| e.id);
        assert_eq!(got.iter().map(|e| e.id).collect::<Vec<_>>(), ids);
        for e in got {
            assert_eq!(e.outcome, Outcome::Signaled(libc::SIGTERM), "{e:?}");
        }
    }

    /// Scope::Any and process-wide signal state, in a process of its own
    /// (the test binary again): waitpid(-1) would steal other tests'
    /// children, and ignoring a signal would leak into them.
    #[test]
    fn any_scope_in_a_process_of_its_own() {
        const VAR: &str = "KRS_CHILDREN_ANY_SCOPE";
        if std::env::var_os(VAR).is_some() {
            any_scope_child_side();
            println!("ANY-SCOPE-OK");
            return;
        }
        let exe = std::env::current_exe().expect("test binary");
        let out = std::process::Command::new(exe)
            .args([
                "--exact",
                "io::children::tests::any_scope_in_a_process_of_its_own",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(VAR, "1")
            .output()
            .expect("run child");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success() && stdout.contains("ANY-SCOPE-OK"),
            "{}\n{stdout}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
    }

    fn any_scope_child_side() {
        use nix::fcntl::{FcntlArg, FdFlag, fcntl};
        use nix::sys::signal::{SigSet, SigmaskHow, sigprocmask};
        sys::ignore_signal(libc::SIGUSR2).unwrap();
        sys::ignore_signal(libc::SIGHUP).unwrap();
        let mut set = SigSet::empty();
        set.add(Signal::SIGUSR1);
        sigprocmask(SigmaskHow::SIG_BLOCK, Some(&set), None).unwrap();
        // A descriptor opened without close-on-exec must not leak either.
        let leaky = std::fs::File::open("/dev/zero").unwrap();
        fcntl(&leaky, FcntlArg::F_SETFD(FdFlag::empty())).unwrap();
        nix::sys::prctl::set_child_subreaper(true).unwrap();
        let me = std::process::id() as i32;

        let d = TempDir::new("any");
        let mut r = rig_with(Scope::Any);
        let id = r.spawn(&Command::new(["/bin/sleep", "30"])).unwrap();
        let pid = r.ch.pid(id).unwrap();
        assert_eq!(status_field(pid, "SigIgn"), "0000000000000000");
        assert_eq!(status_field(pid, "SigBlk"), "0000000000000000");
        assert_eq!(
            std::fs::read_dir(format!("/proc/{pid}/fd"))
                .unwrap()
                .count(),
            3
        );
        r.ch.kill_group(id, Signal::SIGTERM).unwrap();
        assert_eq!(r.exit(id).outcome, Outcome::Signaled(libc::SIGTERM));
        assert_eq!(r.ch.others_reaped(), 0);

        // The script's background sleep is reparented to us when it exits.
        let bg = d.path("bg.pid");
        let s = d.script(
            "s",
            &sh(&format!("sleep 30 & echo $! > {}; exit 0", bg.display())),
        );
        let id = r.spawn(&Command::new([s])).unwrap();
        assert_eq!(r.exit(id).outcome, Outcome::Exited(0));
        let sleep: i32 = std::fs::read_to_string(&bg)
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        assert!(until(Duration::from_secs(5), || stat(sleep)
            .is_some_and(|s| s.1 == me)));
        nix::sys::signal::kill(Pid::from_raw(sleep), Signal::SIGKILL).unwrap();
        // Reaped as a child we did not start: no Exit, counted, no zombie.
        assert!(r.exits_within(1, Duration::from_secs(2)).is_empty());
        assert_eq!(r.ch.others_reaped(), 1);
        assert!(
            stat(sleep).is_none_or(|s| s.1 != me),
            "orphan {sleep} reaped"
        );
    }
}
