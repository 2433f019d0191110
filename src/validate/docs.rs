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
        super::privacy::scan_yaml(&mut cx, &file.text, &node, &["title"]);
        super::scan_body(&mut cx, &file.text, body);
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
        body: body.to_string(),
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
        body: body.to_string(),
    };
    let sources_kind = (FileKind::Publicity, PUBLICITY_FIELDS);
    let mut out = documents(sources, sources_kind, refs, diags, kinds, own, build);
    out.sort_by(|a, b| b.date.cmp(&a.date).then(a.slug.cmp(&b.slug)));
    out
}

/// `briefings/YYYY-MM.md`; front matter is optional.
pub fn commentary(sources: &Sources, diags: &mut Vec<Diagnostic>) -> Vec<Commentary> {
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
            super::scan_body(&mut cx, &file.text, &file.text);
            out.push(Commentary {
                month,
                title: None,
                body: file.text.clone(),
            });
            continue;
        }
        let Some((node, body)) = parse_front(file, diags) else {
            continue;
        };
        let mut cx = Ctx::new(&file.path, diags);
        super::privacy::scan_yaml(&mut cx, &file.text, &node, &["title"]);
        super::scan_body(&mut cx, &file.text, body);
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
            body: body.to_string(),
        });
    }
    out.sort_by(|a, b| a.month.cmp(&b.month));
    out
}
