//! Overdue cases nobody has written about for a month: a warning that depends on the date D, so
//! `check` asks for it once D is known.

use crate::diag::{Diagnostic, Kind, Span};
use crate::load::Sources;
use crate::model::{Case, Date, Site};
use crate::report::{open_relapse, state};
use crate::yaml::{Node, Value};

/// Days without a progress record after which an overdue case is flagged.
const QUIET_DAYS: i64 = 30;

/// A warning for each case overdue at D whose latest progress record (a `log` entry, else its
/// `found` or its open relapse's `found`) is more than 30 days before D.
pub fn stale_overdue(site: &Site, sources: &Sources, d: Date) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for case in &site.cases {
        if !state(case, d).is_some_and(|s| s.overdue) {
            continue;
        }
        let last = last_record(case, d);
        let days = (d - last).num_days();
        if days <= QUIET_DAYS {
            continue;
        }
        let span = sources
            .text_of(&case.path)
            .and_then(|t| crate::yaml::parse(&case.path, t, 0).ok())
            .and_then(|n| record_span(&n, last))
            .unwrap_or_else(Span::file_start);
        let kind = Kind::StaleOverdue {
            last: last.to_string(),
            days,
            as_of: d.to_string(),
        };
        out.push(Diagnostic::new(&case.path, span, kind));
    }
    out
}

/// The latest date on or before D that shows someone followed the case up.
fn last_record(case: &Case, d: Date) -> Date {
    let log = case.log.iter().map(|l| l.date).filter(|x| *x <= d).max();
    let relapse = open_relapse(case, d).map(|r| r.found);
    log.into_iter().chain(relapse).max().unwrap_or(case.found)
}

/// Where `date` is written: the last log entry with it, else an open relapse's or the case's
/// `found`.
fn record_span(node: &Node, date: Date) -> Option<Span> {
    let field = |n: &Node, key: &str| match &n.value {
        Value::Map(entries) => entries
            .iter()
            .find(|(k, _)| k.name == key)
            .map(|(_, v)| v.clone()),
        _ => None,
    };
    let text = |n: &Node| match &n.value {
        Value::Str(s) | Value::Number(s) => s.trim().to_string(),
        _ => String::new(),
    };
    let is_date = |n: &Node| text(n) == date.to_string();
    let items = |key: &str| match field(node, key).map(|n| n.value) {
        Some(Value::Seq(items)) => items,
        _ => Vec::new(),
    };
    let log = items("log")
        .iter()
        .rev()
        .filter_map(|e| field(e, "date"))
        .find(is_date);
    let relapse = || {
        items("relapses")
            .iter()
            .rev()
            .filter_map(|r| field(r, "found"))
            .find(is_date)
    };
    log.or_else(relapse)
        .or_else(|| field(node, "found"))
        .map(|n| n.span)
}
