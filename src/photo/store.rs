//! The photo cache: one folder per photo, named by a hash of its bytes and the encoding recipe,
//! holding the two JPEGs and a small `meta.json` with their sizes and hashes. An entry is trusted
//! only when its files hash to what its meta says; anything else is a miss, never an error.

use super::Published;
use super::encode::{Encoded, RECIPE};
use crate::model::Date;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

/// Where a photo's encoded sizes are: in cache files, or in memory when there is no cache.
pub enum Stored {
    Cached { display: PathBuf, thumb: PathBuf },
    Memory { display: Vec<u8>, thumb: Vec<u8> },
}

/// One output file's bytes.
pub enum Bytes {
    File(PathBuf),
    Memory(Vec<u8>),
}

impl Stored {
    pub fn memory(encoded: Encoded) -> Stored {
        Stored::Memory {
            display: encoded.display.jpeg,
            thumb: encoded.thumb.jpeg,
        }
    }

    /// Files each output path to where its bytes are.
    pub fn register(self, published: &Published, into: &mut BTreeMap<String, Bytes>) {
        let (display, thumb) = match self {
            Stored::Cached { display, thumb } => (Bytes::File(display), Bytes::File(thumb)),
            Stored::Memory { display, thumb } => (Bytes::Memory(display), Bytes::Memory(thumb)),
        };
        into.insert(published.display.path.clone(), display);
        into.insert(published.thumb.path.clone(), thumb);
    }
}

impl Bytes {
    pub fn bytes(&self) -> std::io::Result<Vec<u8>> {
        match self {
            Bytes::File(path) => fs::read(path),
            Bytes::Memory(bytes) => Ok(bytes.clone()),
        }
    }
}

/// Pixel sizes and the EXIF date: what pages need, kept in `meta.json`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sizes {
    pub display: (u32, u32),
    pub thumb: (u32, u32),
    pub taken: Option<Date>,
}

impl Sizes {
    pub fn of(e: &Encoded) -> Sizes {
        Sizes {
            display: (e.display.width, e.display.height),
            thumb: (e.thumb.width, e.thumb.height),
            taken: e.taken,
        }
    }
}

#[derive(Serialize, Deserialize)]
struct Meta {
    recipe: String,
    display: FileMeta,
    thumb: FileMeta,
    taken: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct FileMeta {
    width: u32,
    height: u32,
    blake3: String,
}

/// The cache key of a photo: its bytes and everything else that decides the output.
pub fn key(bytes: &[u8]) -> String {
    let mut h = blake3::Hasher::new();
    h.update(RECIPE.as_bytes());
    h.update(&[0]);
    h.update(bytes);
    h.finalize().to_hex().to_string()
}

fn entry(cache: &Path, key: &str) -> PathBuf {
    cache.join(&key[..2]).join(key)
}

/// A cache entry, when it is complete and its files are what its meta says.
pub fn load(cache: &Path, key: &str) -> Option<(Sizes, Stored)> {
    let dir = entry(cache, key);
    let meta: Meta = serde_json::from_slice(&fs::read(dir.join("meta.json")).ok()?).ok()?;
    if meta.recipe != RECIPE {
        return None;
    }
    let display = dir.join("display.jpg");
    let thumb = dir.join("thumb.jpg");
    for (path, m) in [(&display, &meta.display), (&thumb, &meta.thumb)] {
        let bytes = fs::read(path).ok()?;
        if blake3::hash(&bytes).to_hex().as_str() != m.blake3 {
            return None;
        }
    }
    let taken = match meta.taken {
        Some(t) => Some(t.parse::<Date>().ok()?),
        None => None,
    };
    let sizes = Sizes {
        display: (meta.display.width, meta.display.height),
        thumb: (meta.thumb.width, meta.thumb.height),
        taken,
    };
    Some((sizes, Stored::Cached { display, thumb }))
}

/// Stores an encoded photo; `None` (work uncached) when the cache cannot take it. Written into a
/// temporary folder first and renamed, so a killed build never leaves a half entry behind.
pub fn save(cache: &Path, key: &str, e: &Encoded) -> Option<Stored> {
    let dir = entry(cache, key);
    let parent = dir.parent()?;
    fs::create_dir_all(parent).ok()?;
    let tmp = tempfile::Builder::new()
        .prefix(".tmp-")
        .tempdir_in(parent)
        .ok()?;
    let file_meta = |s: &super::encode::Sized| FileMeta {
        width: s.width,
        height: s.height,
        blake3: blake3::hash(&s.jpeg).to_hex().to_string(),
    };
    let meta = Meta {
        recipe: RECIPE.to_string(),
        display: file_meta(&e.display),
        thumb: file_meta(&e.thumb),
        taken: e.taken.map(|d| d.to_string()),
    };
    fs::write(tmp.path().join("display.jpg"), &e.display.jpeg).ok()?;
    fs::write(tmp.path().join("thumb.jpg"), &e.thumb.jpeg).ok()?;
    fs::write(
        tmp.path().join("meta.json"),
        serde_json::to_vec(&meta).ok()?,
    )
    .ok()?;
    // A stale or corrupt entry in the way is replaced; a concurrent build's good one is kept.
    if dir.exists() && load(cache, key).is_none() {
        let _ = fs::remove_dir_all(&dir);
    }
    let tmp = tmp.keep();
    if fs::rename(&tmp, &dir).is_err() {
        let _ = fs::remove_dir_all(&tmp);
    }
    load(cache, key).map(|(_, stored)| stored)
}
