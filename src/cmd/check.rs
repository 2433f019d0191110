//! `rectify check`: validates everything and prints every problem; writes nothing.

use super::{Failure, all_warnings, as_of, load_site, message_lang, print_diagnostics};
use crate::cli::{CheckArgs, Format};
use crate::diag::{Diagnostic, cap, more_line, print_github, to_json};
use crate::lang::Lang;
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
    let diags: Vec<Diagnostic> = match &loaded.result {
        Ok((site, warnings)) => all_warnings(site, &loaded.sources, warnings, args.as_of),
        Err(diags) => {
            let mut diags = diags.clone();
            crate::diag::sort(&mut diags);
            diags
        }
    };
    match args.format {
        Format::Human => print_diagnostics(&diags, &loaded.sources, lang),
        Format::Json => println!(
            "{}",
            serde_json::to_string_pretty(&to_json(&diags, lang)).unwrap_or_default()
        ),
        Format::Github => {
            let prefix = repo_prefix(&args.content);
            let capped = cap(&diags);
            for d in capped.shown {
                println!("{}", print_github(d, &format!("{prefix}{}", d.path), lang));
            }
            for (like, count) in capped.hidden {
                let line = more_line(like, count, lang);
                println!("::notice::{}", line.replace('%', "%25"));
            }
        }
    }
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let warnings = diags.len() - errors;
    if let Ok((site, _)) = &loaded.result {
        as_of(site, args.as_of)?;
    }
    let failed = errors > 0 || (args.strict && warnings > 0);
    // GitHub annotations go to stdout; the summary on stderr says in the log why a run failed.
    if args.format != Format::Json {
        eprintln!("{}", summary(errors, warnings, args.strict, lang));
    }
    if failed {
        return Err(Failure::Content);
    }
    Ok(())
}

/// The last line of a human check: the counts, and when `--strict` alone failed the run, why.
fn summary(errors: usize, warnings: usize, strict: bool, lang: Lang) -> String {
    let strict_failed = strict && errors == 0 && warnings > 0;
    match lang {
        Lang::Zh => {
            let mut line = format!("检查完成：{errors} 个错误，{warnings} 个警告");
            if strict_failed {
                line.push_str("；--strict 把警告视为错误，检查未通过：改正上面的警告后再检查");
            }
            line
        }
        Lang::En => {
            let mut line = format!(
                "checked: {errors} error{}, {warnings} warning{}",
                plural(errors),
                plural(warnings)
            );
            if strict_failed {
                line.push_str("; --strict treats warnings as errors, so the check failed: fix the warnings above");
            }
            line
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_says_why_a_strict_check_failed() {
        let rows: &[(usize, usize, bool, Lang, &str)] = &[
            (0, 6, false, Lang::Zh, "检查完成：0 个错误，6 个警告"),
            (
                0,
                6,
                true,
                Lang::Zh,
                "检查完成：0 个错误，6 个警告；--strict 把警告视为错误，检查未通过：改正上面的警告后再检查",
            ),
            (2, 6, true, Lang::Zh, "检查完成：2 个错误，6 个警告"),
            (0, 0, true, Lang::Zh, "检查完成：0 个错误，0 个警告"),
            (
                0,
                1,
                true,
                Lang::En,
                "checked: 0 errors, 1 warning; --strict treats warnings as errors, so the check failed: fix the warnings above",
            ),
            (1, 2, false, Lang::En, "checked: 1 error, 2 warnings"),
        ];
        for &(errors, warnings, strict, lang, want) in rows {
            assert_eq!(summary(errors, warnings, strict, lang), want);
        }
    }
}
