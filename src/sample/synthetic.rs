//! A synthetic district of any size, for tests and benchmarks: numbered streets, Yuexiu's departments
//! and tasks.

use super::{Org, Rng, Street};
use std::fmt::Write;
use std::io;
use std::path::Path;

const SITE: &str = "title: 示例区2022年“散乱污”场所清理整治（合成数据）
language: zh-CN
campaign:
  start: 2022-03-14
  end: 2022-12-31
id_prefix: SX2022-
sample_data: true
hotline: \"12345\"
office: 示例区“散乱污”场所清理整治专项工作组办公室
";

const PLAN: &str = "---
title: 示例区2022年“散乱污”场所清理整治工作计划（合成数据）
date: 2022-03-14
---

# 示例区2022年“散乱污”场所清理整治工作计划

本计划为合成测试数据，重点工作任务见任务清单。
";

/// Writes site.yaml, organisation.yaml, plan.md and tasks.yaml for `n` streets and returns them.
pub(crate) fn write_site(dir: &Path, n: usize) -> io::Result<Org> {
    let width = n.to_string().len().max(2);
    let mut rng = Rng::new(n as u64);
    let streets: Vec<Street> = (1..=n)
        .map(|i| {
            let name = format!("示例{i:0width$}街道");
            let communities = vec![
                format!("示例{i:0width$}东社区"),
                format!("示例{i:0width$}西社区"),
            ];
            Street {
                id: format!("street-{i:0width$}"),
                name,
                communities,
            }
        })
        .collect();
    let weights = (0..n).map(|_| rng.below(20) as u32 + 1).collect();
    super::write(dir, "site.yaml", SITE)?;
    super::write(dir, "organisation.yaml", &organisation(&streets))?;
    super::write(dir, "plan.md", PLAN)?;
    super::write(dir, "tasks.yaml", super::YUEXIU_TASKS)?;
    Ok(Org {
        streets,
        weights,
        id_prefix: "SX2022-".into(),
    })
}

fn organisation(streets: &[Street]) -> String {
    let yuexiu = super::YUEXIU_ORGANISATION;
    let departments = &yuexiu[..yuexiu.find("\nstreets:").expect("streets section") + 1];
    let dept_ids: Vec<&str> = departments
        .lines()
        .filter_map(|l| l.strip_prefix("  - id: "))
        .collect();
    let mut o = departments.to_string();
    o.push_str("streets:\n");
    for s in streets {
        let _ = writeln!(
            o,
            "  - id: {}\n    name: {}\n    communities:",
            s.id, s.name
        );
        for c in &s.communities {
            let _ = writeln!(o, "      - {c}");
        }
    }
    let all: Vec<&str> = dept_ids
        .iter()
        .copied()
        .chain(streets.iter().map(|s| s.id.as_str()))
        .collect();
    let groups: [(&str, &str, Vec<&str>); 4] = [
        ("all-streets", "各街道", vec!["streets"]),
        ("members", "专项工作组各成员单位", all.clone()),
        ("all-units", "各单位", all),
        ("depts", "各职能部门", dept_ids.clone()),
    ];
    o.push_str("groups:\n");
    for (id, name, members) in groups {
        let _ = writeln!(o, "  - id: {id}\n    name: {name}\n    members:");
        for m in members {
            let _ = writeln!(o, "      - {m}");
        }
    }
    o.push_str(&rivers_yaml());
    o
}

/// `rivers:` for organisation.yaml: the rivers sample cases name.
pub(crate) fn rivers_yaml() -> String {
    let mut o = String::from("rivers:\n");
    for (id, name) in super::vocab::RIVER_IDS.iter().zip(super::vocab::RIVERS) {
        let _ = writeln!(o, "  - id: {id}\n    name: {name}");
    }
    o
}
