//! The workbook as a whole: chunks reused from the store give the bytes a clean build gives, and
//! the cells are what the cases hold.

use super::store::Store;
use super::workbook::assemble;
use crate::model::Site;
use crate::render::{Profile, Renderer, Templates, theme::Theme};
use std::path::Path;

/// Rows per chunk here: small, so 160 cases make several chunks a sheet.
const ROWS: usize = 10;

struct Sample {
    _dir: tempfile::TempDir,
    content: std::path::PathBuf,
    store: std::path::PathBuf,
}

fn sample() -> Sample {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    let spec = crate::sample::Spec {
        seed: 5,
        cases: 160,
        streets: Some(3),
        notes: 0,
        publicity: 0,
        photos: false,
    };
    crate::sample::generate(&spec, &content).unwrap();
    let store = dir.path().join("store");
    std::fs::create_dir(&store).unwrap();
    Sample {
        _dir: dir,
        content,
        store,
    }
}

fn site(content: &Path) -> Site {
    let sources = crate::load::load(content).unwrap();
    crate::validate::validate(&sources).unwrap().0
}

/// The workbook of `site` at D (its latest date), built with `store` (deflating how many chunks).
fn workbook(
    content: &Path,
    site: &Site,
    profile: Profile,
    store: Option<&Path>,
) -> (Vec<u8>, usize) {
    let d = crate::report::as_of(site, None);
    let theme = Theme::load(content, &site.config.theme).unwrap();
    let templates = Templates::compile(&theme, site.config.lang).unwrap();
    let photos = crate::photo::Photos::default();
    let r = Renderer::with(site, d, profile, templates, false, &photos);
    let store = Store::open(store.map(Path::to_path_buf)).unwrap();
    let bytes = assemble(&r, &store, ROWS).unwrap();
    store.prune();
    (bytes, store.deflated())
}

fn rename(content: &Path, site: &Site, nth: usize, name: &str) {
    let file = content.join(&site.cases[nth].path);
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        text.replacen("\nname: ", &format!("\nname: {name}"), 1),
    )
    .unwrap();
}

/// Every cell of every sheet, as text.
fn cells(bytes: &[u8]) -> Vec<(String, Vec<Vec<String>>)> {
    use calamine::{Reader, Xlsx};
    let mut book = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    book.sheet_names()
        .into_iter()
        .map(|name| {
            let range = book.worksheet_range(&name).unwrap();
            let rows = range
                .rows()
                .map(|r| r.iter().map(|c| c.to_string()).collect());
            (name, rows.collect())
        })
        .collect()
}

#[test]
fn a_renamed_case_deflates_one_chunk_and_gives_a_clean_builds_bytes() {
    let s = sample();
    let before = site(&s.content);
    let (first, all) = workbook(&s.content, &before, Profile::Public, Some(&s.store));
    assert!(all > 10, "{all} pieces deflated");
    let (again, none) = workbook(&s.content, &before, Profile::Public, Some(&s.store));
    assert_eq!((again == first, none), (true, 0), "nothing changed");

    rename(&s.content, &before, 75, "改名");
    let after = site(&s.content);
    let (reused, one) = workbook(&s.content, &after, Profile::Public, Some(&s.store));
    let (clean, _) = workbook(&s.content, &after, Profile::Public, None);
    assert_eq!(one, 1, "chunks deflated after one rename");
    assert!(
        reused == clean,
        "a build reusing chunks gives a clean build's bytes"
    );
    assert_ne!(reused, first);
    let renamed = cells(&reused)
        .into_iter()
        .flat_map(|(_, rows)| rows)
        .flatten();
    assert_eq!(renamed.filter(|c| c.starts_with("改名")).count(), 1);
    let stored = std::fs::read_dir(&s.store).unwrap().count();
    assert_eq!(
        stored, all,
        "the store holds the chunks the last build used, no more"
    );
}

#[test]
fn a_damaged_store_gives_the_same_bytes() {
    let s = sample();
    let site = site(&s.content);
    let (clean, _) = workbook(&s.content, &site, Profile::Internal, None);
    workbook(&s.content, &site, Profile::Internal, Some(&s.store));
    for (i, entry) in std::fs::read_dir(&s.store).unwrap().enumerate() {
        let path = entry.unwrap().path();
        let mut bytes = std::fs::read(&path).unwrap();
        match i % 3 {
            0 => bytes.truncate(bytes.len() / 2),
            1 => *bytes.last_mut().unwrap() ^= 1,
            _ => bytes[60] ^= 0x10,
        }
        std::fs::write(&path, bytes).unwrap();
    }
    let (repaired, _) = workbook(&s.content, &site, Profile::Internal, Some(&s.store));
    assert!(repaired == clean);
    let (reused, none) = workbook(&s.content, &site, Profile::Internal, Some(&s.store));
    assert_eq!((reused == clean, none), (true, 0));
}

/// Table: text that XML, a spreadsheet or a zip could trip over reads back as written.
#[test]
fn awkward_text_reads_back_as_written() {
    let names = [
        "a<b>&c",
        "]]>",
        "bell\u{7}and\u{1b}esc",
        "🏭 工厂 😀",
        "_x0041_ literal",
        " edges ",
        "\"quotes\" 'and' apostrophes",
    ];
    let s = sample();
    let before = site(&s.content);
    for (i, name) in names.iter().enumerate() {
        let file = s.content.join(&before.cases[i * 7].path);
        let text = std::fs::read_to_string(&file).unwrap();
        let yaml = serde_json::to_string(&format!("{name}{i}")).unwrap();
        let text: String = text
            .lines()
            .map(|l| match l.starts_with("name: ") {
                true => format!("name: {yaml}\n"),
                false => format!("{l}\n"),
            })
            .collect();
        std::fs::write(&file, text).unwrap();
    }
    let after = site(&s.content);
    let (bytes, _) = workbook(&s.content, &after, Profile::Public, Some(&s.store));
    let all: Vec<String> = cells(&bytes)
        .into_iter()
        .flat_map(|(_, rows)| rows)
        .flatten()
        .collect();
    for (i, name) in names.iter().enumerate() {
        let want = format!("{name}{i}");
        assert!(all.contains(&want), "{want:?} is not a cell");
    }
}

/// The `<dimension>` of each list sheet.
fn dimensions(bytes: &[u8]) -> Vec<String> {
    let entries = super::zipfile::read(bytes).unwrap();
    (1..=3)
        .map(|i| {
            let name = format!("xl/worksheets/sheet{i}.xml");
            let xml = &entries.iter().find(|(n, _)| *n == name).unwrap().1;
            let xml = String::from_utf8_lossy(xml);
            let at = xml.find("<dimension ref=\"").unwrap() + 16;
            xml[at..at + xml[at..].find('"').unwrap()].to_string()
        })
        .collect()
}

#[test]
fn one_case_makes_a_sheet_of_one_row_and_two_empty_ones() {
    let s = sample();
    let mut one = site(&s.content);
    let keep = one.cases.iter().position(|c| c.closed.is_some()).unwrap();
    let case = one.cases.swap_remove(keep);
    one.cases = vec![case];
    let (bytes, deflated) = workbook(&s.content, &one, Profile::Public, Some(&s.store));
    assert_eq!(deflated, 1);
    let sheets = cells(&bytes);
    let rows: Vec<usize> = sheets.iter().take(3).map(|(_, rows)| rows.len()).collect();
    assert_eq!(rows.iter().filter(|n| **n == 2).count(), 2, "{rows:?}");
    assert_eq!(rows.iter().filter(|n| **n == 3).count(), 1, "{rows:?}");
    let mut dims = dimensions(&bytes);
    dims.sort();
    assert_eq!(dims, ["A1:V2", "A1:V2", "A1:V3"]);
    let row = &sheets.iter().find(|(_, r)| r.len() == 3).unwrap().1[2];
    assert_eq!(row[0], "1");
    assert_eq!(row[1], one.cases[0].id);
}

#[test]
fn a_cell_longer_than_a_spreadsheet_holds_is_an_error_naming_the_case() {
    let s = sample();
    let mut long = site(&s.content);
    let d = crate::report::as_of(&long, None);
    let i = long
        .cases
        .iter()
        .position(|c| c.publish && c.found <= d)
        .unwrap();
    long.cases[i].name = "长".repeat(32_767);
    workbook(&s.content, &long, Profile::Public, None);
    long.cases[i].name.push('长');
    let theme = Theme::load(&s.content, &long.config.theme).unwrap();
    let templates = Templates::compile(&theme, long.config.lang).unwrap();
    let photos = crate::photo::Photos::default();
    let r = Renderer::with(&long, d, Profile::Public, templates, false, &photos);
    let err = assemble(&r, &Store::open(None).unwrap(), ROWS).unwrap_err();
    let id = &long.cases[i].id;
    let path = &long.cases[i].path;
    let want = format!("{path}：场所 {id} 的“场所名称”超过表格一格能放的 32,767 个字符");
    assert!(err.to_string().starts_with(&want), "{err}");
}
