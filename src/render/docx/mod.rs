//! The monthly briefing as an editable Word document laid out as GB/T 9704-2012 lays out an official
//! document (`briefings/<YYYY-MM>.docx`). It reads the same values the briefing page renders, so its
//! tables hold the page's rows and numbers.

mod blocks;
mod commentary;
mod package;
mod schema;
mod sections;

use super::{Page, Renderer};
use crate::lang::Lang;
use anyhow::{Context, Result};
use blocks::{RED, SIZE_2, SIZE_3, XIAOBIAOSONG, blank, line};
use chrono::Datelike;
use docx_rs::{AlignmentType, DocGrid, DocGridType, Docx, PageMargin, Paragraph};
use serde_json::Value;

/// A4 and GB/T 9704-2012's margins, in twips (1 mm = 1440 / 25.4 twips): top 37 mm, bottom 35 mm,
/// left 28 mm, right 26 mm.
pub const PAGE_WIDTH: u32 = 11906;
pub const PAGE_HEIGHT: u32 = 16838;
pub const MARGIN_TOP: u32 = 2098;
pub const MARGIN_BOTTOM: u32 = 1984;
pub const MARGIN_LEFT: u32 = 1587;
pub const MARGIN_RIGHT: u32 = 1474;
/// The page number's line starts 7 mm below the type area, so a 4号 line ends about 23 mm above the
/// page's edge (Word measures the footer from the edge to the footer's last line).
const FOOTER: u32 = 1304;
const HEADER: u32 = 851;
/// The grid: 22 lines of 28 characters.
pub const LINES: u32 = 22;
pub const CHARS: u32 = 28;
// 28 condensed 3号 characters fit the type area's width, 29 do not.
const _: () = assert!(
    CHARS as i32 * blocks::CHAR <= blocks::TEXT_WIDTH as i32
        && (CHARS as i32 + 1) * blocks::CHAR > blocks::TEXT_WIDTH as i32
);

/// What heads a briefing as a document: its 期数, 文号, 主送, 抄送, issuer and date.
#[derive(Debug, Clone)]
pub struct Head {
    /// 第N期: N counted from the campaign's first month.
    pub issue: usize,
    pub number: Option<String>,
    pub to: Vec<String>,
    pub cc: Vec<String>,
    pub issuer: String,
    /// The cut-off day written out (2022年6月30日).
    pub date: String,
}

/// Whether this build writes the .docx: internal builds always, public ones when the site asks.
pub fn written(r: &Renderer) -> bool {
    r.internal() || r.site.config.briefing.public_docx
}

/// The head of month `i`'s briefing. The 文号's `{n}` counts the briefings of that month's year.
pub fn head(r: &Renderer, i: usize) -> Head {
    let c = &r.site.config;
    let b = &r.briefings[i];
    let year = b.first.year();
    let n = r.briefings[..=i]
        .iter()
        .filter(|x| x.first.year() == year)
        .count();
    Head {
        issue: i + 1,
        number: c.briefing.number_for(year, n),
        to: c.briefing.to.clone(),
        cc: c.briefing.cc.clone(),
        issuer: c.issuer().to_string(),
        date: super::views::long_date(b.end, r.lang()),
    }
}

/// The .docx of the briefing whose page context is `ctx`.
pub fn briefing(r: &Renderer, title: &str, ctx: &Value) -> Result<Page> {
    let month = ctx["month"].as_str().unwrap_or_default();
    let end = ctx["end"].as_str().unwrap_or_default();
    let docx = sections::all(r, ctx, front(r, title, ctx, page_setup()));
    // Fixed timestamps (the cut-off day, and zip's epoch in the archive) keep the bytes the same
    // from one build to the next.
    let stamp = format!("{end}T00:00:00Z");
    let mut bytes = std::io::Cursor::new(Vec::new());
    docx.created_at(&stamp)
        .updated_at(&stamp)
        .build()
        .pack(&mut bytes)
        .with_context(|| format!("writing the Word briefing for {month}"))?;
    Ok(Page {
        path: format!("briefings/{month}.docx"),
        bytes: package::repack(bytes.into_inner())?,
    })
}

/// A4, the margins, the 22 × 28 grid and the odd and even page numbers.
fn page_setup() -> Docx {
    let mut docx = Docx::new()
        .page_size(PAGE_WIDTH, PAGE_HEIGHT)
        .page_margin(PageMargin {
            top: MARGIN_TOP as i32,
            left: MARGIN_LEFT as i32,
            bottom: MARGIN_BOTTOM as i32,
            right: MARGIN_RIGHT as i32,
            header: HEADER as i32,
            footer: FOOTER as i32,
            gutter: 0,
        })
        .default_size(SIZE_3)
        .footer(blocks::page_number(true))
        .even_footer(blocks::page_number(false));
    docx.document = docx.document.doc_grid(grid());
    docx
}

/// A line grid: 22 lines fill the type area's height. The 28 characters a line come from the
/// condensed 3号 runs (`blocks::CONDENSE`), not from a character grid: LibreOffice lays a character
/// grid narrower than 16 pt out at 14 characters a line.
fn grid() -> DocGrid {
    let height = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM;
    DocGrid::with_empty()
        .grid_type(DocGridType::Lines)
        .line_pitch((height / LINES) as usize)
}

/// The 版头 (issuer in red, 期数, 文号, red rule), the title and the 主送.
fn front(r: &Renderer, title: &str, ctx: &Value, docx: Docx) -> Docx {
    let issuer = ctx["issuer"].as_str().unwrap_or_default();
    let chars = issuer.chars().count().max(1) as u32;
    // As large as fits on one line, at most 小初 (36 pt).
    let size = ((blocks::TEXT_WIDTH / 20 / chars) * 2).min(72) as usize;
    let centred = |p: docx_rs::Paragraph| p.align(AlignmentType::Center);
    let mut docx = docx
        .add_paragraph(blank())
        .add_paragraph(centred(
            // The run is red: a paragraph's colour would be its mark's only.
            Paragraph::new()
                .add_run(blocks::run(issuer, XIAOBIAOSONG, size).color(RED))
                .snap_to_grid(false),
        ))
        .add_paragraph(blank());
    let issue = match r.lang() {
        Lang::Zh => format!("第{}期", ctx["issue"]),
        Lang::En => format!("No. {}", ctx["issue"]),
    };
    docx = docx.add_paragraph(centred(line(&issue, blocks::FANGSONG, SIZE_3)));
    if let Some(number) = ctx["number"].as_str() {
        docx = docx.add_paragraph(centred(line(number, blocks::FANGSONG, SIZE_3)));
    }
    docx = docx
        .add_table(blocks::rule(RED, 16))
        .add_paragraph(blank())
        .add_paragraph(centred(title_paragraph(title)))
        .add_paragraph(blank());
    let to: Vec<&str> = ctx["to"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    if !to.is_empty() {
        docx = docx.add_paragraph(line(
            &format!("{}{}", to.join(&r.t("enum_sep")), r.t("colon").trim_end()),
            blocks::FANGSONG,
            SIZE_3,
        ));
    }
    docx
}

/// The title in 2号 小标宋, broken where GB/T 9704 would break it when it does not fit one line.
fn title_paragraph(title: &str) -> Paragraph {
    // Characters of 2号 (22 pt) a line holds.
    let fits = f64::from(blocks::TEXT_WIDTH) / 20.0 / 22.0;
    match title_break(title, fits) {
        Some(at) => Paragraph::new()
            .add_run(
                blocks::run(&title[..at], XIAOBIAOSONG, SIZE_2)
                    .add_break(docx_rs::BreakType::TextWrapping),
            )
            .add_run(blocks::run(&title[at..], XIAOBIAOSONG, SIZE_2)),
        None => line(title, XIAOBIAOSONG, SIZE_2),
    }
}

/// Where a title too long for one line of `fits` characters breaks (a byte index), so that no
/// word is cut and the lines form a trapezium, the upper one the longer: after a closing quote or
/// bracket, or before 关于, 工作 or 情况. None when it fits, has no such place, or is not Chinese.
pub fn title_break(title: &str, fits: f64) -> Option<usize> {
    let width = blocks::chars_wide;
    let total = width(title);
    if total <= fits {
        return None;
    }
    let after = title
        .char_indices()
        .filter(|(_, c)| "”’）》".contains(*c))
        .map(|(i, c)| i + c.len_utf8());
    let before = ["关于", "工作", "情况"]
        .iter()
        .flat_map(|w| title.match_indices(w).map(|(i, _)| i));
    let fitting = after
        .chain(before)
        .filter(|&at| at > 0 && at < title.len())
        .map(|at| (at, width(&title[..at])))
        .filter(|(_, upper)| *upper <= fits && total - upper <= fits);
    // The most even trapezium: upper at least as long as lower, then the smallest difference.
    fitting
        .min_by(|a, b| {
            let key =
                |(_, upper): &(usize, f64)| (*upper < total - upper, (2.0 * upper - total).abs());
            key(a)
                .partial_cmp(&key(b))
                .unwrap_or(std::cmp::Ordering::Equal)
        })
        .map(|(at, _)| at)
}

#[cfg(test)]
mod tests;
