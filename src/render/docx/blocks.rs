//! The document's building blocks: runs that always name their East Asian font, paragraphs in the
//! official-document styles, tables and the page-number footers.

use docx_rs::{
    AlignmentType, BorderType, FieldCharType, Footer, HeightRule, InstrPAGE, InstrText, Paragraph,
    Run, RunFonts, SpecialIndentType, Table, TableAlignmentType, TableBorder, TableBorderPosition,
    TableBorders, TableCell, TableCellMargins, TableLayoutType, TablePositionProperty, TableRow,
    VAlignType, WidthType,
};

/// East Asian fonts named by GB/T 9704-2012; the reader's Word or WPS supplies them.
pub const FANGSONG: &str = "仿宋_GB2312";
pub const HEITI: &str = "黑体";
pub const KAITI: &str = "楷体_GB2312";
pub const XIAOBIAOSONG: &str = "方正小标宋简体";
pub const SONGTI: &str = "宋体";
/// Latin letters and digits.
const LATIN: &str = "Times New Roman";

/// Sizes in half-points: 2号 22pt, 3号 16pt, 4号 14pt, 小四 12pt, 5号 10.5pt.
pub const SIZE_2: usize = 44;
pub const SIZE_3: usize = 32;
pub const SIZE_4: usize = 28;
pub const SIZE_TABLE: usize = 21;
pub const RED: &str = "FF0000";

/// The width of the type area (版心) in twips: A4 less the left and right margins.
pub const TEXT_WIDTH: u32 = super::PAGE_WIDTH - super::MARGIN_LEFT - super::MARGIN_RIGHT;

/// How much 3号 runs are condensed, in twentieths of a point: 28 characters of 16 pt (448 pt) do not
/// fit the 442.25 pt type area, 28 of 15.75 pt (441 pt) do. Word and LibreOffice both honour run
/// spacing, where LibreOffice gives a character wider than a negative character grid's cell two
/// cells (14 a line); so the document has a line grid only and the runs carry the condensing.
pub const CONDENSE: i32 = -5;

/// One condensed character of 3号 text, in twips: indents are counted in characters.
pub const CHAR: i32 = 320 + CONDENSE;

/// A run of text in `font` at `size` half-points; 3号 runs are condensed to the 28-character line.
pub fn run(text: &str, font: &str, size: usize) -> Run {
    let r = Run::new()
        .add_text(xml_chars(text))
        .fonts(fonts(font))
        .size(size);
    if size == SIZE_3 {
        r.character_spacing(CONDENSE)
    } else {
        r
    }
}

/// The text without the characters XML 1.0 cannot hold (control characters pasted into a YAML
/// string would make the whole document unreadable).
fn xml_chars(text: &str) -> String {
    text.chars()
        .filter(|&c| matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..))
        .collect()
}

fn fonts(east_asia: &str) -> RunFonts {
    RunFonts::new()
        .east_asia(east_asia)
        .ascii(LATIN)
        .hi_ansi(LATIN)
        .cs(LATIN)
}

/// How many Chinese characters wide `text` is: a Latin letter or digit is half of one.
pub fn chars_wide(text: &str) -> f64 {
    text.chars()
        .map(|c| if c.is_ascii() { 0.5 } else { 1.0 })
        .sum()
}

/// A paragraph holding one run.
pub fn line(text: &str, font: &str, size: usize) -> Paragraph {
    Paragraph::new().add_run(run(text, font, size))
}

/// Body text: 仿宋 3号, first line indented two characters.
pub fn body(text: &str) -> Paragraph {
    line(text, FANGSONG, SIZE_3).indent(
        None,
        Some(SpecialIndentType::FirstLine(2 * CHAR)),
        None,
        None,
    )
}

/// A heading: level 1 in 黑体, level 2 in 楷体, indented two characters like the body; kept with
/// what follows.
pub fn heading(text: &str, level: u8) -> Paragraph {
    let font = if level <= 1 { HEITI } else { KAITI };
    body_indent(line(text, font, SIZE_3))
        .keep_next(true)
        .outline_lvl(usize::from(level.max(1) - 1))
}

fn body_indent(p: Paragraph) -> Paragraph {
    p.indent(
        None,
        Some(SpecialIndentType::FirstLine(2 * CHAR)),
        None,
        None,
    )
}

/// An empty line of the grid.
pub fn blank() -> Paragraph {
    line("", FANGSONG, SIZE_3)
}

/// A table as wide as the type area: a header row, then `rows`; `weights` share out the width.
pub fn table(header: &[String], rows: &[Vec<String>], weights: &[u32]) -> Table {
    let widths = column_widths(weights);
    let head = TableRow::new(
        header
            .iter()
            .zip(&widths)
            .map(|(h, w)| cell(h, *w, HEITI, AlignmentType::Center))
            .collect(),
    )
    .cant_split()
    .row_height(super::package::HEADER_ROW_HEIGHT)
    .height_rule(HeightRule::AtLeast);
    let mut all = vec![head];
    for row in rows {
        let cells = row
            .iter()
            .zip(&widths)
            .enumerate()
            .map(|(i, (text, w))| {
                let align = if i == 0 || is_number(text) {
                    AlignmentType::Center
                } else {
                    AlignmentType::Left
                };
                cell(text, *w, FANGSONG, align)
            })
            .collect();
        all.push(
            TableRow::new(cells)
                .cant_split()
                .row_height(ROW_HEIGHT)
                .height_rule(HeightRule::AtLeast),
        );
    }
    // Fixed widths: Word would otherwise fit the columns to their text, where LibreOffice keeps
    // the grid; narrow cell margins leave a 5号 date or case number room on one line.
    Table::new(all)
        .set_grid(widths.iter().map(|w| *w as usize).collect())
        .width(TEXT_WIDTH as usize, WidthType::Dxa)
        .layout(TableLayoutType::Fixed)
        .margins(
            TableCellMargins::new()
                .margin_left(CELL_MARGIN, WidthType::Dxa)
                .margin_right(CELL_MARGIN, WidthType::Dxa),
        )
        .align(TableAlignmentType::Center)
}

/// A table row's least height in twips (18 pt): one 5号 line with air above and below.
pub const ROW_HEIGHT: f32 = 360.0;
/// A table cell's left and right margin in twips (0.1 cm; Word's default is 0.19 cm).
const CELL_MARGIN: usize = 57;

/// Column widths in twips, proportional to `weights`, summing to the type area's width.
pub fn column_widths(weights: &[u32]) -> Vec<u32> {
    let total: u32 = weights.iter().sum::<u32>().max(1);
    let mut widths: Vec<u32> = weights.iter().map(|w| TEXT_WIDTH * w / total).collect();
    if let Some(last) = widths.last_mut() {
        *last += TEXT_WIDTH - weights.iter().map(|w| TEXT_WIDTH * w / total).sum::<u32>();
    }
    widths
}

/// A figure, a rate or a dash: centred in its cell.
fn is_number(text: &str) -> bool {
    !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_digit() || ".%—-+▲▼ ".contains(c))
}

fn cell(text: &str, width: u32, font: &str, align: AlignmentType) -> TableCell {
    // Off the grid: small table text would otherwise take a whole 3号 line per line.
    let p = line(text, font, SIZE_TABLE)
        .align(align)
        .snap_to_grid(false);
    TableCell::new()
        .add_paragraph(p)
        .width(width as usize, WidthType::Dxa)
        .vertical_align(VAlignType::Center)
}

/// A rule across the type area: an empty one-cell table showing only its bottom border.
pub fn rule(color: &str, eighths_of_a_point: usize) -> Table {
    let p = line("", FANGSONG, 2).snap_to_grid(false);
    let cell = TableCell::new()
        .add_paragraph(p)
        .width(TEXT_WIDTH as usize, WidthType::Dxa);
    Table::new(vec![TableRow::new(vec![cell])])
        .set_grid(vec![TEXT_WIDTH as usize])
        .width(TEXT_WIDTH as usize, WidthType::Dxa)
        .align(TableAlignmentType::Center)
        .set_borders(
            TableBorders::with_empty().set(
                TableBorder::new(TableBorderPosition::Bottom)
                    .border_type(BorderType::Single)
                    .size(eighths_of_a_point)
                    .color(color),
            ),
        )
}

/// The 版记: 抄送 and the issuing line between a thick rule above and below and a thin one between.
pub fn colophon(cc: Option<&str>, issuer: &str, date: &str) -> Table {
    let widths = column_widths(&[5, 3]);
    let indented = |p: Paragraph, left: bool| {
        let p = p.snap_to_grid(false);
        if left {
            p.indent(Some(CHAR), None, None, None)
        } else {
            p.indent(None, None, Some(CHAR), None)
        }
    };
    let cell = |p: Paragraph, w: u32| {
        TableCell::new()
            .add_paragraph(p)
            .width(w as usize, WidthType::Dxa)
    };
    let mut rows = Vec::new();
    if let Some(cc) = cc {
        let p = indented(line(cc, FANGSONG, SIZE_4), true);
        rows.push(TableRow::new(vec![cell(p, TEXT_WIDTH).grid_span(2)]).cant_split());
    }
    let left = indented(line(issuer, FANGSONG, SIZE_4), true);
    let right = indented(
        line(date, FANGSONG, SIZE_4).align(AlignmentType::Right),
        false,
    );
    rows.push(TableRow::new(vec![cell(left, widths[0]), cell(right, widths[1])]).cant_split());
    let border = |pos, size| {
        TableBorder::new(pos)
            .border_type(BorderType::Single)
            .size(size)
            .color("000000")
    };
    // GB/T 9704 puts the 版记 at the foot of the last page: a table floating at the bottom of the
    // type area. Its x is measured from the page's edge: LibreOffice makes a table as wide as the
    // type area float only when it is placed relative to the page, else it stays in the text flow.
    let foot = TablePositionProperty::new()
        .vertical_anchor("margin")
        .horizontal_anchor("page")
        .position_x(super::MARGIN_LEFT as i32)
        .position_y_alignment("bottom");
    Table::new(rows)
        .set_grid(widths.iter().map(|w| *w as usize).collect())
        .width(TEXT_WIDTH as usize, WidthType::Dxa)
        .align(TableAlignmentType::Center)
        .position(foot)
        .set_borders(
            TableBorders::with_empty()
                .set(border(TableBorderPosition::Top, 8))
                .set(border(TableBorderPosition::Bottom, 8))
                .set(border(TableBorderPosition::InsideH, 4)),
        )
}

/// The page number `— 1 —` in 4号宋体: on odd pages at the right, on even pages at the left, one
/// character in from the edge of the type area.
pub fn page_number(odd: bool) -> Footer {
    let r = |t: &str| run(t, SONGTI, SIZE_4);
    let field = |t: FieldCharType| {
        Run::new()
            .fonts(fonts(SONGTI))
            .size(SIZE_4)
            .add_field_char(t, false)
    };
    let mut p = Paragraph::new()
        .add_run(r("— "))
        .add_run(field(FieldCharType::Begin))
        .add_run(
            Run::new()
                .fonts(fonts(SONGTI))
                .size(SIZE_4)
                .add_instr_text(InstrText::PAGE(InstrPAGE::new())),
        )
        .add_run(field(FieldCharType::Separate))
        .add_run(r("1"))
        .add_run(field(FieldCharType::End))
        .add_run(r(" —"))
        .snap_to_grid(false);
    let one = CHAR * SIZE_4 as i32 / SIZE_3 as i32;
    p = if odd {
        p.align(AlignmentType::Right)
            .indent(None, None, Some(one), None)
    } else {
        p.align(AlignmentType::Left)
            .indent(Some(one), None, None, None)
    };
    Footer::new().add_paragraph(p)
}
