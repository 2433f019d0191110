//! Photos as published: a phone photo in a case becomes a small upright display size and a
//! thumbnail without metadata, the page gives their sizes, and a rebuild reuses the encoded files.

use crate::common::{Cli, copy_tree, tests_dir};
use rectify::photo::fixture::camera_jpeg;
use std::fs;
use std::path::Path;

/// The small fixture with its first case's before photo replaced by a 4000×3000 camera JPEG.
fn content_with_camera_photo(dir: &Path) -> std::path::PathBuf {
    let content = dir.join("content");
    copy_tree(&tests_dir().join("fixtures/small/content"), &content);
    let jpeg = camera_jpeg(4000, 3000, 1, "2022:03:04 09:30:00");
    assert!(
        jpeg.len() > 1_000_000,
        "a realistic phone photo: {} bytes",
        jpeg.len()
    );
    fs::write(content.join("files/photos/site.jpg"), jpeg).unwrap();
    let case = content.join("cases/dongshan/T-001.yaml");
    let yaml = fs::read_to_string(&case).unwrap();
    fs::write(
        &case,
        yaml.replace("files/photos/T-001-before.png", "files/photos/site.jpg"),
    )
    .unwrap();
    content
}

fn build(content: &Path, output: &Path, cache: &Path) -> String {
    Cli::new()
        .args(["build"])
        .content(content)
        .output(output)
        .env("RECTIFY_CACHE_DIR", cache)
        .succeeds()
        .stderr
}

/// The build line's photo counts: (newly encoded, reused from the cache). Photos with identical
/// bytes are encoded once, so how they split between the two may vary; their sum does not.
fn photo_counts(line: &str) -> (usize, usize) {
    let number = |after: &str| -> usize {
        let rest = &line[line.find(after).unwrap_or_else(|| panic!("{line}")) + after.len()..];
        rest.trim_start()
            .split(' ')
            .next()
            .unwrap()
            .parse()
            .unwrap()
    };
    (number("新编码"), number("复用"))
}

#[test]
fn a_phone_photo_is_published_small_stripped_sized_and_cached() {
    let dir = tempfile::tempdir().unwrap();
    let content = content_with_camera_photo(dir.path());
    let (out, cache) = (dir.path().join("out"), dir.path().join("cache"));
    let first = build(&content, &out, &cache);
    let (encoded, reused) = photo_counts(&first);
    assert!(encoded >= 1, "{first}");

    let display = fs::read(out.join("files/photos/site.jpg.1600.jpg")).unwrap();
    let thumb = fs::read(out.join("files/photos/site.jpg.480.jpg")).unwrap();
    assert!(
        display.len() <= 400 * 1024,
        "display {} bytes",
        display.len()
    );
    assert!(thumb.len() <= 60 * 1024, "thumbnail {} bytes", thumb.len());
    for (name, bytes, size) in [
        ("display", &display, (1600, 1200)),
        ("thumbnail", &thumb, (480, 360)),
    ] {
        let text = String::from_utf8_lossy(bytes);
        for secret in ["Exif", "GPS", "Zhang San", "2022:03:04"] {
            assert!(!text.contains(secret), "{name} keeps {secret}");
        }
        let img = image::load_from_memory(bytes).unwrap();
        assert_eq!((img.width(), img.height()), size, "{name}");
    }
    assert!(
        !out.join("files/photos/site.jpg").exists(),
        "the original is published"
    );

    let page = fs::read_to_string(out.join("cases/T-001.html")).unwrap();
    let html = scraper::Html::parse_document(&page);
    let sel = scraper::Selector::parse(r#"img[src="../files/photos/site.jpg.480.jpg"]"#).unwrap();
    let img = html
        .select(&sel)
        .next()
        .expect("the photo's thumbnail on the page");
    let attr = |a: &str| img.value().attr(a).unwrap_or_default().to_string();
    assert_eq!(
        (attr("width"), attr("height")),
        ("480".into(), "360".into())
    );
    assert_eq!(attr("loading"), "lazy");
    assert!(
        attr("srcset").contains("site.jpg.1600.jpg 1600w"),
        "{}",
        attr("srcset")
    );
    assert!(
        page.contains(r#"href="../files/photos/site.jpg.1600.jpg""#),
        "tap to enlarge"
    );
    assert!(page.contains("2022年3月4日"), "the EXIF date is shown");

    let cases: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("data/cases.json")).unwrap()).unwrap();
    let t001 = cases
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "T-001")
        .unwrap();
    let photo = &t001["photos"][0];
    assert_eq!(
        photo["display"], "files/photos/site.jpg.1600.jpg",
        "{photo}"
    );
    assert_eq!(photo["thumbnail"], "files/photos/site.jpg.480.jpg");
    assert_eq!(photo["date"], "2022-03-04");

    // Another file changes, so the build runs again (a build with nothing changed writes nothing);
    // the photo's encoding comes from the cache.
    let site = content.join("site.yaml");
    let text = fs::read_to_string(&site).unwrap();
    fs::write(&site, format!("{text}# edited\n")).unwrap();
    let second = build(&content, &out, &cache);
    assert_eq!(photo_counts(&second), (0, encoded + reused), "{second}");
    assert_eq!(
        fs::read(out.join("files/photos/site.jpg.1600.jpg")).unwrap(),
        display
    );
}

#[test]
fn an_undecodable_photo_fails_the_build_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    copy_tree(&tests_dir().join("fixtures/small/content"), &content);
    fs::write(
        content.join("files/photos/T-001-before.png"),
        b"\x89PNG\r\n\x1a\nbroken",
    )
    .unwrap();
    let out = dir.path().join("out");
    Cli::new()
        .args(["build"])
        .content(&content)
        .output(&out)
        .fails(1)
        .stderr_has("无法读取")
        .stderr_has("files/photos/T-001-before.png");
    assert!(!out.exists(), "nothing written");
}
