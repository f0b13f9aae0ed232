//! Pid files: keepalived's naming rules, the "already running" check, and
//! the files our one process writes.
//!
//! keepalived 2.2.7 writes one pid file per process: the parent's
//! (`/run/keepalived.pid`) and the VRRP child's (`/run/vrrp.pid`). We run as a
//! single process, so its pid goes into *both* files; scripts and units that
//! read either keep working.
//!
//! What keepalived does, and what we do (keepalived: `keepalived/core/pidfile.c`,
//! `keepalived/core/main.c`):
//! * content `"PID\n"`, mode 0644, opened with `O_NOFOLLOW|O_CREAT|O_WRONLY`
//!   and truncated, removed at exit;
//! * a pid file naming a live process means "daemon is already running";
//!   one naming a dead process is removed ("Remove a zombie pid file %s").
//!
//! Hardening beyond keepalived (issue 7: never follow a symlink we did not
//! expect): the last path component is never followed when writing, the file
//! must be a regular file with a single link *before* it is truncated, a
//! symlinked `/run/keepalived` is refused, and at exit a file is removed only
//! if it still holds our pid.
//!
//! This module owns paths and file contents only: it never logs (notices are
//! handed back for the caller to log) and never decides exit codes.

use nix::errno::Errno;
use nix::sys::signal::kill;
use nix::unistd::Pid;
use std::fmt;
use std::fs::{self, DirBuilder, File, OpenOptions, Permissions};
use std::io::{self, Read, Write};
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// keepalived's RUNSTATEDIR: where the default pid files live.
pub const RUN_DIR: &str = "/run";
/// keepalived's KEEPALIVED_PID_DIR, used with `net_namespace`, `instance`
/// or `use_pid_dir`; created 0755 on demand and removed at exit when empty.
pub const PID_DIR: &str = "/run/keepalived";

/// Mode of a pid file (keepalived: S_IRUSR|S_IWUSR|S_IRGRP|S_IROTH).
const FILE_MODE: u32 = 0o644;
/// Mode of [`PID_DIR`] when we create it (keepalived: rwxr-xr-x).
const DIR_MODE: u32 = 0o755;
/// More than any pid file holds; a larger file is not a pid file.
const MAX_READ: u64 = 64;
/// How often a create retries when a concurrently exiting keepalived removed
/// the empty [`PID_DIR`] between our `mkdir` and `open`.
const DIR_RETRIES: u32 = 3;

/// The two pid files: keepalived's parent and VRRP child files.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PidPaths {
    /// The parent's file (`-p/--pid`).
    pub main: PathBuf,
    /// The VRRP child's file (`-r/--vrrp_pid`).
    pub vrrp: PathBuf,
}

impl PidPaths {
    /// keepalived's naming rules (2.2.7 `main.c`, after the config is read):
    ///
    /// * `-p FILE` / `-r FILE` are used as given and win over everything below
    ///   (a relative name is relative to the working directory).
    /// * The pid directory [`PID_DIR`] is used when `use_pid_dir` is set, or
    ///   `instance` or `net_namespace` is configured (`-s` counts as
    ///   `net_namespace`). The namespace itself never appears in a name.
    /// * With `instance NAME`: `/run/keepalived/keepalived_NAME.pid` and
    ///   `/run/keepalived/vrrp_NAME.pid`.
    /// * Pid directory without instance: `/run/keepalived/keepalived.pid`
    ///   and `/run/keepalived/vrrp.pid`.
    /// * Otherwise: `/run/keepalived.pid` and `/run/vrrp.pid` (the man page's
    ///   `/run/keepalived_vrrp.pid` is wrong).
    pub fn from_options(
        pid: Option<&str>,
        vrrp_pid: Option<&str>,
        instance: Option<&str>,
        use_pid_dir: bool,
        net_namespace: Option<&str>,
    ) -> PidPaths {
        let in_dir = use_pid_dir || instance.is_some() || net_namespace.is_some();
        let name = |given: Option<&str>, stem: &str| match given {
            Some(path) => PathBuf::from(path),
            None => default_path(stem, instance, in_dir),
        };
        PidPaths {
            main: name(pid, "keepalived"),
            vrrp: name(vrrp_pid, "vrrp"),
        }
    }
}

/// `/run/STEM.pid`, `/run/keepalived/STEM.pid` or `/run/keepalived/STEM_NAME.pid`.
fn default_path(stem: &str, instance: Option<&str>, in_dir: bool) -> PathBuf {
    match (instance, in_dir) {
        (Some(name), _) => Path::new(PID_DIR).join(format!("{stem}_{name}.pid")),
        (None, true) => Path::new(PID_DIR).join(format!("{stem}.pid")),
        (None, false) => Path::new(RUN_DIR).join(format!("{stem}.pid")),
    }
}

/// What a pid file says about a running daemon.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Running {
    /// No file, or it holds our own pid.
    No,
    /// The file names a live process (one we may not signal counts as live).
    Yes(u32),
    /// The file names a process that does not exist.
    Stale(u32),
    /// The file exists but holds no pid (empty, garbage, not a regular file).
    /// keepalived logs "Error reading pid file %s", removes it and refuses to
    /// start this once; we remove it and start.
    Invalid,
}

/// Reads the pid file at `path` and checks whether its process exists.
///
/// Reading follows a symlink as keepalived does (a link to a live daemon's
/// file still means "running"); it never blocks on a FIFO and reads at most
/// 64 bytes. The pid is parsed like keepalived's `fscanf("%d")`: leading
/// blanks, then digits, anything after is ignored.
pub fn check_running(path: impl AsRef<Path>) -> Result<Running, io::Error> {
    let Some(text) = read_pid_text(path.as_ref(), false)? else {
        return Ok(Running::No);
    };
    let Some(pid) = parse_pid(&text) else {
        return Ok(Running::Invalid);
    };
    if pid == std::process::id() {
        return Ok(Running::No);
    }
    Ok(if process_exists(pid) {
        Running::Yes(pid)
    } else {
        Running::Stale(pid)
    })
}

/// The file's first bytes, `None` when there is no file; a file that is not
/// a regular file reads as empty. `nofollow` refuses a symlinked last component
/// (reported as empty too).
fn read_pid_text(path: &Path, nofollow: bool) -> io::Result<Option<String>> {
    let mut flags = libc_flags::NONBLOCK | libc_flags::CLOEXEC;
    if nofollow {
        flags |= libc_flags::NOFOLLOW;
    }
    let file = match OpenOptions::new().read(true).custom_flags(flags).open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) if nofollow && e.raw_os_error() == Some(Errno::ELOOP as i32) => {
            return Ok(Some(String::new()));
        }
        Err(e) => return Err(e),
    };
    if !file.metadata()?.is_file() {
        return Ok(Some(String::new()));
    }
    let mut bytes = Vec::new();
    file.take(MAX_READ).read_to_end(&mut bytes)?;
    Ok(Some(String::from_utf8_lossy(&bytes).into_owned()))
}

/// Leading blanks then a positive decimal pid that fits a `pid_t`.
fn parse_pid(text: &str) -> Option<u32> {
    let text = text.trim_start();
    let end = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let pid: u32 = text[..end].parse().ok()?;
    (pid > 0 && i32::try_from(pid).is_ok()).then_some(pid)
}

/// `kill(pid, 0)`: only "no such process" means dead; EPERM means alive
/// (and any other failure is taken as alive, the safe answer).
fn process_exists(pid: u32) -> bool {
    let Ok(raw) = i32::try_from(pid) else {
        return false;
    };
    !matches!(kill(Pid::from_raw(raw), None), Err(Errno::ESRCH))
}

/// Open flags std does not name.
mod libc_flags {
    use nix::libc;
    pub const NOFOLLOW: i32 = libc::O_NOFOLLOW;
    pub const NONBLOCK: i32 = libc::O_NONBLOCK;
    pub const CLOEXEC: i32 = libc::O_CLOEXEC;
}

/// What went wrong with a pid file.
#[derive(Debug)]
pub enum PidFileError {
    /// A pid file names a live process (keepalived: "daemon is already running").
    AlreadyRunning { path: PathBuf, pid: u32 },
    /// The pid file, or the pid directory, is a symbolic link.
    Symlink { path: PathBuf },
    /// The pid file is not a plain file we may overwrite; `why` completes
    /// "it ..." (e.g. "is not a regular file", "has other hard links").
    NotPlain { path: PathBuf, why: &'static str },
    /// A system call failed.
    Io {
        path: PathBuf,
        op: IoOp,
        source: io::Error,
    },
}

/// The operation behind a [`PidFileError::Io`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IoOp {
    /// Reading an existing file for the running check.
    Read,
    /// Opening (creating) the file for writing.
    Open,
    /// Truncating, writing or chmod-ing the opened file.
    Write,
    /// Removing a stale or unreadable file.
    Remove,
    /// Creating or inspecting the pid directory.
    CreateDir,
}

impl PidFileError {
    /// The file or directory the error is about.
    pub fn path(&self) -> &Path {
        match self {
            PidFileError::AlreadyRunning { path, .. }
            | PidFileError::Symlink { path }
            | PidFileError::NotPlain { path, .. }
            | PidFileError::Io { path, .. } => path,
        }
    }

    fn io(path: &Path, op: IoOp, source: io::Error) -> PidFileError {
        PidFileError::Io {
            path: path.to_path_buf(),
            op,
            source,
        }
    }
}

impl fmt::Display for PidFileError {
    /// keepalived's wording where it has a line, followed by the OS reason.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PidFileError::AlreadyRunning { .. } => f.write_str("daemon is already running"),
            PidFileError::Symlink { path } => write!(
                f,
                "Refusing to use pid file {}: it is a symbolic link",
                path.display()
            ),
            PidFileError::NotPlain { path, why } => {
                write!(f, "Refusing to use pid file {}: it {why}", path.display())
            }
            PidFileError::Io { path, op, source } => {
                let path = path.display();
                match op {
                    IoOp::Read => write!(f, "Error reading pid file {path} ({source})"),
                    IoOp::Open => {
                        write!(f, "pidfile_write : Cannot open {path} pidfile ({source})")
                    }
                    IoOp::Write => {
                        write!(f, "pidfile_write : Cannot write {path} pidfile ({source})")
                    }
                    IoOp::Remove => write!(f, "Cannot remove pid file {path} ({source})"),
                    IoOp::CreateDir => write!(f, "Unable to create directory {path} ({source})"),
                }
            }
        }
    }
}

impl std::error::Error for PidFileError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            PidFileError::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// A pid file we wrote; dropping it removes the file if it still holds our
/// pid, then the pid directory if we manage it and it is now empty (as
/// keepalived does at exit).
///
/// Create it after daemonising: a forked copy that exits would remove it.
#[derive(Debug)]
pub struct PidFile {
    path: PathBuf,
    pid: u32,
    managed_dir: Option<PathBuf>,
}

impl PidFile {
    /// Writes `"PID\n"` to `path`, mode 0644 whatever the umask.
    ///
    /// The file is opened with `O_NOFOLLOW|O_CREAT|O_WRONLY` (a symlink is
    /// refused with [`PidFileError::Symlink`] naming the path, its target is
    /// never touched), checked to be a regular file with one link, then
    /// truncated and written — keepalived's `O_TRUNC`, moved after the check.
    /// When the parent directory is [`PID_DIR`] it is created 0755 if missing.
    pub fn create(path: impl AsRef<Path>, pid: u32) -> Result<PidFile, PidFileError> {
        create_in(path.as_ref(), pid, Path::new(PID_DIR))
    }

    /// Where the file is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The pid written into it.
    pub fn pid(&self) -> u32 {
        self.pid
    }
}

impl Drop for PidFile {
    fn drop(&mut self) {
        // Never follow a symlink here either: a link is not the file we wrote.
        let ours = matches!(read_pid_text(&self.path, true), Ok(Some(text))
            if parse_pid(&text) == Some(self.pid));
        if ours {
            let _ = fs::remove_file(&self.path);
        }
        if let Some(dir) = &self.managed_dir {
            // rmdir: only succeeds when empty, like keepalived's remove_pid_dir.
            let _ = fs::remove_dir(dir);
        }
    }
}

/// [`PidFile::create`] with the managed directory as a parameter (tests use
/// a temporary one).
fn create_in(path: &Path, pid: u32, pid_dir: &Path) -> Result<PidFile, PidFileError> {
    let managed_dir = path
        .parent()
        .filter(|parent| *parent == pid_dir)
        .map(Path::to_path_buf);
    let mut retries = 0;
    let mut file = loop {
        if let Some(dir) = &managed_dir {
            ensure_dir(dir)?;
        }
        match open_for_write(path) {
            Err(e) if e.kind() == io::ErrorKind::NotFound && managed_dir.is_some() => {
                if retries == DIR_RETRIES {
                    return Err(PidFileError::io(path, IoOp::Open, e));
                }
                retries += 1;
            }
            Err(e) => return Err(open_error(path, e)),
            Ok(file) => break file,
        }
    };
    check_plain(&file, path)?;
    if let Err(e) = write_pid(&mut file, pid) {
        let _ = fs::remove_file(path);
        return Err(PidFileError::io(path, IoOp::Write, e));
    }
    Ok(PidFile {
        path: path.to_path_buf(),
        pid,
        managed_dir,
    })
}

/// Creates the pid directory 0755 (exactly, if we create it) and refuses a
/// symlink or non-directory in its place.
fn ensure_dir(dir: &Path) -> Result<(), PidFileError> {
    match DirBuilder::new().mode(DIR_MODE).create(dir) {
        Ok(()) => fs::set_permissions(dir, Permissions::from_mode(DIR_MODE))
            .map_err(|e| PidFileError::io(dir, IoOp::CreateDir, e))?,
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(PidFileError::io(dir, IoOp::CreateDir, e)),
    }
    let meta = fs::symlink_metadata(dir).map_err(|e| PidFileError::io(dir, IoOp::CreateDir, e))?;
    if meta.file_type().is_symlink() {
        return Err(PidFileError::Symlink {
            path: dir.to_path_buf(),
        });
    }
    if !meta.is_dir() {
        return Err(PidFileError::NotPlain {
            path: dir.to_path_buf(),
            why: "is not a directory",
        });
    }
    Ok(())
}

/// `open(path, O_WRONLY|O_CREAT|O_NOFOLLOW|O_NONBLOCK|O_CLOEXEC, 0644)`; no
/// `O_TRUNC` yet. `O_NONBLOCK` keeps a FIFO planted there from hanging us.
fn open_for_write(path: &Path) -> io::Result<File> {
    OpenOptions::new()
        .write(true)
        .create(true)
        .mode(FILE_MODE)
        .custom_flags(libc_flags::NOFOLLOW | libc_flags::NONBLOCK | libc_flags::CLOEXEC)
        .open(path)
}

/// ELOOP on a symlinked last component becomes [`PidFileError::Symlink`].
fn open_error(path: &Path, e: io::Error) -> PidFileError {
    let is_link = fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    if e.raw_os_error() == Some(Errno::ELOOP as i32) && is_link {
        PidFileError::Symlink {
            path: path.to_path_buf(),
        }
    } else {
        PidFileError::io(path, IoOp::Open, e)
    }
}

/// The opened file must be a regular file with one link, so truncating it
/// cannot destroy anything else.
fn check_plain(file: &File, path: &Path) -> Result<(), PidFileError> {
    let meta = file
        .metadata()
        .map_err(|e| PidFileError::io(path, IoOp::Open, e))?;
    let why = if !meta.is_file() {
        "is not a regular file"
    } else if meta.nlink() > 1 {
        "has other hard links"
    } else {
        return Ok(());
    };
    Err(PidFileError::NotPlain {
        path: path.to_path_buf(),
        why,
    })
}

/// Truncate, write "PID\n", force mode 0644 (fchmod, so the umask is moot).
fn write_pid(file: &mut File, pid: u32) -> io::Result<()> {
    file.set_len(0)?;
    file.write_all(format!("{pid}\n").as_bytes())?;
    file.set_permissions(Permissions::from_mode(FILE_MODE))
}

/// Checks both files, then writes `pid` into both: the main file, then the
/// VRRP file (keepalived's order).
///
/// * A file naming a live process: [`PidFileError::AlreadyRunning`], whose
///   text is keepalived's "daemon is already running"; nothing is written.
/// * A file naming a dead process is removed, pushing keepalived's notice
///   "Remove a zombie pid file PATH" onto `notices`; one without a pid is
///   removed with "Error reading pid file PATH". Removing unlinks a symlink
///   itself, never its target. Notices are pushed even when an error follows,
///   so the caller can log them either way.
/// * If the second file cannot be written the first is removed again.
pub fn write_both(
    paths: &PidPaths,
    pid: u32,
    notices: &mut Vec<String>,
) -> Result<(PidFile, PidFile), PidFileError> {
    clear_path(&paths.main, notices)?;
    clear_path(&paths.vrrp, notices)?;
    let main = PidFile::create(&paths.main, pid)?;
    let vrrp = PidFile::create(&paths.vrrp, pid)?;
    Ok((main, vrrp))
}

/// The running check for one file, removing a stale or unreadable one.
fn clear_path(path: &Path, notices: &mut Vec<String>) -> Result<(), PidFileError> {
    let notice = match check_running(path).map_err(|e| PidFileError::io(path, IoOp::Read, e))? {
        Running::No => return Ok(()),
        Running::Yes(pid) => {
            return Err(PidFileError::AlreadyRunning {
                path: path.to_path_buf(),
                pid,
            });
        }
        Running::Stale(_) => format!("Remove a zombie pid file {}", path.display()),
        Running::Invalid => format!("Error reading pid file {}", path.display()),
    };
    notices.push(notice);
    match fs::remove_file(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => {
            Err(PidFileError::io(path, IoOp::Remove, e))
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// A unique directory under the system temp dir, removed on drop.
    struct TempDir(PathBuf);

    impl TempDir {
        fn new(tag: &str) -> TempDir {
            static COUNTER: AtomicUsize = AtomicUsize::new(0);
            let n = COUNTER.fetch_add(1, Ordering::Relaxed);
            let dir = std::env::temp_dir().join(format!(
                "keepalived-rs-pidfile-{}-{n}-{tag}",
                std::process::id()
            ));
            let _ = fs::remove_dir_all(&dir);
            fs::create_dir(&dir).unwrap();
            TempDir(dir)
        }

        fn path(&self, name: &str) -> PathBuf {
            self.0.join(name)
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.0);
        }
    }

    fn me() -> u32 {
        std::process::id()
    }

    /// A live process other than us.
    fn live_pid() -> u32 {
        let ppid = std::os::unix::process::parent_id();
        assert!(ppid > 0 && ppid != me());
        ppid
    }

    /// A pid no process can have: one above the kernel's pid_max.
    fn dead_pid() -> u32 {
        fs::read_to_string("/proc/sys/kernel/pid_max")
            .ok()
            .and_then(|s| s.trim().parse::<u32>().ok())
            .map_or(i32::MAX as u32, |max| max + 1)
    }

    fn read(path: &Path) -> String {
        fs::read_to_string(path).unwrap()
    }

    fn paths_in(dir: &TempDir) -> PidPaths {
        PidPaths {
            main: dir.path("keepalived.pid"),
            vrrp: dir.path("vrrp.pid"),
        }
    }

    fn paths(main: &str, vrrp: &str) -> PidPaths {
        PidPaths {
            main: main.into(),
            vrrp: vrrp.into(),
        }
    }

    #[test]
    fn default_names() {
        let got = PidPaths::from_options(None, None, None, false, None);
        assert_eq!(got, paths("/run/keepalived.pid", "/run/vrrp.pid"));
    }

    #[test]
    fn pid_dir_names_with_use_pid_dir_or_namespace() {
        let want = paths("/run/keepalived/keepalived.pid", "/run/keepalived/vrrp.pid");
        assert_eq!(PidPaths::from_options(None, None, None, true, None), want);
        assert_eq!(
            PidPaths::from_options(None, None, None, false, Some("blue")),
            want
        );
    }

    #[test]
    fn instance_names() {
        let want = paths(
            "/run/keepalived/keepalived_lb1.pid",
            "/run/keepalived/vrrp_lb1.pid",
        );
        assert_eq!(
            PidPaths::from_options(None, None, Some("lb1"), false, None),
            want
        );
        assert_eq!(
            PidPaths::from_options(None, None, Some("lb1"), true, Some("blue")),
            want
        );
    }

    #[test]
    fn explicit_names_win() {
        let got = PidPaths::from_options(Some("/tmp/a.pid"), Some("b.pid"), Some("x"), true, None);
        assert_eq!(got, paths("/tmp/a.pid", "b.pid"));
        let got = PidPaths::from_options(None, Some("/tmp/v.pid"), Some("x"), false, None);
        assert_eq!(got, paths("/run/keepalived/keepalived_x.pid", "/tmp/v.pid"));
        let got = PidPaths::from_options(Some("/tmp/k.pid"), None, None, false, None);
        assert_eq!(got, paths("/tmp/k.pid", "/run/vrrp.pid"));
    }

    #[test]
    fn parses_like_fscanf_d() {
        assert_eq!(parse_pid("123\n"), Some(123));
        assert_eq!(parse_pid("  77 trailing"), Some(77));
        assert_eq!(parse_pid("\n42"), Some(42));
        for bad in ["", "\n", "0\n", "-5\n", "abc", "99999999999", "2147483648"] {
            assert_eq!(parse_pid(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn create_read_back_and_remove_on_drop() {
        let dir = TempDir::new("create");
        let path = dir.path("vrrp.pid");
        let file = PidFile::create(&path, me()).unwrap();
        assert_eq!(file.path(), path);
        assert_eq!(file.pid(), me());
        assert_eq!(read(&path), format!("{}\n", me()));
        let meta = fs::symlink_metadata(&path).unwrap();
        assert!(meta.is_file());
        assert_eq!(meta.mode() & 0o7777, 0o644);
        // Our own pid is not "another daemon".
        assert_eq!(check_running(&path).unwrap(), Running::No);
        drop(file);
        assert!(!path.exists());
    }

    #[test]
    fn create_truncates_and_fixes_mode() {
        let dir = TempDir::new("truncate");
        let path = dir.path("keepalived.pid");
        fs::write(&path, "1234567890 and a long tail\n").unwrap();
        fs::set_permissions(&path, Permissions::from_mode(0o600)).unwrap();
        let file = PidFile::create(&path, 42).unwrap();
        assert_eq!(read(&path), "42\n");
        assert_eq!(fs::metadata(&path).unwrap().mode() & 0o7777, 0o644);
        drop(file);
        assert!(!path.exists());
    }

    #[test]
    fn refuses_a_symlink_and_leaves_its_target_alone() {
        let dir = TempDir::new("symlink");
        let target = dir.path("precious");
        fs::write(&target, "do not touch\n").unwrap();
        let link = dir.path("vrrp.pid");
        symlink(&target, &link).unwrap();

        let err = PidFile::create(&link, me()).unwrap_err();
        assert!(matches!(&err, PidFileError::Symlink { path } if *path == link));
        assert!(
            err.to_string().contains(&link.display().to_string()),
            "{err}"
        );
        assert_eq!(read(&target), "do not touch\n");
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );

        // A dangling link must not create its target either.
        let missing = dir.path("missing");
        let dangling = dir.path("keepalived.pid");
        symlink(&missing, &dangling).unwrap();
        let err = PidFile::create(&dangling, me()).unwrap_err();
        assert!(matches!(err, PidFileError::Symlink { .. }));
        assert!(!missing.exists());
    }

    #[test]
    fn refuses_hard_links_and_non_files() {
        let dir = TempDir::new("plain");
        let other = dir.path("other");
        fs::write(&other, "keep\n").unwrap();
        let linked = dir.path("vrrp.pid");
        fs::hard_link(&other, &linked).unwrap();
        let err = PidFile::create(&linked, me()).unwrap_err();
        assert!(matches!(
            err,
            PidFileError::NotPlain {
                why: "has other hard links",
                ..
            }
        ));
        assert_eq!(read(&other), "keep\n");

        let fifo = dir.path("fifo.pid");
        nix::unistd::mkfifo(&fifo, nix::sys::stat::Mode::from_bits_truncate(0o600)).unwrap();
        // Neither reading nor writing blocks on a FIFO.
        assert_eq!(check_running(&fifo).unwrap(), Running::Invalid);
        assert!(PidFile::create(&fifo, me()).is_err());
    }

    #[test]
    fn creates_the_managed_directory_and_removes_it_when_empty() {
        let dir = TempDir::new("piddir");
        let pid_dir = dir.path("keepalived");
        let main = create_in(&pid_dir.join("keepalived_x.pid"), me(), &pid_dir).unwrap();
        let vrrp = create_in(&pid_dir.join("vrrp_x.pid"), me(), &pid_dir).unwrap();
        let meta = fs::symlink_metadata(&pid_dir).unwrap();
        assert!(meta.is_dir());
        assert_eq!(meta.mode() & 0o7777, 0o755);
        drop(main);
        assert!(pid_dir.exists(), "not empty yet");
        drop(vrrp);
        assert!(!pid_dir.exists());
    }

    #[test]
    fn refuses_a_symlinked_managed_directory() {
        let dir = TempDir::new("piddirlink");
        let real = dir.path("elsewhere");
        fs::create_dir(&real).unwrap();
        let pid_dir = dir.path("keepalived");
        symlink(&real, &pid_dir).unwrap();
        let err = create_in(&pid_dir.join("vrrp.pid"), me(), &pid_dir).unwrap_err();
        assert!(matches!(&err, PidFileError::Symlink { path } if *path == pid_dir));
        assert!(!real.join("vrrp.pid").exists());
    }

    #[test]
    fn check_running_states() {
        let dir = TempDir::new("check");
        let path = dir.path("keepalived.pid");
        assert_eq!(check_running(&path).unwrap(), Running::No);
        fs::write(&path, format!("{}\n", live_pid())).unwrap();
        assert_eq!(check_running(&path).unwrap(), Running::Yes(live_pid()));
        fs::write(&path, format!("{}\n", dead_pid())).unwrap();
        assert_eq!(check_running(&path).unwrap(), Running::Stale(dead_pid()));
        fs::write(&path, "garbage\n").unwrap();
        assert_eq!(check_running(&path).unwrap(), Running::Invalid);
        fs::write(&path, format!("{}\n", me())).unwrap();
        assert_eq!(check_running(&path).unwrap(), Running::No);
    }

    #[test]
    fn write_both_writes_both_and_removes_both() {
        let dir = TempDir::new("both");
        let paths = paths_in(&dir);
        let mut notices = Vec::new();
        let (main, vrrp) = write_both(&paths, me(), &mut notices).unwrap();
        assert!(notices.is_empty());
        assert_eq!(read(&paths.main), format!("{}\n", me()));
        assert_eq!(read(&paths.vrrp), format!("{}\n", me()));
        drop((main, vrrp));
        assert!(!paths.main.exists() && !paths.vrrp.exists());
    }

    #[test]
    fn write_both_refuses_when_already_running() {
        let dir = TempDir::new("running");
        let paths = paths_in(&dir);
        for live in [&paths.main, &paths.vrrp] {
            let _ = fs::remove_file(&paths.main);
            let _ = fs::remove_file(&paths.vrrp);
            fs::write(live, format!("{}\n", live_pid())).unwrap();
            let err = write_both(&paths, me(), &mut Vec::new()).unwrap_err();
            assert_eq!(err.to_string(), "daemon is already running");
            assert!(matches!(&err, PidFileError::AlreadyRunning { path, pid }
                if path == live && *pid == live_pid()));
            assert_eq!(read(live), format!("{}\n", live_pid()));
        }
        // The VRRP file was live: the main one was never written.
        assert!(!paths.main.exists());
    }

    #[test]
    fn write_both_replaces_stale_and_unreadable_files() {
        let dir = TempDir::new("stale");
        let paths = paths_in(&dir);
        fs::write(&paths.main, format!("{}\n", dead_pid())).unwrap();
        fs::write(&paths.vrrp, "").unwrap();
        let mut notices = Vec::new();
        let files = write_both(&paths, me(), &mut notices).unwrap();
        assert_eq!(
            notices,
            [
                format!("Remove a zombie pid file {}", paths.main.display()),
                format!("Error reading pid file {}", paths.vrrp.display()),
            ]
        );
        assert_eq!(read(&paths.main), format!("{}\n", me()));
        assert_eq!(read(&paths.vrrp), format!("{}\n", me()));
        drop(files);
    }

    #[test]
    fn write_both_unlinks_a_stale_symlink_not_its_target() {
        let dir = TempDir::new("stalelink");
        let paths = paths_in(&dir);
        let target = dir.path("old-vrrp.pid");
        fs::write(&target, format!("{}\n", dead_pid())).unwrap();
        symlink(&target, &paths.vrrp).unwrap();
        let mut notices = Vec::new();
        let files = write_both(&paths, me(), &mut notices).unwrap();
        assert_eq!(notices.len(), 1);
        assert_eq!(read(&target), format!("{}\n", dead_pid()));
        let meta = fs::symlink_metadata(&paths.vrrp).unwrap();
        assert!(meta.is_file());
        assert_eq!(read(&paths.vrrp), format!("{}\n", me()));
        drop(files);
    }

    #[test]
    fn write_both_removes_the_first_file_if_the_second_fails() {
        let dir = TempDir::new("half");
        let paths = PidPaths {
            main: dir.path("keepalived.pid"),
            vrrp: dir.path("no-such-dir/vrrp.pid"),
        };
        let err = write_both(&paths, me(), &mut Vec::new()).unwrap_err();
        assert!(matches!(err, PidFileError::Io { op: IoOp::Open, .. }));
        assert!(!paths.main.exists());
    }

    #[test]
    fn drop_keeps_a_file_rewritten_by_another_process() {
        let dir = TempDir::new("rewritten");
        let path = dir.path("vrrp.pid");
        let file = PidFile::create(&path, me()).unwrap();
        fs::write(&path, format!("{}\n", live_pid())).unwrap();
        drop(file);
        assert_eq!(read(&path), format!("{}\n", live_pid()));
    }
}
