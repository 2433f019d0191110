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

/// Chinese numerals, as house numbers are also written (十二号, 三十五号).
const CN_DIGITS: &str = "零〇一二三四五六七八九十百两";

/// What may split the groups of a phone number: spaces of every kind, hyphens, dots, and
/// zero-width characters (which a copy from a chat can carry).
const GAPS: &[char] = &[
    ' ', '-', '－', '.', '\u{a0}', '\u{3000}', '\u{2009}', '\u{202f}', '\u{200b}', '\u{200c}',
    '\u{200d}', '\u{2060}', '\u{feff}',
];

/// Whether `digits` (ASCII) is a mainland mobile number, alone or after the country code 86/0086.
fn is_mobile(digits: &str) -> bool {
    let d = match digits.len() {
        11 => digits,
        13 if digits.starts_with("86") => &digits[2..],
        15 if digits.starts_with("0086") => &digits[4..],
        _ => return false,
    };
    let b = d.as_bytes();
    b[0] == b'1' && (b'3'..=b'9').contains(&b[1])
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

/// What `site.yaml` publishes itself (the hotline, the office, the footer's address and numbers):
/// the same number or address in other public text is not private.
#[derive(Debug, Default)]
pub struct Published {
    /// The digits of each number found in those texts (a mobile without its country code).
    numbers: Vec<String>,
    /// Those texts, for house numbers: a hit inside one of them, word for word, is public.
    texts: Vec<String>,
}

impl Published {
    pub fn of(config: Option<&crate::model::Config>) -> Published {
        let Some(c) = config else {
            return Published::default();
        };
        let f = &c.footer;
        let texts: Vec<String> = [&c.hotline, &c.office, &f.organizer, &f.address]
            .into_iter()
            .chain([&f.site_code, &f.icp, &f.police])
            .flatten()
            .cloned()
            .collect();
        let numbers = texts
            .iter()
            .flat_map(|t| {
                private_data(t)
                    .into_iter()
                    .map(|h| number_of(&t[h.start..h.end]))
                    .collect::<Vec<_>>()
            })
            .chain(texts.iter().map(|t| number_of(t)))
            .filter(|n| n.len() >= 5)
            .collect();
        Published { numbers, texts }
    }

    /// Whether the hit at `hit` in `text` is something the site publishes itself.
    fn allows(&self, text: &str, hit: &Hit) -> bool {
        let found = &text[hit.start..hit.end];
        match hit.what {
            Private::Placeholder => false,
            Private::HouseNumber => self.texts.iter().any(|t| {
                // The road and the number, as the footer writes them.
                let start = text[..hit.start]
                    .char_indices()
                    .rev()
                    .nth(2)
                    .map_or(0, |(i, _)| i);
                t.contains(&text[start..hit.end])
            }),
            _ => self.numbers.contains(&number_of(found)),
        }
    }
}

/// The ASCII digits of a number, a mobile's country code dropped.
fn number_of(text: &str) -> String {
    let digits: String = text.chars().filter_map(digit).collect();
    if is_mobile(&digits) && digits.len() > 11 {
        digits[digits.len() - 11..].to_string()
    } else {
        digits
    }
}

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
    let mut next = 0;
    for (k, (s, e, digits)) in runs.iter().enumerate() {
        if k < next {
            continue;
        }
        next = k + 1;
        let hit = |end: usize, what| Hit {
            start: byte(*s),
            end: byte(end),
            what,
        };
        let n = digits.len();
        if let Some(last) = split_mobile(&runs, k, &chars) {
            out.push(hit(runs[last].1, Private::Mobile));
            next = last + 1;
        } else if n == 18 || (n == 17 && matches!(at(*e), Some('X' | 'x' | 'Ｘ'))) {
            out.push(hit(if n == 18 { *e } else { e + 1 }, Private::IdCard));
        } else if let Some(end) = landline(&runs, k, &chars) {
            out.push(hit(end, Private::Landline));
            next = k + 2;
        } else if let Some(end) = house_number(text, &chars, *s, *e) {
            out.push(hit(end, Private::HouseNumber));
        }
    }
    for (s, e) in cn_runs(&chars) {
        if let Some(end) = house_number(text, &chars, s, e) {
            out.push(Hit {
                start: byte(s),
                end: byte(end),
                what: Private::HouseNumber,
            });
        }
    }
    out
}

/// The last run of a mobile number starting at run `k`: one run (`13800138000`,
/// `+8613800138000`) or several split by spaces, hyphens or invisible characters
/// (`138 0013 8000`, `+86 138-0013-8000`).
fn split_mobile(
    runs: &[(usize, usize, String)],
    k: usize,
    chars: &[(usize, char)],
) -> Option<usize> {
    let mut digits = String::new();
    for (j, (s, _, d)) in runs.iter().enumerate().skip(k) {
        if j > k {
            let gap = &chars[runs[j - 1].1..*s];
            if gap.is_empty() || gap.len() > 3 || !gap.iter().all(|(_, c)| GAPS.contains(c)) {
                return None;
            }
        }
        digits.push_str(d);
        if is_mobile(&digits) {
            return Some(j);
        }
        if digits.len() >= 15 {
            return None;
        }
    }
    None
}

/// Maximal runs of Chinese numerals: char index ranges.
fn cn_runs(chars: &[(usize, char)]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let start = i;
        while chars.get(i).is_some_and(|(_, c)| CN_DIGITS.contains(*c)) {
            i += 1;
        }
        if i == start {
            i += 1;
        } else {
            out.push((start, i));
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
pub fn scan_body(cx: &mut Ctx, text: &str, body: &str, published: &Published) {
    let base = text.len() - body.len();
    for hit in find(body).iter().filter(|h| !published.allows(body, h)) {
        let span = span_at(text, base + hit.start, hit.end - hit.start);
        cx.err(span, kind_of(hit));
    }
}

/// Warns at every match in the string values at `paths` (`name`, `log[].text`, `[].title`): each
/// match is looked for in the file's text from where its node starts, so block scalars are found
/// at their own line.
pub fn scan_yaml(cx: &mut Ctx, text: &str, node: &Node, paths: &[&str], published: &Published) {
    for path in paths {
        let mut nodes = Vec::new();
        nodes_at(node, path, &mut nodes);
        for n in nodes {
            let Value::Str(value) = &n.value else {
                continue;
            };
            let hits: Vec<Hit> = find(value)
                .into_iter()
                .filter(|h| !published.allows(value, h))
                .collect();
            warn_at(cx, text, n, value, hits);
        }
    }
}

/// Warns at every placeholder in every text of a settings file (`site.yaml`,
/// `organisation.yaml`): those texts are published, but are not scanned for private data.
pub fn scan_placeholders(cx: &mut Ctx, text: &str, node: &Node) {
    match &node.value {
        Value::Str(value) => {
            let hits = find(value)
                .into_iter()
                .filter(|h| h.what == Private::Placeholder)
                .collect();
            warn_at(cx, text, node, value, hits);
        }
        Value::Seq(items) => items.iter().for_each(|n| scan_placeholders(cx, text, n)),
        Value::Map(entries) => entries
            .iter()
            .for_each(|(_, n)| scan_placeholders(cx, text, n)),
        _ => {}
    }
}

/// Warns at each hit in the string `value` of `n`, looked for in the file's text from where the
/// node starts, so block scalars are found at their own line.
fn warn_at(cx: &mut Ctx, text: &str, n: &Node, value: &str, hits: Vec<Hit>) {
    let mut from = offset(text, n.span.line, n.span.column);
    for hit in hits {
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
mod tests;
