//! Reading back the `&'static str` values some diagnostic kinds hold (words chosen in code, e.g. the
//! expected type), for the build cache that stores diagnostics. Each distinct value is kept once for
//! the life of the process: the set is the handful of words the code uses, so it stays small.

use serde::{Deserialize, Deserializer};
use std::collections::BTreeSet;
use std::sync::Mutex;

/// A word chosen in code. Named, so serde does not take a field of this type as borrowed from the
/// input (it is read through [`one`]).
pub type Word = &'static str;

static WORDS: Mutex<BTreeSet<&'static str>> = Mutex::new(BTreeSet::new());

/// The one kept copy of `s`.
fn keep(s: String) -> &'static str {
    let mut words = WORDS.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(w) = words.get(s.as_str()) {
        return w;
    }
    let w: &'static str = Box::leak(s.into_boxed_str());
    words.insert(w);
    w
}

pub fn one<'de, D: Deserializer<'de>>(d: D) -> Result<&'static str, D::Error> {
    String::deserialize(d).map(keep)
}

pub fn pair<'de, D: Deserializer<'de>>(d: D) -> Result<(&'static str, &'static str), D::Error> {
    let (a, b) = <(String, String)>::deserialize(d)?;
    Ok((keep(a), keep(b)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_words_are_kept_once() {
        let a = keep("整数".to_string());
        let b = keep("整数".to_string());
        assert_eq!(a, "整数");
        assert!(std::ptr::eq(a, b));
    }
}
