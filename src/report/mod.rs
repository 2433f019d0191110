//! Report: the figures of the contract, as of a date D. Pure: no I/O.

mod briefing;
mod status;

pub use briefing::{Briefing, StreetRow, briefings};
pub use status::{State, Status, open_relapse, state};

use crate::model::{Action, Case, Criterion, Date, Pollution, Site, Source};
use chrono::Datelike;
use serde::Serialize;

/// Status counts of a set of cases.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Counts {
    pub found: u32,
    pub done: u32,
    pub closed: u32,
    pub rectified: u32,
    pub in_progress: u32,
    pub overdue: u32,
    pub relapsed: u32,
    pub rate: f64,
}

impl Counts {
    fn add(&mut self, s: State) {
        self.found += 1;
        match s.status {
            Status::Closed => self.closed += 1,
            Status::Rectified => self.rectified += 1,
            Status::InProgress => self.in_progress += 1,
        }
        self.overdue += s.overdue as u32;
        self.relapsed += s.relapsed as u32;
        self.done = self.closed + self.rectified;
        self.rate = rate(self.done, self.found);
    }

    /// Counts every case of `cases` that exists at `d`.
    pub fn of<'a>(cases: impl IntoIterator<Item = &'a Case>, d: Date) -> Counts {
        let mut c = Counts::default();
        cases
            .into_iter()
            .filter_map(|case| state(case, d))
            .for_each(|s| c.add(s));
        c
    }
}

/// done / found, 0.0 when nothing was found.
pub fn rate(done: u32, found: u32) -> f64 {
    if found == 0 {
        0.0
    } else {
        done as f64 / found as f64
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct StreetCounts {
    pub id: String,
    pub name: String,
    #[serde(flatten)]
    pub counts: Counts,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Month {
    pub month: String,
    pub found: u32,
    pub rectified: u32,
    pub closed: u32,
    pub relapses: u32,
    pub found_cum: u32,
    pub rectified_cum: u32,
    pub closed_cum: u32,
}

/// Found and done for one value of an enum.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Breakdown {
    pub id: &'static str,
    pub found: u32,
    pub done: u32,
}

/// `data/summary.json`, field for field.
#[derive(Clone, Debug, Serialize)]
pub struct Summary {
    pub as_of: String,
    pub totals: Counts,
    pub streets: Vec<StreetCounts>,
    pub months: Vec<Month>,
    pub actions: Vec<Breakdown>,
    pub criteria: Vec<Breakdown>,
    pub pollution: Vec<Breakdown>,
    pub sources: Vec<Breakdown>,
}

/// Every figure of the site at `d`.
pub fn summary(site: &Site, d: Date) -> Summary {
    let streets = site
        .org
        .streets
        .iter()
        .map(|s| StreetCounts {
            id: s.id.clone(),
            name: s.name.clone(),
            counts: Counts::of(site.cases.iter().filter(|c| c.street == s.id), d),
        })
        .collect();
    Summary {
        as_of: d.to_string(),
        totals: Counts::of(&site.cases, d),
        streets,
        months: months(&site.cases, site.config.start, d),
        actions: breakdown(
            &site.cases,
            d,
            Action::ALL,
            |c, a| c.action == *a,
            |a| a.key(),
        ),
        criteria: breakdown(
            &site.cases,
            d,
            Criterion::ALL,
            |c, v| c.criteria.contains(v),
            |v| v.key(),
        ),
        pollution: breakdown(
            &site.cases,
            d,
            Pollution::ALL,
            |c, v| c.pollution.contains(v),
            |v| v.key(),
        ),
        sources: breakdown(
            &site.cases,
            d,
            Source::ALL,
            |c, v| c.source == *v,
            |v| v.key(),
        ),
    }
}

fn breakdown<T>(
    cases: &[Case],
    d: Date,
    all: &[T],
    has: impl Fn(&Case, &T) -> bool,
    key: impl Fn(&T) -> &'static str,
) -> Vec<Breakdown> {
    all.iter()
        .map(|v| {
            let c = Counts::of(cases.iter().filter(|c| has(c, v)), d);
            Breakdown {
                id: key(v),
                found: c.found,
                done: c.done,
            }
        })
        .collect()
}

/// `YYYY-MM` of a date.
pub fn month_key(d: Date) -> String {
    format!("{:04}-{:02}", d.year(), d.month())
}

/// The last day of the month of `d`.
pub fn month_end(d: Date) -> Date {
    let first_next = if d.month() == 12 {
        Date::from_ymd_opt(d.year() + 1, 1, 1)
    } else {
        Date::from_ymd_opt(d.year(), d.month() + 1, 1)
    };
    first_next.and_then(|n| n.pred_opt()).unwrap_or(d)
}

/// The first day of each month from `start`'s month to `d`'s month.
pub fn month_starts(start: Date, d: Date) -> Vec<Date> {
    let mut out = Vec::new();
    let mut m = start.with_day(1).unwrap_or(start);
    while m <= d {
        out.push(m);
        m = month_end(m).succ_opt().unwrap_or(m);
        if out.len() > 1200 {
            break;
        }
    }
    out
}

/// Per-month counts from the campaign start's month to D's month; nothing after D is counted.
pub fn months(cases: &[Case], start: Date, d: Date) -> Vec<Month> {
    month_starts(start, d)
        .into_iter()
        .map(|first| {
            let end = month_end(first).min(d);
            let in_month = |x: Option<Date>| x.is_some_and(|x| x >= first && x <= end) as u32;
            let upto = |x: Option<Date>| x.is_some_and(|x| x <= end) as u32;
            let mut m = Month {
                month: month_key(first),
                ..Month::default()
            };
            for c in cases {
                m.found += in_month(Some(c.found));
                m.rectified += in_month(c.rectified);
                m.closed += in_month(c.closed);
                m.relapses += c
                    .relapses
                    .iter()
                    .map(|r| in_month(Some(r.found)))
                    .sum::<u32>();
                m.found_cum += upto(Some(c.found));
                m.rectified_cum += upto(c.rectified);
                m.closed_cum += upto(c.closed);
            }
            m
        })
        .collect()
}

/// The date figures are computed for when neither `--as-of` nor `site.yaml` gives one: the latest
/// event in the content (never a deadline).
pub fn latest_event(site: &Site) -> Option<Date> {
    let case_dates = site.cases.iter().flat_map(|c| {
        let own = [Some(c.found), c.rectified, c.closed].into_iter().flatten();
        let relapses = c
            .relapses
            .iter()
            .flat_map(|r| [Some(r.found), r.rectified])
            .flatten();
        let rechecks = c.rechecks.iter().map(|r| r.date);
        let log = c.log.iter().map(|l| l.date);
        own.chain(relapses).chain(rechecks).chain(log)
    });
    let notes = site.notes.iter().map(|n| n.date);
    let publicity = site.publicity.iter().map(|p| p.date);
    case_dates.chain(notes).chain(publicity).max()
}

/// D: `--as-of`, else `site.yaml`'s `as_of`, else the latest event, else the campaign start.
pub fn as_of(site: &Site, flag: Option<Date>) -> Date {
    flag.or(site.config.as_of)
        .or_else(|| latest_event(site))
        .unwrap_or(site.config.start)
}

/// The rate as people read it: one decimal and a percent sign, "—" when nothing was found.
pub fn percent(done: u32, found: u32) -> String {
    if found == 0 {
        "—".into()
    } else {
        format!("{:.1}%", rate(done, found) * 100.0)
    }
}
