//! Links in Markdown written from the site's root: each must point at a page the build writes, or
//! at a file under `files/`.

use super::fields::suggest;
use super::privacy::span_at;
use crate::diag::{Diagnostic, Kind, Span};
use crate::filekind::{self, Role};
use crate::links::{self, Target};
use crate::load::{FileKind, Sources};
use crate::model::Site;
use crate::render;
use pulldown_cmark::{Event, Parser, Tag};
use std::collections::{BTreeMap, BTreeSet};

/// The pages a build can write, by folder (`""` for the root), and the unpublished cases' pages.
struct Pages {
    by_folder: BTreeMap<&'static str, BTreeSet<String>>,
    unpublished: BTreeSet<String>,
    first_month: String,
}

impl Pages {
    fn of(site: &Site) -> Pages {
        let mut by_folder: BTreeMap<&'static str, BTreeSet<String>> = BTreeMap::new();
        let mut add = |folder, names: Vec<String>| {
            by_folder.entry(folder).or_default().extend(names);
        };
        let html = |ids: Vec<String>| ids.into_iter().map(|i| format!("{i}.html")).collect();
        add("", links::TOP.iter().map(|p| p.to_string()).collect());
        let (public, hidden): (Vec<_>, Vec<_>) = site.cases.iter().partition(|c| c.publish);
        add("cases", html(public.iter().map(|c| c.id.clone()).collect()));
        add(
            "tasks",
            html(site.tasks.iter().map(|t| t.id.to_string()).collect()),
        );
        add(
            "streets",
            html(site.org.streets.iter().map(|s| s.id.clone()).collect()),
        );
        add(
            "units",
            html(site.org.departments.iter().map(|d| d.id.clone()).collect()),
        );
        add(
            "notes",
            html(site.notes.iter().map(|n| n.slug.clone()).collect()),
        );
        add(
            "publicity",
            html(site.publicity.iter().map(|p| p.slug.clone()).collect()),
        );
        add("briefings", Vec::new());
        for folder in [
            "cases",
            "tasks",
            "streets",
            "notes",
            "publicity",
            "briefings",
        ] {
            add(folder, vec!["index.html".into()]);
        }
        let data = ["summary.json", "cases.csv", "cases.json", "lists.xlsx"];
        add("data", data.iter().map(|d| d.to_string()).collect());
        Pages {
            by_folder,
            unpublished: hidden.iter().map(|c| format!("{}.html", c.id)).collect(),
            first_month: crate::report::month_key(site.config.start),
        }
    }

    /// Whether the page exists; list pages' `page-N.html` and any briefing month from the
    /// campaign start are taken on trust, as they depend on the date D.
    fn has(&self, folder: &str, name: &str) -> bool {
        let listed = self.by_folder.get(folder).is_some_and(|s| s.contains(name));
        let page_n = name
            .strip_prefix("page-")
            .and_then(|n| n.strip_suffix(".html"))
            .is_some_and(|n| n.parse::<u32>().is_ok_and(|n| n >= 2))
            && self.has(folder, "index.html");
        let month = folder == "briefings"
            && name.strip_suffix(".html").is_some_and(|m| {
                super::fields::parse_date(&format!("{m}-01")).is_some()
                    && m >= self.first_month.as_str()
            });
        listed || page_n || month
    }

    fn suggestion(&self, folder: &str, name: &str) -> Option<String> {
        if folder == "tasks" {
            // Task ids are small numbers: any two are "close", so guessing would mislead.
            return None;
        }
        let names = self.by_folder.get(folder)?;
        let hit = suggest(name, names.iter().map(String::as_str))?;
        Some(match folder {
            "" => hit,
            f => format!("{f}/{hit}"),
        })
    }
}

/// Checks every site link in every Markdown text: the plan, tasks, case summaries, notes,
/// publicity and briefing commentary.
pub fn check(site: &Site, sources: &Sources, diags: &mut Vec<Diagnostic>) {
    let pages = Pages::of(site);
    let mut texts: Vec<(&str, Vec<&str>)> = vec![
        ("plan.md", vec![site.plan.body.as_str()]),
        (
            "tasks.yaml",
            site.tasks.iter().map(|t| t.text.as_str()).collect(),
        ),
    ];
    for c in &site.cases {
        texts.extend(c.summary.as_deref().map(|s| (c.path.as_str(), vec![s])));
    }
    texts.extend(
        site.notes
            .iter()
            .map(|n| (n.path.as_str(), vec![n.body.as_str()])),
    );
    texts.extend(
        site.publicity
            .iter()
            .map(|p| (p.path.as_str(), vec![p.body.as_str()])),
    );
    for c in &site.commentary {
        let file = sources.files.iter().find(|f| {
            f.kind == FileKind::Briefing && f.path.ends_with(&format!("/{}.md", c.month))
        });
        texts.extend(file.map(|f| (f.path.as_str(), vec![c.body.as_str()])));
    }
    for (path, markdowns) in texts {
        let raw = sources.text_of(path).unwrap_or("");
        let mut cursor = 0;
        // Too deep to parse in reasonable time later: refused here, its links left unread.
        let (deep, markdowns): (Vec<_>, Vec<_>) = markdowns
            .into_iter()
            .map(|m| (m, render::markdown::too_deep(m)))
            .partition(|(_, at)| at.is_some());
        for (markdown, at) in deep {
            let span = nesting_span(raw, markdown, at.unwrap_or(0));
            let limit = render::markdown::MAX_NESTING;
            diags.push(Diagnostic::new(path, span, Kind::MarkdownTooDeep { limit }));
        }
        for dest in markdowns.into_iter().flat_map(|(m, _)| destinations(m)) {
            let Some(target) = links::target(&dest) else {
                continue;
            };
            let span = match raw.get(cursor..).and_then(|t| t.find(dest.as_str())) {
                Some(i) => {
                    cursor += i + dest.len();
                    span_at(raw, cursor - dest.len(), dest.len())
                }
                None => Span::file_start(),
            };
            if let Some(kind) = problem(&pages, sources, target) {
                diags.push(Diagnostic::new(path, span, kind));
            }
        }
    }
}

/// Where in the file the Markdown `markdown` nests too deep (at byte `at` of it): exact when the
/// text is the file's tail (a note's body), else the offending line found in the file.
fn nesting_span(raw: &str, markdown: &str, at: usize) -> Span {
    if raw.ends_with(markdown) {
        return span_at(raw, raw.len() - markdown.len() + at, 1);
    }
    let line_start = markdown[..at].rfind('\n').map_or(0, |i| i + 1);
    let mut end = (line_start + 40).min(markdown.len());
    while !markdown.is_char_boundary(end) {
        end -= 1;
    }
    let line = markdown[line_start..end]
        .lines()
        .next()
        .unwrap_or("")
        .trim();
    match raw.find(line).filter(|_| !line.is_empty()) {
        Some(i) => span_at(raw, i, 1),
        None => Span::file_start(),
    }
}

/// What is wrong with a link's target, if anything.
fn problem(pages: &Pages, sources: &Sources, target: Target) -> Option<Kind> {
    let assets = &sources.assets;
    match target {
        Target::File(path) if path.split('/').any(|p| p == "..") => Some(Kind::BrokenLink {
            target: path.into(),
            suggestion: None,
        }),
        Target::File(path) if !assets.contains(path) => Some(Kind::BrokenLink {
            target: path.into(),
            suggestion: suggest(path, assets.iter().map(String::as_str)),
        }),
        Target::File(path) => {
            let sniffed = sources.kinds.get(path).copied().unwrap_or(super::UNKNOWN);
            let problem = filekind::check(path, sniffed, Role::Attachment).err()?;
            Some(Kind::BadFile {
                path: path.into(),
                problem,
                photo: false,
            })
        }
        Target::Page { folder, name } => {
            let folder = folder.unwrap_or("");
            let full = match folder {
                "" => name.to_string(),
                f => format!("{f}/{name}"),
            };
            if pages.has(folder, name) {
                None
            } else if folder == "cases" && pages.unpublished.contains(name) {
                Some(Kind::LinkUnpublished { target: full })
            } else {
                Some(Kind::BrokenLink {
                    suggestion: pages.suggestion(folder, name),
                    target: full,
                })
            }
        }
    }
}

/// Every link and image destination in a Markdown text, in order.
fn destinations(markdown: &str) -> Vec<String> {
    Parser::new_ext(markdown, render::markdown::OPTIONS)
        .filter_map(|event| match event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                Some(dest_url.to_string())
            }
            _ => None,
        })
        .collect()
}
