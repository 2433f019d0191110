//! Write: the only stage that touches the output folder. A build is staged beside the output and
//! swapped in (see `swap`), so a failed or killed build leaves the previous output as it was; files
//! whose bytes did not change are hard-linked from the previous output instead of written again.

mod cache;
mod guard;
mod journal;
mod swap;

pub use cache::{BuildCache, Hash32, Previous, State, hash_bytes, memo_bytes};
pub use guard::{guard, real_path};
pub use journal::Journal;

use crate::render::Page;
use anyhow::{Context, Result};
use std::collections::BTreeMap;
use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use swap::Beside;

/// The file that marks a folder as rectify's output, so it may be replaced.
pub const MARKER: &str = ".rectify-output";

/// A file to copy from the content folder into the output.
pub struct Copy {
    pub rel: String,
    pub from: PathBuf,
}

/// The output locked against other builds, with what a killed build left repaired. While it is
/// held the output does not change under us, so it can be compared with the cache or staged anew.
pub struct Locked {
    beside: Beside,
    _lock: File,
}

/// Locks the output (`output` should be the real path the guard returned) and repairs what a
/// killed build left beside it.
pub fn lock(output: &Path) -> Result<Locked> {
    let beside = Beside::of(output);
    fs::create_dir_all(&beside.parent)
        .with_context(|| format!("cannot create {}", beside.parent.display()))?;
    let lock = beside.lock()?;
    journal::recover(&beside)?;
    beside.recover()?;
    Ok(Locked {
        beside,
        _lock: lock,
    })
}

impl Locked {
    pub fn output(&self) -> &Path {
        &self.beside.output
    }

    /// Starts an incremental update of the output in place, under a journal.
    pub fn journal(&self) -> Result<Journal<'_>> {
        Journal::begin(&self.beside)
    }

    /// Starts a staging folder beside the output.
    pub fn stage(self) -> Result<Staging> {
        let dir = self.beside.staging();
        fs::create_dir(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
        let staging = Staging {
            dir,
            locked: Some(self),
            written: AtomicUsize::new(0),
            hashes: Mutex::new(BTreeMap::new()),
        };
        // Marked from the start, so a later run knows the folder is rectify's to clean up.
        fs::write(
            staging.dir.join(MARKER),
            "This folder is written by rectify; it is replaced on every build.\n",
        )
        .with_context(|| format!("cannot write into {}", staging.dir.display()))?;
        Ok(staging)
    }
}

/// A build being written beside the output. Pages arrive in batches, so memory stays bounded;
/// `commit` swaps it in, and dropping it uncommitted (any error) deletes it. It holds the lock
/// beside the output until it is committed or dropped.
pub struct Staging {
    dir: PathBuf,
    /// The lock; taken back by `commit`.
    locked: Option<Locked>,
    /// Pages staged so far (for the debug-only interruption hooks).
    written: AtomicUsize,
    /// Every file staged, with the blake3 of its bytes (for the build cache).
    hashes: Mutex<BTreeMap<String, Hash32>>,
}

impl Staging {
    /// Locks the output, repairs what a killed build left, and starts a staging folder.
    pub fn begin(output: &Path) -> Result<Staging> {
        lock(output)?.stage()
    }

    fn output(&self) -> &Path {
        self.locked.as_ref().map_or(Path::new(""), Locked::output)
    }

    /// Writes a batch of pages, several at a time.
    pub fn put_pages(&self, pages: &[Page]) -> Result<()> {
        use rayon::prelude::*;
        pages.par_iter().try_for_each(|p| {
            interrupt_for_tests(self.written.fetch_add(1, Ordering::Relaxed))?;
            self.put(&p.path, &p.bytes)
        })
    }

    fn put(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        put(&self.dir, self.output(), rel, bytes)?;
        if let Ok(mut h) = self.hashes.lock() {
            h.insert(rel.to_string(), hash_bytes(bytes));
        }
        Ok(())
    }

    /// Every file staged so far, with the blake3 of its bytes.
    pub fn hashes(&self) -> BTreeMap<String, Hash32> {
        self.hashes.lock().map(|h| h.clone()).unwrap_or_default()
    }

    /// Copies content files, without their metadata.
    pub fn copy_files(&self, copies: &[Copy]) -> Result<()> {
        for copy in copies {
            let bytes = fs::read(&copy.from)
                .with_context(|| format!("cannot read {}", copy.from.display()))?;
            let bytes = crate::media::strip_metadata(&copy.rel, bytes);
            self.put(&copy.rel, &bytes)?;
        }
        Ok(())
    }

    /// Puts the staged folder in place of the output; the lock stays held by what it returns.
    pub fn commit(mut self) -> Result<Locked> {
        let locked = self
            .locked
            .take()
            .context("the staging folder was committed twice")?;
        if let Err(e) = locked.beside.swap(&self.dir) {
            self.locked = Some(locked);
            return Err(e);
        }
        Ok(locked)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if self.locked.is_some() {
            let _ = swap::remove_ours(&self.dir);
        }
    }
}

/// Debug builds only: `RECTIFY_TEST_FAIL_AFTER=N` makes the build fail as a full disk would, after
/// N pages are staged, so the tests can check that an interrupted build changes nothing;
/// `RECTIFY_TEST_ABORT_AT=staging` kills it there instead.
#[cfg(debug_assertions)]
fn interrupt_for_tests(written: usize) -> Result<()> {
    use anyhow::bail;
    if written == 3 {
        swap::crash_point("staging");
    }
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
    let same = fs::symlink_metadata(&old)
        .is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64)
        && fs::read(&old).is_ok_and(|b| b == bytes);
    if same && fs::hard_link(&old, &target).is_ok() {
        return Ok(());
    }
    fs::write(&target, bytes).with_context(|| format!("cannot write {}", target.display()))
}
