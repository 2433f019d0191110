//! The integration suite: one test binary (one link step) holding every end-to-end test of the CLI.

mod broken;
mod common;
mod figures;
mod golden;
mod oracle;
mod output;
mod safety;
mod serve;
mod warnings;
