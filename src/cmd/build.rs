//! `rectify build`: content → the whole site in the output folder, or nothing written at all.
//! When nothing changed since the last build into the same output, nothing is written and the
//! build prints what that build printed (see `write::cache`).

use super::{
    Failure, all_warnings, as_of, diagnostics_text, load_site, message_lang, print_diagnostics,
};
use crate::cli::{BuildArgs, ProfileArg};
use crate::diag::{Diagnostic, Kind, Span, print_human};
use crate::lang::Lang;
use crate::model::{Date, Site};
use crate::photo::{self, Photos};
use crate::render::{Profile, render, theme::Theme};
use crate::timings;
use crate::write::{self, BuildCache, Copy, Locked, guard};
use std::path::Path;

pub fn run(args: &BuildArgs) -> Result<(), Failure> {
    // From here on only the real path is touched: a symlink on the way cannot redirect a delete.
    let output = guard(&args.output, &args.content)?;
    let settings = format!(
        "{}|{:?}|{:?}",
        args.content.display(),
        args.as_of,
        args.profile
    );
    let cache = BuildCache::open(&args.content, &output, &settings);
    let locked = write::lock(&output)?;
    if let Some(hit) = cache.as_ref().and_then(|c| c.hit(&output)) {
        eprint!("{}", hit.report);
        eprintln!("{}", hit.built);
        return Ok(());
    }
    let built = build_locked(&args.content, locked, args.as_of, args.profile)?;
    eprintln!("{}", built.line);
    if let Some(cache) = cache {
        cache.store(&output, built.report, built.unchanged);
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
    let built = build_locked(content, write::lock(output)?, flag, profile)?;
    Ok(built.line)
}

/// A finished build: the warnings it printed, its closing line, the line a later build with nothing
/// changed prints instead (it writes nothing and encodes no photo), and the output still locked.
struct Built {
    report: String,
    line: String,
    unchanged: String,
    locked: Locked,
}

fn build_locked(
    content: &Path,
    locked: Locked,
    flag: Option<Date>,
    profile: ProfileArg,
) -> Result<Built, Failure> {
    let loaded = load_site(content)?;
    let (site, warnings) = match loaded.result {
        Ok(ok) => ok,
        Err(diags) => {
            print_diagnostics(&diags, &loaded.sources, message_lang(&loaded.sources));
            return Err(Failure::Content);
        }
    };
    let t = timings::phase("warnings");
    let warnings = all_warnings(&site, &loaded.sources, &warnings, flag);
    let report = diagnostics_text(&warnings, &loaded.sources, site.config.lang);
    eprint!("{report}");
    // The source texts are no longer needed; at 100,000 cases they are hundreds of megabytes.
    drop(loaded.sources);
    drop(t);
    let d = as_of(&site, flag)?;
    let theme = Theme::load(content, &site.config.theme)?;
    let output = locked.output().to_path_buf();
    let photos = {
        let _t = timings::phase("photos");
        prepare_photos(content, &output, &site)?
    };
    let staging = locked.stage()?;
    let mut writing = timings::Tally::new("write pages (total)");
    let t = timings::phase("render+write (total)");
    let rendered = render(&site, d, profile.into(), &theme, &photos, &mut |pages| {
        writing.time(|| staging.put_pages(&pages))
    })?;
    drop(t);
    drop(writing);
    let t = timings::phase("photos+copies+commit");
    let mut photo_files = 0;
    for batch in photos.pages(&rendered.files, 64) {
        let batch = batch?;
        photo_files += batch.len();
        staging.put_pages(&batch)?;
    }
    let copies: Vec<Copy> = rendered
        .files
        .iter()
        .filter(|rel| !photos.contains(rel))
        .map(|rel| Copy {
            from: content.join(rel),
            rel: rel.clone(),
        })
        .collect();
    staging.copy_files(&copies)?;
    let locked = staging.commit()?;
    drop(t);
    let files = rendered.total + copies.len() + photo_files;
    let (from, to) = (content.display(), output.display());
    let photos = photo_summary(site.config.lang, &photos);
    let line = match site.config.lang {
        Lang::Zh => format!(
            "已生成 {from} → {to}（{} 个页面，{files} 个文件；{photos}；统计日期 {d}；{} 个警告）",
            rendered.html,
            warnings.len()
        ),
        Lang::En => format!(
            "built {from} → {to} ({} pages, {files} files; {photos}; as of {d}; {} warnings)",
            rendered.html,
            warnings.len()
        ),
    };
    let unchanged = match site.config.lang {
        Lang::Zh => format!(
            "已是最新：{from} → {to} 没有变化，未重写任何文件（统计日期 {d}；{} 个警告）",
            warnings.len()
        ),
        Lang::En => format!(
            "up to date: {from} → {to} has not changed, nothing was rewritten (as of {d}; {} warnings)",
            warnings.len()
        ),
    };
    Ok(Built {
        report,
        line,
        unchanged,
        locked,
    })
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
