//! The `rectify` binary: parses the command line, dispatches, and maps failures to exit codes.

use rectify::cli::{Command, NewWhat};
use rectify::cmd;
use rectify::lang::Lang;

/// mimalloc rather than the system's allocator: a build at 100,000 cases makes and frees millions
/// of small strings, and glibc's malloc spent a seventh of a one-case build's time on them.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let cli = rectify::cli::parse_or_exit(std::env::args_os().collect());
    let result = match &cli.command {
        Command::Build(args) => cmd::build::run(args),
        Command::Check(args) => cmd::check::run(args),
        Command::Serve(args) => cmd::serve::run(args),
        Command::Init(args) => cmd::init::run(args),
        Command::New(args) => cmd::new::run(args),
        Command::Schema(args) => cmd::schema::run(args),
        Command::Diff(args) => cmd::diff::run(args),
        Command::Import(args) => cmd::import::run(args),
    };
    if let Err(failure) = result {
        failure.print(message_lang(&cli.command));
        std::process::exit(failure.exit_code());
    }
}

/// The language of an error line: `check --lang`, else the content folder's `site.yaml`, else Chinese.
fn message_lang(command: &Command) -> Lang {
    let content = match command {
        Command::Check(args) => {
            if let Some(lang) = args.lang.as_deref().and_then(Lang::parse) {
                return lang;
            }
            &args.content
        }
        Command::Build(args) => &args.content,
        Command::Serve(args) => &args.content,
        Command::Diff(args) => &args.content,
        Command::Import(args) => &args.content,
        Command::New(args) => match &args.what {
            NewWhat::Case(a) => &a.content,
            NewWhat::Note(a) => &a.content,
            NewWhat::Publicity(a) => &a.content,
        },
        Command::Init(_) | Command::Schema(_) => return Lang::default(),
    };
    cmd::content_lang(content)
}
