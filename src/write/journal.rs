//! Applying an incremental build to the output in place, so that a kill at any instant leaves the
//! old site or the new one (after the next run): the changed files are written into a small staging
//! folder beside the output, then a journal beside it lists every file to put and to delete and ends
//! with a commit record (flushed to disk), then each file is renamed into place and the removed ones
//! deleted, then the journal goes. The next run, holding the lock, completes a committed journal
//! (roll forward) or discards one without its commit record: the output was not touched yet.
//! Everything goes through the output's parent folder held open (see `handle`), like the full
//! build's swap: a symlink swapped into the path after the guard redirects nothing.

use super::MARKER;
use super::handle::Tree;
use super::swap::{Beside, cannot, crash_point, remove_ours};
use crate::render::Page;
use anyhow::{Context, Result, bail};
use std::io::{ErrorKind, Write};
use std::path::{Component, Path};

const COMMIT: &str = "commit";

/// Changes being staged beside the output; dropped uncommitted, the staging folder goes.
pub struct Journal<'b> {
    beside: &'b Beside,
    /// The staging folder's name in the output's parent.
    name: String,
    dir: Tree,
    puts: Vec<String>,
    deletes: Vec<String>,
    done: bool,
}

impl<'b> Journal<'b> {
    pub fn begin(beside: &'b Beside) -> Result<Journal<'b>> {
        let name = beside.staging();
        let parent = &beside.parent;
        let dir = parent
            .create_dir_in(&name)
            .with_context(|| cannot("创建", "create", &parent.at(&name)))?;
        let journal = Journal {
            beside,
            name,
            dir: Tree::new(dir),
            puts: Vec::new(),
            deletes: Vec::new(),
            done: false,
        };
        journal
            .dir
            .write_file(MARKER, b"")
            .with_context(|| cannot("写入", "write into", journal.dir.root().path()))?;
        Ok(journal)
    }

    /// Stages a file to put at `page.path` in the output.
    pub fn put(&mut self, page: &Page) -> Result<()> {
        let rel = checked(&page.path)?;
        self.dir
            .write_file(rel, &page.bytes)
            .with_context(|| cannot("写入", "write", &self.dir.root().at(rel)))?;
        self.puts.push(page.path.clone());
        Ok(())
    }

    /// Marks a file of the output for deletion.
    pub fn delete(&mut self, rel: &str) -> Result<()> {
        checked(rel)?;
        self.deletes.push(rel.to_string());
        Ok(())
    }

    pub fn puts(&self) -> usize {
        self.puts.len()
    }

    pub fn deletes(&self) -> usize {
        self.deletes.len()
    }

    /// The entries of the output that committing changes: the files put and deleted and the
    /// folders above them (see `stamp::touched`).
    pub fn touched(&self) -> std::collections::BTreeSet<String> {
        super::stamp::touched(self.puts.iter().chain(&self.deletes))
    }

    /// Writes the journal with its commit record, then applies it and removes it.
    pub fn commit(mut self) -> Result<()> {
        let parent = &self.beside.parent;
        let name = self.beside.journal();
        let path = parent.at(&name);
        let mut text = format!("staging\t{}\n", self.name);
        for p in &self.puts {
            text.push_str(&format!("put\t{p}\n"));
        }
        for d in &self.deletes {
            text.push_str(&format!("delete\t{d}\n"));
        }
        let mut file = parent
            .create_file_in(&name)
            .with_context(|| cannot("写入", "write", &path))?;
        file.write_all(text.as_bytes())
            .and_then(|()| file.sync_all())
            .with_context(|| cannot("写入", "write", &path))?;
        crash_point("journal-uncommitted");
        file.write_all(format!("{COMMIT}\n").as_bytes())
            .and_then(|()| file.sync_all())
            .with_context(|| cannot("写入", "write", &path))?;
        drop(file);
        self.done = true;
        crash_point("journal-committed");
        apply(self.beside, &self.dir, &self.puts, &self.deletes)?;
        finish(self.beside, &self.name)
    }
}

impl Drop for Journal<'_> {
    fn drop(&mut self) {
        if !self.done {
            let _ = remove_ours(&self.beside.parent, &self.name);
        }
    }
}

/// A path inside the output: plain names only (no `..`, no root), else refused.
fn checked(rel: &str) -> Result<&Path> {
    let path = Path::new(rel);
    let plain = !rel.is_empty() && path.components().all(|c| matches!(c, Component::Normal(_)));
    if !plain || rel == MARKER {
        bail!("refusing to touch `{rel}` in the output");
    }
    Ok(path)
}

/// Renames each staged file into the output and deletes the removed ones; files already moved (a
/// run that was killed half-way) are skipped.
fn apply(beside: &Beside, staging: &Tree, puts: &[String], deletes: &[String]) -> Result<()> {
    let parent = &beside.parent;
    let out = parent
        .open_dir_in(beside.name())
        .map(Tree::new)
        .with_context(|| cannot("打开", "open", &beside.output))?;
    for (i, rel) in puts.iter().enumerate() {
        if i == puts.len() / 2 {
            crash_point("journal-applying");
        }
        match out.rename_from(staging, checked(rel)?) {
            Err(e) if e.kind() == ErrorKind::NotFound => {}
            other => other.with_context(|| cannot("更新", "update", &beside.output.join(rel)))?,
        }
    }
    for rel in deletes {
        let path = checked(rel)?;
        out.remove_file(path)
            .with_context(|| cannot("删除", "delete", &beside.output.join(rel)))?;
        out.remove_empty_folders_of(path);
    }
    Ok(())
}

fn finish(beside: &Beside, staging: &str) -> Result<()> {
    let parent = &beside.parent;
    let journal = beside.journal();
    parent
        .remove_file_in(&journal)
        .with_context(|| cannot("删除", "remove", &parent.at(&journal)))?;
    remove_ours(parent, staging).with_context(|| cannot("删除", "remove", &parent.at(staging)))
}

/// With the lock held: completes a committed journal a killed build left, or discards one that was
/// never committed (its staging folder is then removed with the other leftovers).
pub fn recover(beside: &Beside) -> Result<()> {
    let parent = &beside.parent;
    let name = beside.journal();
    let path = parent.at(&name);
    let bytes = match parent.read_in(&name) {
        Ok(b) => b,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e).with_context(|| cannot("读取", "read", &path)),
    };
    let text = String::from_utf8_lossy(&bytes);
    let lines: Vec<&str> = text.lines().collect();
    if lines.last() != Some(&COMMIT) {
        return parent
            .remove_file_in(&name)
            .with_context(|| cannot("删除", "remove", &path));
    }
    let shown = path.display();
    let damaged = |what: &str| -> anyhow::Error {
        crate::diag::Said::new(
            format!("{shown} 已损坏（{what}），不是 rectify 写的；请删除它，再重新生成"),
            format!("{shown} is damaged ({what}) and was not written by rectify; delete it, then build again"),
        )
        .into()
    };
    let (mut staging, mut puts, mut deletes) = (None, Vec::new(), Vec::new());
    for line in &lines[..lines.len() - 1] {
        match line.split_once('\t') {
            // Only a staging folder of this output, by its plain name in the parent, and plain
            // paths inside the output.
            Some(("staging", dir)) if is_staging_name(beside, dir) => staging = Some(dir),
            Some(("put", rel)) if checked(rel).is_ok() => puts.push(rel.to_string()),
            Some(("delete", rel)) if checked(rel).is_ok() => deletes.push(rel.to_string()),
            _ => return Err(damaged(line)),
        }
    }
    let staging = staging.ok_or_else(|| damaged("staging"))?;
    match parent.open_dir_in(staging) {
        Ok(dir) => {
            apply(beside, &Tree::new(dir), &puts, &deletes)?;
            finish(beside, staging)
        }
        // Applied in full before the kill: only the journal is left to remove.
        Err(e) if e.kind() == ErrorKind::NotFound => parent
            .remove_file_in(&name)
            .with_context(|| cannot("删除", "remove", &path)),
        Err(e) => Err(e).with_context(|| cannot("打开", "open", &parent.at(staging))),
    }
}

/// Whether `name` is one of this output's staging folders (`.NAME.staging-PID`).
fn is_staging_name(beside: &Beside, name: &str) -> bool {
    let own = beside.staging();
    let prefix = own.rsplit_once('-').map_or(own.as_str(), |(p, _)| p);
    name.strip_prefix(prefix)
        .and_then(|rest| rest.strip_prefix('-'))
        .is_some_and(|pid| !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()))
}
