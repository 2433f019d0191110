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

/// One question a file asks of what it refers to (a street, department, river, task, file, or
/// the street its folder names). A case file's read is reused after `organisation.yaml`,
/// `tasks.yaml` or `files/` change as long as each of its questions gets the same answer
/// ([`Lookup::stands`]): the read depends on those files through these questions alone.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Lookup {
    Street(String),
    Department(String),
    River(String),
    Task(u32),
    File(String, Role),
    /// The street a case file's folder names, if any (a warning when it is not the case's).
    Folder(String),
}

/// A question and the answer it got: the id (or path) it resolved to, `None` when it did not.
pub type Asked = (Lookup, Option<String>);

impl Lookup {
    /// The answer `refs` gives, without reporting anything.
    pub fn answer(&self, refs: &Refs) -> Option<String> {
        let org = refs.org;
        match self {
            Lookup::Street(t) => org.street_named(t).map(|s| s.id.clone()),
            Lookup::Department(id) => org
                .department(id)
                .or_else(|| org.departments.iter().find(|d| d.name == *id))
                .map(|d| d.id.clone()),
            Lookup::River(t) if org.rivers.is_empty() => Some(t.trim().to_string()),
            Lookup::River(t) => org.river_named(t).map(|r| r.id.clone()),
            Lookup::Task(id) => refs.tasks.contains(id).then(|| id.to_string()),
            Lookup::File(path, role) => refs.file_problem(path, *role).ok(),
            Lookup::Folder(f) => org
                .streets
                .iter()
                .find(|s| s.id == *f || s.name == *f)
                .map(|s| s.id.clone()),
        }
    }

    /// Whether a read that asked this and got `answer` stands against `refs`: the same answer,
    /// and not a failure that was reported (its message may name what `refs` holds).
    pub fn stands(&self, answer: &Option<String>, refs: &Refs) -> bool {
        let reported = answer.is_none() && !matches!(self, Lookup::Folder(_));
        !reported && self.answer(refs) == *answer
    }
}

impl Refs<'_> {
    /// Answers `q` and remembers the question in `cx`.
    pub fn ask(&self, cx: &mut Ctx, q: Lookup) -> Option<String> {
        let answer = q.answer(self);
        cx.asked.push((q, answer.clone()));
        answer
    }

    /// A street by id, full name, or name without 街道 / 道.
    pub fn street(&self, cx: &mut Ctx, text: &str, span: Span) -> Option<String> {
        let t = text.trim();
        let found = self.ask(cx, Lookup::Street(t.to_string()));
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
        found
    }

    pub fn department(&self, cx: &mut Ctx, id: &str, span: Span) -> Option<String> {
        if let Some(found) = self.ask(cx, Lookup::Department(id.to_string())) {
            return Some(found);
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
        if self.ask(cx, Lookup::Task(id)).is_none() {
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
        let found = self.ask(cx, Lookup::File(path.to_string(), role));
        if found.is_none()
            && let Err(kind) = self.file_problem(path, role)
        {
            cx.err(span, kind);
        }
        found
    }

    /// The file's path in the content folder, or what is wrong with it.
    fn file_problem(&self, path: &str, role: Role) -> Result<String, Kind> {
        let p = path.trim().trim_start_matches("./");
        let escapes = p.starts_with('/')
            || p.contains('\\')
            || p.split('/').any(|part| part == "..")
            || p.contains(':');
        if escapes {
            return Err(Kind::OutsideContent {
                path: path.to_string(),
            });
        }
        if !self.assets.contains(p) {
            return Err(Kind::MissingFile {
                path: path.to_string(),
            });
        }
        let sniffed = self.kinds.get(p).copied().unwrap_or(UNKNOWN);
        if let Err(problem) = filekind::check(p, sniffed, role) {
            return Err(Kind::BadFile {
                path: p.to_string(),
                problem,
                photo: role == Role::Photo,
            });
        }
        Ok(p.to_string())
    }
}

/// The kind of a file that could not be read.
pub(crate) const UNKNOWN: Sniffed = Sniffed {
    kind: filekind::Kind::Other,
    size: None,
};
