//! The workbook's zip container, written here because its entries arrive already deflated (in
//! pieces, see [`super::deflate`]) and no zip crate takes pre-compressed data with a known CRC.
//! Deterministic: entries in the order given, one fixed time, no extra fields.

use super::deflate::{FINAL_BLOCK, Piece, combined, put_stream};
use anyhow::{Result, anyhow};

/// 1980-01-01 00:00:00, the earliest MS-DOS time: the same in every build.
const DOS_TIME: u16 = 0;
const DOS_DATE: u16 = (1 << 5) | 1;
/// Version 2.0: deflate.
const VERSION: u16 = 20;
const DEFLATE: u16 = 8;

/// One entry: its name in the archive and its bytes as deflated pieces.
pub struct Entry {
    pub name: String,
    pub pieces: Vec<Piece>,
}

/// The zip file holding `entries`. A workbook past the classic zip limits (4 GB, 65,535 entries)
/// is an error, not a damaged file.
pub fn write(entries: &[Entry]) -> Result<Vec<u8>> {
    let too_big = || anyhow!("writing lists.xlsx: the workbook is larger than a zip file can hold");
    let count = u16::try_from(entries.len()).map_err(|_| too_big())?;
    // Sized once: growing a 10 MB buffer by doubling would briefly hold it twice.
    let packed_size =
        |e: &Entry| e.pieces.iter().map(|p| p.deflated.len()).sum::<usize>() + FINAL_BLOCK.len();
    let names: usize = entries.iter().map(|e| e.name.len()).sum();
    let data: usize = entries.iter().map(packed_size).sum();
    let mut out = Vec::with_capacity(data + names * 2 + entries.len() * (30 + 46) + 22);
    let mut central = Vec::new();
    for e in entries {
        let (crc, len) = combined(&e.pieces);
        let offset = u32::try_from(out.len()).map_err(|_| too_big())?;
        let sizes = [packed_size(e) as u64, len].map(u32::try_from);
        let [Ok(packed), Ok(len)] = sizes else {
            return Err(too_big());
        };
        let name = e.name.as_bytes();
        let name_len = u16::try_from(name.len()).map_err(|_| too_big())?;
        let fields = Fields {
            crc,
            packed,
            len,
            name_len,
        };
        out.extend_from_slice(&0x04034b50u32.to_le_bytes());
        fields.put(&mut out);
        out.extend_from_slice(&0u16.to_le_bytes()); // extra field length
        out.extend_from_slice(name);
        put_stream(&mut out, &e.pieces);
        central.extend_from_slice(&0x02014b50u32.to_le_bytes());
        central.extend_from_slice(&VERSION.to_le_bytes()); // made by
        fields.put(&mut central);
        // extra, comment, disk, internal and external attributes: none.
        central.extend_from_slice(&[0; 2 + 2 + 2 + 2 + 4]);
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(name);
    }
    let at = u32::try_from(out.len()).map_err(|_| too_big())?;
    let size = u32::try_from(central.len()).map_err(|_| too_big())?;
    out.extend_from_slice(&central);
    out.extend_from_slice(&0x06054b50u32.to_le_bytes());
    out.extend_from_slice(&[0; 4]); // this disk, the central directory's disk
    out.extend_from_slice(&count.to_le_bytes());
    out.extend_from_slice(&count.to_le_bytes());
    out.extend_from_slice(&size.to_le_bytes());
    out.extend_from_slice(&at.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes()); // comment length
    u32::try_from(out.len()).map_err(|_| too_big())?;
    Ok(out)
}

/// The fields a local header and a central directory entry share, from "version needed" to the
/// name's length.
struct Fields {
    crc: u32,
    packed: u32,
    len: u32,
    name_len: u16,
}

impl Fields {
    fn put(&self, out: &mut Vec<u8>) {
        for half in [VERSION, 0, DEFLATE, DOS_TIME, DOS_DATE] {
            out.extend_from_slice(&half.to_le_bytes());
        }
        for word in [self.crc, self.packed, self.len] {
            out.extend_from_slice(&word.to_le_bytes());
        }
        out.extend_from_slice(&self.name_len.to_le_bytes());
    }
}

/// The entries of a zip file (the workbook rust_xlsxwriter made), names and bytes, in its order.
pub fn read(bytes: &[u8]) -> Result<Vec<(String, Vec<u8>)>> {
    use std::io::Read;
    let bad = |e: &dyn std::fmt::Display| anyhow!("writing lists.xlsx: {e}");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| bad(&e))?;
    (0..zip.len())
        .map(|i| {
            let mut file = zip.by_index(i).map_err(|e| bad(&e))?;
            let mut data = Vec::new();
            file.read_to_end(&mut data).map_err(|e| bad(&e))?;
            let name = file.name().map_err(|e| bad(&e))?.into_owned();
            Ok((name, data))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_zip_crate_reads_what_is_written() {
        let parts: [&[u8]; 3] = [b"<a>", &[b'z'; 70_000], "越秀</a>".as_bytes()];
        let entries = vec![
            Entry {
                name: "[Content_Types].xml".into(),
                pieces: vec![Piece::deflate(b"<Types/>").unwrap()],
            },
            Entry {
                name: "xl/worksheets/sheet1.xml".into(),
                pieces: parts.iter().map(|p| Piece::deflate(p).unwrap()).collect(),
            },
            Entry {
                name: "empty".into(),
                pieces: vec![],
            },
        ];
        let bytes = write(&entries).unwrap();
        assert_eq!(bytes.len(), bytes.capacity(), "sized once, never grown");
        let back = read(&bytes).unwrap();
        assert_eq!(
            back,
            vec![
                ("[Content_Types].xml".to_string(), b"<Types/>".to_vec()),
                ("xl/worksheets/sheet1.xml".to_string(), parts.concat()),
                ("empty".to_string(), vec![]),
            ]
        );
        assert_eq!(write(&entries).unwrap(), bytes, "deterministic");
    }
}
