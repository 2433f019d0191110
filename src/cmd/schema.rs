//! `rectify schema [--output DIR]`: writes the JSON Schemas of the content's YAML files.

use super::Failure;
use crate::cli::SchemaArgs;
use crate::schema::schemas;
use anyhow::Context;

pub fn run(args: &SchemaArgs) -> Result<(), Failure> {
    std::fs::create_dir_all(&args.output)
        .with_context(|| format!("cannot create {}", args.output.display()))?;
    for file in schemas() {
        let path = args.output.join(file.name);
        let text = serde_json::to_string_pretty(&file.schema).unwrap_or_default() + "\n";
        std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
        println!("{}", path.display());
    }
    Ok(())
}
