//! systemd's readiness protocol (`sd_notify`): datagrams like `READY=1` to
//! the unix socket named by `$NOTIFY_SOCKET` (a path, or `@name` for the
//! abstract namespace). Debian's keepalived unit is `Type=notify`, so a
//! drop-in daemon must say READY=1 once it serves, RELOADING=1/READY=1
//! around a reload and STOPPING=1 when it stops; without `$NOTIFY_SOCKET`
//! every call does nothing.

use std::io;
use std::os::linux::net::SocketAddrExt;
use std::os::unix::net::{SocketAddr, UnixDatagram};

pub struct SdNotify {
    target: Option<(UnixDatagram, SocketAddr)>,
}

impl SdNotify {
    /// From `$NOTIFY_SOCKET` (none: a notifier that does nothing).
    pub fn from_env() -> SdNotify {
        match std::env::var_os("NOTIFY_SOCKET") {
            Some(p) => Self::to(&p.to_string_lossy()).unwrap_or(SdNotify { target: None }),
            None => SdNotify { target: None },
        }
    }

    /// A notifier for the socket `name` (a path, or `@abstract`).
    pub fn to(name: &str) -> io::Result<SdNotify> {
        let addr = match name.strip_prefix('@') {
            Some(a) => SocketAddr::from_abstract_name(a.as_bytes())?,
            None => SocketAddr::from_pathname(name)?,
        };
        let sock = UnixDatagram::unbound()?;
        Ok(SdNotify {
            target: Some((sock, addr)),
        })
    }

    pub fn enabled(&self) -> bool {
        self.target.is_some()
    }

    /// Send `state` (`KEY=VALUE` lines); errors are returned for the caller
    /// to log once, never fatal.
    pub fn notify(&self, state: &str) -> io::Result<()> {
        match &self.target {
            Some((sock, addr)) => sock.send_to_addr(state.as_bytes(), addr).map(|_| ()),
            None => Ok(()),
        }
    }
}

/// `CLOCK_MONOTONIC` in microseconds, for `MONOTONIC_USEC=` with
/// `RELOADING=1` (systemd 253+ `Type=notify-reload` wants it).
pub fn monotonic_usec() -> u64 {
    nix::time::clock_gettime(nix::time::ClockId::CLOCK_MONOTONIC)
        .map(|t| (t.tv_sec() as u64) * 1_000_000 + (t.tv_nsec() as u64) / 1_000)
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sends_to_a_path_socket() {
        let dir = std::env::temp_dir().join(format!("kr-sdn-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("notify.sock");
        let _ = std::fs::remove_file(&path);
        let rx = UnixDatagram::bind(&path).unwrap();
        let n = SdNotify::to(path.to_str().unwrap()).unwrap();
        assert!(n.enabled());
        n.notify("READY=1\nSTATUS=serving").unwrap();
        let mut buf = [0u8; 64];
        let got = rx.recv(&mut buf).unwrap();
        assert_eq!(&buf[..got], b"READY=1\nSTATUS=serving");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn sends_to_an_abstract_socket() {
        let name = format!("kr-sdn-test-{}", std::process::id());
        let rx = UnixDatagram::bind_addr(&SocketAddr::from_abstract_name(name.as_bytes()).unwrap())
            .unwrap();
        SdNotify::to(&format!("@{name}"))
            .unwrap()
            .notify("STOPPING=1")
            .unwrap();
        let mut buf = [0u8; 16];
        let got = rx.recv(&mut buf).unwrap();
        assert_eq!(&buf[..got], b"STOPPING=1");
    }

    #[test]
    fn without_a_socket_nothing_happens() {
        let n = SdNotify { target: None };
        assert!(!n.enabled());
        n.notify("READY=1").unwrap();
    }
}
