//! `data/lists.xlsx` and its chunk store in the cache folder: a build reusing chunks, a build with
//! a damaged store and a build without any cache folder write the same workbook; the store is
//! private and holds only what the last build used.

use crate::common::{Cli, copy_tree, tests_dir, tree};
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

fn lists(content: &Path, out: &Path, cache: &Path) -> Vec<u8> {
    Cli::new()
        .args(["build", "--profile", "internal", "--as-of", "2022-12-31"])
        .content(content)
        .output(out)
        .env("RECTIFY_CACHE_DIR", cache)
        .succeeds();
    fs::read(out.join("data/lists.xlsx")).unwrap()
}

/// The chunk files in the cache, with their modes.
fn chunks(cache: &Path) -> Vec<(String, u32)> {
    let root = cache.join("lists");
    tree(&root)
        .into_iter()
        .filter(|p| p.ends_with(".chunk"))
        .map(|p| {
            let mode = fs::metadata(root.join(&p)).unwrap().permissions().mode();
            (p, mode & 0o777)
        })
        .collect()
}

#[test]
fn chunks_reused_damaged_or_absent_give_the_same_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    copy_tree(&tests_dir().join("fixtures/data-bytes/content"), &content);
    let (out, cache) = (dir.path().join("out"), dir.path().join("cache"));
    let first = lists(&content, &out, &cache);
    let stored = chunks(&cache);
    assert_eq!(stored.len(), 3, "one chunk per list sheet: {stored:?}");
    assert!(stored.iter().all(|(_, mode)| *mode == 0o600), "{stored:?}");
    let folder = cache
        .join("lists")
        .join(stored[0].0.split('/').next().unwrap());
    let mode = fs::metadata(&folder).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o700);

    let case = content.join("cases/dongshan/T-002.yaml");
    let text = fs::read_to_string(&case).unwrap();
    fs::write(&case, text.replacen("\nname: ", "\nname: 改名<&>", 1)).unwrap();
    let edited = lists(&content, &out, &cache);
    let clean = lists(
        &content,
        &dir.path().join("clean"),
        &dir.path().join("fresh"),
    );
    assert!(
        edited == clean,
        "reusing chunks, the bytes of a clean build"
    );
    assert_ne!(edited, first);
    assert_eq!(
        chunks(&cache).len(),
        3,
        "only the chunks the last build used"
    );

    for (chunk, _) in chunks(&cache) {
        fs::write(cache.join("lists").join(chunk), b"rxchunk1 damaged").unwrap();
    }
    // Without its build cache entry, the next build to `out` is a full build using the store.
    fs::remove_dir_all(cache.join("builds")).unwrap();
    let repaired = lists(&content, &out, &cache);
    assert!(repaired == clean, "a damaged store changes nothing");

    let not_a_folder = dir.path().join("cache-file");
    fs::write(&not_a_folder, b"").unwrap();
    let uncached = lists(&content, &dir.path().join("uncached"), &not_a_folder);
    assert!(
        uncached == clean,
        "without a cache folder, the same workbook"
    );
}
