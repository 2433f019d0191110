//! rectify: turns a campaign's plain-text content folder into a static website.
//!
//! The pipeline is a chain of plain stages (see `STYLE.md`): load → parse → validate → report →
//! render → write. Commands under `cmd/` reuse these stages.

pub mod charts;
pub mod sample;
pub mod diag;
pub mod lang;
pub mod load;
pub mod model;
pub mod validate;
pub mod yaml;
pub mod report;
