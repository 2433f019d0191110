//! Write: the only stage that touches the output folder. A build is staged beside the output and
//! swapped in by rename, so a failed build leaves the previous output as it was; files whose bytes
//! did not change are hard-linked from the previous output instead of written again.

use crate::diag::Said;
use crate::render::Page;
use anyhow::{Context, Result, bail};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The file that marks a folder as rectify's output, so it may be replaced.
pub const MARKER: &str = ".rectify-output";

/// Refuses output folders whose replacement would destroy something rectify did not write.
pub fn guard(output: &Path, content: &Path) -> Result<()> {
    let out = absolute(output)?;
    let content = absolute(content)?;
    let home = std::env::var_os("HOME").map(PathBuf::from);
    if out.parent().is_none() {
        return Err(Said::new(
            format!("拒绝把网站写入根文件夹 {}", out.display()),
            format!(
                "refusing to write the site into the root folder {}",
                out.display()
            ),
        )
        .into());
    }
    if home
        .as_deref()
        .is_some_and(|h| absolute(h).map(|h| h == out).unwrap_or(false))
    {
        return Err(Said::new(
            format!("拒绝替换主文件夹 {}", out.display()),
            format!("refusing to replace the home folder {}", out.display()),
        )
        .into());
    }
    if content.starts_with(&out) {
        return Err(Said::new(
            format!(
                "拒绝把网站写入 {}：其中有内容文件夹 {}",
                out.display(),
                content.display()
            ),
            format!(
                "refusing to write the site into {}: it holds the content folder {}",
                out.display(),
                content.display()
            ),
        )
        .into());
    }
    if out.exists() && !out.is_dir() {
        return Err(Said::new(
            format!("拒绝替换 {}：它是文件，不是文件夹", out.display()),
            format!(
                "refusing to replace {}: it is a file, not a folder",
                out.display()
            ),
        )
        .into());
    }
    if out.is_dir() && !out.join(MARKER).exists() && fs::read_dir(&out)?.next().is_some() {
        return Err(Said::new(
            format!(
                "拒绝替换 {}：文件夹不为空，且不是 rectify 生成的（没有 {MARKER} 文件）；请换一个 --output，或先清空它",
                out.display()
            ),
            format!(
                "refusing to replace {}: it is not empty and was not written by rectify (no {MARKER} file); choose another --output or empty it",
                out.display()
            ),
        )
        .into());
    }
    Ok(())
}

/// An absolute, lexically normalised path (the folder may not exist yet).
fn absolute(p: &Path) -> Result<PathBuf> {
    let joined = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir()?.join(p)
    };
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    Ok(fs::canonicalize(&out).unwrap_or(out))
}

/// A file to copy from the content folder into the output.
pub struct Copy {
    pub rel: String,
    pub from: PathBuf,
}

/// Writes `pages` and `copies` as the new contents of `output`, atomically.
pub fn write_site(output: &Path, pages: &[Page], copies: &[Copy]) -> Result<()> {
    let staging = Staging::begin(output)?;
    staging.put_pages(pages)?;
    staging.copy_files(copies)?;
    staging.commit()
}

/// A build being written beside the output. Pages arrive in batches, so memory stays bounded;
/// `commit` swaps it in, and dropping it uncommitted (any error) deletes it.
pub struct Staging {
    dir: PathBuf,
    output: PathBuf,
    parent: PathBuf,
    name: String,
    committed: bool,
    /// Pages staged so far (for the debug-only interruption hook).
    written: AtomicUsize,
}

impl Staging {
    pub fn begin(output: &Path) -> Result<Staging> {
        let parent = output
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_path_buf();
        fs::create_dir_all(&parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
        let name = output
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "output".into());
        let dir = parent.join(format!(".{name}.staging-{}", std::process::id()));
        if dir.exists() {
            fs::remove_dir_all(&dir).with_context(|| format!("cannot clear {}", dir.display()))?;
        }
        fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
        let output = output.to_path_buf();
        Ok(Staging {
            dir,
            output,
            parent,
            name,
            committed: false,
            written: AtomicUsize::new(0),
        })
    }

    /// Writes a batch of pages, several at a time.
    pub fn put_pages(&self, pages: &[Page]) -> Result<()> {
        use rayon::prelude::*;
        pages.par_iter().try_for_each(|p| {
            interrupt_for_tests(self.written.fetch_add(1, Ordering::Relaxed))?;
            put(&self.dir, &self.output, &p.path, &p.bytes)
        })
    }

    /// Copies content files, without their metadata.
    pub fn copy_files(&self, copies: &[Copy]) -> Result<()> {
        for copy in copies {
            let bytes = fs::read(&copy.from)
                .with_context(|| format!("cannot read {}", copy.from.display()))?;
            let bytes = crate::media::strip_metadata(&copy.rel, bytes);
            put(&self.dir, &self.output, &copy.rel, &bytes)?;
        }
        Ok(())
    }

    /// Marks the staged folder as rectify's and puts it in place of the output.
    pub fn commit(mut self) -> Result<()> {
        fs::write(
            self.dir.join(MARKER),
            "This folder is written by rectify; it is replaced on every build.\n",
        )
        .with_context(|| format!("cannot write into {}", self.dir.display()))?;
        swap(&self.dir, &self.output, &self.parent, &self.name)?;
        self.committed = true;
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// Debug builds only: `RECTIFY_TEST_FAIL_AFTER=N` makes the build fail as a full disk would, after
/// N pages are staged, so the tests can check that an interrupted build changes nothing.
#[cfg(debug_assertions)]
fn interrupt_for_tests(written: usize) -> Result<()> {
    let limit = std::env::var("RECTIFY_TEST_FAIL_AFTER").ok();
    match limit.and_then(|n| n.parse::<usize>().ok()) {
        Some(n) if written >= n => {
            bail!("simulated write failure after {n} files (RECTIFY_TEST_FAIL_AFTER)")
        }
        _ => Ok(()),
    }
}

#[cfg(not(debug_assertions))]
fn interrupt_for_tests(_written: usize) -> Result<()> {
    Ok(())
}

/// Writes one file, or hard-links the previous output's copy when its bytes are the same.
fn put(staging: &Path, previous: &Path, rel: &str, bytes: &[u8]) -> Result<()> {
    let target = staging.join(rel);
    if let Some(dir) = target.parent() {
        fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    let old = previous.join(rel);
    let same = fs::metadata(&old).is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64)
        && fs::read(&old).is_ok_and(|b| b == bytes);
    if same && fs::hard_link(&old, &target).is_ok() {
        return Ok(());
    }
    fs::write(&target, bytes).with_context(|| format!("cannot write {}", target.display()))
}

/// Replaces `output` by `staging` with renames; the old output is removed afterwards.
fn swap(staging: &Path, output: &Path, parent: &Path, name: &str) -> Result<()> {
    let retired = parent.join(format!(".{name}.old-{}", std::process::id()));
    let had_output = output.exists();
    if had_output {
        fs::rename(output, &retired)
            .with_context(|| format!("cannot move the previous {} aside", output.display()))?;
    }
    if let Err(e) = fs::rename(staging, output) {
        if had_output {
            let _ = fs::rename(&retired, output);
        }
        return Err(e)
            .with_context(|| format!("cannot move the new site into {}", output.display()));
    }
    if had_output {
        fs::remove_dir_all(&retired)
            .with_context(|| format!("cannot remove {}", retired.display()))?;
    }
    Ok(())
}
