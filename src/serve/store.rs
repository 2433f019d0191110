//! The site as `serve` holds it in memory: every output file's bytes, the content's errors when it
//! has any, and a short history of what changed, which the reload stream tells open pages.
//!
//! While an update is under way, the paths it may change are *suspect*: a request for one waits
//! until the engine has rendered it again (the engine renders requested paths first), so a page
//! asked for after a save never comes back with the bytes from before it.

use crate::render::Page;
use crate::render::deps::{PageKind, kind_of};
use std::collections::{BTreeSet, HashMap, HashSet, VecDeque};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// How many changes the history keeps for pages that reconnect late.
const HISTORY: usize = 64;
/// More changed pages than this are announced as "everything changed".
const MAX_LISTED: usize = 500;
/// The longest a request waits for a suspect path (a bound against a stuck engine, never reached
/// by an update that ends).
const MAX_WAIT: Duration = Duration::from_secs(60);

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
    /// The update under way, if any.
    update: Option<Update>,
    /// Requests waiting for a suspect path.
    waiting: usize,
}

/// Which paths an update may change.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Suspect {
    /// Every path (a global input changed, or what changed is not known yet).
    pub all: bool,
    /// Every path of these kinds.
    pub kinds: BTreeSet<PageKind>,
    /// These paths.
    pub paths: HashSet<String>,
    /// Paths under this prefix are never suspect (`files/` when the photos did not change).
    pub except: Option<&'static str>,
}

impl Suspect {
    pub fn everything() -> Suspect {
        Suspect {
            all: true,
            ..Suspect::default()
        }
    }

    fn holds(&self, path: &str) -> bool {
        let excepted = self.except.is_some_and(|e| path.starts_with(e));
        !excepted && (self.all || self.paths.contains(path) || self.kinds.contains(&kind_of(path)))
    }
}

/// An update under way.
#[derive(Default)]
struct Update {
    suspect: Suspect,
    /// Paths published (or dropped) since the update began: no longer suspect.
    done: HashSet<String>,
    /// Suspect paths requested, for the engine to render first.
    wanted: Vec<String>,
}

impl Update {
    fn suspect(&self, path: &str) -> bool {
        self.suspect.holds(path) && !self.done.contains(path)
    }
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

    /// `get`, once `path` holds what the update under way makes of it: a suspect path is asked
    /// for (the engine renders it first) and waited for.
    pub fn get_fresh(&self, path: &str) -> Lookup {
        let deadline = Instant::now() + MAX_WAIT;
        let mut inner = self.lock();
        while let Some(update) = inner.update.as_mut().filter(|u| u.suspect(path)) {
            if !update.wanted.iter().any(|w| w == path) {
                update.wanted.push(path.to_string());
            }
            let Some(left) = deadline.checked_duration_since(Instant::now()) else {
                break;
            };
            inner.waiting += 1;
            inner = self
                .changed
                .wait_timeout(inner, left)
                .unwrap_or_else(|e| e.into_inner())
                .0;
            inner.waiting -= 1;
        }
        Lookup {
            version: inner.version,
            bytes: inner.pages.get(path).cloned(),
            errors: inner.errors.clone(),
            built: !inner.pages.is_empty(),
        }
    }

    /// Starts an update: every path is suspect until [`Store::narrow`] says less. Nothing is
    /// suspect before the first build (requests then see the "building" page).
    pub fn begin(&self) {
        let mut inner = self.lock();
        if !inner.pages.is_empty() {
            inner.update = Some(Update {
                suspect: Suspect::everything(),
                ..Update::default()
            });
        }
    }

    /// What the update under way may change, once known.
    pub fn narrow(&self, suspect: Suspect) {
        let mut inner = self.lock();
        if let Some(u) = inner.update.as_mut() {
            u.suspect = suspect;
        }
        self.changed.notify_all();
    }

    /// Ends the update under way: requests waiting are answered with what the store holds.
    pub fn end(&self) {
        self.lock().update = None;
        self.changed.notify_all();
    }

    /// How many requests are waiting for a suspect path.
    pub fn waiting(&self) -> usize {
        self.lock().waiting
    }

    /// The suspect paths requested since last asked, oldest first.
    pub fn wanted(&self) -> Vec<String> {
        let mut inner = self.lock();
        let Some(u) = inner.update.as_mut() else {
            return Vec::new();
        };
        let wanted = std::mem::take(&mut u.wanted);
        wanted.into_iter().filter(|p| u.suspect(p)).collect()
    }

    /// Drops every path not in `keep` and sets the files pages refer to (after an update that
    /// rendered every page, one step at a time).
    pub fn keep_only(&self, keep: &HashSet<String>, files: Vec<String>) {
        let mut inner = self.lock();
        let gone: Vec<String> = inner
            .pages
            .keys()
            .filter(|k| !keep.contains(*k))
            .cloned()
            .collect();
        for k in &gone {
            inner.pages.remove(k);
        }
        inner.files = files.into_iter().collect();
        if let Some(u) = inner.update.as_mut() {
            u.done.extend(gone.iter().cloned());
        }
        if !gone.is_empty() {
            let paths = (gone.len() <= MAX_LISTED).then_some(gone);
            announce(&mut inner, paths);
        }
        self.changed.notify_all();
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
        // Most publishes drop nothing: no need to look at every path held.
        let drops = p.replace_all || !p.replace.is_empty() || !p.remove.is_empty();
        let stale: Vec<String> = match drops {
            false => Vec::new(),
            true => inner
                .pages
                .keys()
                .filter(|k| !fresh.contains(k.as_str()))
                .filter(|k| {
                    p.replace_all || p.replace.contains(&kind_of(k)) || p.remove.contains(k)
                })
                .cloned()
                .collect(),
        };
        for k in stale {
            inner.pages.remove(&k);
            changed.insert(k);
        }
        if let Some(u) = inner.update.as_mut() {
            u.done.extend(changed.iter().cloned());
            u.done.extend(p.remove.iter().cloned());
            u.done.extend(fresh.iter().map(|s| s.to_string()));
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
        }
        // Requests waiting for a path published here go on.
        self.changed.notify_all();
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

    /// Waits (a bound, not a timing) until `n` requests wait for a suspect path.
    fn until_waiting(s: &Store, n: usize) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while s.waiting() < n {
            assert!(Instant::now() < deadline, "requests never waited");
            std::thread::sleep(Duration::from_millis(1));
        }
    }

    /// A store holding `pages` (path, bytes), with an update begun.
    fn updating(pages: &[(&str, &str)]) -> Arc<Store> {
        let s = Arc::new(Store::default());
        s.publish(Publish {
            pages: pages.iter().map(|(p, b)| page(p, b)).collect(),
            replace_all: true,
            ..Publish::default()
        });
        s.begin();
        s
    }

    #[test]
    fn a_suspect_path_is_answered_only_with_its_new_bytes() {
        let s = updating(&[("a.html", "old"), ("b.html", "old")]);
        let asker = s.clone();
        let request = std::thread::spawn(move || asker.get_fresh("a.html").bytes.unwrap());
        until_waiting(&s, 1);
        assert_eq!(s.wanted(), vec!["a.html".to_string()], "the engine is told");
        s.narrow(Suspect {
            paths: HashSet::from(["a.html".to_string()]),
            ..Suspect::default()
        });
        assert_eq!(
            &*s.get_fresh("b.html").bytes.unwrap(),
            b"old",
            "not suspect"
        );
        s.publish(Publish {
            pages: vec![page("a.html", "new")],
            ..Publish::default()
        });
        assert_eq!(&*request.join().unwrap(), b"new");
        s.end();
    }

    #[test]
    fn ending_an_update_answers_what_it_did_not_render() {
        let s = updating(&[("a.html", "old"), ("files/x.jpg", "x")]);
        s.narrow(Suspect {
            except: Some("files/"),
            ..Suspect::everything()
        });
        assert_eq!(&*s.get_fresh("files/x.jpg").bytes.unwrap(), b"x");
        let asker = s.clone();
        let request = std::thread::spawn(move || asker.get_fresh("gone.html").bytes);
        until_waiting(&s, 1);
        s.keep_only(&HashSet::from(["a.html".to_string()]), Vec::new());
        assert!(!s.has("files/x.jpg"), "dropped, not kept");
        // A path that does not exist may be made by the update: it is answered once it ends.
        assert_eq!(s.waiting(), 1);
        s.end();
        assert!(request.join().unwrap().is_none());
    }

    #[test]
    fn before_the_first_build_nothing_waits() {
        let s = Store::default();
        s.begin();
        assert!(!s.get_fresh("index.html").built);
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
