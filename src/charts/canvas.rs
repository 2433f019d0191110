//! A tiny display list rendered through plotters' SVG backend, plus the post-processing that
//! plotters cannot do itself: accessible `<svg>` header, hatch patterns, dash styles, text halos.
//!
//! Charts lay themselves out in pixel coordinates of a 420-wide viewBox, push [`Op`]s, and call
//! [`Canvas::finish`]. Series colours are drawn as sentinel colours and swapped for the real
//! paint afterwards, so the same series looks the same in bars and legend swatches.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{FontDesc, FontFamily, FontStyle, RGBColor};

pub use super::text::{clean, ellipsize, escape, fmt_count, nice_axis, text_width, wrap};

/// Width of every chart's viewBox, in px: close to a phone's column (~340 px at 390 px wide), so
/// the smallest text (15 px) still reads at 12 px there.
pub const WIDTH: i32 = 420;
/// Outer padding, in px.
pub const PAD: i32 = 12;
/// Font sizes, in px at 420 wide (scaled to ~340 on a phone: 15 px reads as ~12 px).
pub const TITLE_PX: f64 = 20.0;
pub const LABEL_PX: f64 = 16.0;
pub const TICK_PX: f64 = 15.0;

pub const INK: RGBColor = RGBColor(0x1A, 0x1A, 0x1A);
pub const MUTED: RGBColor = RGBColor(0x55, 0x55, 0x55);
pub const GRID: RGBColor = RGBColor(0xD9, 0xD9, 0xD9);

const FONT_STACK: &str =
    "'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', sans-serif";

/// Okabe–Ito, in the order series are assigned.
const PALETTE: [&str; 6] = [
    "#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7",
];
/// Dash patterns for line series (solid, dashed, dotted, dash-dot, long dash).
const DASHES: [&str; 5] = ["", "9 5", "2 4", "10 4 2 4", "16 6"];

/// Paint of a series: index into the palette (wraps around).
pub fn series_hex(i: usize) -> &'static str {
    PALETTE[i % PALETTE.len()]
}

/// How something is filled or stroked.
#[derive(Clone, Copy)]
pub enum Paint {
    Solid(RGBColor),
    /// Bar series `i`: palette colour `i` plus hatch pattern `i`.
    Series(usize),
}

/// One drawing operation, in viewBox pixels.
pub enum Op {
    Rect {
        x0: i32,
        y0: i32,
        x1: i32,
        y1: i32,
        fill: Paint,
        outline: bool,
    },
    Text {
        x: i32,
        y: i32,
        text: String,
        px: f64,
        h: HPos,
        v: VPos,
        bold: bool,
        halo: bool,
        colour: RGBColor,
    },
    /// Line series `series` (palette colour `series`, dash `dash`), or a plain line.
    Line {
        pts: Vec<(i32, i32)>,
        paint: Paint,
        dash: usize,
        width: u32,
    },
    /// Marker shape `shape` filled with palette colour `series`.
    Marker {
        x: i32,
        y: i32,
        series: usize,
        shape: usize,
    },
}

// Sentinel colours, chosen so they never occur elsewhere in the output.
fn fill_sentinel(i: usize) -> RGBColor {
    RGBColor(0xFE, 0x01, (i % 250) as u8)
}
fn stroke_sentinel(series: usize, dash: usize) -> RGBColor {
    RGBColor(
        0xFE,
        0x02 + (dash % DASHES.len()) as u8,
        (series % 250) as u8,
    )
}
const HALO_SENTINEL: RGBColor = RGBColor(0xFE, 0x10, 0x00);

/// The display list of one chart.
#[derive(Default)]
pub struct Canvas {
    pub ops: Vec<Op>,
}

impl Canvas {
    pub fn rect(&mut self, x0: i32, y0: i32, x1: i32, y1: i32, fill: Paint, outline: bool) {
        self.ops.push(Op::Rect {
            x0,
            y0,
            x1,
            y1,
            fill,
            outline,
        });
    }

    /// Plain text, anchored at (`h`, `v`).
    #[allow(clippy::too_many_arguments)]
    pub fn text(&mut self, x: i32, y: i32, text: &str, px: f64, h: HPos, v: VPos, bold: bool) {
        self.ops.push(Op::Text {
            x,
            y,
            text: clean(text),
            px,
            h,
            v,
            bold,
            halo: false,
            colour: INK,
        });
    }

    /// Dark text with a white halo, legible on top of any fill or hatch.
    pub fn label(&mut self, x: i32, y: i32, text: &str, px: f64, h: HPos, v: VPos) {
        self.ops.push(Op::Text {
            x,
            y,
            text: clean(text),
            px,
            h,
            v,
            bold: false,
            halo: true,
            colour: INK,
        });
    }

    pub fn muted(&mut self, x: i32, y: i32, text: &str, px: f64, h: HPos, v: VPos) {
        self.ops.push(Op::Text {
            x,
            y,
            text: clean(text),
            px,
            h,
            v,
            bold: false,
            halo: false,
            colour: MUTED,
        });
    }

    pub fn line(&mut self, pts: Vec<(i32, i32)>, paint: Paint, dash: usize, width: u32) {
        self.ops.push(Op::Line {
            pts,
            paint,
            dash,
            width,
        });
    }

    /// Title lines from the top; returns the y below them.
    pub fn title(&mut self, title: &str) -> i32 {
        let mut y = PAD;
        for line in wrap(title, TITLE_PX, f64::from(WIDTH - 2 * PAD)) {
            self.text(PAD, y, &line, TITLE_PX, HPos::Left, VPos::Top, true);
            y += (TITLE_PX * 1.35) as i32;
        }
        y + 4
    }

    /// Renders through plotters and post-processes into the final, accessible SVG.
    pub fn finish(self, height: i32, title: &str, desc: &str) -> String {
        let size = (WIDTH as u32, height.max(1) as u32);
        let mut buf = String::new();
        {
            let root = SVGBackend::with_string(&mut buf, size).into_drawing_area();
            let _ = root.fill(&WHITE);
            for op in &self.ops {
                draw(&root, op);
            }
            let _ = root.present();
        }
        post_process(&buf, size, title, desc)
    }
}

fn draw<DB: DrawingBackend>(root: &DrawingArea<DB, plotters::coord::Shift>, op: &Op) {
    match op {
        Op::Rect {
            x0,
            y0,
            x1,
            y1,
            fill,
            outline,
        } => {
            let colour = match fill {
                Paint::Solid(c) => *c,
                Paint::Series(i) => fill_sentinel(*i),
            };
            let _ = root.draw(&Rectangle::new([(*x0, *y0), (*x1, *y1)], colour.filled()));
            if *outline {
                let _ = root.draw(&Rectangle::new(
                    [(*x0, *y0), (*x1, *y1)],
                    INK.stroke_width(1),
                ));
            }
        }
        Op::Text {
            x,
            y,
            text,
            px,
            h,
            v,
            bold,
            halo,
            colour,
        } => {
            let weight = if *bold {
                FontStyle::Bold
            } else {
                FontStyle::Normal
            };
            let colour = if *halo { HALO_SENTINEL } else { *colour };
            let font = FontDesc::new(FontFamily::SansSerif, px * 1.24, weight);
            let style = font.color(&colour).pos(Pos::new(*h, *v));
            let _ = root.draw(&Text::new(text.as_str(), (*x, *y), style));
        }
        Op::Line {
            pts,
            paint,
            dash,
            width,
        } => {
            let colour = match paint {
                Paint::Solid(c) => *c,
                Paint::Series(i) => stroke_sentinel(*i, *dash),
            };
            let _ = root.draw(&PathElement::new(pts.clone(), colour.stroke_width(*width)));
        }
        Op::Marker {
            x,
            y,
            series,
            shape,
        } => {
            let c = fill_sentinel(200 + series % 6);
            let (x, y) = (*x, *y);
            let pts = match shape % 4 {
                0 => vec![(x, y - 6), (x + 6, y), (x, y + 6), (x - 6, y)],
                1 => vec![
                    (x - 5, y - 5),
                    (x + 5, y - 5),
                    (x + 5, y + 5),
                    (x - 5, y + 5),
                ],
                2 => vec![(x, y - 7), (x + 6, y + 5), (x - 6, y + 5)],
                _ => vec![
                    (x - 6, y - 2),
                    (x, y - 6),
                    (x + 6, y - 2),
                    (x + 6, y + 5),
                    (x - 6, y + 5),
                ],
            };
            let _ = root.draw(&Polygon::new(pts, c.filled()));
        }
    }
}

/// 64-bit FNV-1a, to give each chart's pattern ids a deterministic, page-unique prefix.
fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Hatch pattern `i` over palette colour `i`: solid, diagonal, dots, back-diagonal, cross, grid.
fn pattern(id: &str, i: usize) -> String {
    let colour = series_hex(i);
    let mark = match i % 6 {
        0 => String::new(),
        1 => {
            "<path d=\"M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4\" stroke=\"#FFFFFF\" stroke-width=\"2\"/>"
                .into()
        }
        2 => "<circle cx=\"4\" cy=\"4\" r=\"1.8\" fill=\"#FFFFFF\"/>".into(),
        3 => "<path d=\"M-2,6 l4,4 M0,0 l8,8 M6,-2 l4,4\" stroke=\"#FFFFFF\" stroke-width=\"2\"/>"
            .into(),
        4 => "<path d=\"M0,4 h8\" stroke=\"#1A1A1A\" stroke-width=\"1.5\"/>".into(),
        _ => "<path d=\"M0,4 h8 M4,0 v8\" stroke=\"#FFFFFF\" stroke-width=\"1.5\"/>".into(),
    };
    format!(
        "<pattern id=\"{id}\" patternUnits=\"userSpaceOnUse\" width=\"8\" height=\"8\">\
         <rect width=\"8\" height=\"8\" fill=\"{colour}\"/>{mark}</pattern>\n"
    )
}

/// plotters writes `<text …>\ncontent\n</text>`; keep content tight so no stray spaces render.
fn join_text_lines(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut in_text = false;
    for line in body.split_inclusive('\n') {
        if in_text && line == "</text>\n" {
            out.pop();
            in_text = false;
        } else if line.starts_with("<text ") && line.ends_with(">\n") {
            out.push_str(line.trim_end_matches('\n'));
            in_text = true;
            continue;
        }
        out.push_str(line);
    }
    out
}

/// plotters writes `font-size="15.000000000000002"` (it divides by 1.24); round to 0.01 px.
fn round_font_sizes(body: &str) -> String {
    let key = "font-size=\"";
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(i) = rest.find(key) {
        let (head, tail) = rest.split_at(i + key.len());
        out.push_str(head);
        let end = tail.find('"').unwrap_or(tail.len());
        match tail[..end].parse::<f64>() {
            Ok(px) => out.push_str(&format!("{}", (px * 100.0).round() / 100.0)),
            Err(_) => out.push_str(&tail[..end]),
        }
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

fn post_process(raw: &str, size: (u32, u32), title: &str, desc: &str) -> String {
    let prefix = format!("rc{:08x}", fnv(raw) as u32);
    let body = raw.split_once('\n').map_or("", |(_, rest)| rest);
    let mut body =
        round_font_sizes(&join_text_lines(body)).replace(" font-family=\"sans-serif\"", "");
    let mut defs = String::new();
    for i in 0..250usize {
        let s = fill_sentinel(i);
        let needle = format!("fill=\"#{:02X}{:02X}{:02X}\"", s.0, s.1, s.2);
        if !body.contains(&needle) {
            continue;
        }
        let replacement = if i >= 200 {
            format!(
                "fill=\"{}\" stroke=\"#FFFFFF\" stroke-width=\"1.5\"",
                series_hex(i - 200)
            )
        } else {
            let id = format!("{prefix}-p{i}");
            defs.push_str(&pattern(&id, i));
            format!("fill=\"url(#{id})\"")
        };
        body = body.replace(&needle, &replacement);
    }
    for i in 0..250usize {
        for (d, dash) in DASHES.iter().enumerate() {
            let s = stroke_sentinel(i, d);
            let needle = format!("stroke=\"#{:02X}{:02X}{:02X}\"", s.0, s.1, s.2);
            if body.contains(&needle) {
                let dash = if dash.is_empty() {
                    String::new()
                } else {
                    format!(" stroke-dasharray=\"{dash}\"")
                };
                let replacement = format!(
                    "stroke=\"{}\"{dash} stroke-linejoin=\"round\" stroke-linecap=\"butt\"",
                    series_hex(i)
                );
                body = body.replace(&needle, &replacement);
            }
        }
    }
    body = body.replace(
        "fill=\"#FE1000\"",
        "fill=\"#1A1A1A\" stroke=\"#FFFFFF\" stroke-width=\"3.5\" stroke-linejoin=\"round\" paint-order=\"stroke\"",
    );
    let (w, h) = size;
    // Grows to 1.5× on wide pages (text then reads at about 22 px), shrinks freely on phones.
    let max_w = w * 3 / 2;
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"100%\" \
         preserveAspectRatio=\"xMidYMin meet\" role=\"img\" aria-labelledby=\"{prefix}-t {prefix}-d\" \
         font-family=\"{FONT_STACK}\" style=\"max-width:{max_w}px;height:auto\">\n\
         <title id=\"{prefix}-t\">{}</title>\n<desc id=\"{prefix}-d\">{}</desc>\n<defs>\n{defs}</defs>\n{body}",
        escape(title),
        escape(desc),
    )
}
