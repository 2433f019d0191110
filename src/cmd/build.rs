//! `rectify build`: content → the whole site in the output folder, or nothing written at all.

use super::{Failure, as_of, load_site, message_lang, print_diagnostics};
use crate::cli::{BuildArgs, ProfileArg};
use crate::diag::{Diagnostic, Kind, Span, print_human};
use crate::model::{Date, Site};
use crate::photo::{self, Photos};
use crate::render::{Profile, render, theme::Theme};
use crate::write::{Copy, Staging, guard};
use std::path::Path;

pub fn run(args: &BuildArgs) -> Result<(), Failure> {
    guard(&args.output, &args.content)?;
    let built = build(&args.content, &args.output, args.as_of, args.profile)?;
    eprintln!("{built}");
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
    let loaded = load_site(content)?;
    let (site, warnings) = match loaded.result {
        Ok(ok) => ok,
        Err(diags) => {
            print_diagnostics(&diags, &loaded.sources, message_lang(&loaded.sources));
            return Err(Failure::Content);
        }
    };
    print_diagnostics(&warnings, &loaded.sources, site.config.lang);
    // The source texts are no longer needed; at 100,000 cases they are hundreds of megabytes.
    drop(loaded.sources);
    let d = as_of(&site, flag)?;
    let theme = Theme::load(content, &site.config.theme)?;
    let photos = prepare_photos(content, output, &site)?;
    let staging = Staging::begin(output)?;
    let rendered = render(&site, d, profile.into(), &theme, &photos, &mut |pages| {
        staging.put_pages(&pages)
    })?;
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
    staging.commit()?;
    let lang = site.config.lang;
    Ok(format!(
        "{} {} → {} ({} pages, {} files; {}; as of {d})",
        lang.pick("已生成", "built"),
        content.display(),
        output.display(),
        rendered.html,
        rendered.total + copies.len() + photo_files,
        photo_summary(lang, &photos),
    ))
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
