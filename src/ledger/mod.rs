//! Ledgers (台账): a street's own spreadsheet of sites, read into plain tables of cells, its header
//! recognised and each row turned into a case file's YAML text. No case rules here: the text goes
//! through the same validation as every case file.

pub mod columns;
pub mod merge;
mod read;
pub mod rows;
mod sheet;

pub use read::{ReadError, csv_table, read, workbook_from};
pub use sheet::cell_name;

use crate::model::Date;

/// One cell as the ledger holds it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    /// A real spreadsheet date.
    Date(Date),
    Number(f64),
}

impl Cell {
    /// The cell as text, trimmed; whole numbers without `.0`; dates as `YYYY-MM-DD`.
    pub fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(t) => t.trim().to_string(),
            Cell::Date(d) => d.to_string(),
            Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
            Cell::Number(n) => n.to_string(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.text().is_empty()
    }
}

/// One row of a ledger with its 1-based row number, as a spreadsheet program shows it.
#[derive(Debug, Clone)]
pub struct Row {
    pub line: u32,
    /// `cells[0]` is column 1 (A).
    pub cells: Vec<Cell>,
}

impl Row {
    pub fn cell(&self, col: usize) -> &Cell {
        self.cells.get(col).unwrap_or(&Cell::Empty)
    }
}

/// A sheet of a workbook, or a whole CSV file.
#[derive(Debug, Clone)]
pub struct Table {
    /// How diagnostics name it: the file, with `#sheet` for a workbook.
    pub name: String,
    /// The sheet's name, for a workbook.
    pub sheet: Option<String>,
    pub rows: Vec<Row>,
    /// The formula cells, whatever their cached value.
    pub formulas: Vec<Formula>,
}

/// A formula cell of a workbook: its 1-based row, its 0-based column and the formula (shortened).
#[derive(Debug, Clone)]
pub struct Formula {
    pub line: u32,
    pub col: usize,
    pub text: String,
}
