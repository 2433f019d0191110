//! `rectify diff REV`: what changed in the content since git revision REV, as Markdown for a pull
//! request comment or as JSON. The old tree is read with `git ls-tree` and `git cat-file` into a
//! temporary folder; the working tree is never touched.

use super::Failure;
use crate::cli::{DiffArgs, DiffFormat};
use crate::compare::{Side, compare, markdown::markdown};
use crate::diag::Said;
use crate::lang::Lang;
use crate::load::load;
use crate::validate::validate_lenient;
use anyhow::{Context, anyhow};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

pub fn run(args: &DiffArgs) -> Result<(), Failure> {
    let content = content_folder(&args.content)?;
    let top = toplevel(&content)?;
    let prefix = content
        .strip_prefix(&top)
        .map_err(|_| anyhow!("{} is outside the git repository", content.display()))?;
    let prefix = prefix.to_string_lossy().replace('\\', "/");
    verify_rev(&top, &args.rev, super::content_lang(&args.content))?;
    let old_dir = tempfile::tempdir().context("cannot create a temporary folder")?;
    let old_root = old_dir.path().join("content");
    extract(&top, &args.rev, &prefix, &old_root)?;

    let old_sources = load(&old_root).ok();
    let (old_site, old_diags) = old_sources
        .as_ref()
        .map(validate_lenient)
        .unwrap_or((None, Vec::new()));
    let new_sources = load(&content)?;
    let (new_site, new_diags) = validate_lenient(&new_sources);
    let errors = |d: &[crate::diag::Diagnostic]| d.iter().filter(|d| d.is_error()).count();
    let old = Side {
        site: old_site.as_ref(),
        // A revision without the content folder compares as empty, not as broken.
        errors: if old_sources.is_none() {
            0
        } else {
            errors(&old_diags)
        },
    };
    let new = Side {
        site: new_site.as_ref(),
        errors: errors(&new_diags),
    };
    let lang = new_site
        .as_ref()
        .or(old_site.as_ref())
        .map_or(Lang::Zh, |s| s.config.lang);
    let changes = compare(&args.rev, &old, &new, lang);
    match args.format {
        DiffFormat::Markdown => print!("{}", markdown(&changes, lang)),
        DiffFormat::Json => println!(
            "{}",
            serde_json::to_string_pretty(&changes).unwrap_or_default()
        ),
    }
    Ok(())
}

/// The content folder: relative to the current folder, or else to the repository's top folder, so
/// that `--content content` works from any subdirectory.
fn content_folder(arg: &Path) -> Result<PathBuf, Failure> {
    if let Ok(path) = arg.canonicalize() {
        return Ok(path);
    }
    let from_top = (arg.is_relative())
        .then(|| toplevel(Path::new(".")).ok())
        .flatten()
        .and_then(|top| top.join(arg).canonicalize().ok());
    from_top.ok_or_else(|| {
        Failure::Env(
            Said::new(
                format!("无法读取内容文件夹 {}", arg.display()),
                format!("cannot read the content folder {}", arg.display()),
            )
            .into(),
        )
    })
}

fn git(dir: &Path) -> Command {
    let mut cmd = Command::new("git");
    cmd.current_dir(dir);
    cmd
}

fn output(mut cmd: Command, what: &str) -> anyhow::Result<std::process::Output> {
    cmd.stderr(Stdio::piped())
        .output()
        .with_context(|| format!("cannot run git ({what}); is git installed?"))
}

/// The repository's top folder, canonical so that the content path can be made relative to it.
pub(super) fn toplevel(content: &Path) -> Result<PathBuf, Failure> {
    let mut cmd = git(content);
    cmd.args(["rev-parse", "--show-toplevel"]);
    let out = output(cmd, "rev-parse")?;
    if !out.status.success() {
        let git_said = String::from_utf8_lossy(&out.stderr).trim().to_string();
        return Err(Failure::Env(
            Said::new(
                format!("{} 不在 git 仓库中：{git_said}", content.display()),
                format!(
                    "{} is not inside a git repository: {git_said}",
                    content.display()
                ),
            )
            .into(),
        ));
    }
    let top = String::from_utf8_lossy(&out.stdout).trim().to_string();
    Ok(PathBuf::from(&top)
        .canonicalize()
        .with_context(|| format!("cannot read {top}"))?)
}

/// An unknown revision is a usage error (exit 2).
fn verify_rev(top: &Path, rev: &str, lang: Lang) -> Result<(), Failure> {
    let mut cmd = git(top);
    cmd.args(["rev-parse", "--verify", "--quiet", "--end-of-options"])
        .arg(format!("{rev}^{{commit}}"));
    let out = output(cmd, "rev-parse")?;
    if out.status.success() {
        Ok(())
    } else {
        Err(Failure::Usage(match lang {
            Lang::Zh => format!("未知的 git 版本 `{rev}`"),
            Lang::En => format!("unknown git revision `{rev}`"),
        }))
    }
}

/// Writes every file under `prefix` at `rev` into `dest`, keeping paths below `prefix`.
fn extract(top: &Path, rev: &str, prefix: &str, dest: &Path) -> anyhow::Result<()> {
    let mut cmd = git(top);
    cmd.args(["ls-tree", "-r", "-z", "--full-tree", rev, "--"]);
    if !prefix.is_empty() {
        cmd.arg(prefix);
    }
    let out = output(cmd, "ls-tree")?;
    anyhow::ensure!(
        out.status.success(),
        "git ls-tree failed: {}",
        String::from_utf8_lossy(&out.stderr).trim()
    );
    // Each entry is "<mode> <type> <object>\t<path>"; only blobs are files.
    let listing = String::from_utf8_lossy(&out.stdout);
    let blobs: Vec<(&str, &str)> = listing
        .split('\0')
        .filter_map(|e| e.split_once('\t'))
        .filter_map(|(meta, path)| {
            let mut parts = meta.split(' ');
            let (_, kind, object) = (parts.next()?, parts.next()?, parts.next()?);
            (kind == "blob").then_some((object, path))
        })
        .collect();
    if blobs.is_empty() {
        return Ok(());
    }
    let contents = cat_files(top, &blobs)?;
    for ((_, path), bytes) in blobs.iter().zip(contents) {
        let rel = path
            .strip_prefix(prefix)
            .unwrap_or(path)
            .trim_start_matches('/');
        let to = dest.join(rel);
        if let Some(parent) = to.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        std::fs::write(&to, bytes).with_context(|| format!("cannot write {}", to.display()))?;
    }
    Ok(())
}

/// Every blob's bytes through one `git cat-file --batch`.
fn cat_files(top: &Path, blobs: &[(&str, &str)]) -> anyhow::Result<Vec<Vec<u8>>> {
    let mut child = git(top)
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .context("cannot run git cat-file")?;
    let mut stdin = child.stdin.take().context("git cat-file stdin")?;
    let request: String = blobs
        .iter()
        .map(|(object, _)| format!("{object}\n"))
        .collect();
    // Written from a thread so that a full output pipe cannot block the input.
    let writer = std::thread::spawn(move || stdin.write_all(request.as_bytes()));
    let mut reader = BufReader::new(child.stdout.take().context("git cat-file stdout")?);
    let mut out = Vec::with_capacity(blobs.len());
    for (object, path) in blobs {
        let mut header = String::new();
        reader.read_line(&mut header)?;
        let size: usize = header
            .split(' ')
            .nth(2)
            .and_then(|s| s.trim().parse().ok())
            .with_context(|| format!("git cat-file: unexpected answer for {path} ({object})"))?;
        let mut bytes = vec![0; size + 1];
        reader.read_exact(&mut bytes)?;
        bytes.pop();
        out.push(bytes);
    }
    writer
        .join()
        .map_err(|_| anyhow!("git cat-file writer panicked"))??;
    child.wait()?;
    Ok(out)
}
