//! Diagnostics: a content problem's location kept apart from its kind, printed rustc-style.

mod cap;
mod interned;
mod messages;
mod print;
mod said;

pub use cap::{Capped, WARNING_CAP, cap, more_line};
pub use messages::Kind;
pub use print::{print_github, print_human, to_json};
pub use said::{Said, error_line, explain};

use crate::lang::Lang;

/// How bad a problem is: errors fail `build` and `check`; warnings fail only `check --strict`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// A place in a source file: 1-based line and column counted in characters, and a length in characters.
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Serialize,
    serde::Deserialize,
)]
pub struct Span {
    pub line: u32,
    pub column: u32,
    pub len: u32,
}

impl Span {
    pub fn new(line: u32, column: u32, len: u32) -> Span {
        Span { line, column, len }
    }

    /// The start of a file, for problems that belong to the file as a whole.
    pub fn file_start() -> Span {
        Span::new(1, 1, 0)
    }
}

/// One problem in the content: which file, where, and what.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Diagnostic {
    pub path: String,
    pub span: Span,
    pub kind: Kind,
}

impl Diagnostic {
    pub fn new(path: impl Into<String>, span: Span, kind: Kind) -> Diagnostic {
        Diagnostic {
            path: path.into(),
            span,
            kind,
        }
    }

    pub fn severity(&self) -> Severity {
        self.kind.severity()
    }

    pub fn is_error(&self) -> bool {
        self.severity() == Severity::Error
    }

    /// The message and the optional hint, in `lang`.
    pub fn text(&self, lang: Lang) -> (String, Option<String>) {
        self.kind.text(lang)
    }
}

/// Sorts diagnostics by file and position so output is stable whatever order they were found in.
pub fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| (&a.path, a.span).cmp(&(&b.path, b.span)));
}
