//! Compare: what changed between two versions of a campaign's content, for a pull-request comment.
//! Pure: takes two (possibly partial) sites, returns the changes; `markdown` shows them.

mod fields;
pub mod markdown;
mod types;

pub use types::*;

use crate::lang::Lang;
use crate::model::{Date, Site};
use crate::report::{Counts, state};
use std::collections::BTreeMap;

/// One version of the content: what could be read of it, how many errors it has, and its D.
pub struct Side<'a> {
    pub site: Option<&'a Site>,
    pub errors: usize,
}

impl Side<'_> {
    fn as_of(&self) -> Option<Date> {
        self.site.map(|s| crate::report::as_of(s, None))
    }
}

/// Everything that changed from `old` to `new`; labels in `lang`.
pub fn compare(rev: &str, old: &Side, new: &Side, lang: Lang) -> Changes {
    let info = |s: &Side| SideInfo {
        as_of: s.as_of().map(|d| d.to_string()),
        errors: s.errors,
        valid: s.errors == 0 && s.site.is_some(),
    };
    let mut changes = Changes {
        rev: rev.to_string(),
        old: info(old),
        new: info(new),
        ..Changes::default()
    };
    changes.cases = cases(old, new, lang);
    if let (Some(o), Some(n)) = (old.site, new.site) {
        let (od, nd) = (
            old.as_of().unwrap_or(o.config.start),
            new.as_of().unwrap_or(n.config.start),
        );
        changes.totals = Some(figures(
            &Counts::of(&o.cases, od),
            &Counts::of(&n.cases, nd),
        ));
        changes.streets = streets(o, od, n, nd);
    }
    let notes = |s: &Side| -> Vec<Item> {
        s.site.map_or(vec![], |s| {
            s.notes
                .iter()
                .map(|n| item(&n.slug, &n.title, Some(n.date)))
                .collect()
        })
    };
    let publicity = |s: &Side| -> Vec<Item> {
        s.site.map_or(vec![], |s| {
            s.publicity
                .iter()
                .map(|n| item(&n.slug, &n.title, Some(n.date)))
                .collect()
        })
    };
    changes.notes = listed(notes(old), notes(new));
    changes.publicity = listed(publicity(old), publicity(new));
    changes.tasks = tasks(old, new);
    changes.organisation = organisation(old, new);
    changes
}

fn item(id: &str, title: &str, date: Option<Date>) -> Item {
    Item {
        id: id.to_string(),
        title: title.to_string(),
        date: date.map(|d| d.to_string()),
    }
}

fn listed(old: Vec<Item>, new: Vec<Item>) -> Listed {
    let had = |list: &[Item], id: &str| list.iter().any(|i| i.id == id);
    let removed = old.iter().filter(|i| !had(&new, &i.id)).cloned().collect();
    let added = new.into_iter().filter(|i| !had(&old, &i.id)).collect();
    Listed { added, removed }
}

/// The status of a case at D as people read it, e.g. 整治中（逾期）.
fn status_label(site: &Site, id: &str, d: Date, lang: Lang) -> String {
    let Some(case) = site.cases.iter().find(|c| c.id == id) else {
        return String::new();
    };
    match state(case, d) {
        None => lang.pick("尚未发现", "not yet found").into(),
        Some(s) => {
            let mut label = s.status.label(lang).to_string();
            if s.relapsed {
                label += lang.pick("（复发）", " (relapsed)");
            }
            if s.overdue {
                label += lang.pick("（逾期）", " (overdue)");
            }
            label
        }
    }
}

fn by_id(site: Option<&Site>) -> BTreeMap<String, &crate::model::Case> {
    site.map_or(BTreeMap::new(), |site| {
        site.cases.iter().map(|c| (c.id.clone(), c)).collect()
    })
}

fn cases(old: &Side, new: &Side, lang: Lang) -> CaseChanges {
    let (o, n) = (by_id(old.site), by_id(new.site));
    let mut out = CaseChanges::default();
    let case_ref = |side: &Side, c: &crate::model::Case| CaseRef {
        id: c.id.clone(),
        name: c.name.clone(),
        street: side.site.map_or(c.street.clone(), |s| {
            s.org.owner_name(&c.street).to_string()
        }),
        status: side
            .site
            .zip(side.as_of())
            .map(|(s, d)| status_label(s, &c.id, d, lang))
            .unwrap_or_default(),
    };
    for (id, c) in &n {
        let Some(before) = o.get(id) else {
            out.added.push(case_ref(new, c));
            continue;
        };
        let (from, to) = (case_ref(old, before).status, case_ref(new, c).status);
        if from != to {
            out.status.push(StatusChange {
                id: id.clone(),
                name: c.name.clone(),
                from,
                to,
            });
        }
        let changes = fields::changed(&fields::case(before), &fields::case(c));
        if !changes.is_empty() {
            out.fields.push(Edited {
                id: id.clone(),
                name: c.name.clone(),
                changes,
            });
        }
        for r in c
            .relapses
            .iter()
            .filter(|r| !before.relapses.iter().any(|b| b.found == r.found))
        {
            out.relapses.push(RelapseRef {
                id: id.clone(),
                name: c.name.clone(),
                found: r.found.to_string(),
                note: r.note.clone(),
            });
        }
    }
    out.removed = o
        .iter()
        .filter(|(id, _)| !n.contains_key(*id))
        .map(|(_, c)| case_ref(old, c))
        .collect();
    out
}

fn figures(o: &Counts, n: &Counts) -> Figures {
    Figures {
        found: [o.found, n.found],
        done: [o.done, n.done],
        rate: [
            crate::report::percent(o.done, o.found),
            crate::report::percent(n.done, n.found),
        ],
    }
}

/// Streets whose found, done or rate changed, in the new organisation's order (removed ones last).
fn streets(o: &Site, od: Date, n: &Site, nd: Date) -> Vec<StreetChange> {
    let counts =
        |s: &Site, id: &str, d: Date| Counts::of(s.cases.iter().filter(|c| c.street == id), d);
    let mut ids: Vec<(&str, &str)> = n
        .org
        .streets
        .iter()
        .map(|s| (s.id.as_str(), s.name.as_str()))
        .collect();
    for s in &o.org.streets {
        if !ids.iter().any(|(id, _)| *id == s.id) {
            ids.push((&s.id, &s.name));
        }
    }
    ids.into_iter()
        .map(|(id, name)| StreetChange {
            id: id.to_string(),
            name: name.to_string(),
            figures: figures(&counts(o, id, od), &counts(n, id, nd)),
        })
        .filter(|s| {
            s.figures.found[0] != s.figures.found[1]
                || s.figures.done[0] != s.figures.done[1]
                || s.figures.rate[0] != s.figures.rate[1]
        })
        .collect()
}

/// Records keyed by id on both sides: added, removed, and field edits.
fn edits<T>(
    old: &[(String, String, T)],
    new: &[(String, String, T)],
    show: impl Fn(&T) -> Vec<(&'static str, String)>,
) -> Edits {
    let find = |list: &'_ [(String, String, T)], id: &str| list.iter().position(|x| x.0 == id);
    let mut out = Edits::default();
    for (id, title, t) in new {
        match find(old, id) {
            None => out.added.push(item(id, title, None)),
            Some(i) => {
                let changes = fields::changed(&show(&old[i].2), &show(t));
                if !changes.is_empty() {
                    out.changed.push(Edited {
                        id: id.clone(),
                        name: title.clone(),
                        changes,
                    });
                }
            }
        }
    }
    for (id, title, _) in old {
        if find(new, id).is_none() {
            out.removed.push(item(id, title, None));
        }
    }
    out
}

fn tasks(old: &Side, new: &Side) -> Edits {
    let list = |s: &Side| -> Vec<(String, String, crate::model::Task)> {
        s.site.map_or(vec![], |s| {
            s.tasks
                .iter()
                .map(|t| (t.id.to_string(), t.title.clone(), t.clone()))
                .collect()
        })
    };
    edits(&list(old), &list(new), fields::task)
}

/// A record's id, title and fields as text.
type Record = (String, String, Vec<(&'static str, String)>);

/// Departments, streets and groups; a group's fields are its members.
fn organisation(old: &Side, new: &Side) -> Edits {
    let list = |s: &Side| -> Vec<Record> {
        let Some(site) = s.site else { return vec![] };
        let units = site
            .org
            .departments
            .iter()
            .chain(&site.org.streets)
            .map(|u| (u.id.clone(), u.name.clone(), fields::unit(u)));
        let groups = site.org.groups.iter().map(|g| {
            (
                g.id.clone(),
                g.name.clone(),
                vec![("name", g.name.clone()), ("members", g.members.join("、"))],
            )
        });
        units.chain(groups).collect()
    };
    edits(&list(old), &list(new), |f| f.clone())
}
