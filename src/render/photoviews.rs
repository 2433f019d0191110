//! What templates get to show a photo or cover: the thumbnail in the page (with `width`, `height`,
//! `srcset` and lazy loading), the display size behind it as the link that enlarges it, the date.

use super::Renderer;
use crate::model::{Date, Photo};
use serde_json::{Value, json};

/// How wide a photo is drawn: half the column beside its pair, the whole width on narrow phones.
const SIZES: &str = "(min-width: 62rem) 30rem, (min-width: 30rem) 46vw, 92vw";

pub use crate::report::case_photos;

/// One case photo for `case.html`, from a page at `root`; `None` when it was not prepared.
pub fn photo(r: &Renderer, p: &Photo, root: &str) -> Option<Value> {
    let mut view = image(r, &p.file, root)?;
    let taken = p.date.or(r.photos.get(&p.file)?.taken);
    let extra = json!({
        "stage": p.stage.key(),
        "stage_label": p.stage.label(r.lang()),
        "caption": p.caption,
        "date": taken.map(|d| d.to_string()),
        "date_text": taken.map(|d| date_text(r, d)),
    });
    if let (Value::Object(v), Value::Object(e)) = (&mut view, extra) {
        v.extend(e);
    }
    Some(view)
}

/// Any published image (a photo or a cover): its sizes as template values.
pub fn image(r: &Renderer, file: &str, root: &str) -> Option<Value> {
    let p = r.photos.get(file)?;
    r.use_files([file.to_string()]);
    Some(json!({
        "src": format!("{root}{}", p.thumb.path),
        "width": p.thumb.width,
        "height": p.thumb.height,
        "large": format!("{root}{}", p.display.path),
        "large_width": p.display.width,
        "large_height": p.display.height,
        "srcset": format!("{root}{} {}w, {root}{} {}w", p.thumb.path, p.thumb.width, p.display.path, p.display.width),
        "sizes": SIZES,
    }))
}

fn date_text(r: &Renderer, d: Date) -> String {
    use chrono::Datelike;
    match r.lang() {
        crate::lang::Lang::Zh => format!("{}年{}月{}日", d.year(), d.month(), d.day()),
        crate::lang::Lang::En => d.to_string(),
    }
}
