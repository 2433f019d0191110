//! rectify: turns a campaign's plain-text content folder into a static website.
//!
//! The pipeline is a chain of plain stages (see `STYLE.md`): load → parse → validate → report →
//! render → write. Commands under `cmd/` reuse these stages.

pub mod cache;
pub mod charts;
pub mod cli;
pub mod cmd;
pub mod compare;
pub mod diag;
pub mod filekind;
pub mod lang;
pub mod ledger;
pub mod links;
pub mod load;
pub mod media;
pub mod model;
pub mod photo;
pub mod render;
pub mod report;
pub mod sample;
pub mod schema;
pub mod serve;
pub mod timings;
pub mod validate;
pub mod write;
pub mod yaml;
