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

/// A one-page A4 PDF in Chinese: a title and lines of text (wrapped), set in STSong-Light, the
/// standard Chinese font every PDF reader has or substitutes (nothing is embedded, so the file
/// stays a few kilobytes). Text is written as UCS-2 through the standard UniGB-UCS2-H encoding.
pub(crate) fn pdf(title: &str, lines: &[&str]) -> Vec<u8> {
    let mut stream = format!("BT /F1 18 Tf 1 0 0 1 72 760 Tm <{}> Tj", ucs2_hex(title));
    let mut y = 720;
    for line in lines.iter().flat_map(|l| wrap(l, 36)) {
        stream.push_str(&format!(
            " /F1 12 Tf 1 0 0 1 72 {y} Tm <{}> Tj",
            ucs2_hex(&line)
        ));
        y -= 22;
    }
    stream.push_str(" ET");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>"
            .to_string(),
        format!("<< /Length {} >>\nstream\n{stream}\nendstream", stream.len()),
        "<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [6 0 R] >>"
            .to_string(),
        "<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> /FontDescriptor 7 0 R /DW 1000 /W [1 95 500] >>"
            .to_string(),
        "<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>"
            .to_string(),
        format!("<< /Title <FEFF{}> /Producer (rectify gen-content) >>", ucs2_hex(title)),
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
        "trailer\n<< /Size {} /Root 1 0 R /Info 8 0 R >>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1
    ));
    out.into_bytes()
}

/// Text as big-endian UCS-2 in hex; characters outside the BMP (none in our texts) become `?`.
fn ucs2_hex(text: &str) -> String {
    text.chars()
        .map(|c| {
            if (c as u32) < 0x10000 {
                c as u32
            } else {
                '?' as u32
            }
        })
        .map(|u| format!("{u:04X}"))
        .collect()
}

/// Splits a line into pieces of at most `width` characters.
fn wrap(line: &str, width: usize) -> Vec<String> {
    let chars: Vec<char> = line.chars().collect();
    chars.chunks(width).map(|c| c.iter().collect()).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_pdf_carries_its_chinese_text_and_a_valid_xref() {
        let bytes = super::pdf("倡议书", &["一、守法经营"]);
        let text = String::from_utf8(bytes).unwrap();
        assert!(text.starts_with("%PDF-1.4\n") && text.ends_with("%%EOF\n"));
        // 倡 U+5021, 议 U+8BAE, 书 U+4E66.
        assert!(text.contains("<5021 8BAE 4E66>".replace(' ', "").as_str()));
        assert!(text.contains("/Encoding /UniGB-UCS2-H"));
        let xref: usize = text
            .rsplit("startxref\n")
            .next()
            .unwrap()
            .lines()
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert!(text[xref..].starts_with("xref\n"));
        for (i, line) in text[xref..].lines().skip(3).take(8).enumerate() {
            let offset: usize = line[..10].parse().unwrap();
            assert!(
                text[offset..].starts_with(&format!("{} 0 obj", i + 1)),
                "{line}"
            );
        }
    }

    #[test]
    fn crc_of_iend_is_the_known_value() {
        assert_eq!(super::crc32(b"IEND"), 0xAE42_6082);
    }
}
