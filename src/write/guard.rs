//! The output guard: decides on the output's real path (symlinks resolved) whether replacing it
//! could destroy something rectify did not write. Every later rename and delete uses that real path,
//! so a path that merely looks safe as text (`link/../project`) cannot reach a folder it did not name.

use super::MARKER;
use super::handle::{DirHandle, Kind};
use super::swap::cannot;
use crate::diag::Said;
use anyhow::{Context, Result};
use std::ffi::OsStr;
use std::fs;
use std::io::ErrorKind;
use std::path::{Component, Path, PathBuf};

/// A refusal told in both languages; the command prints the site's.
fn said(zh: String, en: String) -> anyhow::Error {
    Said::new(zh, en).into()
}

/// Refuses output folders whose replacement would destroy something rectify did not write; returns
/// the output's real path, the only one the write stage may touch.
pub fn guard(output: &Path, content: &Path) -> Result<PathBuf> {
    if is_symlink(output) {
        return Err(symlink_refused(output));
    }
    let out = real_path(output)?;
    let content = real_path(content)?;
    if out.parent().is_none() {
        return Err(said(
            format!("拒绝把网站写入根文件夹 {}", out.display()),
            format!(
                "refusing to write the site into the root folder {}",
                out.display()
            ),
        ));
    }
    if let Some(home) = std::env::var_os("HOME").and_then(|h| real_path(Path::new(&h)).ok()) {
        if home == out {
            return Err(said(
                format!("拒绝替换主文件夹 {}", out.display()),
                format!("refusing to replace the home folder {}", out.display()),
            ));
        }
        if home.starts_with(&out) {
            return Err(said(
                format!(
                    "拒绝把网站写入 {}：其中有主文件夹 {}",
                    out.display(),
                    home.display()
                ),
                format!(
                    "refusing to write the site into {}: it holds the home folder {}",
                    out.display(),
                    home.display()
                ),
            ));
        }
    }
    if content.starts_with(&out) {
        return Err(said(
            format!(
                "拒绝把网站写入 {}：其中有内容文件夹 {}",
                out.display(),
                content.display()
            ),
            format!(
                "refusing to write the site into {}: it holds the content folder {}",
                out.display(),
                content.display()
            ),
        ));
    }
    if out.starts_with(&content) {
        return Err(said(
            format!(
                "拒绝把网站写入 {}：它在内容文件夹 {} 里面；请把 --output 设在内容文件夹之外",
                out.display(),
                content.display()
            ),
            format!(
                "refusing to write the site into {}: it is inside the content folder {}; choose an --output outside it",
                out.display(),
                content.display()
            ),
        ));
    }
    refuse_foreign(&out)?;
    Ok(out)
}

/// Checks the output through its parent folder, if that exists yet.
fn refuse_foreign(out: &Path) -> Result<()> {
    let (Some(parent), Some(name)) = (out.parent(), out.file_name()) else {
        return Ok(());
    };
    match DirHandle::open_real(parent, false) {
        Ok(dir) => refuse_foreign_in(&dir, name, out),
        Err(e) if e.error.kind() == ErrorKind::NotFound => Ok(()),
        Err(e) => Err(anyhow::Error::new(e.error).context(cannot("打开", "open", &e.at))),
    }
}

/// The output `name` in the open folder `parent` may be replaced only if it is missing, or a real
/// folder that is empty or holds rectify's marker: a symlink, a file, or a non-empty folder without
/// the marker is someone else's. `out` is its path, for messages.
pub fn refuse_foreign_in(parent: &DirHandle, name: &OsStr, out: &Path) -> Result<()> {
    let kind = parent
        .kind_in(name)
        .with_context(|| cannot("读取", "read", out))?;
    match kind {
        None => Ok(()),
        Some(Kind::Symlink) => Err(symlink_refused(out)),
        Some(Kind::Dir) => {
            let dir = parent
                .open_dir_in(name)
                .with_context(|| cannot("读取", "read", out))?;
            if dir.identity()?.0 != parent.identity()?.0 {
                return Err(mount_point_refused(out));
            }
            let marked = dir.kind_in(MARKER).ok().flatten() == Some(Kind::File);
            let empty = dir
                .is_empty()
                .with_context(|| cannot("读取", "read", out))?;
            if marked || empty {
                return Ok(());
            }
            Err(said(
                format!(
                    "拒绝替换 {}：文件夹不为空，且不是 rectify 生成的（没有 {MARKER} 文件）；请换一个 --output，或先清空它",
                    out.display()
                ),
                format!(
                    "refusing to replace {}: it is not empty and was not written by rectify (no {MARKER} file); choose another --output or empty it",
                    out.display()
                ),
            ))
        }
        Some(_) => Err(said(
            format!("拒绝替换 {}：它是文件，不是文件夹", out.display()),
            format!(
                "refusing to replace {}: it is a file, not a folder",
                out.display()
            ),
        )),
    }
}

/// The output is where another file system is mounted: it cannot be renamed, so it cannot be
/// replaced as a whole.
fn mount_point_refused(output: &Path) -> anyhow::Error {
    said(
        format!(
            "拒绝写入 {0}：它是另一个文件系统的挂载点，无法整体替换（rectify 先在旁边生成，再整体换上）；请把 --output 设为它里面的一个文件夹，例如 {0}/site",
            output.display()
        ),
        format!(
            "refusing to write {0}: another file system is mounted there, and a mount point cannot be replaced as a whole (rectify builds beside the output, then swaps it in); give a folder inside it as --output, e.g. {0}/site",
            output.display()
        ),
    )
}

fn symlink_refused(output: &Path) -> anyhow::Error {
    said(
        format!(
            "拒绝替换 {}：它是符号链接，rectify 从不生成符号链接；请把它指向的文件夹写在 --output",
            output.display()
        ),
        format!(
            "refusing to replace {}: it is a symbolic link, and rectify never makes one; give the folder it points to as --output",
            output.display()
        ),
    )
}

/// Whether the path names a symlink, also when written `link/` or `link/.` (which the system would
/// follow).
fn is_symlink(p: &Path) -> bool {
    let p: PathBuf = p.components().collect();
    fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_symlink())
}

/// The path with every symlink resolved: the longest existing ancestor canonicalised, then the
/// not-yet-existing rest appended. `..` in that rest cannot be resolved safely and is refused.
pub fn real_path(p: &Path) -> Result<PathBuf> {
    let shown = p.display();
    let unresolved = || cannot("解析路径", "resolve", p);
    let abs = std::path::absolute(p).with_context(unresolved)?;
    let parts: Vec<Component> = abs.components().collect();
    for split in (1..=parts.len()).rev() {
        let head: PathBuf = parts[..split].iter().collect();
        let Ok(mut real) = fs::canonicalize(&head) else {
            continue;
        };
        for part in &parts[split..] {
            let Component::Normal(name) = part else {
                return Err(said(
                    format!("无法解析路径 {shown}：`..` 前面的文件夹还不存在"),
                    format!("cannot resolve {shown}: `..` after a folder that does not exist yet"),
                ));
            };
            real.push(name);
            match fs::symlink_metadata(&real) {
                Err(e) if e.kind() == ErrorKind::NotFound => {}
                Err(e) => return Err(e).with_context(unresolved),
                Ok(_) => {
                    return Err(said(
                        format!(
                            "无法解析路径 {shown}：{} 是失效的符号链接，或无法读取",
                            real.display()
                        ),
                        format!(
                            "cannot resolve {shown}: {} is a broken symbolic link or cannot be read",
                            real.display()
                        ),
                    ));
                }
            }
        }
        return Ok(real);
    }
    Err(unresolved().into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_paths_resolve_links_before_dot_dot() {
        let dir = tempfile::tempdir().unwrap();
        let root = fs::canonicalize(dir.path()).unwrap();
        fs::create_dir_all(root.join("a/deep")).unwrap();
        std::os::unix::fs::symlink(root.join("a/deep"), root.join("s")).unwrap();
        let cases = [
            ("s/../x", root.join("a/x")),
            ("s/new/leaf", root.join("a/deep/new/leaf")),
            ("s/..", root.join("a")),
            ("a/./deep/", root.join("a/deep")),
            ("plain/new", root.join("plain/new")),
        ];
        for (given, want) in cases {
            assert_eq!(real_path(&root.join(given)).unwrap(), want, "{given}");
        }
        assert!(real_path(&root.join("missing/../x")).is_err());
        std::os::unix::fs::symlink(root.join("nowhere"), root.join("broken")).unwrap();
        assert!(real_path(&root.join("broken/x")).is_err());
    }

    /// `/proc` is another file system on every Linux system: a mount point is refused by name.
    #[cfg(target_os = "linux")]
    #[test]
    fn a_mount_point_is_refused() {
        let root = DirHandle::open_real(Path::new("/"), false).unwrap();
        let err = refuse_foreign_in(&root, OsStr::new("proc"), Path::new("/proc")).unwrap_err();
        assert!(
            err.to_string()
                .contains("another file system is mounted there"),
            "{err}"
        );
    }
}
