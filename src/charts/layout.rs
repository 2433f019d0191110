//! Layout pieces shared by the charts: legend and the horizontal count axis.

use super::canvas::{
    Canvas, GRID, INK, LABEL_PX, PAD, Paint, TICK_PX, WIDTH, fmt_count, nice_axis, text_width,
};
use plotters::style::text_anchor::{HPos, VPos};

/// What a legend entry shows before its name.
pub enum Key {
    /// A hatch-filled swatch of bar series `i`.
    Bar(usize),
    /// A short line in palette colour `.0` with dash and marker style `.1`.
    Line(usize, usize),
}

/// Flowing legend under the title; returns the y below it.
pub fn legend(c: &mut Canvas, top: i32, items: &[(&str, Key)]) -> i32 {
    if items.is_empty() {
        return top;
    }
    let row_h = 26;
    let (mut x, mut y) = (PAD, top + 2);
    for (name, key) in items {
        let key_w = match key {
            Key::Bar(_) => 18,
            Key::Line(..) => 34,
        };
        let name = super::canvas::ellipsize(name, LABEL_PX, f64::from(WIDTH - 2 * PAD - key_w - 6));
        let w = key_w + 6 + text_width(&name, LABEL_PX).ceil() as i32;
        if x > PAD && x + w > WIDTH - PAD {
            x = PAD;
            y += row_h;
        }
        let mid = y + row_h / 2;
        match key {
            Key::Bar(i) => c.rect(x, mid - 9, x + 18, mid + 9, Paint::Series(*i), true),
            Key::Line(colour, style) => {
                c.line(
                    vec![(x, mid), (x + 34, mid)],
                    Paint::Series(*colour),
                    *style,
                    3,
                );
                c.ops.push(super::canvas::Op::Marker {
                    x: x + 17,
                    y: mid,
                    series: *colour,
                    shape: *style,
                });
            }
        }
        c.text(
            x + key_w + 6,
            mid,
            &name,
            LABEL_PX,
            HPos::Left,
            VPos::Center,
            false,
        );
        x += w + 22;
    }
    y + row_h + 6
}

/// A horizontal count axis from `left` to `right`, gridlines from `top` to `bottom`.
pub struct CountAxis {
    pub left: i32,
    pub right: i32,
    pub max: u64,
    pub step: u64,
}

impl CountAxis {
    /// Chooses nice ticks for `max_value` over `width` px.
    pub fn new(left: i32, right: i32, max_value: u64) -> Self {
        let right = right.max(left + 1);
        let label_w = text_width(&fmt_count(max_value.max(1) * 2), TICK_PX) + 24.0;
        let ticks = (f64::from(right - left) / label_w).floor().clamp(1.0, 6.0) as u64;
        let (max, step) = nice_axis(max_value, ticks);
        CountAxis {
            left,
            right,
            max,
            step,
        }
    }

    /// x of `value`.
    pub fn x(&self, value: u64) -> i32 {
        let frac = value as f64 / self.max as f64;
        self.left + (frac * f64::from(self.right - self.left)).round() as i32
    }

    /// Pixels per count.
    pub fn scale(&self) -> f64 {
        f64::from(self.right - self.left) / self.max as f64
    }

    /// Gridlines, tick labels and the axis label below; returns the y below everything.
    pub fn draw(&self, c: &mut Canvas, top: i32, bottom: i32, x_label: &str) -> i32 {
        let mut v = 0u64;
        loop {
            let x = self.x(v);
            if v > 0 {
                c.line(vec![(x, top), (x, bottom)], Paint::Solid(GRID), 0, 1);
            }
            c.line(vec![(x, bottom), (x, bottom + 5)], Paint::Solid(INK), 0, 1);
            c.muted(
                x,
                bottom + 8,
                &fmt_count(v),
                TICK_PX,
                HPos::Center,
                VPos::Top,
            );
            if v >= self.max {
                break;
            }
            v = v.saturating_add(self.step).min(self.max);
        }
        c.line(
            vec![(self.left, top), (self.left, bottom)],
            Paint::Solid(INK),
            0,
            1,
        );
        c.line(
            vec![(self.left, bottom), (self.right, bottom)],
            Paint::Solid(INK),
            0,
            1,
        );
        let mut y = bottom + 8 + (TICK_PX * 1.4) as i32;
        if !x_label.trim().is_empty() {
            for line in super::canvas::wrap(x_label, LABEL_PX, f64::from(WIDTH - 2 * PAD)) {
                let half = (text_width(&line, LABEL_PX) / 2.0).ceil() as i32;
                let mid = ((self.left + self.right) / 2)
                    .clamp(PAD + half, (WIDTH - PAD - half).max(PAD + half));
                c.text(mid, y + 4, &line, LABEL_PX, HPos::Center, VPos::Top, false);
                y += (LABEL_PX * 1.4) as i32;
            }
            y += 4;
        }
        y + PAD
    }
}
