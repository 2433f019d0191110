//! Small deterministic binary files: a tiny PDF attachment (photos are drawn in `photos.rs`).

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
}
