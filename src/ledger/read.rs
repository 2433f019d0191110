//! Reading a ledger file: `.xlsx` (also `.xls`, `.ods`) with calamine, `.csv` as UTF-8.

use super::{Cell, Row, Table};
use crate::model::{Action, Date};
use anyhow::Context;
use calamine::{Data, Reader, open_workbook_auto};
use std::path::Path;

/// Why a ledger could not be read.
#[derive(Debug)]
pub enum ReadError {
    /// A CSV file that is not UTF-8 (most often GBK, as Excel saves "CSV" on Chinese Windows).
    NotUtf8,
    /// `--sheet` names no sheet of the workbook; the sheets it has.
    NoSheet {
        name: String,
        available: Vec<String>,
    },
    /// The file's extension is none of the supported ones.
    Extension,
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
        "xlsx" | "xlsm" | "xls" | "ods" => workbook(path, sheet),
        _ => Err(ReadError::Extension),
    }
}

fn csv(path: &Path) -> Result<Table, ReadError> {
    let bytes = std::fs::read(path)
        .with_context(|| format!("cannot read {}", path.display()))
        .map_err(ReadError::Io)?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let text = std::str::from_utf8(bytes).map_err(|_| ReadError::NotUtf8)?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record
            .with_context(|| format!("cannot read {}", path.display()))
            .map_err(ReadError::Io)?;
        let line = record.position().map_or(0, |p| p.line() as u32);
        let cells = record
            .iter()
            .map(|s| match s.trim() {
                "" => Cell::Empty,
                t => Cell::Text(t.to_string()),
            })
            .collect();
        rows.push(Row { line, cells });
    }
    Ok(Table {
        name: path.display().to_string(),
        sheet: None,
        rows,
    })
}

fn workbook(path: &Path, sheet: Option<&str>) -> Result<Vec<Table>, ReadError> {
    let io =
        |e: calamine::Error| ReadError::Io(anyhow::anyhow!("cannot read {}: {e}", path.display()));
    let mut book = open_workbook_auto(path).map_err(io)?;
    let names = book.sheet_names();
    let chosen: Vec<String> = match sheet {
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
    };
    let mut tables = Vec::new();
    for name in chosen {
        let range = book.worksheet_range(&name).map_err(io)?;
        let (top, left) = range.start().unwrap_or((0, 0));
        let rows = range
            .rows()
            .enumerate()
            .map(|(i, cells)| Row {
                line: top + i as u32 + 1,
                cells: std::iter::repeat_n(Cell::Empty, left as usize)
                    .chain(cells.iter().map(cell))
                    .collect(),
            })
            .collect();
        tables.push(Table {
            name: format!("{}#{name}", path.display()),
            sheet: Some(name),
            rows,
        });
    }
    Ok(tables)
}

fn cell(data: &Data) -> Cell {
    match data {
        Data::Empty | Data::Error(_) => Cell::Empty,
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => match s.trim() {
            "" => Cell::Empty,
            t => Cell::Text(t.to_string()),
        },
        Data::Int(n) => Cell::Number(*n as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::Bool(b) => Cell::Text(b.to_string()),
        Data::DateTime(dt) => serial_date(dt.as_f64()).map_or(Cell::Empty, Cell::Date),
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
