//! The search index: every published page's title and text as a script, so `search.html` works
//! from disk (no `fetch` on `file://`) and for Chinese (substring matching needs no word splitting).

use super::Renderer;
use anyhow::Result;
use serde::Serialize;

/// One searchable page.
#[derive(Serialize)]
struct Entry {
    /// URL relative to the output root.
    u: String,
    /// Title.
    t: String,
    /// What kind of page, in the site's language.
    k: String,
    /// Date, if any.
    d: String,
    /// Plain text to search and to cut snippets from.
    x: String,
}

/// Markdown to plain text for searching: the text of every block, joined.
fn plain(markdown: &str) -> String {
    use pulldown_cmark::{Event, Parser};
    let mut out = String::new();
    for event in Parser::new(markdown) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak | Event::End(_) => out.push(' '),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub fn index_js(r: &Renderer) -> Result<Vec<u8>> {
    let site = r.site;
    let lang = r.lang();
    let mut entries = Vec::new();
    for c in site.cases.iter().filter(|c| r.published(c)) {
        let street = site.org.owner_name(&c.street);
        let facts = [
            Some(c.id.as_str()),
            Some(street),
            c.community.as_deref(),
            c.industry.as_deref(),
            c.location.as_deref(),
            c.river.as_deref(),
            Some(c.action.label(lang)),
        ];
        let mut x = facts
            .iter()
            .flatten()
            .copied()
            .collect::<Vec<_>>()
            .join(" ");
        if let Some(s) = &c.summary {
            x.push(' ');
            x.push_str(&plain(s));
        }
        entries.push(Entry {
            u: format!("cases/{}.html", c.id),
            t: c.name.clone(),
            k: r.t("search_kind_case"),
            d: c.found.to_string(),
            x,
        });
    }
    for n in site.notes.iter().filter(|n| n.date <= r.d) {
        entries.push(Entry {
            u: format!("notes/{}.html", n.slug),
            t: n.title.clone(),
            k: n.kind.label(lang).to_string(),
            d: n.date.to_string(),
            x: plain(&n.body),
        });
    }
    for p in site.publicity.iter().filter(|p| p.date <= r.d) {
        entries.push(Entry {
            u: format!("publicity/{}.html", p.slug),
            t: p.title.clone(),
            k: p.kind.label(lang).to_string(),
            d: p.date.to_string(),
            x: plain(&p.body),
        });
    }
    for t in &site.tasks {
        entries.push(Entry {
            u: format!("tasks/{}.html", t.id),
            t: t.title.clone(),
            k: r.t("nav_tasks"),
            d: String::new(),
            x: plain(&t.text),
        });
    }
    for s in &site.org.streets {
        entries.push(Entry {
            u: format!("streets/{}.html", s.id),
            t: s.name.clone(),
            k: r.t("col_street"),
            d: String::new(),
            x: s.communities.join(" "),
        });
    }
    for u in &site.org.departments {
        entries.push(Entry {
            u: format!("units/{}.html", u.id),
            t: u.name.clone(),
            k: r.t("units"),
            d: String::new(),
            x: u.full_name.clone().unwrap_or_default(),
        });
    }
    entries.push(Entry {
        u: "plan.html".into(),
        t: site.plan.title.clone(),
        k: r.t("nav_plan"),
        d: site.plan.date.map(|d| d.to_string()).unwrap_or_default(),
        x: plain(&site.plan.body),
    });
    let json = serde_json::to_string(&entries)?.replace("</", "<\\/");
    Ok(format!("window.RECTIFY_SEARCH = {json};\n").into_bytes())
}
