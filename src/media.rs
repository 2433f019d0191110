//! Published images lose their metadata: EXIF and XMP carry GPS positions and camera owners, which
//! would give a site's exact address away. Pixels and colour profiles are kept.

use img_parts::Bytes;
use img_parts::jpeg::{Jpeg, markers};
use img_parts::png::Png;

/// The file's bytes as they may be published: images without metadata, anything else unchanged.
pub fn strip_metadata(path: &str, bytes: Vec<u8>) -> Vec<u8> {
    let lower = path.to_ascii_lowercase();
    if lower.ends_with(".jpg") || lower.ends_with(".jpeg") {
        strip_jpeg(bytes)
    } else if lower.ends_with(".png") {
        strip_png(bytes)
    } else {
        bytes
    }
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

    #[test]
    fn other_files_are_unchanged() {
        let pdf = b"%PDF-1.4 GPSLatitude".to_vec();
        assert_eq!(strip_metadata("files/a.pdf", pdf.clone()), pdf);
        let broken = b"not a jpeg".to_vec();
        assert_eq!(strip_metadata("files/a.jpg", broken.clone()), broken);
    }
}
