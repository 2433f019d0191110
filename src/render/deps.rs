//! Which pages read which inputs: each page kind declares what it reads, and `affected` maps a set of
//! changed inputs to the pages to render again. One table, so `serve` (and a build cache) answer
//! "which pages does this edit touch?" in one place instead of `if` chains through `render/`.
//!
//! The table is conservative: a kind that reads "every case" is redone on any case edit, because its
//! figures, rows or ranks may move. Only a case's own page is narrowed to the case that changed.

use std::collections::BTreeSet;

/// An input a page can read. Content files map onto these (see [`Input::of_path`]).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Input {
    /// One case file, by the case's id.
    Case(String),
    /// The set of cases itself: one added, removed or renamed, or a case file that does not parse.
    CaseSet,
    /// `site.yaml`: title, language, dates, base_url — every page shows some of it.
    Site,
    /// `organisation.yaml`: names of streets and departments appear on every page.
    Organisation,
    /// `plan.md`.
    Plan,
    /// `tasks.yaml`.
    Tasks,
    /// Any note (`notes/…`).
    Notes,
    /// Any publicity item (`publicity/…`).
    Publicity,
    /// Any commentary (`briefings/…`).
    Commentary,
    /// Files under `files/` (photos, covers, attachments).
    Files,
    /// The theme: templates, strings, static files.
    Theme,
    /// The as-of date D: every figure and every "dated on or before D" filter.
    AsOf,
}

impl Input {
    /// The input a content file (relative to the content folder) feeds, if the path alone says it;
    /// a case file's id comes from its contents, so cases map to `None` here and callers name them.
    pub fn of_path(rel: &str) -> Option<Input> {
        let top = rel.split('/').next().unwrap_or("");
        Some(match top {
            "site.yaml" => Input::Site,
            "organisation.yaml" => Input::Organisation,
            "plan.md" => Input::Plan,
            "tasks.yaml" => Input::Tasks,
            "notes" => Input::Notes,
            "publicity" => Input::Publicity,
            "briefings" => Input::Commentary,
            "files" => Input::Files,
            _ => return None,
        })
    }

    /// Inputs every page reads: a change to one of these redoes the whole site.
    fn is_global(&self) -> bool {
        matches!(
            self,
            Input::Site | Input::Organisation | Input::Tasks | Input::Theme | Input::AsOf
        )
    }
}

/// The kinds of output a build writes.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum PageKind {
    /// `cases/<id>.html`.
    Case,
    /// `index.html`.
    Home,
    /// `plan.html`.
    Plan,
    /// `tasks/index.html` and `tasks/<id>.html`.
    Tasks,
    /// `units/<id>.html`.
    Units,
    /// `streets/index.html` and `streets/<id>.html`.
    Streets,
    /// `cases/index.html`, `cases/page-N.html`.
    CaseLists,
    /// `watchlist.html`.
    Watchlist,
    /// `rivers.html`: figures and cases by river basin.
    Rivers,
    /// `briefings/…`.
    Briefings,
    /// `notes/…`.
    Notes,
    /// `publicity/…`.
    Publicity,
    /// `search.html`, `404.html`.
    Fixed,
    /// `data/…`, `charts/…`, `feed.xml`, `sitemap.xml`: the heavy aggregates.
    Data,
    /// `assets/…`: the theme's static files.
    Assets,
}

impl PageKind {
    /// Every kind, in the table's order.
    pub const ALL: &'static [PageKind] = &[
        PageKind::Case,
        PageKind::Home,
        PageKind::Plan,
        PageKind::Tasks,
        PageKind::Units,
        PageKind::Streets,
        PageKind::CaseLists,
        PageKind::Watchlist,
        PageKind::Rivers,
        PageKind::Briefings,
        PageKind::Notes,
        PageKind::Publicity,
        PageKind::Fixed,
        PageKind::Data,
        PageKind::Assets,
    ];
}

/// What a page kind reads besides the global inputs (site, organisation, tasks, theme, D).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Reads {
    /// Only the case it shows (and notes citing it).
    OwnCase,
    /// Every case: figures, rows, ranks.
    AllCases,
    Plan,
    Notes,
    Publicity,
    Commentary,
    Files,
}

/// The table: every page kind and what it reads.
const TABLE: &[(PageKind, &[Reads])] = &[
    (
        PageKind::Case,
        &[Reads::OwnCase, Reads::Notes, Reads::Files],
    ),
    (
        PageKind::Home,
        &[Reads::AllCases, Reads::Notes, Reads::Publicity],
    ),
    (PageKind::Plan, &[Reads::Plan, Reads::Files]),
    (PageKind::Tasks, &[Reads::AllCases, Reads::Notes]),
    (PageKind::Units, &[Reads::AllCases, Reads::Notes]),
    (
        PageKind::Streets,
        &[Reads::AllCases, Reads::Notes, Reads::Publicity],
    ),
    (PageKind::CaseLists, &[Reads::AllCases]),
    (PageKind::Watchlist, &[Reads::AllCases]),
    (PageKind::Rivers, &[Reads::AllCases]),
    (
        PageKind::Briefings,
        &[
            Reads::AllCases,
            Reads::Notes,
            Reads::Publicity,
            Reads::Commentary,
            Reads::Files,
        ],
    ),
    (
        PageKind::Notes,
        &[Reads::AllCases, Reads::Notes, Reads::Files],
    ),
    (PageKind::Publicity, &[Reads::Publicity, Reads::Files]),
    (PageKind::Fixed, &[]),
    (
        PageKind::Data,
        &[
            Reads::AllCases,
            Reads::Plan,
            Reads::Notes,
            Reads::Publicity,
            Reads::Commentary,
        ],
    ),
    (PageKind::Assets, &[]),
];

/// The pages to render again after a change.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Affected {
    /// Every page of the site (a global input changed).
    pub everything: bool,
    /// Case pages to redo, by id (only meaningful when `everything` is false).
    pub cases: BTreeSet<String>,
    /// Whole kinds to redo, other than single case pages.
    pub kinds: BTreeSet<PageKind>,
}

impl Affected {
    /// Every page of the site.
    pub fn everything() -> Affected {
        Affected {
            everything: true,
            ..Affected::default()
        }
    }

    pub fn is_empty(&self) -> bool {
        !self.everything && self.cases.is_empty() && self.kinds.is_empty()
    }

    /// Whether every page of `kind` is redone.
    pub fn all_of(&self, kind: PageKind) -> bool {
        self.everything || self.kinds.contains(&kind)
    }
}

/// Maps changed inputs to the pages that read them.
pub fn affected(changes: &[Input]) -> Affected {
    let mut out = Affected::default();
    if changes.iter().any(Input::is_global) {
        out.everything = true;
        return out;
    }
    for change in changes {
        for (kind, reads) in TABLE {
            if let Some(narrow) = reads_change(reads, change) {
                match (kind, narrow) {
                    (PageKind::Case, Some(id)) => {
                        out.cases.insert(id.to_string());
                    }
                    _ => {
                        out.kinds.insert(*kind);
                    }
                }
            }
        }
    }
    out
}

/// The inputs changed content files feed: a case file by the ids of the cases it held before and
/// after the change (`ids` gives both: a file's case may be new, gone, or have a new id), any other
/// file by its path. When D moved, every page is redone whatever else changed.
pub fn changed_inputs(
    changed: &[String],
    ids: impl Fn(&str) -> Vec<String>,
    d_moved: bool,
) -> Vec<Input> {
    if d_moved {
        return vec![Input::AsOf];
    }
    let mut inputs = Vec::new();
    for rel in changed {
        match Input::of_path(rel) {
            Some(input) => inputs.push(input),
            None => inputs.extend(ids(rel).into_iter().map(Input::Case)),
        }
    }
    inputs.sort();
    inputs.dedup();
    inputs
}

/// Whether a kind reading `reads` must be redone for `change`: `Some(Some(id))` for just one case
/// page, `Some(None)` for every page of the kind, `None` for none.
fn reads_change<'a>(reads: &[Reads], change: &'a Input) -> Option<Option<&'a str>> {
    let hit = |r: Reads| reads.contains(&r);
    match change {
        Input::Case(_) if hit(Reads::AllCases) => Some(None),
        Input::Case(id) if hit(Reads::OwnCase) => Some(Some(id.as_str())),
        Input::CaseSet if hit(Reads::AllCases) || hit(Reads::OwnCase) => Some(None),
        Input::Plan if hit(Reads::Plan) => Some(None),
        Input::Notes if hit(Reads::Notes) => Some(None),
        Input::Publicity if hit(Reads::Publicity) => Some(None),
        Input::Commentary if hit(Reads::Commentary) => Some(None),
        Input::Files if hit(Reads::Files) => Some(None),
        _ => None,
    }
}

/// The kind of an output file, by its path in the site.
pub fn kind_of(path: &str) -> PageKind {
    let (top, rest) = path.split_once('/').unwrap_or((path, ""));
    match (top, rest) {
        ("cases", r) if r == "index.html" || r.starts_with("page-") => PageKind::CaseLists,
        ("cases", _) => PageKind::Case,
        ("index.html", _) => PageKind::Home,
        ("plan.html", _) => PageKind::Plan,
        ("tasks", _) => PageKind::Tasks,
        ("units", _) => PageKind::Units,
        ("streets", _) => PageKind::Streets,
        ("watchlist.html", _) => PageKind::Watchlist,
        ("rivers.html", _) => PageKind::Rivers,
        ("briefings", _) => PageKind::Briefings,
        ("notes", _) => PageKind::Notes,
        ("publicity", _) => PageKind::Publicity,
        ("assets", _) => PageKind::Assets,
        ("search.html" | "404.html", _) => PageKind::Fixed,
        _ => PageKind::Data,
    }
}

/// The kinds of page each template (by name) rendered, as recorded while rendering.
pub type TemplateUse = std::collections::BTreeMap<String, BTreeSet<PageKind>>;

/// The pages an edit of the theme touches, `old` to `new`: the kinds of page rendered with a changed
/// template or with one that extends, includes or imports it (`used` says which kinds each
/// template rendered), and the static files. Any other change (the site's words in
/// `strings.yaml`) touches every page.
pub fn theme_affected(
    old: &super::theme::Theme,
    new: &super::theme::Theme,
    used: &TemplateUse,
) -> Affected {
    let paths: BTreeSet<&String> = old.files.keys().chain(new.files.keys()).collect();
    let changed = paths
        .into_iter()
        .filter(|p| old.files.get(*p) != new.files.get(*p));
    let mut templates = BTreeSet::new();
    let mut out = Affected::default();
    for path in changed {
        if let Some(name) = path.strip_prefix("templates/") {
            templates.insert(name.to_string());
        } else if path.starts_with("static/") {
            out.kinds.insert(PageKind::Assets);
        } else {
            return Affected::everything();
        }
    }
    for name in with_dependents(new, templates) {
        out.kinds.extend(used.get(&name).into_iter().flatten());
    }
    out
}

/// `names` and every template of `theme` that names one of them in quotes (`extends`, `include`,
/// `import`), and so on until nothing is added.
fn with_dependents(theme: &super::theme::Theme, mut names: BTreeSet<String>) -> BTreeSet<String> {
    loop {
        let more: Vec<String> = theme
            .templates()
            .filter(|(name, _)| !names.contains(*name))
            .filter(|(_, text)| {
                let text = String::from_utf8_lossy(text);
                names
                    .iter()
                    .any(|n| text.contains(&format!("\"{n}\"")) || text.contains(&format!("'{n}'")))
            })
            .map(|(name, _)| name.to_string())
            .collect();
        if more.is_empty() {
            return names;
        }
        names.extend(more);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(id: &str) -> Input {
        Input::Case(id.into())
    }

    #[test]
    fn a_case_edit_redoes_its_page_and_the_aggregates_but_no_other_case_page() {
        let a = affected(&[case("YX-1")]);
        assert!(!a.everything);
        assert_eq!(a.cases, BTreeSet::from(["YX-1".to_string()]));
        for kind in [
            PageKind::Home,
            PageKind::Streets,
            PageKind::Tasks,
            PageKind::Units,
            PageKind::CaseLists,
            PageKind::Watchlist,
            PageKind::Rivers,
            PageKind::Briefings,
            PageKind::Data,
        ] {
            assert!(a.all_of(kind), "{kind:?}");
        }
        for kind in [
            PageKind::Case,
            PageKind::Plan,
            PageKind::Publicity,
            PageKind::Assets,
        ] {
            assert!(!a.all_of(kind), "{kind:?}");
        }
    }

    #[test]
    fn global_inputs_redo_everything() {
        for input in [
            Input::Site,
            Input::Organisation,
            Input::Tasks,
            Input::Theme,
            Input::AsOf,
        ] {
            assert!(
                affected(std::slice::from_ref(&input)).everything,
                "{input:?}"
            );
        }
    }

    #[test]
    fn narrow_inputs_redo_only_their_readers() {
        let table: &[(Input, &[PageKind], &[PageKind])] = &[
            (
                Input::Plan,
                &[PageKind::Plan, PageKind::Data],
                &[PageKind::Case, PageKind::Home],
            ),
            (
                Input::Notes,
                &[PageKind::Case, PageKind::Notes, PageKind::Home],
                &[PageKind::Plan, PageKind::Publicity],
            ),
            (
                Input::Publicity,
                &[PageKind::Publicity, PageKind::Home, PageKind::Streets],
                &[PageKind::Case, PageKind::Plan, PageKind::Tasks],
            ),
            (
                Input::CaseSet,
                &[PageKind::Case, PageKind::CaseLists, PageKind::Data],
                &[PageKind::Plan, PageKind::Publicity],
            ),
        ];
        for (input, redone, kept) in table {
            let a = affected(std::slice::from_ref(input));
            for k in *redone {
                assert!(a.all_of(*k), "{input:?} should redo {k:?}");
            }
            for k in *kept {
                assert!(!a.all_of(*k), "{input:?} should keep {k:?}");
            }
        }
    }

    #[test]
    fn every_kind_in_the_table_is_listed_once() {
        let kinds: BTreeSet<PageKind> = PageKind::ALL.iter().copied().collect();
        assert_eq!(kinds.len(), PageKind::ALL.len());
        let table: BTreeSet<PageKind> = TABLE.iter().map(|(k, _)| *k).collect();
        assert_eq!(kinds, table);
    }

    #[test]
    fn a_theme_edit_redoes_the_kinds_its_templates_rendered() {
        use crate::render::theme::Theme;
        let base = Theme::load(std::path::Path::new("/nonexistent/content"), "default").unwrap();
        let used = TemplateUse::from([
            ("base.html".to_string(), BTreeSet::from([PageKind::Home])),
            ("case.html".to_string(), BTreeSet::from([PageKind::Case])),
            ("index.html".to_string(), BTreeSet::from([PageKind::Home])),
            (
                "street.html".to_string(),
                BTreeSet::from([PageKind::Streets]),
            ),
        ]);
        let table: &[(&str, Option<&[PageKind]>)] = &[
            ("templates/case.html", Some(&[PageKind::Case])),
            ("templates/street.html", Some(&[PageKind::Streets])),
            ("static/style.css", Some(&[PageKind::Assets])),
            ("strings.yaml", None),
        ];
        for (file, kinds) in table {
            let mut edited = Theme {
                files: base.files.clone(),
            };
            edited.files.get_mut(*file).unwrap().extend(b"\n");
            let got = theme_affected(&base, &edited, &used);
            match kinds {
                Some(kinds) => assert_eq!(got.kinds, kinds.iter().copied().collect(), "{file}"),
                None => assert!(got.everything, "{file}"),
            }
        }
        // Every template extends base.html: all the kinds recorded.
        let mut edited = Theme {
            files: base.files.clone(),
        };
        edited
            .files
            .get_mut("templates/base.html")
            .unwrap()
            .extend(b"\n");
        let got = theme_affected(&base, &edited, &used);
        let all: BTreeSet<PageKind> = used.values().flatten().copied().collect();
        assert_eq!(got.kinds, all);
        assert!(theme_affected(&base, &base, &used).is_empty());
    }

    #[test]
    fn nothing_changed_redoes_nothing() {
        assert!(affected(&[]).is_empty());
    }

    #[test]
    fn paths_map_to_kinds() {
        let table = [
            ("index.html", PageKind::Home),
            ("cases/index.html", PageKind::CaseLists),
            ("cases/page-3.html", PageKind::CaseLists),
            ("cases/YX2022-0001.html", PageKind::Case),
            ("streets/dongshan.html", PageKind::Streets),
            ("data/lists.xlsx", PageKind::Data),
            ("charts/monthly-trend.svg", PageKind::Data),
            ("assets/site.css", PageKind::Assets),
            ("briefings/2022-05.docx", PageKind::Briefings),
        ];
        for (path, kind) in table {
            assert_eq!(kind_of(path), kind, "{path}");
        }
    }

    #[test]
    fn content_paths_map_to_inputs() {
        assert_eq!(
            Input::of_path("organisation.yaml"),
            Some(Input::Organisation)
        );
        assert_eq!(Input::of_path("notes/a.md"), Some(Input::Notes));
        assert_eq!(Input::of_path("files/x.jpg"), Some(Input::Files));
        assert_eq!(Input::of_path("cases/dongshan/YX-1.yaml"), None);
    }
}
