//! Notes, publicity and briefing commentary: Markdown with YAML front matter.

use super::fields::{Ctx, Obj};
use super::{Refs, check_id, parse_front};
use crate::diag::{Diagnostic, Kind, Span};
use crate::filekind::Role;
use crate::load::{FileKind, Sources};
use crate::model::*;
use std::collections::BTreeMap;

pub(crate) const NOTE_FIELDS: &[&str] =
    &["title", "date", "kind", "street", "units", "tasks", "cases"];
pub(crate) const PUBLICITY_FIELDS: &[&str] =
    &["title", "date", "kind", "street", "cover", "attachments"];

fn slug_of(path: &str) -> String {
    path.rsplit('/')
        .next()
        .unwrap_or(path)
        .trim_end_matches(".md")
        .to_string()
}

/// Slugs are unique within a folder tree and never reserved names.
fn slug(cx: &mut Ctx, path: &str, seen: &mut BTreeMap<String, String>) -> Option<String> {
    let slug = slug_of(path);
    if !check_id(cx, &slug, Span::file_start()) {
        return None;
    }
    if !slug
        .chars()
        .all(|c| c.is_alphanumeric() || "-_.".contains(c))
    {
        let kind = Kind::BadId {
            field: "slug".into(),
            value: slug,
            pattern: "A-Z a-z 0-9 - _ . 汉字",
        };
        cx.err(Span::file_start(), kind);
        return None;
    }
    if let Some(other) = seen.insert(slug.to_lowercase(), path.to_string()) {
        cx.err(Span::file_start(), Kind::DuplicateId { id: slug, other });
        return None;
    }
    Some(slug)
}

fn street(cx: &mut Ctx, o: &mut Obj, refs: &Refs) -> Option<String> {
    let span = o.get("street").map(|n| n.span)?;
    let text = cx.opt_text(o, "street")?;
    refs.street(cx, &text, span)
}

/// What notes and publicity share: the slug, title, date, kind and street of a front matter.
struct Head<K> {
    slug: String,
    path: String,
    title: String,
    date: Date,
    kind: K,
    street: Option<String>,
}

/// The default kind, how to read one, and every key, for the kind field.
type Kinds<K> = (K, fn(&str) -> Option<K>, Vec<&'static str>);

/// Reads every file of `kind`: the shared head, then `rest` for the fields of its own, then the
/// unknown-field check against `fields`; `build` makes the document when the head is whole.
fn documents<K: Copy, R, T>(
    sources: &Sources,
    (kind, fields): (FileKind, &[&str]),
    refs: &Refs,
    diags: &mut Vec<Diagnostic>,
    (default, parse, all): Kinds<K>,
    mut rest: impl FnMut(&mut Ctx, &mut Obj, Option<Date>) -> R,
    build: impl Fn(Head<K>, R, &str) -> T,
) -> Vec<T> {
    let mut seen = BTreeMap::new();
    let mut out = Vec::new();
    for file in sources.files.iter().filter(|f| f.kind == kind) {
        let Some((node, body)) = parse_front(file, diags) else {
            continue;
        };
        let mut cx = Ctx::new(&file.path, diags);
        let slug = slug(&mut cx, &file.path, &mut seen);
        super::privacy::scan_yaml(&mut cx, &file.text, &node, &["title"], refs.published);
        super::scan_body(&mut cx, &file.text, body, refs.published);
        let Some(mut o) = cx.obj(&node, "front matter") else {
            continue;
        };
        let title = cx.req_text(&mut o, "title");
        let date = cx.req_date(&mut o, "date");
        let doc_kind = o
            .get("kind")
            .map_or(Some(default), |n| cx.enum_of(n, "kind", parse, &all));
        let street = street(&mut cx, &mut o, refs);
        let own = rest(&mut cx, &mut o, date.map(|d| d.0));
        cx.finish(o, fields);
        let (Some(slug), Some(title), Some((date, _)), Some(kind)) = (slug, title, date, doc_kind)
        else {
            continue;
        };
        let path = file.path.clone();
        out.push(build(
            Head {
                slug,
                path,
                title,
                date,
                kind,
                street,
            },
            own,
            body,
        ));
    }
    out
}

pub fn notes(sources: &Sources, refs: &Refs, diags: &mut Vec<Diagnostic>) -> Vec<Note> {
    let keys = NoteKind::ALL.iter().map(|k| k.key()).collect();
    let kinds: Kinds<NoteKind> = (NoteKind::Other, NoteKind::parse, keys);
    let own = |cx: &mut Ctx, o: &mut Obj, date: Option<Date>| {
        let units: Vec<String> = cx
            .texts(o, "units")
            .into_iter()
            .filter_map(|(u, s)| refs.department(cx, &u, s))
            .collect();
        let tasks: Vec<u32> = cx
            .list(o, "tasks")
            .into_iter()
            .filter_map(|n| refs.task(cx, n))
            .collect();
        (units, tasks, note_cases(cx, o, refs, date))
    };
    let build = |h: Head<NoteKind>, (units, tasks, cases), body: &str| Note {
        slug: h.slug,
        path: h.path,
        title: h.title,
        date: h.date,
        kind: h.kind,
        street: h.street,
        units,
        tasks,
        cases,
        body: without_comments(body),
    };
    let mut out = documents(
        sources,
        (FileKind::Note, NOTE_FIELDS),
        refs,
        diags,
        kinds,
        own,
        build,
    );
    out.sort_by(|a, b| b.date.cmp(&a.date).then(a.slug.cmp(&b.slug)));
    out
}

/// A note refers only to cases that exist, found on or before its date.
fn note_cases(cx: &mut Ctx, o: &mut Obj, refs: &Refs, date: Option<Date>) -> Vec<String> {
    let mut out = Vec::new();
    for (id, span) in cx.texts(o, "cases") {
        let found = refs.cases.iter().find(|(k, _)| k.eq_ignore_ascii_case(&id));
        match (found, date) {
            (None, _) if refs.broken_cases.contains(&id.to_lowercase()) => {}
            (None, _) => {
                let suggestion = super::fields::suggest(&id, refs.cases.keys().map(String::as_str))
                    .map(|s| format!("`{s}`"));
                cx.err(
                    span,
                    Kind::UnknownRef {
                        what: "case",
                        value: id,
                        suggestion,
                    },
                );
            }
            (Some((case, found)), Some(date)) if *found > date => {
                cx.err(
                    span,
                    Kind::FutureCase {
                        case: case.clone(),
                        found: found.to_string(),
                        date: date.to_string(),
                    },
                );
            }
            (Some((case, _)), _) => out.push(case.clone()),
        }
    }
    out
}

pub fn publicity(sources: &Sources, refs: &Refs, diags: &mut Vec<Diagnostic>) -> Vec<Publicity> {
    let keys = PublicityKind::ALL.iter().map(|k| k.key()).collect();
    let kinds: Kinds<PublicityKind> = (PublicityKind::Article, PublicityKind::parse, keys);
    let own = |cx: &mut Ctx, o: &mut Obj, _: Option<Date>| {
        let cover_span = o.get("cover").map_or(o.span, |n| n.span);
        let cover = cx
            .opt_text(o, "cover")
            .and_then(|c| refs.file(cx, &c, cover_span, Role::Photo));
        let attachments: Vec<String> = cx
            .texts(o, "attachments")
            .into_iter()
            .filter_map(|(a, s)| refs.file(cx, &a, s, Role::Attachment))
            .collect();
        (cover, attachments)
    };
    let build = |h: Head<PublicityKind>, (cover, attachments), body: &str| Publicity {
        slug: h.slug,
        path: h.path,
        title: h.title,
        date: h.date,
        kind: h.kind,
        street: h.street,
        cover,
        attachments,
        body: without_comments(body),
    };
    let sources_kind = (FileKind::Publicity, PUBLICITY_FIELDS);
    let mut out = documents(sources, sources_kind, refs, diags, kinds, own, build);
    out.sort_by(|a, b| b.date.cmp(&a.date).then(a.slug.cmp(&b.slug)));
    out
}

/// `briefings/YYYY-MM.md`; front matter is optional.
pub fn commentary(
    sources: &Sources,
    published: &super::privacy::Published,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Commentary> {
    let mut out = Vec::new();
    for file in sources
        .files
        .iter()
        .filter(|f| f.kind == FileKind::Briefing)
    {
        let month = slug_of(&file.path);
        if super::fields::parse_date(&format!("{month}-01")).is_none() {
            diags.push(Diagnostic::new(
                &file.path,
                Span::file_start(),
                Kind::BriefingName { stem: month },
            ));
            continue;
        }
        if !file.text.starts_with("---") {
            let mut cx = Ctx::new(&file.path, diags);
            super::scan_body(&mut cx, &file.text, &file.text, published);
            out.push(Commentary {
                month,
                title: None,
                body: without_comments(&file.text),
            });
            continue;
        }
        let Some((node, body)) = parse_front(file, diags) else {
            continue;
        };
        let mut cx = Ctx::new(&file.path, diags);
        super::privacy::scan_yaml(&mut cx, &file.text, &node, &["title"], published);
        super::scan_body(&mut cx, &file.text, body, published);
        let title = match node.value {
            crate::yaml::Value::Null => None,
            _ => {
                let Some(mut o) = cx.obj(&node, "front matter") else {
                    continue;
                };
                let title = cx.opt_text(&mut o, "title");
                cx.finish(o, &["title"]);
                title
            }
        };
        out.push(Commentary {
            month,
            title,
            body: without_comments(body),
        });
    }
    out.sort_by(|a, b| a.month.cmp(&b.month));
    out
}

/// Markdown without its HTML comments (`<!-- 联系人 138… -->`): they never show on a page, and
/// must not reach any other output either (`cases.json`, the search index, the feed). Comments
/// inside code spans and code blocks are text, and stay.
pub(crate) fn without_comments(markdown: &str) -> String {
    use pulldown_cmark::{Event, Options, Parser, Tag};
    if !markdown.contains("<!--") {
        return markdown.to_string();
    }
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH;
    let mut cut: Vec<std::ops::Range<usize>> = Vec::new();
    for (event, range) in Parser::new_ext(markdown, options).into_offset_iter() {
        if matches!(event, Event::Start(Tag::HtmlBlock) | Event::InlineHtml(_)) {
            cut.extend(comments_in(markdown, range));
        }
    }
    let mut out = String::with_capacity(markdown.len());
    let mut at = 0;
    for r in cut {
        if r.start >= at {
            out.push_str(&markdown[at..r.start]);
            at = r.end;
        }
    }
    out.push_str(&markdown[at..]);
    out
}

/// The byte ranges of `<!-- … -->` inside `range` (an unclosed one runs to its end).
fn comments_in(text: &str, range: std::ops::Range<usize>) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut from = range.start;
    while let Some(i) = text[from..range.end].find("<!--") {
        let start = from + i;
        let end = text[start + 4..range.end]
            .find("-->")
            .map_or(range.end, |j| start + 4 + j + 3);
        out.push(start..end);
        from = end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::without_comments;

    #[test]
    fn html_comments_are_removed_from_markdown() {
        let table = [
            ("正文。", "正文。"),
            ("整治完成<!-- 联系人 13800138000 -->。", "整治完成。"),
            ("<!--\n经营者 张三\n-->\n\n正文", "\n\n正文"),
            ("a <!-- x --> b <!-- y --> c", "a  b  c"),
            ("<!-- unclosed 13800138000", ""),
            ("`<!-- code -->` 原样", "`<!-- code -->` 原样"),
            ("```\n<!-- code -->\n```\n", "```\n<!-- code -->\n```\n"),
        ];
        for (text, want) in table {
            assert_eq!(without_comments(text), want, "{text:?}");
        }
    }
}
