//! Applying an incremental build to the output in place, so that a kill at any instant leaves the
//! old site or the new one (after the next run): the changed files are written into a small staging
//! folder beside the output, then a journal beside it lists every file to put and to delete and ends
//! with a commit record (flushed to disk), then each file is renamed into place and the removed ones
//! deleted, then the journal goes. The next run, holding the lock, completes a committed journal
//! (roll forward) or discards one without its commit record: the output was not touched yet.

use super::MARKER;
use super::swap::{Beside, crash_point, remove_ours};
use crate::render::Page;
use anyhow::{Context, Result, bail};
use std::fs;
use std::io::{ErrorKind, Write};
use std::path::{Component, Path, PathBuf};

const COMMIT: &str = "commit";

/// Changes being staged beside the output; dropped uncommitted, the staging folder goes.
pub struct Journal<'b> {
    beside: &'b Beside,
    dir: PathBuf,
    puts: Vec<String>,
    deletes: Vec<String>,
    done: bool,
}

impl<'b> Journal<'b> {
    pub fn begin(beside: &'b Beside) -> Result<Journal<'b>> {
        let dir = beside.staging();
        fs::create_dir(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
        fs::write(dir.join(MARKER), "")
            .with_context(|| format!("cannot write into {}", dir.display()))?;
        Ok(Journal {
            beside,
            dir,
            puts: Vec::new(),
            deletes: Vec::new(),
            done: false,
        })
    }

    /// Stages a file to put at `page.path` in the output.
    pub fn put(&mut self, page: &Page) -> Result<()> {
        let target = self.dir.join(checked(&page.path)?);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        fs::write(&target, &page.bytes)
            .with_context(|| format!("cannot write {}", target.display()))?;
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

    /// Writes the journal with its commit record, then applies it and removes it.
    pub fn commit(mut self) -> Result<()> {
        let path = self.beside.journal();
        let name = self
            .dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned());
        let mut text = format!("staging\t{}\n", name.unwrap_or_default());
        for p in &self.puts {
            text.push_str(&format!("put\t{p}\n"));
        }
        for d in &self.deletes {
            text.push_str(&format!("delete\t{d}\n"));
        }
        let mut file = fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .open(&path)
            .with_context(|| format!("cannot write {}", path.display()))?;
        file.write_all(text.as_bytes())
            .and_then(|()| file.sync_all())
            .with_context(|| format!("cannot write {}", path.display()))?;
        crash_point("journal-uncommitted");
        file.write_all(format!("{COMMIT}\n").as_bytes())
            .and_then(|()| file.sync_all())
            .with_context(|| format!("cannot write {}", path.display()))?;
        drop(file);
        self.done = true;
        crash_point("journal-committed");
        apply(self.beside, &self.dir, &self.puts, &self.deletes)?;
        finish(self.beside, &self.dir)
    }
}

impl Drop for Journal<'_> {
    fn drop(&mut self) {
        if !self.done {
            let _ = remove_ours(&self.dir);
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
fn apply(beside: &Beside, staging: &Path, puts: &[String], deletes: &[String]) -> Result<()> {
    let out = &beside.output;
    for (i, rel) in puts.iter().enumerate() {
        if i == puts.len() / 2 {
            crash_point("journal-applying");
        }
        let from = staging.join(checked(rel)?);
        let to = out.join(rel);
        if !from.exists() {
            continue;
        }
        if let Some(parent) = to.parent() {
            fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        fs::rename(&from, &to).with_context(|| format!("cannot update {}", to.display()))?;
    }
    for rel in deletes {
        let path = out.join(checked(rel)?);
        match fs::remove_file(&path) {
            Err(e) if e.kind() != ErrorKind::NotFound => {
                return Err(e).with_context(|| format!("cannot delete {}", path.display()));
            }
            _ => {}
        }
        remove_empty_parents(out, &path);
    }
    Ok(())
}

/// Removes the folders a deletion left empty, up to the output itself.
fn remove_empty_parents(out: &Path, file: &Path) {
    let mut dir = file.parent();
    while let Some(d) = dir.filter(|d| *d != out && d.starts_with(out)) {
        if fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}

fn finish(beside: &Beside, staging: &Path) -> Result<()> {
    let journal = beside.journal();
    fs::remove_file(&journal).with_context(|| format!("cannot remove {}", journal.display()))?;
    remove_ours(staging).with_context(|| format!("cannot remove {}", staging.display()))
}

/// With the lock held: completes a committed journal a killed build left, or discards one that was
/// never committed (its staging folder is then removed with the other leftovers).
pub fn recover(beside: &Beside) -> Result<()> {
    let path = beside.journal();
    let text = match fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
    };
    let lines: Vec<&str> = text.lines().collect();
    if lines.last() != Some(&COMMIT) {
        return fs::remove_file(&path).with_context(|| format!("cannot remove {}", path.display()));
    }
    let (mut staging, mut puts, mut deletes) = (None, Vec::new(), Vec::new());
    for line in &lines[..lines.len() - 1] {
        match line.split_once('\t') {
            Some(("staging", name)) => staging = Some(beside.parent.join(checked(name)?)),
            Some(("put", rel)) => puts.push(rel.to_string()),
            Some(("delete", rel)) => deletes.push(rel.to_string()),
            _ => bail!("{} is damaged: `{line}`", path.display()),
        }
    }
    let staging = staging.with_context(|| format!("{} is damaged", path.display()))?;
    apply(beside, &staging, &puts, &deletes)?;
    match fs::metadata(&staging) {
        Ok(_) => finish(beside, &staging),
        Err(_) => {
            fs::remove_file(&path).with_context(|| format!("cannot remove {}", path.display()))
        }
    }
}
