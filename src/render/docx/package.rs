//! The .docx package as rectify ships it: docx-rs's parts, compressed, with fixed entry times and
//! the table header rows marked to repeat on each page.

use super::schema;
use anyhow::{Context, Result};
use std::io::{Cursor, Read, Write};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipArchive, ZipWriter};

/// docx-rs has no `w:tblHeader`; header rows carry a least height one twip above the other rows'
/// instead, which the repacking turns into the rows' height and the real mark. Left alone it would
/// be harmless.
pub const HEADER_ROW_HEIGHT: f32 = super::blocks::ROW_HEIGHT + 1.0;

/// A row height as docx-rs writes it.
fn row_height(twips: f32) -> String {
    format!(r#"<w:trHeight w:val="{twips}" w:hRule="atLeast" />"#)
}

/// The header row's mark, and what it becomes: the rows' height and the repeat mark.
fn header_rows(xml: &str) -> String {
    let real = format!("{}<w:tblHeader />", row_height(super::blocks::ROW_HEIGHT));
    xml.replace(&row_height(HEADER_ROW_HEIGHT), &real)
}

/// docx-rs always writes an empty Normal style; the office's own paragraphs should be 3号 仿宋,
/// condensed like the generated ones (`blocks::CONDENSE`) so they keep 28 characters a line.
const NORMAL: &str =
    r#"<w:style w:type="paragraph" w:styleId="Normal"><w:name w:val="Normal" /><w:rPr />"#;
const NORMAL_3: &str = r#"<w:style w:type="paragraph" w:styleId="Normal"><w:name w:val="Normal" /><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:cs="Times New Roman" w:eastAsia="仿宋_GB2312" /><w:spacing w:val="-5" /><w:sz w:val="32" /><w:szCs w:val="32" /></w:rPr>"#;

/// Parts docx-rs always writes that the briefing does not use: no comments, footnotes or lists.
/// Nothing refers to them but the content types (and commentsExtended's relationship), so they go,
/// with those entries.
const UNUSED: [&str; 4] = [
    "word/comments.xml",
    "word/commentsExtended.xml",
    "word/footnotes.xml",
    "word/numbering.xml",
];

/// Rewrites docx-rs's stored archive: every file deflated, dated 1980-01-01 (zip's epoch) with
/// ordinary file permissions, in docx-rs's order, so two builds give the same bytes; property
/// elements in the schema's order; the unused parts left out.
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
        if UNUSED.contains(&name.as_str()) {
            continue;
        }
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes)?;
        if name.ends_with(".xml") || name.ends_with(".rels") {
            let xml = String::from_utf8(bytes)
                .with_context(|| format!("docx-rs wrote {name} not in UTF-8"))?;
            bytes = fix(&name, xml)?.into_bytes();
        }
        out.start_file(name, options)?;
        out.write_all(&bytes)?;
    }
    Ok(out.finish()?.into_inner())
}

/// One part as rectify ships it.
fn fix(name: &str, xml: String) -> Result<String> {
    Ok(match name {
        "word/document.xml" => schema::ordered(&header_rows(&xml))?,
        "word/styles.xml" => schema::ordered(&xml.replace(NORMAL, NORMAL_3))?,
        "[Content_Types].xml" => UNUSED.iter().fold(xml, |xml, part| {
            without_element(&xml, &format!("PartName=\"/{part}\""))
        }),
        "word/_rels/document.xml.rels" => UNUSED.iter().fold(xml, |xml, part| {
            let target = part.trim_start_matches("word/");
            without_element(&xml, &format!("Target=\"{target}\""))
        }),
        _ if name.starts_with("word/") && name.ends_with(".xml") => schema::ordered(&xml)?,
        _ => xml,
    })
}

/// `xml` without the empty element that carries `attribute` (as docx-rs writes it, `<… />`).
fn without_element(xml: &str, attribute: &str) -> String {
    let Some(at) = xml.find(attribute) else {
        return xml.to_string();
    };
    let start = xml[..at].rfind('<').unwrap_or(at);
    let end = xml[at..].find("/>").map_or(xml.len(), |e| at + e + 2);
    format!("{}{}", &xml[..start], &xml[end..])
}
