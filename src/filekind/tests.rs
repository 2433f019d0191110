use super::*;

/// A PNG of `w`×`h` with an unknown ancillary chunk after IHDR (no pixel data: the header decides).
pub fn png(w: u32, h: u32) -> Vec<u8> {
    let mut b = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
    b.extend(w.to_be_bytes());
    b.extend(h.to_be_bytes());
    b.extend([8, 2, 0, 0, 0, 0, 0, 0, 0]);
    b.extend(b"\0\0\0\x04zzZz1234\0\0\0\0");
    b
}

/// A JPEG with an EXIF segment before its start-of-frame.
pub fn jpeg(w: u16, h: u16) -> Vec<u8> {
    let mut b = vec![0xFF, 0xD8];
    b.extend([0xFF, 0xE1, 0x00, 0x08]);
    b.extend(b"Exif\0\0");
    b.extend([0xFF, 0xC0, 0x00, 0x11, 0x08]);
    b.extend(h.to_be_bytes());
    b.extend(w.to_be_bytes());
    b.extend([3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
    b.extend([0xFF, 0xD9]);
    b
}

fn webp(chunk: &[u8; 4], payload: &[u8]) -> Vec<u8> {
    let mut b = b"RIFF\0\0\0\0WEBP".to_vec();
    b.extend(chunk);
    b.extend((payload.len() as u32).to_le_bytes());
    b.extend(payload);
    b
}

/// A zip of empty stored entries, with its central directory.
pub fn zip(names: &[&str]) -> Vec<u8> {
    let mut b = Vec::new();
    let mut cd = Vec::new();
    for name in names {
        let offset = b.len() as u32;
        b.extend(b"PK\x03\x04");
        b.extend([20, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        b.extend([0u8; 12]);
        b.extend((name.len() as u16).to_le_bytes());
        b.extend([0, 0]);
        b.extend(name.as_bytes());
        cd.extend(b"PK\x01\x02");
        cd.extend([20, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        cd.extend([0u8; 12]);
        cd.extend((name.len() as u16).to_le_bytes());
        cd.extend([0u8; 12]);
        cd.extend(offset.to_le_bytes());
        cd.extend(name.as_bytes());
    }
    let cd_offset = b.len() as u32;
    let cd_len = cd.len() as u32;
    b.extend(cd);
    b.extend(b"PK\x05\x06\0\0\0\0");
    b.extend((names.len() as u16).to_le_bytes());
    b.extend((names.len() as u16).to_le_bytes());
    b.extend(cd_len.to_le_bytes());
    b.extend(cd_offset.to_le_bytes());
    b.extend([0, 0]);
    b
}

fn ftyp(major: &[u8; 4], compatible: &[&[u8; 4]]) -> Vec<u8> {
    let len = 16 + 4 * compatible.len() as u32;
    let mut b = len.to_be_bytes().to_vec();
    b.extend(b"ftyp");
    b.extend(major);
    b.extend([0, 0, 0, 0]);
    compatible.iter().for_each(|c| b.extend(*c));
    b.extend(b"\0\0\0\x08free");
    b
}

#[test]
fn kinds_by_bytes() {
    let vp8 = [0x30, 1, 0, 0x9D, 0x01, 0x2A, 0x80, 0x02, 0xE0, 0x01, 0, 0];
    let vp8l = [0x2F, 0x3F, 0xC0, 0x13, 0x00];
    let vp8x = [0x10, 0, 0, 0, 0x1F, 0x03, 0x00, 0xDF, 0x01, 0x00];
    type Row = (&'static str, Vec<u8>, Kind, Option<(u32, u32)>);
    let table: Vec<Row> = vec![
        ("png", png(640, 480), Kind::Png, Some((640, 480))),
        ("jpeg", jpeg(1600, 1200), Kind::Jpeg, Some((1600, 1200))),
        (
            "webp vp8",
            webp(b"VP8 ", &vp8),
            Kind::Webp,
            Some((640, 480)),
        ),
        (
            "webp vp8l",
            webp(b"VP8L", &vp8l),
            Kind::Webp,
            Some((64, 80)),
        ),
        (
            "webp vp8x",
            webp(b"VP8X", &vp8x),
            Kind::Webp,
            Some((800, 480)),
        ),
        ("truncated png", png(1, 1)[..20].to_vec(), Kind::Png, None),
        ("png of size 0", png(0, 10), Kind::Png, None),
        (
            "jpeg without frame",
            vec![0xFF, 0xD8, 0xFF, 0xD9],
            Kind::Jpeg,
            None,
        ),
        ("pdf", b"%PDF-1.7\n%\xe2\xe3".to_vec(), Kind::Pdf, None),
        (
            "cfb",
            vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0],
            Kind::Cfb,
            None,
        ),
        (
            "docx",
            zip(&["[Content_Types].xml", "_rels/.rels", "word/document.xml"]),
            Kind::Docx,
            None,
        ),
        (
            "xlsx",
            zip(&["[Content_Types].xml", "xl/workbook.xml"]),
            Kind::Xlsx,
            None,
        ),
        (
            "pptx",
            zip(&["[Content_Types].xml", "ppt/presentation.xml"]),
            Kind::Pptx,
            None,
        ),
        ("plain zip", zip(&["word/document.xml"]), Kind::Zip, None),
        ("broken zip", b"PK\x03\x04garbage".to_vec(), Kind::Zip, None),
        ("mp4", ftyp(b"isom", &[b"isom", b"mp41"]), Kind::Mp4, None),
        ("heic", ftyp(b"heic", &[b"mif1", b"heic"]), Kind::Heic, None),
        (
            "heif by compatible brand",
            ftyp(b"mif1", &[b"heix"]),
            Kind::Heic,
            None,
        ),
        ("avif", ftyp(b"avif", &[]), Kind::Heic, None),
        (
            "html",
            b"\xef\xbb\xbf  <!DOCTYPE html><html>".to_vec(),
            Kind::Html,
            None,
        ),
        (
            "html fragment",
            b"<p>hi</p><script>alert(1)</script>".to_vec(),
            Kind::Html,
            None,
        ),
        (
            "svg",
            b"<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\">".to_vec(),
            Kind::Svg,
            None,
        ),
        (
            "script",
            b"#!/bin/sh\nrm -rf /".to_vec(),
            Kind::Script,
            None,
        ),
        ("exe", b"MZ\x90\0".to_vec(), Kind::Script, None),
        (
            "yaml",
            b"id: X-1\nprivate:\n  phone: 13800138000\n".to_vec(),
            Kind::Other,
            None,
        ),
        ("empty", Vec::new(), Kind::Other, None),
    ];
    for (name, bytes, kind, size) in table {
        assert_eq!(sniff_bytes(&bytes), Sniffed { kind, size }, "{name}");
    }
}

#[test]
fn names_must_agree_with_bytes() {
    let photo = Sniffed {
        kind: Kind::Jpeg,
        size: Some((4, 3)),
    };
    let of = |kind| Sniffed { kind, size: None };
    use Problem::*;
    use Role::*;
    let table: Vec<(&str, Sniffed, Role, Result<(), Problem>)> = vec![
        ("files/a.jpg", photo, Photo, Ok(())),
        ("files/a.JPEG", photo, Photo, Ok(())),
        ("files/a.jpe", photo, Photo, Ok(())),
        ("files/a.jfif", photo, Photo, Ok(())),
        ("files/a.jpg", photo, Attachment, Ok(())),
        (
            "files/a.png",
            photo,
            Photo,
            Err(Mismatch {
                ext: "png".into(),
                actual: Kind::Jpeg,
            }),
        ),
        (
            "files/a",
            photo,
            Photo,
            Err(NoExtension { actual: Kind::Jpeg }),
        ),
        (
            "files/.jpg",
            photo,
            Photo,
            Err(NoExtension { actual: Kind::Jpeg }),
        ),
        ("files/a.jpg", of(Kind::Jpeg), Photo, Err(Undecodable)),
        ("files/a.heic", of(Kind::Heic), Photo, Err(Heic)),
        ("files/a.jpg", of(Kind::Heic), Photo, Err(Heic)),
        (
            "files/a.pdf",
            of(Kind::Pdf),
            Photo,
            Err(NotAllowed { actual: Kind::Pdf }),
        ),
        ("files/a.pdf", of(Kind::Pdf), Attachment, Ok(())),
        ("files/a.wps", of(Kind::Cfb), Attachment, Ok(())),
        ("files/a.et", of(Kind::Cfb), Attachment, Ok(())),
        ("files/a.doc", of(Kind::Cfb), Attachment, Ok(())),
        ("files/a.docx", of(Kind::Docx), Attachment, Ok(())),
        (
            "files/a.docx",
            of(Kind::Xlsx),
            Attachment,
            Err(Mismatch {
                ext: "docx".into(),
                actual: Kind::Xlsx,
            }),
        ),
        (
            "files/a.docx",
            of(Kind::Zip),
            Attachment,
            Err(NotAllowed { actual: Kind::Zip }),
        ),
        ("files/a.mp4", of(Kind::Mp4), Attachment, Ok(())),
        (
            "files/a.pdf",
            of(Kind::Html),
            Attachment,
            Err(NotAllowed { actual: Kind::Html }),
        ),
        (
            "files/a.html",
            of(Kind::Html),
            Attachment,
            Err(NotAllowed { actual: Kind::Html }),
        ),
        (
            "files/a.svg",
            of(Kind::Svg),
            Photo,
            Err(NotAllowed { actual: Kind::Svg }),
        ),
        (
            "files/a.pdf",
            of(Kind::Other),
            Attachment,
            Err(NotAllowed {
                actual: Kind::Other,
            }),
        ),
        (
            "files/run",
            of(Kind::Script),
            Attachment,
            Err(NotAllowed {
                actual: Kind::Script,
            }),
        ),
    ];
    for (path, sniffed, role, want) in table {
        assert_eq!(
            check(path, sniffed, role),
            want,
            "{path} {sniffed:?} {role:?}"
        );
    }
}

#[test]
fn hostile_headers_end_quickly() {
    // A JPEG of endless zero-length segments, a zip whose directory claims 65,535 entries.
    let mut jpeg = vec![0xFF, 0xD8];
    for _ in 0..5_000 {
        jpeg.extend([0xFF, 0xE1, 0x00, 0x02]);
    }
    assert_eq!(sniff_bytes(&jpeg).size, None);
    let mut z = b"PK\x03\x04".to_vec();
    z.extend(b"PK\x05\x06\0\0\0\0\xff\xff\xff\xff\xff\xff\xff\x7f\0\0\0\0\0\0");
    assert_eq!(sniff_bytes(&z).kind, Kind::Zip);
}
