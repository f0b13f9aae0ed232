//! The operating system, behind safe functions: host facts for the
//! configuration checks ([`RealHost`]), real-time signal numbers, kernel and
//! distribution names for `-v`.
//!
//! This is the one module allowed `unsafe` (ARCHITECTURE.md rule 7); every
//! block carries a `// SAFETY:` comment: `localtime_r` for the console
//! timestamp, and the raw-socket calls nix does not wrap (protocol 112
//! sockets, a few integer options, multicast joins by interface index).

use crate::config::host::{Host, IfInfo, Owner};
use nix::ifaddrs::getifaddrs;
use nix::net::if_::{InterfaceFlags, if_nametoindex};
use nix::unistd::{Gid, Group, Uid, User, getgrouplist};
use std::ffi::CString;
use std::io;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

/// The PATH keepalived uses when the environment has none.
pub const DEFAULT_PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/// Host facts from the running system.
#[derive(Clone, Copy, Debug, Default)]
pub struct RealHost;

impl RealHost {
    pub fn new() -> Self {
        RealHost
    }
}

/// Index and flags of interface `name`, if it exists.
pub fn interface_info(name: &str) -> Option<IfInfo> {
    if name.is_empty() || name.contains('\0') {
        return None;
    }
    let index = if_nametoindex(name).ok()?;
    // getifaddrs lists every link (an AF_PACKET entry even without addresses),
    // each entry carrying the interface flags.
    let flags = getifaddrs()
        .ok()
        .and_then(|mut it| it.find(|a| a.interface_name == name).map(|a| a.flags))
        .unwrap_or(InterfaceFlags::empty());
    Some(IfInfo {
        index,
        loopback: flags.contains(InterfaceFlags::IFF_LOOPBACK),
        multicast: flags.contains(InterfaceFlags::IFF_MULTICAST),
    })
}

/// The node name (`uname -n`; gethostname(2) returns the same on Linux).
pub fn node_name() -> String {
    nix::unistd::gethostname()
        .map(|h| h.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// `(sysname, release, version)` as uname(2) gives them, read from /proc.
pub fn kernel() -> (String, String, String) {
    let read = |f: &str| {
        std::fs::read_to_string(format!("/proc/sys/kernel/{f}")).map(|s| s.trim_end().to_string())
    };
    (
        read("ostype").unwrap_or_else(|_| "Linux".into()),
        read("osrelease").unwrap_or_default(),
        read("version").unwrap_or_default(),
    )
}

/// User and system CPU seconds used by this process so far (keepalived's
/// "Stopped - used %.6f user time, %.6f system time").
pub fn cpu_times() -> (f64, f64) {
    use nix::sys::resource::{UsageWho, getrusage};
    match getrusage(UsageWho::RUSAGE_SELF) {
        Ok(u) => {
            let secs = |t: nix::sys::time::TimeVal| t.tv_sec() as f64 + t.tv_usec() as f64 / 1e6;
            (secs(u.user_time()), secs(u.system_time()))
        }
        Err(_) => (0.0, 0.0),
    }
}

/// Give the heap's free pages back to the kernel (glibc `malloc_trim`): the
/// configuration is parsed with many short-lived allocations, and without
/// this the daemon would keep their peak as resident memory for its life.
pub fn trim_heap() {
    // SAFETY: malloc_trim only walks glibc's own heap under its lock and
    // returns unused pages; it touches no memory of ours.
    unsafe {
        nix::libc::malloc_trim(0);
    }
}

/// PRETTY_NAME of /etc/os-release, unquoted, as keepalived's `-v` shows it.
pub fn distro() -> Option<String> {
    let text = std::fs::read_to_string("/etc/os-release").ok()?;
    let line = text.lines().find_map(|l| l.strip_prefix("PRETTY_NAME="))?;
    let v = line.strip_prefix('"').unwrap_or(line);
    let v = v.strip_suffix('"').unwrap_or(v);
    Some(v.to_string())
}

/// SIGRTMIN as the C library defines it at run time (glibc reserves a few).
pub fn sigrtmin() -> i32 {
    nix::libc::SIGRTMIN()
}

/// SIGRTMAX as the C library defines it at run time.
pub fn sigrtmax() -> i32 {
    nix::libc::SIGRTMAX()
}

/// Supplementary groups of `uid` (its primary `gid` included), from the
/// group database; just `gid` when the user is unknown.
pub fn groups_of(uid: u32, gid: u32) -> Vec<u32> {
    let mut out = vec![gid];
    let list = User::from_uid(Uid::from_raw(uid))
        .ok()
        .flatten()
        .and_then(|u| CString::new(u.name).ok())
        .and_then(|name| getgrouplist(&name, Gid::from_raw(gid)).ok());
    out.extend(list.unwrap_or_default().into_iter().map(Gid::as_raw));
    out.sort_unstable();
    out.dedup();
    out
}

/// The access(2) permission-bit rule for one inode: root needs only one `x`
/// bit (or a directory); others get the owner, group or other triple.
fn may_execute(o: &Owner, uid: u32, groups: &[u32]) -> bool {
    if uid == 0 {
        return o.is_dir() || o.mode & 0o111 != 0;
    }
    if o.uid == uid {
        o.mode & 0o100 != 0
    } else if groups.contains(&o.gid) {
        o.mode & 0o010 != 0
    } else {
        o.mode & 0o001 != 0
    }
}

fn owner_of(m: &std::fs::Metadata) -> Owner {
    Owner {
        uid: m.uid(),
        gid: m.gid(),
        mode: m.mode(),
    }
}

/// Whether `uid:gid` (with its supplementary groups) may execute `p`: search
/// permission on every directory leading to it, then execute permission on
/// the file itself, following symbolic links (as access(2) with X_OK does).
pub fn executable_by(p: &Path, uid: u32, gid: u32) -> bool {
    let Ok(real) = std::fs::canonicalize(p) else {
        return false;
    };
    let groups = groups_of(uid, gid);
    let mut dir = PathBuf::new();
    let comps: Vec<_> = real.components().collect();
    let Some((_, parents)) = comps.split_last() else {
        return false;
    };
    for c in parents {
        dir.push(c);
        match std::fs::metadata(&dir) {
            Ok(m) if may_execute(&owner_of(&m), uid, &groups) => {}
            _ => return false,
        }
    }
    std::fs::metadata(&real).is_ok_and(|m| may_execute(&owner_of(&m), uid, &groups))
}

impl Host for RealHost {
    fn interface(&self, name: &str) -> Option<IfInfo> {
        interface_info(name)
    }

    fn user(&self, name: &str) -> Option<(u32, u32)> {
        User::from_name(name)
            .ok()
            .flatten()
            .map(|u| (u.uid.as_raw(), u.gid.as_raw()))
    }

    fn group(&self, name: &str) -> Option<u32> {
        Group::from_name(name)
            .ok()
            .flatten()
            .map(|g| g.gid.as_raw())
    }

    fn hostname(&self) -> String {
        node_name()
    }

    fn ids(&self) -> (u32, u32) {
        (
            nix::unistd::getuid().as_raw(),
            nix::unistd::getgid().as_raw(),
        )
    }

    fn realpath(&self, p: &Path) -> io::Result<PathBuf> {
        std::fs::canonicalize(p)
    }

    fn owner(&self, p: &Path, follow: bool) -> io::Result<Owner> {
        let m = if follow {
            std::fs::metadata(p)?
        } else {
            std::fs::symlink_metadata(p)?
        };
        Ok(owner_of(&m))
    }

    fn executable_by(&self, p: &Path, uid: u32, gid: u32) -> bool {
        executable_by(p, uid, gid)
    }

    fn resolves(&self, name: &str) -> bool {
        use std::net::ToSocketAddrs;
        (name, 0u16)
            .to_socket_addrs()
            .is_ok_and(|mut a| a.next().is_some())
    }

    fn online_cpus(&self) -> u32 {
        std::thread::available_parallelism().map_or(1, |n| n.get() as u32)
    }

    fn path_env(&self) -> String {
        match std::env::var("PATH") {
            Ok(p) if !p.is_empty() => p,
            _ => DEFAULT_PATH.to_string(),
        }
    }
}

/// `secs` after the epoch as C's `%c` in the C locale, in the local time zone
/// (`TZ`, else /etc/localtime), e.g. `Wed Nov 25 07:45:17 2026`: the
/// timestamp of keepalived's `-l` console lines. UTC if the C library cannot
/// convert the time.
pub fn local_time_string(secs: i64) -> String {
    use crate::log::console::{CivilTime, civil_at_offset, format_ctime};
    use nix::libc;
    // time_t is i64 on 64-bit targets (the conversion is then a no-op).
    #[allow(clippy::useless_conversion)]
    let Some(t) = libc::time_t::try_from(secs).ok() else {
        return format_ctime(&civil_at_offset(secs, 0));
    };
    // SAFETY: `libc::tm` is a plain C struct (integers and a nullable
    // `tm_zone` pointer), so all-zero bytes are a valid value. localtime_r
    // reads only `t` and writes only `tm`, both live locals valid for the
    // whole call, and uses no static result buffer (unlike localtime). It
    // reads the TZ variable, which nothing in this program changes while
    // threads run (std::env::set_var is never used at run time).
    let (ok, tm) = unsafe {
        let mut tm: libc::tm = std::mem::zeroed();
        let ok = !libc::localtime_r(&t, &mut tm).is_null();
        (ok, tm)
    };
    if !ok {
        return format_ctime(&civil_at_offset(secs, 0));
    }
    let field = |v: libc::c_int| u32::try_from(v).unwrap_or(0);
    format_ctime(&CivilTime {
        year: i64::from(tm.tm_year) + 1900,
        mon: field(tm.tm_mon),
        mday: field(tm.tm_mday),
        hour: field(tm.tm_hour),
        min: field(tm.tm_min),
        sec: field(tm.tm_sec),
        wday: field(tm.tm_wday),
    })
}

/// Become a daemon as keepalived's `xdaemon` does: fork (the parent exits 0
/// at once), start a new session, work from `/`, and point stdin, stdout and
/// stderr at `/dev/null`. Must be called while the process has one thread.
pub fn daemonize() -> io::Result<()> {
    use nix::unistd::{ForkResult, chdir, dup2_stderr, dup2_stdin, dup2_stdout, fork, setsid};
    // SAFETY: the daemon calls this before it starts any thread (it never
    // starts one), so the child is an exact single-threaded copy and may run
    // any code; the parent only calls `_exit`.
    match unsafe { fork() }.map_err(io::Error::from)? {
        ForkResult::Parent { .. } => {
            // SAFETY: `_exit` ends the process without running destructors
            // or atexit handlers that belong to the child now.
            unsafe { nix::libc::_exit(0) }
        }
        ForkResult::Child => {}
    }
    setsid().map_err(io::Error::from)?;
    chdir("/").map_err(io::Error::from)?;
    let null = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/null")?;
    dup2_stdin(&null).map_err(io::Error::from)?;
    dup2_stdout(&null).map_err(io::Error::from)?;
    dup2_stderr(&null).map_err(io::Error::from)?;
    Ok(())
}

/// A non-blocking, close-on-exec raw IP socket (`AF_INET6` when `ipv6`,
/// else `AF_INET`) for IP protocol `protocol`. nix's `SockProtocol` has no
/// VRRP (112) or AH (51), hence this wrapper.
pub fn raw_ip_socket(ipv6: bool, protocol: u8) -> io::Result<std::os::fd::OwnedFd> {
    use nix::libc;
    use std::os::fd::FromRawFd;
    let domain = if ipv6 { libc::AF_INET6 } else { libc::AF_INET };
    let kind = libc::SOCK_RAW | libc::SOCK_NONBLOCK | libc::SOCK_CLOEXEC;
    // SAFETY: socket(2) takes three integers and touches no memory of ours.
    let fd = unsafe { libc::socket(domain, kind, libc::c_int::from(protocol)) };
    if fd < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: `fd` is a fresh descriptor that nothing else owns or closes.
    Ok(unsafe { std::os::fd::OwnedFd::from_raw_fd(fd) })
}

/// setsockopt(2) with the bytes of `value` (a plain C struct or integer).
fn set_sockopt_value<T: Copy>(
    fd: std::os::fd::BorrowedFd<'_>,
    level: i32,
    name: i32,
    value: &T,
) -> io::Result<()> {
    use nix::libc;
    use std::os::fd::AsRawFd;
    let len = libc::socklen_t::try_from(std::mem::size_of::<T>())
        .map_err(|_| io::Error::from(io::ErrorKind::InvalidInput))?;
    // SAFETY: `value` points to `len` readable bytes that live for the whole
    // call; the kernel only reads them (copying at most `len` bytes) and
    // keeps no pointer. `fd` is a valid descriptor borrowed for the call.
    let rc =
        unsafe { libc::setsockopt(fd.as_raw_fd(), level, name, (value as *const T).cast(), len) };
    if rc < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(())
    }
}

/// An integer socket option nix does not wrap (`IP_MULTICAST_ALL`,
/// `IP_HDRINCL`, `IPV6_CHECKSUM`, `IPV6_MULTICAST_LOOP`).
pub fn set_int_sockopt(
    fd: std::os::fd::BorrowedFd<'_>,
    level: i32,
    name: i32,
    value: i32,
) -> io::Result<()> {
    set_sockopt_value(fd, level, name, &value)
}

/// IP_ADD_MEMBERSHIP of `group` on interface `ifindex` (an `ip_mreqn`:
/// nix's request takes an interface address, not an index).
pub fn join_ipv4_group(
    fd: std::os::fd::BorrowedFd<'_>,
    group: std::net::Ipv4Addr,
    ifindex: u32,
) -> io::Result<()> {
    use nix::libc;
    let mreq = libc::ip_mreqn {
        imr_multiaddr: libc::in_addr {
            s_addr: u32::from(group).to_be(),
        },
        imr_address: libc::in_addr { s_addr: 0 },
        imr_ifindex: libc::c_int::try_from(ifindex)
            .map_err(|_| io::Error::from(io::ErrorKind::InvalidInput))?,
    };
    set_sockopt_value(fd, libc::IPPROTO_IP, libc::IP_ADD_MEMBERSHIP, &mreq)
}

/// IPV6_ADD_MEMBERSHIP of `group` on interface `ifindex` (nix's request
/// always has interface 0).
pub fn join_ipv6_group(
    fd: std::os::fd::BorrowedFd<'_>,
    group: std::net::Ipv6Addr,
    ifindex: u32,
) -> io::Result<()> {
    use nix::libc;
    let mreq = libc::ipv6_mreq {
        ipv6mr_multiaddr: libc::in6_addr {
            s6_addr: group.octets(),
        },
        ipv6mr_interface: ifindex,
    };
    set_sockopt_value(fd, libc::IPPROTO_IPV6, libc::IPV6_ADD_MEMBERSHIP, &mreq)
}

/// sendto(2) of a whole link-layer `frame` (its own Ethernet header
/// included: the socket is `AF_PACKET`/`SOCK_RAW`) out of interface
/// `ifindex`. `protocol` (an EtherType, host byte order) becomes the
/// packet's protocol, as `sll_protocol` of the destination address; `dst`
/// fills `sll_addr`, which the kernel ignores for `SOCK_RAW` but keepalived
/// sets too. Returns the number of bytes sent. nix offers no safe way to
/// build a `sockaddr_ll`, hence this wrapper.
pub fn packet_send_to(
    fd: std::os::fd::BorrowedFd<'_>,
    ifindex: u32,
    protocol: u16,
    dst: [u8; 6],
    frame: &[u8],
) -> io::Result<usize> {
    use nix::libc;
    use std::os::fd::AsRawFd;
    let mut sll_addr = [0u8; 8];
    sll_addr[..6].copy_from_slice(&dst);
    let addr = libc::sockaddr_ll {
        sll_family: libc::AF_PACKET as libc::c_ushort,
        sll_protocol: protocol.to_be(),
        sll_ifindex: libc::c_int::try_from(ifindex)
            .map_err(|_| io::Error::from(io::ErrorKind::InvalidInput))?,
        sll_hatype: libc::ARPHRD_ETHER,
        sll_pkttype: 0,
        sll_halen: 6,
        sll_addr,
    };
    let addr_len = libc::socklen_t::try_from(std::mem::size_of::<libc::sockaddr_ll>())
        .map_err(|_| io::Error::from(io::ErrorKind::InvalidInput))?;
    // SAFETY: `frame` is `frame.len()` readable bytes and `addr` a fully
    // initialised `sockaddr_ll` of `addr_len` bytes, both living for the
    // whole call; the kernel only reads them and keeps no pointer. `fd` is
    // a valid descriptor borrowed for the call.
    let rc = unsafe {
        libc::sendto(
            fd.as_raw_fd(),
            frame.as_ptr().cast(),
            frame.len(),
            0,
            (&raw const addr).cast(),
            addr_len,
        )
    };
    // A negative return is the only failure; any other value fits a usize.
    usize::try_from(rc).map_err(|_| io::Error::last_os_error())
}

/// The identity a script's child takes before exec, decided in the parent.
#[derive(Clone, Copy, Debug)]
struct ScriptIds {
    /// Group to setgid to (`None`: keep ours).
    gid: Option<u32>,
    /// The one supplementary group left (keepalived's `setgroups(1, &gid)`),
    /// `None` when no identity was asked for.
    groups: Option<u32>,
    /// User to setuid to (`None`: keep ours).
    uid: Option<u32>,
}

/// Make `cmd`'s child start as keepalived starts a script (lib/notify.c
/// `system_call_script` / `set_script_env`, lib/signals.c
/// `signal_handler_script`), just before exec:
///
/// * when `uid` or `gid` is given: setgid(gid), setgroups([gid]) (keepalived
///   leaves the script's group as the only supplementary one; EPERM is
///   ignored so an unprivileged daemon can run scripts as itself), setuid(uid);
/// * a realtime scheduling policy inherited from the daemon is reset to
///   SCHED_OTHER (keepalived's `reset_process_priorities`);
/// * every signal disposition back to SIG_DFL and an empty signal mask (the
///   daemon ignores and catches signals; ignored ones would survive exec);
/// * PR_SET_PDEATHSIG = SIGTERM, set after the identity change (which clears
///   it), then a check that the parent did not die before it took effect;
/// * close-on-exec on every descriptor from 3 up (close_range(2) with
///   CLOSE_RANGE_CLOEXEC, or fcntl one by one on kernels before 5.11), so
///   nothing of the daemon leaks into scripts even if opened without it.
///
/// stdio, the process group and the program are `cmd`'s own settings. A
/// failing step makes `spawn` return that error (the child exits at once).
/// The death signal goes to the child when the *thread* that spawned it
/// ends: the daemon is single-threaded, so that is the daemon's death.
pub fn script_child_setup(cmd: &mut std::process::Command, uid: Option<u32>, gid: Option<u32>) {
    use nix::libc;
    use nix::sys::resource::{Resource, getrlimit};
    use nix::sys::signal::{SigSet, SigmaskHow, Signal, sigprocmask};
    use nix::unistd::{getppid, setgid, setgroups, setuid};
    use std::os::unix::process::CommandExt;

    let ids = ScriptIds {
        gid,
        groups: (uid.is_some() || gid.is_some())
            .then(|| gid.unwrap_or_else(|| nix::unistd::getgid().as_raw())),
        uid,
    };
    let parent = nix::unistd::getpid();
    let sigmax = sigrtmax();
    // Bound for the one-by-one close-on-exec fallback.
    let max_fd = getrlimit(Resource::RLIMIT_NOFILE)
        .map(|(soft, _)| soft.min(65_536))
        .unwrap_or(1_024) as libc::c_int;
    let setup = move || -> io::Result<()> {
        // Only async-signal-safe system calls from here on: this runs in
        // the forked child of a possibly multi-threaded process.
        if let Some(g) = ids.gid {
            setgid(Gid::from_raw(g))?;
        }
        if let Some(g) = ids.groups {
            match setgroups(&[Gid::from_raw(g)]) {
                Ok(()) | Err(nix::errno::Errno::EPERM) => {}
                Err(e) => return Err(e.into()),
            }
        }
        if let Some(u) = ids.uid {
            setuid(Uid::from_raw(u))?;
        }
        // SAFETY: sched_getscheduler/sched_setscheduler on pid 0 (this
        // process) only read `param`, a live local, during the call.
        unsafe {
            let policy = libc::sched_getscheduler(0);
            if policy == libc::SCHED_FIFO || policy == libc::SCHED_RR {
                let param = libc::sched_param { sched_priority: 0 };
                libc::sched_setscheduler(0, libc::SCHED_OTHER, &raw const param);
            }
        }
        // The raw system call, because the C library refuses to touch the
        // signals it reserves (32, 33), and glibc's posix_spawn leaves them
        // ignored in what it starts: the daemon may have inherited that.
        let dfl = [0u64; 8];
        for sig in 1..=sigmax {
            if sig == libc::SIGKILL || sig == libc::SIGSTOP {
                continue;
            }
            // SAFETY: rt_sigaction reads the kernel's `struct sigaction`
            // (at most 64 bytes) from `dfl`, a live zeroed buffer, and
            // writes nothing (null old action). All zeroes is SIG_DFL, no
            // flags, an empty mask in every Linux layout; 8 is the kernel's
            // sigset size. Installing SIG_DFL runs no code of ours.
            let rc = unsafe {
                libc::syscall(
                    libc::SYS_rt_sigaction,
                    sig as libc::c_long,
                    dfl.as_ptr(),
                    std::ptr::null::<u64>(),
                    8 as libc::c_long,
                )
            };
            if rc != 0 {
                // SAFETY: as above, through the C library (EINVAL for the
                // signals it reserves is fine to ignore).
                unsafe {
                    libc::signal(sig, libc::SIG_DFL);
                }
            }
        }
        sigprocmask(SigmaskHow::SIG_SETMASK, Some(&SigSet::empty()), None)?;
        nix::sys::prctl::set_pdeathsig(Signal::SIGTERM)?;
        if getppid() != parent {
            // The daemon died before the death signal was armed.
            return Err(io::Error::from_raw_os_error(libc::ESRCH));
        }
        // SAFETY: close_range(2) takes plain integers and only changes
        // descriptor flags of this process.
        let rc = unsafe {
            libc::syscall(
                libc::SYS_close_range,
                3 as libc::c_uint,
                libc::c_uint::MAX,
                libc::CLOSE_RANGE_CLOEXEC,
            )
        };
        if rc != 0 {
            for fd in 3..max_fd {
                // SAFETY: F_SETFD on a descriptor number only sets its
                // flags (EBADF for numbers not open, ignored).
                unsafe {
                    libc::fcntl(fd, libc::F_SETFD, libc::FD_CLOEXEC);
                }
            }
        }
        Ok(())
    };
    // SAFETY: `setup` runs between fork and exec. It allocates nothing,
    // takes no lock and makes only async-signal-safe system calls
    // (setgid, setgroups, setuid, sched_*, rt_sigaction, sigprocmask, prctl,
    // getppid, close_range, fcntl), on values copied into the closure.
    unsafe {
        cmd.pre_exec(setup);
    }
}

/// waitpid(`pid`, WNOHANG) (`pid` -1: any child): `Some((pid, raw wait
/// status))` for a child reaped, `None` when none has changed state. EINTR
/// is retried. Raw status, because nix's `WaitStatus` cannot name a
/// real-time signal and would lose a child killed by one after reaping it.
pub fn waitpid_nohang(pid: i32) -> io::Result<Option<(i32, i32)>> {
    use nix::libc;
    loop {
        let mut status: libc::c_int = 0;
        // SAFETY: `status` is a live local the kernel writes one int into.
        let rc = unsafe { libc::waitpid(pid, &raw mut status, libc::WNOHANG) };
        match rc {
            0 => return Ok(None),
            p if p > 0 => return Ok(Some((p, status))),
            _ => {
                let e = io::Error::last_os_error();
                if e.kind() != io::ErrorKind::Interrupted {
                    return Err(e);
                }
            }
        }
    }
}

/// Set `sig` to SIG_IGN for the whole process (tests: prove children start
/// with default dispositions).
#[cfg(test)]
pub(crate) fn ignore_signal(sig: i32) -> io::Result<()> {
    use nix::libc;
    // SAFETY: SIG_IGN runs no code of ours in a signal context.
    let old = unsafe { libc::signal(sig, libc::SIG_IGN) };
    if old == libc::SIG_ERR {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lo_is_loopback() {
        let lo = RealHost.interface("lo").expect("lo exists");
        assert!(lo.loopback);
        assert!(lo.index >= 1);
    }

    #[test]
    fn missing_interface_is_none() {
        assert_eq!(RealHost.interface("no-such-if0"), None);
        assert_eq!(RealHost.interface(""), None);
        assert_eq!(RealHost.interface("a\0b"), None);
    }

    #[test]
    fn root_user_and_group_exist() {
        assert_eq!(RealHost.user("root"), Some((0, 0)));
        assert_eq!(RealHost.group("root"), Some(0));
        assert_eq!(RealHost.user("no-such-user-kars"), None);
    }

    #[test]
    fn sh_is_executable_by_root() {
        assert!(RealHost.executable_by(Path::new("/bin/sh"), 0, 0));
        assert!(!RealHost.executable_by(Path::new("/no/such/file"), 0, 0));
        // root still needs an x bit on a regular file
        assert!(!RealHost.executable_by(Path::new("/etc/passwd"), 0, 0));
    }

    #[test]
    fn permission_triples() {
        let f = Owner {
            uid: 10,
            gid: 20,
            mode: 0o100750,
        };
        assert!(may_execute(&f, 10, &[99]));
        assert!(may_execute(&f, 11, &[20]));
        assert!(!may_execute(&f, 11, &[21]));
        let o = Owner {
            uid: 10,
            gid: 20,
            mode: 0o100601,
        };
        // owner triple wins even when "other" would allow it
        assert!(!may_execute(&o, 10, &[20]));
        assert!(may_execute(&o, 12, &[21]));
        assert!(may_execute(
            &Owner {
                uid: 1,
                gid: 1,
                mode: 0o100001
            },
            0,
            &[0]
        ));
        assert!(!may_execute(
            &Owner {
                uid: 1,
                gid: 1,
                mode: 0o100644
            },
            0,
            &[0]
        ));
    }

    #[test]
    fn owner_lstat_and_stat() {
        let o = RealHost.owner(Path::new("/"), false).expect("/ exists");
        assert!(o.is_dir());
        assert_eq!(o.uid, 0);
        assert!(RealHost.owner(Path::new("/no/such"), true).is_err());
    }

    #[test]
    fn realtime_signals_and_names() {
        assert!(sigrtmin() >= 32 && sigrtmin() < sigrtmax());
        assert!(!node_name().is_empty());
        assert!(!RealHost.path_env().is_empty());
        assert!(!kernel().1.is_empty());
    }
}
