use super::schemas;
use serde_json::Value;
use std::collections::BTreeSet;

fn schema(name: &str) -> Value {
    schemas()
        .into_iter()
        .find(|s| s.name == name)
        .unwrap()
        .schema
}

fn properties(name: &str) -> BTreeSet<String> {
    let s = schema(name);
    s["properties"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect()
}

fn set(fields: &[&str]) -> BTreeSet<String> {
    fields.iter().map(|f| f.to_string()).collect()
}

#[test]
fn schema_fields_are_the_validators_fields() {
    use crate::validate::field_lists as v;
    assert_eq!(properties("case.schema.json"), set(v::CASE));
    assert_eq!(properties("site.schema.json"), set(v::SITE));
    assert_eq!(properties("note.schema.json"), set(v::NOTE));
    assert_eq!(properties("publicity.schema.json"), set(v::PUBLICITY));
}

#[test]
fn briefing_schema_fields_are_the_validators_fields() {
    let s = schema("site.schema.json");
    let fields: BTreeSet<String> = s["$defs"]["Briefing"]["properties"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    assert_eq!(fields, set(crate::validate::field_lists::BRIEFING));
    assert!(s.to_string().contains("文号"), "described in Chinese");
}

#[test]
fn required_fields_are_the_contracts() {
    let s = schemas()
        .into_iter()
        .find(|s| s.name == "case.schema.json")
        .unwrap()
        .schema;
    let required: BTreeSet<&str> = s["required"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let want: BTreeSet<&str> = [
        "id", "name", "street", "criteria", "source", "action", "found",
    ]
    .into();
    assert_eq!(required, want);
}

#[test]
fn enums_list_keys_and_labels_and_no_nulls() {
    let s = schemas()
        .into_iter()
        .find(|s| s.name == "case.schema.json")
        .unwrap()
        .schema;
    let text = s.to_string();
    for v in ["shut-down", "关停取缔", "central-inspection", "涉危废"] {
        assert!(text.contains(&format!("\"{v}\"")), "{v}");
    }
    assert!(!text.contains("null"));
    assert_eq!(s["$schema"], "https://json-schema.org/draft/2020-12/schema");
}
