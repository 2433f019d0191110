//! `rectify import`: ledgers (台账) in CSV and XLSX into case files, all-or-nothing, and a round trip
//! of rectify's own lists.xlsx.

mod support;

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use support::git;

const BIN: &str = env!("CARGO_BIN_EXE_rectify");

fn rectify(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .env(
            "RECTIFY_CACHE_DIR",
            concat!(env!("CARGO_TARGET_TMPDIR"), "/cache"),
        )
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
fn changed_criteria_are_written_as_keys_keeping_the_comment() {
    let dir = init();
    let case = dir.path().join("content/cases/dongcheng/XX2025-0001.yaml");
    let before = RICH_CASE.replace(
        "criteria: [disorderly, polluting]\n",
        "criteria: [disorderly, polluting]  # 认定情形\n",
    );
    std::fs::write(&case, &before).unwrap();
    let ledger = "编号,街道,场所名称,认定情形,污染类型,发现来源,整治类型,发现时间\n\
                  XX2025-0001,东城,东城一路某五金加工点,散、污,涉气、噪声,网格巡查,升级改造,2025-03-10\n";
    std::fs::write(dir.path().join("l.csv"), ledger).unwrap();
    let out = rectify(dir.path(), &["import", "l.csv", "--force"]);
    assert_code(&out, 0);
    let after = std::fs::read_to_string(&case).unwrap();
    let old = "criteria: [disorderly, polluting]  # 认定情形";
    assert!(before.contains(old), "{before}");
    let new = "criteria: [scattered, polluting]   # 认定情形";
    assert_eq!(after, before.replace(old, new));
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
    assert!(text(&out.stdout).contains("XX2025-0002.yaml（更新）"));
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

    // A map that is not there: said in the site's language, with the file's name.
    let out = rectify(dir.path(), &["import", "l.csv", "--map", "gone.yaml"]);
    assert_code(&out, 3);
    let err = text(&out.stderr);
    assert!(err.contains("无法读取 gone.yaml"), "{err}");
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

/// Copies a folder tree.
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        let dest = to.join(p.file_name().unwrap());
        if p.is_dir() {
            copy_dir(&p, &dest);
        } else {
            std::fs::copy(&p, &dest).unwrap();
        }
    }
}

#[test]
fn force_of_the_sites_own_lists_changes_nothing() {
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    copy_dir(&repo.join("content"), &content);
    let out = rectify(dir.path(), &["build", "--output", "out"]);
    assert_code(&out, 0);
    git(dir.path(), &["init", "-q"]);
    git(dir.path(), &["add", "content"]);
    git(dir.path(), &["commit", "-q", "-m", "before the import"]);
    let out = rectify(dir.path(), &["import", "out/data/lists.xlsx", "--force"]);
    assert_code(&out, 0);
    let stdout = text(&out.stdout);
    let cases = case_files(&content).len();
    assert!(
        stdout.contains(&format!("新增 0 个、更新 0 个场所，{cases} 个无变化"))
            || stdout.contains("新增 0 个、更新 0 个场所"),
        "{stdout}"
    );
    assert!(text(&out.stderr).is_empty(), "{}", text(&out.stderr));
    assert_eq!(git(dir.path(), &["status", "--porcelain", "content"]), "");
    let out = rectify(dir.path(), &["diff", "HEAD"]);
    assert_code(&out, 0);
    assert!(
        text(&out.stdout).contains("内容无变化"),
        "{}",
        text(&out.stdout)
    );
}

/// The starter's first case with every kind of field a ledger has no column for, and comments.
const RICH_CASE: &str = "# 示例场所
id: XX2025-0001
name: 东城一路某五金加工点          # 可公开的名称
street: dongcheng                  # 属地街道
community: 东城一社区
industry: 五金加工
criteria: [disorderly, polluting]
pollution: [air, noise]
source: grid-patrol
source_ref: JB-2025-17
action: upgrade
found: 2025-03-10
deadline: 2025-05-31               # 整治期限
rectified: 2025-04-20
units: [sthj]
tasks: [2]
watch: true
typical: true
publish: true
summary: 现场无废气收集处理设施，已责令升级改造。
log:
  - date: 2025-03-10
    text: 网格员巡查发现，街道现场核查认定
rechecks:
  - date: 2025-05-10
    method: patrol
    note: 未见生产
relapses:
  - found: 2025-06-01
    deadline: 2025-06-15
    note: 夜间恢复喷漆
private:
  operator: 张某
  address: 东城一路1号
";

/// A ledger row over RICH_CASE: a later deadline, the relapse's rectified date and a phone; the
/// community left empty, no summary/log/units columns; the same values in other words elsewhere.
const MERGE_LEDGER: &str = "编号,街道,场所名称,社区,认定情形,污染类型,发现来源,整治类型,发现时间,整治期限,完成时间,复发时间,复发整治完成时间,联系电话\r
XX2025-0001,东城街道,东城一路某五金加工点,,乱、污,涉气、噪声,网格巡查,升级改造,2025-03-10,2025/6/30,,2025-06-01,2025-06-20,020-1234567\r
";

/// RICH_CASE after MERGE_LEDGER: three lines changed or added, nothing else.
fn merged_case() -> String {
    RICH_CASE
        .replace(
            "deadline: 2025-05-31               # 整治期限",
            "deadline: 2025-06-30               # 整治期限",
        )
        .replace(
            "    note: 夜间恢复喷漆\n",
            "    note: 夜间恢复喷漆\n    rectified: 2025-06-20\n",
        )
        .replace(
            "  address: 东城一路1号\n",
            "  address: 东城一路1号\n  phone: \"020-1234567\"\n",
        )
}

#[test]
fn force_merges_field_by_field_and_keeps_what_the_ledger_lacks() {
    let dir = init();
    let case = dir.path().join("content/cases/dongcheng/XX2025-0001.yaml");
    std::fs::write(&case, RICH_CASE).unwrap();
    let other = dir.path().join("content/cases/xicheng/XX2025-0002.yaml");
    let other_before = std::fs::read_to_string(&other).unwrap();
    std::fs::write(dir.path().join("l.csv"), MERGE_LEDGER).unwrap();

    let out = rectify(dir.path(), &["import", "l.csv", "--force", "--dry-run"]);
    assert_code(&out, 0);
    let stdout = text(&out.stdout);
    for line in [
        "cases/dongcheng/XX2025-0001.yaml（更新）",
        "  deadline: 2025-05-31 → 2025-06-30",
        "  relapses[2025-06-01].rectified: — → 2025-06-20",
        "  private.phone: — → 020-1234567",
        "试运行：将新增 0 个、更新 1 个场所，0 个无变化；未写入任何文件",
    ] {
        assert!(stdout.contains(line), "{line} in\n{stdout}");
    }
    assert!(
        !stdout.contains("community"),
        "an empty cell changes nothing: {stdout}"
    );
    assert_eq!(std::fs::read_to_string(&case).unwrap(), RICH_CASE);

    let out = rectify(dir.path(), &["import", "l.csv", "--force"]);
    assert_code(&out, 0);
    assert!(text(&out.stdout).contains("新增 0 个、更新 1 个场所，0 个无变化"));
    assert_eq!(merged_case().lines().count(), RICH_CASE.lines().count() + 2);
    assert_eq!(std::fs::read_to_string(&case).unwrap(), merged_case());
    assert_eq!(std::fs::read_to_string(&other).unwrap(), other_before);
    assert_code(&rectify(dir.path(), &["check"]), 0);

    // Importing the same ledger again changes nothing.
    let out = rectify(dir.path(), &["import", "l.csv", "--force"]);
    assert_code(&out, 0);
    assert!(text(&out.stdout).contains("新增 0 个、更新 0 个场所，1 个无变化"));
    assert_eq!(std::fs::read_to_string(&case).unwrap(), merged_case());
}

#[test]
fn a_relapse_the_case_lacks_is_added_in_date_order() {
    let dir = init();
    let case = dir.path().join("content/cases/dongcheng/XX2025-0001.yaml");
    std::fs::write(&case, RICH_CASE).unwrap();
    let ledger = "编号,街道,场所名称,认定情形,发现来源,整治类型,发现时间,复发时间,复发整治期限,复发整治完成时间\n\
                  XX2025-0001,东城,东城一路某五金加工点,乱、污,网格巡查,升级改造,2025-03-10,2025-05-20,2025-05-25,2025-05-24\n";
    std::fs::write(dir.path().join("l.csv"), ledger).unwrap();
    let out = rectify(dir.path(), &["import", "l.csv", "--force"]);
    assert_code(&out, 0);
    let after = std::fs::read_to_string(&case).unwrap();
    let want = "relapses:
  - found: 2025-05-20
    deadline: 2025-05-25
    rectified: 2025-05-24
  - found: 2025-06-01
    deadline: 2025-06-15
    note: 夜间恢复喷漆
private:";
    assert!(after.contains(want), "{after}");
    assert_eq!(
        after.replace(
            "  - found: 2025-05-20\n    deadline: 2025-05-25\n    rectified: 2025-05-24\n",
            ""
        ),
        RICH_CASE
    );
}

#[test]
fn an_unknown_street_lists_the_known_ones_and_nothing_is_written() {
    let dir = init();
    let ledger = "编号,街道,场所名称,认定情形,发现来源,整治类型,发现时间\n\
                  XX2025-0001,南城,某店,乱,网格巡查,升级改造,2025-03-10\n";
    std::fs::write(dir.path().join("l.csv"), ledger).unwrap();
    let case = dir.path().join("content/cases/dongcheng/XX2025-0001.yaml");
    let before = std::fs::read_to_string(&case).unwrap();
    let out = rectify(dir.path(), &["import", "l.csv", "--force"]);
    assert_code(&out, 1);
    let err = text(&out.stderr);
    assert!(err.contains("l.csv:2:2"), "{err}");
    assert!(err.contains("未知的街道 `南城`"), "{err}");
    assert!(
        err.contains("已知的街道：dongcheng（东城街道）、xicheng（西城街道）"),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&case).unwrap(), before);
    assert!(text(&out.stdout).is_empty(), "no summary on error");
}

/// A workbook written by hand, part by part, so a test can make it say anything: one sheet 台账
/// with `dimension` and the rows' XML.
fn hand_xlsx(dimension: &str, rows: &str) -> Vec<u8> {
    use std::io::Write;
    let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    let pkg = "http://schemas.openxmlformats.org/package/2006/relationships";
    let parts = [
        (
            "[Content_Types].xml",
            "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
             <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
             <Default Extension=\"xml\" ContentType=\"application/xml\"/>\
             <Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>\
             <Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/></Types>"
                .to_string(),
        ),
        (
            "_rels/.rels",
            format!("<Relationships xmlns=\"{pkg}\"><Relationship Id=\"rId1\" Type=\"{rel}/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>"),
        ),
        (
            "xl/workbook.xml",
            format!("<workbook xmlns=\"{main}\" xmlns:r=\"{rel}\"><sheets><sheet name=\"台账\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            format!("<Relationships xmlns=\"{pkg}\"><Relationship Id=\"rId1\" Type=\"{rel}/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>"),
        ),
        (
            "xl/worksheets/sheet1.xml",
            format!("<worksheet xmlns=\"{main}\"><dimension ref=\"{dimension}\"/><sheetData>{rows}</sheetData></worksheet>"),
        ),
    ];
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    for (name, body) in parts {
        zip.start_file(name, options).unwrap();
        zip.write_all(body.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// A row of inline-string cells from column A; a cell `=F` is the formula F with a cached value.
fn xml_row(r: u32, cells: &[&str]) -> String {
    let mut out = format!("<row r=\"{r}\">");
    for (i, c) in cells.iter().enumerate() {
        let at = format!("{}{r}", (b'A' + i as u8) as char);
        match c.strip_prefix('=') {
            Some(f) => out.push_str(&format!("<c r=\"{at}\"><f>{f}</f><v>45721</v></c>")),
            None => out.push_str(&format!(
                "<c r=\"{at}\" t=\"inlineStr\"><is><t>{c}</t></is></c>"
            )),
        }
    }
    out + "</row>"
}

const HAND_HEADER: [&str; 8] = [
    "编号",
    "街道",
    "场所名称",
    "认定情形",
    "发现来源",
    "整治类型",
    "发现时间",
    "序号",
];

fn hand_rows(extra: &str) -> String {
    let good = [
        "XC-9",
        "西城",
        "西城某作坊",
        "乱",
        "网格巡查",
        "升级改造",
        "2025-04-01",
        "=ROW()-1",
    ];
    xml_row(1, &HAND_HEADER) + &xml_row(2, &good) + extra
}

/// Sets the uncompressed size the zip's headers declare for the part `name` (local header and
/// central directory both).
fn declare_size(zip: &mut [u8], name: &str, size: u32) {
    let mut patched = 0;
    for i in 0..zip.len().saturating_sub(46) {
        let (sig, name_at, size_at) = match &zip[i..i + 4] {
            [0x50, 0x4b, 0x03, 0x04] => ("local", 30, 22),
            [0x50, 0x4b, 0x01, 0x02] => ("central", 46, 24),
            _ => continue,
        };
        let len_at = if sig == "local" { 26 } else { 28 };
        let len = u16::from_le_bytes([zip[i + len_at], zip[i + len_at + 1]]) as usize;
        if zip.get(i + name_at..i + name_at + len) == Some(name.as_bytes()) {
            zip[i + size_at..i + size_at + 4].copy_from_slice(&size.to_le_bytes());
            patched += 1;
        }
    }
    assert_eq!(patched, 2, "both headers of {name}");
}

#[test]
fn hostile_workbooks_are_refused_by_sheet_and_cell() {
    let dir = init();
    let content = dir.path().join("content");
    let import = |bytes: &[u8]| {
        std::fs::write(dir.path().join("台账.xlsx"), bytes).unwrap();
        let out = rectify(dir.path(), &["import", "台账.xlsx", "--dry-run"]);
        assert_eq!(case_files(&content).len(), 2, "nothing written");
        out
    };
    // A sheet claiming Excel's whole grid is read by the cells it has; a formula in 序号 is fine.
    let out = import(&hand_xlsx("A1:XFD1048576", &hand_rows("")));
    assert_code(&out, 0);
    assert!(text(&out.stdout).contains("cases/xicheng/XC-9.yaml"));

    let long = "长".repeat(40_000);
    let far = "<row r=\"1048576\"><c r=\"XFD1048576\" t=\"inlineStr\"><is><t>x</t></is></c></row>";
    let sheets = [
        (
            hand_rows(far),
            "台账.xlsx#台账:1048576:16384",
            "单元格 XFD1048576 有内容，但台账只读取前 200000 行、前 200 列",
        ),
        (
            hand_rows(&xml_row(3, &["XC-10", "西城", &long])),
            "台账.xlsx#台账:3:3",
            "单元格 C3 有 40000 个字符，超过单元格上限 32767",
        ),
        (
            hand_rows(&xml_row(
                3,
                &[
                    "XC-10",
                    "西城",
                    "某店",
                    "乱",
                    "网格巡查",
                    "升级改造",
                    "=DATE(2025,3,5)",
                ],
            )),
            "台账.xlsx#台账:3:7",
            "单元格 G3 是公式 `DATE(2025,3,5)`，导入的列只接受数值",
        ),
    ];
    for (rows, at, message) in sheets {
        let out = import(&hand_xlsx("A1:H3", &rows));
        assert_code(&out, 1);
        let err = text(&out.stderr);
        assert!(
            err.contains(at) && err.contains(message),
            "{at} {message}:\n{err}"
        );
    }

    let good = hand_xlsx("A1:H2", &hand_rows(""));
    let mut bomb = good.clone();
    declare_size(&mut bomb, "xl/worksheets/sheet1.xml", 0xFFFF_0000);
    let mut liar = good.clone();
    declare_size(&mut liar, "xl/worksheets/sheet1.xml", 40);
    let broken: [(&[u8], &str); 4] = [
        (&good[..good.len() / 2], "无法打开这个工作簿"),
        (b"not a zip at all", "无法打开这个工作簿"),
        (&bomb, "超过 200 MB"),
        (&liar, "无法打开这个工作簿"),
    ];
    for (bytes, message) in broken {
        let out = import(bytes);
        assert_code(&out, 1);
        let err = text(&out.stderr);
        assert!(
            err.contains("台账.xlsx") && err.contains(message),
            "{message}:\n{err}"
        );
    }
}

#[test]
fn crlf_csv_rows_and_total_rows_by_shape() {
    let dir = init();
    let ledger = "编号,街道,场所名称,认定情形,发现来源,整治类型,发现时间\r\n\
                  ,东城,东城某合计五金店,乱,网格巡查,升级改造,2025-03-05\r\n\
                  \r\n\
                  ,东城,\"东城某\r\n小计汽修\",乱,网格巡查,升级改造,2025-03-06\r\n\
                  小计,,,,,,\r\n\
                  ,东城,某店,乱,网格巡查,升级改造,2025-02-30\r\n\
                  合计：3 个,,,,,,\r\n";
    std::fs::write(dir.path().join("l.csv"), ledger).unwrap();
    let out = rectify(dir.path(), &["import", "l.csv"]);
    assert_code(&out, 1);
    let err = text(&out.stderr);
    assert!(err.contains("l.csv:7:7"), "line 7 in a CRLF file: {err}");
    assert_eq!(
        err.matches("错误").count(),
        1,
        "total rows are skipped: {err}"
    );

    let fixed = ledger.replace("2025-02-30", "2025-03-07");
    std::fs::write(dir.path().join("l.csv"), fixed).unwrap();
    let out = rectify(dir.path(), &["import", "l.csv"]);
    assert_code(&out, 0);
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("新增 3 个"),
        "names with 合计/小计 are cases: {stdout}"
    );
}

#[test]
fn an_english_site_gets_english_import_messages() {
    let dir = init();
    let site = dir.path().join("content/site.yaml");
    let yaml = std::fs::read_to_string(&site).unwrap();
    std::fs::write(&site, yaml.replace("language: zh-CN", "language: en")).unwrap();
    std::fs::write(dir.path().join("bad.xlsx"), b"PK\x03\x04 truncated").unwrap();
    let out = rectify(dir.path(), &["import", "bad.xlsx"]);
    assert_code(&out, 1);
    let err = text(&out.stderr);
    assert!(err.contains("cannot open this workbook"), "{err}");
    assert!(err.contains("bad.xlsx:1:1"), "{err}");

    let case = dir.path().join("content/cases/dongcheng/XX2025-0001.yaml");
    std::fs::write(&case, RICH_CASE).unwrap();
    std::fs::write(dir.path().join("l.csv"), MERGE_LEDGER).unwrap();
    let out = rectify(dir.path(), &["import", "l.csv", "--force", "--dry-run"]);
    assert_code(&out, 0);
    let stdout = text(&out.stdout);
    assert!(stdout.contains("XX2025-0001.yaml (updated)"), "{stdout}");
    assert!(
        stdout.contains("dry run: 0 new, 1 updated, 0 unchanged; nothing written"),
        "{stdout}"
    );
}

#[test]
fn a_changed_street_moves_the_file_and_an_unusual_layout_is_refused() {
    let dir = init();
    let case = dir.path().join("content/cases/dongcheng/XX2025-0001.yaml");
    std::fs::write(&case, RICH_CASE).unwrap();
    let ledger = "编号,街道,场所名称,认定情形,发现来源,整治类型,发现时间\n\
                  XX2025-0001,西城,东城一路某五金加工点,乱、污,网格巡查,升级改造,2025-03-10\n";
    std::fs::write(dir.path().join("l.csv"), ledger).unwrap();
    let out = rectify(dir.path(), &["import", "l.csv", "--force"]);
    assert_code(&out, 0);
    assert!(!case.exists());
    let moved = dir.path().join("content/cases/xicheng/XX2025-0001.yaml");
    let after = std::fs::read_to_string(&moved).unwrap();
    assert_eq!(
        after,
        RICH_CASE.replace(
            "street: dongcheng                  # 属地街道",
            "street: xicheng                    # 属地街道"
        )
    );

    // A case written as one flow mapping has no line of its own to change.
    let flow = "{id: XX2025-0001, name: 某店, street: xicheng, criteria: [disorderly], \
                source: grid-patrol, action: upgrade, found: 2025-03-10}\n";
    std::fs::write(&moved, flow).unwrap();
    let ledger = ledger
        .replace("东城一路某五金加工点", "某店")
        .replace("乱、污", "乱");
    std::fs::write(dir.path().join("l.csv"), &ledger).unwrap();
    let out = rectify(dir.path(), &["import", "l.csv", "--force"]);
    assert_code(&out, 0);
    assert!(
        text(&out.stdout).contains("1 个无变化"),
        "{}",
        text(&out.stdout)
    );
    std::fs::write(dir.path().join("l.csv"), ledger.replace("某店", "某新店")).unwrap();
    let out = rectify(dir.path(), &["import", "l.csv", "--force"]);
    assert_code(&out, 1);
    let err = text(&out.stderr);
    assert!(err.contains("无法把这一行的 `name` 合并进"), "{err}");
    assert_eq!(std::fs::read_to_string(&moved).unwrap(), flow);
}

#[test]
fn a_relapse_item_keeps_its_own_indentation() {
    let dir = init();
    let case = dir.path().join("content/cases/dongcheng/XX2025-0001.yaml");
    let wide = RICH_CASE.replace(
        "  - found: 2025-06-01\n    deadline: 2025-06-15\n    note: 夜间恢复喷漆\n",
        "    -   found: 2025-06-01\n        deadline: 2025-06-15\n        note: 夜间恢复喷漆\n",
    );
    assert_ne!(wide, RICH_CASE);
    std::fs::write(&case, &wide).unwrap();
    std::fs::write(dir.path().join("l.csv"), MERGE_LEDGER).unwrap();
    let out = rectify(dir.path(), &["import", "l.csv", "--force"]);
    assert_code(&out, 0);
    let after = std::fs::read_to_string(&case).unwrap();
    assert!(
        after.contains("        note: 夜间恢复喷漆\n        rectified: 2025-06-20\n"),
        "{after}"
    );
    assert_code(&rectify(dir.path(), &["check"]), 0);
}

/// Found by the `ledger` fuzz target: calamine subtracts a claimed dimension's corners unchecked,
/// so `A7:H3` panicked in a debug build. It must be a diagnostic or an import, never a panic.
#[test]
fn a_backwards_dimension_is_not_a_panic() {
    let dir = init();
    std::fs::write(
        dir.path().join("台账.xlsx"),
        hand_xlsx("A7:H3", &hand_rows("")),
    )
    .unwrap();
    let out = rectify(dir.path(), &["import", "台账.xlsx", "--dry-run"]);
    let err = text(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    match out.status.code() {
        Some(0) => assert!(text(&out.stdout).contains("XC-9")),
        Some(1) => assert!(
            err.contains("台账.xlsx") && err.contains("无法打开这个工作簿"),
            "{err}"
        ),
        other => panic!("exit {other:?}: {err}"),
    }
}
