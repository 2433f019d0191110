//! The build cache: a build whose inputs did not change, into an output nobody touched since, writes
//! nothing and prints what the build that made the output printed. The key holds every content
//! file's bytes (themes, photos and attachments included), the arguments and a hash of the rectify
//! executable; the output is recognised by a manifest of its files' sizes, times and inodes.
//! Entries live in the cache folder (they hold warnings that may quote `private:` values: mode
//! 0700/0600, never in the output); anything missing, stale or unreadable is a miss, never an error.

use serde::{Deserialize, Serialize};
use std::fs;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::Write;
use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

/// What a finished build printed, and the output it left.
#[derive(Serialize, Deserialize)]
pub struct Entry {
    key: String,
    manifest: String,
    /// The warnings, exactly as printed.
    pub report: String,
    /// The closing "built …" line.
    pub built: String,
}

/// The cache for one build command: where its entry lives and the key of its inputs.
pub struct BuildCache {
    entry: PathBuf,
    content: PathBuf,
    args: String,
    key: String,
}

impl BuildCache {
    /// `None` when there is no usable cache folder, or it lies inside the output or the content
    /// (a build must never publish or hash its own cache). `args` are the arguments that change
    /// what a build writes or prints.
    pub fn open(content: &Path, output: &Path, args: &str) -> Option<BuildCache> {
        if hooks_for_tests() {
            return None;
        }
        let dir = crate::cache::root()?;
        let real = super::real_path(&dir).ok()?;
        let content_real = super::real_path(content).ok()?;
        if real.starts_with(output) || real.starts_with(&content_real) {
            return None;
        }
        let builds = dir.join("builds");
        fs::create_dir_all(&builds).ok()?;
        let entry = builds.join(format!("{}.json", hex(hash_of(&output))));
        let key = key(content, args)?;
        Some(BuildCache {
            entry,
            content: content.to_path_buf(),
            args: args.to_string(),
            key,
        })
    }

    /// The entry, if it was made from the same inputs and the output is still as it left it.
    pub fn hit(&self, output: &Path) -> Option<Entry> {
        let entry: Entry = serde_json::from_slice(&fs::read(&self.entry).ok()?).ok()?;
        (entry.key == self.key && Some(&entry.manifest) == manifest(output).as_ref())
            .then_some(entry)
    }

    /// Records a finished build, unless the content changed while it ran. Failures are ignored:
    /// the next build is then simply uncached.
    pub fn store(&self, output: &Path, report: String, built: String) {
        if key(&self.content, &self.args).as_ref() != Some(&self.key) {
            return;
        }
        let Some(manifest) = manifest(output) else {
            return;
        };
        let entry = Entry {
            key: self.key.clone(),
            manifest,
            report,
            built,
        };
        let Ok(bytes) = serde_json::to_vec(&entry) else {
            return;
        };
        let tmp = self
            .entry
            .with_extension(format!("tmp-{}", std::process::id()));
        let written = fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(&tmp)
            .and_then(|mut f| f.write_all(&bytes));
        if written
            .and_then(|()| fs::rename(&tmp, &self.entry))
            .is_err()
        {
            let _ = fs::remove_file(&tmp);
        }
    }
}

/// The hash of every input: rectify itself, the arguments, and each content file's path and bytes
/// (symlinks by their target and the bytes they lead to), hashed in parallel, combined in order.
fn key(content: &Path, args: &str) -> Option<String> {
    use rayon::prelude::*;
    let exe = exe_hash()?;
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(content)
        .follow_links(false)
        .into_iter()
        .collect::<Result<Vec<_>, _>>()
        .ok()?
        .into_iter()
        .filter(|e| !e.file_type().is_dir())
        .map(|e| e.into_path())
        .collect();
    files.sort();
    let hashes: Vec<u64> = files.par_iter().map(|p| file_hash(content, p)).collect();
    let mut h = DefaultHasher::new();
    (env!("CARGO_PKG_VERSION"), exe, args, hashes).hash(&mut h);
    Some(hex(h.finish()))
}

/// The hash of the running executable's bytes. Reading 15–150 MB on every build would cost more
/// than a no-change build may, so the hash is remembered beside the file's size, time and inode
/// (a rebuilt or replaced executable is a new file).
fn exe_hash() -> Option<u64> {
    let exe = std::env::current_exe().ok()?;
    let meta = fs::metadata(&exe).ok()?;
    let stamp = hash_of(&(
        &exe,
        meta.len(),
        meta.mtime(),
        meta.mtime_nsec(),
        meta.ino(),
    ));
    let remembered = crate::cache::root()?.join(format!("exe-{}", hex(hash_of(&exe))));
    let line = fs::read_to_string(&remembered).unwrap_or_default();
    if let Some((s, h)) = line.trim().split_once(' ')
        && s == hex(stamp)
    {
        return u64::from_str_radix(h, 16).ok();
    }
    let hash = hash_of(&fs::read(&exe).ok()?);
    let _ = fs::write(&remembered, format!("{} {}\n", hex(stamp), hex(hash)));
    Some(hash)
}

fn file_hash(content: &Path, path: &Path) -> u64 {
    let mut h = DefaultHasher::new();
    path.strip_prefix(content).unwrap_or(path).hash(&mut h);
    fs::read_link(path).ok().hash(&mut h);
    match fs::read(path) {
        Ok(bytes) => bytes.hash(&mut h),
        Err(e) => e.kind().to_string().hash(&mut h),
    }
    h.finish()
}

/// Every entry of the output with its kind, size, modification time and inode: any change to the
/// folder since the build (a file edited, added, removed or replaced) changes it.
fn manifest(output: &Path) -> Option<String> {
    let mut h = DefaultHasher::new();
    for entry in walkdir::WalkDir::new(output).sort_by_file_name() {
        let entry = entry.ok()?;
        let meta = entry.metadata().ok()?;
        let rel = entry.path().strip_prefix(output).ok()?;
        (rel, meta.is_dir(), meta.is_symlink(), meta.len()).hash(&mut h);
        (meta.mtime(), meta.mtime_nsec(), meta.ino(), meta.dev()).hash(&mut h);
    }
    Some(hex(h.finish()))
}

fn hash_of(x: &(impl Hash + ?Sized)) -> u64 {
    let mut h = DefaultHasher::new();
    x.hash(&mut h);
    h.finish()
}

fn hex(n: u64) -> String {
    format!("{n:016x}")
}

/// Debug builds only: with a test hook set the build must really run, so the cache is not used.
#[cfg(debug_assertions)]
fn hooks_for_tests() -> bool {
    ["RECTIFY_TEST_FAIL_AFTER", "RECTIFY_TEST_ABORT_AT"]
        .iter()
        .any(|k| std::env::var_os(k).is_some())
}

#[cfg(not(debug_assertions))]
fn hooks_for_tests() -> bool {
    false
}
