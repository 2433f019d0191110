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
use crate::ledger::merge::{self, Change};
use crate::ledger::rows::{self, Draft};
use crate::ledger::{self, ReadError, Table, cell_name};
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
    /// The existing file of the same id, which `--force` merges the row into.
    replaces: Option<String>,
    /// What the import does to the case.
    effect: Effect,
}

impl Planned {
    /// Whether line `line` of the text came from the ledger (every line of a new case does).
    fn is_ledger_line(&self, line: u32) -> bool {
        matches!(self.effect, Effect::New)
            || self
                .cols
                .get(line.saturating_sub(1) as usize)
                .is_some_and(Option::is_some)
    }
}

/// A new case, an existing one with the fields that change, or one the ledger leaves as it is.
enum Effect {
    New,
    Update(Vec<Change>),
    Same,
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
    diags.extend(validate(&mut sources, &planned, &tables, &headers, &site));
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
    let text = std::fs::read_to_string(path)
        .with_context(|| crate::write::cannot("读取", "read", path))?;
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
        ReadError::Content(diags) => {
            for d in &diags {
                eprintln!("{}", print_human(d, None, lang));
            }
            Failure::Content
        }
        ReadError::NoSheet { name, available } => Failure::Usage(match lang {
            Lang::Zh => format!(
                "没有名为 `{name}` 的工作表；这个工作簿有：{}",
                available.join("、")
            ),
            Lang::En => format!(
                "no sheet named `{name}`; the workbook has: {}",
                available.join(", ")
            ),
        }),
        ReadError::Extension => Failure::Usage(match lang {
            Lang::Zh => format!(
                "{}：台账应为 .xlsx 或 .csv 文件（.xls、.ods、.et 请在 Excel 或 WPS 中另存为 .xlsx）",
                path.display()
            ),
            Lang::En => format!(
                "{}: a ledger is an .xlsx or .csv file (save .xls, .ods or .et as .xlsx in Excel or WPS)",
                path.display()
            ),
        }),
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
    formulas(table, header, diags, t);
    let id_col = header.column(Field::Id).map(|c| c.0);
    table.rows[header.index + 1..]
        .iter()
        .filter_map(|row| rows::draft(row, header, &site.org, action))
        .map(|d| (t, id_col, d))
        .collect()
}

/// A formula below the header in a column that is imported is an error: its cached value may be
/// stale, or missing when another program wrote the file. Formulas in ignored columns are fine.
fn formulas(table: &Table, header: &Header, diags: &mut Vec<(usize, Diagnostic)>, t: usize) {
    let header_line = table.rows[header.index].line;
    for f in &table.formulas {
        if f.line <= header_line || header.columns.iter().all(|c| c.0 != f.col) {
            continue;
        }
        let kind = Kind::LedgerFormula {
            cell: cell_name(f.line - 1, f.col as u32),
            formula: f.text.clone(),
        };
        let span = Span::new(f.line, f.col as u32 + 1, 1);
        diags.push((t, Diagnostic::new(&table.name, span, kind)));
    }
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
        let (path, text, cols, effect) = match (&replaces, force) {
            (Some(old), true) => match merged(old, &d, sources, site) {
                Ok(m) => m,
                Err(fields) => {
                    for field in fields {
                        let kind = Kind::LedgerCannotMerge {
                            path: old.clone(),
                            field: field.to_string(),
                        };
                        diags.push((t, Diagnostic::new(name, at, kind)));
                    }
                    continue;
                }
            },
            _ => {
                let (text, cols) = d.yaml(&id, id_col);
                let path = format!("cases/{folder}/{id}.yaml");
                (path, text, cols, Effect::New)
            }
        };
        planned.push(Planned {
            table: t,
            line: d.line,
            id_col,
            street: d.street,
            path,
            text,
            cols,
            replaces,
            effect,
        });
    }
    planned
}

/// Where a case goes, its text, the ledger column of each line, and what the import does to it.
type Target = (String, String, Vec<Option<usize>>, Effect);

/// The ledger row merged into the existing case file `old`: where it goes (its folder follows a
/// changed street), its text, the ledger column of each line, and what changes.
fn merged(
    old: &str,
    d: &Draft,
    sources: &Sources,
    site: &Site,
) -> Result<Target, Vec<&'static str>> {
    let case = site.cases.iter().find(|c| c.path == old);
    let (Some(case), Some(text)) = (case, sources.text_of(old)) else {
        return Err(vec!["id"]);
    };
    let m = merge::merge(text, case, d, &site.org, site.config.lang)?;
    let path = match &d.street {
        Some(s) if *s != case.street => {
            format!("cases/{s}/{}", old.rsplit('/').next().unwrap_or(old))
        }
        _ => old.to_string(),
    };
    let effect = if m.changes.is_empty() {
        Effect::Same
    } else {
        Effect::Update(m.changes)
    };
    Ok((path, m.text, m.cols, effect))
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
    site: &Site,
) -> Vec<(usize, Diagnostic)> {
    let known: Vec<String> = site
        .org
        .streets
        .iter()
        .map(|s| format!("{}（{}）", s.id, s.name))
        .collect();
    let replaced: BTreeSet<&str> = planned
        .iter()
        .filter_map(|p| p.replaces.as_deref())
        .collect();
    sources
        .files
        .retain(|f| !replaced.contains(f.path.as_str()));
    let drafted: BTreeMap<&str, &Planned> = planned.iter().map(|p| (p.path.as_str(), p)).collect();
    sources.files.extend(
        planned
            .iter()
            .map(|p| SourceFile::new(p.path.clone(), FileKind::Case, p.text.clone())),
    );
    sources.files.sort_by(|a, b| a.path.cmp(&b.path));
    let diags = match crate::validate::validate(sources) {
        Ok((_, warnings)) => warnings,
        Err(diags) => diags,
    };
    diags
        .into_iter()
        .filter_map(|d| match drafted.get(d.path.as_str()) {
            // A merged file's own warnings are `check`'s business, not the ledger's.
            Some(p) if !d.is_error() && !p.is_ledger_line(d.span.line) => None,
            Some(p) => Some((
                p.table,
                in_ledger(d, p, &tables[p.table], headers[p.table].as_ref(), &known),
            )),
            None => d.is_error().then_some((usize::MAX, d)),
        })
        .collect()
}

/// A drafted case's diagnostic, moved to the ledger row and the column its line came from.
fn in_ledger(
    d: Diagnostic,
    p: &Planned,
    table: &Table,
    header: Option<&Header>,
    known: &[String],
) -> Diagnostic {
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
    if let Kind::UnknownRef {
        what: "street",
        value,
        suggestion,
    } = &d.kind
    {
        let kind = Kind::LedgerUnknownStreet {
            value: value.clone(),
            suggestion: suggestion.clone(),
            known: known.to_vec(),
        };
        return Diagnostic::new(&table.name, at(col), kind);
    }
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

/// Writes the new and updated cases, each through a temporary file renamed into place, so a
/// killed import leaves every case file whole (old or new). Unchanged cases are not touched.
fn write(content: &Path, planned: &[Planned]) -> Result<(), Failure> {
    for p in planned {
        if matches!(p.effect, Effect::Same) {
            continue;
        }
        let path = content.join(&p.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| crate::write::cannot("创建", "create", parent))?;
        }
        let file = path
            .file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default();
        let tmp = path.with_file_name(format!(".{file}.import-{}", std::process::id()));
        std::fs::write(&tmp, &p.text)
            .and_then(|()| std::fs::rename(&tmp, &path))
            .inspect_err(|_| {
                let _ = std::fs::remove_file(&tmp);
            })
            .with_context(|| crate::write::cannot("写入", "write", &path))?;
        if let Some(old) = p.replaces.as_deref().filter(|old| *old != p.path) {
            let old = content.join(old);
            std::fs::remove_file(&old)
                .with_context(|| crate::write::cannot("删除", "remove", &old))?;
        }
    }
    Ok(())
}

/// Each new or updated case (with its changes, old → new, on a dry run), a count per street in
/// organisation order, and the summary line.
fn summary(site: &Site, planned: &[Planned], dry_run: bool, lang: Lang) {
    for p in planned {
        let mark = match (&p.effect, lang) {
            (Effect::New, Lang::Zh) => "（新增）",
            (Effect::New, Lang::En) => " (new)",
            (Effect::Update(_), Lang::Zh) => "（更新）",
            (Effect::Update(_), Lang::En) => " (updated)",
            (Effect::Same, _) => continue,
        };
        println!("{}{mark}", p.path);
        if let (Effect::Update(changes), true) = (&p.effect, dry_run) {
            for c in changes {
                println!("  {}: {} → {}", c.field, c.old, c.new);
            }
        }
    }
    for street in &site.org.streets {
        let of: Vec<&Planned> = planned
            .iter()
            .filter(|p| p.street.as_deref() == Some(&street.id))
            .collect();
        if of.is_empty() {
            continue;
        }
        let [new, updated, same] = counts(&of);
        match lang {
            Lang::Zh => println!(
                "{}：{} 个场所（新增 {new}，更新 {updated}，无变化 {same}）",
                street.name,
                of.len()
            ),
            Lang::En => println!(
                "{}: {} cases ({new} new, {updated} updated, {same} unchanged)",
                street.id,
                of.len()
            ),
        }
    }
    let all: Vec<&Planned> = planned.iter().collect();
    let [new, updated, same] = counts(&all);
    let line = match (lang, dry_run) {
        (Lang::Zh, true) => format!(
            "试运行：将新增 {new} 个、更新 {updated} 个场所，{same} 个无变化；未写入任何文件"
        ),
        (Lang::Zh, false) => format!("新增 {new} 个、更新 {updated} 个场所，{same} 个无变化"),
        (Lang::En, true) => {
            format!("dry run: {new} new, {updated} updated, {same} unchanged; nothing written")
        }
        (Lang::En, false) => format!("{new} new, {updated} updated, {same} unchanged"),
    };
    println!("{line}");
}

/// How many are new, updated and unchanged.
fn counts(planned: &[&Planned]) -> [usize; 3] {
    let mut n = [0; 3];
    for p in planned {
        n[match p.effect {
            Effect::New => 0,
            Effect::Update(_) => 1,
            Effect::Same => 2,
        }] += 1;
    }
    n
}
