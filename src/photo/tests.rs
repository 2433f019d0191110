use super::fixture::camera_jpeg;
use super::*;

fn content_with(files: &[(&str, Vec<u8>)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (rel, bytes) in files {
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    dir
}

fn has_metadata(jpeg: &[u8]) -> bool {
    let text = String::from_utf8_lossy(jpeg);
    text.contains("Exif") || text.contains("Zhang San") || text.contains("2022:05:03")
}

#[test]
fn a_phone_photo_is_shrunk_upright_and_stripped() {
    // Orientation 6: the camera was held upright, so the 1200×900 sensor image shows 900×1200.
    let content = content_with(&[(
        "files/a.jpg",
        camera_jpeg(1200, 900, 6, "2022:05:03 10:11:12"),
    )]);
    let files = vec!["files/a.jpg".to_string()];
    let photos = prepare(content.path(), &files, None).unwrap();
    let p = photos.get("files/a.jpg").unwrap();
    assert_eq!(
        (p.display.width, p.display.height),
        (900, 1200),
        "never enlarged, turned upright"
    );
    assert_eq!((p.thumb.width, p.thumb.height), (360, 480));
    assert_eq!(p.taken, Date::from_ymd_opt(2022, 5, 3));
    assert_eq!(p.display.path, "files/a.jpg.1600.jpg");
    let pages: Vec<Page> = photos.pages(&files, 10).flat_map(Result::unwrap).collect();
    assert_eq!(pages.len(), 2);
    for page in &pages {
        assert!(!has_metadata(&page.bytes), "{} keeps metadata", page.path);
        assert!(image::load_from_memory(&page.bytes).is_ok());
    }
    assert_eq!((photos.encoded, photos.reused), (1, 0));
}

#[test]
fn a_second_build_reuses_the_cache_and_a_damaged_entry_is_redone() {
    let content = content_with(&[(
        "files/a.jpg",
        camera_jpeg(800, 600, 1, "2021:01:02 03:04:05"),
    )]);
    let cache = tempfile::tempdir().unwrap();
    let files = vec!["files/a.jpg".to_string()];
    let first = prepare(content.path(), &files, Some(cache.path())).unwrap();
    let second = prepare(content.path(), &files, Some(cache.path())).unwrap();
    assert_eq!((first.encoded, first.reused), (1, 0));
    assert_eq!((second.encoded, second.reused), (0, 1));
    assert_eq!(first.get("files/a.jpg"), second.get("files/a.jpg"));
    let bytes = |p: &Photos| -> Vec<Page> { p.pages(&files, 1).flat_map(Result::unwrap).collect() };
    assert_eq!(bytes(&first)[0].bytes, bytes(&second)[0].bytes);
    // Damage every cached display file: the next build must not trust it.
    for f in walkdir::WalkDir::new(cache.path()).into_iter().flatten() {
        if f.file_name() == "display.jpg" {
            std::fs::write(f.path(), b"garbage").unwrap();
        }
    }
    let third = prepare(content.path(), &files, Some(cache.path())).unwrap();
    assert_eq!((third.encoded, third.reused), (1, 0));
    assert_eq!(bytes(&third)[0].bytes, bytes(&first)[0].bytes);
}

#[test]
fn every_undecodable_photo_is_named() {
    let content = content_with(&[
        ("files/ok.png", {
            let mut b = Vec::new();
            image::RgbImage::new(10, 10)
                .write_to(&mut std::io::Cursor::new(&mut b), image::ImageFormat::Png)
                .unwrap();
            b
        }),
        ("files/bad.jpg", b"\xFF\xD8\xFF\xE0 not really".to_vec()),
        ("files/text.png", b"hello".to_vec()),
    ]);
    let files: Vec<String> = [
        "files/bad.jpg",
        "files/missing.jpg",
        "files/ok.png",
        "files/text.png",
    ]
    .map(String::from)
    .to_vec();
    let errors = prepare(content.path(), &files, None).err().unwrap();
    let named: Vec<&str> = errors.iter().map(|e| e.file.as_str()).collect();
    assert_eq!(
        named,
        ["files/bad.jpg", "files/missing.jpg", "files/text.png"]
    );
}
