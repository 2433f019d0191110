//! `rectify serve`: the site rendered into memory and served on localhost, kept up to date as the
//! content or the site's theme changes, with live reload and the content's errors shown on the
//! page. Writes nothing to disk: no `./output`, no build folder.

mod engine;
pub mod http;
pub mod inject;
mod plan;
pub mod store;
pub mod watch;

use crate::cli::ServeArgs;
use crate::cmd::Failure;
use crate::diag::Said;
use anyhow::anyhow;
use engine::Engine;
use std::net::TcpListener;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::AtomicUsize;
use store::Store;

pub fn run(args: &ServeArgs) -> Result<(), Failure> {
    let shown = args.content.display();
    let content = std::fs::canonicalize(&args.content).map_err(|e| {
        let said = Said::new(
            format!("无法读取内容文件夹 {shown}"),
            format!("cannot read the content folder {shown}"),
        );
        Failure::Env(anyhow::Error::new(e).context(said))
    })?;
    if !content.is_dir() {
        let said = Said::new(
            format!("{shown} 不是文件夹"),
            format!("{shown} is not a folder"),
        );
        return Err(Failure::Env(said.into()));
    }
    let mut engine = Engine::new(&content, args.as_of, args.profile.into())?;
    let lang = engine.lang();
    let listener = TcpListener::bind((args.bind.as_str(), args.port)).map_err(|e| {
        Failure::Env(anyhow!(
            "{} {}:{}: {e}",
            lang.pick("无法监听", "cannot listen on"),
            args.bind,
            args.port
        ))
    })?;
    let addr = listener
        .local_addr()
        .map_err(|e| Failure::Env(anyhow!("{e}")))?;
    let store = Arc::new(Store::default());
    stop_on_signals(store.clone());
    let themes = content.parent().unwrap_or(Path::new("/")).join("themes");
    let watcher = watch::Watcher::start(&content, &themes)
        .map_err(|e| Failure::Env(anyhow!("cannot watch {}: {e}", content.display())))?;
    let server = Arc::new(http::Server {
        store: store.clone(),
        content: content.clone(),
        lang,
        loopback: addr.ip().is_loopback(),
        connections: AtomicUsize::new(0),
        streams: AtomicUsize::new(0),
    });
    std::thread::spawn(move || http::accept(listener, server));
    let host = match addr {
        std::net::SocketAddr::V6(a) => format!("[{}]", a.ip()),
        std::net::SocketAddr::V4(a) => a.ip().to_string(),
    };
    let url = format!("http://{host}:{}/", addr.port());
    eprintln!(
        "{} {url} {}",
        lang.pick("正在提供", "serving"),
        lang.pick("（Ctrl+C 停止）", "(Ctrl+C to stop)")
    );
    engine.build_all(&store);
    if args.open {
        open_browser(&url);
    }
    while let Some(batch) = watcher.next() {
        if !batch.is_empty() {
            engine.update(batch, &store);
        }
    }
    Ok(())
}

/// Ctrl+C, SIGTERM and SIGHUP end serve at once. Nothing is on disk to clean up; open reload
/// streams are told to close first.
fn stop_on_signals(store: Arc<Store>) {
    let _ = ctrlc::set_handler(move || {
        store.stop();
        std::process::exit(0);
    });
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
        eprintln!("open {url} in a browser");
    }
}
