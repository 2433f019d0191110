//! The 三个一批 lists: `data/lists.xlsx` (one sheet per action with per-street subtotals, and a
//! 汇总 sheet) and the shared row shape that `data/cases.csv` uses too.

use super::Renderer;
use crate::lang::Lang;
use crate::model::{Action, Case, Date};
use crate::report::{Counts, percent, state};
use anyhow::{Result, anyhow};
use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet,
};
use std::fmt;

/// The columns of the lists, as the contract names them.
pub const LIST_COLUMNS: [&str; 20] = [
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
];

/// One cell of a list row: text, or a real date.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Date(Option<Date>),
}

impl fmt::Display for Cell {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Cell::Text(t) => f.write_str(t),
            Cell::Date(Some(d)) => write!(f, "{d}"),
            Cell::Date(None) => Ok(()),
        }
    }
}

/// A case's cells in the lists' columns after 序号, as of D (later dates are left empty).
pub fn list_cells(r: &Renderer, c: &Case) -> Vec<Cell> {
    let d = r.d;
    let lang = Lang::Zh;
    let s = state(c, d).expect("listed cases exist at D");
    let text = |x: &str| Cell::Text(x.to_string());
    let opt = |x: &Option<String>| Cell::Text(x.clone().unwrap_or_default());
    let upto = |x: Option<Date>| Cell::Date(x.filter(|x| *x <= d));
    let join = |xs: Vec<&str>| Cell::Text(xs.join("、"));
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
        text(if s.overdue { "是" } else { "否" }),
        Cell::Date(relapse.map(|x| x.found)),
        Cell::Date(relapse.and_then(|x| x.deadline)),
        upto(relapse.and_then(|x| x.rectified)),
    ]
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
    subtotal: Format,
    total: Format,
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
        subtotal: cell.clone().set_bold().set_background_color("#F2F2F2"),
        total: cell.clone().set_bold().set_background_color("#FCE4D6"),
        cell,
    }
}

/// `data/lists.xlsx`. Deterministic: the document's creation time is D.
pub fn xlsx(r: &Renderer) -> Result<Vec<u8>> {
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
    let keys = private_keys(r);
    for action in Action::ALL {
        let sheet = book.add_worksheet();
        sheet.set_name(action.label(Lang::Zh)).map_err(xe)?;
        action_sheet(r, sheet, *action, &keys, &f)?;
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

fn title_row(
    r: &Renderer,
    sheet: &mut Worksheet,
    name: &str,
    width: u16,
    f: &Formats,
) -> Result<()> {
    let text = format!("{}{}（截至{}）", r.site.config.title, name, r.d);
    sheet
        .merge_range(0, 0, 0, width.saturating_sub(1), &text, &f.title)
        .map_err(xe)?;
    sheet.set_row_height(0, 28).map_err(xe)?;
    Ok(())
}

fn action_sheet(
    r: &Renderer,
    sheet: &mut Worksheet,
    action: Action,
    keys: &[String],
    f: &Formats,
) -> Result<()> {
    let width = (LIST_COLUMNS.len() + keys.len()) as u16;
    title_row(
        r,
        sheet,
        &format!("{}清单", action.label(Lang::Zh)),
        width,
        f,
    )?;
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
    let mut row = 2u32;
    let mut n = 0;
    for street in &r.site.org.streets {
        let cases: Vec<&Case> = listed(r)
            .filter(|c| c.action == action && c.street == street.id)
            .collect();
        if cases.is_empty() {
            continue;
        }
        for c in &cases {
            n += 1;
            sheet
                .write_number_with_format(row, 0, n as f64, &f.cell)
                .map_err(xe)?;
            for (i, cell) in list_cells(r, c).into_iter().enumerate() {
                write_cell(sheet, row, i as u16 + 1, &cell, f)?;
            }
            for (i, k) in keys.iter().enumerate() {
                let v = c
                    .private
                    .iter()
                    .find(|(pk, _)| pk == k)
                    .map(|(_, v)| v.as_str())
                    .unwrap_or("");
                sheet
                    .write_string_with_format(row, (LIST_COLUMNS.len() + i) as u16, v, &f.cell)
                    .map_err(xe)?;
            }
            row += 1;
        }
        let counts = Counts::of(cases.iter().copied(), r.d);
        subtotal_row(
            sheet,
            row,
            &format!("{}小计", street.name),
            counts,
            width,
            &f.subtotal,
        )?;
        row += 1;
    }
    let total = Counts::of(listed(r).filter(|c| c.action == action), r.d);
    subtotal_row(sheet, row, "合计", total, width, &f.total)?;
    Ok(())
}

/// A subtotal row: the label, then the counts in words across the row.
fn subtotal_row(
    sheet: &mut Worksheet,
    row: u32,
    label: &str,
    c: Counts,
    width: u16,
    fmt: &Format,
) -> Result<()> {
    let text = format!(
        "{label}：{} 个，已完成 {} 个（已销号 {}，已整治 {}），整治中 {} 个，逾期 {} 个，完成率 {}",
        c.found,
        c.done,
        c.closed,
        c.rectified,
        c.in_progress,
        c.overdue,
        percent(c.done, c.found)
    );
    sheet
        .merge_range(row, 0, row, width - 1, &text, fmt)
        .map_err(xe)?;
    Ok(())
}

fn write_cell(sheet: &mut Worksheet, row: u32, col: u16, cell: &Cell, f: &Formats) -> Result<()> {
    match cell {
        Cell::Text(t) => sheet
            .write_string_with_format(row, col, t, &f.cell)
            .map(|_| ()),
        Cell::Date(Some(d)) => sheet
            .write_date_with_format(row, col, d, &f.date)
            .map(|_| ()),
        Cell::Date(None) => sheet.write_blank(row, col, &f.cell).map(|_| ()),
    }
    .map_err(xe)
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

/// One row per street: found, done, status counts and rate, for every case (published or not).
fn summary_sheet(r: &Renderer, sheet: &mut Worksheet, f: &Formats) -> Result<()> {
    let head = [
        "街道",
        "排查发现",
        "关停取缔",
        "整合搬迁",
        "升级改造",
        "已销号",
        "已整治",
        "完成整治",
        "整治中",
        "逾期",
        "复发",
        "完成率",
    ];
    title_row(r, sheet, "“三个一批”汇总", head.len() as u16, f)?;
    for (col, name) in head.iter().enumerate() {
        sheet
            .write_string_with_format(1, col as u16, *name, &f.head)
            .map_err(xe)?;
        sheet
            .set_column_width(col as u16, if col == 0 { 14.0 } else { 10.0 })
            .map_err(xe)?;
    }
    let rows = r
        .summary
        .streets
        .iter()
        .map(|s| (s.name.clone(), s.counts, s.id.clone()));
    let all = rows.chain(std::iter::once((
        "合计".to_string(),
        r.summary.totals,
        String::new(),
    )));
    for (row, (name, c, id)) in (2u32..).zip(all) {
        let of_action = |a: Action| {
            r.site
                .cases
                .iter()
                .filter(|x| x.action == a && (id.is_empty() || x.street == id) && x.found <= r.d)
                .count() as f64
        };
        let fmt = if id.is_empty() { &f.total } else { &f.cell };
        sheet
            .write_string_with_format(row, 0, &name, fmt)
            .map_err(xe)?;
        let numbers = [
            c.found as f64,
            of_action(Action::ShutDown),
            of_action(Action::Relocate),
            of_action(Action::Upgrade),
            c.closed as f64,
            c.rectified as f64,
            c.done as f64,
            c.in_progress as f64,
            c.overdue as f64,
            c.relapsed as f64,
        ];
        for (i, v) in numbers.iter().enumerate() {
            sheet
                .write_number_with_format(row, i as u16 + 1, *v, fmt)
                .map_err(xe)?;
        }
        sheet
            .write_string_with_format(row, 11, percent(c.done, c.found), fmt)
            .map_err(xe)?;
    }
    Ok(())
}
