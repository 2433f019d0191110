//! Data files: `summary.json`, `cases.csv`, `cases.json`, the standalone chart SVGs, and — with
//! `base_url` — `sitemap.xml` and `feed.xml`.

use super::lists::{LIST_COLUMNS, list_cells, listed, private_keys};
use super::{Page, Renderer};
use crate::model::Date;
use crate::report::state;
use anyhow::Result;
use serde_json::{Value, json};

/// Makes the data files and hands each to `emit` as soon as it is made, so at most one of these
/// large files is held at a time.
pub fn all(r: &Renderer, emit: &mut dyn FnMut(Vec<Page>) -> Result<()>) -> Result<()> {
    type Make = fn(&Renderer) -> Result<Vec<u8>>;
    let files: [(&str, Make); 6] = [
        ("data/summary.json", |r| {
            pretty(&serde_json::to_value(&r.summary)?)
        }),
        ("data/cases.csv", |r| Ok(cases_csv(r))),
        ("data/cases.json", cases_json),
        ("data/case-list.js", case_list_js),
        ("data/search-index.js", super::search::index_js),
        ("data/lists.xlsx", super::lists::xlsx),
    ];
    for (path, make) in files {
        let bytes = {
            let _t = crate::timings::phase(path);
            make(r)?
        };
        emit(vec![Page {
            path: path.into(),
            bytes,
        }])?;
    }
    if let Some(base) = &r.site.config.base_url {
        emit(vec![Page {
            path: "feed.xml".into(),
            bytes: feed(r, base).into_bytes(),
        }])?;
    }
    Ok(())
}

fn pretty(v: &Value) -> Result<Vec<u8>> {
    let mut bytes = serde_json::to_vec_pretty(v)?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// One CSV cell. A cell a spreadsheet would read as a formula (`=`, `+`, `-`, `@`, or a tab or CR
/// before one) gets a leading `'`, so opening the list in Excel never runs content.
fn csv_field(s: &str) -> String {
    let guarded = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if guarded.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

/// UTF-8 with BOM so Excel opens Chinese text correctly.
fn cases_csv(r: &Renderer) -> Vec<u8> {
    let keys = private_keys(r);
    let mut out = String::from("\u{feff}");
    let head: Vec<String> = LIST_COLUMNS
        .iter()
        .map(|s| s.to_string())
        .chain(keys.iter().cloned())
        .collect();
    out.push_str(
        &head
            .iter()
            .map(|h| csv_field(h))
            .collect::<Vec<_>>()
            .join(","),
    );
    out.push_str("\r\n");
    for (i, c) in listed(r).enumerate() {
        let mut cells = vec![(i + 1).to_string()];
        cells.extend(list_cells(r, c).iter().map(|cell| cell.to_string()));
        for k in &keys {
            cells.push(
                c.private
                    .iter()
                    .find(|(pk, _)| pk == k)
                    .map(|(_, v)| v.clone())
                    .unwrap_or_default(),
            );
        }
        out.push_str(
            &cells
                .iter()
                .map(|c| csv_field(c))
                .collect::<Vec<_>>()
                .join(","),
        );
        out.push_str("\r\n");
    }
    out.into_bytes()
}

/// `cases.json`, serialised one case at a time so the whole list never exists as a tree.
fn cases_json(r: &Renderer) -> Result<Vec<u8>> {
    use serde::Serializer;
    let mut bytes = Vec::new();
    serde_json::Serializer::pretty(&mut bytes).collect_seq(listed(r).map(|c| case_json(r, c)))?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// A photo shown at D: its content path and the published files (the original never is).
fn photo_json(r: &Renderer, p: &crate::model::Photo) -> Value {
    let sizes = r.photos.get(&p.file);
    json!({
        "file": p.file, "stage": p.stage.key(), "caption": p.caption,
        "date": p.date.or(sizes.and_then(|s| s.taken)).map(|x| x.to_string()),
        "display": sizes.map(|s| &s.display.path), "thumbnail": sizes.map(|s| &s.thumb.path),
    })
}

/// One published case's public fields as of D, with its status.
fn case_json(r: &Renderer, c: &crate::model::Case) -> Value {
    let d = r.d;
    let s = state(c, d).expect("listed cases exist at D");
    let date = |x: Option<Date>| x.filter(|x| *x <= d).map(|x| x.to_string());
    let mut v = json!({
        "id": c.id, "name": c.name, "street": c.street, "community": c.community, "grid": c.grid,
        "river": c.river, "industry": c.industry, "location": c.location,
        "criteria": c.criteria.iter().map(|x| x.key()).collect::<Vec<_>>(),
        "pollution": c.pollution.iter().map(|x| x.key()).collect::<Vec<_>>(),
        "source": c.source.key(), "source_ref": c.source_ref, "action": c.action.key(),
        "found": c.found.to_string(), "deadline": c.deadline.map(|x| x.to_string()),
        "rectified": date(c.rectified), "closed": date(c.closed),
        "units": c.units, "tasks": c.tasks, "watch": c.watch, "typical": c.typical, "summary": c.summary,
        "log": c.log.iter().filter(|l| l.date <= d).map(|l| json!({ "date": l.date.to_string(), "text": l.text })).collect::<Vec<_>>(),
        "photos": super::photoviews::case_photos(c, d).map(|p| photo_json(r, p)).collect::<Vec<_>>(),
        "rechecks": c.rechecks.iter().filter(|x| x.date <= d).map(|x| json!({ "date": x.date.to_string(), "method": x.method.key(), "note": x.note })).collect::<Vec<_>>(),
        "relapses": c.relapses.iter().filter(|x| x.found <= d).map(|x| json!({ "found": x.found.to_string(), "deadline": x.deadline.map(|v| v.to_string()), "rectified": date(x.rectified), "note": x.note })).collect::<Vec<_>>(),
        "status": s.status.key(), "overdue": s.overdue, "relapsed": s.relapsed,
    });
    if r.internal() {
        v["private"] = c
            .private
            .iter()
            .map(|(k, val)| (k.clone(), Value::String(val.clone())))
            .collect::<serde_json::Map<_, _>>()
            .into();
    }
    v
}

/// The case list as a script, so the list page can filter every case even when opened from disk
/// (browsers refuse `fetch` on `file://`).
fn case_list_js(r: &Renderer) -> Result<Vec<u8>> {
    let rows: Vec<super::views::CaseRow> = listed(r)
        .filter_map(|c| super::views::case_row(r.site, c, r.d))
        .collect();
    // `</` never appears raw inside a script, whatever the case names contain.
    let json = serde_json::to_string(&rows)?.replace("</", "<\\/");
    Ok(format!("window.RECTIFY_CASES = {json};\n").into_bytes())
}

/// Escapes text for XML content and attributes. Characters XML 1.0 cannot carry at all (control
/// characters other than tab and line breaks, U+FFFE, U+FFFF), which a YAML escape can produce, are
/// dropped so the feed and sitemap always parse.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || matches!(c as u32, 0xFFFE | 0xFFFF) => {}
            c => out.push(c),
        }
    }
    out
}

/// An Atom feed of notes and publicity up to D, newest first, with absolute URLs.
fn feed(r: &Renderer, base: &str) -> String {
    let mut entries: Vec<(Date, String, String, String)> = Vec::new();
    for n in r.site.notes.iter().filter(|n| n.date <= r.d) {
        entries.push((
            n.date,
            format!("notes/{}.html", n.slug),
            n.title.clone(),
            super::markdown::excerpt(&n.body, 160),
        ));
    }
    for p in r.site.publicity.iter().filter(|p| p.date <= r.d) {
        entries.push((
            p.date,
            format!("publicity/{}.html", p.slug),
            p.title.clone(),
            super::markdown::excerpt(&p.body, 160),
        ));
    }
    entries.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let updated = entries.first().map_or(r.d, |e| e.0);
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n  <title>{}</title>\n  <id>{}</id>\n  <link href=\"{}\"/>\n  <link rel=\"self\" href=\"{}feed.xml\"/>\n  <updated>{}T00:00:00Z</updated>\n",
        r.lang().code(),
        xml_escape(&r.site.config.title),
        xml_escape(base),
        xml_escape(base),
        xml_escape(base),
        updated
    );
    if let Some(office) = &r.site.config.office {
        out.push_str(&format!(
            "  <author><name>{}</name></author>\n",
            xml_escape(office)
        ));
    } else {
        out.push_str(&format!(
            "  <author><name>{}</name></author>\n",
            xml_escape(&r.site.config.title)
        ));
    }
    for (date, path, title, summary) in entries {
        let url = xml_escape(&format!("{base}{path}"));
        out.push_str(&format!(
            "  <entry>\n    <title>{}</title>\n    <id>{url}</id>\n    <link href=\"{url}\"/>\n    <updated>{date}T00:00:00Z</updated>\n    <summary>{}</summary>\n  </entry>\n",
            xml_escape(&title), xml_escape(&summary)
        ));
    }
    out.push_str("</feed>\n");
    out
}

/// Every HTML page under `base_url` (404 excluded), for search engines.
pub fn sitemap(base: &str, html_paths: &[String]) -> Page {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for path in html_paths.iter().filter(|p| p.as_str() != "404.html") {
        out.push_str(&format!(
            "  <url><loc>{}</loc></url>\n",
            xml_escape(&format!("{base}{path}"))
        ));
    }
    out.push_str("</urlset>\n");
    Page {
        path: "sitemap.xml".into(),
        bytes: out.into_bytes(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn csv_cells_that_look_like_formulas_are_neutralised() {
        let table = [
            (
                "=HYPERLINK(\"http://x\")",
                "\"'=HYPERLINK(\"\"http://x\"\")\"",
            ),
            ("+1", "'+1"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("\r=1", "\"'\r=1\""),
            ("a=b", "a=b"),
            ("某作坊, 二号", "\"某作坊, 二号\""),
            ("2022-04-01", "2022-04-01"),
            ("", ""),
        ];
        for (cell, want) in table {
            assert_eq!(super::csv_field(cell), want, "{cell:?}");
        }
    }

    #[test]
    fn xml_escape_drops_what_xml_cannot_carry() {
        assert_eq!(
            super::xml_escape("a\0b\x01<c>\t&\u{FFFE}\"'"),
            "ab&lt;c&gt;\t&amp;&quot;&apos;"
        );
    }
}
