//! Hostile content: a corpus of script-injection vectors is planted in every text field a user
//! controls, the site is built, and every output file is parsed and scanned. HTML is read with a real
//! HTML parser (scraper/html5ever), XML and SVG with roxmltree, the data scripts and JSON with
//! serde_json.

use scraper::{Html, Node};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Marks a Tera expression: rendered by a template engine it would read `⟦49⟧`.
const TERA_EXPR: &str = "⟦{{ 7*7 }}⟧";
const TERA_RAW: &str = "⟪{% raw %}x{% endraw %}⟫";

/// One line of vectors for plain text fields (names, titles, captions …), written into a YAML
/// double-quoted scalar, so `\\` escapes are YAML's.
const LINE: &str = concat!(
    r#"\"><script>alert(1)</script><img src=x onerror=alert(2)><svg onload=alert(3)><svg><script>alert(4)</script></svg>"#,
    r#"<iframe src=javascript:alert(5)></iframe><object data=x.swf></object><embed src=x.swf><style>*{display:none}</style>"#,
    r#"<a href=\"javascript:alert(6)\" style=\"position:fixed\">j</a> ' onmouseover='alert(7)' \" onfocus=\"alert(8) "#,
    "⟦{{ 7*7 }}⟧ ⟪{% raw %}x{% endraw %}⟫ ]]> </script><!-- --> <![CDATA[x]]> & &amp; ",
    r"controls:\0\x01\x08\x0b\x0c\x1b\x7f\u0085\u2028\u2029\uFFFE\uFFFF\t|",
);

/// Vectors for Markdown fields and bodies.
const MARKDOWN: &str = r#"
[js](javascript:alert(10)) [JS](JaVaScRiPt:alert(11)) [vb](vbscript:msgbox(12)) [d](data:text/html;base64,PHNjcmlwdD5hbGVydCgxMyk8L3NjcmlwdD4=)
[ent](&#106;avascript:alert(14)) [sp](<  javascript:alert(15)>) [tab](java	script:alert(16))

![img](javascript:alert(17)) ![svg](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMTgpPg==) ![t](x "\"onerror=\"alert(19)")

<script>alert(20)</script>
<img src=x onerror=alert(21)>
<iframe src="javascript:alert(22)"></iframe>
<object data="x.swf"></object><embed src="x.swf">
<svg onload=alert(23)><circle r=1 /></svg>
<style>body{display:none}</style>
<p style="background:url(javascript:alert(24))">styled</p>
<a href="vbscript:msgbox(25)">vb</a> <a href=" data:text/html,x">d</a> <form action="javascript:alert(26)"><button formaction="javascript:alert(27)">b</button></form>
<math><mi xlink:href="javascript:alert(28)">m</mi></math>
<base href="javascript:alert(29)//"><meta http-equiv="refresh" content="0;url=javascript:alert(30)">

| a | b |
|:-:|--:|
| <td style="color:red">x</td> | 2 |

`</script><script>alert(31)</script>` and "</script>" in a string, ]]> too.

⟦{{ 7*7 }}⟧ ⟪{% raw %}x{% endraw %}⟫ {# comment #} {%- if true -%}t{%- endif -%}
"#;

/// Fields holding one line of text, by YAML key; each gets the line of vectors.
const LINE_KEYS: &[&str] = &[
    "title",
    "subtitle",
    "office",
    "hotline",
    "name",
    "full_name",
    "community",
    "industry",
    "location",
    "source_ref",
    "grid",
    "river",
    "caption",
    "note",
    "organizer",
    "address",
    "site_code",
    "icp",
    "police",
    "doc_no",
    "issuer",
];

/// Fields holding Markdown or text that may be Markdown.
const MARKDOWN_KEYS: &[&str] = &["summary", "text"];

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}

fn quoted(n: usize) -> String {
    format!("\"v{n} {LINE}\"")
}

/// Street id by id, name or name without 街道, read from organisation.yaml before it is rewritten.
fn street_ids(org: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut in_streets = false;
    let mut id = None;
    for line in org.lines() {
        if !line.starts_with(' ') {
            in_streets = line.starts_with("streets:");
        } else if in_streets {
            if let Some(v) = line.trim().strip_prefix("- id: ") {
                id = Some(v.to_string());
            } else if let (Some(v), Some(i)) = (line.trim().strip_prefix("name: "), &id) {
                out.push((i.clone(), v.to_string()));
            }
        }
    }
    out
}

/// Rewrites one YAML text (a file or a front matter): line fields get the vectors, Markdown fields
/// get the Markdown vectors before their own text, street references become ids, community list
/// items get the vectors.
fn inject_yaml(text: &str, streets: &[(String, String)], n: &mut usize) -> String {
    let mut out = String::new();
    let mut in_communities = None;
    for line in text.lines() {
        let indent = line.len() - line.trim_start().len();
        let body = line.trim_start();
        let item = body.strip_prefix("- ").unwrap_or(body);
        let lead = &line[..line.len() - item.len()];
        if let Some(ind) = in_communities {
            if indent > ind && item != body {
                *n += 1;
                out.push_str(&format!("{lead}{}\n", quoted(*n)));
                continue;
            }
            in_communities = None;
        }
        let (key, value) = item.split_once(':').unwrap_or((item, ""));
        let value = value.trim();
        if key == "communities" && value.is_empty() {
            in_communities = Some(indent);
        }
        if key == "street" && !value.is_empty() {
            let id = streets
                .iter()
                .find(|(id, name)| id == value || name.starts_with(value))
                .map(|(id, _)| id.clone())
                .unwrap_or_else(|| value.to_string());
            out.push_str(&format!("{lead}street: {id}\n"));
        } else if LINE_KEYS.contains(&key) && !value.is_empty() {
            *n += 1;
            out.push_str(&format!("{lead}{key}: {}\n", quoted(*n)));
        } else if MARKDOWN_KEYS.contains(&key) && value == "|" {
            out.push_str(line);
            out.push('\n');
            let pad = " ".repeat(lead.len() + 2);
            for md in MARKDOWN.lines().chain(LINE.lines()) {
                out.push_str(&format!("{pad}{}\n", md.replace("\\\"", "\"")));
            }
        } else if MARKDOWN_KEYS.contains(&key) && !value.is_empty() {
            *n += 1;
            out.push_str(&format!("{lead}{key}: {}\n", quoted(*n)));
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// organisation.yaml without its top-level `rivers:` block.
fn without_rivers(org: &str) -> String {
    let mut skipping = false;
    let mut out = String::new();
    for line in org.lines() {
        if !line.starts_with([' ', '-', '#']) && !line.is_empty() {
            skipping = line.starts_with("rivers:");
        }
        if !skipping {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// Plants the vectors in every text field of the content folder and returns how many were planted.
fn plant(content: &Path) -> usize {
    let org_path = content.join("organisation.yaml");
    // Without a `rivers` list a case's `river` is free text, so the vectors planted there reach
    // every page and file that shows it (with the list they would only be refused as unknown).
    let org = without_rivers(&std::fs::read_to_string(&org_path).unwrap());
    std::fs::write(&org_path, &org).unwrap();
    let streets = street_ids(&org);
    assert!(!streets.is_empty());
    let mut site = std::fs::read_to_string(content.join("site.yaml")).unwrap();
    site.push_str(
        "subtitle: x\nbase_url: https://example.gov.cn/sl/\nfooter:\n  organizer: x\n  address: x\n  site_code: x\n  icp: x\n  police: x\n",
    );
    std::fs::write(content.join("site.yaml"), site).unwrap();
    let mut n = 0;
    for path in walk(content) {
        let name = path.to_string_lossy().to_string();
        if name.ends_with(".yaml") {
            let text = std::fs::read_to_string(&path).unwrap();
            std::fs::write(&path, inject_yaml(&text, &streets, &mut n)).unwrap();
        } else if name.ends_with(".md") {
            let text = std::fs::read_to_string(&path).unwrap();
            let (front, body) = match text.strip_prefix("---\n") {
                Some(rest) => {
                    let end = rest.find("\n---\n").expect("closed front matter");
                    (
                        format!(
                            "---\n{}\n---\n",
                            inject_yaml(&rest[..end], &streets, &mut n)
                        ),
                        rest[end + 5..].to_string(),
                    )
                }
                None => (String::new(), text),
            };
            let line = LINE.replace("\\\"", "\"");
            n += 1;
            std::fs::write(&path, format!("{front}{body}\n{line}\n{MARKDOWN}")).unwrap();
        }
    }
    n
}

/// The keys whose values now hold the vectors (`key: "v<n> …` or a block starting with them).
fn planted_keys(content: &Path) -> std::collections::BTreeSet<String> {
    let mut keys = std::collections::BTreeSet::new();
    for path in walk(content) {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let item = line.trim_start().trim_start_matches("- ");
            let Some((key, value)) = item.split_once(": ") else {
                continue;
            };
            let block = value == "|" && lines.get(i + 1).is_some_and(|l| l.trim().is_empty());
            if value.starts_with("\"v") || block {
                keys.insert(key.to_string());
            }
        }
    }
    keys
}

fn build(content: &Path, out: &Path) {
    let run = Command::new(env!("CARGO_BIN_EXE_rectify"))
        .env(
            "RECTIFY_CACHE_DIR",
            concat!(env!("CARGO_TARGET_TMPDIR"), "/cache"),
        )
        .arg("build")
        .arg("--content")
        .arg(content)
        .arg("--output")
        .arg(out)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "build failed:\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
}

const URL_ATTRS: &[&str] = &[
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "poster",
    "background",
    "srcset",
];
const FORBIDDEN: &[&str] = &[
    "iframe", "object", "embed", "style", "frame", "frameset", "applet", "base", "math",
];

/// Styles the theme itself writes: bar widths and the charts' size.
fn own_style(value: &str) -> bool {
    let align = value
        .strip_prefix("text-align:")
        .is_some_and(|v| ["left", "center", "right"].contains(&v.trim()));
    let width = value
        .strip_prefix("width: ")
        .and_then(|v| v.strip_suffix('%'))
        .is_some_and(|v| v.parse::<f64>().is_ok());
    let chart = value
        .strip_prefix("max-width:")
        .and_then(|v| v.strip_suffix("px;height:auto"))
        .is_some_and(|v| v.parse::<u32>().is_ok());
    align || width || chart
}

/// What is wrong with one HTML page.
fn html_problems(rel: &str, text: &str) -> Vec<String> {
    let doc = Html::parse_document(text);
    let mut out = Vec::new();
    for node in doc.tree.nodes() {
        let Node::Element(el) = node.value() else {
            continue;
        };
        let name = el.name();
        if FORBIDDEN.contains(&name) {
            out.push(format!("{rel}: <{name}> element"));
        }
        // The theme's own forms: the search box and the case filter, which has no action.
        if name == "form" && !matches!(el.attr("action"), None | Some("search.html")) {
            out.push(format!("{rel}: <form action={:?}>", el.attr("action")));
        }
        if name == "meta" && el.attr("http-equiv").is_some() {
            out.push(format!("{rel}: <meta http-equiv>"));
        }
        if name == "script" {
            let src = el.attr("src").unwrap_or("");
            let own = src.trim_start_matches("../");
            if !(own.starts_with("assets/") || own.starts_with("data/")) {
                out.push(format!("{rel}: <script src={src:?}>"));
            }
            let inline: String = node
                .children()
                .filter_map(|c| c.value().as_text().map(|t| t.to_string()))
                .collect();
            if !inline.trim().is_empty() {
                out.push(format!(
                    "{rel}: inline script {:?}",
                    &inline[..inline.len().min(80)]
                ));
            }
        }
        for (attr, value) in el.attrs() {
            let attr = attr.to_ascii_lowercase();
            if attr.starts_with("on") {
                out.push(format!("{rel}: <{name} {attr}={value:?}>"));
            }
            if URL_ATTRS.contains(&attr.as_str()) {
                let squeezed: String = value
                    .chars()
                    .filter(|c| !c.is_whitespace() && !c.is_control())
                    .collect::<String>()
                    .to_ascii_lowercase();
                if ["javascript:", "vbscript:", "data:"]
                    .iter()
                    .any(|s| squeezed.starts_with(s))
                {
                    out.push(format!("{rel}: <{name} {attr}={value:?}>"));
                }
            }
            if attr == "style" && !own_style(value) {
                out.push(format!("{rel}: <{name} style={value:?}>"));
            }
        }
    }
    let text = text_of(&doc);
    if text.contains("⟦49⟧") || text.contains("⟪x⟫") {
        out.push(format!("{rel}: template syntax was evaluated"));
    }
    out
}

fn text_of(doc: &Html) -> String {
    doc.tree
        .nodes()
        .filter_map(|n| n.value().as_text().map(|t| t.to_string()))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A data script `window.X = <json>;` as JSON.
fn script_json(rel: &str, text: &str) -> Result<serde_json::Value, String> {
    if text.to_ascii_lowercase().contains("</script") {
        return Err(format!("{rel}: holds a raw </script"));
    }
    // One `window.X = <JSON>;` statement per line.
    let mut values = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let json = line
            .trim()
            .strip_prefix("window.")
            .and_then(|t| t.split_once('='))
            .map(|(_, j)| j.trim().trim_end_matches(';'))
            .ok_or_else(|| format!("{rel}: not `window.X = …;`"))?;
        values.push(serde_json::from_str(json).map_err(|e| format!("{rel}: not JSON: {e}"))?);
    }
    Ok(serde_json::Value::Array(values))
}

#[test]
fn injected_vectors_never_execute_and_every_output_file_parses() {
    let tmp = tempfile::tempdir().unwrap();
    let content = tmp.path().join("content");
    let spec = rectify::sample::Spec {
        seed: 7,
        cases: 14,
        streets: Some(2),
        notes: 4,
        publicity: 4,
        photos: true,
    };
    rectify::sample::generate(&spec, &content).unwrap();
    let planted = plant(&content);
    assert!(planted > 100, "only {planted} fields planted");
    let keys = planted_keys(&content);
    for key in [
        "title",
        "subtitle",
        "office",
        "hotline",
        "name",
        "full_name",
        "community",
        "industry",
        "location",
        "source_ref",
        "caption",
        "note",
        "organizer",
        "text",
        "summary",
    ] {
        assert!(keys.contains(key), "no `{key}` field was planted: {keys:?}");
    }
    let out = tmp.path().join("out");
    build(&content, &out);

    let mut problems = Vec::new();
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    let mut tera_seen = (false, false);
    for path in walk(&out) {
        let rel = path
            .strip_prefix(&out)
            .unwrap()
            .to_string_lossy()
            .to_string();
        let ext = rel.rsplit('.').next().unwrap_or("");
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        match ext {
            "html" => {
                problems.extend(html_problems(&rel, &text));
                let doc = Html::parse_document(&text);
                let words = text_of(&doc);
                tera_seen.0 |= words.contains(TERA_EXPR);
                tera_seen.1 |= words.contains(TERA_RAW);
            }
            "xml" | "svg" => {
                if let Err(e) = roxmltree::Document::parse(&text) {
                    problems.push(format!("{rel}: not XML: {e}"));
                }
                if text.contains("⟦49⟧") {
                    problems.push(format!("{rel}: template syntax was evaluated"));
                }
            }
            "js" if rel.starts_with("data/") => {
                if let Err(e) = script_json(&rel, &text) {
                    problems.push(e);
                }
            }
            "json" => {
                if let Err(e) = serde_json::from_str::<serde_json::Value>(&text) {
                    problems.push(format!("{rel}: not JSON: {e}"));
                }
            }
            _ => continue,
        }
        *counts
            .entry(match ext {
                "js" => "js",
                "html" => "html",
                "json" => "json",
                _ => "xml",
            })
            .or_default() += 1;
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(
        tera_seen.0 && tera_seen.1,
        "Tera syntax must show as text: {tera_seen:?}"
    );
    for (kind, min) in [("html", 30), ("xml", 3), ("js", 2), ("json", 2)] {
        let n = counts.get(kind).copied().unwrap_or(0);
        assert!(n >= min, "only {n} {kind} files scanned: {counts:?}");
    }
    // The vectors reached the pages: the names are shown, as text.
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(
        index.contains("&lt;script&gt;alert(1)"),
        "index.html lacks the escaped title"
    );
}
