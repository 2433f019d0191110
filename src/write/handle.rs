//! A folder held open: every rename, delete and file the write stage makes is done relative to an
//! open folder handle (the `…at` system calls), never by a path string resolved again later. Once
//! the output's parent is open, a symlink swapped into the path above it cannot redirect anything:
//! the handle keeps naming the folder that was checked. Below a handle nothing is followed either:
//! every folder and file is opened with `O_NOFOLLOW`.

use rustix::fd::{AsFd, OwnedFd};
use rustix::fs::{AtFlags, FileType, Mode, OFlags};
use rustix::io::Errno;
use std::collections::HashMap;
use std::ffi::{OsStr, OsString};
use std::fs::File;
use std::io::{self, Read, Write};
use std::os::unix::ffi::OsStrExt;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};

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
        if !path.is_absolute() {
            let e = io::Error::new(io::ErrorKind::InvalidInput, "not an absolute path");
            return Err(fail(path, e));
        }
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

    /// The metadata of `name` in this folder, not following a symlink.
    pub fn stat_in(&self, name: impl AsRef<OsStr>) -> io::Result<rustix::fs::Stat> {
        Ok(rustix::fs::statat(
            &self.fd,
            name.as_ref(),
            AtFlags::SYMLINK_NOFOLLOW,
        )?)
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

    /// Opens the folder `name`, making it first if it is missing (opened first: most exist).
    pub fn open_or_create_dir_in(&self, name: impl AsRef<OsStr>) -> io::Result<DirHandle> {
        let name = name.as_ref();
        match self.open_dir_in(name) {
            Err(e) if e.raw_os_error() == Some(Errno::NOENT.raw_os_error()) => {
                match rustix::fs::mkdirat(&self.fd, name, Mode::from_raw_mode(0o777)) {
                    Ok(()) | Err(Errno::EXIST) => self.open_dir_in(name),
                    Err(e) => Err(e.into()),
                }
            }
            other => other,
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
        let (folders, leaf) = split(rel)?;
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
        dir.as_ref().unwrap_or(self).write_leaf(&leaf, bytes)
    }

    /// Writes the file `name` in this folder (see `write_file`).
    fn write_leaf(&self, name: &OsStr, bytes: &[u8]) -> io::Result<()> {
        let flags =
            OFlags::WRONLY | OFlags::CREATE | OFlags::EXCL | OFlags::NOFOLLOW | OFlags::CLOEXEC;
        let mode = Mode::from_raw_mode(0o666);
        let fd = match rustix::fs::openat(&self.fd, name, flags, mode) {
            Err(Errno::EXIST) => {
                self.remove_file_in(name)?;
                rustix::fs::openat(&self.fd, name, flags, mode)?
            }
            other => other?,
        };
        File::from(fd).write_all(bytes)
    }

    /// Reads the regular file `rel` below this folder, following no symlink; `None` if it is
    /// missing, not a regular file, or not `len` bytes long.
    pub fn read_file_sized(&self, rel: impl AsRef<Path>, len: u64) -> Option<Vec<u8>> {
        let (dir, leaf) = self.walk_to(rel.as_ref(), false).ok()?;
        dir.as_ref().unwrap_or(self).read_leaf_sized(&leaf, len)
    }

    fn read_leaf_sized(&self, name: &OsStr, len: u64) -> Option<Vec<u8>> {
        let mut bytes = Vec::with_capacity(len as usize);
        self.open_leaf_sized(name, len)?
            .read_to_end(&mut bytes)
            .ok()?;
        Some(bytes)
    }

    /// Opens the regular file `rel` below this folder for reading, following no symlink; `None`
    /// if it is missing, not a regular file, or not `len` bytes long.
    pub fn open_file_sized(&self, rel: impl AsRef<Path>, len: u64) -> Option<File> {
        let (dir, leaf) = self.walk_to(rel.as_ref(), false).ok()?;
        dir.as_ref().unwrap_or(self).open_leaf_sized(&leaf, len)
    }

    fn open_leaf_sized(&self, name: &OsStr, len: u64) -> Option<File> {
        let flags = OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
        let fd = rustix::fs::openat(&self.fd, name, flags, Mode::empty()).ok()?;
        let st = rustix::fs::fstat(&fd).ok()?;
        let regular = FileType::from_raw_mode(st.st_mode as _) == FileType::RegularFile;
        (regular && st.st_size as u64 == len).then(|| File::from(fd))
    }

    /// Hard-links the file `rel` below `from` to the same `rel` below this folder (its folders
    /// made); the link is made of the name itself, never of a symlink's target.
    pub fn link_from(&self, from: &DirHandle, rel: impl AsRef<Path>) -> io::Result<()> {
        let rel = rel.as_ref();
        let (src, leaf) = from.walk_to(rel, false)?;
        let (dst, _) = self.walk_to(rel, true)?;
        let src = src.as_ref().unwrap_or(from);
        dst.as_ref().unwrap_or(self).link_leaf(src, &leaf)
    }

    fn link_leaf(&self, from: &DirHandle, name: &OsStr) -> io::Result<()> {
        rustix::fs::linkat(&from.fd, name, &self.fd, name, AtFlags::empty())?;
        Ok(())
    }

    /// Creates (or empties) the file `name` for writing, never through a symlink.
    pub fn create_file_in(&self, name: impl AsRef<OsStr>) -> io::Result<File> {
        let flags =
            OFlags::WRONLY | OFlags::CREATE | OFlags::TRUNC | OFlags::NOFOLLOW | OFlags::CLOEXEC;
        let fd = rustix::fs::openat(&self.fd, name.as_ref(), flags, Mode::from_raw_mode(0o666))?;
        Ok(File::from(fd))
    }

    /// The bytes of the file `name`, never read through a symlink.
    pub fn read_in(&self, name: impl AsRef<OsStr>) -> io::Result<Vec<u8>> {
        let flags = OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
        let fd = rustix::fs::openat(&self.fd, name.as_ref(), flags, Mode::empty())?;
        let mut bytes = Vec::new();
        File::from(fd).read_to_end(&mut bytes)?;
        Ok(bytes)
    }

    /// Device and inode of the open folder.
    pub fn identity(&self) -> io::Result<(u64, u64)> {
        let st = rustix::fs::fstat(self.fd.as_fd())?;
        Ok((st.st_dev as u64, st.st_ino as u64))
    }
}

/// A relative path of plain names split into its folders and its last name; anything else
/// (`..`, `.`, an absolute path, nothing) is refused.
fn split(rel: &Path) -> io::Result<(Vec<&OsStr>, &OsStr)> {
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
    let leaf = names
        .pop()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "empty path"))?;
    Ok((names, leaf))
}

/// A folder tree written or read file by file from several threads: the handles of its
/// subfolders are kept open (up to `Tree::KEEP`), so each file costs one open, not one per
/// folder on its way.
pub struct Tree {
    root: DirHandle,
    dirs: Mutex<HashMap<PathBuf, Arc<DirHandle>>>,
}

impl Tree {
    /// At most this many subfolder handles stay open; beyond, folders are opened per file.
    const KEEP: usize = 256;

    pub fn new(root: DirHandle) -> Tree {
        Tree {
            root,
            dirs: Mutex::new(HashMap::new()),
        }
    }

    pub fn root(&self) -> &DirHandle {
        &self.root
    }

    /// Runs `f` on the folder `dir` (relative, plain names) of the tree, or the root when `dir`
    /// is empty.
    fn in_folder<T>(
        &self,
        dir: &[&OsStr],
        create: bool,
        f: impl FnOnce(&DirHandle) -> io::Result<T>,
    ) -> io::Result<T> {
        match self.folder(dir, create)? {
            Some(kept) => f(&kept),
            None => f(&self.root),
        }
    }

    /// The subfolder `dir`, opened (with `create`, made) and kept; `None` for the root.
    fn folder(&self, dir: &[&OsStr], create: bool) -> io::Result<Option<Arc<DirHandle>>> {
        let Some((last, above)) = dir.split_last() else {
            return Ok(None);
        };
        let key: PathBuf = dir.iter().collect();
        let kept = self.dirs.lock().ok().and_then(|d| d.get(&key).cloned());
        if kept.is_some() {
            return Ok(kept);
        }
        let parent = self.folder(above, create)?;
        let parent = parent.as_deref().unwrap_or(&self.root);
        let opened = Arc::new(if create {
            parent.open_or_create_dir_in(last)?
        } else {
            parent.open_dir_in(last)?
        });
        if let Ok(mut dirs) = self.dirs.lock()
            && dirs.len() < Self::KEEP
        {
            dirs.insert(key, opened.clone());
        }
        Ok(Some(opened))
    }

    /// `DirHandle::write_file` through the kept folders.
    pub fn write_file(&self, rel: impl AsRef<Path>, bytes: &[u8]) -> io::Result<()> {
        let (dir, leaf) = split(rel.as_ref())?;
        self.in_folder(&dir, true, |d| d.write_leaf(leaf, bytes))
    }

    /// `DirHandle::read_file_sized` through the kept folders.
    pub fn read_file_sized(&self, rel: impl AsRef<Path>, len: u64) -> Option<Vec<u8>> {
        let (dir, leaf) = split(rel.as_ref()).ok()?;
        self.in_folder(&dir, false, |d| Ok(d.read_leaf_sized(leaf, len)))
            .ok()
            .flatten()
    }

    /// Moves the file `rel` of `from` to the same `rel` in this tree (its folders made).
    pub fn rename_from(&self, from: &Tree, rel: impl AsRef<Path>) -> io::Result<()> {
        let (dir, leaf) = split(rel.as_ref())?;
        from.in_folder(&dir, false, |src| {
            self.in_folder(&dir, true, |dst| {
                rustix::fs::renameat(&src.fd, leaf, &dst.fd, leaf)?;
                Ok(())
            })
        })
    }

    /// Deletes the file (or symlink) `rel`; `false` if there was none.
    pub fn remove_file(&self, rel: impl AsRef<Path>) -> io::Result<bool> {
        let (dir, leaf) = split(rel.as_ref())?;
        let gone = |e: &io::Error| e.kind() == io::ErrorKind::NotFound;
        match self.in_folder(&dir, false, |d| d.remove_file_in(leaf)) {
            Ok(()) => Ok(true),
            Err(e) if gone(&e) || e.raw_os_error() == Some(Errno::NOTDIR.raw_os_error()) => {
                Ok(false)
            }
            Err(e) => Err(e),
        }
    }

    /// Removes the folders of `rel` that are empty, deepest first, up to the tree's root.
    pub fn remove_empty_folders_of(&self, rel: impl AsRef<Path>) {
        let Ok((mut dir, _)) = split(rel.as_ref()) else {
            return;
        };
        while let Some(last) = dir.pop() {
            let key: PathBuf = dir.iter().chain([&last]).collect();
            let removed = self.in_folder(&dir, false, |parent| parent.remove_dir_in(last));
            if removed.is_err() {
                return;
            }
            if let Ok(mut dirs) = self.dirs.lock() {
                dirs.retain(|k, _| !k.starts_with(&key));
            }
        }
    }

    /// `DirHandle::link_from` between two trees' kept folders.
    pub fn link_from(&self, from: &Tree, rel: impl AsRef<Path>) -> io::Result<()> {
        let (dir, leaf) = split(rel.as_ref())?;
        from.in_folder(&dir, false, |src| {
            self.in_folder(&dir, true, |dst| dst.link_leaf(src, leaf))
        })
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
        assert!(DirHandle::open_real(Path::new("relative/path"), true).is_err());
        assert!(!Path::new("relative").exists());
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

    #[test]
    fn a_tree_keeps_its_folders_and_follows_no_symlink() {
        let (_dir, root) = root();
        fs::create_dir_all(root.join("elsewhere")).unwrap();
        let old = Tree::new(DirHandle::open_real(&root.join("old"), true).unwrap());
        let new = Tree::new(DirHandle::open_real(&root.join("new"), true).unwrap());
        old.write_file("a/b/c.html", b"same").unwrap();
        old.write_file("top.html", b"top").unwrap();
        assert_eq!(old.read_file_sized("a/b/c.html", 4).unwrap(), b"same");
        assert_eq!(old.read_file_sized("a/b/missing", 4), None);
        new.link_from(&old, "a/b/c.html").unwrap();
        new.link_from(&old, "top.html").unwrap();
        assert_eq!(fs::read(root.join("new/a/b/c.html")).unwrap(), b"same");
        assert_eq!(fs::read(root.join("new/top.html")).unwrap(), b"top");
        symlink(root.join("elsewhere"), root.join("new/linked")).unwrap();
        assert!(new.write_file("linked/x.html", b"x").is_err());
        assert!(new.write_file("a/../x.html", b"x").is_err());
        assert!(
            fs::read_dir(root.join("elsewhere"))
                .unwrap()
                .next()
                .is_none()
        );
        // Past the limit of kept folders, files still land where they belong.
        for i in 0..Tree::KEEP + 10 {
            new.write_file(format!("many/{i}/f"), b"x").unwrap();
        }
        assert!(
            root.join(format!("new/many/{}/f", Tree::KEEP + 9))
                .is_file()
        );
    }

    /// What an in-place update needs: files moved in from a staging tree, deleted, and the
    /// folders a deletion emptied removed (their kept handles dropped, so they can come back).
    #[test]
    fn a_tree_moves_deletes_and_prunes_in_place() {
        let (_dir, root) = root();
        let out = Tree::new(DirHandle::open_real(&root.join("out"), true).unwrap());
        let staged = Tree::new(DirHandle::open_real(&root.join("staged"), true).unwrap());
        out.write_file("cases/a/x.html", b"old").unwrap();
        out.write_file("keep.html", b"keep").unwrap();
        staged.write_file("cases/b/y.html", b"new").unwrap();
        out.rename_from(&staged, "cases/b/y.html").unwrap();
        assert_eq!(fs::read(root.join("out/cases/b/y.html")).unwrap(), b"new");
        assert!(!root.join("staged/cases/b/y.html").exists());
        assert!(out.remove_file("cases/a/x.html").unwrap());
        assert!(!out.remove_file("cases/a/x.html").unwrap());
        assert!(!out.remove_file("nowhere/x.html").unwrap());
        out.remove_empty_folders_of("cases/a/x.html");
        assert!(!root.join("out/cases/a").exists() && root.join("out/cases/b").is_dir());
        out.write_file("cases/a/again.html", b"back").unwrap();
        assert!(root.join("out/cases/a/again.html").is_file());
        let root_dir = out.root();
        let mut journal = root_dir.create_file_in(".journal").unwrap();
        journal.write_all(b"put\tx\n").unwrap();
        assert_eq!(root_dir.read_in(".journal").unwrap(), b"put\tx\n");
        symlink(root.join("out/keep.html"), root.join("out/link")).unwrap();
        assert!(root_dir.read_in("link").is_err() && root_dir.create_file_in("link").is_err());
        assert_eq!(fs::read(root.join("out/keep.html")).unwrap(), b"keep");
    }
}
