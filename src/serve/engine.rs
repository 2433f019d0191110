//! The incremental pipeline behind `serve`: the sources, the case files already parsed, the last
//! good site and its theme stay in memory; a change re-reads only the changed files, validates
//! again (reusing unchanged case files), and renders only the pages `render::deps` says read what
//! changed — the edited case's page first, then the pages around it, then the heavy aggregates.

use super::inject;
use super::store::{Publish, Store};
use super::watch::Batch;
use crate::cmd::{Failure, as_of, message_lang};
use crate::diag::Diagnostic;
use crate::lang::Lang;
use crate::load::{Sources, load, refresh};
use crate::model::{Date, Site};
use crate::photo::{self, Photos};
use crate::render::deps::{Affected, Input, PageKind, affected};
use crate::render::theme::Theme;
use crate::render::{Page, Profile, Renderer, Templates, render_pages, sitemap};
use crate::validate::{CaseMemo, case_alone, validate_memo};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// The last site that validated, with what it was rendered with.
struct Good {
    site: Site,
    d: Date,
    /// The photos and covers as published (encoded once, then from the photo cache).
    photos: Photos,
    theme: Theme,
    templates: Templates,
    /// The language `templates` were compiled for (the site's words depend on it).
    templates_lang: Lang,
}

pub struct Engine {
    content: PathBuf,
    flag: Option<Date>,
    profile: Profile,
    sources: Sources,
    memo: CaseMemo,
    good: Option<Good>,
    /// The warnings printed last, so an unchanged set is not printed again after every save.
    warned: Vec<Diagnostic>,
    /// Changes not rendered yet (they met content errors).
    pending: Batch,
}

impl Engine {
    /// Reads the content folder; a folder that cannot be read is an environment failure.
    pub fn new(content: &Path, flag: Option<Date>, profile: Profile) -> Result<Engine, Failure> {
        let sources = load(content)?;
        Ok(Engine {
            content: content.to_path_buf(),
            flag,
            profile,
            sources,
            memo: CaseMemo::default(),
            good: None,
            warned: Vec::new(),
            pending: Batch::default(),
        })
    }

    /// The language messages are in: the site's, or what `site.yaml` says when it does not validate.
    pub fn lang(&self) -> Lang {
        match &self.good {
            Some(g) => g.site.config.lang,
            None => message_lang(&self.sources),
        }
    }

    /// Validates and renders everything (the first build).
    pub fn build_all(&mut self, store: &Store) {
        self.update(Batch::default(), store);
    }

    /// Brings the served site up to date with a batch of changed files. Changes that meet content
    /// errors are kept and rendered with the first batch that validates.
    pub fn update(&mut self, batch: Batch, store: &Store) {
        let started = Instant::now();
        let mut rescan = batch.rescan;
        for rel in &batch.content {
            match refresh(&self.content, &mut self.sources, rel) {
                Ok(true) => {}
                Ok(false) | Err(_) => rescan = true,
            }
        }
        if !rescan && !batch.theme {
            self.preview(&batch.content, store);
        }
        self.pending.content.extend(batch.content);
        self.pending.theme |= batch.theme;
        self.pending.rescan |= rescan;
        if rescan {
            match load(&self.content) {
                Ok(s) => self.sources = s,
                Err(e) => return self.fail_text(&format!("{e:#}"), store),
            }
        }
        let (site, warnings) = match validate_memo(&self.sources, &mut self.memo) {
            Ok(ok) => ok,
            Err(diags) => return self.fail(&diags, store),
        };
        self.print_warnings(warnings, site.config.lang);
        let d = match as_of(&site, self.flag) {
            Ok(d) => d,
            Err(Failure::Usage(m)) => return self.fail_text(&m, store),
            Err(other) => return self.fail_text(&format!("{other:?}"), store),
        };
        let theme_changed = self.pending.theme
            || self
                .good
                .as_ref()
                .is_none_or(|g| g.site.config.theme != site.config.theme);
        let new_theme = match theme_changed {
            true => match Theme::load(&self.content, &site.config.theme) {
                Ok(t) => Some(t),
                Err(e) => return self.fail_text(&format!("{e:#}"), store),
            },
            false => None,
        };
        let old = self.good.take();
        let inputs = match &old {
            Some(g) if !theme_changed && !self.pending.rescan => {
                changed_inputs(&self.pending.content, &g.site, &site, g.d, d)
            }
            _ => vec![Input::Theme],
        };
        let lang = site.config.lang;
        let (theme, templates) = match (new_theme, old) {
            (None, Some(g)) if g.templates_lang == lang => (g.theme, g.templates),
            (new_theme, old) => {
                let theme = match new_theme.or(old.map(|g| g.theme)) {
                    Some(t) => t,
                    None => match Theme::load(&self.content, &site.config.theme) {
                        Ok(t) => t,
                        Err(e) => return self.fail_text(&format!("{e:#}"), store),
                    },
                };
                match Templates::compile(&theme, lang) {
                    Ok(t) => (theme, t),
                    Err(e) => return self.fail_text(&format!("{e:#}"), store),
                }
            }
        };
        let which = affected(&inputs);
        let photos = prepare_photos(&self.content, &site);
        let good = Good {
            site,
            d,
            photos,
            theme,
            templates,
            templates_lang: lang,
        };
        let result = self.render(&good, &which, store, started);
        self.good = Some(good);
        match result {
            Ok(()) => self.pending = Batch::default(),
            // Rendered nothing of this site: the next update renders every page.
            Err(e) => {
                self.pending.rescan = true;
                self.fail_text(&format!("{e:#}"), store)
            }
        }
    }

    /// Shows edited cases at once: each changed case file checked on its own, put in the last good
    /// site, and its page rendered and published before the whole site is validated again. Skipped
    /// (the full update does it all) when a file is new, has errors, changes its case's id, or
    /// moves the date D.
    fn preview(&mut self, changed: &[String], store: &Store) {
        let Some(good) = self.good.as_mut() else {
            return;
        };
        if changed.is_empty() || !changed.iter().all(|r| r.starts_with("cases/")) {
            return;
        }
        let mut swaps = Vec::new();
        for rel in changed {
            let file = self
                .sources
                .files
                .binary_search_by(|f| f.path.as_str().cmp(rel))
                .ok()
                .map(|i| &self.sources.files[i]);
            let Some(case) = file.and_then(|f| case_alone(f, &good.site, &self.sources)) else {
                return;
            };
            let Some(i) = good.site.cases.iter().position(|c| c.path == *rel) else {
                return;
            };
            if good.site.cases[i].id != case.id {
                return;
            }
            swaps.push((i, case));
        }
        for (i, case) in &mut swaps {
            std::mem::swap(&mut good.site.cases[*i], case);
        }
        if as_of(&good.site, self.flag).ok() != Some(good.d) {
            for (i, case) in &mut swaps {
                std::mem::swap(&mut good.site.cases[*i], case);
            }
            return;
        }
        let which = Affected {
            cases: swaps
                .iter()
                .map(|(i, _)| good.site.cases[*i].id.clone())
                .collect(),
            ..Affected::default()
        };
        let r = Renderer::with(
            &good.site,
            good.d,
            self.profile,
            good.templates.clone(),
            false,
            &good.photos,
        );
        if let Ok((pages, files, _)) = collect(&r, &which, &good.theme) {
            store.publish(Publish {
                pages,
                files,
                preview: true,
                ..Publish::default()
            });
        }
    }

    /// Renders and publishes what `which` names, in three steps: the case pages that changed, the
    /// other pages, then the data files (exports, search index, lists.xlsx, sitemap).
    fn render(
        &self,
        good: &Good,
        which: &Affected,
        store: &Store,
        started: Instant,
    ) -> anyhow::Result<()> {
        let r = Renderer::with(
            &good.site,
            good.d,
            self.profile,
            good.templates.clone(),
            true,
            &good.photos,
        );
        if which.everything {
            let (mut pages, files, html) = collect(&r, which, &good.theme)?;
            pages.extend(sitemap(&good.site, &html));
            store.publish(Publish {
                pages,
                replace_all: true,
                files,
                ..Publish::default()
            });
            self.report(good, store, started);
            return Ok(());
        }
        let first = Affected {
            cases: which.cases.clone(),
            ..Affected::default()
        };
        let (pages, files, _) = collect(&r, &first, &good.theme)?;
        // A case that is gone, or no longer published, loses its page.
        let remove = which
            .cases
            .iter()
            .map(|id| format!("cases/{id}.html"))
            .filter(|p| pages.iter().all(|x| &x.path != p))
            .collect();
        store.publish(Publish {
            pages,
            remove,
            files,
            ..Publish::default()
        });
        let mut rest = which.kinds.clone();
        let mut data = BTreeSet::new();
        if rest.remove(&PageKind::Data) {
            data.insert(PageKind::Data);
        }
        for step in [rest, data] {
            if step.is_empty() {
                continue;
            }
            let these = Affected {
                kinds: step.clone(),
                ..Affected::default()
            };
            let (mut pages, files, _) = collect(&r, &these, &good.theme)?;
            if step.contains(&PageKind::Data) {
                pages.extend(sitemap(&good.site, &store.html_paths()));
            }
            store.publish(Publish {
                pages,
                replace: step.into_iter().filter(|k| replaceable(*k)).collect(),
                files,
                ..Publish::default()
            });
        }
        self.report(good, store, started);
        Ok(())
    }

    fn report(&self, good: &Good, store: &Store, started: Instant) {
        let lang = good.site.config.lang;
        eprintln!(
            "{} ({} ms, {} {}; as of {})",
            lang.pick("已更新", "updated"),
            started.elapsed().as_millis(),
            store.html_paths().len(),
            lang.pick("个页面", "pages"),
            good.d
        );
    }

    fn print_warnings(&mut self, warnings: Vec<Diagnostic>, lang: Lang) {
        if warnings != self.warned {
            crate::cmd::print_diagnostics(&warnings, &self.sources, lang);
            self.warned = warnings;
        }
    }

    /// The content has errors: print them, and show them over the last good pages.
    fn fail(&mut self, diags: &[Diagnostic], store: &Store) {
        let lang = self.lang();
        // The pages show the errors before the terminal says so: whoever reads that line and then
        // asks for a page (a person, the tests) sees them.
        store.set_errors(inject::overlay(diags, &self.sources, lang));
        crate::cmd::print_diagnostics(diags, &self.sources, lang);
        self.warned.clear();
        eprintln!("{}", last_good_line(lang, self.good.is_some()));
    }

    fn fail_text(&mut self, text: &str, store: &Store) {
        let lang = self.lang();
        store.set_errors(inject::overlay_text(text, lang));
        eprintln!("{}{text}", lang.pick("错误：", "error: "));
        eprintln!("{}", last_good_line(lang, self.good.is_some()));
    }
}

/// What the terminal says when the content has errors, in the site's language.
pub fn last_good_line(lang: Lang, have_good: bool) -> &'static str {
    match have_good {
        true => lang.pick(
            "内容有错误（见上）；继续提供上次成功生成的页面，错误同时显示在页面上。",
            "the content has errors (above); serving the last good build, with the errors shown on every page",
        ),
        false => lang.pick(
            "内容有错误（见上）；还没有成功生成过，页面上显示这些错误。改正后自动生成。",
            "the content has errors (above); nothing has been built yet, so the pages show the errors. \
             Fixing them builds the site.",
        ),
    }
}

/// Renders `which` into memory: the pages, the files they use, and the HTML paths.
fn collect(
    r: &Renderer,
    which: &Affected,
    theme: &Theme,
) -> anyhow::Result<(Vec<Page>, Vec<String>, Vec<String>)> {
    let mut pages = Vec::new();
    let rendered = render_pages(r, which, theme, &mut |batch| {
        pages.extend(batch);
        Ok(())
    })?;
    // Photos are served as published (their encoded sizes), never as the files in the content.
    for batch in r.photos.pages(&rendered.files, 64) {
        pages.extend(batch?);
    }
    let mut files = rendered.files;
    files.retain(|f| !r.photos.contains(f));
    Ok((pages, files, rendered.html_paths))
}

/// The site's photos prepared as a build prepares them (the photo cache makes this cheap after the
/// first time); a photo that cannot be decoded is left out here, and `check`/`build` name it.
fn prepare_photos(content: &std::path::Path, site: &Site) -> Photos {
    let cache = crate::cache::folder("photos", content);
    photo::prepare(content, &photo::referenced(site), cache.as_deref()).unwrap_or_default()
}

/// Kinds whose files have names that come and go with the content (list pages, notes, briefing
/// months); charts and data files share names across kinds and are never dropped by a partial step.
fn replaceable(kind: PageKind) -> bool {
    !matches!(kind, PageKind::Data | PageKind::Assets | PageKind::Case)
}

/// The inputs the changed files feed, comparing the new site with the old where the path alone does
/// not say (which case a case file holds).
fn changed_inputs(changed: &[String], old: &Site, new: &Site, old_d: Date, d: Date) -> Vec<Input> {
    let ids = |rel: &str| {
        [old, new]
            .iter()
            .filter_map(|site| site.cases.iter().find(|c| c.path == rel))
            .map(|c| c.id.clone())
            .collect()
    };
    crate::render::deps::changed_inputs(changed, ids, old_d != d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::render;
    use std::collections::BTreeMap;

    fn fixture() -> (tempfile::TempDir, PathBuf) {
        let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/small/content");
        let dir = tempfile::tempdir().unwrap();
        let to = dir.path().join("content");
        for e in walkdir::WalkDir::new(&from) {
            let e = e.unwrap();
            let dest = to.join(e.path().strip_prefix(&from).unwrap());
            if e.file_type().is_dir() {
                std::fs::create_dir_all(&dest).unwrap();
            } else {
                std::fs::copy(e.path(), &dest).unwrap();
            }
        }
        (dir, to)
    }

    /// What `rectify build` would write for `content`, by path.
    fn clean_build(content: &Path) -> BTreeMap<String, Vec<u8>> {
        let sources = load(content).unwrap();
        let (site, _) = crate::validate::validate(&sources).unwrap();
        let d = as_of(&site, None).unwrap();
        let theme = Theme::load(content, &site.config.theme).unwrap();
        let photos = super::prepare_photos(content, &site);
        let mut out = BTreeMap::new();
        let rendered = render(&site, d, Profile::Public, &theme, &photos, &mut |pages| {
            out.extend(pages.into_iter().map(|p| (p.path, p.bytes)));
            Ok(())
        })
        .unwrap();
        for batch in photos.pages(&rendered.files, 64) {
            out.extend(batch.unwrap().into_iter().map(|p| (p.path, p.bytes)));
        }
        out
    }

    enum Edit {
        Replace(&'static str, &'static str, &'static str),
        Copy(&'static str, &'static str, &'static str, &'static str),
        Delete(&'static str),
    }

    fn apply(content: &Path, edit: &Edit) -> String {
        match edit {
            Edit::Replace(rel, from, to) => {
                let path = content.join(rel);
                let text = std::fs::read_to_string(&path).unwrap();
                assert!(text.contains(from), "{rel} lacks {from:?}");
                std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
                rel.to_string()
            }
            Edit::Copy(from, to, a, b) => {
                let text = std::fs::read_to_string(content.join(from)).unwrap();
                std::fs::write(content.join(to), text.replacen(a, b, 1)).unwrap();
                to.to_string()
            }
            Edit::Delete(rel) => {
                std::fs::remove_file(content.join(rel)).unwrap();
                rel.to_string()
            }
        }
    }

    const T1: &str = "cases/dongshan/T-001.yaml";
    const T2: &str = "cases/dongshan/T-002.yaml";
    const T4: &str = "cases/baiyun/T-004.yaml";
    const NEW: &str = "cases/baiyun/T-998.yaml";

    /// A sequence of edits, each followed by an update; after each one that leaves the content
    /// valid, what serve holds must be byte for byte what a clean build writes.
    #[test]
    fn after_each_edit_serve_holds_what_a_clean_build_writes() {
        let (_dir, content) = fixture();
        let store = Store::default();
        let mut engine = Engine::new(&content, None, Profile::Public).unwrap();
        engine.build_all(&store);
        assert_eq!(store.snapshot(), clean_build(&content));
        let edits = [
            (Edit::Replace(T1, "name: ", "name: 改名"), true),
            (Edit::Replace(T1, "closed: 2022-05-20\n", ""), true),
            (Edit::Copy(T4, NEW, "id: T-004", "id: T-998"), true),
            (Edit::Replace(NEW, "name: ", "name: 新增"), true),
            (Edit::Delete(NEW), true),
            (Edit::Replace(T2, "found: 2022-", "found: 2022-13-"), false),
            (Edit::Replace(T4, "name: ", "name: 错误期间改的"), false),
            (Edit::Replace(T2, "found: 2022-13-", "found: 2022-"), true),
            (
                Edit::Replace(T2, "\nname:", "\npublish: false\nname:"),
                true,
            ),
            (
                Edit::Replace("notes/2022/2022-04-05-patrol.md", "title: ", "title: 改"),
                true,
            ),
            (
                Edit::Replace("organisation.yaml", "name: 区科工信局", "name: 区工信局"),
                true,
            ),
            (Edit::Replace("tasks.yaml", "title: ", "title: 新"), true),
            (
                Edit::Replace("plan.md", "\n\n", "\n\n改动的段落。\n\n"),
                true,
            ),
        ];
        for (i, (edit, valid)) in edits.iter().enumerate() {
            let rel = apply(&content, edit);
            engine.update(
                Batch {
                    content: vec![rel.clone()],
                    ..Batch::default()
                },
                &store,
            );
            assert_eq!(
                store.get("index.html").errors.is_none(),
                *valid,
                "edit {i} ({rel})"
            );
            if *valid {
                let want = clean_build(&content);
                let have = store.snapshot();
                let differ: Vec<&String> = want
                    .keys()
                    .chain(have.keys())
                    .filter(|k| want.get(*k) != have.get(*k))
                    .collect();
                assert!(differ.is_empty(), "edit {i} ({rel}): differs in {differ:?}");
            }
        }
    }
}
