//! `site.yaml`, `organisation.yaml`, `plan.md` and `tasks.yaml`.

use super::fields::{Ctx, Obj, suggest};
use super::{Refs, check_id};
use crate::diag::{Kind, Span};
use crate::lang::Lang;
use crate::model::{
    BriefingDoc, Config, Footer, Group, Milestone, Organisation, Owners, Plan, Task, Unit,
};
use crate::yaml::{Node, Value};
use std::collections::{BTreeMap, BTreeSet};

pub(crate) const SITE_FIELDS: &[&str] = &[
    "title",
    "subtitle",
    "language",
    "base_url",
    "as_of",
    "campaign",
    "id_prefix",
    "sample_data",
    "hotline",
    "office",
    "footer",
    "theme",
    "briefing",
];

pub(crate) const BRIEFING_FIELDS: &[&str] = &["number", "to", "cc", "issuer", "public_docx"];

pub fn site(cx: &mut Ctx, node: &Node, themes: &BTreeSet<String>) -> Option<Config> {
    let mut obj = cx.obj(node, "site.yaml")?;
    let title = cx.req_text(&mut obj, "title");
    let lang = match obj.get("language") {
        None => Some(Lang::Zh),
        Some(n) => cx.enum_of(n, "language", Lang::parse, &["zh-CN", "en"]),
    };
    let url_span = obj.get("base_url").map_or(obj.span, |n| n.span);
    let base_url = cx.opt_text(&mut obj, "base_url").and_then(|url| {
        let ok = (url.starts_with("https://") || url.starts_with("http://")) && url.ends_with('/');
        if !ok {
            cx.err(url_span, Kind::BadUrl { value: url.clone() });
        }
        ok.then_some(url)
    });
    let as_of = cx.opt_date(&mut obj, "as_of").map(|(d, _)| d);
    let period = match obj.get("campaign") {
        None => {
            cx.missing(&mut obj, "campaign");
            None
        }
        Some(n) => campaign(cx, n),
    };
    let footer = obj
        .get("footer")
        .and_then(|n| footer(cx, n))
        .unwrap_or_default();
    let subtitle = cx.opt_text(&mut obj, "subtitle");
    let id_prefix = cx.opt_text(&mut obj, "id_prefix");
    let sample_data = cx.opt_bool(&mut obj, "sample_data").unwrap_or(false);
    let hotline = cx.opt_text(&mut obj, "hotline");
    let office = cx.opt_text(&mut obj, "office");
    let theme = theme(cx, &mut obj, themes);
    let briefing = obj
        .get("briefing")
        .and_then(|n| briefing(cx, n))
        .unwrap_or_default();
    // Before the `?`: unknown fields are reported even when the campaign is broken.
    cx.finish(obj, SITE_FIELDS);
    let (start, end) = period?;
    let config = Config {
        title: title.unwrap_or_default(),
        subtitle,
        lang: lang.unwrap_or_default(),
        base_url,
        as_of,
        start,
        end,
        id_prefix,
        sample_data,
        hotline,
        office,
        footer,
        theme,
        briefing,
    };
    Some(config)
}

/// A theme is a name (letters, digits, `-`), never a path, and a named one must exist as
/// `themes/<name>/` beside the content folder; `default` is built in.
fn theme(cx: &mut Ctx, obj: &mut Obj, themes: &BTreeSet<String>) -> String {
    let span = obj.get("theme").map_or(obj.span, |n| n.span);
    let Some(name) = cx.opt_text(obj, "theme") else {
        return "default".into();
    };
    if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        let kind = Kind::BadId {
            field: "theme".into(),
            value: name,
            pattern: "A-Z a-z 0-9 -",
        };
        cx.err(span, kind);
    } else if name != "default" && !themes.contains(&name) {
        let suggestion = suggest(&name, themes.iter().map(String::as_str));
        let kind = Kind::UnknownTheme {
            value: name,
            suggestion,
        };
        cx.err(span, kind);
    } else {
        return name;
    }
    "default".into()
}

fn campaign(cx: &mut Ctx, node: &Node) -> Option<(crate::model::Date, crate::model::Date)> {
    let mut obj = cx.obj(node, "campaign")?;
    let start = cx.req_date(&mut obj, "start");
    let end = cx.req_date(&mut obj, "end");
    cx.finish(obj, &["start", "end"]);
    let ((start, _), (end, end_span)) = (start?, end?);
    if end < start {
        cx.err(
            end_span,
            Kind::CampaignEnd {
                start: start.to_string(),
                end: end.to_string(),
            },
        );
    }
    Some((start, end))
}

fn footer(cx: &mut Ctx, node: &Node) -> Option<Footer> {
    let mut obj = cx.obj(node, "footer")?;
    let footer = Footer {
        organizer: cx.opt_text(&mut obj, "organizer"),
        address: cx.opt_text(&mut obj, "address"),
        site_code: cx.opt_text(&mut obj, "site_code"),
        icp: cx.opt_text(&mut obj, "icp"),
        police: cx.opt_text(&mut obj, "police"),
    };
    cx.finish(obj, &["organizer", "address", "site_code", "icp", "police"]);
    Some(footer)
}

fn briefing(cx: &mut Ctx, node: &Node) -> Option<BriefingDoc> {
    let mut obj = cx.obj(node, "briefing")?;
    let number_span = obj.get("number").map(|n| n.span);
    let number = cx.opt_text(&mut obj, "number");
    if let (Some(value), Some(span)) = (&number, number_span) {
        number_pattern(cx, value, span);
    }
    let doc = BriefingDoc {
        number,
        to: names(cx, &mut obj, "to"),
        cc: names(cx, &mut obj, "cc"),
        issuer: cx.opt_text(&mut obj, "issuer"),
        public_docx: cx.opt_bool(&mut obj, "public_docx").unwrap_or(false),
    };
    cx.finish(obj, BRIEFING_FIELDS);
    Some(doc)
}

/// A 文号 pattern needs `{n}` and knows no placeholder but `{year}` and `{n}`.
fn number_pattern(cx: &mut Ctx, value: &str, span: Span) {
    let mut rest = value;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        let name = &after[..close];
        if name != "year" && name != "n" {
            cx.err(span, Kind::NumberPlaceholder { name: name.into() });
        }
        rest = &after[close + 1..];
    }
    if !value.contains("{n}") {
        cx.err(
            span,
            Kind::NumberWithoutN {
                value: value.into(),
            },
        );
    }
}

/// A list of unit names (主送, 抄送), trimmed; a blank item is an error.
fn names(cx: &mut Ctx, obj: &mut super::fields::Obj, field: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (name, span) in cx.texts(obj, field) {
        let name = name
            .trim()
            .trim_matches(|c: char| c == '\u{200b}' || c == '\u{feff}');
        if name.trim().is_empty() {
            cx.err(
                span,
                Kind::BlankItem {
                    field: format!("briefing.{field}"),
                },
            );
        } else {
            out.push(name.trim().to_string());
        }
    }
    out
}

pub fn organisation(cx: &mut Ctx, node: &Node) -> Option<Organisation> {
    let mut obj = cx.obj(node, "organisation.yaml")?;
    let mut seen = BTreeMap::new();
    let departments = units(cx, &mut obj, "departments", &mut seen);
    let streets = units(cx, &mut obj, "streets", &mut seen);
    let group_nodes = cx.list(&mut obj, "groups");
    let rivers = super::rivers::rivers(cx, &mut obj, unit_id);
    cx.finish(obj, &["departments", "streets", "groups", "rivers"]);
    let mut org = Organisation {
        departments,
        streets,
        groups: Vec::new(),
        rivers,
    };
    let raw: Vec<_> = group_nodes
        .iter()
        .filter_map(|n| raw_group(cx, n, &mut seen))
        .collect();
    for (id, name, members) in &raw {
        let resolved = resolve_members(cx, &org, &raw, id, members, 0);
        org.groups.push(Group {
            id: id.clone(),
            name: name.clone(),
            members: resolved,
        });
    }
    Some(org)
}

fn units(
    cx: &mut Ctx,
    obj: &mut crate::validate::fields::Obj,
    field: &str,
    seen: &mut BTreeMap<String, Span>,
) -> Vec<Unit> {
    let nodes = cx.list(obj, field);
    let mut out = Vec::new();
    for node in nodes {
        let Some(mut o) = cx.obj(node, field) else {
            continue;
        };
        let id = unit_id(cx, &mut o, seen);
        let name = cx.req_text(&mut o, "name");
        let full_name = cx.opt_text(&mut o, "full_name");
        let communities = cx
            .texts(&mut o, "communities")
            .into_iter()
            .map(|(s, _)| s)
            .collect();
        cx.finish(o, &["id", "name", "full_name", "communities"]);
        if let (Some(id), Some(name)) = (id, name) {
            out.push(Unit {
                id,
                name,
                full_name,
                communities,
            });
        }
    }
    out
}

fn unit_id(
    cx: &mut Ctx,
    o: &mut crate::validate::fields::Obj,
    seen: &mut BTreeMap<String, Span>,
) -> Option<String> {
    let node = o.get("id");
    let id = cx.req_text(o, "id")?;
    let span = node.map(|n| n.span).unwrap_or(o.span);
    let ok = !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !ok {
        cx.err(
            span,
            Kind::BadId {
                field: "id".into(),
                value: id,
                pattern: "a-z 0-9 -",
            },
        );
        return None;
    }
    if seen.insert(id.clone(), span).is_some() {
        cx.err(
            span,
            Kind::DuplicateId {
                id: id.clone(),
                other: "organisation.yaml".into(),
            },
        );
        return None;
    }
    check_id(cx, &id, span);
    Some(id)
}

type RawGroup = (String, String, Vec<(String, Span)>);

fn raw_group(cx: &mut Ctx, node: &Node, seen: &mut BTreeMap<String, Span>) -> Option<RawGroup> {
    let mut o = cx.obj(node, "groups")?;
    let id = unit_id(cx, &mut o, seen);
    let name = cx.req_text(&mut o, "name");
    let members = cx.texts(&mut o, "members");
    cx.finish(o, &["id", "name", "members"]);
    Some((id?, name?, members))
}

/// Expands a group to unit ids: `streets` is every street; a member may itself be a group.
fn resolve_members(
    cx: &mut Ctx,
    org: &Organisation,
    raw: &[RawGroup],
    id: &str,
    members: &[(String, Span)],
    depth: usize,
) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (m, span) in members {
        let found: Vec<String> = if m == "streets" {
            org.streets.iter().map(|s| s.id.clone()).collect()
        } else if m == "departments" {
            org.departments.iter().map(|s| s.id.clone()).collect()
        } else if org.department(m).is_some() || org.street(m).is_some() {
            vec![m.clone()]
        } else if let Some((gid, _, inner)) = raw.iter().find(|(g, _, _)| g == m) {
            if depth > 8 || gid == id {
                cx.err(*span, Kind::GroupCycle { id: id.to_string() });
                continue;
            }
            resolve_members(cx, org, raw, gid, inner, depth + 1)
        } else {
            let ids = org
                .departments
                .iter()
                .chain(&org.streets)
                .map(|u| u.id.as_str());
            let suggestion = suggest(m, ids.chain(["streets", "departments"]));
            cx.err(
                *span,
                Kind::UnknownRef {
                    what: "group member",
                    value: m.clone(),
                    suggestion: suggestion.map(|s| format!("`{s}`")),
                },
            );
            continue;
        };
        for f in found {
            if !out.contains(&f) {
                out.push(f);
            }
        }
    }
    let order = |id: &String| {
        org.departments
            .iter()
            .chain(&org.streets)
            .position(|u| &u.id == id)
    };
    out.sort_by_key(order);
    out
}

pub fn plan(cx: &mut Ctx, node: &Node, body: &str) -> Option<Plan> {
    let mut obj = cx.obj(node, "front matter")?;
    let title = cx.req_text(&mut obj, "title");
    let plan = Plan {
        title: title.unwrap_or_default(),
        doc_no: cx.opt_text(&mut obj, "doc_no"),
        issuer: cx.opt_text(&mut obj, "issuer"),
        date: cx.opt_date(&mut obj, "date").map(|(d, _)| d),
        body: super::docs::without_comments(body),
    };
    cx.finish(obj, &["title", "doc_no", "issuer", "date"]);
    Some(plan)
}

pub fn tasks(cx: &mut Ctx, node: &Node, refs: &Refs) -> Vec<Task> {
    let items = match &node.value {
        Value::Seq(items) => items,
        Value::Null => return Vec::new(),
        _ => {
            cx.err(
                node.span,
                Kind::WrongType {
                    field: "tasks.yaml".into(),
                    expected: "a list",
                },
            );
            return Vec::new();
        }
    };
    let mut seen: BTreeMap<u32, ()> = BTreeMap::new();
    let mut out = Vec::new();
    for item in items {
        if let Some(task) = task(cx, item, refs) {
            if seen.insert(task.id, ()).is_some() {
                cx.err(
                    item.span,
                    Kind::DuplicateId {
                        id: task.id.to_string(),
                        other: "tasks.yaml".into(),
                    },
                );
                continue;
            }
            out.push(task);
        }
    }
    out
}

fn task(cx: &mut Ctx, node: &Node, refs: &Refs) -> Option<Task> {
    let mut obj = cx.obj(node, "tasks")?;
    let id = match obj.get("id") {
        Some(n) => cx.integer_of(n, "id"),
        None => {
            cx.missing(&mut obj, "id");
            None
        }
    };
    let title = cx.req_text(&mut obj, "title");
    let text = cx.opt_text(&mut obj, "text").unwrap_or_default();
    let text = super::docs::without_comments(&text);
    let owners = match obj.get("owners") {
        Some(n) => owners(cx, n, refs),
        None => Owners::default(),
    };
    let milestones = cx
        .list(&mut obj, "milestones")
        .into_iter()
        .filter_map(|n| milestone(cx, n))
        .collect();
    cx.finish(obj, &["id", "title", "text", "owners", "milestones"]);
    Some(Task {
        id: id?,
        title: title?,
        text,
        owners,
        milestones,
    })
}

fn owners(cx: &mut Ctx, node: &Node, refs: &Refs) -> Owners {
    let Some(mut obj) = cx.obj(node, "owners") else {
        return Owners::default();
    };
    let mut role = |cx: &mut Ctx, field: &str| -> Vec<String> {
        cx.texts(&mut obj, field)
            .into_iter()
            .filter_map(|(id, span)| refs.owner(cx, &id, span))
            .collect()
    };
    let owners = Owners {
        lead: role(cx, "lead"),
        implement: role(cx, "implement"),
        support: role(cx, "support"),
    };
    cx.finish(obj, &["lead", "implement", "support"]);
    owners
}

fn milestone(cx: &mut Ctx, node: &Node) -> Option<Milestone> {
    let mut obj = cx.obj(node, "milestones")?;
    let date = cx.req_date(&mut obj, "date");
    let text = cx.req_text(&mut obj, "text");
    let done = cx.opt_date(&mut obj, "done").map(|(d, _)| d);
    cx.finish(obj, &["date", "text", "done"]);
    Some(Milestone {
        date: date?.0,
        text: text?,
        done,
    })
}
