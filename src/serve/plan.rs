//! The order in which `serve` renders an update: one kind of page, or a batch of case pages, per
//! step. Between steps the engine asks the store which suspect pages browsers are waiting for and
//! renders those next (what is open is rendered first, as Hugo's fast render does); the rest follow
//! in a fixed order, the heavy data files last.

use crate::render::deps::{Affected, PageKind, kind_of};
use std::collections::{HashMap, HashSet, VecDeque};

/// Case pages rendered in one step: few enough that a request waits little for the step under way.
const CASE_STEP: usize = 100;

/// One step of rendering.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// Every page of one kind.
    Kind(PageKind),
    /// These cases' pages.
    Cases(Vec<String>),
}

impl Step {
    /// The pages of this step, as `render` selects them.
    pub fn affected(&self) -> Affected {
        match self {
            Step::Kind(k) => Affected {
                kinds: [*k].into(),
                ..Affected::default()
            },
            Step::Cases(ids) => Affected {
                cases: ids.iter().cloned().collect(),
                ..Affected::default()
            },
        }
    }
}

/// The steps of an update not taken yet.
pub struct Plan {
    before: VecDeque<PageKind>,
    cases: VecDeque<String>,
    /// The ids in `cases` not rendered yet (a requested case is rendered out of turn).
    pending: HashSet<String>,
    after: VecDeque<PageKind>,
    /// Paths requested and not rendered yet, oldest first.
    wanted: VecDeque<String>,
}

impl Plan {
    /// The steps that render `which`; `published` lists every case that has a page, in order.
    /// For the whole site: the pages browsers open most (home, streets, lists) first, then the
    /// case pages, then the data files; for part of it, the changed cases first.
    pub fn new(which: &Affected, published: &[String]) -> Plan {
        let cases: VecDeque<String> = match which.all_of(PageKind::Case) {
            true => published.iter().cloned().collect(),
            false => which.cases.iter().cloned().collect(),
        };
        let kinds = PageKind::ALL
            .iter()
            .copied()
            .filter(|k| *k != PageKind::Case && which.all_of(*k));
        let (before, mut after): (VecDeque<PageKind>, VecDeque<PageKind>) = match which.everything {
            true => kinds.partition(|k| *k != PageKind::Data),
            false => (VecDeque::new(), kinds.collect()),
        };
        // Data files last: they read everything and take longest.
        if let Some(i) = after.iter().position(|k| *k == PageKind::Data) {
            after.remove(i);
            after.push_back(PageKind::Data);
        }
        Plan {
            pending: cases.iter().cloned().collect(),
            before,
            cases,
            after,
            wanted: VecDeque::new(),
        }
    }

    /// Paths browsers are waiting for: rendered before anything else.
    pub fn want(&mut self, paths: Vec<String>) {
        self.wanted.extend(paths);
    }

    /// The next step: the requested paths' first (`owners` names the kind that draws a file when
    /// its path does not say, such as a chart), else the next in order; `None` when done.
    pub fn next(&mut self, owners: &HashMap<String, PageKind>) -> Option<Step> {
        let ids: Vec<String> = self
            .wanted
            .iter()
            .filter(|p| kind_of(p) == PageKind::Case)
            .filter_map(|p| p.strip_prefix("cases/")?.strip_suffix(".html"))
            .filter(|id| self.pending.remove(*id))
            .map(str::to_string)
            .collect();
        if !ids.is_empty() {
            return Some(Step::Cases(ids));
        }
        while let Some(path) = self.wanted.pop_front() {
            let kind = owners.get(&path).copied().unwrap_or_else(|| kind_of(&path));
            for queue in [&mut self.before, &mut self.after] {
                if let Some(i) = queue.iter().position(|k| *k == kind) {
                    queue.remove(i);
                    return Some(Step::Kind(kind));
                }
            }
        }
        if let Some(kind) = self.before.pop_front() {
            return Some(Step::Kind(kind));
        }
        let mut ids = Vec::new();
        while ids.len() < CASE_STEP {
            let Some(id) = self.cases.pop_front() else {
                break;
            };
            if self.pending.remove(&id) {
                ids.push(id);
            }
        }
        if !ids.is_empty() {
            return Some(Step::Cases(ids));
        }
        self.after.pop_front().map(Step::Kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("C{i:04}")).collect()
    }

    fn drain(plan: &mut Plan) -> Vec<Step> {
        std::iter::from_fn(|| plan.next(&HashMap::new())).collect()
    }

    #[test]
    fn the_whole_site_renders_kinds_then_cases_then_data() {
        let mut plan = Plan::new(&Affected::everything(), &ids(600));
        let steps = drain(&mut plan);
        assert_eq!(steps[0], Step::Kind(PageKind::Home));
        assert_eq!(steps.last(), Some(&Step::Kind(PageKind::Data)));
        let cases: Vec<usize> = steps
            .iter()
            .filter_map(|s| match s {
                Step::Cases(c) => Some(c.len()),
                _ => None,
            })
            .collect();
        assert_eq!(cases, vec![100; 6]);
        let kinds = steps.iter().filter(|s| matches!(s, Step::Kind(_))).count();
        assert_eq!(kinds, PageKind::ALL.len() - 1, "every kind but Case, once");
    }

    #[test]
    fn requested_pages_come_first_and_only_once() {
        let mut plan = Plan::new(&Affected::everything(), &ids(600));
        let owners = HashMap::from([("charts/x.svg".to_string(), PageKind::Streets)]);
        let table: &[(&[&str], Step)] = &[
            (&["cases/C0599.html"], Step::Cases(vec!["C0599".into()])),
            (&["data/cases.csv"], Step::Kind(PageKind::Data)),
            (&["charts/x.svg"], Step::Kind(PageKind::Streets)),
            (&["streets/a.html"], Step::Kind(PageKind::Home)),
        ];
        for (wanted, step) in table {
            plan.want(wanted.iter().map(|s| s.to_string()).collect());
            assert_eq!(plan.next(&owners).as_ref(), Some(step));
        }
        let rest = drain(&mut plan);
        assert!(!rest.contains(&Step::Kind(PageKind::Data)));
        assert!(!rest.contains(&Step::Kind(PageKind::Streets)));
        let cases: usize = rest
            .iter()
            .map(|s| match s {
                Step::Cases(c) => c.len(),
                _ => 0,
            })
            .sum();
        assert_eq!(cases, 599, "the requested case is not rendered twice");
    }

    #[test]
    fn part_of_the_site_renders_its_cases_first() {
        let which =
            crate::render::deps::affected(&[crate::render::deps::Input::Case("C0001".into())]);
        let mut plan = Plan::new(&which, &ids(10));
        let steps = drain(&mut plan);
        assert_eq!(steps[0], Step::Cases(vec!["C0001".into()]));
        assert_eq!(steps.last(), Some(&Step::Kind(PageKind::Data)));
        assert!(!steps.contains(&Step::Kind(PageKind::Plan)));
    }
}
