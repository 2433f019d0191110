//! Determinism, all-or-nothing writes and the output guard.

use crate::common::{Cli, copy_tree, snapshot, tests_dir, tree};
use rectify::sample::{Spec, generate};
use std::fs;
use std::path::Path;

fn small() -> std::path::PathBuf {
    tests_dir().join("fixtures/small/content")
}

fn build(content: &Path, output: &Path) {
    Cli::new()
        .args(["build"])
        .content(content)
        .output(output)
        .succeeds();
}

fn assert_same_tree(a: &Path, b: &Path) {
    let (a, b) = (snapshot(a), snapshot(b));
    let names = |s: &[(String, Vec<u8>)]| s.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(names(&a), names(&b), "the same files");
    for ((name, x), (_, y)) in a.iter().zip(&b) {
        assert!(x == y, "{name} differs between the two builds");
    }
}

#[test]
fn same_content_gives_byte_identical_trees() {
    let dir = tempfile::tempdir().unwrap();
    let generated = dir.path().join("generated");
    let spec = Spec {
        seed: 5,
        cases: 15,
        streets: Some(3),
        notes: 3,
        publicity: 2,
        photos: true,
    };
    generate(&spec, &generated).unwrap();
    for content in [small(), generated] {
        let (one, two) = (dir.path().join("one"), dir.path().join("two"));
        build(&content, &one);
        build(&content, &two);
        assert_same_tree(&one, &two);
        // Building again over a previous output gives the same bytes too.
        build(&content, &one);
        assert_same_tree(&one, &two);
        fs::remove_dir_all(&one).unwrap();
        fs::remove_dir_all(&two).unwrap();
    }
}

#[test]
fn failed_build_leaves_the_previous_output_alone() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    let out = dir.path().join("out");
    copy_tree(&small(), &content);
    build(&content, &out);
    let before = snapshot(&out);
    let siblings = tree(dir.path()).len();
    fs::write(
        content.join("cases/baiyun/T-004.yaml"),
        "id: T-004\nname: x\nstreet: nowhere\n",
    )
    .unwrap();
    Cli::new()
        .args(["build"])
        .content(&content)
        .output(&out)
        .fails(1)
        .stderr_has("cases/baiyun/T-004.yaml");
    assert!(snapshot(&out) == before, "the previous output changed");
    assert_eq!(
        tree(dir.path()).len(),
        siblings,
        "a staging folder was left behind"
    );
}

#[test]
fn check_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&small(), &dir.path().join("content"));
    let before = snapshot(dir.path());
    // Reads ./content by default.
    Cli::new()
        .args(["check", "--lang", "en"])
        .cwd(dir.path())
        .succeeds()
        .stderr_has("checked: 0 errors, 0 warnings");
    assert!(snapshot(dir.path()) == before);
}

#[test]
fn build_defaults_to_content_and_output_in_the_working_folder() {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&small(), &dir.path().join("content"));
    Cli::new().args(["build"]).cwd(dir.path()).succeeds();
    assert!(dir.path().join("output/.rectify-output").is_file());
    assert!(dir.path().join("output/data/summary.json").is_file());
}

#[test]
fn guard_refuses_a_foreign_non_empty_folder() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("mine");
    fs::create_dir(&out).unwrap();
    fs::write(out.join("thesis.docx"), "precious").unwrap();
    Cli::new()
        .args(["build"])
        .content(small())
        .output(&out)
        .fails(3)
        .stderr_has("文件夹不为空，且不是 rectify 生成的（没有 .rectify-output 文件）");
    assert_eq!(tree(&out), ["thesis.docx"]);
    assert_eq!(
        fs::read_to_string(out.join("thesis.docx")).unwrap(),
        "precious"
    );
}

#[test]
fn guard_refuses_to_replace_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site.html");
    fs::write(&out, "precious").unwrap();
    Cli::new()
        .args(["build"])
        .content(small())
        .output(&out)
        .fails(3)
        .stderr_has("它是文件，不是文件夹");
    assert_eq!(fs::read_to_string(&out).unwrap(), "precious");
}

#[test]
fn guard_accepts_an_empty_folder() {
    let dir = tempfile::tempdir().unwrap();
    build(&small(), dir.path());
    assert!(dir.path().join(".rectify-output").is_file());
}

#[test]
fn guard_refuses_the_content_folder_and_its_ancestors() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("site/content");
    copy_tree(&small(), &content);
    let before = snapshot(dir.path());
    for out in [
        content.clone(),
        dir.path().join("site"),
        dir.path().to_path_buf(),
    ] {
        Cli::new()
            .args(["build"])
            .content(&content)
            .output(&out)
            .fails(3)
            .stderr_has("其中有内容文件夹");
    }
    // Also through a relative path that climbs back into the content folder.
    Cli::new()
        .args(["build", "--output", "content/cases/.."])
        .args(["--content", "content"])
        .cwd(dir.path().join("site"))
        .fails(3)
        .stderr_has("其中有内容文件夹");
    assert!(snapshot(dir.path()) == before, "the content was touched");
}

#[test]
fn csv_cells_cannot_carry_spreadsheet_formulas() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    copy_tree(&small(), &content);
    let case = content.join("cases/baiyun/T-004.yaml");
    let text = fs::read_to_string(&case).unwrap();
    let name = text.lines().find(|l| l.starts_with("name:")).unwrap();
    let text = text.replace(
        name,
        "name: \"=HYPERLINK(\\\"http://evil\\\",\\\"点击\\\")\"",
    );
    fs::write(&case, text).unwrap();
    let out = dir.path().join("out");
    build(&content, &out);
    let csv = fs::read_to_string(out.join("data/cases.csv")).unwrap();
    assert!(
        csv.contains(r#""'=HYPERLINK(""http://evil"",""点击"")""#),
        "{csv}"
    );
    assert!(!csv.contains(",\"=HYPERLINK"), "{csv}");
}
