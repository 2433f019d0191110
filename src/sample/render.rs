//! Writes a sample case as diff-friendly YAML: block lists, `YYYY-MM-DD` dates, quotes only where needed.

use super::cases::{ACTIONS, CRITERIA, Case, POLLUTION, SOURCES};
use super::vocab::{RELAPSE_NOTES, choose};
use super::{days, last_event};
use chrono::{Datelike, NaiveDate};
use std::fmt::Write;

const METHODS: [&str; 3] = ["patrol", "electricity", "complaint"];
/// Two wordings per method (patrol, electricity, complaint), alternating by date.
const RECHECK_NOTES: [[&str; 2]; 3] = [
    ["现场巡查未发现复产", "网格员回访，场地保持整治后状态"],
    [
        "用电量保持低位，未见生产迹象",
        "用电监测数据正常，无异常回升",
    ],
    ["举报核查属实情况已消除", "核查举报线索，未发现恢复生产"],
];

/// A scalar as YAML would read it back as the same string: plain when safe, double-quoted otherwise.
pub(crate) fn scalar(s: &str) -> String {
    let risky_start = s.starts_with(|c: char| "-?:,[]{}#&*!|>'\"%@`~ ".contains(c));
    let looks_typed = s.is_empty()
        || s.parse::<f64>().is_ok()
        || s.chars()
            .all(|c| c.is_ascii_digit() || c == '-' || c == ':')
        || ["true", "false", "yes", "no", "null", "on", "off"]
            .contains(&s.to_ascii_lowercase().as_str());
    if risky_start || looks_typed || s.contains(": ") || s.contains(" #") || s.ends_with([' ', ':'])
    {
        format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
    } else {
        s.to_string()
    }
}

fn label(pair: (&'static str, &'static str), zh: bool) -> &'static str {
    if zh { pair.1 } else { pair.0 }
}

/// A block list of strings (quoted where needed).
fn list<T: AsRef<str>>(out: &mut String, key: &str, items: impl IntoIterator<Item = T>) {
    let items: Vec<String> = items.into_iter().map(|i| scalar(i.as_ref())).collect();
    if !items.is_empty() {
        let _ = writeln!(out, "{key}:");
        for i in items {
            let _ = writeln!(out, "  - {i}");
        }
    }
}

/// A string field, quoted where needed.
fn field(out: &mut String, key: &str, value: Option<impl AsRef<str>>) {
    if let Some(v) = value {
        let _ = writeln!(out, "{key}: {}", scalar(v.as_ref()));
    }
}

/// A field whose YAML type is meant: a date, a number or a bool.
fn typed(out: &mut String, key: &str, value: Option<impl std::fmt::Display>) {
    if let Some(v) = value {
        let _ = writeln!(out, "{key}: {v}");
    }
}

/// The case file's text.
pub(crate) fn case(c: &Case) -> String {
    let mut o = String::new();
    field(&mut o, "id", Some(&c.id));
    field(&mut o, "name", Some(&c.name));
    field(&mut o, "street", Some(&c.street_field));
    field(&mut o, "community", c.community.as_ref());
    field(&mut o, "grid", c.grid.as_ref());
    field(&mut o, "river", c.river);
    field(&mut o, "industry", Some(c.industry_name()));
    field(&mut o, "location", Some(&c.location));
    list(
        &mut o,
        "criteria",
        c.criteria.iter().map(|&i| label(CRITERIA[i], c.zh)),
    );
    list(
        &mut o,
        "pollution",
        c.pollution.iter().map(|&i| label(POLLUTION[i], c.zh)),
    );
    field(&mut o, "source", Some(label(SOURCES[c.source], c.zh)));
    field(&mut o, "source_ref", c.source_ref.as_ref());
    field(&mut o, "action", Some(label(ACTIONS[c.action], c.zh)));
    typed(&mut o, "found", Some(c.found));
    typed(&mut o, "deadline", c.deadline);
    typed(&mut o, "rectified", c.rectified);
    typed(&mut o, "closed", c.closed);
    list(&mut o, "units", &c.units);
    if !c.tasks.is_empty() {
        o.push_str("tasks:\n");
        for t in &c.tasks {
            let _ = writeln!(o, "  - {t}");
        }
    }
    typed(&mut o, "watch", c.watch.then_some(true));
    typed(&mut o, "typical", c.typical.then_some(true));
    typed(&mut o, "publish", (!c.publish).then_some(false));
    if c.typical {
        o.push_str("summary: |\n");
        for line in summary(c).lines() {
            let _ = if line.is_empty() {
                writeln!(o)
            } else {
                writeln!(o, "  {line}")
            };
        }
    }
    log(&mut o, c);
    photos(&mut o, c);
    if !c.rechecks.is_empty() {
        o.push_str("rechecks:\n");
        for &(date, m) in &c.rechecks {
            let _ = writeln!(
                o,
                "  - date: {date}\n    method: {}\n    note: {}",
                METHODS[m],
                RECHECK_NOTES[m][date.ordinal() as usize % 2]
            );
        }
    }
    relapses(&mut o, c);
    let _ = write!(
        o,
        "private:\n  operator: 示例经营者{n:04}（虚构）\n  phone: \"000-0000-{n:04}\"\n  address: 示例路{n}号（虚构地址）\n",
        n = c.serial + 1
    );
    o
}

fn summary(c: &Case) -> String {
    let action = ACTIONS[c.action].1;
    let how = match c.action {
        0 => "街道联合区市场监管局、市生态环境局越秀分局依法实施关停取缔，拆除生产设备，断水断电",
        1 => "街道引导经营者整合搬迁至符合规划的产业园区，原址清理完毕",
        _ => "经营者按要求完善污染防治设施、补办相关手续，完成升级改造",
    };
    let polluted: Vec<&str> = c.pollution.iter().map(|&p| POLLUTION[p].1).collect();
    let issue = if polluted.is_empty() {
        "手续不全".to_string()
    } else {
        format!("存在{}问题", polluted.join("、"))
    };
    let after = [
        "验收销号后，街道纳入日常巡查，持续跟踪防止反弹。",
        "销号后纳入用电监测名单，网格员每月回访一次。",
        "整治经验已在全区推广，周边同类场所主动对照整改。",
    ][choose(&c.id, 6, 3)];
    format!(
        "该场所（{}）位于{}，从事{}，经{}发现，{}。\n\n**整治措施**：{}，实现“{}”。\n\n{after}\n",
        c.name,
        c.location,
        c.industry_name(),
        SOURCES[c.source].1,
        issue,
        how,
        action
    )
}

fn log(o: &mut String, c: &Case) {
    let action = ACTIONS[c.action].1;
    let mut entries = vec![(c.found, found_text(c))];
    if let Some(d) = c.deadline {
        let text = match choose(&c.id, 1, 3) {
            0 => format!("下达限期整改通知书，要求{d}前完成{action}"),
            1 => format!("街道约谈经营者，明确整治措施，限{d}前完成{action}"),
            _ => format!("录入“三个一批”清单（{action}），整治期限{d}"),
        };
        entries.push((c.found, text));
    }
    if let Some(r) = c.rectified {
        entries.push((r, rectified_text(c)));
    }
    if let Some(cl) = c.closed {
        let text = match choose(&c.id, 2, 3) {
            0 => "区专项工作组办公室组织验收，同意销号",
            1 => "区科工信局、市生态环境局越秀分局联合验收合格，予以销号",
            _ => "街道申请销号，区专项工作组办公室现场核查后同意",
        };
        entries.push((cl, text.to_string()));
    }
    for r in &c.relapses {
        entries.push((
            r.found,
            format!(
                "发现死灰复燃（{}），重新立案并纳入重点监管清单",
                RELAPSE_NOTES[choose(&c.id, r.found.ordinal() as usize, RELAPSE_NOTES.len())]
            ),
        ));
        if let Some(x) = r.rectified {
            let text = match choose(&c.id, 3, 3) {
                0 => "复发问题整治完毕，断水断电并落实网格员跟踪",
                1 => "再次清理生产设备，经营者签订不再复产承诺书",
                _ => "复发问题整改完成，纳入用电监测重点名单",
            };
            entries.push((x, text.to_string()));
        }
    }
    follow_ups(&mut entries, c);
    entries.sort_by_key(|e| e.0);
    o.push_str("log:\n");
    for (d, t) in entries {
        let _ = writeln!(o, "  - date: {d}\n    text: {}", scalar(&t));
    }
}

/// How the site was found, in the words of its source.
fn found_text(c: &Case) -> String {
    let checked = "现场核查认定为“散乱污”场所";
    match SOURCES[c.source].0 {
        "electricity-data" => format!("市用电大数据名单推送线索，街道{checked}"),
        "grid-patrol" => format!("网格员日常巡查发现，街道{checked}"),
        "complaint" => format!("接群众举报，街道会同相关部门{checked}"),
        "hotline" => format!("12345热线工单转办，街道{checked}"),
        "central-inspection" => format!("中央生态环境保护督察组交办，街道当日{checked}"),
        "provincial-inspection" => format!("省生态环境保护督察组交办，街道当日{checked}"),
        "city-referral" => format!("市专项工作组交办，街道{checked}"),
        "river-chief" => format!("河长办巡河“洗楼”发现，街道{checked}"),
        "media" => format!("媒体报道后，街道立即{checked}"),
        "department-check" => format!("职能部门检查发现并移交街道，{checked}"),
        _ => format!("街道{checked}"),
    }
}

/// What was done, for the action and the industry.
fn rectified_text(c: &Case) -> String {
    let industry = c.industry_name();
    match (c.action, choose(&c.id, 4, 2)) {
        (0, 0) => format!("{industry}设备已拆除，断水断电，完成关停取缔，街道现场核实"),
        (0, _) => "经营者自行清场，场地已恢复原状，完成关停取缔".to_string(),
        (1, 0) => "已整体搬迁至合规产业园区，原址清理完毕".to_string(),
        (1, _) => "生产设备已搬离，原址改作仓储，街道现场核实".to_string(),
        (_, 0) => "完成污染防治设施安装并补办相关手续，升级改造验收合格".to_string(),
        _ => format!("{industry}作业区完成防渗、废气收集改造，街道现场核实"),
    }
}

/// A site still open keeps a progress record at least every 25 days, so an overdue case never
/// goes a month without one (`check` warns when it does).
fn follow_ups(entries: &mut Vec<(NaiveDate, String)>, c: &Case) {
    let open_relapse = c.relapses.iter().find(|r| r.rectified.is_none());
    let since = match (c.rectified, open_relapse) {
        (None, _) => c.found,
        (Some(_), Some(r)) => r.found,
        (Some(_), None) => return,
    };
    const FOLLOW_UPS: [&str; 4] = [
        "街道跟踪督促整改，现场核查整改进度",
        "网格员回访，经营者正在整改",
        "街道再次约谈经营者，督促加快整改",
        "现场复查，整改尚未完成，继续跟踪",
    ];
    let mut at = days(since, 25);
    let mut k = choose(&c.id, 5, FOLLOW_UPS.len());
    while at <= last_event() {
        entries.push((at, FOLLOW_UPS[k % FOLLOW_UPS.len()].to_string()));
        at = days(at, 25);
        k += 1;
    }
}

fn photos(o: &mut String, c: &Case) {
    if c.photos {
        let _ = writeln!(
            o,
            "photos:\n  - file: files/photos/{id}-before.png\n    stage: before\n    caption: 整治前：{ind}现场\n  - file: files/photos/{id}-after.png\n    stage: after\n    caption: 整治后：场地已清理",
            id = c.id,
            ind = c.industry_name()
        );
    } else if c.after_photo {
        let _ = writeln!(
            o,
            "photos:\n  - file: files/photos/{}-after.png\n    stage: after\n    caption: 整治后：场地已清理",
            c.id
        );
    }
}

fn relapses(o: &mut String, c: &Case) {
    if c.relapses.is_empty() {
        return;
    }
    o.push_str("relapses:\n");
    for r in &c.relapses {
        let _ = writeln!(o, "  - found: {}", r.found);
        if let Some(d) = r.deadline {
            let _ = writeln!(o, "    deadline: {d}");
        }
        if let Some(x) = r.rectified {
            let _ = writeln!(o, "    rectified: {x}");
        }
        let note = RELAPSE_NOTES[choose(&c.id, r.found.ordinal() as usize, RELAPSE_NOTES.len())];
        let _ = writeln!(o, "    note: {}", scalar(note));
    }
}
