//! The theme: Tera templates, static files and the site's own words. The default theme is compiled
//! into the binary; a site's `themes/<name>/` beside its content folder overrides it file by file.

use anyhow::{Context, Result};
use std::collections::BTreeMap;
use std::path::Path;

macro_rules! embed {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_bytes!(concat!("../../themes/default/", $path)) as &[u8])),*]
    };
}

/// Every file of the built-in theme, by path inside the theme folder.
const BUILT_IN: &[(&str, &[u8])] = embed!(
    "strings.yaml",
    "static/style.css",
    "static/site.js",
    "templates/base.html",
    "templates/index.html",
    "templates/plan.html",
    "templates/tasks.html",
    "templates/task.html",
    "templates/unit.html",
    "templates/streets.html",
    "templates/street.html",
    "templates/cases.html",
    "templates/case.html",
    "templates/watchlist.html",
    "templates/briefings.html",
    "templates/briefing.html",
    "templates/notes.html",
    "templates/note.html",
    "templates/publicity.html",
    "templates/publicity_item.html",
    "templates/404.html",
    "templates/case_table.html",
    "templates/chart.html",
    "templates/figures.html",
    "templates/doc_list.html",
    "templates/owner_list.html",
    "templates/task_roles.html",
    "templates/case_table_capped.html",
    "templates/briefing_cases.html",
    "templates/rivers.html",
    "templates/search.html",
    "static/search.js",
);

/// A theme resolved to its files: built-in ones, replaced by the site's where it has them.
pub struct Theme {
    pub files: BTreeMap<String, Vec<u8>>,
}

impl Theme {
    /// The built-in theme overlaid with `themes/<name>/` beside `content_dir`, when that exists.
    pub fn load(content_dir: &Path, name: &str) -> Result<Theme> {
        let mut files: BTreeMap<String, Vec<u8>> = BUILT_IN
            .iter()
            .map(|(p, b)| (p.to_string(), b.to_vec()))
            .collect();
        let dir = content_dir
            .parent()
            .unwrap_or(Path::new("."))
            .join("themes")
            .join(name);
        if dir.is_dir() {
            for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
                let entry =
                    entry.with_context(|| format!("cannot read the theme {}", dir.display()))?;
                if !entry.file_type().is_file() {
                    continue;
                }
                let rel = entry.path().strip_prefix(&dir).unwrap_or(entry.path());
                let rel = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/");
                let bytes = std::fs::read(entry.path())
                    .with_context(|| format!("cannot read {}", entry.path().display()))?;
                files.insert(rel, bytes);
            }
        } else {
            anyhow::ensure!(
                name == "default",
                "the theme `{name}` does not exist: expected the folder {}",
                dir.display()
            );
        }
        Ok(Theme { files })
    }

    /// Templates, by name relative to `templates/`.
    pub fn templates(&self) -> impl Iterator<Item = (&str, &[u8])> {
        self.files
            .iter()
            .filter_map(|(p, b)| p.strip_prefix("templates/").map(|n| (n, b.as_slice())))
    }

    /// Static files, by path relative to `static/`.
    pub fn statics(&self) -> impl Iterator<Item = (&str, &[u8])> {
        self.files
            .iter()
            .filter_map(|(p, b)| p.strip_prefix("static/").map(|n| (n, b.as_slice())))
    }

    /// The site's words in `lang`: `strings.yaml` maps each key to `{zh-CN: …, en: …}`.
    pub fn strings(&self, lang: crate::lang::Lang) -> Result<BTreeMap<String, String>> {
        let bytes = self
            .files
            .get("strings.yaml")
            .map(Vec::as_slice)
            .unwrap_or_default();
        let text = std::str::from_utf8(bytes).context("the theme's strings.yaml is not UTF-8")?;
        let all: BTreeMap<String, BTreeMap<String, String>> = serde_saphyr::from_str(text)
            .map_err(|e| anyhow::anyhow!("the theme's strings.yaml: {e}"))?;
        Ok(all
            .into_iter()
            .map(|(k, v)| {
                let s = v
                    .get(lang.code())
                    .or_else(|| v.get("zh-CN"))
                    .cloned()
                    .unwrap_or_default();
                (k, s)
            })
            .collect())
    }
}
