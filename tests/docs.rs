//! The user reference in `docs/` keeps up with the code: every field and value the JSON Schemas know
//! is documented, every example path the docs mention exists, and nothing in the repository or in
//! what `rectify init` writes points at a file outside the project.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_rectify");

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every `.md` file under `docs/`, with its text.
fn docs() -> Vec<(PathBuf, String)> {
    walkdir::WalkDir::new(repo_root().join("docs"))
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| {
            let text = std::fs::read_to_string(e.path()).unwrap();
            (e.path().to_path_buf(), text)
        })
        .collect()
}

fn all_docs() -> String {
    docs()
        .into_iter()
        .map(|(_, t)| t)
        .collect::<Vec<_>>()
        .join("\n")
}

/// The JSON Schemas `rectify schema` writes, parsed.
fn schemas() -> Vec<serde_json::Value> {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(BIN)
        .args(["schema", "--output"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success());
    let mut all = Vec::new();
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        all.push(serde_json::from_str(&text).unwrap());
    }
    assert!(all.len() >= 8);
    all
}

/// Property names (under any `properties`) and enum values (`enum`, `const`) anywhere in `v`.
fn collect(v: &serde_json::Value, fields: &mut BTreeSet<String>, values: &mut BTreeSet<String>) {
    match v {
        serde_json::Value::Object(map) => {
            for (k, x) in map {
                match (k.as_str(), x) {
                    ("properties", serde_json::Value::Object(props)) => {
                        fields.extend(props.keys().cloned())
                    }
                    ("enum", serde_json::Value::Array(items)) => {
                        values.extend(items.iter().filter_map(|i| i.as_str().map(String::from)))
                    }
                    ("const", serde_json::Value::String(s)) => {
                        values.insert(s.clone());
                    }
                    _ => {}
                }
                collect(x, fields, values);
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|i| collect(i, fields, values)),
        _ => {}
    }
}

#[test]
fn every_schema_field_and_value_is_documented() {
    let (mut fields, mut values) = (BTreeSet::new(), BTreeSet::new());
    for schema in schemas() {
        collect(&schema, &mut fields, &mut values);
    }
    assert!(fields.len() > 50 && values.len() > 30);
    let docs = all_docs();
    let missing: Vec<&String> = fields
        .iter()
        .filter(|f| !docs.contains(&format!("`{f}`")))
        .collect();
    assert!(
        missing.is_empty(),
        "fields not documented in docs/: {missing:?}"
    );
    // English keys are written as code, Chinese labels as they are shown.
    let missing: Vec<&String> = values
        .iter()
        .filter(|v| {
            let ascii = v.is_ascii();
            (ascii && !docs.contains(&format!("`{v}`"))) || (!ascii && !docs.contains(v.as_str()))
        })
        .collect();
    assert!(
        missing.is_empty(),
        "values not documented in docs/: {missing:?}"
    );
}

/// Where the path-looking words of a text start: the content's folders and the repository's.
const CONTENT_DIRS: &[&str] = &["cases/", "notes/", "publicity/", "files/", "briefings/"];
const PAGE_DIRS: &[&str] = &["tasks/", "streets/", "units/"];
const REPO_DIRS: &[&str] = &[
    "src/", "tests/", "docs/", "themes/", "scripts/", ".github/", "content/",
];

/// Words of a Markdown text that look like paths: split at spaces, code ticks, brackets, quotes and
/// Chinese punctuation, trimmed of a trailing `:line:column` and full stop.
fn path_words(text: &str) -> Vec<String> {
    let cut = |c: char| c.is_whitespace() || "`()（）[]|\"'，。、；：“”,;!?=".contains(c);
    text.split(cut)
        .map(|w| {
            let mut w = w.trim_end_matches('.');
            while let Some((head, tail)) = w.rsplit_once(':') {
                if tail.chars().all(|c| c.is_ascii_digit()) && !tail.is_empty() {
                    w = head;
                } else {
                    break;
                }
            }
            w.to_string()
        })
        .filter(|w| {
            CONTENT_DIRS
                .iter()
                .chain(PAGE_DIRS)
                .chain(REPO_DIRS)
                .any(|d| w.starts_with(d))
        })
        // Patterns, not examples: <id>, **, …, {year}.
        .filter(|w| !w.contains(['<', '*', '…', '{']))
        .collect()
}

/// Whether a page path of the built site has its source in the default content.
fn page_exists(content: &Path, word: &str) -> bool {
    let (dir, file) = word.split_once('/').unwrap();
    let Some(stem) = file.strip_suffix(".html").or(file.strip_suffix(".docx")) else {
        return false;
    };
    if stem == "index" || stem.starts_with("page-") {
        return true;
    }
    let source_named = |folder: &str, name: &str| {
        walkdir::WalkDir::new(content.join(folder))
            .into_iter()
            .filter_map(Result::ok)
            .any(|e| e.file_name().to_string_lossy() == name)
    };
    let listed = |file: &str, id: &str| {
        std::fs::read_to_string(content.join(file))
            .unwrap()
            .lines()
            .any(|l| l.trim_start_matches([' ', '-']).trim() == format!("id: {id}"))
    };
    match dir {
        "cases" => source_named("cases", &format!("{stem}.yaml")),
        "notes" | "publicity" => source_named(dir, &format!("{stem}.md")),
        "tasks" => listed("tasks.yaml", stem),
        "streets" | "units" => listed("organisation.yaml", stem),
        "briefings" => stem.len() == 7 && ("2022-03"..="2022-12").contains(&stem),
        _ => false,
    }
}

/// Every example path in docs/ exists: content files in `content/`, pages as a page of the default
/// site, repository files in the repository, and what `rectify init` writes in a fresh init.
#[test]
fn every_example_path_in_docs_exists() {
    let root = repo_root();
    let content = root.join("content");
    let fresh = tempfile::tempdir().unwrap();
    let init = Command::new(BIN)
        .args(["init", "."])
        .env("SOURCE_DATE_EPOCH", "1748736000")
        .current_dir(fresh.path())
        .output()
        .unwrap();
    assert!(init.status.success());
    let mut checked = 0;
    let mut missing = Vec::new();
    for (path, text) in docs() {
        for word in path_words(&text) {
            checked += 1;
            let ok = root.join(&word).exists()
                || content.join(&word).exists()
                || fresh.path().join(&word).exists()
                || fresh.path().join("content").join(&word).exists()
                || ((word.ends_with(".html") || word.ends_with(".docx"))
                    && page_exists(&content, &word));
            if !ok {
                missing.push(format!("{}: {word}", path.display()));
            }
        }
    }
    assert!(checked > 40, "{checked}");
    assert!(
        missing.is_empty(),
        "example paths that do not exist:\n{}",
        missing.join("\n")
    );
}

#[test]
fn the_path_check_catches_a_wrong_example() {
    let content = repo_root().join("content");
    let words =
        path_words("见 `cases/dongshan/YX2022-0047.yaml:3:9`、[x](cases/YX2022-9999.html)。");
    assert_eq!(
        words,
        ["cases/dongshan/YX2022-0047.yaml", "cases/YX2022-9999.html"]
    );
    assert!(content.join(&words[0]).exists());
    assert!(!page_exists(&content, &words[1]));
    assert!(page_exists(&content, "cases/YX2022-0047.html"));
    assert!(!page_exists(&content, "tasks/10.html"));
    assert!(page_exists(&content, "units/fgj.html"));
}

/// Text files of a folder tree, skipping build output, git's own files and binary files.
fn text_files(root: &Path) -> Vec<(PathBuf, String)> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .filter_entry(|e| !matches!(e.file_name().to_str(), Some("target" | ".git")))
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let text = std::fs::read_to_string(e.path()).ok()?;
            Some((e.path().to_path_buf(), text))
        })
        .collect()
}

/// Nothing in the repository, and nothing `init` or `new` writes, sends a reader to a file outside
/// the project (the contract the project was built from lives elsewhere).
#[test]
fn nothing_points_outside_the_project() {
    let forbidden = [
        concat!("CONTENT", ".md"),
        concat!("../", "shared"),
        concat!("shared", " folder"),
        concat!("/work/", "shared"),
    ];
    let fresh = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        let out = Command::new(BIN)
            .args(args)
            .env("SOURCE_DATE_EPOCH", "1748736000")
            .current_dir(fresh.path())
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}");
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let mut printed = run(&["init", "."]);
    printed += &run(&["new", "case", "--street", "dongcheng"]);
    let mut files = text_files(&repo_root());
    files.extend(text_files(fresh.path()));
    files.push((PathBuf::from("(printed)"), printed));
    assert!(files.len() > 300);
    let hits: Vec<String> = files
        .iter()
        .flat_map(|(path, text)| {
            forbidden
                .iter()
                .filter(|f| text.contains(*f))
                .map(move |f| format!("{}: {f}", path.display()))
        })
        .collect();
    assert!(hits.is_empty(), "{hits:#?}");
}
