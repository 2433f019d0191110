//! Putting a staged site in place so that a kill at any instant leaves the old site or the new one:
//! one atomic exchange where the system has it, else two renames whose half-way state the next run
//! repairs. A lock file beside the output keeps two builds from touching each other's folders, and
//! leftovers of a killed build are cleaned only while holding it.

use super::MARKER;
use anyhow::{Context, Result};
use std::fs::{self, File, TryLockError};
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

/// The folders a build keeps beside its output `NAME`: `.NAME.staging-PID`, `.NAME.old-PID`, the
/// lock file `.NAME.lock` and an incremental build's `.NAME.journal`.
pub struct Beside {
    pub output: PathBuf,
    pub parent: PathBuf,
    name: String,
}

impl Beside {
    pub fn of(output: &Path) -> Beside {
        let parent = output
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_path_buf();
        let name = output
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "output".into());
        Beside {
            output: output.to_path_buf(),
            parent,
            name,
        }
    }

    fn sibling(&self, kind: &str) -> PathBuf {
        let pid = std::process::id();
        self.parent.join(format!(".{}.{kind}-{pid}", self.name))
    }

    pub fn staging(&self) -> PathBuf {
        self.sibling("staging")
    }

    /// The journal of an incremental build being applied (see `journal`): `.NAME.journal`.
    pub fn journal(&self) -> PathBuf {
        self.parent.join(format!(".{}.journal", self.name))
    }

    /// Takes the lock beside the output, or fails at once if another build holds it.
    pub fn lock(&self) -> Result<File> {
        let path = self.parent.join(format!(".{}.lock", self.name));
        let file = fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .with_context(|| format!("cannot open the lock file {}", path.display()))?;
        match file.try_lock() {
            Ok(()) => Ok(file),
            Err(TryLockError::WouldBlock) => Err(crate::diag::Said::new(
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
                Err(e).with_context(|| format!("cannot lock {}", path.display()))
            }
        }
    }

    /// With the lock held, no other build is running: a staging folder left beside the output is
    /// a killed build's and is removed; a retired old site is put back if the output is missing
    /// (the kill came between the two renames), else removed. Folders rectify did not make (no
    /// marker, not empty) are left alone.
    pub fn recover(&self) -> Result<()> {
        let staging = format!(".{}.staging-", self.name);
        let old = format!(".{}.old-", self.name);
        let mut leftovers: Vec<PathBuf> = fs::read_dir(&self.parent)
            .with_context(|| format!("cannot read {}", self.parent.display()))?
            .filter_map(|e| e.ok())
            .filter(|e| {
                let n = e.file_name().to_string_lossy().into_owned();
                n.starts_with(&staging) || n.starts_with(&old)
            })
            .map(|e| e.path())
            .filter(|p| made_by_rectify(p))
            .collect();
        let is_old = |p: &Path| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(&old))
        };
        // Old sites first, so one is restored before any staging folder is cleared.
        leftovers.sort_by_key(|p| !is_old(p));
        for path in leftovers {
            let is_old = is_old(&path);
            if is_old && !exists(&self.output) {
                fs::rename(&path, &self.output).with_context(|| {
                    format!(
                        "cannot restore {} from {}",
                        self.output.display(),
                        path.display()
                    )
                })?;
            } else {
                remove_ours(&path).with_context(|| format!("cannot remove {}", path.display()))?;
            }
        }
        Ok(())
    }

    /// Replaces the output by `staging`. Afterwards the old site is removed; if that fails the
    /// next build removes it.
    pub fn swap(&self, staging: &Path) -> Result<()> {
        crash_point("before-swap");
        if !exists(&self.output) {
            return fs::rename(staging, &self.output).with_context(|| {
                format!("cannot move the new site into {}", self.output.display())
            });
        }
        let retired = if exchange(staging, &self.output) {
            staging.to_path_buf()
        } else {
            self.two_renames(staging)?
        };
        crash_point("swapped");
        if let Err(e) = remove_ours(&retired) {
            eprintln!(
                "warning: cannot remove the previous site {}: {e}",
                retired.display()
            );
        }
        Ok(())
    }

    /// The fallback: the old site aside, the new one in; a kill between the two leaves no output,
    /// which `recover` repairs.
    fn two_renames(&self, staging: &Path) -> Result<PathBuf> {
        let retired = self.sibling("old");
        fs::rename(&self.output, &retired)
            .with_context(|| format!("cannot move the previous {} aside", self.output.display()))?;
        crash_point("moved-aside");
        if let Err(e) = fs::rename(staging, &self.output) {
            let _ = fs::rename(&retired, &self.output);
            return Err(e).with_context(|| {
                format!("cannot move the new site into {}", self.output.display())
            });
        }
        Ok(retired)
    }
}

fn exists(p: &Path) -> bool {
    !matches!(fs::symlink_metadata(p), Err(e) if e.kind() == ErrorKind::NotFound)
}

/// A real folder (not a symlink) holding rectify's marker, or empty (killed before the marker).
fn made_by_rectify(p: &Path) -> bool {
    let is_dir = fs::symlink_metadata(p).is_ok_and(|m| m.is_dir());
    is_dir && (p.join(MARKER).is_file() || fs::read_dir(p).is_ok_and(|mut d| d.next().is_none()))
}

/// Removes a folder rectify made, its marker last: a removal killed half-way leaves a folder that
/// is still known to be rectify's, and the next build finishes the job.
pub fn remove_ours(dir: &Path) -> std::io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_name() == MARKER {
            continue;
        }
        if entry.file_type()?.is_dir() {
            fs::remove_dir_all(entry.path())?;
        } else {
            fs::remove_file(entry.path())?;
        }
    }
    match fs::remove_file(dir.join(MARKER)) {
        Err(e) if e.kind() != ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    fs::remove_dir(dir)
}

/// Swaps two folders in one step; false where the system or file system cannot.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> bool {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    !no_exchange_for_tests() && renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).is_ok()
}

#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> bool {
    false
}

/// Debug builds only: `RECTIFY_TEST_NO_EXCHANGE=1` takes the two-rename path, so the tests can kill
/// a build between the renames.
#[cfg(all(debug_assertions, target_os = "linux"))]
fn no_exchange_for_tests() -> bool {
    std::env::var_os("RECTIFY_TEST_NO_EXCHANGE").is_some()
}

#[cfg(all(not(debug_assertions), target_os = "linux"))]
fn no_exchange_for_tests() -> bool {
    false
}

/// Debug builds only: `RECTIFY_TEST_ABORT_AT=POINT` kills the process (abort, no cleanup) at that
/// named point, so the tests can check what a kill -9 there leaves behind.
#[cfg(debug_assertions)]
pub fn crash_point(point: &str) {
    if std::env::var("RECTIFY_TEST_ABORT_AT").is_ok_and(|p| p == point) {
        std::process::abort();
    }
}

#[cfg(not(debug_assertions))]
pub fn crash_point(_point: &str) {}

#[cfg(test)]
mod tests {
    use super::*;

    /// Leftovers are known by their marker (or emptiness); a removal leaves the marker to the end.
    #[test]
    fn leftovers_are_known_and_removed_marker_last() {
        let dir = tempfile::tempdir().unwrap();
        let ours = dir.path().join(".out.staging-1");
        fs::create_dir_all(ours.join("cases")).unwrap();
        fs::write(ours.join("cases/a.html"), "a").unwrap();
        fs::write(ours.join(MARKER), "").unwrap();
        let empty = dir.path().join(".out.staging-2");
        fs::create_dir(&empty).unwrap();
        let theirs = dir.path().join(".out.old-3");
        fs::create_dir(&theirs).unwrap();
        fs::write(theirs.join("thesis.docx"), "precious").unwrap();
        assert!(made_by_rectify(&ours) && made_by_rectify(&empty));
        assert!(!made_by_rectify(&theirs));
        let beside = Beside::of(&dir.path().join("out"));
        beside.recover().unwrap();
        assert!(!ours.exists() && !empty.exists());
        assert!(theirs.join("thesis.docx").is_file());
        // No output: an old site beside it is put back.
        let old = dir.path().join(".out.old-4");
        fs::create_dir(&old).unwrap();
        fs::write(old.join(MARKER), "").unwrap();
        beside.recover().unwrap();
        assert!(dir.path().join("out").join(MARKER).is_file() && !old.exists());
    }
}
