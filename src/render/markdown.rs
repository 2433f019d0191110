//! Markdown to safe HTML: CommonMark with tables, footnotes and strikethrough; raw HTML sanitised.

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};

/// The Markdown extensions rectify reads: tables, footnotes, strikethrough.
pub const OPTIONS: Options = Options::ENABLE_TABLES
    .union(Options::ENABLE_FOOTNOTES)
    .union(Options::ENABLE_STRIKETHROUGH);

/// Deeper nesting than this is refused by `check`: no text needs it, and the HTML sanitiser's time
/// grows with the square of the depth (100,000 levels would take hours).
pub const MAX_NESTING: usize = 100;

/// Renders Markdown for a page at depth `root` (e.g. `../`). Links to `files/…` are rewritten to
/// point at the copied file; every link to a file is collected in `used_files`. The text must have
/// passed `too_deep` (validation sees to it).
pub fn render(text: &str, root: &str, used_files: &mut Vec<String>) -> String {
    let events = Parser::new_ext(text, OPTIONS).map(|mut event| {
        match &mut event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                let dest = std::mem::replace(dest_url, CowStr::Borrowed(""));
                *dest_url = rewrite(dest, root, used_files);
            }
            // The page has its own h1, so the document's headings move one level down.
            Event::Start(Tag::Heading { level, .. }) | Event::End(TagEnd::Heading(level)) => {
                *level = demote(*level);
            }
            _ => {}
        }
        event
    });
    let mut out = String::new();
    html::push_html(&mut out, events);
    sanitize(&out)
}

fn demote(level: HeadingLevel) -> HeadingLevel {
    match level {
        HeadingLevel::H1 => HeadingLevel::H2,
        HeadingLevel::H2 => HeadingLevel::H3,
        HeadingLevel::H3 => HeadingLevel::H4,
        HeadingLevel::H4 => HeadingLevel::H5,
        _ => HeadingLevel::H6,
    }
}

/// Links written from the site's root (`cases/…html`, `plan.html`, `files/…`) get the page's way
/// back to the root; files are collected to be copied. Other links stay as written.
fn rewrite<'a>(dest: CowStr<'a>, root: &str, used_files: &mut Vec<String>) -> CowStr<'a> {
    match crate::links::target(&dest) {
        Some(crate::links::Target::File(path)) if path.contains("..") => dest,
        Some(target) => {
            if let crate::links::Target::File(path) = target {
                used_files.push(path.to_string());
            }
            CowStr::from(format!("{root}{}", dest.trim().trim_start_matches("./")))
        }
        None => dest,
    }
}

/// Removes scripts, event handlers, dangerous URLs and styles from HTML.
pub fn sanitize(html: &str) -> String {
    ammonia::Builder::default()
        .add_generic_attributes(["id"])
        .add_tag_attributes("td", ["style"])
        .add_tag_attributes("th", ["style"])
        .attribute_filter(|_, attr, value| match attr {
            "style" => table_alignment(value).map(Into::into),
            _ => Some(value.into()),
        })
        .url_schemes(["http", "https", "mailto", "tel"].into_iter().collect())
        .link_rel(Some("noopener noreferrer"))
        .clean(html)
        .to_string()
}

/// A table cell's `style` as pulldown-cmark writes it for an aligned column; any other style is
/// dropped, so content cannot restyle or overlay the page.
fn table_alignment(style: &str) -> Option<&'static str> {
    let value = style
        .trim()
        .trim_end_matches(';')
        .strip_prefix("text-align:")?;
    ["left", "center", "right"]
        .into_iter()
        .find(|a| *a == value.trim())
        .map(|a| match a {
            "left" => "text-align: left",
            "center" => "text-align: center",
            _ => "text-align: right",
        })
}

/// Where the text first nests deeper than `MAX_NESTING` (block quotes, lists, emphasis and the
/// like, plus HTML elements left open), as a byte offset; in one pass over the parser's events.
pub fn too_deep(text: &str) -> Option<usize> {
    let (mut markdown, mut html) = (0usize, 0usize);
    for (event, range) in Parser::new_ext(text, OPTIONS).into_offset_iter() {
        let deepest_html = match event {
            Event::Start(_) => {
                markdown += 1;
                html
            }
            Event::End(_) => {
                markdown = markdown.saturating_sub(1);
                html
            }
            Event::Html(s) | Event::InlineHtml(s) => open_elements(&s, &mut html),
            _ => html,
        };
        if markdown + deepest_html > MAX_NESTING {
            return Some(range.start);
        }
    }
    None
}

/// Follows HTML start and end tags through `html`, the number of elements open; returns the most
/// open at any point. Void elements and those a browser closes by itself (`<p>`, `<li>` …) do not
/// nest and are not counted.
fn open_elements(html: &str, open: &mut usize) -> usize {
    const FLAT: &[&str] = &[
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
        "source", "track", "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "thead", "tbody",
        "tfoot", "option", "optgroup", "rb", "rt", "rp", "rtc", "colgroup", "caption",
    ];
    let mut most = *open;
    for tag in html.split('<').skip(1) {
        let (closing, tag) = match tag.strip_prefix('/') {
            Some(rest) => (true, rest),
            None => (false, tag),
        };
        let name_len = tag.bytes().take_while(u8::is_ascii_alphanumeric).count();
        let name = &tag[..name_len];
        if name.is_empty() || FLAT.iter().any(|f| f.eq_ignore_ascii_case(name)) {
            continue;
        }
        if closing {
            *open = open.saturating_sub(1);
        } else {
            *open += 1;
            most = most.max(*open);
        }
    }
    most
}

/// The first paragraph of Markdown as plain text, cut to `max` characters, for excerpts.
pub fn excerpt(text: &str, max: usize) -> String {
    let mut out = String::new();
    let mut in_paragraph = false;
    for event in Parser::new(text) {
        match event {
            Event::Start(Tag::Paragraph) => in_paragraph = true,
            Event::Text(t) | Event::Code(t) if in_paragraph => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak if in_paragraph => out.push(' '),
            Event::End(pulldown_cmark::TagEnd::Paragraph) if !out.trim().is_empty() => break,
            _ => {}
        }
    }
    let trimmed = out.trim();
    if trimmed.chars().count() <= max {
        trimmed.to_string()
    } else {
        trimmed.chars().take(max).collect::<String>() + "…"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_and_handlers_are_removed() {
        let mut used = Vec::new();
        let html = render(
            "<script>alert(1)</script><img src=x onerror=alert(1)>\n\n[a](javascript:alert(1))",
            "",
            &mut used,
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
    }

    /// The first input the markdown fuzz target flagged: attribute-like text stays text.
    #[test]
    fn attribute_like_text_stays_text() {
        let html = render("href=\"data:", "", &mut Vec::new());
        assert_eq!(html.trim(), "<p>href=\"data:</p>");
        let html = render("<p title=\"a<b onclick=x\">t</p>", "", &mut Vec::new());
        // The handler-like text stays inside the quoted value.
        assert_eq!(html, "<p title=\"a&lt;b onclick=x\">t</p>");
    }

    #[test]
    fn only_alignment_styles_survive() {
        let html = render(
            "|a|b|\n|:-:|-:|\n|1|2|\n\n<table><tr><td style=\"position:fixed\">x</td></tr></table>",
            "",
            &mut Vec::new(),
        );
        assert!(html.contains(r#"style="text-align: center""#), "{html}");
        assert!(html.contains(r#"style="text-align: right""#), "{html}");
        assert!(!html.contains("position"), "{html}");
    }

    #[test]
    fn file_links_are_rooted_and_collected() {
        let mut used = Vec::new();
        let html = render("![照片](files/a.png) [附件](files/b.pdf)", "../", &mut used);
        assert!(html.contains(r#"src="../files/a.png""#), "{html}");
        assert!(html.contains(r#"href="../files/b.pdf""#), "{html}");
        assert_eq!(used, ["files/a.png", "files/b.pdf"]);
    }

    #[test]
    fn site_links_are_rooted() {
        let mut used = Vec::new();
        let md = "[场所](cases/YX2022-0001.html) [任务](./tasks/3.html#m) [方案](plan.html) \
                  [外](https://example.org/cases/a.html) [锚](#top) [上](../x.html)";
        let html = render(md, "../", &mut used);
        for href in [
            "../cases/YX2022-0001.html",
            "../tasks/3.html#m",
            "../plan.html",
            "https://example.org/cases/a.html",
            "#top",
            "../x.html",
        ] {
            assert!(
                html.contains(&format!(r#"href="{href}""#)),
                "{href}: {html}"
            );
        }
        assert!(used.is_empty());
    }

    #[test]
    fn tables_and_strikethrough() {
        let html = render("|a|b|\n|-|-|\n|1|2|\n\n~~x~~", "", &mut Vec::new());
        assert!(html.contains("<table>") && html.contains("<del>"), "{html}");
    }

    /// Each shape of deep nesting, 100,000 levels: refused in one linear pass (a quadratic pass
    /// would not finish for minutes); a few levels, and long flat runs, pass.
    #[test]
    fn deep_nesting_is_found_in_one_pass() {
        let n = 100_000;
        let deep = [
            format!("{} x", ">".repeat(n)),
            format!("{}x", "<div>".repeat(n)),
            format!("{}x", "- ".repeat(n)),
            format!("{}x{}", "*".repeat(n), "*".repeat(n)),
            format!("{}x{}", "<span>".repeat(n), "</span>".repeat(n)),
            (0..300)
                .map(|i| format!("{}- x\n", "  ".repeat(i)))
                .collect(),
            format!("<DIV>\n\n{}", "<div><em>a</em>".repeat(200)),
        ];
        for text in &deep {
            let at = too_deep(text);
            assert!(at.is_some(), "{}", &text[..40]);
        }
        // Where: at the marker that opens the level one too many, on the third line.
        let text = format!("fine\n\n{}x\n", "> ".repeat(150));
        assert_eq!(too_deep(&text), Some(6 + 2 * MAX_NESTING));
        let fine = [
            "> > > quoted\n\n- a\n  - b\n    - c\n".to_string(),
            "<div><div><p>a<p>b<br><img src=x></div></div>".repeat(n / 10),
            "<p>para".repeat(n),
            "*a* **b** ~~c~~ `<div>` ".repeat(n / 10),
            format!("{}x", "<div>".repeat(90)),
        ];
        for text in &fine {
            assert_eq!(too_deep(text), None, "{}", &text[..40]);
        }
    }

    #[test]
    fn excerpts_are_cut() {
        assert_eq!(
            excerpt("# 标题\n\n第一段文字。\n\n第二段", 100),
            "第一段文字。"
        );
        assert_eq!(excerpt("一二三四五", 3), "一二三…");
    }
}
