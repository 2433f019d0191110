//! The commands beside build and check: init, new, schema, diff, and the CI examples in docs/ci.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use support::git;

const BIN: &str = env!("CARGO_BIN_EXE_rectify");

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs rectify in `dir` and returns its output.
fn rectify(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .env(
            "RECTIFY_CACHE_DIR",
            concat!(env!("CARGO_TARGET_TMPDIR"), "/cache"),
        )
        .args(args)
        .current_dir(dir)
        .output()
        .expect("rectify runs")
}

fn code(out: &Output) -> i32 {
    out.status.code().unwrap_or(-1)
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[track_caller]
fn assert_ok(out: &Output) {
    assert_eq!(
        code(out),
        0,
        "stdout:\n{}\nstderr:\n{}",
        text(&out.stdout),
        text(&out.stderr)
    );
}

/// 2025-06-01, as `SOURCE_DATE_EPOCH`: the day these tests make their starter on, so its year is 2025.
const JUNE_2025: &str = "1748736000";

/// A fresh campaign made by `rectify init` in a temporary folder, on 2025-06-01.
fn init() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(BIN)
        .args(["init", "."])
        .env("SOURCE_DATE_EPOCH", JUNE_2025)
        .current_dir(dir.path())
        .output()
        .expect("rectify runs");
    assert_ok(&out);
    dir
}

#[test]
fn init_writes_a_campaign_that_checks_and_builds() {
    let dir = init();
    let content = dir.path().join("content");
    for f in [
        "site.yaml",
        "organisation.yaml",
        "plan.md",
        "tasks.yaml",
        "files/.gitkeep",
    ] {
        assert!(content.join(f).exists(), "{f}");
    }
    let site = std::fs::read_to_string(content.join("site.yaml")).unwrap();
    assert!(
        site.contains("# 网站标题"),
        "site.yaml explains its fields in Chinese"
    );
    // Valid as written and free of warnings: the CI workflow runs `check --strict`.
    let check = rectify(dir.path(), &["check", "--strict"]);
    assert_ok(&check);
    assert!(
        text(&check.stderr).contains("0 个错误，0 个警告"),
        "{}",
        text(&check.stderr)
    );
    for f in [
        "README.md",
        ".gitignore",
        ".vscode/settings.json",
        ".github/workflows/rectify.yml",
        "schemas/case.schema.json",
    ] {
        assert!(dir.path().join(f).exists(), "{f}");
    }
    assert_ok(&rectify(dir.path(), &["build", "--output", "out"]));
    assert!(dir.path().join("out/index.html").exists());
    assert!(dir.path().join("out/cases/XX2025-0001.html").exists());
}

#[test]
fn init_refuses_a_non_empty_content_folder() {
    let dir = init();
    let before = std::fs::read_to_string(dir.path().join("content/site.yaml")).unwrap();
    let out = rectify(dir.path(), &["init", "."]);
    assert_eq!(code(&out), 3);
    assert!(
        text(&out.stderr).contains("不为空"),
        "{}",
        text(&out.stderr)
    );
    let after = std::fs::read_to_string(dir.path().join("content/site.yaml")).unwrap();
    assert_eq!(before, after);
    // An empty content folder is fine.
    let empty = tempfile::tempdir().unwrap();
    std::fs::create_dir(empty.path().join("content")).unwrap();
    assert_ok(&rectify(empty.path(), &["init", "."]));
}

#[test]
fn new_case_takes_the_next_id_and_checks() {
    let dir = init();
    let out = rectify(
        dir.path(),
        &[
            "new",
            "case",
            "--street",
            "西城",
            "--name",
            "某汽修点",
            "--date",
            "2025-05-02",
        ],
    );
    assert_ok(&out);
    assert_eq!(
        text(&out.stdout).trim(),
        "content/cases/xicheng/XX2025-0003.yaml"
    );
    let written =
        std::fs::read_to_string(dir.path().join("content/cases/xicheng/XX2025-0003.yaml")).unwrap();
    assert!(written.contains("id: XX2025-0003"));
    assert!(written.contains("\"某汽修点\""));
    assert!(written.contains("found: 2025-05-02"));
    assert!(written.contains("# TODO"));
    // Valid as written; the placeholders left to fill in are pointed out as warnings.
    let check = rectify(dir.path(), &["check"]);
    assert_ok(&check);
    assert!(
        text(&check.stderr).contains("占位文字"),
        "{}",
        text(&check.stderr)
    );
    let again = rectify(
        dir.path(),
        &[
            "new",
            "case",
            "--street",
            "dongcheng",
            "--date",
            "2025-05-03",
        ],
    );
    assert_eq!(
        text(&again.stdout).trim(),
        "content/cases/dongcheng/XX2025-0004.yaml"
    );
    // Valid as written; the placeholders left to fill in are pointed out as warnings.
    let check = rectify(dir.path(), &["check"]);
    assert_ok(&check);
    assert!(
        text(&check.stderr).contains("占位文字"),
        "{}",
        text(&check.stderr)
    );
}

#[test]
fn new_case_without_a_date_uses_today() {
    let dir = init();
    assert_ok(&rectify(
        dir.path(),
        &["new", "case", "--street", "dongcheng"],
    ));
    assert_ok(&rectify(dir.path(), &["check"]));
}

#[test]
fn new_never_writes_through_a_symlinked_folder_to_outside_the_content() {
    let dir = init();
    let outside = tempfile::tempdir().unwrap();
    let street = dir.path().join("content/cases/xicheng");
    let moved = outside.path().join("xicheng");
    std::fs::rename(&street, &moved).unwrap();
    std::os::unix::fs::symlink(&moved, &street).unwrap();
    let before: Vec<_> = std::fs::read_dir(&moved).unwrap().collect();
    let out = rectify(
        dir.path(),
        &["new", "case", "--street", "xicheng", "--date", "2025-05-02"],
    );
    assert_eq!(code(&out), 3, "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("内容文件夹以外"),
        "{}",
        text(&out.stderr)
    );
    let after: Vec<_> = std::fs::read_dir(&moved).unwrap().collect();
    assert_eq!(before.len(), after.len(), "a file was written outside");
}

#[test]
fn new_case_rejects_an_unknown_street_with_a_hint() {
    let dir = init();
    let out = rectify(dir.path(), &["new", "case", "--street", "dongchen"]);
    assert_eq!(code(&out), 2);
    // In the site's language only.
    assert!(
        text(&out.stderr)
            .starts_with("错误：未知的街道 `dongchen`；是否是 `dongcheng`（东城街道）？"),
        "{}",
        text(&out.stderr)
    );
    assert!(!text(&out.stderr).contains("unknown"));
    assert!(
        text(&out.stderr).contains("dongcheng"),
        "{}",
        text(&out.stderr)
    );
    assert!(!dir.path().join("content/cases/dongchen").exists());
}

#[test]
fn new_case_without_prefix_uses_the_campaign_year() {
    let dir = init();
    let site = dir.path().join("content/site.yaml");
    let text_ = std::fs::read_to_string(&site)
        .unwrap()
        .replace("id_prefix: XX2025-\n", "");
    std::fs::write(&site, text_).unwrap();
    let out = rectify(
        dir.path(),
        &[
            "new",
            "case",
            "--street",
            "dongcheng",
            "--date",
            "2025-05-02",
        ],
    );
    assert_ok(&out);
    assert_eq!(
        text(&out.stdout).trim(),
        "content/cases/dongcheng/2025-0001.yaml"
    );
}

#[test]
fn new_note_and_publicity_get_unique_slugs_and_check() {
    let dir = init();
    let args = [
        "new",
        "note",
        "--title",
        "东城街道 joint patrol",
        "--date",
        "2025-04-01",
        "--street",
        "东城街道",
    ];
    let first = rectify(dir.path(), &args);
    assert_ok(&first);
    assert_eq!(
        text(&first.stdout).trim(),
        "content/notes/2025-04-01-joint-patrol.md"
    );
    let second = rectify(dir.path(), &args);
    assert_eq!(
        text(&second.stdout).trim(),
        "content/notes/2025-04-01-joint-patrol-2.md"
    );
    let p = rectify(
        dir.path(),
        &[
            "new",
            "publicity",
            "--title",
            "宣传册",
            "--date",
            "2025-04-02",
        ],
    );
    assert_eq!(text(&p.stdout).trim(), "content/publicity/2025-04-02.md");
    let note = std::fs::read_to_string(dir.path().join("content/notes/2025-04-01-joint-patrol.md"))
        .unwrap();
    assert!(note.contains("street: dongcheng"));
    // Valid as written; the placeholders left to fill in are pointed out as warnings.
    let check = rectify(dir.path(), &["check"]);
    assert_ok(&check);
    assert!(
        text(&check.stderr).contains("占位文字"),
        "{}",
        text(&check.stderr)
    );
}

#[test]
fn new_rejects_a_malformed_date() {
    let dir = init();
    let out = rectify(
        dir.path(),
        &["new", "publicity", "--title", "x", "--date", "2025/4/2"],
    );
    assert_eq!(code(&out), 2);
}

/// Reads a YAML file (or a Markdown file's front matter) as JSON.
fn yaml_as_json(path: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).unwrap();
    let yaml = match text.strip_prefix("---\n") {
        Some(rest) => rest.split("\n---").next().unwrap().to_string(),
        None => text,
    };
    serde_saphyr::from_str(&yaml).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn files_under(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(files_under(&path, ext));
        } else if path.extension().is_some_and(|e| e == ext) {
            out.push(path);
        }
    }
    out.sort();
    out
}

#[test]
fn schemas_validate_the_default_content_and_the_starter() {
    let dir = init();
    let out = rectify(dir.path(), &["schema"]);
    assert_ok(&out);
    let schema = |name: &str| -> jsonschema::Validator {
        let text = std::fs::read_to_string(dir.path().join("schemas").join(name)).unwrap();
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            value["$schema"],
            "https://json-schema.org/draft/2020-12/schema"
        );
        jsonschema::draft202012::new(&value).unwrap()
    };
    let starter = dir.path().join("content");
    for content in [repo_root().join("content"), starter] {
        let mut checked = 0;
        let mut check = |validator: &jsonschema::Validator, path: &Path| {
            let value = yaml_as_json(path);
            let errors: Vec<String> = validator
                .iter_errors(&value)
                .map(|e| e.to_string())
                .collect();
            assert!(errors.is_empty(), "{}: {errors:?}", path.display());
            checked += 1;
        };
        check(&schema("site.schema.json"), &content.join("site.yaml"));
        check(
            &schema("organisation.schema.json"),
            &content.join("organisation.yaml"),
        );
        check(&schema("tasks.schema.json"), &content.join("tasks.yaml"));
        check(&schema("plan.schema.json"), &content.join("plan.md"));
        let case = schema("case.schema.json");
        for f in files_under(&content.join("cases"), "yaml") {
            check(&case, &f);
        }
        let note = schema("note.schema.json");
        for f in files_under(&content.join("notes"), "md") {
            check(&note, &f);
        }
        let publicity = schema("publicity.schema.json");
        for f in files_under(&content.join("publicity"), "md") {
            check(&publicity, &f);
        }
        assert!(checked >= 8, "{checked}");
    }
}

#[test]
fn case_schema_rejects_what_check_rejects() {
    let dir = init();
    assert_ok(&rectify(dir.path(), &["schema", "--output", "s"]));
    let text = std::fs::read_to_string(dir.path().join("s/case.schema.json")).unwrap();
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    let validator = jsonschema::draft202012::new(&value).unwrap();
    let good = serde_json::json!({"id": "A-1", "name": "x", "street": "s", "criteria": ["乱"],
        "source": "12345热线", "action": "shut-down", "found": "2025-01-02"});
    assert!(validator.is_valid(&good));
    let bad = [
        ("stret", serde_json::json!("s")),
        ("criteria", serde_json::json!([])),
        ("action", serde_json::json!("close")),
        ("found", serde_json::json!("2025/1/2")),
        ("id", serde_json::json!("A 1")),
        ("community", serde_json::Value::Null),
    ];
    for (field, v) in bad {
        let mut case = good.clone();
        case[field] = v;
        assert!(!validator.is_valid(&case), "{field}");
    }
}

#[test]
fn vscode_settings_map_the_schemas_that_schema_writes() {
    let text = std::fs::read_to_string(repo_root().join(".vscode/settings.json")).unwrap();
    let json: String = text
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    let settings: serde_json::Value = serde_json::from_str(&json).unwrap();
    let dir = tempfile::tempdir().unwrap();
    assert_ok(&rectify(dir.path(), &["schema"]));
    for (path, globs) in settings["yaml.schemas"].as_object().unwrap() {
        assert!(dir.path().join(path).exists(), "{path}");
        assert!(globs[0].as_str().unwrap().starts_with("content/"));
    }
}

fn edit(path: &Path, from: &str, to: &str) {
    let before = std::fs::read_to_string(path).unwrap();
    assert!(before.contains(from), "{}: {from}", path.display());
    std::fs::write(path, before.replacen(from, to, 1)).unwrap();
}

/// A repository with the starter campaign committed, then edited in the working tree: a case
/// closed, one rectified with a relapse, one added, a note added, a task retitled.
fn repo_with_changes() -> tempfile::TempDir {
    let dir = init();
    let root = dir.path();
    git(root, &["init", "-q"]);
    git(root, &["add", "-A"]);
    git(root, &["commit", "-qm", "starter"]);
    let cases = root.join("content/cases");
    edit(
        &cases.join("dongcheng/XX2025-0001.yaml"),
        "rectified: 2025-04-20",
        "rectified: 2025-04-20\nclosed: 2025-05-10\nrelapses:\n  - found: 2025-05-25\n    note: 夜间恢复生产",
    );
    edit(
        &cases.join("xicheng/XX2025-0002.yaml"),
        "deadline: 2025-06-30",
        "deadline: 2025-06-30\nrectified: 2025-05-20",
    );
    assert_ok(&rectify(
        root,
        &[
            "new",
            "case",
            "--street",
            "xicheng",
            "--name",
            "某汽修点",
            "--date",
            "2025-05-02",
        ],
    ));
    assert_ok(&rectify(
        root,
        &[
            "new",
            "note",
            "--title",
            "joint check",
            "--date",
            "2025-05-26",
        ],
    ));
    edit(
        &root.join("content/tasks.yaml"),
        "title: 严格认定办法",
        "title: 严格落实认定办法",
    );
    assert_ok(&rectify(root, &["check"]));
    dir
}

#[test]
fn diff_summarises_changes_as_markdown() {
    let dir = repo_with_changes();
    let out = rectify(dir.path(), &["diff", "HEAD"]);
    assert_ok(&out);
    let md = text(&out.stdout);
    for want in [
        "`HEAD`",
        "2025-04-20 → 2025-05-26",
        "| 合计 | 2 → 3 | 1 | 50.0% → 33.3% |",
        "| 东城街道 | 1 | 1 → 0 | 100.0% → 0.0% |",
        "| 西城街道 | 1 → 2 | 0 → 1 | 0.0% → 50.0% |",
        "#### 新增场所 (1)",
        "`XX2025-0003` 某汽修点（西城街道，整治中）",
        "| `XX2025-0001` | 东城一路某五金加工点 | 已整治 → 整治中（复发） |",
        "| `XX2025-0002` | 西城路某洗车点 | 整治中 → 已整治 |",
        "#### 新记录的复发 (1)",
        "`XX2025-0001` 东城一路某五金加工点 2025-05-25：夜间恢复生产",
        "`closed`：（空） → 2025-05-10",
        "#### 新增工作动态 (1)",
        "2025-05-26-joint-check",
        "#### 重点任务修改 (1)",
        "`title`：严格认定办法 → 严格落实认定办法",
    ] {
        assert!(md.contains(want), "missing {want:?} in\n{md}");
    }
}

#[test]
fn diff_as_json_from_a_subdirectory() {
    let dir = repo_with_changes();
    let sub = dir.path().join("docs/deep");
    std::fs::create_dir_all(&sub).unwrap();
    let out = rectify(
        &sub,
        &[
            "diff",
            "HEAD",
            "--content",
            "../../content",
            "--format",
            "json",
        ],
    );
    assert_ok(&out);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["old"]["valid"], true);
    assert_eq!(json["cases"]["added"][0]["id"], "XX2025-0003");
    assert_eq!(json["cases"]["status"].as_array().unwrap().len(), 2);
    assert_eq!(json["cases"]["relapses"][0]["found"], "2025-05-25");
    assert_eq!(json["streets"][0]["id"], "dongcheng");
    assert_eq!(json["streets"][1]["done"], serde_json::json!([0, 1]));
    assert_eq!(json["notes"]["added"][0]["id"], "2025-05-26-joint-check");
    assert_eq!(json["tasks"]["changed"][0]["id"], "1");
}

#[test]
fn diff_without_changes_says_so() {
    let dir = repo_with_changes();
    git(dir.path(), &["add", "-A"]);
    git(dir.path(), &["commit", "-qm", "edits"]);
    let out = rectify(dir.path(), &["diff", "HEAD"]);
    assert_ok(&out);
    assert!(text(&out.stdout).contains("内容无变化"));
    let back = rectify(dir.path(), &["diff", "HEAD~1", "--format", "json"]);
    assert_ok(&back);
}

#[test]
fn diff_still_compares_when_the_old_content_is_broken() {
    let dir = init();
    let root = dir.path();
    git(root, &["init", "-q"]);
    let case = root.join("content/cases/xicheng/XX2025-0002.yaml");
    edit(&case, "street: xicheng", "street: xichen");
    git(root, &["add", "-A"]);
    git(root, &["commit", "-qm", "broken"]);
    edit(&case, "street: xichen", "street: xicheng");
    let out = rectify(root, &["diff", "HEAD"]);
    assert_ok(&out);
    let md = text(&out.stdout);
    assert!(md.contains("修改前的内容未通过校验（1 个错误）"), "{md}");
    assert!(md.contains("`XX2025-0002` 西城路某洗车点"), "{md}");
}

#[test]
fn diff_against_a_revision_without_content_lists_everything_as_added() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    git(root, &["init", "-q"]);
    std::fs::write(root.join("README.md"), "x\n").unwrap();
    git(root, &["add", "-A"]);
    git(root, &["commit", "-qm", "empty"]);
    assert_ok(&rectify(root, &["init", "."]));
    let out = rectify(root, &["diff", "HEAD", "--format", "json"]);
    assert_ok(&out);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["cases"]["added"].as_array().unwrap().len(), 2);
}

#[test]
fn diff_exit_codes() {
    let dir = repo_with_changes();
    let out = rectify(dir.path(), &["diff", "no-such-branch"]);
    assert_eq!(code(&out), 2, "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("no-such-branch"));
    let out = rectify(dir.path(), &["diff", "HEAD", "--format", "yaml"]);
    assert_eq!(code(&out), 2);
    let outside = init();
    let out = rectify(outside.path(), &["diff", "HEAD"]);
    assert_eq!(code(&out), 3, "not a git repository: {}", text(&out.stderr));
}

/// Every string value in a parsed YAML document.
fn strings(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::String(s) => out.push(s.clone()),
        serde_json::Value::Array(items) => items.iter().for_each(|i| strings(i, out)),
        serde_json::Value::Object(map) => map.values().for_each(|i| strings(i, out)),
        _ => {}
    }
}

/// Each `rectify …` invocation in a shell script: the subcommand and the flags it uses.
fn invocations(script: &str) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    // `cargo install … rectify` names the package, not an invocation.
    for line in script.lines().filter(|l| !l.contains("cargo install")) {
        let words: Vec<&str> = line.split_whitespace().collect();
        for (i, w) in words.iter().enumerate() {
            if *w != "rectify" || (i > 0 && words[i - 1] == "--path") {
                continue;
            }
            let rest: Vec<&str> = words[i + 1..]
                .iter()
                .take_while(|w| !matches!(**w, ">" | "|" | "||" | "&&" | ";"))
                .copied()
                .collect();
            let flags = rest
                .iter()
                .filter(|w| w.starts_with("--"))
                .map(|w| w.to_string())
                .collect();
            // A bare word (the workflow's name) is not an invocation.
            if let Some(command) = rest.first() {
                out.push((command.to_string(), flags));
            }
        }
    }
    out
}

#[test]
fn ci_examples_parse_and_use_existing_commands() {
    let dir = tempfile::tempdir().unwrap();
    let mut seen = std::collections::BTreeSet::new();
    for file in ["github-actions.yml", "gitlab-ci.yml"] {
        let path = repo_root().join("docs/ci").join(file);
        let yaml = std::fs::read_to_string(&path).unwrap();
        let doc: serde_json::Value =
            serde_saphyr::from_str(&yaml).unwrap_or_else(|e| panic!("{file}: {e}"));
        let mut all = Vec::new();
        strings(&doc, &mut all);
        let calls: Vec<_> = all.iter().flat_map(|s| invocations(s)).collect();
        let used: Vec<&str> = calls.iter().map(|(c, _)| c.as_str()).collect();
        for wanted in ["check", "diff", "build"] {
            assert!(used.contains(&wanted), "{file} runs rectify {wanted}");
        }
        for (command, flags) in calls {
            let help = rectify(dir.path(), &[&command, "--help"]);
            assert_ok(&help);
            let help = text(&help.stdout);
            for flag in flags {
                assert!(help.contains(&flag), "{file}: rectify {command} {flag}");
            }
            seen.insert(command);
        }
    }
    assert!(seen.len() >= 3);
}

#[test]
fn github_workflow_has_both_triggers() {
    let yaml = std::fs::read_to_string(repo_root().join("docs/ci/github-actions.yml")).unwrap();
    let doc: serde_json::Value = serde_saphyr::from_str(&yaml).unwrap();
    assert!(doc["on"]["pull_request"].is_null() && doc["on"].get("pull_request").is_some());
    assert_eq!(doc["on"]["push"]["branches"][0], "main");
    assert!(
        doc["jobs"]["publish"]["steps"]
            .to_string()
            .contains("deploy-pages")
    );
}

#[test]
fn diff_content_path_may_be_relative_to_the_repository() {
    let dir = repo_with_changes();
    let sub = dir.path().join("docs");
    std::fs::create_dir_all(&sub).unwrap();
    let out = rectify(
        &sub,
        &["diff", "HEAD", "--content", "content", "--format", "json"],
    );
    assert_ok(&out);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["cases"]["added"][0]["id"], "XX2025-0003");
}

#[test]
fn diff_summary_fits_a_comment() {
    let dir = init();
    let root = dir.path();
    git(root, &["init", "-q"]);
    git(root, &["add", "-A"]);
    git(root, &["commit", "-qm", "starter"]);
    let template =
        std::fs::read_to_string(root.join("content/cases/xicheng/XX2025-0002.yaml")).unwrap();
    for i in 3..700 {
        let id = format!("XX2025-{i:04}");
        let case = template.replace("XX2025-0002", &id).replace(
            "西城路某洗车点",
            &format!("某很长很长的场所名称用于测试评论长度的限制第{i}号"),
        );
        std::fs::write(root.join(format!("content/cases/xicheng/{id}.yaml")), case).unwrap();
    }
    let out = rectify(root, &["diff", "HEAD"]);
    assert_ok(&out);
    let md = text(&out.stdout);
    assert!(md.len() <= 61_000, "{}", md.len());
    assert!(md.contains("已截断"));
}

#[test]
fn new_works_while_other_files_have_errors() {
    let dir = init();
    let broken = dir.path().join("content/cases/xicheng/XX2025-0007.yaml");
    std::fs::write(&broken, "id: XX2025-0007\nname: 未完成\n").unwrap();
    assert_eq!(code(&rectify(dir.path(), &["check"])), 1);
    let out = rectify(
        dir.path(),
        &["new", "case", "--street", "xicheng", "--date", "2025-05-02"],
    );
    assert_ok(&out);
    assert_eq!(
        text(&out.stdout).trim(),
        "content/cases/xicheng/XX2025-0008.yaml"
    );
}

/// The year `today()` gives: the clock in UTC+8, as `rectify new` and `rectify init` read it.
fn this_year() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let day = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap()
        + chrono::Days::new((secs + 8 * 3600) / 86_400);
    chrono::Datelike::year(&day).to_string()
}

/// Without `SOURCE_DATE_EPOCH` the starter is dated in the current year: campaign, ids and files.
#[test]
fn init_dates_the_starter_in_the_current_year() {
    let dir = tempfile::tempdir().unwrap();
    let year = this_year();
    let out = Command::new(BIN)
        .args(["init", "."])
        .env_remove("SOURCE_DATE_EPOCH")
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_ok(&out);
    let content = dir.path().join("content");
    let site = std::fs::read_to_string(content.join("site.yaml")).unwrap();
    assert!(site.contains(&format!("start: {year}-03-01")), "{site}");
    assert!(site.contains(&format!("id_prefix: XX{year}-")), "{site}");
    let case = content.join(format!("cases/dongcheng/XX{year}-0001.yaml"));
    let case = std::fs::read_to_string(case).unwrap();
    assert!(case.contains(&format!("found: {year}-03-10")), "{case}");
    assert!(!case.contains("2025") || year == "2025", "{case}");
    assert_ok(&rectify(dir.path(), &["check", "--strict"]));
}

/// The steps of the starter's CI workflow that run commands, with their names; the install step
/// (it needs the network and the office's repository address) is left out.
fn workflow_commands(workflow: &Path) -> Vec<(String, String)> {
    let text = std::fs::read_to_string(workflow).unwrap();
    let doc: serde_json::Value = serde_saphyr::from_str(&text).unwrap();
    let jobs = doc["jobs"].as_object().unwrap();
    let mut runs = Vec::new();
    for job in jobs.values() {
        for step in job["steps"].as_array().unwrap() {
            let name = step["name"].as_str().unwrap_or("").to_string();
            if let Some(run) = step["run"].as_str()
                && !name.contains("安装")
            {
                runs.push((name, run.to_string()));
            }
        }
    }
    runs
}

/// A fresh `rectify init` folder, made a git repository, passes its own CI workflow's commands,
/// with the binary under test in place of the install step.
#[test]
fn the_starter_passes_its_own_ci_workflow() {
    let dir = init();
    let root = dir.path();
    git(root, &["init", "-q"]);
    git(root, &["add", "-A"]);
    git(root, &["commit", "-qm", "starter"]);
    let status = Command::new("git")
        .args(["status", "--porcelain"])
        .current_dir(root)
        .output()
        .unwrap();
    assert!(status.stdout.is_empty(), "init leaves nothing untracked");
    let workflow = root.join(".github/workflows/rectify.yml");
    let text_ = std::fs::read_to_string(&workflow).unwrap();
    assert!(
        text_.contains("--tag \"$RECTIFY_TAG\""),
        "installs a pinned tag"
    );
    assert!(text_.contains(&format!("RECTIFY_TAG: v{}", env!("CARGO_PKG_VERSION"))));
    let commands = workflow_commands(&workflow);
    assert!(commands.len() >= 2, "{commands:?}");
    let bin_dir = Path::new(BIN).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let cache = tempfile::tempdir().unwrap();
    for (name, run) in &commands {
        let out = Command::new("bash")
            .args(["-eo", "pipefail", "-c", run])
            .env("PATH", &path)
            .env("RECTIFY_CACHE_DIR", cache.path())
            .current_dir(root)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{name}: {run}\n{}\n{}",
            text(&out.stdout),
            text(&out.stderr)
        );
    }
    assert!(root.join("output/index.html").exists());
    // What the build wrote is ignored by git, so a commit after a build stays clean.
    let status = Command::new("git")
        .args(["status", "--porcelain"])
        .current_dir(root)
        .output()
        .unwrap();
    assert!(status.stdout.is_empty(), "{}", text(&status.stdout));
}

/// The project's release workflow builds on a `v*` tag and attaches binaries; its tag check, run
/// here, accepts the tag of this version and refuses another.
#[test]
fn release_workflow_checks_the_tag_and_attaches_binaries() {
    let path = repo_root().join(".github/workflows/release.yml");
    let yaml = std::fs::read_to_string(&path).unwrap();
    let doc: serde_json::Value = serde_saphyr::from_str(&yaml).unwrap();
    assert_eq!(doc["on"]["push"]["tags"][0], "v*");
    let steps = doc["jobs"]["release"]["steps"].as_array().unwrap();
    let check = steps
        .iter()
        .find(|s| s["name"].as_str().is_some_and(|n| n.contains("tag")))
        .and_then(|s| s["run"].as_str())
        .unwrap();
    let run = |tag: &str| {
        Command::new("bash")
            .args(["-eo", "pipefail", "-c", check])
            .env("GITHUB_REF_NAME", tag)
            .current_dir(repo_root())
            .output()
            .unwrap()
            .status
            .success()
    };
    assert!(run(&format!("v{}", env!("CARGO_PKG_VERSION"))));
    assert!(!run("v0.0.0-not-this"));
    let binaries = doc["jobs"]["binaries"].to_string();
    assert!(binaries.contains("--bin rectify") && binaries.contains("gh release upload"));
    // The recipes in docs/ci pin the tag this version is released under.
    for file in ["github-actions.yml", "gitlab-ci.yml"] {
        let text = std::fs::read_to_string(repo_root().join("docs/ci").join(file)).unwrap();
        let pin = format!("RECTIFY_TAG: v{}", env!("CARGO_PKG_VERSION"));
        assert!(text.contains(&pin), "{file}: {pin}");
    }
}

/// clap's own usage errors speak the site's language (Chinese by default, `--lang`, or the
/// `language` of `--content`'s site.yaml) and exit 2; help and version still exit 0.
#[test]
fn usage_errors_follow_the_sites_language() {
    let dir = tempfile::tempdir().unwrap();
    let out = rectify(dir.path(), &["build", "--bogus"]);
    assert_eq!(code(&out), 2);
    let err = text(&out.stderr);
    assert!(err.starts_with("错误：不认识的参数 `--bogus`"), "{err}");
    assert!(
        err.contains("运行 `rectify build --help` 查看全部参数。"),
        "{err}"
    );
    let out = rectify(dir.path(), &["check", "--lang", "en", "--format", "xml"]);
    assert_eq!(code(&out), 2);
    let err = text(&out.stderr);
    assert!(
        err.starts_with("error: invalid value `xml` for `--format"),
        "{err}"
    );
    let site = dir.path().join("en");
    std::fs::create_dir(&site).unwrap();
    std::fs::write(site.join("site.yaml"), "language: en\n").unwrap();
    let out = rectify(
        dir.path(),
        &["build", "--content", "en", "--as-of", "2022-02-30"],
    );
    assert_eq!(code(&out), 2);
    let err = text(&out.stderr);
    assert!(err.contains("is not a date written YYYY-MM-DD"), "{err}");
    for ok in ["--help", "--version"] {
        assert_ok(&rectify(dir.path(), &[ok]));
    }
}

/// An argument that is not UTF-8 is a usage error, not a panic.
#[cfg(unix)]
#[test]
fn a_non_utf8_argument_is_a_usage_error() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(BIN)
        .arg("check")
        .arg("--format")
        .arg(std::ffi::OsStr::from_bytes(b"\xff\xfe"))
        .current_dir(dir.path())
        .output()
        .expect("rectify runs");
    assert_eq!(code(&out), 2, "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).starts_with("错误："),
        "{}",
        text(&out.stderr)
    );
}
