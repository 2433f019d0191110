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
            let text: Vec<char> = blank_controls(text.trim_end_matches('\r'))
                .chars()
                .collect();
            let before = d.span.column.saturating_sub(1) as usize;
            let shown = Window::around(&text, before, display_len(&text, d.span) as usize);
            let _ = writeln!(out, "{pad} |");
            let _ = writeln!(out, "{line_no} | {}", shown.line);
            let hint = hint.map(|h| format!(" {h}")).unwrap_or_default();
            let _ = writeln!(out, "{pad} | {}{}{hint}", shown.caret_at, shown.carets);
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
fn display_len(text: &[char], span: super::Span) -> u32 {
    let available = (text.len() as u32).saturating_sub(span.column.saturating_sub(1));
    span.len.min(available).max(1)
}

/// The most terminal cells a quoted source line takes; a longer line is cut around the caret.
const LINE_CELLS: usize = 120;

/// The part of a source line shown above the carets: at most `LINE_CELLS` cells around the
/// caret, with `…` where the line was cut, and the caret line to go under it.
struct Window {
    line: String,
    caret_at: String,
    carets: String,
}

impl Window {
    /// `before` characters come before the caret, which spans `len` characters.
    fn around(text: &[char], before: usize, len: usize) -> Window {
        let at = before.min(text.len());
        let (lo, hi) = if text.iter().copied().map(room_cells).sum::<usize>() <= LINE_CELLS {
            (0, text.len())
        } else {
            cut_around(text, at)
        };
        let cut = |yes: bool, s: &str| if yes { s.to_string() } else { String::new() };
        let shown: String = text[lo..hi].iter().collect();
        let line = format!("{}{shown}{}", cut(lo > 0, "…"), cut(hi < text.len(), "…"));
        let caret_at: String =
            cut(lo > 0, " ") + &text[lo..at].iter().copied().map(blank).collect::<String>();
        let under = text[at..(at + len).min(hi)]
            .iter()
            .copied()
            .map(cells)
            .sum::<usize>();
        Window {
            line,
            caret_at,
            carets: "^".repeat(under.max(1)),
        }
    }
}

/// The cells a character may take on a terminal: a tab up to eight.
fn room_cells(c: char) -> usize {
    if c == '\t' { 8 } else { cells(c) }
}

/// The characters `lo..hi` of a line too long to show whole: about a third of the room before
/// the caret at `at`, the rest after it, and whatever the line's end leaves unused given back to
/// the left; two cells stay free for the `…` marks.
fn cut_around(text: &[char], at: usize) -> (usize, usize) {
    let room = LINE_CELLS - 2;
    let (mut lo, mut hi, mut used) = (at, at, 0);
    let widen_left = |lo: &mut usize, used: &mut usize, limit: usize| {
        while *lo > 0 && *used + room_cells(text[*lo - 1]) <= limit {
            *lo -= 1;
            *used += room_cells(text[*lo]);
        }
    };
    widen_left(&mut lo, &mut used, room / 3);
    while hi < text.len() && used + room_cells(text[hi]) <= room {
        used += room_cells(text[hi]);
        hi += 1;
    }
    widen_left(&mut lo, &mut used, room);
    (lo, hi)
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
/// Long quoted values are cut (see `clip_quoted`), so a 100,000-character value is not printed
/// whole.
fn visible_text(d: &Diagnostic, lang: Lang) -> (String, Option<String>) {
    let (message, hint) = d.text(lang);
    let shown = |s: &str| visible(&clip_text(&clip_quoted(s)));
    (shown(&message), hint.as_deref().map(shown))
}

/// The most cells a quoted value (between backticks or “ ”) takes in a message, and what is kept
/// of a longer one: its start and its end, `…` between.
const QUOTE_CELLS: usize = 60;
const QUOTE_HEAD: usize = 40;
const QUOTE_TAIL: usize = 16;

/// The most characters of a whole message or hint; a longer one keeps its start and end.
const TEXT_CHARS: usize = 1000;

/// Each quoted value longer than `QUOTE_CELLS` cut to its start and end.
fn clip_quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len().min(4 * TEXT_CHARS));
    let mut quoted: Option<(char, Vec<char>)> = None;
    for c in s.chars() {
        match &mut quoted {
            Some((close, value)) if c == *close => {
                out.extend(clip_middle(value, QUOTE_CELLS, QUOTE_HEAD, QUOTE_TAIL));
                out.push(c);
                quoted = None;
            }
            Some((_, value)) => value.push(c),
            None => {
                out.push(c);
                match c {
                    '`' => quoted = Some(('`', Vec::new())),
                    '“' => quoted = Some(('”', Vec::new())),
                    _ => {}
                }
            }
        }
    }
    if let Some((_, value)) = quoted {
        out.extend(clip_middle(&value, QUOTE_CELLS, QUOTE_HEAD, QUOTE_TAIL));
    }
    out
}

/// A message or hint longer than `TEXT_CHARS` keeps its first and last parts.
fn clip_text(s: &str) -> String {
    if s.chars().count() <= TEXT_CHARS {
        return s.to_string();
    }
    let chars: Vec<char> = s.chars().collect();
    let head = TEXT_CHARS * 2 / 3;
    let tail = TEXT_CHARS - head - 1;
    let mut out: String = chars[..head].iter().collect();
    out.push('…');
    out.extend(&chars[chars.len() - tail..]);
    out
}

/// `value` whole if it takes at most `max` cells, else its first `head` and last `tail` cells.
fn clip_middle(value: &[char], max: usize, head: usize, tail: usize) -> Vec<char> {
    if value.iter().copied().map(cells).sum::<usize>() <= max {
        return value.to_vec();
    }
    let take = |it: &mut dyn Iterator<Item = char>, room: usize| {
        let mut used = 0;
        let mut kept = Vec::new();
        for c in it {
            used += cells(c);
            if used > room {
                break;
            }
            kept.push(c);
        }
        kept
    };
    let mut out = take(&mut value.iter().copied(), head);
    out.push('…');
    let mut end = take(&mut value.iter().rev().copied(), tail);
    end.reverse();
    out.extend(end);
    out
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
        format!("  | {}", quoted(line, column, len).1)
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

    /// The quoted source line and caret line for a one-line source, without their `N | ` margins.
    fn quoted(line: &str, column: u32, len: u32) -> (String, String) {
        let d = Diagnostic::new(
            "a.yaml",
            Span {
                line: 1,
                column,
                len,
            },
            Kind::EmptyFile,
        );
        let out = print_human(&d, Some(line), Lang::En);
        let lines: Vec<&str> = out.lines().collect();
        let text = lines[3].strip_prefix("1 | ").unwrap().to_string();
        let carets = lines[4].strip_prefix("  | ").unwrap();
        let carets = carets
            .trim_end_matches(" fill it in, or delete it")
            .to_string();
        (text, carets)
    }

    /// The characters of `text` that stand above the carets of `carets`, by terminal cells.
    fn under_carets(text: &str, carets: &str) -> String {
        let from: usize = carets.chars().take_while(|&c| c != '^').map(cells).sum();
        let to = from + carets.chars().filter(|&c| c == '^').count();
        let mut at = 0;
        let mut out = String::new();
        for c in text.chars() {
            if at >= from && at < to {
                out.push(c);
            }
            at += cells(c);
        }
        out
    }

    #[test]
    fn long_lines_are_cut_around_the_caret() {
        let ascii: String = (0..100_000)
            .map(|i| char::from(b'a' + (i % 26) as u8))
            .collect();
        let cjk = format!("name: {}", "散乱污整治".repeat(20_000));
        let marked = format!("{}TARGET{}", "x".repeat(50_000), "y".repeat(50_000));
        let wide_marked = format!("{}【错】{}", "散".repeat(50_000), "污".repeat(50_000));
        // (line, column, len, the text above the carets, cut at the start, cut at the end)
        let rows: Vec<(&str, u32, u32, String, bool, bool)> = vec![
            (&ascii, 1, 3, "abc".into(), false, true),
            (&ascii, 50_001, 1, ascii[50_000..50_001].into(), true, true),
            (&ascii, 100_000, 1, ascii[99_999..].into(), true, false),
            (&marked, 50_001, 6, "TARGET".into(), true, true),
            (&cjk, 7, 5, "散乱污整治".into(), false, true),
            (&cjk, 60_007, 2, "散乱".into(), true, true),
            (&wide_marked, 50_001, 3, "【错】".into(), true, true),
            // A span longer than the room: carets up to the cut.
            (&marked, 1, 100_006, "x".repeat(LINE_CELLS - 2), false, true),
            ("short line", 7, 4, "line".into(), false, false),
        ];
        // Tabs count as eight cells: a line of them is cut as soon as it could pass 120.
        let tabs = format!("{}x", "\t".repeat(1_000));
        let (text, _) = quoted(&tabs, 1_001, 1);
        assert!(
            text.chars().filter(|&c| c == '\t').count() * 8 <= LINE_CELLS,
            "{text:?}"
        );
        assert!(text.starts_with('…') && text.ends_with("\tx"), "{text:?}");
        for (line, column, len, want, cut_start, cut_end) in rows {
            let (text, carets) = quoted(line, column, len);
            let what = format!(
                "column {column} of a {}-character line",
                line.chars().count()
            );
            let width: usize = text.chars().map(cells).sum();
            assert!(width <= LINE_CELLS, "{what}: {width} cells");
            assert_eq!(
                under_carets(&text, &carets),
                want,
                "{what}:\n{text}\n{carets}"
            );
            assert_eq!(text.starts_with('…'), cut_start, "{what}: {text}");
            assert_eq!(text.ends_with('…'), cut_end, "{what}: {text}");
        }
    }

    #[test]
    fn long_values_in_messages_are_cut_in_every_format() {
        let value = format!("{}MIDDLE{}", "街".repeat(50_000), "z".repeat(50_000));
        let d = Diagnostic::new(
            "cases/a.yaml",
            Span::new(1, 9, 100_006),
            Kind::UnknownRef {
                what: "street",
                value: value.clone(),
                suggestion: None,
            },
        );
        let source = format!("street: {value}");
        let clipped = format!("`{}…{}`", "街".repeat(20), "z".repeat(16));
        let human = print_human(&d, Some(&source), Lang::En);
        let github = print_github(&d, &d.path, Lang::En);
        let json = to_json(std::slice::from_ref(&d), Lang::Zh).to_string();
        for (format, out) in [("human", &human), ("github", &github), ("json", &json)] {
            assert!(out.len() < 2_000, "{format}: {} bytes", out.len());
            assert!(out.contains(&clipped), "{format}: {out}");
            assert!(!out.contains("MIDDLE"), "{format}");
        }
        // Short values stay whole; a long message without quotes keeps its start and end.
        let short = Kind::UnknownRef {
            what: "street",
            value: "dongshn".into(),
            suggestion: None,
        };
        let d = Diagnostic::new("a.yaml", Span::new(1, 1, 1), short);
        assert!(print_github(&d, "a.yaml", Lang::En).ends_with("unknown street `dongshn`"));
        let long = format!("start {} end", "长".repeat(5_000));
        let cut = clip_text(&long);
        assert_eq!(cut.chars().count(), TEXT_CHARS);
        assert!(cut.starts_with("start 长") && cut.ends_with("长 end") && cut.contains('…'));
    }
}
