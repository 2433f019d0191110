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

/// Days by which a case rectified on or before D missed its own deadline (超期完成); `None` when it
/// was on time, had no deadline or is not rectified at D.
pub fn late_days(case: &Case, d: Date) -> Option<i64> {
    let done = case.rectified.filter(|r| *r <= d)?;
    let days = (done - case.deadline?).num_days();
    (days > 0).then_some(days)
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

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::model::{Action, Source};

    pub(in crate::report) fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    /// A case with these dates and relapses and nothing else (the evidence tests add photos).
    pub(in crate::report) fn case(
        found: &str,
        deadline: Option<&str>,
        rectified: Option<&str>,
        closed: Option<&str>,
        relapses: Vec<Relapse>,
    ) -> Case {
        Case {
            id: "T".into(),
            path: String::new(),
            name: String::new(),
            street: "s".into(),
            community: None,
            grid: None,
            river: None,
            industry: None,
            location: None,
            criteria: vec![],
            pollution: vec![],
            source: Source::Other,
            source_ref: None,
            action: Action::Upgrade,
            found: d(found),
            deadline: deadline.map(d),
            rectified: rectified.map(d),
            closed: closed.map(d),
            units: vec![],
            tasks: vec![],
            watch: false,
            typical: false,
            publish: true,
            summary: None,
            log: vec![],
            photos: vec![],
            rechecks: vec![],
            relapses,
            private: vec![],
        }
    }

    fn relapse(found: &str, deadline: Option<&str>, rectified: Option<&str>) -> Relapse {
        Relapse {
            found: d(found),
            deadline: deadline.map(d),
            rectified: rectified.map(d),
            note: None,
        }
    }

    #[test]
    fn late_completion_counts_days_past_the_deadline_once_rectified_at_d() {
        let late = case(
            "2022-03-10",
            Some("2022-04-01"),
            Some("2022-04-13"),
            None,
            vec![],
        );
        assert_eq!(late_days(&late, d("2022-04-13")), Some(12));
        assert_eq!(
            late_days(&late, d("2022-04-12")),
            None,
            "not yet rectified at D"
        );
        let on_time = case(
            "2022-03-10",
            Some("2022-04-01"),
            Some("2022-04-01"),
            None,
            vec![],
        );
        assert_eq!(late_days(&on_time, d("2022-06-01")), None);
        let no_deadline = case("2022-03-10", None, Some("2022-04-01"), None, vec![]);
        assert_eq!(late_days(&no_deadline, d("2022-06-01")), None);
    }

    /// (case, D, expected status, overdue, relapsed); `None` status: the case does not exist at D.
    #[test]
    fn statuses_follow_the_contract() {
        use Status::*;
        let table: Vec<(Case, &str, Option<Status>, bool, bool)> = vec![
            (
                case("2022-03-10", None, None, None, vec![]),
                "2022-03-09",
                None,
                false,
                false,
            ),
            (
                case("2022-03-10", None, None, None, vec![]),
                "2022-03-10",
                Some(InProgress),
                false,
                false,
            ),
            (
                case("2022-03-10", Some("2022-04-01"), None, None, vec![]),
                "2022-04-01",
                Some(InProgress),
                false,
                false,
            ),
            (
                case("2022-03-10", Some("2022-04-01"), None, None, vec![]),
                "2022-04-02",
                Some(InProgress),
                true,
                false,
            ),
            (
                case(
                    "2022-03-10",
                    Some("2022-04-01"),
                    Some("2022-04-05"),
                    None,
                    vec![],
                ),
                "2022-04-05",
                Some(Rectified),
                false,
                false,
            ),
            (
                case(
                    "2022-03-10",
                    Some("2022-04-01"),
                    Some("2022-04-05"),
                    None,
                    vec![],
                ),
                "2022-04-04",
                Some(InProgress),
                true,
                false,
            ),
            (
                case(
                    "2022-03-10",
                    None,
                    Some("2022-04-05"),
                    Some("2022-05-01"),
                    vec![],
                ),
                "2022-04-30",
                Some(Rectified),
                false,
                false,
            ),
            (
                case(
                    "2022-03-10",
                    None,
                    Some("2022-04-05"),
                    Some("2022-05-01"),
                    vec![],
                ),
                "2022-05-01",
                Some(Closed),
                false,
                false,
            ),
            // An open relapse: in progress, overdue only by the relapse's own deadline.
            (
                case(
                    "2022-03-10",
                    None,
                    Some("2022-04-05"),
                    Some("2022-05-01"),
                    vec![relapse("2022-06-01", Some("2022-06-30"), None)],
                ),
                "2022-06-30",
                Some(InProgress),
                false,
                true,
            ),
            (
                case(
                    "2022-03-10",
                    None,
                    Some("2022-04-05"),
                    Some("2022-05-01"),
                    vec![relapse("2022-06-01", Some("2022-06-30"), None)],
                ),
                "2022-07-01",
                Some(InProgress),
                true,
                true,
            ),
            (
                case(
                    "2022-03-10",
                    Some("2022-03-20"),
                    Some("2022-04-05"),
                    None,
                    vec![relapse("2022-06-01", None, None)],
                ),
                "2022-09-01",
                Some(InProgress),
                false,
                true,
            ),
            // A rectified relapse gives the case its status back.
            (
                case(
                    "2022-03-10",
                    None,
                    Some("2022-04-05"),
                    Some("2022-05-01"),
                    vec![relapse(
                        "2022-06-01",
                        Some("2022-06-30"),
                        Some("2022-06-20"),
                    )],
                ),
                "2022-06-20",
                Some(Closed),
                false,
                false,
            ),
            (
                case(
                    "2022-03-10",
                    None,
                    Some("2022-04-05"),
                    None,
                    vec![relapse("2022-06-01", None, Some("2022-06-20"))],
                ),
                "2022-06-19",
                Some(InProgress),
                false,
                true,
            ),
        ];
        for (i, (c, at, status, overdue, relapsed)) in table.into_iter().enumerate() {
            let s = state(&c, d(at));
            assert_eq!(s.map(|s| s.status), status, "row {i}");
            if let Some(s) = s {
                assert_eq!((s.overdue, s.relapsed), (overdue, relapsed), "row {i}");
            }
        }
    }
}
