//! What the content's files may refer to — streets, departments, owners, tasks, files — checked
//! with a "did you mean" for each reference that does not resolve.

use super::fields::{Ctx, suggest};
use super::privacy;
use crate::diag::{Kind, Span};
use crate::filekind::{self, Role, Sniffed};
use crate::model::Organisation;
use crate::yaml::Node;
use std::collections::{BTreeMap, BTreeSet};

/// What ids exist, for checking references between files.
pub struct Refs<'a> {
    pub org: &'a Organisation,
    pub tasks: BTreeSet<u32>,
    /// Case id → found date.
    pub cases: BTreeMap<String, crate::model::Date>,
    /// Lower-cased ids of case files that have errors of their own.
    pub broken_cases: BTreeSet<String>,
    pub assets: &'a BTreeSet<String>,
    /// Each asset's kind, by its bytes.
    pub kinds: &'a BTreeMap<String, Sniffed>,
    /// What `site.yaml` publishes itself, never private.
    pub published: &'a privacy::Published,
    /// The campaign's end, when `site.yaml` could be read.
    pub campaign_end: Option<crate::model::Date>,
}

impl Refs<'_> {
    /// A street by id, full name, or name without 街道 / 道.
    pub fn street(&self, cx: &mut Ctx, text: &str, span: Span) -> Option<String> {
        let t = text.trim();
        let found = self.org.street_named(t);
        if found.is_none() {
            let streets = &self.org.streets;
            // A misspelt id, or a misspelt Chinese name (东三街道, 东三 for 东山街道).
            let by_name = |name: &str| streets.iter().find(|s| s.name == name);
            let short = t.trim_end_matches("街道").trim_end_matches('街');
            let id = suggest(t, streets.iter().map(|s| s.id.as_str())).or_else(|| {
                let full = suggest(t, streets.iter().map(|s| s.name.as_str()));
                let bare = || {
                    let bare: Vec<&str> = streets
                        .iter()
                        .map(|s| s.name.trim_end_matches("街道"))
                        .collect();
                    let hit = suggest(short, bare.iter().copied())?;
                    Some(format!("{hit}街道"))
                };
                full.or_else(bare)
                    .and_then(|n| by_name(&n))
                    .map(|s| s.id.clone())
            });
            let suggestion = id.map(|id| format!("`{id}`（{}）", self.org.owner_name(&id)));
            cx.err(
                span,
                Kind::UnknownRef {
                    what: "street",
                    value: t.to_string(),
                    suggestion,
                },
            );
        }
        found.map(|s| s.id.clone())
    }

    pub fn department(&self, cx: &mut Ctx, id: &str, span: Span) -> Option<String> {
        if self.org.department(id).is_some() {
            return Some(id.to_string());
        }
        if let Some(d) = self.org.departments.iter().find(|d| d.name == id) {
            return Some(d.id.clone());
        }
        let suggestion = suggest(id, self.org.departments.iter().map(|d| d.id.as_str()))
            .map(|s| format!("`{s}`（{}）", self.org.owner_name(&s)));
        cx.err(
            span,
            Kind::UnknownRef {
                what: "department",
                value: id.to_string(),
                suggestion,
            },
        );
        None
    }

    pub fn owner(&self, cx: &mut Ctx, id: &str, span: Span) -> Option<String> {
        let org = self.org;
        if org.department(id).is_some() || org.street(id).is_some() || org.group(id).is_some() {
            return Some(id.to_string());
        }
        let ids = org
            .departments
            .iter()
            .chain(&org.streets)
            .map(|u| u.id.as_str())
            .chain(org.groups.iter().map(|g| g.id.as_str()));
        let suggestion = suggest(id, ids).map(|s| format!("`{s}`（{}）", org.owner_name(&s)));
        cx.err(
            span,
            Kind::UnknownRef {
                what: "owner",
                value: id.to_string(),
                suggestion,
            },
        );
        None
    }

    pub fn task(&self, cx: &mut Ctx, node: &Node) -> Option<u32> {
        let id = cx.integer_of(node, "tasks")?;
        if !self.tasks.contains(&id) {
            let known = self
                .tasks
                .iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(", ");
            cx.err(
                node.span,
                Kind::UnknownTask {
                    value: id.to_string(),
                    known,
                },
            );
            return None;
        }
        Some(id)
    }

    /// A file under the content folder; must stay inside it, exist, and be of a kind `role` allows.
    pub fn file(&self, cx: &mut Ctx, path: &str, span: Span, role: Role) -> Option<String> {
        let p = path.trim().trim_start_matches("./");
        let escapes = p.starts_with('/')
            || p.contains('\\')
            || p.split('/').any(|part| part == "..")
            || p.contains(':');
        if escapes {
            cx.err(
                span,
                Kind::OutsideContent {
                    path: path.to_string(),
                },
            );
            return None;
        }
        if !self.assets.contains(p) {
            cx.err(
                span,
                Kind::MissingFile {
                    path: path.to_string(),
                },
            );
            return None;
        }
        let sniffed = self.kinds.get(p).copied().unwrap_or(UNKNOWN);
        if let Err(problem) = filekind::check(p, sniffed, role) {
            let kind = Kind::BadFile {
                path: p.to_string(),
                problem,
                photo: role == Role::Photo,
            };
            cx.err(span, kind);
            return None;
        }
        Some(p.to_string())
    }
}

/// The kind of a file that could not be read.
pub(crate) const UNKNOWN: Sniffed = Sniffed {
    kind: filekind::Kind::Other,
    size: None,
};
