//! The monthly briefing (进展通报): figures as of the month's cut-off day E, with changes and ranks.

use super::{Summary, month_end, month_key, open_relapse, state, summary};
use crate::model::{Case, Date, Site};
use chrono::Datelike;

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
    /// The cut-off day: the month's last day, or D in D's month.
    pub end: Date,
    pub figures: Summary,
    pub previous_rate: Option<f64>,
    pub rows: Vec<StreetRow>,
    pub found_in_month: Vec<usize>,
    pub overdue: Vec<usize>,
    pub relapsed: Vec<usize>,
    pub typical: Vec<usize>,
}

impl Briefing {
    /// Change of the overall rate in percentage points, when there is a previous month.
    pub fn change(&self) -> Option<f64> {
        self.previous_rate
            .map(|p| (self.figures.totals.rate - p) * 100.0)
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

/// The briefing of the month starting `first`, for a site seen at D.
pub fn briefing(site: &Site, first: Date, d: Date) -> Briefing {
    let end = month_end(first).min(d);
    let prev_end = first
        .pred_opt()
        .filter(|p| *p >= site.config.start.with_day(1).unwrap_or(site.config.start));
    let figures = summary(site, end);
    let previous = prev_end.map(|p| summary(site, p));
    let in_month = |x: Option<Date>| x.is_some_and(|x| x >= first && x <= end) as u32;
    let mut rows: Vec<StreetRow> = figures
        .streets
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let cases = site.cases.iter().filter(|c| c.street == s.id);
            let (mut f, mut r, mut c) = (0, 0, 0);
            for case in cases {
                f += in_month(Some(case.found));
                r += in_month(case.rectified);
                c += in_month(case.closed);
            }
            let prev = previous.as_ref().map(|p| &p.streets[i].counts);
            let change = prev
                .filter(|p| p.found > 0 && s.counts.found > 0)
                .map(|p| (s.counts.rate - p.rate) * 100.0);
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
        end,
        previous_rate: previous.map(|p| p.totals.rate),
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
