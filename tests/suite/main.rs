//! The integration suite: one test binary (one link step) holding every end-to-end test of the CLI.

mod broken;
mod built;
mod cache;
mod common;
mod consistency;
mod docx;
mod figures;
mod golden;
mod lists;
mod oracle;
mod output;
mod photos;
mod safety;
mod serve;
mod swap;
mod views;
mod warnings;
