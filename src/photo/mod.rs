//! Photos as published: every case photo and publicity cover becomes a display-size JPEG and a
//! thumbnail, upright and without metadata; the original is never published. Encoding is
//! parallel and cached in the cache folder, keyed by the photo's bytes and the encoding recipe,
//! so a rebuild reuses what an earlier build encoded.

mod encode;
#[doc(hidden)]
pub mod fixture;
mod store;

pub use encode::{DISPLAY_MAX, THUMB_MAX};

use crate::model::{Date, Site};
use crate::render::Page;
use anyhow::{Context, Result};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::Path;
use store::Stored;

/// One published size of a photo: its path in the output and its pixel size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    pub path: String,
    pub width: u32,
    pub height: u32,
}

/// What pages need to show a photo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Published {
    pub display: Variant,
    pub thumb: Variant,
    /// The date its EXIF says it was taken, if any.
    pub taken: Option<Date>,
}

/// A photo that could not be decoded, and the decoder's reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable {
    pub file: String,
    pub reason: String,
}

/// Every photo of a build, encoded or taken from the cache.
#[derive(Default)]
pub struct Photos {
    published: BTreeMap<String, Published>,
    stored: BTreeMap<String, store::Bytes>,
    /// How many photos were encoded by this build, and how many were reused from the cache.
    pub encoded: usize,
    pub reused: usize,
}

/// The content paths of every photo and cover that pages may show (cases' photos, publicity covers).
pub fn referenced(site: &Site) -> Vec<String> {
    let mut files: Vec<String> = site
        .cases
        .iter()
        .flat_map(|c| c.photos.iter().map(|p| p.file.clone()))
        .chain(site.publicity.iter().filter_map(|p| p.cover.clone()))
        .collect();
    files.sort();
    files.dedup();
    files
}

/// Encodes (or finds in `cache`) every photo in `files`, several at a time; the errors name every
/// photo that could not be read or decoded.
pub fn prepare(
    content: &Path,
    files: &[String],
    cache: Option<&Path>,
) -> Result<Photos, Vec<Unreadable>> {
    let results: Vec<Result<(String, Published, Stored, bool), Unreadable>> = files
        .par_iter()
        .map(|rel| one(content, rel, cache).map(|(p, s, fresh)| (rel.clone(), p, s, fresh)))
        .collect();
    let mut photos = Photos::default();
    let mut errors = Vec::new();
    for result in results {
        match result {
            Ok((rel, published, stored, fresh)) => {
                if fresh {
                    photos.encoded += 1;
                } else {
                    photos.reused += 1;
                }
                stored.register(&published, &mut photos.stored);
                photos.published.insert(rel, published);
            }
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        Ok(photos)
    } else {
        Err(errors)
    }
}

/// One photo: from the cache when it holds it, else encoded now (and cached). `true` = encoded.
fn one(
    content: &Path,
    rel: &str,
    cache: Option<&Path>,
) -> Result<(Published, Stored, bool), Unreadable> {
    let unreadable = |reason: String| Unreadable {
        file: rel.to_string(),
        reason,
    };
    let bytes = std::fs::read(content.join(rel)).map_err(|e| unreadable(e.to_string()))?;
    let key = store::key(&bytes);
    if let Some((sizes, stored)) = cache.and_then(|c| store::load(c, &key)) {
        return Ok((published(rel, &sizes), stored, false));
    }
    let encoded = encode::encode(&bytes).map_err(unreadable)?;
    let sizes = store::Sizes::of(&encoded);
    let stored = cache
        .and_then(|c| store::save(c, &key, &encoded))
        .unwrap_or_else(|| Stored::memory(encoded));
    Ok((published(rel, &sizes), stored, true))
}

fn published(rel: &str, sizes: &store::Sizes) -> Published {
    let variant = |label: u32, (width, height): (u32, u32)| Variant {
        path: variant_path(rel, label),
        width,
        height,
    };
    Published {
        display: variant(DISPLAY_MAX, sizes.display),
        thumb: variant(THUMB_MAX, sizes.thumb),
        taken: sizes.taken,
    }
}

/// `files/photos/a.png` → `files/photos/a.png.1600.jpg`: one name per original and size, so
/// `a.jpg` and `a.png` side by side never collide.
fn variant_path(rel: &str, label: u32) -> String {
    format!("{rel}.{label}.jpg")
}

impl Photos {
    /// The published sizes of the photo at content path `rel`, if it is a photo of this build.
    pub fn get(&self, rel: &str) -> Option<&Published> {
        self.published.get(rel)
    }

    /// Whether `rel` is a photo (published as its sizes, never as itself).
    pub fn contains(&self, rel: &str) -> bool {
        self.published.contains_key(rel)
    }

    /// The output files of the photos among `used`, in batches of at most `batch` files.
    pub fn pages<'a>(
        &'a self,
        used: &'a [String],
        batch: usize,
    ) -> impl Iterator<Item = Result<Vec<Page>>> + 'a {
        let paths: Vec<&String> = used
            .iter()
            .filter_map(|rel| self.published.get(rel))
            .flat_map(|p| [&p.display.path, &p.thumb.path])
            .collect();
        let chunks: Vec<Vec<&String>> = paths.chunks(batch.max(1)).map(<[_]>::to_vec).collect();
        chunks.into_iter().map(move |chunk| {
            chunk
                .into_iter()
                .map(|path| {
                    let bytes = self.stored[path.as_str()]
                        .bytes()
                        .with_context(|| format!("cannot read the encoded photo {path}"))?;
                    Ok(Page {
                        path: path.clone(),
                        bytes,
                    })
                })
                .collect()
        })
    }
}

#[cfg(test)]
mod tests;
