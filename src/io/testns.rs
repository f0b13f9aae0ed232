//! Test-only: a throw-away network namespace (deleted on drop) and a way to
//! run code inside it from a thread that has entered it. Root tests of the
//! `io` modules use it so nothing touches this machine's own interfaces.

use std::fs::File;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

static NS_COUNTER: AtomicUsize = AtomicUsize::new(0);

/// Whether root-only namespace tests can run here; prints why not.
pub fn available(what: &str) -> bool {
    if !nix::unistd::geteuid().is_root() {
        eprintln!("skipping {what} test: needs root");
        return false;
    }
    if Command::new("ip").arg("-V").output().is_err() {
        eprintln!("skipping {what} test: `ip` not found");
        return false;
    }
    true
}

/// One network namespace, named `PREFIX-PID-N`, deleted on drop.
pub struct Netns {
    pub name: String,
}

impl Netns {
    pub fn add(prefix: &str) -> Netns {
        let n = NS_COUNTER.fetch_add(1, Ordering::Relaxed);
        let name = format!("{prefix}-{}-{n}", std::process::id());
        ip(&["netns", "add", &name]);
        Netns { name }
    }

    /// `ip -n NAME ARGS...`, asserting success; returns stdout.
    pub fn ip(&self, args: &[&str]) -> String {
        let mut all = vec!["-n", &self.name];
        all.extend_from_slice(args);
        ip(&all)
    }

    /// Runs `f` on a thread that has entered the namespace. Sockets opened
    /// there stay in it after the thread ends.
    pub fn run<T: Send + 'static>(&self, f: impl FnOnce() -> T + Send + 'static) -> T {
        let path = format!("/run/netns/{}", self.name);
        std::thread::spawn(move || {
            let file = File::open(&path).expect("open netns");
            nix::sched::setns(&file, nix::sched::CloneFlags::CLONE_NEWNET).expect("setns");
            f()
        })
        .join()
        .expect("netns thread panicked")
    }
}

impl Drop for Netns {
    fn drop(&mut self) {
        let _ = Command::new("ip")
            .args(["netns", "del", &self.name])
            .status();
    }
}

/// `ip ARGS...`, asserting success; returns stdout.
pub fn ip(args: &[&str]) -> String {
    let out = Command::new("ip").args(args).output().expect("run ip");
    assert!(
        out.status.success(),
        "ip {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}
