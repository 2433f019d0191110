//! A case file's text as top-level blocks of lines, edited in place: a block is replaced or
//! inserted in the contract's order; every other line, comments included, stays as it was.

use crate::validate::field_lists::CASE;

/// One line of the file, and the ledger column it came from (`None`: the file's own line).
#[derive(Debug, Clone)]
pub(super) struct Line {
    pub(super) text: String,
    pub(super) col: Option<usize>,
}

/// A top-level key with the lines under it, or lines before any key (comments, `---`).
#[derive(Debug, Clone)]
pub(super) struct Block {
    pub(super) key: Option<String>,
    pub(super) lines: Vec<Line>,
}

impl Doc {
    pub(super) fn parse(text: &str) -> Doc {
        let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
        let mut blocks: Vec<Block> = vec![];
        let body = text.strip_suffix('\n').unwrap_or(text);
        for raw in body.split('\n') {
            let text = raw.strip_suffix('\r').unwrap_or(raw).to_string();
            let line = Line { text, col: None };
            let key = top_key(&line.text).map(str::to_string);
            let starts = key.is_some() || line.text.starts_with('#') || blocks.is_empty();
            if starts {
                blocks.push(Block {
                    key,
                    lines: vec![line],
                });
            } else if let Some(b) = blocks.last_mut() {
                b.lines.push(line);
            }
        }
        Doc {
            blocks,
            newline,
            final_newline: text.ends_with('\n') || text.is_empty(),
        }
    }

    pub(super) fn render(&self) -> (String, Vec<Option<usize>>) {
        let lines: Vec<&Line> = self.blocks.iter().flat_map(|b| &b.lines).collect();
        let mut text = lines
            .iter()
            .map(|l| l.text.as_str())
            .collect::<Vec<_>>()
            .join(self.newline);
        if self.final_newline {
            text.push_str(self.newline);
        }
        (text, lines.iter().map(|l| l.col).collect())
    }

    pub(super) fn block(&mut self, key: &str) -> Option<&mut Block> {
        self.blocks
            .iter_mut()
            .find(|b| b.key.as_deref() == Some(key))
    }

    /// Replaces the block of `key` by `lines` (keeping its trailing blank lines), or inserts it in
    /// the contract's order. `false` when the case has the field but its block cannot be found.
    pub(super) fn set(&mut self, key: &str, lines: Vec<Line>, present: bool) -> bool {
        if let Some(b) = self.block(key) {
            let keep = trailing_blanks(&b.lines);
            let tail = b.lines.split_off(b.lines.len() - keep);
            b.lines = lines;
            b.lines.extend(tail);
            return true;
        }
        if present {
            return false;
        }
        let rank = |k: &str| CASE.iter().position(|f| *f == k);
        let at = self
            .blocks
            .iter()
            .rposition(|b| b.key.as_deref().and_then(rank) < rank(key))
            .map_or(0, |i| i + 1);
        let block = Block {
            key: Some(key.to_string()),
            lines,
        };
        self.blocks.insert(at, block);
        true
    }
}

pub(super) struct Doc {
    blocks: Vec<Block>,
    newline: &'static str,
    final_newline: bool,
}

/// The key of a top-level `key:` line.
fn top_key(line: &str) -> Option<&str> {
    let end = line
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(line.len());
    let (key, rest) = line.split_at(end);
    let rest = rest.trim_start_matches(' ');
    let starts = key.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_');
    let colon = rest.strip_prefix(':')?;
    (starts && (colon.is_empty() || colon.starts_with([' ', '\t']))).then_some(key)
}

/// The comment at the end of a YAML line (` # …` outside quotes), with the text before it.
fn comment(line: &str) -> Option<(&str, &str)> {
    let mut quote = None;
    let mut prev = ' ';
    for (i, c) in line.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), _) if c == q && prev != '\\' => quote = None,
            (None, '#') if prev.is_whitespace() => return Some((&line[..i], &line[i..])),
            _ => {}
        }
        prev = c;
    }
    None
}

/// `new` with the comment `old` ended in, at the same column where it fits.
pub(super) fn with_comment(new: String, old: Option<&str>) -> String {
    let Some((before, note)) = old.and_then(comment) else {
        return new;
    };
    let width = before.chars().count();
    let pad = width.saturating_sub(new.chars().count()).max(1);
    format!("{new}{}{note}", " ".repeat(pad))
}

pub(super) fn trailing_blanks(lines: &[Line]) -> usize {
    let n = lines
        .iter()
        .rev()
        .take_while(|l| l.text.trim().is_empty())
        .count();
    n.min(lines.len().saturating_sub(1))
}

pub(super) fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn top_level_keys() {
        let table = [
            ("name: x", Some("name")),
            ("source_ref:", Some("source_ref")),
            ("units: [a]  # c", Some("units")),
            ("  - date: 2022-01-01", None),
            ("# name: x", None),
            ("- x", None),
            ("name:x", None),
            ("http://x", None),
        ];
        for (line, want) in table {
            assert_eq!(top_key(line), want, "{line}");
        }
    }

    #[test]
    fn comments_survive_a_changed_value() {
        let table = [
            (
                "deadline: 2025-05-31               # 整治期限",
                "deadline: 2025-06-30",
                "deadline: 2025-06-30               # 整治期限",
            ),
            ("name: \"a # b\"", "name: \"c\"", "name: \"c\""),
            (
                "name: 'a # b' # 名称",
                "name: \"c\"",
                "name: \"c\"     # 名称",
            ),
            ("name: a#b", "name: \"c\"", "name: \"c\""),
            (
                "found: 2022-01-01 # x",
                "found: 2022-01-01 and longer",
                "found: 2022-01-01 and longer # x",
            ),
        ];
        for (old, new, want) in table {
            assert_eq!(with_comment(new.to_string(), Some(old)), want, "{old}");
        }
    }

    #[test]
    fn text_round_trips_with_its_line_endings() {
        for text in ["id: a\nname: b\n", "id: a\r\nname: b\r\n", "id: a\nname: b"] {
            assert_eq!(Doc::parse(text).render().0, text);
        }
    }
}
