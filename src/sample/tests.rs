//! Tests of the sample generator: determinism and the date rules of every case file.

use super::{Spec, generate};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

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

/// The default content, generated once per test run (111 photos: the slow part of these tests);
/// the tests only read it.
fn default_tree() -> &'static BTreeMap<String, Vec<u8>> {
    static TREE: OnceLock<BTreeMap<String, Vec<u8>>> = OnceLock::new();
    TREE.get_or_init(|| generated(&Spec::default()).1)
}

#[test]
fn same_spec_gives_identical_bytes() {
    let small = Spec {
        streets: Some(5),
        cases: 60,
        seed: 7,
        ..Spec::default()
    };
    let (_a, first) = generated(&small);
    let (_b, second) = generated(&small);
    assert!(first.len() > 50);
    assert_eq!(first, second);
    let (_c, again) = generated(&Spec::default());
    assert!(again.len() > 50);
    assert_eq!(&again, default_tree());
}

#[test]
fn default_spec_rewrites_the_checked_in_content_identically() {
    let tree = default_tree();
    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    assert_eq!(
        tree,
        &read_tree(&content),
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
    let tree = default_tree();
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

fn texts(tree: &BTreeMap<String, Vec<u8>>, prefix: &str) -> Vec<(String, String)> {
    tree.iter()
        .filter(|(p, _)| p.starts_with(prefix) && !p.ends_with(".png") && !p.ends_with(".pdf"))
        .map(|(p, b)| (p.clone(), String::from_utf8(b.clone()).expect("utf-8")))
        .collect()
}

/// Roads, communities and grids agree with the case's street; grids are named in Chinese.
#[test]
fn places_belong_to_their_street() {
    let tree = default_tree();
    let org = super::Org::yuexiu();
    for (path, text) in texts(tree, "cases/") {
        let folder = path.split('/').nth(1).expect("street folder");
        let street = org.streets.iter().find(|s| s.id == folder).expect("street");
        let location = top(&text, "location").expect("location");
        let road = location.strip_suffix("一带").expect("一带");
        assert!(
            super::vocab::roads_of(folder).contains(&road),
            "{path}: {road}"
        );
        assert!(top(&text, "name").unwrap().starts_with(road), "{path}");
        if let Some(c) = top(&text, "community") {
            assert!(street.communities.contains(&c), "{path}: {c}");
        }
        if let Some(g) = top(&text, "grid") {
            assert!(
                g.starts_with(&format!("{}街第", street.short())) && g.ends_with("网格"),
                "{path}: {g}"
            );
        }
    }
}

/// Every task (一)…(九) and every department has some work: a case or a note names it.
#[test]
fn every_task_and_unit_has_work() {
    let tree = default_tree();
    let mut all = String::new();
    for (_, text) in texts(tree, "cases/")
        .into_iter()
        .chain(texts(tree, "notes/"))
    {
        all.push_str(&text);
    }
    let listed = |key: &str, value: &str| {
        all.contains(&format!("{key}:\n  - {value}\n")) || all.contains(&format!("\n  - {value}\n"))
    };
    for task in 1..=9 {
        assert!(listed("tasks", &task.to_string()), "task {task}");
    }
    let org = super::YUEXIU_ORGANISATION;
    let departments: Vec<&str> = org
        .split("streets:")
        .next()
        .unwrap()
        .lines()
        .filter_map(|l| l.strip_prefix("  - id: "))
        .collect();
    assert!(departments.contains(&"fgj"));
    for unit in departments {
        assert!(listed("units", unit), "unit {unit}");
    }
}

/// Relapse notes and log texts vary; publicity items are distinct, the 六五环境日 article is dated
/// 6月5日, and attachments are Chinese PDFs.
#[test]
fn texts_vary_and_publicity_is_distinct() {
    let tree = default_tree();
    let cases = texts(tree, "cases/");
    let relapse_notes: std::collections::BTreeSet<&str> = cases
        .iter()
        .flat_map(|(_, t)| t.lines())
        .filter_map(|l| l.strip_prefix("    note: "))
        .filter(|n| super::vocab::RELAPSE_NOTES.contains(n))
        .collect();
    assert!(relapse_notes.len() >= 4, "{relapse_notes:?}");
    let found_texts: std::collections::BTreeSet<&str> = cases
        .iter()
        .filter_map(|(_, t)| t.split("log:\n  - date: ").nth(1))
        .filter_map(|l| l.lines().nth(1))
        .collect();
    assert!(found_texts.len() >= 8, "{found_texts:?}");
    let publicity = texts(tree, "publicity/");
    let titles: std::collections::BTreeSet<String> = publicity
        .iter()
        .map(|(_, t)| top(t, "title").unwrap())
        .collect();
    assert_eq!(titles.len(), publicity.len());
    let bodies: std::collections::BTreeSet<&str> = publicity
        .iter()
        .map(|(_, t)| {
            t.rsplit("---\n")
                .next()
                .unwrap()
                .trim_start()
                .split("\n\n")
                .next()
                .unwrap()
        })
        .collect();
    assert_eq!(bodies.len(), publicity.len());
    let june5 = publicity
        .iter()
        .find(|(_, t)| top(t, "title").unwrap().contains("六五环境日"))
        .expect("a 六五环境日 item");
    assert_eq!(top(&june5.1, "date").unwrap(), "2022-06-05");
    assert_eq!(top(&june5.1, "kind").unwrap(), "article");
    let pdfs: Vec<&Vec<u8>> = tree
        .iter()
        .filter(|(p, _)| p.ends_with(".pdf"))
        .map(|(_, b)| b)
        .collect();
    assert!(pdfs.len() >= 2);
    for bytes in pdfs {
        let text = String::from_utf8_lossy(bytes);
        assert!(text.contains("/UniGB-UCS2-H") && !text.contains("sample attachment"));
    }
}

/// A street's patrol follows the river that runs through it.
#[test]
fn patrols_follow_their_street_s_river() {
    let tree = default_tree();
    let org = super::Org::yuexiu();
    let mut seen = 0;
    for (path, text) in texts(tree, "notes/") {
        let Some(id) =
            top(&text, "street").filter(|_| top(&text, "kind").as_deref() == Some("patrol"))
        else {
            continue;
        };
        let street = org.streets.iter().find(|s| s.id == id).expect("street");
        let river = super::vocab::river_near(&street.name).expect("a river");
        assert!(text.contains(&format!("沿{river}流域")), "{path}");
        seen += 1;
    }
    assert!(seen >= 2, "{seen}");
}
