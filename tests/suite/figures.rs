//! Figures as of D, recomputed independently of `rectify::report`.
