use super::blocks::{TEXT_WIDTH, column_widths};
use super::sections::{Place, signature_places};
use super::title_break;
use crate::lang::Lang;
use crate::model::{BriefingDoc, Date};
use crate::render::views::long_date;

#[test]
fn dates_are_written_out() {
    let d = |s: &str| Date::parse_from_str(s, "%Y-%m-%d").unwrap();
    let table = [
        ("2022-06-30", Lang::Zh, "2022年6月30日"),
        ("2022-12-01", Lang::Zh, "2022年12月1日"),
        ("2023-01-09", Lang::En, "2023-01-09"),
    ];
    for (date, lang, want) in table {
        assert_eq!(long_date(d(date), lang), want);
    }
}

#[test]
fn columns_fill_the_type_area() {
    for weights in [
        vec![1],
        vec![3, 2, 2, 2],
        vec![2, 4, 3, 3, 3, 3, 3, 3, 4],
        vec![1, 1, 1],
    ] {
        let widths = column_widths(&weights);
        assert_eq!(widths.len(), weights.len());
        assert_eq!(widths.iter().sum::<u32>(), TEXT_WIDTH, "{weights:?}");
    }
    assert_eq!(TEXT_WIDTH, 8845, "156 mm");
}

#[test]
fn document_numbers_fill_year_and_issue() {
    let doc = |number: Option<&str>| BriefingDoc {
        number: number.map(String::from),
        ..BriefingDoc::default()
    };
    let table = [
        (
            Some("越秀散乱污办〔{year}〕{n}号"),
            2022,
            4,
            Some("越秀散乱污办〔2022〕4号"),
        ),
        (
            Some("第{n}号（{year}）{n}"),
            2023,
            1,
            Some("第1号（2023）1"),
        ),
        (None, 2022, 1, None),
    ];
    for (pattern, year, n, want) in table {
        assert_eq!(doc(pattern).number_for(year, n).as_deref(), want);
    }
}

#[test]
fn long_titles_break_between_words_upper_line_longer() {
    let table = [
        // 2022年6月“散乱污”场所清理整治 / 工作进展通报
        (
            "2022年6月“散乱污”场所清理整治工作进展通报",
            20.0,
            Some("2022年6月“散乱污”场所清理整治"),
        ),
        ("2022年6月“散乱污”场所清理整治工作进展通报", 30.0, None),
        // Only the quote is a place to break, and both halves fit.
        ("关于“散乱污”场所清理整治", 8.0, Some("关于“散乱污”")),
        // No place where both lines fit: let the line wrap.
        (
            "散乱污场所清理整治进度通报散乱污场所清理整治进度通报",
            20.0,
            None,
        ),
        (
            "A long English briefing title that wraps by itself",
            20.0,
            None,
        ),
    ];
    for (title, fits, want) in table {
        let got = title_break(title, fits).map(|at| &title[..at]);
        assert_eq!(got, want, "{title} in {fits}");
    }
}

#[test]
fn the_date_starts_two_characters_right_of_the_issuer() {
    use Place::{FromLeft, FromRight};
    // (issuer width, date width) → where the issuer and the date stand, in characters.
    let table = [
        // 越秀区…办公室 (24) over 2022年6月30日 (6.5): the date starts at 4, 2 right of the issuer.
        (24.0, 6.5, (FromRight(2.0), FromLeft(4.0))),
        (8.5, 6.5, (FromRight(2.0), FromLeft(19.5))),
        // A short issuer: the date ends two in and the issuer moves left, 2 + 6.5 + 2 - 4 = 6.5.
        (4.0, 6.5, (FromRight(6.5), FromRight(2.0))),
        // Wider than a line: both end two characters in.
        (30.0, 6.5, (FromRight(2.0), FromRight(2.0))),
    ];
    for (issuer, date, want) in table {
        assert_eq!(signature_places(issuer, date), want, "{issuer} over {date}");
    }
}
