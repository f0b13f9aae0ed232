//! `track_file`: the files' values, read at start-up and whenever inotify
//! says one changed (KEEPALIVED.md §3.5). keepalived watches each file's
//! directory (so a file created, replaced by `mv`, or deleted is seen) and
//! re-reads the file on close-after-write, move-in, create and delete.
//!
//! Owns: the inotify descriptor and the watch table. The value semantics are
//! [`crate::track::file`]'s.

use crate::config::model::Config;
use crate::track::file::{self, Existing, InitFile};
use crate::vrrp::event::Event;
use crate::vrrp::priority::TrackerStatus;
use nix::sys::inotify::{AddWatchFlags, InitFlags, Inotify, WatchDescriptor};
use std::ffi::OsString;
use std::io::Read;
use std::os::fd::{AsFd, AsRawFd, RawFd};
use std::path::{Path, PathBuf};

/// At most this much of a file is read (keepalived reads 127 bytes).
const READ_MAX: u64 = 127;

/// One watched file.
#[derive(Debug)]
struct Watched {
    name: String,
    path: PathBuf,
    dir_wd: Option<WatchDescriptor>,
    file_name: OsString,
}

/// What the daemon hears from the watcher.
#[derive(Debug)]
pub enum FileEvent {
    /// The tracker `name` now has this status (feed the engine,
    /// `TrackerKind::File`).
    Status {
        name: String,
        status: TrackerStatus,
    },
    Log(Event),
    /// A problem with the file system side, already worded.
    Error(String),
}

pub struct FileWatch {
    inotify: Option<Inotify>,
    files: Vec<Watched>,
}

fn read_value(path: &Path) -> Option<Vec<u8>> {
    let f = std::fs::File::open(path).ok()?;
    let mut buf = Vec::new();
    f.take(READ_MAX).read_to_end(&mut buf).ok()?;
    Some(buf)
}

impl FileWatch {
    /// Write the `init_file` contents, set up the watches. Problems come back
    /// as events (the daemon logs them) — a file that cannot be watched
    /// still has its start-up value.
    pub fn new(cfg: &Config, out: &mut Vec<FileEvent>) -> FileWatch {
        let mut files = Vec::new();
        for tf in &cfg.track_files {
            let Some(p) = tf.file.as_ref() else { continue };
            let path = PathBuf::from(p);
            let existing = match std::fs::metadata(&path) {
                Err(_) => Existing::Absent,
                Ok(m) if m.is_file() => Existing::Regular,
                Ok(_) => Existing::NotRegular,
            };
            match file::init_file(tf, existing, false) {
                InitFile::Leave => {}
                InitFile::Write { path: w, content } => {
                    if std::fs::write(&w, content).is_err() {
                        out.push(FileEvent::Log(Event::TrackFileInitFailed {
                            name: tf.name.clone(),
                        }));
                    }
                }
                InitFile::Error(ev) => out.push(FileEvent::Log(ev)),
            }
            let file_name = path.file_name().map(OsString::from).unwrap_or_default();
            files.push(Watched {
                name: tf.name.clone(),
                path,
                dir_wd: None,
                file_name,
            });
        }
        let mut w = FileWatch {
            inotify: None,
            files,
        };
        if w.files.is_empty() {
            return w;
        }
        match Inotify::init(InitFlags::IN_NONBLOCK | InitFlags::IN_CLOEXEC) {
            Ok(ino) => {
                let flags = AddWatchFlags::IN_CLOSE_WRITE
                    | AddWatchFlags::IN_MOVED_TO
                    | AddWatchFlags::IN_MOVED_FROM
                    | AddWatchFlags::IN_CREATE
                    | AddWatchFlags::IN_DELETE;
                for f in &mut w.files {
                    let dir = match f.path.parent() {
                        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
                        _ => PathBuf::from("."),
                    };
                    match ino.add_watch(&dir, flags) {
                        Ok(wd) => f.dir_wd = Some(wd),
                        Err(e) => out.push(FileEvent::Error(format!(
                            "track_file {}: cannot watch {} ({e}); its value is read at start only",
                            f.name,
                            dir.display()
                        ))),
                    }
                }
                w.inotify = Some(ino);
            }
            Err(e) => out.push(FileEvent::Error(format!(
                "track_file: inotify unavailable ({e}); file values are read at start only"
            ))),
        }
        w
    }

    /// Every file's current value (start-up).
    pub fn read_all(&self, out: &mut Vec<FileEvent>) {
        for k in 0..self.files.len() {
            self.read_one(k, out);
        }
    }

    fn read_one(&self, k: usize, out: &mut Vec<FileEvent>) {
        let f = &self.files[k];
        let content = read_value(&f.path);
        match file::file_status(&f.path.to_string_lossy(), content.as_deref()) {
            Ok(status) => out.push(FileEvent::Status {
                name: f.name.clone(),
                status,
            }),
            Err(ev) => out.push(FileEvent::Log(ev)),
        }
    }

    /// inotify readable: re-read the files whose directory entry changed.
    pub fn on_events(&mut self, out: &mut Vec<FileEvent>) {
        let Some(ino) = self.inotify.as_ref() else {
            return;
        };
        let mut changed = vec![false; self.files.len()];
        loop {
            match ino.read_events() {
                Ok(evs) if !evs.is_empty() => {
                    for ev in evs {
                        for (k, f) in self.files.iter().enumerate() {
                            if f.dir_wd == Some(ev.wd)
                                && ev.name.as_deref() == Some(f.file_name.as_os_str())
                            {
                                changed[k] = true;
                            }
                        }
                    }
                }
                _ => break,
            }
        }
        for (k, c) in changed.into_iter().enumerate() {
            if c {
                self.read_one(k, out);
            }
        }
    }

    pub fn is_active(&self) -> bool {
        self.inotify.is_some()
    }
}

impl AsRawFd for FileWatch {
    fn as_raw_fd(&self) -> RawFd {
        self.inotify.as_ref().map_or(-1, |i| i.as_fd().as_raw_fd())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::model::TrackFile;

    fn cfg_with(path: &Path, init: Option<(i64, bool)>) -> Config {
        let mut c = Config::default();
        c.track_files.push(TrackFile {
            name: "tf".into(),
            file: Some(path.to_string_lossy().into_owned()),
            weight: 1,
            weight_reverse: false,
            init_file: init,
        });
        c
    }

    fn statuses(out: &[FileEvent]) -> Vec<TrackerStatus> {
        out.iter()
            .filter_map(|e| match e {
                FileEvent::Status { status, .. } => Some(*status),
                _ => None,
            })
            .collect()
    }

    fn wait_events(w: &mut FileWatch) -> Vec<FileEvent> {
        let mut out = Vec::new();
        for _ in 0..100 {
            w.on_events(&mut out);
            if !out.is_empty() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        out
    }

    #[test]
    fn value_at_start_then_on_write_replace_and_delete() {
        let dir = std::env::temp_dir().join(format!("kr-fw-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("weight");
        std::fs::write(&path, "5\n").unwrap();
        let mut out = Vec::new();
        let mut w = FileWatch::new(&cfg_with(&path, None), &mut out);
        assert!(w.is_active());
        w.read_all(&mut out);
        assert_eq!(statuses(&out), vec![TrackerStatus::Value(5)]);
        // written in place
        std::fs::write(&path, "-3\n").unwrap();
        assert_eq!(
            statuses(&wait_events(&mut w)),
            vec![TrackerStatus::Value(-3)]
        );
        // replaced by mv
        let tmp = dir.join("weight.new");
        std::fs::write(&tmp, "0x10").unwrap();
        std::fs::rename(&tmp, &path).unwrap();
        assert_eq!(
            statuses(&wait_events(&mut w)),
            vec![TrackerStatus::Value(16)]
        );
        // deleted: 0
        std::fs::remove_file(&path).unwrap();
        assert_eq!(
            statuses(&wait_events(&mut w)),
            vec![TrackerStatus::Value(0)]
        );
        // another file in the directory is no news
        std::fs::write(dir.join("other"), "7").unwrap();
        std::thread::sleep(std::time::Duration::from_millis(50));
        let mut none = Vec::new();
        w.on_events(&mut none);
        assert!(statuses(&none).is_empty());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn init_file_is_written_when_absent() {
        let dir = std::env::temp_dir().join(format!("kr-fw-init-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("w");
        let _ = std::fs::remove_file(&path);
        let mut out = Vec::new();
        let w = FileWatch::new(&cfg_with(&path, Some((42, false))), &mut out);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "42\n");
        w.read_all(&mut out);
        assert_eq!(statuses(&out), vec![TrackerStatus::Value(42)]);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
