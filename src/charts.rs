//! SVG charts drawn with plotters: per-street progress, monthly trend, breakdowns.
