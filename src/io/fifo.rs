//! The notify FIFO (`notify_fifo`, `vrrp_notify_fifo`; KEEPALIVED.md §10.2,
//! lib/notify.c `fifo_open`/`fifo_close`, vrrp_notify.c `notify_fifo`).
//!
//! keepalived creates the FIFO if it is missing (mkfifo mode 0644, less the
//! process umask — 0600 under keepalived's default umask 0177 — then chowned
//! to the configured user/group), starts the FIFO script if there is one,
//! then opens the FIFO `O_RDWR | O_NONBLOCK | O_NOFOLLOW`: holding a read
//! end itself, a write never fails for lack of a reader (no SIGPIPE, no
//! ENXIO) and never blocks; when the pipe is full the line is dropped. The
//! FIFO is unlinked at close if keepalived created it (before closing, so a
//! reader looping on reopen cannot reopen it).
//!
//! [`NotifyFifo::create`] is the first half (mkfifo + chown), so the daemon
//! can start `vrrp_notify_fifo_script` in between, as keepalived does;
//! [`Created::open`] the second. [`NotifyFifo::open`] does both.

use nix::libc;
use nix::sys::stat::Mode;
use nix::unistd::{Gid, Uid, chown, mkfifo};
use std::fmt;
use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

/// Why a FIFO could not be set up, for keepalived's two messages.
#[derive(Debug)]
pub enum FifoError {
    /// mkfifo failed other than with EEXIST: "Unable to create %snotify
    /// fifo %s".
    Create(io::Error),
    /// open failed (a symbolic link: ELOOP): "Unable to open %snotify fifo
    /// %s - errno %d". A FIFO we had just created is removed again.
    Open(io::Error),
}

impl fmt::Display for FifoError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FifoError::Create(e) => write!(f, "cannot create fifo: {e}"),
            FifoError::Open(e) => write!(f, "cannot open fifo: {e}"),
        }
    }
}

impl std::error::Error for FifoError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            FifoError::Create(e) | FifoError::Open(e) => Some(e),
        }
    }
}

/// A FIFO path that exists, not opened yet. Dropped unopened, it removes a
/// FIFO it created.
#[derive(Debug)]
pub struct Created {
    path: PathBuf,
    created: bool,
    chown_error: Option<io::Error>,
}

impl Created {
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether mkfifo made it (then it is removed at close).
    pub fn created(&self) -> bool {
        self.created
    }

    /// The chown to the configured owner failed: keepalived logs "Failed to
    /// set uid:gid for fifo %s" and goes on.
    pub fn chown_error(&self) -> Option<&io::Error> {
        self.chown_error.as_ref()
    }

    /// Open it for writing lines (see the module documentation).
    pub fn open(mut self) -> Result<NotifyFifo, FifoError> {
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .custom_flags(libc::O_NONBLOCK | libc::O_NOFOLLOW)
            .open(&self.path)
            .map_err(FifoError::Open)?;
        let created = std::mem::replace(&mut self.created, false);
        Ok(NotifyFifo {
            file,
            path: std::mem::take(&mut self.path),
            created,
            dropped: 0,
            overflowing: false,
        })
    }
}

impl Drop for Created {
    fn drop(&mut self) {
        if self.created {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// What became of one line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[must_use]
pub enum Delivery {
    /// The whole line is in the pipe.
    Written,
    /// The pipe was full (the reader is too slow or absent): the line was
    /// dropped. `first` is true for the first line dropped since the FIFO
    /// was opened or last accepted a line: log then, once per overflow.
    Dropped { first: bool },
}

/// An open notify FIFO.
#[derive(Debug)]
pub struct NotifyFifo {
    file: File,
    path: PathBuf,
    created: bool,
    dropped: u64,
    overflowing: bool,
}

impl NotifyFifo {
    /// Make sure a FIFO exists at `path`: mkfifo with mode 0644 (less the
    /// umask) if nothing is there; when we made it and `owner` (uid, gid)
    /// differs from our effective ids, chown the parts that differ. An
    /// existing file of any kind is left as it is (keepalived opens it
    /// anyway).
    pub fn create(path: impl AsRef<Path>, owner: Option<(u32, u32)>) -> Result<Created, FifoError> {
        let path = path.as_ref().to_path_buf();
        let created = match mkfifo(&path, Mode::from_bits_truncate(0o644)) {
            Ok(()) => true,
            Err(nix::errno::Errno::EEXIST) => false,
            Err(e) => return Err(FifoError::Create(e.into())),
        };
        let mut chown_error = None;
        if created && let Some((uid, gid)) = owner {
            let uid = (uid != nix::unistd::geteuid().as_raw()).then(|| Uid::from_raw(uid));
            let gid = (gid != nix::unistd::getegid().as_raw()).then(|| Gid::from_raw(gid));
            if uid.is_some() || gid.is_some() {
                chown_error = chown(&path, uid, gid).err().map(io::Error::from);
            }
        }
        Ok(Created {
            path,
            created,
            chown_error,
        })
    }

    /// [`NotifyFifo::create`] then [`Created::open`].
    pub fn open(
        path: impl AsRef<Path>,
        owner: Option<(u32, u32)>,
    ) -> Result<NotifyFifo, FifoError> {
        NotifyFifo::create(path, owner)?.open()
    }

    /// Write `line` and a newline in one write(2). Lines up to PIPE_BUF
    /// (4096) bytes are all or nothing: a reader never sees half of one. A
    /// longer line may go in part when the pipe fills; it then counts as
    /// dropped. A full pipe drops the line ([`Delivery::Dropped`]); other
    /// write errors are returned (the line is counted as dropped too).
    pub fn write_line(&mut self, line: &str) -> io::Result<Delivery> {
        let mut buf = Vec::with_capacity(line.len() + 1);
        buf.extend_from_slice(line.as_bytes());
        buf.push(b'\n');
        let r = loop {
            match self.file.write(&buf) {
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                r => break r,
            }
        };
        match r {
            Ok(n) if n == buf.len() => {
                self.overflowing = false;
                Ok(Delivery::Written)
            }
            Ok(_) => Ok(self.drop_line()),
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => Ok(self.drop_line()),
            Err(e) => {
                let _ = self.drop_line();
                Err(e)
            }
        }
    }

    fn drop_line(&mut self) -> Delivery {
        self.dropped += 1;
        let first = !self.overflowing;
        self.overflowing = true;
        Delivery::Dropped { first }
    }

    /// Lines dropped since the FIFO was opened.
    pub fn dropped(&self) -> u64 {
        self.dropped
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether we made the FIFO (it is removed when this is dropped).
    pub fn created(&self) -> bool {
        self.created
    }
}

impl Drop for NotifyFifo {
    /// Unlink a FIFO we created, then close it (the field drops after).
    fn drop(&mut self) {
        if self.created {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;
    use std::os::unix::fs::{FileTypeExt, MetadataExt};
    use std::time::{Duration, Instant};

    struct TempDir(PathBuf);

    impl TempDir {
        fn new(name: &str) -> TempDir {
            use std::sync::atomic::{AtomicU32, Ordering};
            static N: AtomicU32 = AtomicU32::new(0);
            let p = std::env::temp_dir().join(format!(
                "krs-fifo-{}-{name}-{}",
                std::process::id(),
                N.fetch_add(1, Ordering::Relaxed)
            ));
            std::fs::create_dir_all(&p).expect("temp dir");
            TempDir(p)
        }
        fn path(&self, name: &str) -> PathBuf {
            self.0.join(name)
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn umask() -> u32 {
        let s = std::fs::read_to_string("/proc/self/status").unwrap();
        let v = s.lines().find_map(|l| l.strip_prefix("Umask:")).unwrap();
        u32::from_str_radix(v.trim(), 8).unwrap()
    }

    /// A second, non-blocking reader of the FIFO.
    fn reader(p: &Path) -> File {
        OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NONBLOCK)
            .open(p)
            .unwrap()
    }

    /// Everything readable now.
    fn drain(r: &mut File) -> Vec<u8> {
        let mut out = Vec::new();
        let mut buf = [0u8; 8192];
        loop {
            match r.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => out.extend_from_slice(&buf[..n]),
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                Err(e) => panic!("read: {e}"),
            }
        }
        out
    }

    #[test]
    fn lines_arrive_in_order() {
        let d = TempDir::new("order");
        let p = d.path("fifo");
        let mut f = NotifyFifo::open(&p, None).unwrap();
        // A blocking reader opens at once: we hold a write end.
        let mut r = File::open(&p).unwrap();
        let lines = [
            r#"INSTANCE "VI_1" MASTER 150"#,
            r#"GROUP "G1" BACKUP 0"#,
            r#"INSTANCE "VI_2" FAULT 100"#,
        ];
        for l in lines {
            assert_eq!(f.write_line(l).unwrap(), Delivery::Written);
        }
        let want: String = lines.iter().map(|l| format!("{l}\n")).collect();
        let mut got = vec![0u8; want.len()];
        r.read_exact(&mut got).unwrap();
        assert_eq!(String::from_utf8(got).unwrap(), want);
        assert_eq!(f.dropped(), 0);
    }

    #[test]
    fn created_with_mode_and_removed_at_close() {
        let d = TempDir::new("create");
        let p = d.path("fifo");
        let f = NotifyFifo::open(&p, None).unwrap();
        assert!(f.created());
        let m = std::fs::symlink_metadata(&p).unwrap();
        assert!(m.file_type().is_fifo());
        assert_eq!(m.mode() & 0o7777, 0o644 & !umask());
        drop(f);
        assert!(!p.exists(), "a fifo we made is removed");

        // An existing one is used and left in place.
        mkfifo(&p, Mode::from_bits_truncate(0o600)).unwrap();
        let mut f = NotifyFifo::open(&p, None).unwrap();
        assert!(!f.created());
        assert_eq!(f.write_line("x").unwrap(), Delivery::Written);
        drop(f);
        assert!(std::fs::symlink_metadata(&p).unwrap().file_type().is_fifo());
    }

    #[test]
    fn owner_is_set_on_a_created_fifo() {
        let d = TempDir::new("owner");
        let p = d.path("fifo");
        let c = NotifyFifo::create(&p, Some((65534, 65534))).unwrap();
        let m = std::fs::metadata(&p).unwrap();
        if nix::unistd::geteuid().is_root() {
            assert!(c.chown_error().is_none());
            assert_eq!((m.uid(), m.gid()), (65534, 65534));
        } else {
            assert!(c.chown_error().is_some());
        }
        // Dropped unopened: removed, as keepalived does when open fails.
        drop(c);
        assert!(!p.exists());
    }

    #[test]
    fn setup_failures() {
        let d = TempDir::new("fail");
        let e = NotifyFifo::open(d.path("no/such/dir/fifo"), None).unwrap_err();
        assert!(
            matches!(&e, FifoError::Create(e) if e.kind() == io::ErrorKind::NotFound),
            "{e}"
        );
        // O_NOFOLLOW: a symbolic link to a fifo is refused.
        let target = d.path("target");
        mkfifo(&target, Mode::from_bits_truncate(0o600)).unwrap();
        let link = d.path("link");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let e = NotifyFifo::open(&link, None).unwrap_err();
        assert!(
            matches!(&e, FifoError::Open(e) if e.raw_os_error() == Some(libc::ELOOP)),
            "{e}"
        );
        assert!(std::fs::symlink_metadata(&link).is_ok(), "not ours: kept");
    }

    #[test]
    fn no_reader_and_full_pipe_never_block() {
        let d = TempDir::new("full");
        let p = d.path("fifo");
        let mut f = NotifyFifo::open(&p, None).unwrap();
        let line = format!("INSTANCE \"{}\" MASTER 150", "V".repeat(90));
        let started = Instant::now();
        // Nobody reads: the pipe fills (64 KiB by default), then lines drop.
        let mut written = 0usize;
        let first = loop {
            match f.write_line(&line).unwrap() {
                Delivery::Written => written += 1,
                d => break d,
            }
            assert!(written < 1_000_000, "pipe never filled");
        };
        assert_eq!(first, Delivery::Dropped { first: true });
        assert!(written > 0);
        for n in 2..=50 {
            assert_eq!(
                f.write_line(&line).unwrap(),
                Delivery::Dropped { first: false }
            );
            assert_eq!(f.dropped(), n);
        }
        assert!(started.elapsed() < Duration::from_secs(5));

        // A reader catches up: whole lines only, then writes go through and
        // the next overflow is reported again.
        let mut r = reader(&p);
        let got = drain(&mut r);
        assert_eq!(got.len(), written * (line.len() + 1));
        assert!(
            got.split(|b| *b == b'\n')
                .all(|l| l.is_empty() || l == line.as_bytes())
        );
        assert_eq!(f.write_line("after").unwrap(), Delivery::Written);
        assert_eq!(drain(&mut r), b"after\n");
        let again = loop {
            match f.write_line(&line).unwrap() {
                Delivery::Written => {}
                d => break d,
            }
        };
        assert_eq!(again, Delivery::Dropped { first: true });
        assert_eq!(f.dropped(), 51);
    }
}
