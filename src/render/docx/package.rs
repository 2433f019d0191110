//! The .docx package as rectify ships it: docx-rs's parts, compressed, with fixed entry times and
//! the table header rows marked to repeat on each page.

use anyhow::{Context, Result};
use std::io::{Cursor, Read, Write};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipArchive, ZipWriter};

/// docx-rs has no `w:tblHeader`; header rows carry this 1-twip minimum height instead, which the
/// repacking turns into the real mark. Left alone it would be harmless.
pub const HEADER_ROW_MARK: &str = r#"<w:trHeight w:val="1" w:hRule="atLeast" />"#;
const HEADER_ROW: &str = "<w:tblHeader />";

/// docx-rs always writes an empty Normal style, but LibreOffice sizes the character grid from
/// Normal's East Asian size: without 3号 there it lays each character over two grid cells.
const NORMAL: &str =
    r#"<w:style w:type="paragraph" w:styleId="Normal"><w:name w:val="Normal" /><w:rPr />"#;
const NORMAL_3: &str = r#"<w:style w:type="paragraph" w:styleId="Normal"><w:name w:val="Normal" /><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:cs="Times New Roman" w:eastAsia="仿宋_GB2312" /><w:sz w:val="32" /><w:szCs w:val="32" /></w:rPr>"#;

/// Rewrites docx-rs's stored archive: every file deflated, dated 1980-01-01 (zip's epoch) with
/// ordinary file permissions, in docx-rs's order, so two builds give the same bytes.
pub fn repack(stored: Vec<u8>) -> Result<Vec<u8>> {
    let mut input = ZipArchive::new(Cursor::new(stored)).context("reading docx-rs's package")?;
    let mut out = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(DateTime::default())
        .unix_permissions(0o644);
    for i in 0..input.len() {
        let mut entry = input.by_index(i)?;
        if entry.is_dir() {
            continue;
        }
        let name = entry.name()?.into_owned();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes)?;
        let fix = match name.as_str() {
            "word/document.xml" => Some((HEADER_ROW_MARK, HEADER_ROW)),
            "word/styles.xml" => Some((NORMAL, NORMAL_3)),
            _ => None,
        };
        if let Some((from, to)) = fix {
            bytes = String::from_utf8(bytes)
                .with_context(|| format!("docx-rs wrote {name} not in UTF-8"))?
                .replace(from, to)
                .into_bytes();
        }
        out.start_file(name, options)?;
        out.write_all(&bytes)?;
    }
    Ok(out.finish()?.into_inner())
}
