//! What templates see of cases, notes and figures: plain serialisable views, already cut at D.

use super::Renderer;
use crate::lang::Lang;
use crate::model::{Case, Date, Note, Publicity, Site};
use crate::report::{Counts, percent, state};
use serde::Serialize;

/// A case as one row of a list.
#[derive(Clone, Debug, Serialize)]
pub struct CaseRow {
    pub id: String,
    pub name: String,
    pub street: String,
    pub street_name: String,
    pub community: String,
    pub industry: String,
    /// The river's id (or text) for filtering, and the name shown.
    pub river: String,
    pub river_name: String,
    pub source: &'static str,
    pub source_label: &'static str,
    pub action: &'static str,
    pub action_label: &'static str,
    pub status: &'static str,
    pub status_label: &'static str,
    pub overdue: bool,
    pub relapsed: bool,
    pub watch: bool,
    pub typical: bool,
    /// Closed at D without an `after` photo showing (the case list's `after_photo=missing`); only
    /// written when true, so the list script stays small.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub no_after_photo: bool,
    pub found: String,
    pub deadline: String,
    pub rectified: String,
    pub closed: String,
    /// The plan tasks and departments, so the case list can be filtered by them.
    pub tasks: Vec<u32>,
    pub units: Vec<String>,
}

fn date_at(x: Option<Date>, d: Date) -> String {
    x.filter(|x| *x <= d)
        .map(|x| x.to_string())
        .unwrap_or_default()
}

/// The row of a case that exists at `d`.
pub fn case_row(site: &Site, case: &Case, d: Date) -> Option<CaseRow> {
    let s = state(case, d)?;
    let lang = site.config.lang;
    Some(CaseRow {
        id: case.id.clone(),
        name: case.name.clone(),
        street: case.street.clone(),
        street_name: site.org.owner_name(&case.street).to_string(),
        community: case.community.clone().unwrap_or_default(),
        industry: case
            .industry
            .as_deref()
            .unwrap_or_default()
            .trim()
            .to_string(),
        river: case.river.clone().unwrap_or_default(),
        river_name: case
            .river
            .as_deref()
            .map(|r| site.org.river_name(r).to_string())
            .unwrap_or_default(),
        source: case.source.key(),
        source_label: case.source.label(lang),
        action: case.action.key(),
        action_label: case.action.label(lang),
        status: s.status.key(),
        status_label: s.status.label(lang),
        overdue: s.overdue,
        relapsed: s.relapsed,
        watch: case.watch || s.relapsed,
        typical: case.typical,
        no_after_photo: crate::report::lacks_after_photo(case, d),
        found: case.found.to_string(),
        deadline: case.deadline.map(|x| x.to_string()).unwrap_or_default(),
        rectified: date_at(case.rectified, d),
        closed: date_at(case.closed, d),
        tasks: case.tasks.clone(),
        units: case.units.clone(),
    })
}

/// How many cases existing at D are not published, in all (key "") and for each single filter the
/// list offers by street, status and 三个一批 (`street:…`, `status:…`, `action:…`): counts only, so
/// the list can say 另有 N 个场所按规定不公开 without any unpublished case's attributes.
pub fn hidden_counts(r: &Renderer) -> std::collections::BTreeMap<String, usize> {
    let mut out = std::collections::BTreeMap::new();
    let hidden = r
        .site
        .cases
        .iter()
        .filter(|c| c.found <= r.d && !r.published(c));
    for c in hidden {
        let Some(s) = state(c, r.d) else { continue };
        let mut keys = vec![
            String::new(),
            format!("street:{}", c.street),
            format!("status:{}", s.status.key()),
            format!("action:{}", c.action.key()),
        ];
        if s.overdue {
            keys.push("status:overdue".into());
        }
        if s.relapsed {
            keys.push("status:relapsed".into());
        }
        for k in keys {
            *out.entry(k).or_insert(0) += 1;
        }
    }
    out
}

/// Status counts with the rate already formatted, for templates.
#[derive(Clone, Debug, Serialize)]
pub struct Figures {
    #[serde(flatten)]
    pub counts: Counts,
    pub percent: String,
    pub rate_width: String,
}

pub fn figures(c: Counts) -> Figures {
    Figures {
        counts: c,
        percent: percent(c.done, c.found),
        rate_width: format!("{:.1}", c.rate * 100.0),
    }
}

/// A note or publicity item in a list.
#[derive(Clone, Debug, Serialize)]
pub struct DocRow {
    pub url: String,
    pub title: String,
    pub date: String,
    /// The date as a sentence writes it: 2022年3月17日 on a Chinese site.
    pub date_label: String,
    pub kind: &'static str,
    pub kind_label: &'static str,
    pub street_name: String,
    pub excerpt: String,
}

pub fn note_row(site: &Site, n: &Note) -> DocRow {
    DocRow {
        url: format!("notes/{}.html", n.slug),
        title: n.title.clone(),
        date: n.date.to_string(),
        date_label: long_date(n.date, site.config.lang),
        kind: n.kind.key(),
        kind_label: n.kind.label(site.config.lang),
        street_name: n
            .street
            .as_deref()
            .map(|s| site.org.owner_name(s).to_string())
            .unwrap_or_default(),
        excerpt: super::markdown::excerpt(&n.body, 80),
    }
}

pub fn publicity_row(site: &Site, p: &Publicity) -> DocRow {
    DocRow {
        url: format!("publicity/{}.html", p.slug),
        title: p.title.clone(),
        date: p.date.to_string(),
        date_label: long_date(p.date, site.config.lang),
        kind: p.kind.key(),
        kind_label: p.kind.label(site.config.lang),
        street_name: p
            .street
            .as_deref()
            .map(|s| site.org.owner_name(s).to_string())
            .unwrap_or_default(),
        excerpt: super::markdown::excerpt(&p.body, 80),
    }
}

/// A date as the site writes it in sentences: 2022年6月30日 on a Chinese site, 2022-06-30 in English.
pub fn long_date(d: Date, lang: Lang) -> String {
    use chrono::Datelike;
    match lang {
        Lang::Zh => format!("{}年{}月{}日", d.year(), d.month(), d.day()),
        Lang::En => d.to_string(),
    }
}

/// A date in a sentence as of D: 3月17日 within D's year, 2021年12月3日 otherwise; ISO in English.
pub fn sentence_date(x: Date, d: Date, lang: Lang) -> String {
    use chrono::Datelike;
    match lang {
        Lang::Zh if x.year() == d.year() => format!("{}月{}日", x.month(), x.day()),
        _ => long_date(x, lang),
    }
}

/// A change in percentage points as people read it: ▲上升2.5个百分点 / ▼ … / 持平.
pub fn change_text(change: Option<f64>, lang: Lang) -> (String, &'static str) {
    let words = |arrow: &str, up: bool, c: f64| match lang {
        Lang::Zh => format!("{arrow}{}{c:.1}个百分点", if up { "上升" } else { "下降" }),
        Lang::En => format!("{arrow} {} {c:.1} pp", if up { "up" } else { "down" }),
    };
    match change {
        None => ("—".into(), "none"),
        Some(c) if c.abs() < 0.05 => (lang.pick("持平", "no change").into(), "flat"),
        Some(c) if c > 0.0 => (words("▲", true, c), "up"),
        Some(c) => (words("▼", false, -c), "down"),
    }
}
