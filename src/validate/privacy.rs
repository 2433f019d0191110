//! Public text that should not be published as it stands: what looks like private data (mobile and
//! landline numbers, ID-card numbers, exact house numbers) and placeholders left from `rectify new`
//! or `rectify init` (待填写, TODO). Warnings only: the editor decides.

use super::fields::Ctx;
use crate::diag::{Kind, Span};
use crate::yaml::{Node, Value};

/// What a piece of public text looks like.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Private {
    Mobile,
    IdCard,
    Landline,
    HouseNumber,
    /// Not private: text a template left for a person to replace.
    Placeholder,
}

impl Private {
    pub fn key(self) -> &'static str {
        match self {
            Private::Mobile => "mobile",
            Private::IdCard => "id-card",
            Private::Landline => "landline",
            Private::HouseNumber => "house-number",
            Private::Placeholder => "placeholder",
        }
    }
}

/// A match: byte range in the scanned text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hit {
    pub start: usize,
    pub end: usize,
    pub what: Private,
}

/// Words a house number follows (路12号, 大院5栋, 花园3座); `街道` is a street office, not a road.
const ROADS: &[&str] = &[
    "路", "街", "巷", "里", "大道", "院", "坊", "村", "苑", "园", "弄", "厦", "场", "楼", "区",
];
/// What follows the digits of a house number, longest first.
const UNITS: &[&str] = &["号楼", "号", "栋", "幢", "座", "室"];

fn digit(c: char) -> Option<char> {
    match c {
        '0'..='9' => Some(c),
        '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32),
        _ => None,
    }
}

/// Maximal runs of (ASCII or full-width) digits: char index range and the digits as ASCII.
fn runs(chars: &[(usize, char)]) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let start = i;
        let mut digits = String::new();
        while let Some(d) = chars.get(i).and_then(|(_, c)| digit(*c)) {
            digits.push(d);
            i += 1;
        }
        if digits.is_empty() {
            i += 1;
        } else {
            out.push((start, i, digits));
        }
    }
    out
}

/// Words the templates of `rectify new` and `rectify init` leave for a person to replace.
const PLACEHOLDERS: &[&str] = &["待填写", "TODO"];

/// Every place in `text` that looks like private data or a placeholder, in order.
pub fn find(text: &str) -> Vec<Hit> {
    let mut out = private_data(text);
    for word in PLACEHOLDERS {
        out.extend(text.match_indices(word).map(|(start, w)| Hit {
            start,
            end: start + w.len(),
            what: Private::Placeholder,
        }));
    }
    out.sort_by_key(|h| h.start);
    out
}

/// The diagnostic for a hit.
fn kind_of(hit: &Hit) -> Kind {
    match hit.what {
        Private::Placeholder => Kind::Placeholder,
        what => Kind::PrivateData { what: what.key() },
    }
}

fn private_data(text: &str) -> Vec<Hit> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let byte = |i: usize| chars.get(i).map_or(text.len(), |(b, _)| *b);
    let at = |i: usize| chars.get(i).map(|(_, c)| *c);
    let runs = runs(&chars);
    let mut out = Vec::new();
    let mut skip_next = false;
    for (k, (s, e, digits)) in runs.iter().enumerate() {
        if std::mem::take(&mut skip_next) {
            continue;
        }
        let hit = |end: usize, what| Hit {
            start: byte(*s),
            end: byte(end),
            what,
        };
        let n = digits.len();
        let b = digits.as_bytes();
        if n == 11 && b[0] == b'1' && (b'3'..=b'9').contains(&b[1]) {
            out.push(hit(*e, Private::Mobile));
        } else if n == 18 || (n == 17 && matches!(at(*e), Some('X' | 'x' | 'Ｘ'))) {
            out.push(hit(if n == 18 { *e } else { e + 1 }, Private::IdCard));
        } else if let Some(end) = landline(&runs, k, &chars) {
            out.push(hit(end, Private::Landline));
            skip_next = true;
        } else if let Some(end) = house_number(text, &chars, *s, *e) {
            out.push(hit(end, Private::HouseNumber));
        }
    }
    out
}

/// `020-12345678`, `(020)12345678`: an area code of 3–4 digits starting with 0, then 7–8 digits.
fn landline(runs: &[(usize, usize, String)], k: usize, chars: &[(usize, char)]) -> Option<usize> {
    let (s, e, area) = &runs[k];
    let (ns, ne, local) = runs.get(k + 1)?;
    let area_ok = (3..=4).contains(&area.len()) && area.starts_with('0');
    let between: String = chars[*e..*ns].iter().map(|(_, c)| c).collect();
    let opened = s.checked_sub(1).map(|i| chars[i].1);
    let joined = match between.as_str() {
        "-" | "－" | "—" => true,
        ")" | "）" | ") " => matches!(opened, Some('(' | '（')),
        _ => false,
    };
    (area_ok && joined && (7..=8).contains(&local.len())).then_some(*ne)
}

/// Digits after a road-ish word and before 号/栋/室…, with a trailing `之一`; the char index past it.
fn house_number(text: &str, chars: &[(usize, char)], s: usize, e: usize) -> Option<usize> {
    if e - s > 5 {
        return None;
    }
    let before = &text[..chars[s].0];
    let road = ROADS.iter().any(|r| before.ends_with(r)) && !before.ends_with("街道");
    let after = &text[chars.get(e).map_or(text.len(), |(b, _)| *b)..];
    let unit = UNITS.iter().find(|u| after.starts_with(*u))?;
    let mut end = e + unit.chars().count();
    let rest: Vec<char> = after.chars().skip(unit.chars().count()).take(2).collect();
    if rest.first() == Some(&'之')
        && rest
            .get(1)
            .is_some_and(|c| "一二三四五六七八九十".contains(*c))
    {
        end += 2;
    }
    road.then_some(end)
}

/// The (line, column) of a byte offset, both 1-based, columns in characters.
pub(crate) fn position(text: &str, byte: usize) -> (u32, u32) {
    let before = &text[..byte];
    let line = before.matches('\n').count() as u32 + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() as u32 + 1)
}

/// The byte offset of a 1-based line and column.
fn offset(text: &str, line: u32, column: u32) -> usize {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1) as usize)
        .map(str::len)
        .sum();
    let rest = text.get(start..).unwrap_or("");
    start
        + rest
            .char_indices()
            .nth(column.saturating_sub(1) as usize)
            .map_or(rest.len(), |(b, _)| b)
}

/// The span of `len` bytes at `byte` in `text`.
pub(crate) fn span_at(text: &str, byte: usize, len: usize) -> Span {
    let (line, column) = position(text, byte);
    let chars = text.get(byte..byte + len).map_or(0, |s| s.chars().count());
    Span::new(line, column, chars as u32)
}

/// Warns at every match in a Markdown body, which is the tail of the file's `text`.
pub fn scan_body(cx: &mut Ctx, text: &str, body: &str) {
    let base = text.len() - body.len();
    for hit in find(body) {
        let span = span_at(text, base + hit.start, hit.end - hit.start);
        cx.err(span, kind_of(&hit));
    }
}

/// Warns at every match in the string values at `paths` (`name`, `log[].text`, `[].title`): each
/// match is looked for in the file's text from where its node starts, so block scalars are found
/// at their own line.
pub fn scan_yaml(cx: &mut Ctx, text: &str, node: &Node, paths: &[&str]) {
    for path in paths {
        let mut nodes = Vec::new();
        nodes_at(node, path, &mut nodes);
        for n in nodes {
            let Value::Str(value) = &n.value else {
                continue;
            };
            let mut from = offset(text, n.span.line, n.span.column);
            for hit in find(value) {
                let needle = &value[hit.start..hit.end];
                let span = match text.get(from..).and_then(|t| t.find(needle)) {
                    Some(i) => {
                        from += i + needle.len();
                        span_at(text, from - needle.len(), needle.len())
                    }
                    None => n.span,
                };
                cx.err(span, kind_of(&hit));
            }
        }
    }
}

/// The nodes at a dotted path where `key[]` (or a bare `[]`) means every item of a list.
fn nodes_at<'n>(node: &'n Node, path: &str, out: &mut Vec<&'n Node>) {
    let (head, rest) = path.split_once('.').unwrap_or((path, ""));
    let (key, each) = match head.strip_suffix("[]") {
        Some(k) => (k, true),
        None => (head, false),
    };
    let found = match (&node.value, key) {
        (_, "") => Some(node),
        (Value::Map(entries), k) => entries.iter().find(|(e, _)| e.name == k).map(|(_, v)| v),
        _ => None,
    };
    let Some(found) = found else {
        return;
    };
    let next: Vec<&Node> = match (&found.value, each) {
        (Value::Seq(items), true) => items.iter().collect(),
        (_, true) => Vec::new(),
        (_, false) => vec![found],
    };
    for n in next {
        if rest.is_empty() {
            out.push(n);
        } else {
            nodes_at(n, rest, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<(&str, Private)> {
        find(text)
            .into_iter()
            .map(|h| (&text[h.start..h.end], h.what))
            .collect()
    }

    #[test]
    fn private_looking_text() {
        use Private::*;
        let table: &[(&str, &[(&str, Private)])] = &[
            ("联系人电话13812345678。", &[("13812345678", Mobile)]),
            (
                "电话：１３８１２３４５６７８",
                &[("１３８１２３４５６７８", Mobile)],
            ),
            ("编号213812345678", &[]),
            ("12345678901", &[]),
            (
                "身份证44010619900101123X",
                &[("44010619900101123X", IdCard)],
            ),
            ("440106199001011234", &[("440106199001011234", IdCard)]),
            ("4401061990010112345", &[]),
            ("电话020-12345678", &[("020-12345678", Landline)]),
            ("（020）83456789", &[("020）83456789", Landline)]),
            ("0757-1234567转", &[("0757-1234567", Landline)]),
            ("2022-06-30", &[]),
            ("位于署前路12号", &[("12号", HouseNumber)]),
            ("东园街3号之一后座", &[("3号之一", HouseNumber)]),
            ("某大院5栋", &[("5栋", HouseNumber)]),
            ("某花园2号楼", &[("2号楼", HouseNumber)]),
            ("署前路一带", &[]),
            ("穗散乱污交〔2022〕76号", &[]),
            ("东山街道3号文件", &[]),
            ("拨打12345热线", &[]),
            ("限期2022-06-19前完成", &[]),
        ];
        for (text, want) in table {
            assert_eq!(&found(text), want, "{text}");
        }
    }

    #[test]
    fn positions_count_characters() {
        let text = "a: 一\nb: 署前路12号\n";
        let i = text.find("12").unwrap();
        assert_eq!(span_at(text, i, 5), Span::new(2, 7, 3));
        assert_eq!(offset(text, 2, 7), i);
    }
}
