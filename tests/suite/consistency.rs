//! One number, one meaning: builds generated content of several shapes at several dates and checks
//! that every figure shown in more than one place — home cards, chart data tables and summary
//! sentences, street, task, unit and river pages, briefings, lists.xlsx (汇总 and sheets),
//! cases.csv, cases.json and the case list — is the same number, read back from the built files.
//! `a_changed_figure_is_caught` shows the check fails when one number in one file is edited.

use crate::built::{
    Built, after, cell, count_line, read_xlsx, sel, shown_rate, table, tenths, text, texts,
};
use crate::common::Cli;
use rectify::sample::{Spec, generate};
use serde_json::Value;
use std::fs;
use std::path::Path;

/// Mismatches found, each naming the file and the figure.
#[derive(Default)]
struct Report {
    problems: Vec<String>,
}

impl Report {
    fn eq<T: PartialEq + std::fmt::Debug>(&mut self, file: &str, what: &str, shown: T, want: T) {
        if shown != want {
            self.problems.push(format!(
                "{file}: {what}: shows {shown:?}, elsewhere {want:?}"
            ));
        }
    }
}

fn n(v: &Value) -> u64 {
    v.as_u64().unwrap_or_else(|| panic!("not a count: {v}"))
}

/// The status figures of a summary.json row, in the order figure blocks show them.
fn status_row(v: &Value) -> Vec<String> {
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
fn figures_block(doc: &scraper::Html, scope: &str) -> Vec<String> {
    let mut out = texts(doc, &format!("{scope} .figures-main .num"));
    out.extend(texts(doc, &format!("{scope} .figures-detail dd")));
    out
}

/// The figures block inside `scope` of a page shows the summary row `want`.
fn cards(r: &mut Report, f: &str, doc: &scraper::Html, scope: &str, want: &Value) {
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

fn home(b: &Built, s: &Value, r: &mut Report) {
    let f = "index.html";
    let doc = b.html(f);
    cards(r, f, &doc, ".hero", &s["totals"]);
    let trend = table(&doc, "#chart-monthly-trend table");
    r.eq(
        f,
        "trend months",
        trend.len(),
        s["months"].as_array().unwrap().len(),
    );
    for (row, m) in trend.iter().zip(s["months"].as_array().unwrap()) {
        let keys = [
            "found",
            "rectified",
            "closed",
            "relapses",
            "found_cum",
            "done",
        ];
        let want: Vec<String> = std::iter::once(m["month"].as_str().unwrap().to_string())
            .chain(keys.iter().map(|k| m[*k].to_string()))
            .collect();
        r.eq(f, "trend table row", row.clone(), want);
    }
    if let Some(last) = trend.last() {
        // The cumulative lines end at the cards.
        r.eq(
            f,
            "trend last 累计发现",
            last[5].clone(),
            s["totals"]["found"].to_string(),
        );
        r.eq(
            f,
            "trend last 完成整治",
            last[6].clone(),
            s["totals"]["done"].to_string(),
        );
        let sentence = texts(&doc, "#chart-monthly-trend .chart-summary").join("");
        let t = &s["totals"];
        let want = format!("累计排查发现{}个场所，完成整治{}个", t["found"], t["done"]);
        r.eq(f, "trend summary sentence", sentence.contains(&want), true);
    }
    for row in table(&doc, "#chart-streets-progress table") {
        let st = s["streets"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["name"] == row[0]);
        let Some(st) = st else {
            r.eq(f, "street chart row", row[0].clone(), "a street".into());
            continue;
        };
        let want = vec![
            row[0].clone(),
            st["closed"].to_string(),
            st["rectified"].to_string(),
            st["in_progress"].to_string(),
            shown_rate(n(&st["done"]), n(&st["found"])),
        ];
        r.eq(f, "street chart row", row, want);
    }
    let cards: Vec<String> = texts(&doc, ".three-lists .card-action .pair");
    let want: Vec<String> = s["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| format!("{} / {}", a["done"], a["found"]))
        .collect();
    r.eq(f, "三个一批 cards", cards, want);
    for (chart, key) in [
        ("actions", "actions"),
        ("criteria", "criteria"),
        ("pollution", "pollution"),
        ("sources", "sources"),
    ] {
        let rows = table(&doc, &format!("#chart-breakdown-{chart} table"));
        let shown: Vec<Vec<String>> = rows.iter().map(|x| x[1..].to_vec()).collect();
        let want: Vec<Vec<String>> = s[key].as_array().unwrap().iter().map(found_done).collect();
        r.eq(f, &format!("{chart} chart table"), shown, want);
        breakdown_sentence(&doc, chart, &rows, r);
    }
    industries(&doc, s, r);
    chart_descriptions(&doc, "index.html", r);
}

/// A chart's SVG description (what a screen reader says) is its summary sentence.
fn chart_descriptions(doc: &scraper::Html, f: &str, r: &mut Report) {
    for chart in doc.select(&sel("figure.chart")) {
        let id = chart.value().attr("id").unwrap_or_default();
        let desc: String = chart.select(&sel("svg desc")).map(text).collect();
        let summary: String = chart.select(&sel(".chart-summary")).map(text).collect();
        r.eq(f, &format!("{id} svg description"), desc, summary);
    }
}

fn found_done(v: &Value) -> Vec<String> {
    vec![
        v["found"].to_string(),
        v["done"].to_string(),
        shown_rate(n(&v["done"]), n(&v["found"])),
    ]
}

/// The sentence under a breakdown chart names the largest row's found, done and rate.
fn breakdown_sentence(doc: &scraper::Html, chart: &str, rows: &[Vec<String>], r: &mut Report) {
    let sentence = texts(doc, &format!("#chart-breakdown-{chart} .chart-summary")).join("");
    let most = rows
        .iter()
        .map(|x| x[1].parse::<u64>().unwrap_or(0))
        .max()
        .unwrap_or(0);
    if most > 0 {
        // Any of the largest rows (on a tie the sentence names one of them).
        let named = rows.iter().filter(|x| x[1] == most.to_string()).any(|x| {
            sentence.contains(&format!("“{}”", x[0]))
                && sentence.contains(&format!(
                    "共{}个，已完成整治{}个，完成率{}",
                    x[1], x[2], x[3]
                ))
        });
        r.eq(
            "index.html",
            &format!("{chart} sentence {sentence}"),
            named,
            true,
        );
    }
}

/// The industry chart: the ten largest as summary.json has them, then 其他 as the rest's sum.
fn industries(doc: &scraper::Html, s: &Value, r: &mut Report) {
    let rows = table(doc, "#chart-breakdown-industries table");
    let all = s["industries"].as_array().unwrap();
    let named: Vec<&Value> = all
        .iter()
        .filter(|i| i["name"] != "其他")
        .take(10)
        .collect();
    let mut want: Vec<Vec<String>> = named
        .iter()
        .map(|i| {
            let mut row = vec![i["name"].as_str().unwrap().to_string()];
            row.extend(found_done(i));
            row
        })
        .collect();
    let rest: Vec<&Value> = all.iter().filter(|i| !named.contains(i)).collect();
    if !rest.is_empty() {
        let (fo, d) = rest
            .iter()
            .fold((0, 0), |a, i| (a.0 + n(&i["found"]), a.1 + n(&i["done"])));
        want.push(vec![
            "其他".into(),
            fo.to_string(),
            d.to_string(),
            shown_rate(d, fo),
        ]);
    }
    r.eq("index.html", "industry chart", rows, want);
}

fn streets(b: &Built, s: &Value, r: &mut Report) {
    let f = "streets/index.html";
    let doc = b.html(f);
    cards(r, f, &doc, "main", &s["totals"]);
    let rows = table(&doc, "table.ranking");
    let mut last: Option<(i64, u64)> = None;
    for row in &rows {
        let st = s["streets"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["name"] == row[1])
            .unwrap();
        let want = vec![
            st["found"].to_string(),
            st["done"].to_string(),
            shown_rate(n(&st["done"]), n(&st["found"])),
            st["in_progress"].to_string(),
            st["overdue"].to_string(),
            st["relapsed"].to_string(),
        ];
        r.eq(
            f,
            &format!("ranking row {}", row[1]),
            row[2..].to_vec(),
            want,
        );
        // The order explains itself: rate, then done; nothing found last as —.
        let key = (tenths(&row[4]).unwrap_or(-1), n(&st["done"]));
        if let Some(prev) = last {
            r.eq(f, &format!("rank order at {}", row[1]), prev >= key, true);
        }
        r.eq(
            f,
            "unranked street shows —",
            row[0] == "—",
            st["found"] == 0,
        );
        last = Some(key);
    }
    let csv = b.csv("data/cases.csv");
    let hidden = b.script_value("data/case-list.js", "RECTIFY_HIDDEN");
    for st in s["streets"].as_array().unwrap() {
        let id = st["id"].as_str().unwrap();
        let page = format!("streets/{id}.html");
        let doc = b.html(&page);
        cards(r, &page, &doc, "main", st);
        let listed = csv
            .iter()
            .filter(|row| row[2].1 == st["name"].as_str().unwrap())
            .count() as u64;
        let line = texts(&doc, ".list-count").join("");
        r.eq(
            &page,
            "list count",
            count_line(&line),
            Some((listed, n(&st["found"]) - listed)),
        );
        let not_published = hidden[format!("street:{id}")].as_u64().unwrap_or(0);
        r.eq(
            &page,
            "unpublished",
            listed + not_published,
            n(&st["found"]),
        );
    }
}

fn case_lists(b: &Built, s: &Value, r: &mut Report) {
    let csv = b.csv("data/cases.csv");
    let json = b.json("data/cases.json");
    let js = b.script_value("data/case-list.js", "RECTIFY_CASES");
    let hidden = b.script_value("data/case-list.js", "RECTIFY_HIDDEN");
    let rows = csv.len() as u64;
    let t = &s["totals"];
    r.eq(
        "data/cases.json",
        "rows",
        json.as_array().unwrap().len() as u64,
        rows,
    );
    r.eq(
        "data/case-list.js",
        "rows",
        js.as_array().unwrap().len() as u64,
        rows,
    );
    let doc = b.html("cases/index.html");
    let line = texts(&doc, ".list-count").join("");
    let not_published = hidden[""].as_u64().unwrap_or(0);
    r.eq(
        "cases/index.html",
        "list count",
        count_line(&line),
        Some((rows, not_published)),
    );
    r.eq(
        "cases/index.html",
        "listed + unpublished",
        rows + not_published,
        n(&t["found"]),
    );
    let overdue = csv.iter().filter(|row| row[16].1 == "是").count() as u64;
    let hidden_overdue = hidden["status:overdue"].as_u64().unwrap_or(0);
    r.eq(
        "data/cases.csv",
        "是否逾期 是 + unpublished",
        overdue + hidden_overdue,
        n(&t["overdue"]),
    );
    let json_overdue = json
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["overdue"] == true)
        .count();
    r.eq("data/cases.json", "overdue", json_overdue as u64, overdue);
    let doc = b.html("watchlist.html");
    let line = texts(&doc, ".list-count").join("");
    let watched = json
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["watch"] == true || !c["relapses"].as_array().unwrap().is_empty())
        .count() as u64;
    r.eq(
        "watchlist.html",
        "listed",
        count_line(&line).map(|c| c.0),
        Some(watched),
    );
    let rows_shown = doc.select(&sel("table.cases tbody tr")).count() as u64;
    r.eq("watchlist.html", "rows", rows_shown, watched);
}

fn lists_xlsx(b: &Built, s: &Value, r: &mut Report) {
    let f = "data/lists.xlsx";
    let sheets = b.xlsx(f);
    let csv = b.csv("data/cases.csv");
    let mut listed_per_action = Vec::new();
    let mut late = 0;
    for (i, a) in s["actions"].as_array().unwrap().iter().enumerate() {
        let (name, rows) = &sheets[i];
        let title = cell(&rows[0][0]);
        let body: Vec<&Vec<calamine::Data>> = rows[2..].iter().collect();
        let counted = count_line(&title);
        r.eq(
            f,
            &format!("{name} title count"),
            counted.map(|c| c.0),
            Some(body.len() as u64),
        );
        r.eq(
            f,
            &format!("{name} listed + unpublished"),
            counted.map(|c| c.0 + c.1),
            Some(n(&a["found"])),
        );
        for (k, row) in body.iter().enumerate() {
            // One row per case, numbered: no subtotal rows inside a list.
            r.eq(
                f,
                &format!("{name} 序号 of row {}", k + 3),
                cell(&row[0]),
                (k + 1).to_string(),
            );
            late += (cell(&row[16]).starts_with("超期完成")) as u64;
        }
        listed_per_action.push(body.len() as u64);
    }
    let csv_late = csv
        .iter()
        .filter(|row| row[16].1.starts_with("超期完成"))
        .count() as u64;
    r.eq(f, "超期完成 rows", late, csv_late);
    r.eq(
        f,
        "rows in all sheets",
        listed_per_action.iter().sum::<u64>(),
        csv.len() as u64,
    );
    let (_, summary) = sheets
        .iter()
        .find(|(n, _)| n == "汇总")
        .expect("汇总 sheet");
    let head: Vec<String> = summary[1].iter().map(cell).collect();
    let col = |name: &str| head.iter().position(|h| h == name).unwrap();
    let row_of = |name: &str| summary.iter().find(|row| cell(&row[0]) == name);
    let mut expect = |label: &str, figures: &Value, listed: u64| {
        let Some(row) = row_of(label) else {
            r.eq(f, "汇总 row", label.to_string(), "missing".into());
            return;
        };
        for k in [
            "found",
            "closed",
            "rectified",
            "done",
            "in_progress",
            "overdue",
            "relapsed",
        ] {
            if figures.get(k).is_none() {
                continue;
            }
            let name = match k {
                "found" => "排查发现",
                "closed" => "已销号",
                "rectified" => "已整治",
                "done" => "完成整治",
                "in_progress" => "整治中",
                "overdue" => "逾期",
                _ => "复发",
            };
            r.eq(
                f,
                &format!("汇总 {label} {name}"),
                cell(&row[col(name)]),
                figures[k].to_string(),
            );
        }
        let rate = match &row[col("完成率")] {
            calamine::Data::Float(x) => shown_rate((x * 1e6).round() as u64, 1_000_000),
            other => cell(other),
        };
        let want = shown_rate(n(&figures["done"]), n(&figures["found"]));
        r.eq(f, &format!("汇总 {label} 完成率"), rate, want);
        r.eq(
            f,
            &format!("汇总 {label} 清单所列"),
            cell(&row[col("清单所列")]),
            listed.to_string(),
        );
        let hidden = cell(&row[col("按规定不公开")])
            .parse::<u64>()
            .unwrap_or(u64::MAX);
        r.eq(
            f,
            &format!("汇总 {label} 清单所列 + 不公开"),
            listed + hidden,
            n(&figures["found"]),
        );
    };
    for st in s["streets"].as_array().unwrap() {
        let name = st["name"].as_str().unwrap();
        let listed = csv.iter().filter(|row| row[2].1 == name).count() as u64;
        expect(name, st, listed);
    }
    for ((a, listed), label) in s["actions"]
        .as_array()
        .unwrap()
        .iter()
        .zip(&listed_per_action)
        .zip(["关停取缔清单", "整合搬迁清单", "升级改造清单"])
    {
        expect(label, a, *listed);
    }
    expect("合计", &s["totals"], csv.len() as u64);
}

fn briefings(b: &Built, s: &Value, r: &mut Report) {
    let f = "briefings/index.html";
    let index = table(&b.html(f), "table");
    let months = s["months"].as_array().unwrap();
    r.eq(f, "months", index.len(), months.len());
    let mut previous: Option<i64> = None;
    // The index lists the newest first; the trend's cumulative lines are each month's E figures.
    for (row, m) in index.iter().rev().zip(months) {
        let want = vec![
            m["month"].as_str().unwrap().to_string(),
            m["found_cum"].to_string(),
            m["done"].to_string(),
            shown_rate(n(&m["done"]), n(&m["found_cum"])),
        ];
        r.eq(f, "row = trend row", row[..4].to_vec(), want);
        let rate = tenths(&row[3]);
        let change = after(&row[4], "上升")
            .map(|_| change_tenths(&row[4]))
            .or_else(|| after(&row[4], "下降").map(|_| -change_tenths(&row[4])))
            .or_else(|| (row[4] == "持平").then_some(0));
        let want = previous.zip(rate).map(|(p, now)| now - p);
        r.eq(
            f,
            &format!("{} change = difference of shown rates", row[0]),
            change,
            want,
        );
        previous = rate;
        briefing_page(b, m, r);
    }
    if let Some(last) = months.last() {
        let page = format!("briefings/{}.html", last["month"].as_str().unwrap());
        let doc = b.html(&page);
        let overview = texts(&doc, ".overview").join("");
        let t = &s["totals"];
        let want = format!(
            "“散乱污”场所{}个，已完成整治{}个（其中已销号{}个、已整治{}个），完成率{}",
            t["found"],
            t["done"],
            t["closed"],
            t["rectified"],
            shown_rate(n(&t["done"]), n(&t["found"]))
        );
        r.eq(&page, "overview = cards", overview.contains(&want), true);
        for row in street_table(&doc) {
            let st = s["streets"]
                .as_array()
                .unwrap()
                .iter()
                .find(|x| x["name"] == row[1])
                .unwrap();
            let want = vec![
                st["found"].to_string(),
                st["done"].to_string(),
                shown_rate(n(&st["done"]), n(&st["found"])),
            ];
            r.eq(
                &page,
                &format!("street row {}", row[1]),
                row[5..8].to_vec(),
                want,
            );
        }
    }
}

/// "▲上升2.5个百分点" → 25.
fn change_tenths(s: &str) -> i64 {
    let digits: String = s
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    tenths(&digits).unwrap_or(i64::MIN)
}

fn street_table(doc: &scraper::Html) -> Vec<Vec<String>> {
    let tables: Vec<_> = doc.select(&sel("table.briefing-table")).collect();
    tables
        .get(1)
        .map(|t| {
            t.select(&sel("tbody tr"))
                .map(|tr| tr.select(&sel("th, td")).map(text).collect())
                .collect()
        })
        .unwrap_or_default()
}

/// A month's briefing page: its overview's found and done are the trend's at E, its case lists'
/// counts are the overview's overdue and relapsed.
fn briefing_page(b: &Built, m: &Value, r: &mut Report) {
    let page = format!("briefings/{}.html", m["month"].as_str().unwrap());
    let doc = b.html(&page);
    let overview = texts(&doc, ".overview").join("");
    r.eq(
        &page,
        "found = trend 累计发现",
        after(&overview, "场所"),
        Some(n(&m["found_cum"])),
    );
    r.eq(
        &page,
        "done = trend 完成整治",
        after(&overview, "已完成整治"),
        Some(n(&m["done"])),
    );
    let counts: Vec<Option<(u64, u64)>> = texts(&doc, ".list-count")
        .iter()
        .map(|l| count_line(l))
        .collect();
    // found in M, overdue at E, relapsed at E, typical.
    r.eq(
        &page,
        "当月新发现 list",
        counts.first().copied().flatten().map(|c| c.0 + c.1),
        Some(n(&m["found"])),
    );
    r.eq(
        &page,
        "overdue list",
        counts.get(1).copied().flatten().map(|c| c.0 + c.1),
        after(&overview, "其中逾期"),
    );
    r.eq(
        &page,
        "relapsed list",
        counts.get(2).copied().flatten().map(|c| c.0 + c.1),
        after(&overview, "复发未整治"),
    );
    let mut last: Option<(i64, u64)> = None;
    for row in street_table(&doc) {
        let found: u64 = row[5].parse().unwrap();
        let done: u64 = row[6].parse().unwrap();
        r.eq(
            &page,
            &format!("{} rate", row[1]),
            row[7].clone(),
            shown_rate(done, found),
        );
        let key = (tenths(&row[7]).unwrap_or(-1), done);
        if let Some(prev) = last {
            r.eq(
                &page,
                &format!("rank order at {}", row[1]),
                prev >= key,
                true,
            );
        }
        last = Some(key);
    }
}

fn rivers(b: &Built, r: &mut Report) {
    let f = "rivers.html";
    let doc = b.html(f);
    let json = b.json("data/cases.json");
    let rows = table(&doc, "table.rivers-table");
    let sections: Vec<_> = doc.select(&sel("main section[id^=river-]")).collect();
    r.eq(f, "sections", sections.len(), rows.len());
    for (row, section) in rows.iter().zip(sections) {
        let found: u64 = row[1].parse().unwrap();
        let done: u64 = row[2].parse().unwrap();
        r.eq(
            f,
            &format!("{} rate", row[0]),
            row[3].clone(),
            shown_rate(done, found),
        );
        let line = section
            .select(&sel(".list-count"))
            .map(text)
            .collect::<String>();
        let counted = count_line(&line);
        r.eq(
            f,
            &format!("{} listed + unpublished", row[0]),
            counted.map(|c| c.0 + c.1),
            Some(found),
        );
        let key = section
            .select(&sel("a[href*='?river=']"))
            .filter_map(|a| a.value().attr("href"))
            .next()
            .map(|h| h.rsplit("?river=").next().unwrap().to_string());
        if let Some(key) = key {
            let key = percent_decode(&key);
            let listed = json
                .as_array()
                .unwrap()
                .iter()
                .filter(|c| c["river"] == key.as_str())
                .count();
            r.eq(
                f,
                &format!("{} listed = cases.json", row[0]),
                counted.map(|c| c.0),
                Some(listed as u64),
            );
        }
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

/// Task and department pages: the figures' found is the list's rows plus the unpublished.
fn owner_pages(b: &Built, r: &mut Report) {
    for page in b
        .pages_under("tasks")
        .into_iter()
        .chain(b.pages_under("units"))
    {
        let doc = b.html(&page);
        let figures = figures_block(&doc, "main");
        let Some(found) = figures.first().and_then(|x| x.parse::<u64>().ok()) else {
            continue;
        };
        let line = texts(&doc, ".list-count").join("");
        r.eq(
            &page,
            "list count",
            count_line(&line).map(|c| c.0 + c.1),
            Some(found),
        );
    }
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
        let hidden = b.script_value("data/case-list.js", "RECTIFY_HIDDEN");
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
