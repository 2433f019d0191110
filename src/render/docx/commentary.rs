//! The office's commentary (`briefings/YYYY-MM.md`) as document paragraphs: paragraphs and list
//! items as body text, headings in 楷体, tables as Word tables; links and emphasis keep their words.

use super::blocks::{body, heading, table};
use docx_rs::Docx;
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// Appends the commentary's blocks to `docx`.
pub fn blocks(markdown: &str, mut docx: Docx) -> Docx {
    let mut text = String::new();
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut in_table = false;
    let mut ordered: Vec<Option<u64>> = Vec::new();
    for event in Parser::new_ext(
        markdown,
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH,
    ) {
        match event {
            Event::Start(Tag::Table(_)) => in_table = true,
            Event::Start(Tag::TableHead | Tag::TableRow) => rows.push(Vec::new()),
            Event::End(TagEnd::TableCell) => {
                if let Some(row) = rows.last_mut() {
                    row.push(std::mem::take(&mut text).trim().to_string());
                }
            }
            Event::End(TagEnd::Table) => {
                in_table = false;
                docx = add_table(docx, std::mem::take(&mut rows));
            }
            Event::Start(Tag::List(start)) => ordered.push(start),
            Event::End(TagEnd::List(_)) => {
                ordered.pop();
            }
            Event::Start(Tag::Item) => text.push_str(&bullet(&mut ordered)),
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::SoftBreak if !in_table => text.push(' '),
            Event::End(TagEnd::Heading(_)) => docx = flush(docx, &mut text, true),
            Event::End(TagEnd::Paragraph | TagEnd::Item) | Event::HardBreak if !in_table => {
                docx = flush(docx, &mut text, false)
            }
            _ => {}
        }
    }
    flush(docx, &mut text, false)
}

/// "1." for an ordered list's item (counting on), "•" for a bulleted one.
fn bullet(ordered: &mut [Option<u64>]) -> String {
    match ordered.last_mut() {
        Some(Some(n)) => {
            *n += 1;
            format!("{}. ", *n - 1)
        }
        _ => "• ".into(),
    }
}

fn flush(docx: Docx, text: &mut String, is_heading: bool) -> Docx {
    let t = std::mem::take(text);
    let t = t.trim();
    match (t.is_empty(), is_heading) {
        (true, _) => docx,
        (false, true) => docx.add_paragraph(heading(t, 2)),
        (false, false) => docx.add_paragraph(body(t)),
    }
}

fn add_table(docx: Docx, mut rows: Vec<Vec<String>>) -> Docx {
    if rows.is_empty() {
        return docx;
    }
    let header = rows.remove(0);
    let weights = vec![1; header.len()];
    let rows: Vec<Vec<String>> = rows
        .into_iter()
        .map(|mut r| {
            r.resize(header.len(), String::new());
            r
        })
        .collect();
    docx.add_table(table(&header, &rows, &weights))
}

#[cfg(test)]
mod tests {
    use super::blocks;
    use docx_rs::{DocumentChild, Docx};

    /// The blocks as ("p", text) for paragraphs and ("table", rows) for tables.
    fn shape(markdown: &str) -> Vec<(&'static str, String)> {
        blocks(markdown, Docx::new())
            .document
            .children
            .iter()
            .map(|c| match c {
                DocumentChild::Paragraph(p) => ("p", p.raw_text()),
                DocumentChild::Table(t) => ("table", format!("{} rows", t.rows.len())),
                _ => ("other", String::new()),
            })
            .collect()
    }

    #[test]
    fn markdown_becomes_paragraphs_and_tables() {
        let table: [(&str, Vec<(&str, &str)>); 5] = [
            ("", vec![]),
            (
                "一段**加粗**和[链接](cases/X.html)。\n第二行",
                vec![("p", "一段加粗和链接。 第二行")],
            ),
            ("## 小标题\n\n正文", vec![("p", "小标题"), ("p", "正文")]),
            (
                "- 甲\n- 乙\n\n1. 一\n2. 二",
                vec![("p", "• 甲"), ("p", "• 乙"), ("p", "1. 一"), ("p", "2. 二")],
            ),
            (
                "| 街道 | 数 |\n|---|---|\n| 东山 | 3 |\n| 白云 |",
                vec![("table", "3 rows")],
            ),
        ];
        for (markdown, want) in table {
            let want: Vec<(&str, String)> =
                want.into_iter().map(|(k, t)| (k, t.to_string())).collect();
            assert_eq!(shape(markdown), want, "{markdown:?}");
        }
    }
}
