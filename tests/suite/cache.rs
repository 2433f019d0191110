//! The build cache: after any sequence of edits (to the content, the output or the cache itself) a
//! build gives the bytes and the messages of a clean build; a build with nothing changed writes
//! nothing.

use crate::common::{Cli, snapshot, tree};
use rectify::sample::{Spec, generate};
use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// Builds and returns stderr with the output folder's path replaced by `OUT`.
fn build(content: &Path, out: &Path, cache: &Path) -> String {
    let run = Cli::new()
        .args(["build", "--as-of", "2022-09-30"])
        .content(content)
        .output(out)
        .env("RECTIFY_CACHE_DIR", cache)
        .succeeds();
    run.stderr.replace(&out.display().to_string(), "OUT")
}

/// Each output file's inode and modification time: unchanged when nothing was written.
fn stamps(out: &Path) -> Vec<(String, u64, i64, i64)> {
    tree(out)
        .into_iter()
        .map(|rel| {
            let m = fs::metadata(out.join(&rel)).unwrap();
            (rel, m.ino(), m.mtime(), m.mtime_nsec())
        })
        .collect()
}

/// A generated site in `dir/content`, with `dir/out` and `dir/cache` beside it (not made yet).
fn generated(
    dir: &Path,
    seed: u64,
    cases: usize,
    streets: usize,
    notes: usize,
    publicity: usize,
) -> (PathBuf, PathBuf, PathBuf) {
    let spec = Spec {
        seed,
        cases,
        streets: Some(streets),
        notes,
        publicity,
        photos: false,
    };
    let content = dir.join("content");
    generate(&spec, &content).unwrap();
    (content, dir.join("out"), dir.join("cache"))
}

/// A small deterministic generator, so a failing sequence can be replayed.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

#[test]
fn random_edit_sequences_build_what_a_clean_build_builds() {
    let dir = tempfile::tempdir().unwrap();
    let (content, out, cache) = generated(dir.path(), 11, 12, 3, 2, 1);
    let cases: Vec<String> = tree(&content)
        .into_iter()
        .filter(|p| p.starts_with("cases/"))
        .collect();
    let mut rng = Lcg(2026);
    // Every kind of edit once, in a random order.
    let mut edits: Vec<usize> = (0..8).collect();
    for i in (1..edits.len()).rev() {
        edits.swap(i, rng.below(i + 1));
    }
    build(&content, &out, &cache);
    for (step, edit) in edits.into_iter().enumerate() {
        let before = stamps(&out);
        match edit {
            0 => {
                let case = content.join(&cases[rng.below(cases.len())]);
                let text = fs::read_to_string(&case).unwrap();
                let text = text.replacen("\nname: ", &format!("\nname: 改{step}"), 1);
                fs::write(&case, text).unwrap();
            }
            1 => {
                // Saved again with the same bytes: a new time, the same content.
                let case = content.join(&cases[rng.below(cases.len())]);
                fs::write(&case, fs::read(&case).unwrap()).unwrap();
            }
            2 => fs::write(out.join("index.html"), "edited by hand").unwrap(),
            3 => fs::remove_file(out.join("data/cases.csv")).unwrap(),
            4 => fs::write(out.join("stray.txt"), "x").unwrap(),
            5 => {
                for entry in tree(&cache.join("builds")) {
                    fs::write(cache.join("builds").join(entry), "{not json").unwrap();
                }
            }
            6 => fs::remove_dir_all(&cache).unwrap(),
            _ => {}
        }
        let said = build(&content, &out, &cache);
        let fresh = dir.path().join(format!("fresh-{step}"));
        let fresh_cache = dir.path().join(format!("cache-{step}"));
        let clean =
            build(&content, &fresh, &fresh_cache).replace(&fresh.display().to_string(), "OUT");
        assert!(
            snapshot(&out) == snapshot(&fresh),
            "step {step} (edit {edit}): the output differs from a clean build"
        );
        // The same warnings; the closing line says whether anything was built or encoded.
        assert_eq!(
            warnings(&said),
            warnings(&clean),
            "step {step} (edit {edit}): different messages"
        );
        if edit == 0 {
            let line = said.lines().last().unwrap_or("");
            assert!(
                line.starts_with("已更新"),
                "step {step}: a case edit built all: {line}"
            );
        }
        if edit == 1 || edit == 7 {
            assert_eq!(
                stamps(&out),
                before,
                "step {step}: nothing changed, yet it wrote"
            );
        }
        fs::remove_dir_all(&fresh).unwrap();
    }
}

/// After a build that changed the output in place, the cache knows the output as it left it
/// (its stamp is brought up to date from the entries the build touched): the next build with
/// nothing changed writes nothing, and a page edited by hand since — one the build did not touch,
/// in a folder it did — is noticed and built again.
#[test]
fn an_output_changed_in_place_is_known_as_it_was_left() {
    let dir = tempfile::tempdir().unwrap();
    let (content, out, cache) = generated(dir.path(), 3, 8, 2, 1, 0);
    build(&content, &out, &cache);
    let cases: Vec<String> = tree(&content)
        .into_iter()
        .filter(|p| p.starts_with("cases/") && p.ends_with(".yaml"))
        .collect();
    replace(&content.join(&cases[0]), "\nname: ", "\nname: 改");
    let said = build(&content, &out, &cache);
    assert!(said.lines().last().unwrap().starts_with("已更新"), "{said}");
    let said = build(&content, &out, &cache);
    assert!(
        said.lines().last().unwrap().starts_with("已是最新"),
        "{said}"
    );
    // A case page the rename did not touch, beside one it did.
    let untouched = tree(&out)
        .into_iter()
        .filter(|p| p.starts_with("cases/") && p.ends_with(".html"))
        .find(|p| !fs::read_to_string(out.join(p)).unwrap().contains("改"))
        .unwrap();
    let clean = fs::read(out.join(&untouched)).unwrap();
    fs::write(out.join(&untouched), "edited by hand").unwrap();
    let said = build(&content, &out, &cache);
    assert!(said.lines().last().unwrap().starts_with("已生成"), "{said}");
    assert_eq!(fs::read(out.join(&untouched)).unwrap(), clean);
}

#[test]
fn warnings_come_from_the_cache_and_it_is_private() {
    let dir = tempfile::tempdir().unwrap();
    let (content, out, cache) = (
        dir.path().join("content"),
        dir.path().join("out"),
        dir.path().join("cache"),
    );
    crate::common::copy_tree(
        &crate::common::tests_dir().join("fixtures/small/content"),
        &content,
    );
    // A warning: a mobile number in public text.
    let case = content.join("cases/baiyun/T-004.yaml");
    let text = fs::read_to_string(&case).unwrap();
    fs::write(&case, text.replace("某喷漆作坊", "某喷漆作坊13800138000")).unwrap();
    let first = build(&content, &out, &cache);
    assert!(first.contains("13800138000"), "{first}");
    let before = stamps(&out);
    let again = build(&content, &out, &cache);
    assert_eq!(warnings(&again), warnings(&first));
    assert!(again.contains("没有变化"), "{again}");
    assert_eq!(stamps(&out), before, "a no-change build wrote");
    let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&cache), 0o700);
    for entry in tree(&cache.join("builds")) {
        assert_eq!(mode(&cache.join("builds").join(entry)), 0o600);
    }
    assert!(
        !tree(&out).iter().any(|p| p.contains("cache")),
        "the cache is in the output"
    );
}

/// What a build printed, without its closing line (which says what was built, or that nothing was).
fn warnings(printed: &str) -> &str {
    let body = printed.trim_end_matches('\n');
    body.rsplit_once('\n').map_or("", |(head, _)| head)
}

/// One edit of the content (or the output), and whether the build after it may redo only part of
/// the site (`true`) or must build it whole.
type Step = (&'static str, fn(&Path), bool);

fn replace(path: &Path, from: &str, to: &str) {
    let text = fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} lacks {from:?}", path.display());
    fs::write(path, text.replacen(from, to, 1)).unwrap();
}

/// Every kind of input edited in turn: after each build the output is byte for byte a clean
/// build's and the warnings are the same; edits of cases, notes and commentary take the
/// incremental path, global inputs (site, organisation, theme, files) and a touched output a full one.
#[test]
fn every_kind_of_edit_builds_what_a_clean_build_builds() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_path_buf();
    let (content, out, cache) = (root.join("content"), root.join("out"), root.join("cache"));
    crate::common::copy_tree(
        &crate::common::tests_dir().join("fixtures/small/content"),
        &content,
    );
    let steps: &[Step] = &[
        (
            "case status",
            |c| {
                replace(
                    &c.join("cases/baiyun/T-004.yaml"),
                    "deadline: 2022-05-31\n",
                    "deadline: 2022-05-31\nrectified: 2022-06-20\n",
                )
            },
            true,
        ),
        (
            "new case",
            |c| {
                let text = fs::read_to_string(c.join("cases/baiyun/T-004.yaml")).unwrap();
                let text = text
                    .replace("id: T-004", "id: T-098")
                    .replace("某喷漆作坊", "某新增作坊");
                let text = format!(
                    "{text}photos:\n  - file: files/photos/T-001-before.png\n    stage: before\n"
                );
                fs::write(c.join("cases/baiyun/T-098.yaml"), text).unwrap();
            },
            true,
        ),
        (
            "summary linking a file",
            |c| {
                replace(
                    &c.join("cases/baiyun/T-004.yaml"),
                    "\nlog:",
                    "\nsummary: 见[照片](files/photos/T-005-after.png)\nlog:",
                )
            },
            true,
        ),
        (
            "summary link removed",
            |c| {
                replace(
                    &c.join("cases/baiyun/T-004.yaml"),
                    "见[照片](files/photos/T-005-after.png)",
                    "已整改",
                )
            },
            true,
        ),
        (
            "case deleted",
            |c| fs::remove_file(c.join("cases/baiyun/T-098.yaml")).unwrap(),
            true,
        ),
        (
            "case made private",
            |c| {
                replace(
                    &c.join("cases/dongshan/T-002.yaml"),
                    "\nname:",
                    "\npublish: false\nname:",
                )
            },
            true,
        ),
        (
            "case renamed",
            |c| {
                let from = c.join("cases/dongshan/T-003.yaml");
                let text = fs::read_to_string(&from).unwrap();
                fs::write(
                    c.join("cases/dongshan/T-093.yaml"),
                    text.replace("id: T-003", "id: T-093"),
                )
                .unwrap();
                fs::remove_file(from).unwrap();
            },
            true,
        ),
        (
            "note",
            |c| {
                replace(
                    &c.join("notes/2022/2022-04-05-patrol.md"),
                    "title: ",
                    "title: 改",
                )
            },
            true,
        ),
        (
            "note added",
            |c| {
                let text = fs::read_to_string(c.join("notes/2022/2022-04-05-patrol.md")).unwrap();
                fs::write(
                    c.join("notes/2022/2022-04-06-patrol.md"),
                    text.replace("2022-04-05", "2022-04-06"),
                )
                .unwrap();
            },
            true,
        ),
        (
            "commentary",
            |c| {
                replace(
                    &c.join("briefings/2022-05.md"),
                    "要加强巡查",
                    "要再加强巡查",
                )
            },
            true,
        ),
        (
            "publicity",
            |c| replace(&c.join("publicity/article-1.md"), "title: ", "title: 新"),
            true,
        ),
        (
            "plan",
            |c| replace(&c.join("plan.md"), "\n\n", "\n\n改动的段落。\n\n"),
            true,
        ),
        (
            "photo bytes",
            |c| {
                fs::copy(
                    c.join("files/photos/T-001-before.png"),
                    c.join("files/photos/T-005-after.png"),
                )
                .unwrap();
            },
            false,
        ),
        (
            "site title",
            |c| replace(&c.join("site.yaml"), "title: ", "title: 新"),
            false,
        ),
        (
            "organisation",
            |c| replace(&c.join("organisation.yaml"), "name: ", "name: 新"),
            false,
        ),
        (
            "theme chosen",
            |c| {
                let theme = c.parent().unwrap().join("themes/custom/templates");
                fs::create_dir_all(&theme).unwrap();
                let base = Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("themes/default/templates/case.html");
                fs::copy(base, theme.join("case.html")).unwrap();
                replace(
                    &c.join("site.yaml"),
                    "\nhotline:",
                    "\ntheme: custom\nhotline:",
                );
            },
            false,
        ),
        (
            "template in the theme",
            |c| {
                let t = c
                    .parent()
                    .unwrap()
                    .join("themes/custom/templates/case.html");
                replace(
                    &t,
                    "{% endblock content %}",
                    "<p>改</p>{% endblock content %}",
                );
            },
            false,
        ),
        (
            "file added under files/",
            |c| {
                fs::copy(
                    c.join("files/photos/T-001-before.png"),
                    c.join("files/photos/new.png"),
                )
                .unwrap();
            },
            false,
        ),
        (
            "case after a full build",
            |c| replace(&c.join("cases/dongshan/T-001.yaml"), "name: ", "name: 又"),
            true,
        ),
        (
            "output page edited by hand",
            |c| {
                fs::write(c.parent().unwrap().join("out/cases/T-001.html"), "edited").unwrap();
                replace(&c.join("cases/dongshan/T-001.yaml"), "name: ", "name: 再");
            },
            false,
        ),
        (
            "output page deleted by hand",
            |c| {
                fs::remove_file(c.parent().unwrap().join("out/index.html")).unwrap();
            },
            false,
        ),
        (
            "case again",
            |c| replace(&c.join("cases/baiyun/T-004.yaml"), "name: ", "name: 再"),
            true,
        ),
    ];
    build(&content, &out, &cache);
    for (step, (what, edit, partial)) in steps.iter().enumerate() {
        edit(&content);
        let said = build(&content, &out, &cache);
        let fresh = root.join(format!("fresh-{step}"));
        let clean = build(&content, &fresh, &root.join(format!("cache-{step}")))
            .replace(&fresh.display().to_string(), "OUT");
        let (have, want) = (snapshot(&out), snapshot(&fresh));
        let differ: Vec<&String> = have
            .iter()
            .chain(&want)
            .map(|(p, _)| p)
            .filter(|p| have.iter().find(|(q, _)| q == *p) != want.iter().find(|(q, _)| q == *p))
            .collect();
        assert!(
            differ.is_empty(),
            "{what}: differs from a clean build in {differ:?}\n{said}"
        );
        assert_eq!(
            warnings(&said),
            warnings(&clean),
            "{what}: different messages"
        );
        let line = said.lines().last().unwrap_or("");
        let prefix = if *partial { "已更新" } else { "已生成" };
        assert!(line.starts_with(prefix), "{what}: {line}");
        fs::remove_dir_all(&fresh).unwrap();
    }
    // Nothing left beside the output: no journal, no staging folder.
    let beside: Vec<String> = fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".out.") && n != ".out.lock")
        .collect();
    assert!(beside.is_empty(), "{beside:?}");
}

/// The case list's pages whose rows did not change are left as the last build wrote them: after a
/// case's name changes only the list page showing it is rewritten, after a case is added every
/// page from its place on; either way the output is byte for byte a clean build's.
#[test]
fn case_list_pages_whose_rows_did_not_change_are_not_rewritten() {
    let dir = tempfile::tempdir().unwrap();
    let (content, out, cache) = generated(dir.path(), 5, 180, 3, 1, 0);
    build(&content, &out, &cache);
    let lists = |out: &Path| -> Vec<(String, String)> {
        tree(out)
            .into_iter()
            .filter(|p| p.starts_with("cases/index") || p.starts_with("cases/page-"))
            .map(|p| (fs::read_to_string(out.join(&p)).unwrap(), p))
            .map(|(html, p)| (p, html))
            .collect()
    };
    let pages = lists(&out);
    assert!(
        pages.len() >= 3,
        "too few list pages to test: {}",
        pages.len()
    );
    // A case on the second list page, by the first id that page shows.
    let id = pages
        .iter()
        .find(|(p, _)| p == "cases/page-2.html")
        .and_then(|(_, html)| {
            let cell = &html[html.find("class=\"id\"")?..];
            let rest = &cell[cell.find("cases/")? + "cases/".len()..];
            rest.find(".html").map(|end| rest[..end].to_string())
        })
        .unwrap();
    let file = tree(&content)
        .into_iter()
        .find(|p| p.starts_with("cases/") && p.ends_with(&format!("/{id}.yaml")))
        .unwrap_or_else(|| panic!("no case file for {id}"));
    let clean_matches = |step: &str| {
        let fresh = dir.path().join(format!("fresh-{step}"));
        build(&content, &fresh, &dir.path().join(format!("cache-{step}")));
        assert!(
            snapshot(&out) == snapshot(&fresh),
            "{step}: the output differs from a clean build"
        );
    };

    let before = stamps(&out);
    replace(&content.join(&file), "\nname: ", "\nname: 改");
    let said = build(&content, &out, &cache);
    assert!(said.lines().last().unwrap().starts_with("已更新"), "{said}");
    clean_matches("renamed");
    let after = stamps(&out);
    let changed: Vec<&String> = after
        .iter()
        .filter(|s| s.0.starts_with("cases/index") || s.0.starts_with("cases/page-"))
        .filter(|s| !before.contains(s))
        .map(|s| &s.0)
        .collect();
    assert_eq!(changed, ["cases/page-2.html"], "list pages rewritten");

    // A new case with the smallest id: every list page's rows move along by one.
    let text = fs::read_to_string(content.join(&file)).unwrap();
    fs::write(
        content.join(file.replace(&id, "A-000")),
        text.replace(&format!("id: {id}"), "id: A-000"),
    )
    .unwrap();
    let before = stamps(&out);
    build(&content, &out, &cache);
    clean_matches("added");
    let after = stamps(&out);
    let rewritten = after
        .iter()
        .filter(|s| s.0.starts_with("cases/index") || s.0.starts_with("cases/page-"))
        .filter(|s| !before.contains(s))
        .count();
    assert_eq!(rewritten, pages.len(), "every list page moves along");
}

/// Builds the internal site with the timings on; returns stderr.
fn build_internal(content: &Path, out: &Path, cache: &Path) -> String {
    Cli::new()
        .args(["build", "--profile", "internal", "--as-of", "2022-12-31"])
        .content(content)
        .output(out)
        .env("RECTIFY_CACHE_DIR", cache)
        .env("RECTIFY_TIMINGS", "1")
        .succeeds()
        .stderr
}

/// How many rows of the data file at `path` the build that printed `said` made afresh, and of
/// how many.
fn rows_made(said: &str, path: &str) -> (usize, usize) {
    let line = said
        .lines()
        .find(|l| l.starts_with(&format!("{path}: ")) && l.contains("rows made"))
        .unwrap_or_else(|| panic!("no rows line for {path}: {said}"));
    let words: Vec<&str> = line.split_whitespace().collect();
    (words[1].parse().unwrap(), words[3].parse().unwrap())
}

/// The data files with one row per case (cases.json, case-list.js, cases.csv, search-index.js)
/// copy the rows of unchanged cases from the last build's files: after each edit — a case renamed,
/// a case added before all the others (every CSV row's number moves), a private key only one case
/// has (every CSV row gains a column), a case deleted, the output's cases.json overwritten with
/// bytes of the same length — the output is a clean build's, and only the rows that had to be
/// were made again.
#[test]
fn data_file_rows_copied_from_the_last_build_give_a_clean_builds_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    crate::common::copy_tree(
        &crate::common::tests_dir().join("fixtures/data-bytes/content"),
        &content,
    );
    let (out, cache) = (dir.path().join("out"), dir.path().join("cache"));
    let first = build_internal(&content, &out, &cache);
    let (made, of) = rows_made(&first, "data/cases.json");
    assert!(
        made == of && of >= 5,
        "a full build makes every row: {first}"
    );
    let clean_matches = |step: &str| {
        let fresh = dir.path().join(format!("fresh-{step}"));
        build_internal(&content, &fresh, &dir.path().join(format!("cache-{step}")));
        assert!(
            snapshot(&out) == snapshot(&fresh),
            "{step}: the output differs from a clean build"
        );
    };
    let files = [
        "data/cases.json",
        "data/case-list.js",
        "data/cases.csv",
        "data/search-index.js",
    ];

    replace(
        &content.join("cases/dongshan/T-002.yaml"),
        "\nname: ",
        "\nname: 改名</",
    );
    let said = build_internal(&content, &out, &cache);
    clean_matches("renamed");
    for path in files {
        assert_eq!(rows_made(&said, path), (1, of), "renamed, {path}: {said}");
    }

    let text = fs::read_to_string(content.join("cases/baiyun/T-004.yaml")).unwrap();
    fs::write(
        content.join("cases/baiyun/A-000.yaml"),
        text.replace("id: T-004", "id: A-000"),
    )
    .unwrap();
    let said = build_internal(&content, &out, &cache);
    clean_matches("added first");
    for path in files {
        assert_eq!(rows_made(&said, path), (1, of + 1), "added, {path}: {said}");
    }

    replace(
        &content.join("cases/dongshan/T-003.yaml"),
        "private:\n",
        "private:\n  only_here: 唯一\n",
    );
    let said = build_internal(&content, &out, &cache);
    clean_matches("private key");
    assert_eq!(rows_made(&said, "data/cases.csv"), (of + 1, of + 1));
    assert_eq!(rows_made(&said, "data/cases.json"), (1, of + 1));

    fs::remove_file(content.join("cases/dongshan/T-007.yaml")).unwrap();
    let said = build_internal(&content, &out, &cache);
    clean_matches("deleted");
    assert_eq!(rows_made(&said, "data/cases.json"), (0, of));

    let json = out.join("data/cases.json");
    let len = fs::metadata(&json).unwrap().len() as usize;
    fs::write(&json, vec![b'x'; len]).unwrap();
    replace(
        &content.join("cases/dongshan/T-002.yaml"),
        "\nname: ",
        "\nname: 又",
    );
    build_internal(&content, &out, &cache);
    clean_matches("output overwritten");
}
