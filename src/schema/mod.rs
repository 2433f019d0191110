//! JSON Schemas (draft 2020-12) for the content's YAML files and front matter, generated from the
//! Rust types in this module so that they cannot drift into a hand-kept copy.

mod case;
mod types;
mod values;

#[cfg(test)]
mod tests;

use schemars::{JsonSchema, SchemaGenerator, generate::SchemaSettings};
use serde_json::Value;

/// One schema file: its name, the content files it describes (globs relative to the content
/// folder) and the schema itself.
pub struct SchemaFile {
    pub name: &'static str,
    pub globs: &'static [&'static str],
    pub schema: Value,
}

/// Every schema, in a fixed order.
pub fn schemas() -> Vec<SchemaFile> {
    vec![
        one::<types::SiteFile>("site.schema.json", &["site.yaml"]),
        one::<types::OrganisationFile>("organisation.schema.json", &["organisation.yaml"]),
        one::<types::TasksFile>("tasks.schema.json", &["tasks.yaml"]),
        one::<case::CaseFile>("case.schema.json", &["cases/**/*.yaml"]),
        one::<types::PlanFront>("plan.schema.json", &["plan.md"]),
        one::<types::NoteFront>("note.schema.json", &["notes/**/*.md"]),
        one::<types::PublicityFront>("publicity.schema.json", &["publicity/**/*.md"]),
        one::<types::BriefingFront>("briefing.schema.json", &["briefings/*.md"]),
    ]
}

fn one<T: JsonSchema>(name: &'static str, globs: &'static [&'static str]) -> SchemaFile {
    let generator = SchemaGenerator::new(SchemaSettings::draft2020_12());
    let mut schema = generator.into_root_schema_for::<T>().to_value();
    no_nulls(&mut schema);
    SchemaFile {
        name,
        globs,
        schema,
    }
}

/// An optional field may be left out, never written as null: drop the `null` schemars adds to
/// `Option`s.
fn no_nulls(v: &mut Value) {
    match v {
        Value::Object(map) => {
            if let Some(Value::Array(types)) = map.get_mut("type") {
                types.retain(|t| t != "null");
                if types.len() == 1 {
                    let only = types.remove(0);
                    map.insert("type".into(), only);
                }
            }
            if let Some(Value::Array(any)) = map.get_mut("anyOf") {
                any.retain(|s| s.get("type").is_none_or(|t| t != "null"));
                if any.len() == 1 {
                    let only = any.remove(0);
                    map.remove("anyOf");
                    if let Value::Object(inner) = only {
                        for (k, v) in inner {
                            map.entry(k).or_insert(v);
                        }
                    }
                }
            }
            map.values_mut().for_each(no_nulls);
        }
        Value::Array(items) => items.iter_mut().for_each(no_nulls),
        _ => {}
    }
}
