//! Ledger headers: the lists.xlsx column names, the variants streets commonly use, and `--map`.

use super::Row;
use crate::validate::fields::suggest;
use std::collections::BTreeMap;

/// What a ledger column feeds in a case.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Id,
    Street,
    Community,
    Grid,
    River,
    Name,
    Industry,
    Location,
    Criteria,
    Pollution,
    Source,
    SourceRef,
    Action,
    Found,
    Deadline,
    Rectified,
    Closed,
    RelapseFound,
    RelapseDeadline,
    RelapseRectified,
    /// A `private:` key: never published.
    Private(&'static str),
    /// Derived or bookkeeping columns (序号, 当前状态, 是否逾期): read past.
    Ignored,
}

/// The column names a ledger may use as they are, lists.xlsx's first.
pub const NAMES: &[(&str, Field)] = &[
    ("编号", Field::Id),
    ("街道", Field::Street),
    ("社区", Field::Community),
    ("场所名称", Field::Name),
    ("行业", Field::Industry),
    ("位置", Field::Location),
    ("认定情形", Field::Criteria),
    ("污染类型", Field::Pollution),
    ("发现来源", Field::Source),
    ("整治类型", Field::Action),
    ("发现时间", Field::Found),
    ("整治期限", Field::Deadline),
    ("完成时间", Field::Rectified),
    ("销号时间", Field::Closed),
    ("复发时间", Field::RelapseFound),
    ("复发整治期限", Field::RelapseDeadline),
    ("复发整治完成时间", Field::RelapseRectified),
    ("序号", Field::Ignored),
    ("当前状态", Field::Ignored),
    ("是否逾期", Field::Ignored),
    ("整治后照片", Field::Ignored),
    ("网格", Field::Grid),
    ("河涌", Field::River),
    ("交办编号", Field::SourceRef),
    ("地址", Field::Private("address")),
    ("经营者", Field::Private("operator")),
    ("联系电话", Field::Private("phone")),
];

/// Common variants, each standing for one of [`NAMES`].
pub const VARIANTS: &[(&str, &str)] = &[
    ("所属街道", "街道"),
    ("属地街道", "街道"),
    ("镇街", "街道"),
    ("所属社区", "社区"),
    ("名称", "场所名称"),
    ("场所", "场所名称"),
    ("所属行业", "行业"),
    ("线索来源", "发现来源"),
    ("问题来源", "发现来源"),
    ("来源", "发现来源"),
    ("整治方式", "整治类型"),
    ("处置方式", "整治类型"),
    ("发现日期", "发现时间"),
    ("排查时间", "发现时间"),
    ("认定时间", "发现时间"),
    ("整改时限", "整治期限"),
    ("整治时限", "整治期限"),
    ("整治完成时间", "完成时间"),
    ("完成整治时间", "完成时间"),
    ("销号日期", "销号时间"),
    ("复发日期", "复发时间"),
    ("复发发现时间", "复发时间"),
    ("具体地址", "地址"),
    ("详细地址", "地址"),
    ("负责人", "经营者"),
    ("电话", "联系电话"),
    ("address", "地址"),
    ("operator", "经营者"),
    ("phone", "联系电话"),
];

/// A recognised header row.
#[derive(Debug, Clone)]
pub struct Header {
    /// Index of the header row in the table's rows.
    pub index: usize,
    /// (0-based column, what it feeds, the header as written).
    pub columns: Vec<(usize, Field, String)>,
    /// (0-based column, header as written, a known name it may be a typo of).
    pub unknown: Vec<(usize, String, Option<String>)>,
}

impl Header {
    pub fn column(&self, field: Field) -> Option<&(usize, Field, String)> {
        self.columns.iter().find(|(_, f, _)| *f == field)
    }
}

/// `--map`: ledger header → a known column name; an unknown target is refused with the names.
pub fn check_map(map: &BTreeMap<String, String>) -> Result<(), String> {
    for (from, to) in map {
        if field_of(to).is_none() {
            let names: Vec<&str> = NAMES.iter().map(|(n, _)| *n).collect();
            return Err(format!(
                "--map: `{from}: {to}` 的 `{to}` 不是已知的列名 / is not a known column name; 可用 / known: {}",
                names.join("、")
            ));
        }
    }
    Ok(())
}

/// What a header feeds: through `--map` first, then the known names and variants.
pub fn lookup(header: &str, map: &BTreeMap<String, String>) -> Option<Field> {
    let h = normalise(header);
    let mapped = map.iter().find(|(k, _)| normalise(k) == h).map(|(_, v)| v);
    field_of(mapped.map_or(h.as_str(), |v| v.as_str()))
}

fn field_of(name: &str) -> Option<Field> {
    let name = normalise(name);
    let canonical = VARIANTS
        .iter()
        .find(|(v, _)| *v == name)
        .map_or(name.as_str(), |(_, c)| c);
    NAMES.iter().find(|(n, _)| *n == canonical).map(|(_, f)| *f)
}

/// Drops spaces and line breaks, a trailing `*` (required marker) and a bracketed note such as
/// `发现时间（年月日）`.
fn normalise(header: &str) -> String {
    let cut = header.find(['(', '（']).unwrap_or(header.len());
    header[..cut]
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '*' && *c != '＊')
        .collect()
}

/// The header: the first of the first 20 rows with at least three known column names.
pub fn find(rows: &[Row], map: &BTreeMap<String, String>) -> Option<Header> {
    let (index, row) = rows.iter().enumerate().take(20).find(|(_, r)| {
        r.cells
            .iter()
            .filter(|c| lookup(&c.text(), map).is_some())
            .count()
            >= 3
    })?;
    let mut header = Header {
        index,
        columns: vec![],
        unknown: vec![],
    };
    for (col, cell) in row.cells.iter().enumerate() {
        let text = cell.text();
        if text.is_empty() {
            continue;
        }
        match lookup(&text, map) {
            Some(f) if f != Field::Ignored && header.column(f).is_none() => {
                header.columns.push((col, f, text))
            }
            Some(_) => {}
            None => {
                let names = NAMES
                    .iter()
                    .map(|(n, _)| *n)
                    .chain(VARIANTS.iter().map(|(v, _)| *v));
                let hint = suggest(&normalise(&text), names);
                header.unknown.push((col, text, hint));
            }
        }
    }
    Some(header)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_and_variants() {
        let map: BTreeMap<String, String> = [("片区".to_string(), "街道".to_string())]
            .into_iter()
            .collect();
        let table = [
            ("街道", Some(Field::Street)),
            ("所属街道", Some(Field::Street)),
            ("片区", Some(Field::Street)),
            (" 发现日期\n", Some(Field::Found)),
            ("整改时限（年月日）", Some(Field::Deadline)),
            ("具体地址", Some(Field::Private("address"))),
            ("序号", Some(Field::Ignored)),
            ("备注", None),
        ];
        for (h, want) in table {
            assert_eq!(lookup(h, &map), want, "{h}");
        }
        assert!(check_map(&map).is_ok());
        let bad: BTreeMap<String, String> = [("片区".to_string(), "街区".to_string())]
            .into_iter()
            .collect();
        assert!(check_map(&bad).is_err());
    }
}
