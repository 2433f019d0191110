//! Ledger cell reading: a workbook (whole bytes, or a sheet's XML in a valid package) or a CSV file
//! through the bounded readers, header recognition and row drafting: must never panic, and never
//! keep more cells than the readers' limit.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rectify::ledger::{self, columns, rows};
use rectify::model::{Organisation, Unit};
use std::collections::BTreeMap;
use std::io::{Cursor, Write};

const MAIN: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const PKG: &str = "http://schemas.openxmlformats.org/package/2006/relationships";

/// A valid package around `sheet` as the XML of its only worksheet.
fn package(sheet: &[u8]) -> Vec<u8> {
    let parts: [(&str, Vec<u8>); 4] = [
        (
            "_rels/.rels",
            format!("<Relationships xmlns=\"{PKG}\"><Relationship Id=\"rId1\" Type=\"{REL}/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>").into_bytes(),
        ),
        (
            "xl/workbook.xml",
            format!("<workbook xmlns=\"{MAIN}\" xmlns:r=\"{REL}\"><sheets><sheet name=\"s\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>").into_bytes(),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            format!("<Relationships xmlns=\"{PKG}\"><Relationship Id=\"rId1\" Type=\"{REL}/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>").into_bytes(),
        ),
        ("xl/worksheets/sheet1.xml", sheet.to_vec()),
    ];
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, body) in parts {
        zip.start_file(name, stored).unwrap();
        zip.write_all(&body).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

fn organisation() -> Organisation {
    let street = |id: &str, name: &str| Unit {
        id: id.into(),
        name: name.into(),
        full_name: None,
        communities: vec![],
    };
    Organisation {
        departments: vec![],
        streets: vec![street("dongshan", "东山街道"), street("baiyun", "白云街道")],
        groups: vec![],
        rivers: vec![],
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let tables = match mode % 3 {
        0 => ledger::workbook_from(Cursor::new(rest), "f.xlsx", None),
        1 => ledger::workbook_from(Cursor::new(package(rest)), "f.xlsx", None),
        _ => ledger::csv_table(rest, "f.csv").map(|t| vec![t]),
    };
    let Ok(tables) = tables else {
        return;
    };
    let org = organisation();
    let map = BTreeMap::new();
    for table in &tables {
        let cells: usize = table.rows.iter().map(|r| r.cells.len()).sum();
        assert!(cells <= 2_000_001, "kept {cells} cells");
        if let Some(header) = columns::find(&table.rows, &map) {
            for row in &table.rows[header.index + 1..] {
                if let Some(d) = rows::draft(row, &header, &org, Some("升级改造")) {
                    let _ = d.yaml("X-1", None);
                }
            }
        }
    }
});
