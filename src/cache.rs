//! The cache folder every part of rectify that caches work shares: `RECTIFY_CACHE_DIR` if set, else
//! `$XDG_CACHE_HOME/rectify`, else `$HOME/.cache/rectify`. It is created with mode 0700 (it may hold
//! private data). Any failure here means "work uncached", never a failed build: callers get `None`.

use std::fs;
use std::path::{Path, PathBuf};

/// The cache root, created if missing; `None` when there is none to be had.
pub fn root() -> Option<PathBuf> {
    let dir = configured()?;
    create_private(&dir).ok()?;
    Some(dir)
}

/// A sub-folder of the cache root for one kind of work (e.g. `photos`), created if missing; `None`
/// when the cache is unavailable or would lie inside `output` (a build replaces its output folder).
pub fn folder(name: &str, output: &Path) -> Option<PathBuf> {
    let dir = root()?.join(name);
    if inside(&dir, output) {
        return None;
    }
    create_private(&dir).ok()?;
    Some(dir)
}

/// Where the cache root is, by the convention above, without touching the disk.
fn configured() -> Option<PathBuf> {
    let var = |name: &str| {
        std::env::var_os(name)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    if let Some(dir) = var("RECTIFY_CACHE_DIR") {
        return Some(dir);
    }
    if let Some(xdg) = var("XDG_CACHE_HOME").filter(|p| p.is_absolute()) {
        return Some(xdg.join("rectify"));
    }
    var("HOME").map(|home| home.join(".cache").join("rectify"))
}

fn create_private(dir: &Path) -> std::io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

/// Whether `dir` is `output` or lies under it, comparing real paths where they exist.
fn inside(dir: &Path, output: &Path) -> bool {
    let real = |p: &Path| {
        let abs = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
        fs::canonicalize(&abs).unwrap_or(abs)
    };
    real(dir).starts_with(real(output))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cache_inside_the_output_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("output");
        assert!(inside(&out.join("cache"), &out));
        assert!(inside(&out, &out));
        assert!(!inside(&tmp.path().join("cache"), &out));
        assert!(!inside(&tmp.path().join("output-cache"), &out));
    }

    #[cfg(unix)]
    #[test]
    fn folders_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("a/b");
        create_private(&dir).unwrap();
        let mode = fs::metadata(&dir).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o700);
    }
}
