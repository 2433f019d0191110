//! `gen-content`: writes a deterministic sample content folder (see `rectify::sample`).

use clap::Parser;
use rectify::sample::{Spec, generate};
use std::path::PathBuf;

/// Write a sample content folder: the Yuexiu 2022 campaign by default, or a synthetic district.
#[derive(Parser)]
struct Args {
    /// The content folder to write into.
    #[arg(long)]
    out: PathBuf,
    #[arg(long, default_value_t = 200)]
    cases: usize,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// A synthetic district with this many streets instead of Yuexiu's 18.
    #[arg(long)]
    streets: Option<usize>,
    #[arg(long, default_value_t = 24)]
    notes: usize,
    #[arg(long, default_value_t = 10)]
    publicity: usize,
    /// Write no photos or covers.
    #[arg(long)]
    no_photos: bool,
    /// First remove the generated folders (cases, notes, publicity, briefings, files) under --out.
    #[arg(long)]
    clean: bool,
}

fn main() -> anyhow::Result<()> {
    let a = Args::parse();
    if a.clean {
        for sub in ["cases", "notes", "publicity", "briefings", "files"] {
            let path = a.out.join(sub);
            if path.is_dir() {
                std::fs::remove_dir_all(&path)
                    .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
            }
        }
    }
    let spec = Spec {
        seed: a.seed,
        cases: a.cases,
        streets: a.streets,
        notes: a.notes,
        publicity: a.publicity,
        photos: !a.no_photos,
    };
    generate(&spec, &a.out).map_err(|e| anyhow::anyhow!("writing {}: {e}", a.out.display()))
}
