//! Commands: each reuses the pipeline's stages; one file and one entry function per command.

pub mod build;
pub mod check;
pub mod diff;
pub mod import;
pub mod init;
pub mod new;
pub mod schema;
pub mod serve;

use crate::diag::{Diagnostic, cap, error_line, explain, more_line, print_human};
use crate::lang::Lang;
use crate::load::{Sources, load};
use crate::model::{Date, Site};
use std::path::Path;

/// Why a command failed, which decides the exit code.
#[derive(Debug)]
pub enum Failure {
    /// The content has errors; they were printed. Exit 1.
    Content,
    /// Bad usage. Exit 2.
    Usage(String),
    /// The environment failed. Exit 3.
    Env(anyhow::Error),
}

impl Failure {
    pub fn exit_code(&self) -> i32 {
        match self {
            Failure::Content => 1,
            Failure::Usage(_) => 2,
            Failure::Env(_) => 3,
        }
    }
}

impl From<anyhow::Error> for Failure {
    fn from(e: anyhow::Error) -> Self {
        Failure::Env(e)
    }
}

/// The site read and validated, with its warnings and the sources they point into.
pub struct Loaded {
    pub sources: Sources,
    pub result: Result<(Site, Vec<Diagnostic>), Vec<Diagnostic>>,
}

pub fn load_site(content: &Path) -> Result<Loaded, Failure> {
    let sources = {
        let _t = crate::timings::phase("load");
        load(content)?
    };
    let result = {
        let _t = crate::timings::phase("parse+validate");
        crate::validate::validate(&sources)
    };
    Ok(Loaded { sources, result })
}

/// The language messages are printed in when the site could not be read: from `site.yaml` if it says.
pub fn message_lang(sources: &Sources) -> Lang {
    lang_in_site_yaml(sources.text_of("site.yaml").unwrap_or(""))
}

/// The language a command speaks before it has read anything: `site.yaml`'s `language` in the
/// content folder `content`, else Chinese.
pub fn content_lang(content: &Path) -> Lang {
    let text = std::fs::read_to_string(content.join("site.yaml")).unwrap_or_default();
    lang_in_site_yaml(&text)
}

fn lang_in_site_yaml(text: &str) -> Lang {
    use crate::yaml::Value;
    let Ok(node) = crate::yaml::parse("site.yaml", text, 0) else {
        return Lang::Zh;
    };
    let Value::Map(entries) = node.value else {
        return Lang::Zh;
    };
    entries
        .iter()
        .find(|(k, _)| k.name == "language")
        .and_then(|(_, v)| match &v.value {
            Value::Str(s) => Lang::parse(s),
            _ => None,
        })
        .unwrap_or_default()
}

/// Prints diagnostics for people: every error, and of each kind of warning the first
/// [`WARNING_CAP`](crate::diag::WARNING_CAP), then a line counting the rest of that kind.
pub fn print_diagnostics(diags: &[Diagnostic], sources: &Sources, lang: Lang) {
    eprint!("{}", diagnostics_text(diags, sources, lang));
}

/// The diagnostics as `print_diagnostics` prints them, repeated warnings capped with a count line.
pub fn diagnostics_text(diags: &[Diagnostic], sources: &Sources, lang: Lang) -> String {
    let capped = cap(diags);
    let mut text = String::new();
    for d in capped.shown {
        text.push_str(&print_human(d, sources.text_of(&d.path), lang));
        text.push('\n');
    }
    for (like, count) in capped.hidden {
        text.push_str(&more_line(like, count, lang));
        text.push_str("\n\n");
    }
    text
}

/// Every warning a valid site gets as of the date `flag` gives (or the site's D): the same set for
/// `check`, `build` and `serve`, sorted. Progress warnings need D, so a D before the campaign start
/// (a usage error reported after them) gives only the others.
pub fn all_warnings(
    site: &Site,
    sources: &Sources,
    warnings: &[Diagnostic],
    flag: Option<Date>,
) -> Vec<Diagnostic> {
    let mut all = warnings.to_vec();
    let d = crate::report::as_of(site, flag);
    if d >= site.config.start {
        all.extend(crate::validate::stale_overdue(site, sources, d));
    }
    crate::diag::sort(&mut all);
    all
}

impl Failure {
    /// Prints a failure that is not a content diagnostic (those were printed already), in `lang`.
    pub fn print(&self, lang: Lang) {
        match self {
            Failure::Content => {}
            Failure::Usage(msg) => eprintln!("{}", error_line(msg, lang)),
            Failure::Env(err) => eprintln!("{}", error_line(&explain(err, lang), lang)),
        }
    }
}

/// D for a command: the flag, else the site's, else the latest event; before the campaign start is
/// a usage error.
pub fn as_of(site: &Site, flag: Option<Date>) -> Result<Date, Failure> {
    let d = crate::report::as_of(site, flag);
    if d < site.config.start {
        let msg = match site.config.lang {
            Lang::Zh => format!("统计日期 {d} 早于整治行动开始日期 {}", site.config.start),
            Lang::En => format!(
                "the date {d} is before the campaign start {}",
                site.config.start
            ),
        };
        return Err(Failure::Usage(msg));
    }
    Ok(d)
}
