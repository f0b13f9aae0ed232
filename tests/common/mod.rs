//! Shared helpers for integration tests.

use keepalived_rs::config::host::{FakeHost, Host, IfInfo, Owner};
use std::io;
use std::path::{Path, PathBuf};

/// The host of the recordings: the listed interfaces (multicast capable),
/// root only (no keepalived_script user), the real file system for scripts.
pub struct FixtureHost {
    fake: FakeHost,
}

pub fn fixture_host(ifaces: &[&str]) -> FixtureHost {
    FixtureHost {
        fake: FakeHost::with_interfaces(ifaces),
    }
}

impl Host for FixtureHost {
    fn interface(&self, name: &str) -> Option<IfInfo> {
        self.fake.interface(name)
    }
    fn user(&self, name: &str) -> Option<(u32, u32)> {
        self.fake.user(name)
    }
    fn group(&self, name: &str) -> Option<u32> {
        self.fake.group(name)
    }
    fn hostname(&self) -> String {
        "kartest".into()
    }
    fn ids(&self) -> (u32, u32) {
        (0, 0)
    }
    fn realpath(&self, p: &Path) -> io::Result<PathBuf> {
        std::fs::canonicalize(p)
    }
    fn owner(&self, p: &Path, follow: bool) -> io::Result<Owner> {
        use std::os::unix::fs::MetadataExt;
        let m = if follow {
            std::fs::metadata(p)?
        } else {
            std::fs::symlink_metadata(p)?
        };
        Ok(Owner {
            uid: m.uid(),
            gid: m.gid(),
            mode: m.mode(),
        })
    }
    fn executable_by(&self, p: &Path, _uid: u32, _gid: u32) -> bool {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    }
    fn path_env(&self) -> String {
        "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".into()
    }
    /// The recordings were made in a namespace with no DNS: names do not resolve.
    fn resolves(&self, name: &str) -> bool {
        self.fake.resolves(name)
    }
    fn online_cpus(&self) -> u32 {
        std::thread::available_parallelism().map_or(1, |n| n.get() as u32)
    }
}
