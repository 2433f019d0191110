//! Write: the only stage that touches the output folder. A build is staged beside the output and
//! swapped in (see `swap`), so a failed or killed build leaves the previous output as it was; files
//! whose bytes did not change are hard-linked from the previous output instead of written again.

mod cache;
pub use cache::bytes;
mod guard;
pub mod handle;
mod journal;
mod stamp;
mod swap;

pub use cache::{
    BuildCache, Hash32, Previous, State, hash_bytes, memo_bytes, memo_from, write_private,
};
pub use guard::{guard, real_path};
pub use journal::Journal;
pub use stamp::part as stamp_part;

use crate::render::Page;
use anyhow::{Context, Result};
use handle::{DirHandle, Tree};
use std::collections::BTreeMap;
use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use swap::Beside;
pub use swap::cannot;

/// The file that marks a folder as rectify's output, so it may be replaced.
pub const MARKER: &str = ".rectify-output";

/// A file to copy from the content folder into the output.
pub struct Copy {
    pub rel: String,
    pub from: PathBuf,
}

impl Copy {
    /// The file as published: its bytes read from the content folder, metadata stripped.
    pub fn page(&self) -> Result<Page> {
        let bytes = fs::read(&self.from).with_context(|| cannot("读取", "read", &self.from))?;
        Ok(Page {
            path: self.rel.clone(),
            bytes: crate::media::strip_metadata(&self.rel, bytes),
        })
    }
}

/// The output locked against other builds, with what a killed build left repaired. While it is
/// held the output does not change under us, so it can be compared with the cache or staged anew.
pub struct Locked {
    beside: Beside,
    _lock: File,
}

/// Locks the output (`output` should be the real path the guard returned) and repairs what a
/// killed build left beside it. From here on the output's parent is reached only through a folder
/// handle opened once (see `handle`), so a symlink swapped into the path later redirects nothing;
/// the output is checked again through that handle, under the lock.
pub fn lock(output: &Path) -> Result<Locked> {
    swap::crash_point("lock");
    let beside = Beside::open(output)?;
    let lock = beside.lock()?;
    guard::refuse_foreign_in(&beside.parent, beside.name(), output)?;
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

    /// The output's parent folder, held open.
    pub fn parent(&self) -> &DirHandle {
        &self.beside.parent
    }

    /// Starts a staging folder beside the output; an interruption from here on stops the build
    /// cleanly (see `swap::stop_on_interrupt`).
    pub fn stage(self) -> Result<Staging> {
        swap::stop_on_interrupt();
        let name = self.beside.staging();
        let parent = &self.beside.parent;
        let dir = parent
            .create_dir_in(&name)
            .with_context(|| cannot("创建", "create", &parent.at(&name)))?;
        let previous = parent.open_dir_in(self.beside.name()).ok().map(Tree::new);
        let staging = Staging {
            dir: Tree::new(dir),
            name,
            previous,
            locked: Some(self),
            written: AtomicUsize::new(0),
            hashes: Mutex::new(BTreeMap::new()),
        };
        // Marked from the start, so a later run knows the folder is rectify's to clean up.
        staging
            .dir
            .write_file(
                MARKER,
                b"This folder is written by rectify; it is replaced on every build.\n",
            )
            .with_context(|| cannot("写入", "write into", staging.dir.root().path()))?;
        Ok(staging)
    }
}

/// A build being written beside the output. Pages arrive in batches, so memory stays bounded;
/// `commit` swaps it in, and dropping it uncommitted (any error) deletes it. It holds the lock
/// beside the output until it is committed or dropped.
pub struct Staging {
    dir: Tree,
    /// The staging folder's name beside the output.
    name: String,
    /// The output as it was when staging began (files whose bytes did not change are linked).
    previous: Option<Tree>,
    /// The lock; taken back by `commit`.
    locked: Option<Locked>,
    /// Pages staged so far (for the debug-only interruption hooks).
    written: AtomicUsize,
    /// Every file staged, with the blake3 of its bytes (for the build cache).
    hashes: Mutex<BTreeMap<String, Hash32>>,
}

impl Staging {
    fn output(&self) -> &Path {
        self.locked.as_ref().map_or(Path::new(""), Locked::output)
    }

    /// Locks the output, repairs what a killed build left, and starts a staging folder.
    pub fn begin(output: &Path) -> Result<Staging> {
        lock(output)?.stage()
    }

    /// Writes a batch of pages, several at a time.
    pub fn put_pages(&self, pages: &[Page]) -> Result<()> {
        use rayon::prelude::*;
        pages.par_iter().try_for_each(|p| {
            interrupt_for_tests(self.written.fetch_add(1, Ordering::Relaxed))?;
            swap::check_interrupt(self.output())?;
            self.put(&p.path, &p.bytes)
        })
    }

    /// Writes a batch of pages one after the other: from a thread of its own, beside the
    /// rendering. Files made at once in one folder wait on its lock, and on a file system that
    /// has just freed many files the wait is spent spinning (measured in BENCHMARKS.md).
    pub fn put_pages_in_turn(&self, pages: &[Page]) -> Result<()> {
        pages.iter().try_for_each(|p| {
            interrupt_for_tests(self.written.fetch_add(1, Ordering::Relaxed))?;
            swap::check_interrupt(self.output())?;
            self.put(&p.path, &p.bytes)
        })
    }

    fn put(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        self.write_one(rel, bytes)?;
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
            swap::check_interrupt(self.output())?;
            let page = copy.page()?;
            self.put(&page.path, &page.bytes)?;
        }
        Ok(())
    }

    /// Puts the staged folder in place of the output; the lock stays held by what it returns.
    pub fn commit(mut self) -> Result<Locked> {
        let locked = self
            .locked
            .take()
            .context("the staging folder was committed twice")?;
        if let Err(e) = swap::check_interrupt(locked.output()) {
            self.locked = Some(locked);
            return Err(e);
        }
        if let Err(e) = locked.beside.swap(&self.name) {
            self.locked = Some(locked);
            return Err(e);
        }
        Ok(locked)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if let Some(locked) = &self.locked {
            let _ = swap::remove_ours(&locked.beside.parent, &self.name);
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

impl Staging {
    /// Writes one file, or hard-links the previous output's copy when its bytes are the same.
    fn write_one(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        let same = self
            .previous
            .as_ref()
            .filter(|prev| prev.read_file_sized(rel, bytes.len() as u64).as_deref() == Some(bytes));
        if let Some(prev) = same
            && self.dir.link_from(prev, rel).is_ok()
        {
            return Ok(());
        }
        self.dir
            .write_file(rel, bytes)
            .with_context(|| cannot("写入", "write", &self.dir.root().at(rel)))
    }
}
