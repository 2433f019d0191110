//! `rectify import`: ledgers (台账) in CSV and XLSX into case files, all-or-nothing, and a round trip
//! of rectify's own lists.xlsx.

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_rectify");

fn rectify(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .output()
        .expect("rectify runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[track_caller]
fn assert_code(out: &Output, want: i32) {
    assert_eq!(
        out.status.code(),
        Some(want),
        "stdout:\n{}\nstderr:\n{}",
        text(&out.stdout),
        text(&out.stderr)
    );
}

/// A fresh campaign from `rectify init`: streets dongcheng and xicheng, cases XX2025-0001 and -0002.
fn init() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    // The starter is dated in the year init runs; these ledgers are of 2025 (2025-06-01).
    let out = Command::new(env!("CARGO_BIN_EXE_rectify"))
        .args(["init", "."])
        .env("SOURCE_DATE_EPOCH", "1748736000")
        .current_dir(dir.path())
        .output()
        .expect("rectify runs");
    assert_code(&out, 0);
    dir
}

/// Every case file under `content/cases`, relative to it, sorted.
fn case_files(content: &Path) -> Vec<String> {
    let mut out: Vec<String> = walk(&content.join("cases"))
        .iter()
        .map(|p| {
            let rel = p.strip_prefix(content.join("cases")).unwrap();
            rel.to_string_lossy().replace('\\', "/")
        })
        .collect();
    out.sort();
    out
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = vec![];
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

const CSV_LEDGER: &str = "\u{feff}东城街道“散乱污”场所台账（2025年）,,,,,,,,,,,
序号,所属街道,名称,行业,认定情形,污染类型,线索来源,整治方式,发现日期,整改时限,具体地址,备注
1,东城,东城二路某五金加工点,五金加工,散、乱、污,涉水,网格巡查,关停取缔,2025/3/5,2025年4月30日,东城二路1号,
2,东城街道,东城三路某汽修点,汽车维修,\"散,乱\",,群众举报,整合搬迁,2025.3.6,,,已约谈
小计：2 个,,,,,,,,,,,
";

#[test]
fn csv_ledger_with_title_row_variants_and_subtotal() {
    let dir = init();
    std::fs::write(dir.path().join("台账.csv"), CSV_LEDGER).unwrap();
    let out = rectify(dir.path(), &["import", "台账.csv"]);
    assert_code(&out, 0);
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("cases/dongcheng/XX2025-0003.yaml"),
        "{stdout}"
    );
    assert!(stdout.contains("东城街道：2 个场所"), "{stdout}");
    assert!(
        text(&out.stderr).contains("不认识的列“备注”"),
        "an unknown column is a warning: {}",
        text(&out.stderr)
    );
    let content = dir.path().join("content");
    assert_eq!(
        case_files(&content),
        [
            "dongcheng/XX2025-0001.yaml",
            "dongcheng/XX2025-0003.yaml",
            "dongcheng/XX2025-0004.yaml",
            "xicheng/XX2025-0002.yaml"
        ]
    );
    let first = std::fs::read_to_string(content.join("cases/dongcheng/XX2025-0003.yaml")).unwrap();
    for line in [
        "street: dongcheng",
        "criteria: [\"散\", \"乱\", \"污\"]",
        "found: 2025-03-05",
        "deadline: 2025-04-30",
        "private:\n  address: \"东城二路1号\"",
    ] {
        assert!(first.contains(line), "{line} in\n{first}");
    }
    // The starter content from `init` still has placeholder warnings; the import adds no errors.
    assert_code(&rectify(dir.path(), &["check"]), 0);
    assert_code(&rectify(dir.path(), &["build", "--output", "out"]), 0);
    let json = std::fs::read_to_string(dir.path().join("out/data/cases.json")).unwrap();
    assert!(json.contains("东城二路某五金加工点"));
    assert!(!json.contains("东城二路1号"), "the address stays private");
}

/// A workbook like a street's: a merged title row, real and text dates, ids given, a total row.
fn xlsx_ledger(path: &Path, rows: &[(&str, &str, &str)]) {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("台账").unwrap();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    sheet
        .merge_range(0, 0, 0, 7, "西城街道散乱污台账", &Format::new())
        .unwrap();
    let head = [
        "编号",
        "街道",
        "场所名称",
        "认定情形",
        "发现来源",
        "整治类型",
        "发现时间",
        "完成时间",
    ];
    for (c, h) in head.iter().enumerate() {
        sheet.write_string(1, c as u16, *h).unwrap();
    }
    let mut r = 2;
    for (id, street, found) in rows {
        sheet.write_string(r, 0, *id).unwrap();
        sheet.write_string(r, 1, *street).unwrap();
        sheet.write_string(r, 2, format!("西城某作坊{r}")).unwrap();
        sheet.write_string(r, 3, "散乱").unwrap();
        sheet.write_string(r, 4, "hotline").unwrap();
        sheet.write_string(r, 5, "升级改造").unwrap();
        sheet.write_string(r, 6, *found).unwrap();
        let done = ExcelDateTime::from_ymd(2025, 6, 1).unwrap();
        sheet
            .write_datetime_with_format(r, 7, &done, &date)
            .unwrap();
        r += 1;
    }
    sheet.write_string(r, 0, "合计").unwrap();
    book.save(path).unwrap();
}

#[test]
fn xlsx_ledger_with_ids_and_real_dates() {
    let dir = init();
    let rows = [
        ("XC-1", "xicheng", "2025-04-01"),
        ("XC-2", "西城", "2025年4月2日"),
    ];
    xlsx_ledger(&dir.path().join("台账.xlsx"), &rows);
    assert_code(&rectify(dir.path(), &["import", "台账.xlsx"]), 0);
    let content = dir.path().join("content");
    let case = std::fs::read_to_string(content.join("cases/xicheng/XC-2.yaml")).unwrap();
    assert!(case.contains("found: 2025-04-02"), "{case}");
    assert!(case.contains("rectified: 2025-06-01"), "{case}");
    assert!(case.contains("criteria: [\"散\", \"乱\"]"), "{case}");
    // The starter content from `init` still has placeholder warnings; the import adds no errors.
    assert_code(&rectify(dir.path(), &["check"]), 0);
}

#[test]
fn row_errors_name_row_and_column_and_nothing_is_written() {
    let dir = init();
    let rows = [
        ("XC-1", "xicheng", "2025-04-01"),
        ("XC-2", "东成", "2025-02-30"),
    ];
    xlsx_ledger(&dir.path().join("台账.xlsx"), &rows);
    let out = rectify(dir.path(), &["import", "台账.xlsx"]);
    assert_code(&out, 1);
    let err = text(&out.stderr);
    assert!(err.contains("台账.xlsx#台账:4:2"), "row 4, column 2: {err}");
    assert!(err.contains("“街道”列：未知的街道 `东成`"), "{err}");
    assert!(
        err.contains("`dongcheng`（东城街道）"),
        "a suggestion: {err}"
    );
    assert!(err.contains("台账.xlsx#台账:4:7"), "row 4, column 7: {err}");
    assert!(err.contains("“发现时间”列"), "{err}");
    let content = dir.path().join("content");
    assert_eq!(case_files(&content).len(), 2, "nothing written");
}

#[test]
fn existing_ids_need_force() {
    let dir = init();
    let rows = [("XX2025-0002", "xicheng", "2025-04-01")];
    xlsx_ledger(&dir.path().join("台账.xlsx"), &rows);
    let path = dir.path().join("content/cases/xicheng/XX2025-0002.yaml");
    let before = std::fs::read_to_string(&path).unwrap();
    let out = rectify(dir.path(), &["import", "台账.xlsx"]);
    assert_code(&out, 1);
    assert!(
        text(&out.stderr).contains("已存在"),
        "{}",
        text(&out.stderr)
    );
    assert!(text(&out.stderr).contains("--force"));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), before);

    let out = rectify(dir.path(), &["import", "台账.xlsx", "--force"]);
    assert_code(&out, 0);
    assert!(text(&out.stdout).contains("XX2025-0002.yaml（覆盖）"));
    let after = std::fs::read_to_string(&path).unwrap();
    assert!(after.contains("西城某作坊2"), "{after}");
    assert_code(&rectify(dir.path(), &["check"]), 0);
}

#[test]
fn dry_run_writes_nothing() {
    let dir = init();
    std::fs::write(dir.path().join("台账.csv"), CSV_LEDGER).unwrap();
    let out = rectify(dir.path(), &["import", "台账.csv", "--dry-run"]);
    assert_code(&out, 0);
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("cases/dongcheng/XX2025-0004.yaml"),
        "{stdout}"
    );
    assert!(stdout.contains("未写入任何文件"), "{stdout}");
    assert_eq!(case_files(&dir.path().join("content")).len(), 2);
}

#[test]
fn map_names_a_ledger_s_own_headers() {
    let dir = init();
    let ledger = "片区,场所,情形,渠道,处理,日期\n西城,某洗车点,乱,网格巡查,关停取缔,2025-05-06\n";
    std::fs::write(dir.path().join("l.csv"), ledger).unwrap();
    let map = "片区: 街道\n情形: 认定情形\n渠道: 发现来源\n处理: 整治类型\n日期: 发现时间\n";
    std::fs::write(dir.path().join("map.yaml"), map).unwrap();
    assert_code(&rectify(dir.path(), &["import", "l.csv"]), 1);
    let out = rectify(dir.path(), &["import", "l.csv", "--map", "map.yaml"]);
    assert_code(&out, 0);
    let case = dir.path().join("content/cases/xicheng/XX2025-0003.yaml");
    assert!(
        std::fs::read_to_string(case)
            .unwrap()
            .contains("name: \"某洗车点\"")
    );

    std::fs::write(dir.path().join("bad.yaml"), "片区: 街区\n").unwrap();
    let out = rectify(dir.path(), &["import", "l.csv", "--map", "bad.yaml"]);
    assert_code(&out, 2);
}

#[test]
fn gbk_csv_is_refused_with_advice() {
    let dir = init();
    // "街道,名称" in GBK.
    let gbk: &[u8] = &[0xBD, 0xD6, 0xB5, 0xC0, b',', 0xC3, 0xFB, 0xB3, 0xC6, b'\n'];
    std::fs::write(dir.path().join("gbk.csv"), gbk).unwrap();
    let out = rectify(dir.path(), &["import", "gbk.csv"]);
    assert_code(&out, 1);
    assert!(
        text(&out.stderr).contains("CSV UTF-8"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn lists_xlsx_round_trips_into_an_empty_content_copy() {
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let out = rectify(
        dir.path(),
        &[
            "build",
            "--content",
            repo.join("content").to_str().unwrap(),
            "--output",
            "out",
        ],
    );
    assert_code(&out, 0);
    let content = dir.path().join("copy");
    std::fs::create_dir(&content).unwrap();
    for f in ["site.yaml", "organisation.yaml", "tasks.yaml", "plan.md"] {
        std::fs::copy(repo.join("content").join(f), content.join(f)).unwrap();
    }
    let lists = dir.path().join("out/data/lists.xlsx");
    let out = rectify(
        dir.path(),
        &[
            "import",
            lists.to_str().unwrap(),
            "--content",
            "copy",
            "--force",
        ],
    );
    assert_code(&out, 0);
    assert_code(&rectify(dir.path(), &["check", "--content", "copy"]), 0);
    let json = std::fs::read_to_string(dir.path().join("out/data/cases.json")).unwrap();
    let public: serde_json::Value = serde_json::from_str(&json).unwrap();
    let n = public.as_array().map_or(0, Vec::len);
    assert!(n > 0);
    assert_eq!(case_files(&content).len(), n);
}
