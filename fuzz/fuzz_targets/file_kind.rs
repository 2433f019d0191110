//! Any bytes as a photo or an attachment: sniffing the kind and reading a photo's header must
//! never panic, and a photo's size, when found, is never zero.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rectify::filekind::{self, Role};

fuzz_target!(|bytes: &[u8]| {
    let sniffed = filekind::sniff_bytes(bytes);
    if let Some((w, h)) = sniffed.size {
        assert!(w > 0 && h > 0);
        assert!(sniffed.kind.is_photo());
    }
    for role in [Role::Photo, Role::Attachment] {
        let _ = filekind::check("files/a.jpg", sniffed, role);
    }
    let _ = rectify::media::strip_metadata("files/a", bytes.to_vec());
});
