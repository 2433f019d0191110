//! `organisation.yaml`'s optional `rivers` and a case's `river`: with a list, every spelling of a
//! river (its id or its name) becomes its id, so variants never split a river's figures.

use super::Refs;
use super::fields::{Ctx, Obj, suggest};
use crate::diag::{Kind, Span};
use crate::model::River;
use std::collections::BTreeMap;

/// How `organisation.yaml` checks an id (pattern, uniqueness) and returns it.
type UnitId = fn(&mut Ctx, &mut Obj, &mut BTreeMap<String, Span>) -> Option<String>;

/// `rivers`: ids unique among the rivers, names unique too (a name stands for its river).
pub fn rivers(cx: &mut Ctx, obj: &mut Obj, unit_id: UnitId) -> Vec<River> {
    let mut seen = BTreeMap::new();
    let mut out: Vec<River> = Vec::new();
    for node in cx.list(obj, "rivers") {
        let Some(mut o) = cx.obj(node, "rivers") else {
            continue;
        };
        let id = unit_id(cx, &mut o, &mut seen);
        let name_span = o.get("name").map_or(o.span, |n| n.span);
        let name = cx.req_text(&mut o, "name").map(|n| n.trim().to_string());
        cx.finish(o, &["id", "name"]);
        let (Some(id), Some(name)) = (id, name) else {
            continue;
        };
        if out.iter().any(|r| r.name == name) {
            cx.err(
                name_span,
                Kind::DuplicateId {
                    id: name,
                    other: "organisation.yaml".into(),
                },
            );
            continue;
        }
        out.push(River { id, name });
    }
    out
}

impl Refs<'_> {
    /// A case's `river`: free text when `organisation.yaml` lists no rivers, else the listed river's
    /// id (so 东濠涌 and donghao count as one river), or an error with a did-you-mean hint.
    pub fn river(&self, cx: &mut Ctx, text: String, span: Span) -> Option<String> {
        if let Some(found) = self.ask(cx, super::refs::Lookup::River(text.clone())) {
            return Some(found);
        }
        let rivers = &self.org.rivers;
        let t = text.trim();
        let hit = suggest(t, rivers.iter().map(|r| r.id.as_str()))
            .or_else(|| suggest(t, rivers.iter().map(|r| r.name.as_str())))
            .and_then(|h| rivers.iter().find(|r| r.id == h || r.name == h));
        let suggestion = hit.map(|r| format!("`{}`（{}）", r.id, r.name));
        cx.err(
            span,
            Kind::UnknownRef {
                what: "river",
                value: t.to_string(),
                suggestion,
            },
        );
        None
    }
}
