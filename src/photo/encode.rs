//! One photo's bytes into the JPEG files a page shows: decoded, turned upright by its EXIF
//! orientation, shrunk (never enlarged) and encoded again without any metadata.

use crate::model::Date;
use image::codecs::jpeg::JpegEncoder;
use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, RgbImage};
use std::io::Cursor;

/// Longest side of the display size and of the thumbnail, in pixels.
pub const DISPLAY_MAX: u32 = 1600;
pub const THUMB_MAX: u32 = 480;

/// What a size may weigh at most, and the JPEG qualities tried in turn to stay under it.
struct Budget {
    max_side: u32,
    bytes: usize,
    qualities: &'static [u8],
}

const DISPLAY: Budget = Budget {
    max_side: DISPLAY_MAX,
    bytes: 400 * 1024,
    qualities: &[80, 70, 60, 50, 40],
};
const THUMB: Budget = Budget {
    max_side: THUMB_MAX,
    bytes: 60 * 1024,
    qualities: &[76, 66, 56, 46, 36],
};

/// Names everything that decides the output bytes besides the photo's own, so changing any of it
/// makes old cache entries miss instead of being reused.
pub const RECIPE: &str = "image-0.25.10 jpeg; display 1600 q80-40 ≤400K; thumb 480 q76-36 ≤60K; area filter; white matte; v1";

/// One encoded size.
#[derive(Debug, Clone)]
pub struct Sized {
    pub width: u32,
    pub height: u32,
    pub jpeg: Vec<u8>,
}

/// A photo as published: its display size, its thumbnail and the date its EXIF says it was taken.
#[derive(Debug, Clone)]
pub struct Encoded {
    pub display: Sized,
    pub thumb: Sized,
    pub taken: Option<Date>,
}

/// Decodes and re-encodes a photo; the error is the decoder's reason, for a diagnostic.
pub fn encode(bytes: &[u8]) -> Result<Encoded, String> {
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| e.to_string())?;
    match reader.format() {
        Some(ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP) => {}
        _ => return Err("not a JPEG, PNG or WebP image".into()),
    }
    let mut decoder = reader.into_decoder().map_err(|e| e.to_string())?;
    let exif = decoder.exif_metadata().ok().flatten();
    let orientation = exif
        .as_deref()
        .and_then(Orientation::from_exif_chunk)
        .unwrap_or(Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder).map_err(|e| e.to_string())?;
    image.apply_orientation(orientation);
    let rgb = flatten(image);
    let display = shrink(&rgb, DISPLAY.max_side);
    let thumb = shrink(&display, THUMB.max_side);
    Ok(Encoded {
        display: jpeg(&display, &DISPLAY)?,
        thumb: jpeg(&thumb, &THUMB)?,
        taken: exif.and_then(exif_date),
    })
}

/// RGB pixels; transparent parts of a PNG or WebP show white, as on the page.
fn flatten(image: DynamicImage) -> RgbImage {
    if !image.color().has_alpha() {
        return image.into_rgb8();
    }
    let rgba = image.into_rgba8();
    RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
        let [r, g, b, a] = rgba.get_pixel(x, y).0;
        let over = |c: u8| ((c as u32 * a as u32 + 255 * (255 - a as u32)) / 255) as u8;
        image::Rgb([over(r), over(g), over(b)])
    })
}

/// The image with its longest side at most `max` pixels, proportions kept; never enlarged.
fn shrink(rgb: &RgbImage, max: u32) -> RgbImage {
    let (w, h) = rgb.dimensions();
    if w.max(h) <= max {
        return rgb.clone();
    }
    let (nw, nh) = fit(w, h, max);
    image::imageops::thumbnail(rgb, nw, nh)
}

/// Width and height with the longest side `max`, at least one pixel each.
fn fit(w: u32, h: u32, max: u32) -> (u32, u32) {
    let scale = |a: u32, b: u32| ((a as u64 * max as u64 + b as u64 / 2) / b as u64).max(1) as u32;
    if w >= h {
        (max, scale(h, w))
    } else {
        (scale(w, h), max)
    }
}

/// The JPEG at the best quality of the budget that stays under its weight (the lowest otherwise).
fn jpeg(rgb: &RgbImage, budget: &Budget) -> Result<Sized, String> {
    let mut out = Vec::new();
    for &q in budget.qualities {
        out.clear();
        JpegEncoder::new_with_quality(&mut out, q)
            .encode_image(rgb)
            .map_err(|e| e.to_string())?;
        if out.len() <= budget.bytes {
            break;
        }
    }
    Ok(Sized {
        width: rgb.width(),
        height: rgb.height(),
        jpeg: out,
    })
}

/// `DateTimeOriginal` (else `DateTime`) from a raw EXIF block, when it is a plausible date.
fn exif_date(raw: Vec<u8>) -> Option<Date> {
    use exif::{In, Tag, Value};
    let exif = exif::Reader::new().read_raw(raw).ok()?;
    let field = [Tag::DateTimeOriginal, Tag::DateTime]
        .into_iter()
        .find_map(|t| exif.get_field(t, In::PRIMARY))?;
    let Value::Ascii(parts) = &field.value else {
        return None;
    };
    let text = std::str::from_utf8(parts.first()?).ok()?;
    let day = Date::parse_from_str(text.get(..10)?, "%Y:%m:%d").ok()?;
    let earliest = Date::from_ymd_opt(1990, 1, 1)?;
    let latest = Date::from_ymd_opt(2100, 12, 31)?;
    (earliest..=latest).contains(&day).then_some(day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_keep_proportions_and_never_grow() {
        for (w, h, max, want) in [
            (4000, 3000, 1600, (1600, 1200)),
            (3000, 4000, 1600, (1200, 1600)),
            (1600, 1200, 480, (480, 360)),
            (10000, 1, 480, (480, 1)),
        ] {
            assert_eq!(fit(w, h, max), want, "{w}x{h} → {max}");
        }
        let small = RgbImage::new(300, 200);
        assert_eq!(shrink(&small, 480).dimensions(), (300, 200));
    }

    #[test]
    fn transparency_shows_white() {
        let mut rgba = image::RgbaImage::new(2, 1);
        rgba.put_pixel(0, 0, image::Rgba([0, 0, 0, 0]));
        rgba.put_pixel(1, 0, image::Rgba([10, 20, 30, 255]));
        let rgb = flatten(DynamicImage::ImageRgba8(rgba));
        assert_eq!(rgb.get_pixel(0, 0).0, [255, 255, 255]);
        assert_eq!(rgb.get_pixel(1, 0).0, [10, 20, 30]);
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        for bytes in [
            &b""[..],
            b"not an image",
            b"\xFF\xD8\xFF\xE0 truncated",
            b"\x89PNG\r\n\x1a\n",
        ] {
            assert!(encode(bytes).is_err());
        }
    }
}
