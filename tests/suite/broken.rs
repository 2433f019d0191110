//! Broken fixtures: each pins the exact diagnostic text of `rectify check`.
