//! Consistency checks of the HTML pages: home, streets, case lists, rivers, tasks and units.

use super::{Report, cards, figures_block, found_done, n, street_named};
use crate::built::*;
use serde_json::Value;

pub(super) fn home(b: &Built, s: &Value, r: &mut Report) {
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
pub(super) fn chart_descriptions(doc: &scraper::Html, f: &str, r: &mut Report) {
    for chart in doc.select(&sel("figure.chart")) {
        let id = chart.value().attr("id").unwrap_or_default();
        let desc: String = chart.select(&sel("svg desc")).map(text).collect();
        let summary: String = chart.select(&sel(".chart-summary")).map(text).collect();
        r.eq(f, &format!("{id} svg description"), desc, summary);
    }
}

/// The sentence under a breakdown chart names the largest row's found, done and rate.
pub(super) fn breakdown_sentence(
    doc: &scraper::Html,
    chart: &str,
    rows: &[Vec<String>],
    r: &mut Report,
) {
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
pub(super) fn industries(doc: &scraper::Html, s: &Value, r: &mut Report) {
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

pub(super) fn streets(b: &Built, s: &Value, r: &mut Report) {
    let f = "streets/index.html";
    let doc = b.html(f);
    cards(r, f, &doc, "main", &s["totals"]);
    let rows = table(&doc, "table.ranking");
    let mut last: Option<(i64, u64)> = None;
    for row in &rows {
        let st = street_named(s, &row[1]);
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
    let hidden = b.hidden();
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

pub(super) fn case_lists(b: &Built, s: &Value, r: &mut Report) {
    let csv = b.csv("data/cases.csv");
    let json = b.json("data/cases.json");
    let js = b.script_value("data/case-list.js", "RECTIFY_CASES");
    let hidden = b.hidden();
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

pub(super) fn rivers(b: &Built, r: &mut Report) {
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

pub(super) fn percent_decode(s: &str) -> String {
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
pub(super) fn owner_pages(b: &Built, r: &mut Report) {
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
