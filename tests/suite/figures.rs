//! Figures as of D: `data/summary.json` of generated and hand-made sites, compared with an
//! independent reading of the contract (`oracle.rs`), plus the contract's edge cases as a table.

use crate::common::{Cli, Run};
use crate::oracle::Content;
use rectify::sample::{Spec, generate};
use serde_json::Value;
use std::fs;
use std::path::Path;

/// Builds `content` as of `d` (None: the site's own D) and returns summary.json.
fn built_summary(content: &Path, d: Option<&str>) -> Value {
    let out = tempfile::tempdir().unwrap();
    let mut cli = Cli::new().args(["build"]);
    if let Some(d) = d {
        cli = cli.args(["--as-of", d]);
    }
    cli.content(content).output(out.path().join("o")).succeeds();
    let text = fs::read_to_string(out.path().join("o/data/summary.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn assert_same(what: &str, actual: &Value, expected: &Value) {
    if actual == expected {
        return;
    }
    for k in [
        "as_of",
        "totals",
        "streets",
        "months",
        "actions",
        "criteria",
        "pollution",
        "sources",
        "industries",
    ] {
        assert_eq!(actual[k], expected[k], "{what}: `{k}` differs");
    }
    assert_eq!(actual, expected, "{what}");
}

fn check_generated(spec: Spec, dates: &[Option<&str>]) {
    let dir = tempfile::tempdir().unwrap();
    generate(&spec, dir.path()).unwrap();
    let content = Content::read(dir.path());
    for d in dates {
        let actual = built_summary(dir.path(), *d);
        let d = d.map_or_else(|| content.default_as_of(), str::to_string);
        assert_same(
            &format!("{spec:?} as of {d}"),
            &actual,
            &content.summary(&d),
        );
    }
}

fn spec(seed: u64, cases: usize, streets: Option<usize>) -> Spec {
    Spec {
        seed,
        cases,
        streets,
        notes: 4,
        publicity: 2,
        photos: false,
    }
}

// The generated sites' campaign runs 2022-03-14 … 2022-12-31.

#[test]
fn three_streets_at_start_mid_month_end_and_after_end() {
    let dates = [
        Some("2022-03-14"),
        Some("2022-07-16"),
        Some("2022-09-30"),
        Some("2023-02-10"),
    ];
    check_generated(spec(1, 30, Some(3)), &dates);
}

#[test]
fn eighteen_synthetic_streets_mid_and_after_end() {
    check_generated(
        spec(2, 40, Some(18)),
        &[Some("2022-06-30"), Some("2023-01-05")],
    );
}

#[test]
fn yuexiu_as_of_its_latest_event() {
    check_generated(spec(3, 25, None), &[None]);
}

#[test]
fn small_fixture_agrees_with_the_oracle() {
    let content = crate::common::tests_dir().join("fixtures/small/content");
    let oracle = Content::read(&content);
    for d in ["2022-03-01", "2022-06-20", "2023-03-31"] {
        let actual = built_summary(&content, Some(d));
        assert_same(&format!("small as of {d}"), &actual, &oracle.summary(d));
    }
}

// ---- edge cases -------------------------------------------------------------------------------

/// A two-street site with the given case files (`(file stem, yaml body after the common fields)`).
fn edge_site(cases: &[(&str, &str)]) -> tempfile::TempDir {
    let cases: Vec<(&str, String)> = cases.iter().map(|(id, b)| (*id, b.to_string())).collect();
    crate::common::mini_site(
        "title: 边界\nlanguage: en\ncampaign:\n  start: 2022-03-01\n  end: 2022-06-30\n",
        "departments:\n  - id: kgx\n    name: 区科工信局\nstreets:\n  - id: a\n    name: 甲街道\n  - id: b\n    name: 乙街道\n",
        &cases,
    )
}

/// (what, cases, D, expected totals: found, done, closed, rectified, in_progress, overdue, relapsed)
type Row = (
    &'static str,
    &'static [(&'static str, &'static str)],
    &'static str,
    [u64; 7],
);

const EDGES: &[Row] = &[
    ("no cases at all", &[], "2022-04-10", [0, 0, 0, 0, 0, 0, 0]),
    (
        "found on D exists",
        &[("c1", "found: 2022-04-10\n")],
        "2022-04-10",
        [1, 0, 0, 0, 1, 0, 0],
    ),
    (
        "found after D does not",
        &[("c1", "found: 2022-04-11\n")],
        "2022-04-10",
        [0, 0, 0, 0, 0, 0, 0],
    ),
    (
        "rectified on D",
        &[("c1", "found: 2022-03-02\nrectified: 2022-04-10\n")],
        "2022-04-10",
        [1, 1, 0, 1, 0, 0, 0],
    ),
    (
        "rectified after D",
        &[("c1", "found: 2022-03-02\nrectified: 2022-04-11\n")],
        "2022-04-10",
        [1, 0, 0, 0, 1, 0, 0],
    ),
    (
        "closed on D",
        &[(
            "c1",
            "found: 2022-03-02\nrectified: 2022-03-09\nclosed: 2022-04-10\n",
        )],
        "2022-04-10",
        [1, 1, 1, 0, 0, 0, 0],
    ),
    (
        "deadline on D is not overdue",
        &[("c1", "found: 2022-03-02\ndeadline: 2022-04-10\n")],
        "2022-04-10",
        [1, 0, 0, 0, 1, 0, 0],
    ),
    (
        "deadline the day before D is",
        &[("c1", "found: 2022-03-02\ndeadline: 2022-04-09\n")],
        "2022-04-10",
        [1, 0, 0, 0, 1, 1, 0],
    ),
    (
        "no deadline is never overdue",
        &[("c1", "found: 2022-03-02\n")],
        "2022-12-31",
        [1, 0, 0, 0, 1, 0, 0],
    ),
    (
        "relapse still open, past its deadline, case deadline ignored",
        &[(
            "c1",
            "found: 2022-03-02\ndeadline: 2022-12-01\nrectified: 2022-03-09\nclosed: 2022-03-20\nrelapses:\n  - found: 2022-04-01\n    deadline: 2022-04-05\n",
        )],
        "2022-04-10",
        [1, 0, 0, 0, 1, 1, 1],
    ),
    (
        "open relapse without a deadline is never overdue",
        &[(
            "c1",
            "found: 2022-03-02\ndeadline: 2022-03-05\nrectified: 2022-03-09\nrelapses:\n  - found: 2022-04-01\n",
        )],
        "2022-06-10",
        [1, 0, 0, 0, 1, 0, 1],
    ),
    (
        "relapse rectified: back to closed",
        &[(
            "c1",
            "found: 2022-03-02\nrectified: 2022-03-09\nclosed: 2022-03-20\nrelapses:\n  - found: 2022-04-01\n    rectified: 2022-04-10\n",
        )],
        "2022-04-10",
        [1, 1, 1, 0, 0, 0, 0],
    ),
    (
        "relapse rectified after D is still open",
        &[(
            "c1",
            "found: 2022-03-02\nrectified: 2022-03-09\nrelapses:\n  - found: 2022-04-01\n    rectified: 2022-04-11\n",
        )],
        "2022-04-10",
        [1, 0, 0, 0, 1, 0, 1],
    ),
    (
        "found before the campaign start counts",
        &[("c1", "found: 2022-01-15\n")],
        "2022-03-01",
        [1, 0, 0, 0, 1, 0, 0],
    ),
];

#[test]
fn edge_cases_table() {
    let names = [
        "found",
        "done",
        "closed",
        "rectified",
        "in_progress",
        "overdue",
        "relapsed",
    ];
    for (what, cases, d, want) in EDGES {
        let site = edge_site(cases);
        let content = site.path().join("content");
        let s = built_summary(&content, Some(d));
        for (name, want) in names.iter().zip(want) {
            assert_eq!(s["totals"][name], *want, "{what}: totals.{name}");
        }
        let b = &s["streets"][1];
        assert_eq!(
            (b["id"].as_str(), b["found"].as_u64()),
            (Some("b"), Some(0)),
            "{what}: street b"
        );
        assert_same(what, &s, &Content::read(&content).summary(d));
    }
}

#[test]
fn months_with_nothing_and_after_the_end() {
    let site = edge_site(&[
        ("c1", "found: 2022-03-02\nrectified: 2022-05-03\n"),
        ("c2", "found: 2022-08-20\n"),
        (
            "c3",
            "found: 2022-02-10\nrectified: 2022-02-20\nclosed: 2022-02-28\n",
        ),
    ]);
    let s = built_summary(&site.path().join("content"), Some("2022-08-10"));
    let months: Vec<&str> = s["months"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["month"].as_str().unwrap())
        .collect();
    // The campaign ends in June; the months go on to D's month.
    assert_eq!(
        months,
        [
            "2022-03", "2022-04", "2022-05", "2022-06", "2022-07", "2022-08"
        ]
    );
    let april = &s["months"][1];
    assert_eq!(
        april,
        &serde_json::json!({"month": "2022-04", "found": 0, "rectified": 0, "closed": 0, "relapses": 0,
            "found_cum": 2, "rectified_cum": 1, "closed_cum": 1, "done": 1}),
        "a month with nothing keeps the running totals (c3 was done before the start)"
    );
    let august = &s["months"][5];
    assert_eq!(august["found"], 0, "c2 is found after D, inside D's month");
    assert_eq!(august["done"], 2, "done as of D in D's month: c1 and c3");
    assert_eq!(s["totals"]["rate"], 1.0);
}

fn as_of_fails(d: &str) -> Run {
    let site = edge_site(&[]);
    let out = site.path().join("out");
    let run = Cli::new()
        .args(["build", "--as-of", d])
        .content(site.path().join("content"))
        .output(&out)
        .fails(2);
    assert!(!out.exists(), "nothing is written on a usage error");
    run
}

#[test]
fn as_of_before_the_campaign_start_is_a_usage_error() {
    as_of_fails("2022-02-28")
        .stderr_has("the date 2022-02-28 is before the campaign start 2022-03-01");
    let site = edge_site(&[]);
    Cli::new()
        .args(["check", "--as-of", "2022-02-28"])
        .content(site.path().join("content"))
        .fails(2)
        .stderr_has("before the campaign start");
}

#[test]
fn malformed_as_of_is_a_usage_error() {
    as_of_fails("2022/3/5")
        .stderr_has("`2022/3/5` is not a date written YYYY-MM-DD (did you mean 2022-03-05?)");
    as_of_fails("2022-02-30").stderr_has("`2022-02-30` is not a date written YYYY-MM-DD");
    as_of_fails("tomorrow").stderr_has("`tomorrow` is not a date");
    // A far date would loop over tens of thousands of months.
    as_of_fails("9999-12-31").stderr_has("`9999-12-31` is outside 1990-01-01 … 2100-12-31");
}
