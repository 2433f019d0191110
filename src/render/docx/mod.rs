//! The monthly briefing as an editable Word document laid out as GB/T 9704-2012 lays out an official
//! document (`briefings/<YYYY-MM>.docx`). It reads the same values the briefing page renders, so its
//! tables hold the page's rows and numbers.

mod blocks;
mod commentary;
mod package;
mod sections;

use super::{Page, Renderer};
use crate::lang::Lang;
use anyhow::{Context, Result};
use blocks::{RED, SIZE_2, SIZE_3, XIAOBIAOSONG, blank, line};
use chrono::Datelike;
use docx_rs::{AlignmentType, DocGrid, DocGridType, Docx, PageMargin};
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

/// Lines fill the type area's height; characters are pitched so 28 of 3号 fill its width
/// (`charSpace` is the difference from 16 pt in 1/4096 pt, rounded down so 28 still fit: -842).
fn grid() -> DocGrid {
    let height = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM;
    let pitch_pt = f64::from(blocks::TEXT_WIDTH) / f64::from(CHARS) / 20.0;
    DocGrid::new()
        .grid_type(DocGridType::LinesAndChars)
        .line_pitch((height / LINES) as usize)
        .char_space(((pitch_pt - 16.0) * 4096.0).floor() as isize)
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
            line(issuer, XIAOBIAOSONG, size)
                .color(RED)
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
        .add_paragraph(centred(line(title, XIAOBIAOSONG, SIZE_2)))
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

#[cfg(test)]
mod tests;
