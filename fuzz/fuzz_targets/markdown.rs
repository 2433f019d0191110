//! Markdown to sanitised HTML: must never panic, and what comes out must hold no script.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let mut used = Vec::new();
    let html = rectify::render::markdown::render(text, "../", &mut used);
    let lower = html.to_ascii_lowercase();
    assert!(!lower.contains("<script"), "script survived: {html}");
    for attr in ["href=\"javascript:", "src=\"javascript:", "href=\"data:", "src=\"data:"] {
        assert!(!lower.contains(attr), "{attr} survived: {html}");
    }
});
