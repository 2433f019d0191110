//! `rectify import LEDGER`: turns a street's ledger (台账) into case files. Every row is drafted as a
//! case file's text and validated with the content, by the same rules as `check`; the validator's
//! diagnostics are told back as the ledger's rows and columns. Nothing is written unless every row
//! is valid, so the content folder passes `check` afterwards.

use super::Failure;
use super::new::{id_prefix, next_id, read, stems};
use crate::cli::ImportArgs;
use crate::diag::{Diagnostic, Kind, Span, print_human};
use crate::lang::Lang;
use crate::ledger::columns::{self, Field, Header};
use crate::ledger::rows::{self, Draft};
use crate::ledger::{self, ReadError, Table};
use crate::load::{FileKind, SourceFile, Sources};
use crate::model::{Action, Site};
use anyhow::Context;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// A case file to write: where, its text, and the ledger row it came from.
struct Planned {
    table: usize,
    line: u32,
    id_col: Option<usize>,
    street: Option<String>,
    path: String,
    text: String,
    cols: Vec<Option<usize>>,
    /// The existing file of the same id, which `--force` replaces.
    replaces: Option<String>,
}

pub fn run(args: &ImportArgs) -> Result<(), Failure> {
    let (mut sources, site) = read(&args.content)?;
    let lang = site.config.lang;
    let map = read_map(args.map.as_deref())?;
    let tables = match ledger::read(&args.ledger, args.sheet.as_deref()) {
        Ok(t) => t,
        Err(e) => return Err(read_failure(e, &args.ledger, lang)),
    };
    let mut diags: Vec<(usize, Diagnostic)> = vec![];
    let mut drafts: Vec<(usize, Option<usize>, Draft)> = vec![];
    let mut headers = vec![];
    for (t, table) in tables.iter().enumerate() {
        let header = columns::find(&table.rows, &map);
        drafts.extend(table_drafts(table, header.as_ref(), &site, &mut diags, t));
        headers.push(header);
    }
    let planned = plan(drafts, &sources, &site, args.force, &tables, &mut diags);
    diags.extend(validate(&mut sources, &planned, &tables, &headers));
    diags.sort_by(|(a, x), (b, y)| (a, x.span).cmp(&(b, y.span)));
    for (t, d) in &diags {
        let source = (*t == usize::MAX)
            .then(|| sources.text_of(&d.path))
            .flatten();
        eprintln!("{}", print_human(d, source, lang));
    }
    if diags.iter().any(|(_, d)| d.is_error()) {
        return Err(Failure::Content);
    }
    if !args.dry_run {
        write(&args.content, &planned)?;
    }
    summary(&site, &planned, args.dry_run, lang);
    Ok(())
}

fn read_map(path: Option<&Path>) -> Result<BTreeMap<String, String>, Failure> {
    let Some(path) = path else {
        return Ok(BTreeMap::new());
    };
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let map: BTreeMap<String, String> = serde_saphyr::from_str(&text).map_err(|e| {
        Failure::Usage(format!(
            "{}: 应为“台账列名: 清单列名”的映射 / must map ledger headers to column names: {e}",
            path.display()
        ))
    })?;
    columns::check_map(&map).map_err(Failure::Usage)?;
    Ok(map)
}

fn read_failure(e: ReadError, path: &Path, lang: Lang) -> Failure {
    match e {
        ReadError::NotUtf8 => {
            let d = Diagnostic::new(
                path.display().to_string(),
                Span::file_start(),
                Kind::LedgerEncoding,
            );
            eprintln!("{}", print_human(&d, None, lang));
            Failure::Content
        }
        ReadError::NoSheet { name, available } => Failure::Usage(format!(
            "没有名为 `{name}` 的工作表 / no sheet named `{name}`; 可用 / sheets: {}",
            available.join(", ")
        )),
        ReadError::Extension => Failure::Usage(format!(
            "{}: 台账应为 .xlsx 或 .csv 文件 / a ledger is an .xlsx or .csv file",
            path.display()
        )),
        ReadError::Io(e) => Failure::Env(e),
    }
}

/// The drafts of a table's data rows, with the table's index and its 编号 column.
fn table_drafts(
    table: &Table,
    header: Option<&Header>,
    site: &Site,
    diags: &mut Vec<(usize, Diagnostic)>,
    t: usize,
) -> Vec<(usize, Option<usize>, Draft)> {
    let Some(header) = header else {
        let line = table.rows.first().map_or(1, |r| r.line);
        let span = Span::new(line, 1, 0);
        diags.push((t, Diagnostic::new(&table.name, span, Kind::LedgerNoHeader)));
        return vec![];
    };
    let header_line = table.rows[header.index].line;
    for (col, text, suggestion) in &header.unknown {
        let kind = Kind::LedgerUnknownColumn {
            header: text.clone(),
            suggestion: suggestion.clone(),
        };
        let span = Span::new(header_line, *col as u32 + 1, 1);
        diags.push((t, Diagnostic::new(&table.name, span, kind)));
    }
    // A sheet of rectify's own lists is named after its action.
    let action = table
        .sheet
        .as_deref()
        .map(|s| s.trim_end_matches("清单"))
        .filter(|s| Action::parse(s).is_some());
    let id_col = header.column(Field::Id).map(|c| c.0);
    table.rows[header.index + 1..]
        .iter()
        .filter_map(|row| rows::draft(row, header, &site.org, action))
        .map(|d| (t, id_col, d))
        .collect()
}

/// Gives every draft its id and path: 编号 as written, else the next free id; refuses ids used
/// twice in the ledger, and existing ids without `--force`.
fn plan(
    drafts: Vec<(usize, Option<usize>, Draft)>,
    sources: &Sources,
    site: &Site,
    force: bool,
    tables: &[Table],
    diags: &mut Vec<(usize, Diagnostic)>,
) -> Vec<Planned> {
    let existing: BTreeMap<String, String> = sources
        .files
        .iter()
        .filter(|f| f.kind == FileKind::Case)
        .filter_map(|f| Some((stem(&f.path)?.to_lowercase(), f.path.clone())))
        .collect();
    let mut taken = stems(sources, FileKind::Case);
    taken.extend(
        drafts
            .iter()
            .filter_map(|(_, _, d)| d.id.clone())
            .map(|i| i.to_lowercase()),
    );
    let prefix = id_prefix(site);
    let mut seen: BTreeMap<String, u32> = BTreeMap::new();
    let mut planned = vec![];
    for (t, id_col, d) in drafts {
        let id = d.id.clone().unwrap_or_else(|| {
            let id = next_id(&prefix, &taken);
            taken.push(id.to_lowercase());
            id
        });
        let at = Span::new(d.line, id_col.map_or(1, |c| c as u32 + 1), 1);
        let name = &tables[t].name;
        if let Some(line) = seen.insert(id.to_lowercase(), d.line) {
            let kind = Kind::LedgerDuplicate { id, line };
            diags.push((t, Diagnostic::new(name, at, kind)));
            continue;
        }
        let replaces = existing.get(&id.to_lowercase()).cloned();
        if let (Some(path), false) = (&replaces, force) {
            let kind = Kind::LedgerCaseExists {
                id: id.clone(),
                path: path.clone(),
            };
            diags.push((t, Diagnostic::new(name, at, kind)));
        }
        let folder = d.street.clone().unwrap_or_else(|| "unknown-street".into());
        let (text, cols) = d.yaml(&id, id_col);
        planned.push(Planned {
            table: t,
            line: d.line,
            id_col,
            street: d.street,
            path: format!("cases/{folder}/{id}.yaml"),
            text,
            cols,
            replaces,
        });
    }
    planned
}

fn stem(path: &str) -> Option<&str> {
    path.rsplit('/').next()?.strip_suffix(".yaml")
}

/// Validates the content as it would be after the import, and tells each problem where it is: a
/// drafted case's at its ledger row and column, any other file's as `check` would.
fn validate(
    sources: &mut Sources,
    planned: &[Planned],
    tables: &[Table],
    headers: &[Option<Header>],
) -> Vec<(usize, Diagnostic)> {
    let replaced: BTreeSet<&str> = planned
        .iter()
        .filter_map(|p| p.replaces.as_deref())
        .collect();
    sources
        .files
        .retain(|f| !replaced.contains(f.path.as_str()));
    let drafted: BTreeMap<&str, &Planned> = planned.iter().map(|p| (p.path.as_str(), p)).collect();
    sources.files.extend(planned.iter().map(|p| SourceFile {
        path: p.path.clone(),
        kind: FileKind::Case,
        text: p.text.clone(),
    }));
    sources.files.sort_by(|a, b| a.path.cmp(&b.path));
    let diags = match crate::validate::validate(sources) {
        Ok((_, warnings)) => warnings,
        Err(diags) => diags,
    };
    diags
        .into_iter()
        .filter_map(|d| match drafted.get(d.path.as_str()) {
            Some(p) => Some((
                p.table,
                in_ledger(d, p, &tables[p.table], headers[p.table].as_ref()),
            )),
            None => d.is_error().then_some((usize::MAX, d)),
        })
        .collect()
}

/// A drafted case's diagnostic, moved to the ledger row and the column its line came from.
fn in_ledger(d: Diagnostic, p: &Planned, table: &Table, header: Option<&Header>) -> Diagnostic {
    let header_text = |col: usize| {
        header
            .and_then(|h| h.columns.iter().find(|c| c.0 == col))
            .map_or_else(|| format!("{}", col + 1), |c| c.2.clone())
    };
    let at = |col: Option<usize>| Span::new(p.line, col.map_or(1, |c| c as u32 + 1), 1);
    if let (Kind::MissingField { field }, true) = (&d.kind, d.span.line <= 1) {
        let header_name = required_header(field);
        let col = header_name.and_then(|h| column_named(header, h));
        let kind = match header_name {
            Some(h) => Kind::LedgerEmpty { header: h },
            None => d.kind.clone(),
        };
        return Diagnostic::new(&table.name, at(col), kind);
    }
    let col = p
        .cols
        .get(d.span.line.saturating_sub(1) as usize)
        .copied()
        .flatten();
    let col = col.or(if d.span.line <= 1 { p.id_col } else { None });
    let kind = match col {
        Some(c) => Kind::InLedger {
            header: header_text(c),
            inner: Box::new(d.kind),
        },
        None => d.kind,
    };
    Diagnostic::new(&table.name, at(col), kind)
}

/// The lists.xlsx column name of a required case field.
fn required_header(field: &str) -> Option<&'static str> {
    Some(match field {
        "name" => "场所名称",
        "street" => "街道",
        "criteria" => "认定情形",
        "source" => "发现来源",
        "action" => "整治类型",
        "found" => "发现时间",
        _ => return None,
    })
}

fn column_named(header: Option<&Header>, name: &str) -> Option<usize> {
    let field = columns::NAMES.iter().find(|(n, _)| *n == name)?.1;
    header?.column(field).map(|c| c.0)
}

fn write(content: &Path, planned: &[Planned]) -> Result<(), Failure> {
    for p in planned {
        if let Some(old) = p.replaces.as_deref().filter(|old| *old != p.path) {
            let old = content.join(old);
            std::fs::remove_file(&old)
                .with_context(|| format!("cannot remove {}", old.display()))?;
        }
        let path = content.join(&p.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        std::fs::write(&path, &p.text)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}

/// The paths written (or that would be), and a count per street in organisation order.
fn summary(site: &Site, planned: &[Planned], dry_run: bool, lang: Lang) {
    for p in planned {
        let mark = match (&p.replaces, lang) {
            (Some(_), Lang::Zh) => "（覆盖）",
            (Some(_), Lang::En) => " (overwritten)",
            (None, _) => "",
        };
        println!("{}{mark}", p.path);
    }
    for street in &site.org.streets {
        let of: Vec<&Planned> = planned
            .iter()
            .filter(|p| p.street.as_deref() == Some(&street.id))
            .collect();
        if of.is_empty() {
            continue;
        }
        let over = of.iter().filter(|p| p.replaces.is_some()).count();
        let new = of.len() - over;
        match lang {
            Lang::Zh => println!(
                "{}：{} 个场所（新增 {new}，覆盖 {over}）",
                street.name,
                of.len()
            ),
            Lang::En => println!(
                "{}: {} cases ({new} new, {over} overwritten)",
                street.id,
                of.len()
            ),
        }
    }
    let n = planned.len();
    let line = match (lang, dry_run) {
        (Lang::Zh, true) => format!("试运行：将导入 {n} 个场所，未写入任何文件"),
        (Lang::Zh, false) => format!("已导入 {n} 个场所"),
        (Lang::En, true) => format!("dry run: {n} cases would be imported; nothing written"),
        (Lang::En, false) => format!("imported {n} cases"),
    };
    println!("{line}");
}
