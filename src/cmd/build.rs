//! `rectify build`: content → the whole site in the output folder, or nothing written at all.

use super::{Failure, all_warnings, as_of, load_site, message_lang, print_diagnostics};
use crate::cli::{BuildArgs, ProfileArg};
use crate::lang::Lang;
use crate::model::Date;
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
    let warnings = all_warnings(&site, &loaded.sources, &warnings, flag);
    print_diagnostics(&warnings, &loaded.sources, site.config.lang);
    // The source texts are no longer needed; at 100,000 cases they are hundreds of megabytes.
    drop(loaded.sources);
    let d = as_of(&site, flag)?;
    let theme = Theme::load(content, &site.config.theme)?;
    let staging = Staging::begin(output)?;
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
    staging.commit()?;
    let files = rendered.total + copies.len();
    let (from, to) = (content.display(), output.display());
    Ok(match site.config.lang {
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
    })
}
