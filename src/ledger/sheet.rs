//! A table's cells collected within bounds: the rows and columns a value may sit in, a cell's
//! length, the cells and text kept; every problem told at its cell.

use super::read::ReadError;
use super::{Cell, Formula, Row, Table};
use crate::diag::{Diagnostic, Kind, Span};
use std::collections::BTreeMap;

/// The text kept for one table (one shared string may fill many cells).
pub const MAX_TEXT_MB: u64 = 64;
/// Rows and columns a value may sit in.
pub const MAX_ROWS: u32 = 200_000;
pub const MAX_COLS: u32 = 200;
/// Excel's own limit for one cell.
pub const MAX_CELL_CHARS: usize = 32_767;
/// Cells kept for one table, the empty ones before a value in its row included.
pub const MAX_CELLS: usize = 2_000_000;
/// Formula cells noted per column (each is an error in an imported column).
const MAX_FORMULAS_PER_COLUMN: usize = 10;
/// Located problems reported before reading stops.
const MAX_PROBLEMS: usize = 50;

/// Rows being collected from a table's cells, within the limits.
pub(super) struct Sheet {
    name: String,
    rows: BTreeMap<u32, Vec<Cell>>,
    pub(super) formulas: Vec<Formula>,
    /// Formulas noted per column.
    formulas_in: Vec<usize>,
    cells: usize,
    text_bytes: u64,
    text_limit_mb: u64,
    pub(super) problems: Vec<Diagnostic>,
}

impl Sheet {
    pub(super) fn new(name: &str) -> Sheet {
        Sheet {
            name: name.to_string(),
            rows: BTreeMap::new(),
            formulas: vec![],
            formulas_in: vec![0; MAX_COLS as usize],
            cells: 0,
            text_bytes: 0,
            text_limit_mb: MAX_TEXT_MB,
            problems: vec![],
        }
    }

    pub(super) fn problem(&mut self, line: u32, col: u32, kind: Kind) {
        if self.problems.len() < MAX_PROBLEMS {
            let span = Span::new(line, col, 1);
            self.problems.push(Diagnostic::new(&self.name, span, kind));
        }
    }

    /// Notes a formula cell; the first few of each column are enough to tell.
    pub(super) fn formula(&mut self, row: u32, col: u32, text: &str) {
        let col = col as usize;
        let Some(seen) = self.formulas_in.get_mut(col) else {
            return;
        };
        if *seen < MAX_FORMULAS_PER_COLUMN {
            *seen += 1;
            self.formulas.push(Formula {
                line: row.saturating_add(1),
                col,
                text: text.chars().take(80).collect(),
            });
        }
    }

    pub(super) fn full(&self) -> bool {
        self.problems.len() >= MAX_PROBLEMS
            || self.cells > MAX_CELLS
            || self.text_bytes > self.text_limit_mb << 20
    }

    /// Keeps a cell at 0-based (row, col); `false` once reading should stop.
    pub(super) fn put(&mut self, row: u32, col: u32, cell: Cell) -> bool {
        if cell == Cell::Empty {
            return !self.full();
        }
        if row >= MAX_ROWS || col >= MAX_COLS {
            let kind = Kind::LedgerOutOfRange {
                cell: cell_name(row, col),
                max_rows: MAX_ROWS,
                max_cols: MAX_COLS,
            };
            self.problem(row.saturating_add(1), col.saturating_add(1), kind);
            return !self.full();
        }
        if let Cell::Text(t) = &cell {
            let chars = t.chars().count();
            if chars > MAX_CELL_CHARS {
                let kind = Kind::LedgerCellTooLong {
                    cell: cell_name(row, col),
                    chars,
                    limit: MAX_CELL_CHARS,
                };
                self.problem(row + 1, col + 1, kind);
                return !self.full();
            }
            self.text_bytes += t.len() as u64;
            if self.text_bytes > self.text_limit_mb << 20 {
                let kind = Kind::LedgerTooBig {
                    part: self.name.clone(),
                    limit_mb: self.text_limit_mb,
                };
                self.problem(row + 1, col + 1, kind);
            }
        }
        let cells = self.rows.entry(row).or_default();
        let col = col as usize;
        if cells.len() <= col {
            self.cells += col + 1 - cells.len();
            cells.resize(col + 1, Cell::Empty);
        }
        cells[col] = cell;
        if self.cells > MAX_CELLS {
            let kind = Kind::LedgerTooManyCells { limit: MAX_CELLS };
            self.problem(row + 1, col as u32 + 1, kind);
        }
        !self.full()
    }

    pub(super) fn finish(self, sheet: Option<String>) -> Result<Table, ReadError> {
        if !self.problems.is_empty() {
            return Err(ReadError::Content(self.problems));
        }
        let rows = self
            .rows
            .into_iter()
            .map(|(row, cells)| Row {
                line: row + 1,
                cells,
            })
            .collect();
        Ok(Table {
            name: self.name,
            sheet,
            rows,
            formulas: self.formulas,
        })
    }
}

/// `A1`-style name of a 0-based cell.
pub fn cell_name(row: u32, col: u32) -> String {
    let mut letters = vec![];
    let mut n = u64::from(col) + 1;
    while n > 0 {
        letters.push(b'A' + ((n - 1) % 26) as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    format!(
        "{}{}",
        String::from_utf8_lossy(&letters),
        u64::from(row) + 1
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_names() {
        let table = [
            ((0, 0), "A1"),
            ((4, 2), "C5"),
            ((0, 25), "Z1"),
            ((0, 26), "AA1"),
            ((1_048_575, 16_383), "XFD1048576"),
        ];
        for ((r, c), want) in table {
            assert_eq!(cell_name(r, c), want);
        }
    }

    #[test]
    fn one_long_text_repeated_stops_at_the_text_budget() {
        let mut sheet = Sheet::new("t.xlsx#s");
        sheet.text_limit_mb = 1;
        let long = "长".repeat(MAX_CELL_CHARS);
        let mut kept = 0;
        while sheet.put(kept, 0, Cell::Text(long.clone())) {
            kept += 1;
        }
        assert_eq!(kept, 10, "1 MB holds ten cells of 96 kB");
        let Err(ReadError::Content(d)) = sheet.finish(None) else {
            panic!("over the budget is an error");
        };
        assert!(matches!(d[0].kind, Kind::LedgerTooBig { limit_mb: 1, .. }));
        assert_eq!(d[0].span.line, 11);
    }

    #[test]
    fn formulas_are_noted_a_few_per_column() {
        let mut sheet = Sheet::new("t.xlsx#s");
        for row in 0..1000 {
            sheet.formula(row, 3, "ROW()");
            sheet.formula(row, MAX_COLS, "ROW()");
        }
        assert_eq!(sheet.formulas.len(), MAX_FORMULAS_PER_COLUMN);
        assert!(sheet.formulas.iter().all(|f| f.col == 3));
    }
}
