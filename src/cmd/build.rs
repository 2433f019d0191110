//! `rectify build`: content → the whole site in the output folder, or nothing written at all.

use super::{Failure, as_of, load_site, message_lang, print_diagnostics};
use crate::cli::{BuildArgs, ProfileArg};
use crate::render::{Profile, render, theme::Theme};
use crate::write::{Copy, guard, write_site};

pub fn run(args: &BuildArgs) -> Result<(), Failure> {
    let loaded = load_site(&args.content)?;
    let (site, warnings) = match loaded.result {
        Ok(ok) => ok,
        Err(diags) => {
            print_diagnostics(&diags, &loaded.sources, message_lang(&loaded.sources));
            return Err(Failure::Content);
        }
    };
    print_diagnostics(&warnings, &loaded.sources, site.config.lang);
    let d = as_of(&site, args.as_of)?;
    guard(&args.output, &args.content)?;
    let profile = match args.profile {
        ProfileArg::Public => Profile::Public,
        ProfileArg::Internal => Profile::Internal,
    };
    let theme = Theme::load(&args.content, &site.config.theme)?;
    let (pages, files) = render(&site, d, profile, &theme)?;
    let copies: Vec<Copy> = files
        .into_iter()
        .map(|rel| Copy {
            from: args.content.join(&rel),
            rel,
        })
        .collect();
    write_site(&args.output, &pages, &copies)?;
    eprintln!(
        "{} {} → {} ({} pages, {} files; as of {d})",
        site.config.lang.pick("已生成", "built"),
        args.content.display(),
        args.output.display(),
        pages.iter().filter(|p| p.path.ends_with(".html")).count(),
        pages.len() + copies.len()
    );
    Ok(())
}
