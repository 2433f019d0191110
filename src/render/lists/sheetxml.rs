//! A list sheet's data rows as worksheet XML, written here rather than by rust_xlsxwriter so they
//! can be made in chunks, in parallel, and each chunk's deflated bytes reused while its XML does
//! not change. The cells are the ones rust_xlsxwriter's constant-memory mode wrote: strings
//! inline (no shared-string table to keep chunks apart), escaped as it escapes them, empty strings
//! as formatted blanks, dates as serial numbers.
//!
//! The rest of the sheet (title, header, widths, freeze panes, autofilter) comes from a workbook
//! rust_xlsxwriter makes with one probe row in place of the data: the probe's cells name the
//! style indices the workbook's styles.xml gave the cell and date formats, and the data rows go
//! where the probe was ([`split`]).

use crate::model::Date;
use anyhow::{Result, anyhow};
use std::fmt::Write;

/// Excel's limit on the length of a cell's text, in UTF-16 units.
const MAX_TEXT: usize = 32_767;
/// The probe row's number (1-based): the first data row.
pub const FIRST_ROW: u32 = 3;
/// The probe's date column (发现时间).
pub const PROBE_DATE_COL: u16 = 11;

/// The style indices of the data cells: every cell, and the date cells (`yyyy-mm-dd`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Styles {
    pub cell: u32,
    pub date: u32,
}

/// A sheet rust_xlsxwriter wrote around its probe row: the XML before the data rows (with the
/// dimension covering them) and after, and the styles the probe's cells used.
#[derive(Debug, PartialEq)]
pub struct Frame {
    pub head: String,
    pub tail: String,
    pub styles: Styles,
}

/// Cuts the probe row (row [`FIRST_ROW`]) out of `xml`, a sheet whose last column is `last_col`,
/// and sets its dimension to hold `rows` data rows.
pub fn split(xml: &str, last_col: &str, rows: usize) -> Result<Frame> {
    let odd = |what: &str| anyhow!("writing lists.xlsx: the sheet rust_xlsxwriter made has {what}");
    let start = xml
        .find(&format!("<row r=\"{FIRST_ROW}\""))
        .ok_or_else(|| odd("no probe row"))?;
    let end = start
        + xml[start..]
            .find("</row>")
            .ok_or_else(|| odd("an unclosed probe row"))?
        + "</row>".len();
    let probe = &xml[start..end];
    let styles = Styles {
        cell: style_of(probe, &format!("A{FIRST_ROW}")).ok_or_else(|| odd("no 序号 cell"))?,
        date: style_of(
            probe,
            &format!("{}{FIRST_ROW}", column_name(PROBE_DATE_COL)),
        )
        .ok_or_else(|| odd("no date cell"))?,
    };
    let old = format!("<dimension ref=\"A1:{last_col}{FIRST_ROW}\"/>");
    let new = format!("<dimension ref=\"A1:{last_col}{}\"/>", rows + 2);
    let head = &xml[..start];
    if !head.contains(&old) {
        return Err(odd("an unexpected dimension"));
    }
    Ok(Frame {
        head: head.replacen(&old, &new, 1),
        tail: xml[end..].to_string(),
        styles,
    })
}

/// The `s` attribute of the cell `name` in `row`: 0 when the cell has none.
fn style_of(row: &str, name: &str) -> Option<u32> {
    let at = row.find(&format!("<c r=\"{name}\""))?;
    let cell = &row[at..at + row[at..].find('>')?];
    match cell.find(" s=\"") {
        None => Some(0),
        Some(i) => {
            let digits = &cell[i + 4..];
            digits[..digits.find('"')?].parse().ok()
        }
    }
}

/// A column's letters: 0 → A, 25 → Z, 26 → AA.
pub fn column_name(col: u16) -> String {
    let mut n = col as u32 + 1;
    let mut name = Vec::new();
    while n > 0 {
        let d = (n - 1) % 26;
        name.push(b'A' + d as u8);
        n = (n - 1) / 26;
    }
    name.reverse();
    String::from_utf8(name).expect("ASCII letters")
}

/// The date's serial number as Excel counts days (with its 29 February 1900).
pub fn serial(d: Date) -> i64 {
    let epoch = Date::from_ymd_opt(1899, 12, 31).expect("a real date");
    let days = (d - epoch).num_days();
    if days > 59 { days + 1 } else { days }
}

/// What every row of a sheet writes alike: the column letters and the style attributes.
pub struct Sheet {
    columns: Vec<String>,
    cell: String,
    date: String,
}

impl Sheet {
    pub fn new(width: u16, styles: Styles) -> Sheet {
        let attr = |s: u32| match s {
            0 => String::new(),
            s => format!(" s=\"{s}\""),
        };
        Sheet {
            columns: (0..width).map(column_name).collect(),
            cell: attr(styles.cell),
            date: attr(styles.date),
        }
    }
}

/// Writes one row's cells into `out`, `<row>` to `</row>`. The row's cells are the hot loop of a
/// 100,000-case build (two million cells), so it appends pieces rather than formatting.
pub struct RowXml<'a> {
    out: &'a mut String,
    row: String,
    sheet: &'a Sheet,
}

/// A cell's text is longer than a spreadsheet cell holds.
#[derive(Debug, PartialEq)]
pub struct TooLong;

impl<'a> RowXml<'a> {
    /// Opens row `row` (1-based).
    pub fn open(out: &'a mut String, sheet: &'a Sheet, row: u32) -> RowXml<'a> {
        let row = row.to_string();
        out.push_str("<row r=\"");
        out.push_str(&row);
        out.push_str("\">");
        RowXml { out, row, sheet }
    }

    pub fn close(self) {
        self.out.push_str("</row>");
    }

    fn start(&mut self, col: u16, style: &str) {
        self.out.push_str("<c r=\"");
        self.out.push_str(&self.sheet.columns[col as usize]);
        self.out.push_str(&self.row);
        self.out.push('"');
        self.out.push_str(style);
    }

    pub fn number(&mut self, col: u16, n: i64) {
        self.start(col, &self.sheet.cell);
        self.out.push_str("><v>");
        push_int(self.out, n);
        self.out.push_str("</v></c>");
    }

    pub fn blank(&mut self, col: u16) {
        if !self.sheet.cell.is_empty() {
            self.start(col, &self.sheet.cell);
            self.out.push_str("/>");
        }
    }

    pub fn date(&mut self, col: u16, d: Option<Date>) {
        match d {
            Some(d) => {
                self.start(col, &self.sheet.date);
                self.out.push_str("><v>");
                push_int(self.out, serial(d));
                self.out.push_str("</v></c>");
            }
            None => self.blank(col),
        }
    }

    pub fn text(&mut self, col: u16, text: &str) -> Result<(), TooLong> {
        if text.is_empty() {
            self.blank(col);
            return Ok(());
        }
        if text.len() > MAX_TEXT && text.encode_utf16().count() > MAX_TEXT {
            return Err(TooLong);
        }
        self.start(col, &self.sheet.cell);
        let edge = ['\t', '\n', ' '];
        let preserve = text.starts_with(edge) || text.ends_with(edge);
        self.out.push_str(if preserve {
            " t=\"inlineStr\"><is><t xml:space=\"preserve\">"
        } else {
            " t=\"inlineStr\"><is><t>"
        });
        escape(self.out, text);
        self.out.push_str("</t></is></c>");
        Ok(())
    }
}

/// Appends `n` in decimal (as `{n}` would, without the formatting machinery).
fn push_int(out: &mut String, n: i64) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut m = n.unsigned_abs();
    loop {
        at -= 1;
        digits[at] = b'0' + (m % 10) as u8;
        m /= 10;
        if m == 0 {
            break;
        }
    }
    if n < 0 {
        out.push('-');
    }
    out.push_str(std::str::from_utf8(&digits[at..]).expect("ASCII digits"));
}

/// Appends `text` escaped for a cell: XML's `&`, `<`, `>`; control characters and the two
/// non-characters as `_xHHHH_`; and a literal `_xHHHH_` in the text with its `_` escaped as
/// `_x005F`, so a reader does not decode it (what Excel and rust_xlsxwriter do).
pub fn escape(out: &mut String, text: &str) {
    let bytes = text.as_bytes();
    // Most text needs nothing: control bytes, `&<>`, `_` and the lead byte of U+FFFE/U+FFFF.
    let special = |b: &u8| matches!(b, 0..=8 | 0x0b..=0x1f | b'&' | b'<' | b'>' | b'_' | 0xef);
    if !bytes.iter().any(special) {
        out.push_str(text);
        return;
    }
    for (i, ch) in text.char_indices() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\t' | '\n' => out.push(ch),
            '\0'..='\x1f' | '\u{FFFE}' | '\u{FFFF}' => {
                let _ = write!(out, "_x{:04X}_", ch as u32);
            }
            '_' if is_escape_like(&bytes[i..]) => out.push_str("_x005F_"),
            _ => out.push(ch),
        }
    }
}

/// Whether `b` starts with `_xHHHH_` (four hex digits).
fn is_escape_like(b: &[u8]) -> bool {
    b.len() >= 7 && b[1] == b'x' && b[2..6].iter().all(u8::is_ascii_hexdigit) && b[6] == b'_'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers() {
        for n in [0, 7, 10, 44_562, -3, i64::MAX, i64::MIN] {
            let mut out = String::new();
            push_int(&mut out, n);
            assert_eq!(out, n.to_string());
        }
    }

    #[test]
    fn unstyled_cells_have_no_style_and_no_blanks() {
        let sheet = Sheet::new(3, Styles { cell: 0, date: 0 });
        let mut out = String::new();
        let mut row = RowXml::open(&mut out, &sheet, 4);
        row.number(0, 1);
        row.text(1, "").unwrap();
        row.date(2, None);
        row.close();
        assert_eq!(out, r#"<row r="4"><c r="A4"><v>1</v></c></row>"#);
    }

    #[test]
    fn column_names() {
        let table = [
            (0, "A"),
            (11, "L"),
            (25, "Z"),
            (26, "AA"),
            (51, "AZ"),
            (52, "BA"),
        ];
        for (col, name) in table {
            assert_eq!(column_name(col), name, "{col}");
        }
    }

    #[test]
    fn serial_numbers_are_excels() {
        let table = [
            ((1900, 1, 1), 1),
            ((1900, 2, 28), 59),
            ((1900, 3, 1), 61),
            ((2022, 1, 1), 44562),
            ((2022, 12, 31), 44926),
        ];
        for ((y, m, d), n) in table {
            assert_eq!(serial(Date::from_ymd_opt(y, m, d).unwrap()), n);
        }
    }

    /// Table: text as a cell holds it.
    #[test]
    fn escapes() {
        let table = [
            ("越秀区", "越秀区"),
            ("a<b>&c", "a&lt;b&gt;&amp;c"),
            ("]]>", "]]&gt;"),
            ("\"quoted\" 'x'", "\"quoted\" 'x'"),
            ("tab\tline\nend", "tab\tline\nend"),
            ("bell\u{7}cr\r", "bell_x0007_cr_x000D_"),
            ("nul\0", "nul_x0000_"),
            ("\u{FFFE}\u{FFFF}", "_xFFFE__xFFFF_"),
            ("_x0041_", "_x005F_x0041_"),
            ("a_x00e9_b", "a_x005F_x00e9_b"),
            ("_x004_", "_x004_"),
            ("_x12345", "_x12345"),
            ("_x_x0041_", "_x_x005F_x0041_"),
            ("🏭工厂", "🏭工厂"),
        ];
        for (text, xml) in table {
            let mut out = String::new();
            escape(&mut out, text);
            assert_eq!(out, xml, "{text:?}");
        }
    }

    fn sheet(width: u16) -> Sheet {
        Sheet::new(width, Styles { cell: 3, date: 4 })
    }

    #[test]
    fn cells() {
        let sheet = sheet(30);
        let mut out = String::new();
        let mut row = RowXml::open(&mut out, &sheet, 7);
        row.number(0, 5);
        row.text(1, " 前后空格 ").unwrap();
        row.text(2, "").unwrap();
        row.date(11, Date::from_ymd_opt(2022, 3, 1));
        row.date(12, None);
        row.text(27, "x").unwrap();
        row.close();
        assert_eq!(
            out,
            concat!(
                r#"<row r="7"><c r="A7" s="3"><v>5</v></c>"#,
                r#"<c r="B7" s="3" t="inlineStr"><is><t xml:space="preserve"> 前后空格 </t></is></c>"#,
                r#"<c r="C7" s="3"/><c r="L7" s="4"><v>44621</v></c><c r="M7" s="3"/>"#,
                r#"<c r="AB7" s="3" t="inlineStr"><is><t>x</t></is></c></row>"#,
            )
        );
    }

    #[test]
    fn text_up_to_excels_limit() {
        let sheet = sheet(1);
        let mut out = String::new();
        let mut row = RowXml::open(&mut out, &sheet, 3);
        assert_eq!(row.text(0, &"字".repeat(MAX_TEXT)), Ok(()));
        assert_eq!(row.text(0, &"字".repeat(MAX_TEXT + 1)), Err(TooLong));
        // An emoji is two UTF-16 units, as Excel counts.
        assert_eq!(row.text(0, &"🏭".repeat(MAX_TEXT / 2 + 1)), Err(TooLong));
    }

    #[test]
    fn split_cuts_the_probe_out() {
        let xml = concat!(
            r#"<worksheet><dimension ref="A1:V3"/><sheetData>"#,
            r#"<row r="1" spans="1:22"><c r="A1" s="1"/></row>"#,
            r#"<row r="3" spans="1:22"><c r="A3" s="5"><v>1</v></c><c r="L3" s="6"><v>44562</v></c></row>"#,
            r#"</sheetData><autoFilter ref="A2:V9"/></worksheet>"#
        );
        let frame = split(xml, "V", 7).unwrap();
        assert_eq!(
            frame,
            Frame {
                head: concat!(
                    r#"<worksheet><dimension ref="A1:V9"/><sheetData>"#,
                    r#"<row r="1" spans="1:22"><c r="A1" s="1"/></row>"#
                )
                .to_string(),
                tail: r#"</sheetData><autoFilter ref="A2:V9"/></worksheet>"#.to_string(),
                styles: Styles { cell: 5, date: 6 },
            }
        );
        assert!(split("<worksheet/>", "V", 7).is_err());
    }
}
