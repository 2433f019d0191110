//! Markdown to safe HTML: CommonMark with tables, footnotes and strikethrough; raw HTML sanitised.

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};

/// Renders Markdown for a page at depth `root` (e.g. `../`). Links to `files/…` are rewritten to
/// point at the copied file; every link to a file is collected in `used_files`.
pub fn render(text: &str, root: &str, used_files: &mut Vec<String>) -> String {
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH;
    let events = Parser::new_ext(text, options).map(|mut event| {
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

    #[test]
    fn excerpts_are_cut() {
        assert_eq!(
            excerpt("# 标题\n\n第一段文字。\n\n第二段", 100),
            "第一段文字。"
        );
        assert_eq!(excerpt("一二三四五", 3), "一二三…");
    }
}
