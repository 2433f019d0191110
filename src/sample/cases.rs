//! Draws the sample cases: who, where, why, and a timeline that keeps every date rule of the contract.

use super::{Org, Rng, Spec, days, last_event, start, ymd};
use chrono::NaiveDate;

pub(crate) use super::vocab::*;

pub(crate) struct Case {
    pub id: String,
    pub street: usize,
    /// How the `street` field is written: the id, the full name or the short name.
    pub street_field: String,
    pub name: String,
    pub community: Option<String>,
    pub grid: Option<String>,
    pub river: Option<&'static str>,
    pub industry: usize,
    pub location: String,
    pub criteria: Vec<usize>,
    pub pollution: Vec<usize>,
    pub source: usize,
    pub source_ref: Option<String>,
    pub action: usize,
    pub found: NaiveDate,
    pub deadline: Option<NaiveDate>,
    pub rectified: Option<NaiveDate>,
    pub closed: Option<NaiveDate>,
    pub units: Vec<&'static str>,
    pub tasks: Vec<u32>,
    pub watch: bool,
    pub typical: bool,
    pub publish: bool,
    pub photos: bool,
    /// An `after` photo only (every closed case has one; `photos` cases have both).
    pub after_photo: bool,
    pub rechecks: Vec<(NaiveDate, usize)>,
    pub relapses: Vec<Relapse>,
    /// Write enums as Chinese labels instead of English keys.
    pub zh: bool,
    pub serial: usize,
}

pub(crate) struct Relapse {
    pub found: NaiveDate,
    pub deadline: Option<NaiveDate>,
    pub rectified: Option<NaiveDate>,
}

impl Case {
    pub fn industry_name(&self) -> &'static str {
        INDUSTRIES[self.industry].0
    }

    /// Whether the case counts as done (closed or rectified) on day `d`.
    pub fn done_on(&self, d: NaiveDate) -> bool {
        let relapsed = self
            .relapses
            .iter()
            .any(|r| r.found <= d && r.rectified.is_none_or(|x| x > d));
        !relapsed && self.rectified.is_some_and(|r| r <= d)
    }
}

/// Draws `spec.cases` cases over the organisation's streets; ids follow the found date.
pub(crate) fn generate(spec: &Spec, org: &Org, rng: &mut Rng) -> Vec<Case> {
    let counts = spread(spec.cases, &org.weights);
    let mut cases: Vec<Case> = Vec::with_capacity(spec.cases);
    for (street, &count) in counts.iter().enumerate() {
        for _ in 0..count {
            let serial = cases.len();
            cases.push(draw(org, street, serial, rng));
        }
    }
    cases.sort_by_key(|c| (c.found, c.street, c.serial));
    let width = spec.cases.to_string().len().max(4);
    for (i, case) in cases.iter_mut().enumerate() {
        case.id = format!("{}{:0width$}", org.id_prefix, i + 1);
    }
    cover_every_value(&mut cases);
    for case in cases.iter_mut() {
        derive(case, rng);
    }
    add_relapses(&mut cases, rng);
    mark_special(&mut cases, spec.photos);
    cases
}

/// Splits `total` over `weights` by largest remainder, so the default weights give exact counts.
pub(crate) fn spread(total: usize, weights: &[u32]) -> Vec<usize> {
    let sum: u64 = weights.iter().map(|&w| w as u64).sum::<u64>().max(1);
    let exact: Vec<u64> = weights.iter().map(|&w| w as u64 * total as u64).collect();
    let mut counts: Vec<usize> = exact.iter().map(|e| (e / sum) as usize).collect();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by_key(|&i| (std::cmp::Reverse(exact[i] % sum), i));
    let missing = total - counts.iter().sum::<usize>();
    for &i in order.iter().cycle().take(missing) {
        counts[i] += 1;
    }
    counts
}

fn draw(org: &Org, street: usize, serial: usize, rng: &mut Rng) -> Case {
    let s = &org.streets[street];
    let span = (ymd(2022, 11, 30) - start()).num_days();
    let found = days(start(), rng.range(0, span));
    let industry = rng.below(INDUSTRIES.len() as u64) as usize;
    let road = *rng.pick(roads_of(&s.id));
    let street_field = match rng.below(10) {
        0 => s.name.clone(),
        1 => s.short().to_string(),
        _ => s.id.clone(),
    };
    let mut criteria = Vec::new();
    for (i, p) in [40, 85, 70].into_iter().enumerate() {
        if rng.chance(p) {
            criteria.push(i);
        }
    }
    if criteria.is_empty() {
        criteria.push(1);
    }
    let community =
        (!s.communities.is_empty() && rng.chance(90)).then(|| rng.pick(&s.communities).clone());
    let grid = rng
        .chance(50)
        .then(|| format!("{}街第{}网格", s.short(), rng.range(1, 30)));
    let river = rng.chance(30).then(|| *rng.pick(&RIVERS));
    let frac_percent = (found - start()).num_days() as u64 * 100 / span as u64;
    let (deadline, rectified, closed) = timeline(found, frac_percent, rng);
    Case {
        id: String::new(),
        street,
        street_field,
        name: format!("{road}某{}", INDUSTRIES[industry].1),
        community,
        grid,
        river,
        industry,
        location: format!("{road}一带"),
        criteria,
        pollution: vec![],
        source: rng.weighted(&SOURCE_WEIGHTS),
        source_ref: None,
        action: rng.weighted(&ACTION_WEIGHTS),
        found,
        deadline,
        rectified,
        closed,
        units: vec![],
        tasks: vec![],
        watch: rng.chance(3),
        typical: false,
        publish: true,
        photos: false,
        after_photo: false,
        rechecks: vec![],
        relapses: vec![],
        zh: rng.chance(10),
        serial,
    }
}

type Timeline = (Option<NaiveDate>, Option<NaiveDate>, Option<NaiveDate>);

/// Deadline, rectified and closed dates; later finds are more often still open.
fn timeline(found: NaiveDate, frac_percent: u64, rng: &mut Rng) -> Timeline {
    let allowed = rng.range(30, 90);
    let deadline = rng.chance(95).then(|| days(found, allowed));
    // Open cases cluster late in the year; early ones are rarely still open (and then overdue).
    if rng.chance(2 + frac_percent.pow(3) * 80 / 1_000_000) {
        return (deadline, None, None);
    }
    let took = if rng.chance(88) {
        rng.range(7, allowed)
    } else {
        allowed + rng.range(1, 20)
    };
    let rectified = days(found, took);
    if rectified > last_event() {
        return (deadline, None, None);
    }
    let closed = days(rectified, rng.range(5, 40));
    let closed = (closed <= last_event() && rng.chance(75)).then_some(closed);
    (deadline, Some(rectified), closed)
}

/// Forces every enum value to appear at least once, spread over the list.
fn cover_every_value(cases: &mut [Case]) {
    let n = cases.len();
    if n == 0 {
        return;
    }
    for j in 0..SOURCES.len() {
        cases[(j * n / SOURCES.len() + 1) % n].source = j;
    }
    for j in 0..ACTIONS.len() {
        let c = &mut cases[(j * n / ACTIONS.len() + 2) % n];
        c.action = j;
        c.zh = j == 0;
    }
    for j in 0..CRITERIA.len() {
        let c = &mut cases[(j * n / CRITERIA.len() + 3) % n];
        if !c.criteria.contains(&j) {
            c.criteria.push(j);
            c.criteria.sort();
        }
    }
    for j in 0..POLLUTION.len() {
        let c = &mut cases[(j * n / POLLUTION.len() + 4) % n];
        if !c.criteria.contains(&2) {
            c.criteria.push(2);
            c.criteria.sort();
        }
        c.pollution.push(j);
    }
}

/// Fills the fields that follow from the drawn ones: pollution, referral numbers, units, tasks, rechecks.
fn derive(c: &mut Case, rng: &mut Rng) {
    if c.criteria.contains(&2) {
        let likely = INDUSTRIES[c.industry].2;
        c.pollution.push(likely[0]);
        if likely.len() > 1 && rng.chance(50) {
            c.pollution
                .push(likely[1 + rng.below(likely.len() as u64 - 1) as usize]);
        }
        c.pollution.sort();
        c.pollution.dedup();
    }
    c.source_ref = match SOURCES[c.source].0 {
        "central-inspection" => Some(format!("D2GD2022{:04}", 100 + c.serial)),
        "provincial-inspection" => Some(format!("GDHB-2022-{:03}", 10 + c.serial % 900)),
        "city-referral" => Some(format!("穗散乱污交〔2022〕{}号", 1 + c.serial % 97)),
        _ => None,
    };
    let mut units = Vec::new();
    if !c.pollution.is_empty() {
        units.push("sthj");
    }
    if c.pollution.contains(&0) {
        units.push("jsw");
    }
    if c.criteria.contains(&1) {
        units.push("scjg");
    }
    if c.criteria.contains(&0) {
        units.push("kgx");
    }
    if SOURCES[c.source].0 == "river-chief" || (c.river.is_some() && rng.chance(40)) {
        units.push("hzb");
    }
    if rng.chance(15) {
        units.push(*rng.pick(&["yjgl", "fg", "ghzy"]));
    }
    let order = [
        "kgx", "sthj", "jsw", "ghzy", "yjgl", "scjg", "fg", "fgj", "hzb",
    ];
    units.sort_by_key(|u| order.iter().position(|o| o == u));
    units.dedup();
    units.truncate(3);
    // A scattered site moved out of the wrong place is a matter of the industrial layout: the
    // development and reform bureau's source control (task 4).
    let layout = c.criteria.contains(&0) && c.action == 1;
    if layout {
        units.truncate(2);
        units.push("fgj");
    }
    c.units = units;
    let mut tasks = vec![3];
    if c.criteria.len() >= 2 {
        tasks.push(2);
    }
    if c.pollution.contains(&0) {
        tasks.push(5);
    }
    if matches!(c.source, 4..=6) {
        tasks.push(8);
    }
    if c.action == 0 && rng.chance(30) {
        tasks.push(6);
    }
    if layout {
        tasks.push(4);
    }
    tasks.sort();
    c.tasks = tasks;
    if let Some(r) = c.rectified {
        let mut at = r;
        for _ in 0..rng.below(4) {
            at = days(at, rng.range(20, 60));
            if at > last_event() {
                break;
            }
            c.rechecks.push((at, rng.below(3) as usize));
        }
    }
}

/// Gives a few rectified cases relapses: most rectified again, one open and overdue, one open.
fn add_relapses(cases: &mut [Case], rng: &mut Rng) {
    let cut = ymd(2022, 9, 15);
    let candidates: Vec<usize> = (0..cases.len())
        .filter(|&i| cases[i].rectified.is_some_and(|r| r <= cut))
        .collect();
    let wanted = (cases.len() / 40).max(3).min(candidates.len());
    for k in 0..wanted {
        let c = &mut cases[candidates[(k * candidates.len() / wanted + 3) % candidates.len()]];
        let base = c.closed.or(c.rectified).expect("candidate is rectified");
        let found = days(base, rng.range(20, 50)).min(ymd(2022, 11, 20));
        let relapse = match k {
            0 => Relapse {
                found,
                deadline: Some(days(found, 20)),
                rectified: None,
            },
            1 => Relapse {
                found,
                deadline: None,
                rectified: None,
            },
            _ => Relapse {
                found,
                deadline: Some(days(found, 30)),
                rectified: Some(days(found, rng.range(8, 25))),
            },
        };
        let again = relapse.rectified.map(|r| days(r, rng.range(20, 40)));
        c.relapses.push(relapse);
        if let Some(f) = again.filter(|&f| k == 2 && f <= ymd(2022, 12, 10)) {
            let rectified = days(f, 12);
            c.relapses.push(Relapse {
                found: f,
                deadline: Some(days(f, 15)),
                rectified: Some(rectified),
            });
        }
        c.rechecks.retain(|r| r.0 < found);
        c.watch = true;
        if !c.tasks.contains(&7) {
            c.tasks.push(7);
            c.tasks.sort();
        }
    }
}

/// Picks the typical cases, the photographed ones and the few unpublished ones.
fn mark_special(cases: &mut [Case], photos: bool) {
    let typical_wanted = (cases.len() * 3 / 100).max(1);
    let photo_wanted = 8;
    let closed: Vec<usize> = (0..cases.len())
        .filter(|&i| cases[i].closed.is_some() && cases[i].relapses.is_empty())
        .collect();
    let step = (closed.len() / typical_wanted.max(photo_wanted)).max(1);
    for (k, &i) in closed.iter().step_by(step).enumerate() {
        if k < typical_wanted {
            cases[i].typical = true;
        }
        if photos && k < photo_wanted {
            cases[i].photos = true;
        }
    }
    for (k, c) in cases.iter_mut().enumerate() {
        if k % 50 == 17 && !c.typical && !c.photos {
            c.publish = false;
        }
        // `check` warns about a closed case without an `after` photo.
        c.after_photo = photos && !c.photos && c.closed.is_some();
    }
}
