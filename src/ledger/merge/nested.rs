//! The nested blocks a ledger row reaches into: the latest relapse, matched to the case's relapse
//! of the same `found` date, and the `private` keys. An item or key that changes is edited in
//! place; a block laid out otherwise (flow style, comments among the items) is written anew.

use super::text::{Block, Doc, Line, indent_of, trailing_blanks};
use super::{Change, EMPTY, date_of, text_of};
use crate::cmd::new::quoted;
use crate::ledger::rows::Value;
use crate::model::{Case, Date, Relapse};

/// Merges the ledger's latest relapse: the case's relapse of the same `found` gets the ledger's
/// deadline and rectified when they differ; a relapse the case lacks is added in date order.
pub(super) fn relapse(doc: &mut Doc, c: &Case, values: &[Value], changes: &mut Vec<Change>) {
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
pub(super) fn private(doc: &mut Doc, c: &Case, values: &[Value], changes: &mut Vec<Change>) {
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
