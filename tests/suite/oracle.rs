//! An independent reading of the contract's figures (docs/reference.md, “统计口径：截至日期 D”), for
//! checking `data/summary.json`: parses the content with serde_saphyr and counts in plain code,
//! without `rectify::report` or `rectify::validate`.

use serde_json::{Value, json};
use std::fs;
use std::path::Path;

type Date = String; // YYYY-MM-DD compares correctly as text

const ACTIONS: &[(&str, &str)] = &[
    ("shut-down", "关停取缔"),
    ("relocate", "整合搬迁"),
    ("upgrade", "升级改造"),
];
const CRITERIA: &[(&str, &str)] = &[
    ("scattered", "散"),
    ("disorderly", "乱"),
    ("polluting", "污"),
];
const POLLUTION: &[(&str, &str)] = &[
    ("water", "涉水"),
    ("air", "涉气"),
    ("solid-waste", "涉固废"),
    ("hazardous-waste", "涉危废"),
    ("noise", "噪声"),
];
const SOURCES: &[(&str, &str)] = &[
    ("electricity-data", "市用电大数据名单"),
    ("grid-patrol", "网格巡查"),
    ("complaint", "群众举报"),
    ("hotline", "12345热线"),
    ("central-inspection", "中央生态环境保护督察交办"),
    ("provincial-inspection", "省生态环境保护督察交办"),
    ("city-referral", "市级交办"),
    ("river-chief", "河长办巡河洗楼"),
    ("media", "媒体曝光"),
    ("department-check", "部门检查"),
    ("other", "其他"),
];

#[derive(Debug)]
struct Relapse {
    found: Date,
    deadline: Option<Date>,
    rectified: Option<Date>,
}

#[derive(Debug)]
struct Case {
    street: String,
    action: String,
    criteria: Vec<String>,
    pollution: Vec<String>,
    source: String,
    industry: Option<String>,
    found: Date,
    deadline: Option<Date>,
    rectified: Option<Date>,
    closed: Option<Date>,
    relapses: Vec<Relapse>,
    /// Every dated event of the case, for the default D.
    events: Vec<Date>,
}

/// A content folder as the figures see it.
pub struct Content {
    start: Date,
    site_as_of: Option<Date>,
    /// (id, name) in organisation.yaml order.
    streets: Vec<(String, String)>,
    cases: Vec<Case>,
    doc_dates: Vec<Date>,
}

fn yaml(path: &Path) -> Value {
    let text = fs::read_to_string(path).unwrap();
    serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn key(table: &[(&str, &str)], v: &Value) -> String {
    let t = text(v).unwrap();
    let (k, _) = table
        .iter()
        .find(|(k, zh)| *k == t || *zh == t)
        .unwrap_or_else(|| panic!("`{t}` not in {table:?}"));
    k.to_string()
}

fn keys(table: &[(&str, &str)], v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| a.iter().map(|x| key(table, x)).collect())
        .unwrap_or_default()
}

fn files(dir: &Path, ext: &str, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for e in entries {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        if name.starts_with('.') || name.starts_with('_') {
            continue;
        }
        if p.is_dir() {
            files(&p, ext, out);
        } else if name.ends_with(ext) {
            out.push(p);
        }
    }
}

fn front_date(path: &Path) -> Date {
    let text = fs::read_to_string(path).unwrap();
    let front = text.split("---").nth(1).unwrap();
    let v: Value = serde_saphyr::from_str(front).unwrap();
    text_of(&v["date"]).unwrap()
}

fn text_of(v: &Value) -> Option<String> {
    text(v)
}

impl Content {
    pub fn read(dir: &Path) -> Content {
        let site = yaml(&dir.join("site.yaml"));
        let org = yaml(&dir.join("organisation.yaml"));
        let streets: Vec<(String, String)> = org["streets"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| (text(&s["id"]).unwrap(), text(&s["name"]).unwrap()))
            .collect();
        let mut paths = Vec::new();
        files(&dir.join("cases"), ".yaml", &mut paths);
        let cases = paths.iter().map(|p| case(&yaml(p), &streets)).collect();
        let mut docs = Vec::new();
        files(&dir.join("notes"), ".md", &mut docs);
        files(&dir.join("publicity"), ".md", &mut docs);
        Content {
            start: text(&site["campaign"]["start"]).unwrap(),
            site_as_of: text(&site["as_of"]),
            streets,
            cases,
            doc_dates: docs.iter().map(|p| front_date(p)).collect(),
        }
    }

    /// D when neither `--as-of` nor `as_of` is given: the latest event date, never a deadline.
    pub fn default_as_of(&self) -> Date {
        let events = self.cases.iter().flat_map(|c| c.events.iter());
        self.site_as_of.clone().unwrap_or_else(|| {
            events
                .chain(&self.doc_dates)
                .max()
                .cloned()
                .unwrap_or_default()
        })
    }

    /// `data/summary.json` as the contract defines it for D.
    pub fn summary(&self, d: &str) -> Value {
        let exist: Vec<&Case> = self
            .cases
            .iter()
            .filter(|c| c.found.as_str() <= d)
            .collect();
        let streets: Vec<Value> = self
            .streets
            .iter()
            .map(|(id, name)| {
                let mine: Vec<&Case> = exist.iter().copied().filter(|c| &c.street == id).collect();
                let mut row = json!({"id": id, "name": name});
                merge(&mut row, status_counts(&mine, d));
                row
            })
            .collect();
        let breakdown = |table: &[(&str, &str)], of: &dyn Fn(&Case) -> Vec<String>| -> Vec<Value> {
            table
                .iter()
                .map(|(k, _)| {
                    let with: Vec<&Case> = exist
                        .iter()
                        .copied()
                        .filter(|c| of(c).iter().any(|x| x == k))
                        .collect();
                    let done = with.iter().filter(|c| is_done(c, d)).count();
                    json!({"id": k, "found": with.len(), "done": done})
                })
                .collect()
        };
        json!({
            "as_of": d,
            "totals": status_counts(&exist, d),
            "streets": streets,
            "months": self.months(d),
            "actions": breakdown(ACTIONS, &|c| vec![c.action.clone()]),
            "criteria": breakdown(CRITERIA, &|c| c.criteria.clone()),
            "pollution": breakdown(POLLUTION, &|c| c.pollution.clone()),
            "sources": breakdown(SOURCES, &|c| vec![c.source.clone()]),
            "industries": industries(&exist, d),
        })
    }

    fn months(&self, d: &str) -> Vec<Value> {
        let upto = |x: &Option<Date>, end: &str| x.as_deref().is_some_and(|x| x <= end && x <= d);
        let within =
            |x: &Option<Date>, m: &str| x.as_deref().is_some_and(|x| x.starts_with(m) && x <= d);
        let mut out = Vec::new();
        let mut month = self.start[..7].to_string();
        while month.as_str() <= &d[..7] {
            let end = format!("{month}-31");
            let count = |f: &dyn Fn(&Case) -> bool| self.cases.iter().filter(|c| f(c)).count();
            let found = |c: &Case| Some(c.found.clone());
            out.push(json!({
                "month": month,
                "found": count(&|c| within(&found(c), &month)),
                "rectified": count(&|c| within(&c.rectified, &month)),
                "closed": count(&|c| within(&c.closed, &month)),
                "relapses": self.cases.iter().flat_map(|c| &c.relapses)
                    .filter(|r| within(&Some(r.found.clone()), &month)).count(),
                "found_cum": count(&|c| upto(&found(c), &end)),
                "rectified_cum": count(&|c| upto(&c.rectified, &end)),
                "closed_cum": count(&|c| upto(&c.closed, &end)),
                "done": count(&|c| is_done(c, end.as_str().min(d))),
            }));
            month = next_month(&month);
        }
        out
    }
}

/// Found and done per industry named by an existing case: most found first, ties by name.
fn industries(exist: &[&Case], d: &str) -> Vec<Value> {
    let mut names: Vec<&str> = exist.iter().filter_map(|c| c.industry.as_deref()).collect();
    names.sort();
    names.dedup();
    let mut rows: Vec<(usize, usize, &str)> = names
        .into_iter()
        .map(|n| {
            let with: Vec<&&Case> = exist
                .iter()
                .filter(|c| c.industry.as_deref() == Some(n))
                .collect();
            (with.len(), with.iter().filter(|c| is_done(c, d)).count(), n)
        })
        .collect();
    rows.sort_by(|a, b| b.0.cmp(&a.0).then(a.2.cmp(b.2)));
    rows.into_iter()
        .map(|(found, done, name)| json!({"name": name, "found": found, "done": done}))
        .collect()
}

fn next_month(m: &str) -> String {
    let (y, mo): (u32, u32) = (m[..4].parse().unwrap(), m[5..7].parse().unwrap());
    if mo == 12 {
        format!("{}-01", y + 1)
    } else {
        format!("{y}-{:02}", mo + 1)
    }
}

fn merge(into: &mut Value, from: Value) {
    let (Value::Object(a), Value::Object(b)) = (into, from) else {
        unreachable!()
    };
    a.extend(b);
}

fn on_or_before(x: &Option<Date>, d: &str) -> bool {
    x.as_deref().is_some_and(|x| x <= d)
}

/// The relapse open at D, if any: found ≤ D and not rectified ≤ D.
fn open_relapse<'c>(c: &'c Case, d: &str) -> Option<&'c Relapse> {
    c.relapses
        .iter()
        .find(|r| r.found.as_str() <= d && !on_or_before(&r.rectified, d))
}

fn is_closed(c: &Case, d: &str) -> bool {
    open_relapse(c, d).is_none() && on_or_before(&c.closed, d)
}

fn is_rectified(c: &Case, d: &str) -> bool {
    open_relapse(c, d).is_none() && !is_closed(c, d) && on_or_before(&c.rectified, d)
}

fn is_done(c: &Case, d: &str) -> bool {
    is_closed(c, d) || is_rectified(c, d)
}

fn is_overdue(c: &Case, d: &str) -> bool {
    if is_done(c, d) {
        return false;
    }
    let deadline = match open_relapse(c, d) {
        Some(r) => &r.deadline,
        None => &c.deadline,
    };
    deadline.as_deref().is_some_and(|x| x < d)
}

fn status_counts(cases: &[&Case], d: &str) -> Value {
    let n = |f: &dyn Fn(&Case, &str) -> bool| cases.iter().filter(|c| f(c, d)).count();
    let found = cases.len();
    let done = n(&is_done);
    json!({
        "found": found,
        "done": done,
        "closed": n(&is_closed),
        "rectified": n(&is_rectified),
        "in_progress": found - done,
        "overdue": n(&is_overdue),
        "relapsed": n(&|c, d| open_relapse(c, d).is_some()),
        "rate": if found == 0 { 0.0 } else { done as f64 / found as f64 },
    })
}

fn date(v: &Value) -> Option<Date> {
    text(v)
}

fn case(v: &Value, streets: &[(String, String)]) -> Case {
    let street = text(&v["street"]).unwrap();
    let street = streets
        .iter()
        .find(|(id, name)| {
            *id == street
                || *name == street
                || *name == format!("{street}街道")
                || *name == format!("{street}道")
        })
        .unwrap_or_else(|| panic!("street `{street}`"))
        .0
        .clone();
    let relapses: Vec<Relapse> = v["relapses"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|r| Relapse {
                    found: date(&r["found"]).unwrap(),
                    deadline: date(&r["deadline"]),
                    rectified: date(&r["rectified"]),
                })
                .collect()
        })
        .unwrap_or_default();
    let mut events: Vec<Date> = ["found", "rectified", "closed"]
        .iter()
        .filter_map(|k| date(&v[*k]))
        .collect();
    for r in &relapses {
        events.push(r.found.clone());
        events.extend(r.rectified.clone());
    }
    for list in ["rechecks", "log"] {
        for e in v[list].as_array().into_iter().flatten() {
            events.extend(date(&e["date"]));
        }
    }
    Case {
        street,
        action: key(ACTIONS, &v["action"]),
        criteria: keys(CRITERIA, &v["criteria"]),
        pollution: keys(POLLUTION, &v["pollution"]),
        source: key(SOURCES, &v["source"]),
        industry: text(&v["industry"])
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty()),
        found: date(&v["found"]).unwrap(),
        deadline: date(&v["deadline"]),
        rectified: date(&v["rectified"]),
        closed: date(&v["closed"]),
        relapses,
        events,
    }
}
