//! Writes sample charts (Yuexiu district's 18 streets, 2022-03..2022-11) as SVG files and one
//! HTML page to `target/charts-demo/` (or the directory given as the first argument).

use rectify::charts::{Frame, Trend, grouped_bars, stacked_bars, trend};

const STREETS: [&str; 18] = [
    "洪桥街道",
    "北京街道",
    "六榕街道",
    "流花街道",
    "光塔街道",
    "人民街道",
    "东山街道",
    "农林街道",
    "梅花村街道",
    "黄花岗街道",
    "华乐街道",
    "建设街道",
    "大塘街道",
    "珠光街道",
    "大东街道",
    "白云街道",
    "登峰街道",
    "矿泉街道",
];

fn main() -> std::io::Result<()> {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "target/charts-demo".into());
    std::fs::create_dir_all(&dir)?;
    let rows: Vec<(String, Vec<u32>)> = STREETS
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let i = i as u32;
            (
                s.to_string(),
                vec![(i * 37) % 90 + 5, (i * 13) % 25, (i * 7) % 6],
            )
        })
        .collect();
    let progress = stacked_bars(
        &Frame {
            title: "各街道“散乱污”场所整治进度",
            desc: "18个街道的已销号、已整治、整治中场所数。",
            x_label: "场所数（个）",
            y_label: "街道",
        },
        &["已销号", "已整治", "整治中"],
        &rows,
    );
    let months: Vec<String> = (3..=11).map(|m| format!("2022-{m:02}")).collect();
    let found = vec![120, 86, 64, 51, 40, 33, 22, 18, 9];
    let done = vec![30, 52, 70, 66, 58, 49, 41, 30, 25];
    let cum = |v: &Vec<u32>| {
        v.iter()
            .scan(0, |s, x| {
                *s += x;
                Some(*s)
            })
            .collect::<Vec<u32>>()
    };
    let bars = [("新发现", found.clone()), ("完成整治", done.clone())];
    let lines = [("累计发现", cum(&found)), ("累计完成", cum(&done))];
    let monthly = trend(
        &Frame {
            title: "每月新发现与完成整治场所数",
            desc: "2022年3月至11月每月新发现、完成整治及累计数。",
            x_label: "月份",
            y_label: "场所数（个）",
        },
        &Trend {
            months: &months,
            bars: &bars,
            lines: &lines,
        },
    );
    let kinds: Vec<(String, Vec<u32>)> = [
        ("关停取缔类", 120, 118),
        ("整合搬迁类", 45, 30),
        ("升级改造类", 268, 201),
        ("Other & <misc>", 3, 0),
    ]
    .iter()
    .map(|(n, a, b)| (n.to_string(), vec![*a, *b]))
    .collect();
    let breakdown = grouped_bars(
        &Frame {
            title: "“三个一批”分类处置情况",
            desc: "按处置类别统计的发现数与完成数。",
            x_label: "场所数（个）",
            y_label: "处置类别",
        },
        &["发现", "完成"],
        &kinds,
    );
    let mut html = String::from(
        "<!doctype html><meta charset=utf-8><meta name=viewport content='width=device-width'><body style='margin:8px;max-width:760px'>\n",
    );
    for (name, svg) in [
        ("progress", &progress),
        ("trend", &monthly),
        ("breakdown", &breakdown),
    ] {
        std::fs::write(format!("{dir}/{name}.svg"), svg)?;
        html.push_str(&format!("<figure style='margin:0 0 16px'>{svg}</figure>\n"));
    }
    std::fs::write(format!("{dir}/index.html"), html)?;
    edge_cases(&dir)
}

/// Awkward data on one page: 30 rows, huge counts, hostile names, nothing at all, 24 months.
fn edge_cases(dir: &str) -> std::io::Result<()> {
    let frame = Frame {
        title: "Edge cases & <stress> \"test\"",
        desc: "edge",
        x_label: "cases (count)",
        y_label: "row",
    };
    let s = ["Closed", "Rectified & checked", "In progress"];
    let thirty: Vec<(String, Vec<u32>)> = (0..30u32)
        .map(|i| (format!("第{i}号 street"), vec![i * 3, i % 4, (30 - i) % 5]))
        .collect();
    let huge = vec![
        ("巨大 A&B".to_string(), vec![u32::MAX, 1, u32::MAX / 3]),
        ("tiny".to_string(), vec![0, 0, 1]),
        ("零".to_string(), vec![0, 0, 0]),
    ];
    let months: Vec<String> = (0..24)
        .map(|i| format!("{}-{:02}", 2022 + i / 12, i % 12 + 1))
        .collect();
    let found: Vec<u32> = (0..24).map(|i| 1000 + (i * 7919) % 5000).collect();
    let cum: Vec<u32> = found
        .iter()
        .scan(0, |a, x| {
            *a += x;
            Some(*a)
        })
        .collect();
    let bars = [
        ("new", found.clone()),
        ("done", found.iter().map(|x| x / 2).collect()),
    ];
    let lines = [
        ("total found", cum.clone()),
        ("total done", cum.iter().map(|x| x / 2).collect()),
    ];
    let svgs = [
        stacked_bars(&frame, &s, &thirty),
        stacked_bars(&frame, &s, &huge),
        grouped_bars(&frame, &s, &huge),
        stacked_bars(&frame, &s, &[]),
        trend(
            &frame,
            &Trend {
                months: &months,
                bars: &bars,
                lines: &lines,
            },
        ),
        trend(
            &frame,
            &Trend {
                months: &months[..1],
                bars: &bars,
                lines: &lines,
            },
        ),
    ];
    let mut html = String::from(
        "<!doctype html><meta charset=utf-8><body style='margin:8px;max-width:760px'>\n",
    );
    for svg in &svgs {
        html.push_str(&format!("<figure style='margin:0 0 16px'>{svg}</figure>\n"));
    }
    std::fs::write(format!("{dir}/edge.html"), html)
}
