//! `rectify init DIR`: writes a ready campaign repository: `DIR/content/` (a small valid campaign
//! dated in the current year), the editor's schemas and settings, a `.gitignore`, a CI workflow and
//! a README for the office.
//!
//! The starter files live in `src/cmd/starter/` and are compiled into the binary, so the result is
//! the same everywhere but for the year; the starter is written with the year 2025, which becomes
//! the current one (from the clock: init is not a build). Tests check that it passes
//! `check --strict` and that the workflow's own commands pass in a fresh repository.

use super::Failure;
use crate::cli::InitArgs;
use crate::diag::Said;
use anyhow::Context;
use chrono::Datelike;
use std::path::Path;

/// Every starter content file, relative to the content folder.
const STARTER: &[(&str, &str)] = &[
    ("site.yaml", include_str!("starter/site.yaml")),
    (
        "organisation.yaml",
        include_str!("starter/organisation.yaml"),
    ),
    ("plan.md", include_str!("starter/plan.md")),
    ("tasks.yaml", include_str!("starter/tasks.yaml")),
    (
        "cases/dongcheng/XX2025-0001.yaml",
        include_str!("starter/cases/dongcheng/XX2025-0001.yaml"),
    ),
    (
        "cases/xicheng/XX2025-0002.yaml",
        include_str!("starter/cases/xicheng/XX2025-0002.yaml"),
    ),
    (
        "notes/2025-03-20-kaizhan-paicha.md",
        include_str!("starter/notes/2025-03-20-kaizhan-paicha.md"),
    ),
    (
        "publicity/2025-03-15-changyi-shu.md",
        include_str!("starter/publicity/2025-03-15-changyi-shu.md"),
    ),
    ("files/.gitkeep", ""),
];

/// The year the starter files are written in; replaced by the current year.
const STARTER_YEAR: &str = "2025";

/// The repository's own files beside `content/`, relative to `DIR`; an existing one is kept.
const REPO: &[(&str, &str)] = &[
    ("README.md", include_str!("starter/repo/README.md")),
    (".gitignore", include_str!("starter/repo/gitignore")),
    (
        ".vscode/settings.json",
        include_str!("starter/repo/vscode-settings.json"),
    ),
    (
        ".github/workflows/rectify.yml",
        include_str!("starter/repo/workflow.yml"),
    ),
];

pub fn run(args: &InitArgs) -> Result<(), Failure> {
    let content = args.dir.join("content");
    refuse_non_empty(&content)?;
    let year = super::new::today().year().to_string();
    for (rel, text) in STARTER {
        let rel = rel.replace(STARTER_YEAR, &year);
        write(&content.join(rel), &text.replace(STARTER_YEAR, &year))?;
    }
    let mut kept = Vec::new();
    for (rel, text) in REPO {
        let path = args.dir.join(rel);
        if path.exists() {
            kept.push(*rel);
            continue;
        }
        write(&path, &text.replace("{version}", env!("CARGO_PKG_VERSION")))?;
    }
    for file in crate::schema::schemas() {
        let text = serde_json::to_string_pretty(&file.schema).unwrap_or_default() + "\n";
        write(&args.dir.join("schemas").join(file.name), &text)?;
    }
    println!("{}", content.display());
    eprintln!(
        "已创建 {}：把其中的示例（某区、东城街道……）换成本区的内容，然后运行 `rectify check --content {0}`；README.md 说明了下一步",
        content.display()
    );
    if !kept.is_empty() {
        eprintln!("已存在，未改动：{}", kept.join("、"));
    }
    Ok(())
}

/// Writes `text` to `path`, creating its folders; a failure names the path in both languages.
pub(super) fn write(path: &Path, text: &str) -> Result<(), Failure> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).with_context(|| {
            Said::new(
                format!("无法创建 {}", parent.display()),
                format!("cannot create {}", parent.display()),
            )
        })?;
    }
    std::fs::write(path, text).with_context(|| {
        Said::new(
            format!("无法写入 {}", path.display()),
            format!("cannot write {}", path.display()),
        )
    })?;
    Ok(())
}

/// An existing, non-empty content folder is never written over.
fn refuse_non_empty(content: &Path) -> Result<(), Failure> {
    let Ok(mut entries) = std::fs::read_dir(content) else {
        if content.exists() {
            return Err(Failure::Env(
                Said::new(
                    format!("{} 已存在且不是文件夹", content.display()),
                    format!("{} exists and is not a folder", content.display()),
                )
                .into(),
            ));
        }
        return Ok(());
    };
    if entries.next().is_some() {
        return Err(Failure::Env(
            Said::new(
                format!("{} 已存在且不为空，未写入任何文件", content.display()),
                format!(
                    "{} already exists and is not empty; nothing was written",
                    content.display()
                ),
            )
            .into(),
        ));
    }
    Ok(())
}
