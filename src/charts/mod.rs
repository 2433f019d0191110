//! SVG charts drawn with plotters: per-street progress, monthly trend, breakdowns.
//!
//! Every chart is a self-contained, accessible SVG string (`role="img"`, `<title>`, `<desc>`,
//! `viewBox` with `width="100%"`), 420 px wide in its own units and as tall as its rows need.
//! Series are told apart by an Okabe–Ito colour *and* a second cue that survives greyscale
//! printing: hatch patterns and value labels on bars, dash styles and marker shapes on lines.
//! Text widths are estimated here (CJK ≈ 1 em, ASCII ≈ 0.6 em) because plotters without its
//! `ttf` feature measures CJK badly. Output is deterministic and no input makes it panic.

mod bars;
mod canvas;
mod layout;
mod text;
mod trend;

#[cfg(test)]
mod tests;

/// Texts around a chart, already in the site's language.
pub struct Frame<'a> {
    pub title: &'a str,
    pub desc: &'a str,
    pub x_label: &'a str,
    pub y_label: &'a str,
}

/// Horizontal stacked bars: one bar per row (top to bottom in the given order), one segment per series.
/// Used for per-street progress: series = [已销号, 已整治, 整治中]; rows = (street name, [closed, rectified, in_progress]).
///
/// Segment values are printed inside their segment when they fit; values of narrower segments
/// follow the bar's bold total, each behind a small swatch of its series.
pub fn stacked_bars(frame: &Frame, series: &[&str], rows: &[(String, Vec<u32>)]) -> String {
    bars::stacked_bars(frame, series, rows)
}

/// Monthly trend: x = months ("2022-03" labels as given); per month grouped bars for `bars` series
/// (e.g. 新发现, 完成整治) on the left axis, and cumulative lines for `lines` series (e.g. 累计发现, 累计完成).
/// Both axes count cases; use one axis if simpler, but lines must stay readable.
pub struct Trend<'a> {
    pub months: &'a [String],
    pub bars: &'a [(&'a str, Vec<u32>)],
    pub lines: &'a [(&'a str, Vec<u32>)],
}

/// Draws a [`Trend`] on a single count axis (`frame.y_label`): bars carry their value on top
/// when it fits, lines carry their last value at the right end. Values past `months.len()` are ignored.
pub fn trend(frame: &Frame, data: &Trend) -> String {
    trend::trend(frame, data)
}

/// Grouped horizontal bars for breakdowns (三个一批, criteria, pollution, sources): rows = (label, [found, done]).
pub fn grouped_bars(frame: &Frame, series: &[&str], rows: &[(String, Vec<u32>)]) -> String {
    bars::grouped_bars(frame, series, rows)
}
