//! The `rectify` binary: parses the command line, dispatches, and maps failures to exit codes.

use clap::Parser;
use rectify::cli::{Cli, Command};
use rectify::cmd::{self, Failure};

fn main() {
    let cli = Cli::parse();
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
        match &failure {
            Failure::Content => {}
            Failure::Usage(msg) => eprintln!("error: {msg}"),
            Failure::Env(err) => eprintln!("error: {err:#}"),
        }
        std::process::exit(failure.exit_code());
    }
}
