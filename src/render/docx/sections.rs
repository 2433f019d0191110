//! The briefing's sections as on its page: overview, streets, case lists, notes and publicity, the
//! office's commentary, then the sign-off and the 版记.

use super::Renderer;
use super::blocks::{self, blank, body, heading, line, table};
use docx_rs::{AlignmentType, DocumentChild, Docx, Paragraph};
use serde_json::Value;

/// Everything after the title and 主送.
pub fn all(r: &Renderer, ctx: &Value, mut docx: Docx) -> Docx {
    let numbers: Vec<String> = r
        .t("section_numbers")
        .split('|')
        .map(String::from)
        .collect();
    let n = |i: usize| numbers.get(i).cloned().unwrap_or_default();
    docx = overview(
        r,
        ctx,
        docx.add_paragraph(heading(&format!("{}{}", n(0), r.t("briefing_overview")), 1)),
    );
    docx = streets(
        r,
        ctx,
        docx.add_paragraph(heading(&format!("{}{}", n(1), r.t("briefing_streets")), 1)),
    );
    let lists = [
        ("briefing_found", "found_cases"),
        ("briefing_overdue", "overdue_cases"),
        ("briefing_relapsed", "relapsed_cases"),
        ("briefing_typical", "typical_cases"),
    ];
    for (k, (title, key)) in lists.iter().enumerate() {
        docx = docx.add_paragraph(heading(&format!("{}{}", n(k + 2), r.t(title)), 1));
        docx = cases(r, &ctx[*key], docx);
    }
    docx = docx.add_paragraph(heading(&format!("{}{}", n(6), r.t("briefing_notes")), 1));
    docx = docs(r, &ctx["notes"], docx);
    docx = docx.add_paragraph(heading(&r.t("briefing_publicity"), 2));
    docx = docs(r, &ctx["publicity"], docx);
    if let Some(c) = ctx["commentary"].as_object() {
        let title = c.get("title").and_then(Value::as_str).map(String::from);
        let title = title.unwrap_or_else(|| r.t("briefing_commentary"));
        docx = docx.add_paragraph(heading(&format!("{}{}", n(7), title), 1));
        let text = c.get("text").and_then(Value::as_str).unwrap_or_default();
        docx = super::commentary::blocks(text, docx);
    }
    sign_off(r, ctx, docx)
}

/// The value as a table cell shows it: numbers and texts as written, nothing as "—".
fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "—".into(),
        other => other.to_string(),
    }
}

/// `inner` in brackets: full-width ones in Chinese, a space and ASCII ones in English.
fn bracketed(r: &Renderer, inner: &str) -> String {
    match r.lang() {
        crate::lang::Lang::Zh => format!("（{inner}）"),
        crate::lang::Lang::En => format!(" ({inner})"),
    }
}

fn items(v: &Value) -> &[Value] {
    v.as_array().map(Vec::as_slice).unwrap_or_default()
}

fn overview(r: &Renderer, ctx: &Value, docx: Docx) -> Docx {
    let t = &ctx["totals"];
    let unit = r.t("count_unit");
    // The page's own sentence when it has one, else the same words from the figures.
    let sentence = ctx["overview"].as_str().map(String::from).unwrap_or_else(|| format!(
        "{} {}，{} {}{unit}，{} {}{unit}（{} {}，{} {}），{} {}，{} {}，{} {}；{} {}，{} {}。",
        r.t("as_of"),
        ctx["end_label"].as_str().unwrap_or_default(),
        r.t("found"),
        text(&t["found"]),
        r.t("done"),
        text(&t["done"]),
        r.t("status_closed"),
        text(&t["closed"]),
        r.t("status_rectified"),
        text(&t["rectified"]),
        r.t("status_in_progress"),
        text(&t["in_progress"]),
        r.t("overdue"),
        text(&t["overdue"]),
        r.t("relapsed"),
        text(&t["relapsed"]),
        r.t("rate"),
        text(&t["percent"]),
        r.t("change_vs_last"),
        text(&ctx["change"]),
    ));
    let header = [
        r.t("col_action"),
        r.t("found"),
        r.t("done"),
        r.t("col_rate"),
    ];
    let rows: Vec<Vec<String>> = items(&ctx["actions"])
        .iter()
        .map(|a| {
            ["label", "found", "done", "percent"]
                .iter()
                .map(|k| text(&a[*k]))
                .collect()
        })
        .collect();
    docx.add_paragraph(body(&sentence))
        .add_paragraph(caption(&r.t("three_lists")))
        .add_table(table(&header, &rows, &[3, 2, 2, 2]))
}

/// A table's caption: centred 黑体 above it, kept with it.
fn caption(text: &str) -> Paragraph {
    line(text, blocks::HEITI, blocks::SIZE_4)
        .align(AlignmentType::Center)
        .keep_next(true)
}

const STREET_COLUMNS: [&str; 9] = [
    "col_rank",
    "col_street",
    "col_found_in_month",
    "col_rectified_in_month",
    "col_closed_in_month",
    "col_found_total",
    "col_done_total",
    "col_rate",
    "col_change",
];
const STREET_KEYS: [&str; 9] = [
    "rank",
    "name",
    "found_in_month",
    "rectified_in_month",
    "closed_in_month",
    "found",
    "done",
    "percent",
    "change",
];

fn streets(r: &Renderer, ctx: &Value, docx: Docx) -> Docx {
    let header: Vec<String> = STREET_COLUMNS.iter().map(|k| r.t(k)).collect();
    let rows: Vec<Vec<String>> = items(&ctx["streets"])
        .iter()
        .map(|s| STREET_KEYS.iter().map(|k| text(&s[*k])).collect())
        .collect();
    let cut = format!(
        "{}{}",
        r.t("briefing_streets"),
        bracketed(
            r,
            &format!(
                "{}{}{}",
                r.t("briefing_cutoff"),
                r.t("colon"),
                ctx["end_label"].as_str().unwrap_or_default()
            )
        )
    );
    let mut docx = docx.add_paragraph(caption(&cut)).add_table(table(
        &header,
        &rows,
        // In points: 排名, a five-character street, three-character headers over figures, and
        // room for ▲上升100.0个百分点 on one line.
        &[28, 58, 38, 38, 38, 38, 38, 38, 128],
    ));
    for (key, list) in [("briefing_top", "top"), ("briefing_bottom", "bottom")] {
        let names: Vec<String> = items(&ctx[list])
            .iter()
            .map(|s| match s {
                // A line the page words itself, or a street with its rate.
                Value::String(line) => line.clone(),
                _ => format!("{}{}", text(&s["name"]), bracketed(r, &text(&s["percent"]))),
            })
            .collect();
        // Each entry has its own commas: semicolons between them, a full stop after the last.
        let names = if names.is_empty() {
            r.t("no_items")
        } else {
            let (sep, stop) = (r.lang().pick("；", "; "), r.lang().pick("。", "."));
            format!("{}{stop}", names.join(sep))
        };
        docx = docx
            .add_paragraph(heading(&r.t(key), 2))
            .add_paragraph(body(&names));
    }
    docx
}

/// A case list: its rows, or `{rows, more, more_text}` when the page caps the list.
fn cases(r: &Renderer, list: &Value, docx: Docx) -> Docx {
    let shown = if list.is_object() {
        &list["rows"]
    } else {
        list
    };
    let rows: Vec<Vec<String>> = items(shown).iter().map(|c| case_cells(r, c)).collect();
    if rows.is_empty() {
        return docx.add_paragraph(body(&r.t("no_items")));
    }
    let more = (list["more"].as_u64().unwrap_or(0) > 0)
        .then(|| list["more_text"].as_str())
        .flatten();
    let header: Vec<String> = [
        "col_id",
        "col_name",
        "col_street",
        "col_action",
        "col_status",
        "col_found",
        "col_deadline",
    ]
    .iter()
    .map(|k| r.t(k))
    .collect();
    // In points: YX2022-0060, the name, a five-character street, four-character words, dates.
    let docx = docx.add_table(table(&header, &rows, &[67, 109, 58, 48, 48, 56, 56]));
    match more {
        Some(more) => docx.add_paragraph(body(more)),
        None => docx.add_paragraph(blank()),
    }
}

/// A case list's row, as the page's case table shows it.
fn case_cells(r: &Renderer, c: &Value) -> Vec<String> {
    let mut status = text(&c["status_label"]);
    for (flag, word) in [("overdue", "overdue"), ("relapsed", "relapsed")] {
        if c[flag].as_bool() == Some(true) {
            status.push(' ');
            status.push_str(&r.t(word));
        }
    }
    let deadline = c["deadline"]
        .as_str()
        .filter(|d| !d.is_empty())
        .unwrap_or("—");
    vec![
        text(&c["id"]),
        text(&c["name"]),
        text(&c["street_name"]),
        text(&c["action_label"]),
        status,
        text(&c["found"]),
        deadline.to_string(),
    ]
}

/// Notes or publicity items, one paragraph each: title, then date, kind and street.
fn docs(r: &Renderer, list: &Value, mut docx: Docx) -> Docx {
    let list = items(list);
    if list.is_empty() {
        return docx.add_paragraph(body(&r.t("no_items")));
    }
    for d in list {
        let mut meta = vec![text(&d["date"]), text(&d["kind_label"])];
        if let Some(s) = d["street_name"].as_str().filter(|s| !s.is_empty()) {
            meta.push(s.to_string());
        }
        let meta = meta.join(r.lang().pick("，", ", "));
        docx = docx.add_paragraph(body(&format!(
            "{}{}",
            text(&d["title"]),
            bracketed(r, &meta)
        )));
    }
    docx
}

/// Keeps the last paragraph so far on the page of what follows: the sign-off never stands alone.
fn keep_last_with_next(mut docx: Docx) -> Docx {
    match docx.document.children.pop() {
        Some(DocumentChild::Paragraph(p)) => {
            let p = Box::new(p.keep_next(true));
            docx.document.children.push(DocumentChild::Paragraph(p));
        }
        Some(other) => docx.document.children.push(other),
        None => {}
    }
    docx
}

/// The issuer and the date at the right, kept with the text above them, then the 版记.
fn sign_off(r: &Renderer, ctx: &Value, docx: Docx) -> Docx {
    let issuer = ctx["issuer"].as_str().unwrap_or_default();
    let date = ctx["end_label"].as_str().unwrap_or_default();
    let (issuer_at, date_at) =
        signature_places(blocks::chars_wide(issuer), blocks::chars_wide(date));
    let placed = |t: &str, at: Place| {
        let p = line(t, blocks::FANGSONG, blocks::SIZE_3);
        let twips = |chars: f64| Some((chars * f64::from(blocks::CHAR)) as i32);
        match at {
            Place::FromLeft(chars) => p.indent(twips(chars), None, None, None),
            Place::FromRight(chars) => {
                p.align(AlignmentType::Right)
                    .indent(None, None, twips(chars), None)
            }
        }
    };
    let cc: Vec<&str> = items(&ctx["cc"]).iter().filter_map(Value::as_str).collect();
    let sep = r.t("enum_sep");
    let (colon, stop) = (r.t("colon"), r.lang().pick("。", "."));
    let printed = r.t("briefing_printed");
    let cc_line =
        (!cc.is_empty()).then(|| format!("{}{colon}{}{stop}", r.t("briefing_cc"), cc.join(&sep)));
    keep_last_with_next(docx)
        .add_paragraph(blank().keep_next(true))
        .add_paragraph(placed(issuer, issuer_at).keep_next(true))
        .add_paragraph(placed(date, date_at).keep_next(true))
        .add_paragraph(blank().keep_next(true))
        .add_table(blocks::colophon(
            cc_line.as_deref(),
            issuer,
            &format!("{date}{printed}"),
        ))
        .add_paragraph(blank())
}

/// Where a line of the signature stands, in characters: starting this far from the left of the
/// type area, or ending this far from its right.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Place {
    FromLeft(f64),
    FromRight(f64),
}

/// Where the issuer and the date stand, as GB/T 9704-2012 7.3.5.2 signs a document without a
/// seal: the issuer ends two characters in from the right, the date under it starts two characters
/// right of the issuer's first; a date longer than that ends two characters in and moves the issuer
/// left. An issuer wider than a line just ends two characters in, as the date.
pub fn signature_places(issuer: f64, date: f64) -> (Place, Place) {
    let line = f64::from(super::CHARS);
    if issuer > line - 2.0 {
        (Place::FromRight(2.0), Place::FromRight(2.0))
    } else if date + 2.0 <= issuer {
        // The date starts where the issuer does, plus two: from the left, so the spaces Word and
        // LibreOffice put between its digits and characters do not move its start.
        (Place::FromRight(2.0), Place::FromLeft(line - issuer))
    } else {
        (Place::FromRight(date + 4.0 - issuer), Place::FromRight(2.0))
    }
}
