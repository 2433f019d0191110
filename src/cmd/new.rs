//! `rectify new case|note|publicity`: writes one valid file for a person to fill in.
//!
//! The default date is today's date in China Standard Time (UTC+8, the campaigns' time zone): the
//! only place rectify reads the wall clock, and only to prefill a field the user then owns.

use super::{Failure, print_diagnostics};
use crate::cli::{NewArgs, NewCaseArgs, NewNoteArgs, NewPublicityArgs, NewWhat};
use crate::diag::Said;
use crate::load::{FileKind, Sources, load};
use crate::model::{Date, Site};
use crate::validate::{fields::suggest, validate_lenient};
use std::path::{Path, PathBuf};

pub fn run(args: &NewArgs) -> Result<(), Failure> {
    let (content, (rel, text)) = match &args.what {
        NewWhat::Case(a) => (&a.content, case(a)?),
        NewWhat::Note(a) => (&a.content, note(a)?),
        NewWhat::Publicity(a) => (&a.content, publicity(a)?),
    };
    let path = content.join(&rel);
    inside_content(content, &path)?;
    if path.exists() {
        return Err(Failure::Env(
            Said::new(
                format!("{} 已存在", path.display()),
                format!("{} already exists", path.display()),
            )
            .into(),
        ));
    }
    super::init::write(&path, &text)?;
    println!("{}", path.display());
    Ok(())
}

/// The new file's real place (symlinks resolved) is inside the content folder's: a street folder
/// that is a symlink must not make `new` write somewhere else.
fn inside_content(content: &Path, path: &Path) -> Result<(), Failure> {
    let env = |e: anyhow::Error| Failure::Env(e);
    let root = crate::write::real_path(content).map_err(env)?;
    let real = crate::write::real_path(path).map_err(env)?;
    if real.starts_with(&root) {
        return Ok(());
    }
    Err(Failure::Env(
        Said::new(
            format!(
                "不写入 {}：它实际指向内容文件夹以外的 {}（路径中有符号链接）；请把链接换成真正的文件夹",
                path.display(),
                real.display()
            ),
            format!(
                "not writing {}: it leads outside the content folder, to {} (a symbolic link on the way); replace the link with a real folder",
                path.display(),
                real.display()
            ),
        )
        .into(),
    ))
}

/// The content read leniently: `new` must work while other files still have errors.
pub(crate) fn read(content: &Path) -> Result<(Sources, Site), Failure> {
    let sources = load(content)?;
    let (site, diags) = validate_lenient(&sources);
    match site {
        Some(site) => Ok((sources, site)),
        None => {
            print_diagnostics(&diags, &sources, super::message_lang(&sources));
            Err(Failure::Content)
        }
    }
}

/// Today in UTC+8, from the system clock (see the module note), or from `SOURCE_DATE_EPOCH` (seconds
/// since 1970, the reproducible-builds convention) when it is set, so a starter can be made for a
/// given day.
pub fn today() -> Date {
    let clock = || {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0)
    };
    let secs = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<u64>().ok())
        .unwrap_or_else(clock);
    let days = (secs + 8 * 3600) / 86_400;
    Date::from_ymd_opt(1970, 1, 1).unwrap_or_default() + chrono::Days::new(days)
}

/// A street by id, name, or name without 街道 / 道; otherwise a usage error with a suggestion.
fn street_id(site: &Site, text: &str) -> Result<String, Failure> {
    let t = text.trim();
    if let Some(s) = site.org.street_named(t) {
        return Ok(s.id.clone());
    }
    let ids = site.org.streets.iter().map(|s| s.id.as_str());
    let names = site.org.streets.iter().map(|s| s.name.as_str());
    let near = suggest(t, ids.chain(names))
        .and_then(|h| site.org.streets.iter().find(|s| s.id == h || s.name == h));
    let all: Vec<_> = site.org.streets.iter().map(|s| s.id.as_str()).collect();
    let all = all.join(", ");
    let said = match near {
        Some(s) => Said::new(
            format!("未知的街道 `{t}`；是否是 `{}`（{}）？", s.id, s.name),
            format!(
                "unknown street `{t}`; did you mean `{}` ({})?",
                s.id, s.name
            ),
        ),
        None => Said::new(
            format!("未知的街道 `{t}`；可用的街道：{all}"),
            format!("unknown street `{t}`; known streets: {all}"),
        ),
    };
    Err(Failure::Usage(said.pick(site.config.lang).to_string()))
}

/// The file names (without extension) of every file of a kind, lowercased.
pub(crate) fn stems(sources: &Sources, kind: FileKind) -> Vec<String> {
    sources
        .files
        .iter()
        .filter(|f| f.kind == kind)
        .map(|f| {
            let name = f.path.rsplit('/').next().unwrap_or(&f.path);
            name.rsplit_once('.')
                .map_or(name, |(s, _)| s)
                .to_lowercase()
        })
        .collect()
}

/// The prefix of new case ids: `id_prefix`, or else the campaign's year, e.g. `2025-`.
pub(crate) fn id_prefix(site: &Site) -> String {
    site.config
        .id_prefix
        .clone()
        .unwrap_or_else(|| format!("{}-", chrono::Datelike::year(&site.config.start)))
}

/// The next free id: the highest number after `prefix` plus one, as wide as the widest existing.
pub fn next_id(prefix: &str, existing: &[String]) -> String {
    let lower = prefix.to_lowercase();
    let numbers: Vec<(u64, usize)> = existing
        .iter()
        .filter_map(|id| id.strip_prefix(&lower))
        .filter(|rest| !rest.is_empty() && rest.chars().all(|c| c.is_ascii_digit()))
        .filter_map(|rest| rest.parse().ok().map(|n| (n, rest.len())))
        .collect();
    let next = numbers.iter().map(|(n, _)| n + 1).max().unwrap_or(1);
    let width = numbers.iter().map(|(_, w)| *w).max().unwrap_or(4);
    format!("{prefix}{next:0width$}")
}

pub(crate) fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

fn case(a: &NewCaseArgs) -> Result<(PathBuf, String), Failure> {
    let (sources, site) = read(&a.content)?;
    let street = street_id(&site, &a.street)?;
    let found = a.date.unwrap_or_else(today);
    let id = next_id(&id_prefix(&site), &stems(&sources, FileKind::Case));
    let name = a.name.as_deref().unwrap_or("待填写：场所名称");
    let text = format!(
        include_str!("templates/new_case.yaml"),
        id = id,
        name = quoted(name),
        street = street,
        found = found
    );
    Ok((PathBuf::from(format!("cases/{street}/{id}.yaml")), text))
}

/// `<date>-<ascii words of the title>`, made unique among `taken` with -2, -3 ….
pub fn slug(date: Date, title: &str, taken: &[String]) -> String {
    let mut words = String::new();
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            words.push(c.to_ascii_lowercase());
        } else if !words.is_empty() && !words.ends_with('-') {
            words.push('-');
        }
    }
    let words: String = words.trim_end_matches('-').chars().take(60).collect();
    let base = if words.is_empty() {
        date.to_string()
    } else {
        format!("{date}-{}", words.trim_end_matches('-'))
    };
    let mut slug = base.clone();
    let mut n = 2;
    while taken.contains(&slug) {
        slug = format!("{base}-{n}");
        n += 1;
    }
    slug
}

fn note(a: &NewNoteArgs) -> Result<(PathBuf, String), Failure> {
    let (sources, site) = read(&a.content)?;
    let street = a
        .street
        .as_deref()
        .map(|s| street_id(&site, s))
        .transpose()?;
    let date = a.date.unwrap_or_else(today);
    let slug = slug(date, &a.title, &stems(&sources, FileKind::Note));
    let street = street.map_or("# street: （选填）所涉街道的 id\n".into(), |s| {
        format!("street: {s}                     # 所涉街道\n")
    });
    let text = format!(
        include_str!("templates/new_note.md"),
        title = quoted(&a.title),
        date = date,
        street = street
    );
    Ok((PathBuf::from(format!("notes/{slug}.md")), text))
}

fn publicity(a: &NewPublicityArgs) -> Result<(PathBuf, String), Failure> {
    let (sources, _) = read(&a.content)?;
    let date = a.date.unwrap_or_else(today);
    let slug = slug(date, &a.title, &stems(&sources, FileKind::Publicity));
    let text = format!(
        include_str!("templates/new_publicity.md"),
        title = quoted(&a.title),
        date = date
    );
    Ok((PathBuf::from(format!("publicity/{slug}.md")), text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_ids_keep_prefix_and_width() {
        let ids = |v: &[&str]| v.iter().map(|s| s.to_lowercase()).collect::<Vec<_>>();
        let table: [(&str, &[&str], &str); 4] = [
            ("YX2022-", &["YX2022-0199", "YX2022-0200"], "YX2022-0201"),
            ("YX2022-", &[], "YX2022-0001"),
            ("A-", &["A-07", "B-99", "A-x"], "A-08"),
            ("2025-", &["2025-9"], "2025-10"),
        ];
        for (prefix, existing, want) in table {
            assert_eq!(next_id(prefix, &ids(existing)), want);
        }
    }

    #[test]
    fn slugs_are_ascii_and_unique() {
        let d = Date::from_ymd_opt(2025, 3, 5).unwrap();
        assert_eq!(
            slug(d, "东城街道 patrol No.3", &[]),
            "2025-03-05-patrol-no-3"
        );
        assert_eq!(slug(d, "全部中文", &[]), "2025-03-05");
        let taken = vec!["2025-03-05".to_string(), "2025-03-05-2".to_string()];
        assert_eq!(slug(d, "全部中文", &taken), "2025-03-05-3");
    }
}
