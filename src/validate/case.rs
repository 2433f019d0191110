//! Case files: one site each, with the contract's date and relapse rules.

use super::fields::{Ctx, Obj};
use super::{Refs, check_id};
use crate::diag::{Kind, Span};
use crate::filekind::Role;
use crate::model::*;
use crate::yaml::{Node, Value};

pub(crate) const FIELDS: &[&str] = &[
    "id",
    "name",
    "street",
    "community",
    "grid",
    "river",
    "industry",
    "location",
    "criteria",
    "pollution",
    "source",
    "source_ref",
    "action",
    "found",
    "deadline",
    "rectified",
    "closed",
    "units",
    "tasks",
    "watch",
    "typical",
    "publish",
    "summary",
    "log",
    "photos",
    "rechecks",
    "relapses",
    "private",
];

fn keys<T: Copy>(all: &[T], key: fn(T) -> &'static str) -> Vec<&'static str> {
    all.iter().map(|v| key(*v)).collect()
}

/// Reads and checks one case; returns it with the span of its id.
pub fn case(cx: &mut Ctx, node: &Node, refs: &Refs) -> Option<(Case, Span)> {
    let mut o = cx.obj(node, "case")?;
    let (id, id_span) = case_id(cx, &mut o);
    let name = cx.req_text(&mut o, "name");
    let street = street(cx, &mut o, refs);
    let criteria = enums(
        cx,
        &mut o,
        "criteria",
        Criterion::parse,
        &keys(Criterion::ALL, Criterion::key),
    );
    if criteria.is_empty() && o.get("criteria").is_none() {
        cx.missing(&mut o, "criteria");
    } else if criteria.is_empty() {
        cx.err(
            o.get("criteria").map_or(o.span, |n| n.span),
            Kind::EmptyList {
                field: "criteria".into(),
            },
        );
    }
    let pollution = enums(
        cx,
        &mut o,
        "pollution",
        Pollution::parse,
        &keys(Pollution::ALL, Pollution::key),
    );
    if criteria.contains(&Criterion::Polluting) && pollution.is_empty() {
        cx.err(
            o.get("criteria").map_or(o.span, |n| n.span),
            Kind::PollutionRequired,
        );
    }
    let source = required_enum(
        cx,
        &mut o,
        "source",
        Source::parse,
        &keys(Source::ALL, Source::key),
    );
    let action = required_enum(
        cx,
        &mut o,
        "action",
        Action::parse,
        &keys(Action::ALL, Action::key),
    );
    let dates = dates(cx, &mut o);
    let units = cx
        .texts(&mut o, "units")
        .into_iter()
        .filter_map(|(u, s)| refs.department(cx, &u, s))
        .collect();
    let tasks = cx
        .list(&mut o, "tasks")
        .into_iter()
        .filter_map(|n| refs.task(cx, n))
        .collect();
    let log = items(cx, &mut o, "log", log_entry);
    let photos = items(cx, &mut o, "photos", |cx, n| photo(cx, n, refs));
    let rechecks = items(cx, &mut o, "rechecks", recheck);
    let relapses = relapses(cx, &mut o, &dates);
    let private = private(cx, &mut o);
    let community = cx.opt_text(&mut o, "community");
    let grid = cx.opt_text(&mut o, "grid");
    let river_span = o.get("river").map_or(o.span, |n| n.span);
    let river = cx
        .opt_text(&mut o, "river")
        .and_then(|t| refs.river(cx, t, river_span));
    let industry = cx.opt_text(&mut o, "industry");
    let location = cx.opt_text(&mut o, "location");
    let source_ref = cx.opt_text(&mut o, "source_ref");
    let watch = cx.opt_bool(&mut o, "watch").unwrap_or(false);
    let typical = cx.opt_bool(&mut o, "typical").unwrap_or(false);
    let publish = cx.opt_bool(&mut o, "publish").unwrap_or(true);
    let found_span = o.get("found").map_or(o.span, |n| n.span);
    let closed_span = o.get("closed").map_or(o.span, |n| n.span);
    let summary = cx
        .opt_text(&mut o, "summary")
        .map(|s| super::docs::without_comments(&s))
        .filter(|s| !super::fields::is_blank(s));
    // Before any `?` below: unknown fields are reported even when a required one is broken.
    cx.finish(o, FIELDS);
    let case = Case {
        id: id.clone()?,
        path: cx.path.to_string(),
        name: name?,
        street: street?,
        community,
        grid,
        river,
        industry,
        location,
        criteria,
        pollution,
        source: source?,
        source_ref,
        action: action?,
        found: dates.found?,
        deadline: dates.deadline,
        rectified: dates.rectified,
        closed: dates.closed,
        units,
        tasks,
        watch,
        typical,
        publish,
        summary,
        log,
        photos,
        rechecks,
        relapses,
        private,
    };
    folder_warning(cx, &case, id_span, refs);
    if crate::report::lacks_after_photo(&case, Date::MAX) {
        cx.err(closed_span, Kind::ClosedNoAfterPhoto);
    }
    if let Some(end) = refs.campaign_end.filter(|end| case.found > *end) {
        let kind = Kind::AfterCampaign {
            found: case.found.to_string(),
            end: end.to_string(),
        };
        cx.err(found_span, kind);
    }
    Some((case, id_span))
}

fn case_id(cx: &mut Ctx, o: &mut Obj) -> (Option<String>, Span) {
    let span = o.get("id").map_or(o.span, |n| n.span);
    let Some(id) = cx.req_text(o, "id") else {
        return (None, span);
    };
    if !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        cx.err(
            span,
            Kind::BadId {
                field: "id".into(),
                value: id,
                pattern: "A-Z a-z 0-9 -",
            },
        );
        return (None, span);
    }
    let stem = cx
        .path
        .rsplit('/')
        .next()
        .unwrap_or("")
        .trim_end_matches(".yaml")
        .to_string();
    if stem != id {
        cx.err(
            span,
            Kind::IdFileMismatch {
                id: id.clone(),
                stem,
            },
        );
    }
    if !check_id(cx, &id, span) {
        return (None, span);
    }
    (Some(id), span)
}

fn street(cx: &mut Ctx, o: &mut Obj, refs: &Refs) -> Option<String> {
    let node = o.get("street");
    let text = cx.req_text(o, "street")?;
    refs.street(cx, &text, node.map_or(o.span, |n| n.span))
}

fn enums<T: Copy>(
    cx: &mut Ctx,
    o: &mut Obj,
    field: &str,
    parse: fn(&str) -> Option<T>,
    keys: &[&str],
) -> Vec<T> {
    let nodes = cx.list(o, field);
    let mut out: Vec<T> = Vec::new();
    for n in nodes {
        if let Some(v) = cx.enum_of(n, field, parse, keys) {
            out.push(v);
        }
    }
    out
}

fn required_enum<T: Copy>(
    cx: &mut Ctx,
    o: &mut Obj,
    field: &str,
    parse: fn(&str) -> Option<T>,
    keys: &[&str],
) -> Option<T> {
    match o.get(field) {
        Some(n) => cx.enum_of(n, field, parse, keys),
        None => {
            cx.missing(o, field);
            None
        }
    }
}

struct Dates {
    found: Option<Date>,
    deadline: Option<Date>,
    rectified: Option<Date>,
    closed: Option<Date>,
}

/// found ≤ rectified ≤ closed, deadline ≥ found, closed needs rectified.
fn dates(cx: &mut Ctx, o: &mut Obj) -> Dates {
    let found = cx.req_date(o, "found");
    let deadline = cx.opt_date(o, "deadline");
    let rectified = cx.opt_date(o, "rectified");
    let closed = cx.opt_date(o, "closed");
    order(cx, found, "found", deadline, "deadline");
    order(cx, found, "found", rectified, "rectified");
    order(cx, rectified, "rectified", closed, "closed");
    if let (Some((_, span)), None) = (closed, rectified) {
        cx.err(span, Kind::ClosedNeedsRectified);
    }
    Dates {
        found: found.map(|d| d.0),
        deadline: deadline.map(|d| d.0),
        rectified: rectified.map(|d| d.0),
        closed: closed.map(|d| d.0),
    }
}

fn order(
    cx: &mut Ctx,
    a: Option<(Date, Span)>,
    a_name: &str,
    b: Option<(Date, Span)>,
    b_name: &str,
) {
    if let (Some((a, _)), Some((b, span))) = (a, b)
        && b < a
    {
        cx.err(
            span,
            Kind::DateOrder {
                earlier: format!("{a_name} {a}"),
                later: format!("{b_name} {b}"),
            },
        );
    }
}

fn items<T>(
    cx: &mut Ctx,
    o: &mut Obj,
    field: &str,
    read: impl Fn(&mut Ctx, &Node) -> Option<T>,
) -> Vec<T> {
    let nodes = cx.list(o, field);
    nodes.into_iter().filter_map(|n| read(cx, n)).collect()
}

fn log_entry(cx: &mut Ctx, n: &Node) -> Option<LogEntry> {
    let mut o = cx.obj(n, "log")?;
    let date = cx.req_date(&mut o, "date");
    let text = cx.req_text(&mut o, "text");
    cx.finish(o, &["date", "text"]);
    Some(LogEntry {
        date: date?.0,
        text: text?,
    })
}

fn photo(cx: &mut Ctx, n: &Node, refs: &Refs) -> Option<Photo> {
    let mut o = cx.obj(n, "photos")?;
    let file_span = o.get("file").map_or(o.span, |n| n.span);
    let file = cx
        .req_text(&mut o, "file")
        .and_then(|f| refs.file(cx, &f, file_span, Role::Photo));
    let stage = required_enum(cx, &mut o, "stage", Stage::parse, &["before", "after"]);
    let caption = cx.opt_text(&mut o, "caption");
    if caption.is_none() {
        cx.err(file_span, Kind::PhotoNoCaption);
    }
    let date = cx.opt_date(&mut o, "date").map(|d| d.0);
    cx.finish(o, &["file", "stage", "caption", "date"]);
    Some(Photo {
        file: file?,
        stage: stage?,
        caption,
        date,
    })
}

fn recheck(cx: &mut Ctx, n: &Node) -> Option<Recheck> {
    let mut o = cx.obj(n, "rechecks")?;
    let date = cx.req_date(&mut o, "date");
    let method = required_enum(
        cx,
        &mut o,
        "method",
        RecheckMethod::parse,
        &keys(RecheckMethod::ALL, RecheckMethod::key),
    );
    let note = cx.opt_text(&mut o, "note");
    cx.finish(o, &["date", "method", "note"]);
    Some(Recheck {
        date: date?.0,
        method: method?,
        note,
    })
}

/// Each relapse comes after the case was closed (or rectified), in order, without overlap.
fn relapses(cx: &mut Ctx, o: &mut Obj, dates: &Dates) -> Vec<Relapse> {
    let nodes = cx.list(o, "relapses");
    let mut out: Vec<Relapse> = Vec::new();
    for n in nodes {
        let Some(mut r) = cx.obj(n, "relapses") else {
            continue;
        };
        let found = cx.req_date(&mut r, "found");
        let deadline = cx.opt_date(&mut r, "deadline");
        let rectified = cx.opt_date(&mut r, "rectified");
        let note = cx.opt_text(&mut r, "note");
        cx.finish(r, &["found", "deadline", "rectified", "note"]);
        let Some((found_date, found_span)) = found else {
            continue;
        };
        order(cx, found, "found", deadline, "deadline");
        order(cx, found, "found", rectified, "rectified");
        let after = dates
            .closed
            .map(|d| ("closed", d))
            .or(dates.rectified.map(|d| ("rectified", d)));
        match (after, out.last()) {
            (None, _) => cx.err(
                found_span,
                Kind::RelapseTooEarly {
                    after: "rectified",
                    date: None,
                },
            ),
            (Some((what, d)), _) if found_date <= d => cx.err(
                found_span,
                Kind::RelapseTooEarly {
                    after: what,
                    date: Some(d.to_string()),
                },
            ),
            (_, Some(prev)) if prev.rectified.is_none_or(|r| found_date <= r) => {
                cx.err(found_span, Kind::RelapseOrder)
            }
            _ => {}
        }
        out.push(Relapse {
            found: found_date,
            deadline: deadline.map(|d| d.0),
            rectified: rectified.map(|d| d.0),
            note,
        });
    }
    out
}

fn private(cx: &mut Ctx, o: &mut Obj) -> Vec<(String, String)> {
    let Some(node) = o.get("private") else {
        return Vec::new();
    };
    let Some(mut p) = cx.obj(node, "private") else {
        return Vec::new();
    };
    p.all()
        .iter()
        .map(|(k, v)| (k.name.clone(), scalar_text(v)))
        .collect()
}

fn scalar_text(n: &Node) -> String {
    match &n.value {
        Value::Null => String::new(),
        Value::Bool(b) => b.to_string(),
        Value::Number(s) | Value::Str(s) => s.clone(),
        Value::Seq(items) => items.iter().map(scalar_text).collect::<Vec<_>>().join("、"),
        Value::Map(entries) => entries
            .iter()
            .map(|(k, v)| format!("{}: {}", k.name, scalar_text(v)))
            .collect::<Vec<_>>()
            .join("; "),
    }
}

/// Warns when the file sits in another street's folder (the `street` field decides).
fn folder_warning(cx: &mut Ctx, case: &Case, span: Span, refs: &Refs) {
    let parts: Vec<&str> = cx.path.split('/').collect();
    if parts.len() < 3 {
        return;
    }
    let folder_street = refs.ask(cx, super::refs::Lookup::Folder(parts[1].to_string()));
    if folder_street.is_some_and(|s| s != case.street) {
        cx.err(
            span,
            Kind::FolderStreet {
                folder: parts[1].to_string(),
                street: case.street.clone(),
            },
        );
    }
}
