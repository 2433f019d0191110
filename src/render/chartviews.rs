//! Charts as pages show them: the SVG, a one-sentence summary and the data table beside it.

use super::Renderer;
use crate::charts::{self, Frame, Trend};
use crate::report::{Month, StreetCounts, percent};
use serde::Serialize;

/// A chart ready for a template, and its standalone SVG file.
#[derive(Debug, Clone, Serialize)]
pub struct ChartView {
    pub id: String,
    pub title: String,
    pub summary: String,
    pub svg: String,
    /// The standalone copy, relative to the output root.
    pub file: String,
    pub head: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Renderer<'_> {
    /// Per-street progress, sorted by completion rate.
    /// Per-street progress at D (on the home page and the streets page: drawn once).
    pub fn streets_chart(&self) -> ChartView {
        self.streets_chart
            .get_or_init(|| self.street_chart("streets-progress", &self.summary.streets))
            .clone()
    }

    fn street_chart(&self, id: &str, streets: &[StreetCounts]) -> ChartView {
        let mut sorted: Vec<&StreetCounts> = streets.iter().collect();
        sorted.sort_by(|a, b| {
            b.counts
                .rate
                .total_cmp(&a.counts.rate)
                .then(b.counts.done.cmp(&a.counts.done))
        });
        let series = [
            self.t("status_closed"),
            self.t("status_rectified"),
            self.t("status_in_progress"),
        ];
        let rows: Vec<(String, Vec<u32>)> = sorted
            .iter()
            .map(|s| {
                (
                    s.name.clone(),
                    vec![s.counts.closed, s.counts.rectified, s.counts.in_progress],
                )
            })
            .collect();
        let title = self.t("chart_streets_title");
        let best = sorted.iter().find(|s| s.counts.found > 0);
        let summary = match best {
            Some(b) => self
                .t("chart_streets_summary")
                .replace("{name}", &b.name)
                .replace("{rate}", &percent(b.counts.done, b.counts.found)),
            None => self.t("chart_empty"),
        };
        let frame = Frame {
            title: &title,
            desc: &summary,
            x_label: &self.t("axis_cases"),
            y_label: &self.t("axis_street"),
        };
        let refs: Vec<&str> = series.iter().map(String::as_str).collect();
        let svg = charts::stacked_bars(&frame, &refs, &rows);
        let head = vec![
            self.t("col_street"),
            series[0].clone(),
            series[1].clone(),
            series[2].clone(),
            self.t("col_rate"),
        ];
        let table = sorted
            .iter()
            .map(|s| {
                let c = &s.counts;
                vec![
                    s.name.clone(),
                    c.closed.to_string(),
                    c.rectified.to_string(),
                    c.in_progress.to_string(),
                    percent(c.done, c.found),
                ]
            })
            .collect();
        self.chart(id, title, summary, svg, head, table)
    }

    /// Monthly trend: the month's events as bars; found to date and done at each month's cut-off
    /// as lines, so the last points equal the figures at D.
    pub fn trend_chart(&self, id: &str, title: String, months: &[Month]) -> ChartView {
        let labels: Vec<String> = months.iter().map(|m| m.month.clone()).collect();
        let names = [
            "series_found",
            "series_rectified",
            "series_found_cum",
            "series_done_cum",
        ]
        .map(|k| self.t(k));
        let column = |f: fn(&Month) -> u32| months.iter().map(f).collect::<Vec<u32>>();
        let bars = [
            (names[0].as_str(), column(|m| m.found)),
            (names[1].as_str(), column(|m| m.rectified)),
        ];
        let lines = [
            (names[2].as_str(), column(|m| m.found_cum)),
            (names[3].as_str(), column(|m| m.done)),
        ];
        let summary = match months.last() {
            Some(m) => self
                .t("chart_trend_summary")
                .replace("{found}", &m.found_cum.to_string())
                .replace("{done}", &m.done.to_string())
                .replace("{date}", &super::views::long_date(self.d, self.lang())),
            None => self.t("chart_empty"),
        };
        let frame = Frame {
            title: &title,
            desc: &summary,
            x_label: &self.t("axis_month"),
            y_label: &self.t("axis_cases"),
        };
        let svg = charts::trend(
            &frame,
            &Trend {
                months: &labels,
                bars: &bars,
                lines: &lines,
            },
        );
        let head = [
            "col_month",
            "series_found",
            "series_rectified",
            "series_closed",
            "series_relapses",
            "series_found_cum",
            "series_done_cum",
        ]
        .map(|k| self.t(k))
        .to_vec();
        let rows = months
            .iter()
            .map(|m| {
                [
                    &m.month as &dyn ToString,
                    &m.found,
                    &m.rectified,
                    &m.closed,
                    &m.relapses,
                    &m.found_cum,
                    &m.done,
                ]
                .iter()
                .map(|v| v.to_string())
                .collect()
            })
            .collect();
        self.chart(id, title, summary, svg, head, rows)
    }

    /// Found and done for each value of a breakdown (三个一批, criteria, pollution, sources).
    pub fn breakdown_chart(
        &self,
        id: &str,
        title: String,
        rows: Vec<(String, u32, u32)>,
    ) -> ChartView {
        let series = [self.t("series_found_total"), self.t("series_done")];
        let data: Vec<(String, Vec<u32>)> = rows
            .iter()
            .map(|(l, f, d)| (l.clone(), vec![*f, *d]))
            .collect();
        // The first of the largest rows, in the chart's order.
        let top = rows
            .iter()
            .rev()
            .max_by_key(|(_, f, _)| *f)
            .filter(|(_, f, _)| *f > 0);
        let summary = match top {
            Some((label, found, done)) => self
                .t("chart_breakdown_summary")
                .replace("{label}", label)
                .replace("{found}", &found.to_string())
                .replace("{done}", &done.to_string())
                .replace("{rate}", &percent(*done, *found)),
            None => self.t("chart_empty"),
        };
        let frame = Frame {
            title: &title,
            desc: &summary,
            x_label: &self.t("axis_cases"),
            y_label: "",
        };
        let refs: Vec<&str> = series.iter().map(String::as_str).collect();
        let svg = charts::grouped_bars(&frame, &refs, &data);
        let head = vec![
            String::new(),
            series[0].clone(),
            series[1].clone(),
            self.t("col_rate"),
        ];
        let table = rows
            .iter()
            .map(|(l, f, d)| vec![l.clone(), f.to_string(), d.to_string(), percent(*d, *f)])
            .collect();
        self.chart(id, title, summary, svg, head, table)
    }

    fn chart(
        &self,
        id: &str,
        title: String,
        summary: String,
        svg: String,
        head: Vec<String>,
        rows: Vec<Vec<String>>,
    ) -> ChartView {
        if let Ok(mut charts) = self.charts.lock() {
            charts.insert(
                id.to_string(),
                format!("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n{svg}"),
            );
        }
        ChartView {
            id: id.to_string(),
            file: format!("charts/{id}.svg"),
            title,
            summary,
            svg,
            head,
            rows,
        }
    }
}
