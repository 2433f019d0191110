//! Readers of a built site's files, for the consistency checks: HTML tables and texts (scraper),
//! lists.xlsx (calamine), cases.csv, cases.json and case-list.js. Nothing here knows how rectify
//! computed a figure; it only reads what was written.

use calamine::{Data, Reader, Xlsx, open_workbook};
use scraper::{ElementRef, Html, Selector};
use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};

/// A built output folder.
pub struct Built {
    pub root: PathBuf,
}

impl Built {
    pub fn html(&self, rel: &str) -> Html {
        let text = fs::read_to_string(self.root.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
        Html::parse_document(&text)
    }

    pub fn json(&self, rel: &str) -> Value {
        let text = fs::read_to_string(self.root.join(rel)).unwrap();
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    /// `window.NAME = …;` of a data script.
    pub fn script_value(&self, rel: &str, name: &str) -> Value {
        let text = fs::read_to_string(self.root.join(rel)).unwrap();
        let start = text.find(&format!("window.{name} = ")).unwrap() + name.len() + 10;
        let end = start + text[start..].find(";\n").unwrap();
        serde_json::from_str(&text[start..end]).unwrap()
    }

    /// cases.csv as header → value maps, BOM stripped.
    pub fn csv(&self, rel: &str) -> Vec<Vec<(String, String)>> {
        let text = fs::read_to_string(self.root.join(rel)).unwrap();
        let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
        let head: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
        reader
            .records()
            .map(|r| {
                let r = r.unwrap();
                head.iter()
                    .cloned()
                    .zip(r.iter().map(String::from))
                    .collect()
            })
            .collect()
    }

    /// Every sheet of an xlsx file as rows of cell texts (numbers as written, dates as serials).
    pub fn xlsx(&self, rel: &str) -> Vec<(String, Vec<Vec<Data>>)> {
        read_xlsx(&self.root.join(rel))
    }

    /// Every `.html` file under a folder, relative to the root.
    pub fn pages_under(&self, folder: &str) -> Vec<String> {
        let mut out: Vec<String> = fs::read_dir(self.root.join(folder))
            .map(|d| {
                d.map(|e| format!("{folder}/{}", e.unwrap().file_name().to_string_lossy()))
                    .filter(|p| p.ends_with(".html") && !p.ends_with("/index.html"))
                    .collect()
            })
            .unwrap_or_default();
        out.sort();
        out
    }
}

pub fn read_xlsx(path: &Path) -> Vec<(String, Vec<Vec<Data>>)> {
    let mut book: Xlsx<_> = open_workbook(path).unwrap();
    let names = book.sheet_names().to_vec();
    names
        .into_iter()
        .map(|n| {
            let range = book.worksheet_range(&n).unwrap();
            let (r0, c0) = range.start().unwrap_or((0, 0));
            let mut rows = vec![Vec::new(); r0 as usize];
            for row in range.rows() {
                let mut cells = vec![Data::Empty; c0 as usize];
                cells.extend(row.iter().cloned());
                rows.push(cells);
            }
            (n, rows)
        })
        .collect()
}

pub fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

pub fn text(e: ElementRef) -> String {
    e.text().collect::<String>().trim().to_string()
}

/// The texts of every element matching `s` in `doc`.
pub fn texts(doc: &Html, s: &str) -> Vec<String> {
    doc.select(&sel(s)).map(text).collect()
}

/// The body rows of the first table matching `s` (th and td cells alike).
pub fn table(doc: &Html, s: &str) -> Vec<Vec<String>> {
    let Some(t) = doc.select(&sel(s)).next() else {
        return Vec::new();
    };
    t.select(&sel("tbody tr"))
        .map(|tr| tr.select(&sel("th, td")).map(text).collect())
        .collect()
}

/// The number written right after `marker` in `s` (共196个 → 196), if any.
pub fn after(s: &str, marker: &str) -> Option<u64> {
    let rest = &s[s.find(marker)? + marker.len()..];
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// A list's count line, read back: (rows shown, cases not published).
pub fn count_line(s: &str) -> Option<(u64, u64)> {
    Some((after(s, "共")?, after(s, "另有").unwrap_or(0)))
}

/// A cell as text: strings as they are, numbers without a trailing `.0`.
pub fn cell(d: &Data) -> String {
    match d {
        Data::Float(f) if f.fract() == 0.0 => format!("{}", *f as i64),
        Data::Int(i) => i.to_string(),
        other => other.to_string(),
    }
}

/// The rate as a reader sees it, rounded half away from zero in integer arithmetic: 13/16 → 81.3%.
pub fn shown_rate(done: u64, found: u64) -> String {
    if found == 0 {
        return "—".into();
    }
    let tenths = (2000 * done + found) / (2 * found);
    format!("{}.{}%", tenths / 10, tenths % 10)
}

/// "81.3%" → 813 tenths.
pub fn tenths(s: &str) -> Option<i64> {
    let (whole, frac) = s.trim_end_matches('%').split_once('.')?;
    Some(whole.parse::<i64>().ok()? * 10 + frac.parse::<i64>().ok()?)
}
