//! A deterministic generator of sample campaign content, for the default site, tests and benchmarks.
//!
//! `generate` writes a complete content folder: for Yuexiu the hand-written site, organisation, plan
//! and tasks (embedded from `content/`), for a synthetic site small stand-ins; then cases, notes,
//! publicity, briefings and files drawn from a seeded PRNG, so the same `Spec` gives the same bytes.

mod cases;
mod docs;
mod files;
pub(crate) mod photos;
mod render;
mod synthetic;
#[cfg(test)]
mod tests;
mod vocab;

use chrono::NaiveDate;
use std::io;
use std::path::Path;

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spec {
    /// Seed of the PRNG; the same spec always gives the same files.
    pub seed: u64,
    /// Number of case files.
    pub cases: usize,
    /// `None`: Yuexiu's 18 streets and its hand-written plan; `Some(n)`: a synthetic site with n streets.
    pub streets: Option<usize>,
    /// Number of work notes.
    pub notes: usize,
    /// Number of publicity items.
    pub publicity: usize,
    /// Whether to write before/after photos and publicity covers.
    pub photos: bool,
}

impl Default for Spec {
    fn default() -> Self {
        Spec {
            seed: 1,
            cases: 200,
            streets: None,
            notes: 24,
            publicity: 10,
            photos: true,
        }
    }
}

/// Writes a complete content folder into `dir` (created if missing). Existing files are overwritten,
/// other files are left alone.
pub fn generate(spec: &Spec, dir: &Path) -> io::Result<()> {
    let org = match spec.streets {
        None => {
            write(dir, "site.yaml", YUEXIU_SITE)?;
            write(dir, "organisation.yaml", YUEXIU_ORGANISATION)?;
            write(dir, "plan.md", YUEXIU_PLAN)?;
            write(dir, "tasks.yaml", YUEXIU_TASKS)?;
            Org::yuexiu()
        }
        Some(n) => synthetic::write_site(dir, n)?,
    };
    let mut rng = Rng::new(spec.seed);
    let cases = cases::generate(spec, &org, &mut rng);
    for case in &cases {
        let street = &org.streets[case.street].id;
        let path = format!("cases/{street}/{}.yaml", case.id);
        write(dir, &path, &render::case(case))?;
        if case.photos {
            let (before, after) = photos::photo_pair(&case.id);
            write_bytes(
                dir,
                &format!("files/photos/{}-before.jpg", case.id),
                &before,
            )?;
            write_bytes(dir, &format!("files/photos/{}-after.jpg", case.id), &after)?;
        } else if case.after_photo {
            let after = photos::after_only(&case.id);
            write_bytes(dir, &format!("files/photos/{}-after.jpg", case.id), &after)?;
        }
    }
    docs::write_notes(dir, spec, &org, &cases, &mut rng)?;
    docs::write_publicity(dir, spec, &org, &mut rng)?;
    docs::write_briefings(dir, &org, &cases)?;
    Ok(())
}

const YUEXIU_SITE: &str = include_str!("../../content/site.yaml");
const YUEXIU_ORGANISATION: &str = include_str!("../../content/organisation.yaml");
const YUEXIU_PLAN: &str = include_str!("../../content/plan.md");
const YUEXIU_TASKS: &str = include_str!("../../content/tasks.yaml");

/// Cases per street for the default 200 cases, in Yuexiu's street order; scaled for other counts.
const YUEXIU_WEIGHTS: [u32; 18] = [
    20, 8, 10, 19, 6, 9, 7, 5, 1, 12, 2, 6, 10, 3, 11, 22, 24, 25,
];

/// Campaign start; no sample case is found before it.
pub(crate) fn start() -> NaiveDate {
    ymd(2022, 3, 14)
}

/// The last day a case event (found, rectified, closed, recheck, relapse) may fall on.
pub(crate) fn last_event() -> NaiveDate {
    ymd(2022, 12, 28)
}

pub(crate) fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid constant date")
}

pub(crate) fn days(d: NaiveDate, n: i64) -> NaiveDate {
    d + chrono::Duration::days(n)
}

/// The streets (and how cases spread over them) the generator draws from.
pub(crate) struct Org {
    pub streets: Vec<Street>,
    pub weights: Vec<u32>,
    pub id_prefix: String,
}

pub(crate) struct Street {
    pub id: String,
    pub name: String,
    pub communities: Vec<String>,
}

impl Street {
    /// The name without its 街道 suffix, as people often write it (东山).
    pub fn short(&self) -> &str {
        self.name.strip_suffix("街道").unwrap_or(&self.name)
    }
}

impl Org {
    fn yuexiu() -> Org {
        let streets = parse_streets(YUEXIU_ORGANISATION);
        assert_eq!(
            streets.len(),
            YUEXIU_WEIGHTS.len(),
            "organisation.yaml lists 18 streets"
        );
        Org {
            streets,
            weights: YUEXIU_WEIGHTS.to_vec(),
            id_prefix: "YX2022-".into(),
        }
    }
}

/// Reads the `streets:` section of an organisation.yaml by its line shape (the embedded file is ours).
fn parse_streets(text: &str) -> Vec<Street> {
    let mut streets: Vec<Street> = Vec::new();
    let mut in_streets = false;
    for line in text.lines() {
        if !line.starts_with(' ') {
            in_streets = line.trim_end() == "streets:";
        } else if !in_streets {
        } else if let Some(id) = line.strip_prefix("  - id: ") {
            streets.push(Street {
                id: id.into(),
                name: String::new(),
                communities: vec![],
            });
        } else if let (Some(name), Some(s)) = (line.strip_prefix("    name: "), streets.last_mut())
        {
            s.name = name.into();
        } else if let (Some(c), Some(s)) = (line.strip_prefix("      - "), streets.last_mut()) {
            s.communities.push(c.into());
        }
    }
    streets
}

pub(crate) fn write(dir: &Path, rel: &str, text: &str) -> io::Result<()> {
    write_bytes(dir, rel, text.as_bytes())
}

pub(crate) fn write_bytes(dir: &Path, rel: &str, bytes: &[u8]) -> io::Result<()> {
    let path = dir.join(rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(path, bytes)
}

/// splitmix64: tiny, seedable and good enough for sample data.
pub(crate) struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x005E_ED0F_5A4E_u64)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when n is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next_u64() % n }
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1).max(1) as u64) as i64
    }

    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// An index drawn with the given weights.
    pub fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u64 = weights.iter().map(|&w| w as u64).sum();
        let mut r = self.below(total);
        for (i, &w) in weights.iter().enumerate() {
            if r < w as u64 {
                return i;
            }
            r -= w as u64;
        }
        weights.len() - 1
    }
}
