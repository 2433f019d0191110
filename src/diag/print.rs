//! Printing diagnostics: rustc-style text with the source line and a caret, JSON, GitHub annotations.

use super::{Diagnostic, Severity};
use crate::lang::Lang;
use std::fmt::Write;

/// Formats one diagnostic for people; `source` is the file's text when it could be read as UTF-8.
pub fn print_human(d: &Diagnostic, source: Option<&str>, lang: Lang) -> String {
    let (message, hint) = visible_text(d, lang);
    let label = match (d.severity(), lang) {
        (Severity::Error, Lang::Zh) => "错误",
        (Severity::Warning, Lang::Zh) => "警告",
        (Severity::Error, Lang::En) => "error",
        (Severity::Warning, Lang::En) => "warning",
    };
    let colon = lang.pick("：", ": ");
    let mut out = format!("{label}{colon}{message}\n");
    let line_no = d.span.line.max(1);
    let path = visible(&d.path);
    let _ = writeln!(out, "  --> {path}:{line_no}:{}", d.span.column.max(1));
    let line = source.and_then(|s| s.lines().nth(line_no as usize - 1));
    let width = line_no.to_string().len();
    let pad = " ".repeat(width);
    match line {
        Some(text) => {
            let text = &blank_controls(text.trim_end_matches('\r'));
            let _ = writeln!(out, "{pad} |");
            let _ = writeln!(out, "{line_no} | {text}");
            let before = d.span.column.saturating_sub(1) as usize;
            let caret_at: String = text.chars().take(before).map(blank).collect();
            let under = text
                .chars()
                .skip(before)
                .take(display_len(text, d.span) as usize);
            let carets = "^".repeat(under.map(cells).sum::<usize>().max(1));
            let hint = hint.map(|h| format!(" {h}")).unwrap_or_default();
            let _ = writeln!(out, "{pad} | {caret_at}{carets}{hint}");
        }
        None => {
            if let Some(h) = hint {
                let _ = writeln!(out, "{pad} = {}{colon}{h}", lang.pick("提示", "help"));
            }
        }
    }
    out
}

/// What stands under `c` in the caret line: a tab stays a tab, a wide character two spaces.
fn blank(c: char) -> String {
    match c {
        '\t' => "\t".into(),
        c => " ".repeat(cells(c)),
    }
}

/// Terminal cells a character takes: two for East Asian wide and full-width characters (汉字,
/// full-width punctuation such as `，` and `：`), so carets line up under Chinese text.
fn cells(c: char) -> usize {
    let wide = matches!(c as u32,
        0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD);
    if wide { 2 } else { 1 }
}

/// The caret count: the span's length, at least one, never past the end of the line.
fn display_len(text: &str, span: super::Span) -> u32 {
    let available = (text.chars().count() as u32).saturating_sub(span.column.saturating_sub(1));
    span.len.min(available).max(1)
}

/// The `--format json` document for a list of diagnostics.
pub fn to_json(diags: &[Diagnostic], lang: Lang) -> serde_json::Value {
    let items: Vec<serde_json::Value> = diags
        .iter()
        .map(|d| {
            let (message, hint) = visible_text(d, lang);
            serde_json::json!({
                "severity": match d.severity() { Severity::Error => "error", Severity::Warning => "warning" },
                "file": visible(&d.path),
                "line": d.span.line,
                "column": d.span.column,
                "code": d.kind.code(),
                "message": message,
                "hint": hint,
            })
        })
        .collect();
    serde_json::json!({ "diagnostics": items })
}

/// A GitHub Actions workflow command; `path` is relative to the repository root.
pub fn print_github(d: &Diagnostic, path: &str, lang: Lang) -> String {
    let (message, hint) = visible_text(d, lang);
    let level = match d.severity() {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let text = match hint {
        Some(h) => format!("{message} ({h})"),
        None => message,
    };
    format!(
        "::{level} file={},line={},col={}::{}",
        escape_property(&visible(path)),
        d.span.line,
        d.span.column,
        escape_data(&text)
    )
}

/// The message and hint with every character that could act on a terminal or a CI log shown as
/// an escape instead: a value can never forge a line (`::error …`) or colour the screen.
fn visible_text(d: &Diagnostic, lang: Lang) -> (String, Option<String>) {
    let (message, hint) = d.text(lang);
    (visible(&message), hint.as_deref().map(visible))
}

/// Control characters (ESC, BEL, CR, line breaks, C1), bidirectional controls and zero-width
/// characters written as `\n`, `\u{1b}`, `\u{202e}`.
pub fn visible(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if is_unsafe(c) => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

/// The source line as shown above the carets: each unsafe character (tabs kept) becomes `�`, one
/// character for one, so the carets still line up.
fn blank_controls(line: &str) -> String {
    line.chars()
        .map(|c| {
            if c != '\t' && is_unsafe(c) {
                '\u{fffd}'
            } else {
                c
            }
        })
        .collect()
}

fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(c as u32, 0x202A..=0x202E | 0x2066..=0x2069 | 0x200B..=0x200F | 0x2028 | 0x2029 | 0x2060 | 0xFEFF)
}

fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::{Kind, Span};

    fn caret_line(line: &str, column: u32, len: u32) -> String {
        let d = Diagnostic::new(
            "cases/a.yaml",
            Span {
                line: 1,
                column,
                len,
            },
            Kind::EmptyFile,
        );
        let out = print_human(&d, Some(line), Lang::En);
        out.lines()
            .nth(4)
            .unwrap()
            .trim_end_matches(" fill it in, or delete it")
            .to_string()
    }

    /// A value carrying a newline, ESC, BEL, CR or a bidi override, in each output format.
    fn hostile() -> Diagnostic {
        let value = "x\n::error file=a,line=1::forged\u{1b}[31m\u{7}\r\u{202e}evil";
        Diagnostic::new(
            "cases/a\u{1b}[2J.yaml",
            Span::new(1, 1, 1),
            Kind::UnknownRef {
                what: "street",
                value: value.into(),
                suggestion: None,
            },
        )
    }

    fn assert_inert(out: &str, lines: usize) {
        for bad in ['\u{1b}', '\u{7}', '\r', '\u{202e}'] {
            assert!(!out.contains(bad), "{bad:?} in {out:?}");
        }
        assert_eq!(out.lines().count(), lines, "{out}");
        assert!(
            !out.lines().any(|l| l.starts_with("::error file=a")),
            "{out}"
        );
    }

    #[test]
    fn control_characters_are_escaped_in_every_format() {
        let d = hostile();
        let source = "street: \"x\\n::error\u{1b}[31m\u{202e}\"";
        let human = print_human(&d, Some(source), Lang::En);
        assert_inert(&human, 5);
        assert!(
            human.contains("x\\n::error file=a,line=1::forged\\u{1b}[31m\\u{7}\\r\\u{202e}evil"),
            "{human}"
        );
        assert!(
            human.contains("  --> cases/a\\u{1b}[2J.yaml:1:1"),
            "{human}"
        );
        let github = print_github(&d, &d.path, Lang::En);
        assert_inert(&github, 1);
        assert!(
            github.starts_with("::error file=cases/a\\u{1b}[2J.yaml,line=1,col=1::"),
            "{github}"
        );
        let json = serde_json::to_string(&to_json(&[d], Lang::Zh)).unwrap();
        assert_inert(&json, 1);
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        let message = v["diagnostics"][0]["message"].as_str().unwrap();
        assert_inert(message, 1);
    }

    #[test]
    fn carets_line_up_under_wide_characters() {
        let rows: &[(&str, u32, u32, &str)] = &[
            ("street: dongshn", 9, 7, "  |         ^^^^^^^"),
            (
                "criteria: [散, 乱, 污染]",
                18,
                2,
                "  |                    ^^^^",
            ),
            ("street: 东三", 9, 2, "  |         ^^^^"),
            ("name：某", 5, 1, "  |     ^^"),
            ("\t- x", 1, 1, "  | ^"),
            ("\t- 散", 4, 1, "  | \t  ^^"),
        ];
        for (line, column, len, want) in rows {
            assert_eq!(&caret_line(line, *column, *len), want, "{line:?}");
        }
    }
}
