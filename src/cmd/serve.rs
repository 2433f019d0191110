//! `rectify serve`: builds into a folder of its own, serves it on localhost, and rebuilds when the
//! content or the site's theme changes. Never touches `./output`.

use super::Failure;
use super::build::build;
use crate::cli::ServeArgs;
use crate::diag::Said;
use anyhow::anyhow;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

pub fn run(args: &ServeArgs) -> Result<(), Failure> {
    let dir = tempfile::Builder::new()
        .prefix("rectify-serve-")
        .tempdir()
        .map_err(|e| {
            anyhow::Error::new(e).context(Said::new(
                "无法创建生成用的临时文件夹",
                "cannot create a build folder",
            ))
        })?;
    let output = dir.path().join("site");
    // Ctrl+C ends the process without running destructors: remove the build folder first.
    let build_dir = dir.path().to_path_buf();
    let _ = ctrlc::set_handler(move || {
        let _ = std::fs::remove_dir_all(&build_dir);
        std::process::exit(0);
    });
    let addr = format!("{}:{}", args.bind, args.port);
    let server = tiny_http::Server::http(&addr).map_err(|e| {
        Failure::Env(anyhow!("{e}").context(Said::new(
            format!("无法监听 {addr}（端口可能已被占用，可用 --port 换一个）"),
            format!("cannot listen on {addr} (the port may be in use; try another --port)"),
        )))
    })?;
    rebuild(args, &output);
    let url = format!("http://{addr}/");
    let lang = super::content_lang(&args.content);
    eprintln!(
        "{}",
        match lang {
            crate::lang::Lang::Zh => format!("正在提供 {url}（按 Ctrl+C 停止）"),
            crate::lang::Lang::En => format!("serving {url} (Ctrl+C to stop)"),
        }
    );
    if args.open {
        open_browser(&url);
    }
    let watched = watched_paths(&args.content);
    let out = output.clone();
    let watch_args = args.clone();
    std::thread::spawn(move || watch(&watched, || rebuild(&watch_args, &out)));
    for request in server.incoming_requests() {
        let response = respond(&output, request.url());
        let _ = request.respond(response);
    }
    Ok(())
}

fn rebuild(args: &ServeArgs, output: &Path) {
    let lang = super::content_lang(&args.content);
    match build(&args.content, output, args.as_of, args.profile) {
        Ok(line) => eprintln!("{line}"),
        Err(Failure::Content) => eprintln!(
            "{}",
            lang.pick(
                "内容有错误（见上）；仍在提供上一次成功生成的网站",
                "the content has errors (above); serving the last good build"
            )
        ),
        Err(failure) => failure.print(lang),
    }
}

/// The content folder and the themes folder beside it.
fn watched_paths(content: &Path) -> Vec<PathBuf> {
    vec![
        content.to_path_buf(),
        content.parent().unwrap_or(Path::new(".")).join("themes"),
    ]
}

/// A cheap fingerprint of a tree: every file's path, size and modification time.
fn fingerprint(roots: &[PathBuf]) -> Vec<(PathBuf, u64, Option<SystemTime>)> {
    let mut out = Vec::new();
    for root in roots {
        for e in walkdir::WalkDir::new(root)
            .sort_by_file_name()
            .into_iter()
            .flatten()
        {
            if let Ok(m) = e.metadata() {
                out.push((e.path().to_path_buf(), m.len(), m.modified().ok()));
            }
        }
    }
    out
}

fn watch(roots: &[PathBuf], mut on_change: impl FnMut()) {
    let mut last = fingerprint(roots);
    loop {
        std::thread::sleep(Duration::from_millis(500));
        let now = fingerprint(roots);
        if now != last {
            last = now;
            on_change();
        }
    }
}

/// Serves a file of the built site; folders serve their `index.html`; `..` is refused.
fn respond(root: &Path, url: &str) -> tiny_http::Response<std::io::Cursor<Vec<u8>>> {
    let path = url.split(['?', '#']).next().unwrap_or("/");
    let path = percent_decode(path);
    if path.split('/').any(|p| p == "..") {
        return text(400, "bad request");
    }
    let mut file = root.join(path.trim_start_matches('/'));
    if file.is_dir() {
        file = file.join("index.html");
    }
    match std::fs::read(&file) {
        Ok(bytes) => with_type(tiny_http::Response::from_data(bytes), &file),
        Err(_) => match std::fs::read(root.join("404.html")) {
            Ok(bytes) => with_type(
                tiny_http::Response::from_data(bytes).with_status_code(404),
                Path::new("404.html"),
            ),
            Err(_) => text(404, "not found"),
        },
    }
}

fn text(code: u16, msg: &str) -> tiny_http::Response<std::io::Cursor<Vec<u8>>> {
    tiny_http::Response::from_data(msg.as_bytes().to_vec()).with_status_code(code)
}

fn with_type(
    r: tiny_http::Response<std::io::Cursor<Vec<u8>>>,
    file: &Path,
) -> tiny_http::Response<std::io::Cursor<Vec<u8>>> {
    let ext = file.extension().and_then(|e| e.to_str()).unwrap_or("");
    let mime = match ext {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "csv" => "text/csv; charset=utf-8",
        "xml" => "application/xml",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "pdf" => "application/pdf",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _ => "application/octet-stream",
    };
    match tiny_http::Header::from_bytes("Content-Type", mime) {
        Ok(h) => r.with_header(h),
        Err(_) => r,
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        if bytes[i] == b'%'
            && let Some(v) = hex.and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn open_browser(url: &str) {
    let cmd = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if std::process::Command::new(cmd).arg(url).spawn().is_err() {
        eprintln!("请在浏览器中打开 {url} / open {url} in a browser");
    }
}
