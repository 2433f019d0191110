//! A ledger row as a case file's YAML text, each line remembering the column it came from, so the
//! validator's diagnostics can be told back in the ledger's rows and columns.

use super::columns::{Field, Header};
use super::read::serial_date;
use super::{Cell, Row};
use crate::cmd::new::quoted;
use crate::model::{Criterion, Organisation, Pollution};
use crate::validate::field_lists::CASE;
use crate::validate::fields::{parse_date, suggest_date};

/// A case drafted from one row, before it has an id.
#[derive(Debug, Clone)]
pub struct Draft {
    /// The ledger's row number.
    pub line: u32,
    /// 编号 as written, when it is.
    pub id: Option<String>,
    /// The street's id, when the row names a known street.
    pub street: Option<String>,
    /// YAML lines after `id:`, each with the 0-based ledger column it came from.
    pub lines: Vec<(String, Option<usize>)>,
}

impl Draft {
    /// The case file's text with `id`, and the ledger column of each of its lines.
    pub fn yaml(&self, id: &str, id_col: Option<usize>) -> (String, Vec<Option<usize>>) {
        let mut text = format!("id: {}\n", quoted(id));
        let mut cols = vec![id_col];
        for (line, col) in &self.lines {
            text.push_str(line);
            text.push('\n');
            cols.push(*col);
        }
        (text, cols)
    }
}

/// Subtotal and total rows (小计 / 合计 / 总计), which carry no case.
pub fn is_total(row: &Row) -> bool {
    row.cells.iter().any(|c| {
        let t = c.text();
        t.contains("小计") || t.starts_with("合计") || t.starts_with("总计")
    })
}

/// The draft of one data row; `None` for empty and total rows. `action` is the sheet's, for a
/// workbook whose sheets are the 三个一批 lists.
pub fn draft(
    row: &Row,
    header: &Header,
    org: &Organisation,
    action: Option<&str>,
) -> Option<Draft> {
    if row.cells.iter().all(Cell::is_empty) || is_total(row) {
        return None;
    }
    let mut d = Draft {
        line: row.line,
        id: None,
        street: None,
        lines: vec![],
    };
    let mut relapse: Vec<(String, usize)> = vec![];
    let mut private: Vec<(String, usize)> = vec![];
    for &(col, field, _) in &header.columns {
        let cell = row.cell(col);
        let text = cell.text();
        if text.is_empty() {
            continue;
        }
        let mut put =
            |key: &str, value: String| d.lines.push((format!("{key}: {value}"), Some(col)));
        match field {
            Field::Id => d.id = Some(text),
            Field::Street => {
                d.street = org.street_named(&text).map(|s| s.id.clone());
                put("street", d.street.clone().unwrap_or_else(|| quoted(&text)));
            }
            Field::Community => put("community", quoted(&text)),
            Field::Grid => put("grid", quoted(&text)),
            Field::River => put("river", quoted(&text)),
            Field::Name => put("name", quoted(&text)),
            Field::Industry => put("industry", quoted(&text)),
            Field::Location => put("location", quoted(&text)),
            Field::SourceRef => put("source_ref", quoted(&text)),
            Field::Source => put("source", quoted(&text)),
            Field::Action => put("action", quoted(&text)),
            Field::Criteria => put("criteria", list(&labels(&text, true))),
            Field::Pollution => put("pollution", list(&labels(&text, false))),
            Field::Found => put("found", date(cell)),
            Field::Deadline => put("deadline", date(cell)),
            Field::Rectified => put("rectified", date(cell)),
            Field::Closed => put("closed", date(cell)),
            Field::RelapseFound => relapse.push((format!("found: {}", date(cell)), col)),
            Field::RelapseDeadline => relapse.push((format!("deadline: {}", date(cell)), col)),
            Field::RelapseRectified => relapse.push((format!("rectified: {}", date(cell)), col)),
            Field::Private(key) => private.push((format!("{key}: {}", quoted(&text)), col)),
            Field::Ignored => {}
        }
    }
    let no_action = header
        .column(Field::Action)
        .is_none_or(|(c, _, _)| row.cell(*c).is_empty());
    if let (true, Some(a)) = (no_action, action) {
        d.lines.push((format!("action: {}", quoted(a)), None));
    }
    // Fields in the contract's order, whatever the ledger's column order: people edit these files.
    let order = |l: &str| {
        let key = l.split(':').next().unwrap_or("");
        CASE.iter().position(|f| *f == key)
    };
    d.lines.sort_by_key(|(l, _)| order(l));
    nested(&mut d, "relapses", relapse);
    nested(&mut d, "private", private);
    Some(d)
}

/// A block of nested lines: `relapses:` with one list item, or `private:` with its keys.
fn nested(d: &mut Draft, key: &str, items: Vec<(String, usize)>) {
    let Some((_, col)) = items.first() else {
        return;
    };
    d.lines.push((format!("{key}:"), Some(*col)));
    for (i, (line, col)) in items.into_iter().enumerate() {
        let indent = match (key, i) {
            ("private", _) => "  ",
            (_, 0) => "  - ",
            _ => "    ",
        };
        d.lines.push((format!("{indent}{line}"), Some(col)));
    }
}

fn list(items: &[String]) -> String {
    let items: Vec<String> = items.iter().map(|s| quoted(s)).collect();
    format!("[{}]", items.join(", "))
}

/// `散、乱`, `散,乱`, `散乱污`, `scattered, polluting`, `涉水、涉气` as separate values.
pub fn labels(text: &str, criteria: bool) -> Vec<String> {
    let parts = text
        .split(|c: char| "、,，;；/|和及".contains(c) || c.is_whitespace())
        .filter(|p| !p.is_empty());
    let mut out = Vec::new();
    for p in parts {
        let known = if criteria {
            Criterion::parse(p).is_some()
        } else {
            Pollution::parse(p).is_some()
        };
        if criteria && !known && p.chars().all(|c| "散乱污".contains(c)) {
            out.extend(p.chars().map(String::from));
        } else {
            out.push(p.to_string());
        }
    }
    out
}

/// A date cell as YAML: a real date or a recognisable text as `YYYY-MM-DD`, anything else quoted
/// as written, for the validator to report.
pub fn date(cell: &Cell) -> String {
    match cell {
        Cell::Date(d) => d.to_string(),
        // A date typed into a cell formatted as a number: an Excel serial day in a plausible range.
        Cell::Number(n) if (20_000.0..80_000.0).contains(n) => {
            serial_date(*n).map_or_else(|| quoted(&cell.text()), |d| d.to_string())
        }
        _ => {
            let t = cell.text();
            let t = t.split([' ', 'T']).next().unwrap_or("");
            match parse_date(t) {
                Some(d) => d.to_string(),
                None => suggest_date(t).unwrap_or_else(|| quoted(&cell.text())),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_split_every_way_of_writing() {
        let table: [(&str, bool, &[&str]); 6] = [
            ("散、乱", true, &["散", "乱"]),
            ("散,乱", true, &["散", "乱"]),
            ("散乱污", true, &["散", "乱", "污"]),
            ("scattered, polluting", true, &["scattered", "polluting"]),
            ("涉水、涉气", false, &["涉水", "涉气"]),
            ("乱 污", true, &["乱", "污"]),
        ];
        for (text, criteria, want) in table {
            assert_eq!(labels(text, criteria), want, "{text}");
        }
    }

    #[test]
    fn dates_in_every_shape() {
        let d = crate::model::Date::from_ymd_opt(2022, 3, 5).unwrap();
        let table = [
            (Cell::Date(d), "2022-03-05"),
            (Cell::Text("2022-03-05".into()), "2022-03-05"),
            (Cell::Text("2022/3/5".into()), "2022-03-05"),
            (Cell::Text("2022年3月5日".into()), "2022-03-05"),
            (Cell::Text("2022.3.5".into()), "2022-03-05"),
            (Cell::Text("2022-03-05 00:00:00".into()), "2022-03-05"),
            (Cell::Number(44625.0), "2022-03-05"),
            (Cell::Text("2022-02-30".into()), "\"2022-02-30\""),
            (Cell::Text("三月".into()), "\"三月\""),
        ];
        for (cell, want) in table {
            assert_eq!(date(&cell), want, "{cell:?}");
        }
    }
}
