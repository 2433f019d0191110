//! A folder held open: every rename, delete and file the write stage makes is done relative to an
//! open folder handle (the `…at` system calls), never by a path string resolved again later. Once
//! the output's parent is open, a symlink swapped into the path above it cannot redirect anything:
//! the handle keeps naming the folder that was checked. Below a handle nothing is followed either:
//! every folder and file is opened with `O_NOFOLLOW`.

use rustix::fd::{AsFd, OwnedFd};
use rustix::fs::{AtFlags, FileType, Mode, OFlags};
use rustix::io::Errno;
use std::ffi::{OsStr, OsString};
use std::fs::File;
use std::io::{self, Read, Write};
use std::os::unix::ffi::OsStrExt;
use std::path::{Component, Path, PathBuf};

/// Flags to open a folder only to work relative to it: on Linux `O_PATH` (no read permission
/// needed, as for a path walk), elsewhere read-only.
#[cfg(any(target_os = "linux", target_os = "android"))]
const SEARCH: OFlags = OFlags::PATH;
#[cfg(not(any(target_os = "linux", target_os = "android")))]
const SEARCH: OFlags = OFlags::RDONLY;

fn dir_flags() -> OFlags {
    SEARCH | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC
}

/// What a name in a folder is, without following a symlink.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Dir,
    File,
    Symlink,
    Other,
}

impl Kind {
    fn of(t: FileType) -> Kind {
        match t {
            FileType::Directory => Kind::Dir,
            FileType::RegularFile => Kind::File,
            FileType::Symlink => Kind::Symlink,
            _ => Kind::Other,
        }
    }
}

/// Opening a folder by its path failed at `at` (the path so far).
#[derive(Debug)]
pub struct WalkError {
    pub at: PathBuf,
    pub error: io::Error,
}

impl WalkError {
    /// The walk met a symlink or a file where the checked path had a folder.
    pub fn is_not_a_folder(&self) -> bool {
        matches!(
            self.error.raw_os_error(),
            Some(e) if e == Errno::LOOP.raw_os_error() || e == Errno::NOTDIR.raw_os_error()
        )
    }
}

/// An open folder and the path it had when opened (for messages only; never used to reach it).
#[derive(Debug)]
pub struct DirHandle {
    fd: OwnedFd,
    path: PathBuf,
}

impl DirHandle {
    /// Opens the folder at the absolute, symlink-free `path` one component at a time, refusing to
    /// follow a symlink anywhere on the way; with `create`, missing folders are made.
    pub fn open_real(path: &Path, create: bool) -> Result<DirHandle, WalkError> {
        let fail = |at: &Path, error: io::Error| WalkError {
            at: at.to_path_buf(),
            error,
        };
        let mut dir = DirHandle {
            fd: rustix::fs::open("/", dir_flags(), Mode::empty())
                .map_err(|e| fail(Path::new("/"), e.into()))?,
            path: PathBuf::from("/"),
        };
        for part in path.components() {
            match part {
                Component::RootDir => {}
                Component::Normal(name) => {
                    let next = if create {
                        dir.open_or_create_dir_in(name)
                    } else {
                        dir.open_dir_in(name)
                    };
                    dir = next.map_err(|e| fail(&dir.at(name), e))?;
                }
                _ => {
                    let e = io::Error::new(io::ErrorKind::InvalidInput, "not a real path");
                    return Err(fail(path, e));
                }
            }
        }
        Ok(dir)
    }

    /// The path the folder had when it was opened.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The path of `name` in this folder, for messages.
    pub fn at(&self, name: impl AsRef<Path>) -> PathBuf {
        self.path.join(name)
    }

    /// What `name` is, or `None` if there is nothing by that name.
    pub fn kind_in(&self, name: impl AsRef<OsStr>) -> io::Result<Option<Kind>> {
        match rustix::fs::statat(&self.fd, name.as_ref(), AtFlags::SYMLINK_NOFOLLOW) {
            Ok(st) => Ok(Some(Kind::of(FileType::from_raw_mode(st.st_mode as _)))),
            Err(Errno::NOENT) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// Opens the folder `name` in this one; a symlink there is an error, never followed.
    pub fn open_dir_in(&self, name: impl AsRef<OsStr>) -> io::Result<DirHandle> {
        let name = name.as_ref();
        let fd = rustix::fs::openat(&self.fd, name, dir_flags(), Mode::empty())?;
        Ok(DirHandle {
            fd,
            path: self.at(name),
        })
    }

    /// Makes the folder `name` in this one (it must not exist yet) and opens it.
    pub fn create_dir_in(&self, name: impl AsRef<OsStr>) -> io::Result<DirHandle> {
        let name = name.as_ref();
        rustix::fs::mkdirat(&self.fd, name, Mode::from_raw_mode(0o777))?;
        self.open_dir_in(name)
    }

    /// Opens the folder `name`, making it first if it is missing.
    pub fn open_or_create_dir_in(&self, name: impl AsRef<OsStr>) -> io::Result<DirHandle> {
        let name = name.as_ref();
        match rustix::fs::mkdirat(&self.fd, name, Mode::from_raw_mode(0o777)) {
            Ok(()) | Err(Errno::EXIST) => self.open_dir_in(name),
            Err(e) => Err(e.into()),
        }
    }

    /// Renames `from` to `to`, both in this folder.
    pub fn rename_in(&self, from: impl AsRef<OsStr>, to: impl AsRef<OsStr>) -> io::Result<()> {
        rustix::fs::renameat(&self.fd, from.as_ref(), &self.fd, to.as_ref())?;
        Ok(())
    }

    /// Swaps `a` and `b` (both in this folder) in one step, where the system can.
    #[cfg(any(target_os = "linux", target_os = "android"))]
    pub fn exchange_in(&self, a: impl AsRef<OsStr>, b: impl AsRef<OsStr>) -> io::Result<()> {
        use rustix::fs::{RenameFlags, renameat_with};
        renameat_with(
            &self.fd,
            a.as_ref(),
            &self.fd,
            b.as_ref(),
            RenameFlags::EXCHANGE,
        )?;
        Ok(())
    }

    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    pub fn exchange_in(&self, _a: impl AsRef<OsStr>, _b: impl AsRef<OsStr>) -> io::Result<()> {
        Err(io::ErrorKind::Unsupported.into())
    }

    /// Deletes the file (or symlink) `name`; a symlink is removed, never its target.
    pub fn remove_file_in(&self, name: impl AsRef<OsStr>) -> io::Result<()> {
        rustix::fs::unlinkat(&self.fd, name.as_ref(), AtFlags::empty())?;
        Ok(())
    }

    /// Deletes the empty folder `name`.
    pub fn remove_dir_in(&self, name: impl AsRef<OsStr>) -> io::Result<()> {
        rustix::fs::unlinkat(&self.fd, name.as_ref(), AtFlags::REMOVEDIR)?;
        Ok(())
    }

    /// Deletes the folder `name` and everything in it. Symlinks inside are removed as links, never
    /// followed; `name` itself must be a real folder.
    pub fn remove_tree_in(&self, name: impl AsRef<OsStr>) -> io::Result<()> {
        let name = name.as_ref();
        self.open_dir_in(name)?.remove_contents()?;
        self.remove_dir_in(name)
    }

    /// Deletes everything in this folder, leaving it empty.
    pub fn remove_contents(&self) -> io::Result<()> {
        for (name, kind) in self.entries()? {
            match kind {
                Kind::Dir => self.remove_tree_in(&name)?,
                _ => self.remove_file_in(&name)?,
            }
        }
        Ok(())
    }

    /// The names in this folder (without `.` and `..`) and what each is.
    pub fn entries(&self) -> io::Result<Vec<(OsString, Kind)>> {
        let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
        let fd = rustix::fs::openat(&self.fd, ".", flags, Mode::empty())?;
        let mut out = Vec::new();
        for entry in rustix::fs::Dir::new(fd)? {
            let entry = entry?;
            let name = OsStr::from_bytes(entry.file_name().to_bytes());
            if name == "." || name == ".." {
                continue;
            }
            let kind = match entry.file_type() {
                FileType::Unknown => self.kind_in(name)?.unwrap_or(Kind::Other),
                t => Kind::of(t),
            };
            out.push((name.to_os_string(), kind));
        }
        Ok(out)
    }

    /// Whether the folder holds nothing.
    pub fn is_empty(&self) -> io::Result<bool> {
        Ok(self.entries()?.is_empty())
    }

    /// Opens (creating it if missing) the file `name` for reading and writing, as a lock file.
    pub fn open_lock_in(&self, name: impl AsRef<OsStr>) -> io::Result<File> {
        let flags = OFlags::RDWR | OFlags::CREATE | OFlags::NOFOLLOW | OFlags::CLOEXEC;
        let fd = rustix::fs::openat(&self.fd, name.as_ref(), flags, Mode::from_raw_mode(0o666))?;
        Ok(File::from(fd))
    }

    /// The folder holding `rel` (a relative path of plain names, `/`-separated) and its last
    /// name; with `create`, missing folders on the way are made.
    fn walk_to(&self, rel: &Path, create: bool) -> io::Result<(Option<DirHandle>, OsString)> {
        let mut names = Vec::new();
        for part in rel.components() {
            match part {
                Component::Normal(n) => names.push(n),
                _ => {
                    let why = format!("not a plain relative path: {}", rel.display());
                    return Err(io::Error::new(io::ErrorKind::InvalidInput, why));
                }
            }
        }
        let Some((leaf, folders)) = names.split_last() else {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, "empty path"));
        };
        let mut dir: Option<DirHandle> = None;
        for name in folders {
            let here = dir.as_ref().unwrap_or(self);
            let next = if create {
                here.open_or_create_dir_in(name)?
            } else {
                here.open_dir_in(name)?
            };
            dir = Some(next);
        }
        Ok((dir, leaf.to_os_string()))
    }

    /// Writes the file `rel` below this folder, making its folders. An existing file there is
    /// unlinked first, never truncated (it may be a hard link shared with another output).
    pub fn write_file(&self, rel: impl AsRef<Path>, bytes: &[u8]) -> io::Result<()> {
        let (dir, leaf) = self.walk_to(rel.as_ref(), true)?;
        let dir = dir.as_ref().unwrap_or(self);
        let flags =
            OFlags::WRONLY | OFlags::CREATE | OFlags::EXCL | OFlags::NOFOLLOW | OFlags::CLOEXEC;
        let mode = Mode::from_raw_mode(0o666);
        let fd = match rustix::fs::openat(&dir.fd, &leaf, flags, mode) {
            Err(Errno::EXIST) => {
                dir.remove_file_in(&leaf)?;
                rustix::fs::openat(&dir.fd, &leaf, flags, mode)?
            }
            other => other?,
        };
        File::from(fd).write_all(bytes)
    }

    /// Reads the regular file `rel` below this folder, following no symlink; `None` if it is
    /// missing, not a regular file, or not `len` bytes long.
    pub fn read_file_sized(&self, rel: impl AsRef<Path>, len: u64) -> Option<Vec<u8>> {
        let (dir, leaf) = self.walk_to(rel.as_ref(), false).ok()?;
        let dir = dir.as_ref().unwrap_or(self);
        let flags = OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
        let fd = rustix::fs::openat(&dir.fd, &leaf, flags, Mode::empty()).ok()?;
        let st = rustix::fs::fstat(&fd).ok()?;
        let regular = FileType::from_raw_mode(st.st_mode as _) == FileType::RegularFile;
        if !regular || st.st_size as u64 != len {
            return None;
        }
        let mut bytes = Vec::with_capacity(len as usize);
        File::from(fd).read_to_end(&mut bytes).ok()?;
        Some(bytes)
    }

    /// Hard-links the file `rel` below `from` to the same `rel` below this folder (its folders
    /// made); the link is made of the name itself, never of a symlink's target.
    pub fn link_from(&self, from: &DirHandle, rel: impl AsRef<Path>) -> io::Result<()> {
        let rel = rel.as_ref();
        let (src, leaf) = from.walk_to(rel, false)?;
        let (dst, _) = self.walk_to(rel, true)?;
        let src = src.as_ref().unwrap_or(from);
        let dst = dst.as_ref().unwrap_or(self);
        rustix::fs::linkat(&src.fd, &leaf, &dst.fd, &leaf, AtFlags::empty())?;
        Ok(())
    }

    /// Device and inode of the open folder.
    pub fn identity(&self) -> io::Result<(u64, u64)> {
        let st = rustix::fs::fstat(self.fd.as_fd())?;
        Ok((st.st_dev as u64, st.st_ino as u64))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;
    use std::os::unix::fs::symlink;

    fn root() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let real = fs::canonicalize(dir.path()).unwrap();
        (dir, real)
    }

    #[test]
    fn a_walk_refuses_every_symlink_on_the_way() {
        let (_dir, root) = root();
        fs::create_dir_all(root.join("a/b")).unwrap();
        symlink(root.join("a"), root.join("s")).unwrap();
        assert!(DirHandle::open_real(&root.join("a/b"), false).is_ok());
        for linked in ["s", "s/b", "s/new"] {
            let err = DirHandle::open_real(&root.join(linked), true).unwrap_err();
            assert!(err.is_not_a_folder(), "{linked}: {err:?}");
            assert_eq!(err.at, root.join("s"), "{linked}");
        }
        assert!(!root.join("a/new").exists());
        let made = DirHandle::open_real(&root.join("a/x/y"), true).unwrap();
        assert_eq!(made.path(), root.join("a/x/y"));
        assert!(root.join("a/x/y").is_dir());
        assert!(DirHandle::open_real(&root.join("a/../a"), false).is_err());
    }

    #[test]
    fn the_handle_keeps_naming_the_folder_it_opened() {
        let (_dir, root) = root();
        fs::create_dir_all(root.join("real")).unwrap();
        fs::create_dir_all(root.join("victim")).unwrap();
        fs::write(root.join("victim/keep"), "precious").unwrap();
        let dir = DirHandle::open_real(&root.join("real"), false).unwrap();
        let before = dir.identity().unwrap();
        // The path is swapped for a symlink to another folder after the open.
        fs::rename(root.join("real"), root.join("moved")).unwrap();
        symlink(root.join("victim"), root.join("real")).unwrap();
        dir.write_file("sub/new.txt", b"x").unwrap();
        dir.create_dir_in("made").unwrap();
        dir.rename_in("made", "renamed").unwrap();
        dir.open_lock_in(".lock").unwrap();
        dir.remove_tree_in("sub").unwrap();
        assert_eq!(dir.identity().unwrap(), before);
        assert!(root.join("moved/renamed").is_dir() && root.join("moved/.lock").is_file());
        let victim: Vec<_> = fs::read_dir(root.join("victim")).unwrap().collect();
        assert_eq!(victim.len(), 1);
        assert_eq!(
            fs::read_to_string(root.join("victim/keep")).unwrap(),
            "precious"
        );
    }

    #[test]
    fn a_tree_is_removed_without_following_its_symlinks() {
        let (_dir, root) = root();
        fs::create_dir_all(root.join("outside/deep")).unwrap();
        fs::write(root.join("outside/deep/keep"), "precious").unwrap();
        fs::create_dir_all(root.join("tree/a/b")).unwrap();
        fs::write(root.join("tree/a/b/f"), "x").unwrap();
        symlink(root.join("outside"), root.join("tree/a/link")).unwrap();
        symlink(root.join("outside/deep/keep"), root.join("tree/file-link")).unwrap();
        let dir = DirHandle::open_real(&root, false).unwrap();
        dir.remove_tree_in("tree").unwrap();
        assert!(!root.join("tree").exists());
        assert_eq!(
            fs::read_to_string(root.join("outside/deep/keep")).unwrap(),
            "precious"
        );
        // A symlink named as the tree is not a folder to empty.
        symlink(root.join("outside"), root.join("tree")).unwrap();
        assert!(dir.remove_tree_in("tree").is_err());
        assert!(root.join("outside/deep/keep").is_file());
    }

    #[test]
    fn files_are_written_and_read_below_without_symlinks() {
        let (_dir, root) = root();
        fs::create_dir_all(root.join("elsewhere")).unwrap();
        let dir = DirHandle::open_real(&root.join("site"), true).unwrap();
        dir.write_file("cases/a.html", b"old").unwrap();
        fs::hard_link(root.join("site/cases/a.html"), root.join("shared")).unwrap();
        // Writing again replaces the name; the other hard link keeps its bytes.
        dir.write_file("cases/a.html", b"new!").unwrap();
        assert_eq!(fs::read(root.join("shared")).unwrap(), b"old");
        assert_eq!(dir.read_file_sized("cases/a.html", 4).unwrap(), b"new!");
        assert_eq!(dir.read_file_sized("cases/a.html", 3), None);
        symlink(root.join("elsewhere"), root.join("site/linked")).unwrap();
        assert!(dir.write_file("linked/x.html", b"x").is_err());
        assert!(!root.join("elsewhere/x.html").exists());
        symlink(root.join("shared"), root.join("site/s.html")).unwrap();
        assert_eq!(dir.read_file_sized("s.html", 3), None);
        assert!(dir.write_file("../escape", b"x").is_err());
        let copy = DirHandle::open_real(&root.join("copy"), true).unwrap();
        copy.link_from(&dir, "cases/a.html").unwrap();
        assert_eq!(fs::read(root.join("copy/cases/a.html")).unwrap(), b"new!");
        let kinds: Vec<_> = dir.entries().unwrap();
        assert!(kinds.contains(&("linked".into(), Kind::Symlink)));
        assert!(kinds.contains(&("cases".into(), Kind::Dir)));
    }
}
