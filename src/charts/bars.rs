//! Horizontal bar charts: stacked (per-street progress) and grouped (breakdowns).

use super::Frame;
use super::canvas::{
    Canvas, LABEL_PX, PAD, Paint, TICK_PX, WIDTH, ellipsize, fmt_count, text_width,
};
use super::layout::{CountAxis, Key, legend};
use plotters::style::text_anchor::{HPos, VPos};

/// Widest a row name may be before it is shortened with "…", in px.
const MAX_NAME_W: f64 = 150.0;

/// Legend, y-label header and name column shared by both bar charts.
/// Returns (names, left edge of the plot, top of the plot).
fn frame_top(
    c: &mut Canvas,
    frame: &Frame,
    series: &[&str],
    rows: &[(String, Vec<u32>)],
) -> (Vec<String>, i32, i32) {
    let mut y = c.title(frame.title);
    let items: Vec<(&str, Key)> = series
        .iter()
        .enumerate()
        .map(|(i, s)| (*s, Key::Bar(i)))
        .collect();
    y = legend(c, y, &items);
    let names: Vec<String> = rows
        .iter()
        .map(|(n, _)| ellipsize(n, LABEL_PX, MAX_NAME_W))
        .collect();
    let name_w = names
        .iter()
        .map(|n| text_width(n, LABEL_PX))
        .fold(0.0, f64::max);
    if !frame.y_label.trim().is_empty() {
        let header = ellipsize(frame.y_label, LABEL_PX, f64::from(WIDTH - 2 * PAD));
        c.text(PAD, y + 2, &header, LABEL_PX, HPos::Left, VPos::Top, true);
        y += (LABEL_PX * 1.5) as i32;
    }
    (names, PAD + name_w.ceil() as i32 + 10, y + 6)
}

/// Segments of one stacked row that are too narrow for their label: (series, value).
fn overflow(values: &[u32], scale: f64) -> Vec<(usize, u32)> {
    values
        .iter()
        .enumerate()
        .filter(|(_, v)| **v > 0)
        .filter(|(_, v)| {
            f64::from(**v) * scale < text_width(&fmt_count(u64::from(**v)), TICK_PX) + 8.0
        })
        .map(|(i, v)| (i, *v))
        .collect()
}

/// Width of the note after a bar: bold total, then a swatch and value per too-narrow segment.
fn note_width(total: u64, over: &[(usize, u32)]) -> i32 {
    let mut w = text_width(&fmt_count(total), TICK_PX) + 8.0;
    for (_, v) in over {
        w += 12.0 + 4.0 + text_width(&fmt_count(u64::from(*v)), TICK_PX) + 8.0;
    }
    w.ceil() as i32
}

pub fn stacked_bars(frame: &Frame, series: &[&str], rows: &[(String, Vec<u32>)]) -> String {
    let mut c = Canvas::default();
    let (names, left, top) = frame_top(&mut c, frame, series, rows);
    let totals: Vec<u64> = rows
        .iter()
        .map(|(_, v)| v.iter().map(|x| u64::from(*x)).sum())
        .collect();
    let max_total = totals.iter().copied().max().unwrap_or(0);
    let (row_h, bar_h) = (34, 22);
    let bottom = top + row_h * rows.len().max(1) as i32;

    // Reserve room after the bars for the notes; narrower bars may push more labels out, so repeat.
    let min_plot = 120;
    let mut reserve = note_width(max_total, &[]) + 6;
    let mut axis = CountAxis::new(left, WIDTH - PAD - reserve, max_total);
    for _ in 0..8 {
        let scale = axis.scale();
        let need = rows
            .iter()
            .zip(&totals)
            .map(|((_, v), t)| {
                let end = (*t as f64 * scale).round() as i32;
                axis.left + end + note_width(*t, &overflow(v, scale)) + 6 - (WIDTH - PAD)
            })
            .max()
            .unwrap_or(0);
        if need <= 0 || axis.right - axis.left <= min_plot {
            break;
        }
        reserve += need;
        axis = CountAxis::new(
            left,
            (WIDTH - PAD - reserve).max(left + min_plot),
            max_total,
        );
    }

    let end = axis.draw(&mut c, top, bottom, frame.x_label);
    let scale = axis.scale();
    for (i, ((name, values), total)) in rows
        .iter()
        .zip(&names)
        .map(|((_, v), n)| (n, v))
        .zip(&totals)
        .enumerate()
    {
        let mid = top + i as i32 * row_h + row_h / 2;
        c.text(
            left - 10,
            mid,
            name,
            LABEL_PX,
            HPos::Right,
            VPos::Center,
            false,
        );
        let mut cum = 0u64;
        for (j, v) in values.iter().enumerate() {
            if *v == 0 {
                continue;
            }
            let (x0, x1) = (axis.x(cum), axis.x(cum + u64::from(*v)));
            cum += u64::from(*v);
            c.rect(
                x0,
                mid - bar_h / 2,
                x1.max(x0 + 1),
                mid + bar_h / 2,
                Paint::Series(j),
                true,
            );
            let label = fmt_count(u64::from(*v));
            if f64::from(*v) * scale >= text_width(&label, TICK_PX) + 8.0 {
                c.label(
                    (x0 + x1) / 2,
                    mid,
                    &label,
                    TICK_PX,
                    HPos::Center,
                    VPos::Center,
                );
            }
        }
        let mut x = axis.x(cum) + 6;
        c.text(
            x,
            mid,
            &fmt_count(*total),
            TICK_PX,
            HPos::Left,
            VPos::Center,
            true,
        );
        x += (text_width(&fmt_count(*total), TICK_PX) + 8.0).ceil() as i32;
        for (j, v) in overflow(values, scale) {
            let label = fmt_count(u64::from(v));
            // Only absurdly large counts on a narrow chart run out of room; the data table beside
            // every chart still has each value.
            if x + (16.0 + text_width(&label, TICK_PX)).ceil() as i32 > WIDTH - PAD {
                break;
            }
            c.rect(x, mid - 6, x + 12, mid + 6, Paint::Series(j), true);
            c.text(
                x + 16,
                mid,
                &label,
                TICK_PX,
                HPos::Left,
                VPos::Center,
                false,
            );
            x += (12.0 + 4.0 + text_width(&label, TICK_PX) + 8.0).ceil() as i32;
        }
    }
    c.finish(end, frame.title, frame.desc)
}

pub fn grouped_bars(frame: &Frame, series: &[&str], rows: &[(String, Vec<u32>)]) -> String {
    let mut c = Canvas::default();
    let (names, left, top) = frame_top(&mut c, frame, series, rows);
    let per_row = rows
        .iter()
        .map(|(_, v)| v.len())
        .max()
        .unwrap_or(0)
        .max(series.len())
        .max(1);
    let bar_h = 20;
    let row_h = bar_h * per_row as i32 + 14;
    let bottom = top + row_h * rows.len().max(1) as i32;
    let max = rows
        .iter()
        .flat_map(|(_, v)| v.iter())
        .copied()
        .max()
        .unwrap_or(0);
    let reserve = (text_width(&fmt_count(u64::from(max)), TICK_PX) + 12.0).ceil() as i32;
    let axis = CountAxis::new(
        left,
        (WIDTH - PAD - reserve).max(left + 120),
        u64::from(max),
    );
    let end = axis.draw(&mut c, top, bottom, frame.x_label);
    for (i, (name, (_, values))) in names.iter().zip(rows).enumerate() {
        let row_top = top + i as i32 * row_h + 7;
        let mid = row_top + bar_h * per_row as i32 / 2;
        c.text(
            left - 10,
            mid,
            name,
            LABEL_PX,
            HPos::Right,
            VPos::Center,
            false,
        );
        for (j, v) in values.iter().enumerate() {
            let y0 = row_top + j as i32 * bar_h;
            let x1 = axis.x(u64::from(*v));
            if *v > 0 {
                c.rect(
                    axis.left,
                    y0 + 1,
                    x1.max(axis.left + 1),
                    y0 + bar_h - 1,
                    Paint::Series(j),
                    true,
                );
            }
            let label = fmt_count(u64::from(*v));
            c.text(
                x1 + 5,
                y0 + bar_h / 2,
                &label,
                TICK_PX,
                HPos::Left,
                VPos::Center,
                false,
            );
        }
    }
    c.finish(end, frame.title, frame.desc)
}
