//! `rectify build`: content → the whole site in the output folder, or nothing written at all.
//! When nothing changed since the last build into the same output, nothing is written and the
//! build prints what that build printed (see `write::cache`).

use super::{Failure, all_warnings, as_of, diagnostics_text, message_lang, print_diagnostics};
use crate::cli::{BuildArgs, ProfileArg};
use crate::diag::{Diagnostic, Kind, Span, print_human};
use crate::lang::Lang;
use crate::model::{Date, Site};
use crate::photo::{self, Photos};
use crate::render::deps::{Affected, Input, PageKind, affected, changed_inputs, kind_of};
use crate::render::{Page, Profile, Renderer, partial, sitemap, theme::Theme};
use crate::validate::validate_memo;
use crate::write::{
    self, BuildCache, Copy, Hash32, Journal, Locked, Previous, State, guard, hash_bytes,
};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

pub fn run(args: &BuildArgs) -> Result<(), Failure> {
    let _total = crate::timings::phase("build: total");
    // From here on only the real path is touched: a symlink on the way cannot redirect a delete.
    let output = guard(&args.output, &args.content)?;
    let settings = format!(
        "{}|{:?}|{:?}",
        args.content.display(),
        args.as_of,
        args.profile
    );
    let locked = write::lock(&output)?;
    let mut cache = {
        let _t = crate::timings::phase("cache: hash inputs");
        BuildCache::open(&args.content, &output, &settings)
    };
    let previous = {
        let _t = crate::timings::phase("cache: read");
        cache.as_mut().and_then(|c| c.previous(&output))
    };
    if let Some(p) = previous
        .as_ref()
        .filter(|p| p.intact && p.changed.is_empty())
    {
        eprint!("{}", p.state.report);
        eprintln!("{}", p.state.unchanged);
        return Ok(());
    }
    let preread = cache
        .as_mut()
        .map(BuildCache::take_preread)
        .unwrap_or_default();
    let _t = crate::timings::phase("build_locked");
    let built = build_locked(
        &args.content,
        locked,
        args.as_of,
        args.profile,
        previous,
        preread,
    )?;
    drop(_t);
    eprintln!("{}", built.line);
    if let Some(cache) = cache {
        let _t = crate::timings::phase("cache: store");
        cache.store(&output, built.state);
    }
    drop(built.locked);
    Ok(())
}

impl From<ProfileArg> for Profile {
    fn from(p: ProfileArg) -> Profile {
        match p {
            ProfileArg::Public => Profile::Public,
            ProfileArg::Internal => Profile::Internal,
        }
    }
}

/// Loads, validates, renders and writes; returns the line that reports what was built. Content
/// errors are printed and nothing is written.
pub fn build(
    content: &Path,
    output: &Path,
    flag: Option<Date>,
    profile: ProfileArg,
) -> Result<String, Failure> {
    let lock = write::lock(output)?;
    let built = build_locked(content, lock, flag, profile, None, Default::default())?;
    Ok(built.line)
}

/// A finished build: its closing line, what the build cache keeps of it, and the output still
/// locked.
struct Built {
    line: String,
    state: State,
    locked: Locked,
}

/// Builds the site: only the pages that read what changed when the last build's state is at hand
/// and the output is as it left it (see `incremental`), else every page into a staging folder
/// swapped in whole.
fn build_locked(
    content: &Path,
    locked: Locked,
    flag: Option<Date>,
    profile: ProfileArg,
    previous: Option<Previous>,
    preread: crate::load::Preread,
) -> Result<Built, Failure> {
    let mut previous = previous;
    // The last build's memo is decoded while the content loads.
    let memo_read = previous
        .as_mut()
        .map(|p| std::mem::take(&mut p.state.memo))
        .unwrap_or_default();
    let decoding = std::thread::spawn(move || write::memo_from(&memo_read));
    let sources = {
        let _t = crate::timings::phase("load");
        crate::load::load_with(content, preread)
    };
    let mut memo = decoding.join().unwrap_or_default();
    let sources = sources?;
    // Which case each changed case file held at the last build, before the memo learns the new
    // reads.
    let _t = crate::timings::phase("old ids");
    let old_ids: HashMap<String, String> = previous
        .iter()
        .flat_map(|p| &p.changed)
        .filter_map(|rel| Some((rel.clone(), memo.id_of(rel)?.to_string())))
        .collect();
    drop(_t);
    let validated = {
        let _t = crate::timings::phase("validate");
        validate_memo(&sources, &mut memo)
    };
    let (site, warnings) = match validated {
        Ok(ok) => ok,
        Err(diags) => {
            print_diagnostics(&diags, &sources, message_lang(&sources));
            return Err(Failure::Content);
        }
    };
    // Kept serialised (at 100,000 cases the parsed cases would otherwise be held twice), on a
    // thread of its own while the pages render.
    let memo = std::thread::spawn(move || {
        let _t = crate::timings::phase("memo: serialise");
        write::memo_bytes(&memo)
    });
    let _t = crate::timings::phase("warnings");
    let warnings = all_warnings(&site, &sources, &warnings, flag);
    let report = diagnostics_text(&warnings, &sources, site.config.lang);
    drop(_t);
    eprint!("{report}");
    // The source texts are no longer needed; at 100,000 cases they are hundreds of megabytes.
    let _t = crate::timings::phase("drop sources");
    drop(sources);
    drop(_t);
    let d = as_of(&site, flag)?;
    let _t = crate::timings::phase("theme and photos");
    let theme = Theme::load(content, &site.config.theme)?;
    let output = locked.output().to_path_buf();
    let photos = prepare_photos(content, &output, &site)?;
    drop(_t);
    let _t = crate::timings::phase("renderer");
    let mut r = Renderer::new(&site, d, profile.into(), &theme, &photos)?;
    r.keep_list_chunks(&output);
    drop(_t);
    let _t = crate::timings::phase("plan");
    let plan = previous.filter(|p| p.intact).and_then(|p| {
        let which = which_pages(&p, &old_ids, &site, d)?;
        Some((p.state, which))
    });
    drop(_t);
    let (written, mut state, locked) = match plan {
        Some((mut old, which)) => {
            r.track_keys(old.page_keys.clone());
            let old_rows = std::mem::take(&mut old.rows);
            r.track_rows(&output, old_rows, which.cases.iter().cloned());
            let _t = crate::timings::phase("incremental");
            let (written, state) = incremental(content, &locked, &r, &theme, old, &which)?;
            (written, state, locked)
        }
        None => {
            r.track_keys(BTreeMap::new());
            r.track_rows(&output, BTreeMap::new(), []);
            full(content, locked, &r, &theme)?
        }
    };
    let (from, to) = (content.display(), output.display());
    let photos = photo_summary(site.config.lang, &photos);
    let w = warnings.len();
    let line = match (site.config.lang, written) {
        (Lang::Zh, Written::Full { html, files }) => format!(
            "已生成 {from} → {to}（{html} 个页面，{files} 个文件；{photos}；统计日期 {d}；{w} 个警告）"
        ),
        (Lang::En, Written::Full { html, files }) => format!(
            "built {from} → {to} ({html} pages, {files} files; {photos}; as of {d}; {w} warnings)"
        ),
        (Lang::Zh, Written::Partial { puts, deletes }) => format!(
            "已更新 {from} → {to}（重写 {puts} 个文件，删除 {deletes} 个；{photos}；统计日期 {d}；{w} 个警告）"
        ),
        (Lang::En, Written::Partial { puts, deletes }) => format!(
            "updated {from} → {to} (rewrote {puts} files, deleted {deletes}; {photos}; as of {d}; {w} warnings)"
        ),
    };
    state.unchanged = match site.config.lang {
        Lang::Zh => {
            format!("已是最新：{from} → {to} 没有变化，未重写任何文件（统计日期 {d}；{w} 个警告）")
        }
        Lang::En => format!(
            "up to date: {from} → {to} has not changed, nothing was rewritten (as of {d}; {w} warnings)"
        ),
    };
    state.keep_memo(memo.join().unwrap_or_default());
    state.d = Some(d);
    state.report = report;
    Ok(Built {
        line,
        state,
        locked,
    })
}

/// What a build wrote: a whole new site, or some files rewritten and deleted in place.
#[derive(Clone, Copy)]
enum Written {
    Full { html: usize, files: usize },
    Partial { puts: usize, deletes: usize },
}

/// The pages to redo after the last build, or `None` when every page must be redone: D moved, or
/// a global input (site, organisation, tasks, theme), a file under `files/` or a file the table
/// does not know changed.
fn which_pages(
    p: &Previous,
    old_ids: &HashMap<String, String>,
    site: &Site,
    d: Date,
) -> Option<Affected> {
    let known = |rel: &String| {
        Input::of_path(rel).is_some() || (rel.starts_with("cases/") && rel.ends_with(".yaml"))
    };
    if !p.changed.iter().all(known) {
        return None;
    }
    let changed: std::collections::HashSet<&str> = p.changed.iter().map(String::as_str).collect();
    let new_ids: HashMap<&str, &str> = site
        .cases
        .iter()
        .filter(|c| changed.contains(c.path.as_str()))
        .map(|c| (c.path.as_str(), c.id.as_str()))
        .collect();
    let ids = |rel: &str| {
        let old = old_ids.get(rel).cloned();
        old.into_iter()
            .chain(new_ids.get(rel).map(|id| id.to_string()))
            .collect()
    };
    let inputs = changed_inputs(&p.changed, ids, p.state.d != Some(d));
    if inputs.contains(&Input::Files) {
        return None;
    }
    let which = affected(&inputs);
    (!which.everything).then_some(which)
}

/// Every page into a staging folder beside the output, swapped in whole.
fn full(
    content: &Path,
    locked: Locked,
    r: &Renderer,
    theme: &Theme,
) -> Result<(Written, State, Locked), Failure> {
    let staging = locked.stage()?;
    // A batch of large files (the data files, up to 150 MB each at 100,000 cases) is written at
    // once by the thread that made it, so no more than one of them is held at a time.
    let by = beside_writer(
        |pages| staging.put_pages_in_turn(&pages),
        |send| {
            partial::by_kind(r, &Affected::everything(), theme, &mut |pages| {
                if pages.iter().map(|p| p.bytes.len()).sum::<usize>() > LARGE_BATCH {
                    return staging.put_pages(&pages);
                }
                send(pages)
            })
        },
    )?;
    let html: Vec<String> = by.html_paths.iter().cloned().collect();
    if let Some(map) = sitemap(r.site, &html) {
        staging.put_pages(&[map])?;
    }
    let used: Vec<String> = partial::used_files(r, by.files.values())
        .into_iter()
        .collect();
    for batch in r.photos.pages(&used, 64) {
        staging.put_pages(&batch?)?;
    }
    let copies: Vec<Copy> = used
        .iter()
        .filter(|rel| !r.photos.contains(rel))
        .map(|rel| Copy {
            from: content.join(rel),
            rel: rel.clone(),
        })
        .collect();
    staging.copy_files(&copies)?;
    let outputs = staging.hashes();
    let locked = staging.commit()?;
    let written = Written::Full {
        html: html.len(),
        files: outputs.len(),
    };
    let mut state = State::default();
    state.outputs = outputs;
    state.kind_files = by.files;
    state.page_keys = r.page_keys();
    state.rows = r.row_indexes();
    Ok((written, state, locked))
}

/// Runs `make`, which hands batches of pages to the sink it is given, with `write` taking each
/// batch on a thread of its own: the next batch is made while the last is written. The writer's
/// error comes first (the maker then only sees that it stopped).
fn beside_writer<T>(
    write: impl FnMut(Vec<Page>) -> anyhow::Result<()> + Send,
    make: impl FnOnce(&mut dyn FnMut(Vec<Page>) -> anyhow::Result<()>) -> anyhow::Result<T>,
) -> Result<T, Failure> {
    let (made, written) = std::thread::scope(|s| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<Page>>(1);
        let mut write = write;
        let writer = s.spawn(move || rx.into_iter().try_for_each(&mut write));
        let made = make(&mut |pages| {
            tx.send(pages)
                .map_err(|_| anyhow::anyhow!("the page writer stopped"))
        });
        drop(tx);
        let written = writer
            .join()
            .unwrap_or_else(|_| Err(anyhow::anyhow!("the page writer failed")));
        (made, written)
    });
    written?;
    Ok(made?)
}

/// Bytes above which a batch of pages is written by the thread that made it (see `full`).
const LARGE_BATCH: usize = 16 << 20;

/// The pages `which` names rendered again; those whose bytes differ from the last build's are put
/// in place under a journal, with the pages and files that no longer belong deleted.
fn incremental(
    content: &Path,
    locked: &Locked,
    r: &Renderer,
    theme: &Theme,
    old: State,
    which: &Affected,
) -> Result<(Written, State), Failure> {
    let mut journal = locked.journal()?;
    let mut outputs = old.outputs.clone();
    let mut produced: BTreeSet<String> = BTreeSet::new();
    let keep = |page: Page, journal: &mut Journal, outputs: &mut BTreeMap<String, Hash32>| {
        let hash = hash_bytes(&page.bytes);
        if outputs.get(&page.path) != Some(&hash) {
            journal.put(&page)?;
            outputs.insert(page.path.clone(), hash);
        }
        anyhow::Ok(())
    };
    // At 100,000 cases the data files are hundreds of megabytes to hash and write.
    let by = beside_writer(
        |pages| {
            pages
                .into_iter()
                .try_for_each(|page| keep(page, &mut journal, &mut outputs))
        },
        |send| {
            partial::by_kind(r, which, theme, &mut |pages| {
                produced.extend(pages.iter().map(|p| p.path.clone()));
                send(pages)
            })
        },
    )?;
    // Pages whose inputs did not change stay as they are.
    produced.extend(r.kept());
    for path in old.outputs.keys() {
        if !produced.contains(path) && stale(path, which) {
            journal.delete(path)?;
            outputs.remove(path);
        }
    }
    let html: Vec<String> = outputs
        .keys()
        .filter(|p| p.ends_with(".html") && !p.starts_with("files/"))
        .cloned()
        .collect();
    if let Some(map) = sitemap(r.site, &html) {
        keep(map, &mut journal, &mut outputs)?;
    }
    let mut kind_files = old.kind_files;
    kind_files.extend(by.files);
    let used = partial::used_files(r, kind_files.values());
    let published = |f: &String| match r.photos.get(f) {
        Some(p) => vec![p.display.path.clone(), p.thumb.path.clone()],
        None => vec![f.clone()],
    };
    let wanted: BTreeSet<String> = used.iter().flat_map(published).collect();
    for path in old.outputs.keys().filter(|p| p.starts_with("files/")) {
        if !wanted.contains(path) {
            journal.delete(path)?;
            outputs.remove(path);
        }
    }
    let new: Vec<String> = used
        .into_iter()
        .filter(|f| published(f).iter().any(|p| !outputs.contains_key(p)))
        .collect();
    for batch in r.photos.pages(&new, 64) {
        for page in batch? {
            keep(page, &mut journal, &mut outputs)?;
        }
    }
    for rel in new.iter().filter(|f| !r.photos.contains(f)) {
        let copy = Copy {
            from: content.join(rel),
            rel: rel.clone(),
        };
        keep(copy.page()?, &mut journal, &mut outputs)?;
    }
    let written = Written::Partial {
        puts: journal.puts(),
        deletes: journal.deletes(),
    };
    // The output's stamp is brought up to date from the entries the journal touches alone.
    let stamp_change = if journal.puts() + journal.deletes() > 0 {
        let _t = crate::timings::phase("journal commit");
        let touched = journal.touched();
        let before = write::stamp_part(locked.output(), &touched);
        journal.commit()?;
        (before, write::stamp_part(locked.output(), &touched))
    } else {
        (0, 0)
    };
    let mut page_keys = old.page_keys;
    page_keys.extend(r.page_keys());
    page_keys.retain(|path, _| outputs.contains_key(path));
    let mut rows = r.row_indexes();
    rows.retain(|path, _| outputs.contains_key(path));
    let mut state = State::default();
    state.outputs = outputs;
    state.kind_files = kind_files;
    state.page_keys = page_keys;
    state.rows = rows;
    state.stamp_change = Some(stamp_change);
    Ok((written, state))
}

/// Whether a file of the last build no longer belongs when `which` was redone and did not produce
/// it: a redone case page, or a page of a kind redone whole. Charts, the sitemap and files under
/// `files/` are settled apart (charts keep their names; the others are recomputed).
fn stale(path: &str, which: &Affected) -> bool {
    if path.starts_with("files/") || path.starts_with("charts/") || path == "sitemap.xml" {
        return false;
    }
    match kind_of(path) {
        PageKind::Case => {
            which.all_of(PageKind::Case)
                || path
                    .strip_prefix("cases/")
                    .and_then(|p| p.strip_suffix(".html"))
                    .is_some_and(|id| which.cases.contains(id))
        }
        PageKind::Assets => false,
        kind => which.all_of(kind),
    }
}

/// Encodes (or reuses from the cache) every photo and cover; undecodable ones are content errors.
fn prepare_photos(content: &Path, output: &Path, site: &Site) -> Result<Photos, Failure> {
    let cache = crate::cache::folder("photos", output);
    photo::prepare(content, &photo::referenced(site), cache.as_deref()).map_err(|bad| {
        let diags: Vec<Diagnostic> = bad
            .into_iter()
            .map(|u| {
                Diagnostic::new(
                    u.file,
                    Span::file_start(),
                    Kind::PhotoUndecodable { reason: u.reason },
                )
            })
            .collect();
        for d in &diags {
            eprintln!("{}", print_human(d, None, site.config.lang));
        }
        Failure::Content
    })
}

/// "photos: 3 encoded, 12 reused", in the site's language.
fn photo_summary(lang: crate::lang::Lang, photos: &Photos) -> String {
    match lang {
        crate::lang::Lang::Zh => format!(
            "照片：新编码 {} 张，复用 {} 张",
            photos.encoded, photos.reused
        ),
        crate::lang::Lang::En => format!(
            "photos: {} encoded, {} reused",
            photos.encoded, photos.reused
        ),
    }
}
