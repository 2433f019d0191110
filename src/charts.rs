//! SVG charts drawn with plotters: per-street progress, monthly trend, breakdowns.
//! (Placeholder until the plotters implementation lands; same API.)

pub struct Frame<'a> {
    pub title: &'a str,
    pub desc: &'a str,
    pub x_label: &'a str,
    pub y_label: &'a str,
}

pub struct Trend<'a> {
    pub months: &'a [String],
    pub bars: &'a [(&'a str, Vec<u32>)],
    pub lines: &'a [(&'a str, Vec<u32>)],
}

fn placeholder(frame: &Frame) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 720 40\" role=\"img\"><title>{}</title></svg>",
        frame.title.replace('&', "&amp;").replace('<', "&lt;")
    )
}

pub fn stacked_bars(frame: &Frame, _series: &[&str], _rows: &[(String, Vec<u32>)]) -> String {
    placeholder(frame)
}

pub fn trend(frame: &Frame, _data: &Trend) -> String {
    placeholder(frame)
}

pub fn grouped_bars(frame: &Frame, _series: &[&str], _rows: &[(String, Vec<u32>)]) -> String {
    placeholder(frame)
}
