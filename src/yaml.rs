//! Parse: YAML text into a tree of nodes that keep their line and column. No rules here.

use crate::diag::{Diagnostic, Kind, Span};
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;
use std::fmt;

/// A YAML value with where it was written.
#[derive(Debug, Clone)]
pub struct Node {
    pub value: Value,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub enum Value {
    Null,
    Bool(bool),
    /// A number, kept as written (`007`, `1.10`) so it can also be read as text.
    Number(String),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<(Key, Node)>),
}

/// A mapping key with its place.
#[derive(Debug, Clone)]
pub struct Key {
    pub name: String,
    pub span: Span,
}

impl Value {
    /// A short English name of the kind of value, for messages.
    pub fn kind_name(&self) -> &'static str {
        match self {
            Value::Null => "empty",
            Value::Bool(_) => "true or false",
            Value::Number(_) => "a number",
            Value::Str(_) => "a string",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }
}

/// Parses one YAML document. `line_offset` shifts lines for front matter that starts below line 1.
pub fn parse(path: &str, text: &str, line_offset: u32) -> Result<Node, Vec<Diagnostic>> {
    if text.trim().is_empty() {
        return Ok(Node {
            value: Value::Null,
            span: Span::new(1 + line_offset, 1, 0),
        });
    }
    if let Some(line) = too_deep(text) {
        let span = Span::new(line + line_offset, 1, 0);
        let kind = Kind::TooDeep { limit: MAX_DEPTH };
        return Err(vec![Diagnostic::new(path, span, kind)]);
    }
    let tags = tags(path, text, line_offset);
    if !tags.is_empty() {
        return Err(tags);
    }
    let hints = prescan(path, text, line_offset);
    let raw: Result<Spanned<RawValue>, _> = serde_saphyr::from_str_with_options(text, options());
    match raw {
        Ok(node) => Ok(convert(node, text, line_offset)),
        Err(_) if !hints.is_empty() => Err(hints),
        Err(err) => Err(vec![syntax_error(path, &err, line_offset)]),
    }
}

/// The parser's limits, tighter than its defaults: aliases may repeat a value, but an alias bomb
/// (billion laughs) is stopped after a few thousand copied events, long before it costs a second.
fn options() -> serde_saphyr::Options {
    let mut options = serde_saphyr::Options::default();
    options.alias_limits.max_total_replayed_events = 20_000;
    options
}

/// Deeper nesting than this is refused before parsing: content needs a handful of levels, and the
/// parser and the tree built from it recurse once per level, so a hostile document of thousands of
/// levels would overflow the stack.
pub const MAX_DEPTH: usize = 24;

/// The 1-based line where nesting first exceeds [`MAX_DEPTH`], counted conservatively: every deeper
/// indentation and every `- `/`? ` entry marker opens a block level, every `[`/`{` a flow level
/// (even inside quotes, so a rare string with many unmatched brackets is refused too).
fn too_deep(text: &str) -> Option<u32> {
    let mut indents: Vec<usize> = Vec::new();
    let mut flow = 0usize;
    for (i, line) in text.lines().enumerate() {
        let body = line.trim_start_matches(' ');
        if body.trim().is_empty() || body.starts_with('#') {
            continue;
        }
        let mut indent = line.len() - body.len();
        let mut rest = body;
        let mut levels = vec![indent];
        while let Some(r) = rest
            .strip_prefix("- ")
            .or_else(|| rest.strip_prefix("? "))
            .or_else(|| (rest == "-").then_some(""))
        {
            let r2 = r.trim_start_matches(' ');
            indent += rest.len() - r2.len();
            levels.push(indent);
            rest = r2;
        }
        for level in levels {
            while indents.last().is_some_and(|&top| top >= level) {
                indents.pop();
            }
            indents.push(level);
        }
        for c in rest.chars() {
            match c {
                '[' | '{' => flow += 1,
                ']' | '}' => flow = flow.saturating_sub(1),
                _ => {}
            }
            if indents.len() + flow > MAX_DEPTH {
                return Some(i as u32 + 1);
            }
        }
        if indents.len() + flow > MAX_DEPTH {
            return Some(i as u32 + 1);
        }
    }
    None
}

/// Every YAML tag (`!!binary`, `!!python/object`, `!custom`): content is plain scalars, lists and
/// mappings, and a tag would make the parser build something else. Only text with a `!` is
/// parsed for them; a document the event parser cannot read is left to the real parse's error.
fn tags(path: &str, text: &str, line_offset: u32) -> Vec<Diagnostic> {
    use granit_parser::{Event, Parser};
    if !text.contains('!') {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut from = 0;
    for event in Parser::new_from_str(text) {
        let Ok((event, span)) = event else {
            break;
        };
        let tag = match &event {
            Event::Scalar(_, _, _, tag)
            | Event::SequenceStart(_, _, tag)
            | Event::MappingStart(_, _, tag) => tag.as_deref(),
            _ => None,
        };
        if let Some(tag) = tag {
            let written = match tag.handle() {
                "tag:yaml.org,2002:" => format!("!!{}", tag.suffix()),
                "!" => format!("!{}", tag.suffix()),
                handle => format!("{handle}{}", tag.suffix()),
            };
            // Where the tag is written (a block collection's event starts on the next line).
            let place = match text.get(from..).and_then(|t| t.find(&written)) {
                Some(i) => {
                    from += i + written.len();
                    let before = &text[..from - written.len()];
                    let line = before.matches('\n').count() as u32 + 1 + line_offset;
                    let column = before.rsplit('\n').next().unwrap_or("").chars().count() as u32;
                    Span::new(line, column + 1, written.chars().count() as u32)
                }
                None => {
                    let line = span.start.line() as u32 + line_offset;
                    Span::new(line, span.start.col() as u32 + 1, 0)
                }
            };
            out.push(Diagnostic::new(path, place, Kind::YamlTag { tag: written }));
        }
    }
    out
}

/// Looks for the mistakes people typing Chinese make, which the parser reports only obscurely.
fn prescan(path: &str, text: &str, line_offset: u32) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line_no = i as u32 + 1 + line_offset;
        let indent: String = line.chars().take_while(|c| c.is_whitespace()).collect();
        if let Some(pos) = indent.chars().position(|c| c == '\t') {
            out.push(Diagnostic::new(
                path,
                Span::new(line_no, pos as u32 + 1, 1),
                Kind::TabIndent,
            ));
            continue;
        }
        let body = line.trim_start().trim_start_matches("- ");
        if body.starts_with('#') {
            continue;
        }
        if let Some(pos) = body.find('：') {
            let key = &body[..pos];
            if !key.is_empty()
                && key
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ' ')
            {
                let col = line.chars().count() - body.chars().count() + key.chars().count() + 1;
                out.push(Diagnostic::new(
                    path,
                    Span::new(line_no, col as u32, 1),
                    Kind::FullWidthColon,
                ));
            }
        }
    }
    out
}

fn syntax_error(path: &str, err: &serde_saphyr::Error, line_offset: u32) -> Diagnostic {
    let loc = err.location();
    let span = loc
        .map(|l| Span::new(l.line() as u32 + line_offset, l.column() as u32, 1))
        .unwrap_or(Span::new(1 + line_offset, 1, 0));
    let detail = err.without_snippet().to_string();
    if let Some(key) = detail.split("duplicate mapping key: ").nth(1) {
        let key = key.split(',').next().unwrap_or("").trim().to_string();
        return Diagnostic::new(
            path,
            Span {
                len: key.chars().count() as u32,
                ..span
            },
            Kind::DuplicateKey { key },
        );
    }
    Diagnostic::new(
        path,
        span,
        Kind::Syntax {
            detail: strip_location(&detail),
        },
    )
}

/// The parser says "error: line 3 column 5: …"; the diagnostic already gives the place.
fn strip_location(detail: &str) -> String {
    let detail = detail.strip_prefix("error: ").unwrap_or(detail);
    match detail.find(": ") {
        Some(i) if detail.starts_with("line ") => detail[i + 2..].to_string(),
        _ => detail.to_string(),
    }
}

fn span_of(loc: &serde_saphyr::Location, line_offset: u32) -> Span {
    Span::new(
        loc.line() as u32 + line_offset,
        loc.column() as u32,
        loc.span().len() as u32,
    )
}

fn convert(node: Spanned<RawValue>, text: &str, line_offset: u32) -> Node {
    let span = span_of(&node.referenced, line_offset);
    let value = match node.value {
        RawValue::Null => Value::Null,
        RawValue::Bool(b) => Value::Bool(b),
        RawValue::Number(n) => Value::Number(source_slice(&node.referenced, text).unwrap_or(n)),
        RawValue::Str(s) => Value::Str(s),
        RawValue::Seq(items) => Value::Seq(
            items
                .into_iter()
                .map(|n| convert(n, text, line_offset))
                .collect(),
        ),
        RawValue::Map(entries) => Value::Map(
            entries
                .into_iter()
                .map(|(k, v)| {
                    let key = Key {
                        span: span_of(&k.referenced, line_offset),
                        name: k.value,
                    };
                    (key, convert(v, text, line_offset))
                })
                .collect(),
        ),
    };
    Node { value, span }
}

/// The scalar exactly as written, when the parser knows its byte range.
fn source_slice(loc: &serde_saphyr::Location, text: &str) -> Option<String> {
    let span = loc.span();
    let start = span.byte_offset()? as usize;
    let len = span.byte_len()? as usize;
    text.get(start..start + len).map(|s| s.trim().to_string())
}

/// The shape serde-saphyr deserializes into before spans are converted.
enum RawValue {
    Null,
    Bool(bool),
    Number(String),
    Str(String),
    Seq(Vec<Spanned<RawValue>>),
    Map(Vec<(Spanned<String>, Spanned<RawValue>)>),
}

impl<'de> Deserialize<'de> for RawValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(RawVisitor)
    }
}

struct RawVisitor;

impl<'de> Visitor<'de> for RawVisitor {
    type Value = RawValue;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_unit<E>(self) -> Result<RawValue, E> {
        Ok(RawValue::Null)
    }
    fn visit_none<E>(self) -> Result<RawValue, E> {
        Ok(RawValue::Null)
    }
    fn visit_bool<E>(self, v: bool) -> Result<RawValue, E> {
        Ok(RawValue::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<RawValue, E> {
        Ok(RawValue::Number(v.to_string()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<RawValue, E> {
        Ok(RawValue::Number(v.to_string()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<RawValue, E> {
        Ok(RawValue::Number(v.to_string()))
    }
    fn visit_str<E>(self, v: &str) -> Result<RawValue, E> {
        Ok(RawValue::Str(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<RawValue, E> {
        Ok(RawValue::Str(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawValue, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(RawValue::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawValue, A::Error> {
        let mut entries = Vec::new();
        while let Some(entry) = map.next_entry()? {
            entries.push(entry);
        }
        Ok(RawValue::Map(entries))
    }
}

/// Splits Markdown front matter (`---` … `---`) from the body. Returns the YAML, the line the YAML
/// starts on minus one, and the body.
pub fn split_front_matter(text: &str) -> Result<(&str, u32, &str), Kind> {
    let rest = match text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))
    {
        Some(rest) => rest,
        None => return Err(Kind::FrontMatterMissing),
    };
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed == "..." {
            let body = &rest[offset + line.len()..];
            return Ok((&rest[..offset], 1, body));
        }
        offset += line.len();
    }
    Err(Kind::FrontMatterUnclosed)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Parses hostile text and returns the one error's message. (No timing assertion: a loaded CI
    /// machine must not fail it; the budgets make the work bounded, and a hang would time out.)
    fn rejected(text: &str) -> String {
        let err = parse("cases/x.yaml", text, 0).expect_err("must be rejected");
        assert_eq!(err.len(), 1, "{err:?}");
        format!("{:?}", err[0].kind)
    }

    #[test]
    fn alias_bombs_are_rejected() {
        let mut text = String::from(
            "a: &a [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n",
        );
        for (prev, next) in ["a", "b", "c", "d", "e", "f", "g", "h", "i"]
            .iter()
            .zip(["b", "c", "d", "e", "f", "g", "h", "i", "j"])
        {
            let refs = vec![format!("*{prev}"); 9].join(", ");
            text.push_str(&format!("{next}: &{next} [{refs}]\n"));
        }
        let kind = rejected(&text);
        assert!(kind.contains("Syntax"), "{kind}");
    }

    #[test]
    fn deep_nesting_is_rejected_without_overflowing_the_stack() {
        for text in [
            "[".repeat(10_000),
            format!("{}1{}", "[".repeat(10_000), "]".repeat(10_000)),
            "{a: ".repeat(10_000),
            (0..10_000)
                .map(|i| format!("{}- \n", " ".repeat(i * 2)))
                .collect(),
            (0..5_000)
                .map(|i| format!("{}k:\n", " ".repeat(i)))
                .collect(),
        ] {
            let kind = rejected(&text);
            assert!(kind.contains("TooDeep"), "{kind}");
        }
    }

    #[test]
    fn nesting_up_to_the_limit_is_read() {
        let block: String = (0..MAX_DEPTH - 1)
            .map(|i| format!("{}- \n", " ".repeat(i * 2)))
            .collect();
        let flow = format!(
            "{}1{}",
            "[".repeat(MAX_DEPTH - 1),
            "]".repeat(MAX_DEPTH - 1)
        );
        let mixed = "a:\n  b:\n    - c: [1, {d: [2]}]\n      e: |\n        text\n          more\n";
        for text in [block, flow, mixed.to_string()] {
            assert!(parse("x.yaml", &text, 0).is_ok(), "{text}");
        }
    }

    #[test]
    fn tags_are_refused() {
        let table = [
            ("photo: !!binary aGVsbG8=\n", "!!binary"),
            (
                "x: !!python/object:os.system [ls]\n",
                "!!python/object:os.system",
            ),
            ("name: !custom 某场所\n", "!custom"),
            ("log: !!seq\n  - a\n", "!!seq"),
            ("private: !!map {a: 1}\n", "!!map"),
            ("id: !!str 007\n", "!!str"),
        ];
        for (text, tag) in table {
            let err = parse("cases/x.yaml", text, 0).expect_err(text);
            assert_eq!(err.len(), 1, "{text}");
            assert_eq!(err[0].kind, Kind::YamlTag { tag: tag.into() }, "{text}");
            let column = text.find('!').unwrap() as u32 + 1;
            assert_eq!(
                (err[0].span.line, err[0].span.column),
                (1, column),
                "{text}"
            );
        }
        for text in [
            "name: 注意！安全!\n",
            "text: \"!!not a tag\"\n",
            "t: |\n  !important\n",
        ] {
            assert!(parse("cases/x.yaml", text, 0).is_ok(), "{text}");
        }
    }

    #[test]
    fn crlf_and_tabs_inside_values_are_read() {
        let node = parse("site.yaml", "title: 标题\r\nhotline: \"12345\"\r\n", 0).unwrap();
        let Value::Map(entries) = node.value else {
            panic!("a map")
        };
        assert_eq!(entries.len(), 2);
        assert!(matches!(&entries[0].1.value, Value::Str(s) if s == "标题"));
        let (front, _, body) = split_front_matter("---\r\ntitle: x\r\n---\r\nbody\r\n").unwrap();
        assert!(parse("notes/a.md", front, 1).is_ok());
        assert_eq!(body, "body\r\n");
    }
}
