//! `import --force` over an existing case: the ledger's filled cells are merged into the case file
//! field by field, editing its text in place, so a reviewer's diff shows only what changed. A value
//! the ledger fills and that means something else than the file's wins; an empty cell, a column the
//! ledger lacks and every field a ledger has no column for (units, tasks, log, photos, rechecks,
//! summary, watch, typical, publish, notes of relapses) keep the file's text, comments included. The
//! latest relapse of a ledger row is matched to the case's relapse of the same `found` date.

use super::rows::{Draft, Value};
use crate::cmd::new::quoted;
use crate::lang::Lang;
use crate::model::{Action, Case, Criterion, Date, Organisation, Pollution, Relapse, Source};
use crate::validate::field_lists::CASE;
use crate::validate::fields::parse_date;

/// One field that the merge changes, as people read it.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// The field: `deadline`, `relapses[2022-05-01].rectified`, `private.phone`.
    pub field: String,
    pub old: String,
    pub new: String,
}

/// A merged case file: its text, the ledger column of each line the ledger wrote, and the changes.
#[derive(Debug, Clone)]
pub struct Merged {
    pub text: String,
    pub cols: Vec<Option<usize>>,
    pub changes: Vec<Change>,
}

#[derive(Debug, Clone)]
struct Line {
    text: String,
    col: Option<usize>,
}

/// A top-level key with the lines under it, or lines before any key (comments, `---`).
#[derive(Debug, Clone)]
struct Block {
    key: Option<String>,
    lines: Vec<Line>,
}

/// Merges `draft` into the case file `text` (whose validated case is `case`). `Err` names the
/// fields whose existing text could not be found to edit.
pub fn merge(
    text: &str,
    case: &Case,
    draft: &Draft,
    org: &Organisation,
    lang: Lang,
) -> Result<Merged, Vec<&'static str>> {
    let mut doc = Doc::parse(text);
    let mut changes = vec![];
    let mut stuck = vec![];
    for v in &draft.fields {
        if same(v, case, org) {
            continue;
        }
        let old = doc.block(v.key).map(|b| b.lines[0].text.clone());
        let line = Line {
            text: with_comment(as_keys(v).line(""), old.as_deref()),
            col: v.col,
        };
        if !doc.set(v.key, vec![line], has_field(v.key, case)) {
            stuck.push(v.key);
            continue;
        }
        changes.push(Change {
            field: v.key.to_string(),
            old: shown_case(v.key, case, org, lang),
            new: shown_value(v, org),
        });
    }
    relapse(&mut doc, case, &draft.relapse, &mut changes);
    private(&mut doc, case, &draft.private, &mut changes);
    if !stuck.is_empty() {
        return Err(stuck);
    }
    let (text, cols) = doc.render();
    Ok(Merged {
        text,
        cols,
        changes,
    })
}

impl Doc {
    fn parse(text: &str) -> Doc {
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

    fn render(&self) -> (String, Vec<Option<usize>>) {
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

    fn block(&mut self, key: &str) -> Option<&mut Block> {
        self.blocks
            .iter_mut()
            .find(|b| b.key.as_deref() == Some(key))
    }

    /// Replaces the block of `key` by `lines` (keeping its trailing blank lines), or inserts it in
    /// the contract's order. `false` when the case has the field but its block cannot be found.
    fn set(&mut self, key: &str, lines: Vec<Line>, present: bool) -> bool {
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

struct Doc {
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
fn with_comment(new: String, old: Option<&str>) -> String {
    let Some((before, note)) = old.and_then(comment) else {
        return new;
    };
    let width = before.chars().count();
    let pad = width.saturating_sub(new.chars().count()).max(1);
    format!("{new}{}{note}", " ".repeat(pad))
}

fn trailing_blanks(lines: &[Line]) -> usize {
    let n = lines
        .iter()
        .rev()
        .take_while(|l| l.text.trim().is_empty())
        .count();
    n.min(lines.len().saturating_sub(1))
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// The case's optional text field `key`, when `key` names one.
fn text_field<'a>(key: &str, c: &'a Case) -> Option<&'a Option<String>> {
    Some(match key {
        "community" => &c.community,
        "grid" => &c.grid,
        "river" => &c.river,
        "industry" => &c.industry,
        "location" => &c.location,
        "source_ref" => &c.source_ref,
        _ => return None,
    })
}

fn has_field(key: &str, c: &Case) -> bool {
    if let Some(x) = text_field(key, c) {
        return x.is_some();
    }
    match key {
        "pollution" => !c.pollution.is_empty(),
        "deadline" => c.deadline.is_some(),
        "rectified" => c.rectified.is_some(),
        "closed" => c.closed.is_some(),
        _ => true,
    }
}

/// The text a drafted value stands for: a JSON-quoted string, a list of them, or a bare token.
fn texts(v: &Value) -> Vec<String> {
    match serde_json::from_str::<serde_json::Value>(&v.yaml) {
        Ok(serde_json::Value::String(s)) => vec![s],
        Ok(serde_json::Value::Array(a)) => a
            .iter()
            .map(|x| x.as_str().map_or_else(|| x.to_string(), str::to_string))
            .collect(),
        _ => vec![v.yaml.clone()],
    }
}

fn text_of(v: &Value) -> String {
    texts(v).join("、")
}

fn date_of(v: &Value) -> Option<Date> {
    parse_date(&text_of(v))
}

/// Whether the ledger's value means what the case already says.
fn same(v: &Value, c: &Case, org: &Organisation) -> bool {
    let text = text_of(v);
    let opt = |x: &Option<String>| x.as_deref().map(str::trim) == Some(text.as_str());
    let sorted = |mut x: Vec<String>| {
        x.sort();
        x
    };
    let keys = |parse: &dyn Fn(&str) -> Option<&'static str>| {
        texts(v)
            .iter()
            .map(|t| parse(t).map(str::to_string))
            .collect::<Option<Vec<_>>>()
            .map(sorted)
    };
    if let Some(x) = text_field(v.key, c) {
        return opt(x);
    }
    match v.key {
        "name" => c.name.trim() == text,
        "street" => org.street_named(&text).is_some_and(|s| s.id == c.street),
        "criteria" => {
            let have = c.criteria.iter().map(|x| x.key().to_string()).collect();
            keys(&|t| Criterion::parse(t).map(Criterion::key)) == Some(sorted(have))
        }
        "pollution" => {
            let have = c.pollution.iter().map(|x| x.key().to_string()).collect();
            keys(&|t| Pollution::parse(t).map(Pollution::key)) == Some(sorted(have))
        }
        "source" => Source::parse(&text) == Some(c.source),
        "action" => Action::parse(&text) == Some(c.action),
        "found" => date_of(v) == Some(c.found),
        "deadline" => date_of(v).is_some() && date_of(v) == c.deadline,
        "rectified" => date_of(v).is_some() && date_of(v) == c.rectified,
        "closed" => date_of(v).is_some() && date_of(v) == c.closed,
        _ => false,
    }
}

/// Criteria and pollution as their English keys, as case files write them, when every label is
/// known (an unknown one stays as written, for the validator to report).
fn as_keys(v: &Value) -> Value {
    let key = |t: &String| match v.key {
        "criteria" => Criterion::parse(t).map(Criterion::key),
        "pollution" => Pollution::parse(t).map(Pollution::key),
        _ => None,
    };
    match texts(v).iter().map(key).collect::<Option<Vec<_>>>() {
        Some(keys) if !keys.is_empty() => Value {
            yaml: format!("[{}]", keys.join(", ")),
            ..v.clone()
        },
        _ => v.clone(),
    }
}

const EMPTY: &str = "—";

/// A case's field as people read it, for `--dry-run`.
fn shown_case(key: &str, c: &Case, org: &Organisation, lang: Lang) -> String {
    let opt = |x: &Option<String>| x.clone().unwrap_or_else(|| EMPTY.into());
    let date = |x: Option<Date>| x.map_or_else(|| EMPTY.into(), |d| d.to_string());
    let join = |x: Vec<&str>| {
        if x.is_empty() {
            EMPTY.into()
        } else {
            x.join("、")
        }
    };
    if let Some(x) = text_field(key, c) {
        return opt(x);
    }
    match key {
        "name" => c.name.clone(),
        "street" => org.owner_name(&c.street).to_string(),
        "criteria" => join(c.criteria.iter().map(|x| x.label(lang)).collect()),
        "pollution" => join(c.pollution.iter().map(|x| x.label(lang)).collect()),
        "source" => c.source.label(lang).to_string(),
        "action" => c.action.label(lang).to_string(),
        "found" => c.found.to_string(),
        "deadline" => date(c.deadline),
        "rectified" => date(c.rectified),
        "closed" => date(c.closed),
        _ => EMPTY.into(),
    }
}

fn shown_value(v: &Value, org: &Organisation) -> String {
    let text = text_of(v);
    match (v.key, org.street_named(&text)) {
        ("street", Some(s)) => s.name.clone(),
        _ => text,
    }
}

/// Merges the ledger's latest relapse: the case's relapse of the same `found` gets the ledger's
/// deadline and rectified when they differ; a relapse the case lacks is added in date order.
fn relapse(doc: &mut Doc, c: &Case, values: &[Value], changes: &mut Vec<Change>) {
    if values.is_empty() {
        return;
    }
    let found = values.iter().find(|v| v.key == "found").and_then(date_of);
    let at = found.and_then(|f| c.relapses.iter().position(|r| r.found == f));
    let label = found.map_or_else(|| EMPTY.to_string(), |d| d.to_string());
    let mut edits = vec![];
    for v in values {
        let old = match at.map(|i| &c.relapses[i]) {
            Some(r) => match v.key {
                "deadline" => r.deadline,
                "rectified" => r.rectified,
                _ => continue,
            },
            None => None,
        };
        if at.is_some() && old.is_some() && old == date_of(v) {
            continue;
        }
        changes.push(Change {
            field: format!("relapses[{label}].{}", v.key),
            old: old.map_or_else(|| EMPTY.into(), |d| d.to_string()),
            new: text_of(v),
        });
        edits.push(v.clone());
    }
    if edits.is_empty() {
        return;
    }
    let items = doc
        .block("relapses")
        .and_then(|b| items(b, c.relapses.len()));
    match (at, items) {
        (Some(i), Some(items)) => edit_item(doc, &items, i, &edits),
        (None, Some(items)) => {
            let before = found.and_then(|f| c.relapses.iter().position(|r| r.found > f));
            add_item(doc, &items, before, values);
        }
        (_, None) => {
            let lines = relapses_block(c, at, values);
            doc.set("relapses", lines, false);
        }
    }
}

/// The relapses block's items: (first line, end line) each, and the items' indent; `None` when the
/// block is not one item per `- ` line block list with as many items as the case has relapses.
fn items(b: &Block, n: usize) -> Option<(Vec<(usize, usize)>, usize)> {
    let inline = b.lines[0].text.split_once(':')?.1;
    if !inline.trim().split('#').next()?.is_empty() {
        return None;
    }
    let end = b.lines.len() - trailing_blanks(&b.lines);
    let indent = b.lines.get(1).map(|l| indent_of(&l.text))?;
    let starts: Vec<usize> = (1..end)
        .filter(|&i| {
            let t = &b.lines[i].text;
            indent_of(t) == indent && t[indent..].starts_with('-')
        })
        .collect();
    if starts.len() != n || starts.first() != Some(&1) {
        return None;
    }
    let ends = starts.iter().skip(1).copied().chain([end]);
    Some((starts.iter().copied().zip(ends).collect(), indent))
}

fn edit_item(doc: &mut Doc, items: &(Vec<(usize, usize)>, usize), i: usize, edits: &[Value]) {
    let (spans, _) = items;
    let (start, mut end) = spans[i];
    let Some(b) = doc.block("relapses") else {
        return;
    };
    // The column of the item's keys: after `- ` and however many spaces follow it.
    let first = &b.lines[start].text;
    let width = first.len() - first.trim_start_matches([' ', '-']).len();
    let inner = " ".repeat(width);
    for v in edits {
        let key = format!("{}:", v.key);
        let hit = (start..end).find(|&j| {
            let t = &b.lines[j].text;
            let body = t.trim_start_matches([' ', '-']);
            body.starts_with(&key) && (j == start || indent_of(t) == width)
        });
        match hit {
            Some(j) => {
                let t = &b.lines[j].text;
                let prefix = &t[..t.len() - t.trim_start_matches([' ', '-']).len()];
                b.lines[j] = Line {
                    text: v.line(prefix),
                    col: v.col,
                };
            }
            None => {
                let line = Line {
                    text: v.line(&inner),
                    col: v.col,
                };
                b.lines.insert(end, line);
                end += 1;
            }
        }
    }
}

fn add_item(
    doc: &mut Doc,
    items: &(Vec<(usize, usize)>, usize),
    before: Option<usize>,
    values: &[Value],
) {
    let (spans, indent) = items;
    let at = before.map_or_else(|| spans.last().map_or(1, |s| s.1), |i| spans[i].0);
    let Some(b) = doc.block("relapses") else {
        return;
    };
    let lines = item_lines(*indent, values);
    b.lines.splice(at..at, lines);
}

fn item_lines(indent: usize, values: &[Value]) -> Vec<Line> {
    let pad = " ".repeat(indent);
    values
        .iter()
        .enumerate()
        .map(|(i, v)| Line {
            text: v.line(&if i == 0 {
                format!("{pad}- ")
            } else {
                format!("{pad}  ")
            }),
            col: v.col,
        })
        .collect()
}

/// The whole relapses block written anew from the case, with the ledger's values applied.
fn relapses_block(c: &Case, at: Option<usize>, values: &[Value]) -> Vec<Line> {
    let mut lines = vec![Line {
        text: "relapses:".into(),
        col: values.first().and_then(|v| v.col),
    }];
    let new_at = match at {
        Some(_) => None,
        None => {
            let f = values.iter().find(|v| v.key == "found").and_then(date_of);
            Some(f.map_or(c.relapses.len(), |f| {
                c.relapses.iter().take_while(|r| r.found < f).count()
            }))
        }
    };
    for (i, r) in c.relapses.iter().enumerate() {
        if new_at == Some(i) {
            lines.extend(item_lines(2, values));
        }
        let over = (at == Some(i)).then_some(values);
        lines.extend(relapse_lines(r, over.unwrap_or(&[])));
    }
    if new_at == Some(c.relapses.len()) {
        lines.extend(item_lines(2, values));
    }
    lines
}

fn relapse_lines(r: &Relapse, over: &[Value]) -> Vec<Line> {
    let date = |key: &'static str, d: Option<Date>| {
        over.iter()
            .find(|v| v.key == key)
            .cloned()
            .or(d.map(|d| Value {
                key,
                yaml: d.to_string(),
                col: None,
            }))
    };
    let mut values: Vec<Value> = [
        date("found", Some(r.found)),
        date("deadline", r.deadline),
        date("rectified", r.rectified),
    ]
    .into_iter()
    .flatten()
    .collect();
    if let Some(n) = &r.note {
        values.push(Value {
            key: "note",
            yaml: quoted(n),
            col: None,
        });
    }
    item_lines(2, &values)
}

/// Merges the ledger's `private` keys: a key that differs is replaced in place, a new one added
/// at the end of the block.
fn private(doc: &mut Doc, c: &Case, values: &[Value], changes: &mut Vec<Change>) {
    let edits: Vec<&Value> = values
        .iter()
        .filter(|v| {
            let old = c.private.iter().find(|(k, _)| k == v.key);
            old.map(|(_, x)| x.trim()) != Some(text_of(v).as_str())
        })
        .collect();
    for v in &edits {
        let old = c.private.iter().find(|(k, _)| k == v.key);
        changes.push(Change {
            field: format!("private.{}", v.key),
            old: old.map_or_else(|| EMPTY.into(), |(_, x)| x.clone()),
            new: text_of(v),
        });
    }
    if edits.is_empty() {
        return;
    }
    let plain = doc.block("private").map(|b| {
        let inline = b.lines[0].text.split_once(':').map(|x| x.1.trim());
        matches!(inline, Some("") | None) || inline.is_some_and(|x| x.starts_with('#'))
    });
    match plain {
        Some(true) => edit_private(doc, &edits),
        Some(false) | None => {
            let mut lines = vec![Line {
                text: "private:".into(),
                col: edits[0].col,
            }];
            for (k, x) in &c.private {
                if edits.iter().all(|v| v.key != k) {
                    lines.push(Line {
                        text: format!("  {k}: {}", quoted(x)),
                        col: None,
                    });
                }
            }
            lines.extend(edits.iter().map(|v| Line {
                text: v.line("  "),
                col: v.col,
            }));
            doc.set("private", lines, false);
        }
    }
}

fn edit_private(doc: &mut Doc, edits: &[&Value]) {
    let Some(b) = doc.block("private") else {
        return;
    };
    let mut end = b.lines.len() - trailing_blanks(&b.lines);
    let indent = b.lines.get(1).map_or(2, |l| indent_of(&l.text).max(1));
    for v in edits {
        let key = format!("{}:", v.key);
        let hit = (1..end).find(|&j| {
            let t = &b.lines[j].text;
            indent_of(t) == indent && t[indent..].starts_with(&key)
        });
        let line = Line {
            text: v.line(&" ".repeat(indent)),
            col: v.col,
        };
        match hit {
            Some(j) => {
                let more = (j + 1..end)
                    .take_while(|&k| {
                        let t = &b.lines[k].text;
                        t.trim().is_empty() || indent_of(t) > indent
                    })
                    .count();
                b.lines.splice(j..j + 1 + more, [line]);
                end -= more;
            }
            None => {
                b.lines.insert(end, line);
                end += 1;
            }
        }
    }
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
