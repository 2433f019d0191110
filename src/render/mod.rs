//! Render: the site model and its figures into pages, through the theme's Tera templates.

mod chartviews;
mod data;
pub use data::rows::RowIndex;
pub mod deps;
mod docx;
mod lists;
pub mod markdown;
mod pages;
pub mod partial;
mod photoviews;
mod rivers;
mod search;
pub mod theme;
mod views;

use crate::model::{Case, Date, Site};
use crate::photo::Photos;
use crate::report::{Briefing, Summary};
use anyhow::{Result, anyhow};
pub use data::xml_escape;
use deps::{Affected, PageKind};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::sync::Mutex;
use tera::{Context, Tera};
use theme::Theme;

/// Whether private data is published.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Profile {
    #[default]
    Public,
    Internal,
}

/// One output file: its path relative to the output folder, and its bytes.
#[derive(Debug, Clone)]
pub struct Page {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// Everything rendering needs, built once and read-only while pages render.
pub struct Renderer<'a> {
    pub site: &'a Site,
    pub d: Date,
    pub profile: Profile,
    pub summary: Summary,
    /// Every month's briefing up to D, computed once for the briefing pages, their index and ranks.
    pub briefings: Vec<Briefing>,
    /// The photos and covers as published (sizes, dates), prepared before rendering.
    pub photos: &'a Photos,
    tera: Tera,
    strings: BTreeMap<String, String>,
    /// Files under `files/` that published pages refer to; only these are copied.
    used_files: Mutex<Vec<String>>,
    /// The per-street progress chart, drawn on first use.
    streets_chart: std::sync::OnceLock<chartviews::ChartView>,
    /// Standalone copies of the charts drawn, by id.
    charts: Mutex<BTreeMap<String, String>>,
    /// The kinds of page each template rendered (see [`deps::theme_affected`]).
    templates_used: Mutex<deps::TemplateUse>,
    /// Keys of the pages that can be left as the last build wrote them (see [`PageKeys`]).
    keys: Option<PageKeys>,
    /// Where lists.xlsx keeps its deflated chunks between builds (see `Renderer::keep_list_chunks`).
    lists_store: Option<std::path::PathBuf>,
    /// Where each case's row lies in the data files, last build's and this one's (see
    /// `Renderer::track_rows`).
    rows: Option<data::rows::Tracked>,
}

/// A hash of everything a page is rendered from besides the templates and the site-wide values.
pub type PageKey = [u8; 32];

/// Pages an incremental build may leave as the last build wrote them. Some kinds of page that read
/// every case (the case list's 2,000 pages at 100,000 cases) compute a key from the values they
/// are rendered from; a page whose key equals the last build's is not rendered again. The keys
/// are sound only while the templates, the site-wide values (site, D, the theme's words) and the
/// executable are the same: a change to any of them is a full build, which renders every page.
#[derive(Default)]
struct PageKeys {
    /// The last build's keys (empty in a full build).
    old: BTreeMap<String, PageKey>,
    new: Mutex<BTreeMap<String, PageKey>>,
    /// Pages not rendered because their key did not change.
    kept: Mutex<Vec<String>>,
}

/// A theme's templates compiled and its words read for one language: made once per theme and
/// reused by every render of it (`serve` renders many times with the same theme).
#[derive(Clone)]
pub struct Templates {
    tera: Tera,
    strings: BTreeMap<String, String>,
}

impl Templates {
    pub fn compile(theme: &Theme, lang: crate::lang::Lang) -> Result<Templates> {
        let mut tera = Tera::new();
        let templates: Vec<(String, String)> = theme
            .templates()
            .map(|(name, bytes)| {
                (
                    name.to_string(),
                    String::from_utf8_lossy(bytes).into_owned(),
                )
            })
            .collect();
        tera.add_raw_templates(templates.iter().map(|(n, t)| (n.as_str(), t.as_str())))
            .map_err(|e| anyhow!("theme template error: {e}"))?;
        tera.autoescape_on(vec![".html", ".xml", ""]);
        let strings = theme.strings(lang)?;
        Ok(Templates { tera, strings })
    }
}

impl<'a> Renderer<'a> {
    pub fn new(
        site: &'a Site,
        d: Date,
        profile: Profile,
        theme: &Theme,
        photos: &'a Photos,
    ) -> Result<Renderer<'a>> {
        let templates = Templates::compile(theme, site.config.lang)?;
        Ok(Renderer::with(site, d, profile, templates, true, photos))
    }

    /// A renderer from compiled templates. Without `briefings`, the monthly briefings (the costly
    /// part of the figures) are left out: enough for case pages, which do not show them, and
    /// what `serve` uses to show an edited case first.
    pub fn with(
        site: &'a Site,
        d: Date,
        profile: Profile,
        templates: Templates,
        briefings_too: bool,
        photos: &'a Photos,
    ) -> Renderer<'a> {
        let Templates { tera, strings } = templates;
        // What the figures group each case by, once for the summary and every month's briefing.
        let groups = crate::report::Groups::of(site);
        let mut r = Renderer {
            site,
            d,
            profile,
            summary: {
                let _t = crate::timings::phase("figures: summary");
                crate::report::figures_at(site, d, &groups, true)
            },
            briefings: if briefings_too {
                let _t = crate::timings::phase("figures: briefings");
                crate::report::briefings_grouped(site, d, &groups)
            } else {
                Vec::new()
            },
            photos,
            tera,
            strings,
            used_files: Mutex::new(Vec::new()),
            streets_chart: std::sync::OnceLock::new(),
            charts: Mutex::new(BTreeMap::new()),
            templates_used: Mutex::new(deps::TemplateUse::new()),
            keys: None,
            lists_store: None,
            rows: None,
        };
        // Shared by every page: converted to template values once, not once per page.
        let site_view = r.site_view();
        r.tera.global_context().insert("site", &site_view);
        r.tera.global_context().insert("t", &r.strings);
        r
    }

    /// Records the pages' keys (see [`PageKeys`]); with the last build's keys, the pages whose
    /// key did not change are not rendered again (they are listed by [`Renderer::kept`]).
    pub fn track_keys(&mut self, old: BTreeMap<String, PageKey>) {
        self.keys = Some(PageKeys {
            old,
            ..PageKeys::default()
        });
    }

    /// Whether the page at `path` can stay as the last build wrote it: its key, made by `key`
    /// only when keys are tracked, is the last build's. Records the key either way.
    pub(crate) fn unchanged(&self, path: &str, key: impl FnOnce(&mut blake3::Hasher)) -> bool {
        let Some(keys) = &self.keys else {
            return false;
        };
        let mut h = blake3::Hasher::new();
        h.update(path.as_bytes());
        h.update(b"\0");
        key(&mut h);
        let key = *h.finalize().as_bytes();
        if let Ok(mut new) = keys.new.lock() {
            new.insert(path.to_string(), key);
        }
        let same = keys.old.get(path) == Some(&key);
        if same && let Ok(mut kept) = keys.kept.lock() {
            kept.push(path.to_string());
        }
        same
    }

    /// The keys recorded in this build, by page.
    pub fn page_keys(&self) -> BTreeMap<String, PageKey> {
        self.keys
            .as_ref()
            .and_then(|k| k.new.lock().ok().map(|m| m.clone()))
            .unwrap_or_default()
    }

    /// The pages left as the last build wrote them.
    pub fn kept(&self) -> Vec<String> {
        self.keys
            .as_ref()
            .and_then(|k| k.kept.lock().ok().map(|v| v.clone()))
            .unwrap_or_default()
    }

    /// Whether this case has a page and rows of its own in this build.
    pub fn published(&self, case: &Case) -> bool {
        case.found <= self.d && (case.publish || self.profile == Profile::Internal)
    }

    /// How many of `cases` exist at D but have no page or row of their own in this build.
    pub fn unpublished<'c>(&self, cases: impl Iterator<Item = &'c Case>) -> usize {
        cases
            .filter(|c| c.found <= self.d && !self.published(c))
            .count()
    }

    /// A list's count in words, with the note on unpublished cases when there are some:
    /// 共196个；另有4个场所按规定不公开，已计入统计.
    pub fn count_text(&self, shown: usize, hidden: usize) -> String {
        let mut text = self.t("list_count").replace("{n}", &shown.to_string());
        if hidden > 0 {
            text.push_str(&self.t("list_sep"));
            text.push_str(
                &self
                    .t("list_unpublished")
                    .replace("{n}", &hidden.to_string()),
            );
        }
        text
    }

    pub fn internal(&self) -> bool {
        self.profile == Profile::Internal
    }

    /// Renders `template` for the page at `path`, with the shared context and `extra`.
    pub fn page(&self, path: &str, template: &str, title: &str, extra: Value) -> Result<Page> {
        let values = match extra {
            Value::Object(map) => map
                .into_iter()
                .map(|(k, v)| (k, tera::Value::from_serializable(&v)))
                .collect(),
            _ => Vec::new(),
        };
        self.page_with(path, template, title, values)
    }

    /// `page`, unless the page can stay as the last build wrote it: its template, title and values
    /// are the last build's (see [`PageKeys`]; a page made from `extra` alone besides what every
    /// page shares).
    pub fn page_keyed(
        &self,
        path: &str,
        template: &str,
        title: &str,
        extra: Value,
    ) -> Result<Option<Page>> {
        let same = self.unchanged(path, |h| {
            for part in [template, title] {
                h.update(&(part.len() as u64).to_le_bytes());
                h.update(part.as_bytes());
            }
            // Serialised straight into the hash: no copy of the values is made for it.
            let _ = serde_json::to_writer(h, &extra);
        });
        if same {
            return Ok(None);
        }
        self.page(path, template, title, extra).map(Some)
    }

    /// `page` with template values made beforehand: many pages that share a large value (the case
    /// list's filters and pager) convert it once and each page clones it cheaply.
    pub fn page_with(
        &self,
        path: &str,
        template: &str,
        title: &str,
        values: Vec<(String, tera::Value)>,
    ) -> Result<Page> {
        let root = "../".repeat(path.matches('/').count());
        let mut ctx = Context::new();
        ctx.insert("root", &root);
        ctx.insert("page", &json!({ "path": path, "title": title }));
        for (k, v) in values {
            ctx.insert_value(k, v);
        }
        self.used_template(template, path);
        let html = self
            .tera
            .render(template, &ctx)
            .map_err(|e| anyhow!("rendering {path} with {template}: {e}"))?;
        Ok(Page {
            path: path.to_string(),
            bytes: html.into_bytes(),
        })
    }

    fn site_view(&self) -> Value {
        let c = &self.site.config;
        json!({
            "title": c.title,
            "subtitle": c.subtitle,
            "lang": c.lang.code(),
            "hotline": c.hotline,
            "office": c.office,
            "footer": c.footer,
            "sample_data": c.sample_data,
            "internal": self.internal(),
            "as_of": self.d.to_string(),
            "as_of_label": views::long_date(self.d, c.lang),
            "start": c.start.to_string(),
            "end": c.end.to_string(),
            "has_feed": c.base_url.is_some(),
        })
    }

    fn used_template(&self, template: &str, path: &str) {
        let kind = deps::kind_of(path);
        if let Ok(mut used) = self.templates_used.lock() {
            match used.get_mut(template) {
                Some(kinds) => {
                    kinds.insert(kind);
                }
                None => {
                    used.insert(template.to_string(), [kind].into());
                }
            }
        }
    }

    /// Markdown to safe HTML for a page at `root`, remembering the files it links to.
    pub fn markdown(&self, text: &str, root: &str) -> String {
        let mut used = Vec::new();
        let html = markdown::render(text, root, &mut used);
        self.use_files(used);
        html
    }

    pub fn use_files(&self, files: impl IntoIterator<Item = String>) {
        if let Ok(mut used) = self.used_files.lock() {
            used.extend(files);
        }
    }

    /// The site's word for `key`, or the key itself.
    pub fn t(&self, key: &str) -> String {
        self.strings
            .get(key)
            .cloned()
            .unwrap_or_else(|| key.to_string())
    }

    pub fn lang(&self) -> crate::lang::Lang {
        self.site.config.lang
    }
}

/// What a render produced besides the pages it emitted.
pub struct Rendered {
    /// Content files (under `files/`) that published pages refer to, sorted.
    pub files: Vec<String>,
    /// How many HTML pages and how many files in all were emitted.
    pub html: usize,
    pub total: usize,
    /// The HTML pages emitted, home first, then in path order.
    pub html_paths: Vec<String>,
    /// The kinds of page each template rendered.
    pub templates: deps::TemplateUse,
}

/// Renders every page and data file of the site at D and hands them to `sink` in batches.
pub fn render(
    site: &Site,
    d: Date,
    profile: Profile,
    theme: &Theme,
    photos: &Photos,
    sink: &mut dyn FnMut(Vec<Page>) -> Result<()>,
) -> Result<Rendered> {
    let r = Renderer::new(site, d, profile, theme, photos)?;
    let mut rendered = render_pages(&r, &Affected::everything(), theme, sink)?;
    if let Some(map) = sitemap(site, &rendered.html_paths) {
        sink(vec![map])?;
        rendered.total += 1;
    }
    Ok(rendered)
}

/// Renders the pages `which` selects (see [`deps`]) with a renderer made once, for callers that
/// redo part of a site (`serve`); `render` is this with every page, plus the sitemap.
pub fn render_pages(
    r: &Renderer,
    which: &Affected,
    theme: &Theme,
    sink: &mut dyn FnMut(Vec<Page>) -> Result<()>,
) -> Result<Rendered> {
    let mut html_paths: Vec<String> = Vec::new();
    let mut total = 0;
    let mut emit = |pages: Vec<Page>| -> Result<()> {
        html_paths.extend(
            pages
                .iter()
                .filter(|p| p.path.ends_with(".html"))
                .map(|p| p.path.clone()),
        );
        total += pages.len();
        sink(pages)
    };
    pages::selected(r, which, &mut emit)?;
    let _data = crate::timings::phase("data files");
    if which.all_of(PageKind::Data) {
        data::all(r, &mut emit)?;
    }
    let mut rest = Vec::new();
    if which.all_of(PageKind::Assets) {
        for (name, bytes) in theme.statics() {
            rest.push(Page {
                path: format!("assets/{name}"),
                bytes: bytes.to_vec(),
            });
        }
    }
    drop(_data);
    let charts = r
        .charts
        .lock()
        .map(|mut c| std::mem::take(&mut *c))
        .unwrap_or_default();
    for (id, svg) in charts {
        rest.push(Page {
            path: format!("charts/{id}.svg"),
            bytes: svg.into_bytes(),
        });
    }
    emit(rest)?;
    let _ = emit;
    // The home page first, then every page in path order.
    html_paths.sort_by(|a, b| (a != "index.html", a).cmp(&(b != "index.html", b)));
    let mut files = r
        .used_files
        .lock()
        .map(|mut f| std::mem::take(&mut *f))
        .unwrap_or_default();
    files.sort();
    files.dedup();
    let templates = r
        .templates_used
        .lock()
        .map(|mut t| std::mem::take(&mut *t))
        .unwrap_or_default();
    Ok(Rendered {
        templates,
        files,
        html: html_paths.len(),
        total,
        html_paths,
    })
}

/// `sitemap.xml` listing `html_paths` (home first), when the site has a `base_url`.
pub fn sitemap(site: &Site, html_paths: &[String]) -> Option<Page> {
    let base = site.config.base_url.as_ref()?;
    let mut paths = html_paths.to_vec();
    paths.sort_by(|a, b| (a != "index.html", a).cmp(&(b != "index.html", b)));
    Some(data::sitemap(base, &paths))
}
