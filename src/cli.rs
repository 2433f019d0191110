//! The command line, as the contract gives it.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

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

fn parse_date(s: &str) -> Result<chrono::NaiveDate, String> {
    crate::validate::fields::parse_date(s).ok_or_else(|| {
        let hint = crate::validate::fields::suggest_date(s)
            .map(|f| format!(" (did you mean {f}?)"))
            .unwrap_or_default();
        format!("`{s}` is not a date written YYYY-MM-DD{hint}")
    })
}
