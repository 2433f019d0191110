//! Tests of the sample generator: determinism and the date rules of every case file.

use super::{Spec, generate};
use std::collections::BTreeMap;
use std::path::Path;

fn read_tree(root: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.expect("walk"))
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(root)
                .expect("inside")
                .to_string_lossy()
                .into_owned();
            (rel, std::fs::read(e.path()).expect("read"))
        })
        .collect()
}

fn generated(spec: &Spec) -> (tempfile::TempDir, BTreeMap<String, Vec<u8>>) {
    let dir = tempfile::tempdir().expect("temp dir");
    generate(spec, dir.path()).expect("generate");
    let tree = read_tree(dir.path());
    (dir, tree)
}

#[test]
fn same_spec_gives_identical_bytes() {
    for spec in [
        Spec::default(),
        Spec {
            streets: Some(5),
            cases: 60,
            seed: 7,
            ..Spec::default()
        },
    ] {
        let (_a, first) = generated(&spec);
        let (_b, second) = generated(&spec);
        assert!(first.len() > 50);
        assert_eq!(first, second);
    }
}

#[test]
fn default_spec_rewrites_the_checked_in_content_identically() {
    let (_dir, tree) = generated(&Spec::default());
    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    assert_eq!(
        tree,
        read_tree(&content),
        "run `cargo run --bin gen-content -- --out content --clean`"
    );
}

/// The value of a top-level `key: value` line.
fn top(text: &str, key: &str) -> Option<String> {
    text.lines()
        .find_map(|l| l.strip_prefix(&format!("{key}: ")).map(str::to_string))
}

#[test]
fn case_dates_are_in_order() {
    let (_dir, tree) = generated(&Spec::default());
    let cases: Vec<(&String, String)> = tree
        .iter()
        .filter(|(p, _)| p.starts_with("cases"))
        .map(|(p, b)| (p, String::from_utf8(b.clone()).expect("utf-8")))
        .collect();
    assert_eq!(cases.len(), 200);
    for (path, text) in cases {
        let found = top(&text, "found").expect("found");
        let [rectified, closed, deadline] =
            ["rectified", "closed", "deadline"].map(|k| top(&text, k));
        if let Some(r) = &rectified {
            assert!(&found <= r, "{path}");
        }
        if let Some(c) = &closed {
            assert!(rectified.as_ref().is_some_and(|r| r <= c), "{path}");
        }
        if let Some(d) = &deadline {
            assert!(&found <= d, "{path}");
        }
        let id = top(&text, "id").expect("id");
        assert!(path.ends_with(&format!("{id}.yaml")), "{path}");
    }
}

#[test]
fn counts_spread_exactly() {
    assert_eq!(
        super::cases::spread(200, &super::YUEXIU_WEIGHTS)
            .iter()
            .sum::<usize>(),
        200
    );
    assert_eq!(
        super::cases::spread(200, &super::YUEXIU_WEIGHTS),
        super::YUEXIU_WEIGHTS.map(|w| w as usize)
    );
    assert_eq!(super::cases::spread(7, &[1, 1, 1]).iter().sum::<usize>(), 7);
}
