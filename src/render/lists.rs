//! The 三个一批 lists: `data/lists.xlsx` (one plain sortable table per action, and a 汇总 sheet with
//! the subtotals) and the shared row shape that `data/cases.csv` uses too.

use super::Renderer;
use crate::lang::Lang;
use crate::model::{Action, Case, Date};
use crate::report::{Counts, late_days, state};
use anyhow::{Result, anyhow};
use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet,
};
use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
pub use workbook::xlsx;

mod deflate;
mod sheetxml;
mod store;
mod workbook;
mod zipfile;

/// The columns of the lists, as the contract names them.
pub const LIST_COLUMNS: [&str; 22] = [
    "序号",
    "编号",
    "街道",
    "社区",
    "场所名称",
    "行业",
    "位置",
    "认定情形",
    "污染类型",
    "发现来源",
    "整治类型",
    "发现时间",
    "整治期限",
    "完成时间",
    "销号时间",
    "当前状态",
    "是否逾期",
    "复发时间",
    "复发整治期限",
    "复发整治完成时间",
    "交办编号",
    "整治后照片",
];

/// One cell of a list row: text (borrowed from the case where it can be), or a real date.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell<'a> {
    Text(Cow<'a, str>),
    Date(Option<Date>),
}

impl fmt::Display for Cell<'_> {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Cell::Text(t) => f.write_str(t),
            Cell::Date(Some(d)) => write!(f, "{d}"),
            Cell::Date(None) => Ok(()),
        }
    }
}

/// A case's cells in the lists' columns after 序号, as of D (later dates are left empty).
pub fn list_cells<'a>(r: &'a Renderer, c: &'a Case) -> Vec<Cell<'a>> {
    let d = r.d;
    let lang = Lang::Zh;
    let s = state(c, d).expect("listed cases exist at D");
    let text = |x: &'a str| Cell::Text(Cow::Borrowed(x));
    let opt = |x: &'a Option<String>| Cell::Text(Cow::Borrowed(x.as_deref().unwrap_or_default()));
    let upto = |x: Option<Date>| Cell::Date(x.filter(|x| *x <= d));
    let join = |xs: Vec<&str>| Cell::Text(Cow::Owned(xs.join("、")));
    let relapse = c.relapses.iter().rev().find(|x| x.found <= d);
    vec![
        text(&c.id),
        text(r.site.org.owner_name(&c.street)),
        opt(&c.community),
        text(&c.name),
        opt(&c.industry),
        opt(&c.location),
        join(c.criteria.iter().map(|x| x.label(lang)).collect()),
        join(c.pollution.iter().map(|x| x.label(lang)).collect()),
        text(c.source.label(lang)),
        text(c.action.label(lang)),
        Cell::Date(Some(c.found)),
        Cell::Date(c.deadline),
        upto(c.rectified),
        upto(c.closed),
        text(s.status.label(lang)),
        Cell::Text(overdue_cell(s.overdue, late_days(c, d)).into()),
        Cell::Date(relapse.map(|x| x.found)),
        Cell::Date(relapse.and_then(|x| x.deadline)),
        upto(relapse.and_then(|x| x.rectified)),
        opt(&c.source_ref),
        text(if crate::report::shows_after_photo(c, d) {
            "有"
        } else {
            "无"
        }),
    ]
}

/// 是否逾期: 是 while overdue; 超期完成（超期N天） when rectified after the deadline; else 否.
pub fn overdue_cell(overdue: bool, late: Option<i64>) -> String {
    match (overdue, late) {
        (true, _) => "是".into(),
        (false, Some(n)) => format!("超期完成（超期{n}天）"),
        (false, None) => "否".into(),
    }
}

/// The published cases that exist at D, in id order.
pub fn listed<'a>(r: &'a Renderer) -> impl Iterator<Item = &'a Case> {
    r.site.cases.iter().filter(|c| r.published(c))
}

/// The `private` keys used by any listed case, in first-seen order (internal builds only).
pub fn private_keys(r: &Renderer) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    if r.internal() {
        for (k, _) in listed(r).flat_map(|c| &c.private) {
            if !keys.contains(k) {
                keys.push(k.clone());
            }
        }
    }
    keys
}

struct Formats {
    title: Format,
    head: Format,
    cell: Format,
    date: Format,
    percent: Format,
    total: Format,
    total_percent: Format,
}

fn formats() -> Formats {
    let cell = Format::new()
        .set_border(FormatBorder::Thin)
        .set_font_name("宋体")
        .set_font_size(10);
    Formats {
        title: Format::new()
            .set_bold()
            .set_font_size(14)
            .set_align(FormatAlign::Center)
            .set_font_name("宋体"),
        head: cell
            .clone()
            .set_bold()
            .set_background_color("#D9E1F2")
            .set_align(FormatAlign::Center)
            .set_text_wrap(),
        date: cell.clone().set_num_format("yyyy-mm-dd"),
        percent: cell.clone().set_num_format("0.0%"),
        total: cell.clone().set_bold().set_background_color("#FCE4D6"),
        total_percent: cell
            .clone()
            .set_bold()
            .set_background_color("#FCE4D6")
            .set_num_format("0.0%"),
        cell,
    }
}

/// The workbook without the list sheets' data rows: in their place a probe row, from which
/// [`sheetxml::split`] learns the style indices of the data cells.
fn frame_workbook(r: &Renderer, lists: &[Vec<&Case>], keys: &[String]) -> Result<Vec<u8>> {
    let mut book = Workbook::new();
    let created = ExcelDateTime::from_ymd(
        r.d.year_ce().1 as u16,
        r.d.month0() as u8 + 1,
        r.d.day0() as u8 + 1,
    )
    .map_err(xe)?;
    let title = format!("{}“三个一批”清单", r.site.config.title);
    book.set_properties(
        &DocProperties::new()
            .set_title(&title)
            .set_creation_datetime(&created),
    );
    let f = formats();
    for (action, cases) in Action::ALL.iter().zip(lists) {
        let sheet = book.add_worksheet();
        sheet.set_name(action.label(Lang::Zh)).map_err(xe)?;
        action_sheet(r, sheet, *action, cases, keys, &f)?;
    }
    let sheet = book.add_worksheet();
    sheet.set_name("汇总").map_err(xe)?;
    summary_sheet(r, sheet, &f)?;
    book.save_to_buffer().map_err(xe)
}

use chrono::Datelike;

fn xe(e: rust_xlsxwriter::XlsxError) -> anyhow::Error {
    anyhow!("writing lists.xlsx: {e}")
}

/// Row 0: what the sheet is, D, how many rows it lists and, when some cases are not published,
/// the note that they still count.
fn title_row(
    r: &Renderer,
    sheet: &mut Worksheet,
    name: &str,
    width: u16,
    f: &Formats,
) -> Result<()> {
    let text = format!(
        "{}{}（截至{}）",
        r.site.config.title,
        name,
        super::views::long_date(r.d, Lang::Zh)
    );
    sheet
        .merge_range(0, 0, 0, width.saturating_sub(1), &text, &f.title)
        .map_err(xe)?;
    sheet.set_row_height(0, 28).map_err(xe)?;
    Ok(())
}

/// The count line of a list: 共 N 个, and 另有 M 个场所按规定不公开，已计入统计 when M > 0.
pub fn count_line(listed: usize, unpublished: usize) -> String {
    let mut text = format!("共{listed}个");
    if unpublished > 0 {
        text.push_str(&format!(
            "；另有{unpublished}个场所按规定不公开，已计入统计"
        ));
    }
    text
}

/// The published cases of each list (in [`Action::ALL`]'s order), street by street in the
/// organisation's order, each street's in id order; cases of a street the organisation does not
/// list are not shown. One pass over the cases for the three lists.
fn list_rows<'a>(r: &'a Renderer) -> Vec<Vec<&'a Case>> {
    let street_order: HashMap<&str, usize> = r
        .site
        .org
        .streets
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.as_str(), i))
        .collect();
    let mut lists: Vec<Vec<(usize, &Case)>> = vec![Vec::new(); Action::ALL.len()];
    for c in listed(r) {
        let list = Action::ALL.iter().position(|a| *a == c.action);
        if let (Some(list), Some(street)) = (list, street_order.get(c.street.as_str())) {
            lists[list].push((*street, c));
        }
    }
    lists
        .into_iter()
        .map(|mut rows| {
            // Stable: within a street the cases keep their id order.
            rows.sort_by_key(|(street, _)| *street);
            rows.into_iter().map(|(_, c)| c).collect()
        })
        .collect()
}

fn action_sheet(
    r: &Renderer,
    sheet: &mut Worksheet,
    action: Action,
    cases: &[&Case],
    keys: &[String],
    f: &Formats,
) -> Result<()> {
    let width = (LIST_COLUMNS.len() + keys.len()) as u16;
    let hidden = r.unpublished(r.site.cases.iter().filter(|c| c.action == action));
    let name = format!(
        "{}清单，{}",
        action.label(Lang::Zh),
        count_line(cases.len(), hidden)
    );
    title_row(r, sheet, &name, width, f)?;
    for (col, name) in LIST_COLUMNS
        .iter()
        .map(|s| s.to_string())
        .chain(keys.iter().cloned())
        .enumerate()
    {
        sheet
            .write_string_with_format(1, col as u16, &name, &f.head)
            .map_err(xe)?;
        sheet
            .set_column_width(col as u16, column_width(&name))
            .map_err(xe)?;
    }
    sheet.set_freeze_panes(2, 0).map_err(xe)?;
    if !cases.is_empty() {
        // The probe row: a number and a date in the data rows' formats (see `sheetxml::split`).
        let row = sheetxml::FIRST_ROW - 1;
        sheet
            .write_number_with_format(row, 0, 1.0, &f.cell)
            .map_err(xe)?;
        sheet
            .write_date_with_format(row, sheetxml::PROBE_DATE_COL, r.d, &f.date)
            .map_err(xe)?;
    }
    sheet
        .autofilter(1, 0, 1 + cases.len() as u32, width - 1)
        .map_err(xe)?;
    Ok(())
}

fn column_width(name: &str) -> f64 {
    match name {
        "序号" => 6.0,
        "编号" => 14.0,
        "场所名称" | "位置" => 24.0,
        "发现来源" => 20.0,
        n if n.ends_with("时间") || n.ends_with("期限") => 12.0,
        _ => 11.0,
    }
}

/// The 汇总 head: figures over every case (published or not), then the rows the list sheets hold.
const SUMMARY_HEAD: [&str; 12] = [
    "名称",
    "排查发现",
    "已销号",
    "已整治",
    "完成整治",
    "整治中",
    "逾期",
    "复发",
    "完成率",
    "清单所列",
    "按规定不公开",
    "说明",
];

/// One row per street, one per 三个一批 list, and the total: the figures at D (every case counts),
/// and beside them the rows the list sheets hold and how many cases are not published.
/// The rows of 汇总 and the cases each counts: every street, every list, then the total. One pass
/// over the cases sorts them into their rows (not one pass per row).
fn summary_rows<'a>(r: &'a Renderer) -> Vec<(String, Vec<&'a Case>)> {
    let streets = &r.site.org.streets;
    let street_row: HashMap<&str, usize> = streets
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.as_str(), i))
        .collect();
    let mut rows: Vec<(String, Vec<&Case>)> = streets
        .iter()
        .map(|s| (s.name.clone(), Vec::new()))
        .chain(
            Action::ALL
                .iter()
                .map(|a| (format!("{}清单", a.label(Lang::Zh)), Vec::new())),
        )
        .chain(std::iter::once(("合计".to_string(), Vec::new())))
        .collect();
    let total = rows.len() - 1;
    for c in &r.site.cases {
        if let Some(i) = street_row.get(c.street.as_str()) {
            rows[*i].1.push(c);
        }
        if let Some(i) = Action::ALL.iter().position(|a| *a == c.action) {
            rows[streets.len() + i].1.push(c);
        }
        rows[total].1.push(c);
    }
    rows
}

fn summary_sheet(r: &Renderer, sheet: &mut Worksheet, f: &Formats) -> Result<()> {
    title_row(r, sheet, "“三个一批”汇总", SUMMARY_HEAD.len() as u16, f)?;
    for (col, name) in SUMMARY_HEAD.iter().enumerate() {
        sheet
            .write_string_with_format(1, col as u16, *name, &f.head)
            .map_err(xe)?;
        let width = match col {
            0 => 14.0,
            11 => 30.0,
            _ => 10.0,
        };
        sheet.set_column_width(col as u16, width).map_err(xe)?;
    }
    sheet.set_freeze_panes(2, 1).map_err(xe)?;
    let rows = summary_rows(r);
    let (streets, total) = (r.site.org.streets.len(), rows.len() - 1);
    for (i, (row, (name, cases))) in (2u32..).zip(rows).enumerate() {
        let is_total = name == "合计";
        let (fmt, pct) = if is_total {
            (&f.total, &f.total_percent)
        } else {
            (&f.cell, &f.percent)
        };
        // The figures of the streets and the total are the summary's (the same rule over the
        // same cases), counted once per build; only the lists' rows are counted here.
        let c = match i {
            i if i < streets => r.summary.streets[i].counts,
            i if i == total => r.summary.totals,
            _ => Counts::of(cases.iter().copied(), r.d),
        };
        let shown = cases.iter().filter(|c| r.published(c)).count();
        let hidden = r.unpublished(cases.iter().copied());
        sheet
            .write_string_with_format(row, 0, &name, fmt)
            .map_err(xe)?;
        let numbers = [
            c.found,
            c.closed,
            c.rectified,
            c.done,
            c.in_progress,
            c.overdue,
            c.relapsed,
        ];
        for (i, v) in numbers.iter().enumerate() {
            sheet
                .write_number_with_format(row, i as u16 + 1, *v as f64, fmt)
                .map_err(xe)?;
        }
        if c.found > 0 {
            sheet
                .write_number_with_format(row, 8, c.rate, pct)
                .map_err(xe)?;
        } else {
            sheet
                .write_string_with_format(row, 8, "—", fmt)
                .map_err(xe)?;
        }
        sheet
            .write_number_with_format(row, 9, shown as f64, fmt)
            .map_err(xe)?;
        sheet
            .write_number_with_format(row, 10, hidden as f64, fmt)
            .map_err(xe)?;
        let note = if hidden > 0 {
            count_line(shown, hidden)
        } else {
            String::new()
        };
        sheet
            .write_string_with_format(row, 11, &note, fmt)
            .map_err(xe)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests;
