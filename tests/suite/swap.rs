//! The output on its real path: symlinks and `..` cannot redirect the guard, a kill at any instant
//! leaves the old or the new site (or one the next run restores), and builds never clean up each
//! other's work.

use crate::common::{Cli, Run, copy_tree, snapshot, tests_dir};
use std::fs;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};

fn setup() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("site/content");
    copy_tree(&tests_dir().join("fixtures/small/content"), &content);
    (dir, content)
}

fn build(content: &Path, output: impl AsRef<Path>) -> Cli {
    Cli::new().args(["build"]).content(content).output(output)
}

fn refused(content: &Path, output: impl AsRef<Path>, env: &[(&str, &Path)], why: &str) -> Run {
    let mut cli = build(content, output);
    for (k, v) in env {
        cli = cli.env(k, v);
    }
    cli.fails(3).stderr_has(why)
}

#[test]
fn the_guard_decides_on_the_real_path() {
    let (dir, content) = setup();
    let root = dir.path();
    let before = snapshot(root);
    // The links live in a folder of their own, so as text `links/s/..` is that harmless folder.
    let links = root.join("links");
    fs::create_dir(&links).unwrap();
    // A symlink in the middle: `s/..` is the content folder.
    symlink(content.join("cases"), links.join("s")).unwrap();
    refused(&content, links.join("s/.."), &[], "其中有内容文件夹");
    // `..` after a symlink climbing to an ancestor of the content folder.
    refused(&content, links.join("s/../.."), &[], "其中有内容文件夹");
    // The output inside the content folder, written plainly and through the link.
    refused(&content, content.join("out"), &[], "在内容文件夹");
    refused(&content, links.join("s/new"), &[], "在内容文件夹");
    // The home folder reached through a symlink.
    let home = root.join("home");
    fs::create_dir_all(home.join("deep/er")).unwrap();
    fs::write(home.join(".bashrc"), "precious").unwrap();
    symlink(home.join("deep/er"), links.join("h")).unwrap();
    let env = [("HOME", home.as_path())];
    refused(&content, links.join("h/../.."), &env, "拒绝替换主文件夹");
    refused(&content, links.join("h/../../.."), &env, "其中有主文件夹");
    // A foreign folder reached through a symlink.
    fs::create_dir(root.join("thesis")).unwrap();
    fs::write(root.join("thesis/ch1.docx"), "precious").unwrap();
    refused(
        &content,
        links.join("h/../../../thesis"),
        &[],
        "不是 rectify 生成的",
    );
    // `..` below a folder that does not exist yet cannot be resolved.
    refused(&content, root.join("nothing/../out"), &[], "无法解析路径");
    // A file where the path needs a folder.
    fs::write(links.join("afile"), "").unwrap();
    refused(&content, links.join("afile/out"), &[], "无法解析路径");
    assert_eq!(
        fs::read_to_string(home.join(".bashrc")).unwrap(),
        "precious"
    );
    assert_eq!(
        fs::read_to_string(root.join("thesis/ch1.docx")).unwrap(),
        "precious"
    );
    // Nothing was written anywhere (the new links aside).
    let after: Vec<_> = snapshot(root)
        .into_iter()
        .filter(|(p, _)| {
            !["links/", "home/", "thesis/"]
                .iter()
                .any(|d| p.starts_with(d))
        })
        .collect();
    assert!(after == before, "something was written");
}

#[test]
fn an_output_that_is_a_symlink_is_refused_not_replaced() {
    let (dir, content) = setup();
    let real = dir.path().join("real");
    build(&content, &real).succeeds();
    let site = snapshot(&real);
    symlink(&real, dir.path().join("link")).unwrap();
    for given in ["link", "link/", "link/."] {
        refused(&content, dir.path().join(given), &[], "它是符号链接");
    }
    symlink(dir.path().join("nowhere"), dir.path().join("dangling")).unwrap();
    refused(&content, dir.path().join("dangling"), &[], "它是符号链接");
    assert!(
        fs::symlink_metadata(dir.path().join("link"))
            .unwrap()
            .is_symlink()
    );
    assert!(snapshot(&real) == site);
    assert!(!dir.path().join("nowhere").exists());
}

#[test]
fn a_symlinked_parent_is_followed_to_its_real_folder() {
    let (dir, content) = setup();
    fs::create_dir(dir.path().join("www")).unwrap();
    symlink(dir.path().join("www"), dir.path().join("w")).unwrap();
    build(&content, dir.path().join("w/site")).succeeds();
    assert!(dir.path().join("www/site/.rectify-output").is_file());
    assert!(
        fs::symlink_metadata(dir.path().join("w"))
            .unwrap()
            .is_symlink()
    );
}

/// The names beside the output, other than the output and its lock file.
fn leftovers(parent: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(parent)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".out."))
        .filter(|n| n != ".out.lock")
        .collect();
    names.sort();
    names
}

/// Builds `content` as it stands into a fresh folder, for comparison.
fn clean_build(content: &Path, parent: &Path, name: &str) -> Vec<(String, Vec<u8>)> {
    let out = parent.join(name);
    build(content, &out).succeeds();
    let snap = snapshot(&out);
    fs::remove_dir_all(&out).unwrap();
    snap
}

fn killed_at(content: &Path, out: &Path, point: &str, exchange: bool) {
    let mut cli = build(content, out).env("RECTIFY_TEST_ABORT_AT", point);
    if !exchange {
        cli = cli.env("RECTIFY_TEST_NO_EXCHANGE", "1");
    }
    let run = cli.run();
    assert!(
        run.code != 0 && run.code != 3,
        "not killed at {point}: {}",
        run.stderr
    );
}

#[test]
fn a_kill_at_any_instant_leaves_the_old_or_the_new_site() {
    let (dir, content) = setup();
    let (scratch, parent) = (dir.path().join("scratch"), dir.path().join("pub"));
    fs::create_dir_all(&parent).unwrap();
    let out = parent.join("out");
    let case = content.join("cases/baiyun/T-004.yaml");
    let original = fs::read_to_string(&case).unwrap();
    let old = clean_build(&content, &scratch, "old");
    fs::write(&case, original.replace("某喷漆作坊", "某改名作坊")).unwrap();
    let new = clean_build(&content, &scratch, "new");
    assert!(old != new);
    // (point, whether the system's exchange is used, the site the output holds after the kill)
    let table: [(&str, bool, Option<&Vec<_>>); 6] = [
        ("staging", true, Some(&old)),
        ("before-swap", true, Some(&old)),
        ("swapped", true, Some(&new)),
        ("before-swap", false, Some(&old)),
        ("moved-aside", false, None),
        ("swapped", false, Some(&new)),
    ];
    for (point, exchange, after_kill) in table {
        let what = format!("{point} (exchange: {exchange})");
        fs::write(&case, &original).unwrap();
        build(&content, &out).succeeds();
        fs::write(&case, original.replace("某喷漆作坊", "某改名作坊")).unwrap();
        killed_at(&content, &out, point, exchange);
        match after_kill {
            Some(site) => assert!(snapshot(&out) == *site, "{what}: not the expected site"),
            None => assert!(!out.exists(), "{what}"),
        }
        assert!(
            !leftovers(&parent).is_empty(),
            "{what}: nothing left to recover?"
        );
        // The next run first repairs: killed again before its own swap, the output holds the
        // old site (restored) or the new one, never nothing.
        killed_at(&content, &out, "before-swap", true);
        let repaired = snapshot(&out);
        assert!(repaired == old || repaired == new, "{what}: not repaired");
        if after_kill.is_none() {
            assert!(repaired == old, "{what}: the old site was not restored");
        }
        build(&content, &out).succeeds();
        assert!(snapshot(&out) == new, "{what}: the next build differs");
        assert_eq!(leftovers(&parent), Vec::<String>::new(), "{what}");
    }
}

#[test]
fn a_second_build_fails_while_one_holds_the_lock() {
    let (dir, content) = setup();
    let out = dir.path().join("out");
    build(&content, &out).succeeds();
    let site = snapshot(&out);
    let lock = fs::File::create(dir.path().join(".out.lock")).unwrap();
    lock.lock().unwrap();
    build(&content, &out)
        .fails(3)
        .stderr_has("另一个 rectify 正在生成");
    drop(lock);
    assert!(snapshot(&out) == site);
    build(&content, &out).succeeds();
}

#[test]
fn folders_rectify_did_not_make_are_never_cleaned() {
    let (dir, content) = setup();
    let mine = dir.path().join(".out.staging-1");
    fs::create_dir(&mine).unwrap();
    fs::write(mine.join("notes.txt"), "precious").unwrap();
    let linked = dir.path().join(".out.old-2");
    symlink(&content, &linked).unwrap();
    build(&content, dir.path().join("out")).succeeds();
    assert_eq!(
        fs::read_to_string(mine.join("notes.txt")).unwrap(),
        "precious"
    );
    assert!(fs::symlink_metadata(&linked).unwrap().is_symlink());
    assert!(content.join("site.yaml").is_file());
}

/// An incremental build writes in place under a journal: killed before its commit record the old
/// site stays whole; killed after it (before or half-way through putting files in place) the next
/// run completes it. Either way the next build equals a clean build.
#[test]
fn a_kill_during_an_incremental_build_leaves_the_old_site_or_one_the_next_run_completes() {
    let (dir, content) = setup();
    let (scratch, parent) = (dir.path().join("scratch"), dir.path().join("pub"));
    fs::create_dir_all(&parent).unwrap();
    let (out, cache) = (parent.join("out"), dir.path().join("cache"));
    let cached = |cli: Cli| cli.env("RECTIFY_CACHE_DIR", &cache);
    let case = content.join("cases/baiyun/T-004.yaml");
    let original = fs::read_to_string(&case).unwrap();
    let edited = original.replace("某喷漆作坊", "某改名作坊");
    let old = clean_build(&content, &scratch, "old");
    fs::write(&case, &edited).unwrap();
    let new = clean_build(&content, &scratch, "new");
    // (point, the site the output holds right after the kill, or None when it is half-applied)
    let table: [(&str, Option<&Vec<_>>); 3] = [
        ("journal-uncommitted", Some(&old)),
        ("journal-committed", Some(&old)),
        ("journal-applying", None),
    ];
    for (point, after_kill) in table {
        fs::write(&case, &original).unwrap();
        cached(build(&content, &out)).succeeds();
        fs::write(&case, &edited).unwrap();
        let run = cached(build(&content, &out))
            .env("RECTIFY_TEST_ABORT_AT", point)
            .run();
        assert!(
            run.code != 0 && run.code != 3,
            "not killed at {point}: {}",
            run.stderr
        );
        if let Some(site) = after_kill {
            assert!(snapshot(&out) == *site, "{point}: not the old site");
        }
        assert!(
            !leftovers(&parent).is_empty(),
            "{point}: no journal or staging left"
        );
        let committed =
            fs::read_to_string(parent.join(".out.journal")).is_ok_and(|j| j.ends_with("commit\n"));
        assert_eq!(committed, point != "journal-uncommitted", "{point}");
        // The next run rolls the journal forward or discards it, then builds.
        cached(build(&content, &out)).succeeds();
        assert!(
            snapshot(&out) == new,
            "{point}: the next build differs from a clean build"
        );
        assert_eq!(leftovers(&parent), Vec::<String>::new(), "{point}");
    }
    // Rolled forward without a build after it: a committed journal completed by `recover` alone
    // gives the new site (the next build finds nothing left to change in the files it wrote).
    fs::write(&case, &original).unwrap();
    cached(build(&content, &out)).succeeds();
    fs::write(&case, &edited).unwrap();
    cached(build(&content, &out))
        .env("RECTIFY_TEST_ABORT_AT", "journal-applying")
        .run();
    fs::write(&case, &original).unwrap();
    cached(build(&content, &out)).succeeds();
    assert!(snapshot(&out) == old, "built back after a roll-forward");
}

/// Runs `cli` paused at `point`; `meddle` gets the build's process id and changes the file system
/// while it waits.
fn paused_at(cli: Cli, point: &str, flag: &Path, meddle: impl FnOnce(&str)) -> Run {
    let cli = cli
        .env("RECTIFY_TEST_PAUSE_AT", point)
        .env("RECTIFY_TEST_PAUSE_FLAG", flag);
    let running = std::thread::spawn(move || cli.run());
    // The flag file may exist a moment before the process id is written into it.
    let written = || {
        fs::read_to_string(flag)
            .ok()
            .filter(|pid| pid.trim().parse::<u32>().is_ok())
    };
    let mut pid = written();
    while pid.is_none() && !running.is_finished() {
        std::thread::sleep(std::time::Duration::from_millis(10));
        pid = written();
    }
    let pid = pid
        .or_else(written)
        .unwrap_or_else(|| panic!("never paused at {point}"));
    meddle(pid.trim());
    fs::remove_file(flag).unwrap();
    running.join().unwrap()
}

/// The build stopped with exit 3 saying `why`, and `out` still holds the `old` site.
fn stopped(run: &Run, why: &str, out: &Path, old: &[(String, Vec<u8>)], what: &str) {
    assert_eq!(run.code, 3, "{what}: {}", run.stderr);
    assert!(run.stderr.contains(why), "{what}: {}", run.stderr);
    assert!(snapshot(out) == old, "{what}: the old site changed");
}

/// A site that looks like rectify's (so a redirected build would replace or clean it), with what
/// a killed build of `pid` would leave beside it.
fn plant_victim(victim: &Path, pid: &str) {
    for name in [
        "out".to_string(),
        format!(".out.staging-{pid}"),
        ".out.old-7".into(),
    ] {
        fs::create_dir_all(victim.join(&name)).unwrap();
        fs::write(victim.join(&name).join(".rectify-output"), "").unwrap();
        fs::write(victim.join(&name).join("index.html"), "precious").unwrap();
    }
}

/// The guard checks the real path, the write stage acts later: a folder on the way swapped for a
/// symlink in between (at each point: before the lock, before the swap, before the old site is
/// removed) redirects nothing. The build either refuses or finishes in the folder it checked.
#[test]
fn a_symlink_swapped_in_after_the_guard_redirects_nothing() {
    let (dir, content) = setup();
    let root = dir.path();
    let (real, moved, victim) = (
        root.join("pub"),
        root.join("pub.moved"),
        root.join("victim"),
    );
    fs::create_dir_all(&real).unwrap();
    build(&content, real.join("out")).succeeds();
    let old = snapshot(&real.join("out"));
    let case = content.join("cases/baiyun/T-004.yaml");
    let original = fs::read_to_string(&case).unwrap();
    fs::write(&case, original.replace("某喷漆作坊", "某改名作坊")).unwrap();
    let new = clean_build(&content, &root.join("scratch"), "new");
    let flag = root.join("paused");
    // (point, whether the build goes on in the real folder)
    for (point, finishes) in [("lock", false), ("before-swap", true), ("swapped", true)] {
        fs::write(&case, &original).unwrap();
        build(&content, real.join("out")).succeeds();
        fs::write(&case, original.replace("某喷漆作坊", "某改名作坊")).unwrap();
        let mut planted = Vec::new();
        let run = paused_at(build(&content, real.join("out")), point, &flag, |pid| {
            plant_victim(&victim, pid);
            planted = snapshot(&victim);
            fs::rename(&real, &moved).unwrap();
            symlink(&victim, &real).unwrap();
        });
        assert!(
            snapshot(&victim) == planted,
            "{point}: the victim was touched"
        );
        let out = moved.join("out");
        if finishes {
            assert_eq!(run.code, 0, "{point}: {}", run.stderr);
            assert!(snapshot(&out) == new, "{point}: not the new site");
        } else {
            stopped(&run, "变成了符号链接", &out, &old, point);
        }
        assert_eq!(leftovers(&moved), Vec::<String>::new(), "{point}");
        fs::remove_file(&real).unwrap();
        fs::rename(&moved, &real).unwrap();
        fs::remove_dir_all(&victim).unwrap();
    }
}

/// A folder or symlink named like the lock file stops the build (a symlink is never followed to
/// lock, create or truncate what it names); files and symlinks named like leftovers are not
/// rectify's and stay.
#[test]
fn names_like_the_lock_or_a_leftover_are_never_taken_over() {
    let (dir, content) = setup();
    let (out, lock) = (dir.path().join("out"), dir.path().join(".out.lock"));
    let victim = dir.path().join("victim.txt");
    fs::write(&victim, "precious").unwrap();
    fs::create_dir(&lock).unwrap();
    let why = "应当是 rectify 的锁文件";
    build(&content, &out).fails(3).stderr_has(why);
    fs::remove_dir(&lock).unwrap();
    symlink(&victim, &lock).unwrap();
    build(&content, &out).fails(3).stderr_has(why);
    fs::remove_file(&lock).unwrap();
    symlink(dir.path().join("nowhere"), &lock).unwrap();
    build(&content, &out).fails(3).stderr_has(why);
    assert!(!dir.path().join("nowhere").exists() && !out.exists());
    fs::remove_file(&lock).unwrap();
    let planted = [".out.staging-1", ".out.old-2"];
    for name in planted {
        fs::write(dir.path().join(name), "precious").unwrap();
    }
    symlink(&victim, dir.path().join(".out.staging-3")).unwrap();
    build(&content, &out).succeeds();
    build(&content, &out).succeeds();
    for name in planted {
        assert_eq!(
            fs::read_to_string(dir.path().join(name)).unwrap(),
            "precious"
        );
    }
    assert!(
        fs::symlink_metadata(dir.path().join(".out.staging-3"))
            .unwrap()
            .is_symlink()
    );
    assert_eq!(fs::read_to_string(&victim).unwrap(), "precious");
}

/// Ctrl+C (SIGINT), SIGTERM or SIGHUP while the site is being written: the build stops at its
/// next file, removes its staging folder and says the output is as it was.
#[test]
fn an_interrupted_build_cleans_up_and_leaves_the_old_site() {
    let (dir, content) = setup();
    let out = dir.path().join("out");
    build(&content, &out).succeeds();
    let old = snapshot(&out);
    let case = content.join("cases/baiyun/T-004.yaml");
    let original = fs::read_to_string(&case).unwrap();
    fs::write(&case, original.replace("某喷漆作坊", "某改名作坊")).unwrap();
    let flag = dir.path().join("paused");
    for signal in ["INT", "TERM", "HUP"] {
        let run = paused_at(build(&content, &out), "staging", &flag, |pid| {
            let sent = std::process::Command::new("kill")
                .args([format!("-{signal}"), pid.to_string()])
                .status()
                .unwrap();
            assert!(sent.success());
        });
        stopped(&run, "生成已中断", &out, &old, signal);
        assert_eq!(leftovers(dir.path()), Vec::<String>::new(), "SIG{signal}");
    }
    build(&content, &out).succeeds();
    assert!(snapshot(&out) != old);
}

/// `--content` through a symlink (the folder itself a link, or `..` after one) reads the folder
/// it names, exactly as the real path would.
#[test]
fn a_content_folder_given_through_a_symlink_is_read_as_the_folder() {
    let (dir, content) = setup();
    let site = clean_build(&content, dir.path(), "real");
    let links = dir.path().join("links");
    fs::create_dir(&links).unwrap();
    symlink(&content, links.join("content")).unwrap();
    for given in ["content", "content/", "content/cases/.."] {
        let through = links.join(given);
        Cli::new()
            .args(["check"])
            .content(&through)
            .succeeds()
            .stderr_has("0 个错误");
        let out = dir.path().join("out");
        build(&through, &out).succeeds();
        assert!(snapshot(&out) == site, "{given}: not the same site");
    }
}

/// An output whose name is not UTF-8 is written under exactly that name, first and later builds.
#[test]
fn an_output_name_that_is_not_utf8_is_kept_byte_for_byte() {
    use std::os::unix::ffi::OsStrExt;
    let (dir, content) = setup();
    let out = dir.path().join(std::ffi::OsStr::from_bytes(b"o\xffx"));
    // The second build (uncached, as every test build) swaps the first one out.
    build(&content, &out).succeeds();
    build(&content, &out).succeeds();
    assert!(out.join(".rectify-output").is_file());
    assert!(!dir.path().join("o\u{fffd}x").exists());
}

/// A journal rectify did not write (a staging folder or paths outside the output) is never
/// applied: the build stops, names the file and says to delete it; nothing outside is touched.
#[test]
fn a_forged_journal_is_refused_with_a_fix() {
    let (dir, content) = setup();
    let out = dir.path().join("out");
    build(&content, &out).succeeds();
    let victim = dir.path().join("victim.txt");
    fs::write(&victim, "precious").unwrap();
    let journal = dir.path().join(".out.journal");
    for forged in [
        "staging\t..\nput\tvictim.txt\ncommit\n",
        "staging\t.out.staging-1\ndelete\t../victim.txt\ncommit\n",
    ] {
        fs::write(&journal, forged).unwrap();
        let run = build(&content, &out).run();
        assert_eq!(run.code, 3, "{}", run.stderr);
        assert!(run.stderr.contains("已损坏"), "{}", run.stderr);
        assert_eq!(fs::read_to_string(&victim).unwrap(), "precious");
    }
    fs::remove_file(&journal).unwrap();
    build(&content, &out).succeeds();
}
