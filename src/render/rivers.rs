//! `rivers.html`: figures by river basin (河涌) for river-chief work, each river's latest cases.

use super::pages::capped;
use super::views::figures;
use super::{Page, Renderer};
use crate::model::Case;
use crate::report::rivers;
use anyhow::Result;
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// The rivers page: a table of every river's figures, then each river's latest cases, linking the
/// case list filtered to all of them (none when it can stay as the last build wrote it).
pub fn page(r: &Renderer) -> Result<Option<Page>> {
    let mut by_river: BTreeMap<&str, Vec<&Case>> = BTreeMap::new();
    for c in &r.site.cases {
        if let Some(river) = c.river.as_deref() {
            by_river.entry(river).or_default().push(c);
        }
    }
    let rivers: Vec<Value> = rivers(r.site, r.d)
        .into_iter()
        .map(|river| {
            let mine = by_river
                .get(river.key.as_str())
                .map_or(&[][..], Vec::as_slice)
                .iter()
                .copied();
            let filter = format!("?river={}", url_component(&river.key));
            json!({
                "key": river.key, "name": river.name, "figures": figures(river.counts),
                "cases": capped(r, mine, &filter),
            })
        })
        .collect();
    r.page_keyed(
        "rivers.html",
        "rivers.html",
        &r.t("nav_rivers"),
        json!({ "rivers": rivers }),
    )
}

/// Percent-encodes a query value (a river written as free text may hold any character).
fn url_component(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn query_values_are_percent_encoded() {
        assert_eq!(super::url_component("donghao"), "donghao");
        assert_eq!(super::url_component("东 &"), "%E4%B8%9C%20%26");
    }
}
