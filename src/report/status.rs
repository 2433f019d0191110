//! A case's status at a date D, exactly as the contract defines it.

use crate::model::{Case, Date, Relapse};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    Closed,
    Rectified,
    InProgress,
}

impl Status {
    pub const ALL: [Status; 3] = [Status::Closed, Status::Rectified, Status::InProgress];

    /// The key used in `cases.json` and in page filters.
    pub fn key(self) -> &'static str {
        match self {
            Status::Closed => "closed",
            Status::Rectified => "rectified",
            Status::InProgress => "in-progress",
        }
    }

    pub fn label(self, lang: crate::lang::Lang) -> &'static str {
        match self {
            Status::Closed => lang.pick("已销号", "closed"),
            Status::Rectified => lang.pick("已整治", "rectified"),
            Status::InProgress => lang.pick("整治中", "in progress"),
        }
    }

    pub fn is_done(self) -> bool {
        self != Status::InProgress
    }
}

/// Where a case stands at D.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct State {
    pub status: Status,
    pub relapsed: bool,
    pub overdue: bool,
}

/// The relapse open at D: found on or before D and not rectified by D.
pub fn open_relapse(case: &Case, d: Date) -> Option<&Relapse> {
    case.relapses
        .iter()
        .find(|r| r.found <= d && r.rectified.is_none_or(|x| x > d))
}

/// The case's state at D, or `None` when it was not yet found.
pub fn state(case: &Case, d: Date) -> Option<State> {
    if case.found > d {
        return None;
    }
    let relapse = open_relapse(case, d);
    let status = match (relapse, case.closed, case.rectified) {
        (Some(_), _, _) => Status::InProgress,
        (None, Some(c), _) if c <= d => Status::Closed,
        (None, _, Some(r)) if r <= d => Status::Rectified,
        _ => Status::InProgress,
    };
    let deadline = match relapse {
        Some(r) => r.deadline,
        None => case.deadline,
    };
    let overdue = status == Status::InProgress && deadline.is_some_and(|dl| dl < d);
    Some(State {
        status,
        relapsed: relapse.is_some(),
        overdue,
    })
}
