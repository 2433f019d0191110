//! `rectify serve` end to end: started on `--port 0` against a temp copy of the small fixture, edited
//! on disk, and read over plain TCP the way a browser (or an attacker) would.

use crate::common::{Cli, copy_tree, tests_dir};
use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

/// How long a test waits for something that should happen almost at once; a bound, not a timing.
const PATIENCE: Duration = Duration::from_secs(20);

const CASE: &str = "cases/dongshan/T-001.yaml";

struct Serve {
    child: Child,
    port: u16,
    lines: Receiver<String>,
    _dir: tempfile::TempDir,
    content: PathBuf,
}

impl Serve {
    /// A copy of the small fixture, changed by `prepare`, served on a free port.
    fn start(prepare: impl FnOnce(&Path)) -> Serve {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("content");
        copy_tree(&tests_dir().join("fixtures/small/content"), &content);
        prepare(&content);
        let mut child = Command::new(env!("CARGO_BIN_EXE_rectify"))
            .args(["serve", "--port", "0", "--content"])
            .arg(&content)
            .env("TMPDIR", dir.path())
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        let (tx, lines) = channel();
        let stderr = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let mut s = Serve {
            child,
            port: 0,
            lines,
            _dir: dir,
            content,
        };
        let line = s.wait_line(|l| l.contains("http://127.0.0.1:"));
        let port = line.split("http://127.0.0.1:").nth(1).unwrap();
        s.port = port.split('/').next().unwrap().parse().unwrap();
        assert_ne!(s.port, 0, "serve prints the port it bound: {line}");
        s
    }

    fn wait_line(&mut self, want: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + PATIENCE;
        let mut seen = Vec::new();
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.lines.recv_timeout(left) {
                Ok(line) if want(&line) => return line,
                Ok(line) => seen.push(line),
                Err(_) => break,
            }
        }
        panic!(
            "serve never printed the expected line; it printed:\n{}",
            seen.join("\n")
        );
    }

    fn get(&self, path: &str) -> (u16, String) {
        request(
            self.port,
            &format!(
                "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n\r\n",
                self.port
            ),
        )
    }

    /// Polls `path` until its body satisfies `want`.
    fn until(&self, path: &str, want: impl Fn(u16, &str) -> bool) -> String {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let (status, body) = self.get(path);
            if want(status, &body) {
                return body;
            }
            assert!(
                Instant::now() < deadline,
                "{path} never became as expected:\n{body}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn edit(&self, rel: &str, from: &str, to: &str) {
        let path = self.content.join(rel);
        let text = fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{rel} lacks {from:?}");
        fs::write(&path, text.replacen(from, to, 1)).unwrap();
    }

    fn signal(&mut self, name: &str) -> i32 {
        let pid = self.child.id().to_string();
        assert!(
            Command::new("kill")
                .args([name, &pid])
                .status()
                .unwrap()
                .success()
        );
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code().unwrap_or(-1);
            }
            assert!(Instant::now() < deadline, "serve ignored {name}");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Sends raw bytes and reads the whole answer: (status, body).
fn request(port: u16, raw: &str) -> (u16, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(PATIENCE)).unwrap();
    s.write_all(raw.as_bytes()).unwrap();
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    let text = String::from_utf8_lossy(&out).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

fn built(s: &mut Serve) {
    s.wait_line(|l| l.contains("已更新"));
}

#[test]
fn an_edit_is_served_with_its_new_bytes_and_the_reload_script() {
    let mut s = Serve::start(|_| {});
    built(&mut s);
    let page = s.until("/cases/T-001.html", |st, _| st == 200);
    assert!(
        page.contains("__rectify/events"),
        "serve injects the reload script"
    );
    s.edit(CASE, "name: ", "name: 改过的名字");
    s.until("/cases/T-001.html", |_, b| b.contains("改过的名字"));
    // The aggregates follow: the case list shows the new name too.
    s.until("/cases/", |_, b| b.contains("改过的名字"));
    s.until("/data/cases.json", |_, b| b.contains("改过的名字"));
}

#[test]
fn a_new_case_gets_a_page_and_a_deleted_one_loses_it() {
    let mut s = Serve::start(|_| {});
    built(&mut s);
    let text = fs::read_to_string(s.content.join(CASE)).unwrap();
    let copy = text.replace("id: T-001", "id: T-999");
    fs::write(s.content.join("cases/dongshan/T-999.yaml"), copy).unwrap();
    s.until("/cases/T-999.html", |st, _| st == 200);
    fs::remove_file(s.content.join("cases/dongshan/T-999.yaml")).unwrap();
    s.until("/cases/T-999.html", |st, _| st == 404);
}

#[test]
fn the_built_site_never_contains_the_reload_script() {
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    Cli::new()
        .args(["build"])
        .content(tests_dir().join("fixtures/small/content"))
        .output(&site)
        .succeeds();
    for rel in crate::common::tree(&site) {
        let bytes = fs::read(site.join(&rel)).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("__rectify"), "{rel} has serve's script");
    }
}

#[test]
fn the_reload_stream_announces_changed_pages() {
    let mut s = Serve::start(|_| {});
    built(&mut s);
    let mut es = TcpStream::connect(("127.0.0.1", s.port)).unwrap();
    es.set_read_timeout(Some(PATIENCE)).unwrap();
    write!(
        es,
        "GET /__rectify/events HTTP/1.1\r\nHost: localhost:{}\r\n\r\n",
        s.port
    )
    .unwrap();
    let mut reader = BufReader::new(es);
    let mut head = String::new();
    while !head.ends_with("\r\n\r\n") {
        let mut line = String::new();
        assert!(reader.read_line(&mut line).unwrap() > 0);
        head.push_str(&line);
    }
    assert!(head.contains("text/event-stream"), "{head}");
    s.edit(CASE, "name: ", "name: 新");
    let mut line = String::new();
    while !line.starts_with("data:") {
        line.clear();
        assert!(reader.read_line(&mut line).unwrap() > 0, "stream closed");
    }
    assert!(line.contains("cases/T-001.html"), "{line}");
    // Pages are still served while the stream is open.
    assert_eq!(s.get("/").0, 200);
}

#[test]
fn errors_show_over_every_page_until_fixed() {
    let mut s = Serve::start(|_| {});
    built(&mut s);
    s.edit(CASE, "found: 2022-", "found: 2022-13-");
    let page = s.until("/plan.html", |_, b| b.contains("rectify-errors"));
    assert!(page.contains(CASE), "the overlay names the file");
    assert!(page.contains("错误"), "in the site's language");
    s.wait_line(|l| l.contains("内容有错误"));
    s.edit(CASE, "found: 2022-13-", "found: 2022-");
    s.until("/plan.html", |_, b| !b.contains("rectify-errors"));
}

#[test]
fn started_on_broken_content_it_says_so_on_the_page() {
    let mut s = Serve::start(|c| {
        let path = c.join(CASE);
        let text = fs::read_to_string(&path).unwrap();
        fs::write(path, text.replacen("found: 2022-", "found: 2022-13-", 1)).unwrap();
    });
    s.wait_line(|l| l.contains("内容有错误"));
    for path in ["/", "/cases/T-001.html", "/nothing-here.html"] {
        let (status, body) = s.get(path);
        assert_eq!(status, 200, "{path}");
        assert!(
            body.contains("rectify-errors") && body.contains(CASE),
            "{path}: {body}"
        );
    }
    s.edit(CASE, "found: 2022-13-", "found: 2022-");
    s.until("/", |st, b| st == 200 && !b.contains("rectify-errors"));
}

#[test]
fn requests_for_another_host_are_refused() {
    let s = Serve::start(|_| {});
    let (status, _) = request(s.port, "GET / HTTP/1.1\r\nHost: evil.example\r\n\r\n");
    assert_eq!(status, 403);
    let (status, _) = request(s.port, "GET / HTTP/1.1\r\n\r\n");
    assert_eq!(status, 403, "no Host at all");
    let (status, _) = request(
        s.port,
        &format!("GET / HTTP/1.1\r\nHost: localhost:{}\r\n\r\n", s.port),
    );
    assert_eq!(status, 200);
}

#[test]
fn paths_never_leave_the_site() {
    let mut s = Serve::start(|_| {});
    built(&mut s);
    for target in [
        "/../Cargo.toml",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/files/..%5c..%5cCargo.toml",
        "/a%00.html",
        "/cases/T-001.yaml",
        "/files/../site.yaml",
    ] {
        let (status, body) = s.get(target);
        assert!(status == 400 || status == 404, "{target}: {status}");
        assert!(
            !body.contains("campaign:"),
            "{target} leaked a content file"
        );
    }
}

#[test]
fn a_slow_client_does_not_stall_another() {
    let mut s = Serve::start(|_| {});
    built(&mut s);
    // One client sends half a request line and waits; another pipelines two requests.
    let mut slow = TcpStream::connect(("127.0.0.1", s.port)).unwrap();
    slow.write_all(b"GET / HT").unwrap();
    let pipelined = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\nGET /plan.html HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    let (status, body) = request(s.port, pipelined);
    assert_eq!(status, 200);
    assert!(body.contains("</html>"));
    assert_eq!(s.get("/plan.html").0, 200);
    drop(slow);
}

#[test]
fn an_oversized_head_is_refused() {
    let s = Serve::start(|_| {});
    let big = format!(
        "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: {}\r\n\r\n",
        "a".repeat(64 * 1024)
    );
    assert_eq!(request(s.port, &big).0, 431);
}

#[test]
fn signals_end_serve_and_leave_nothing_behind() {
    for signal in ["-TERM", "-HUP", "-INT"] {
        let mut s = Serve::start(|_| {});
        built(&mut s);
        assert_eq!(s.signal(signal), 0, "{signal}");
        let tmp: Vec<_> = fs::read_dir(s._dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            tmp,
            vec!["content".to_string()],
            "{signal} left files behind"
        );
    }
}

#[test]
fn a_port_in_use_exits_3_and_a_missing_folder_exits_3() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    Cli::new()
        .args(["serve", "--port", &port])
        .content(tests_dir().join("fixtures/small/content"))
        .fails(3);
    let dir = tempfile::tempdir().unwrap();
    Cli::new()
        .args(["serve", "--port", "0"])
        .content(dir.path().join("nope"))
        .fails(3)
        .stderr_has("无法读取内容文件夹")
        .stderr_has("nope");
}
