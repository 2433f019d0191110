//! A public build publishes nothing from `private:` and nothing of an unpublished case beyond the
//! figures; an internal build publishes both and marks every page. Canary strings are planted in
//! every private field and in every unpublished case's own words, then every output file is scanned.

use std::path::Path;
use std::process::Command;

fn rectify(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_rectify"))
        .env(
            "RECTIFY_CACHE_DIR",
            concat!(env!("CARGO_TARGET_TMPDIR"), "/cache"),
        )
        .args(args)
        .output()
        .expect("rectify runs")
}

/// Rewrites every case: private values become `CANARY-P<n>`; unpublished cases get canary names.
fn plant_canaries(content: &Path) -> (usize, usize) {
    let (mut private, mut hidden) = (0, 0);
    for entry in walk(&content.join("cases")) {
        let text = std::fs::read_to_string(&entry).unwrap();
        let mut out = String::new();
        let mut in_private = false;
        let unpublished = text.contains("publish: false");
        for line in text.lines() {
            if line.starts_with("private:") {
                in_private = true;
                out.push_str(line);
            } else if in_private && line.starts_with("  ") {
                let key = line.trim().split(':').next().unwrap();
                private += 1;
                out.push_str(&format!("  {key}: CANARY-P{private}"));
            } else {
                in_private = false;
                if unpublished && line.starts_with("name:") {
                    hidden += 1;
                    out.push_str(&format!("name: CANARY-H{hidden}"));
                } else {
                    out.push_str(line);
                }
            }
            out.push('\n');
        }
        std::fs::write(&entry, out).unwrap();
    }
    (private, hidden)
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}

fn files_containing(out: &Path, needle: &str) -> Vec<String> {
    walk(out)
        .into_iter()
        .filter(|p| {
            std::fs::read(p)
                .unwrap()
                .windows(needle.len())
                .any(|w| w == needle.as_bytes())
        })
        .map(|p| p.display().to_string())
        .collect()
}

#[test]
fn public_build_leaks_no_private_data_and_internal_build_marks_every_page() {
    let tmp = tempfile::tempdir().unwrap();
    let content = tmp.path().join("content");
    let spec = rectify::sample::Spec {
        cases: 120,
        notes: 8,
        publicity: 4,
        ..Default::default()
    };
    rectify::sample::generate(&spec, &content).unwrap();
    let (private, hidden) = plant_canaries(&content);
    assert!(
        private > 100 && hidden > 0,
        "canaries planted: {private} private, {hidden} hidden"
    );

    let public = tmp.path().join("public");
    let run = rectify(&[
        "build",
        "--content",
        content.to_str().unwrap(),
        "--output",
        public.to_str().unwrap(),
    ]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let leaks = files_containing(&public, "CANARY");
    assert!(leaks.is_empty(), "private data published in {leaks:?}");
    assert!(files_containing(&public, "内部资料").is_empty());

    let internal = tmp.path().join("internal");
    let run = rectify(&[
        "build",
        "--content",
        content.to_str().unwrap(),
        "--output",
        internal.to_str().unwrap(),
        "--profile",
        "internal",
    ]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(
        !files_containing(&internal, "CANARY-P1\"").is_empty()
            || !files_containing(&internal, "CANARY-P1<").is_empty()
    );
    assert!(
        !files_containing(&internal, "CANARY-H1").is_empty(),
        "internal builds show unpublished cases"
    );
    for page in walk(&internal)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
    {
        let html = std::fs::read_to_string(&page).unwrap();
        if page.ends_with("404.html") {
            continue;
        }
        assert!(
            html.contains("内部资料"),
            "{} is not marked internal",
            page.display()
        );
        assert!(
            html.contains("noindex"),
            "{} has no noindex",
            page.display()
        );
    }
}

/// HTML comments are for editors: a canary inside one, in every kind of Markdown (a case's
/// summary, a note, publicity, the plan, a task, a briefing's commentary), reaches no output file
/// — not the pages, nor `cases.json`, the search index or the feed.
#[test]
fn html_comments_reach_no_output() {
    let tmp = tempfile::tempdir().unwrap();
    let content = tmp.path().join("content");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/small/content");
    let copied = Command::new("cp")
        .args(["-r", fixture.to_str().unwrap(), content.to_str().unwrap()])
        .status()
        .unwrap();
    assert!(copied.success());
    let comment = |n: usize| format!("<!-- CANARY-C{n} 联系人 13800138000 -->");
    let append = |rel: &str, text: String| {
        let path = content.join(rel);
        let old = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, old + &text).unwrap();
    };
    let case = content.join("cases/dongshan/T-001.yaml");
    let text = std::fs::read_to_string(&case).unwrap().replace(
        "summary: 关停取缔后**复查**未见生产。",
        &format!("summary: \"关停取缔后{}未见生产。\"", comment(1)),
    );
    std::fs::write(&case, text).unwrap();
    append(
        "notes/2022/2022-04-05-patrol.md",
        format!("\n{}\n", comment(2)),
    );
    append("publicity/article-1.md", format!("\n{}\n", comment(3)));
    append("plan.md", format!("\n{}\n", comment(4)));
    append("briefings/2022-05.md", format!("\n{}\n", comment(5)));
    let tasks = content.join("tasks.yaml");
    let text = std::fs::read_to_string(&tasks).unwrap().replacen(
        "  text: |\n",
        &format!("  text: |\n    {}\n", comment(6)),
        1,
    );
    std::fs::write(&tasks, text).unwrap();
    for profile in ["public", "internal"] {
        let out = tmp.path().join(profile);
        let run = rectify(&[
            "build",
            "--content",
            content.to_str().unwrap(),
            "--output",
            out.to_str().unwrap(),
            "--profile",
            profile,
        ]);
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert!(run.status.success(), "{stderr}");
        let leaks = files_containing(&out, "CANARY");
        assert!(
            leaks.is_empty(),
            "{profile}: comments published in {leaks:?}"
        );
        assert!(!files_containing(&out, "T-001").is_empty());
    }
}
