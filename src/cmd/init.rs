//! `rectify init DIR`: writes `DIR/content/`, a small valid campaign to start from.
//!
//! The starter files live in `src/cmd/starter/` and are compiled into the binary, so the result is
//! the same everywhere; a test checks that it passes `check` and `build`.

use super::Failure;
use crate::cli::InitArgs;
use anyhow::Context;
use std::path::Path;

/// Every starter file, relative to the content folder.
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

pub fn run(args: &InitArgs) -> Result<(), Failure> {
    let content = args.dir.join("content");
    refuse_non_empty(&content)?;
    for (rel, text) in STARTER {
        let path = content.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
    }
    println!("{}", content.display());
    eprintln!(
        "已创建 {}：请修改其中标有“待填写”的内容，然后运行 `rectify check --content {0}` / created; fill in the placeholders, then run check",
        content.display()
    );
    Ok(())
}

/// An existing, non-empty content folder is never written over.
fn refuse_non_empty(content: &Path) -> Result<(), Failure> {
    let Ok(mut entries) = std::fs::read_dir(content) else {
        if content.exists() {
            return Err(Failure::Env(anyhow::anyhow!(
                "{} 已存在且不是文件夹 / exists and is not a folder",
                content.display()
            )));
        }
        return Ok(());
    };
    if entries.next().is_some() {
        return Err(Failure::Env(anyhow::anyhow!(
            "{} 已存在且不为空，未写入任何文件 / already exists and is not empty; nothing was written",
            content.display()
        )));
    }
    Ok(())
}
