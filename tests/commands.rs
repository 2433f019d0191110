//! The commands beside build and check: init, new, schema, diff, and the CI examples in docs/ci.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_rectify");

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs rectify in `dir` and returns its output.
fn rectify(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
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

/// A fresh campaign made by `rectify init` in a temporary folder.
fn init() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    assert_ok(&rectify(dir.path(), &["init", "."]));
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
    assert_ok(&rectify(dir.path(), &["check", "--strict"]));
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
    assert_ok(&rectify(dir.path(), &["check", "--strict"]));
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
    assert_ok(&rectify(dir.path(), &["check", "--strict"]));
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
fn new_case_rejects_an_unknown_street_with_a_hint() {
    let dir = init();
    let out = rectify(dir.path(), &["new", "case", "--street", "dongchen"]);
    assert_eq!(code(&out), 2);
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
    assert_ok(&rectify(dir.path(), &["check", "--strict"]));
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
