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
const FORMAT: u32 = 5;

pub type Hash32 = [u8; 32];

/// What a finished build read and wrote.
#[derive(Default)]
pub struct State {
    head: Head,
    /// The case files as parsed (a `CaseMemo` serialised by [`memo_bytes`]): the last build's as
    /// read back, decoded by [`memo_from`] while the content loads; this build's, kept by
    /// `keep_memo` (serialised, so the parsed cases are not held twice while pages render).
    pub memo: Vec<u8>,
    pub d: Option<Date>,
    /// Every file written, by its path in the output (not the marker).
    pub outputs: BTreeMap<String, Hash32>,
    /// Files under `files/` used by each kind of page other than case pages.
    pub kind_files: BTreeMap<PageKind, Vec<String>>,
    /// The keys of the pages that have one (`render::PageKeys`): what they were rendered from.
    pub page_keys: BTreeMap<String, Hash32>,
    /// Where each case's row lies in the data files (`render::RowIndex`), by the file's path.
    pub rows: BTreeMap<String, crate::render::RowIndex>,
    /// The warnings, exactly as printed.
    pub report: String,
    /// The line a build with nothing changed prints.
    pub unchanged: String,
    /// For a build that changed the output in place: the share of the output's stamp of the entries
    /// it touched, before and after (`stamp::part`), so the stamp need not be read whole again.
    /// `None`: stamp the whole output.
    pub stamp_change: Option<(u64, u64)>,
}

impl State {
    /// Keeps a memo serialised by [`memo_bytes`].
    pub fn keep_memo(&mut self, bytes: Vec<u8>) {
        self.memo = bytes;
    }
}

/// A memo serialised at once, so the cases it holds need not stay in memory while pages render
/// (empty if it cannot be: the next build then reads every case file).
pub fn memo_bytes(memo: &CaseMemo) -> Vec<u8> {
    postcard::to_stdvec(memo).unwrap_or_default()
}

/// The memo `memo_bytes` made; an empty one (every case file is read again) when they are not one.
pub fn memo_from(bytes: &[u8]) -> CaseMemo {
    let _t = crate::timings::phase("cache: memo");
    postcard::from_bytes(bytes).unwrap_or_default()
}

/// The small part of the state, all a build with nothing changed reads.
#[derive(Serialize, Deserialize, Default)]
struct Head {
    key: String,
    /// Ties the head to its body, written just before it.
    generation: u64,
    #[serde(with = "hashes")]
    inputs: BTreeMap<String, Hash32>,
    stamp: u64,
    report: String,
    unchanged: String,
}

/// The large part: what a build with changes reuses.
#[derive(Serialize, Deserialize)]
struct Body {
    generation: u64,
    /// A `CaseMemo`, serialised on its own.
    #[serde(with = "bytes")]
    memo: Vec<u8>,
    d: Option<Date>,
    #[serde(with = "hashes")]
    outputs: BTreeMap<String, Hash32>,
    kind_files: BTreeMap<PageKind, Vec<String>>,
    #[serde(with = "hashes")]
    page_keys: BTreeMap<String, Hash32>,
    rows: BTreeMap<String, crate::render::RowIndex>,
}

/// A `Vec<u8>` stored as one run of bytes, not a sequence of numbers (serde's default), which
/// postcard writes and reads a byte at a time.
pub mod bytes {
    use serde::{Deserializer, Serializer, de};

    pub fn serialize<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(bytes)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        struct Bytes;
        impl<'de> de::Visitor<'de> for Bytes {
            type Value = Vec<u8>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("bytes")
            }
            fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Vec<u8>, E> {
                Ok(v.to_vec())
            }
            fn visit_byte_buf<E: de::Error>(self, v: Vec<u8>) -> Result<Vec<u8>, E> {
                Ok(v)
            }
        }
        d.deserialize_byte_buf(Bytes)
    }
}

/// A map of names to hashes stored as the names, then every hash in one run of bytes.
mod hashes {
    use super::Hash32;
    use serde::{Deserialize, Deserializer, Serialize, Serializer, de};
    use std::collections::BTreeMap;

    pub fn serialize<S: Serializer>(
        map: &BTreeMap<String, Hash32>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        let names: Vec<&str> = map.keys().map(String::as_str).collect();
        let flat: Vec<u8> = map.values().flatten().copied().collect();
        (names, AsBytes(&flat)).serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<BTreeMap<String, Hash32>, D::Error> {
        let (names, flat): (Vec<String>, Flat) = Deserialize::deserialize(d)?;
        if flat.0.len() != names.len() * 32 {
            return Err(de::Error::custom("hashes do not match the names"));
        }
        Ok(names
            .into_iter()
            .zip(flat.0.chunks_exact(32))
            .map(|(name, h)| (name, h.try_into().unwrap_or([0; 32])))
            .collect())
    }

    /// Bytes that serialise as one run.
    struct AsBytes<'a>(&'a [u8]);

    impl Serialize for AsBytes<'_> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            super::bytes::serialize(self.0, s)
        }
    }

    struct Flat(Vec<u8>);

    impl<'de> Deserialize<'de> for Flat {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Flat, D::Error> {
            super::bytes::deserialize(d).map(Flat)
        }
    }
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
    key: String,
    inputs: BTreeMap<String, Hash32>,
    /// The text files' bytes as hashed, for `load::load_with` (see [`BuildCache::take_preread`]).
    preread: crate::load::Preread,
    /// The inputs whose bytes are not kept in `preread`, so the build reads them again later.
    unread: Vec<(String, PathBuf)>,
    /// The output's stamp as `previous` found it, when it matched the last build's.
    seen_stamp: Option<u64>,
    /// When the inputs were hashed.
    started: std::time::SystemTime,
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
        let file = builds.join(format!("{}.head", hex(hash_of(&output))));
        // The single-file entry of earlier versions.
        let _ = fs::remove_file(file.with_extension("json"));
        let key = format!(
            "{FORMAT}|{}|{:x}|{args}",
            env!("CARGO_PKG_VERSION"),
            exe_hash()?
        );
        let started = std::time::SystemTime::now();
        let (inputs, preread, unread) = inputs(content)?;
        Some(BuildCache {
            file,
            key,
            inputs,
            preread,
            unread,
            seen_stamp: None,
            started,
        })
    }

    /// The bytes of the content folder's text files as they were hashed, so loading the content
    /// does not read them again (the hashes then describe exactly the bytes the build used).
    pub fn take_preread(&mut self) -> crate::load::Preread {
        std::mem::take(&mut self.preread)
    }

    /// The last build's state, if it was made by this executable with these arguments. With nothing
    /// changed only its small head is read (the report and the closing line).
    pub fn previous(&mut self, output: &Path) -> Option<Previous> {
        let mut head: Head = postcard::from_bytes(&fs::read(&self.file).ok()?).ok()?;
        if head.key != self.key {
            return None;
        }
        let intact = {
            let _t = crate::timings::phase("cache: output stamp");
            super::stamp::stamp(output) == Some(head.stamp)
        };
        self.seen_stamp = intact.then_some(head.stamp);
        let mut changed: Vec<String> = self
            .inputs
            .iter()
            .filter(|(p, h)| head.inputs.get(*p) != Some(*h))
            .map(|(p, _)| p.clone())
            .collect();
        changed.extend(
            head.inputs
                .keys()
                .filter(|p| !self.inputs.contains_key(*p))
                .cloned(),
        );
        changed.sort();
        let mut state = State {
            report: std::mem::take(&mut head.report),
            unchanged: std::mem::take(&mut head.unchanged),
            ..State::default()
        };
        if !(intact && changed.is_empty()) {
            let _t = crate::timings::phase("cache: body");
            let body: Body = postcard::from_bytes(&fs::read(self.body()).ok()?).ok()?;
            if body.generation != head.generation {
                return None;
            }
            drop(_t);
            state.memo = body.memo;
            state.d = body.d;
            state.outputs = body.outputs;
            state.kind_files = body.kind_files;
            state.page_keys = body.page_keys;
            state.rows = body.rows;
        }
        state.head = head;
        Some(Previous {
            state,
            changed,
            intact,
        })
    }

    /// Records a finished build, unless the content changed while it ran. Failures are ignored: the next build is then simply a full one.
    pub fn store(&self, output: &Path, state: State) {
        let _t = crate::timings::phase("cache: store check");
        if !self.unchanged_since_hashed() {
            self.forget();
            return;
        }
        drop(_t);
        let _t = crate::timings::phase("cache: store stamp");
        let stamp = match (self.seen_stamp, state.stamp_change) {
            (Some(seen), Some((before, after))) => {
                let stamp = seen.wrapping_sub(before).wrapping_add(after);
                debug_assert_eq!(Some(stamp), super::stamp::stamp(output));
                stamp
            }
            _ => match super::stamp::stamp(output) {
                Some(stamp) => stamp,
                None => return,
            },
        };
        drop(_t);
        let generation = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64)
            ^ u64::from(std::process::id());
        let body = Body {
            generation,
            memo: state.memo,
            d: state.d,
            outputs: state.outputs,
            kind_files: state.kind_files,
            page_keys: state.page_keys,
            rows: state.rows,
        };
        let head = Head {
            key: self.key.clone(),
            generation,
            inputs: self.inputs.clone(),
            stamp,
            report: state.report,
            unchanged: state.unchanged,
        };
        // The body first: a head names the body it belongs to, so a kill between the two leaves
        // a mismatch (a full build), never a wrong pair.
        let written = postcard::to_stdvec(&body)
            .ok()
            .is_some_and(|b| write_private(&self.body(), &b))
            && postcard::to_stdvec(&head)
                .ok()
                .is_some_and(|b| write_private(&self.file, &b));
        if !written {
            self.forget();
        }
    }

    /// Whether the files the build read again after hashing them (photos, theme files, links; see
    /// `unread`) still have the bytes hashed: those modified since shortly before the build began
    /// (times are coarse) are hashed again. The text files need no check: the build used exactly
    /// the bytes it hashed, so a change since shows as a change to the next build. Nor do files
    /// that came or went since: the next build sees them come or go.
    fn unchanged_since_hashed(&self) -> bool {
        use rayon::prelude::*;
        let recent = self.started - std::time::Duration::from_secs(2);
        self.unread.par_iter().all(|(rel, path)| {
            let old = fs::symlink_metadata(path)
                .and_then(|m| m.modified())
                .is_ok_and(|t| t < recent);
            self.inputs
                .get(rel)
                .is_some_and(|h| old || *h == file_hash(path).0)
        })
    }

    fn body(&self) -> PathBuf {
        self.file.with_extension("body")
    }

    /// Forgets the last build (before one that may leave the output different from the state).
    pub fn forget(&self) {
        let _ = fs::remove_file(&self.file);
        let _ = fs::remove_file(self.body());
    }
}

/// Writes a file readable by the user alone, whole or not at all (a temporary file renamed).
pub fn write_private(path: &Path, bytes: &[u8]) -> bool {
    let tmp = path.with_extension(format!("tmp-{}", std::process::id()));
    let written = fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(&tmp)
        .and_then(|mut f| f.write_all(bytes));
    if written.and_then(|()| fs::rename(&tmp, path)).is_err() {
        let _ = fs::remove_file(&tmp);
        return false;
    }
    true
}

/// Every input file: the content folder's files and the theme folders beside it, as `../themes/…`,
/// by the name the state knows them by, and whether the walk found a link there.
fn input_files(content: &Path) -> Option<Vec<(String, PathBuf, bool)>> {
    let themes = content.parent().unwrap_or(Path::new(".")).join("themes");
    let mut files: Vec<(String, PathBuf, bool)> = Vec::new();
    for (root, prefix) in [(content.to_path_buf(), ""), (themes, "../themes/")] {
        if prefix.is_empty() || root.is_dir() {
            for e in walkdir::WalkDir::new(&root).follow_links(false) {
                let e = e.ok()?;
                if e.file_type().is_dir() {
                    continue;
                }
                let rel = name(e.path().strip_prefix(&root).ok()?);
                let link = e.path_is_symlink();
                files.push((format!("{prefix}{rel}"), e.into_path(), link));
            }
        }
    }
    Some(files)
}

/// A relative path as the state knows it: as it is when it is UTF-8; else its bytes escaped after a
/// NUL (which no file name holds), so two names that differ only in bytes that are not UTF-8 never
/// read alike.
fn name(rel: &Path) -> String {
    match rel.to_str() {
        Some(s) => s.to_string(),
        None => format!("\0{}", rel.as_os_str().as_encoded_bytes().escape_ascii()),
    }
}

/// Every input file's blake3 (symlinks by their target and the bytes they lead to), in parallel,
/// with the bytes of the content folder's text files (`.yaml`, `.md`, not links) kept for loading,
/// and the other files by name and path.
type Inputs = (
    BTreeMap<String, Hash32>,
    crate::load::Preread,
    Vec<(String, PathBuf)>,
);

fn inputs(content: &Path) -> Option<Inputs> {
    use rayon::prelude::*;
    let files = input_files(content)?;
    let hashed: Vec<(String, PathBuf, Hash32, Option<Vec<u8>>)> = files
        .into_par_iter()
        .map(|(rel, path, link)| {
            let (hash, bytes) = if link {
                file_hash(&path)
            } else {
                plain_file_hash(&path)
            };
            // A name that is not UTF-8 is kept out: its lossy form may be another file's.
            let text = !rel.starts_with("../")
                && path.to_str().is_some()
                && (rel.ends_with(".yaml") || rel.ends_with(".md"))
                && bytes
                    .as_ref()
                    .is_some_and(|b| b.len() as u64 <= crate::load::MAX_TEXT_BYTES);
            (rel, path, hash, bytes.filter(|_| text))
        })
        .collect();
    let mut inputs = BTreeMap::new();
    let mut preread = crate::load::Preread::new();
    let mut unread = Vec::new();
    for (rel, path, hash, bytes) in hashed {
        match bytes {
            // Not a link: its hash is its bytes' alone.
            Some(bytes) => {
                preread.insert(rel.clone(), (bytes, hash));
            }
            None => unread.push((rel.clone(), path)),
        }
        inputs.insert(rel, hash);
    }
    Some((inputs, preread, unread))
}

/// [`file_hash`] of a file the walk found not to be a link, without asking again: opened without
/// following a link (one put there since is hashed as a link by `file_hash`).
fn plain_file_hash(path: &Path) -> (Hash32, Option<Vec<u8>>) {
    use std::io::Read;
    let read = || -> std::io::Result<Vec<u8>> {
        let mut file = fs::OpenOptions::new()
            .read(true)
            .custom_flags(rustix::fs::OFlags::NOFOLLOW.bits() as i32)
            .open(path)?;
        let mut bytes = Vec::with_capacity(file.metadata().map_or(0, |m| m.len() as usize));
        file.read_to_end(&mut bytes)?;
        Ok(bytes)
    };
    match read() {
        Ok(bytes) => (hash_bytes(&bytes), Some(bytes)),
        Err(_) => file_hash(path),
    }
}

/// A file's blake3, and its bytes when it is a plain file that could be read (not a link).
fn file_hash(path: &Path) -> (Hash32, Option<Vec<u8>>) {
    let mut h = blake3::Hasher::new();
    let link = fs::read_link(path).ok();
    if let Some(target) = &link {
        h.update(b"link:");
        h.update(target.as_os_str().as_encoded_bytes());
        h.update(b"\0");
    }
    let bytes = match fs::read(path) {
        Ok(bytes) => {
            h.update(&bytes);
            Some(bytes)
        }
        Err(e) => {
            h.update(format!("unreadable: {}", e.kind()).as_bytes());
            None
        }
    };
    (*h.finalize().as_bytes(), bytes.filter(|_| link.is_none()))
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The bytes kept for loading are the content's text files by their own names: not the themes,
    /// not photos, not links, and never a file whose name is not UTF-8 (two such names can read
    /// alike, and one file's bytes would be taken for the other's); every file is hashed under a
    /// name of its own.
    #[test]
    fn only_plain_text_files_named_in_utf8_are_kept_for_loading() {
        use std::ffi::OsStr;
        use std::os::unix::ffi::OsStrExt;
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("content");
        let cases = content.join("cases/x");
        fs::create_dir_all(&cases).unwrap();
        fs::create_dir_all(dir.path().join("themes/t")).unwrap();
        fs::write(dir.path().join("themes/t/base.html"), "theme").unwrap();
        fs::write(cases.join("a.yaml"), "id: a\n").unwrap();
        fs::write(content.join("plan.md"), "# plan\n").unwrap();
        fs::write(content.join("photo.jpg"), [0xff, 0xd8]).unwrap();
        std::os::unix::fs::symlink("a.yaml", cases.join("link.yaml")).unwrap();
        for (byte, text) in [(0xffu8, "one"), (0xfe, "two")] {
            let name = [b"b".as_slice(), &[byte], b".yaml"].concat();
            fs::write(cases.join(OsStr::from_bytes(&name)), text).unwrap();
        }
        let (hashes, kept, unread) = inputs(&content).unwrap();
        assert_eq!(unread.len(), 5, "{unread:?}");
        assert_eq!(hashes.len(), 7, "{:?}", hashes.keys());
        let mut names: Vec<&String> = kept.keys().collect();
        names.sort();
        assert_eq!(names, ["cases/x/a.yaml", "plan.md"]);
        assert_eq!(kept["cases/x/a.yaml"].0, b"id: a\n");
        assert_eq!(kept["cases/x/a.yaml"].1, hashes["cases/x/a.yaml"]);
    }

    /// The parsed case files survive the trip through the cache: validating with the memo read
    /// back gives the same site and warnings as reading every file, and it holds every case file.
    #[test]
    fn a_memo_read_back_validates_like_a_fresh_read() {
        let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/small/content");
        let sources = crate::load::load(&content).unwrap();
        let mut memo = CaseMemo::default();
        let (site, warnings) = crate::validate::validate_memo(&sources, &mut memo).unwrap();
        let bytes = memo_bytes(&memo);
        assert!(!bytes.is_empty());
        let mut back: CaseMemo = postcard::from_bytes(&bytes).unwrap();
        assert_eq!(back.ids().len(), site.cases.len());
        let (again, warnings_again) = crate::validate::validate_memo(&sources, &mut back).unwrap();
        assert_eq!(warnings_again, warnings);
        assert_eq!(format!("{:?}", again.cases), format!("{:?}", site.cases));
        // Damaged bytes are refused, never half-read.
        assert!(postcard::from_bytes::<CaseMemo>(&bytes[..bytes.len() / 2]).is_err());
    }
}
