//! A case file's text through the real parse and case validation: must never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let _ = rectify::validate::fuzz_case(text);
});
