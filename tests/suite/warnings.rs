//! Warning fixtures: each `tests/warnings/<kind>/content/` overlays the `small` fixture with content
//! that earns warnings; `expected.txt` pins their exact text. A plain `check` exits 0 and
//! `--strict` exits 1. Also: the default content has no warning at all, and `--format github`
//! names files from the repository's top folder.

use crate::broken::{overlay, transcript};
use crate::common::{Cli, assert_fixtures_listed, copy_tree, golden, tests_dir};
use std::path::Path;
use std::process::Command;

fn check_warnings(kind: &str) {
    let site = overlay("warnings", kind);
    let content = site.path().join("content");
    let mut text = transcript(&content);
    assert!(
        !text.contains("\nexit: 1\n") && text.contains("warning"),
        "{kind}: expected warnings and exit 0:\n{text}"
    );
    let strict = Cli::new()
        .args(["check", "--lang", "en", "--strict"])
        .content(&content)
        .fails(1);
    text.push_str(&format!(
        "$ rectify check --lang en --strict\nexit: {}\n{}",
        strict.code,
        strict.stderr.lines().last().unwrap_or("")
    ));
    golden(
        &tests_dir().join("warnings").join(kind).join("expected.txt"),
        &format!("{text}\n"),
    );
}

macro_rules! warnings {
    ($($test:ident: $kind:literal,)*) => {
        $(#[test]
        fn $test() {
            check_warnings($kind);
        })*

        const KINDS: &[&str] = &[$($kind),*];
    };
}

warnings! {
    private_data_case: "private-data-case",
    private_data_note: "private-data-note",
    photo_caption: "photo-caption",
    stale_overdue: "stale-overdue",
    placeholder: "placeholder",
    placeholder_settings: "placeholder-settings",
    private_data_fields: "private-data-fields",
    closed_no_after_photo: "closed-no-after-photo",
    after_campaign: "after-campaign",
    folder_street: "folder-street",
}

#[test]
fn every_warning_fixture_has_a_test() {
    assert_fixtures_listed("warnings", KINDS);
}

/// The default content (the Yuexiu sample) passes `check --strict`: no error, no warning.
#[test]
fn default_content_has_no_warnings() {
    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    Cli::new()
        .args(["check", "--strict", "--lang", "en"])
        .content(&content)
        .succeeds()
        .stderr_has("checked: 0 errors, 0 warnings");
}

/// A stale overdue case is judged at the D the build uses: an earlier `--as-of` finds it fresh.
#[test]
fn stale_overdue_follows_as_of() {
    let site = overlay("warnings", "stale-overdue");
    Cli::new()
        .args(["check", "--strict", "--as-of", "2022-05-15"])
        .content(site.path().join("content"))
        .succeeds();
}

fn git(dir: &Path, args: &[&str]) {
    let ok = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs")
        .status
        .success();
    assert!(ok, "git {args:?}");
}

/// Annotations name files from the repository's top folder, wherever `--content` points from;
/// outside a repository, from the content folder as given.
#[test]
fn github_annotations_are_relative_to_the_repository() {
    let repo = tempfile::tempdir().unwrap();
    let content = repo.path().join("sites/yuexiu/content");
    copy_tree(&tests_dir().join("fixtures/small/content"), &content);
    copy_tree(
        &tests_dir().join("warnings/photo-caption/content"),
        &content,
    );
    git(repo.path(), &["init", "-q"]);
    let want = "::warning file=sites/yuexiu/content/cases/huale/X-1.yaml,line=9,col=11::";
    for (cwd, arg) in [
        (repo.path().to_path_buf(), "sites/yuexiu/content"),
        (content.join("cases"), ".."),
        (repo.path().join("sites"), "yuexiu/content"),
    ] {
        Cli::new()
            .cwd(&cwd)
            .args(["check", "--format", "github", "--lang", "en"])
            .content(arg)
            .succeeds()
            .stdout_has(want);
    }
    let plain = tempfile::tempdir().unwrap();
    let content = plain.path().join("content");
    copy_tree(&repo.path().join("sites/yuexiu/content"), &content);
    Cli::new()
        .cwd(plain.path())
        .args(["check", "--format", "github", "--lang", "en"])
        .content("content")
        .succeeds()
        .stdout_has("::warning file=content/cases/huale/X-1.yaml,line=9,col=11::");
}
