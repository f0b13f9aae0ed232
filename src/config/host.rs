//! Facts about the host that the configuration checks need: interfaces,
//! users and groups, file ownership for script security, the host name.
//!
//! A trait so the front end stays free of OS calls: `io::sys` implements it
//! for the real system, tests use [`FakeHost`].

use std::io;
use std::path::{Path, PathBuf};

/// What keepalived checks about an interface at parse time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IfInfo {
    pub index: u32,
    pub loopback: bool,
    pub multicast: bool,
}

/// Owner and mode of a path (lstat).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Owner {
    pub uid: u32,
    pub gid: u32,
    /// st_mode (type and permission bits)
    pub mode: u32,
}

impl Owner {
    pub fn is_dir(&self) -> bool {
        self.mode & 0o170000 == 0o040000
    }
    pub fn is_reg(&self) -> bool {
        self.mode & 0o170000 == 0o100000
    }
    pub fn is_symlink(&self) -> bool {
        self.mode & 0o170000 == 0o120000
    }
}

/// Host facts.
pub trait Host {
    fn interface(&self, name: &str) -> Option<IfInfo>;
    /// uid and primary gid of a user.
    fn user(&self, name: &str) -> Option<(u32, u32)>;
    fn group(&self, name: &str) -> Option<u32>;
    /// `uname` node name.
    fn hostname(&self) -> String;
    /// uid/gid keepalived runs as.
    fn ids(&self) -> (u32, u32);
    /// realpath(3).
    fn realpath(&self, p: &Path) -> io::Result<PathBuf>;
    /// lstat(2) owner and mode; `follow` = stat(2).
    fn owner(&self, p: &Path, follow: bool) -> io::Result<Owner>;
    /// Whether `uid:gid` (with its supplementary groups) may execute `p`.
    fn executable_by(&self, p: &Path, uid: u32, gid: u32) -> bool;
    /// The PATH used to find bare script names.
    fn path_env(&self) -> String;
    /// Whether getaddrinfo(3) finds `name` (keepalived `domain_stosockaddr`,
    /// used by `smtp_server`).
    fn resolves(&self, name: &str) -> bool;
    /// Number of online CPUs (`*_cpu_affinity` checks).
    fn online_cpus(&self) -> u32;
}

/// Remembers interface, user and group answers for the length of one
/// configuration load: handlers ask about the same names many times (once
/// per instance, VIP and tracker), and the answers cannot change meanwhile.
pub struct MemoHost {
    inner: std::rc::Rc<dyn Host>,
    interfaces: std::cell::RefCell<std::collections::HashMap<String, Option<IfInfo>>>,
    users: std::cell::RefCell<std::collections::HashMap<String, Option<(u32, u32)>>>,
    groups: std::cell::RefCell<std::collections::HashMap<String, Option<u32>>>,
}

impl MemoHost {
    pub fn new(inner: std::rc::Rc<dyn Host>) -> Self {
        MemoHost {
            inner,
            interfaces: Default::default(),
            users: Default::default(),
            groups: Default::default(),
        }
    }
}

impl Host for MemoHost {
    fn interface(&self, name: &str) -> Option<IfInfo> {
        if let Some(v) = self.interfaces.borrow().get(name) {
            return *v;
        }
        let v = self.inner.interface(name);
        self.interfaces.borrow_mut().insert(name.to_string(), v);
        v
    }
    fn user(&self, name: &str) -> Option<(u32, u32)> {
        if let Some(v) = self.users.borrow().get(name) {
            return *v;
        }
        let v = self.inner.user(name);
        self.users.borrow_mut().insert(name.to_string(), v);
        v
    }
    fn group(&self, name: &str) -> Option<u32> {
        if let Some(v) = self.groups.borrow().get(name) {
            return *v;
        }
        let v = self.inner.group(name);
        self.groups.borrow_mut().insert(name.to_string(), v);
        v
    }
    fn hostname(&self) -> String {
        self.inner.hostname()
    }
    fn ids(&self) -> (u32, u32) {
        self.inner.ids()
    }
    fn realpath(&self, p: &Path) -> io::Result<PathBuf> {
        self.inner.realpath(p)
    }
    fn owner(&self, p: &Path, follow: bool) -> io::Result<Owner> {
        self.inner.owner(p, follow)
    }
    fn executable_by(&self, p: &Path, uid: u32, gid: u32) -> bool {
        self.inner.executable_by(p, uid, gid)
    }
    fn path_env(&self) -> String {
        self.inner.path_env()
    }
    fn resolves(&self, name: &str) -> bool {
        self.inner.resolves(name)
    }
    fn online_cpus(&self) -> u32 {
        self.inner.online_cpus()
    }
}

/// A host for tests: listed interfaces and users exist, nothing else.
#[derive(Clone, Debug, Default)]
pub struct FakeHost {
    pub interfaces: Vec<(String, IfInfo)>,
    pub users: Vec<(String, u32, u32)>,
    pub groups: Vec<(String, u32)>,
    pub files: Vec<(PathBuf, Owner)>,
    pub name: String,
}

impl FakeHost {
    /// A host with the given interfaces (multicast capable, not loopback).
    pub fn with_interfaces(names: &[&str]) -> Self {
        FakeHost {
            interfaces: names
                .iter()
                .enumerate()
                .map(|(i, n)| {
                    (
                        n.to_string(),
                        IfInfo {
                            index: i as u32 + 2,
                            loopback: false,
                            multicast: true,
                        },
                    )
                })
                .chain(std::iter::once((
                    "lo".to_string(),
                    IfInfo {
                        index: 1,
                        loopback: true,
                        multicast: false,
                    },
                )))
                .collect(),
            users: vec![("root".into(), 0, 0)],
            groups: vec![("root".into(), 0)],
            files: Vec::new(),
            name: "testhost".into(),
        }
    }
}

impl Host for FakeHost {
    fn interface(&self, name: &str) -> Option<IfInfo> {
        self.interfaces
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, i)| *i)
    }
    fn user(&self, name: &str) -> Option<(u32, u32)> {
        self.users
            .iter()
            .find(|(n, _, _)| n == name)
            .map(|(_, u, g)| (*u, *g))
    }
    fn group(&self, name: &str) -> Option<u32> {
        self.groups.iter().find(|(n, _)| n == name).map(|(_, g)| *g)
    }
    fn hostname(&self) -> String {
        self.name.clone()
    }
    fn ids(&self) -> (u32, u32) {
        (0, 0)
    }
    fn realpath(&self, p: &Path) -> io::Result<PathBuf> {
        self.owner(p, true).map(|_| p.to_path_buf())
    }
    fn owner(&self, p: &Path, _follow: bool) -> io::Result<Owner> {
        if p == Path::new("/") {
            return Ok(Owner {
                uid: 0,
                gid: 0,
                mode: 0o040755,
            });
        }
        if let Some((_, o)) = self.files.iter().find(|(f, _)| f == p) {
            return Ok(*o);
        }
        if self.files.iter().any(|(f, _)| f.starts_with(p)) {
            return Ok(Owner {
                uid: 0,
                gid: 0,
                mode: 0o040755,
            });
        }
        Err(io::Error::from(io::ErrorKind::NotFound))
    }
    fn executable_by(&self, p: &Path, _uid: u32, _gid: u32) -> bool {
        self.owner(p, true).is_ok_and(|o| o.mode & 0o111 != 0)
    }
    fn path_env(&self) -> String {
        "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".into()
    }
    /// Numeric addresses (inet_aton forms too) and `localhost` resolve; no names.
    fn resolves(&self, name: &str) -> bool {
        name == "localhost"
            || name.parse::<std::net::IpAddr>().is_ok()
            || super::values::inet_aton(name).is_some()
    }
    fn online_cpus(&self) -> u32 {
        4
    }
}
