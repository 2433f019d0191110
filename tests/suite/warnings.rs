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

/// The diagnostics part of stderr: everything before the last line (the summary or the built line).
fn diagnostics_of(stderr: &str) -> String {
    let lines: Vec<&str> = stderr.lines().collect();
    lines[..lines.len().saturating_sub(1)].join("\n")
}

/// `check` and `build` print the same warnings for the same content (the stale-overdue warning,
/// which needs D, was once printed by `check` only).
#[test]
fn check_and_build_print_the_same_warnings() {
    for kind in KINDS {
        let site = overlay("warnings", kind);
        let content = site.path().join("content");
        let check = Cli::new().args(["check"]).content(&content).succeeds();
        let build = Cli::new()
            .args(["build"])
            .content(&content)
            .output(site.path().join("out"))
            .succeeds();
        let printed = diagnostics_of(&check.stderr);
        assert!(printed.contains("警告："), "{kind}: {printed}");
        assert_eq!(printed, diagnostics_of(&build.stderr), "{kind}");
    }
}

/// One warning repeated more than 20 times prints the first 20 and a line counting the rest, in
/// `check` and `build` alike; `--format json` still lists every one.
#[test]
fn a_repeated_warning_is_capped_with_a_count_line() {
    let site = overlay("warnings", "placeholder");
    let content = site.path().join("content");
    let template = std::fs::read_to_string(content.join("cases/huale/X-1.yaml")).unwrap();
    for i in 2..=33 {
        let text = template.replace("id: X-1", &format!("id: X-{i}"));
        std::fs::write(content.join(format!("cases/huale/X-{i}.yaml")), text).unwrap();
    }
    let shown = |stderr: &str| stderr.matches("警告：这里还是占位文字").count();
    let check = Cli::new().args(["check"]).content(&content).succeeds();
    assert_eq!(shown(&check.stderr), 20, "{}", check.stderr);
    let more = "警告：另有 13 条同类警告（placeholder：";
    assert!(check.stderr.contains(more), "{}", check.stderr);
    assert!(check.stderr.contains("检查完成：0 个错误，33 个警告"));
    let build = Cli::new()
        .args(["build"])
        .content(&content)
        .output(site.path().join("out"))
        .succeeds();
    assert_eq!(shown(&build.stderr), 20);
    assert!(build.stderr.contains(more), "{}", build.stderr);
    let json = Cli::new()
        .args(["check", "--format", "json"])
        .content(&content)
        .succeeds();
    assert_eq!(json.stdout.matches("\"placeholder\"").count(), 33);
    let strict = Cli::new()
        .args(["check", "--strict", "--lang", "en"])
        .content(&content)
        .fails(1);
    let github = Cli::new()
        .args(["check", "--strict", "--format", "github"])
        .content(&content)
        .fails(1);
    assert_eq!(github.stdout.matches("::warning ").count(), 20);
    assert!(github.stdout.contains("::notice::警告：另有 13 条同类警告"));
    assert!(
        github
            .stderr
            .contains("--strict 把警告视为错误，检查未通过")
    );
    assert!(
        strict
            .stderr
            .ends_with("checked: 0 errors, 33 warnings; --strict treats warnings as errors, so the check failed: fix the warnings above\n"),
        "{}",
        strict.stderr
    );
}

/// Failures outside the content speak the site's language: Chinese by default, English for
/// `--lang en` or an English site.
#[test]
fn environment_errors_speak_the_language() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nowhere");
    let zh = Cli::new().args(["check"]).content(&missing).fails(3);
    assert!(
        zh.stderr.starts_with("错误：无法读取内容文件夹"),
        "{}",
        zh.stderr
    );
    assert!(!zh.stderr.contains("cannot"), "{}", zh.stderr);
    Cli::new()
        .args(["check", "--lang", "en"])
        .content(&missing)
        .fails(3)
        .stderr_has("error: cannot read the content folder");
    let site = overlay("warnings", "placeholder");
    let content = site.path().join("content");
    let taken = site.path().join("taken");
    std::fs::create_dir_all(&taken).unwrap();
    std::fs::write(taken.join("keep.txt"), "mine").unwrap();
    let refused = Cli::new()
        .args(["build"])
        .content(&content)
        .output(&taken)
        .fails(3);
    assert!(
        refused.stderr.starts_with("错误：拒绝替换"),
        "{}",
        refused.stderr
    );
}
