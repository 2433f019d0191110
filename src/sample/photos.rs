//! Generated photos for the sample content: a 1600×1200 JPEG pair per photographed case (a
//! cluttered workshop front before, the same front tidy after) and publicity covers, drawn with
//! plain shapes, deterministic for a given id, at JPEG quality 70 as a phone gallery would export.

use image::RgbImage;
use image::codecs::jpeg::JpegEncoder;

const W: u32 = 1600;
const H: u32 = 1200;
/// Where the wall meets the ground.
const HORIZON: u32 = H * 11 / 20;

/// A small deterministic generator (xorshift), seeded from the case id.
struct Dice(u32);

impl Dice {
    fn new(id: &str) -> Dice {
        Dice(
            id.bytes()
                .fold(0x9E37_79B9, |a, b| (a ^ b as u32).wrapping_mul(0x0100_0193))
                | 1,
        )
    }
    fn next(&mut self) -> u32 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 17;
        self.0 ^= self.0 << 5;
        self.0
    }
    fn upto(&mut self, n: u32) -> u32 {
        self.next() % n.max(1)
    }
}

/// The before and after photos of case `id`, as JPEG files.
pub(crate) fn photo_pair(id: &str) -> (Vec<u8>, Vec<u8>) {
    let mut dice = Dice::new(id);
    let shutter = 300 + dice.upto(500);
    let mut before = scene([168, 152, 128], [78, 72, 66], shutter, [92, 84, 76]);
    clutter(&mut before, &mut dice);
    let mut after = scene([226, 224, 216], [168, 170, 168], shutter, [150, 156, 160]);
    tidy(&mut after, &mut dice);
    (jpeg(&before), jpeg(&after))
}

/// The after photo alone, at 800×600: the evidence of a closed case photographed only once done
/// (smaller, so the sample content and the builds that encode it stay light).
pub(crate) fn after_only(id: &str) -> Vec<u8> {
    let mut dice = Dice::new(id);
    let shutter = 300 + dice.upto(500);
    let mut after = scene([226, 224, 216], [168, 170, 168], shutter, [150, 156, 160]);
    tidy(&mut after, &mut dice);
    let small =
        image::imageops::resize(&after, W / 2, H / 2, image::imageops::FilterType::Triangle);
    jpeg(&small)
}

/// A publicity cover (1200×675): government-blue bands with a light title strip and a red rule.
pub(crate) fn cover(seed: u32) -> Vec<u8> {
    let (w, h) = (1200, 675);
    let mut img = RgbImage::from_raw(w, h, [22, 80, 160].repeat((w * h) as usize))
        .expect("the buffer is w×h pixels");
    for band in 0..6 {
        if (band + seed).is_multiple_of(2) {
            rect(&mut img, 0, band * 112, w, 56, [40, 110, 190]);
        }
    }
    rect(&mut img, 80, 250, w - 160, 150, [240, 244, 250]);
    rect(&mut img, 80, 420, w - 160, 10, [200, 40, 40]);
    jpeg(&img)
}

/// Wall, rolling shutter and ground, in the given colours.
fn scene(wall: [u8; 3], ground: [u8; 3], shutter_x: u32, shutter: [u8; 3]) -> RgbImage {
    // Drawn row by row from a few prebuilt rows rather than pixel by pixel: the sample tests draw
    // many 1600×1200 photos in the unoptimised dev profile, where per-pixel closures are slow.
    let rows =
        [wall, ground].map(|base| std::array::from_fn::<_, 5, _>(|k| shaded_row(base, k as u32)));
    let mut buf = Vec::with_capacity((W * H * 3) as usize);
    for y in 0..H {
        buf.extend_from_slice(&rows[usize::from(y >= HORIZON)][(y / 3 % 5) as usize]);
    }
    let mut img = RgbImage::from_raw(W, H, buf).expect("the buffer is W×H pixels");
    let (sw, sh) = (560, HORIZON - 140);
    rect(&mut img, shutter_x, 140, sw, sh, shutter);
    for slat in (140..140 + sh).step_by(18) {
        rect(
            &mut img,
            shutter_x,
            slat,
            sw,
            3,
            shutter.map(|c| c.saturating_sub(30)),
        );
    }
    img
}

/// Piles of boxes, rusty drums, a tarp and dark puddles: an unlicensed workshop spilling outside.
fn clutter(img: &mut RgbImage, dice: &mut Dice) {
    rect(img, 60 + dice.upto(200), 90, 420, 260, [38, 92, 150]);
    for _ in 0..9 {
        let (cx, cy) = (dice.upto(W), HORIZON + 80 + dice.upto(H - HORIZON - 120));
        ellipse(
            img,
            cx,
            cy,
            90 + dice.upto(120),
            20 + dice.upto(30),
            [48, 46, 44],
        );
    }
    for _ in 0..26 {
        let (w, h) = (80 + dice.upto(160), 60 + dice.upto(140));
        let x = dice.upto(W - w);
        let y = HORIZON - h / 2 + dice.upto(H - HORIZON - h / 2);
        let tone =
            [[150, 110, 70], [120, 84, 52], [170, 140, 96], [96, 90, 84]][dice.upto(4) as usize];
        rect(img, x, y, w, h, tone);
        rect(img, x, y, w, 8, tone.map(|c| c.saturating_sub(40)));
    }
    for _ in 0..7 {
        let (x, y) = (dice.upto(W - 120), HORIZON + dice.upto(H - HORIZON - 200));
        rect(img, x, y, 110, 170, [132, 62, 36]);
        ellipse(img, x + 55, y, 55, 16, [100, 46, 28]);
    }
}

/// A clean front: planters along the wall and a notice board beside the shutter.
fn tidy(img: &mut RgbImage, dice: &mut Dice) {
    rect(img, 0, HORIZON - 12, W, 12, [120, 124, 128]);
    for i in 0..8 {
        let x = 40 + i * 200 + dice.upto(20);
        rect(img, x, HORIZON - 70, 150, 80, [150, 140, 130]);
        ellipse(img, x + 75, HORIZON - 100, 80, 55, [58, 128, 64]);
        ellipse(img, x + 60, HORIZON - 120, 40, 30, [84, 150, 84]);
    }
    rect(img, 80 + dice.upto(120), 160, 260, 180, [250, 250, 246]);
    for line in (HORIZON + 80..H).step_by(110) {
        rect(img, 0, line, W, 4, [150, 152, 150]);
    }
}

/// One image row of `base`: soft light from the left and a little grain, so it reads as a photo,
/// not a drawing. The grain depends on y only through (y / 3) % 5, which is `k`.
fn shaded_row(base: [u8; 3], k: u32) -> Vec<u8> {
    (0..W)
        .flat_map(|x| {
            let shade = 12 - (x * 24 / W) as i32 + ((x / 3 * 7 + k * 13) % 5) as i32;
            base.map(|c| (c as i32 + shade).clamp(0, 255) as u8)
        })
        .collect()
}

/// Fills pixels `x0..x1` of row `y` with the prebuilt run `run` (3 bytes per pixel).
fn fill_row(img: &mut RgbImage, y: u32, x0: u32, x1: u32, run: &[u8]) {
    let start = ((y * img.width() + x0) * 3) as usize;
    let len = ((x1 - x0) * 3) as usize;
    let buf: &mut [u8] = img;
    buf[start..start + len].copy_from_slice(&run[..len]);
}

fn rect(img: &mut RgbImage, x: u32, y: u32, w: u32, h: u32, c: [u8; 3]) {
    let x1 = (x + w).min(img.width());
    if x >= x1 {
        return;
    }
    let run = c.repeat((x1 - x) as usize);
    for yy in y..(y + h).min(img.height()) {
        fill_row(img, yy, x, x1, &run);
    }
}

/// Fills the pixels (x, y) with x in cx-rx..cx+rx, y in cy-ry..cy+ry (within the image) and
/// dx²·ry² + dy²·rx² <= rx²·ry², one row at a time.
fn ellipse(img: &mut RgbImage, cx: u32, cy: u32, rx: u32, ry: u32, c: [u8; 3]) {
    let (rx, ry) = (rx.max(1) as i64, ry.max(1) as i64);
    let run = c.repeat(2 * rx as usize + 1);
    for y in cy.saturating_sub(ry as u32)..(cy + ry as u32).min(img.height()) {
        let dy = y as i64 - cy as i64;
        let room = rx * rx * ry * ry - dy * dy * rx * rx;
        // The widest half-width d with d²·ry² <= room; the row is empty if there is none.
        let mut d = rx;
        while d >= 0 && d * d * ry * ry > room {
            d -= 1;
        }
        if d < 0 {
            continue;
        }
        let x0 = (cx as i64 - d).max(0);
        let x1 = (cx as i64 + d + 1)
            .min(cx as i64 + rx)
            .min(img.width() as i64);
        if x0 < x1 {
            fill_row(img, y, x0 as u32, x1 as u32, &run);
        }
    }
}

fn jpeg(img: &RgbImage) -> Vec<u8> {
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, 70)
        .encode_image(img)
        .expect("encoding an in-memory image cannot fail");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::Rgb;

    #[test]
    fn pairs_are_deterministic_full_size_and_differ() {
        let (b1, a1) = photo_pair("YX2022-0001");
        let (b2, _) = photo_pair("YX2022-0001");
        assert_eq!(b1, b2);
        let (b, a) = (
            image::load_from_memory(&b1).unwrap(),
            image::load_from_memory(&a1).unwrap(),
        );
        assert_eq!((b.width(), b.height()), (W, H));
        let (b, a) = (b.to_rgb8(), a.to_rgb8());
        let differ = |(p, q): &(&Rgb<u8>, &Rgb<u8>)| {
            p.0.iter()
                .zip(q.0)
                .map(|(x, y)| x.abs_diff(y) as u32)
                .sum::<u32>()
                > 60
        };
        let changed = b.pixels().zip(a.pixels()).filter(differ).count();
        assert!(
            changed > (W * H / 3) as usize,
            "before and after look alike"
        );
    }
}
