//! One photo's bytes into the JPEG files a page shows: decoded, turned upright by its EXIF
//! orientation, shrunk (never enlarged) and encoded again without any metadata.

use crate::model::Date;
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
pub const RECIPE: &str = "jpeg-encoder-0.7 4:4:4 optimised huffman; display 1600 q80-40 ≤400K; thumb 480 q76-36 ≤60K; fast_image_resize-6 box filter; white matte; v2";

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
    let image = DynamicImage::from_decoder(decoder).map_err(|e| e.to_string())?;
    // Shrunk first, then turned: the longest side is the same either way, and turning the
    // display size moves a sixth of a phone photo's pixels.
    let display = upright(shrink(&flatten(image), DISPLAY.max_side)?, orientation);
    let thumb = shrink(&display, THUMB.max_side)?;
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

/// The image with its longest side at most `max` pixels, proportions kept; never enlarged. Each
/// output pixel averages the input pixels it covers (a box filter, as image's `thumbnail`), with
/// fast_image_resize's SIMD code.
fn shrink(rgb: &RgbImage, max: u32) -> Result<RgbImage, String> {
    use fast_image_resize::images::{Image, ImageRef};
    use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};
    let (w, h) = rgb.dimensions();
    if w.max(h) <= max {
        return Ok(rgb.clone());
    }
    let (nw, nh) = fit(w, h, max);
    let src = ImageRef::new(w, h, rgb.as_raw(), PixelType::U8x3).map_err(|e| e.to_string())?;
    let mut dst = Image::new(nw, nh, PixelType::U8x3);
    let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Box));
    Resizer::new()
        .resize(&src, &mut dst, &options)
        .map_err(|e| e.to_string())?;
    RgbImage::from_raw(nw, nh, dst.into_vec()).ok_or_else(|| "resized buffer too small".into())
}

/// The image turned and mirrored as its EXIF orientation says the camera was held.
fn upright(rgb: RgbImage, orientation: Orientation) -> RgbImage {
    let mut image = DynamicImage::ImageRgb8(rgb);
    image.apply_orientation(orientation);
    image.into_rgb8()
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
/// jpeg-encoder uses the IJG quality scale image's encoder uses, with full-resolution colour
/// (4:4:4, as before) and Huffman tables fitted to the photo: the same pixels, fewer bytes, in
/// about a third of the time.
fn jpeg(rgb: &RgbImage, budget: &Budget) -> Result<Sized, String> {
    use jpeg_encoder::{ColorType, Encoder, SamplingFactor};
    let (width, height) = rgb.dimensions();
    let side = |n: u32| u16::try_from(n).map_err(|_| format!("{width}×{height} is too large"));
    let (w, h) = (side(width)?, side(height)?);
    let mut out = Vec::new();
    for &q in budget.qualities {
        out.clear();
        let mut encoder = Encoder::new(&mut out, q);
        encoder.set_sampling_factor(SamplingFactor::F_1_1);
        encoder.set_optimized_huffman_tables(true);
        encoder
            .encode(rgb.as_raw(), w, h, ColorType::Rgb)
            .map_err(|e| e.to_string())?;
        if out.len() <= budget.bytes {
            break;
        }
    }
    Ok(Sized {
        width,
        height,
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
        assert_eq!(shrink(&small, 480).unwrap().dimensions(), (300, 200));
        let big = RgbImage::from_pixel(1000, 500, image::Rgb([10, 200, 30]));
        let shrunk = shrink(&big, 480).unwrap();
        assert_eq!(shrunk.dimensions(), (480, 240));
        assert!(
            shrunk.pixels().all(|p| p.0 == [10, 200, 30]),
            "a flat colour stays flat"
        );
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

    /// Peak signal-to-noise ratio of `jpeg` decoded against `reference`, in dB.
    fn psnr(jpeg: &[u8], reference: &RgbImage) -> f64 {
        let decoded = image::load_from_memory(jpeg).unwrap().into_rgb8();
        assert_eq!(decoded.dimensions(), reference.dimensions());
        let sum: f64 = decoded
            .as_raw()
            .iter()
            .zip(reference.as_raw())
            .map(|(a, b)| (*a as f64 - *b as f64).powi(2))
            .sum();
        let mse = sum / decoded.as_raw().len() as f64;
        10.0 * (255.0 * 255.0 / mse).log10()
    }

    /// What the display size was before jpeg-encoder and fast_image_resize: image's own area
    /// filter and encoder with the same quality steps under the same budget.
    fn with_image_crate(original: &RgbImage) -> Vec<u8> {
        let (w, h) = fit(original.width(), original.height(), DISPLAY_MAX);
        let shrunk = image::imageops::thumbnail(original, w, h);
        let mut out = Vec::new();
        for &q in DISPLAY.qualities {
            out.clear();
            image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, q)
                .encode_image(&shrunk)
                .unwrap();
            if out.len() <= DISPLAY.bytes {
                break;
            }
        }
        out
    }

    /// The faster encoder loses nothing: against the original shrunk by image's area filter, the
    /// display size is at least as close as image's own encoder got, and within the budget. Both a
    /// noisy phone-like photo and a smooth sample photo.
    #[test]
    fn display_quality_is_not_lower_than_with_the_image_crate() {
        let photos = [
            super::super::fixture::camera_jpeg(2400, 1800, 1, "2022:05:03 10:11:12"),
            crate::sample::photos::photo_pair("YX2022-0001").0,
        ];
        for bytes in photos {
            let original = image::load_from_memory(&bytes).unwrap().into_rgb8();
            let (w, h) = fit(original.width(), original.height(), DISPLAY_MAX);
            let reference = image::imageops::thumbnail(&original, w, h);
            let new = encode(&bytes).unwrap().display.jpeg;
            let old = with_image_crate(&original);
            let (p_new, p_old) = (psnr(&new, &reference), psnr(&old, &reference));
            eprintln!(
                "display: new {} KB {p_new:.2} dB, image crate {} KB {p_old:.2} dB",
                new.len() / 1024,
                old.len() / 1024
            );
            assert!(new.len() <= DISPLAY.bytes);
            assert!(p_new >= p_old - 0.1, "{p_new:.2} dB < {p_old:.2} dB");
        }
    }
}
