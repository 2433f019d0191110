//! `rectify build`: content → the whole site in the output folder, or nothing written at all.
//! When nothing changed since the last build into the same output, nothing is written and the
//! build prints what that build printed (see `write::cache`).

use super::{
    Failure, all_warnings, as_of, diagnostics_text, load_site, message_lang, print_diagnostics,
};
use crate::cli::{BuildArgs, ProfileArg};
use crate::lang::Lang;
use crate::model::Date;
use crate::render::{Profile, render, theme::Theme};
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
        cache.store(&output, built.report, built.line);
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

/// A finished build: the warnings it printed, its closing line, and the output still locked.
struct Built {
    report: String,
    line: String,
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
    let warnings = all_warnings(&site, &loaded.sources, &warnings, flag);
    let report = diagnostics_text(&warnings, &loaded.sources, site.config.lang);
    eprint!("{report}");
    // The source texts are no longer needed; at 100,000 cases they are hundreds of megabytes.
    drop(loaded.sources);
    let d = as_of(&site, flag)?;
    let theme = Theme::load(content, &site.config.theme)?;
    let output = locked.output().to_path_buf();
    let staging = locked.stage()?;
    let rendered = render(&site, d, profile.into(), &theme, &mut |pages| {
        staging.put_pages(&pages)
    })?;
    let copies: Vec<Copy> = rendered
        .files
        .iter()
        .map(|rel| Copy {
            from: content.join(rel),
            rel: rel.clone(),
        })
        .collect();
    staging.copy_files(&copies)?;
    let locked = staging.commit()?;
    let files = rendered.total + copies.len();
    let (from, to) = (content.display(), output.display());
    let line = match site.config.lang {
        Lang::Zh => format!(
            "已生成 {from} → {to}（{} 个页面，{files} 个文件；统计日期 {d}；{} 个警告）",
            rendered.html,
            warnings.len()
        ),
        Lang::En => format!(
            "built {from} → {to} ({} pages, {files} files; as of {d}; {} warnings)",
            rendered.html,
            warnings.len()
        ),
    };
    Ok(Built {
        report,
        line,
        locked,
    })
}
