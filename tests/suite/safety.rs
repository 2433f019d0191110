//! Hostile or broken files: links and paths leading out of the content folder, oversized files,
//! parser bombs, odd encodings; interrupted builds and output folders the guard must refuse.

use crate::common::{Cli, Run, copy_tree, snapshot, tests_dir, tree};
use std::fs;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};

/// A copy of the small fixture in a temporary folder, with a secret file beside (outside) it.
fn setup() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    copy_tree(&tests_dir().join("fixtures/small/content"), &content);
    fs::create_dir(dir.path().join("outside")).unwrap();
    fs::write(dir.path().join("outside/secret.png"), "SECRET").unwrap();
    fs::write(
        dir.path().join("outside/T-099.yaml"),
        fs::read_to_string(content.join("cases/baiyun/T-004.yaml"))
            .unwrap()
            .replace("T-004", "T-099"),
    )
    .unwrap();
    (dir, content)
}

fn check(content: &Path) -> Cli {
    Cli::new().args(["check", "--lang", "en"]).content(content)
}

/// Adds `photos:` with one file to case T-004.
fn add_photo(content: &Path, file: &str) {
    let path = content.join("cases/baiyun/T-004.yaml");
    let mut text = fs::read_to_string(&path).unwrap();
    text.push_str(&format!(
        "photos:\n  - file: \"{file}\"\n    stage: before\n"
    ));
    fs::write(path, text).unwrap();
}

#[test]
fn links_leading_out_of_the_content_folder_are_errors() {
    let (dir, content) = setup();
    let outside = dir.path().join("outside");
    symlink(outside.join("secret.png"), content.join("files/leak.png")).unwrap();
    symlink(
        outside.join("T-099.yaml"),
        content.join("cases/baiyun/T-099.yaml"),
    )
    .unwrap();
    symlink(&outside, content.join("files/elsewhere")).unwrap();
    // A relative link climbing out counts the same as an absolute one.
    symlink("../../../outside", content.join("notes/2022/up")).unwrap();
    let run = check(&content).fails(1);
    for link in [
        "files/leak.png",
        "cases/baiyun/T-099.yaml",
        "files/elsewhere",
        "notes/2022/up",
    ] {
        assert!(
            run.stderr
                .contains(&format!("the file `{link}` is outside the content folder")),
            "{link}:\n{}",
            run.stderr
        );
    }
    // Nothing was built, so nothing leaked.
    build_writes_nothing(dir.path(), &content);
}

#[test]
fn links_inside_the_content_folder_are_read_for_files_and_refused_for_folders() {
    let (dir, content) = setup();
    symlink(
        content.join("files/photos/T-001-before.png"),
        content.join("files/photos/alias.png"),
    )
    .unwrap();
    add_photo(&content, "files/photos/alias.png");
    check(&content).succeeds();
    let out = dir.path().join("out");
    Cli::new()
        .args(["build"])
        .content(&content)
        .output(&out)
        .succeeds();
    // Published as its re-encoded sizes (a real file), never as the link or the original.
    assert!(out.join("files/photos/alias.png.1600.jpg").is_file());
    assert!(!out.join("files/photos/alias.png.1600.jpg").is_symlink());
    assert!(!out.join("files/photos/alias.png").exists());

    symlink(content.join("files/photos"), content.join("files/again")).unwrap();
    check(&content)
        .fails(1)
        .stderr_has("this folder is a symbolic link; it is not followed")
        .stderr_has("files/again");
}

/// A link in `files/` may not publish a content file under a harmless name: the target's bytes
/// decide, and a case's YAML (with its `private:` block) is no photo and no attachment.
#[test]
fn a_link_in_files_to_a_case_file_is_refused() {
    let (dir, content) = setup();
    symlink(
        "../../cases/baiyun/T-004.yaml",
        content.join("files/photos/leak.png"),
    )
    .unwrap();
    symlink("../cases/baiyun/T-004.yaml", content.join("files/leak.pdf")).unwrap();
    add_photo(&content, "files/photos/leak.png");
    let pub_path = content.join("publicity/article-1.md");
    let text = fs::read_to_string(&pub_path).unwrap().replace(
        "kind: article\n",
        "kind: article\nattachments: [files/leak.pdf]\n",
    );
    fs::write(&pub_path, text).unwrap();
    check(&content)
        .fails(1)
        .stderr_has("`files/photos/leak.png` is of no kind rectify publishes, not a photo")
        .stderr_has("`files/leak.pdf` is of no kind rectify publishes and cannot be published");
    build_writes_nothing(dir.path(), &content);
}

/// `build` into `dir/out` fails on the content's errors and writes nothing.
fn build_writes_nothing(dir: &Path, content: &Path) {
    let out = dir.join("out");
    Cli::new()
        .args(["build"])
        .content(content)
        .output(&out)
        .fails(1);
    assert!(!out.exists());
}

/// A named pipe in the content folder (under `files/` or as a case file) is refused at once: reading
/// it would wait forever.
#[test]
fn named_pipes_are_refused_without_hanging() {
    let (_dir, content) = setup();
    for fifo in ["files/photos/pipe.png", "cases/baiyun/T-098.yaml"] {
        let made = std::process::Command::new("mkfifo")
            .arg(content.join(fifo))
            .status()
            .unwrap();
        assert!(made.success());
    }
    let run = check(&content).fails(1);
    for fifo in ["files/photos/pipe.png", "cases/baiyun/T-098.yaml"] {
        assert!(
            run.stderr.contains(&format!("--> {fifo}:1:1")),
            "{}",
            run.stderr
        );
    }
    run.stderr_has("only regular files belong here");
}

#[test]
fn dangling_links_are_missing_files() {
    let (dir, content) = setup();
    symlink(dir.path().join("gone.md"), content.join("notes/gone.md")).unwrap();
    check(&content)
        .fails(1)
        .stderr_has("the file `notes/gone.md` does not exist");
}

#[test]
fn references_with_dot_dot_or_absolute_paths_are_outside_the_content() {
    for path in [
        "../outside/secret.png",
        "files/../../outside/secret.png",
        "/etc/passwd",
        "C:\\\\secret.png",
    ] {
        let (_dir, content) = setup();
        add_photo(&content, path);
        let shown = path.replace("\\\\", "\\");
        check(&content)
            .fails(1)
            .stderr_has(&format!("the file `{shown}` is outside the content folder"));
    }
}

#[test]
fn an_eleven_megabyte_file_is_refused() {
    let (_dir, content) = setup();
    let mut text = fs::read_to_string(content.join("cases/baiyun/T-004.yaml")).unwrap();
    text.push_str("summary: |\n");
    let line = "  这是一行很长的说明文字，用来把文件撑到十一兆字节以上。\n";
    while text.len() < 11 * 1024 * 1024 {
        text.push_str(line);
    }
    fs::write(content.join("cases/baiyun/T-004.yaml"), text).unwrap();
    check(&content)
        .fails(1)
        .stderr_has("the file is larger than the 10 MB limit")
        .stderr_has("cases/baiyun/T-004.yaml");
}

/// Runs `check` on one hostile case file, asserting a clear error naming the file. (No timing
/// assertion: speed is measured by benchmarks, not by tests a loaded machine could fail.)
fn hostile_case(text: &str) -> Run {
    let (_dir, content) = setup();
    fs::write(content.join("cases/baiyun/T-099.yaml"), text).unwrap();
    let run = check(&content).fails(1);
    assert!(
        run.stderr.contains("cases/baiyun/T-099.yaml"),
        "{}",
        run.stderr
    );
    run
}

#[test]
fn alias_bombs_are_refused_quickly() {
    let mut text =
        String::from("id: T-099\nname: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for (i, next) in ["b", "c", "d", "e", "f", "g", "h", "i", "j"]
        .iter()
        .enumerate()
    {
        let prev = if i == 0 {
            "a".to_string()
        } else {
            ["b", "c", "d", "e", "f", "g", "h", "i"][i - 1].to_string()
        };
        let refs = vec![format!("*{prev}"); 9].join(", ");
        text.push_str(&format!("{next}: &{next} [{refs}]\n"));
    }
    hostile_case(&text).stderr_has("invalid YAML");
}

#[test]
fn ten_thousand_levels_of_nesting_are_refused_without_a_crash() {
    let flow = format!("id: T-099\nname: {}\n", "[".repeat(10_000));
    let compact = format!("id: T-099\nname:\n{}x\n", "- ".repeat(10_000));
    // Indented levels, as many as fit under the size limit.
    let block: String = (0..2_000)
        .map(|i| format!("{}- \n", " ".repeat(i)))
        .collect();
    for text in [flow, compact, format!("id: T-099\nname:\n{block}")] {
        hostile_case(&text).stderr_has("nested more than 24 levels deep");
    }
}

#[test]
fn empty_files_and_nul_bytes_are_errors() {
    hostile_case("").stderr_has("the file is empty");
    hostile_case("\n  \n").stderr_has("the file is empty");
    hostile_case("id: T-099\nname: a\0b\n").stderr_has("invalid YAML");
}

#[test]
fn crlf_line_endings_and_a_byte_order_mark_are_read() {
    let (dir, content) = setup();
    for rel in [
        "cases/baiyun/T-004.yaml",
        "notes/2022/2022-04-05-patrol.md",
        "site.yaml",
    ] {
        let path = content.join(rel);
        let text = fs::read_to_string(&path).unwrap().replace('\n', "\r\n");
        fs::write(&path, format!("\u{feff}{text}")).unwrap();
    }
    check(&content).succeeds();
    let (out, plain) = (dir.path().join("out"), dir.path().join("plain"));
    Cli::new()
        .args(["build"])
        .content(&content)
        .output(&out)
        .succeeds();
    let (_d2, original) = setup();
    Cli::new()
        .args(["build"])
        .content(&original)
        .output(&plain)
        .succeeds();
    let case = |root: &Path| fs::read_to_string(root.join("cases/T-004.html")).unwrap();
    assert_eq!(case(&out), case(&plain), "CRLF and BOM change nothing");
}

#[test]
fn an_interrupted_build_leaves_the_previous_output_and_no_staging_folder() {
    let (dir, content) = setup();
    let out = dir.path().join("out");
    Cli::new()
        .args(["build"])
        .content(&content)
        .output(&out)
        .succeeds();
    let before = snapshot(&out);
    let siblings = fs::read_dir(dir.path()).unwrap().count();
    // Changed content, so the new build would differ from the old one.
    let case = content.join("cases/baiyun/T-004.yaml");
    let text = fs::read_to_string(&case)
        .unwrap()
        .replace("某喷漆作坊", "某改名作坊");
    fs::write(&case, text).unwrap();
    for after in ["0", "5", "20"] {
        Cli::new()
            .args(["build"])
            .content(&content)
            .output(&out)
            .env("RECTIFY_TEST_FAIL_AFTER", after)
            .fails(3)
            .stderr_has("simulated write failure");
        assert!(snapshot(&out) == before, "the previous output changed");
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            siblings,
            "a staging folder was left behind: {:?}",
            tree(dir.path())
                .iter()
                .filter(|p| p.starts_with('.'))
                .collect::<Vec<_>>()
        );
    }
}

#[test]
fn guard_refuses_the_root_and_the_home_folder() {
    let (dir, content) = setup();
    Cli::new()
        .args(["build"])
        .content(&content)
        .output("/")
        .fails(3)
        .stderr_has("错误：拒绝把网站写入根文件夹");
    let home = dir.path().join("home");
    fs::create_dir(&home).unwrap();
    fs::write(home.join(".bashrc"), "precious").unwrap();
    Cli::new()
        .args(["build"])
        .content(&content)
        .output(&home)
        .env("HOME", &home)
        .fails(3)
        .stderr_has("错误：拒绝替换主文件夹");
    // The home folder given with a trailing `/.`, still refused.
    Cli::new()
        .args(["build"])
        .content(&content)
        .output(home.join("."))
        .env("HOME", &home)
        .fails(3)
        .stderr_has("错误：拒绝替换主文件夹");
    assert_eq!(tree(&home), [".bashrc"]);
}

/// 100,000 levels of `>`, `<div>` or list markers, in each kind of Markdown field: refused by
/// `check` at the file and line, in time linear in the text (rendering them took minutes).
#[test]
fn markdown_nested_a_hundred_thousand_levels_deep_is_refused() {
    let n = 100_000;
    let (_dir, content) = setup();
    let note = content.join("notes/2022/2022-04-05-patrol.md");
    let text = fs::read_to_string(&note).unwrap();
    fs::write(&note, format!("{text}\n第二段\n\n{} x\n", ">".repeat(n))).unwrap();
    let line_of_quotes = text.lines().count() + 4;
    let case = content.join("cases/baiyun/T-004.yaml");
    let text = fs::read_to_string(&case).unwrap();
    fs::write(
        &case,
        format!("{text}summary: \"{}x\"\n", "<div>".repeat(n)),
    )
    .unwrap();
    let case_line = text.lines().count() + 1;
    let tasks = content.join("tasks.yaml");
    let text = fs::read_to_string(&tasks).unwrap().replacen(
        "    区科工信局牵头，各街道落实。\n",
        &format!(
            "    区科工信局牵头，各街道落实。\n    {}x\n",
            "- ".repeat(n)
        ),
        1,
    );
    fs::write(&tasks, text).unwrap();
    let run = check(&content)
        .fails(1)
        .stderr_has("nested more than 100 levels deep")
        .stderr_has(&format!(
            "notes/2022/2022-04-05-patrol.md:{line_of_quotes}:"
        ))
        .stderr_has(&format!("cases/baiyun/T-004.yaml:{case_line}:"))
        .stderr_has("tasks.yaml:5:");
    assert_eq!(
        run.stderr.matches("nested more than").count(),
        3,
        "{}",
        run.stderr
    );
    Cli::new()
        .args(["build"])
        .content(&content)
        .output(content.parent().unwrap().join("out"))
        .fails(1)
        .stderr_has("嵌套超过 100 层");
}
