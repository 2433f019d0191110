//! Putting a staged site in place so that a kill at any instant leaves the old site or the new one:
//! one atomic exchange where the system has it, else two renames whose half-way state the next run
//! repairs. A lock file beside the output keeps two builds from touching each other's folders, and
//! leftovers of a killed build are cleaned only while holding it.

use super::MARKER;
use super::handle::{DirHandle, Kind};
use crate::diag::Said;
use anyhow::{Context, Result};
use std::ffi::{OsStr, OsString};
use std::fs::{File, TryLockError};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Once;
use std::sync::atomic::{AtomicBool, Ordering};

/// The folders a build keeps beside its output `NAME`: `.NAME.staging-PID`, `.NAME.old-PID`, the
/// lock file `.NAME.lock` and an incremental build's journal `.NAME.journal`, all reached through the
/// open parent folder.
pub struct Beside {
    pub output: PathBuf,
    /// The output's parent, held open: nothing below is reached by a path string again.
    pub parent: DirHandle,
    /// The output's name exactly as given (it need not be UTF-8).
    own: OsString,
    /// The same, for naming the folders and lock file beside it (ours, so always UTF-8).
    name: String,
}

impl Beside {
    /// Opens the parent of `output` (a real path, the guard's), making it if missing; a symlink or
    /// file met on the way (swapped in since the guard looked) is refused.
    pub fn open(output: &Path) -> Result<Beside> {
        let parent_path = output
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("/"));
        let parent = DirHandle::open_real(parent_path, true).map_err(|e| {
            if e.is_not_a_folder() {
                changed_on_the_way(output, &e.at)
            } else {
                anyhow::Error::new(e.error).context(cannot("创建", "create", &e.at))
            }
        })?;
        let own = output
            .file_name()
            .map_or_else(|| OsString::from("output"), OsStr::to_os_string);
        Ok(Beside {
            output: output.to_path_buf(),
            parent,
            name: own.to_string_lossy().into_owned(),
            own,
        })
    }

    /// The output's own name in its parent.
    pub fn name(&self) -> &OsStr {
        &self.own
    }

    fn sibling(&self, kind: &str) -> String {
        format!(".{}.{kind}-{}", self.name, std::process::id())
    }

    /// The staging folder's name in the parent.
    pub fn staging(&self) -> String {
        self.sibling("staging")
    }

    /// The name in the parent of an incremental build's journal (see `journal`): `.NAME.journal`.
    pub fn journal(&self) -> String {
        format!(".{}.journal", self.name)
    }

    /// Takes the lock beside the output, or fails at once if another build holds it.
    pub fn lock(&self) -> Result<File> {
        let name = format!(".{}.lock", self.name);
        let path = self.parent.at(&name);
        if self.parent.kind_in(&name)?.is_some_and(|k| k != Kind::File) {
            return Err(Said::new(
                format!(
                    "无法生成 {}：{} 应当是 rectify 的锁文件，但它是文件夹或符号链接；请把它移走后再生成",
                    self.output.display(),
                    path.display()
                ),
                format!(
                    "cannot build {}: {} should be rectify's lock file but is a folder or a symbolic link; move it away, then build again",
                    self.output.display(),
                    path.display()
                ),
            )
            .into());
        }
        let file = self
            .parent
            .open_lock_in(&name)
            .with_context(|| cannot("打开锁文件", "open the lock file", &path))?;
        match file.try_lock() {
            Ok(()) => Ok(file),
            Err(TryLockError::WouldBlock) => Err(Said::new(
                format!(
                    "另一个 rectify 正在生成 {}（它占用着 {}）；请等它完成后再生成",
                    self.output.display(),
                    path.display()
                ),
                format!(
                    "another rectify build is writing {} right now (it holds {}); wait for it to finish, then build again",
                    self.output.display(),
                    path.display()
                ),
            )
            .into()),
            Err(TryLockError::Error(e)) => {
                Err(e).with_context(|| cannot("锁定", "lock", &path))
            }
        }
    }

    /// With the lock held, no other build is running: a staging folder left beside the output is
    /// a killed build's and is removed; a retired old site is put back if the output is missing
    /// (the kill came between the two renames), else removed. Folders rectify did not make (no
    /// marker, not empty) and symlinks are left alone.
    pub fn recover(&self) -> Result<()> {
        let staging = format!(".{}.staging-", self.name);
        let old = format!(".{}.old-", self.name);
        let is_old = |n: &str| n.starts_with(&old);
        let mut leftovers: Vec<String> = self
            .parent
            .entries()
            .with_context(|| cannot("读取", "read", self.parent.path()))?
            .into_iter()
            .filter(|(_, kind)| *kind == Kind::Dir)
            .map(|(n, _)| n.to_string_lossy().into_owned())
            .filter(|n| n.starts_with(&staging) || is_old(n))
            .filter(|n| made_by_rectify(&self.parent, n))
            .collect();
        // Old sites first, so one is restored before any staging folder is cleared.
        leftovers.sort_by_key(|n| !is_old(n));
        for name in leftovers {
            if is_old(&name) && !self.output_exists()? {
                self.parent.rename_in(&name, self.name()).with_context(|| {
                    let old = self.parent.at(&name);
                    Said::new(
                        format!("无法用 {} 恢复 {}", old.display(), self.output.display()),
                        format!(
                            "cannot restore {} from {}",
                            self.output.display(),
                            old.display()
                        ),
                    )
                })?;
            } else {
                remove_ours(&self.parent, &name)
                    .with_context(|| cannot("删除", "remove", &self.parent.at(&name)))?;
            }
        }
        Ok(())
    }

    fn output_exists(&self) -> io::Result<bool> {
        Ok(self.parent.kind_in(self.name())?.is_some())
    }

    /// Replaces the output by the staging folder `staging` (a name in the parent). Afterwards the
    /// old site is removed; if that fails the next build removes it.
    pub fn swap(&self, staging: &str) -> Result<()> {
        crash_point("before-swap");
        if !self.output_exists()? {
            return self
                .parent
                .rename_in(staging, self.name())
                .map_err(|e| self.cannot_move_in(e));
        }
        let retired = if exchange(&self.parent, staging, self.name()) {
            staging.to_string()
        } else {
            self.two_renames(staging)?
        };
        crash_point("swapped");
        if let Err(e) = remove_ours(&self.parent, &retired) {
            eprintln!(
                "warning: cannot remove the previous site {}: {e}",
                self.parent.at(&retired).display()
            );
        }
        Ok(())
    }

    /// The fallback: the old site aside, the new one in; a kill between the two leaves no output,
    /// which `recover` repairs.
    fn two_renames(&self, staging: &str) -> Result<String> {
        let retired = self.sibling("old");
        self.parent
            .rename_in(self.name(), &retired)
            .map_err(|e| self.cannot_move_aside(e))?;
        crash_point("moved-aside");
        if let Err(e) = self.parent.rename_in(staging, self.name()) {
            let _ = self.parent.rename_in(&retired, self.name());
            return Err(self.cannot_move_in(e));
        }
        Ok(retired)
    }

    fn cannot_move_aside(&self, e: io::Error) -> anyhow::Error {
        anyhow::Error::new(e).context(Said::new(
            format!("无法把原来的 {} 移开", self.output.display()),
            format!("cannot move the previous {} aside", self.output.display()),
        ))
    }

    fn cannot_move_in(&self, e: io::Error) -> anyhow::Error {
        anyhow::Error::new(e).context(Said::new(
            format!("无法把新网站放到 {}", self.output.display()),
            format!("cannot move the new site into {}", self.output.display()),
        ))
    }
}

/// “cannot VERB PATH” in both languages, as the context of an I/O failure.
pub fn cannot(zh_verb: &str, en_verb: &str, path: &Path) -> Said {
    Said::new(
        format!("无法{zh_verb} {}", path.display()),
        format!("cannot {en_verb} {}", path.display()),
    )
}

/// A path component was swapped for a symlink (or a file) after the guard looked: nothing is
/// touched.
fn changed_on_the_way(output: &Path, at: &Path) -> anyhow::Error {
    Said::new(
        format!(
            "拒绝写入 {}：检查之后，路径上的 {} 变成了符号链接或文件（不再是原来的文件夹）；没有改动任何文件，请检查该路径后再生成",
            output.display(),
            at.display()
        ),
        format!(
            "refusing to write {}: after the check, {} on its path became a symbolic link or a file (no longer the folder it was); nothing was changed, check the path and build again",
            output.display(),
            at.display()
        ),
    )
    .into()
}

/// A real folder (not a symlink) holding rectify's marker, or empty (killed before the marker).
pub fn made_by_rectify(parent: &DirHandle, name: &str) -> bool {
    let Ok(dir) = parent.open_dir_in(name) else {
        return false;
    };
    dir.kind_in(MARKER).is_ok_and(|k| k == Some(Kind::File)) || dir.is_empty().unwrap_or(false)
}

/// Removes a folder rectify made, its marker last: a removal killed half-way leaves a folder that
/// is still known to be rectify's, and the next build finishes the job.
pub fn remove_ours(parent: &DirHandle, name: &str) -> io::Result<()> {
    let dir = parent.open_dir_in(name)?;
    for (entry, kind) in dir.entries()? {
        if entry == MARKER {
            continue;
        }
        match kind {
            Kind::Dir => dir.remove_tree_in(&entry)?,
            _ => dir.remove_file_in(&entry)?,
        }
    }
    match dir.remove_file_in(MARKER) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    parent.remove_dir_in(name)
}

/// Swaps two folders in one step; false where the system or file system cannot.
fn exchange(parent: &DirHandle, a: &str, b: &OsStr) -> bool {
    !no_exchange_for_tests() && parent.exchange_in(a, b).is_ok()
}

/// Set by Ctrl+C (or SIGTERM, SIGHUP) while a build writes its staging folder.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// From now on Ctrl+C, SIGTERM and SIGHUP stop the build at its next file instead of killing it,
/// so the staging folder is removed and the output stays as it was; a second one exits at once
/// (the next build cleans up). Installed once per process.
pub fn stop_on_interrupt() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let _ = ctrlc::set_handler(|| {
            if INTERRUPTED.swap(true, Ordering::SeqCst) {
                std::process::exit(130);
            }
        });
    });
}

/// An error once the build was interrupted.
pub fn check_interrupt(output: &Path) -> Result<()> {
    if !INTERRUPTED.load(Ordering::Relaxed) {
        return Ok(());
    }
    Err(Said::new(
        format!(
            "生成已中断（Ctrl+C 或终止信号）；{} 保持原样，没有写入任何文件",
            output.display()
        ),
        format!(
            "the build was interrupted (Ctrl+C or a termination signal); {} is as it was, nothing was written",
            output.display()
        ),
    )
    .into())
}

/// Debug builds only: `RECTIFY_TEST_NO_EXCHANGE=1` takes the two-rename path, so the tests can kill
/// a build between the renames.
#[cfg(debug_assertions)]
fn no_exchange_for_tests() -> bool {
    std::env::var_os("RECTIFY_TEST_NO_EXCHANGE").is_some()
}

#[cfg(not(debug_assertions))]
fn no_exchange_for_tests() -> bool {
    false
}

/// Debug builds only: `RECTIFY_TEST_ABORT_AT=POINT` kills the process (abort, no cleanup) at that
/// named point, so the tests can check what a kill -9 there leaves behind.
/// `RECTIFY_TEST_PAUSE_AT=POINT` with `RECTIFY_TEST_PAUSE_FLAG=FILE` pauses there instead: the
/// build writes its process id into FILE and waits until FILE is deleted (at most two minutes),
/// so a test can change the file system in between.
#[cfg(debug_assertions)]
pub fn crash_point(point: &str) {
    let at = |var: &str| std::env::var(var).is_ok_and(|p| p == point);
    if at("RECTIFY_TEST_ABORT_AT") {
        std::process::abort();
    }
    let pause = std::env::var_os("RECTIFY_TEST_PAUSE_FLAG").filter(|_| at("RECTIFY_TEST_PAUSE_AT"));
    if let Some(flag) = pause {
        let flag = PathBuf::from(flag);
        if std::fs::write(&flag, std::process::id().to_string()).is_ok() {
            let start = std::time::Instant::now();
            while flag.exists() && start.elapsed().as_secs() < 120 {
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
        }
    }
}

#[cfg(not(debug_assertions))]
pub fn crash_point(_point: &str) {}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    /// Leftovers are known by their marker (or emptiness); a removal leaves the marker to the end.
    #[test]
    fn leftovers_are_known_and_removed_marker_last() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = fs::canonicalize(tmp.path()).unwrap();
        let ours = dir.join(".out.staging-1");
        fs::create_dir_all(ours.join("cases")).unwrap();
        fs::write(ours.join("cases/a.html"), "a").unwrap();
        fs::write(ours.join(MARKER), "").unwrap();
        let empty = dir.join(".out.staging-2");
        fs::create_dir(&empty).unwrap();
        let theirs = dir.join(".out.old-3");
        fs::create_dir(&theirs).unwrap();
        fs::write(theirs.join("thesis.docx"), "precious").unwrap();
        let beside = Beside::open(&dir.join("out")).unwrap();
        assert!(made_by_rectify(&beside.parent, ".out.staging-1"));
        assert!(made_by_rectify(&beside.parent, ".out.staging-2"));
        assert!(!made_by_rectify(&beside.parent, ".out.old-3"));
        beside.recover().unwrap();
        assert!(!ours.exists() && !empty.exists());
        assert!(theirs.join("thesis.docx").is_file());
        // No output: an old site beside it is put back.
        let old = dir.join(".out.old-4");
        fs::create_dir(&old).unwrap();
        fs::write(old.join(MARKER), "").unwrap();
        beside.recover().unwrap();
        assert!(dir.join("out").join(MARKER).is_file() && !old.exists());
    }
}
