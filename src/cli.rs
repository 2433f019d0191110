//! The command line, as the contract gives it.

mod usage;

use clap::error::ErrorKind;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

pub use usage::{explain as explain_usage, lang_of_args};

/// The command line parsed, or the usage error told in the site's language and exit code 2
/// (`--help` and `--version` print as clap has them and exit 0).
pub fn parse_or_exit(args: Vec<std::ffi::OsString>) -> Cli {
    match Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(err) if !err.use_stderr() => err.exit(),
        // `rectify` alone: the overview of the commands, as clap writes it.
        Err(err) if err.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => err.exit(),
        Err(err) => {
            let words: Vec<String> = args
                .iter()
                .map(|a| a.to_string_lossy().into_owned())
                .collect();
            eprint!("{}", explain_usage(&err, lang_of_args(&words)));
            std::process::exit(2);
        }
    }
}

#[derive(Parser, Debug)]
#[command(
    name = "rectify",
    version,
    about = "把“散乱污”场所清理整治的纯文本内容生成静态网站 / Builds a rectification campaign's static site"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Build the site into the output folder (default ./output).
    Build(BuildArgs),
    /// Check the content and print every problem; writes nothing.
    Check(CheckArgs),
    /// Build into a folder of its own, serve it on localhost and rebuild on every change.
    Serve(ServeArgs),
    /// Write DIR/content/, a small valid campaign to start from.
    Init(InitArgs),
    /// Write a new case, note or publicity file to fill in.
    New(NewArgs),
    /// Write JSON Schemas for the YAML files (default ./schemas).
    Schema(SchemaArgs),
    /// Summarise what changed in the content since git revision REV.
    Diff(DiffArgs),
    /// Turn a street's ledger (台账, .xlsx or .csv) into case files; writes nothing on any error.
    Import(ImportArgs),
}

#[derive(Args, Debug)]
pub struct ImportArgs {
    /// The ledger: LEDGER.xlsx or LEDGER.csv (UTF-8).
    #[arg(value_name = "LEDGER")]
    pub ledger: PathBuf,
    #[arg(long, default_value = "content")]
    pub content: PathBuf,
    /// The sheet to read (default: the first, or every 三个一批 sheet of a lists.xlsx).
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// A YAML map from the ledger's own headers to the lists.xlsx column names.
    #[arg(long, value_name = "MAP.yaml")]
    pub map: Option<PathBuf>,
    /// Print what would be written and, per updated case, which fields would change; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Merge rows into existing cases with the same id, field by field (filled cells win).
    #[arg(long)]
    pub force: bool,
}

#[derive(Args, Debug)]
pub struct InitArgs {
    /// The folder to create `content/` in.
    pub dir: PathBuf,
}

#[derive(Args, Debug)]
pub struct NewArgs {
    #[command(subcommand)]
    pub what: NewWhat,
}

#[derive(Subcommand, Debug)]
pub enum NewWhat {
    /// A case file: cases/<street>/<next id>.yaml.
    Case(NewCaseArgs),
    /// A work note: notes/<date>-<ascii words of the title>.md.
    Note(NewNoteArgs),
    /// A publicity item: publicity/<date>-<ascii words of the title>.md.
    Publicity(NewPublicityArgs),
}

#[derive(Args, Debug)]
pub struct NewCaseArgs {
    /// The street: its id or its name.
    #[arg(long)]
    pub street: String,
    /// The site's publishable name.
    #[arg(long)]
    pub name: Option<String>,
    /// The date found (default: today).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub date: Option<chrono::NaiveDate>,
    #[arg(long, default_value = "content")]
    pub content: PathBuf,
}

#[derive(Args, Debug)]
pub struct NewNoteArgs {
    #[arg(long)]
    pub title: String,
    /// The note's date (default: today).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub date: Option<chrono::NaiveDate>,
    /// The street it concerns: its id or its name.
    #[arg(long)]
    pub street: Option<String>,
    #[arg(long, default_value = "content")]
    pub content: PathBuf,
}

#[derive(Args, Debug)]
pub struct NewPublicityArgs {
    #[arg(long)]
    pub title: String,
    /// The item's date (default: today).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub date: Option<chrono::NaiveDate>,
    #[arg(long, default_value = "content")]
    pub content: PathBuf,
}

#[derive(Args, Debug)]
pub struct SchemaArgs {
    /// The folder to write the schemas to.
    #[arg(long, default_value = "schemas")]
    pub output: PathBuf,
}

#[derive(Args, Debug)]
pub struct DiffArgs {
    /// The git revision to compare with (e.g. origin/main).
    pub rev: String,
    #[arg(long, default_value = "content")]
    pub content: PathBuf,
    #[arg(long, value_enum, default_value_t = DiffFormat::Markdown)]
    pub format: DiffFormat,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum DiffFormat {
    Markdown,
    Json,
}

#[derive(Args, Debug, Clone)]
pub struct ServeArgs {
    #[arg(long, default_value = "content")]
    pub content: PathBuf,
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: String,
    #[arg(long, default_value_t = 1111)]
    pub port: u16,
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub as_of: Option<chrono::NaiveDate>,
    #[arg(long, value_enum, default_value_t = ProfileArg::Public)]
    pub profile: ProfileArg,
    /// Open the site in the default browser.
    #[arg(long)]
    pub open: bool,
}

#[derive(Args, Debug)]
pub struct BuildArgs {
    /// The content folder.
    #[arg(long, default_value = "content")]
    pub content: PathBuf,
    /// The output folder.
    #[arg(long, default_value = "output")]
    pub output: PathBuf,
    /// The date D the figures are computed for (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub as_of: Option<chrono::NaiveDate>,
    /// public publishes nothing from `private:`; internal does, and marks every page.
    #[arg(long, value_enum, default_value_t = ProfileArg::Public)]
    pub profile: ProfileArg,
}

#[derive(Args, Debug)]
pub struct CheckArgs {
    #[arg(long, default_value = "content")]
    pub content: PathBuf,
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub as_of: Option<chrono::NaiveDate>,
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// The language of the messages (default: the site's).
    #[arg(long, value_parser = ["zh-CN", "en"])]
    pub lang: Option<String>,
    /// Fail on warnings too.
    #[arg(long)]
    pub strict: bool,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProfileArg {
    Public,
    Internal,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
    Github,
}

fn parse_date(s: &str) -> Result<chrono::NaiveDate, crate::diag::Said> {
    use crate::diag::Said;
    use crate::validate::fields::date_in_range;
    if let Some(d) = crate::validate::fields::parse_date(s).filter(|d| !date_in_range(*d)) {
        return Err(Said::new(
            format!("`{d}` 不在 1990-01-01 … 2100-12-31 之间"),
            format!("`{d}` is outside 1990-01-01 … 2100-12-31"),
        ));
    }
    crate::validate::fields::parse_date(s).ok_or_else(|| {
        let hint = crate::validate::fields::suggest_date(s);
        Said::new(
            format!(
                "`{s}` 不是 YYYY-MM-DD 格式的日期{}",
                hint.as_deref()
                    .map(|f| format!("（是否是 {f}？）"))
                    .unwrap_or_default()
            ),
            format!(
                "`{s}` is not a date written YYYY-MM-DD{}",
                hint.as_deref()
                    .map(|f| format!(" (did you mean {f}?)"))
                    .unwrap_or_default()
            ),
        )
    })
}
