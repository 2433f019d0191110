//! The workbook of `data/lists.xlsx` put together: rust_xlsxwriter's frame (see
//! [`super::frame_workbook`]), the list sheets' rows written as XML in chunks and deflated apart,
//! each taken from the chunk store when its bytes did not change, and the zip around them.

use super::deflate::Piece;
use super::store::Store;
use super::{
    Cell, LIST_COLUMNS, frame_workbook, list_cells, list_rows, private_keys, sheetxml, zipfile,
};
use crate::lang::Lang;
use crate::model::Case;
use crate::render::Renderer;
use anyhow::{Result, anyhow};

/// `data/lists.xlsx`. Deterministic: the document's creation time is D, the zip's times fixed.
///
/// rust_xlsxwriter makes everything but the list sheets' data rows (styles, 汇总, each sheet's
/// title, header, widths, freeze panes, autofilter: small, and easy to get subtly wrong by hand),
/// and its probe row tells the data cells' style indices, so styles.xml has one author. The data
/// rows, 100,000 at scale, are written and deflated here in chunks that the chunk store keeps
/// between builds ([`super::store`]), so a build that changed one case deflates one chunk.
pub fn xlsx(r: &Renderer) -> Result<Vec<u8>> {
    let store = Store::open(r.lists_store.clone())?;
    let bytes = assemble(r, &store, CHUNK_ROWS)?;
    store.prune();
    if crate::timings::enabled() {
        let (n, of) = (store.deflated(), store.asked());
        eprintln!("data/lists.xlsx: {n} of {of} row chunks deflated, the rest reused");
    }
    Ok(bytes)
}

/// The workbook, its list sheets' rows in chunks of `chunk_rows` taken from `store` or deflated.
pub(super) fn assemble(r: &Renderer, store: &Store, chunk_rows: usize) -> Result<Vec<u8>> {
    let lists = list_rows(r);
    let keys = private_keys(r);
    let frame = frame_workbook(r, &lists, &keys)?;
    let mut entries = Vec::new();
    for (name, bytes) in zipfile::read(&frame)? {
        let sheet = (0..lists.len()).find(|i| name == format!("xl/worksheets/sheet{}.xml", i + 1));
        let pieces = match sheet {
            Some(i) if !lists[i].is_empty() => {
                let sheet = ListSheet {
                    cases: &lists[i],
                    keys: &keys,
                    chunk_rows,
                };
                list_pieces(r, store, &bytes, sheet)?
            }
            _ => vec![Piece::deflate(&bytes)?],
        };
        entries.push(zipfile::Entry { name, pieces });
    }
    zipfile::write(&entries)
}

impl Renderer<'_> {
    /// Keeps lists.xlsx's deflated chunks between builds that write to `output`, in the cache
    /// folder (`lists/<hash of the output's path>`: one store per output, so builds of two outputs
    /// do not evict each other's chunks). Without a cache folder, nothing is kept.
    pub fn keep_list_chunks(&mut self, output: &std::path::Path) {
        let path = std::path::absolute(output).unwrap_or_else(|_| output.to_path_buf());
        let hash = blake3::hash(path.as_os_str().as_encoded_bytes());
        let name = format!("lists/{}", &hash.to_hex()[..16]);
        self.lists_store = crate::cache::folder(&name, output);
    }
}

/// Rows per chunk: large enough that deflating chunks apart costs next to nothing in size, small
/// enough that one changed case re-deflates little (measured in BENCHMARKS.md).
const CHUNK_ROWS: usize = 1000;

/// One list sheet's rows: its cases in order, the `private` keys, and how many rows a chunk holds.
struct ListSheet<'a> {
    cases: &'a [&'a Case],
    keys: &'a [String],
    chunk_rows: usize,
}

/// A list sheet's XML as deflated pieces: the frame's head, the data rows chunk by chunk (made in
/// parallel, each from the store when its bytes did not change), the frame's tail.
fn list_pieces(r: &Renderer, store: &Store, frame: &[u8], sheet: ListSheet) -> Result<Vec<Piece>> {
    use rayon::prelude::*;
    let ListSheet {
        cases,
        keys,
        chunk_rows,
    } = sheet;
    let width = (LIST_COLUMNS.len() + keys.len()) as u16;
    let frame = std::str::from_utf8(frame).map_err(|e| anyhow!("writing lists.xlsx: {e}"))?;
    let last = sheetxml::column_name(width - 1);
    let sheetxml::Frame { head, tail, styles } = sheetxml::split(frame, &last, cases.len())?;
    let sheet = sheetxml::Sheet::new(width, styles);
    let chunks = cases
        .par_chunks(chunk_rows)
        .enumerate()
        .map(|(i, chunk)| {
            let mut xml = String::with_capacity(chunk.len() * 1200);
            for (j, c) in chunk.iter().enumerate() {
                let n = i * chunk_rows + j;
                let row = sheetxml::FIRST_ROW + n as u32;
                let x = sheetxml::RowXml::open(&mut xml, &sheet, row);
                data_row(r, x, n + 1, c, keys)?;
            }
            store.piece(xml.as_bytes())
        })
        .collect::<Result<Vec<Piece>>>()?;
    let mut pieces = Vec::with_capacity(chunks.len() + 2);
    pieces.push(Piece::deflate(head.as_bytes())?);
    pieces.extend(chunks);
    pieces.push(Piece::deflate(tail.as_bytes())?);
    Ok(pieces)
}

/// One case's row after `<row>`: its 序号 `number`, its cells, then its `private` values under
/// `keys`.
fn data_row(
    r: &Renderer,
    mut x: sheetxml::RowXml,
    number: usize,
    c: &Case,
    keys: &[String],
) -> Result<()> {
    let too_long = |col: usize| {
        let name = LIST_COLUMNS
            .get(col)
            .map_or_else(|| keys[col - LIST_COLUMNS.len()].clone(), |n| n.to_string());
        let (path, id) = (&c.path, &c.id);
        match r.site.config.lang {
            Lang::Zh => anyhow!(
                "{path}：场所 {id} 的“{name}”超过表格一格能放的 32,767 个字符，data/lists.xlsx 无法生成；请缩短后重新生成"
            ),
            Lang::En => anyhow!(
                "{path}: case {id}: {name} is longer than a spreadsheet cell holds (32,767 characters), so data/lists.xlsx cannot be written; shorten it"
            ),
        }
    };
    x.number(0, number as i64);
    for (i, cell) in list_cells(r, c).iter().enumerate() {
        let col = i as u16 + 1;
        match cell {
            Cell::Text(t) => x.text(col, t).map_err(|_| too_long(col as usize))?,
            Cell::Date(d) => x.date(col, *d),
        }
    }
    for (i, k) in keys.iter().enumerate() {
        let v = c
            .private
            .iter()
            .find(|(pk, _)| pk == k)
            .map_or("", |(_, v)| v);
        let col = LIST_COLUMNS.len() + i;
        x.text(col as u16, v).map_err(|_| too_long(col))?;
    }
    x.close();
    Ok(())
}
