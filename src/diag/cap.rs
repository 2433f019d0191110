//! The cap on repeated warnings: of one kind, the first [`WARNING_CAP`] are printed, then one line
//! says how many more there are, so one repeated warning never buries the one that matters.

use super::{Diagnostic, Severity};
use crate::lang::Lang;

/// How many warnings of one kind are printed one by one.
pub const WARNING_CAP: usize = 20;

/// What to print: every error, the first warnings of each kind, and a count of the rest per kind.
pub struct Capped<'a> {
    pub shown: Vec<&'a Diagnostic>,
    /// The first warning of a kind that was cut, and how many of that kind were not shown.
    pub hidden: Vec<(&'a Diagnostic, usize)>,
}

/// Splits `diags` (already sorted) into what is printed and what is only counted; a kind is its code.
pub fn cap(diags: &[Diagnostic]) -> Capped<'_> {
    let mut seen: Vec<(&'static str, usize)> = Vec::new();
    let mut capped = Capped {
        shown: Vec::new(),
        hidden: Vec::new(),
    };
    for d in diags {
        if d.severity() == Severity::Error {
            capped.shown.push(d);
            continue;
        }
        let code = d.kind.code();
        let at = match seen.iter().position(|(c, _)| *c == code) {
            Some(i) => i,
            None => {
                seen.push((code, 0));
                seen.len() - 1
            }
        };
        seen[at].1 += 1;
        if seen[at].1 <= WARNING_CAP {
            capped.shown.push(d);
        } else if let Some(h) = capped.hidden.iter_mut().find(|h| h.0.kind.code() == code) {
            h.1 += 1;
        } else {
            capped.hidden.push((d, 1));
        }
    }
    capped
}

/// The line that stands for `count` warnings of `like`'s kind that were not printed.
pub fn more_line(like: &Diagnostic, count: usize, lang: Lang) -> String {
    let (message, _) = like.text(lang);
    let code = like.kind.code();
    match lang {
        Lang::Zh => format!(
            "警告：另有 {count} 条同类警告（{code}：{message}）未逐条列出；`rectify check --format json` 列出全部"
        ),
        Lang::En => format!(
            "warning: {count} more warnings of this kind ({code}: {message}) not listed one by one; `rectify check --format json` lists them all"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::{Kind, Span};

    fn many(kind: Kind, n: usize) -> Vec<Diagnostic> {
        (0..n)
            .map(|i| {
                Diagnostic::new(
                    format!("cases/{i:03}.yaml"),
                    Span::file_start(),
                    kind.clone(),
                )
            })
            .collect()
    }

    #[test]
    fn repeated_warnings_are_capped_per_kind_and_errors_never() {
        let rows: &[(usize, usize, usize, usize, usize)] = &[
            // placeholders, captions, errors → shown, hidden placeholders
            (5, 3, 0, 8, 0),
            (20, 0, 0, 20, 0),
            (21, 0, 0, 20, 1),
            (500, 25, 30, 20 + 20 + 30, 480),
        ];
        for &(placeholders, captions, errors, shown, hidden) in rows {
            let mut diags = many(Kind::Placeholder, placeholders);
            diags.extend(many(Kind::PhotoNoCaption, captions));
            diags.extend(many(Kind::EmptyFile, errors));
            let capped = cap(&diags);
            assert_eq!(
                capped.shown.len(),
                shown,
                "{placeholders}/{captions}/{errors}"
            );
            let hidden_placeholders = capped
                .hidden
                .iter()
                .find(|h| h.0.kind == Kind::Placeholder)
                .map_or(0, |h| h.1);
            assert_eq!(hidden_placeholders, hidden);
            let total: usize = capped.hidden.iter().map(|h| h.1).sum();
            assert_eq!(capped.shown.len() + total, diags.len());
        }
    }

    #[test]
    fn the_count_line_names_the_kind_in_the_language() {
        let d = &many(Kind::Placeholder, 1)[0];
        let zh = more_line(d, 480, Lang::Zh);
        assert!(
            zh.starts_with("警告：另有 480 条同类警告（placeholder："),
            "{zh}"
        );
        let en = more_line(d, 480, Lang::En);
        assert!(
            en.starts_with("warning: 480 more warnings of this kind (placeholder: "),
            "{en}"
        );
    }
}
