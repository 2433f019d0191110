//! The views of issue 9, each on a small hand-made site: rivers and their spelling variants, late
//! completion, the briefing's capped lists, the watch list's reasons, an empty unit page, the
//! relapse table's headers and the unpublished note.

use crate::common::Cli;
use std::fs;
use std::path::{Path, PathBuf};

/// A one-street Chinese site with `organisation.yaml` extended by `org_extra` and the given cases
/// (`(id, yaml after the common fields)`).
fn site(org_extra: &str, cases: &[(&str, String)]) -> (tempfile::TempDir, PathBuf) {
    let dir = crate::common::mini_site(
        "title: 测试区\ncampaign:\n  start: 2022-03-01\n  end: 2022-12-31\n",
        &format!(
            "departments:\n  - id: kgx\n    name: 区科工信局\n  - id: idle\n    name: 区空闲局\nstreets:\n  - id: a\n    name: 甲街道\n{org_extra}"
        ),
        cases,
    );
    let content = dir.path().join("content");
    (dir, content)
}

fn build(content: &Path, d: &str) -> PathBuf {
    let out = content.parent().unwrap().join("out");
    Cli::new()
        .args(["build", "--as-of", d])
        .content(content)
        .output(&out)
        .succeeds();
    out
}

fn read(out: &Path, rel: &str) -> String {
    fs::read_to_string(out.join(rel)).unwrap()
}

const RIVERS: &str =
    "rivers:\n  - id: donghao\n    name: 东濠涌\n  - id: shahe\n    name: 沙河涌\n";

#[test]
fn river_spelling_variants_count_as_one_river() {
    let cases = [
        ("c1", "found: 2022-03-02\nriver: 东濠涌\n".to_string()),
        (
            "c2",
            "found: 2022-03-03\nriver: donghao\nrectified: 2022-03-20\n".to_string(),
        ),
        ("c3", "found: 2022-03-04\nriver: \" 东濠涌 \"\n".to_string()),
    ];
    let (_dir, content) = site(RIVERS, &cases);
    let out = build(&content, "2022-04-01");
    let html = read(&out, "rivers.html");
    // 东濠涌: 3 found, 1 done, 33.3%; 沙河涌 listed with nothing.
    assert!(
        html.contains(
            "东濠涌</a></th><td class=\"n\">3</td><td class=\"n\">1</td><td class=\"n\">33.3%</td>"
        ),
        "{html}"
    );
    assert!(html.contains("沙河涌</a></th><td class=\"n\">0</td>"));
    assert!(html.contains("cases/index.html?river=donghao"));
    let json = read(&out, "data/cases.json");
    assert_eq!(json.matches("\"river\": \"donghao\"").count(), 3, "{json}");
}

#[test]
fn an_unlisted_river_is_an_error_with_a_hint() {
    let cases = [("c1", "found: 2022-03-02\nriver: 东壕涌\n".to_string())];
    let (_dir, content) = site(RIVERS, &cases);
    Cli::new()
        .args(["check"])
        .content(&content)
        .fails(1)
        .stderr_has("未知的河涌 `东壕涌`")
        .stderr_has("是否是 `donghao`（东濠涌）？")
        .stderr_has("cases/a/c1.yaml:8:8");
}

#[test]
fn without_a_rivers_list_river_is_free_text() {
    let cases = [("c1", "found: 2022-03-02\nriver: 某某涌\n".to_string())];
    let (_dir, content) = site("", &cases);
    let out = build(&content, "2022-04-01");
    assert!(read(&out, "rivers.html").contains("某某涌</a></th><td class=\"n\">1</td>"));
}

#[test]
fn a_late_completion_says_so_on_its_page_and_in_the_lists() {
    let cases = [(
        "late",
        "found: 2022-03-02\ndeadline: 2022-03-31\nrectified: 2022-04-12\n".to_string(),
    )];
    let (_dir, content) = site("", &cases);
    let out = build(&content, "2022-05-01");
    assert!(read(&out, "cases/late.html").contains("超期完成（超期12天）"));
    assert!(read(&out, "data/cases.csv").contains(",已整治,超期完成（超期12天）,"));
    // Before it was rectified it was overdue, not late.
    let out = build(&content, "2022-04-05");
    assert!(!read(&out, "cases/late.html").contains("超期完成"));
    assert!(read(&out, "data/cases.csv").contains(",整治中,是,"));
}

#[test]
fn briefing_lists_stop_at_fifty_rows_and_link_the_rest() {
    let cases: Vec<(String, String)> = (0..53)
        .map(|i| {
            (
                format!("c{i:02}"),
                "found: 2022-03-02\ndeadline: 2022-03-10\n".to_string(),
            )
        })
        .collect();
    let refs: Vec<(&str, String)> = cases.iter().map(|(a, b)| (a.as_str(), b.clone())).collect();
    let (_dir, content) = site("", &refs);
    let out = build(&content, "2022-03-31");
    let html = read(&out, "briefings/2022-03.html");
    let overdue = &html[html.find("逾期未完成整治的场所").unwrap()..];
    let overdue = &overdue[..overdue.find("</section>").unwrap()];
    assert_eq!(overdue.matches("<tr data-street").count(), 50);
    assert!(overdue.contains("共53个"));
    assert!(overdue.contains("href=\"../cases/index.html?status=overdue\">另有3个，详见场所清单"));
    assert!(html.contains("截至2022年3月31日，全区累计排查发现“散乱污”场所53个，已完成整治0个"));
}

#[test]
fn watch_list_reasons_unpublished_note_empty_unit_and_relapse_headers() {
    let cases = [
        (
            "w1",
            "found: 2022-03-02\nrectified: 2022-03-10\nclosed: 2022-03-20\nwatch: true\nrechecks:\n  - {date: 2022-04-02, method: patrol}\nrelapses:\n  - {found: 2022-05-06, rectified: 2022-05-20}\n  - {found: 2022-06-17, note: 夜间复工}\n".to_string(),
        ),
        ("hidden", "found: 2022-03-05\npublish: false\n".to_string()),
    ];
    let (_dir, content) = site("", &cases);
    let out = build(&content, "2022-06-30");
    let watch = read(&out, "watchlist.html");
    assert!(
        watch.contains("列入重点监管；复发2次；最近一次复发6月17日；最近一次复查4月2日"),
        "{watch}"
    );
    let list = read(&out, "cases/index.html");
    assert!(list.contains("共1个；另有1个场所按规定不公开，已计入统计"));
    let street = read(&out, "streets/a.html");
    assert!(street.contains("共1个；另有1个场所按规定不公开，已计入统计"));
    let idle = read(&out, "units/idle.html");
    assert!(idle.contains("本单位暂无牵头、落实或配合的任务"));
    let case = read(&out, "cases/w1.html");
    let relapses = &case[case.find("死灰复燃记录").unwrap()..];
    let head = &relapses[..relapses.find("</thead>").unwrap()];
    assert!(!head.contains("<th scope=\"col\"></th>"), "{head}");
    assert!(head.contains("情况说明"));
    let xlsx = crate::built::read_xlsx(&out.join("data/lists.xlsx"));
    let (_, upgrade) = &xlsx[2];
    let title = crate::built::cell(&upgrade[0][0]);
    assert!(
        title.contains("共1个；另有1个场所按规定不公开，已计入统计"),
        "{title}"
    );
}

#[test]
fn a_river_listed_twice_under_one_name_is_an_error() {
    let org = "rivers:\n  - id: donghao\n    name: 东濠涌\n  - id: donghao2\n    name: 东濠涌\n";
    let (_dir, content) = site(org, &[]);
    Cli::new()
        .args(["check"])
        .content(&content)
        .fails(1)
        .stderr_has("`东濠涌` 重复")
        .stderr_has("organisation.yaml:13:11");
}

/// A street with more cases than its page embeds shows the 100 most recently found (ties by id),
/// counts them all, and never lists an unpublished one.
#[test]
fn a_long_street_list_shows_the_most_recent_hundred() {
    let day = |i: usize| format!("2022-{:02}-{:02}", 3 + i / 28, 1 + i % 28);
    let mut cases: Vec<(String, String)> = (0..103)
        .map(|i| (format!("c{i:03}"), format!("found: {}\n", day(i))))
        .collect();
    // The newest case is unpublished: counted, not listed; c000, c001 and c002 share the oldest day.
    cases[102].1.push_str("publish: false\n");
    cases[1].1 = format!("found: {}\n", day(0));
    cases[2].1 = format!("found: {}\n", day(0));
    let cases: Vec<(&str, String)> = cases.iter().map(|(i, b)| (i.as_str(), b.clone())).collect();
    let (_dir, content) = site("", &cases);
    let out = build(&content, "2022-12-31");
    let html = read(&out, "streets/a.html");
    let listed: Vec<&str> = html
        .match_indices("href=\"../cases/c")
        .map(|(i, _)| &html[i + 15..i + 19])
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    assert_eq!(listed.len(), 100, "{listed:?}");
    assert!(!listed.contains(&"c102"), "unpublished listed");
    // 102 published: of the three on the oldest day, the first by id stays.
    assert!(
        !listed.contains(&"c001") && !listed.contains(&"c002"),
        "{listed:?}"
    );
    assert!(listed.contains(&"c000") && listed.contains(&"c101"));
    assert!(html.contains("共102个"), "count");
}
