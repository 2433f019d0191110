//! A small HTTP/1.1 server for `serve`: GET and HEAD only, one response per connection.
//!
//! Each connection gets a thread of its own, up to [`MAX_CONNECTIONS`] at once, so a client that
//! sends its request slowly, or never, holds only its own thread, for at most [`HEAD_DEADLINE`].
//! Reload streams count against a separate limit, so open tabs can never take the threads that
//! serve pages. The request line and headers are bounded; a request whose `Host` is not a loopback
//! name is refused when serving on loopback (DNS rebinding).

use super::inject;
use super::store::Store;
use crate::lang::Lang;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Connections served at once (pages and files).
pub const MAX_CONNECTIONS: usize = 256;
/// Reload streams open at once.
pub const MAX_STREAMS: usize = 64;
/// Bytes of request line plus headers.
pub const MAX_HEAD: usize = 16 * 1024;
/// How long a client may take to send its request line and headers.
pub const HEAD_DEADLINE: Duration = Duration::from_secs(10);
/// How often an idle reload stream sends a comment, to notice closed tabs.
const KEEPALIVE: Duration = Duration::from_secs(15);

/// What every request handler needs.
pub struct Server {
    pub store: Arc<Store>,
    pub content: PathBuf,
    pub lang: Lang,
    /// Whether `Host` must be a loopback name (the server listens on loopback).
    pub loopback: bool,
    pub connections: AtomicUsize,
    pub streams: AtomicUsize,
}

/// Accepts connections until the listener fails.
pub fn accept(listener: TcpListener, server: Arc<Server>) {
    for stream in listener.incoming() {
        let Ok(mut stream) = stream else {
            continue;
        };
        if server.connections.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
            server.connections.fetch_sub(1, Ordering::SeqCst);
            // Answered without waiting on the client: the accept loop must never block on one.
            let _ = stream.set_nonblocking(true);
            let _ = stream.write_all(
                b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            );
            continue;
        }
        let worker = server.clone();
        let spawned = std::thread::Builder::new()
            .name("serve-conn".into())
            .spawn(move || {
                handle(&worker, stream);
                worker.connections.fetch_sub(1, Ordering::SeqCst);
            });
        if spawned.is_err() {
            // No thread, no connection: the stream was dropped with the closure.
            server.connections.fetch_sub(1, Ordering::SeqCst);
        }
    }
}

/// A response ready to send.
pub struct Response {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
    pub location: Option<String>,
}

impl Response {
    pub fn text(status: u16, msg: &str) -> Response {
        Response {
            status,
            content_type: "text/plain; charset=utf-8",
            body: msg.as_bytes().to_vec(),
            location: None,
        }
    }
}

/// A parsed request head.
#[derive(Debug, PartialEq)]
pub struct Request {
    pub method: String,
    pub target: String,
    pub host: Option<String>,
}

fn handle(server: &Server, mut stream: TcpStream) {
    let _ = stream.set_write_timeout(Some(Duration::from_secs(30)));
    let request = match read_head(&mut stream) {
        Ok(r) => r,
        Err(status) => {
            let _ = respond(&mut stream, &Response::text(status, reason(status)), false);
            return;
        }
    };
    if server.loopback && !request.host.as_deref().is_some_and(is_loopback_host) {
        let _ = respond(&mut stream, &Response::text(403, "forbidden host"), false);
        return;
    }
    if request.method != "GET" && request.method != "HEAD" {
        let _ = respond(
            &mut stream,
            &Response::text(405, "method not allowed"),
            false,
        );
        return;
    }
    let head = request.method == "HEAD";
    let Some(path) = site_path(&request.target) else {
        let _ = respond(&mut stream, &Response::text(400, "bad request"), head);
        return;
    };
    if path == inject::EVENTS || path.ends_with(&format!("/{}", inject::EVENTS)) {
        stream_events(server, stream, &request.target);
        return;
    }
    let response = page(server, &path);
    let _ = respond(&mut stream, &response, head);
}

/// Reads the request line and headers, bounded in size ([`MAX_HEAD`]) and in total time
/// ([`HEAD_DEADLINE`], however slowly the bytes trickle in). Errors are HTTP statuses.
pub fn read_head(stream: &mut TcpStream) -> Result<Request, u16> {
    let started = Instant::now();
    let mut head: Vec<u8> = Vec::new();
    let mut buf = [0u8; 4096];
    let end = loop {
        if let Some(end) = head_end(&head) {
            break end;
        }
        if head.len() > MAX_HEAD {
            return Err(431);
        }
        let left = HEAD_DEADLINE
            .checked_sub(started.elapsed())
            .filter(|d| !d.is_zero())
            .ok_or(408u16)?;
        stream.set_read_timeout(Some(left)).map_err(|_| 500u16)?;
        match stream.read(&mut buf) {
            Ok(0) => return Err(400),
            Ok(n) => head.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(_) => return Err(408),
        }
    };
    if end > MAX_HEAD {
        return Err(431);
    }
    let text = std::str::from_utf8(&head[..end]).map_err(|_| 400u16)?;
    let lines: Vec<String> = text
        .split('\n')
        .map(|l| l.trim_end_matches('\r').to_string())
        .skip_while(|l| l.is_empty())
        .take_while(|l| !l.is_empty())
        .collect();
    parse_head(&lines)
}

/// Where the head ends (the blank line), if it has arrived; blank lines before the request line
/// are allowed, as RFC 9112 asks.
fn head_end(head: &[u8]) -> Option<usize> {
    let start = head.iter().position(|b| *b != b'\r' && *b != b'\n')?;
    let body = &head[start..];
    let at = body
        .windows(2)
        .position(|w| w == b"\n\n")
        .map(|i| i + 2)
        .into_iter()
        .chain(
            body.windows(4)
                .position(|w| w == b"\r\n\r\n")
                .map(|i| i + 4),
        )
        .min()?;
    Some(start + at)
}

/// The request line and the `Host` header from the head's lines.
pub fn parse_head(lines: &[String]) -> Result<Request, u16> {
    let first = lines.first().ok_or(400u16)?;
    let mut parts = first.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(400);
    };
    if !version.starts_with("HTTP/1.") || method.is_empty() || !target.starts_with('/') {
        return Err(400);
    }
    let mut host = None;
    for line in &lines[1..] {
        let Some((name, value)) = line.split_once(':') else {
            return Err(400);
        };
        if name.eq_ignore_ascii_case("host") {
            if host.is_some() {
                return Err(400);
            }
            host = Some(value.trim().to_string());
        }
    }
    Ok(Request {
        method: method.to_string(),
        target: target.to_string(),
        host,
    })
}

/// Whether a `Host` header names this machine: `localhost` (or a name under it), a 127.x address
/// or `[::1]`, with or without a port.
pub fn is_loopback_host(host: &str) -> bool {
    let name = if let Some(rest) = host.strip_prefix('[') {
        match rest.split_once(']') {
            Some((inside, tail)) if tail.is_empty() || valid_port(tail) => inside,
            _ => return false,
        }
    } else {
        match host.rsplit_once(':') {
            Some((n, port)) if valid_port(&format!(":{port}")) => n,
            Some(_) => return false,
            None => host,
        }
    };
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    if name == "localhost" || name.ends_with(".localhost") {
        return true;
    }
    match name.parse::<std::net::IpAddr>() {
        Ok(ip) => ip.is_loopback(),
        Err(_) => false,
    }
}

fn valid_port(tail: &str) -> bool {
    tail.strip_prefix(':')
        .is_some_and(|p| !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit()))
}

/// The site path a request target names (no leading `/`, query dropped), or `None` when it could
/// leave the site: `..` or `.` segments (also percent-encoded), backslashes, NUL and other control
/// characters, or bytes that are not UTF-8.
pub fn site_path(target: &str) -> Option<String> {
    let raw = target.split(['?', '#']).next().unwrap_or("");
    let decoded = percent_decode(raw)?;
    let path = String::from_utf8(decoded).ok()?;
    if path.chars().any(|c| c.is_control() || c == '\\') {
        return None;
    }
    let trimmed = path.trim_start_matches('/');
    if trimmed
        .split('/')
        .any(|seg| seg == ".." || seg == "." || seg.contains(':'))
    {
        return None;
    }
    if trimmed.contains("//") {
        return None;
    }
    Some(trimmed.to_string())
}

/// `%XX` decoded; `None` on a malformed escape.
fn percent_decode(s: &str) -> Option<Vec<u8>> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Some(out)
}

/// The response for a site path: a page from memory (HTML with the reload script and, when the
/// content has errors, the overlay), a content file a page uses, a redirect, or the 404 page.
fn page(server: &Server, path: &str) -> Response {
    let key = if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    };
    // Waits while an update may still change this path: never the bytes from before a save.
    let found = server.store.get_fresh(&key);
    if !found.built {
        let overlay = found
            .errors
            .as_deref()
            .map(str::to_string)
            .unwrap_or_else(|| {
                inject::overlay_text(server.lang.pick("正在生成……", "building…"), server.lang)
            });
        let body = inject::no_build_page(&overlay, server.lang);
        return html(200, inject::page(&body, &key, found.version, None));
    }
    if let Some(bytes) = found.bytes {
        if key.ends_with(".html") {
            let body = inject::page(&bytes, &key, found.version, found.errors.as_deref());
            return html(200, body);
        }
        return Response {
            status: 200,
            content_type: mime(&key),
            body: bytes.to_vec(),
            location: None,
        };
    }
    if !path.is_empty() && !path.ends_with('/') && server.store.has(&format!("{path}/index.html")) {
        let last = path.rsplit('/').next().unwrap_or(path);
        return Response {
            status: 301,
            content_type: "text/plain; charset=utf-8",
            body: Vec::new(),
            location: Some(format!("{last}/")),
        };
    }
    if let Some(bytes) = content_file(server, path) {
        return Response {
            status: 200,
            content_type: mime(path),
            body: bytes,
            location: None,
        };
    }
    let fallback = server.store.get_fresh("404.html");
    let body = fallback
        .bytes
        .map(|b| b.to_vec())
        .unwrap_or_else(|| inject::not_found_page(server.lang));
    html(
        404,
        inject::page(&body, &key, found.version, found.errors.as_deref()),
    )
}

/// A file under `files/` that a published page refers to, read from the content folder, if it is
/// still inside it once links are resolved.
fn content_file(server: &Server, path: &str) -> Option<Vec<u8>> {
    if !path.starts_with("files/") || !server.store.uses_file(path) {
        return None;
    }
    let root = std::fs::canonicalize(&server.content).ok()?;
    let file = std::fs::canonicalize(server.content.join(path)).ok()?;
    if !file.starts_with(&root) || !file.is_file() {
        return None;
    }
    std::fs::read(file).ok()
}

fn html(status: u16, body: Vec<u8>) -> Response {
    Response {
        status,
        content_type: "text/html; charset=utf-8",
        body,
        location: None,
    }
}

fn mime(path: &str) -> &'static str {
    let ext = Path::new(path)
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match ext.as_str() {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "csv" => "text/csv; charset=utf-8",
        "xml" => "application/xml",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" | "jpe" | "jfif" => "image/jpeg",
        "webp" => "image/webp",
        "gif" => "image/gif",
        "pdf" => "application/pdf",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        _ => "application/octet-stream",
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        _ => "Internal Server Error",
    }
}

/// Writes `r` and closes: one response per connection, so a pipelining client gets its first
/// answer and nothing queued behind it can hold the thread.
fn respond(stream: &mut TcpStream, r: &Response, head_only: bool) -> std::io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-store\r\n\
         X-Content-Type-Options: nosniff\r\nConnection: close\r\n",
        r.status,
        reason(r.status),
        r.content_type,
        r.body.len()
    );
    if let Some(loc) = &r.location {
        head.push_str(&format!("Location: {loc}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    if !head_only {
        stream.write_all(&r.body)?;
    }
    stream.flush()?;
    let _ = stream.shutdown(std::net::Shutdown::Write);
    // Let the client read the answer before the socket closes under it.
    let _ = stream.set_read_timeout(Some(Duration::from_millis(200)));
    let _ = std::io::copy(&mut stream.take(64 * 1024), &mut std::io::sink());
    Ok(())
}

/// The reload stream: one Server-Sent Event per change (`{"version":N,"paths":[…]|null}`), a
/// comment every [`KEEPALIVE`] to find closed connections.
fn stream_events(server: &Server, mut stream: TcpStream, target: &str) {
    if server.streams.fetch_add(1, Ordering::SeqCst) >= MAX_STREAMS {
        server.streams.fetch_sub(1, Ordering::SeqCst);
        let _ = respond(
            &mut stream,
            &Response::text(503, "too many reload streams"),
            false,
        );
        return;
    }
    let since = target
        .split_once("since=")
        .and_then(|(_, v)| v.split('&').next()?.parse::<u64>().ok())
        .unwrap_or_else(|| server.store.version());
    let _ = run_stream(server, &mut stream, since);
    server.streams.fetch_sub(1, Ordering::SeqCst);
}

fn run_stream(server: &Server, stream: &mut TcpStream, mut since: u64) -> std::io::Result<()> {
    stream.write_all(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\n\
          Connection: close\r\n\r\nretry: 500\n\n",
    )?;
    stream.flush()?;
    loop {
        let Some(changes) = server.store.wait(since, KEEPALIVE) else {
            return Ok(());
        };
        if changes.is_empty() {
            stream.write_all(b": keepalive\n\n")?;
        }
        for c in changes {
            since = since.max(c.version);
            let data = serde_json::json!({ "version": c.version, "paths": c.paths });
            stream.write_all(format!("data: {data}\n\n").as_bytes())?;
        }
        stream.flush()?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_that_could_leave_the_site_are_refused() {
        let table = [
            ("/", Some("")),
            ("/cases/a.html?x=1", Some("cases/a.html")),
            ("/%E6%A1%88.html", Some("案.html")),
            ("/../etc/passwd", None),
            ("/a/%2e%2e/%2E%2E/x", None),
            ("/a/%2e/x", None),
            ("/a\\..\\x", None),
            ("/a%5c..%5cx", None),
            ("/a%00.html", None),
            ("/a%0d%0a", None),
            ("/%ff.html", None),
            ("/%zz", None),
            ("//etc/passwd", Some("etc/passwd")),
            ("/a//b", None),
            ("/c:/x", None),
        ];
        for (target, want) in table {
            assert_eq!(site_path(target).as_deref(), want, "{target}");
        }
    }

    #[test]
    fn loopback_hosts() {
        let table = [
            ("localhost", true),
            ("localhost:1111", true),
            ("LOCALHOST.", true),
            ("app.localhost:80", true),
            ("127.0.0.1:1111", true),
            ("127.1.2.3", true),
            ("[::1]:1111", true),
            ("[::1]", true),
            ("evil.example:1111", false),
            ("localhost.evil.example", false),
            ("127.0.0.1.evil.example", false),
            ("192.168.1.2:1111", false),
            ("[::1]x", false),
            ("localhost:abc", false),
            ("", false),
        ];
        for (host, want) in table {
            assert_eq!(is_loopback_host(host), want, "{host}");
        }
    }

    #[test]
    fn heads_parse_or_give_a_status() {
        let lines = |xs: &[&str]| xs.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let ok = parse_head(&lines(&["GET /a HTTP/1.1", "Host: localhost"])).unwrap();
        assert_eq!(ok.host.as_deref(), Some("localhost"));
        assert_eq!(ok.target, "/a");
        assert_eq!(parse_head(&lines(&["GET /a"])), Err(400));
        assert_eq!(parse_head(&lines(&["GET a HTTP/1.1"])), Err(400));
        assert_eq!(
            parse_head(&lines(&["GET / HTTP/1.1", "Host: a", "Host: b"])),
            Err(400)
        );
        assert_eq!(parse_head(&lines(&["GET / HTTP/1.1", "junk"])), Err(400));
    }
}
