//! The incremental pipeline behind `serve`: the sources, the case files already parsed, the last
//! good site and its theme stay in memory; a change re-reads only the changed files, validates
//! again (reusing unchanged case files, and re-checking only the references of the others when
//! `organisation.yaml` or `tasks.yaml` changed), and renders only the pages `render::deps` says read
//! what changed — one step at a time (see `plan`), the pages browsers are waiting for first. While
//! it runs, the store holds back every page it may change (see `store`).

use super::inject;
use super::plan::{Plan, Step};
use super::store::{Publish, Store, Suspect};
use super::watch::Batch;
use crate::cmd::{Failure, as_of, message_lang};
use crate::diag::Diagnostic;
use crate::lang::Lang;
use crate::load::{Sources, load, refresh};
use crate::model::{Date, Site};
use crate::photo::{self, Photos};
use crate::render::deps::{Affected, Input, PageKind, TemplateUse, affected, theme_affected};
use crate::render::theme::Theme;
use crate::render::{Page, Profile, Renderer, Templates, render_pages, sitemap};
use crate::timings::phase;
use crate::validate::{CaseMemo, case_alone, validate_memo};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Called with each rendering step before it is taken.
pub type StepHook = Box<dyn FnMut(&Step) + Send>;

/// The last site that validated, with what it was rendered with.
struct Good {
    site: Site,
    d: Date,
    /// The photos and covers as published (encoded once, then from the photo cache).
    photos: Photos,
    /// The content paths `photos` was prepared for.
    photo_files: Vec<String>,
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
    /// The kind of page that draws each chart (its path does not say).
    owners: HashMap<String, PageKind>,
    /// The kinds of page each template rendered, over every render so far.
    template_use: TemplateUse,
    /// Called before each rendering step (tests pause here to send requests mid-update).
    pub on_step: Option<StepHook>,
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
            owners: HashMap::new(),
            template_use: TemplateUse::new(),
            on_step: None,
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
    /// errors are kept and rendered with the first batch that validates. Until it returns, the
    /// store holds back requests for pages it may change.
    pub fn update(&mut self, batch: Batch, store: &Store) {
        let started = Instant::now();
        store.begin();
        self.update_in(batch, store, started);
        store.end();
    }

    fn update_in(&mut self, batch: Batch, store: &Store, started: Instant) {
        let rescan = self.read_changes(&batch);
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
        let validated = {
            let _t = phase("serve: validate");
            validate_memo(&self.sources, &mut self.memo)
        };
        let (site, warnings) = match validated {
            Ok(ok) => ok,
            Err(diags) => return self.fail(&diags, store),
        };
        self.print_warnings(warnings, site.config.lang);
        let d = match as_of(&site, self.flag) {
            Ok(d) => d,
            Err(Failure::Usage(m)) => return self.fail_text(&m, store),
            Err(other) => return self.fail_text(&format!("{other:?}"), store),
        };
        let inputs = match &self.good {
            Some(g) if g.site.config.theme == site.config.theme && !self.pending.rescan => {
                changed_inputs(&self.pending.content, &g.site, &site, g.d, d)
            }
            _ => vec![Input::Theme],
        };
        let files_changed =
            self.pending.rescan || self.pending.content.iter().any(|r| r.starts_with("files/"));
        let (good, photos_same, theme_edit) = match self.next_good(site, d, files_changed) {
            Ok(g) => g,
            Err(e) => return self.fail_text(&format!("{e:#}"), store),
        };
        let mut which = affected(&inputs);
        if let Some(edit) = theme_edit {
            which = union(which, edit);
        }
        store.narrow(suspect(&which, photos_same));
        let result = self.render(&good, &which, store, photos_same);
        self.good = Some(good);
        match result {
            Ok(()) => {
                self.pending = Batch::default();
                self.report(store, started);
            }
            // Rendered nothing of this site: the next update renders every page.
            Err(e) => {
                self.pending.rescan = true;
                self.fail_text(&format!("{e:#}"), store)
            }
        }
    }

    /// Reads the changed files again; `true` when the whole folder must be read again instead.
    fn read_changes(&mut self, batch: &Batch) -> bool {
        let _t = phase("serve: read changes");
        let mut rescan = batch.rescan;
        for rel in &batch.content {
            match refresh(&self.content, &mut self.sources, rel) {
                Ok(true) => {}
                Ok(false) | Err(_) => rescan = true,
            }
        }
        rescan
    }

    /// Whether the theme must be read again: a theme file changed, or the site names another.
    fn theme_changed(&self, site: &Site, old: &Good) -> bool {
        self.pending.theme || old.site.config.theme != site.config.theme
    }

    /// The new site with its theme, templates and photos, taking from the last good site what did
    /// not change (which stays the last good site when the theme fails); with whether the photos
    /// are the last good site's, byte for byte, and the pages an edit of its theme touches.
    fn next_good(
        &mut self,
        site: Site,
        d: Date,
        files_changed: bool,
    ) -> anyhow::Result<(Good, bool, Option<Affected>)> {
        let lang = site.config.lang;
        let old = self.good.as_ref();
        let new_theme = match old {
            Some(g) if !self.theme_changed(&site, g) => None,
            _ => {
                let _t = phase("serve: theme");
                Some(Theme::load(&self.content, &site.config.theme)?)
            }
        };
        let new_templates = match (&new_theme, old) {
            (None, Some(g)) if g.templates_lang == lang => None,
            _ => {
                let _t = phase("serve: templates");
                let theme = new_theme.as_ref().or(old.map(|g| &g.theme));
                let theme = theme.ok_or_else(|| anyhow::anyhow!("no theme"))?;
                Some(Templates::compile(theme, lang)?)
            }
        };
        let photo_files = photo::referenced(&site);
        let old = self.good.take();
        let theme_edit = match (&new_theme, &old) {
            (Some(new), Some(g)) => Some(theme_affected(&g.theme, new, &self.template_use)),
            _ => None,
        };
        let (theme, templates, photos) = match old {
            Some(g) => {
                let photos = (!files_changed && g.photo_files == photo_files).then_some(g.photos);
                let theme = new_theme.unwrap_or(g.theme);
                (theme, new_templates.unwrap_or(g.templates), photos)
            }
            None => match (new_theme, new_templates) {
                (Some(theme), Some(templates)) => (theme, templates, None),
                _ => anyhow::bail!("no theme"),
            },
        };
        let photos_same = photos.is_some();
        let photos = photos.unwrap_or_else(|| {
            let _t = phase("serve: photos");
            prepare_photos(&self.content, &site)
        });
        let good = Good {
            site,
            d,
            photos,
            photo_files,
            theme,
            templates,
            templates_lang: lang,
        };
        Ok((good, photos_same, theme_edit))
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
        if let Ok(out) = collect(&r, &which, &good.theme, None) {
            store.publish(Publish {
                pages: out.pages,
                files: out.files,
                preview: true,
                ..Publish::default()
            });
        }
    }

    /// Renders and publishes what `which` names, one step at a time (see [`Plan`]): the pages
    /// requested meanwhile first. With every page rendered, what was not rendered again is dropped.
    fn render(
        &mut self,
        good: &Good,
        which: &Affected,
        store: &Store,
        photos_same: bool,
    ) -> anyhow::Result<()> {
        let _t = phase("serve: render");
        let r = Renderer::with(
            &good.site,
            good.d,
            self.profile,
            good.templates.clone(),
            true,
            &good.photos,
        );
        let published: Vec<String> = good
            .site
            .cases
            .iter()
            .filter(|c| r.published(c))
            .map(|c| c.id.clone())
            .collect();
        if !which.everything {
            drop_gone_cases(which, &published, store);
        }
        let mut plan = Plan::new(which, &published);
        let mut produced: HashSet<String> = HashSet::new();
        let mut files = Vec::new();
        let mut html = Vec::new();
        loop {
            plan.want(store.wanted());
            let Some(step) = plan.next(&self.owners) else {
                break;
            };
            if let Some(hook) = self.on_step.as_mut() {
                hook(&step);
            }
            let held = photos_same.then_some(store);
            let mut out = collect(&r, &step.affected(), &good.theme, held)?;
            if let Step::Kind(kind) = step {
                for page in out.pages.iter().filter(|p| p.path.starts_with("charts/")) {
                    self.owners.insert(page.path.clone(), kind);
                }
            }
            for (template, kinds) in std::mem::take(&mut out.templates) {
                self.template_use.entry(template).or_default().extend(kinds);
            }
            produced.extend(out.pages.iter().map(|p| p.path.clone()));
            produced.extend(out.photos);
            files.extend(out.files.iter().cloned());
            html.extend(out.html);
            let replace = match step {
                Step::Kind(k) if !which.everything && replaceable(k) => BTreeSet::from([k]),
                _ => BTreeSet::new(),
            };
            store.publish(Publish {
                pages: out.pages,
                replace,
                files: out.files,
                ..Publish::default()
            });
        }
        if which.all_of(PageKind::Data) {
            let paths = match which.everything {
                true => html,
                false => store.html_paths(),
            };
            let map: Vec<Page> = sitemap(&good.site, &paths).into_iter().collect();
            produced.extend(map.iter().map(|p| p.path.clone()));
            store.publish(Publish {
                pages: map,
                ..Publish::default()
            });
        }
        if which.everything {
            files.sort();
            files.dedup();
            store.keep_only(&produced, files);
        }
        // The content is good again even when nothing had to be rendered (an edit undone):
        // this clears the errors shown.
        store.publish(Publish::default());
        Ok(())
    }

    fn report(&self, store: &Store, started: Instant) {
        let Some(good) = &self.good else {
            return;
        };
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

/// The paths an update rendering `which` may change: while it runs, requests for them wait.
fn suspect(which: &Affected, photos_same: bool) -> Suspect {
    Suspect {
        all: which.everything,
        kinds: which.kinds.clone(),
        paths: which
            .cases
            .iter()
            .map(|id| format!("cases/{id}.html"))
            .collect(),
        except: photos_same.then_some("files/"),
    }
}

/// The pages of `a` and of `b`.
fn union(a: Affected, b: Affected) -> Affected {
    Affected {
        everything: a.everything || b.everything,
        cases: a.cases.into_iter().chain(b.cases).collect(),
        kinds: a.kinds.into_iter().chain(b.kinds).collect(),
    }
}

/// A case that is gone, or no longer published, loses its page.
fn drop_gone_cases(which: &Affected, published: &[String], store: &Store) {
    let published: HashSet<&String> = published.iter().collect();
    let remove: Vec<String> = which
        .cases
        .iter()
        .filter(|id| !published.contains(id))
        .map(|id| format!("cases/{id}.html"))
        .collect();
    if !remove.is_empty() {
        store.publish(Publish {
            remove,
            ..Publish::default()
        });
    }
}

/// What one rendering step made.
struct Collected {
    pages: Vec<Page>,
    /// Content files under `files/` the pages refer to (photos excluded).
    files: Vec<String>,
    /// The HTML pages among `pages`.
    html: Vec<String>,
    /// The published sizes of the photos the pages show (in `pages` only when read).
    photos: Vec<String>,
    /// The kinds of page each template rendered.
    templates: TemplateUse,
}

/// Renders `which` into memory. The photos the pages show are read from the photo cache, except
/// those `held` already holds (given when the photos did not change since they were put there).
fn collect(
    r: &Renderer,
    which: &Affected,
    theme: &Theme,
    held: Option<&Store>,
) -> anyhow::Result<Collected> {
    let mut pages = Vec::new();
    let rendered = render_pages(r, which, theme, &mut |batch| {
        pages.extend(batch);
        Ok(())
    })?;
    let mut files = rendered.files;
    let photos: Vec<String> = files
        .iter()
        .filter_map(|f| r.photos.get(f))
        .flat_map(|p| [p.display.path.clone(), p.thumb.path.clone()])
        .collect();
    // Photos are served as published (their encoded sizes), never as the files in the content.
    let to_read: Vec<String> = match held {
        Some(store) => files
            .iter()
            .filter(|f| {
                r.photos
                    .get(f)
                    .is_some_and(|p| !store.has(&p.display.path) || !store.has(&p.thumb.path))
            })
            .cloned()
            .collect(),
        None => files.clone(),
    };
    for batch in r.photos.pages(&to_read, 64) {
        pages.extend(batch?);
    }
    files.retain(|f| !r.photos.contains(f));
    Ok(Collected {
        pages,
        files,
        html: rendered.html_paths,
        photos,
        templates: rendered.templates,
    })
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
        /// A file of the site's own copy of the default theme: the built-in one with a change.
        Theme(&'static str, &'static str, &'static str),
    }

    /// The theme file `rel` as the site's own theme holds it, or as built in.
    fn theme_file(content: &Path, rel: &str) -> String {
        let own = content.parent().unwrap().join("themes/default").join(rel);
        let built_in = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("themes/default")
            .join(rel);
        std::fs::read_to_string(&own)
            .or_else(|_| std::fs::read_to_string(built_in))
            .unwrap()
    }

    /// The batch the watcher hands on after `edit`.
    fn batch_of(content: &Path, edit: &Edit) -> Batch {
        match edit {
            Edit::Theme(rel, from, to) => {
                let text = theme_file(content, rel);
                assert!(text.contains(from), "{rel} lacks {from:?}");
                let own = content.parent().unwrap().join("themes/default").join(rel);
                std::fs::create_dir_all(own.parent().unwrap()).unwrap();
                std::fs::write(own, text.replacen(from, to, 1)).unwrap();
                Batch {
                    theme: true,
                    ..Batch::default()
                }
            }
            _ => Batch {
                content: vec![apply(content, edit)],
                ..Batch::default()
            },
        }
    }

    fn apply(content: &Path, edit: &Edit) -> String {
        match edit {
            Edit::Theme(..) => unreachable!("theme edits are not content"),
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
    const T5: &str = "cases/baiyun/T-005.yaml";
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
            // A street renamed: its name is on every page of its cases.
            (
                Edit::Replace(T5, "street: 白云街道", "street: baiyun"),
                true,
            ),
            (
                Edit::Replace("organisation.yaml", "name: 白云街道", "name: 白云路街道"),
                true,
            ),
            (
                Edit::Replace("organisation.yaml", "- id: huale\n", "- id: huale2\n"),
                true,
            ),
            // Templates: the case page's own, and the base every page extends.
            (
                Edit::Theme("templates/case.html", "</", "<!-- 改 --></"),
                true,
            ),
            (
                Edit::Theme("templates/base.html", "</", "<!-- 改 --></"),
                true,
            ),
            // A broken template keeps the last good pages, with the error shown.
            (
                Edit::Theme("templates/case.html", "{%", "{% nonsense"),
                false,
            ),
            (
                Edit::Theme("templates/case.html", "{% nonsense", "{%"),
                true,
            ),
        ];
        for (i, (edit, valid)) in edits.iter().enumerate() {
            let batch = batch_of(&content, edit);
            let rel = format!("{:?}", (&batch.content, batch.theme));
            engine.update(batch, &store);
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

    /// Requests that arrive while an update renders wait for their pages and get the new bytes;
    /// the engine renders them before the pages in line ahead of them.
    #[test]
    fn a_request_during_an_update_gets_the_new_bytes_first() {
        use std::sync::{Arc, Mutex, mpsc};
        let (_dir, content) = fixture();
        apply(
            &content,
            &Edit::Replace(T5, "street: 白云街道", "street: baiyun"),
        );
        let store = Arc::new(Store::default());
        let mut engine = Engine::new(&content, None, Profile::Public).unwrap();
        engine.build_all(&store);
        let old = store.snapshot();
        // The street's name is on its cases' pages, its own page and the data files.
        let edit = Edit::Replace("organisation.yaml", "name: 白云街道", "name: 白云路街道");
        let batch = batch_of(&content, &edit);
        let want = clean_build(&content);
        let (paused, resume) = (mpsc::channel(), mpsc::channel::<()>());
        let steps = Arc::new(Mutex::new(Vec::new()));
        let seen = steps.clone();
        let (tell, wait) = (paused.0, Mutex::new(resume.1));
        engine.on_step = Some(Box::new(move |step: &Step| {
            let mut seen = seen.lock().unwrap();
            seen.push(step.clone());
            if seen.len() == 1 {
                tell.send(()).unwrap();
                wait.lock().unwrap().recv().unwrap();
            }
        }));
        let updating = {
            let store = store.clone();
            std::thread::spawn(move || engine.update(batch, &store))
        };
        paused.1.recv().unwrap();
        let paths: [&'static str; 3] =
            ["cases/T-004.html", "data/cases.csv", "streets/baiyun.html"];
        let requests: Vec<_> = paths
            .iter()
            .map(|p| {
                let store = store.clone();
                let p: &'static str = p;
                std::thread::spawn(move || store.get_fresh(p).bytes.unwrap().to_vec())
            })
            .collect();
        let deadline = Instant::now() + std::time::Duration::from_secs(20);
        while store.waiting() < paths.len() {
            assert!(Instant::now() < deadline, "the requests never waited");
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        resume.0.send(()).unwrap();
        for (path, request) in paths.iter().zip(requests) {
            let got = request.join().unwrap();
            assert_ne!(Some(&got), old.get(*path), "{path} changed with the edit");
            assert_eq!(Some(&got), want.get(*path), "{path}: the new bytes");
        }
        updating.join().unwrap();
        assert_eq!(store.snapshot(), want);
        let steps = steps.lock().unwrap();
        let next: Vec<&Step> = steps[1..=paths.len()].iter().collect();
        for step in [
            Step::Cases(vec!["T-004".into()]),
            Step::Kind(PageKind::Data),
            Step::Kind(PageKind::Streets),
        ] {
            assert!(
                next.contains(&&step),
                "{step:?} right after the requests: {steps:?}"
            );
        }
    }

    /// An edit of the case page's template renders the case pages again and nothing else, and
    /// leaves the site as a clean build of the edited theme makes it.
    #[test]
    fn a_template_edit_renders_only_the_pages_that_use_it() {
        use std::sync::{Arc, Mutex};
        let (_dir, content) = fixture();
        let store = Store::default();
        let mut engine = Engine::new(&content, None, Profile::Public).unwrap();
        engine.build_all(&store);
        let steps = Arc::new(Mutex::new(Vec::new()));
        let seen = steps.clone();
        engine.on_step = Some(Box::new(move |step: &Step| {
            seen.lock().unwrap().push(step.clone())
        }));
        let edit = Edit::Theme("templates/case.html", "</", "<!-- 改 --></");
        engine.update(batch_of(&content, &edit), &store);
        assert_eq!(store.snapshot(), clean_build(&content));
        let steps = steps.lock().unwrap();
        assert!(!steps.is_empty());
        assert!(
            steps.iter().all(|s| matches!(s, Step::Cases(_))),
            "{steps:?}"
        );
    }
}
