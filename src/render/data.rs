//! Data files: `summary.json`, `cases.csv`, `cases.json`, the standalone chart SVGs, and — with
//! `base_url` — `sitemap.xml` and `feed.xml`.

mod casejson;
pub mod rows;

use super::lists::{Cell, LIST_COLUMNS, list_cells, listed, private_keys};
use super::{Page, Renderer};
use crate::model::Date;
use anyhow::Result;
use serde_json::Value;

/// Makes the data files and hands each to `emit` as soon as it is made, so at most one of these
/// large files is held at a time — except `lists.xlsx`, the slowest to make and small in memory,
/// which is made on a second thread meanwhile and handed over last.
pub fn all(r: &Renderer, emit: &mut dyn FnMut(Vec<Page>) -> Result<()>) -> Result<()> {
    type Make = fn(&Renderer) -> Result<Vec<u8>>;
    let files: [(&'static str, Make); 5] = [
        ("data/summary.json", |r| {
            pretty(&serde_json::to_value(&r.summary)?)
        }),
        ("data/cases.csv", cases_csv),
        ("data/cases.json", cases_json),
        ("data/case-list.js", case_list_js),
        ("data/search-index.js", super::search::index_js),
    ];
    let made = |path: &'static str, make: Make| -> Result<Page> {
        let _t = crate::timings::phase(path);
        let bytes = make(r)?;
        Ok(Page {
            path: path.into(),
            bytes,
        })
    };
    std::thread::scope(|s| -> Result<()> {
        let lists = s.spawn(|| made("data/lists.xlsx", super::lists::xlsx));
        for (path, make) in files {
            emit(vec![made(path, make)?])?;
        }
        let lists = lists
            .join()
            .unwrap_or_else(|_| Err(anyhow::anyhow!("making data/lists.xlsx failed")))?;
        emit(vec![lists])
    })?;
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

/// Appends one CSV cell. A cell a spreadsheet would read as a formula (`=`, `+`, `-`, `@`, or a
/// tab or CR before one) gets a leading `'`, so opening the list in Excel never runs content.
fn push_csv_field(out: &mut String, s: &str) {
    let guard = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        "'"
    } else {
        ""
    };
    if s.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(guard);
        for (i, part) in s.split('"').enumerate() {
            if i > 0 {
                out.push_str("\"\"");
            }
            out.push_str(part);
        }
        out.push('"');
    } else {
        out.push_str(guard);
        out.push_str(s);
    }
}

/// Appends one row: its cells, comma-separated, and CRLF.
fn push_csv_row<'a>(out: &mut String, cells: impl IntoIterator<Item = &'a str>) {
    for (i, cell) in cells.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_csv_field(out, cell);
    }
    out.push_str("\r\n");
}

/// UTF-8 with BOM so Excel opens Chinese text correctly.
fn cases_csv(r: &Renderer) -> Result<Vec<u8>> {
    use std::fmt::Write;
    let keys = private_keys(r);
    let mut out = String::from("\u{feff}");
    push_csv_row(
        &mut out,
        LIST_COLUMNS
            .iter()
            .copied()
            .chain(keys.iter().map(String::as_str)),
    );
    // Every row has the private columns: a key added or gone changes them all.
    let mut shared = blake3::Hasher::new();
    for k in &keys {
        shared.update(&(k.len() as u64).to_le_bytes());
        shared.update(k.as_bytes());
    }
    let mut rows = rows::Rows::start(r, "data/cases.csv", *shared.finalize().as_bytes());
    let mut head = out.into_bytes();
    let mut out = rows.buffer();
    out.append(&mut head);
    let mut date = String::new();
    let mut row = String::new();
    for (i, c) in listed(r).enumerate() {
        // The number is not part of the row kept: a case added before it moves it.
        let _ = std::io::Write::write_fmt(&mut out, format_args!("{}", i + 1));
        rows.row(&mut out, &c.id, |out| {
            row.clear();
            for cell in list_cells(r, c) {
                row.push(',');
                match cell {
                    Cell::Text(t) => push_csv_field(&mut row, &t),
                    Cell::Date(d) => {
                        date.clear();
                        let _ = write!(date, "{}", Cell::Date(d));
                        push_csv_field(&mut row, &date);
                    }
                }
            }
            for k in &keys {
                row.push(',');
                let v = c.private.iter().find(|(pk, _)| pk == k).map(|(_, v)| v);
                push_csv_field(&mut row, v.map_or("", String::as_str));
            }
            row.push_str("\r\n");
            out.extend_from_slice(row.as_bytes());
            Ok(true)
        })?;
    }
    rows.finish(out.len());
    Ok(out)
}

/// `cases.json`: a JSON array, pretty-printed, one case at a time straight into the file's bytes.
/// Each case is written as `serde_json`'s pretty printer writes an element of an array (so the
/// file is the array serialised whole), on its own so its bytes can be kept for the next build.
fn cases_json(r: &Renderer) -> Result<Vec<u8>> {
    use serde::Serialize;
    use serde_json::ser::{Formatter, PrettyFormatter};
    let mut rows = rows::Rows::start(r, "data/cases.json", [0; 32]);
    let mut bytes = rows.buffer();
    bytes.push(b'[');
    let mut first = true;
    for c in listed(r) {
        bytes.extend_from_slice(if first { b"\n  " } else { b",\n  " });
        first = false;
        rows.row(&mut bytes, &c.id, |out| {
            // An element of the outermost array: one level in.
            let mut pretty = PrettyFormatter::new();
            pretty.begin_array(&mut std::io::sink())?;
            let mut ser = serde_json::Serializer::with_formatter(out, pretty);
            casejson::case_json(r, c).serialize(&mut ser)?;
            Ok(true)
        })?;
    }
    bytes.extend_from_slice(if first { b"]\n" } else { b"\n]\n" });
    rows.finish(bytes.len());
    Ok(bytes)
}

/// The case list as a script, so the list page can filter every case even when opened from disk
/// (browsers refuse `fetch` on `file://`).
fn case_list_js(r: &Renderer) -> Result<Vec<u8>> {
    let rows = |c: &crate::model::Case| super::views::case_row(r.site, c, r.d);
    script_array(
        r,
        ("data/case-list.js", "RECTIFY_CASES"),
        rows,
        std::iter::empty::<()>(),
    )
}

/// `window.NAME = [...];`: a row for each listed case that `case_item` makes one of (kept for the
/// next build, see `rows`), then `rest`, serialised one at a time straight into the bytes.
pub(super) fn script_array<'a, T: serde::Serialize, U: serde::Serialize>(
    r: &'a Renderer,
    (path, name): (&'static str, &str),
    case_item: impl Fn(&'a crate::model::Case) -> Option<T>,
    rest: impl Iterator<Item = U>,
) -> Result<Vec<u8>> {
    let mut rows = rows::Rows::start(r, path, [0; 32]);
    let mut bytes = rows.buffer();
    bytes.extend_from_slice(format!("window.{name} = [").as_bytes());
    let mut first = true;
    for c in listed(r) {
        let mark = bytes.len();
        if !first {
            bytes.push(b',');
        }
        let made = rows.row(&mut bytes, &c.id, |out| {
            let Some(item) = case_item(c) else {
                return Ok(false);
            };
            serde_json::to_writer(ScriptSafe(out), &item)?;
            Ok(true)
        })?;
        if made {
            first = false;
        } else {
            bytes.truncate(mark);
        }
    }
    for item in rest {
        if !first {
            bytes.push(b',');
        }
        first = false;
        serde_json::to_writer(ScriptSafe(&mut bytes), &item)?;
    }
    bytes.extend_from_slice(b"];\n");
    rows.finish(bytes.len());
    Ok(bytes)
}

/// Bytes of JSON inside a `<script>`: `</` never appears raw, whatever the text holds (`/` after
/// `<` is written `\/`, which JSON reads back as `/`). `<` and `/` only occur inside JSON strings,
/// so this changes no structure; the byte before each `/` is checked across write boundaries.
struct ScriptSafe<'a>(&'a mut Vec<u8>);

impl std::io::Write for ScriptSafe<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let mut rest = buf;
        while let Some(at) = rest.iter().position(|b| *b == b'/') {
            self.0.extend_from_slice(&rest[..at]);
            if self.0.last() == Some(&b'<') {
                self.0.push(b'\\');
            }
            self.0.push(b'/');
            rest = &rest[at + 1..];
        }
        self.0.extend_from_slice(rest);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
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
            let mut out = String::new();
            super::push_csv_field(&mut out, cell);
            assert_eq!(out, want, "{cell:?}");
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
