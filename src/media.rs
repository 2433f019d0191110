//! Published images lose their metadata: EXIF and XMP carry GPS positions and camera owners, which
//! would give a site's exact address away. Pixels and colour profiles are kept.

use crate::filekind::Kind;
use img_parts::Bytes;
use img_parts::jpeg::{Jpeg, markers};
use img_parts::png::Png;
use img_parts::webp::WebP;

/// The file's bytes as they may be published: images without metadata, anything else unchanged.
/// The bytes decide what a file is, never its name (`path` is kept for the callers).
pub fn strip_metadata(_path: &str, bytes: Vec<u8>) -> Vec<u8> {
    match crate::filekind::sniff_bytes(&bytes).kind {
        Kind::Jpeg => strip_jpeg(bytes),
        Kind::Png => strip_png(bytes),
        Kind::Webp => strip_webp(bytes),
        _ => bytes,
    }
}

/// Drops EXIF and XMP chunks (the VP8X header's flags for them may stay set: decoders ignore a
/// flag whose chunk is absent).
fn strip_webp(bytes: Vec<u8>) -> Vec<u8> {
    let Ok(mut webp) = WebP::from_bytes(Bytes::from(bytes.clone())) else {
        return bytes;
    };
    webp.remove_chunks_by_id(*b"EXIF");
    webp.remove_chunks_by_id(*b"XMP ");
    let mut out = Vec::with_capacity(bytes.len());
    webp.encoder()
        .write_to(&mut out)
        .map(|_| out)
        .unwrap_or(bytes)
}

/// Keeps JFIF (APP0), the ICC profile (APP2 `ICC_PROFILE`) and Adobe (APP14); drops other APPn and comments.
fn strip_jpeg(bytes: Vec<u8>) -> Vec<u8> {
    let Ok(mut jpeg) = Jpeg::from_bytes(Bytes::from(bytes.clone())) else {
        return bytes;
    };
    jpeg.segments_mut().retain(|s| {
        let m = s.marker();
        let is_icc = m == markers::APP2 && s.contents().starts_with(b"ICC_PROFILE");
        let app = (markers::APP1..=markers::APP15).contains(&m);
        !(m == markers::COM || (app && !is_icc && m != markers::APP14))
    });
    let mut out = Vec::with_capacity(bytes.len());
    jpeg.encoder()
        .write_to(&mut out)
        .map(|_| out)
        .unwrap_or(bytes)
}

/// Drops text, EXIF and time chunks.
fn strip_png(bytes: Vec<u8>) -> Vec<u8> {
    let Ok(mut png) = Png::from_bytes(Bytes::from(bytes.clone())) else {
        return bytes;
    };
    png.chunks_mut()
        .retain(|c| !matches!(&c.kind(), b"tEXt" | b"zTXt" | b"iTXt" | b"eXIf" | b"tIME"));
    let mut out = Vec::with_capacity(bytes.len());
    png.encoder()
        .write_to(&mut out)
        .map(|_| out)
        .unwrap_or(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A minimal JPEG: SOI, APP0 JFIF, APP1 EXIF with a GPS-looking payload, COM, then EOI.
    fn jpeg_with_exif() -> Vec<u8> {
        let mut b = vec![0xFF, 0xD8];
        let seg = |marker: u8, payload: &[u8]| {
            let len = (payload.len() + 2) as u16;
            let mut s = vec![0xFF, marker, (len >> 8) as u8, len as u8];
            s.extend_from_slice(payload);
            s
        };
        b.extend(seg(0xE0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0"));
        b.extend(seg(0xE1, b"Exif\0\0GPSLatitude 23.1291N"));
        b.extend(seg(0xFE, b"owner: Zhang San"));
        b.extend(seg(0xDA, b"\x01\x01\x00\x00\x3f\x00"));
        b.extend([0x12, 0x34, 0xFF, 0xD9]);
        b
    }

    #[test]
    fn jpeg_exif_and_comments_are_removed() {
        let out = strip_metadata("files/a.JPG", jpeg_with_exif());
        let text = String::from_utf8_lossy(&out);
        assert!(!text.contains("GPSLatitude"), "EXIF kept");
        assert!(!text.contains("Zhang San"), "comment kept");
        assert!(text.contains("JFIF"), "JFIF header lost");
        assert_eq!(&out[..2], &[0xFF, 0xD8]);
    }

    /// A JPEG named `.png`, `.jfif` or nothing at all is still a JPEG: the bytes decide.
    #[test]
    fn jpeg_is_stripped_whatever_its_name() {
        for name in [
            "files/a.png",
            "files/a.jfif",
            "files/a.jpe",
            "files/a",
            "files/a.pdf",
        ] {
            let out = strip_metadata(name, jpeg_with_exif());
            assert!(
                !String::from_utf8_lossy(&out).contains("GPSLatitude"),
                "{name}"
            );
        }
    }

    #[test]
    fn webp_exif_is_removed() {
        let chunk = |id: &[u8; 4], payload: &[u8]| {
            let mut c = id.to_vec();
            c.extend((payload.len() as u32).to_le_bytes());
            c.extend(payload);
            c
        };
        let mut body = b"WEBP".to_vec();
        body.extend(chunk(b"VP8X", &[0x08, 0, 0, 0, 0, 0, 0, 0, 0, 0]));
        body.extend(chunk(b"VP8L", &[0x2F, 0, 0, 0, 0, 0]));
        body.extend(chunk(b"EXIF", b"GPSLatitude 23.1NN"));
        let mut webp = b"RIFF".to_vec();
        webp.extend((body.len() as u32).to_le_bytes());
        webp.extend(body);
        let out = strip_metadata("files/a.webp", webp);
        assert!(out.starts_with(b"RIFF"));
        assert!(!String::from_utf8_lossy(&out).contains("GPSLatitude"));
    }

    #[test]
    fn other_files_are_unchanged() {
        let pdf = b"%PDF-1.4 GPSLatitude".to_vec();
        assert_eq!(strip_metadata("files/a.pdf", pdf.clone()), pdf);
        let broken = b"not a jpeg".to_vec();
        assert_eq!(strip_metadata("files/a.jpg", broken.clone()), broken);
    }
}
