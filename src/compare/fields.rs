//! Each record as a list of (field, text) pairs, so that two versions can be compared field by field
//! and the change shown in a pull-request comment.

use crate::lang::Lang;
use crate::model::{Case, Task, Unit};

fn opt(v: &Option<impl ToString>) -> String {
    v.as_ref().map(ToString::to_string).unwrap_or_default()
}

fn list<T>(items: &[T], show: impl Fn(&T) -> String) -> String {
    items.iter().map(show).collect::<Vec<_>>().join("、")
}

/// Every field of a case as text, in the contract's order. `private` is never shown, only whether
/// it changed, because the comment may be public.
pub fn case(c: &Case) -> Vec<(&'static str, String)> {
    let zh = Lang::Zh;
    let private = if c.private.is_empty() {
        String::new()
    } else {
        let digest: Vec<String> = c.private.iter().map(|(k, v)| format!("{k}={v}")).collect();
        format!(
            "（内部信息 / private: {} 项）#{}",
            c.private.len(),
            hash(&digest.join("\n"))
        )
    };
    vec![
        ("name", c.name.clone()),
        ("street", c.street.clone()),
        ("community", opt(&c.community)),
        ("grid", opt(&c.grid)),
        ("river", opt(&c.river)),
        ("industry", opt(&c.industry)),
        ("location", opt(&c.location)),
        ("criteria", list(&c.criteria, |v| v.label(zh).into())),
        ("pollution", list(&c.pollution, |v| v.label(zh).into())),
        ("source", c.source.label(zh).into()),
        ("source_ref", opt(&c.source_ref)),
        ("action", c.action.label(zh).into()),
        ("found", c.found.to_string()),
        ("deadline", opt(&c.deadline)),
        ("rectified", opt(&c.rectified)),
        ("closed", opt(&c.closed)),
        ("units", c.units.join("、")),
        ("tasks", list(&c.tasks, u32::to_string)),
        ("watch", c.watch.to_string()),
        ("typical", c.typical.to_string()),
        ("publish", c.publish.to_string()),
        ("summary", opt(&c.summary)),
        ("log", list(&c.log, |l| format!("{} {}", l.date, l.text))),
        (
            "photos",
            list(&c.photos, |p| format!("{} {}", p.stage.label(zh), p.file)),
        ),
        (
            "rechecks",
            list(&c.rechecks, |r| {
                format!("{} {}", r.date, r.method.label(zh))
            }),
        ),
        (
            "relapses",
            list(&c.relapses, |r| {
                format!(
                    "{}→{}",
                    r.found,
                    r.rectified.map_or("…".into(), |d| d.to_string())
                )
            }),
        ),
        ("private", private),
    ]
}

/// A short, stable fingerprint, so a changed `private` shows as changed without its values.
fn hash(s: &str) -> String {
    let mut h: u32 = 0x811c_9dc5;
    for b in s.bytes() {
        h = (h ^ b as u32).wrapping_mul(0x0100_0193);
    }
    format!("{:04x}", h >> 16)
}

pub fn task(t: &Task) -> Vec<(&'static str, String)> {
    vec![
        ("title", t.title.clone()),
        ("text", t.text.trim().to_string()),
        ("lead", t.owners.lead.join("、")),
        ("implement", t.owners.implement.join("、")),
        ("support", t.owners.support.join("、")),
        (
            "milestones",
            list(&t.milestones, |m| {
                let done = m.done.map(|d| format!("（{d} 完成）")).unwrap_or_default();
                format!("{} {}{done}", m.date, m.text)
            }),
        ),
    ]
}

pub fn unit(u: &Unit) -> Vec<(&'static str, String)> {
    vec![
        ("name", u.name.clone()),
        ("full_name", opt(&u.full_name)),
        ("communities", u.communities.join("、")),
    ]
}

/// The fields whose text differs, as (field, old, new).
pub fn changed(
    old: &[(&'static str, String)],
    new: &[(&'static str, String)],
) -> Vec<super::types::FieldChange> {
    old.iter()
        .zip(new)
        .filter(|(a, b)| a.1 != b.1)
        .map(|(a, b)| super::types::FieldChange {
            field: a.0.into(),
            old: a.1.clone(),
            new: b.1.clone(),
        })
        .collect()
}
