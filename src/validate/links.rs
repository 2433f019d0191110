//! Links in Markdown written from the site's root: each must point at a page the build writes, or
//! at a file under `files/`.

use super::fields::suggest;
use super::privacy::span_at;
use crate::diag::{Diagnostic, Kind, Span};
use crate::filekind::{self, Role};
use crate::links::{self, Target};
use crate::load::{FileKind, Sources};
use crate::model::Site;
use pulldown_cmark::{Event, Options, Parser, Tag};
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
        for dest in markdowns.into_iter().flat_map(destinations) {
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
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH;
    Parser::new_ext(markdown, options)
        .filter_map(|event| match event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                Some(dest_url.to_string())
            }
            _ => None,
        })
        .collect()
}
