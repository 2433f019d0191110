//! The monthly briefing (进展通报): figures as of the month's cut-off day E, with changes and ranks.

use super::{Summary, change_points, month_end, month_key, month_starts, open_relapse, state};
use crate::model::{Case, Date, Site};

/// Rows each case list of a briefing shows (found in M, overdue and relapsed at E); the rest are
/// counted and linked as 另有 N 个，详见场所清单. Shared by the page and the Word document.
pub const CASE_LIST_CAP: usize = 50;

/// One street's row of the briefing table.
#[derive(Clone, Debug, PartialEq)]
pub struct StreetRow {
    pub id: String,
    pub name: String,
    pub found_in_month: u32,
    pub rectified_in_month: u32,
    pub closed_in_month: u32,
    pub found: u32,
    pub done: u32,
    pub rate: f64,
    /// Change in percentage points against the previous month's cut-off; `None` without one.
    pub change: Option<f64>,
    /// 1-based; `None` for a street with nothing found.
    pub rank: Option<usize>,
}

/// Everything a month's briefing shows. Case lists hold indexes into `site.cases`.
#[derive(Clone, Debug)]
pub struct Briefing {
    pub month: String,
    /// The month's first day.
    pub first: Date,
    /// The cut-off day: the month's last day, or D in D's month.
    pub end: Date,
    pub figures: Summary,
    pub previous_rate: Option<f64>,
    /// The previous month's (done, found) at its cut-off, for the change in displayed rates.
    pub previous_totals: Option<(u32, u32)>,
    pub rows: Vec<StreetRow>,
    pub found_in_month: Vec<usize>,
    pub overdue: Vec<usize>,
    pub relapsed: Vec<usize>,
    pub typical: Vec<usize>,
}

impl Briefing {
    /// Change of the overall rate in percentage points (the difference of the displayed rates),
    /// when there is a previous month with cases.
    pub fn change(&self) -> Option<f64> {
        let t = self.figures.totals;
        change_points((t.done, t.found), self.previous_totals?)
    }

    /// The top three and bottom three streets among those with cases.
    pub fn top_bottom(&self) -> (Vec<&StreetRow>, Vec<&StreetRow>) {
        let mut ranked: Vec<&StreetRow> = self.rows.iter().filter(|r| r.rank.is_some()).collect();
        // Rows are in organisation order; the lists follow the ranking.
        ranked.sort_by_key(|r| r.rank);
        let top = ranked.iter().take(3).copied().collect();
        let bottom = ranked.iter().rev().take(3).copied().collect();
        (top, bottom)
    }
}

/// Every month's briefing from the campaign start to D's month. Each month's figures are computed
/// once and also serve as the next month's comparison.
pub fn briefings(site: &Site, d: Date) -> Vec<Briefing> {
    briefings_grouped(site, d, &super::Groups::of(site))
}

/// `briefings`, with the cases' groups worked out already (the renderer's summary uses them too).
pub(crate) fn briefings_grouped(site: &Site, d: Date, groups: &super::Groups) -> Vec<Briefing> {
    use rayon::prelude::*;
    let firsts = month_starts(site.config.start, d);
    let figures: Vec<Summary> = firsts
        .par_iter()
        .map(|first| super::figures_at(site, month_end(*first).min(d), groups, false))
        .collect();
    let mut out: Vec<Briefing> = Vec::with_capacity(firsts.len());
    for (first, figures) in firsts.into_iter().zip(figures) {
        let end = month_end(first).min(d);
        let briefing = build(site, (first, end), figures, out.last().map(|b| &b.figures));
        out.push(briefing);
    }
    out
}

/// One month's briefing from its figures at E and the previous month's, if the campaign had one.
fn build(
    site: &Site,
    (first, end): (Date, Date),
    figures: Summary,
    previous: Option<&Summary>,
) -> Briefing {
    let in_month = |x: Option<Date>| x.is_some_and(|x| x >= first && x <= end) as u32;
    // Found, rectified and closed in the month, per street.
    let mut month = vec![(0, 0, 0); figures.streets.len()];
    for (i, case) in super::by_street_index(site) {
        let m = &mut month[i];
        m.0 += in_month(Some(case.found));
        m.1 += in_month(case.rectified);
        m.2 += in_month(case.closed);
    }
    let mut rows: Vec<StreetRow> = figures
        .streets
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let (f, r, c) = month[i];
            let prev = previous.map(|p| &p.streets[i].counts);
            let change = prev
                .and_then(|p| change_points((s.counts.done, s.counts.found), (p.done, p.found)));
            StreetRow {
                id: s.id.clone(),
                name: s.name.clone(),
                found_in_month: f,
                rectified_in_month: r,
                closed_in_month: c,
                found: s.counts.found,
                done: s.counts.done,
                rate: s.counts.rate,
                change,
                rank: None,
            }
        })
        .collect();
    rank(&mut rows);
    let pick = |keep: &dyn Fn(&Case) -> bool| -> Vec<usize> {
        site.cases
            .iter()
            .enumerate()
            .filter(|(_, c)| c.found <= end && keep(c))
            .map(|(i, _)| i)
            .collect()
    };
    Briefing {
        month: month_key(first),
        first,
        end,
        previous_rate: previous.map(|p| p.totals.rate),
        previous_totals: previous.map(|p| (p.totals.done, p.totals.found)),
        rows,
        found_in_month: pick(&|c| c.found >= first),
        overdue: pick(&|c| state(c, end).is_some_and(|s| s.overdue)),
        relapsed: pick(&|c| open_relapse(c, end).is_some()),
        typical: pick(&|c| c.typical),
        figures,
    }
}

/// Ranks by rate; ties: more done first, then organisation order; streets with nothing found last, unranked.
fn rank(rows: &mut [StreetRow]) {
    let mut order: Vec<usize> = (0..rows.len()).filter(|&i| rows[i].found > 0).collect();
    order.sort_by(|&a, &b| {
        let (ra, rb) = (&rows[a], &rows[b]);
        rb.rate
            .total_cmp(&ra.rate)
            .then(rb.done.cmp(&ra.done))
            .then(a.cmp(&b))
    });
    for (pos, &i) in order.iter().enumerate() {
        rows[i].rank = Some(pos + 1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(found: u32, done: u32) -> StreetRow {
        StreetRow {
            id: String::new(),
            name: String::new(),
            found_in_month: 0,
            rectified_in_month: 0,
            closed_in_month: 0,
            found,
            done,
            rate: super::super::rate(done, found),
            change: None,
            rank: None,
        }
    }

    /// (found, done) per street in organisation order → expected ranks.
    type Row = (&'static [(u32, u32)], &'static [Option<usize>]);

    #[test]
    fn ranks_follow_the_tie_rule() {
        let table: &[Row] = &[
            // Equal rates: more done first.
            (&[(2, 1), (4, 2)], &[Some(2), Some(1)]),
            // Equal rates and done: organisation order; every street its own rank.
            (&[(4, 2), (4, 2), (1, 1)], &[Some(2), Some(3), Some(1)]),
            // Nothing found: last, unranked, even behind a 0% street.
            (&[(0, 0), (3, 0)], &[None, Some(1)]),
        ];
        for (streets, want) in table {
            let mut rows: Vec<StreetRow> = streets.iter().map(|(f, d)| row(*f, *d)).collect();
            rank(&mut rows);
            let got: Vec<Option<usize>> = rows.iter().map(|r| r.rank).collect();
            assert_eq!(&got, want, "{streets:?}");
        }
    }
}
