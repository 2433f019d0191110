//! The search index: every published page's title and text as a script, so `search.html` works
//! from disk (no `fetch` on `file://`) and for Chinese (substring matching needs no word splitting).

use super::Renderer;
use crate::model::Case;
use anyhow::Result;
use serde::Serialize;

/// One searchable page.
#[derive(Serialize)]
struct Entry<'a> {
    /// URL relative to the output root.
    u: String,
    /// Title.
    t: &'a str,
    /// What kind of page, in the site's language.
    k: &'a str,
    /// Date, if any.
    d: String,
    /// Plain text to search and to cut snippets from.
    x: String,
}

/// Markdown to plain text for searching: the text of every block, words joined by one space.
fn plain(markdown: &str) -> String {
    let mut out = String::new();
    push_plain(&mut out, markdown);
    out
}

/// Appends `plain(markdown)` to `out`.
fn push_plain(out: &mut String, markdown: &str) {
    use pulldown_cmark::{Event, Parser};
    let mut text = String::new();
    for event in Parser::new(markdown) {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak | Event::End(_) => text.push(' '),
            _ => {}
        }
    }
    for (i, word) in text.split_whitespace().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(word);
    }
}

/// A case's entry: its id, street, community, industry, location, river, action and summary.
fn case_entry<'a>(r: &'a Renderer, c: &'a Case, kind: &'a str) -> Entry<'a> {
    let facts = [
        Some(c.id.as_str()),
        Some(r.site.org.owner_name(&c.street)),
        c.community.as_deref(),
        c.industry.as_deref(),
        c.location.as_deref(),
        c.river.as_deref(),
        Some(c.action.label(r.lang())),
    ];
    let mut x = String::new();
    for (i, fact) in facts.iter().flatten().enumerate() {
        if i > 0 {
            x.push(' ');
        }
        x.push_str(fact);
    }
    if let Some(s) = &c.summary {
        x.push(' ');
        push_plain(&mut x, s);
    }
    Entry {
        u: format!("cases/{}.html", c.id),
        t: &c.name,
        k: kind,
        d: c.found.to_string(),
        x,
    }
}

pub fn index_js(r: &Renderer) -> Result<Vec<u8>> {
    let site = r.site;
    let lang = r.lang();
    let (case_kind, task_kind) = (r.t("search_kind_case"), r.t("nav_tasks"));
    let (street_kind, unit_kind) = (r.t("col_street"), r.t("units"));
    let plan_kind = r.t("nav_plan");
    let notes = site.notes.iter().filter(|n| n.date <= r.d).map(|n| Entry {
        u: format!("notes/{}.html", n.slug),
        t: &n.title,
        k: n.kind.label(lang),
        d: n.date.to_string(),
        x: plain(&n.body),
    });
    let publicity = site
        .publicity
        .iter()
        .filter(|p| p.date <= r.d)
        .map(|p| Entry {
            u: format!("publicity/{}.html", p.slug),
            t: &p.title,
            k: p.kind.label(lang),
            d: p.date.to_string(),
            x: plain(&p.body),
        });
    let tasks = site.tasks.iter().map(|t| Entry {
        u: format!("tasks/{}.html", t.id),
        t: &t.title,
        k: &task_kind,
        d: String::new(),
        x: plain(&t.text),
    });
    let streets = site.org.streets.iter().map(|s| Entry {
        u: format!("streets/{}.html", s.id),
        t: &s.name,
        k: &street_kind,
        d: String::new(),
        x: s.communities.join(" "),
    });
    let units = site.org.departments.iter().map(|u| Entry {
        u: format!("units/{}.html", u.id),
        t: &u.name,
        k: &unit_kind,
        d: String::new(),
        x: u.full_name.clone().unwrap_or_default(),
    });
    let plan = std::iter::once(Entry {
        u: "plan.html".into(),
        t: &site.plan.title,
        k: &plan_kind,
        d: site.plan.date.map(|d| d.to_string()).unwrap_or_default(),
        x: plain(&site.plan.body),
    });
    let rest = notes
        .chain(publicity)
        .chain(tasks)
        .chain(streets)
        .chain(units)
        .chain(plan);
    // The published cases first (`data::script_array` lists them).
    super::data::script_array(
        r,
        ("data/search-index.js", "RECTIFY_SEARCH"),
        |c| Some(case_entry(r, c, &case_kind)),
        rest,
    )
}
