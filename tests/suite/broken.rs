//! Broken fixtures: each `tests/broken/<kind>/content/` overlays the valid `small` fixture with one
//! mistake (or several, for `many-problems`); `expected.txt` pins the exit code and the exact
//! diagnostic text of `rectify check` in English and in Chinese.

use crate::common::{Cli, assert_fixtures_listed, copy_tree, golden, tests_dir};
use std::fs;
use std::path::Path;

/// The small fixture with the overlay of `kind` written over it, in a temporary folder.
fn broken_site(kind: &str) -> tempfile::TempDir {
    overlay("broken", kind)
}

/// The small fixture with `tests/<set>/<kind>/content/` written over it, in a temporary folder.
pub fn overlay(set: &str, kind: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    copy_tree(&tests_dir().join("fixtures/small/content"), &content);
    copy_tree(&tests_dir().join(set).join(kind).join("content"), &content);
    dir
}

/// `rectify check` in English and in Chinese: exit codes and stderr.
pub fn transcript(content: &Path) -> String {
    let mut out = String::new();
    for lang in ["en", "zh-CN"] {
        let run = Cli::new()
            .args(["check", "--lang", lang])
            .content(content)
            .run();
        out.push_str(&format!(
            "$ rectify check --lang {lang}\nexit: {}\n{}",
            run.code, run.stderr
        ));
        assert!(
            run.stdout.is_empty(),
            "check --format human prints to stderr only"
        );
    }
    out
}

fn check_broken(kind: &str) {
    let site = broken_site(kind);
    let text = transcript(&site.path().join("content"));
    assert!(
        text.contains("\nexit: 1\n"),
        "{kind}: expected exit 1:\n{text}"
    );
    golden(
        &tests_dir().join("broken").join(kind).join("expected.txt"),
        &text,
    );
}

macro_rules! broken {
    ($($test:ident: $kind:literal,)*) => {
        $(#[test]
        fn $test() {
            check_broken($kind);
        })*

        const KINDS: &[&str] = &[$($kind),*];
    };
}

broken! {
    unknown_field: "unknown-field",
    missing_field: "missing-field",
    bad_date: "bad-date",
    impossible_date: "impossible-date",
    rectified_before_found: "rectified-before-found",
    closed_without_rectified: "closed-without-rectified",
    relapse_before_closed: "relapse-before-closed",
    overlapping_relapses: "overlapping-relapses",
    unknown_street: "unknown-street",
    unknown_street_name: "unknown-street-name",
    campaign_end_before_start: "campaign-end-before-start",
    unknown_department: "unknown-department",
    unknown_task: "unknown-task",
    duplicate_id: "duplicate-id",
    id_file_mismatch: "id-file-mismatch",
    reserved_id: "reserved-id",
    reserved_slug: "reserved-slug",
    duplicate_slug: "duplicate-slug",
    closed_before_rectified: "closed-before-rectified",
    duplicate_key: "duplicate-key",
    tab_indent: "tab-indent",
    full_width_colon: "full-width-colon",
    invalid_utf8: "invalid-utf8",
    empty_file: "empty-file",
    stray_file: "stray-file",
    note_cites_later_case: "note-cites-later-case",
    missing_photo: "missing-photo",
    photo_outside_content: "photo-outside-content",
    polluting_without_pollution: "polluting-without-pollution",
    bad_enum: "bad-enum",
    front_matter_missing: "front-matter-missing",
    front_matter_unclosed: "front-matter-unclosed",
    broken_link: "broken-link",
    many_problems: "many-problems",
    file_kinds: "file-kinds",
    blank_field: "blank-field",
    hidden_character: "hidden-character",
    yaml_tag: "yaml-tag",
    date_out_of_range: "date-out-of-range",
    bad_theme: "bad-theme",
    unknown_theme: "unknown-theme",
    bad_slug: "bad-slug",
}

#[test]
fn every_broken_fixture_has_a_test() {
    assert_fixtures_listed("broken", KINDS);
}

/// Every problem of every file comes out in one run, in `--format json` too, and `build` refuses
/// the same site with exit 1 and the same diagnostics.
#[test]
fn many_problems_are_reported_at_once() {
    let site = broken_site("many-problems");
    let content = site.path().join("content");
    let json = Cli::new()
        .args(["check", "--format", "json"])
        .content(&content)
        .fails(1)
        .stdout_has("\"file\": \"cases/huale/X-1.yaml\"");
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let codes: Vec<&str> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    for code in [
        "bad-date",
        "unknown-reference",
        "bad-value",
        "date-order",
        "unknown-field",
        "future-case",
    ] {
        assert!(codes.contains(&code), "{code} missing from {codes:?}");
    }
    let build = Cli::new()
        .args(["build", "--output"])
        .args([site.path().join("out")])
        .content(&content)
        .fails(1)
        .stderr_has("错误：未知的街道 `dongshn`")
        .stderr_has("`found` 的日期 `2022/4/1` 无效");
    let _ = build;
    assert!(
        !site.path().join("out").exists(),
        "a failed build writes nothing"
    );
}

/// A case filed under another street's folder is a warning: exit 0, or 1 with `--strict`.
#[test]
fn folder_street_mismatch_is_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    copy_tree(&tests_dir().join("fixtures/small/content"), &content);
    fs::rename(
        content.join("cases/baiyun/T-004.yaml"),
        content.join("cases/dongshan/T-004.yaml"),
    )
    .unwrap();
    let warning = "warning: the case is in the folder `dongshan` but its street is `baiyun`";
    Cli::new()
        .args(["check", "--lang", "en"])
        .content(&content)
        .succeeds()
        .stderr_has(warning)
        .stderr_has("checked: 0 errors, 1 warning");
    Cli::new()
        .args(["check", "--lang", "en", "--strict"])
        .content(&content)
        .fails(1)
        .stderr_has(warning);
}
