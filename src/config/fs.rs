//! File access for the configuration reader: a small trait so the reader can be
//! driven from memory in tests and fuzzing, and a `std::fs` implementation.
//! Also keepalived's include globbing (glob(3) with GLOB_BRACE and GLOB_MARK).
//!
//! Must not: parse configuration text.

use std::io;
use std::path::{Path, PathBuf};

/// What the reader needs to know about a path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FileMeta {
    pub is_dir: bool,
    pub is_file: bool,
    /// Permission bits (st_mode & 0o7777).
    pub mode: u32,
    pub len: u64,
}

/// File system access used while reading a configuration.
pub trait ConfigFs {
    /// Metadata following symlinks (stat).
    fn stat(&self, path: &Path) -> io::Result<FileMeta>;
    /// Metadata of the link itself (lstat).
    fn lstat(&self, path: &Path) -> io::Result<FileMeta>;
    fn read(&self, path: &Path) -> io::Result<Vec<u8>>;
    /// Entry names of a directory (unsorted).
    fn read_dir(&self, path: &Path) -> io::Result<Vec<String>>;
}

/// The real file system.
#[derive(Clone, Copy, Debug, Default)]
pub struct RealFs;

fn meta(m: std::fs::Metadata) -> FileMeta {
    use std::os::unix::fs::PermissionsExt;
    FileMeta {
        is_dir: m.is_dir(),
        is_file: m.is_file(),
        mode: m.permissions().mode() & 0o7777,
        len: m.len(),
    }
}

/// Largest configuration file we read (keepalived has no limit; a 1 GiB file
/// is not a configuration and would only exhaust memory).
pub const MAX_FILE_SIZE: u64 = 256 * 1024 * 1024;

impl ConfigFs for RealFs {
    fn stat(&self, path: &Path) -> io::Result<FileMeta> {
        std::fs::metadata(path).map(meta)
    }
    fn lstat(&self, path: &Path) -> io::Result<FileMeta> {
        std::fs::symlink_metadata(path).map(meta)
    }
    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        use std::io::Read;
        let f = std::fs::File::open(path)?;
        let mut buf = Vec::new();
        f.take(MAX_FILE_SIZE + 1).read_to_end(&mut buf)?;
        if buf.len() as u64 > MAX_FILE_SIZE {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "file larger than 256 MiB",
            ));
        }
        Ok(buf)
    }
    fn read_dir(&self, path: &Path) -> io::Result<Vec<String>> {
        let mut out = Vec::new();
        for e in std::fs::read_dir(path)? {
            out.push(e?.file_name().to_string_lossy().into_owned());
        }
        Ok(out)
    }
}

/// Result of expanding one include pattern, with the counters keepalived
/// derives from glob's directory callbacks.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct GlobResult {
    /// Matches in glob order; directories end with `/` (GLOB_MARK).
    pub paths: Vec<String>,
    pub missing_files: usize,
    pub missing_directories: usize,
    pub have_wildcards: bool,
}

/// Upper bound on brace alternatives, so `{a,b}{a,b}...` cannot explode.
const MAX_BRACE_EXPANSIONS: usize = 4096;
/// Upper bound on matches of one pattern.
const MAX_GLOB_MATCHES: usize = 65_536;

/// Expand `{a,b}` alternatives (nested allowed, `\` escapes), in order.
pub fn expand_braces(pattern: &str) -> Vec<String> {
    let mut out = Vec::new();
    expand_into(pattern, &mut out);
    out
}

fn expand_into(pattern: &str, out: &mut Vec<String>) {
    if out.len() >= MAX_BRACE_EXPANSIONS {
        return;
    }
    let b = pattern.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'{' => {
                // find the matching close and the top-level commas
                let mut depth = 0;
                let mut commas = Vec::new();
                let mut j = i;
                let mut close = None;
                while j < b.len() {
                    match b[j] {
                        b'\\' => j += 1,
                        b'{' => depth += 1,
                        b'}' => {
                            depth -= 1;
                            if depth == 0 {
                                close = Some(j);
                                break;
                            }
                        }
                        b',' if depth == 1 => commas.push(j),
                        _ => {}
                    }
                    j += 1;
                }
                let Some(close) = close else {
                    break; // unbalanced: literal
                };
                let (pre, post) = (&pattern[..i], &pattern[close + 1..]);
                let mut start = i + 1;
                let mut ends = commas.clone();
                ends.push(close);
                for end in ends {
                    let alt = &pattern[start..end];
                    expand_into(&format!("{pre}{alt}{post}"), out);
                    start = end + 1;
                }
                return;
            }
            _ => i += 1,
        }
    }
    out.push(pattern.to_string());
}

fn has_wildcard(s: &str) -> bool {
    s.contains(['*', '?', '['])
}

fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(n) = chars.next() {
                out.push(n);
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// glob(3) with GLOB_BRACE|GLOB_MARK, relative to `base` for relative patterns.
/// Returned paths keep the pattern's form (relative stays relative).
pub fn glob(fs: &dyn ConfigFs, base: &Path, pattern: &str) -> GlobResult {
    let mut res = GlobResult::default();
    for alt in expand_braces(pattern) {
        let mut matches = Vec::new();
        glob_one(fs, base, &alt, &mut res, &mut matches);
        matches.sort();
        res.paths.extend(matches);
        if res.paths.len() > MAX_GLOB_MATCHES {
            res.paths.truncate(MAX_GLOB_MATCHES);
            break;
        }
    }
    res
}

fn resolve(base: &Path, p: &str) -> PathBuf {
    if p.starts_with('/') {
        PathBuf::from(p)
    } else {
        base.join(p)
    }
}

fn glob_one(
    fs: &dyn ConfigFs,
    base: &Path,
    pattern: &str,
    res: &mut GlobResult,
    out: &mut Vec<String>,
) {
    if pattern.is_empty() {
        return;
    }
    if !has_wildcard(pattern) {
        let lit = unescape(pattern);
        match fs.lstat(&resolve(base, &lit)) {
            Ok(_) => {
                let is_dir = fs
                    .stat(&resolve(base, &lit))
                    .map(|m| m.is_dir)
                    .unwrap_or(false);
                out.push(if is_dir && !lit.ends_with('/') {
                    format!("{lit}/")
                } else {
                    lit
                });
            }
            Err(_) => res.missing_files += 1,
        }
        return;
    }
    // Walk segment by segment; candidates are path prefixes in pattern form.
    let absolute = pattern.starts_with('/');
    let segs: Vec<&str> = pattern.split('/').filter(|s| !s.is_empty()).collect();
    let mut cands: Vec<String> = vec![if absolute {
        "/".to_string()
    } else {
        String::new()
    }];
    for (n, seg) in segs.iter().enumerate() {
        let last = n + 1 == segs.len();
        let mut next = Vec::new();
        for c in &cands {
            let join = |name: &str| {
                if c.is_empty() || c.ends_with('/') {
                    format!("{c}{name}")
                } else {
                    format!("{c}/{name}")
                }
            };
            if !has_wildcard(seg) {
                let p = join(&unescape(seg));
                if last {
                    match fs.lstat(&resolve(base, &p)) {
                        Ok(_) => next.push(p),
                        Err(_) => res.missing_files += 1,
                    }
                } else {
                    next.push(p);
                }
                continue;
            }
            res.have_wildcards = true;
            let dir = if c.is_empty() {
                base.to_path_buf()
            } else {
                resolve(base, c)
            };
            let Ok(mut names) = fs.read_dir(&dir) else {
                res.missing_directories += 1;
                continue;
            };
            names.sort();
            let Ok(pat) = glob::Pattern::new(seg) else {
                continue;
            };
            let opts = glob::MatchOptions {
                case_sensitive: true,
                require_literal_separator: true,
                require_literal_leading_dot: true,
            };
            for name in names {
                if pat.matches_with(&name, opts) {
                    let p = join(&name);
                    if last
                        || fs
                            .stat(&resolve(base, &p))
                            .map(|m| m.is_dir)
                            .unwrap_or(false)
                    {
                        next.push(p);
                    }
                }
                if next.len() > MAX_GLOB_MATCHES {
                    break;
                }
            }
        }
        cands = next;
        if cands.is_empty() {
            return;
        }
    }
    for c in cands {
        let is_dir = fs
            .stat(&resolve(base, &c))
            .map(|m| m.is_dir)
            .unwrap_or(false);
        out.push(if is_dir { format!("{c}/") } else { c });
    }
}

pub mod memfs {
    //! An in-memory file system for tests and fuzzing.
    use super::*;
    use std::collections::BTreeMap;

    #[derive(Default, Clone)]
    pub struct MemFs {
        pub files: BTreeMap<PathBuf, (Vec<u8>, u32)>,
    }

    impl MemFs {
        pub fn new() -> Self {
            Self::default()
        }
        pub fn add(&mut self, path: &str, text: &str) -> &mut Self {
            self.add_bytes(path, text.as_bytes())
        }
        pub fn add_bytes(&mut self, path: &str, data: &[u8]) -> &mut Self {
            self.files
                .insert(PathBuf::from(path), (data.to_vec(), 0o644));
            self
        }
        pub fn add_mode(&mut self, path: &str, text: &str, mode: u32) -> &mut Self {
            self.files
                .insert(PathBuf::from(path), (text.as_bytes().to_vec(), mode));
            self
        }
        fn is_dir(&self, p: &Path) -> bool {
            self.files.keys().any(|k| k.starts_with(p) && k != p)
        }
    }

    impl ConfigFs for MemFs {
        fn stat(&self, path: &Path) -> io::Result<FileMeta> {
            let path = normalize(path);
            if let Some((d, mode)) = self.files.get(&path) {
                return Ok(FileMeta {
                    is_dir: false,
                    is_file: true,
                    mode: *mode,
                    len: d.len() as u64,
                });
            }
            if self.is_dir(&path) {
                return Ok(FileMeta {
                    is_dir: true,
                    is_file: false,
                    mode: 0o755,
                    len: 0,
                });
            }
            Err(io::Error::from(io::ErrorKind::NotFound))
        }
        fn lstat(&self, path: &Path) -> io::Result<FileMeta> {
            self.stat(path)
        }
        fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
            let path = normalize(path);
            if self.is_dir(&path) {
                return Err(io::Error::from(io::ErrorKind::IsADirectory));
            }
            self.files
                .get(&path)
                .map(|f| f.0.clone())
                .ok_or_else(|| io::Error::from(io::ErrorKind::NotFound))
        }
        fn read_dir(&self, path: &Path) -> io::Result<Vec<String>> {
            let path = normalize(path);
            if !self.is_dir(&path) {
                return Err(io::Error::from(io::ErrorKind::NotFound));
            }
            let mut names: Vec<String> = self
                .files
                .keys()
                .filter_map(|k| k.strip_prefix(&path).ok())
                .filter_map(|r| r.components().next())
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            names.dedup();
            Ok(names)
        }
    }

    pub fn normalize(p: &Path) -> PathBuf {
        let mut out = PathBuf::new();
        for c in p.components() {
            match c {
                std::path::Component::ParentDir => {
                    out.pop();
                }
                std::path::Component::CurDir => {}
                c => out.push(c),
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::memfs::MemFs;
    use super::*;

    #[test]
    fn braces_expand_in_order_nested() {
        assert_eq!(expand_braces("a{b,c{d,e}}f"), vec!["abf", "acdf", "acef"]);
        assert_eq!(expand_braces("x{y"), vec!["x{y"]);
        assert_eq!(expand_braces("p\\{q,r}"), vec!["p\\{q,r}"]);
    }

    #[test]
    fn glob_sorted_per_alternative_with_counts() {
        let mut fs = MemFs::new();
        fs.add("/etc/k/inc/b.conf", "")
            .add("/etc/k/inc/a.conf", "")
            .add("/etc/k/other/z.conf", "");
        let r = glob(&fs, Path::new("/etc/k"), "{inc,other}/*.conf");
        assert_eq!(r.paths, vec!["inc/a.conf", "inc/b.conf", "other/z.conf"]);
        assert!(r.have_wildcards);
        let r = glob(&fs, Path::new("/etc/k"), "missing.conf");
        assert_eq!(r.missing_files, 1);
        assert!(r.paths.is_empty());
        let r = glob(&fs, Path::new("/etc/k"), "nodir/*.conf");
        assert_eq!(r.missing_directories, 1);
        let r = glob(&fs, Path::new("/etc/k"), "inc");
        assert_eq!(r.paths, vec!["inc/"]);
    }

    #[test]
    fn brace_bomb_is_bounded() {
        let p = "{a,b}".repeat(30);
        assert!(expand_braces(&p).len() <= MAX_BRACE_EXPANSIONS);
    }
}
