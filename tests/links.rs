//! Every link and image on every page of the default site points at a file the build wrote, so the
//! output works from disk and from any sub-path of a server.

use std::path::{Path, PathBuf};
use std::process::Command;

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            walk(&p, out)
        } else {
            out.push(p)
        }
    }
}

/// The values of `href="…"` and `src="…"` attributes.
fn targets(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["href=\"", "src=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            rest = &rest[i + attr.len()..];
            if let Some(end) = rest.find('"') {
                out.push(rest[..end].replace("&amp;", "&"));
            }
        }
    }
    out
}

#[test]
fn every_relative_link_resolves_to_a_written_file() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let status = Command::new(env!("CARGO_BIN_EXE_rectify"))
        .env(
            "RECTIFY_CACHE_DIR",
            concat!(env!("CARGO_TARGET_TMPDIR"), "/cache"),
        )
        .args([
            "build",
            "--content",
            concat!(env!("CARGO_MANIFEST_DIR"), "/content"),
            "--output",
        ])
        .arg(&out)
        .status()
        .unwrap();
    assert!(status.success());
    let mut files = Vec::new();
    walk(&out, &mut files);
    let mut broken = Vec::new();
    let mut checked = 0;
    for page in files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
    {
        if page.ends_with("404.html") {
            continue; // rooted at base_url's path by design
        }
        let html = std::fs::read_to_string(page).unwrap();
        for t in targets(&html) {
            if t.starts_with("http://")
                || t.starts_with("https://")
                || t.starts_with("mailto:")
                || t.starts_with("tel:")
                || t.starts_with('#')
            {
                continue;
            }
            assert!(!t.starts_with('/'), "{}: absolute link {t}", page.display());
            let path = t.split(['#', '?']).next().unwrap();
            assert!(
                path.is_empty() || !path.ends_with('/'),
                "{}: link to a folder {t}",
                page.display()
            );
            let target = page.parent().unwrap().join(path);
            checked += 1;
            if !target.is_file() {
                broken.push(format!(
                    "{} → {t}",
                    page.strip_prefix(&out).unwrap().display()
                ));
            }
        }
    }
    assert!(checked > 1000, "only {checked} links checked");
    assert!(
        broken.is_empty(),
        "{} broken links, e.g. {:?}",
        broken.len(),
        &broken[..broken.len().min(10)]
    );
}
