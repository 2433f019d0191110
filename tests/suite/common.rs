//! Helpers shared by the suite: a CLI test builder, file-tree helpers and golden-file comparison.

use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A `rectify` invocation under construction:
/// `Cli::new().content(dir).args(["check"]).fails(1).stderr_has("…")`.
#[derive(Default)]
pub struct Cli {
    args: Vec<OsString>,
    content: Option<PathBuf>,
    output: Option<PathBuf>,
    cwd: Option<PathBuf>,
    env: Vec<(OsString, OsString)>,
}

/// What a finished invocation printed and returned.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    what: String,
}

impl Cli {
    pub fn new() -> Self {
        Cli::default()
    }

    /// `--content DIR`, placed after the subcommand and its other arguments.
    pub fn content(mut self, dir: impl AsRef<Path>) -> Self {
        self.content = Some(dir.as_ref().to_path_buf());
        self
    }

    /// `--output DIR`, placed like `--content`.
    pub fn output(mut self, dir: impl AsRef<Path>) -> Self {
        self.output = Some(dir.as_ref().to_path_buf());
        self
    }

    /// Sets an environment variable for the run.
    pub fn env(mut self, key: &str, value: impl Into<OsString>) -> Self {
        self.env.push((key.into(), value.into()));
        self
    }

    pub fn cwd(mut self, dir: impl AsRef<Path>) -> Self {
        self.cwd = Some(dir.as_ref().to_path_buf());
        self
    }

    pub fn args<I, S>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<OsString>,
    {
        self.args.extend(args.into_iter().map(Into::into));
        self
    }

    pub fn run(self) -> Run {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_rectify"));
        // Builds cache into the target folder, never the user's own cache.
        cmd.env(
            "RECTIFY_CACHE_DIR",
            concat!(env!("CARGO_TARGET_TMPDIR"), "/cache"),
        );
        cmd.args(&self.args);
        if let Some(c) = &self.content {
            cmd.arg("--content").arg(c);
        }
        if let Some(o) = &self.output {
            cmd.arg("--output").arg(o);
        }
        if let Some(d) = &self.cwd {
            cmd.current_dir(d);
        }
        cmd.envs(self.env.iter().map(|(k, v)| (k, v)));
        let out = cmd.output().expect("run rectify");
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            what: format!("{cmd:?}"),
        }
    }

    /// Runs and asserts exit code 0.
    pub fn succeeds(self) -> Run {
        self.run().code_is(0)
    }

    /// Runs and asserts the given non-zero exit code.
    pub fn fails(self, code: i32) -> Run {
        self.run().code_is(code)
    }
}

impl Run {
    fn code_is(self, code: i32) -> Self {
        assert_eq!(
            self.code, code,
            "{}\nexit code {} (expected {code})\n--- stdout\n{}\n--- stderr\n{}",
            self.what, self.code, self.stdout, self.stderr
        );
        self
    }

    pub fn stderr_has(self, needle: &str) -> Self {
        assert!(
            self.stderr.contains(needle),
            "{}\nstderr lacks {needle:?}:\n{}",
            self.what,
            self.stderr
        );
        self
    }

    pub fn stdout_has(self, needle: &str) -> Self {
        assert!(
            self.stdout.contains(needle),
            "{}\nstdout lacks {needle:?}:\n{}",
            self.what,
            self.stdout
        );
        self
    }
}

/// Whether expected files should be rewritten instead of compared (`RECTIFY_BLESS=1 cargo test`).
pub fn blessing() -> bool {
    std::env::var_os("RECTIFY_BLESS").is_some_and(|v| v != "0")
}

/// Compares `actual` with the expected file, or rewrites it when blessing.
pub fn golden(expected: &Path, actual: &str) {
    if blessing() {
        fs::create_dir_all(expected.parent().unwrap()).unwrap();
        fs::write(expected, actual).unwrap();
        return;
    }
    let want = fs::read_to_string(expected).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; run `RECTIFY_BLESS=1 cargo test` to create it",
            expected.display()
        )
    });
    if want != actual {
        let line = want
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(want.lines().count().min(actual.lines().count()));
        panic!(
            "{} differs from the output, first at line {}:\n  expected: {:?}\n  actual:   {:?}\n\
             (RECTIFY_BLESS=1 cargo test rewrites it)\n--- actual\n{actual}",
            expected.display(),
            line + 1,
            want.lines().nth(line),
            actual.lines().nth(line)
        );
    }
}

/// Every file under `root`, relative, `/`-separated, sorted.
pub fn tree(root: &Path) -> Vec<String> {
    let mut out = Vec::new();
    walk(root, root, &mut out);
    out.sort();
    out
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            walk(root, &path, out);
        } else {
            let rel = path.strip_prefix(root).unwrap();
            out.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
}

/// Every file under `root` with its bytes, for byte-identical comparisons.
pub fn snapshot(root: &Path) -> Vec<(String, Vec<u8>)> {
    tree(root)
        .into_iter()
        .map(|rel| {
            let bytes = fs::read(root.join(&rel)).unwrap();
            (rel, bytes)
        })
        .collect()
}

/// Copies a folder tree.
pub fn copy_tree(from: &Path, to: &Path) {
    for rel in tree(from) {
        let dest = to.join(&rel);
        fs::create_dir_all(dest.parent().unwrap()).unwrap();
        fs::copy(from.join(&rel), dest).unwrap();
    }
}

/// A small site in a temp folder's `content/`: the given site.yaml and organisation.yaml, a plan,
/// one task led by `kgx`, and cases in street `a` (`(id, yaml after the common fields)`).
pub fn mini_site(site: &str, org: &str, cases: &[(&str, String)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let c = dir.path().join("content");
    let w = |rel: &str, text: &str| {
        let p = c.join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    };
    w("site.yaml", site);
    w("organisation.yaml", org);
    w("plan.md", "---\ntitle: 方案\n---\n\n方案。\n");
    w(
        "tasks.yaml",
        "- id: 1\n  title: 任务\n  text: 任务。\n  owners:\n    lead: [kgx]\n    implement: []\n    support: []\n",
    );
    for (id, body) in cases {
        let head = format!(
            "id: {id}\nname: 场所{id}\nstreet: a\ncriteria: [scattered]\nsource: other\naction: upgrade\n"
        );
        w(&format!("cases/a/{id}.yaml"), &(head + body));
    }
    dir
}

/// The folder holding the suite's fixtures.
pub fn tests_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests")
}

/// Asserts that the fixture folders under `tests/<folder>/` are exactly `listed`, so a fixture
/// without a test (or a test without its fixture) cannot go unnoticed.
pub fn assert_fixtures_listed(folder: &str, listed: &[&str]) {
    let mut on_disk: Vec<String> = std::fs::read_dir(tests_dir().join(folder))
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    let mut listed = listed.to_vec();
    listed.sort();
    assert_eq!(on_disk, listed);
}
