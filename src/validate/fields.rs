//! Reading typed fields out of YAML nodes, recording a diagnostic for every problem met.

use crate::diag::{Diagnostic, Kind, Span};
use crate::model::Date;
use crate::yaml::{Key, Node, Value};

/// Collects the diagnostics of one file.
pub struct Ctx<'a> {
    pub path: &'a str,
    pub diags: &'a mut Vec<Diagnostic>,
    /// What the file asked of the files it refers to, in order (see [`super::refs::Lookup`]).
    pub asked: Vec<super::refs::Asked>,
}

/// A mapping being read: remembers which keys were asked for, to report the unknown ones.
pub struct Obj<'n> {
    entries: &'n [(Key, Node)],
    pub span: Span,
    used: Vec<bool>,
}

impl<'n> Obj<'n> {
    /// The value of `key`; an empty value (`~`, nothing, or a blank string) counts as absent.
    pub fn get(&mut self, key: &str) -> Option<&'n Node> {
        let node = self.entry(key)?;
        let empty = match &node.value {
            Value::Null => true,
            Value::Str(s) => is_blank(s),
            _ => false,
        };
        (!empty).then_some(node)
    }

    /// The value of `key` as written, empty or not.
    fn entry(&mut self, key: &str) -> Option<&'n Node> {
        let i = self.entries.iter().position(|(k, _)| k.name == key)?;
        self.used[i] = true;
        Some(&self.entries[i].1)
    }

    /// Every entry, marking all as used (for free-form maps such as `private`).
    pub fn all(&mut self) -> &'n [(Key, Node)] {
        self.used.iter_mut().for_each(|u| *u = true);
        self.entries
    }
}

impl<'a> Ctx<'a> {
    pub fn new(path: &'a str, diags: &'a mut Vec<Diagnostic>) -> Ctx<'a> {
        Ctx {
            path,
            diags,
            asked: Vec::new(),
        }
    }

    pub fn err(&mut self, span: Span, kind: Kind) {
        self.diags.push(Diagnostic::new(self.path, span, kind));
    }

    /// Opens a mapping, or records that `field` should have been one.
    pub fn obj<'n>(&mut self, node: &'n Node, field: &str) -> Option<Obj<'n>> {
        match &node.value {
            Value::Map(entries) => Some(Obj {
                entries,
                span: node.span,
                used: vec![false; entries.len()],
            }),
            _ => {
                self.err(
                    node.span,
                    Kind::WrongType {
                        field: field.to_string(),
                        expected: "a mapping",
                    },
                );
                None
            }
        }
    }

    /// Reports every key of `obj` that was never asked for, with a "did you mean".
    pub fn finish(&mut self, obj: Obj, allowed: &[&str]) {
        for ((key, _), used) in obj.entries.iter().zip(&obj.used) {
            if !used {
                let suggestion = suggest(&key.name, allowed.iter().copied());
                let allowed = allowed.join(", ");
                self.err(
                    key.span,
                    Kind::UnknownField {
                        field: key.name.clone(),
                        suggestion,
                        allowed,
                    },
                );
            }
        }
    }

    /// Reports a required field as missing, or as blank where it is written with white space only
    /// (an item must never drop silently out of the site and its figures).
    pub fn missing(&mut self, obj: &mut Obj, field: &str) {
        let field = field.to_string();
        match obj.entry(&field) {
            Some(n) if matches!(&n.value, Value::Str(s) if is_blank(s)) => {
                self.err(n.span, Kind::BlankField { field })
            }
            _ => {
                let span = Span { len: 0, ..obj.span };
                self.err(span, Kind::MissingField { field })
            }
        }
    }

    /// A text value; numbers are read as written. Text carrying an invisible, direction-changing
    /// or control character is refused: it could display as something else than it says.
    pub fn text_of(&mut self, node: &Node, field: &str) -> Option<String> {
        match &node.value {
            Value::Str(s) => match hidden_char(s) {
                Some(c) => {
                    self.hidden(node.span, field, c);
                    None
                }
                None => Some(s.clone()),
            },
            Value::Number(n) => Some(n.clone()),
            _ => {
                self.err(
                    node.span,
                    Kind::WrongType {
                        field: field.to_string(),
                        expected: "a string",
                    },
                );
                None
            }
        }
    }

    pub fn hidden(&mut self, span: Span, field: &str, c: char) {
        let kind = Kind::HiddenChar {
            field: field.to_string(),
            code: c as u32,
        };
        self.err(span, kind);
    }

    /// An optional text: left blank, it is treated as absent.
    pub fn opt_text(&mut self, obj: &mut Obj, field: &str) -> Option<String> {
        let node = obj.get(field)?;
        self.text_of(node, field).filter(|s| !is_blank(s))
    }

    /// A required text: missing or blank (white space of any kind only) is an error, so an item
    /// never drops silently out of the site and its figures.
    pub fn req_text(&mut self, obj: &mut Obj, field: &str) -> Option<String> {
        let Some(node) = obj.get(field) else {
            self.missing(obj, field);
            return None;
        };
        self.text_of(node, field)
    }

    pub fn date_of(&mut self, node: &Node, field: &str) -> Option<Date> {
        let text = match &node.value {
            Value::Str(s) => s.trim().to_string(),
            Value::Number(n) => n.clone(),
            _ => {
                self.err(
                    node.span,
                    Kind::WrongType {
                        field: field.to_string(),
                        expected: "a date",
                    },
                );
                return None;
            }
        };
        match parse_date(&text) {
            Some(d) if !date_in_range(d) => {
                let kind = Kind::DateOutOfRange {
                    field: field.to_string(),
                    value: text,
                };
                self.err(node.span, kind);
                None
            }
            Some(d) => Some(d),
            None => {
                let fix = suggest_date(&text);
                self.err(
                    node.span,
                    Kind::BadDate {
                        field: field.to_string(),
                        value: text,
                        fix,
                    },
                );
                None
            }
        }
    }

    pub fn opt_date(&mut self, obj: &mut Obj, field: &str) -> Option<(Date, Span)> {
        let node = obj.get(field)?;
        self.date_of(node, field).map(|d| (d, node.span))
    }

    pub fn req_date(&mut self, obj: &mut Obj, field: &str) -> Option<(Date, Span)> {
        if obj.get(field).is_none() {
            self.missing(obj, field);
            return None;
        }
        self.opt_date(obj, field)
    }

    pub fn opt_bool(&mut self, obj: &mut Obj, field: &str) -> Option<bool> {
        let node = obj.get(field)?;
        match node.value {
            Value::Bool(b) => Some(b),
            _ => {
                self.err(
                    node.span,
                    Kind::WrongType {
                        field: field.to_string(),
                        expected: "true or false",
                    },
                );
                None
            }
        }
    }

    /// A list's items; a single scalar is accepted as a list of one.
    pub fn list<'n>(&mut self, obj: &mut Obj<'n>, field: &str) -> Vec<&'n Node> {
        match obj.get(field) {
            None => Vec::new(),
            Some(Node {
                value: Value::Seq(items),
                ..
            }) => items.iter().collect(),
            Some(
                node @ Node {
                    value: Value::Str(_) | Value::Number(_),
                    ..
                },
            ) => vec![node],
            Some(node) => {
                self.err(
                    node.span,
                    Kind::WrongType {
                        field: field.to_string(),
                        expected: "a list",
                    },
                );
                Vec::new()
            }
        }
    }

    /// A list of texts.
    pub fn texts(&mut self, obj: &mut Obj, field: &str) -> Vec<(String, Span)> {
        let items = self.list(obj, field);
        items
            .into_iter()
            .filter_map(|n| self.text_of(n, field).map(|s| (s, n.span)))
            .collect()
    }

    /// A value of a labelled enum, written as its English key or Chinese label.
    pub fn enum_of<T: Copy>(
        &mut self,
        node: &Node,
        field: &str,
        parse: fn(&str) -> Option<T>,
        keys: &[&str],
    ) -> Option<T> {
        let text = self.text_of(node, field)?;
        let text = text.trim();
        if let Some(v) = parse(text) {
            return Some(v);
        }
        let suggestion = suggest(text, keys.iter().copied());
        self.err(
            node.span,
            Kind::BadEnum {
                field: field.into(),
                value: text.into(),
                suggestion,
                allowed: keys.join(", "),
            },
        );
        None
    }

    pub fn integer_of(&mut self, node: &Node, field: &str) -> Option<u32> {
        let parsed = match &node.value {
            Value::Number(n) => n.parse().ok(),
            _ => None,
        };
        if parsed.is_none() {
            self.err(
                node.span,
                Kind::WrongType {
                    field: field.to_string(),
                    expected: "an integer",
                },
            );
        }
        parsed
    }
}

/// Only white space, of any kind: ASCII and full-width spaces, tabs, no-break spaces, line breaks.
pub fn is_blank(text: &str) -> bool {
    text.chars().all(char::is_whitespace)
}

/// The first character of `text` that may not appear in a text field: bidirectional overrides
/// and isolates, zero-width characters and the byte-order mark, which make text display reversed
/// or disguised. (Control characters are escaped wherever text is published or printed.)
pub fn hidden_char(text: &str) -> Option<char> {
    text.chars().find(|&c| is_hidden(c))
}

pub fn is_hidden(c: char) -> bool {
    matches!(c as u32, 0x202A..=0x202E | 0x2066..=0x2069 | 0x200B..=0x200F | 0xFEFF)
}

/// Dates are between 1990-01-01 and 2100-12-31: outside, they are typing mistakes, and they would
/// break spreadsheets' serial dates and the loop over months.
pub fn date_in_range(d: Date) -> bool {
    let first = Date::from_ymd_opt(1990, 1, 1);
    let last = Date::from_ymd_opt(2100, 12, 31);
    first.is_some_and(|f| d >= f) && last.is_some_and(|l| d <= l)
}

/// A real calendar date written exactly `YYYY-MM-DD`.
pub fn parse_date(text: &str) -> Option<Date> {
    let b = text.as_bytes();
    let shape = b.len() == 10 && b[4] == b'-' && b[7] == b'-';
    let digits = b
        .iter()
        .enumerate()
        .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !(shape && digits) {
        return None;
    }
    Date::parse_from_str(text, "%Y-%m-%d").ok()
}

/// Turns `2022/3/5`, `2022.3.5`, `2022-3-5` and `2022年3月5日` into `2022-03-05` when that is a real date.
pub fn suggest_date(text: &str) -> Option<String> {
    let parts: Vec<&str> = text
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .collect();
    let [y, m, d] = parts.as_slice() else {
        return None;
    };
    let candidate = format!("{:0>4}-{:0>2}-{:0>2}", y, m, d);
    parse_date(&candidate).map(|_| candidate)
}

/// The closest candidate to `word`, when it is close enough to be a likely typo.
pub fn suggest<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> Option<String> {
    let lower = word.to_lowercase();
    candidates
        .map(|c| (strsim::damerau_levenshtein(&lower, &c.to_lowercase()), c))
        .filter(|(d, c)| *d <= (c.chars().count() / 3).max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_must_be_real_and_iso() {
        let table = [
            ("2022-03-05", true),
            ("2022-02-29", false),
            ("2024-02-29", true),
            ("2022-3-5", false),
            ("2022/03/05", false),
            ("20220305", false),
            ("2022-13-01", false),
            ("", false),
        ];
        for (text, ok) in table {
            assert_eq!(parse_date(text).is_some(), ok, "{text}");
        }
    }

    #[test]
    fn blank_means_white_space_of_any_kind() {
        let table = [
            ("", true),
            ("   ", true),
            ("\u{3000}\u{3000}", true),
            ("\t \u{a0}\n", true),
            (" 某 ", false),
            ("\u{200b}", false),
        ];
        for (text, blank) in table {
            assert_eq!(is_blank(text), blank, "{text:?}");
        }
    }

    #[test]
    fn hidden_characters() {
        let table = [
            ("某五金加工点", None),
            ("第一行\n第二行\t", None),
            ("某\u{202e}点工加", Some('\u{202e}')),
            ("某\u{2066}x\u{2069}", Some('\u{2066}')),
            ("某\u{200b}点", Some('\u{200b}')),
            ("\u{200f}", Some('\u{200f}')),
            ("a\u{feff}b", Some('\u{feff}')),
            ("escaped on output, not refused: \u{1b}[31m\u{7}", None),
        ];
        for (text, want) in table {
            assert_eq!(hidden_char(text), want, "{text:?}");
        }
    }

    #[test]
    fn dates_between_1990_and_2100() {
        let table = [
            ("1989-12-31", false),
            ("1990-01-01", true),
            ("2100-12-31", true),
            ("2101-01-01", false),
            ("0001-01-01", false),
            ("9999-12-31", false),
        ];
        for (text, ok) in table {
            let d = parse_date(text).unwrap();
            assert_eq!(date_in_range(d), ok, "{text}");
        }
    }

    #[test]
    fn date_fixes_for_chinese_habits() {
        let table = [
            ("2022/3/5", Some("2022-03-05")),
            ("2022年3月5日", Some("2022-03-05")),
            ("2022.12.31", Some("2022-12-31")),
            ("2022-2-30", None),
            ("soon", None),
        ];
        for (text, fix) in table {
            assert_eq!(suggest_date(text).as_deref(), fix, "{text}");
        }
    }

    #[test]
    fn suggestions_only_for_near_misses() {
        let fields = ["street", "found", "rectified", "closed"];
        assert_eq!(
            suggest("stret", fields.iter().copied()).as_deref(),
            Some("street")
        );
        assert_eq!(
            suggest("rectifed", fields.iter().copied()).as_deref(),
            Some("rectified")
        );
        assert_eq!(suggest("banana", fields.iter().copied()), None);
    }
}
