//! Sample work notes, publicity items and briefing commentary, consistent with the generated cases.

use super::cases::{Case, RIVERS};
use super::render::scalar;
use super::{Org, Rng, Spec, days, files, start, write, write_bytes, ymd};
use chrono::{Datelike, NaiveDate};
use std::fmt::Write;
use std::io;
use std::path::Path;

const NOTE_KINDS: [&str; 7] = [
    "meeting",
    "patrol",
    "inspection",
    "enforcement",
    "training",
    "report",
    "other",
];
const PUBLICITY_KINDS: [&str; 6] = ["article", "event", "poster", "leaflet", "training", "video"];
const ATTACHMENT: &str = "files/attachments/sanluanwu-initiative.pdf";

/// Dates spread evenly from just after the start to `last`, in order.
fn spread_dates(n: usize, last: NaiveDate, rng: &mut Rng) -> Vec<NaiveDate> {
    let first = days(start(), 3);
    let span = (last - first).num_days();
    (0..n)
        .map(|k| {
            let at = if n <= 1 {
                span
            } else {
                span * k as i64 / (n as i64 - 1)
            };
            let jitter = if k + 1 == n { 0 } else { rng.range(0, 2) };
            days(first, (at - jitter).max(0))
        })
        .collect()
}

fn front(o: &mut String, title: &str, date: NaiveDate, kind: &str) {
    let _ = write!(
        o,
        "---\ntitle: {}\ndate: {date}\nkind: {kind}\n",
        scalar(title)
    );
}

/// A block list; items are written as given (ids and integers need no quotes).
fn list(o: &mut String, key: &str, items: &[String]) {
    if !items.is_empty() {
        let _ = writeln!(o, "{key}:");
        for i in items {
            let _ = writeln!(o, "  - {i}");
        }
    }
}

/// Writes `spec.notes` notes under `notes/<yyyy>/`; the last one is the year-end report.
pub(crate) fn write_notes(
    dir: &Path,
    spec: &Spec,
    org: &Org,
    cases: &[Case],
    rng: &mut Rng,
) -> io::Result<()> {
    let dates = spread_dates(spec.notes, ymd(2022, 12, 30), rng);
    for (k, &date) in dates.iter().enumerate() {
        let kind = if k + 1 == spec.notes {
            "report"
        } else {
            NOTE_KINDS[k % NOTE_KINDS.len()]
        };
        let known: Vec<&Case> = cases.iter().filter(|c| c.found <= date).collect();
        let street = if matches!(kind, "patrol" | "enforcement" | "inspection") && !known.is_empty()
        {
            Some(rng.pick(&known).street)
        } else {
            None
        };
        let picked: Vec<&Case> = match street {
            Some(s) => known
                .iter()
                .filter(|c| c.street == s)
                .rev()
                .take(1 + rng.below(3) as usize)
                .copied()
                .collect(),
            None => vec![],
        };
        let sname = street
            .map(|s| org.streets[s].name.as_str())
            .unwrap_or("全区");
        let (title, units, tasks): (String, &[&str], &[u32]) = match kind {
            "meeting" => (
                format!("专项工作组召开第{}次“散乱污”整治工作推进会", k / 7 + 1),
                &["kgx", "sthj"],
                &[1, 8],
            ),
            "patrol" => (
                format!("{sname}开展河涌流域“散乱污”场所网格化巡查"),
                &["hzb"],
                &[3, 7],
            ),
            "inspection" => (
                format!("区专项工作组对{sname}开展专项督查"),
                &["kgx", "sthj", "hzb"],
                &[8],
            ),
            "enforcement" => (
                format!("{sname}吹哨、部门报到：联合执法清理“散乱污”场所"),
                &["sthj", "scjg", "yjgl"],
                &[1, 6],
            ),
            "training" => (
                "“散乱污”场所认定办法及综合行政执法业务培训".to_string(),
                &["kgx", "sthj"],
                &[2, 9],
            ),
            "report" => (
                format!("{}月“散乱污”场所清理整治工作情况报告", date.month()),
                &["kgx"],
                &[7],
            ),
            _ => ("“散乱污”清理整治工作简讯".to_string(), &[], &[9]),
        };
        let mut o = String::new();
        front(&mut o, &title, date, kind);
        if let Some(s) = street {
            let _ = writeln!(o, "street: {}", org.streets[s].id);
        }
        list(
            &mut o,
            "units",
            &units.iter().map(|u| u.to_string()).collect::<Vec<_>>(),
        );
        list(
            &mut o,
            "tasks",
            &tasks.iter().map(|t| t.to_string()).collect::<Vec<_>>(),
        );
        list(
            &mut o,
            "cases",
            &picked.iter().map(|c| c.id.clone()).collect::<Vec<_>>(),
        );
        o.push_str("---\n\n");
        note_body(&mut o, kind, sname, date, &picked, org, &known, rng);
        let slug = format!("{date}-{kind}-{:02}", k + 1);
        write(dir, &format!("notes/{}/{slug}.md", date.year()), &o)?;
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn note_body(
    o: &mut String,
    kind: &str,
    sname: &str,
    date: NaiveDate,
    picked: &[&Case],
    org: &Org,
    known: &[&Case],
    rng: &mut Rng,
) {
    let river = rng.pick(&RIVERS);
    let people = rng.range(8, 40);
    let _ = match kind {
        "meeting" => writeln!(
            o,
            "{date}，区专项工作组召开“散乱污”场所清理整治工作推进会，区科工信局、市生态环境局越秀分局及各街道分管领导参加。\n\n会议通报了前一阶段排查整治进展，要求各街道落实属地管理责任，对“散乱污”场所发现一宗、整治一宗，及时更新“三个一批”清单。"
        ),
        "patrol" => writeln!(
            o,
            "{sname}组织网格员、河长办工作人员共{people}人，沿{river}流域开展“洗楼”式巡查，逐栋逐户核查出租屋、临街商铺的生产经营情况。\n\n巡查中重点核查已销号场所有无“死灰复燃”，对新发现的场所当场拍照取证并录入智能管理系统。"
        ),
        "inspection" => writeln!(
            o,
            "区专项工作组对{sname}“散乱污”场所整治情况开展专项督查，抽查已整治场所及在办场所，查阅整治档案和前后对比照片。\n\n督查发现个别场所整治档案不完整，已要求街道立行立改，并在下一季度现场检查中复核。"
        ),
        "enforcement" => writeln!(
            o,
            "{sname}发出“吹哨”信号，市生态环境局越秀分局、区市场监管局、区应急管理局执法人员及时“报到”，共出动执法人员{people}人次开展联合执法。\n\n对无证无照、污染治理设施缺失的场所依法实施断水断电、查封设备，对符合条件的场所督促完善手续、升级改造。"
        ),
        "training" => writeln!(
            o,
            "为提升干部依法行政水平，区科工信局、市生态环境局越秀分局联合举办业务培训，各街道综合执法队、网格员共{people}人参加。\n\n培训围绕“散乱污”场所认定办法、新承接综合行政执法职权的办案程序及智能管理系统录入规范展开。"
        ),
        "report" => report_table(o, date, org, known),
        _ => writeln!(
            o,
            "各街道持续做好“散乱污”场所日常监管，通过网格巡查、用电大数据比对和群众举报等渠道掌握线索。\n\n欢迎市民通过12345热线反映身边的“散乱污”场所问题。"
        ),
    };
    if !picked.is_empty() {
        let ids: Vec<&str> = picked.iter().map(|c| c.id.as_str()).collect();
        let _ = writeln!(o, "\n本次涉及场所：{}。", ids.join("、"));
    }
}

/// A report's table: per street, found and done on the note's date.
fn report_table(o: &mut String, date: NaiveDate, org: &Org, known: &[&Case]) -> std::fmt::Result {
    writeln!(
        o,
        "截至{date}，全区各街道“散乱污”场所清理整治情况如下：\n\n| 街道 | 累计发现 | 已整治（含销号） |\n|---|---:|---:|"
    )?;
    for (i, s) in org.streets.iter().enumerate() {
        let found = known.iter().filter(|c| c.street == i).count();
        let done = known
            .iter()
            .filter(|c| c.street == i && c.done_on(date))
            .count();
        writeln!(o, "| {} | {found} | {done} |", s.name)?;
    }
    writeln!(
        o,
        "\n下一步，各街道要加强日常巡查，严防“死灰复燃”，确保按期完成年度目标任务。"
    )
}

/// Writes `spec.publicity` items; posters, events and articles get covers, leaflets the PDF attachment.
pub(crate) fn write_publicity(dir: &Path, spec: &Spec, org: &Org, rng: &mut Rng) -> io::Result<()> {
    let dates = spread_dates(spec.publicity, ymd(2022, 12, 20), rng);
    if dates.is_empty() {
        return Ok(());
    }
    write_bytes(
        dir,
        ATTACHMENT,
        &files::pdf("Yuexiu sanluanwu initiative (sample attachment)"),
    )?;
    for (k, &date) in dates.iter().enumerate() {
        let kind = PUBLICITY_KINDS[k % PUBLICITY_KINDS.len()];
        let slug = format!("{kind}-{:02}", k + 1);
        let street = (kind == "event" || kind == "training").then(|| rng.pick(&org.streets));
        let where_ = street.map(|s| s.name.as_str()).unwrap_or("全区");
        let title = match kind {
            "article" => "守护绿水青山，共同抵制“散乱污”".to_string(),
            "event" => format!("{where_}开展“散乱污”整治进社区宣传活动"),
            "poster" => "“散乱污”场所举报请拨打12345".to_string(),
            "leaflet" => "致辖区生产经营者的一封信（倡议书）".to_string(),
            "training" => format!("{where_}举办生产经营者环保法规宣贯会"),
            _ => "短视频：一家汽修点的整治前后".to_string(),
        };
        let mut o = String::new();
        front(&mut o, &title, date, kind);
        if let Some(s) = street {
            let _ = writeln!(o, "street: {}", s.id);
        }
        if spec.photos && matches!(kind, "article" | "event" | "poster") {
            let cover = format!("files/publicity/{slug}.jpg");
            write_bytes(dir, &cover, &super::photos::cover(k as u32))?;
            let _ = writeln!(o, "cover: {cover}");
        }
        if kind == "leaflet" {
            let _ = writeln!(o, "attachments:\n  - {ATTACHMENT}");
        }
        let _ = writeln!(
            o,
            "---\n\n{}\n\n{PUBLICITY_TAIL}",
            publicity_lead(kind, where_)
        );
        write(dir, &format!("publicity/{slug}.md"), &o)?;
    }
    Ok(())
}

const PUBLICITY_TAIL: &str = "“散乱污”场所是指不符合产业政策、产业布局规划，手续不全，污染治理设施缺失或不完善的生产经营场所。发现身边的“散乱污”场所，请拨打**12345**热线反映。";

fn publicity_lead(kind: &str, where_: &str) -> String {
    match kind {
        "event" => format!("{where_}在社区广场设置宣传摊位，向居民和商户派发宣传资料，现场讲解“散乱污”场所的危害和举报渠道。"),
        "poster" => "海报在全区各社区宣传栏、出租屋集中区域张贴，提醒市民共同监督身边的“散乱污”场所。".to_string(),
        "leaflet" => "倡议广大生产经营者依法依规经营，完善污染防治设施，主动配合街道开展清理整治。全文见附件。".to_string(),
        "training" => format!("{where_}组织辖区生产经营者学习生态环境保护、排水管理和安全生产相关法规，讲解“散乱污”场所认定标准。"),
        "video" => "短视频记录了一家汽车维修点从污水直排到完成升级改造的全过程，展示“发现一宗、整治一宗”的工作成效。".to_string(),
        _ => format!("{where_}结合“六五环境日”等节点，多渠道宣传“散乱污”场所清理整治政策，提升居民环保法律意识。"),
    }
}

/// Commentary for the June and September briefings, with that month's own counts.
pub(crate) fn write_briefings(dir: &Path, org: &Org, cases: &[Case]) -> io::Result<()> {
    for (month, end) in [(6, ymd(2022, 6, 30)), (9, ymd(2022, 9, 30))] {
        let in_month =
            |d: Option<NaiveDate>| d.is_some_and(|d| d.month() == month && d.year() == 2022);
        let found = cases.iter().filter(|c| in_month(Some(c.found))).count();
        let rectified = cases.iter().filter(|c| in_month(c.rectified)).count();
        let mut busiest: Vec<(usize, &str)> = org
            .streets
            .iter()
            .enumerate()
            .map(|(i, s)| {
                (
                    cases
                        .iter()
                        .filter(|c| c.street == i && c.found <= end)
                        .count(),
                    s.name.as_str(),
                )
            })
            .collect();
        busiest.sort_by_key(|&(n, _)| std::cmp::Reverse(n));
        let top: Vec<&str> = busiest.iter().take(3).map(|&(_, n)| n).collect();
        let text = format!(
            "---\ntitle: 2022年{month}月“散乱污”场所清理整治进展通报\n---\n\n本月全区新发现“散乱污”场所{found}宗，完成整治{rectified}宗。{}等街道排查发现数量较多，要加快整治进度，对逾期未完成整治的场所逐一明确整改措施和完成时限。\n\n各街道要按期在“广州市‘散乱污’场所智能管理系统”更新“三个一批”清单，加强已销号场所的日常巡查，严防“死灰复燃”。\n",
            top.join("、")
        );
        write(dir, &format!("briefings/2022-{month:02}.md"), &text)?;
    }
    Ok(())
}
