//! A note's text: split its front matter, then parse the YAML: must never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok((front, offset, _body)) = rectify::yaml::split_front_matter(text) {
        let _ = rectify::yaml::parse("notes/x.md", front, offset);
    }
});
