//! Markdown to sanitised HTML: must never panic, and no tag that comes out may carry a script.
#![no_main]

use libfuzzer_sys::fuzz_target;

/// The tags of serialised HTML, each as (name and attribute names, (attribute, value)). Text never
/// holds a raw `<` (the serializer writes `&lt;`) and values are always in `"…"` with `"` escaped.
fn tags(html: &str) -> Vec<(String, Vec<(String, String)>)> {
    let (mut out, mut in_tag, mut quoted) = (Vec::new(), false, false);
    let (mut names, mut values, mut value) = (String::new(), Vec::new(), String::new());
    for c in html.chars() {
        match (in_tag, quoted, c) {
            (false, _, '<') => in_tag = true,
            (false, _, _) => {}
            (true, false, '"') => quoted = true,
            (true, true, '"') => {
                quoted = false;
                let attr = names.trim_end_matches('=').split_whitespace().last();
                let attr = attr.unwrap_or("").to_ascii_lowercase();
                values.push((attr, std::mem::take(&mut value)));
            }
            (true, true, c) => value.push(c),
            (true, false, '>') => {
                in_tag = false;
                out.push((std::mem::take(&mut names), std::mem::take(&mut values)));
            }
            (true, false, c) => names.push(c),
        }
    }
    out
}

fuzz_target!(|text: &str| {
    let mut used = Vec::new();
    let html = rectify::render::markdown::render(text, "../", &mut used);
    for (names, values) in tags(&html) {
        let names = names.to_ascii_lowercase();
        assert!(!names.starts_with("script"), "script survived: {html}");
        assert!(
            !names.contains(" on"),
            "handler survived in <{names}>: {html}"
        );
        for (attr, v) in values {
            if !matches!(
                attr.as_str(),
                "href" | "src" | "srcset" | "action" | "formaction"
            ) {
                continue;
            }
            let v: String = v.chars().filter(|c| !c.is_whitespace()).collect();
            let v = v.to_ascii_lowercase();
            for bad in ["javascript:", "vbscript:", "data:"] {
                assert!(
                    !v.starts_with(bad),
                    "{bad} URL survived in <{names}>: {html}"
                );
            }
        }
    }
});
