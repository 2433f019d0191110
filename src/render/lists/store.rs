//! The chunk store: the deflated pieces of the list sheets that the last build used, kept in the
//! cache folder (never in the output: an internal build's lists hold `private:` values) so a build
//! deflates only the chunks whose bytes changed. A chunk's file is named by a hash of its XML, so a
//! stale store cannot give wrong bytes; what is read back is checked (length, CRC-32 of the XML,
//! hash of the deflated bytes) and anything amiss is deflated afresh. The store is a speed-up
//! only: missing, unwritable or corrupt, the workbook is the same.

use super::deflate::{LEVEL, Piece, looks_whole};
use anyhow::Result;
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The head of a chunk file, then the deflated bytes.
const MAGIC: &[u8; 8] = b"rxchunk1";
const HEAD: usize = 8 + 4 + 8 + 32;
const SUFFIX: &str = ".chunk";

pub struct Store {
    dir: Option<PathBuf>,
    /// Keys the chunk names: the format and what this build's compressor makes of a sample, so a
    /// different compressor (a new rectify) does not reuse pieces a clean build would not make.
    key: [u8; 32],
    used: Mutex<BTreeSet<String>>,
    /// How many pieces were asked for, and how many deflated rather than read back.
    asked: AtomicUsize,
    deflated: AtomicUsize,
}

impl Store {
    /// A store in `dir`; with `None`, every piece is deflated afresh.
    pub fn open(dir: Option<PathBuf>) -> Result<Store> {
        let sample =
            "<row r=\"3\"><c r=\"B3\" s=\"2\" t=\"inlineStr\"><is><t>越秀区 &amp; 1</t></is></c>"
                .repeat(64);
        let mut h = blake3::Hasher::new();
        h.update(b"rectify lists.xlsx chunk store 1");
        h.update(&LEVEL.to_le_bytes());
        h.update(&Piece::deflate(sample.as_bytes())?.deflated);
        Ok(Store {
            dir,
            key: *h.finalize().as_bytes(),
            used: Mutex::new(BTreeSet::new()),
            asked: AtomicUsize::new(0),
            deflated: AtomicUsize::new(0),
        })
    }

    /// `xml` deflated: read from the store when it holds it whole, else deflated and stored.
    pub fn piece(&self, xml: &[u8]) -> Result<Piece> {
        self.asked.fetch_add(1, Ordering::Relaxed);
        let Some(dir) = &self.dir else {
            self.deflated.fetch_add(1, Ordering::Relaxed);
            return Piece::deflate(xml);
        };
        let name = format!("{}{SUFFIX}", blake3::keyed_hash(&self.key, xml).to_hex());
        self.used
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(name.clone());
        let path = dir.join(&name);
        if let Some(piece) = read(&path, xml) {
            return Ok(piece);
        }
        self.deflated.fetch_add(1, Ordering::Relaxed);
        let piece = Piece::deflate(xml)?;
        let _ = write(dir, &name, &piece);
        Ok(piece)
    }

    /// How many pieces this store deflated (the others were read back).
    pub fn deflated(&self) -> usize {
        self.deflated.load(Ordering::Relaxed)
    }

    /// How many pieces were asked for.
    pub fn asked(&self) -> usize {
        self.asked.load(Ordering::Relaxed)
    }

    /// Removes the chunks this build did not use (and any half-written file a killed build left),
    /// so the store holds only the last build's chunks.
    pub fn prune(&self) {
        let Some(dir) = &self.dir else { return };
        let used = self.used.lock().unwrap_or_else(|e| e.into_inner());
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            // A temporary file of `write_private`: `<name>.tmp-<pid>`.
            let ours = name.ends_with(SUFFIX) || name.contains(".tmp-");
            if ours && !used.contains(&name) {
                let _ = fs::remove_file(entry.path());
            }
        }
    }
}

/// The piece stored at `path`, if it is there whole and holds `xml`.
fn read(path: &Path, xml: &[u8]) -> Option<Piece> {
    let bytes = fs::read(path).ok()?;
    if bytes.len() < HEAD || &bytes[..8] != MAGIC {
        return None;
    }
    let crc = u32::from_le_bytes(bytes[8..12].try_into().ok()?);
    let len = u64::from_le_bytes(bytes[12..20].try_into().ok()?);
    let deflated = &bytes[HEAD..];
    let whole = blake3::hash(deflated).as_bytes()[..] == bytes[20..HEAD];
    let holds = len == xml.len() as u64 && crc == crc32fast::hash(xml);
    (whole && holds && looks_whole(deflated)).then(|| Piece {
        deflated: deflated.to_vec(),
        crc,
        len,
    })
}

/// Stores `piece` as `dir/name`, readable by the user alone, whole or not at all (see
/// `write::write_private`: a killed build leaves no partial chunk under a real name).
fn write(dir: &Path, name: &str, piece: &Piece) -> bool {
    let mut bytes = Vec::with_capacity(HEAD + piece.deflated.len());
    bytes.extend_from_slice(MAGIC);
    bytes.extend_from_slice(&piece.crc.to_le_bytes());
    bytes.extend_from_slice(&piece.len.to_le_bytes());
    bytes.extend_from_slice(blake3::hash(&piece.deflated).as_bytes());
    bytes.extend_from_slice(&piece.deflated);
    crate::write::write_private(&dir.join(name), &bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(dir: &Path) -> Vec<PathBuf> {
        let mut v: Vec<PathBuf> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn a_stored_piece_is_read_back_as_made() {
        let tmp = tempfile::tempdir().unwrap();
        let store = Store::open(Some(tmp.path().to_path_buf())).unwrap();
        let xml = "<row r=\"9\"><c r=\"A9\" s=\"1\"><v>7</v></c></row>".repeat(100);
        let made = store.piece(xml.as_bytes()).unwrap();
        let stored = files(tmp.path());
        assert_eq!(stored.len(), 1);
        assert_eq!(read(&stored[0], xml.as_bytes()), Some(made.clone()));
        assert_eq!(store.piece(xml.as_bytes()).unwrap(), made);
        assert_eq!(made, Piece::deflate(xml.as_bytes()).unwrap());
    }

    /// Table: a damaged chunk file is not used; the piece is deflated again and stored whole.
    #[test]
    fn a_damaged_chunk_is_deflated_again() {
        type Damage = fn(&mut Vec<u8>);
        let damages: [(&str, Damage); 5] = [
            ("truncated", |b| b.truncate(b.len() - 3)),
            ("empty", |b| b.clear()),
            ("one byte flipped", |b| {
                let n = b.len() - 6;
                b[n] ^= 0x40
            }),
            ("wrong length", |b| b[12] ^= 1),
            ("wrong magic", |b| b[0] = b'X'),
        ];
        let xml =
            "<row r=\"5\"><c r=\"C5\" s=\"1\" t=\"inlineStr\"><is><t>登峰街道</t></is></c></row>"
                .repeat(50);
        let fresh = Piece::deflate(xml.as_bytes()).unwrap();
        for (what, damage) in damages {
            let tmp = tempfile::tempdir().unwrap();
            let store = Store::open(Some(tmp.path().to_path_buf())).unwrap();
            store.piece(xml.as_bytes()).unwrap();
            let path = files(tmp.path()).remove(0);
            let mut bytes = fs::read(&path).unwrap();
            damage(&mut bytes);
            fs::write(&path, &bytes).unwrap();
            assert_eq!(read(&path, xml.as_bytes()), None, "{what}");
            let again = Store::open(Some(tmp.path().to_path_buf())).unwrap();
            assert_eq!(again.piece(xml.as_bytes()).unwrap(), fresh, "{what}");
            assert!(
                read(&path, xml.as_bytes()).is_some(),
                "{what}: stored again"
            );
        }
    }

    #[test]
    fn prune_keeps_only_the_chunks_used() {
        let tmp = tempfile::tempdir().unwrap();
        let first = Store::open(Some(tmp.path().to_path_buf())).unwrap();
        first.piece(b"<row r=\"3\"/>").unwrap();
        first.piece(b"<row r=\"4\"/>").unwrap();
        fs::write(tmp.path().join("x.tmp-1"), b"half").unwrap();
        fs::write(tmp.path().join("notes.txt"), b"not ours").unwrap();
        let second = Store::open(Some(tmp.path().to_path_buf())).unwrap();
        second.piece(b"<row r=\"4\"/>").unwrap();
        second.prune();
        let left: Vec<String> = files(tmp.path())
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(left.len(), 2, "{left:?}");
        assert!(left.contains(&"notes.txt".to_string()));
    }

    #[test]
    fn an_unusable_folder_only_costs_time() {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("a-file");
        fs::write(&file, b"").unwrap();
        let store = Store::open(Some(file.join("store"))).unwrap();
        let xml = b"<row r=\"3\"><c r=\"A3\" s=\"1\"><v>1</v></c></row>";
        assert_eq!(store.piece(xml).unwrap(), Piece::deflate(xml).unwrap());
        store.prune();
    }
}
