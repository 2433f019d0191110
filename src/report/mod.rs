//! Report: the figures of the contract, as of a date D. Pure: no I/O.

mod briefing;
mod evidence;
mod status;

pub(crate) use briefing::briefings_grouped;
pub use briefing::{Briefing, CASE_LIST_CAP, StreetRow, briefings};
pub use evidence::{case_photos, lacks_after_photo, shows_after_photo};
pub use status::{State, Status, late_days, open_relapse, state};

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
    /// Done (closed + rectified) as of the month's cut-off day E.
    pub done: u32,
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
    pub industries: Vec<IndustryCounts>,
}

/// Found and done for one industry named by a case.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct IndustryCounts {
    pub name: String,
    pub found: u32,
    pub done: u32,
}

/// Every figure of the site at `d`.
pub fn summary(site: &Site, d: Date) -> Summary {
    figures_at(site, d, &Groups::of(site), true)
}

/// What the figures group each case by, worked out once for every date figures are made for (each
/// month's briefing): its street's place in `organisation.yaml`, its industry's among the
/// industries named (trimmed).
pub(crate) struct Groups<'a> {
    street: Vec<Option<usize>>,
    industry: Vec<Option<usize>>,
    industry_names: Vec<&'a str>,
}

impl<'a> Groups<'a> {
    pub(crate) fn of(site: &'a Site) -> Groups<'a> {
        let street_of = street_index(site);
        let mut names: std::collections::HashMap<&str, usize> = Default::default();
        let mut industry_names = Vec::new();
        let industry = site
            .cases
            .iter()
            .map(|c| {
                let name = c.industry.as_deref()?.trim();
                Some(*names.entry(name).or_insert_with(|| {
                    industry_names.push(name);
                    industry_names.len() - 1
                }))
            })
            .collect();
        Groups {
            street: site
                .cases
                .iter()
                .map(|c| street_of.get(c.street.as_str()).copied())
                .collect(),
            industry,
            industry_names,
        }
    }
}

/// The figures at `d`; the monthly series (`months`, a pass over the cases per month) only
/// `with_months`: a month's briefing does not show it, and making it for every month's briefing
/// would cost a pass per month per month.
pub(crate) fn figures_at(site: &Site, d: Date, groups: &Groups, with_months: bool) -> Summary {
    // Each case's state at D, worked out once for every figure below.
    let states: Vec<Option<State>> = site.cases.iter().map(|c| state(c, d)).collect();
    let existing = || {
        site.cases
            .iter()
            .zip(&states)
            .filter_map(|(c, s)| Some((c, (*s)?)))
    };
    let mut totals = Counts::default();
    existing().for_each(|(_, s)| totals.add(s));
    let mut by_street = vec![Counts::default(); site.org.streets.len()];
    let mut by_industry = vec![(0, 0); groups.industry_names.len()];
    for (k, s) in states.iter().enumerate() {
        let Some(s) = s else { continue };
        if let Some(i) = groups.street[k] {
            by_street[i].add(*s);
        }
        if let Some(i) = groups.industry[k] {
            by_industry[i].0 += 1;
            by_industry[i].1 += s.status.is_done() as u32;
        }
    }
    let streets = site
        .org
        .streets
        .iter()
        .zip(by_street)
        .map(|(s, counts)| StreetCounts {
            id: s.id.clone(),
            name: s.name.clone(),
            counts,
        })
        .collect();
    Summary {
        as_of: d.to_string(),
        totals,
        streets,
        months: if with_months {
            months(site.cases.iter(), site.config.start, d)
        } else {
            Vec::new()
        },
        actions: breakdown(existing(), Action::ALL, |c, a| c.action == *a, |a| a.key()),
        criteria: breakdown(
            existing(),
            Criterion::ALL,
            |c, v| c.criteria.contains(v),
            |v| v.key(),
        ),
        pollution: breakdown(
            existing(),
            Pollution::ALL,
            |c, v| c.pollution.contains(v),
            |v| v.key(),
        ),
        sources: breakdown(existing(), Source::ALL, |c, v| c.source == *v, |v| v.key()),
        industries: industries(&groups.industry_names, by_industry),
    }
}

/// Each street's index in `organisation.yaml`, by id: figures per street in one pass over the
/// cases instead of one pass per street.
fn street_index(site: &Site) -> std::collections::HashMap<&str, usize> {
    site.org
        .streets
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.as_str(), i))
        .collect()
}

/// Each case with the index of its street in `organisation.yaml` (cases of a street it does not
/// list, which a site that validated has none of, are left out).
pub(crate) fn by_street_index(site: &Site) -> impl Iterator<Item = (usize, &Case)> {
    let index = street_index(site);
    site.cases
        .iter()
        .filter_map(move |c| Some((*index.get(c.street.as_str())?, c)))
}

/// One river basin's figures at D.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RiverCounts {
    /// The listed river's id, or the text cases write when `organisation.yaml` lists no rivers.
    pub key: String,
    pub name: String,
    #[serde(flatten)]
    pub counts: Counts,
}

/// Figures per river at `d`: every listed river in organisation order, or, without a list, every
/// river named by a case existing at D, most found first (ties by name). One pass over the cases.
pub fn rivers(site: &Site, d: Date) -> Vec<RiverCounts> {
    let mut by_key: std::collections::BTreeMap<&str, Counts> = Default::default();
    for c in &site.cases {
        if let (Some(river), Some(s)) = (c.river.as_deref(), state(c, d)) {
            by_key.entry(river).or_default().add(s);
        }
    }
    let row = |key: &str, name: &str| RiverCounts {
        key: key.to_string(),
        name: name.to_string(),
        counts: by_key.get(key).copied().unwrap_or_default(),
    };
    if !site.org.rivers.is_empty() {
        return site
            .org
            .rivers
            .iter()
            .map(|r| row(&r.id, &r.name))
            .collect();
    }
    let mut out: Vec<RiverCounts> = by_key.keys().map(|k| row(k, k)).collect();
    out.sort_by(|a, b| {
        b.counts
            .found
            .cmp(&a.counts.found)
            .then_with(|| a.name.cmp(&b.name))
    });
    out
}

/// Every industry named by a case existing at `d`, from the (found, done) of each of `names`: most
/// found first, ties by name.
fn industries(names: &[&str], counts: Vec<(u32, u32)>) -> Vec<IndustryCounts> {
    let mut out: Vec<IndustryCounts> = names
        .iter()
        .zip(counts)
        .filter(|(_, (found, _))| *found > 0)
        .map(|(name, (found, done))| IndustryCounts {
            name: name.to_string(),
            found,
            done,
        })
        .collect();
    out.sort_by(|a, b| b.found.cmp(&a.found).then_with(|| a.name.cmp(&b.name)));
    out
}

/// Found and done for each value of `all` among the cases existing at D (with their state), in
/// one pass.
fn breakdown<'a, T>(
    existing: impl Iterator<Item = (&'a Case, State)>,
    all: &[T],
    has: impl Fn(&Case, &T) -> bool,
    key: impl Fn(&T) -> &'static str,
) -> Vec<Breakdown> {
    let mut counts = vec![(0, 0); all.len()];
    for (c, s) in existing {
        for (v, n) in all.iter().zip(counts.iter_mut()) {
            if has(c, v) {
                n.0 += 1;
                n.1 += s.status.is_done() as u32;
            }
        }
    }
    all.iter()
        .zip(counts)
        .map(|(v, (found, done))| Breakdown {
            id: key(v),
            found,
            done,
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
pub fn months<'a>(
    cases: impl Iterator<Item = &'a Case> + Clone,
    start: Date,
    d: Date,
) -> Vec<Month> {
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
            for c in cases.clone() {
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
                m.done += state(c, end).is_some_and(|s| s.status.is_done()) as u32;
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

/// The rate in tenths of a percent, rounded half away from zero as Excel and WPS show `0.0%`
/// (13/16 → 813); `None` when nothing was found. Integer arithmetic, so no float tie goes astray.
pub fn rate_tenths(done: u32, found: u32) -> Option<i64> {
    (found > 0).then(|| (2000 * done as i64 + found as i64) / (2 * found as i64))
}

/// The rate as people read it: one decimal and a percent sign, "—" when nothing was found.
pub fn percent(done: u32, found: u32) -> String {
    match rate_tenths(done, found) {
        Some(t) => format!("{}.{}%", t / 10, t % 10),
        None => "—".into(),
    }
}

/// The change between two displayed rates in percentage points (the difference a reader gets by
/// subtracting them); `None` when either side found nothing.
pub fn change_points(now: (u32, u32), before: (u32, u32)) -> Option<f64> {
    let (a, b) = (rate_tenths(now.0, now.1)?, rate_tenths(before.0, before.1)?);
    Some((a - b) as f64 / 10.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_round_half_away_from_zero_like_excel() {
        let table = [
            (13, 16, "81.3%"),
            (1, 8, "12.5%"),
            (3, 400, "0.8%"),
            (1, 2000, "0.1%"),
            (157, 200, "78.5%"),
            (2, 3, "66.7%"),
            (0, 5, "0.0%"),
            (5, 5, "100.0%"),
            (0, 0, "—"),
        ];
        for (done, found, want) in table {
            assert_eq!(percent(done, found), want, "{done}/{found}");
        }
    }

    #[test]
    fn a_change_is_the_difference_of_displayed_rates() {
        // 81.3% − 66.7% as shown, not 81.25 − 66.666…
        assert_eq!(change_points((13, 16), (2, 3)), Some(14.6));
        assert_eq!(change_points((1, 1), (0, 0)), None);
        assert_eq!(change_points((0, 1), (1, 1)), Some(-100.0));
    }
}
