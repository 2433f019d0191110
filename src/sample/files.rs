//! Small deterministic binary files: palette PNGs written by hand (stored deflate) and a tiny PDF.

const W: u32 = 160;
const H: u32 = 120;

/// A before/after photo pair for a case: cluttered browns, then clean greys and greens.
pub(crate) fn photo_pair(id: &str) -> (Vec<u8>, Vec<u8>) {
    let h = id
        .bytes()
        .fold(0u32, |a, b| a.wrapping_mul(31).wrapping_add(b as u32));
    let before = [
        [92, 74, 58],
        [121, 98, 72],
        [64, 60, 55],
        [150, 128, 96],
        [40, 36, 34],
    ];
    let after = [
        [214, 218, 222],
        [190, 196, 200],
        [96, 160, 96],
        [230, 232, 234],
        [70, 130, 80],
    ];
    let clutter = |x: u32, y: u32| ((x / 12 + y / 9 + (x * y + h) / 97) % 5) as u8;
    let clean = |x: u32, y: u32| {
        if y > H * 3 / 4 {
            1
        } else if (x / 40 + h).is_multiple_of(4) && y > H / 3 {
            2
        } else {
            0
        }
    };
    (png(&before, clutter), png(&after, clean))
}

/// A publicity cover: horizontal bands in government blue with a light title strip.
pub(crate) fn cover(seed: u32) -> Vec<u8> {
    let palette = [
        [22, 80, 160],
        [40, 110, 190],
        [240, 244, 250],
        [200, 40, 40],
    ];
    png(&palette, |x, y| {
        if (40..64).contains(&y) {
            2
        } else if y < 6 && (x + seed * 7) % 60 < 30 {
            3
        } else {
            ((y / 20 + seed) % 2) as u8
        }
    })
}

fn png(palette: &[[u8; 3]], pixel: impl Fn(u32, u32) -> u8) -> Vec<u8> {
    let mut raw = Vec::with_capacity(((W + 1) * H) as usize);
    for y in 0..H {
        raw.push(0);
        raw.extend((0..W).map(|x| pixel(x, y)));
    }
    let mut ihdr = Vec::new();
    ihdr.extend(W.to_be_bytes());
    ihdr.extend(H.to_be_bytes());
    ihdr.extend([8, 3, 0, 0, 0]);
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(&mut out, b"PLTE", &palette.concat());
    chunk(&mut out, b"IDAT", &zlib_stored(&raw));
    chunk(&mut out, b"IEND", &[]);
    out
}

fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend((data.len() as u32).to_be_bytes());
    let start = out.len();
    out.extend(kind);
    out.extend(data);
    let crc = crc32(&out[start..]);
    out.extend(crc.to_be_bytes());
}

fn zlib_stored(data: &[u8]) -> Vec<u8> {
    let mut out = vec![0x78, 0x01];
    let blocks: Vec<&[u8]> = data.chunks(65_535).collect();
    for (i, block) in blocks.iter().enumerate() {
        out.push((i + 1 == blocks.len()) as u8);
        let len = block.len() as u16;
        out.extend(len.to_le_bytes());
        out.extend((!len).to_le_bytes());
        out.extend(*block);
    }
    let (a, b) = data.iter().fold((1u32, 0u32), |(a, b), &x| {
        let a = (a + x as u32) % 65_521;
        (a, (b + a) % 65_521)
    });
    out.extend(((b << 16) | a).to_be_bytes());
    out
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in data {
        crc ^= byte as u32;
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A one-page PDF with an ASCII line of text (enough for a download link to point at).
pub(crate) fn pdf(text: &str) -> Vec<u8> {
    let stream = format!("BT /F1 14 Tf 50 780 Td ({text}) Tj ET");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>"
            .to_string(),
        format!("<< /Length {} >>\nstream\n{stream}\nendstream", stream.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
    ];
    let mut out = String::from("%PDF-1.4\n");
    let mut offsets = Vec::new();
    for (i, obj) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.push_str(&format!("{} 0 obj\n{obj}\nendobj\n", i + 1));
    }
    let xref = out.len();
    out.push_str(&format!(
        "xref\n0 {}\n0000000000 65535 f \n",
        objects.len() + 1
    ));
    for o in offsets {
        out.push_str(&format!("{o:010} 00000 n \n"));
    }
    out.push_str(&format!(
        "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1
    ));
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    #[test]
    fn crc_of_iend_is_the_known_value() {
        assert_eq!(super::crc32(b"IEND"), 0xAE42_6082);
    }
}
