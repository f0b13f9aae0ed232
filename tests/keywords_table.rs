//! grammar/keywords.tsv and the parser's keyword tables must list the same
//! keywords in the same blocks (the table drives documentation; the parser
//! drives behaviour; this test keeps them in step).

use keepalived_rs::config::keywords::keyword_paths;
use std::collections::BTreeSet;

#[test]
fn keywords_tsv_matches_parser_tables() {
    let tsv = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/grammar/keywords.tsv"))
        .expect("keywords.tsv");
    let mut header = true;
    let mut documented = BTreeSet::new();
    for line in tsv.lines() {
        if header {
            header = false;
            assert!(
                line.starts_with("block\tkeyword\tkind"),
                "unexpected header: {line}"
            );
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        assert_eq!(cols.len(), 7, "row must have 7 columns: {line}");
        assert!(
            matches!(cols[5], "supported" | "parsed-only" | "not-supported"),
            "status must be supported, parsed-only or not-supported: {line}"
        );
        if cols[0] == "preprocessor" {
            continue;
        }
        let opens = matches!(cols[2], "block" | "block_value");
        documented.insert((cols[0].to_string(), cols[1].to_string(), opens));
    }
    let parsed: BTreeSet<(String, String, bool)> = keyword_paths().into_iter().collect();
    let missing_in_parser: Vec<_> = documented.difference(&parsed).collect();
    let missing_in_tsv: Vec<_> = parsed.difference(&documented).collect();
    assert!(
        missing_in_parser.is_empty() && missing_in_tsv.is_empty(),
        "keywords.tsv and the parser differ.\nin keywords.tsv only: {missing_in_parser:#?}\nin the parser only: {missing_in_tsv:#?}"
    );
}
