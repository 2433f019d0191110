//! `data/cases.json`: one published case's public fields as of D, serialised straight to the
//! output bytes (no `serde_json::Value` tree per case: at 100,000 cases those trees cost more than
//! the file).

use crate::model::{Case, Criterion, Date, Photo, Pollution};
use crate::render::Renderer;
use crate::report::state;
use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

/// A date as `YYYY-MM-DD`, written without an intermediate `String`.
fn ymd<S: Serializer>(d: &Date, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(d)
}

fn ymd_opt<S: Serializer>(d: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => s.collect_str(d),
        None => s.serialize_none(),
    }
}

/// The stable keys of a list of enum values (`criteria`, `pollution`).
struct Keys<'a, T>(&'a [T], fn(T) -> &'static str);

impl<T: Copy> Serialize for Keys<'_, T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(|x| (self.1)(*x)))
    }
}

/// The entries of a case's dated list that exist at D.
struct Upto<'a, T, V> {
    items: &'a [T],
    view: fn(&'a T, Date) -> Option<V>,
    d: Date,
}

impl<'a, T, V: Serialize> Serialize for Upto<'a, T, V> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.items.iter().filter_map(|x| (self.view)(x, self.d)))
    }
}

#[derive(Serialize)]
struct Log<'a> {
    #[serde(serialize_with = "ymd")]
    date: Date,
    text: &'a str,
}

#[derive(Serialize)]
struct Recheck<'a> {
    #[serde(serialize_with = "ymd")]
    date: Date,
    method: &'static str,
    note: &'a Option<String>,
}

#[derive(Serialize)]
struct Relapse<'a> {
    #[serde(serialize_with = "ymd")]
    found: Date,
    #[serde(serialize_with = "ymd_opt")]
    deadline: Option<Date>,
    #[serde(serialize_with = "ymd_opt")]
    rectified: Option<Date>,
    note: &'a Option<String>,
}

/// A photo shown at D: its content path and the published files (the original never is).
#[derive(Serialize)]
struct PhotoJson<'a> {
    file: &'a str,
    stage: &'static str,
    caption: &'a Option<String>,
    #[serde(serialize_with = "ymd_opt")]
    date: Option<Date>,
    display: Option<&'a str>,
    thumbnail: Option<&'a str>,
}

/// The photos a case shows at D.
struct Photos<'a> {
    r: &'a Renderer<'a>,
    case: &'a Case,
}

impl Serialize for Photos<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(
            crate::render::photoviews::case_photos(self.case, self.r.d).map(|p| photo(self.r, p)),
        )
    }
}

fn photo<'a>(r: &'a Renderer, p: &'a Photo) -> PhotoJson<'a> {
    let sizes = r.photos.get(&p.file);
    PhotoJson {
        file: &p.file,
        stage: p.stage.key(),
        caption: &p.caption,
        date: p.date.or(sizes.and_then(|s| s.taken)),
        display: sizes.map(|s| s.display.path.as_str()),
        thumbnail: sizes.map(|s| s.thumb.path.as_str()),
    }
}

/// `private` as an object: keys in first-seen order, a repeated key keeping its last value.
struct Private<'a>(&'a [(String, String)]);

impl Serialize for Private<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        for (i, (k, _)) in self.0.iter().enumerate() {
            if self.0[..i].iter().any(|(seen, _)| seen == k) {
                continue;
            }
            let last = self.0.iter().rev().find(|(key, _)| key == k);
            map.serialize_entry(k, &last.map(|(_, v)| v))?;
        }
        map.end()
    }
}

/// One published case's public fields as of D, with its status; `private` on internal builds.
#[derive(Serialize)]
pub struct CaseJson<'a> {
    id: &'a str,
    name: &'a str,
    street: &'a str,
    community: &'a Option<String>,
    grid: &'a Option<String>,
    river: &'a Option<String>,
    industry: &'a Option<String>,
    location: &'a Option<String>,
    criteria: Keys<'a, Criterion>,
    pollution: Keys<'a, Pollution>,
    source: &'static str,
    source_ref: &'a Option<String>,
    action: &'static str,
    #[serde(serialize_with = "ymd")]
    found: Date,
    #[serde(serialize_with = "ymd_opt")]
    deadline: Option<Date>,
    #[serde(serialize_with = "ymd_opt")]
    rectified: Option<Date>,
    #[serde(serialize_with = "ymd_opt")]
    closed: Option<Date>,
    units: &'a [String],
    tasks: &'a [u32],
    watch: bool,
    typical: bool,
    summary: &'a Option<String>,
    log: Upto<'a, crate::model::LogEntry, Log<'a>>,
    photos: Photos<'a>,
    rechecks: Upto<'a, crate::model::Recheck, Recheck<'a>>,
    relapses: Upto<'a, crate::model::Relapse, Relapse<'a>>,
    status: &'static str,
    overdue: bool,
    relapsed: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    private: Option<Private<'a>>,
}

/// The view of `c` that `cases.json` holds; `c` must exist at D (every listed case does).
pub fn case_json<'a>(r: &'a Renderer<'a>, c: &'a Case) -> CaseJson<'a> {
    let d = r.d;
    let s = state(c, d).expect("listed cases exist at D");
    let upto = |x: Option<Date>| x.filter(|x| *x <= d);
    CaseJson {
        id: &c.id,
        name: &c.name,
        street: &c.street,
        community: &c.community,
        grid: &c.grid,
        river: &c.river,
        industry: &c.industry,
        location: &c.location,
        criteria: Keys(&c.criteria, Criterion::key),
        pollution: Keys(&c.pollution, Pollution::key),
        source: c.source.key(),
        source_ref: &c.source_ref,
        action: c.action.key(),
        found: c.found,
        deadline: c.deadline,
        rectified: upto(c.rectified),
        closed: upto(c.closed),
        units: &c.units,
        tasks: &c.tasks,
        watch: c.watch,
        typical: c.typical,
        summary: &c.summary,
        log: Upto {
            items: &c.log,
            view: |l, d| {
                (l.date <= d).then_some(Log {
                    date: l.date,
                    text: &l.text,
                })
            },
            d,
        },
        photos: Photos { r, case: c },
        rechecks: Upto {
            items: &c.rechecks,
            view: |x, d| {
                (x.date <= d).then_some(Recheck {
                    date: x.date,
                    method: x.method.key(),
                    note: &x.note,
                })
            },
            d,
        },
        relapses: Upto {
            items: &c.relapses,
            view: |x, d| {
                (x.found <= d).then_some(Relapse {
                    found: x.found,
                    deadline: x.deadline,
                    rectified: x.rectified.filter(|v| *v <= d),
                    note: &x.note,
                })
            },
            d,
        },
        status: s.status.key(),
        overdue: s.overdue,
        relapsed: s.relapsed,
        private: r.internal().then_some(Private(&c.private)),
    }
}
