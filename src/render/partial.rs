//! Rendering part of a site, kind by kind, knowing which files under `files/` each kind's pages use:
//! what an incremental `build` needs to redo only the pages `deps` names and still publish exactly
//! the files a clean build publishes.

use super::deps::{Affected, PageKind};
use super::theme::Theme;
use super::{Page, Renderer, render_pages};
use crate::model::Case;
use anyhow::Result;
use std::collections::{BTreeMap, BTreeSet};

/// What `by_kind` rendered besides the pages it handed on.
#[derive(Default)]
pub struct ByKind {
    /// For each kind rendered whole (other than case pages), the files under `files/` its pages use.
    pub files: BTreeMap<PageKind, Vec<String>>,
    /// The HTML pages emitted.
    pub html_paths: BTreeSet<String>,
}

/// Renders the single case pages `which` names (unless every case page is redone), then every
/// kind it redoes whole, one kind at a time so each kind's files are known apart. Charts drawn by
/// more than one kind are handed on more than once, with the same bytes.
pub fn by_kind(
    r: &Renderer,
    which: &Affected,
    theme: &Theme,
    sink: &mut dyn FnMut(Vec<Page>) -> Result<()>,
) -> Result<ByKind> {
    let mut out = ByKind::default();
    if !which.all_of(PageKind::Case) && !which.cases.is_empty() {
        let cases = Affected {
            cases: which.cases.clone(),
            ..Affected::default()
        };
        let rendered = render_pages(r, &cases, theme, sink)?;
        out.html_paths.extend(rendered.html_paths);
    }
    for kind in PageKind::ALL.iter().filter(|k| which.all_of(**k)) {
        let one = Affected {
            kinds: BTreeSet::from([*kind]),
            ..Affected::default()
        };
        let rendered = render_pages(r, &one, theme, sink)?;
        out.html_paths.extend(rendered.html_paths);
        if *kind != PageKind::Case {
            out.files.insert(*kind, rendered.files);
        }
    }
    Ok(out)
}

/// The files under `files/` the page of case `c` uses (its photos shown at D that were prepared,
/// and files its summary links to); none when the case has no page in this build. The same files
/// the page's rendering records, found without rendering it.
pub fn case_files(r: &Renderer, c: &Case) -> Vec<String> {
    if !r.published(c) {
        return Vec::new();
    }
    let mut files: Vec<String> = super::photoviews::case_photos(c, r.d)
        .filter(|p| r.photos.get(&p.file).is_some())
        .map(|p| p.file.clone())
        .collect();
    if let Some(summary) = c.summary.as_deref().filter(|s| s.contains("files/")) {
        super::markdown::render(summary, "../", &mut files);
    }
    files
}

/// Every file under `files/` the site's pages use: the case pages' (found case by case) and each
/// other kind's, from `kinds`.
pub fn used_files<'k>(
    r: &Renderer,
    kinds: impl IntoIterator<Item = &'k Vec<String>>,
) -> BTreeSet<String> {
    use rayon::prelude::*;
    let mut used: BTreeSet<String> = r
        .site
        .cases
        .par_iter()
        .flat_map_iter(|c| case_files(r, c))
        .collect::<Vec<_>>()
        .into_iter()
        .collect();
    for files in kinds {
        used.extend(files.iter().cloned());
    }
    used
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::photo;
    use crate::render::{Profile, Templates};

    /// Rendering kind by kind emits what one whole render emits, and the files found case by case
    /// plus each kind's are exactly the files the whole render used.
    #[test]
    fn kind_by_kind_matches_a_whole_render() {
        let content =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/small/content");
        let sources = crate::load::load(&content).unwrap();
        let (site, _) = crate::validate::validate(&sources).unwrap();
        let d = crate::report::as_of(&site, None);
        let theme = Theme::load(&content, &site.config.theme).unwrap();
        let photos = photo::prepare(&content, &photo::referenced(&site), None).unwrap_or_default();
        let templates = Templates::compile(&theme, site.config.lang).unwrap();
        let whole_r = Renderer::with(&site, d, Profile::Public, templates.clone(), true, &photos);
        let mut whole = BTreeMap::new();
        let rendered = render_pages(&whole_r, &Affected::everything(), &theme, &mut |p| {
            whole.extend(p.into_iter().map(|p| (p.path, p.bytes)));
            Ok(())
        })
        .unwrap();
        let r = Renderer::with(&site, d, Profile::Public, templates, true, &photos);
        let mut parts = BTreeMap::new();
        let by = by_kind(&r, &Affected::everything(), &theme, &mut |p| {
            parts.extend(p.into_iter().map(|p| (p.path, p.bytes)));
            Ok(())
        })
        .unwrap();
        assert_eq!(parts, whole);
        let used = used_files(&r, by.files.values());
        assert!(!used.is_empty());
        assert_eq!(used, rendered.files.into_iter().collect());
    }
}
