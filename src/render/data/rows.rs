//! Rows of the data files kept from one build to the next. `cases.json`, `case-list.js`,
//! `cases.csv` and `search-index.js` hold one row per published case: at 100,000 cases they are
//! 250 MB made from scratch in about a second. A build records where each case's row lies in each
//! file; the next build, when it is incremental, copies the rows of the cases whose files did not
//! change from the file it wrote last time, and makes only the others.
//!
//! This is sound on the same grounds as the page keys (`Renderer::track_keys`): an incremental
//! build happens only when the templates, the site-wide inputs (site, organisation, tasks, files
//! under `files/`, D) and the executable are the last build's, and a row is made from its case and
//! those alone. What a whole file's rows share besides (the CSV's private columns) is hashed into
//! the index and compared. A file on disk of another length than indexed, rows out of order, or a
//! read that fails: the rows are made afresh.

use super::super::Renderer;
use crate::write::Hash32;
use anyhow::Result;
use std::collections::{BTreeMap, HashSet};
use std::io::{BufReader, Read};
use std::sync::Mutex;

/// Where each case's row lies in one data file a build wrote.
#[derive(serde::Serialize, serde::Deserialize, Clone, Default, Debug, PartialEq)]
pub struct RowIndex {
    /// The file's length: a file of another length is not the one indexed.
    len: u64,
    /// A hash of what every row of the file is made from besides its case.
    shared: Hash32,
    /// The cases with a row, in the file's order.
    ids: Vec<String>,
    /// Where each of `ids`' rows starts and how long it is.
    spans: Vec<(u64, u32)>,
}

/// The row indexes of the last build and of this one (see [`Renderer::track_rows`]).
pub struct Tracked {
    /// The output folder, where the last build's files are read from.
    output: Option<crate::write::handle::DirHandle>,
    /// Cases whose rows are made afresh (their files changed), by id.
    fresh: HashSet<String>,
    old: BTreeMap<String, RowIndex>,
    new: Mutex<BTreeMap<String, RowIndex>>,
}

impl Renderer<'_> {
    /// Records where each case's row lies in the data files this renderer makes, and copies rows
    /// from the data files in `output` that `old` indexes, except those of the cases `fresh` names.
    /// A full build passes no `old`; `serve`, which keeps no files, never calls this.
    pub fn track_rows(
        &mut self,
        output: &std::path::Path,
        old: BTreeMap<String, RowIndex>,
        fresh: impl IntoIterator<Item = String>,
    ) {
        let output = if old.is_empty() {
            None
        } else {
            crate::write::handle::DirHandle::open_real(output, false).ok()
        };
        self.rows = Some(Tracked {
            output,
            fresh: fresh.into_iter().collect(),
            old,
            new: Mutex::new(BTreeMap::new()),
        });
    }

    /// The row indexes of the data files: those made so far (handed over once), and the last
    /// build's of the others.
    pub fn row_indexes(&self) -> BTreeMap<String, RowIndex> {
        let Some(t) = self.rows.as_ref() else {
            return BTreeMap::new();
        };
        let mut all = t
            .new
            .lock()
            .map(|mut m| std::mem::take(&mut *m))
            .unwrap_or_default();
        for (path, index) in &t.old {
            all.entry(path.clone()).or_insert_with(|| index.clone());
        }
        all
    }
}

/// Writes one data file's rows, each copied from the last build's file when its case did not
/// change, else made.
pub struct Rows<'r> {
    path: &'static str,
    tracked: Option<&'r Tracked>,
    old: Option<OldFile<'r>>,
    new: RowIndex,
    /// How many rows were made rather than copied.
    made: usize,
}

/// The last build's file being read forward, row after row.
struct OldFile<'r> {
    index: &'r RowIndex,
    fresh: &'r HashSet<String>,
    file: BufReader<std::fs::File>,
    /// Where `file` is.
    at: u64,
    /// The next of `index.ids` that can still match.
    next: usize,
}

impl<'r> Rows<'r> {
    /// Starts the file at `path` (its path in the output); `shared` hashes what every row is made
    /// from besides its case.
    pub fn start(r: &'r Renderer, path: &'static str, shared: Hash32) -> Rows<'r> {
        let tracked = r.rows.as_ref();
        let old = tracked.and_then(|t| {
            let index = t.old.get(path).filter(|i| i.shared == shared)?;
            let file = t.output.as_ref()?.open_file_sized(path, index.len)?;
            Some(OldFile {
                index,
                fresh: &t.fresh,
                file: BufReader::with_capacity(1 << 20, file),
                at: 0,
                next: 0,
            })
        });
        Rows {
            path,
            tracked,
            old,
            new: RowIndex {
                shared,
                ..RowIndex::default()
            },
            made: 0,
        }
    }

    /// An empty buffer for the file, with room for it as the last build wrote it when its rows
    /// are being copied (the file is then about as long).
    pub fn buffer(&self) -> Vec<u8> {
        Vec::with_capacity(self.old.as_ref().map_or(0, |o| o.index.len as usize + 4096))
    }

    /// Appends case `id`'s row to `out`: the last build's bytes when they can be had, else what
    /// `make` appends. `make` says whether the case has a row at all; returns the same.
    pub fn row(
        &mut self,
        out: &mut Vec<u8>,
        id: &str,
        make: impl FnOnce(&mut Vec<u8>) -> Result<bool>,
    ) -> Result<bool> {
        let start = out.len();
        let copied = self.old.as_mut().is_some_and(|old| old.copy(id, out));
        if !copied {
            if !make(out)? {
                out.truncate(start);
                return Ok(false);
            }
            self.made += 1;
        }
        if self.tracked.is_some() {
            let len = u32::try_from(out.len() - start)?;
            self.new.ids.push(id.to_string());
            self.new.spans.push((start as u64, len));
        }
        Ok(true)
    }

    /// Ends the file, `len` bytes long, and records its index.
    pub fn finish(mut self, len: usize) {
        let Some(tracked) = self.tracked else {
            return;
        };
        self.new.len = len as u64;
        if crate::timings::enabled() {
            let (path, made, of) = (self.path, self.made, self.new.ids.len());
            eprintln!("{path}: {made} of {of} rows made, the rest copied");
        }
        if let Ok(mut new) = tracked.new.lock() {
            new.insert(self.path.to_string(), self.new);
        }
    }
}

impl OldFile<'_> {
    /// Appends the last build's row of `id` to `out`; false (and `out` as it was) when there is
    /// none to copy.
    fn copy(&mut self, id: &str, out: &mut Vec<u8>) -> bool {
        if self.fresh.contains(id) {
            return false;
        }
        let ids = &self.index.ids;
        while self.next < ids.len() && ids[self.next].as_str() < id {
            self.next += 1;
        }
        if ids.get(self.next).map(String::as_str) != Some(id) {
            return false;
        }
        let (start, len) = self.index.spans[self.next];
        self.next += 1;
        let Some(skip) = start
            .checked_sub(self.at)
            .and_then(|s| i64::try_from(s).ok())
        else {
            return false;
        };
        let was = out.len();
        out.resize(was + len as usize, 0);
        let read = self
            .file
            .seek_relative(skip)
            .and_then(|()| self.file.read_exact(&mut out[was..]));
        if read.is_err() {
            out.truncate(was);
            // Where the file stands is no longer known: later rows are made afresh.
            self.at = u64::MAX;
            return false;
        }
        self.at = start + u64::from(len);
        true
    }
}
