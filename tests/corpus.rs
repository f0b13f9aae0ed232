//! Every configuration of ../shared (samples, seed, captures, evidence and the
//! 115 real-world configs) must parse without panicking, and our `-t` exit
//! code must equal the one keepalived 2.2.7 gave on it (recorded in
//! tests/fixtures/keepalived-t/index.tsv with the interfaces it needed).
//!
//! The live comparison against the installed keepalived runs in compat-tests;
//! this test uses the recording so it runs anywhere without root.

use keepalived_rs::config::{self, LoadOptions, fs::RealFs, reader::ReadOptions};
use std::path::{Path, PathBuf};
use std::rc::Rc;

mod common;

fn shared() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared")
}

#[test]
fn corpus_exit_codes_match_keepalived() {
    let index = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/keepalived-t/index.tsv"),
    )
    .expect("fixture index");
    let shared = shared();
    if !shared.exists() {
        eprintln!("../shared not present: skipping");
        return;
    }
    let mut failures = Vec::new();
    let mut total = 0;
    for line in index.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        let (cfg, rc) = (cols[0], cols[1].parse::<i32>().expect("rc"));
        let ifaces: Vec<&str> = cols
            .get(2)
            .map(|s| s.split(',').filter(|s| !s.is_empty()).collect())
            .unwrap_or_default();
        let host = common::fixture_host(&ifaces);
        let path = shared.join(cfg);
        let opts = LoadOptions {
            read: ReadOptions {
                config_id: Some("kartest".into()),
                cwd: PathBuf::from("/"),
                ..Default::default()
            },
            config_test: true,
        };
        let loaded = config::load(
            &RealFs,
            Rc::new(host),
            path.to_str().expect("utf-8 path"),
            &opts,
        );
        let ours = loaded.config_test_exit_code();
        total += 1;
        if ours != rc {
            let msgs: Vec<String> = loaded
                .diags
                .items
                .iter()
                .map(|d| d.render(&loaded.sources))
                .take(12)
                .collect();
            failures.push(format!(
                "{cfg}: keepalived {rc}, ours {ours}\n    {}",
                msgs.join("\n    ")
            ));
        }
    }
    eprintln!(
        "{} of {total} configs agree with keepalived 2.2.7",
        total - failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} disagreements:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
