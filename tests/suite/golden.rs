//! Golden-file tests: fixture sites under `tests/fixtures/<name>/content/` are built and selected
//! outputs compared with `tests/fixtures/<name>/expected/`; `RECTIFY_BLESS=1 cargo test` rewrites them.
//!
//! The `small` fixture, D = 2022-06-15 (site.yaml `as_of`), campaign from 2022-03-01. Its
//! `expected/data/summary.json` was checked by hand against the figures in docs/reference.md before blessing:
//!
//! | case  | street   | found | deadline | rectified | closed | relapse (found/deadline/rectified) | state at D |
//! |-------|----------|-------|----------|-----------|--------|------------------------------------|------------|
//! | T-001 | dongshan | 03-05 | 04-30    | 04-10     | 05-20  |                                    | closed |
//! | T-002 | 东山     | 03-20 | 06-30    | 06-01     |        |                                    | rectified |
//! | T-003 | dongshan | 05-10 | 07-31    |           |        |                                    | in progress |
//! | T-007 | dongshan | 06-01 | 06-10    |           |        | (publish: false, still counted)    | in progress, overdue |
//! | T-009 | dongshan | 06-20 |          |           |        | found after D: does not exist      | — |
//! | T-004 | baiyun   | 04-01 | 05-31    |           |        |                                    | in progress, overdue |
//! | T-005 | 白云街道 | 03-10 |          | 03-25     | 04-15  | 05-05 / 06-05 / —                  | relapsed, in progress, overdue (relapse deadline) |
//! | T-006 | baiyun   | 03-15 |          | 04-01     |        | 04-20 / 05-20 / 05-10              | rectified (relapse rectified) |
//! | T-008 | baiyun   | 06-10 | 06-15    | 06-20     |        | rectified after D; deadline = D    | in progress, not overdue |
//!
//! totals: found 8 (T-009 excluded); closed 1 (T-001); rectified 2 (T-002, T-006); done 3;
//! in_progress 5 (T-003, T-007, T-004, T-005, T-008); overdue 3 (T-007, T-004, T-005);
//! relapsed 1 (T-005); rate 3/8 = 0.375.
//! streets: dongshan found 4, closed 1, rectified 1, done 2, in progress 2, overdue 1, rate 0.5;
//! baiyun found 4, rectified 1, done 1, in progress 3, overdue 2, relapsed 1, rate 0.25;
//! huale: all zero, rate 0.0 (listed although it has no cases).
//! months 03..06 (D's month, T-009 and T-008's rectified on 06-20 are after D and not counted):
//! found 4 (T-001, T-002, T-005, T-006) / 1 (T-004) / 1 (T-003) / 2 (T-007, T-008) → cum 4, 5, 6, 8;
//! rectified 1 (T-005 03-25) / 2 (T-001, T-006) / 0 / 1 (T-002) → cum 1, 3, 3, 4;
//! closed 0 / 1 (T-005 04-15) / 1 (T-001 05-20) / 0 → cum 0, 1, 2, 2;
//! relapses 0 / 1 (T-006 04-20) / 1 (T-005 05-05) / 0.
//! actions: shut-down T-001✓ T-004 T-006✓ T-007 → 4/2; relocate T-003 → 1/0; upgrade T-002✓ T-005
//! T-008 → 3/1. criteria: scattered T-001✓ T-003 T-006✓ → 3/2; disorderly T-002✓ T-005 T-007 → 3/1;
//! polluting T-001✓ T-004 T-005 T-008 → 4/1. pollution: water 1/1 (T-001), air 1/0 and noise 1/0
//! (T-004), solid-waste 1/0 (T-005), hazardous-waste 1/0 (T-008). sources: electricity-data 1/0,
//! grid-patrol 1/1, complaint (群众举报) 1/1, hotline 1/0, central-inspection 1/0, river-chief 1/1,
//! media 1/0, department-check 1/0, provincial-inspection, city-referral and other 0/0.

use crate::common::{Cli, golden, tests_dir, tree};
use std::fs;

/// Outputs compared byte for byte (after the list of every output path).
const COMPARED: &[&str] = &[
    "data/summary.json",
    "data/cases.csv",
    "data/cases.json",
    "sitemap.xml",
    "feed.xml",
];

fn check_fixture(name: &str) {
    let root = tests_dir().join("fixtures").join(name);
    let out = tempfile::tempdir().unwrap();
    let output = out.path().join("site");
    Cli::new()
        .args(["build"])
        .content(root.join("content"))
        .output(&output)
        .succeeds();
    let expected = root.join("expected");
    let paths = tree(&output).join("\n") + "\n";
    golden(&expected.join("paths.txt"), &paths);
    for rel in COMPARED {
        let actual = fs::read_to_string(output.join(rel))
            .unwrap_or_else(|e| panic!("{name}: output {rel}: {e}"));
        golden(&expected.join(rel), &actual);
    }
}

#[test]
fn small_site_matches_expected_files() {
    check_fixture("small");
}

#[test]
fn small_site_checks_clean() {
    Cli::new()
        .args(["check", "--lang", "en"])
        .content(tests_dir().join("fixtures/small/content"))
        .succeeds()
        .stderr_has("checked: 0 errors, 0 warnings");
}

/// The data files' bytes, public and internal, on a fixture whose text is hard to write out: names
/// starting like spreadsheet formulas, quotes, commas, `</script>`, backslashes, tabs, Markdown
/// summaries, entries after D, private keys that differ between cases. The expected files were
/// made by the build before the data files were written straight to bytes, so any change shows.
#[test]
fn data_files_keep_their_bytes() {
    let root = tests_dir().join("fixtures/data-bytes");
    let out = tempfile::tempdir().unwrap();
    for profile in ["public", "internal"] {
        let output = out.path().join(profile);
        Cli::new()
            .args(["build", "--profile", profile])
            .content(root.join("content"))
            .output(&output)
            .succeeds();
        for rel in [
            "data/cases.csv",
            "data/cases.json",
            "data/case-list.js",
            "data/search-index.js",
        ] {
            let actual = fs::read_to_string(output.join(rel))
                .unwrap_or_else(|e| panic!("{profile}: output {rel}: {e}"));
            golden(&root.join("expected").join(profile).join(rel), &actual);
        }
    }
}

/// Each sheet's name and its cells as text.
type Sheets = Vec<(String, Vec<Vec<String>>)>;

/// The cells of every sheet of a built `lists.xlsx`, and whether its first list sheet holds its
/// strings inline (rust_xlsxwriter's constant-memory mode) rather than in the shared table.
fn workbook(path: &std::path::Path) -> (Sheets, bool) {
    use calamine::{Reader, Xlsx, open_workbook};
    let mut book: Xlsx<_> = open_workbook(path).unwrap();
    let sheets = book
        .sheet_names()
        .into_iter()
        .map(|name| {
            let range = book.worksheet_range(&name).unwrap();
            let rows = range
                .rows()
                .map(|row| row.iter().map(|c| c.to_string()).collect())
                .collect();
            (name, rows)
        })
        .collect();
    let mut zip = zip::ZipArchive::new(fs::File::open(path).unwrap()).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("xl/worksheets/sheet1.xml").unwrap(),
        &mut xml,
    )
    .unwrap();
    (sheets, xml.contains("t=\"inlineStr\""))
}

/// The list sheets' rows are written without a temporary file (their strings inline, chunk by
/// chunk); where the temporary folder cannot be used, the build still succeeds with the same cells.
#[test]
fn lists_xlsx_is_the_same_without_a_temporary_folder() {
    let content = tests_dir().join("fixtures/data-bytes/content");
    let out = tempfile::tempdir().unwrap();
    let (usual, cut_off) = (out.path().join("usual"), out.path().join("no-tmp"));
    Cli::new()
        .args(["build", "--profile", "internal"])
        .content(&content)
        .output(&usual)
        .succeeds();
    Cli::new()
        .args(["build", "--profile", "internal"])
        .env("TMPDIR", out.path().join("missing"))
        .content(&content)
        .output(&cut_off)
        .succeeds();
    let (cells, inline) = workbook(&usual.join("data/lists.xlsx"));
    let (fallback_cells, fallback_inline) = workbook(&cut_off.join("data/lists.xlsx"));
    assert!(inline, "list rows hold their strings inline");
    assert!(fallback_inline, "the same without a temporary folder");
    assert_eq!(cells.len(), 4, "three lists and 汇总");
    assert!(cells[0].1.len() > 2, "the first list has rows");
    assert_eq!(cells, fallback_cells);
}
