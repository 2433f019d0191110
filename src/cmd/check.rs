//! `rectify check`: validates everything and prints every problem; writes nothing.

use super::{Failure, as_of, load_site, message_lang};
use crate::cli::{CheckArgs, Format};
use crate::diag::{Diagnostic, print_github, print_human, to_json};
use crate::lang::Lang;
use crate::validate::stale_overdue;
use std::path::Path;

pub fn run(args: &CheckArgs) -> Result<(), Failure> {
    let loaded = load_site(&args.content)?;
    let site_lang = match &loaded.result {
        Ok((site, _)) => site.config.lang,
        Err(_) => message_lang(&loaded.sources),
    };
    let lang = args
        .lang
        .as_deref()
        .and_then(Lang::parse)
        .unwrap_or(site_lang);
    let mut diags: Vec<Diagnostic> = match &loaded.result {
        Ok((site, warnings)) => {
            let mut all = warnings.clone();
            let d = crate::report::as_of(site, args.as_of);
            if d >= site.config.start {
                all.extend(stale_overdue(site, &loaded.sources, d));
            }
            all
        }
        Err(diags) => diags.clone(),
    };
    crate::diag::sort(&mut diags);
    match args.format {
        Format::Human => {
            for d in &diags {
                eprintln!("{}", print_human(d, loaded.sources.text_of(&d.path), lang));
            }
        }
        Format::Json => println!(
            "{}",
            serde_json::to_string_pretty(&to_json(&diags, lang)).unwrap_or_default()
        ),
        Format::Github => {
            let prefix = repo_prefix(&args.content);
            for d in &diags {
                println!("{}", print_github(d, &format!("{prefix}{}", d.path), lang));
            }
        }
    }
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let warnings = diags.len() - errors;
    if let Ok((site, _)) = &loaded.result {
        as_of(site, args.as_of)?;
    }
    if args.format == Format::Human {
        let summary = match lang {
            Lang::Zh => format!("检查完成：{errors} 个错误，{warnings} 个警告"),
            Lang::En => format!(
                "checked: {errors} error{}, {warnings} warning{}",
                plural(errors),
                plural(warnings)
            ),
        };
        eprintln!("{summary}");
    }
    if errors > 0 || (args.strict && warnings > 0) {
        return Err(Failure::Content);
    }
    Ok(())
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// What goes before a content-relative path in a GitHub annotation: the content folder relative
/// to the repository's top folder (annotations need that), else the folder as given.
fn repo_prefix(content: &Path) -> String {
    let from_top = super::diff::toplevel(content).ok().and_then(|top| {
        let dir = content.canonicalize().ok()?;
        Some(dir.strip_prefix(top).ok()?.to_path_buf())
    });
    let dir = from_top.unwrap_or_else(|| content.to_path_buf());
    let dir = dir.to_string_lossy().replace('\\', "/");
    match dir.trim_end_matches('/') {
        "" | "." => String::new(),
        d => format!("{}/", d.trim_start_matches("./")),
    }
}
