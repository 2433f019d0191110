//! Test photos: a camera-like JPEG with an EXIF block (orientation, date taken, GPS position), for
//! this crate's tests and the integration tests. Not used by a build.

use image::codecs::jpeg::JpegEncoder;
use image::{Rgb, RgbImage};

/// A `w`×`h` JPEG with fine detail (as a phone photo has) and an EXIF block carrying
/// `orientation`, `taken` (`YYYY:MM:DD HH:MM:SS`), a GPS latitude and the comment `owner: Zhang San`.
pub fn camera_jpeg(w: u32, h: u32, orientation: u16, taken: &str) -> Vec<u8> {
    let mut seed = 0x2545_f491_u32;
    let img = RgbImage::from_fn(w, h, |x, y| {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        let noise = (seed % 48) as u8;
        let band = ((x / 37 + y / 23) % 5) as u8 * 30;
        Rgb([
            band + noise,
            (x * 255 / w) as u8 / 2 + noise,
            (y * 255 / h) as u8 / 2 + band / 2,
        ])
    });
    let mut jpeg = Vec::new();
    JpegEncoder::new_with_quality(&mut jpeg, 92)
        .encode_image(&img)
        .expect("encoding a test image");
    let mut out = jpeg[..2].to_vec();
    out.extend(segment(
        0xE1,
        &[b"Exif\0\0".as_slice(), &tiff(orientation, taken)].concat(),
    ));
    out.extend(segment(0xFE, b"owner: Zhang San"));
    out.extend(&jpeg[2..]);
    out
}

fn segment(marker: u8, payload: &[u8]) -> Vec<u8> {
    let len = (payload.len() + 2) as u16;
    let mut s = vec![0xFF, marker];
    s.extend(len.to_be_bytes());
    s.extend(payload);
    s
}

/// A little-endian TIFF block: IFD0 (orientation, pointers), the EXIF IFD (DateTimeOriginal) and
/// the GPS IFD (GPSLatitudeRef, GPSLatitude).
fn tiff(orientation: u16, taken: &str) -> Vec<u8> {
    let entry = |tag: u16, kind: u16, count: u32, value: u32| {
        let mut e = tag.to_le_bytes().to_vec();
        e.extend(kind.to_le_bytes());
        e.extend(count.to_le_bytes());
        e.extend(value.to_le_bytes());
        e
    };
    let ifd = |entries: Vec<Vec<u8>>| {
        let mut b = (entries.len() as u16).to_le_bytes().to_vec();
        entries.into_iter().for_each(|e| b.extend(e));
        b.extend(0u32.to_le_bytes());
        b
    };
    // Layout: header 8, IFD0 (3 entries) at 8, EXIF IFD (1) at 50, GPS IFD (2) at 68, then data.
    let (exif_at, gps_at, date_at) = (50u32, 68u32, 98u32);
    let lat_at = date_at + 20;
    let mut b = b"II\x2a\x00".to_vec();
    b.extend(8u32.to_le_bytes());
    b.extend(ifd(vec![
        entry(0x0112, 3, 1, orientation as u32),
        entry(0x8769, 4, 1, exif_at),
        entry(0x8825, 4, 1, gps_at),
    ]));
    b.extend(ifd(vec![entry(0x9003, 2, 20, date_at)]));
    b.extend(ifd(vec![
        entry(0x0001, 2, 2, u32::from_le_bytes(*b"N\0\0\0")),
        entry(0x0002, 5, 3, lat_at),
    ]));
    assert_eq!(b.len() as u32, date_at, "test TIFF layout");
    let mut date = taken.as_bytes().to_vec();
    date.resize(20, 0);
    b.extend(date);
    for (num, den) in [(23u32, 1u32), (7, 1), (4512, 100)] {
        b.extend(num.to_le_bytes());
        b.extend(den.to_le_bytes());
    }
    b
}
