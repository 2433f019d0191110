//! Load: walks the content folder and reads its text files. Nothing is interpreted here.

use crate::diag::{Diagnostic, Kind, Said, Span};
use crate::filekind::{self, Sniffed};
use anyhow::{Context, Result};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Text files larger than this are refused before parsing.
pub const MAX_TEXT_BYTES: u64 = 10 * 1024 * 1024;

/// What a file in the content folder is, by where it sits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    Site,
    Organisation,
    Plan,
    Tasks,
    Case,
    Note,
    Briefing,
    Publicity,
}

/// A text file of the content folder, read but not parsed.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Relative to the content folder, with `/` separators.
    pub path: String,
    pub kind: FileKind,
    pub text: String,
    /// The blake3 of the file's bytes as read (before a byte-order mark is dropped): what the case
    /// memo knows a case file's text by.
    pub hash: [u8; 32],
}

impl SourceFile {
    /// A file made in memory (not read from the content folder): its hash is its text's.
    pub fn new(path: String, kind: FileKind, text: String) -> SourceFile {
        let hash = *blake3::hash(text.as_bytes()).as_bytes();
        SourceFile {
            path,
            kind,
            text,
            hash,
        }
    }
}

/// Everything read from a content folder.
#[derive(Debug, Default)]
pub struct Sources {
    /// Sorted by path, so `text_of` can binary-search (keep it sorted when adding files).
    pub files: Vec<SourceFile>,
    /// Every file under `files/`, relative to the content folder.
    pub assets: BTreeSet<String>,
    /// What each file under `files/` is, by its bytes (a link's by its target's bytes).
    pub kinds: BTreeMap<String, Sniffed>,
    /// The theme folders beside the content folder (`themes/<name>/`).
    pub themes: BTreeSet<String>,
    /// Problems found while reading (stray files, bad encodings, sizes).
    pub diagnostics: Vec<Diagnostic>,
}

impl Sources {
    pub fn text_of(&self, path: &str) -> Option<&str> {
        self.files
            .binary_search_by(|f| f.path.as_str().cmp(path))
            .ok()
            .map(|i| self.files[i].text.as_str())
    }
}

fn cannot_read(path: &Path) -> Said {
    Said::new(
        format!("无法读取 {}", path.display()),
        format!("cannot read {}", path.display()),
    )
}

/// Text files already read by the caller (the build cache hashes every input file first), by path
/// relative to the content folder, with their bytes' blake3: `load_with` takes them instead of
/// reading and hashing the files again.
pub type Preread = std::collections::HashMap<String, (Vec<u8>, [u8; 32])>;

/// Reads the content folder `root`. I/O failures are errors; content problems are diagnostics.
pub fn load(root: &Path) -> Result<Sources> {
    load_with(root, Preread::new())
}

/// [`load`], taking the bytes of the files in `preread` from there. A file's bytes are its bytes
/// however they were read, so the result is the same.
pub fn load_with(root: &Path, mut preread: Preread) -> Result<Sources> {
    let unreadable = || {
        Said::new(
            format!("无法读取内容文件夹 {}", root.display()),
            format!("cannot read the content folder {}", root.display()),
        )
    };
    let meta = std::fs::metadata(root).with_context(unreadable)?;
    if !meta.is_dir() {
        return Err(Said::new(
            format!("{} 不是文件夹", root.display()),
            format!("{} is not a folder", root.display()),
        )
        .into());
    }
    let mut sources = Sources::default();
    let inside = std::fs::canonicalize(root).with_context(unreadable)?;
    // The walk starts at the real folder: a content folder given as a symlink (`content ->
    // /data/content`) is read like the folder it names; links inside are judged below.
    let walker = walkdir::WalkDir::new(&inside)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored(&e.file_name().to_string_lossy()));
    for entry in walker {
        let entry = entry.with_context(|| cannot_read(root))?;
        if entry.file_type().is_dir() {
            continue;
        }
        let rel = relative(&inside, entry.path());
        if entry.path_is_symlink() && !link_allowed(&inside, &rel, entry.path(), &mut sources) {
            continue;
        }
        // A named pipe or a device would block the read forever, or never end.
        let regular = match entry.path_is_symlink() {
            true => std::fs::metadata(entry.path()).is_ok_and(|m| m.is_file()),
            false => entry.file_type().is_file(),
        };
        if !regular {
            let expected = ("普通文件", "regular files");
            let kind = Kind::StrayFile { expected };
            sources
                .diagnostics
                .push(Diagnostic::new(&rel, Span::file_start(), kind));
            continue;
        }
        let bytes = preread.remove(&rel);
        classify(&rel, entry.path(), bytes, &mut sources)?;
    }
    sources.files.sort_by(|a, b| a.path.cmp(&b.path));
    sources.kinds = sniff_assets(root, &sources.assets);
    sources.themes = themes(root);
    Ok(sources)
}

/// Sniffs every file under `files/`, several at a time; an unreadable file is of no known kind.
fn sniff_assets(root: &Path, assets: &BTreeSet<String>) -> BTreeMap<String, Sniffed> {
    use rayon::prelude::*;
    let unknown = Sniffed {
        kind: filekind::Kind::Other,
        size: None,
    };
    assets
        .par_iter()
        .map(|rel| {
            let sniffed = filekind::sniff_file(&root.join(rel)).unwrap_or(unknown);
            (rel.clone(), sniffed)
        })
        .collect()
}

/// The names of the folders in `themes/` beside the content folder.
fn themes(root: &Path) -> BTreeSet<String> {
    let dir = root.parent().unwrap_or(Path::new(".")).join("themes");
    let Ok(entries) = std::fs::read_dir(dir) else {
        return BTreeSet::new();
    };
    entries
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .filter_map(|e| e.file_name().into_string().ok())
        .collect()
}

/// Reads one file again after it changed on disk (`serve`): replaces, adds or drops it in `sources`.
/// Returns `false` when only a full [`load`] can tell what the change means — a folder, a symbolic
/// link, a file that had a problem of its own — and the caller should load everything again.
pub fn refresh(root: &Path, sources: &mut Sources, rel: &str) -> Result<bool> {
    if rel.is_empty() || rel.split('/').any(|c| c.is_empty() || c == "..") {
        return Ok(false);
    }
    if rel.split('/').any(is_ignored) {
        return Ok(true);
    }
    let full = root.join(rel);
    let meta = std::fs::symlink_metadata(&full).ok();
    let plain = meta.as_ref().is_none_or(|m| m.file_type().is_file());
    if !plain || sources.diagnostics.iter().any(|d| d.path == rel) {
        return Ok(false);
    }
    sources.files.retain(|f| f.path != rel);
    sources.assets.remove(rel);
    if meta.is_some() {
        classify(rel, &full, None, sources)?;
        sources.files.sort_by(|a, b| a.path.cmp(&b.path));
    }
    Ok(true)
}

/// Symbolic links are not followed by the walk. A link to a file inside the content folder is read
/// like the file; a link leading outside it is an error (it could publish any file of the machine),
/// and so is a link to a folder, inside or not (its files would be read twice or from elsewhere)
/// and a dangling link.
fn link_allowed(inside: &Path, rel: &str, link: &Path, sources: &mut Sources) -> bool {
    let kind = match std::fs::canonicalize(link) {
        Err(_) => Kind::MissingFile { path: rel.into() },
        Ok(target) if !target.starts_with(inside) => Kind::OutsideContent { path: rel.into() },
        Ok(target) if target.is_dir() => Kind::SymlinkedFolder,
        Ok(_) => return true,
    };
    sources
        .diagnostics
        .push(Diagnostic::new(rel, Span::file_start(), kind));
    false
}

fn is_ignored(name: &str) -> bool {
    name.starts_with('.') || name.starts_with('_')
}

fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Decides what a file is and reads it (or takes `bytes`, read before), or records why it does not
/// belong.
fn classify(
    rel: &str,
    full: &Path,
    bytes: Option<(Vec<u8>, [u8; 32])>,
    sources: &mut Sources,
) -> Result<()> {
    let top = rel.split('/').next().unwrap_or("");
    let nested = rel.contains('/');
    let expected = match (top, nested) {
        ("site.yaml", false) => Ok(FileKind::Site),
        ("organisation.yaml", false) => Ok(FileKind::Organisation),
        ("plan.md", false) => Ok(FileKind::Plan),
        ("tasks.yaml", false) => Ok(FileKind::Tasks),
        ("files", true) => {
            sources.assets.insert(rel.to_string());
            return Ok(());
        }
        ("cases", true) if rel.ends_with(".yaml") => Ok(FileKind::Case),
        ("cases", true) => Err(("`.yaml` 场所文件", "`.yaml` case files")),
        ("notes", true) if rel.ends_with(".md") => Ok(FileKind::Note),
        ("notes", true) => Err(("`.md` 工作动态", "`.md` notes")),
        ("publicity", true) if rel.ends_with(".md") => Ok(FileKind::Publicity),
        ("publicity", true) => Err(("`.md` 宣传材料", "`.md` publicity items")),
        ("briefings", true) if rel.ends_with(".md") && rel.matches('/').count() == 1 => {
            Ok(FileKind::Briefing)
        }
        ("briefings", true) => Err(("`YYYY-MM.md` 通报点评", "`YYYY-MM.md` commentaries")),
        _ => Err((
            "site.yaml、organisation.yaml、plan.md、tasks.yaml 和 cases/、notes/、briefings/、publicity/、files/ 文件夹",
            "the contract's files and folders",
        )),
    };
    match expected {
        Ok(kind) => read_text(rel, full, kind, bytes, sources),
        Err(expected) => {
            sources.diagnostics.push(Diagnostic::new(
                rel,
                Span::file_start(),
                Kind::StrayFile { expected },
            ));
            Ok(())
        }
    }
}

fn read_text(
    rel: &str,
    full: &Path,
    kind: FileKind,
    bytes: Option<(Vec<u8>, [u8; 32])>,
    sources: &mut Sources,
) -> Result<()> {
    let size = match &bytes {
        Some((b, _)) => b.len() as u64,
        None => std::fs::metadata(full)
            .with_context(|| cannot_read(full))?
            .len(),
    };
    if size > MAX_TEXT_BYTES {
        let limit_mb = MAX_TEXT_BYTES / 1024 / 1024;
        sources.diagnostics.push(Diagnostic::new(
            rel,
            Span::file_start(),
            Kind::TooLarge { limit_mb },
        ));
        return Ok(());
    }
    let (bytes, hash) = match bytes {
        Some(read) => read,
        None => {
            let b = std::fs::read(full).with_context(|| cannot_read(full))?;
            let hash = *blake3::hash(&b).as_bytes();
            (b, hash)
        }
    };
    match String::from_utf8(bytes) {
        Ok(text) => {
            let text = text
                .strip_prefix('\u{feff}')
                .map(str::to_string)
                .unwrap_or(text);
            sources.files.push(SourceFile {
                path: rel.to_string(),
                kind,
                text,
                hash,
            });
        }
        Err(err) => {
            let line = 1 + err.as_bytes()[..err.utf8_error().valid_up_to()]
                .iter()
                .filter(|b| **b == b'\n')
                .count();
            sources.diagnostics.push(Diagnostic::new(
                rel,
                Span::new(line as u32, 1, 0),
                Kind::InvalidUtf8,
            ));
        }
    }
    Ok(())
}
