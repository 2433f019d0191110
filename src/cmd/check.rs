//! `rectify check`: validates everything and prints every problem; writes nothing.

use super::{Failure, as_of, load_site, message_lang};
use crate::cli::{CheckArgs, Format};
use crate::diag::{Diagnostic, print_github, print_human, to_json};
use crate::lang::Lang;

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
    let diags: &[Diagnostic] = match &loaded.result {
        Ok((_, warnings)) => warnings,
        Err(diags) => diags,
    };
    match args.format {
        Format::Human => {
            for d in diags {
                eprintln!("{}", print_human(d, loaded.sources.text_of(&d.path), lang));
            }
        }
        Format::Json => println!(
            "{}",
            serde_json::to_string_pretty(&to_json(diags, lang)).unwrap_or_default()
        ),
        Format::Github => {
            for d in diags {
                let path = args.content.join(&d.path);
                println!("{}", print_github(d, &path.to_string_lossy(), lang));
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
