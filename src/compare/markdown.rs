//! The changes as a Markdown summary fit for a pull-request comment.

use super::{CaseRef, Changes, Edits, Figures, Item, Listed};
use crate::lang::Lang;
use std::fmt::Write;

/// GitHub refuses comments longer than 65,536 characters; longer summaries are cut at a line.
const MAX_COMMENT: usize = 60_000;

/// Long values are cut so one edited paragraph does not flood the comment.
const MAX_VALUE: usize = 120;

fn value(s: &str, lang: Lang) -> String {
    if s.is_empty() {
        return lang.pick("（空）", "(empty)").into();
    }
    let one_line = s.replace('\n', " ").replace('|', "\\|").replace('`', "'");
    if one_line.chars().count() > MAX_VALUE {
        let cut: String = one_line.chars().take(MAX_VALUE).collect();
        format!("{cut}…")
    } else {
        one_line
    }
}

fn arrow<T: PartialEq + std::fmt::Display>(a: &T, b: &T) -> String {
    if a == b {
        a.to_string()
    } else {
        format!("{a} → {b}")
    }
}

fn figures_row(name: &str, f: &Figures) -> String {
    format!(
        "| {name} | {} | {} | {} |\n",
        arrow(&f.found[0], &f.found[1]),
        arrow(&f.done[0], &f.done[1]),
        arrow(&f.rate[0], &f.rate[1])
    )
}

pub fn markdown(c: &Changes, lang: Lang) -> String {
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "### {} `{}` {}\n",
        t("内容变化：自", "Content changes since"),
        c.rev,
        t("以来", "")
    );
    for (side, info) in [
        (t("修改前", "Before"), &c.old),
        (t("修改后", "After"), &c.new),
    ] {
        if !info.valid {
            let _ = writeln!(
                out,
                "> ⚠️ {side}{}{}{}\n",
                t("的内容未通过校验（", " the content does not validate ("),
                info.errors,
                t(
                    " 个错误），以下只比较能读取的部分。",
                    " errors); only what parses is compared."
                )
            );
        }
    }
    let d = |s: &Option<String>| s.clone().unwrap_or_else(|| "—".into());
    let _ = writeln!(
        out,
        "{}：{}\n",
        t("统计日期 D", "As of D"),
        arrow(&d(&c.old.as_of), &d(&c.new.as_of))
    );
    if c.is_empty() {
        let _ = writeln!(out, "{}", t("内容无变化。", "No content changes."));
        return out;
    }
    if let Some(f) = &c.totals {
        let _ = writeln!(
            out,
            "| | {} | {} | {} |\n|---|---|---|---|",
            t("发现", "found"),
            t("已完成", "done"),
            t("完成率", "rate")
        );
        out += &figures_row(t("合计", "Total"), f);
        for s in &c.streets {
            out += &figures_row(&s.name, &s.figures);
        }
        out += "\n";
    }
    cases(&mut out, c, lang);
    listed(&mut out, t("工作动态", "Notes"), &c.notes, lang);
    listed(&mut out, t("宣传", "Publicity"), &c.publicity, lang);
    edits(&mut out, t("重点任务", "Tasks"), &c.tasks, lang);
    edits(
        &mut out,
        t("组织架构", "Organisation"),
        &c.organisation,
        lang,
    );
    cut(out, lang)
}

fn cut(mut out: String, lang: Lang) -> String {
    if out.len() <= MAX_COMMENT {
        return out;
    }
    let mut end = MAX_COMMENT;
    while !out.is_char_boundary(end) {
        end -= 1;
    }
    let line = out[..end].rfind('\n').unwrap_or(0);
    out.truncate(line + 1);
    out += lang.pick(
        "\n……（内容过长，已截断；完整结果见 `rectify diff --format json`）\n",
        "\n… (cut to fit a comment; `rectify diff --format json` has everything)\n",
    );
    out
}

fn case_line(c: &CaseRef) -> String {
    let status = if c.status.is_empty() {
        String::new()
    } else {
        format!("，{}", c.status)
    };
    format!("- `{}` {}（{}{status}）\n", c.id, c.name, c.street)
}

fn cases(out: &mut String, c: &Changes, lang: Lang) {
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let k = &c.cases;
    if !k.added.is_empty() {
        let _ = writeln!(
            out,
            "#### {} ({})\n",
            t("新增场所", "Cases added"),
            k.added.len()
        );
        k.added.iter().for_each(|x| *out += &case_line(x));
        *out += "\n";
    }
    if !k.removed.is_empty() {
        let _ = writeln!(
            out,
            "#### {} ({})\n",
            t("删除场所", "Cases removed"),
            k.removed.len()
        );
        k.removed.iter().for_each(|x| *out += &case_line(x));
        *out += "\n";
    }
    if !k.status.is_empty() {
        let _ = writeln!(
            out,
            "#### {} ({})\n",
            t("状态变化", "Status changes"),
            k.status.len()
        );
        let _ = writeln!(
            out,
            "| {} | {} | {} |\n|---|---|---|",
            t("编号", "id"),
            t("名称", "name"),
            t("状态", "status")
        );
        for s in &k.status {
            let _ = writeln!(
                out,
                "| `{}` | {} | {} → {} |",
                s.id,
                value(&s.name, lang),
                s.from,
                s.to
            );
        }
        *out += "\n";
    }
    if !k.relapses.is_empty() {
        let _ = writeln!(
            out,
            "#### {} ({})\n",
            t("新记录的复发", "Relapses recorded"),
            k.relapses.len()
        );
        for r in &k.relapses {
            let note = r
                .note
                .as_deref()
                .map(|n| format!("：{}", value(n, lang)))
                .unwrap_or_default();
            let _ = writeln!(out, "- `{}` {} {}{note}", r.id, r.name, r.found);
        }
        *out += "\n";
    }
    if !k.fields.is_empty() {
        let _ = writeln!(
            out,
            "#### {} ({})\n",
            t("字段修改", "Fields changed"),
            k.fields.len()
        );
        edited(out, &k.fields, lang);
    }
}

fn edited(out: &mut String, list: &[super::Edited], lang: Lang) {
    for e in list {
        let _ = writeln!(out, "- `{}` {}", e.id, e.name);
        for f in &e.changes {
            let _ = writeln!(
                out,
                "  - `{}`：{} → {}",
                f.field,
                value(&f.old, lang),
                value(&f.new, lang)
            );
        }
    }
    *out += "\n";
}

fn item_line(i: &Item) -> String {
    let date = i
        .date
        .as_deref()
        .map(|d| format!("{d} "))
        .unwrap_or_default();
    format!("- {date}{}（`{}`）\n", i.title, i.id)
}

fn listed(out: &mut String, what: &str, l: &Listed, lang: Lang) {
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    for (verb, items) in [
        (t("新增", " added"), &l.added),
        (t("删除", " removed"), &l.removed),
    ] {
        if !items.is_empty() {
            let (a, b) = if lang == Lang::Zh {
                (verb, what)
            } else {
                (what, verb)
            };
            let _ = writeln!(out, "#### {a}{b} ({})\n", items.len());
            items.iter().for_each(|i| *out += &item_line(i));
            *out += "\n";
        }
    }
}

fn edits(out: &mut String, what: &str, e: &Edits, lang: Lang) {
    listed(
        out,
        what,
        &Listed {
            added: e.added.clone(),
            removed: e.removed.clone(),
        },
        lang,
    );
    if !e.changed.is_empty() {
        let _ = writeln!(
            out,
            "#### {what}{} ({})\n",
            lang.pick("修改", " changed"),
            e.changed.len()
        );
        edited(out, &e.changed, lang);
    }
}
