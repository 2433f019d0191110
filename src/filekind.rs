//! What a file is, by its bytes: photos (JPEG, PNG, WebP) and attachments (PDF, Office, MP4) are
//! recognised by their magic numbers, and a photo's header is read for its size. A name describes;
//! the bytes decide, so a page can never publish HTML, SVG or a content file under a harmless name.

use std::io::{Read, Seek, SeekFrom};

/// The kind of a file's content.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Kind {
    Jpeg,
    Png,
    Webp,
    Pdf,
    /// An OLE compound file: doc, xls, ppt, wps, et.
    Cfb,
    Docx,
    Xlsx,
    Pptx,
    /// A zip that is not an Office document.
    Zip,
    Mp4,
    /// HEIC/HEIF, the iPhone's default photo format: browsers cannot show it.
    Heic,
    Html,
    Svg,
    /// A script or program: starts with `#!` or is an executable.
    Script,
    /// Anything else, text included.
    Other,
}

impl Kind {
    /// A stable key, used by diagnostics.
    pub fn key(self) -> &'static str {
        match self {
            Kind::Jpeg => "jpeg",
            Kind::Png => "png",
            Kind::Webp => "webp",
            Kind::Pdf => "pdf",
            Kind::Cfb => "cfb",
            Kind::Docx => "docx",
            Kind::Xlsx => "xlsx",
            Kind::Pptx => "pptx",
            Kind::Zip => "zip",
            Kind::Mp4 => "mp4",
            Kind::Heic => "heic",
            Kind::Html => "html",
            Kind::Svg => "svg",
            Kind::Script => "script",
            Kind::Other => "other",
        }
    }

    pub fn is_photo(self) -> bool {
        matches!(self, Kind::Jpeg | Kind::Png | Kind::Webp)
    }

    fn is_attachment(self) -> bool {
        self.is_photo()
            || matches!(
                self,
                Kind::Pdf | Kind::Cfb | Kind::Docx | Kind::Xlsx | Kind::Pptx | Kind::Mp4
            )
    }
}

/// The kind a file name's extension promises, for the extensions rectify publishes.
pub fn kind_of_extension(ext: &str) -> Option<Kind> {
    let kind = match ext.to_ascii_lowercase().as_str() {
        "jpg" | "jpeg" | "jpe" | "jfif" => Kind::Jpeg,
        "png" => Kind::Png,
        "webp" => Kind::Webp,
        "pdf" => Kind::Pdf,
        "doc" | "xls" | "ppt" | "wps" | "et" => Kind::Cfb,
        "docx" => Kind::Docx,
        "xlsx" => Kind::Xlsx,
        "pptx" => Kind::Pptx,
        "mp4" => Kind::Mp4,
        _ => return None,
    };
    Some(kind)
}

/// A file's kind and, for a photo whose header could be read, its width and height.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sniffed {
    pub kind: Kind,
    pub size: Option<(u32, u32)>,
}

/// What a file is used as: photos and covers, or attachments (which may also be photos).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Role {
    Photo,
    Attachment,
}

/// Why a file may not be published in its role.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Problem {
    /// The name has no extension; `actual` is what the bytes are.
    NoExtension { actual: Kind },
    /// A photo in HEIC format.
    Heic,
    /// The extension promises one kind, the bytes are another.
    Mismatch { ext: String, actual: Kind },
    /// The kind may not be published in this role (HTML, SVG, a script, a PDF as a photo …).
    NotAllowed { actual: Kind },
    /// A photo whose header cannot be read.
    Undecodable,
}

/// Checks a file named `path` whose bytes are `sniffed`, used as `role`.
pub fn check(path: &str, sniffed: Sniffed, role: Role) -> Result<(), Problem> {
    let actual = sniffed.kind;
    if actual == Kind::Heic {
        return Err(Problem::Heic);
    }
    let allowed = match role {
        Role::Photo => actual.is_photo(),
        Role::Attachment => actual.is_attachment(),
    };
    let name = path.rsplit('/').next().unwrap_or(path);
    let ext = match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() && !ext.is_empty() => ext,
        _ if allowed => return Err(Problem::NoExtension { actual }),
        _ => return Err(Problem::NotAllowed { actual }),
    };
    if !allowed {
        return Err(Problem::NotAllowed { actual });
    }
    if kind_of_extension(ext) != Some(actual) {
        let ext = ext.to_string();
        return Err(Problem::Mismatch { ext, actual });
    }
    if actual.is_photo() && sniffed.size.is_none() {
        return Err(Problem::Undecodable);
    }
    Ok(())
}

/// Sniffs a file on disk (following a symbolic link to its target's bytes).
pub fn sniff_file(path: &std::path::Path) -> std::io::Result<Sniffed> {
    let mut file = std::fs::File::open(path)?;
    sniff(&mut file)
}

/// Sniffs a byte slice.
pub fn sniff_bytes(bytes: &[u8]) -> Sniffed {
    sniff(&mut std::io::Cursor::new(bytes)).unwrap_or(Sniffed {
        kind: Kind::Other,
        size: None,
    })
}

/// Reads the first bytes, then as much more as the kind needs (a JPEG's segment headers, a zip's
/// central directory), never the whole file.
pub fn sniff<R: Read + Seek>(r: &mut R) -> std::io::Result<Sniffed> {
    let head = read_at(r, 0, 512)?;
    let kind = magic(&head);
    let kind = match kind {
        Kind::Zip => zip_kind(r).unwrap_or(Kind::Zip),
        k => k,
    };
    let size = match kind {
        Kind::Jpeg => jpeg_size(r).ok().flatten(),
        Kind::Png => png_size(&head),
        Kind::Webp => webp_size(&head),
        _ => None,
    };
    Ok(Sniffed { kind, size })
}

/// Up to `len` bytes at `offset` (fewer at the end of the file).
fn read_at<R: Read + Seek>(r: &mut R, offset: u64, len: usize) -> std::io::Result<Vec<u8>> {
    r.seek(SeekFrom::Start(offset))?;
    let mut buf = Vec::with_capacity(len);
    r.take(len as u64).read_to_end(&mut buf)?;
    Ok(buf)
}

/// The kind by the first bytes alone.
fn magic(head: &[u8]) -> Kind {
    let starts = |m: &[u8]| head.starts_with(m);
    if starts(&[0xFF, 0xD8, 0xFF]) {
        Kind::Jpeg
    } else if starts(b"\x89PNG\r\n\x1a\n") {
        Kind::Png
    } else if starts(b"RIFF") && head.get(8..12) == Some(b"WEBP") {
        Kind::Webp
    } else if starts(b"%PDF-") {
        Kind::Pdf
    } else if starts(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        Kind::Cfb
    } else if starts(b"PK\x03\x04") || starts(b"PK\x05\x06") {
        Kind::Zip
    } else if head.get(4..8) == Some(b"ftyp") {
        ftyp_kind(head)
    } else if starts(b"#!") || starts(b"\x7fELF") || starts(b"MZ") {
        Kind::Script
    } else {
        markup_kind(head)
    }
}

/// HEIC/HEIF/AVIF brands are photos browsers cannot show; the rest of the `ftyp` family is video.
fn ftyp_kind(head: &[u8]) -> Kind {
    const HEIF: &[&[u8; 4]] = &[
        b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1", b"avif", b"avis",
    ];
    let box_len = head
        .get(0..4)
        .map_or(0, |b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize);
    let brands = head
        .get(8..box_len.clamp(12, head.len().max(12)))
        .unwrap_or(&[]);
    // The major brand, then (after the minor version) the compatible ones.
    let heif = brands
        .chunks_exact(4)
        .enumerate()
        .filter(|(i, _)| *i != 1)
        .any(|(_, b)| HEIF.iter().any(|h| h.as_slice() == b));
    if heif { Kind::Heic } else { Kind::Mp4 }
}

/// HTML and SVG by their first tag, looked for after a BOM, white space and comments.
fn markup_kind(head: &[u8]) -> Kind {
    let text = String::from_utf8_lossy(head).to_ascii_lowercase();
    let text = text.trim_start_matches('\u{feff}').trim_start();
    let markers = [
        "<!doctype html",
        "<html",
        "<head",
        "<body",
        "<script",
        "<iframe",
    ];
    if text.contains("<svg") {
        Kind::Svg
    } else if markers.iter().any(|m| text.contains(m)) {
        Kind::Html
    } else {
        Kind::Other
    }
}

/// An Office Open XML document by the folders its central directory names.
fn zip_kind<R: Read + Seek>(r: &mut R) -> Option<Kind> {
    let names = zip_names(r)?;
    let has = |prefix: &str| names.iter().any(|n| n.starts_with(prefix));
    if !names.iter().any(|n| n == "[Content_Types].xml") {
        return Some(Kind::Zip);
    }
    Some(if has("word/") {
        Kind::Docx
    } else if has("xl/") {
        Kind::Xlsx
    } else if has("ppt/") {
        Kind::Pptx
    } else {
        Kind::Zip
    })
}

/// The entry names of a zip's central directory (at most a few thousand, a few MB read).
fn zip_names<R: Read + Seek>(r: &mut R) -> Option<Vec<String>> {
    const EOCD: &[u8] = b"PK\x05\x06";
    let len = r.seek(SeekFrom::End(0)).ok()?;
    let tail_len = len.min(22 + 65_535);
    let tail = read_at(r, len - tail_len, tail_len as usize).ok()?;
    let at = tail.windows(4).rposition(|w| w == EOCD)?;
    let eocd = tail.get(at..at + 22)?;
    let count = u16::from_le_bytes([eocd[10], eocd[11]]) as usize;
    let cd_size = u32::from_le_bytes([eocd[12], eocd[13], eocd[14], eocd[15]]) as usize;
    let cd_offset = u32::from_le_bytes([eocd[16], eocd[17], eocd[18], eocd[19]]) as u64;
    let cd = read_at(r, cd_offset, cd_size.min(4 << 20)).ok()?;
    let mut names = Vec::new();
    let mut pos = 0usize;
    for _ in 0..count.min(10_000) {
        let h = cd.get(pos..pos + 46)?;
        if &h[0..4] != b"PK\x01\x02" {
            break;
        }
        let field = |i: usize| u16::from_le_bytes([h[i], h[i + 1]]) as usize;
        let (name_len, extra, comment) = (field(28), field(30), field(32));
        let name = cd.get(pos + 46..pos + 46 + name_len)?;
        names.push(String::from_utf8_lossy(name).into_owned());
        pos += 46 + name_len + extra + comment;
    }
    Some(names)
}

/// A PNG's size from its IHDR chunk, which must come first.
fn png_size(head: &[u8]) -> Option<(u32, u32)> {
    if head.get(12..16)? != b"IHDR" {
        return None;
    }
    let be = |i: usize| Some(u32::from_be_bytes(head.get(i..i + 4)?.try_into().ok()?));
    nonzero(be(16)?, be(20)?)
}

/// A WebP's size from its first chunk: lossy `VP8 `, lossless `VP8L` or extended `VP8X`.
fn webp_size(head: &[u8]) -> Option<(u32, u32)> {
    let b = |i: usize| head.get(i).copied().map(u32::from);
    match head.get(12..16)? {
        b"VP8 " => {
            if head.get(23..26)? != [0x9D, 0x01, 0x2A] {
                return None;
            }
            let w = (b(26)? | b(27)? << 8) & 0x3FFF;
            let h = (b(28)? | b(29)? << 8) & 0x3FFF;
            nonzero(w, h)
        }
        b"VP8L" => {
            if b(20)? != 0x2F {
                return None;
            }
            let bits = b(21)? | b(22)? << 8 | b(23)? << 16 | b(24)? << 24;
            nonzero((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1)
        }
        b"VP8X" => {
            let w = 1 + (b(24)? | b(25)? << 8 | b(26)? << 16);
            let h = 1 + (b(27)? | b(28)? << 8 | b(29)? << 16);
            nonzero(w, h)
        }
        _ => None,
    }
}

/// A JPEG's size from its first start-of-frame segment, skipping the others by their lengths.
fn jpeg_size<R: Read + Seek>(r: &mut R) -> std::io::Result<Option<(u32, u32)>> {
    let mut pos = 2u64;
    for _ in 0..1_000 {
        let h = read_at(r, pos, 9)?;
        if h.len() < 4 || h[0] != 0xFF {
            return Ok(None);
        }
        let marker = h[1];
        if marker == 0xFF {
            pos += 1; // fill byte
            continue;
        }
        let len = u16::from_be_bytes([h[2], h[3]]) as u64;
        let sof = matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC);
        if sof {
            if h.len() < 9 {
                return Ok(None);
            }
            let height = u16::from_be_bytes([h[5], h[6]]) as u32;
            let width = u16::from_be_bytes([h[7], h[8]]) as u32;
            return Ok(nonzero(width, height));
        }
        if marker == 0xD9 || marker == 0xDA || len < 2 {
            return Ok(None);
        }
        pos += 2 + len;
    }
    Ok(None)
}

fn nonzero(w: u32, h: u32) -> Option<(u32, u32)> {
    (w > 0 && h > 0).then_some((w, h))
}

#[cfg(test)]
mod tests;
