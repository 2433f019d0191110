//! Consistency checks of the documents: lists.xlsx and the monthly briefings.

use super::{Report, n, street_named};
use crate::built::*;
use serde_json::Value;

pub(super) fn lists_xlsx(b: &Built, s: &Value, r: &mut Report) {
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

pub(super) fn briefings(b: &Built, s: &Value, r: &mut Report) {
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
            let st = street_named(s, &row[1]);
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
pub(super) fn change_tenths(s: &str) -> i64 {
    let digits: String = s
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    tenths(&digits).unwrap_or(i64::MIN)
}

pub(super) fn street_table(doc: &scraper::Html) -> Vec<Vec<String>> {
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
pub(super) fn briefing_page(b: &Built, m: &Value, r: &mut Report) {
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
