//! One number, one meaning: builds generated content of several shapes at several dates and checks
//! that every figure shown in more than one place — home cards, chart data tables and summary
//! sentences, street, task, unit and river pages, briefings, lists.xlsx (汇总 and sheets),
//! cases.csv, cases.json and the case list — is the same number, read back from the built files.
//! `a_changed_figure_is_caught` shows the check fails when one number in one file is edited.

mod documents;
mod pages;

use documents::{briefings, lists_xlsx};
use pages::{case_lists, home, owner_pages, rivers, streets};

use crate::built::{Built, cell, read_xlsx, shown_rate, texts};
use crate::common::Cli;
use rectify::sample::{Spec, generate};
use serde_json::Value;
use std::fs;
use std::path::Path;

/// Mismatches found, each naming the file and the figure.
#[derive(Default)]
pub(super) struct Report {
    problems: Vec<String>,
}

impl Report {
    pub(super) fn eq<T: PartialEq + std::fmt::Debug>(
        &mut self,
        file: &str,
        what: &str,
        shown: T,
        want: T,
    ) {
        if shown != want {
            self.problems.push(format!(
                "{file}: {what}: shows {shown:?}, elsewhere {want:?}"
            ));
        }
    }
}

/// The summary.json row of the street shown under `name`.
pub(super) fn street_named<'a>(s: &'a Value, name: &str) -> &'a Value {
    let streets = s["streets"].as_array().unwrap();
    streets
        .iter()
        .find(|x| x["name"] == name)
        .unwrap_or_else(|| panic!("street {name}"))
}

pub(super) fn n(v: &Value) -> u64 {
    v.as_u64().unwrap_or_else(|| panic!("not a count: {v}"))
}

/// The status figures of a summary.json row, in the order figure blocks show them.
pub(super) fn status_row(v: &Value) -> Vec<String> {
    let mut out = vec![
        v["found"].to_string(),
        v["done"].to_string(),
        shown_rate(n(&v["done"]), n(&v["found"])),
    ];
    for k in ["closed", "rectified", "in_progress", "overdue", "relapsed"] {
        out.push(v[k].to_string());
    }
    out
}

/// A figures block (figures.html) as shown: found, done, rate, then the five status counts.
pub(super) fn figures_block(doc: &scraper::Html, scope: &str) -> Vec<String> {
    let mut out = texts(doc, &format!("{scope} .figures-main .num"));
    out.extend(texts(doc, &format!("{scope} .figures-detail dd")));
    out
}

/// The figures block inside `scope` of a page shows the summary row `want`.
pub(super) fn cards(r: &mut Report, f: &str, doc: &scraper::Html, scope: &str, want: &Value) {
    r.eq(f, "cards", figures_block(doc, scope), status_row(want));
}

/// Checks every cross-file figure of the site built at `root`; returns the mismatches.
fn check_site(root: &Path) -> Vec<String> {
    let b = Built {
        root: root.to_path_buf(),
    };
    let mut r = Report::default();
    let s = b.json("data/summary.json");
    home(&b, &s, &mut r);
    streets(&b, &s, &mut r);
    case_lists(&b, &s, &mut r);
    lists_xlsx(&b, &s, &mut r);
    briefings(&b, &s, &mut r);
    rivers(&b, &mut r);
    owner_pages(&b, &mut r);
    r.problems
}

pub(super) fn found_done(v: &Value) -> Vec<String> {
    vec![
        v["found"].to_string(),
        v["done"].to_string(),
        shown_rate(n(&v["done"]), n(&v["found"])),
    ]
}

// ---- the tests ----------------------------------------------------------------------------------

fn build(content: &Path, out: &Path, d: Option<&str>) {
    let mut cli = Cli::new().args(["build"]);
    if let Some(d) = d {
        cli = cli.args(["--as-of", d]);
    }
    cli.content(content).output(out).succeeds();
}

fn shape(seed: u64, cases: usize, streets: Option<usize>) -> Spec {
    Spec {
        seed,
        cases,
        streets,
        notes: 6,
        publicity: 2,
        photos: false,
    }
}

/// Builds `spec` at each date and checks it; returns what the built files held overall, so the
/// caller can see the shapes covered unpublished cases, relapses and late completions.
fn check_shape(spec: Spec, dates: &[Option<&str>]) -> (u64, u64, u64) {
    let dir = tempfile::tempdir().unwrap();
    generate(&spec, &dir.path().join("content")).unwrap();
    let mut seen = (0, 0, 0);
    for d in dates {
        let out = dir.path().join("out");
        build(&dir.path().join("content"), &out, *d);
        let problems = check_site(&out);
        assert!(
            problems.is_empty(),
            "{spec:?} as of {d:?}:\n{}",
            problems.join("\n")
        );
        let b = Built { root: out.clone() };
        let hidden = b.hidden();
        let s = b.json("data/summary.json");
        let late = b
            .csv("data/cases.csv")
            .iter()
            .filter(|r| r[16].1.starts_with("超期完成"))
            .count();
        let relapses: u64 = s["months"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| n(&m["relapses"]))
            .sum();
        seen.0 += hidden[""].as_u64().unwrap_or(0);
        seen.1 += relapses;
        seen.2 += late as u64;
        fs::remove_dir_all(&out).unwrap();
    }
    seen
}

#[test]
fn figures_agree_across_every_built_file_for_four_shapes_and_several_dates() {
    let shapes = [
        (
            shape(1, 200, None),
            vec![None, Some("2022-06-30"), Some("2022-09-14")],
        ),
        (
            shape(7, 30, Some(3)),
            vec![Some("2022-05-31"), Some("2022-11-20")],
        ),
        (shape(3, 120, Some(18)), vec![Some("2022-08-31"), None]),
        (
            shape(11, 60, Some(1)),
            vec![Some("2022-07-15"), Some("2023-02-10")],
        ),
    ];
    let mut seen = (0, 0, 0);
    for (spec, dates) in shapes {
        let s = check_shape(spec, &dates);
        seen = (seen.0 + s.0, seen.1 + s.1, seen.2 + s.2);
    }
    let (unpublished, relapses, late) = seen;
    assert!(
        unpublished > 0 && relapses > 0 && late > 0,
        "shapes lack a case kind: {seen:?}"
    );
}

/// Edits one number in one built file (each in turn, in a fresh copy) and expects the check to
/// name that file.
#[test]
fn a_changed_figure_is_caught() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    generate(&shape(1, 200, None), &content).unwrap();
    let out = dir.path().join("out");
    build(&content, &out, Some("2022-09-14"));
    assert_eq!(check_site(&out), Vec::<String>::new());
    let s: Value =
        serde_json::from_str(&fs::read_to_string(out.join("data/summary.json")).unwrap()).unwrap();
    let t = &s["totals"];
    let found = t["found"].to_string();
    let done = t["done"].to_string();
    let edits: Vec<(&str, String, String)> = vec![
        (
            "index.html",
            format!("<span class=\"num\">{found}</span>"),
            format!("<span class=\"num\">{}</span>", n(&t["found"]) + 1),
        ),
        (
            "index.html",
            format!("完成整治{done}个。"),
            format!("完成整治{}个。", n(&t["done"]) - 1),
        ),
        (
            "streets/index.html",
            format!("<span class=\"num\">{done}</span>"),
            format!("<span class=\"num\">{}</span>", n(&t["done"]) + 2),
        ),
        (
            "briefings/2022-09.html",
            format!("已完成整治{done}个"),
            format!("已完成整治{}个", n(&t["done"]) + 1),
        ),
        (
            "rivers.html",
            "<td class=\"n\">".into(),
            "<td class=\"n\">9".into(),
        ),
        ("cases/index.html", "共".into(), "共1".into()),
    ];
    for (file, from, to) in edits {
        let copy = tempfile::tempdir().unwrap();
        crate::common::copy_tree(&out, copy.path());
        let path = copy.path().join(file);
        let text = fs::read_to_string(&path).unwrap();
        assert!(text.contains(&from), "{file} lacks {from:?}");
        fs::write(&path, text.replacen(&from, &to, 1)).unwrap();
        let problems = check_site(copy.path());
        assert!(
            problems.iter().any(|p| p.starts_with(file)),
            "editing {file} went unnoticed: {problems:?}"
        );
    }
    // lists.xlsx: one 汇总 figure rewritten.
    let copy = tempfile::tempdir().unwrap();
    crate::common::copy_tree(&out, copy.path());
    rewrite_xlsx_cell(&copy.path().join("data/lists.xlsx"), "汇总", 2, 1, 999.0);
    let problems = check_site(copy.path());
    assert!(
        problems.iter().any(|p| p.starts_with("data/lists.xlsx")),
        "{problems:?}"
    );
    // cases.csv: one row dropped.
    let copy = tempfile::tempdir().unwrap();
    crate::common::copy_tree(&out, copy.path());
    let csv = copy.path().join("data/cases.csv");
    let text = fs::read_to_string(&csv).unwrap();
    let cut = text
        .rfind("\r\n")
        .and_then(|end| text[..end].rfind("\r\n"))
        .unwrap();
    fs::write(&csv, &text[..cut + 2]).unwrap();
    assert!(!check_site(copy.path()).is_empty());
}

/// Writes the workbook back with one number changed (values only; the check reads values).
fn rewrite_xlsx_cell(path: &Path, sheet: &str, row: u32, col: u16, value: f64) {
    let sheets = read_xlsx(path);
    let mut book = rust_xlsxwriter::Workbook::new();
    for (name, rows) in sheets {
        let ws = book.add_worksheet();
        ws.set_name(&name).unwrap();
        for (i, cells) in rows.iter().enumerate() {
            for (j, c) in cells.iter().enumerate() {
                let (i, j) = (i as u32, j as u16);
                let v = if name == sheet && (i, j) == (row, col) {
                    calamine::Data::Float(value)
                } else {
                    c.clone()
                };
                match v {
                    calamine::Data::Float(x) => ws.write_number(i, j, x).map(|_| ()),
                    calamine::Data::Int(x) => ws.write_number(i, j, x as f64).map(|_| ()),
                    calamine::Data::Empty => Ok(()),
                    other => ws.write_string(i, j, cell(&other)).map(|_| ()),
                }
                .unwrap();
            }
        }
    }
    book.save(path).unwrap();
}
