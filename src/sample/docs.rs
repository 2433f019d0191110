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

/// What each 推进会 of the year turns to, in order.
const MEETING_FOCUS: [&str; 4] = [
    "部署全年排查任务，明确“三个一批”清单的建立和销号程序",
    "通报上半年排查整治进展，部署六五环境日集中宣传",
    "逐一研究逾期未完成整治场所的整改措施和完成时限",
    "总结全年工作，研究“死灰复燃”防控和长效监管机制",
];

/// Source control (task 4), the development and reform bureau's part: titles and bodies.
const SOURCE_CONTROL: [(&str, &str); 3] = [
    (
        "严把准入关：区发展改革局会同相关部门研究产业准入要求",
        "区发展改革局会同区规划和自然资源分局、区市场监管局，对照产业政策和产业布局规划梳理准入要求，明确不符合布局的项目一律不予备案、不予登记。\n\n会议要求各部门在审批环节加强信息共享，从源头杜绝新增“散乱污”场所。",
    ),
    (
        "区发展改革局通报上半年新增项目产业布局核查情况",
        "区发展改革局对上半年备案的新增项目逐一核查产业布局，未发现不符合规划的生产加工项目；对两处在住宅区内申请备案的小型加工项目，已告知申请人另行选址。\n\n下一步将把核查结果与街道“三个一批”清单比对，防止整治后的场所换个名义重新落户。",
    ),
    (
        "源头防控联席会议：防止“散乱污”场所换址复产",
        "区发展改革局、区规划和自然资源分局、区市场监管局召开源头防控联席会议，分析整合搬迁场所的去向，对搬迁后仍在辖区另租场地经营的情况建立核查机制。\n\n各部门约定每季度交换一次审批、登记和用电数据，发现疑似复产线索即转交属地街道核查。",
    ),
];

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
            _ => (
                SOURCE_CONTROL[(k / 7) % SOURCE_CONTROL.len()].0.to_string(),
                &["fgj", "ghzy", "scjg"],
                &[4],
            ),
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
        note_body(&mut o, kind, sname, date, &picked, org, &known, rng, k);
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
    k: usize,
) {
    // Drawn either way, so the notes after it keep their draws.
    let drawn = *rng.pick(&RIVERS);
    let river = super::vocab::river_near(sname).unwrap_or(drawn);
    let people = rng.range(8, 40);
    let _ = match kind {
        "meeting" => writeln!(
            o,
            "{date}，区专项工作组召开“散乱污”场所清理整治工作推进会，区科工信局、市生态环境局越秀分局及各街道分管领导参加。\n\n会议{}，要求各街道落实属地管理责任，对“散乱污”场所发现一宗、整治一宗，及时更新“三个一批”清单。",
            MEETING_FOCUS[(k / 7) % MEETING_FOCUS.len()]
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
        _ => writeln!(o, "{}", SOURCE_CONTROL[(k / 7) % SOURCE_CONTROL.len()].1),
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

/// One publicity item of the default set: its kind, title, body, optional fixed date and PDF.
struct Item {
    kind: &'static str,
    /// `{where}` is replaced by the street's name (events and training) or 全区.
    title: &'static str,
    body: &'static str,
    /// A day the item belongs to (六五环境日 is 6月5日), instead of the evenly spread one.
    date: Option<(u32, u32)>,
    /// A Chinese PDF attachment: file name under `files/attachments/`, its title and its lines.
    pdf: Option<(&'static str, &'static str, &'static [&'static str])>,
}

/// The default publicity, one of each kind or more, each with its own words.
const ITEMS: [Item; 10] = [
    Item {
        kind: "article",
        title: "守护绿水青山，共同抵制“散乱污”——越秀区全面启动“散乱污”场所清理整治",
        body: "越秀区召开动员部署会，全面启动本年度“散乱污”场所清理整治工作。按照“发现一宗、整治一宗”的要求，各街道将依托网格化管理，对出租屋、临街商铺和老旧厂房开展拉网式排查，建立“三个一批”清单，实行销号管理。",
        date: None,
        pdf: None,
    },
    Item {
        kind: "event",
        title: "{where}开展“散乱污”整治进社区宣传活动",
        body: "{where}在社区广场设置宣传摊位，向居民和商户派发宣传资料，现场讲解“散乱污”场所的危害和举报渠道，并为商户解答排水许可、营业执照办理等问题。",
        date: None,
        pdf: None,
    },
    Item {
        kind: "poster",
        title: "海报：身边有“散乱污”，请拨12345",
        body: "海报在全区各社区宣传栏、出租屋集中区域张贴，用图解说明“散”“乱”“污”三种情形，提醒市民共同监督身边的“散乱污”场所。",
        date: None,
        pdf: None,
    },
    Item {
        kind: "article",
        title: "六五环境日｜越秀区集中宣传“散乱污”场所清理整治成效",
        body: "6月5日是世界环境日，越秀区在北京路步行街设置主会场，各街道同步设点，集中展示上半年“散乱污”场所清理整治成效，发布整治前后对比照片，开展环保知识有奖问答。",
        date: Some((6, 5)),
        pdf: None,
    },
    Item {
        kind: "training",
        title: "{where}举办生产经营者环保法规宣贯会",
        body: "{where}组织辖区汽修、餐饮、洗车等行业经营者学习生态环境保护、排水管理和安全生产相关法规，讲解“散乱污”场所认定标准和整改要求，现场发放培训讲义。",
        date: None,
        pdf: Some((
            "peixun-jiangyi.pdf",
            "生产经营者环保法规宣贯会讲义",
            &[
                "一、什么是“散乱污”场所",
                "不符合产业政策、产业布局规划，手续不全，污染治理设施缺失或不完善的生产经营场所。",
                "二、常见问题",
                "1. 洗车、汽修废水未经处理直排雨水管。",
                "2. 喷漆、印刷废气无收集处理设施。",
                "3. 在住宅楼内从事生产加工。",
                "三、整改要求",
                "按街道下达的整改通知书，在期限内完成关停、搬迁或升级改造。",
            ],
        )),
    },
    Item {
        kind: "video",
        title: "短视频：一家汽修点的整治前后",
        body: "短视频记录了一家汽车维修点从废水直排、露天喷漆到完成升级改造的全过程，经营者现身讲述整改后的变化，展示“发现一宗、整治一宗”的工作成效。",
        date: None,
        pdf: None,
    },
    Item {
        kind: "leaflet",
        title: "致辖区生产经营者的一封信（倡议书）",
        body: "倡议广大生产经营者依法依规经营，完善污染防治设施，主动配合街道开展清理整治。全文见附件。",
        date: None,
        pdf: Some((
            "changyishu.pdf",
            "致辖区生产经营者的一封信",
            &[
                "广大生产经营者：",
                "为改善辖区生态环境，越秀区正在开展“散乱污”场所清理整治。",
                "我们倡议：",
                "一、依法办理营业执照、排水许可等手续，守法经营。",
                "二、完善污水、废气、噪声和固体废物的防治设施。",
                "三、不在住宅楼内从事加工生产，不露天喷漆、洗车。",
                "四、主动配合街道和职能部门的检查与整改。",
                "发现“散乱污”场所，请拨打12345热线反映。",
                "越秀区“散乱污”场所清理整治专项工作组办公室",
            ],
        )),
    },
    Item {
        kind: "event",
        title: "{where}联合河长办开展“护河涌、除污染”主题宣传",
        body: "{where}联合区河长办，在河涌沿岸开展主题宣传，志愿者沿河发放宣传单，讲解污水直排对河涌水质的影响，邀请居民加入“民间河长”队伍。",
        date: None,
        pdf: None,
    },
    Item {
        kind: "poster",
        title: "海报：严防“死灰复燃”，整治成果人人守护",
        body: "针对个别已整治场所夜间复产的情况，海报提醒市民发现复产线索及时举报，共同巩固整治成果。",
        date: None,
        pdf: None,
    },
    Item {
        kind: "leaflet",
        title: "“散乱污”场所清理整治政策问答（宣传册）",
        body: "宣传册以问答形式，介绍“散乱污”场所的认定情形、三个一批的整治方式、经营者可以获得的帮扶和举报渠道。全文见附件。",
        date: None,
        pdf: Some((
            "zhengce-wenda.pdf",
            "“散乱污”场所清理整治政策问答",
            &[
                "问：哪些场所属于“散乱污”？",
                "答：不符合产业布局、手续不全、污染治理设施缺失或不完善的生产经营场所。",
                "问：“三个一批”指什么？",
                "答：关停取缔一批、整合搬迁一批、升级改造一批。",
                "问：经营者可以得到哪些帮助？",
                "答：街道和职能部门指导办理手续、提供搬迁园区信息。",
                "问：怎样举报？",
                "答：拨打12345热线，或向所在社区反映。",
            ],
        )),
    },
];

/// Writes `spec.publicity` items; articles, events and posters get covers; leaflets and training a
/// Chinese PDF. Beyond the ten default items the list repeats with the issue number in the title.
pub(crate) fn write_publicity(dir: &Path, spec: &Spec, org: &Org, rng: &mut Rng) -> io::Result<()> {
    let dates = spread_dates(spec.publicity, ymd(2022, 12, 20), rng);
    for (k, &spread) in dates.iter().enumerate() {
        let item = &ITEMS[k % ITEMS.len()];
        let kind = item.kind;
        let date = match item.date {
            Some((m, d)) if k < ITEMS.len() => ymd(2022, m, d),
            _ => spread,
        };
        let slug = format!("{kind}-{:02}", k + 1);
        let street = (kind == "event" || kind == "training").then(|| rng.pick(&org.streets));
        let where_ = street.map(|s| s.name.as_str()).unwrap_or("全区");
        let mut title = item.title.replace("{where}", where_);
        if k >= ITEMS.len() {
            title = format!("{title}（第{}期）", k / ITEMS.len() + 1);
        }
        let mut o = String::new();
        front(&mut o, &title, date, kind);
        if let Some(s) = street {
            let _ = writeln!(o, "street: {}", s.id);
        }
        if spec.photos && matches!(kind, "article" | "event" | "poster") {
            let cover = format!("files/publicity/{slug}.png");
            write_bytes(dir, &cover, &files::cover(k as u32))?;
            let _ = writeln!(o, "cover: {cover}");
        }
        if let Some((name, pdf_title, lines)) = item.pdf {
            let path = format!("files/attachments/{name}");
            write_bytes(dir, &path, &files::pdf(pdf_title, lines))?;
            let _ = writeln!(o, "attachments:\n  - {path}");
        }
        let body = item.body.replace("{where}", where_);
        let _ = writeln!(o, "---\n\n{body}\n\n{PUBLICITY_TAIL}");
        write(dir, &format!("publicity/{slug}.md"), &o)?;
    }
    Ok(())
}

const PUBLICITY_TAIL: &str = "“散乱污”场所是指不符合产业政策、产业布局规划，手续不全，污染治理设施缺失或不完善的生产经营场所。发现身边的“散乱污”场所，请拨打**12345**热线反映。";

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
