//! Bad input never makes the front end panic, hang or grow without bound;
//! each case gets a clear message naming the file and line.

use keepalived_rs::config::{
    self, LoadOptions, Loaded, fs::RealFs, fs::memfs::MemFs, host::FakeHost, reader::ReadOptions,
};
use std::path::PathBuf;
use std::rc::Rc;

fn load_bytes(main: &[u8]) -> Loaded {
    let mut fs = MemFs::new();
    fs.add_bytes("/etc/keepalived/keepalived.conf", main);
    load_fs(&fs)
}

fn load_fs(fs: &MemFs) -> Loaded {
    let opts = LoadOptions {
        read: ReadOptions {
            config_id: Some("node1".into()),
            cwd: PathBuf::from("/etc/keepalived"),
            ..Default::default()
        },
        config_test: true,
    };
    config::load(
        fs,
        Rc::new(FakeHost::with_interfaces(&["eth0"])),
        "/etc/keepalived/keepalived.conf",
        &opts,
    )
}

fn rendered(l: &Loaded) -> Vec<String> {
    l.diags.items.iter().map(|d| d.render(&l.sources)).collect()
}

#[test]
fn empty_file_is_a_clean_config() {
    let l = load_bytes(b"");
    assert_eq!(l.config_test_exit_code(), 0);
    assert!(l.config.instances.is_empty());
}

#[test]
fn binary_file_is_reported_line_by_line_without_panic() {
    let data: Vec<u8> = (0..20_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
        .collect();
    let l = load_bytes(&data);
    assert_ne!(l.config_test_exit_code(), 0);
    assert!(
        rendered(&l)
            .iter()
            .any(|m| m.contains("keepalived.conf: Line")),
        "messages must name file and line"
    );
}

#[test]
fn deep_nesting_is_bounded() {
    let mut text = String::new();
    for _ in 0..100_000 {
        text.push_str("vrrp_instance X {\n virtual_ipaddress {\n");
    }
    // completing at all is the point (no recursion overflow, no hang)
    let l = load_bytes(text.as_bytes());
    assert_ne!(l.config_test_exit_code(), 0);
}

#[test]
fn nested_unknown_blocks_are_read_flat_at_the_current_level() {
    let text = "foo {\n".repeat(10_000) + &"}\n".repeat(10_000);
    let l = load_bytes(text.as_bytes());
    assert_eq!(l.config_test_exit_code(), 5);
}

#[test]
fn huge_line_is_split_into_1023_byte_chunks() {
    let mut text = "router_id ".to_string();
    text.push_str(&"x".repeat(5_000_000));
    let l = load_bytes(format!("global_defs {{\n{text}\n}}\n").as_bytes());
    assert_eq!(
        l.config_test_exit_code(),
        5,
        "the continuation chunks are unknown keywords, as in keepalived"
    );
}

#[test]
fn include_cycle_is_named() {
    let mut fs = MemFs::new();
    fs.add("/etc/keepalived/keepalived.conf", "include a.conf\n")
        .add("/etc/keepalived/a.conf", "include keepalived.conf\n");
    let l = load_fs(&fs);
    let msgs = rendered(&l);
    assert!(
        msgs.iter()
            .any(|m| m.contains("a.conf: Line 1") && m.contains("include cycle")),
        "{msgs:?}"
    );
}

#[test]
fn seq_bomb_stops_with_a_message() {
    let l = load_bytes(b"~SEQ(A,1,1000000000) ~SEQ(B,1,1000000000) x $A $B\n");
    assert!(rendered(&l).iter().any(|m| m.contains("expansion exceeds")));
}

#[test]
fn self_referencing_definition_does_not_hang() {
    let l = load_bytes(b"$A=$A\nrouter_id $A\n");
    assert!(
        rendered(&l)
            .iter()
            .any(|m| m.contains("does not terminate"))
    );
}

#[test]
fn keywords_of_a_refused_instance_without_any_instance_do_not_panic() {
    // Found by fuzzing: `vrrp_instance` without a name, its keywords on the
    // next lines without `{`. keepalived writes into the last instance of its
    // list (undefined when there is none); we discard.
    let l = load_bytes(b"vrrp_instance\n priority 50\n}\n");
    assert!(l.config.instances.is_empty());
    assert!(
        rendered(&l)
            .iter()
            .any(|m| m.ends_with("vrrp_instance must have a name"))
    );
}

#[test]
fn keywords_of_a_refused_instance_go_to_the_previous_one_as_in_keepalived() {
    let l = load_bytes(b"vrrp_instance A {\n}\nvrrp_instance A\n priority 50\n}\n");
    assert_eq!(l.config.instances.len(), 1);
    assert_eq!(l.config.instances[0].priority, Some(50));
}

#[test]
fn directory_as_config_file() {
    let dir = std::env::temp_dir().join(format!("kr-badinput-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let opts = LoadOptions {
        config_test: true,
        ..Default::default()
    };
    let l = config::load(
        &RealFs,
        Rc::new(FakeHost::with_interfaces(&[])),
        dir.to_str().expect("utf-8"),
        &opts,
    );
    let msgs = rendered(&l);
    std::fs::remove_dir(&dir).ok();
    assert!(l.not_opened);
    assert!(
        msgs.iter().any(|m| m.contains("is a directory")),
        "{msgs:?}"
    );
}
