//! The build cache: after any sequence of edits (to the content, the output or the cache itself) a
//! build gives the bytes and the messages of a clean build; a build with nothing changed writes
//! nothing.

use crate::common::{Cli, snapshot, tree};
use rectify::sample::{Spec, generate};
use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;

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
    let (content, out, cache) = (
        dir.path().join("content"),
        dir.path().join("out"),
        dir.path().join("cache"),
    );
    let spec = Spec {
        seed: 11,
        cases: 12,
        streets: Some(3),
        notes: 2,
        publicity: 1,
        photos: false,
    };
    generate(&spec, &content).unwrap();
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
        assert_eq!(said, clean, "step {step} (edit {edit}): different messages");
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
    assert_eq!(build(&content, &out, &cache), first);
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
