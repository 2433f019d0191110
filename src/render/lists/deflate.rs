//! Deflated pieces that concatenate: each piece of a zip entry's bytes is deflated on its own (a
//! fresh compressor, ended by a sync flush so it stops on a byte boundary), so an unchanged piece
//! can be taken from the last build instead of compressed again. The pieces, then one final empty
//! block, form one valid raw deflate stream; the entry's CRC-32 is combined from the pieces'.

use anyhow::{Result, anyhow, bail};
use flate2::{Compress, Compression, FlushCompress, Status};

/// The compression level of today's workbook (rust_xlsxwriter's): level 1 makes the file twice
/// as large for a quarter of the time.
pub const LEVEL: u32 = 6;

/// A final, empty block with fixed codes: BFINAL=1, BTYPE=01, end-of-block; closes the stream.
pub const FINAL_BLOCK: [u8; 2] = [0x03, 0x00];

/// The empty stored block a sync flush ends with.
const SYNC_TAIL: [u8; 4] = [0x00, 0x00, 0xff, 0xff];

/// One piece of an entry: its raw deflate bytes (ending on a sync flush, not final), and the
/// CRC-32 and length of the bytes it holds.
#[derive(Debug, Clone, PartialEq)]
pub struct Piece {
    pub deflated: Vec<u8>,
    pub crc: u32,
    pub len: u64,
}

impl Piece {
    /// `bytes` deflated by a fresh compressor and ended by a sync flush.
    pub fn deflate(bytes: &[u8]) -> Result<Piece> {
        let mut c = Compress::new(Compression::new(LEVEL), false);
        let mut out = Vec::with_capacity(bytes.len() / 6 + 64);
        loop {
            let done = c.total_in() as usize;
            let status = c
                .compress_vec(&bytes[done..], &mut out, FlushCompress::Sync)
                .map_err(|e| anyhow!("writing lists.xlsx: deflate failed: {e}"))?;
            // The flush is complete once all input is taken and output space is left over.
            let all_in = c.total_in() as usize == bytes.len();
            if matches!(status, Status::StreamEnd) || (all_in && out.len() < out.capacity()) {
                break;
            }
            out.reserve(out.capacity().max(64 * 1024));
        }
        if !out.ends_with(&SYNC_TAIL) {
            bail!("writing lists.xlsx: deflate did not end on a sync flush");
        }
        Ok(Piece {
            deflated: out,
            crc: crc32fast::hash(bytes),
            len: bytes.len() as u64,
        })
    }
}

/// The CRC-32 and length of the pieces' bytes one after another.
pub fn combined(pieces: &[Piece]) -> (u32, u64) {
    let mut all = crc32fast::Hasher::new();
    for p in pieces {
        all.combine(&crc32fast::Hasher::new_with_initial_len(p.crc, p.len));
    }
    let len = pieces.iter().map(|p| p.len).sum();
    (all.finalize(), len)
}

/// Appends the pieces as one raw deflate stream, closed by the final block.
pub fn put_stream(out: &mut Vec<u8>, pieces: &[Piece]) {
    for p in pieces {
        out.extend_from_slice(&p.deflated);
    }
    out.extend_from_slice(&FINAL_BLOCK);
}

/// Whether `deflated` could be a piece: the store checks what it reads back with this.
pub fn looks_whole(deflated: &[u8]) -> bool {
    deflated.ends_with(&SYNC_TAIL)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn stream(pieces: &[Piece]) -> Vec<u8> {
        let mut out = Vec::new();
        put_stream(&mut out, pieces);
        out
    }

    fn inflate(stream: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        flate2::read::DeflateDecoder::new(stream)
            .read_to_end(&mut out)
            .unwrap();
        out
    }

    #[test]
    fn pieces_concatenate_into_one_stream() {
        let parts: [&[u8]; 4] = [
            b"<row r=\"3\"><c r=\"A3\"/></row>",
            b"",
            &[b'x'; 200_000],
            "广州市越秀区 & <>".as_bytes(),
        ];
        let pieces: Vec<Piece> = parts.iter().map(|p| Piece::deflate(p).unwrap()).collect();
        let whole = parts.concat();
        assert_eq!(inflate(&stream(&pieces)), whole);
        assert_eq!(
            combined(&pieces),
            (crc32fast::hash(&whole), whole.len() as u64)
        );
        assert!(pieces.iter().all(|p| looks_whole(&p.deflated)));
    }

    #[test]
    fn no_pieces_is_an_empty_stream() {
        assert_eq!(inflate(&stream(&[])), b"");
        assert_eq!(combined(&[]), (0, 0));
    }

    #[test]
    fn the_same_bytes_deflate_the_same() {
        let text = "<c r=\"B9\" s=\"3\" t=\"inlineStr\"><is><t>关停取缔</t></is></c>".repeat(500);
        assert_eq!(
            Piece::deflate(text.as_bytes()).unwrap(),
            Piece::deflate(text.as_bytes()).unwrap()
        );
    }
}
