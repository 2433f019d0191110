//! Text and number helpers: width estimates (plotters cannot measure CJK without `ttf`),
//! wrapping, shortening, XML escaping, count formatting and nice axis steps.

/// Width of `text` at `px`, estimated: CJK and full-width ~1 em, ASCII ~0.6 em.
pub fn text_width(text: &str, px: f64) -> f64 {
    text.chars()
        .map(|c| match c as u32 {
            0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF => 1.0,
            0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 => 1.0,
            0x20000..=0x3FFFD => 1.0,
            0x20 => 0.3,
            0x2C..=0x2E => 0.4,
            _ if c.is_ascii_digit() => 0.56,
            _ if c.is_ascii_uppercase() => 0.68,
            _ => 0.6,
        })
        .sum::<f64>()
        * px
}

/// Removes characters XML 1.0 forbids (control characters); plotters escapes the rest.
pub fn clean(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .filter(|c| !matches!(*c as u32, 0xFFFE | 0xFFFF))
        .collect()
}

/// Greedy line wrap to `max_w` px; breaks at spaces when possible, anywhere in CJK text.
pub fn wrap(text: &str, px: f64, max_w: f64) -> Vec<String> {
    let text = clean(text);
    let mut lines = Vec::new();
    let mut line = String::new();
    for c in text.chars() {
        line.push(c);
        if text_width(&line, px) > max_w && line.chars().count() > 1 {
            line.pop();
            let (keep, carry) = match line.rfind(' ') {
                Some(i) if i > 0 && c.is_ascii_alphanumeric() => {
                    (line[..i].to_string(), line[i + 1..].to_string())
                }
                _ => (line.clone(), String::new()),
            };
            lines.push(keep.trim_end().to_string());
            line = carry;
            line.push(c);
        }
    }
    if !line.trim().is_empty() || lines.is_empty() {
        lines.push(line.trim_end().to_string());
    }
    lines
}

/// Shortens `text` with "…" to fit `max_w` px.
pub fn ellipsize(text: &str, px: f64, max_w: f64) -> String {
    let text = clean(text);
    if text_width(&text, px) <= max_w {
        return text;
    }
    let mut out = String::new();
    for c in text.chars() {
        out.push(c);
        if text_width(&out, px) + px > max_w {
            out.pop();
            break;
        }
    }
    out.push('…');
    out
}

/// 1234567 → "1,234,567".
pub fn fmt_count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A "nice" axis: (axis max, step), step in {1, 2, 5}·10^k, at most `max_ticks` intervals.
pub fn nice_axis(max: u64, max_ticks: u64) -> (u64, u64) {
    let max = max.max(1);
    let max_ticks = max_ticks.max(1);
    let mut magnitude: u64 = 1;
    loop {
        for m in [1u64, 2, 5] {
            let step = magnitude.saturating_mul(m);
            let intervals = max.div_ceil(step);
            if intervals <= max_ticks || step == u64::MAX {
                return (intervals.saturating_mul(step), step);
            }
        }
        magnitude = magnitude.saturating_mul(10);
    }
}

/// XML-escapes text for element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in clean(text).chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}
