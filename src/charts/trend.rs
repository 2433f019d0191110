//! Monthly trend: grouped bars per month plus cumulative lines, on one count axis.

use super::canvas::{
    Canvas, GRID, INK, LABEL_PX, Op, PAD, Paint, TICK_PX, WIDTH, fmt_count, nice_axis, text_width,
    wrap,
};
use super::layout::{Key, legend};
use super::{Frame, Trend};
use plotters::style::text_anchor::{HPos, VPos};

/// Font size of value labels above monthly bars.
const BAR_LABEL_PX: f64 = 15.0;
/// Height of the plot area, in px.
const PLOT_H: i32 = 300;

pub fn trend(frame: &Frame, data: &Trend) -> String {
    let mut c = Canvas::default();
    let mut y = c.title(frame.title);
    let nb = data.bars.len();
    let mut items: Vec<(&str, Key)> = data
        .bars
        .iter()
        .enumerate()
        .map(|(i, (n, _))| (*n, Key::Bar(i)))
        .collect();
    items.extend(
        data.lines
            .iter()
            .enumerate()
            .map(|(k, (n, _))| (*n, Key::Line(nb + k, k))),
    );
    y = legend(&mut c, y, &items);
    if !frame.y_label.trim().is_empty() {
        let header = super::canvas::ellipsize(frame.y_label, LABEL_PX, f64::from(WIDTH - 2 * PAD));
        c.text(PAD, y + 2, &header, LABEL_PX, HPos::Left, VPos::Top, true);
        y += (LABEL_PX * 1.5) as i32;
    }
    let top = y + 10;
    let bottom = top + PLOT_H;

    let n = data.months.len();
    let value = |v: &Vec<u32>, m: usize| v.get(m).copied().map(u64::from);
    let max = data
        .bars
        .iter()
        .chain(data.lines)
        .flat_map(|(_, v)| v.iter().take(n))
        .copied()
        .max()
        .unwrap_or(0);
    let (axis_max, step) = nice_axis(u64::from(max), 5);
    let left = PAD + text_width(&fmt_count(axis_max), TICK_PX).ceil() as i32 + 10;
    let end_labels: Vec<String> = data
        .lines
        .iter()
        .filter_map(|(_, v)| v[..v.len().min(n)].last().map(|x| fmt_count(u64::from(*x))))
        .collect();
    let reserve = end_labels
        .iter()
        .map(|l| text_width(l, TICK_PX).ceil() as i32 + 14)
        .max()
        .unwrap_or(0);
    let right = WIDTH - PAD - reserve.max(8);
    let y_of = |v: u64| bottom - (v as f64 / axis_max as f64 * f64::from(PLOT_H)).round() as i32;

    // Horizontal gridlines and count ticks.
    let mut v = 0u64;
    loop {
        let gy = y_of(v);
        c.line(
            vec![(left, gy), (right, gy)],
            Paint::Solid(if v == 0 { INK } else { GRID }),
            0,
            1,
        );
        c.muted(
            left - 8,
            gy,
            &fmt_count(v),
            TICK_PX,
            HPos::Right,
            VPos::Center,
        );
        if v >= axis_max {
            break;
        }
        v = v.saturating_add(step).min(axis_max);
    }
    c.line(vec![(left, top), (left, bottom)], Paint::Solid(INK), 0, 1);

    // Months: group width, label thinning so month labels never overlap.
    let gw = f64::from(right - left) / n.max(1) as f64;
    let cx = |m: usize| left + ((m as f64 + 0.5) * gw).round() as i32;
    let month_w = data
        .months
        .iter()
        .map(|m| text_width(m, TICK_PX))
        .fold(0.0, f64::max)
        + 10.0;
    let every = ((month_w / gw).ceil() as usize).max(1);
    for (m, label) in data.months.iter().enumerate() {
        if m % every == 0 {
            c.line(
                vec![(cx(m), bottom), (cx(m), bottom + 5)],
                Paint::Solid(INK),
                0,
                1,
            );
            // The last label may sit near the edge: kept whole inside the chart.
            let half = (text_width(label, TICK_PX) / 2.0).ceil() as i32;
            let x = cx(m).clamp(PAD + half, (WIDTH - PAD - half).max(PAD + half));
            c.muted(x, bottom + 8, label, TICK_PX, HPos::Center, VPos::Top);
        }
    }

    // Bars; their values go on top when they fit the bar's width, after the lines (see below).
    let mut bar_labels: Vec<(i32, i32, String)> = Vec::new();
    let bw = if nb == 0 {
        0.0
    } else {
        (gw * 0.8 / nb as f64).min(30.0)
    };
    for (j, (_, values)) in data.bars.iter().enumerate() {
        for m in 0..n {
            let Some(v) = value(values, m) else { continue };
            let x0 = cx(m) - (bw * nb as f64 / 2.0).round() as i32 + (bw * j as f64).round() as i32;
            let x1 = x0 + bw.round().max(1.0) as i32;
            if v > 0 {
                c.rect(x0, y_of(v), x1, bottom, Paint::Series(j), true);
            }
            let label = fmt_count(v);
            if text_width(&label, BAR_LABEL_PX) <= bw + 3.0 {
                bar_labels.push(((x0 + x1) / 2, y_of(v) - 3, label));
            }
        }
    }

    // Cumulative lines: dash + marker per series, last value labelled at the right end.
    let mut ends: Vec<(i32, String)> = Vec::new();
    for (k, (_, values)) in data.lines.iter().enumerate() {
        let pts: Vec<(i32, i32)> = (0..n)
            .filter_map(|m| value(values, m).map(|v| (cx(m), y_of(v))))
            .collect();
        if pts.len() > 1 {
            c.line(pts.clone(), Paint::Series(nb + k), k, 3);
        }
        for (x, y) in &pts {
            c.ops.push(Op::Marker {
                x: *x,
                y: *y,
                series: nb + k,
                shape: k,
            });
        }
        if let (Some((_, y)), Some(last)) = (pts.last(), values[..values.len().min(n)].last()) {
            ends.push((*y, fmt_count(u64::from(*last))));
        }
    }
    for (x, y, label) in bar_labels {
        c.label(x, y, &label, BAR_LABEL_PX, HPos::Center, VPos::Bottom);
    }
    ends.sort_by_key(|(y, _)| *y);
    let mut prev = i32::MIN;
    let last_x = if n == 0 { left } else { cx(n - 1) };
    for (y, label) in ends {
        let y = y.max(prev.saturating_add(17));
        c.label(last_x + 10, y, &label, TICK_PX, HPos::Left, VPos::Center);
        prev = y;
    }

    let mut end = bottom + 8 + (TICK_PX * 1.4) as i32;
    for line in wrap(frame.x_label, LABEL_PX, f64::from(WIDTH - 2 * PAD)) {
        if line.trim().is_empty() {
            continue;
        }
        let half = (text_width(&line, LABEL_PX) / 2.0).ceil() as i32;
        let mid = ((left + right) / 2).clamp(PAD + half, (WIDTH - PAD - half).max(PAD + half));
        c.text(
            mid,
            end + 4,
            &line,
            LABEL_PX,
            HPos::Center,
            VPos::Top,
            false,
        );
        end += (LABEL_PX * 1.4) as i32;
    }
    c.finish(end + PAD, frame.title, frame.desc)
}
