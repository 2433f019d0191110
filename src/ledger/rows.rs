//! A ledger row as a case file's YAML text, each line remembering the column it came from, so the
//! validator's diagnostics can be told back in the ledger's rows and columns.

use super::columns::{Field, Header};
use super::read::serial_date;
use super::{Cell, Row};
use crate::cmd::new::quoted;
use crate::model::{Criterion, Organisation, Pollution};
use crate::validate::field_lists::CASE;
use crate::validate::fields::{parse_date, suggest_date};

/// One value a ledger cell gives: the case file's key, the value as YAML, and the 0-based ledger
/// column it came from (`None` for the action a sheet's name gives).
#[derive(Debug, Clone, PartialEq)]
pub struct Value {
    pub key: &'static str,
    pub yaml: String,
    pub col: Option<usize>,
}

/// A case drafted from one row, before it has an id.
#[derive(Debug, Clone)]
pub struct Draft {
    /// The ledger's row number.
    pub line: u32,
    /// 编号 as written, when it is.
    pub id: Option<String>,
    /// The street's id, when the row names a known street.
    pub street: Option<String>,
    /// Top-level fields, in the contract's order.
    pub fields: Vec<Value>,
    /// The latest relapse's `found`, `deadline`, `rectified`.
    pub relapse: Vec<Value>,
    /// `private` keys.
    pub private: Vec<Value>,
}

impl Draft {
    /// The case file's text with `id`, and the ledger column of each of its lines.
    pub fn yaml(&self, id: &str, id_col: Option<usize>) -> (String, Vec<Option<usize>>) {
        let mut lines = vec![(format!("id: {}", quoted(id)), id_col)];
        lines.extend(self.fields.iter().map(|v| (v.line(""), v.col)));
        lines.extend(nested("relapses", &self.relapse));
        lines.extend(nested("private", &self.private));
        let text = lines.iter().map(|(l, _)| format!("{l}\n")).collect();
        (text, lines.into_iter().map(|(_, c)| c).collect())
    }
}

impl Value {
    /// `key: value`, after `indent`.
    pub fn line(&self, indent: &str) -> String {
        format!("{indent}{}: {}", self.key, self.yaml)
    }
}

/// A row that carries no case by its shape: it has no 场所名称, no 发现时间 and nothing shaped like
/// an id in 编号 (a blank row, or a subtotal or total row, whatever its label says: a site's name
/// may well contain 合计).
pub fn is_total(row: &Row, header: &Header) -> bool {
    let cell = |f: Field| header.column(f).map(|(c, _, _)| row.cell(*c).text());
    let id_shaped = cell(Field::Id)
        .is_some_and(|t| !t.is_empty() && t.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
    let empty = |f: Field| cell(f).is_none_or(|t| t.is_empty());
    !id_shaped && empty(Field::Name) && empty(Field::Found)
}

/// The draft of one data row; `None` for empty and total rows. `action` is the sheet's, for a
/// workbook whose sheets are the 三个一批 lists.
pub fn draft(
    row: &Row,
    header: &Header,
    org: &Organisation,
    action: Option<&str>,
) -> Option<Draft> {
    if is_total(row, header) {
        return None;
    }
    let mut d = Draft {
        line: row.line,
        id: None,
        street: None,
        fields: vec![],
        relapse: vec![],
        private: vec![],
    };
    for &(col, field, _) in &header.columns {
        let cell = row.cell(col);
        let text = cell.text();
        if text.is_empty() {
            continue;
        }
        let value = |key: &'static str, yaml: String| Value {
            key,
            yaml,
            col: Some(col),
        };
        let (list, v) = match field {
            Field::Id => {
                d.id = Some(text);
                continue;
            }
            Field::Street => {
                d.street = org.street_named(&text).map(|s| s.id.clone());
                let yaml = d.street.clone().unwrap_or_else(|| quoted(&text));
                (&mut d.fields, value("street", yaml))
            }
            Field::Community => (&mut d.fields, value("community", quoted(&text))),
            Field::Grid => (&mut d.fields, value("grid", quoted(&text))),
            Field::River => (&mut d.fields, value("river", quoted(&text))),
            Field::Name => (&mut d.fields, value("name", quoted(&text))),
            Field::Industry => (&mut d.fields, value("industry", quoted(&text))),
            Field::Location => (&mut d.fields, value("location", quoted(&text))),
            Field::SourceRef => (&mut d.fields, value("source_ref", quoted(&text))),
            Field::Source => (&mut d.fields, value("source", quoted(&text))),
            Field::Action => (&mut d.fields, value("action", quoted(&text))),
            Field::Criteria => (&mut d.fields, value("criteria", list(&labels(&text, true)))),
            Field::Pollution => (
                &mut d.fields,
                value("pollution", list(&labels(&text, false))),
            ),
            Field::Found => (&mut d.fields, value("found", date(cell))),
            Field::Deadline => (&mut d.fields, value("deadline", date(cell))),
            Field::Rectified => (&mut d.fields, value("rectified", date(cell))),
            Field::Closed => (&mut d.fields, value("closed", date(cell))),
            Field::RelapseFound => (&mut d.relapse, value("found", date(cell))),
            Field::RelapseDeadline => (&mut d.relapse, value("deadline", date(cell))),
            Field::RelapseRectified => (&mut d.relapse, value("rectified", date(cell))),
            Field::Private(key) => (&mut d.private, value(key, quoted(&text))),
            Field::Ignored => continue,
        };
        list.push(v);
    }
    if let (false, Some(a)) = (d.fields.iter().any(|v| v.key == "action"), action) {
        d.fields.push(Value {
            key: "action",
            yaml: quoted(a),
            col: None,
        });
    }
    // Fields in the contract's order, whatever the ledger's column order: people edit these files.
    d.fields
        .sort_by_key(|v| CASE.iter().position(|f| *f == v.key));
    d.relapse.sort_by_key(|v| {
        ["found", "deadline", "rectified"]
            .iter()
            .position(|k| *k == v.key)
    });
    Some(d)
}

/// A block of nested lines: `relapses:` with one list item, or `private:` with its keys.
fn nested(key: &str, items: &[Value]) -> Vec<(String, Option<usize>)> {
    let Some(first) = items.first() else {
        return vec![];
    };
    let mut lines = vec![(format!("{key}:"), first.col)];
    for (i, v) in items.iter().enumerate() {
        let indent = match (key, i) {
            ("private", _) => "  ",
            (_, 0) => "  - ",
            _ => "    ",
        };
        lines.push((v.line(indent), v.col));
    }
    lines
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
