//! Printing diagnostics: rustc-style text with the source line and a caret, JSON, GitHub annotations.

use super::{Diagnostic, Severity};
use crate::lang::Lang;
use std::fmt::Write;

/// Formats one diagnostic for people; `source` is the file's text when it could be read as UTF-8.
pub fn print_human(d: &Diagnostic, source: Option<&str>, lang: Lang) -> String {
    let (message, hint) = d.text(lang);
    let label = match (d.severity(), lang) {
        (Severity::Error, Lang::Zh) => "错误",
        (Severity::Warning, Lang::Zh) => "警告",
        (Severity::Error, Lang::En) => "error",
        (Severity::Warning, Lang::En) => "warning",
    };
    let colon = lang.pick("：", ": ");
    let mut out = format!("{label}{colon}{message}\n");
    let line_no = d.span.line.max(1);
    let _ = writeln!(out, "  --> {}:{}:{}", d.path, line_no, d.span.column.max(1));
    let line = source.and_then(|s| s.lines().nth(line_no as usize - 1));
    let width = line_no.to_string().len();
    let pad = " ".repeat(width);
    match line {
        Some(text) => {
            let text = text.trim_end_matches('\r');
            let _ = writeln!(out, "{pad} |");
            let _ = writeln!(out, "{line_no} | {text}");
            let caret_at: String = text
                .chars()
                .take(d.span.column.saturating_sub(1) as usize)
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            let carets = "^".repeat(display_len(text, d.span) as usize);
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
            let (message, hint) = d.text(lang);
            serde_json::json!({
                "severity": match d.severity() { Severity::Error => "error", Severity::Warning => "warning" },
                "file": d.path,
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
    let (message, hint) = d.text(lang);
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
        escape_property(path),
        d.span.line,
        d.span.column,
        escape_data(&text)
    )
}

fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}
