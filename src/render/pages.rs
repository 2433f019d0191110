//! The HTML pages of the site, one function per kind of page.

use super::deps::{Affected, PageKind};
use super::views::{CaseRow, case_row, change_text, figures, long_date, note_row, publicity_row};
use super::{Page, Renderer};
use crate::model::{Case, Date, Note, Publicity, Task};
use crate::report::{CASE_LIST_CAP, Counts, months, open_relapse, percent, state};
use anyhow::Result;
use rayon::prelude::*;
use serde_json::{Value, json};

/// Cases per page of the case list.
pub const PER_PAGE: usize = 50;

/// Cases rendered per batch: enough to keep both cores busy, few enough to bound memory.
const BATCH: usize = 2000;

/// The pages `which` names (see `deps`): whole kinds, and single case pages by id, handed to `emit`
/// in batches (case pages, the bulk at scale, a batch at a time).
pub fn selected(
    r: &Renderer,
    which: &Affected,
    emit: &mut dyn FnMut(Vec<Page>) -> Result<()>,
) -> Result<()> {
    let all = |kind| which.all_of(kind);
    // Pages of the kinds made by `page_keyed` are left out when they can stay as the last build
    // wrote them.
    let mut pages = Vec::new();
    if all(PageKind::Home) {
        let _t = crate::timings::phase("home");
        pages.extend(home(r)?);
    }
    if all(PageKind::Plan) {
        let _t = crate::timings::phase("plan");
        pages.push(plan(r)?);
    }
    if all(PageKind::Tasks) {
        let _t = crate::timings::phase("tasks index");
        pages.push(tasks_index(r)?);
    }
    if all(PageKind::Streets) {
        let _t = crate::timings::phase("streets index");
        pages.push(streets_index(r)?);
    }
    if all(PageKind::Watchlist) {
        let _t = crate::timings::phase("watchlist");
        pages.extend(watchlist(r)?);
    }
    if all(PageKind::Rivers) {
        let _t = crate::timings::phase("rivers");
        pages.extend(super::rivers::page(r)?);
    }
    if all(PageKind::Briefings) {
        let _t = crate::timings::phase("briefings index");
        pages.push(briefings_index(r)?);
    }
    if all(PageKind::Notes) {
        let _t = crate::timings::phase("notes index");
        pages.extend(notes_index(r)?);
    }
    if all(PageKind::Publicity) {
        let _t = crate::timings::phase("publicity index");
        pages.extend(publicity_index(r)?);
    }
    if all(PageKind::CaseLists) {
        let _t = crate::timings::phase("case lists");
        case_lists(r, emit)?;
    }
    let published: Vec<&Case> = if all(PageKind::Case) {
        r.site.cases.iter().filter(|c| r.published(c)).collect()
    } else {
        which
            .cases
            .iter()
            .filter_map(|id| case_by_id(r.site, id))
            .filter(|c| r.published(c))
            .collect()
    };
    let mut rendering = crate::timings::Tally::new("case pages (render)");
    for chunk in published.chunks(BATCH) {
        emit(rendering.time(|| each(chunk, |c| case(r, c)))?)?;
    }
    drop(rendering);
    let months: Vec<usize> = (0..r.briefings.len()).collect();
    let publicity: Vec<&Publicity> = r.site.publicity.iter().filter(|p| p.date <= r.d).collect();
    if all(PageKind::Tasks) {
        let _t = crate::timings::phase("task pages");
        pages.extend(pages_of_cases(
            r,
            &r.site.tasks,
            |t| t.id,
            |c| c.tasks.clone(),
            |t, mine| task(r, t, mine),
        )?);
    }
    if all(PageKind::Units) {
        let _t = crate::timings::phase("unit pages");
        pages.extend(pages_of_cases(
            r,
            &r.site.org.departments,
            |u| u.id.as_str(),
            |c| c.units.iter().map(String::as_str).collect(),
            |u, mine| unit(r, &u.id, mine),
        )?);
    }
    if all(PageKind::Streets) {
        let _t = crate::timings::phase("street pages");
        pages.extend(pages_of_cases(
            r,
            &r.site.org.streets,
            |s| s.id.as_str(),
            |c| vec![c.street.as_str()],
            |s, own| street(r, &s.id, own),
        )?);
    }
    if all(PageKind::Briefings) {
        let _t = crate::timings::phase("briefing pages");
        let briefings: Vec<Vec<Page>> = months
            .par_iter()
            .map(|i| briefing_page(r, *i))
            .collect::<Result<_>>()?;
        pages.extend(briefings.into_iter().flatten());
    }
    if all(PageKind::Notes) {
        let _t = crate::timings::phase("note pages");
        pages.extend(each(&visible_notes(r), |n| note(r, n))?);
    }
    if all(PageKind::Publicity) {
        let _t = crate::timings::phase("publicity pages");
        pages.extend(each(&publicity, |p| publicity_item(r, p))?);
    }
    if all(PageKind::Fixed) {
        pages.push(r.page("search.html", "search.html", &r.t("nav_search"), json!({}))?);
        if r.site.config.base_url.is_some() {
            pages.push(r.page(
                "404.html",
                "404.html",
                &r.t("not_found"),
                json!({ "base_path": base_path(r) }),
            )?);
        }
    }
    emit(pages)
}

/// The case with `id`: found by halving when the cases are in id order (as validation leaves
/// them), else by looking at each.
fn case_by_id<'s>(site: &'s crate::model::Site, id: &str) -> Option<&'s Case> {
    match site.cases.binary_search_by(|c| c.id.as_str().cmp(id)) {
        Ok(i) => Some(&site.cases[i]),
        Err(_) => site.cases.iter().find(|c| c.id == id),
    }
}

/// One page per item (a task, unit or street), in parallel, each given the cases filed under the
/// item's key (`item_key`) by `case_keys`; the pages that can stay as the last build wrote them are
/// left out.
fn pages_of_cases<'a, T: Sync, K: Ord + Sync>(
    r: &'a Renderer,
    items: &'a [T],
    item_key: impl Fn(&'a T) -> K + Sync + Send,
    case_keys: impl Fn(&'a Case) -> Vec<K>,
    page: impl Fn(&'a T, &[&'a Case]) -> Result<Option<Page>> + Sync + Send,
) -> Result<Vec<Page>> {
    let by = cases_by(r, case_keys);
    let made: Vec<Option<Page>> = items
        .par_iter()
        .map(|t| page(t, by.get(&item_key(t)).map_or(&[], Vec::as_slice)))
        .collect::<Result<_>>()?;
    Ok(made.into_iter().flatten().collect())
}

/// The cases under each key `keys` gives a case (its units, tasks or street), in the site's order:
/// one pass over the cases for all the pages of a kind, not one per page.
fn cases_by<'a, K: Ord>(
    r: &'a Renderer,
    keys: impl Fn(&'a Case) -> Vec<K>,
) -> std::collections::BTreeMap<K, Vec<&'a Case>> {
    let mut by: std::collections::BTreeMap<K, Vec<&'a Case>> = Default::default();
    for c in &r.site.cases {
        let mut ks = keys(c);
        ks.sort();
        ks.dedup();
        for k in ks {
            by.entry(k).or_default().push(c);
        }
    }
    by
}

/// Renders one page per item, in parallel, keeping the items' order.
fn each<T: Sync>(
    items: &[T],
    page: impl Fn(&T) -> Result<Page> + Sync + Send,
) -> Result<Vec<Page>> {
    items.par_iter().map(page).collect()
}

/// The path part of `base_url` (e.g. `/yuexiu/`), for the 404 page that is served at any depth.
fn base_path(r: &Renderer) -> String {
    let url = r.site.config.base_url.as_deref().unwrap_or("/");
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    after_scheme
        .find('/')
        .map_or("/".to_string(), |i| after_scheme[i..].to_string())
}

fn visible_notes<'a>(r: &'a Renderer) -> Vec<&'a Note> {
    r.site.notes.iter().filter(|n| n.date <= r.d).collect()
}

/// Rows of the published cases among `cases`, at D.
fn rows<'a>(r: &Renderer, cases: impl Iterator<Item = &'a Case>) -> Vec<CaseRow> {
    cases
        .filter(|c| r.published(c))
        .filter_map(|c| case_row(r.site, c, r.d))
        .collect()
}

/// Case lists embedded in street, task and department pages show at most this many rows; the case
/// list page, filtered, has them all.
const EMBEDDED_CASES: usize = 100;

/// The published rows among `cases` (the most recently found when there are more than a page
/// should hold), with the total, the count in words (and the unpublished note) and the case list's
/// filter that shows them all.
pub(super) fn capped<'c>(
    r: &Renderer,
    cases: impl Iterator<Item = &'c Case> + Clone,
    filter: &str,
) -> Value {
    // Rows are made only for the cases shown: at scale a street has thousands of cases.
    let mut shown: Vec<&Case> = cases
        .clone()
        .filter(|c| r.published(c) && state(c, r.d).is_some())
        .collect();
    let total = shown.len();
    let hidden = r.unpublished(cases);
    if total > EMBEDDED_CASES {
        // The latest found first; only the cases shown are put in order.
        let latest = |a: &&Case, b: &&Case| b.found.cmp(&a.found).then(a.id.cmp(&b.id));
        shown.select_nth_unstable_by(EMBEDDED_CASES, latest);
        shown.truncate(EMBEDDED_CASES);
        shown.sort_by(latest);
    }
    let rows = rows(r, shown.into_iter());
    json!({ "rows": rows, "total": total, "count": r.count_text(total, hidden), "filter": filter })
}

fn home(r: &Renderer) -> Result<Option<Page>> {
    let s = &r.summary;
    let typical = rows(r, r.site.cases.iter().filter(|c| c.typical));
    let typical_cards: Vec<Value> = r
        .site
        .cases
        .iter()
        .filter(|c| c.typical && r.published(c))
        .take(6)
        .map(|c| json!({ "id": c.id, "name": c.name, "street_name": r.site.org.owner_name(&c.street), "summary": c.summary.as_deref().map(|t| super::markdown::excerpt(t, 90)).unwrap_or_default(), "status_label": state(c, r.d).map(|s| s.status.label(r.lang())) }))
        .collect();
    let notes: Vec<_> = visible_notes(r)
        .into_iter()
        .take(5)
        .map(|n| note_row(r.site, n))
        .collect();
    let publicity: Vec<_> = r
        .site
        .publicity
        .iter()
        .filter(|p| p.date <= r.d)
        .take(5)
        .map(|p| publicity_row(r.site, p))
        .collect();
    let actions: Vec<Value> = s.actions.iter().zip(crate::model::Action::ALL).map(|(b, a)| json!({ "id": a.key(), "label": a.label(r.lang()), "found": b.found, "done": b.done, "percent": percent(b.done, b.found) })).collect();
    r.page_keyed(
        "index.html",
        "index.html",
        &r.site.config.title,
        json!({
            "totals": figures(s.totals),
            "actions": actions,
            "street_chart": r.streets_chart(),
            "trend_chart": r.trend_chart("monthly-trend", r.t("chart_trend_title"), &s.months),
            "breakdown_charts": breakdown_charts(r),
            "typical": typical_cards,
            "typical_count": typical.len(),
            "notes": notes,
            "publicity": publicity,
        }),
    )
}

fn plan(r: &Renderer) -> Result<Page> {
    let p = &r.site.plan;
    let tasks: Vec<Value> = r
        .site
        .tasks
        .iter()
        .map(|t| json!({ "id": t.id, "title": t.title, "numeral": numeral(t.id) }))
        .collect();
    r.page(
        "plan.html",
        "plan.html",
        &p.title,
        json!({
            "plan": { "title": p.title, "doc_no": p.doc_no, "issuer": p.issuer, "date": p.date.map(|d| d.to_string()) },
            "body": r.markdown(&p.body, ""),
            "tasks": tasks,
        }),
    )
}

/// The plan's (一)…(九) numbering.
fn numeral(id: u32) -> String {
    const DIGITS: [&str; 11] = [
        "〇", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十",
    ];
    match id {
        0..=10 => format!("（{}）", DIGITS[id as usize]),
        11..=19 => format!("（十{}）", DIGITS[(id - 10) as usize]),
        _ => format!("（{id}）"),
    }
}

/// The role a unit holds in a task, directly or through a group: lead, implement or support.
fn roles_of(r: &Renderer, task: &Task, unit: &str) -> Vec<(&'static str, Option<String>)> {
    let org = &r.site.org;
    let mut out = Vec::new();
    for (role, owners) in [
        ("lead", &task.owners.lead),
        ("implement", &task.owners.implement),
        ("support", &task.owners.support),
    ] {
        for o in owners {
            if o == unit {
                out.push((role, None));
            } else if let Some(g) = org.group(o).filter(|g| g.members.iter().any(|m| m == unit)) {
                out.push((role, Some(g.name.clone())));
            }
        }
    }
    out
}

/// Where an owner's page is, if it has one.
fn owner_url(r: &Renderer, id: &str) -> Option<String> {
    let org = &r.site.org;
    if org.department(id).is_some() {
        Some(format!("units/{id}.html"))
    } else if org.street(id).is_some() {
        Some(format!("streets/{id}.html"))
    } else {
        None
    }
}

fn owner_view(r: &Renderer, id: &str) -> Value {
    let members: Vec<Value> = r
        .site
        .org
        .group(id)
        .map(|g| {
            g.members
                .iter()
                .map(|m| json!({ "name": r.site.org.owner_name(m), "url": owner_url(r, m) }))
                .collect()
        })
        .unwrap_or_default();
    json!({ "id": id, "name": r.site.org.owner_name(id), "url": owner_url(r, id), "members": members })
}

fn tasks_index(r: &Renderer) -> Result<Page> {
    let org = &r.site.org;
    let mut columns: Vec<String> = Vec::new();
    let all_owners = |t: &Task| {
        t.owners
            .lead
            .iter()
            .chain(&t.owners.implement)
            .chain(&t.owners.support)
            .cloned()
            .collect::<Vec<_>>()
    };
    let order: Vec<&str> = org
        .departments
        .iter()
        .map(|u| u.id.as_str())
        .chain(org.groups.iter().map(|g| g.id.as_str()))
        .chain(org.streets.iter().map(|s| s.id.as_str()))
        .collect();
    for id in order {
        if r.site
            .tasks
            .iter()
            .any(|t| all_owners(t).iter().any(|o| o == id))
        {
            columns.push(id.to_string());
        }
    }
    let rows: Vec<Value> = r
        .site
        .tasks
        .iter()
        .map(|t| {
            let cells: Vec<Value> = columns
                .iter()
                .map(|c| {
                    let role = if t.owners.lead.contains(c) {
                        "lead"
                    } else if t.owners.implement.contains(c) {
                        "implement"
                    } else if t.owners.support.contains(c) {
                        "support"
                    } else {
                        ""
                    };
                    json!({ "role": role })
                })
                .collect();
            json!({ "id": t.id, "title": t.title, "numeral": numeral(t.id), "cells": cells })
        })
        .collect();
    let columns: Vec<Value> = columns.iter().map(|c| owner_view(r, c)).collect();
    r.page(
        "tasks/index.html",
        "tasks.html",
        &r.t("nav_tasks"),
        json!({ "columns": columns, "rows": rows }),
    )
}

fn milestones(t: &Task, d: Date) -> Vec<Value> {
    t.milestones
        .iter()
        .map(|m| {
            let done = m.done.filter(|x| *x <= d);
            let status = if done.is_some() { "done" } else if m.date < d { "late" } else { "pending" };
            json!({ "date": m.date.to_string(), "text": m.text, "done": done.map(|x| x.to_string()), "status": status })
        })
        .collect()
}

/// A task's page; `mine`: the cases under it.
fn task(r: &Renderer, t: &Task, mine: &[&Case]) -> Result<Option<Page>> {
    let role = |ids: &Vec<String>| ids.iter().map(|i| owner_view(r, i)).collect::<Vec<_>>();
    let notes: Vec<_> = visible_notes(r)
        .into_iter()
        .filter(|n| n.tasks.contains(&t.id))
        .map(|n| note_row(r.site, n))
        .collect();
    let cases = capped(r, mine.iter().copied(), &format!("?task={}", t.id));
    let counts = Counts::of(mine.iter().copied(), r.d);
    r.page_keyed(
        &format!("tasks/{}.html", t.id),
        "task.html",
        &t.title,
        json!({
            "task": { "id": t.id, "title": t.title, "numeral": numeral(t.id), "text": r.markdown(&t.text, "../") },
            "lead": role(&t.owners.lead), "implement": role(&t.owners.implement), "support": role(&t.owners.support),
            "milestones": milestones(t, r.d),
            "notes": notes, "cases": cases, "figures": figures(counts),
        }),
    )
}

fn unit_tasks(r: &Renderer, unit: &str) -> Vec<Value> {
    r.site
        .tasks
        .iter()
        .filter_map(|t| {
            let roles = roles_of(r, t, unit);
            (!roles.is_empty()).then(|| {
                let roles: Vec<Value> = roles
                    .iter()
                    .map(|(role, via)| json!({ "role": role, "via": via }))
                    .collect();
                json!({ "id": t.id, "title": t.title, "numeral": numeral(t.id), "roles": roles })
            })
        })
        .collect()
}

/// A unit's page; `mine`: the cases it takes part in.
fn unit(r: &Renderer, id: &str, mine: &[&Case]) -> Result<Option<Page>> {
    let u = r
        .site
        .org
        .department(id)
        .expect("department from the organisation");
    let cases = capped(r, mine.iter().copied(), &format!("?unit={id}"));
    let counts = Counts::of(mine.iter().copied(), r.d);
    let notes: Vec<_> = visible_notes(r)
        .into_iter()
        .filter(|n| n.units.iter().any(|x| x == id))
        .map(|n| note_row(r.site, n))
        .collect();
    let tasks = unit_tasks(r, id);
    let nothing = tasks.is_empty() && counts.found == 0 && notes.is_empty();
    r.page_keyed(
        &format!("units/{id}.html"),
        "unit.html",
        &u.name,
        json!({ "unit": { "id": u.id, "name": u.name, "full_name": u.full_name }, "tasks": tasks, "cases": cases, "figures": figures(counts), "notes": notes, "nothing": nothing }),
    )
}

/// Streets ranked by rate: more done first on ties, then organisation order; none found last.
fn ranked_streets(r: &Renderer) -> Vec<Value> {
    // D's month's briefing ranks the streets by the figures at D.
    let Some(b) = r.briefings.last() else {
        return Vec::new();
    };
    let mut rows: Vec<_> = b.rows.iter().collect();
    rows.sort_by_key(|row| row.rank.unwrap_or(usize::MAX));
    rows.iter()
        .map(|row| {
            let c = &r
                .summary
                .streets
                .iter()
                .find(|s| s.id == row.id)
                .expect("street in summary")
                .counts;
            json!({ "id": row.id, "name": row.name, "rank": row.rank, "figures": figures(*c) })
        })
        .collect()
}

/// The summary's breakdowns as charts: 三个一批, criteria, pollution, sources.
fn breakdown_charts(r: &Renderer) -> Vec<super::chartviews::ChartView> {
    use crate::model::{Action, Criterion, Pollution, Source};
    use crate::report::Breakdown;
    let s = &r.summary;
    let lang = r.lang();
    let rows = |xs: &[Breakdown], labels: Vec<&str>| -> Vec<(String, u32, u32)> {
        xs.iter()
            .zip(labels)
            .map(|(b, l)| (l.to_string(), b.found, b.done))
            .collect()
    };
    let chart = |id: &str, key: &str, data| r.breakdown_chart(id, r.t(key), data);
    let mut charts = vec![
        chart(
            "breakdown-actions",
            "chart_actions_title",
            rows(
                &s.actions,
                Action::ALL.iter().map(|a| a.label(lang)).collect(),
            ),
        ),
        chart(
            "breakdown-criteria",
            "chart_criteria_title",
            rows(
                &s.criteria,
                Criterion::ALL.iter().map(|a| a.label(lang)).collect(),
            ),
        ),
        chart(
            "breakdown-pollution",
            "chart_pollution_title",
            rows(
                &s.pollution,
                Pollution::ALL.iter().map(|a| a.label(lang)).collect(),
            ),
        ),
        chart(
            "breakdown-sources",
            "chart_sources_title",
            rows(
                &s.sources,
                Source::ALL.iter().map(|a| a.label(lang)).collect(),
            ),
        ),
    ];
    if !s.industries.is_empty() {
        charts.push(chart(
            "breakdown-industries",
            "chart_industries_title",
            top_industries(r),
        ));
    }
    charts
}

/// The ten industries with most cases, then the rest together as 其他 (an industry itself named
/// 其他 joins that row, so the label never shows two numbers).
fn top_industries(r: &Renderer) -> Vec<(String, u32, u32)> {
    const SHOWN: usize = 10;
    let other = r.t("industry_other");
    let all = &r.summary.industries;
    let (mut rows, mut rest) = (Vec::new(), (0, 0, 0usize));
    for i in all {
        if rows.len() < SHOWN && i.name != other {
            rows.push((i.name.clone(), i.found, i.done));
        } else {
            rest = (rest.0 + i.found, rest.1 + i.done, rest.2 + 1);
        }
    }
    if rest.2 > 0 {
        rows.push((other, rest.0, rest.1));
    }
    rows
}

fn streets_index(r: &Renderer) -> Result<Page> {
    r.page(
        "streets/index.html",
        "streets.html",
        &r.t("nav_streets"),
        json!({ "streets": ranked_streets(r), "totals": figures(r.summary.totals), "street_chart": r.streets_chart() }),
    )
}

/// A street's page; `own`: its cases.
fn street(r: &Renderer, id: &str, own: &[&Case]) -> Result<Option<Page>> {
    let s = r.site.org.street(id).expect("street from the organisation");
    let counts = Counts::of(own.iter().copied(), r.d);
    let trend = r.trend_chart(
        &format!("street-{id}-trend"),
        format!("{}{}", s.name, r.t("chart_street_trend_suffix")),
        &months(own.iter().copied(), r.site.config.start, r.d),
    );
    let notes: Vec<_> = visible_notes(r)
        .into_iter()
        .filter(|n| n.street.as_deref() == Some(id))
        .map(|n| note_row(r.site, n))
        .collect();
    let publicity: Vec<_> = r
        .site
        .publicity
        .iter()
        .filter(|p| p.date <= r.d && p.street.as_deref() == Some(id))
        .map(|p| publicity_row(r.site, p))
        .collect();
    r.page_keyed(
        &format!("streets/{id}.html"),
        "street.html",
        &s.name,
        json!({
            "street": { "id": s.id, "name": s.name, "full_name": s.full_name, "communities": s.communities },
            "figures": figures(counts), "trend_chart": trend, "tasks": unit_tasks(r, id),
            "cases": capped(r, own.iter().copied(), &format!("?street={id}")), "notes": notes, "publicity": publicity,
        }),
    )
}

/// List pages rendered per batch: each carries the whole pager, so they are large at scale.
const LIST_BATCH: usize = 200;

/// `cases/index.html` and `cases/page-N.html`, handed to `emit` a batch at a time. What every page
/// shares (filters, the pager) is made into template values once.
fn case_lists(r: &Renderer, emit: &mut dyn FnMut(Vec<Page>) -> Result<()>) -> Result<()> {
    let all = rows(r, r.site.cases.iter());
    let chunks: Vec<&[CaseRow]> = if all.is_empty() {
        vec![&[]]
    } else {
        all.chunks(PER_PAGE).collect()
    };
    let count = chunks.len();
    let page_name = |i: usize| {
        if i == 0 {
            "index.html".to_string()
        } else {
            format!("page-{}.html", i + 1)
        }
    };
    let (shared, shared_key) = list_shared(r, &all)?;
    let pager_entry = |j: usize, current: bool| {
        tera::Value::from_serializable(
            &json!({ "n": j + 1, "url": page_name(j), "current": current }),
        )
    };
    let list_page = |i: usize| -> Result<Option<Page>> {
        let path = format!("cases/{}", page_name(i));
        let unchanged = r.unchanged(&path, |h| {
            h.update(shared_key.as_bytes());
            // Serialised whole first: the hasher is slow with the many small writes of a writer.
            h.update(&serde_json::to_vec(&(i, count, chunks[i])).unwrap_or_default());
        });
        if unchanged {
            return Ok(None);
        }
        let pages: Vec<tera::Value> = pager_window(i, count)
            .into_iter()
            .map(|j| match j {
                Some(j) => pager_entry(j, j == i),
                None => tera::Value::from_serializable(&json!({ "gap": true })),
            })
            .collect();
        let mut values = shared.clone();
        values.extend([
            (
                "cases".to_string(),
                tera::Value::from_serializable(&json!(chunks[i])),
            ),
            ("pages".to_string(), tera::Value::from(pages)),
            (
                "prev".to_string(),
                tera::Value::from_serializable(&json!((i > 0).then(|| page_name(i - 1)))),
            ),
            (
                "next".to_string(),
                tera::Value::from_serializable(&json!((i + 1 < count).then(|| page_name(i + 1)))),
            ),
        ]);
        r.page_with(&path, "cases.html", &r.t("nav_cases"), values)
            .map(Some)
    };
    let numbers: Vec<usize> = (0..count).collect();
    for batch in numbers.chunks(LIST_BATCH) {
        let pages: Vec<Option<Page>> = batch
            .par_iter()
            .map(|i| list_page(*i))
            .collect::<Result<_>>()?;
        emit(pages.into_iter().flatten().collect())?;
    }
    Ok(())
}

/// The page numbers (0-based) the pager of page `current` of `count` links: the first and last,
/// and the two either side of the current one; `None` marks a gap ("…"). Constant per page, so a
/// list of thousands of pages does not carry thousands of links on each.
fn pager_window(current: usize, count: usize) -> Vec<Option<usize>> {
    const AROUND: usize = 2;
    let mut shown = Vec::new();
    let mut last = None;
    for j in 0..count {
        let near = j.abs_diff(current) <= AROUND;
        if j == 0 || j + 1 == count || near {
            if last.is_some_and(|l: usize| j > l + 1) {
                shown.push(None);
            }
            shown.push(Some(j));
            last = Some(j);
        }
    }
    shown
}

/// The values every case list page shows alike: the count, the unpublished note and the filters,
/// with a hash of them for the pages' keys.
fn list_shared(
    r: &Renderer,
    all: &[CaseRow],
) -> Result<(Vec<(String, tera::Value)>, blake3::Hash)> {
    let count_text = r.count_text(all.len(), r.unpublished(r.site.cases.iter()));
    let hidden = serde_json::to_string(&super::views::hidden_counts(r))?;
    let streets: Vec<Value> = r
        .site
        .org
        .streets
        .iter()
        .map(|s| json!({ "id": s.id, "name": s.name }))
        .collect();
    let actions: Vec<Value> = crate::model::Action::ALL
        .iter()
        .map(|a| json!({ "id": a.key(), "name": a.label(r.lang()) }))
        .collect();
    let statuses: Vec<Value> = crate::report::Status::ALL
        .iter()
        .map(|s| json!({ "id": s.key(), "name": s.label(r.lang()) }))
        .collect();
    let filters = list_filters(r, all);
    let missing = all.iter().filter(|c| c.no_after_photo).count();
    let after_missing = r
        .t("filter_after_missing")
        .replace("{n}", &missing.to_string());
    let shared = json!({
        "total": all.len(), "count": count_text,
        "streets": streets, "actions": actions, "statuses": statuses,
        "sources": filters["sources"], "communities": filters["communities"],
        "industries": filters["industries"], "rivers": filters["rivers"], "hidden": hidden,
        "after_missing": after_missing,
    });
    // Hashed before it becomes template values: their maps have no fixed order.
    let key = blake3::hash(&serde_json::to_vec(&shared)?);
    let Value::Object(map) = shared else {
        unreachable!("json! of an object")
    };
    let values = map
        .into_iter()
        .map(|(k, v)| (k, tera::Value::from_serializable(&v)))
        .collect();
    Ok((values, key))
}

/// The case list's further filters: every source, and the communities, industries and rivers the
/// published rows name (an unpublished case's attributes never reach a public page).
fn list_filters(r: &Renderer, rows: &[CaseRow]) -> Value {
    let distinct = |f: fn(&CaseRow) -> &str| {
        let mut v: Vec<&str> = rows.iter().map(f).filter(|x| !x.is_empty()).collect();
        v.sort();
        v.dedup();
        v
    };
    let sources: Vec<Value> = crate::model::Source::ALL
        .iter()
        .map(|s| json!({ "id": s.key(), "name": s.label(r.lang()) }))
        .collect();
    let rivers: Vec<Value> = if r.site.org.rivers.is_empty() {
        distinct(|c| &c.river)
            .into_iter()
            .map(|k| json!({ "key": k, "name": k }))
            .collect()
    } else {
        r.site
            .org
            .rivers
            .iter()
            .map(|x| json!({ "key": x.id, "name": x.name }))
            .collect()
    };
    json!({
        "sources": sources, "communities": distinct(|c| &c.community),
        "industries": distinct(|c| &c.industry), "rivers": rivers,
    })
}

/// Only what is dated on or before D shows on a case's page.
fn case(r: &Renderer, c: &Case) -> Result<Page> {
    let d = r.d;
    let row = case_row(r.site, c, d).expect("published cases exist at D");
    let lang = r.lang();
    let label = |xs: Vec<&str>| xs.join("、");
    let mut timeline: Vec<Value> =
        vec![json!({ "date": c.found.to_string(), "text": r.t("event_found") })];
    timeline.extend(
        c.log
            .iter()
            .filter(|l| l.date <= d)
            .map(|l| json!({ "date": l.date.to_string(), "text": l.text })),
    );
    if let Some(x) = c.rectified.filter(|x| *x <= d) {
        timeline.push(json!({ "date": x.to_string(), "text": r.t("event_rectified") }));
    }
    if let Some(x) = c.closed.filter(|x| *x <= d) {
        timeline.push(json!({ "date": x.to_string(), "text": r.t("event_closed") }));
    }
    timeline.sort_by(|a, b| a["date"].as_str().cmp(&b["date"].as_str()));
    let rechecks: Vec<Value> = c.rechecks.iter().filter(|x| x.date <= d).map(|x| json!({ "date": x.date.to_string(), "method": x.method.label(lang), "note": x.note })).collect();
    let relapses: Vec<Value> = c
        .relapses
        .iter()
        .filter(|x| x.found <= d)
        .map(|x| json!({ "found": x.found.to_string(), "deadline": x.deadline.map(|v| v.to_string()), "rectified": x.rectified.filter(|v| *v <= d).map(|v| v.to_string()), "note": x.note }))
        .collect();
    let photos: Vec<Value> = super::photoviews::case_photos(c, d)
        .filter_map(|p| super::photoviews::photo(r, p, "../"))
        .collect();
    let units: Vec<Value> = c.units.iter().map(|u| owner_view(r, u)).collect();
    let tasks: Vec<Value> = c
        .tasks
        .iter()
        .filter_map(|t| r.site.tasks.iter().find(|x| x.id == *t))
        .map(|t| json!({ "id": t.id, "title": t.title, "numeral": numeral(t.id) }))
        .collect();
    let notes: Vec<_> = visible_notes(r)
        .into_iter()
        .filter(|n| n.cases.contains(&c.id))
        .map(|n| note_row(r.site, n))
        .collect();
    let private: Vec<Value> = if r.internal() {
        c.private
            .iter()
            .map(|(k, v)| json!({ "key": k, "value": v }))
            .collect()
    } else {
        Vec::new()
    };
    let open = open_relapse(c, d).map(|x| x.found.to_string());
    r.page(
        &format!("cases/{}.html", c.id),
        "case.html",
        &c.name,
        json!({
            "case": row,
            "facts": {
                "grid": c.grid, "river": c.river, "location": c.location,
                "criteria": label(c.criteria.iter().map(|x| x.label(lang)).collect()),
                "pollution": label(c.pollution.iter().map(|x| x.label(lang)).collect()),
                "source": c.source.label(lang), "source_ref": c.source_ref,
            },
            "summary": c.summary.as_deref().map(|s| r.markdown(s, "../")),
            "open_relapse": open, "timeline": timeline, "rechecks": rechecks, "relapses": relapses,
            "photos_before": photos.iter().filter(|p| p["stage"] == "before").collect::<Vec<_>>(),
            "photos_after": photos.iter().filter(|p| p["stage"] == "after").collect::<Vec<_>>(),
            "units": units, "tasks": tasks, "notes": notes, "private": private, "typical": c.typical,
            "late_days": crate::report::late_days(c, d),
        }),
    )
}

/// Why a case is on the watch list: watched, relapsed N times, the last relapse, the last recheck.
fn watch_reason(r: &Renderer, c: &Case) -> String {
    use super::views::sentence_date;
    let relapses: Vec<Date> = c
        .relapses
        .iter()
        .map(|x| x.found)
        .filter(|x| *x <= r.d)
        .collect();
    let mut parts = Vec::new();
    if c.watch {
        parts.push(r.t("watch_reason_watched"));
    }
    if let Some(last) = relapses.last() {
        parts.push(
            r.t("watch_reason_relapses")
                .replace("{n}", &relapses.len().to_string()),
        );
        let date = sentence_date(*last, r.d, r.lang());
        parts.push(r.t("watch_reason_last_relapse").replace("{date}", &date));
    }
    match c
        .rechecks
        .iter()
        .map(|x| x.date)
        .filter(|x| *x <= r.d)
        .max()
    {
        Some(x) => parts.push(
            r.t("watch_reason_last_recheck")
                .replace("{date}", &sentence_date(x, r.d, r.lang())),
        ),
        None => parts.push(r.t("watch_reason_no_recheck")),
    }
    parts.join(r.lang().pick("；", "; "))
}

/// Watched cases and every case that relapsed by D, each with the reason it is listed.
fn watchlist(r: &Renderer) -> Result<Option<Page>> {
    let on_list = |c: &&Case| c.watch || c.relapses.iter().any(|x| x.found <= r.d);
    let listed: Vec<&Case> = r.site.cases.iter().filter(on_list).collect();
    let hidden = r.unpublished(listed.iter().copied());
    let cases: Vec<Value> = listed
        .iter()
        .filter(|c| r.published(c))
        .filter_map(|c| {
            let mut row = serde_json::to_value(case_row(r.site, c, r.d)?).ok()?;
            row["extra"] = watch_reason(r, c).into();
            Some(row)
        })
        .collect();
    let count = r.count_text(cases.len(), hidden);
    r.page_keyed(
        "watchlist.html",
        "watchlist.html",
        &r.t("nav_watchlist"),
        json!({ "cases": cases, "count": count }),
    )
}

fn briefings_index(r: &Renderer) -> Result<Page> {
    let items: Vec<Value> = r
        .briefings
        .iter()
        .rev()
        .map(|b| {
            let t = b.figures.totals;
            let docx = super::docx::written(r).then(|| format!("{}.docx", b.month));
            json!({ "month": b.month, "end": b.end.to_string(), "found": t.found, "done": t.done, "percent": percent(t.done, t.found), "change": change_text(b.change(), r.lang()).0, "docx": docx })
        })
        .collect();
    r.page(
        "briefings/index.html",
        "briefings.html",
        &r.t("nav_briefings"),
        json!({ "briefings": items }),
    )
}

fn briefing_page(r: &Renderer, i: usize) -> Result<Vec<Page>> {
    let b = &r.briefings[i];
    let title = briefing_title(r, &b.month);
    let ctx = briefing_context(r, i);
    // The page and the document are made from `ctx` alone (besides what every page shares): when
    // it is the last build's, they are left as they are.
    let bytes = serde_json::to_vec(&ctx).unwrap_or_default();
    let same = |path: &str| {
        r.unchanged(path, |h| {
            h.update(&bytes);
        })
    };
    let mut pages = Vec::new();
    let docx = format!("briefings/{}.docx", b.month);
    if super::docx::written(r) && !same(&docx) {
        pages.push(super::docx::briefing(r, &title, &ctx)?);
    }
    let html = format!("briefings/{}.html", b.month);
    if !same(&html) {
        pages.push(r.page(&html, "briefing.html", &title, ctx)?);
    }
    Ok(pages)
}

/// A month's briefing title: 2022年6月“散乱污”场所清理整治工作进展通报.
fn briefing_title(r: &Renderer, month: &str) -> String {
    let label = match r.lang() {
        crate::lang::Lang::Zh => {
            format!("{}年{}月", &month[..4], month[5..].trim_start_matches('0'))
        }
        crate::lang::Lang::En => month.to_string(),
    };
    format!("{label}{}", r.t("briefing_title_suffix"))
}

/// What a month's briefing shows, for its page and its Word document alike.
fn briefing_context(r: &Renderer, i: usize) -> Value {
    let b = &r.briefings[i];
    let first = b.first;
    let lang = r.lang();
    let t = b.figures.totals;
    // Each list shows at most CASE_LIST_CAP rows, then how many more and the filtered case list.
    let rows_at = |idx: &Vec<usize>, filter: &str| -> Value {
        // Rows are made for the cases shown only (a month may list thousands).
        let shown: Vec<&Case> = idx
            .iter()
            .map(|&k| &r.site.cases[k])
            .filter(|c| r.published(c) && state(c, b.end).is_some())
            .collect();
        let rows: Vec<CaseRow> = shown
            .iter()
            .take(CASE_LIST_CAP)
            .filter_map(|c| case_row(r.site, c, b.end))
            .collect();
        let hidden = r.unpublished(idx.iter().map(|&k| &r.site.cases[k]));
        let more = shown.len().saturating_sub(CASE_LIST_CAP);
        let more_text = r.t("briefing_more_cases").replace("{n}", &more.to_string());
        json!({ "rows": rows, "more": more, "more_text": more_text, "filter": filter,
                "count": r.count_text(rows.len() + more, hidden) })
    };
    let mut table: Vec<_> = b.rows.iter().collect();
    table.sort_by_key(|row| row.rank.unwrap_or(usize::MAX));
    let street_rows: Vec<Value> = table
        .iter()
        .map(|s| {
            let (change, dir) = change_text(s.change, lang);
            json!({ "id": s.id, "name": s.name, "found_in_month": s.found_in_month, "rectified_in_month": s.rectified_in_month, "closed_in_month": s.closed_in_month, "found": s.found, "done": s.done, "percent": percent(s.done, s.found), "change": change, "change_dir": dir, "rank": s.rank })
        })
        .collect();
    let (top, bottom) = b.top_bottom();
    let names = |xs: Vec<&crate::report::StreetRow>| {
        xs.iter()
            .map(|s| {
                r.t("briefing_rank_line")
                    .replace("{rank}", &s.rank.unwrap_or_default().to_string())
                    .replace("{name}", &s.name)
                    .replace("{rate}", &percent(s.done, s.found))
                    .replace("{done}", &s.done.to_string())
                    .replace("{found}", &s.found.to_string())
            })
            .collect::<Vec<_>>()
    };
    let actions: Vec<Value> = b.figures.actions.iter().zip(crate::model::Action::ALL).map(|(x, a)| json!({ "label": a.label(lang), "found": x.found, "done": x.done, "percent": percent(x.done, x.found) })).collect();
    let in_month = |d: Date| d >= first && d <= b.end;
    let notes: Vec<_> = r
        .site
        .notes
        .iter()
        .filter(|n| in_month(n.date))
        .map(|n| note_row(r.site, n))
        .collect();
    let publicity: Vec<_> = r
        .site
        .publicity
        .iter()
        .filter(|p| in_month(p.date))
        .map(|p| publicity_row(r.site, p))
        .collect();
    let commentary =
        r.site.commentary.iter().find(|c| c.month == b.month).map(
            |c| json!({ "title": c.title, "body": r.markdown(&c.body, "../"), "text": c.body }),
        );
    let (change, change_dir) = change_text(b.change(), lang);
    let overview = r
        .t("briefing_overview_text")
        .replace("{date}", &long_date(b.end, lang))
        .replace("{found}", &t.found.to_string())
        .replace("{done}", &t.done.to_string())
        .replace("{closed}", &t.closed.to_string())
        .replace("{rectified}", &t.rectified.to_string())
        .replace("{rate}", &percent(t.done, t.found))
        .replace("{change}", &overview_change(r, b.change()))
        .replace("{in_progress}", &t.in_progress.to_string())
        .replace("{overdue}", &t.overdue.to_string())
        .replace("{relapsed}", &t.relapsed.to_string());
    let month_label = match lang {
        crate::lang::Lang::Zh => format!(
            "{}年{}月",
            &b.month[..4],
            b.month[5..].trim_start_matches('0')
        ),
        crate::lang::Lang::En => b.month.clone(),
    };
    let link = |k: usize| r.briefings.get(k).map(|m| format!("{}.html", m.month));
    let head = super::docx::head(r, i);
    json!({
        "month": b.month, "month_label": month_label, "end": b.end.to_string(),
        "end_label": head.date, "overview": overview,
        "issue": head.issue, "number": head.number, "to": head.to, "cc": head.cc, "issuer": head.issuer,
        "docx": super::docx::written(r).then(|| format!("{}.docx", b.month)),
        "totals": figures(t), "change": change, "change_dir": change_dir, "actions": actions,
        "streets": street_rows, "top": names(top), "bottom": names(bottom),
        "found_cases": rows_at(&b.found_in_month, &format!("?found={}", b.month)),
        "overdue_cases": rows_at(&b.overdue, "?status=overdue"),
        "relapsed_cases": rows_at(&b.relapsed, "?status=relapsed"),
        "typical_cases": rows_at(&b.typical, "?typical=1"),
        "notes": notes, "publicity": publicity, "commentary": commentary,
        "prev": i.checked_sub(1).and_then(link), "next": link(i + 1),
    })
}

/// The change clause of the briefing's overview: 较上月上升 2.5 个百分点, or that this is the first.
fn overview_change(r: &Renderer, change: Option<f64>) -> String {
    match change {
        None => r.t("briefing_change_first"),
        Some(_) => {
            let (text, _) = change_text(change, r.lang());
            let text = text.trim_start_matches(['▲', '▼', ' ']);
            format!("{}{}", r.t("briefing_change_prefix"), text)
        }
    }
}

fn notes_index(r: &Renderer) -> Result<Vec<Page>> {
    let notes: Vec<_> = visible_notes(r)
        .into_iter()
        .map(|n| note_row(r.site, n))
        .collect();
    Ok(vec![r.page(
        "notes/index.html",
        "notes.html",
        &r.t("nav_notes"),
        json!({ "notes": notes }),
    )?])
}

fn note(r: &Renderer, n: &Note) -> Result<Page> {
    let cases = rows(r, n.cases.iter().filter_map(|id| case_by_id(r.site, id)));
    let units: Vec<Value> = n.units.iter().map(|u| owner_view(r, u)).collect();
    let tasks: Vec<Value> = n
        .tasks
        .iter()
        .filter_map(|t| r.site.tasks.iter().find(|x| x.id == *t))
        .map(|t| json!({ "id": t.id, "title": t.title, "numeral": numeral(t.id) }))
        .collect();
    r.page(
        &format!("notes/{}.html", n.slug),
        "note.html",
        &n.title,
        json!({ "note": note_row(r.site, n), "street": n.street.as_deref().map(|s| owner_view(r, s)), "body": r.markdown(&n.body, "../"), "cases": cases, "units": units, "tasks": tasks }),
    )
}

fn publicity_index(r: &Renderer) -> Result<Vec<Page>> {
    let items: Vec<Value> = r
        .site
        .publicity
        .iter()
        .filter(|p| p.date <= r.d)
        .map(|p| {
            let cover = p
                .cover
                .as_deref()
                .and_then(|f| super::photoviews::image(r, f, "../"));
            json!({ "row": publicity_row(r.site, p), "cover": cover })
        })
        .collect();
    Ok(vec![r.page(
        "publicity/index.html",
        "publicity.html",
        &r.t("nav_publicity"),
        json!({ "items": items }),
    )?])
}

fn publicity_item(r: &Renderer, p: &crate::model::Publicity) -> Result<Page> {
    r.use_files(p.attachments.iter().cloned());
    let cover = p
        .cover
        .as_deref()
        .and_then(|f| super::photoviews::image(r, f, "../"));
    let attachments: Vec<Value> = p
        .attachments
        .iter()
        .map(|a| json!({ "file": a, "name": a.rsplit('/').next() }))
        .collect();
    r.page(
        &format!("publicity/{}.html", p.slug),
        "publicity_item.html",
        &p.title,
        json!({ "item": publicity_row(r.site, p), "street": p.street.as_deref().map(|s| owner_view(r, s)), "cover": cover, "attachments": attachments, "body": r.markdown(&p.body, "../") }),
    )
}

#[cfg(test)]
mod tests {
    use super::pager_window;
    use crate::render::{Page, Profile, Renderer, Templates, theme::Theme};
    use std::collections::BTreeMap;

    /// With the last build's keys, the case list renders only the pages whose rows (or shared
    /// values) changed: none when nothing did, the one page showing a renamed case after a rename.
    #[test]
    fn list_pages_whose_key_did_not_change_are_not_rendered_again() {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("content");
        let spec = crate::sample::Spec {
            seed: 5,
            cases: 160,
            streets: Some(3),
            notes: 0,
            publicity: 0,
            photos: false,
        };
        crate::sample::generate(&spec, &content).unwrap();
        let sources = crate::load::load(&content).unwrap();
        let (site, _) = crate::validate::validate(&sources).unwrap();
        let d = crate::report::as_of(&site, None);
        let theme = Theme::load(&content, &site.config.theme).unwrap();
        let templates = Templates::compile(&theme, site.config.lang).unwrap();
        let photos = crate::photo::Photos::default();
        type Keys = BTreeMap<String, super::super::PageKey>;
        let lists = |site: &crate::model::Site, old: Keys| {
            let mut r = Renderer::with(site, d, Profile::Public, templates.clone(), false, &photos);
            r.track_keys(old);
            let mut pages: Vec<Page> = Vec::new();
            super::case_lists(&r, &mut |p| {
                pages.extend(p);
                Ok(())
            })
            .unwrap();
            (pages, r.page_keys(), r.kept())
        };
        let (all, keys, kept) = lists(&site, Keys::new());
        assert!(all.len() >= 3, "{} list pages", all.len());
        assert!(kept.is_empty());
        assert_eq!(keys.len(), all.len());

        let (again, same_keys, kept) = lists(&site, keys.clone());
        assert!(again.is_empty(), "nothing changed, yet pages were rendered");
        assert_eq!(kept.len(), all.len());
        assert_eq!(same_keys, keys);

        let case = site
            .cases
            .iter()
            .filter(|c| c.publish && c.found <= d)
            .nth(75)
            .unwrap();
        let file = content.join(&case.path);
        let text = std::fs::read_to_string(&file).unwrap();
        std::fs::write(&file, text.replacen("\nname: ", "\nname: 改名", 1)).unwrap();
        let sources = crate::load::load(&content).unwrap();
        let (renamed, _) = crate::validate::validate(&sources).unwrap();
        let (one, _, kept) = lists(&renamed, keys);
        assert_eq!(one.len(), 1, "pages rendered after one rename");
        assert_eq!(kept.len(), all.len() - 1);
        let was = all.iter().find(|p| p.path == one[0].path).unwrap();
        assert_ne!(was.bytes, one[0].bytes);
        assert!(String::from_utf8_lossy(&one[0].bytes).contains("改名"));
    }

    #[test]
    fn the_pager_shows_the_ends_and_the_pages_around_the_current_one() {
        let n = None;
        let s = Some;
        let table: &[(usize, usize, &[Option<usize>])] = &[
            (0, 1, &[s(0)]),
            (0, 2, &[s(0), s(1)]),
            (0, 5, &[s(0), s(1), s(2), n, s(4)]),
            (3, 7, &[s(0), s(1), s(2), s(3), s(4), s(5), s(6)]),
            (
                1000,
                2003,
                &[
                    s(0),
                    n,
                    s(998),
                    s(999),
                    s(1000),
                    s(1001),
                    s(1002),
                    n,
                    s(2002),
                ],
            ),
            (2002, 2003, &[s(0), n, s(2000), s(2001), s(2002)]),
        ];
        for (current, count, want) in table {
            assert_eq!(
                pager_window(*current, *count),
                *want,
                "{current} of {count}"
            );
        }
    }
}
