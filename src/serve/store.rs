//! The site as `serve` holds it in memory: every output file's bytes, the content's errors when it
//! has any, and a short history of what changed, which the reload stream tells open pages.

use crate::render::Page;
use crate::render::deps::{PageKind, kind_of};
use std::collections::{BTreeSet, HashMap, VecDeque};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Duration;

/// How many changes the history keeps for pages that reconnect late.
const HISTORY: usize = 64;
/// More changed pages than this are announced as "everything changed".
const MAX_LISTED: usize = 500;

/// One published change: the version it made and the pages whose bytes changed (`None`: all).
#[derive(Clone, Debug, PartialEq)]
pub struct Change {
    pub version: u64,
    pub paths: Option<Vec<String>>,
}

#[derive(Default)]
struct Inner {
    version: u64,
    pages: HashMap<String, Arc<[u8]>>,
    /// Files under `files/` that published pages refer to.
    files: BTreeSet<String>,
    /// The content's errors, as the overlay shows them; `None` when the content is valid.
    errors: Option<Arc<str>>,
    history: VecDeque<Change>,
    stopping: bool,
}

/// What a served request sees: the bytes of one path and the state around it.
pub struct Lookup {
    pub version: u64,
    pub bytes: Option<Arc<[u8]>>,
    pub errors: Option<Arc<str>>,
    /// Whether any good build has been published yet.
    pub built: bool,
}

/// A set of rendered files to publish, with the kinds they replace wholesale.
#[derive(Default)]
pub struct Publish {
    pub pages: Vec<Page>,
    /// Kinds rendered in full: their old files that were not rendered again are dropped.
    pub replace: BTreeSet<PageKind>,
    /// Drop every old file that was not rendered again (a whole-site render).
    pub replace_all: bool,
    /// Paths to drop (a case that no longer has a page).
    pub remove: Vec<String>,
    /// Files under `files/` the rendered pages refer to (added to those already known).
    pub files: Vec<String>,
    /// Pages rendered before the whole site validated (a preview): the errors stay shown.
    pub preview: bool,
}

#[derive(Default)]
pub struct Store {
    inner: Mutex<Inner>,
    changed: Condvar,
}

impl Store {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn get(&self, path: &str) -> Lookup {
        let inner = self.lock();
        Lookup {
            version: inner.version,
            bytes: inner.pages.get(path).cloned(),
            errors: inner.errors.clone(),
            built: !inner.pages.is_empty(),
        }
    }

    pub fn has(&self, path: &str) -> bool {
        self.lock().pages.contains_key(path)
    }

    /// Whether `rel` (under `files/`) is referred to by a published page.
    pub fn uses_file(&self, rel: &str) -> bool {
        self.lock().files.contains(rel)
    }

    pub fn html_paths(&self) -> Vec<String> {
        let inner = self.lock();
        let mut paths: Vec<String> = inner
            .pages
            .keys()
            .filter(|p| p.ends_with(".html"))
            .cloned()
            .collect();
        paths.sort();
        paths
    }

    /// Puts rendered files in place, clears the errors, and announces the pages whose bytes changed.
    pub fn publish(&self, p: Publish) -> u64 {
        let mut inner = self.lock();
        let mut changed: BTreeSet<String> = BTreeSet::new();
        let fresh: BTreeSet<&str> = p.pages.iter().map(|x| x.path.as_str()).collect();
        let stale: Vec<String> = inner
            .pages
            .keys()
            .filter(|k| !fresh.contains(k.as_str()))
            .filter(|k| p.replace_all || p.replace.contains(&kind_of(k)) || p.remove.contains(k))
            .cloned()
            .collect();
        for k in stale {
            inner.pages.remove(&k);
            changed.insert(k);
        }
        for page in p.pages {
            if inner.pages.get(&page.path).map(|b| &b[..]) != Some(&page.bytes[..]) {
                changed.insert(page.path.clone());
                inner.pages.insert(page.path, page.bytes.into());
            }
        }
        if p.replace_all {
            inner.files.clear();
        }
        inner.files.extend(p.files);
        let cleared = !p.preview && inner.errors.take().is_some();
        let all = cleared || changed.len() > MAX_LISTED;
        if all || !changed.is_empty() {
            let paths = (!all).then(|| changed.into_iter().collect());
            announce(&mut inner, paths);
            self.changed.notify_all();
        }
        inner.version
    }

    /// Shows `overlay` (the content's errors) on every page until the next publish.
    pub fn set_errors(&self, overlay: String) {
        let mut inner = self.lock();
        if inner.errors.as_deref() == Some(overlay.as_str()) {
            return;
        }
        inner.errors = Some(overlay.into());
        announce(&mut inner, None);
        self.changed.notify_all();
    }

    /// Waits up to `timeout` for changes after `since`; returns them (empty on timeout), or `None`
    /// once the server is stopping.
    pub fn wait(&self, since: u64, timeout: Duration) -> Option<Vec<Change>> {
        let inner = self.lock();
        let (inner, _) = self
            .changed
            .wait_timeout_while(inner, timeout, |i| i.version <= since && !i.stopping)
            .unwrap_or_else(|e| e.into_inner());
        if inner.stopping {
            return None;
        }
        Some(changes_since(&inner, since))
    }

    /// Ends every waiting reload stream.
    pub fn stop(&self) {
        self.lock().stopping = true;
        self.changed.notify_all();
    }

    pub fn version(&self) -> u64 {
        self.lock().version
    }

    /// Every file held, by path (for comparing with a clean build).
    pub fn snapshot(&self) -> std::collections::BTreeMap<String, Vec<u8>> {
        self.lock()
            .pages
            .iter()
            .map(|(k, v)| (k.clone(), v.to_vec()))
            .collect()
    }
}

fn announce(inner: &mut Inner, paths: Option<Vec<String>>) {
    inner.version += 1;
    let version = inner.version;
    inner.history.push_back(Change { version, paths });
    while inner.history.len() > HISTORY {
        inner.history.pop_front();
    }
}

/// The changes after `since`; one "everything" change when the history no longer reaches back.
fn changes_since(inner: &Inner, since: u64) -> Vec<Change> {
    if inner.version <= since {
        return Vec::new();
    }
    let oldest = inner.history.front().map_or(u64::MAX, |c| c.version);
    if since + 1 < oldest {
        return vec![Change {
            version: inner.version,
            paths: None,
        }];
    }
    inner
        .history
        .iter()
        .filter(|c| c.version > since)
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(path: &str, bytes: &str) -> Page {
        Page {
            path: path.into(),
            bytes: bytes.as_bytes().to_vec(),
        }
    }

    #[test]
    fn only_pages_whose_bytes_changed_are_announced() {
        let s = Store::default();
        s.publish(Publish {
            pages: vec![page("a.html", "1"), page("b.html", "1")],
            replace_all: true,
            ..Publish::default()
        });
        let v = s.version();
        s.publish(Publish {
            pages: vec![page("a.html", "1"), page("b.html", "2")],
            ..Publish::default()
        });
        let changes = s.wait(v, Duration::ZERO).unwrap();
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].paths, Some(vec!["b.html".to_string()]));
        assert_eq!(&*s.get("b.html").bytes.unwrap(), b"2");
    }

    #[test]
    fn replacing_a_kind_drops_its_pages_not_rendered_again() {
        let s = Store::default();
        s.publish(Publish {
            pages: vec![
                page("cases/index.html", "x"),
                page("cases/page-2.html", "x"),
                page("cases/A.html", "a"),
            ],
            replace_all: true,
            ..Publish::default()
        });
        s.publish(Publish {
            pages: vec![page("cases/index.html", "y")],
            replace: BTreeSet::from([PageKind::CaseLists]),
            ..Publish::default()
        });
        assert!(!s.has("cases/page-2.html"));
        assert!(s.has("cases/A.html"), "case pages are another kind");
    }

    #[test]
    fn errors_announce_everything_and_a_publish_clears_them() {
        let s = Store::default();
        let v = s.version();
        s.set_errors("boom".into());
        assert_eq!(s.wait(v, Duration::ZERO).unwrap()[0].paths, None);
        assert!(s.get("x").errors.is_some());
        s.publish(Publish::default());
        assert!(s.get("x").errors.is_none());
    }

    #[test]
    fn a_late_reader_gets_everything_when_history_is_gone() {
        let s = Store::default();
        for i in 0..(HISTORY + 5) {
            s.publish(Publish {
                pages: vec![page("a.html", &i.to_string())],
                ..Publish::default()
            });
        }
        let changes = s.wait(0, Duration::ZERO).unwrap();
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].paths, None);
    }
}
