//! Reading a ledger file: `.xlsx` (`.xlsm`) cell by cell with calamine, `.csv` as UTF-8.
//!
//! A ledger comes from outside and may be hostile or broken, so reading is bounded before anything
//! is decoded: the file's size, the workbook's parts as its zip directory declares them (the zip
//! reader stops at the declared size, so a part cannot inflate past it), the rows and columns a value
//! may sit in, the length of a cell, and the number of cells kept. A sheet's claimed dimension is
//! never trusted: only cells that hold a value are kept. Every problem is a diagnostic naming the
//! file, the sheet and the cell.

use super::sheet::Sheet;
use super::{Cell, Table};
use crate::diag::{Diagnostic, Kind, Span};
use crate::model::{Action, Date};
use anyhow::Context;
use calamine::{DataRef, Reader, Xlsx};
use std::fs::File;
use std::io::{BufReader, Read, Seek};
use std::path::Path;

/// The largest ledger file read.
pub const MAX_FILE_MB: u64 = 64;
/// The largest a workbook's parts may be, unpacked: a worksheet (read as a stream), any other
/// part (shared strings, styles: read whole, at up to three times their size), all together.
pub const MAX_SHEET_MB: u64 = 200;
pub const MAX_PART_MB: u64 = 64;
pub const MAX_UNPACKED_MB: u64 = 256;
/// Fields a CSV record may have: more than Excel's 16,384 columns.
pub const MAX_CSV_FIELDS: usize = 20_000;

/// Why a ledger could not be read.
#[derive(Debug)]
pub enum ReadError {
    /// `--sheet` names no sheet of the workbook; the sheets it has.
    NoSheet {
        name: String,
        available: Vec<String>,
    },
    /// The file's extension is none of the supported ones.
    Extension,
    /// The file is broken, too large or has cells it cannot take, each told where.
    Content(Vec<Diagnostic>),
    Io(anyhow::Error),
}

/// Reads the tables of a ledger: a CSV file is one table; a workbook gives the sheet `sheet`, or
/// every sheet named after an action (rectify's own lists.xlsx), or its first sheet.
pub fn read(path: &Path, sheet: Option<&str>) -> Result<Vec<Table>, ReadError> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "csv" => csv(path).map(|t| vec![t]),
        "xlsx" | "xlsm" => workbook(path, sheet),
        _ => Err(ReadError::Extension),
    }
}

/// One problem at the start of the file `name`.
fn whole_file(name: &str, kind: Kind) -> ReadError {
    let d = Diagnostic::new(name, Span::file_start(), kind);
    ReadError::Content(vec![d])
}

fn open(path: &Path) -> Result<File, ReadError> {
    let file = File::open(path)
        .with_context(|| format!("cannot read {}", path.display()))
        .map_err(ReadError::Io)?;
    let len = file
        .metadata()
        .with_context(|| format!("cannot read {}", path.display()))
        .map_err(ReadError::Io)?
        .len();
    if len > MAX_FILE_MB << 20 {
        let part = path.display().to_string();
        let kind = Kind::LedgerTooBig {
            part,
            limit_mb: MAX_FILE_MB,
        };
        return Err(whole_file(&path.display().to_string(), kind));
    }
    Ok(file)
}

fn csv(path: &Path) -> Result<Table, ReadError> {
    let mut bytes = vec![];
    open(path)?
        .read_to_end(&mut bytes)
        .with_context(|| format!("cannot read {}", path.display()))
        .map_err(ReadError::Io)?;
    csv_table(&bytes, &path.display().to_string())
}

/// A CSV file's bytes as a table named `name`. Row numbers are the line each record starts on, as a
/// spreadsheet program shows it, whether lines end in LF or CRLF.
pub fn csv_table(bytes: &[u8], name: &str) -> Result<Table, ReadError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if std::str::from_utf8(bytes).is_err() {
        let span = Span::file_start();
        return Err(ReadError::Content(vec![Diagnostic::new(
            name,
            span,
            Kind::LedgerEncoding,
        )]));
    }
    if let Some(line) = too_wide(bytes) {
        let span = Span::new(line, 1, 0);
        let kind = Kind::LedgerTooWide {
            limit: MAX_CSV_FIELDS,
        };
        return Err(ReadError::Content(vec![Diagnostic::new(name, span, kind)]));
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut sheet = Sheet::new(name);
    let mut lines = LineCounter::default();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(1, |p| lines.at(bytes, p.byte()));
                let kind = Kind::LedgerCorrupt {
                    detail: e.to_string(),
                };
                sheet.problem(line, 1, kind);
                break;
            }
        };
        let line = record.position().map_or(1, |p| lines.at(bytes, p.byte()));
        for (col, s) in record.iter().enumerate() {
            let cell = match s.trim() {
                "" => Cell::Empty,
                t => Cell::Text(t.to_string()),
            };
            let col = u32::try_from(col).unwrap_or(u32::MAX);
            if !sheet.put(line.saturating_sub(1), col, cell) {
                break;
            }
        }
        if sheet.full() {
            break;
        }
    }
    sheet.finish(None)
}

/// The first line of a CSV file with a record of more than [`MAX_CSV_FIELDS`] fields: the csv
/// reader keeps every field's bounds, so 60 MB of commas would take gigabytes.
fn too_wide(bytes: &[u8]) -> Option<u32> {
    let (mut quoted, mut fields, mut line, mut start) = (false, 1usize, 1u32, 1u32);
    for (i, b) in bytes.iter().enumerate() {
        match b {
            b'"' => quoted = !quoted,
            b',' if !quoted => fields += 1,
            b'\n' | b'\r' => {
                let crlf = *b == b'\r' && bytes.get(i + 1) == Some(&b'\n');
                if !crlf {
                    line += 1;
                }
                if !quoted {
                    fields = 1;
                    start = line;
                }
            }
            _ => {}
        }
        if fields > MAX_CSV_FIELDS {
            return Some(start);
        }
    }
    None
}

/// 1-based line numbers of byte offsets, counting CRLF, LF and a lone CR each as one line break (the
/// csv reader's own line count is off for CRLF files and quoted line breaks). Offsets only grow.
#[derive(Default)]
struct LineCounter {
    offset: usize,
    line: u32,
}

impl LineCounter {
    /// The line a record starting at `offset` is on: the csv reader's offset is where it began
    /// reading, before the blank lines it skips.
    fn at(&mut self, bytes: &[u8], offset: u64) -> u32 {
        let mut end = usize::try_from(offset)
            .unwrap_or(usize::MAX)
            .min(bytes.len());
        while matches!(bytes.get(end), Some(b'\r' | b'\n')) {
            end += 1;
        }
        for i in self.offset..end.max(self.offset) {
            let lf = bytes[i] == b'\n';
            let lone_cr = bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n');
            if lf || lone_cr {
                self.line += 1;
            }
        }
        self.offset = end.max(self.offset);
        self.line + 1
    }
}

fn workbook(path: &Path, sheet: Option<&str>) -> Result<Vec<Table>, ReadError> {
    let file = BufReader::new(open(path)?);
    workbook_from(file, &path.display().to_string(), sheet)
}

/// The tables of a workbook read from `reader`; `file` is how diagnostics name it.
pub fn workbook_from<R: Read + Seek>(
    mut reader: R,
    file: &str,
    sheet: Option<&str>,
) -> Result<Vec<Table>, ReadError> {
    check_parts(file, &mut reader)?;
    reader
        .rewind()
        .with_context(|| format!("cannot read {file}"))
        .map_err(ReadError::Io)?;
    let corrupt = |e: calamine::XlsxError| {
        let detail = e.to_string();
        whole_file(file, Kind::LedgerCorrupt { detail })
    };
    let Some(book) = guarded(|| Xlsx::new(reader)) else {
        return Err(corrupt_panic(file));
    };
    let mut book: Xlsx<_> = book.map_err(corrupt)?;
    let chosen = choose(book.sheet_names(), sheet)?;
    let mut tables = Vec::new();
    let mut problems = Vec::new();
    for name in chosen {
        let table_name = format!("{file}#{name}");
        let Some(sheet) = guarded(|| read_sheet(&mut book, &name, &table_name)) else {
            problems.extend(match corrupt_panic(&table_name) {
                ReadError::Content(d) => d,
                _ => vec![],
            });
            continue;
        };
        match sheet.finish(Some(name)) {
            Ok(t) => tables.push(t),
            Err(ReadError::Content(d)) => problems.extend(d),
            Err(e) => return Err(e),
        }
    }
    if problems.is_empty() {
        Ok(tables)
    } else {
        Err(ReadError::Content(problems))
    }
}

/// One worksheet's cells, streamed into a bounded [`Sheet`].
fn read_sheet<R: Read + Seek>(book: &mut Xlsx<R>, name: &str, table_name: &str) -> Sheet {
    let mut sheet = Sheet::new(table_name);
    let mut cells = match book.worksheet_cells_reader(name) {
        Ok(c) => c,
        Err(e) => {
            sheet.problems.push(corrupt_in(table_name, e));
            return sheet;
        }
    };
    loop {
        match cells.next_cell_with_formula() {
            Ok(Some(c)) => {
                let (row, col) = c.pos;
                if let Some(f) = c.formula.filter(|f| !f.trim().is_empty()) {
                    sheet.formula(row, col, &f);
                }
                if !sheet.put(row, col, cell(&c.value)) {
                    break;
                }
            }
            Ok(None) => break,
            Err(e) => {
                sheet.problems.push(corrupt_in(table_name, e));
                break;
            }
        }
    }
    sheet
}

/// Runs the workbook reader, turning a panic inside it (calamine subtracts a sheet's claimed
/// dimension's corners unchecked: `A7:H3` panics in a debug build) into `None`, silently.
fn guarded<T>(f: impl FnOnce() -> T) -> Option<T> {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    std::panic::set_hook(hook);
    result.ok()
}

fn corrupt_panic(name: &str) -> ReadError {
    let detail = "the workbook reader failed on its contents".to_string();
    whole_file(name, Kind::LedgerCorrupt { detail })
}

fn corrupt_in(table: &str, e: calamine::XlsxError) -> Diagnostic {
    let kind = Kind::LedgerCorrupt {
        detail: e.to_string(),
    };
    Diagnostic::new(table, Span::file_start(), kind)
}

/// The sheets to read: `sheet`, else every sheet named after an action, else the first.
fn choose(names: Vec<String>, sheet: Option<&str>) -> Result<Vec<String>, ReadError> {
    Ok(match sheet {
        Some(s) if names.iter().any(|n| n == s) => vec![s.to_string()],
        Some(s) => {
            return Err(ReadError::NoSheet {
                name: s.to_string(),
                available: names,
            });
        }
        None => {
            let actions: Vec<String> = names
                .iter()
                .filter(|n| Action::parse(n.trim_end_matches("清单")).is_some())
                .cloned()
                .collect();
            if actions.is_empty() {
                names.into_iter().take(1).collect()
            } else {
                actions
            }
        }
    })
}

/// Refuses a workbook whose zip directory declares a part, or all parts together, larger than a
/// ledger can be, before any part is unpacked; the zip reader never unpacks past a declared size.
fn check_parts<R: Read + Seek>(file: &str, reader: &mut R) -> Result<(), ReadError> {
    let corrupt = |detail: String| whole_file(file, Kind::LedgerCorrupt { detail });
    let mut zip = zip::ZipArchive::new(reader).map_err(|e| corrupt(e.to_string()))?;
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let entry = zip.by_index_raw(i).map_err(|e| corrupt(e.to_string()))?;
        let name = entry.name().unwrap_or_default().to_string();
        let limit_mb = if name.starts_with("xl/worksheets/") {
            MAX_SHEET_MB
        } else {
            MAX_PART_MB
        };
        total = total.saturating_add(entry.size());
        let (part, limit_mb) = if entry.size() > limit_mb << 20 {
            (format!("{file}（{name}）"), limit_mb)
        } else if total > MAX_UNPACKED_MB << 20 {
            (file.to_string(), MAX_UNPACKED_MB)
        } else {
            continue;
        };
        return Err(whole_file(file, Kind::LedgerTooBig { part, limit_mb }));
    }
    Ok(())
}

fn cell(data: &DataRef) -> Cell {
    let text = |s: &str| match s.trim() {
        "" => Cell::Empty,
        t => Cell::Text(t.to_string()),
    };
    match data {
        DataRef::Empty | DataRef::Error(_) => Cell::Empty,
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => text(s),
        DataRef::SharedString(s) => text(s),
        DataRef::Int(n) => Cell::Number(*n as f64),
        DataRef::Float(f) => Cell::Number(*f),
        DataRef::Bool(b) => Cell::Text(b.to_string()),
        DataRef::DateTime(dt) => serial_date(dt.as_f64()).map_or(Cell::Empty, Cell::Date),
    }
}

/// An Excel serial day number as a date (the 1900 system; day 0 is 1899-12-30 because of
/// Excel's 1900 leap-year quirk, which only matters before March 1900).
pub fn serial_date(serial: f64) -> Option<Date> {
    if !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let base = Date::from_ymd_opt(1899, 12, 30)?;
    base.checked_add_days(chrono::Days::new(serial.floor() as u64))
}

#[cfg(test)]
mod tests {
    use super::super::sheet::{MAX_CELL_CHARS, MAX_COLS};
    use super::*;

    #[test]
    fn csv_rows_are_numbered_by_line_with_lf_or_crlf() {
        let lf = "a,b\n\"x\ny\",c\n\nd,e\n";
        for text in [
            lf.to_string(),
            lf.replace('\n', "\r\n"),
            lf.replace('\n', "\r"),
        ] {
            let t = csv_table(text.as_bytes(), "t.csv").unwrap();
            let lines: Vec<u32> = t.rows.iter().map(|r| r.line).collect();
            assert_eq!(lines, [1, 2, 5], "{text:?}");
        }
    }

    #[test]
    fn a_csv_row_of_too_many_fields_is_refused_before_parsing() {
        let ok = format!("a,b\r\n\"x\r\n{}\",c\r\n", ",".repeat(MAX_CSV_FIELDS + 10));
        assert!(
            csv_table(ok.as_bytes(), "t.csv").is_ok(),
            "commas inside quotes"
        );
        let wide = format!("a,b\r\n\"x\r\ny\",c\r\nd{}\r\n", ",".repeat(MAX_CSV_FIELDS));
        let Err(ReadError::Content(d)) = csv_table(wide.as_bytes(), "t.csv") else {
            panic!("too many fields is an error");
        };
        assert!(matches!(d[0].kind, Kind::LedgerTooWide { .. }));
        assert_eq!(d[0].span.line, 4);
    }

    #[test]
    fn csv_cells_beyond_limits_are_told_by_cell() {
        let long = "x".repeat(MAX_CELL_CHARS + 1);
        let text = format!("a,b\nc,{long}\n");
        let Err(ReadError::Content(d)) = csv_table(text.as_bytes(), "t.csv") else {
            panic!("a too long cell is an error");
        };
        assert_eq!((d[0].span.line, d[0].span.column), (2, 2));
        assert!(matches!(&d[0].kind, Kind::LedgerCellTooLong { cell, .. } if cell == "B2"));
        let wide = format!("a{}x\n", ",".repeat(MAX_COLS as usize));
        let Err(ReadError::Content(d)) = csv_table(wide.as_bytes(), "t.csv") else {
            panic!("a value beyond the last column is an error");
        };
        assert!(matches!(&d[0].kind, Kind::LedgerOutOfRange { .. }));
    }
}
