//! The man pages in man/ are generated (src/cli/man.rs) from the option table
//! and grammar/keywords.tsv. This test keeps them in step: generating from
//! the current tables must give exactly the committed files.
//!
//! To regenerate after changing a table:
//!
//!     BLESS=1 cargo test --test man_pages
//!
//! A second test renders both pages with man(1) and groff(1), when installed,
//! and fails on any warning.

use keepalived_rs::cli::man::{keepalived_8, keepalived_conf_5};
use std::path::{Path, PathBuf};
use std::process::Command;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// (file under man/, its generated text).
fn pages() -> Vec<(&'static str, String)> {
    let tsv = std::fs::read_to_string(Path::new(ROOT).join("grammar/keywords.tsv"))
        .expect("read grammar/keywords.tsv");
    vec![
        ("keepalived.8", keepalived_8()),
        ("keepalived.conf.5", keepalived_conf_5(&tsv)),
    ]
}

fn blessing() -> bool {
    std::env::var_os("BLESS").is_some_and(|v| !v.is_empty() && v != "0")
}

/// Where two texts first differ: (line number, committed, generated).
fn first_difference(old: &str, new: &str) -> (usize, String, String) {
    let mut a = old.lines();
    let mut b = new.lines();
    let mut n = 1;
    loop {
        match (a.next(), b.next()) {
            (Some(x), Some(y)) if x == y => n += 1,
            (x, y) => {
                let show = |l: Option<&str>| l.map_or("<end of file>".to_string(), str::to_string);
                return (n, show(x), show(y));
            }
        }
    }
}

#[test]
fn committed_man_pages_match_the_tables() {
    let dir = Path::new(ROOT).join("man");
    let mut stale = Vec::new();
    for (name, text) in pages() {
        let path = dir.join(name);
        if blessing() {
            std::fs::create_dir_all(&dir).expect("create man/");
            std::fs::write(&path, &text).unwrap_or_else(|e| panic!("write {path:?}: {e}"));
            eprintln!("wrote {}", path.display());
            continue;
        }
        match std::fs::read_to_string(&path) {
            Ok(old) if old == text => {}
            Ok(old) => {
                let (n, was, now) = first_difference(&old, &text);
                stale.push(format!(
                    "man/{name} differs from the tables, first at line {n}:\n  committed: {was}\n  generated: {now}"
                ));
            }
            Err(e) => stale.push(format!("man/{name}: {e}")),
        }
    }
    assert!(
        stale.is_empty(),
        "{}\nRegenerate with: BLESS=1 cargo test --test man_pages",
        stale.join("\n")
    );
}

fn installed(tool: &str) -> bool {
    Command::new(tool)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Write the generated pages where a renderer can read them.
fn page_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("man-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("create scratch dir");
    pages()
        .into_iter()
        .map(|(name, text)| {
            let p = dir.join(name);
            std::fs::write(&p, text).expect("write page");
            p
        })
        .collect()
}

/// Run a renderer; return its complaints (every stderr line), or the reason
/// it failed.
fn complaints(mut cmd: Command) -> Vec<String> {
    let shown = format!("{cmd:?}");
    let out = cmd.output().unwrap_or_else(|e| panic!("{shown}: {e}"));
    let mut lines: Vec<String> = String::from_utf8_lossy(&out.stderr)
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| format!("{shown}: {l}"))
        .collect();
    if !out.status.success() {
        lines.push(format!("{shown}: exited with {}", out.status));
    }
    if out.stdout.len() < 1000 {
        lines.push(format!("{shown}: rendered only {} bytes", out.stdout.len()));
    }
    lines
}

#[test]
fn man_pages_render_without_warnings() {
    let man = installed("man");
    let groff = installed("groff");
    if !man && !groff {
        eprintln!(
            "note: man_pages_render_without_warnings skipped: neither man nor groff is installed \
             (apt-get install man-db groff-base)"
        );
        return;
    }
    let mut problems = Vec::new();
    for file in page_files() {
        if man {
            let mut cmd = Command::new("man");
            cmd.args(["-l", "--warnings=w"])
                .arg(&file)
                .env("MANWIDTH", "80")
                .env("MANPAGER", "cat")
                .env("PAGER", "cat")
                .env("LC_ALL", "C.UTF-8")
                .env_remove("MANOPT");
            problems.extend(complaints(cmd));
        }
        if groff {
            let mut cmd = Command::new("groff");
            cmd.args(["-man", "-Tutf8", "-ww", "-rLL=80n"])
                .arg(&file)
                .env("LC_ALL", "C.UTF-8");
            problems.extend(complaints(cmd));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
