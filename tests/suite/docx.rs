//! The briefing as a Word document: written where it should be, well-formed, laid out as GB/T
//! 9704-2012 asks, holding the page's tables, byte-identical across builds, and opened by LibreOffice.

use crate::common::{Cli, copy_tree, tests_dir};
use rectify::sample::{Spec, generate};
use std::collections::BTreeMap;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

fn small() -> PathBuf {
    tests_dir().join("fixtures/small/content")
}

fn build(content: &Path, output: &Path, profile: &str) {
    Cli::new()
        .args(["build", "--profile", profile])
        .content(content)
        .output(output)
        .succeeds();
}

/// The .docx files a build wrote, by month.
fn docx_files(output: &Path) -> Vec<(String, PathBuf)> {
    let mut out: Vec<(String, PathBuf)> = fs::read_dir(output.join("briefings"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "docx"))
        .map(|p| (p.file_stem().unwrap().to_string_lossy().into_owned(), p))
        .collect();
    out.sort();
    out
}

/// The package's XML parts by name.
fn parts(docx: &Path) -> BTreeMap<String, String> {
    let mut zip = zip::ZipArchive::new(fs::File::open(docx).unwrap()).unwrap();
    let mut out = BTreeMap::new();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        let name = entry.name().unwrap().into_owned();
        let mut text = String::new();
        entry.read_to_string(&mut text).unwrap();
        out.insert(name, text);
    }
    out
}

fn w<'a>(node: roxmltree::Node<'a, 'a>, name: &str) -> Option<roxmltree::Node<'a, 'a>> {
    node.children().find(|n| n.has_tag_name((W, name)))
}

fn attr(node: roxmltree::Node, name: &str) -> String {
    node.attribute((W, name)).unwrap_or_default().to_string()
}

/// The text of a node's `w:t` runs.
fn text_of(node: roxmltree::Node) -> String {
    node.descendants()
        .filter(|n| n.has_tag_name((W, "t")))
        .filter_map(|n| n.text())
        .collect()
}

/// Every table's rows of cell texts.
fn tables(doc: &roxmltree::Document) -> Vec<Vec<Vec<String>>> {
    doc.descendants()
        .filter(|n| n.has_tag_name((W, "tbl")))
        .map(|t| {
            t.children()
                .filter(|n| n.has_tag_name((W, "tr")))
                .map(|tr| {
                    tr.children()
                        .filter(|n| n.has_tag_name((W, "tc")))
                        .map(|tc| text_of(tc).trim().to_string())
                        .collect()
                })
                .collect()
        })
        .collect()
}

/// The briefing page's own tables (the three lists, the streets, the case lists), as text.
fn html_tables(html: &str) -> Vec<Vec<Vec<String>>> {
    let page = scraper::Html::parse_document(html);
    let table = scraper::Selector::parse(
        "article.document table.briefing-table, article.document table.cases",
    )
    .unwrap();
    let row = scraper::Selector::parse("tr").unwrap();
    let cell = scraper::Selector::parse("th, td").unwrap();
    page.select(&table)
        .map(|t| {
            t.select(&row)
                .map(|r| {
                    r.select(&cell)
                        .map(|c| {
                            let t = c.text().collect::<Vec<_>>().join(" ");
                            let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
                            if t.is_empty() { "—".into() } else { t }
                        })
                        .collect()
                })
                .collect()
        })
        .collect()
}

/// The children of the property elements in the order ECMA-376's `wml.xsd` declares them.
const SCHEMA: [(&str, &str); 4] = [
    (
        "pPr",
        "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers \
         pBdr shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE \
         autoSpaceDN bidi adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents \
         suppressOverlap jc textDirection textAlignment textboxTightWrap outlineLvl divId cnfStyle \
         rPr sectPr pPrChange",
    ),
    (
        "rPr",
        "ins del moveFrom moveTo rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline \
         shadow emboss imprint noProof snapToGrid vanish webHidden color spacing w kern position sz \
         szCs highlight u effect bdr shd fitText vertAlign rtl cs em lang eastAsianLayout \
         specVanish oMath rPrChange",
    ),
    (
        "sectPr",
        "headerReference footerReference footnotePr endnotePr type pgSz pgMar paperSrc pgBorders \
         lnNumType pgNumType cols formProt vAlign noEndnote titlePg textDirection bidi rtlGutter \
         docGrid printerSettings sectPrChange",
    ),
    (
        "tblPr",
        "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc \
         tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook tblCaption \
         tblDescription tblPrChange",
    ),
];

/// Every `w:pPr`, `w:rPr`, `w:sectPr` and `w:tblPr` in the part has only children the schema
/// allows there, in the schema's order (Word may refuse a file that breaks it; LibreOffice not).
fn check_schema_order(name: &str, doc: &roxmltree::Document) {
    for (parent, sequence) in SCHEMA {
        let sequence: Vec<&str> = sequence.split_whitespace().collect();
        for node in doc.descendants().filter(|n| n.has_tag_name((W, parent))) {
            let ranks: Vec<usize> = node
                .children()
                .filter(|c| c.is_element())
                .map(|c| {
                    let child = c.tag_name().name();
                    sequence
                        .iter()
                        .position(|s| *s == child)
                        .unwrap_or_else(|| panic!("{name}: w:{child} is no child of w:{parent}"))
                })
                .collect();
            assert!(
                ranks.windows(2).all(|w| w[0] <= w[1]),
                "{name}: the children of a w:{parent} out of the schema's order: {:?}",
                node.children()
                    .map(|c| c.tag_name().name().to_string())
                    .collect::<Vec<_>>()
            );
        }
    }
}

/// The package holds what Word asks of it: a content type for every part, every relationship's
/// target in the package, every part reached by some relationship, and Word 2013's layout.
fn check_package(parts: &BTreeMap<String, String>) {
    let types = roxmltree::Document::parse(&parts["[Content_Types].xml"]).unwrap();
    let defaults: Vec<&str> = types
        .descendants()
        .filter(|n| n.has_tag_name("Default"))
        .filter_map(|n| n.attribute("Extension"))
        .collect();
    let overrides: Vec<&str> = types
        .descendants()
        .filter(|n| n.has_tag_name("Override"))
        .filter_map(|n| n.attribute("PartName"))
        .collect();
    for part in overrides.iter() {
        assert!(
            parts.contains_key(&part[1..]),
            "a content type for the missing part {part}"
        );
    }
    let mut reached = vec!["[Content_Types].xml".to_string(), "_rels/.rels".to_string()];
    for (name, xml) in parts.iter().filter(|(n, _)| n.ends_with(".rels")) {
        let folder = name.trim_end_matches(".rels").replace("_rels/", "");
        let folder = Path::new(&folder)
            .parent()
            .unwrap_or(Path::new(""))
            .to_path_buf();
        let rels = roxmltree::Document::parse(xml).unwrap();
        for rel in rels
            .descendants()
            .filter(|n| n.has_tag_name("Relationship"))
        {
            let target = folder.join(rel.attribute("Target").unwrap());
            let target = target.to_string_lossy().into_owned();
            assert!(
                parts.contains_key(&target),
                "{name} points at {target}, not in the package"
            );
            reached.push(target);
        }
        reached.push(name.clone());
    }
    for name in parts.keys() {
        assert!(
            reached.contains(name),
            "{name}: no relationship leads to it"
        );
        if name == "[Content_Types].xml" {
            continue;
        }
        if name.ends_with(".xml") {
            assert!(
                overrides.contains(&format!("/{name}").as_str()),
                "{name} has no content type of its own"
            );
        } else {
            let ext = name.rsplit('.').next().unwrap();
            assert!(defaults.contains(&ext), "{name} has no content type");
        }
    }
    let settings = &parts["word/settings.xml"];
    assert!(
        settings.contains(r#"w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15""#),
        "Word 2013 compatibility mode"
    );
}

/// What every month's document must be, whatever the content.
fn check_docx(docx: &Path, html: &str) -> String {
    let parts = parts(docx);
    for (name, xml) in &parts {
        if name.ends_with(".xml") || name.ends_with(".rels") {
            let doc = roxmltree::Document::parse(xml)
                .unwrap_or_else(|e| panic!("{name} is not well-formed: {e}"));
            check_schema_order(name, &doc);
        }
    }
    check_package(&parts);
    let body = roxmltree::Document::parse(&parts["word/document.xml"]).unwrap();
    for name in ["word/document.xml", "word/footer1.xml", "word/footer2.xml"] {
        let doc = roxmltree::Document::parse(&parts[name]).unwrap();
        for r in doc.descendants().filter(|n| n.has_tag_name((W, "r"))) {
            let font = w(r, "rPr")
                .and_then(|p| w(p, "rFonts"))
                .map(|f| attr(f, "eastAsia"));
            assert!(
                font.is_some_and(|f| !f.is_empty()),
                "{name}: a run without an East Asian font in {}",
                docx.display()
            );
        }
    }
    // The issuer's name is red: its run, not only the paragraph's mark.
    let issuer = body
        .descendants()
        .find(|n| n.has_tag_name((W, "r")))
        .filter(|r| !text_of(*r).is_empty())
        .or_else(|| {
            body.descendants()
                .filter(|n| n.has_tag_name((W, "r")))
                .find(|r| !text_of(*r).is_empty())
        })
        .unwrap();
    let color = w(w(issuer, "rPr").unwrap(), "color").map(|c| attr(c, "val"));
    assert_eq!(
        color.as_deref(),
        Some("FF0000"),
        "the issuer in red: {}",
        text_of(issuer)
    );
    for fonts in ["仿宋_GB2312", "黑体", "方正小标宋简体"] {
        assert!(parts["word/document.xml"].contains(fonts), "{fonts} named");
    }
    for (footer, align) in [("word/footer1.xml", "right"), ("word/footer2.xml", "left")] {
        let xml = &parts[footer];
        assert!(
            xml.contains("PAGE")
                && xml.contains("— ")
                && xml.contains(" —")
                && xml.contains("宋体"),
            "{footer}"
        );
        assert!(
            xml.contains(&format!("w:jc w:val=\"{align}\"")),
            "{footer} on the {align}"
        );
        assert!(xml.contains("w:val=\"28\""), "{footer} in 4号");
    }
    assert!(parts["word/settings.xml"].contains("evenAndOddHeaders"));
    let sect = body
        .descendants()
        .find(|n| n.has_tag_name((W, "sectPr")))
        .unwrap();
    let size = w(sect, "pgSz").unwrap();
    assert_eq!(
        (attr(size, "w"), attr(size, "h")),
        ("11906".into(), "16838".into()),
        "A4"
    );
    let m = w(sect, "pgMar").unwrap();
    let margins = ["top", "bottom", "left", "right"].map(|k| attr(m, k));
    assert_eq!(
        margins,
        ["2098", "1984", "1587", "1474"].map(String::from),
        "37, 35, 28 and 26 mm"
    );
    let grid = w(sect, "docGrid").unwrap();
    assert_eq!(attr(grid, "type"), "lines", "a line grid");
    let lines = (16838 - 2098 - 1984) / attr(grid, "linePitch").parse::<i32>().unwrap();
    assert_eq!(lines, 22, "22 lines a page");
    // 28 characters a line: every 3号 run is condensed so 28 of its characters fit the 8845-twip
    // line and 29 do not (16 pt + spacing in twentieths of a point).
    for r in body.descendants().filter(|n| n.has_tag_name((W, "r"))) {
        let props = w(r, "rPr").unwrap();
        if w(props, "sz").is_some_and(|sz| attr(sz, "val") == "32") {
            let spacing: i32 = w(props, "spacing")
                .map(|s| attr(s, "val").parse().unwrap())
                .unwrap_or(0);
            let pitch = 320 + spacing;
            assert!(
                28 * pitch <= 8845 && 29 * pitch > 8845,
                "a 3号 run spaced {spacing}: {}",
                text_of(r)
            );
        }
    }

    // Figure tables keep their column widths in Word (fixed layout) and repeat their header row.
    for tbl in body.descendants().filter(|n| n.has_tag_name((W, "tbl"))) {
        let rows: Vec<_> = tbl
            .children()
            .filter(|n| n.has_tag_name((W, "tr")))
            .collect();
        let props = w(tbl, "tblPr").unwrap();
        if rows.len() > 1 && w(props, "tblpPr").is_none() {
            let layout = w(props, "tblLayout").map(|l| attr(l, "type"));
            assert_eq!(layout.as_deref(), Some("fixed"), "a table's layout");
            let head = w(rows[0], "trPr").and_then(|p| w(p, "tblHeader"));
            assert!(head.is_some(), "a table's header row repeats");
        }
    }

    // The page's tables, row for row and number for number; case lists by id, action and dates.
    let words: Vec<Vec<Vec<String>>> = tables(&body);
    let page = html_tables(html);
    let doc_tables: Vec<&Vec<Vec<String>>> = words
        .iter()
        .filter(|t| t.len() > 1 && t[0].len() >= 4)
        .collect();
    assert_eq!(
        doc_tables.len(),
        page.len(),
        "as many tables as the page in {}",
        docx.display()
    );
    for (d, h) in doc_tables.iter().zip(&page) {
        assert_eq!(d.len(), h.len(), "rows");
        if h[0].len() == 7 {
            for (dr, hr) in d.iter().zip(h).skip(1) {
                for k in [0, 3, 5, 6] {
                    assert_eq!(dr[k], hr[k], "a case row's cell {k}");
                }
            }
        } else {
            assert_eq!(*d, h, "a figures table");
        }
    }
    text_of(body.root())
}

#[test]
fn default_content_gives_every_month_a_gb9704_document() {
    let dir = tempfile::tempdir().unwrap();
    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    let out = dir.path().join("out");
    build(&content, &out, "internal");
    let files = docx_files(&out);
    assert!(files.len() >= 9, "a document for every month from 2022-03");
    let index = fs::read_to_string(out.join("briefings/index.html")).unwrap();
    let linked = index.matches(".docx\" download").count();
    assert_eq!(
        linked,
        files.len(),
        "the briefings index links every month's document"
    );
    let site = fs::read_to_string(content.join("site.yaml")).unwrap();
    assert!(site.contains("越秀散乱污办〔{year}〕{n}号"));
    for (i, (month, path)) in files.iter().enumerate() {
        let html = fs::read_to_string(out.join(format!("briefings/{month}.html"))).unwrap();
        assert!(
            html.contains(&format!("href=\"{month}.docx\"")),
            "{month}'s page links its document"
        );
        assert!(html.contains("下载 Word 版"));
        let text = check_docx(path, &html);
        let n = i + 1; // the campaign and its year both start in 2022-03
        assert!(text.contains(&format!("第{n}期")), "{month}: 期数");
        assert!(
            text.contains(&format!("越秀散乱污办〔2022〕{n}号")),
            "{month}: 文号"
        );
        assert!(
            html.contains(&format!("越秀散乱污办〔2022〕{n}号")),
            "{month}: 文号 on the page"
        );
        assert!(
            text.contains("洪桥街道办事处、北京街道办事处") && text.contains("区河长制办公室："),
            "{month}: 主送"
        );
        assert!(
            text.contains("抄送：区委办公室、区政府办公室"),
            "{month}: 抄送"
        );
        assert!(
            text.contains("越秀区强化“散乱污”场所清理整治专项工作组办公室"),
            "{month}: issuer"
        );
    }
    let june = check_docx(
        &out.join("briefings/2022-06.docx"),
        &fs::read_to_string(out.join("briefings/2022-06.html")).unwrap(),
    );
    // The title is too long for one 2号 line: it breaks between words, the upper line longer.
    let xml = &parts(&out.join("briefings/2022-06.docx"))["word/document.xml"];
    assert!(
        xml.contains("2022年6月“散乱污”场所清理整治</w:t><w:br w:type=\"textWrapping\" /></w:r>"),
        "the title's line break"
    );
    assert!(june.contains("2022年6月30日"), "the Chinese date");
    assert!(
        june.contains("下一步工作要求"),
        "the commentary under its own title"
    );
    assert!(!june.contains("2022-06-30日"));
    assert!(
        june.contains("个）；第2名：") && june.contains("个）。完成率后三名"),
        "the ranked streets in one sentence, semicolons between them"
    );
    convert_with_libreoffice(&files, dir.path());
}

#[test]
fn generated_content_gives_documents_that_open_and_repeat_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    let spec = Spec {
        seed: 11,
        cases: 40,
        streets: Some(4),
        notes: 4,
        publicity: 3,
        photos: false,
    };
    generate(&spec, &content).unwrap();
    let (one, two) = (dir.path().join("one"), dir.path().join("two"));
    build(&content, &one, "internal");
    build(&content, &two, "internal");
    let files = docx_files(&one);
    assert!(!files.is_empty());
    for (i, (month, path)) in files.iter().enumerate() {
        let html = fs::read_to_string(one.join(format!("briefings/{month}.html"))).unwrap();
        let text = check_docx(path, &html);
        assert!(text.contains(&format!("第{}期", i + 1)), "{month}: 期数");
        assert!(
            !text.contains("抄送"),
            "no 版记 line for 抄送 without `briefing.cc`"
        );
        let again = fs::read(two.join(format!("briefings/{month}.docx"))).unwrap();
        assert!(
            fs::read(path).unwrap() == again,
            "{month}.docx differs between two builds"
        );
    }
    convert_with_libreoffice(&files, dir.path());
}

/// Whether `program --version` runs here.
fn installed(program: &str) -> bool {
    std::process::Command::new(program)
        .arg("--version")
        .output()
        .is_ok()
}

/// LibreOffice opens every document: its headless conversion to PDF succeeds for each. Returns
/// the folder of the PDFs, or None where LibreOffice is not installed.
fn convert_with_libreoffice(files: &[(String, PathBuf)], scratch: &Path) -> Option<PathBuf> {
    if !installed("soffice") {
        eprintln!(
            "SKIPPED: soffice (LibreOffice) is not installed; the .docx files were not opened"
        );
        return None;
    }
    let pdf = scratch.join("pdf");
    // A profile of its own, so a LibreOffice already running elsewhere is left alone.
    let profile = format!(
        "-env:UserInstallation=file://{}",
        scratch.join("lo-profile").display()
    );
    let status = std::process::Command::new("soffice")
        .args([
            profile.as_str(),
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
        ])
        .arg(&pdf)
        .args(files.iter().map(|(_, p)| p))
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "soffice failed: {}",
        String::from_utf8_lossy(&status.stderr)
    );
    for (month, _) in files {
        let bytes = fs::read(pdf.join(format!("{month}.pdf"))).unwrap_or_default();
        assert!(
            bytes.starts_with(b"%PDF") && bytes.len() > 5000,
            "LibreOffice made no PDF of {month}.docx"
        );
    }
    Some(pdf)
}

#[test]
fn public_builds_write_the_document_only_when_the_site_asks() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    build(&small(), &out, "public");
    assert!(
        docx_files(&out).is_empty(),
        "a public build keeps the draft to itself"
    );
    let page = fs::read_to_string(out.join("briefings/2022-06.html")).unwrap();
    assert!(
        !page.contains(".docx") && page.contains("第4期"),
        "no link, but the 期数"
    );
    let index = fs::read_to_string(out.join("briefings/index.html")).unwrap();
    assert!(
        !index.contains(".docx") && !index.contains("Word 版"),
        "no Word column in the briefings index"
    );
    let content = dir.path().join("content");
    copy_tree(&small(), &content);
    let site = fs::read_to_string(content.join("site.yaml")).unwrap();
    let extra =
        "briefing:\n  number: 测试办〔{year}〕{n}号\n  to: [甲街道办事处]\n  public_docx: true\n";
    fs::write(content.join("site.yaml"), format!("{site}{extra}")).unwrap();
    let out = dir.path().join("opted-in");
    build(&content, &out, "public");
    let files = docx_files(&out);
    assert_eq!(files.len(), 4, "2022-03 to 2022-06");
    let index = fs::read_to_string(out.join("briefings/index.html")).unwrap();
    for (month, _) in &files {
        assert!(
            index.contains(&format!("<a href=\"{month}.docx\" download")),
            "the briefings index links {month}.docx"
        );
    }
    assert!(index.contains("<th scope=\"col\">Word 版</th>"));
    let page = fs::read_to_string(out.join("briefings/2022-06.html")).unwrap();
    assert!(
        page.contains("2022-06.docx")
            && page.contains("测试办〔2022〕4号")
            && page.contains("甲街道办事处：")
    );
    let text = check_docx(&files[3].1, &page);
    assert!(
        text.contains("测试区专项工作组办公室") && text.contains("2022年6月15日"),
        "issuer defaults to office; E is D"
    );
    // June has no commentary: no heading for it, on the page or in the document.
    assert!(!page.contains("八、") && !text.contains("八、") && !text.contains("工作点评"));
    // May's commentary shows under the generated sections, headed by its own title.
    let may = fs::read_to_string(out.join("briefings/2022-05.html")).unwrap();
    let may_text = check_docx(&files[2].1, &may);
    for words in [&may, &may_text] {
        let at = words
            .find("八、2022年5月进展通报")
            .expect("the commentary's own heading");
        assert!(
            at > words.find("七、").unwrap(),
            "after the generated sections"
        );
    }
}

#[test]
fn briefing_fields_are_validated_with_diagnostics() {
    let cases = [
        (
            "  number: 测试办〔{year}〕号\n",
            "没有期号 `{n}`",
            "site.yaml:13:11",
        ),
        (
            "  number: 测试办〔{yaer}〕{n}号\n",
            "`{yaer}` 不是可用的占位符",
            "只能用 `{year}`",
        ),
        (
            "  to: [甲街道, \"  \"]\n",
            "`briefing.to` 中有一项是空的",
            "site.yaml:13:13",
        ),
        ("  bcc: [乙]\n", "bcc", "site.yaml:13:3"),
        ("  public_docx: maybe\n", "public_docx", "site.yaml:13"),
    ];
    for (yaml, message, place) in cases {
        let dir = tempfile::tempdir().unwrap();
        copy_tree(&small(), dir.path());
        let site = fs::read_to_string(dir.path().join("site.yaml")).unwrap();
        fs::write(
            dir.path().join("site.yaml"),
            format!("{site}briefing:\n{yaml}"),
        )
        .unwrap();
        Cli::new()
            .args(["check"])
            .content(dir.path())
            .fails(1)
            .stderr_has(message)
            .stderr_has(place);
    }
}

#[test]
fn markup_and_control_characters_in_the_site_keep_the_document_well_formed() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    copy_tree(&small(), &content);
    let site = fs::read_to_string(content.join("site.yaml")).unwrap();
    let site = site.replace(
        "office: 测试区专项工作组办公室",
        "office: \"A&B <办公室> \\\"甲\\\"\\a\"",
    );
    let extra = "briefing:\n  to: [\"甲街道\\u0001办事处\", \"]]>&amp;\"]\n  cc: [\"<w:p/>\"]\n";
    fs::write(content.join("site.yaml"), format!("{site}{extra}")).unwrap();
    let out = dir.path().join("out");
    build(&content, &out, "internal");
    let (month, path) = docx_files(&out).pop().unwrap();
    let html = fs::read_to_string(out.join(format!("briefings/{month}.html"))).unwrap();
    let text = check_docx(&path, &html);
    assert!(
        text.contains("A&B <办公室> \"甲\""),
        "the office's name as written"
    );
    assert!(
        text.contains("甲街道办事处、]]>&amp;："),
        "主送 without the control character"
    );
    assert!(text.contains("抄送：<w:p/>。"), "markup stays text");
}

/// The text of each page of a PDF as `pdftotext -layout` lays it out: lines without their spaces,
/// blank lines and the page number (`— N —`) left out.
fn pdf_pages(pdf: &Path) -> Vec<Vec<String>> {
    let out = std::process::Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "pdftotext failed on {}",
        pdf.display()
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let mut pages: Vec<Vec<String>> = text
        .split('\u{c}')
        .map(|page| {
            page.lines()
                .map(|l| l.chars().filter(|c| !c.is_whitespace()).collect::<String>())
                .filter(|l| !l.is_empty())
                .filter(|l| !(l.starts_with('—') && l.ends_with('—')))
                .collect()
        })
        .collect();
    while pages.last().is_some_and(Vec::is_empty) {
        pages.pop();
    }
    pages
}

/// Each word on the PDF's page `page` (from 1): its left and bottom edges in points from the page's
/// top left corner, and its text.
fn words_on(pdf: &Path, page: usize) -> Vec<(f64, f64, String)> {
    let n = page.to_string();
    let out = std::process::Command::new("pdftotext")
        .args(["-bbox", "-enc", "UTF-8", "-f", &n, "-l", &n])
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    let html = String::from_utf8(out.stdout).unwrap();
    html.split("<word ")
        .skip(1)
        .filter_map(|w| {
            let number =
                |key: &str| -> Option<f64> { w.split(key).nth(1)?.split('"').next()?.parse().ok() };
            let text = w.split('>').nth(1)?.split('<').next()?.to_string();
            Some((number("xMin=\"")?, number("yMax=\"")?, text))
        })
        .collect()
}

/// Paragraphs of Chinese characters only (punctuation would let LibreOffice's line breaking rules
/// move a character), each 26 + 28 × 6 + 12 characters long: its full lines must hold 28. The
/// characters are drawn pseudo-randomly, so no line of one paragraph is found in another.
fn commentary_paragraphs() -> Vec<String> {
    let words =
        "各街道要压实属地责任加强日常巡查严防已整治场所反弹回潮区直各部门要按照职责分工做好配合";
    let chars: Vec<char> = words.chars().collect();
    let mut x: u64 = 11;
    (0..10)
        .map(|_| {
            let mut text: String = (0..26 + 28 * 6 + 11)
                .map(|_| {
                    x = x
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    chars[(x >> 33) as usize % chars.len()]
                })
                .collect();
            text.push('。');
            text
        })
        .collect()
}

#[test]
fn libreoffice_lays_the_document_out_22_lines_of_28_characters_with_the_colophon_at_the_foot() {
    if !installed("soffice") || !installed("pdftotext") {
        eprintln!("SKIPPED: LibreOffice or pdftotext is not installed; the layout was not checked");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    copy_tree(&small(), &content);
    let site = fs::read_to_string(content.join("site.yaml")).unwrap();
    let extra = "briefing:\n  cc: [区委办公室, 区政府办公室]\n";
    fs::write(content.join("site.yaml"), format!("{site}{extra}")).unwrap();
    let paragraphs = commentary_paragraphs();
    fs::write(
        content.join("briefings/2022-06.md"),
        format!("---\ntitle: 工作要求\n---\n\n{}\n", paragraphs.join("\n\n")),
    )
    .unwrap();
    let out = dir.path().join("out");
    build(&content, &out, "internal");
    let june = vec![("2022-06".to_string(), out.join("briefings/2022-06.docx"))];
    let pdf = convert_with_libreoffice(&june, dir.path())
        .unwrap()
        .join("2022-06.pdf");
    let pages = pdf_pages(&pdf);

    // Every line of a commentary paragraph but its first (indented two characters) and its last
    // holds 28 characters.
    let mut full_lines = 0;
    for page in &pages {
        for line in page {
            let Some(p) = paragraphs.iter().find(|p| p.contains(line.as_str())) else {
                continue;
            };
            let want = if p.starts_with(line.as_str()) {
                26
            } else if p.ends_with(line.as_str()) {
                continue;
            } else {
                28
            };
            assert_eq!(line.chars().count(), want, "characters in the line {line}");
            full_lines += 1;
        }
    }
    assert!(
        full_lines >= 10 * 7,
        "{full_lines} lines of the commentary found in the PDF"
    );
    // A page of nothing but commentary holds 22 lines, or fewer where the last lines went over to
    // stay with the sign-off.
    let body_pages: Vec<usize> = pages
        .iter()
        .filter(|page| {
            page.iter()
                .all(|l| paragraphs.iter().any(|p| p.contains(l.as_str())))
        })
        .map(Vec::len)
        .collect();
    assert!(
        body_pages.contains(&22) && body_pages.iter().all(|n| *n <= 22),
        "lines on the pages of commentary alone: {body_pages:?}"
    );

    // The 版记 ends at the foot of the type area on the last page: A4 is 841.89 pt high, the
    // bottom margin 35 mm (99.2 pt).
    let last = pages.len();
    let words = words_on(&pdf, last);
    let foot = 841.89 - 1984.0 / 20.0;
    let printed = words
        .iter()
        .find(|(_, _, w)| w.contains("印发"))
        .unwrap_or_else(|| panic!("no 印发 line on the last page: {words:?}"));
    assert!(
        printed.1 > foot - 24.0 && printed.1 < foot + 2.0,
        "the 印发 line ends at {} pt, the type area at {foot} pt",
        printed.1
    );
    let cc = words
        .iter()
        .find(|(_, _, w)| w.contains("抄送"))
        .expect("抄送 on the last page");
    assert!(
        cc.1 > 841.89 * 0.75,
        "抄送 at {} pt is not in the page's foot",
        cc.1
    );

    // The signature (GB/T 9704 7.3.5.2): the issuer ends two characters (2 × 15.75 pt) in from the
    // type area's right edge, the date under it starts two characters right of the issuer.
    let issuer = words
        .iter()
        .filter(|(_, _, w)| w.as_str() == "测试区专项工作组办公室")
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .expect("the issuer signs");
    let date = words
        .iter()
        .find(|(_, y, w)| w.as_str() == "2022" && *y > issuer.1 && *y < issuer.1 + 40.0)
        .expect("the date under the issuer");
    let right_edge = 1587.0 / 20.0 + 8845.0 / 20.0;
    let issuer_end = issuer.0 + 11.0 * 15.75;
    assert!(
        (right_edge - issuer_end - 31.5).abs() < 3.0 && (date.0 - issuer.0 - 31.5).abs() < 3.0,
        "issuer from {} pt, date from {} pt",
        issuer.0,
        date.0
    );
}

#[test]
fn an_english_site_gets_english_punctuation_in_its_document() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    copy_tree(&small(), &content);
    let site = fs::read_to_string(content.join("site.yaml")).unwrap();
    fs::write(
        content.join("site.yaml"),
        site.replace("language: zh-CN", "language: en"),
    )
    .unwrap();
    let out = dir.path().join("out");
    build(&content, &out, "internal");
    let html = fs::read_to_string(out.join("briefings/2022-06.html")).unwrap();
    let text = check_docx(&out.join("briefings/2022-06.docx"), &html);
    assert!(text.contains("No. 4") && text.contains("Streets (Figures as of: 2022-06-15)"));
    for mark in ['（', '）', '；', '。'] {
        assert!(
            !text.contains(mark),
            "{mark} in the English document: {text}"
        );
    }
}
