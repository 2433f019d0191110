//! Validate: raw YAML trees into a `model::Site`, or every problem found. The only place that knows
//! the contract's rules.

mod case;
mod config;
mod docs;
pub mod fields;
mod links;
mod privacy;
mod progress;
mod refs;
mod rivers;

pub use progress::stale_overdue;
pub use refs::Refs;
pub(crate) use refs::UNKNOWN;

/// The fields each kind of file may have, as the validator enforces them; the JSON Schemas are
/// tested against these lists.
pub mod field_lists {
    pub const CASE: &[&str] = super::case::FIELDS;
    pub const SITE: &[&str] = super::config::SITE_FIELDS;
    pub const BRIEFING: &[&str] = super::config::BRIEFING_FIELDS;
    pub const NOTE: &[&str] = super::docs::NOTE_FIELDS;
    pub const PUBLICITY: &[&str] = super::docs::PUBLICITY_FIELDS;
}

use crate::diag::{self, Diagnostic, Kind, Span};
use crate::filekind::{self, Sniffed};
use crate::load::{FileKind, SourceFile, Sources};
use crate::model::{Case, Organisation, Site};
use crate::yaml::{self, Node};
use fields::Ctx;
use std::collections::{BTreeMap, BTreeSet};

/// A validated site and its warnings, or every diagnostic (errors and warnings) sorted by place.
pub fn validate(sources: &Sources) -> Result<(Site, Vec<Diagnostic>), Vec<Diagnostic>> {
    let mut diags = sources.diagnostics.clone();
    let site = build(sources, None, &mut diags);
    diag::sort(&mut diags);
    valid(site, diags)
}

/// `validate`, reusing the case files `memo` read before when their text and everything a case is
/// checked against (site, organisation, tasks, the files under `files/`) are unchanged. For
/// `serve`, which validates again after every save: at 10,000 cases parsing is most of the cost.
pub fn validate_memo(
    sources: &Sources,
    memo: &mut CaseMemo,
) -> Result<(Site, Vec<Diagnostic>), Vec<Diagnostic>> {
    let mut diags = sources.diagnostics.clone();
    let site = build(sources, Some(memo), &mut diags);
    let _t = crate::timings::phase("validate: sort");
    diag::sort(&mut diags);
    drop(_t);
    valid(site, diags)
}

/// The site when no diagnostic is an error.
fn valid(
    site: Option<Site>,
    diags: Vec<Diagnostic>,
) -> Result<(Site, Vec<Diagnostic>), Vec<Diagnostic>> {
    match site {
        Some(site) if !diags.iter().any(Diagnostic::is_error) => Ok((site, diags)),
        _ => Err(diags),
    }
}

/// Whatever could be read even when some files have errors, with every diagnostic: for commands
/// (`diff`, `new`) that must work on content a pull request has not fixed yet. `None` when
/// `site.yaml` or `plan.md` could not be read at all.
pub fn validate_lenient(sources: &Sources) -> (Option<Site>, Vec<Diagnostic>) {
    let mut diags = sources.diagnostics.clone();
    let site = build(sources, None, &mut diags);
    diag::sort(&mut diags);
    (site, diags)
}

/// Without a `memo` (a one-off validation) nothing is kept for later: keeping every file's text
/// and case again would double the memory of a build at 100,000 cases.
fn build(
    sources: &Sources,
    memo: Option<&mut CaseMemo>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Site> {
    let one = |kind: FileKind, name: &str, diags: &mut Vec<Diagnostic>| -> Option<&SourceFile> {
        let file = sources.files.iter().find(|f| f.kind == kind);
        if file.is_none() {
            diags.push(Diagnostic::new(
                name,
                Span::file_start(),
                Kind::MissingFile { path: name.into() },
            ));
        }
        file
    };
    let site_file = one(FileKind::Site, "site.yaml", diags);
    let org_file = one(FileKind::Organisation, "organisation.yaml", diags);
    let plan_file = one(FileKind::Plan, "plan.md", diags);
    let tasks_file = one(FileKind::Tasks, "tasks.yaml", diags);

    let config = site_file
        .and_then(|f| Some((f, parse_yaml(f, diags)?)))
        .and_then(|(f, n)| {
            let mut cx = Ctx::new("site.yaml", diags);
            privacy::scan_placeholders(&mut cx, &f.text, &n);
            config::site(&mut cx, &n, &sources.themes)
        });
    let published = privacy::Published::of(config.as_ref());
    let org = org_file
        .and_then(|f| Some((f, parse_yaml(f, diags)?)))
        .and_then(|(f, n)| {
            let mut cx = Ctx::new("organisation.yaml", diags);
            privacy::scan_placeholders(&mut cx, &f.text, &n);
            config::organisation(&mut cx, &n)
        });
    let plan = plan_file.and_then(|f| {
        let (node, body) = parse_front(f, diags)?;
        let mut cx = Ctx::new(&f.path, diags);
        privacy::scan_yaml(&mut cx, &f.text, &node, &["title"], &published);
        scan_body(&mut cx, &f.text, body, &published);
        config::plan(&mut cx, &node, body)
    });
    let org = org.unwrap_or(Organisation {
        departments: vec![],
        streets: vec![],
        groups: vec![],
        rivers: vec![],
    });
    let mut refs = Refs {
        org: &org,
        tasks: BTreeSet::new(),
        cases: BTreeMap::new(),
        broken_cases: BTreeSet::new(),
        assets: &sources.assets,
        kinds: &sources.kinds,
        published: &published,
        campaign_end: config.as_ref().map(|c| c.end),
    };
    let tasks = tasks_file
        .and_then(|f| Some((f, parse_yaml(f, diags)?)))
        .map(|(f, n)| {
            let mut cx = Ctx::new("tasks.yaml", diags);
            privacy::scan_yaml(&mut cx, &f.text, &n, TASK_PUBLIC, refs.published);
            config::tasks(&mut cx, &n, &refs)
        })
        .unwrap_or_default();
    refs.tasks = tasks.iter().map(|t| t.id).collect();

    let _t = crate::timings::phase("validate: cases");
    let cases = cases(sources, &refs, memo, diags);
    drop(_t);
    let _t = crate::timings::phase("validate: refs");
    refs.cases = cases.iter().map(|c| (c.id.clone(), c.found)).collect();
    refs.broken_cases = broken_case_stems(sources, &refs.cases);
    drop(_t);
    let _t = crate::timings::phase("validate: docs");
    let notes = docs::notes(sources, &refs, diags);
    let publicity = docs::publicity(sources, &refs, diags);
    let commentary = docs::commentary(sources, refs.published, diags);
    let site = Site {
        config: config?,
        org,
        plan: plan?,
        tasks,
        cases,
        notes,
        publicity,
        commentary,
    };
    drop(_t);
    let _t = crate::timings::phase("validate: links");
    links::check(&site, sources, diags);
    Some(site)
}

/// The public text of a case and of `tasks.yaml`, scanned for private-looking data.
const CASE_PUBLIC: &[&str] = &[
    "name",
    "community",
    "grid",
    "river",
    "industry",
    "location",
    "source_ref",
    "summary",
    "log[].text",
    "rechecks[].note",
    "relapses[].note",
    "photos[].caption",
];
const TASK_PUBLIC: &[&str] = &["[].title", "[].text", "[].milestones[].text"];

/// One case file read: the case and its id's place, if it made one, and the file's diagnostics.
pub type CaseRead = (Option<(Case, Span)>, Vec<Diagnostic>);

/// Case files already read, by path, with a hash of the text they were read from and what each
/// asked of the files it refers to. A read is reused while its text and `site.yaml` (`key`) are
/// unchanged and every question it asked of `organisation.yaml`, `tasks.yaml` and `files/` gets the
/// same answer: an edit to those re-checks references instead of parsing every case file again.
/// `serve` keeps one in memory; `build` stores it in the build cache, so a build after a small edit
/// parses only the changed case files.
#[derive(Default, serde::Serialize, serde::Deserialize)]
pub struct CaseMemo {
    key: Option<[u8; 32]>,
    reads: std::collections::HashMap<String, Remembered>,
    /// How many case files the last validation read afresh (the others were reused).
    #[serde(skip)]
    parsed: usize,
}

/// One case file read, kept serialised: a memo of 100,000 reads is then read from the build cache
/// and written back as bytes, and only the reads a build uses are decoded (in parallel).
#[derive(serde::Serialize, serde::Deserialize)]
struct Remembered {
    /// The blake3 of the file it was read from (`SourceFile::hash`).
    hash: [u8; 32],
    /// The id of the case it made, if it made one.
    id: Option<String>,
    /// The `CaseRead`, serialised.
    #[serde(with = "crate::write::bytes")]
    read: Vec<u8>,
    /// What it asked of the files it refers to, and the answers.
    asked: Vec<refs::Asked>,
}

impl Remembered {
    fn of(hash: [u8; 32], read: &CaseRead, asked: Vec<refs::Asked>) -> Remembered {
        Remembered {
            hash,
            id: read.0.as_ref().map(|(case, _)| case.id.clone()),
            read: postcard::to_stdvec(read).unwrap_or_default(),
            asked,
        }
    }
}

impl CaseMemo {
    /// Forgets the reads when `site.yaml` changed (what is published, the campaign's end).
    fn check_key(&mut self, sources: &Sources) {
        let mut h = blake3::Hasher::new();
        for f in sources.files.iter().filter(|f| f.kind == FileKind::Site) {
            for part in [f.path.as_bytes(), f.text.as_bytes()] {
                h.update(&(part.len() as u64).to_le_bytes());
                h.update(part);
            }
        }
        let key = Some(*h.finalize().as_bytes());
        if self.key != key {
            self.reads.clear();
            self.key = key;
        }
    }

    /// The remembered read of `file` when its text hashes to `hash`, every question it asked gets
    /// the same answer from `refs`, and it decodes.
    fn get(&self, file: &SourceFile, hash: &[u8; 32], refs: &Refs) -> Option<CaseRead> {
        let m = self.reads.get(&file.path).filter(|m| &m.hash == hash)?;
        if !m.asked.iter().all(|(q, a)| q.stands(a, refs)) {
            return None;
        }
        postcard::from_bytes(&m.read).ok()
    }

    /// How many case files the last validation read afresh (the others were reused).
    pub fn parsed(&self) -> usize {
        self.parsed
    }

    /// The id of the case the case file at `path` made, if it is remembered and made one.
    pub fn id_of(&self, path: &str) -> Option<&str> {
        self.reads.get(path)?.id.as_deref()
    }

    /// The id of the case each remembered case file made, by the file's path.
    #[cfg(test)]
    pub fn ids(&self) -> std::collections::HashMap<&str, &str> {
        self.reads
            .iter()
            .filter_map(|(path, m)| Some((path.as_str(), m.id.as_deref()?)))
            .collect()
    }
}

/// One case file read, with what it asked of the files it refers to.
fn read_case(file: &SourceFile, refs: &Refs) -> (CaseRead, Vec<refs::Asked>) {
    let mut own = Vec::new();
    let mut asked = Vec::new();
    let case = parse_yaml(file, &mut own).and_then(|node| {
        let mut cx = Ctx::new(&file.path, &mut own);
        let case = case::case(&mut cx, &node, refs);
        if let Some((c, _)) = &case
            && c.publish
        {
            privacy::scan_yaml(&mut cx, &file.text, &node, CASE_PUBLIC, refs.published);
        }
        asked = std::mem::take(&mut cx.asked);
        case
    });
    ((case, own), asked)
}

/// One case file checked on its own against a site that validated (its organisation, tasks and
/// the files under `files/`): the case when the file has no error of its own. Checks across files
/// (unique ids, notes citing cases, links) are not made: `serve` uses this to show an edited case
/// at once, then validates the whole site.
pub fn case_alone(file: &SourceFile, site: &Site, sources: &Sources) -> Option<Case> {
    let published = privacy::Published::of(Some(&site.config));
    let refs = Refs {
        org: &site.org,
        tasks: site.tasks.iter().map(|t| t.id).collect(),
        cases: BTreeMap::new(),
        broken_cases: BTreeSet::new(),
        assets: &sources.assets,
        kinds: &sources.kinds,
        published: &published,
        campaign_end: Some(site.config.end),
    };
    let ((case, diags), _) = read_case(file, &refs);
    if diags.iter().any(Diagnostic::is_error) {
        return None;
    }
    case.map(|(c, _)| c)
}

/// Reads every case file (in parallel: YAML parsing dominates at scale), then checks ids across
/// files. Diagnostics come out in file order whatever the threads did.
fn cases(
    sources: &Sources,
    refs: &Refs,
    memo: Option<&mut CaseMemo>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Case> {
    use rayon::prelude::*;
    let files: Vec<&SourceFile> = sources
        .files
        .iter()
        .filter(|f| f.kind == FileKind::Case)
        .collect();
    let read: Vec<CaseRead> = match memo {
        Some(memo) => read_memo(sources, &files, refs, memo),
        None => files
            .par_iter()
            .map(|file| read_case(file, refs).0)
            .collect(),
    };
    let _t = crate::timings::phase("validate: ids");
    let mut cases = Vec::with_capacity(read.len());
    let mut ids: std::collections::HashMap<String, &str> =
        std::collections::HashMap::with_capacity(read.len());
    for (file, (case, own)) in files.iter().zip(read) {
        diags.extend(own);
        let Some((case, id_span)) = case else {
            continue;
        };
        if let Some(other) = ids.insert(case.id.to_lowercase(), &file.path) {
            let kind = Kind::DuplicateId {
                id: case.id.clone(),
                other: other.to_string(),
            };
            diags.push(Diagnostic::new(&file.path, id_span, kind));
            continue;
        }
        cases.push(case);
    }
    in_id_order(cases)
}

/// The cases sorted by id. The order is found on the ids alone, then each case moved once: a
/// case is large, and a sort moves its elements many times.
fn in_id_order(cases: Vec<Case>) -> Vec<Case> {
    let mut order: Vec<usize> = (0..cases.len()).collect();
    order.sort_by(|&a, &b| cases[a].id.cmp(&cases[b].id));
    let mut slots: Vec<Option<Case>> = cases.into_iter().map(Some).collect();
    order.into_iter().filter_map(|i| slots[i].take()).collect()
}

/// Reads `files`, taking unchanged ones from `memo` and remembering the others there.
fn read_memo(
    sources: &Sources,
    files: &[&SourceFile],
    refs: &Refs,
    memo: &mut CaseMemo,
) -> Vec<CaseRead> {
    use rayon::prelude::*;
    memo.check_key(sources);
    let read: Vec<(CaseRead, Option<Remembered>)> = files
        .par_iter()
        .map(|file| {
            let hash = file.hash;
            match memo.get(file, &hash, refs) {
                Some(read) => (read, None),
                None => {
                    let (read, asked) = read_case(file, refs);
                    let fresh = Remembered::of(hash, &read, asked);
                    (read, Some(fresh))
                }
            }
        })
        .collect();
    let present: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    memo.reads.retain(|path, _| present.contains(path.as_str()));
    memo.parsed = read.iter().filter(|(_, fresh)| fresh.is_some()).count();
    files
        .iter()
        .zip(read)
        .map(|(file, (r, fresh))| {
            if let Some(fresh) = fresh {
                memo.reads.insert(file.path.clone(), fresh);
            }
            r
        })
        .collect()
}

/// Lower-cased file names of case files that did not make a case: their own errors are reported, so
/// a note citing one must not add a misleading "unknown case" on top.
fn broken_case_stems(
    sources: &Sources,
    valid: &BTreeMap<String, crate::model::Date>,
) -> BTreeSet<String> {
    let valid: BTreeSet<String> = valid.keys().map(|k| k.to_lowercase()).collect();
    sources
        .files
        .iter()
        .filter(|f| f.kind == FileKind::Case)
        .filter_map(|f| f.path.rsplit('/').next()?.strip_suffix(".yaml"))
        .map(str::to_lowercase)
        .filter(|stem| !valid.contains(stem))
        .collect()
}

pub(crate) fn parse_yaml(file: &SourceFile, diags: &mut Vec<Diagnostic>) -> Option<Node> {
    if file.text.trim().is_empty() {
        diags.push(Diagnostic::new(
            &file.path,
            Span::file_start(),
            Kind::EmptyFile,
        ));
        return None;
    }
    yaml::parse(&file.path, &file.text, 0)
        .map_err(|d| diags.extend(d))
        .ok()
}

pub(crate) fn parse_front<'f>(
    file: &'f SourceFile,
    diags: &mut Vec<Diagnostic>,
) -> Option<(Node, &'f str)> {
    match yaml::split_front_matter(&file.text) {
        Ok((front, offset, body)) => {
            let node = yaml::parse(&file.path, front, offset)
                .map_err(|d| diags.extend(d))
                .ok()?;
            Some((node, body))
        }
        Err(kind) => {
            diags.push(Diagnostic::new(&file.path, Span::file_start(), kind));
            None
        }
    }
}

/// Checks a Markdown body, the tail of the file's `text`: the first hidden character is an error,
/// private-looking data and placeholders are warnings.
pub(crate) fn scan_body(cx: &mut Ctx, text: &str, body: &str, published: &privacy::Published) {
    let base = text.len() - body.len();
    if let Some((i, c)) = body.char_indices().find(|(_, c)| fields::is_hidden(*c)) {
        let span = privacy::span_at(text, base + i, c.len_utf8());
        cx.hidden(span, "body", c);
    }
    privacy::scan_body(cx, text, body, published);
}

/// The longest file name (in bytes) most file systems allow; ids and slugs become `<id>.html`.
const MAX_NAME_BYTES: usize = 255;

/// Refuses names the list pages use (`index`, `page-…`) and names too long for a page's file name.
pub(crate) fn check_id(cx: &mut Ctx, id: &str, span: Span) -> bool {
    let lower = id.to_lowercase();
    let reserved = lower == "index" || lower.starts_with("page-");
    if reserved {
        cx.err(
            span,
            Kind::ReservedName {
                value: id.to_string(),
            },
        );
    }
    let bytes = id.len() + ".html".len();
    let long = bytes > MAX_NAME_BYTES;
    if long {
        let value = id.to_string();
        cx.err(span, Kind::NameTooLong { value, bytes });
    }
    !reserved && !long
}

/// The organisation a fuzzed case file is checked against: one department, one street.
const FUZZ_ORGANISATION: &str = "departments:
  - id: hbj
    name: 区生态环境分局
streets:
  - id: dongshan
    name: 东山街道
    communities: [署前路社区]
groups: []
";

/// Parses and validates one case file's text against a fixed organisation, returning every
/// diagnostic. For the fuzz targets in `fuzz/`: it runs the real parse and case rules.
#[doc(hidden)]
pub fn fuzz_case(text: &str) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let org_node = yaml::parse("organisation.yaml", FUZZ_ORGANISATION, 0).expect("valid YAML");
    let org = config::organisation(&mut Ctx::new("organisation.yaml", &mut diags), &org_node)
        .expect("valid organisation");
    let assets = BTreeSet::from(["files/a.png".to_string()]);
    let png = Sniffed {
        kind: filekind::Kind::Png,
        size: Some((4, 3)),
    };
    let kinds = BTreeMap::from([("files/a.png".to_string(), png)]);
    let refs = Refs {
        org: &org,
        tasks: BTreeSet::from([1, 2, 3]),
        cases: BTreeMap::new(),
        broken_cases: BTreeSet::new(),
        assets: &assets,
        kinds: &kinds,
        published: &privacy::Published::default(),
        campaign_end: None,
    };
    let file = SourceFile::new(
        "cases/dongshan/X-1.yaml".into(),
        FileKind::Case,
        text.to_string(),
    );
    if let Some(node) = parse_yaml(&file, &mut diags) {
        case::case(&mut Ctx::new(&file.path, &mut diags), &node, &refs);
    }
    diags
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    /// The small fixture, copied to a temporary folder.
    fn fixture() -> tempfile::TempDir {
        let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/small/content");
        let dir = tempfile::tempdir().unwrap();
        for e in walkdir::WalkDir::new(&from) {
            let e = e.unwrap();
            let dest = dir.path().join(e.path().strip_prefix(&from).unwrap());
            if e.file_type().is_dir() {
                std::fs::create_dir_all(&dest).unwrap();
            } else {
                std::fs::copy(e.path(), &dest).unwrap();
            }
        }
        dir
    }

    fn replace(root: &Path, rel: &str, from: &str, to: &str) {
        let path = root.join(rel);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{rel} lacks {from:?}");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    }

    /// What a validation gave, comparable: the site (as debug text) or nothing, and every
    /// diagnostic with its file, line and column.
    fn outcome(r: Result<(Site, Vec<Diagnostic>), Vec<Diagnostic>>) -> (Option<String>, String) {
        match r {
            Ok((site, diags)) => (Some(format!("{site:?}")), format!("{diags:?}")),
            Err(diags) => (None, format!("{diags:?}")),
        }
    }

    /// Edits to what case files refer to, applied one after another. After each, validating with
    /// the memo gives exactly what a fresh validation gives (site, errors, warnings, places), and
    /// re-reads only the case files whose references moved.
    #[test]
    fn a_memo_survives_edits_to_what_cases_refer_to() {
        const ORG: &str = "organisation.yaml";
        // (file, from, to, case files read again, still valid)
        let edits: &[(&str, &str, &str, usize, bool)] = &[
            // Names only: no case refers to a department by its name.
            (ORG, "name: 区科工信局", "name: 区工信局", 0, true),
            (ORG, "full_name: 测试", "full_name: 改名", 0, true),
            // Cases in the folder and with `street: baiyun` no longer resolve.
            (ORG, "- id: baiyun", "- id: baiyun2", 4, false),
            (ORG, "- id: baiyun2", "- id: baiyun", 4, true),
            // A department cases use disappears, then comes back.
            (ORG, "id: sthj", "id: sthj2", 9, false),
            (ORG, "id: sthj2", "id: sthj", 9, true),
            // Rivers listed: the case naming 沙河涌 now refers to its id; renamed, it is unknown.
            (
                ORG,
                "groups:",
                "rivers:\n  - id: shh\n    name: 沙河涌\ngroups:",
                1,
                true,
            ),
            (ORG, "name: 沙河涌", "name: 沙河", 1, false),
            (ORG, "name: 沙河\n", "name: 沙河涌\n", 1, true),
            // A task cases use disappears.
            ("tasks.yaml", "- id: 2\n", "- id: 12\n", 9, false),
            ("tasks.yaml", "- id: 12\n", "- id: 2\n", 9, true),
        ];
        let dir = fixture();
        let root = dir.path();
        let mut memo = CaseMemo::default();
        let first = outcome(validate_memo(&crate::load::load(root).unwrap(), &mut memo));
        assert!(first.0.is_some(), "the fixture validates: {}", first.1);
        for (i, (rel, from, to, parsed, valid)) in edits.iter().enumerate() {
            replace(root, rel, from, to);
            let sources = crate::load::load(root).unwrap();
            let fresh = outcome(validate(&sources));
            let memoised = outcome(validate_memo(&sources, &mut memo));
            assert_eq!(memoised, fresh, "edit {i}: {from} -> {to}");
            assert_eq!(fresh.0.is_some(), *valid, "edit {i}: {}", fresh.1);
            assert!(
                memo.parsed() <= *parsed,
                "edit {i}: {} case files read again, at most {parsed} expected",
                memo.parsed()
            );
        }
    }

    /// A photo deleted from `files/` fails the cases that show it, with the same diagnostics as a
    /// fresh validation; the other case files are not read again.
    #[test]
    fn a_memo_rechecks_files_when_files_change() {
        let dir = fixture();
        let root = dir.path();
        let mut memo = CaseMemo::default();
        validate_memo(&crate::load::load(root).unwrap(), &mut memo).unwrap();
        std::fs::remove_file(root.join("files/photos/T-005-after.png")).unwrap();
        let sources = crate::load::load(root).unwrap();
        let memoised = outcome(validate_memo(&sources, &mut memo));
        assert_eq!(memoised, outcome(validate(&sources)));
        assert!(memoised.0.is_none(), "a missing photo is an error");
        assert!(memoised.1.contains("T-005"), "{}", memoised.1);
        assert_eq!(memo.parsed(), 1);
    }
}
