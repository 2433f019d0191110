//! The build cache: what the last build into an output read and wrote, so the next build redoes
//! only what changed. Per output it keeps every input file's blake3 (the content folder and the
//! themes beside it), the case files as parsed (`validate::CaseMemo`, so unchanged case files are
//! not parsed again), the date D, every output file's blake3 and which files under `files/` each
//! kind of page used, the warnings printed and a stamp of the output folder (every entry's size,
//! time and inode: an output touched since means a full build). The key holds the executable's
//! hash and the arguments. Entries live in the cache folder (they hold `private:` values: mode
//! 0700/0600, never in the output); anything missing, stale or unreadable means a full build,
//! never an error.

use crate::model::Date;
use crate::render::deps::PageKind;
use crate::validate::CaseMemo;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fs;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::Write;
use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

/// Bumped when the state's layout changes.
const FORMAT: u32 = 1;

pub type Hash32 = [u8; 32];

/// What a finished build read and wrote.
#[derive(Serialize, Deserialize, Default)]
pub struct State {
    key: String,
    inputs: BTreeMap<String, Hash32>,
    stamp: u64,
    pub memo: CaseMemo,
    pub d: Option<Date>,
    /// Every file written, by its path in the output (not the marker).
    pub outputs: BTreeMap<String, Hash32>,
    /// Files under `files/` used by each kind of page other than case pages.
    pub kind_files: BTreeMap<PageKind, Vec<String>>,
    /// The warnings, exactly as printed.
    pub report: String,
    /// The line a build with nothing changed prints.
    pub unchanged: String,
}

/// The last build into this output, read back.
pub struct Previous {
    pub state: State,
    /// The input files whose bytes changed, appeared or vanished since (paths in the content
    /// folder; theme files as `../themes/…`).
    pub changed: Vec<String>,
    /// Whether the output is as that build left it.
    pub intact: bool,
}

/// The cache for one build command: where its state lives, the key and the inputs' hashes.
pub struct BuildCache {
    file: PathBuf,
    content: PathBuf,
    key: String,
    inputs: BTreeMap<String, Hash32>,
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
        let file = builds.join(format!("{}.state", hex(hash_of(&output))));
        let key = format!(
            "{FORMAT}|{}|{:x}|{args}",
            env!("CARGO_PKG_VERSION"),
            exe_hash()?
        );
        let inputs = inputs(content)?;
        Some(BuildCache {
            file,
            content: content.to_path_buf(),
            key,
            inputs,
        })
    }

    /// The last build's state, if it was made by this executable with these arguments.
    pub fn previous(&self, output: &Path) -> Option<Previous> {
        let bytes = fs::read(&self.file).ok()?;
        let state: State = postcard::from_bytes(&bytes).ok()?;
        if state.key != self.key {
            return None;
        }
        let intact = stamp(output) == Some(state.stamp);
        let mut changed: Vec<String> = self
            .inputs
            .iter()
            .filter(|(p, h)| state.inputs.get(*p) != Some(*h))
            .map(|(p, _)| p.clone())
            .collect();
        changed.extend(
            state
                .inputs
                .keys()
                .filter(|p| !self.inputs.contains_key(*p))
                .cloned(),
        );
        changed.sort();
        Some(Previous {
            state,
            changed,
            intact,
        })
    }

    /// Records a finished build, unless the content changed while it ran. Failures are ignored:
    /// the next build is then simply a full one.
    pub fn store(&self, output: &Path, mut state: State) {
        if inputs(&self.content).as_ref() != Some(&self.inputs) {
            let _ = fs::remove_file(&self.file);
            return;
        }
        let Some(stamp) = stamp(output) else {
            return;
        };
        state.key = self.key.clone();
        state.inputs = self.inputs.clone();
        state.stamp = stamp;
        let Ok(bytes) = postcard::to_stdvec(&state) else {
            return;
        };
        let tmp = self
            .file
            .with_extension(format!("tmp-{}", std::process::id()));
        let written = fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(&tmp)
            .and_then(|mut f| f.write_all(&bytes));
        if written.and_then(|()| fs::rename(&tmp, &self.file)).is_err() {
            let _ = fs::remove_file(&tmp);
        }
    }

    /// Forgets the last build (before one that may leave the output different from the state).
    pub fn forget(&self) {
        let _ = fs::remove_file(&self.file);
    }
}

/// Every input file's blake3, hashed in parallel: the content folder's files (symlinks by their
/// target and the bytes they lead to) and the theme folders beside it, as `../themes/…`.
fn inputs(content: &Path) -> Option<BTreeMap<String, Hash32>> {
    use rayon::prelude::*;
    let themes = content.parent().unwrap_or(Path::new(".")).join("themes");
    let mut files: Vec<(String, PathBuf)> = Vec::new();
    for (root, prefix) in [(content.to_path_buf(), ""), (themes, "../themes/")] {
        if prefix.is_empty() || root.is_dir() {
            for e in walkdir::WalkDir::new(&root).follow_links(false) {
                let e = e.ok()?;
                if e.file_type().is_dir() {
                    continue;
                }
                let rel = e.path().strip_prefix(&root).ok()?.to_string_lossy();
                files.push((format!("{prefix}{rel}"), e.into_path()));
            }
        }
    }
    Some(
        files
            .par_iter()
            .map(|(rel, path)| (rel.clone(), file_hash(path)))
            .collect(),
    )
}

fn file_hash(path: &Path) -> Hash32 {
    let mut h = blake3::Hasher::new();
    if let Ok(target) = fs::read_link(path) {
        h.update(b"link:");
        h.update(target.as_os_str().as_encoded_bytes());
        h.update(b"\0");
    }
    match fs::read(path) {
        Ok(bytes) => h.update(&bytes),
        Err(e) => h.update(format!("unreadable: {}", e.kind()).as_bytes()),
    };
    *h.finalize().as_bytes()
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

/// Every entry of the output with its kind, size, modification time and inode: any change to the
/// folder since the build (a file edited, added, removed or replaced) changes it.
fn stamp(output: &Path) -> Option<u64> {
    let mut h = DefaultHasher::new();
    for entry in walkdir::WalkDir::new(output).sort_by_file_name() {
        let entry = entry.ok()?;
        let meta = entry.metadata().ok()?;
        let rel = entry.path().strip_prefix(output).ok()?;
        (rel, meta.is_dir(), meta.is_symlink(), meta.len()).hash(&mut h);
        (meta.mtime(), meta.mtime_nsec(), meta.ino(), meta.dev()).hash(&mut h);
    }
    Some(h.finish())
}

/// The blake3 of a file's bytes, as the state records outputs.
pub fn hash_bytes(bytes: &[u8]) -> Hash32 {
    *blake3::hash(bytes).as_bytes()
}

fn hash_of(x: &(impl Hash + ?Sized)) -> u64 {
    let mut h = DefaultHasher::new();
    x.hash(&mut h);
    h.finish()
}

fn hex(n: u64) -> String {
    format!("{n:016x}")
}

/// Debug builds only: with a failure hook set, or a kill hook outside the journal, the build must
/// really run a full build, so the cache is not used.
#[cfg(debug_assertions)]
fn hooks_for_tests() -> bool {
    std::env::var_os("RECTIFY_TEST_FAIL_AFTER").is_some()
        || std::env::var("RECTIFY_TEST_ABORT_AT").is_ok_and(|p| !p.starts_with("journal"))
}

#[cfg(not(debug_assertions))]
fn hooks_for_tests() -> bool {
    false
}
