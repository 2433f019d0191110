//! The stamp of an output folder: one number that changes when anything in it does (a file edited,
//! added, removed or replaced, a folder made or removed). It sums one hash per entry — its path, kind,
//! size, modification time and inode — so it does not depend on the order entries are listed in,
//! and the entries a build touched can be taken out of it and put back as they are afterwards
//! ([`part`]) instead of reading the whole folder again.

use super::handle::DirHandle;
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::os::unix::fs::MetadataExt;
use std::path::Path;

/// One entry's metadata, as the stamp takes it.
#[derive(Hash)]
struct Entry {
    dir: bool,
    link: bool,
    size: u64,
    mtime: i64,
    nsec: i64,
    ino: u64,
    dev: u64,
}

impl Entry {
    fn of_meta(m: &std::fs::Metadata) -> Entry {
        Entry {
            dir: m.is_dir(),
            link: m.is_symlink(),
            size: m.len(),
            mtime: m.mtime(),
            nsec: m.mtime_nsec(),
            ino: m.ino(),
            dev: m.dev(),
        }
    }

    // The fields' types differ between platforms.
    #[allow(clippy::unnecessary_cast)]
    fn of_stat(st: &rustix::fs::Stat) -> Entry {
        use rustix::fs::FileType;
        let kind = FileType::from_raw_mode(st.st_mode as _);
        Entry {
            dir: kind == FileType::Directory,
            link: kind == FileType::Symlink,
            size: st.st_size as u64,
            mtime: st.st_mtime as i64,
            nsec: st.st_mtime_nsec as i64,
            ino: st.st_ino as u64,
            dev: st.st_dev as u64,
        }
    }

    /// This entry's share of the stamp, at `rel` (`/`-separated; the output itself is "").
    fn share(&self, rel: &[u8]) -> u64 {
        let mut h = DefaultHasher::new();
        rel.hash(&mut h);
        Hash::hash(self, &mut h);
        h.finish()
    }
}

/// The stamp of the whole output: every entry below it and the folder itself. The folders are read
/// through open handles, each entry's metadata relative to its folder, in parallel.
pub fn stamp(output: &Path) -> Option<u64> {
    let root = std::fs::symlink_metadata(output).ok()?;
    let dir = DirHandle::open_real(output, false).ok()?;
    Some(
        Entry::of_meta(&root)
            .share(b"")
            .wrapping_add(below(&dir, b"")?),
    )
}

fn below(dir: &DirHandle, prefix: &[u8]) -> Option<u64> {
    let entries = dir.entries().ok()?;
    let sums: Vec<u64> = entries
        .par_iter()
        .map(|(name, _)| {
            let st = dir.stat_in(name).ok()?;
            let mut rel = prefix.to_vec();
            if !rel.is_empty() {
                rel.push(b'/');
            }
            rel.extend_from_slice(name.as_encoded_bytes());
            let entry = Entry::of_stat(&st);
            let mut sum = entry.share(&rel);
            if entry.dir {
                sum = sum.wrapping_add(below(&dir.open_dir_in(name).ok()?, &rel)?);
            }
            Some(sum)
        })
        .collect::<Option<_>>()?;
    Some(sums.into_iter().fold(0, u64::wrapping_add))
}

/// The share of the stamp of the entries at `rels` (those that exist): taken before and after a
/// change to exactly those entries, it turns the stamp before into the stamp after.
pub fn part(output: &Path, rels: &BTreeSet<String>) -> u64 {
    rels.iter()
        .filter_map(|rel| {
            let meta = std::fs::symlink_metadata(output.join(rel)).ok()?;
            Some(Entry::of_meta(&meta).share(rel.as_bytes()))
        })
        .fold(0, u64::wrapping_add)
}

/// The entries a change to the files at `paths` touches: the files, and every folder above them up to
/// the output itself (a folder's size and time change when a name in it comes or goes; folders are
/// made and removed with their files).
pub fn touched<'a>(paths: impl IntoIterator<Item = &'a String>) -> BTreeSet<String> {
    let mut out = BTreeSet::from([String::new()]);
    for path in paths {
        let mut at = path.as_str();
        out.insert(at.to_string());
        while let Some((parent, _)) = at.rsplit_once('/') {
            out.insert(parent.to_string());
            at = parent;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    /// Taking the touched entries' share out before a change and putting it back after gives the
    /// stamp of the whole folder read again — for files rewritten, added in new folders, deleted
    /// with their emptied folders — and any other change to the folder changes the stamp.
    #[test]
    fn a_stamp_updated_by_the_touched_entries_is_the_stamp_read_again() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        fs::create_dir_all(out.join("a/b")).unwrap();
        fs::create_dir_all(out.join("c")).unwrap();
        fs::write(out.join("a/b/one.html"), "1").unwrap();
        fs::write(out.join("c/gone.html"), "x").unwrap();
        fs::write(out.join("top.html"), "t").unwrap();
        let out = super::super::real_path(&out).unwrap();
        let before_all = stamp(&out).unwrap();
        let changed: Vec<String> = ["a/b/one.html", "c/gone.html", "new/deep/page.html"]
            .map(String::from)
            .to_vec();
        let rels = touched(&changed);
        assert!(rels.contains("") && rels.contains("new/deep") && rels.contains("new"));
        let before = part(&out, &rels);
        std::thread::sleep(std::time::Duration::from_millis(20));
        fs::write(out.join("a/b/one.html.tmp"), "11").unwrap();
        fs::rename(out.join("a/b/one.html.tmp"), out.join("a/b/one.html")).unwrap();
        fs::remove_file(out.join("c/gone.html")).unwrap();
        fs::remove_dir(out.join("c")).unwrap();
        fs::create_dir_all(out.join("new/deep")).unwrap();
        fs::write(out.join("new/deep/page.html"), "p").unwrap();
        let after = part(&out, &rels);
        let updated = before_all.wrapping_sub(before).wrapping_add(after);
        assert_eq!(Some(updated), stamp(&out));
        assert_ne!(updated, before_all);
        // An entry nobody touched, edited in place, shows.
        fs::write(out.join("top.html"), "edited").unwrap();
        assert_ne!(Some(updated), stamp(&out));
    }
}
