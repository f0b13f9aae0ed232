//! The whole configuration front end: bytes → reader (includes, definitions,
//! generators) → keyword engine → validation → diagnostics. Must never panic,
//! hang or grow without bound. The input is split at the first 0xff byte into
//! the main file and an included file, so include handling is fuzzed too.
#![no_main]

use keepalived_rs::config::{self, LoadOptions, fs::memfs::MemFs, host::FakeHost, reader::ReadOptions};
use libfuzzer_sys::fuzz_target;
use std::path::PathBuf;
use std::rc::Rc;

fuzz_target!(|data: &[u8]| {
    let (main, inc) = match data.iter().position(|&b| b == 0xff) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[][..]),
    };
    let mut fs = MemFs::new();
    fs.add_bytes("/etc/keepalived/keepalived.conf", main);
    fs.add_bytes("/etc/keepalived/inc/a.conf", inc);
    let host = FakeHost::with_interfaces(&["eth0", "eth1"]);
    let opts = LoadOptions {
        read: ReadOptions { config_id: Some("node1".into()), cwd: PathBuf::from("/etc/keepalived"), ..Default::default() },
        config_test: true,
    };
    let loaded = config::load(&fs, Rc::new(host), "/etc/keepalived/keepalived.conf", &opts);
    for d in &loaded.diags.items {
        let _ = d.render_console(&loaded.sources);
    }
});
