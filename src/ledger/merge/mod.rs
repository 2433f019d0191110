//! `import --force` over an existing case: the ledger's filled cells are merged into the case file
//! field by field, editing its text in place, so a reviewer's diff shows only what changed. A value
//! the ledger fills and that means something else than the file's wins; an empty cell, a column the
//! ledger lacks and every field a ledger has no column for (units, tasks, log, photos, rechecks,
//! summary, watch, typical, publish, notes of relapses) keep the file's text, comments included. The
//! latest relapse of a ledger row is matched to the case's relapse of the same `found` date.

mod nested;
mod text;

use super::rows::{Draft, Value};
use crate::lang::Lang;
use crate::model::{Action, Case, Criterion, Date, Organisation, Pollution, Source};
use crate::validate::fields::parse_date;
use text::{Doc, Line, with_comment};

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
    nested::relapse(&mut doc, case, &draft.relapse, &mut changes);
    nested::private(&mut doc, case, &draft.private, &mut changes);
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

pub(super) fn text_of(v: &Value) -> String {
    texts(v).join("、")
}

pub(super) fn date_of(v: &Value) -> Option<Date> {
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

pub(super) const EMPTY: &str = "—";

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
