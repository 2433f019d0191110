//! Photo evidence at D (整治前后照片): which photos a case shows, and which closed cases lack the
//! `after` photo that proves the rectification. One rule for the case page, lists.xlsx's 整治后照片
//! column, the case list's filter and the closed-without-after warning.

use crate::model::{Case, Date, Photo, Stage};

/// The photos of a case shown at D: none dated after D, and `after` photos only once the case is
/// rectified.
pub fn case_photos(c: &Case, d: Date) -> impl Iterator<Item = &Photo> {
    let rectified = c.rectified.is_some_and(|x| x <= d);
    c.photos
        .iter()
        .filter(move |p| p.date.is_none_or(|x| x <= d))
        .filter(move |p| p.stage == Stage::Before || rectified)
}

/// Whether an `after` photo shows at D.
pub fn shows_after_photo(c: &Case, d: Date) -> bool {
    case_photos(c, d).any(|p| p.stage == Stage::After)
}

/// Closed by D and no `after` photo shows at D. The warning, which knows no D, asks with
/// `Date::MAX`: every date counts.
pub fn lacks_after_photo(c: &Case, d: Date) -> bool {
    c.closed.is_some_and(|x| x <= d) && !shows_after_photo(c, d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::status::tests::d as date;

    fn case(
        rectified: Option<&str>,
        closed: Option<&str>,
        photos: &[(Stage, Option<&str>)],
    ) -> Case {
        let mut c =
            crate::report::status::tests::case("2022-01-01", None, rectified, closed, vec![]);
        c.photos = photos
            .iter()
            .map(|(stage, d)| Photo {
                file: "files/p.jpg".into(),
                stage: *stage,
                caption: None,
                date: d.map(date),
            })
            .collect();
        c
    }

    #[test]
    fn lacking_an_after_photo_at_d() {
        use Stage::{After, Before};
        let (r, c) = (Some("2022-03-01"), Some("2022-04-01"));
        let rows: [(Case, &str, bool, bool); 8] = [
            (case(r, c, &[(After, None)]), "2022-05-01", true, false),
            (case(r, c, &[(Before, None)]), "2022-05-01", false, true),
            (case(r, c, &[]), "2022-05-01", false, true),
            // Not yet closed at D: nothing is lacking yet.
            (case(r, c, &[]), "2022-03-15", false, false),
            (
                case(None, None, &[(After, None)]),
                "2022-05-01",
                false,
                false,
            ),
            // An after photo dated after D does not show at D.
            (
                case(r, c, &[(After, Some("2022-06-01"))]),
                "2022-05-01",
                false,
                true,
            ),
            (
                case(r, c, &[(After, Some("2022-04-01"))]),
                "2022-05-01",
                true,
                false,
            ),
            // The warning's question: any date counts.
            (
                case(r, c, &[(After, Some("2030-01-01"))]),
                "9999-12-31",
                true,
                false,
            ),
        ];
        for (i, (c, d, shows, lacks)) in rows.iter().enumerate() {
            assert_eq!(shows_after_photo(c, date(d)), *shows, "row {i}");
            assert_eq!(lacks_after_photo(c, date(d)), *lacks, "row {i}");
        }
        assert!(lacks_after_photo(&case(r, c, &[]), Date::MAX));
        assert!(!lacks_after_photo(&case(r, c, &[(After, None)]), Date::MAX));
    }
}
