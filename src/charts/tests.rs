//! Tests of the charts: well-formed accessible SVG, determinism, edge data, labels, snapshots.

use super::canvas::text_width;
use super::{Frame, Trend, grouped_bars, stacked_bars, trend};

const FRAME: Frame = Frame {
    title: "各街道整治进度",
    desc: "各街道已销号、已整治、整治中的场所数。",
    x_label: "场所数（个）",
    y_label: "街道",
};
const HOSTILE: &str = "A & B <c> \"d\" 'e' ]]> \u{0}\u{1b}</svg>";

fn rows(list: &[(&str, &[u32])]) -> Vec<(String, Vec<u32>)> {
    list.iter()
        .map(|(n, v)| (n.to_string(), v.to_vec()))
        .collect()
}

fn months(n: usize) -> Vec<String> {
    (0..n)
        .map(|i| format!("{}-{:02}", 2022 + i / 12, i % 12 + 1))
        .collect()
}

/// The chart's width on a 390 px phone: the page's column less the chart box's padding.
const PHONE_COLUMN: f64 = 337.0;

/// Parses `svg`, checks the accessible header, and returns every text's content.
fn check(svg: &str, title: &str, desc: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("{e}\n{svg}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(root.attribute("role"), Some("img"));
    assert_eq!(root.attribute("width"), Some("100%"));
    assert!(root.attribute("height").is_none());
    assert!(
        root.attribute("viewBox")
            .is_some_and(|v| v.starts_with("0 0 420 "))
    );
    assert!(
        root.attribute("font-family")
            .unwrap()
            .contains("Noto Sans CJK SC")
    );
    let mut kids = root.children().filter(|n| n.is_element());
    let (t, d) = (kids.next().unwrap(), kids.next().unwrap());
    assert_eq!(
        (t.tag_name().name(), d.tag_name().name()),
        ("title", "desc")
    );
    let strip = |s: &str| s.replace(|c: char| c.is_control(), " ");
    assert_eq!(t.text().unwrap_or(""), strip(title));
    assert_eq!(d.text().unwrap_or(""), strip(desc));
    // Every url(#…) fill points at a pattern defined in this SVG.
    for n in doc.descendants().filter_map(|n| n.attribute("fill")) {
        if let Some(id) = n.strip_prefix("url(#").and_then(|s| s.strip_suffix(')')) {
            assert!(
                doc.descendants().any(|p| p.attribute("id") == Some(id)),
                "{id}"
            );
        }
    }
    // Every text fits inside the viewBox by the same width estimate the layout uses.
    let width = f64::from(super::canvas::WIDTH);
    let mut texts = Vec::new();
    for n in doc.descendants().filter(|n| n.has_tag_name("text")) {
        let content = n.text().unwrap_or("").to_string();
        let x: f64 = n.attribute("x").unwrap().parse().unwrap();
        let px: f64 = n.attribute("font-size").unwrap().parse().unwrap();
        // A phone 390 px wide gives a chart about 340 px: no text may read smaller than 12 px there.
        assert!(
            px * PHONE_COLUMN / width >= 12.0,
            "{px} px text reads below 12 px on a phone"
        );
        let w = text_width(&content, px);
        let (l, r) = match n.attribute("text-anchor") {
            Some("end") => (x - w, x),
            Some("middle") => (x - w / 2.0, x + w / 2.0),
            _ => (x, x + w),
        };
        assert!(l >= 0.0 && r <= width + 0.5, "{content:?} spans {l}..{r}");
        assert!(px >= 12.0, "{content:?} at {px}px");
        texts.push(content);
    }
    texts
}

#[test]
fn hostile_text_stays_well_formed() {
    let frame = Frame {
        title: HOSTILE,
        desc: HOSTILE,
        x_label: HOSTILE,
        y_label: HOSTILE,
    };
    let data = rows(&[(HOSTILE, &[1, 2, 3]), ("黄花岗街道", &[4, 0, 6])]);
    let series = [HOSTILE, "已整治", "整治中"];
    check(&stacked_bars(&frame, &series, &data), HOSTILE, HOSTILE);
    check(&grouped_bars(&frame, &series, &data), HOSTILE, HOSTILE);
    let m = months(3);
    let bars = [(HOSTILE, vec![1, 2, 3])];
    let lines = [(HOSTILE, vec![1, 3, 6])];
    let t = Trend {
        months: &m,
        bars: &bars,
        lines: &lines,
    };
    check(&trend(&frame, &t), HOSTILE, HOSTILE);
}

#[test]
fn output_is_deterministic() {
    let data = rows(&[("洪桥街道", &[3, 2, 1]), ("北京街道", &[0, 5, 9])]);
    let s = ["已销号", "已整治", "整治中"];
    assert_eq!(
        stacked_bars(&FRAME, &s, &data),
        stacked_bars(&FRAME, &s, &data)
    );
    assert_eq!(
        grouped_bars(&FRAME, &s, &data),
        grouped_bars(&FRAME, &s, &data)
    );
    let m = months(4);
    let bars = [("新发现", vec![4, 3, 2, 1])];
    let t = Trend {
        months: &m,
        bars: &bars,
        lines: &[],
    };
    assert_eq!(trend(&FRAME, &t), trend(&FRAME, &t));
}

#[test]
fn edge_data_never_panics_and_stays_valid() {
    let s = ["已销号", "已整治", "整治中"];
    let max = u32::MAX;
    let thirty: Vec<(String, Vec<u32>)> = (0..30)
        .map(|i| (format!("第{i}街道"), vec![i, i * 1000, 7]))
        .collect();
    let cases = [
        vec![],
        rows(&[("零", &[0, 0, 0]), ("也是零", &[0, 0, 0])]),
        rows(&[("一行", &[1, 0, 0])]),
        rows(&[("巨大", &[max, max, max]), ("小", &[1, 1, 1])]),
        rows(&[("参差", &[1, 2, 3, 4, 5, 6, 7, 8]), ("短", &[])]),
        rows(&[(
            "很长很长很长很长很长很长很长很长很长很长很长很长很长的街道名称",
            &[5, 5, 5],
        )]),
        thirty,
    ];
    for data in &cases {
        for series in [&s[..], &[]] {
            check(&stacked_bars(&FRAME, series, data), FRAME.title, FRAME.desc);
            check(&grouped_bars(&FRAME, series, data), FRAME.title, FRAME.desc);
        }
    }
    let empty = Frame {
        title: "",
        desc: "",
        x_label: "",
        y_label: "",
    };
    check(&stacked_bars(&empty, &[], &[]), "", "");
    for n in [0, 1, 9, 36] {
        let m = months(n);
        let bars = [("新发现", vec![max; n]), ("完成", vec![0; n + 3])];
        let lines = [("累计", vec![0; n]), ("短", vec![1])];
        for (b, l) in [(&bars[..], &lines[..]), (&[], &[]), (&bars[..1], &[])] {
            let t = Trend {
                months: &m,
                bars: b,
                lines: l,
            };
            check(&trend(&FRAME, &t), FRAME.title, FRAME.desc);
        }
    }
}

#[test]
fn stacked_labels_every_nonzero_value_and_no_zero() {
    let data = rows(&[
        ("洪桥街道", &[94, 21, 5]),
        ("北京街道", &[42, 1, 0]),
        ("黄花岗街道", &[0, 17, 3]),
    ]);
    let texts = check(
        &stacked_bars(&FRAME, &["已销号", "已整治", "整治中"], &data),
        FRAME.title,
        FRAME.desc,
    );
    for v in ["94", "21", "5", "42", "1", "17", "3", "120", "43", "20"] {
        assert!(texts.iter().any(|t| t == v), "{v} missing from {texts:?}");
    }
    // Only the axis tick says 0: zero-width segments get no label.
    assert_eq!(texts.iter().filter(|t| *t == "0").count(), 1, "{texts:?}");
    for name in [
        "洪桥街道",
        "北京街道",
        "黄花岗街道",
        "已销号",
        "已整治",
        "整治中",
        "场所数（个）",
        "街道",
    ] {
        assert!(texts.iter().any(|t| t == name), "{name} missing");
    }
}

#[test]
fn grouped_labels_every_value() {
    let data = rows(&[
        ("关停取缔类", &[120, 118]),
        ("整合搬迁类", &[45, 0]),
        ("升级改造类", &[1_234_567, 3]),
    ]);
    let texts = check(
        &grouped_bars(&FRAME, &["发现", "完成"], &data),
        FRAME.title,
        FRAME.desc,
    );
    for v in ["120", "118", "45", "0", "1,234,567", "3", "发现", "完成"] {
        assert!(texts.iter().any(|t| t == v), "{v} missing from {texts:?}");
    }
}

#[test]
fn trend_labels_bars_and_line_ends() {
    let m = months(9);
    let found = vec![120, 86, 64, 51, 40, 33, 22, 18, 9];
    let bars = [("新发现", found.clone())];
    let lines = [(
        "累计发现",
        found
            .iter()
            .scan(0, |s, x| {
                *s += x;
                Some(*s)
            })
            .collect(),
    )];
    let t = Trend {
        months: &m,
        bars: &bars,
        lines: &lines,
    };
    let texts = check(&trend(&FRAME, &t), FRAME.title, FRAME.desc);
    for v in
        found
            .iter()
            .map(u32::to_string)
            .chain(["443".into(), "2022-01".into(), "2022-09".into()])
    {
        assert!(texts.contains(&v), "{v} missing from {texts:?}");
    }
}

#[test]
fn snapshots() {
    let s = ["已销号", "已整治", "整治中"];
    let data = rows(&[("洪桥街道", &[12, 3, 1]), ("黄花岗街道", &[4, 0, 6])]);
    insta::assert_snapshot!("stacked", stacked_bars(&FRAME, &s, &data));
    let data = rows(&[("关停取缔类", &[10, 8]), ("升级改造类", &[5, 5])]);
    insta::assert_snapshot!("grouped", grouped_bars(&FRAME, &["发现", "完成"], &data));
    let m = months(3);
    let bars = [("新发现", vec![5, 3, 1]), ("完成整治", vec![1, 4, 2])];
    let lines = [("累计发现", vec![5, 8, 9]), ("累计完成", vec![1, 5, 7])];
    let t = Trend {
        months: &m,
        bars: &bars,
        lines: &lines,
    };
    insta::assert_snapshot!("trend", trend(&FRAME, &t));
}
