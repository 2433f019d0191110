//! Watching the content folder and the site's themes folder for changes: file-system events
//! (inotify, FSEvents, ReadDirectoryChanges through `notify`), debounced briefly so an editor's
//! burst of writes, or its save by writing a temporary file and renaming it over the old one,
//! arrives as one batch. No polling. Reads (rectify's own included) are not changes.

use notify::event::{AccessKind, AccessMode, MetadataKind, ModifyKind};
use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher as _};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

/// Quiet time after the last event of a burst before the batch is handed on.
pub const DEBOUNCE: Duration = Duration::from_millis(30);
/// A stream of events that never goes quiet is still handed on this often.
const MAX_WAIT: Duration = Duration::from_millis(500);

/// What changed, relative to the watched folders.
#[derive(Debug, Default, PartialEq)]
pub struct Batch {
    /// Changed paths inside the content folder, relative to it with `/` separators.
    pub content: Vec<String>,
    /// Something under the themes folder changed.
    pub theme: bool,
    /// The watcher lost events (overflow): everything must be read again.
    pub rescan: bool,
}

impl Batch {
    pub fn is_empty(&self) -> bool {
        self.content.is_empty() && !self.theme && !self.rescan
    }
}

/// A running watcher; dropping it stops watching.
pub struct Watcher {
    _watcher: RecommendedWatcher,
    events: Receiver<notify::Result<Event>>,
    content: PathBuf,
    themes: PathBuf,
}

impl Watcher {
    /// Watches `content` and, when it exists, `themes` (both canonical paths).
    pub fn start(content: &Path, themes: &Path) -> anyhow::Result<Watcher> {
        let (tx, rx) = channel();
        let mut watcher = notify::recommended_watcher(tx)?;
        watcher.watch(content, RecursiveMode::Recursive)?;
        if themes.is_dir() {
            watcher.watch(themes, RecursiveMode::Recursive)?;
        }
        Ok(Watcher {
            _watcher: watcher,
            events: rx,
            content: content.to_path_buf(),
            themes: themes.to_path_buf(),
        })
    }

    /// The next batch of changes: waits for one, then gathers more until none has come for
    /// [`DEBOUNCE`]. `None` once the watcher has stopped.
    pub fn next(&self) -> Option<Batch> {
        let mut batch = Batch::default();
        while batch.is_empty() {
            let first = self.events.recv().ok()?;
            self.add(&mut batch, first);
        }
        let started = Instant::now();
        while started.elapsed() < MAX_WAIT {
            match self.events.recv_timeout(DEBOUNCE) {
                Ok(more) => self.add(&mut batch, more),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => break,
            }
        }
        batch.content.sort();
        batch.content.dedup();
        Some(batch)
    }

    fn add(&self, batch: &mut Batch, result: notify::Result<Event>) {
        let Ok(event) = result else {
            batch.rescan = true;
            return;
        };
        if event.need_rescan() {
            batch.rescan = true;
        }
        if !is_change(&event.kind) {
            return;
        }
        for path in &event.paths {
            sort_path(batch, path, &self.content, &self.themes);
        }
    }
}

/// Whether an event may change what a file holds: opening, reading and closing without writing do
/// not (and rectify reading a file must not look like an edit, or every build would start another).
fn is_change(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime)) => false,
        _ => true,
    }
}

/// Files one event path into the batch.
fn sort_path(batch: &mut Batch, path: &Path, content: &Path, themes: &Path) {
    if let Ok(rel) = path.strip_prefix(content) {
        let rel: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        if rel.is_empty() {
            batch.rescan = true;
        } else {
            batch.content.push(rel.join("/"));
        }
    } else if path.starts_with(themes) {
        batch.theme = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_sorted_into_content_and_theme() {
        let content = Path::new("/site/content");
        let themes = Path::new("/site/themes");
        let mut b = Batch::default();
        sort_path(
            &mut b,
            Path::new("/site/content/cases/a/X.yaml"),
            content,
            themes,
        );
        sort_path(
            &mut b,
            Path::new("/site/themes/mine/templates/case.html"),
            content,
            themes,
        );
        sort_path(&mut b, Path::new("/elsewhere/x"), content, themes);
        assert_eq!(b.content, vec!["cases/a/X.yaml".to_string()]);
        assert!(b.theme);
        assert!(!b.rescan);
        sort_path(&mut b, Path::new("/site/content"), content, themes);
        assert!(b.rescan);
    }

    #[test]
    fn reads_are_not_changes() {
        use notify::event::{CreateKind, RemoveKind, RenameMode};
        let table = [
            (EventKind::Access(AccessKind::Open(AccessMode::Any)), false),
            (
                EventKind::Access(AccessKind::Close(AccessMode::Read)),
                false,
            ),
            (EventKind::Access(AccessKind::Read), false),
            (
                EventKind::Access(AccessKind::Close(AccessMode::Write)),
                true,
            ),
            (
                EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime)),
                false,
            ),
            (EventKind::Modify(ModifyKind::Name(RenameMode::To)), true),
            (EventKind::Modify(ModifyKind::Any), true),
            (EventKind::Create(CreateKind::File), true),
            (EventKind::Remove(RemoveKind::File), true),
        ];
        for (kind, want) in table {
            assert_eq!(is_change(&kind), want, "{kind:?}");
        }
    }
}
