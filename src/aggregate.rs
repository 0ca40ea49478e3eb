//! Which data rows fall in a window, and how much of the window each group's rows cover.
//!
//! The sums themselves are done in polars; this module decides which output period a row
//! belongs to (refusing rows that a window or granularity would cut: nothing is pro-rated) and
//! measures coverage per (group, output period): how many sub-periods have data and how many
//! days are not covered, so an incomplete window is never passed off as complete.
//!
//! The rows given are normally the *distinct* (group, period_start, period_end) cells of a frame
//! (what a polars `group_by` over those keys returns), not its record rows: coverage depends
//! only on which periods each group has, so the work is proportional to the number of group
//! boundaries, not to the frame's height. `row_ids` then names, in messages, the first frame
//! row of each cell. Cells sorted by (group, start, end) are walked in place; unsorted input is
//! sorted once (an index sort of the cells). Several windows are measured in one call (in
//! parallel), e.g. the current and baseline windows of a change. Pure Rust: no pyo3 here.

use crate::error::{CoreError, CoreResult};
use crate::period::{self, iso, Kind, Period};
use rayon::prelude::*;

/// Rows (or distinct cells) of a tidy frame: a group id (0..n_groups) per row, inclusive period
/// bounds as days since 1970-01-01, and whether the row's count is known (for a cell: whether
/// any of its rows has a known count).
#[derive(Debug, Clone, Copy)]
pub struct Rows<'a> {
    pub group: &'a [u32],
    pub starts: &'a [i32],
    pub ends: &'a [i32],
    pub valid: &'a [bool],
    /// Row number to name in messages for each row (e.g. the first frame row of a cell; -1
    /// when the engine has no row order); `None` names the index in these slices.
    pub row_ids: Option<&'a [i64]>,
    pub n_groups: usize,
}

impl Rows<'_> {
    fn row_id(&self, i: usize) -> i64 {
        match self.row_ids {
            Some(ids) => ids[i],
            None => i as i64,
        }
    }

    /// "row 12" in messages; "a row" when the engine has no row order (negative id).
    fn row(&self, i: usize) -> String {
        match self.row_id(i) {
            id if id >= 0 => format!("row {id}"),
            _ => "a row".to_string(),
        }
    }
}

/// Coverage of a window by the rows of every group.
#[derive(Debug, Clone, PartialEq)]
pub struct Coverage {
    /// The output periods: the window itself, or its granules.
    pub periods: Vec<Period>,
    /// The kind of sub-period counted by `expected` / `present` (the data's own period length).
    pub unit: Kind,
    /// Per row: index into `periods`, or -1 when the row lies outside the window.
    pub row_period: Vec<i32>,
    /// Per output period: number of sub-periods (of kind `unit`) it overlaps.
    pub expected: Vec<i32>,
    /// Per (group, period) cell, index `group * periods.len() + period`: sub-periods holding at
    /// least one row with a known count.
    pub present: Vec<i32>,
    /// Per cell: days of the period covered by no row with a known count.
    pub days_missing: Vec<i32>,
}

const UNIT_KINDS: [Kind; 4] = [
    Kind::Month,
    Kind::Quarter,
    Kind::FinancialYear,
    Kind::CalendarYear,
];
// the kinds are bits of a u8 mask (`1_u8 << UNIT_KINDS.len()` below): a longer list is a
// compile error here, never an overflow at run time
const _: () = assert!(UNIT_KINDS.len() < 8, "UNIT_KINDS must fit the u8 masks");

/// Bit `k` set when the row `s..=e` lies within one granule of `UNIT_KINDS[k]` (no labels built).
fn fitting_kinds(s: i32, e: i32) -> u8 {
    let mut mask = 0_u8;
    for (k, kind) in UNIT_KINDS.iter().enumerate() {
        if period::granule_bounds(s, *kind).is_some_and(|(_, ge)| e <= ge) {
            mask |= 1 << k;
        }
    }
    mask
}

fn unit_from_mask(mask: u8) -> Kind {
    (0..UNIT_KINDS.len())
        .find(|k| mask & (1 << k) != 0)
        .map_or(Kind::Window, |k| UNIT_KINDS[k])
}

/// The finest month / quarter / financial year / calendar year that holds every row whole;
/// `Kind::Window` when none does.
pub fn infer_unit(starts: &[i32], ends: &[i32]) -> Kind {
    let mut mask = (1_u8 << UNIT_KINDS.len()) - 1;
    for (&s, &e) in starts.iter().zip(ends) {
        mask &= fitting_kinds(s, e);
        if mask == 0 {
            break;
        }
    }
    unit_from_mask(mask)
}

fn noun(kind: Kind) -> &'static str {
    match kind {
        Kind::Month => "month",
        Kind::Quarter => "quarter",
        Kind::FinancialYear => "financial year",
        Kind::CalendarYear => "calendar year",
        Kind::Rolling | Kind::Window => "window",
    }
}

/// Check the rows once (lengths, period order, group ids) and return the order that walks them
/// by (group, start, end): `None` when they are in that order already.
fn check_and_order(rows: &Rows<'_>) -> CoreResult<Option<Vec<usize>>> {
    let n = rows.group.len();
    let ids_len = rows.row_ids.map_or(n, <[i64]>::len);
    if rows.starts.len() != n || rows.ends.len() != n || rows.valid.len() != n || ids_len != n {
        return Err(CoreError::InvalidArgument(format!(
            "coverage: arrays differ in length (group {n}, starts {}, ends {}, valid {}, \
             row_ids {ids_len})",
            rows.starts.len(),
            rows.ends.len(),
            rows.valid.len()
        )));
    }
    let mut sorted = true;
    for i in 0..n {
        let (s, e) = (rows.starts[i], rows.ends[i]);
        if e < s {
            return Err(CoreError::DataFormat(format!(
                "{}: period_end {} is before period_start {}",
                rows.row(i),
                iso(e),
                iso(s)
            )));
        }
        if (rows.group[i] as usize) >= rows.n_groups {
            return Err(CoreError::InvalidArgument(format!(
                "{}: group id {} out of range (n_groups = {})",
                rows.row(i),
                rows.group[i],
                rows.n_groups
            )));
        }
        if sorted && i > 0 {
            let key = |j: usize| (rows.group[j], rows.starts[j], rows.ends[j]);
            sorted = key(i - 1) <= key(i);
        }
    }
    if sorted {
        return Ok(None);
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.par_sort_unstable_by_key(|&i| (rows.group[i], rows.starts[i], rows.ends[i], i));
    Ok(Some(order))
}

/// Assign rows to the output periods of `[window_start, window_end]` (split by `granularity`
/// when given) and measure coverage per (group, period).
///
/// Refuses (PeriodError) a row that the window cuts through, a row that spans two output
/// periods, and (DataFormat) rows of one group whose periods overlap without being identical
/// (e.g. annual and quarterly rows, or cumulative figures, mixed in one frame).
pub fn coverage(
    rows: Rows<'_>,
    window_start: i32,
    window_end: i32,
    granularity: Option<Kind>,
) -> CoreResult<Coverage> {
    let mut out = coverage_many(rows, &[(window_start, window_end)], granularity)?;
    out.pop()
        .ok_or_else(|| CoreError::InvalidArgument("coverage: no window".to_string()))
}

/// [`coverage`] for several windows over the same rows (e.g. the current and baseline windows
/// of a change): the rows are checked and ordered once, the windows measured in parallel.
pub fn coverage_many(
    rows: Rows<'_>,
    windows: &[(i32, i32)],
    granularity: Option<Kind>,
) -> CoreResult<Vec<Coverage>> {
    let order = check_and_order(&rows)?;
    let order = order.as_deref();
    windows
        .par_iter()
        .map(|&(ws, we)| one_window(&rows, order, ws, we, granularity))
        .collect()
}

fn one_window(
    rows: &Rows<'_>,
    order: Option<&[usize]>,
    window_start: i32,
    window_end: i32,
    granularity: Option<Kind>,
) -> CoreResult<Coverage> {
    let n = rows.group.len();
    let window = Period::from_bounds(window_start, window_end)?;
    let periods = match granularity {
        Some(kind) => period::granules(window_start, window_end, kind)?,
        None => vec![window.clone()],
    };
    let n_periods = periods.len();
    let at = |k: usize| order.map_or(k, |o| o[k]);

    // 1. Assign each row to an output period, refusing any cut; note which kinds hold every
    //    row of the window whole (the data's own period length).
    let mut row_period = vec![-1_i32; n];
    let mut mask = (1_u8 << UNIT_KINDS.len()) - 1;
    let mut any_inside = false;
    for (i, slot) in row_period.iter_mut().enumerate() {
        let (s, e) = (rows.starts[i], rows.ends[i]);
        if e < window_start || s > window_end {
            continue;
        }
        if s < window_start || e > window_end {
            return Err(CoreError::Period(format!(
                "{} covers {}..{}, which the window '{}' ({}..{}) cuts through: counts are \
                 never pro-rated. Choose a window made of whole data periods (e.g. one that \
                 starts on {} or ends on {})",
                rows.row(i),
                iso(s),
                iso(e),
                window.label,
                iso(window_start),
                iso(window_end),
                iso(s),
                iso(e)
            )));
        }
        let o = periods.partition_point(|p| p.end < s);
        match periods.get(o) {
            Some(p) if p.start <= s && e <= p.end => *slot = o as i32,
            Some(p) => {
                return Err(CoreError::Period(format!(
                    "{} covers {}..{}, more than one {} ({} is {}..{}): the data are \
                     coarser than granularity='{}'; choose a coarser granularity or none",
                    rows.row(i),
                    iso(s),
                    iso(e),
                    noun(p.kind),
                    p.label,
                    iso(p.start),
                    iso(p.end),
                    granularity.map(Kind::name).unwrap_or("window")
                )))
            }
            None => {
                return Err(CoreError::InvalidArgument(format!(
                    "{}: no output period holds {}",
                    rows.row(i),
                    iso(s)
                )))
            }
        }
        any_inside = true;
        if mask != 0 {
            mask &= fitting_kinds(s, e);
        }
    }

    // 2. The data's own period length, over the rows in the window.
    let unit = if any_inside {
        unit_from_mask(mask)
    } else {
        granularity.unwrap_or(Kind::Window)
    };
    // Sub-periods of each output period (clipped to it).
    let mut units: Vec<Vec<(i32, i32)>> = Vec::with_capacity(n_periods);
    for p in &periods {
        let us = if unit == Kind::Window {
            vec![(p.start, p.end)]
        } else {
            let mut us = Vec::new();
            let mut day = p.start;
            while day <= p.end {
                let (gs, ge) = period::granule_bounds(day, unit).unwrap_or((day, p.end));
                us.push((gs.max(p.start), ge.min(p.end)));
                day = ge + 1;
            }
            us
        };
        units.push(us);
    }
    let expected: Vec<i32> = units.iter().map(|u| u.len() as i32).collect();

    // 3. Walk each group's rows in period order: overlap check, units present, days covered.
    let cells = rows.n_groups * n_periods;
    let mut present = vec![0_i32; cells];
    let mut covered = vec![0_i32; cells];
    let mut last_unit = vec![-1_i64; cells];
    let mut max_end_valid: Vec<i32> = vec![i32::MIN; cells];
    let mut prev: Option<usize> = None; // the row of this group reaching furthest so far
    for k in 0..n {
        let i = at(k);
        if row_period[i] < 0 {
            continue;
        }
        let g = rows.group[i] as usize;
        let (s, e) = (rows.starts[i], rows.ends[i]);
        if let Some(j) = prev {
            if rows.group[j] as usize == g
                && (rows.starts[j], rows.ends[j]) != (s, e)
                && s <= rows.ends[j]
            {
                let (a, b) = if rows.row_id(j) <= rows.row_id(i) {
                    (j, i)
                } else {
                    (i, j)
                };
                return Err(CoreError::DataFormat(format!(
                    "{} ({}..{}) and {} ({}..{}) of the same group overlap without \
                     covering the same period: the frame mixes period lengths or releases \
                     (e.g. annual and quarterly rows, or cumulative figures); filter it to one \
                     series first",
                    rows.row(a),
                    iso(rows.starts[a]),
                    iso(rows.ends[a]),
                    rows.row(b),
                    iso(rows.starts[b]),
                    iso(rows.ends[b])
                )));
            }
        }
        // Rows are visited sorted by start within each group: once row i passed the check it
        // is identical to the previous row or starts after it ends, so no earlier row can reach
        // past it and comparing each row with its predecessor finds every overlap. (Keeping an
        // earlier, longer row here was dead code: cargo mutants showed its mutants could not
        // change any outcome.)
        let o = row_period[i] as usize;
        let cell = g * n_periods + o;
        prev = Some(i);
        if !rows.valid[i] {
            continue;
        }
        let u = units[o].partition_point(|&(_, ue)| ue < s) as i64;
        if last_unit[cell] != u {
            present[cell] += 1;
            last_unit[cell] = u;
        }
        let from = s.max(max_end_valid[cell].saturating_add(1));
        if e >= from {
            covered[cell] += e - from + 1;
        }
        max_end_valid[cell] = max_end_valid[cell].max(e);
    }
    let days_missing: Vec<i32> = (0..cells)
        .map(|c| periods[c % n_periods].days() - covered[c])
        .collect();
    Ok(Coverage {
        periods,
        unit,
        row_period,
        expected,
        present,
        days_missing,
    })
}

/// Positions `0..n` reordered so that within each group (rows `starts[g]..starts[g+1]`, the
/// groups contiguous) the rows run by `values`, largest first when `descending`, with a NaN
/// value counted as the largest and `missing` rows last; ties keep their order (a stable sort,
/// as polars' `sort(..., maintain_order=True, nulls_last=True)` within a group). The groups
/// keep their places.
pub fn order_within_groups(
    starts: &[usize],
    values: &[f64],
    missing: &[bool],
    descending: bool,
) -> CoreResult<Vec<u32>> {
    let n = values.len();
    if missing.len() != n
        || starts.first() != Some(&0)
        || starts.last() != Some(&n)
        || starts.windows(2).any(|w| w[1] < w[0])
        || u32::try_from(n).is_err()
    {
        return Err(CoreError::InvalidArgument(
            "order_within_groups: values, missing flags and group starts do not line up".into(),
        ));
    }
    // NaN above every number (as polars sorts), -0.0 equal to 0.0
    let by_value = |a: f64, b: f64| match (a.is_nan(), b.is_nan()) {
        (true, true) => std::cmp::Ordering::Equal,
        (true, false) => std::cmp::Ordering::Greater,
        (false, true) => std::cmp::Ordering::Less,
        (false, false) => a.partial_cmp(&b).unwrap_or(std::cmp::Ordering::Equal),
    };
    let cmp = |a: &u32, b: &u32| {
        let (a, b) = (*a as usize, *b as usize);
        missing[a].cmp(&missing[b]).then_with(|| {
            if missing[a] {
                std::cmp::Ordering::Equal
            } else if descending {
                by_value(values[b], values[a])
            } else {
                by_value(values[a], values[b])
            }
        })
    };
    let mut order: Vec<u32> = (0..n as u32).collect();
    for w in starts.windows(2) {
        order[w[0]..w[1]].sort_by(cmp);
    }
    Ok(order)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::period::{financial_year, fy_quarter, parse};

    fn q(y: i32, n: u32) -> (i32, i32) {
        let p = fy_quarter(y, n);
        (p.start, p.end)
    }

    #[test]
    fn quarters_in_a_nine_month_window() {
        // group 0 has Q1-Q3 (two rows in Q2, as for two offence codes), group 1 lacks Q3.
        let rows_q = [q(2017, 1), q(2017, 2), q(2017, 2), q(2017, 3), q(2017, 4)];
        let mut group = vec![0_u32; 5];
        let mut starts: Vec<i32> = rows_q.iter().map(|r| r.0).collect();
        let mut ends: Vec<i32> = rows_q.iter().map(|r| r.1).collect();
        group.extend([1, 1]);
        starts.extend([q(2017, 1).0, q(2017, 2).0]);
        ends.extend([q(2017, 1).1, q(2017, 2).1]);
        let valid = vec![true; 7];
        let w = parse("April to December 2017").unwrap();
        let rows = Rows {
            group: &group,
            starts: &starts,
            ends: &ends,
            valid: &valid,
            row_ids: None,
            n_groups: 2,
        };
        let c = coverage(rows, w.start, w.end, None).unwrap();
        assert_eq!(c.unit, Kind::Quarter);
        assert_eq!(c.row_period, vec![0, 0, 0, 0, -1, 0, 0]);
        assert_eq!(c.expected, vec![3]);
        assert_eq!(c.present, vec![3, 2]);
        assert_eq!(c.days_missing, vec![0, 92]);
        let c = coverage(rows, w.start, w.end, Some(Kind::Quarter)).unwrap();
        assert_eq!(c.row_period, vec![0, 1, 1, 2, -1, 0, 1]);
        assert_eq!(c.present, vec![1, 1, 1, 1, 1, 0]);
        // A window ending mid-quarter cuts row 3 (Q3): refused.
        let w = parse("2017-04-01..2017-11-30").unwrap();
        let e = coverage(rows, w.start, w.end, None).unwrap_err();
        assert!(
            e.to_string()
                .contains("row 3 covers 2017-10-01..2017-12-31"),
            "{e}"
        );
    }

    #[test]
    fn annual_rows_are_coarser_than_quarters() {
        let fy = financial_year(2017);
        let (group, starts, ends, valid) =
            (vec![0_u32], vec![fy.start + 2], vec![fy.end], vec![true]);
        let rows = Rows {
            group: &group,
            starts: &starts,
            ends: &ends,
            valid: &valid,
            row_ids: None,
            n_groups: 1,
        };
        let c = coverage(rows, fy.start, fy.end, None).unwrap();
        assert_eq!(
            (c.unit, c.present[0], c.days_missing[0]),
            (Kind::FinancialYear, 1, 2)
        );
        let e = coverage(rows, fy.start, fy.end, Some(Kind::Quarter)).unwrap_err();
        assert!(
            e.to_string().contains("coarser than granularity='quarter'"),
            "{e}"
        );
    }

    #[test]
    fn overlapping_periods_in_a_group_are_refused() {
        let fy = financial_year(2017);
        let (s1, e1) = q(2017, 1);
        let group = vec![0_u32, 0, 1];
        let starts = vec![fy.start, s1, s1];
        let ends = vec![fy.end, e1, e1];
        let valid = vec![true, true, false];
        let rows = Rows {
            group: &group,
            starts: &starts,
            ends: &ends,
            valid: &valid,
            row_ids: None,
            n_groups: 2,
        };
        let e = coverage(rows, fy.start, fy.end, None).unwrap_err();
        assert!(e.to_string().contains("overlap"), "{e}");
        // Null counts cover nothing.
        let rows = Rows {
            group: &group[2..],
            starts: &starts[2..],
            ends: &ends[2..],
            valid: &valid[2..],
            row_ids: None,
            n_groups: 2,
        };
        let c = coverage(rows, fy.start, fy.end, None).unwrap();
        assert_eq!(c.present, vec![0, 0]);
        assert_eq!(c.days_missing, vec![365, 365]);
    }

    #[test]
    fn granule_bounds_match_granule_of() {
        let from = crate::period::ymd_to_days(1999, 1, 1).unwrap();
        for day in (from..from + 3 * 366).step_by(7) {
            for kind in UNIT_KINDS {
                let g = period::granule_of(day, kind).unwrap();
                assert_eq!(period::granule_bounds(day, kind), Some((g.start, g.end)));
            }
        }
        assert_eq!(period::granule_bounds(0, Kind::Window), None);
    }

    #[test]
    fn many_windows_unsorted_cells_and_row_ids() {
        // The same cells in two orders, with frame row numbers: same coverage, same messages.
        let cells = [
            (1_u32, q(2017, 2)),
            (0, q(2017, 1)),
            (1, q(2016, 2)),
            (0, q(2016, 1)),
        ];
        let group: Vec<u32> = cells.iter().map(|c| c.0).collect();
        let starts: Vec<i32> = cells.iter().map(|c| c.1 .0).collect();
        let ends: Vec<i32> = cells.iter().map(|c| c.1 .1).collect();
        let valid = vec![true, true, false, true];
        let ids = vec![40_i64, 7, 90, 3];
        let rows = Rows {
            group: &group,
            starts: &starts,
            ends: &ends,
            valid: &valid,
            row_ids: Some(&ids),
            n_groups: 2,
        };
        let cur = financial_year(2017);
        let base = financial_year(2016);
        let both =
            coverage_many(rows, &[(cur.start, cur.end), (base.start, base.end)], None).unwrap();
        assert_eq!(both[0], coverage(rows, cur.start, cur.end, None).unwrap());
        assert_eq!(both[0].row_period, vec![0, 0, -1, -1]);
        assert_eq!(both[0].present, vec![1, 1]);
        assert_eq!(both[1].row_period, vec![-1, -1, 0, 0]);
        assert_eq!(both[1].present, vec![1, 0]);
        assert_eq!(both[1].days_missing[1], 365);
        let w = parse("2017-05-01..2018-03-31").unwrap();
        let e = coverage(rows, w.start, w.end, None).unwrap_err();
        assert!(e.to_string().starts_with("row 7 covers 2017-04-01"), "{e}");
    }
}

/// Edge cases found by `cargo mutants` (issue 18): each expected value is worked by hand in the
/// comment beside it.
#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod edges {
    use super::*;
    use crate::period::{financial_year, fy_quarter, ymd_to_days};

    fn d(y: i32, m: u32, dd: u32) -> i32 {
        ymd_to_days(y, m, dd).unwrap()
    }

    fn run(
        group: &[u32],
        spans: &[(i32, i32)],
        n_groups: usize,
        window: (i32, i32),
        gran: Option<Kind>,
    ) -> CoreResult<Coverage> {
        let starts: Vec<i32> = spans.iter().map(|s| s.0).collect();
        let ends: Vec<i32> = spans.iter().map(|s| s.1).collect();
        let valid = vec![true; spans.len()];
        let rows = Rows {
            group,
            starts: &starts,
            ends: &ends,
            valid: &valid,
            row_ids: None,
            n_groups,
        };
        coverage(rows, window.0, window.1, gran)
    }

    #[test]
    fn lengths_must_agree() {
        let (g, s, e, v) = (vec![0_u32; 2], vec![0; 2], vec![0; 2], vec![true; 2]);
        for (starts, ends, valid) in [
            (&s[..1], &e[..], &v[..]),
            (&s[..], &e[..1], &v[..]),
            (&s[..], &e[..], &v[..1]),
        ] {
            let rows = Rows {
                group: &g,
                starts,
                ends,
                valid,
                row_ids: None,
                n_groups: 1,
            };
            let err = coverage(rows, 0, 10, None).unwrap_err();
            assert!(err.to_string().contains("arrays differ in length"), "{err}");
        }
        let rows = Rows {
            group: &[1],
            starts: &[0],
            ends: &[0],
            valid: &[true],
            row_ids: None,
            n_groups: 1,
        };
        assert!(coverage(rows, 0, 10, None)
            .unwrap_err()
            .to_string()
            .contains("group id 1 out of range"));
    }

    /// One-day rows are whole rows (end == start is allowed; end < start is refused). Rows that
    /// touch the window's first and last days are inside; the days just outside are outside.
    #[test]
    fn window_edges_are_inclusive() {
        let fy = financial_year(2017);
        let spans = [
            (fy.start - 1, fy.start - 1),
            (fy.start, fy.start),
            (fy.end, fy.end),
            (fy.end + 1, fy.end + 1),
        ];
        let c = run(&[0; 4], &spans, 1, (fy.start, fy.end), None).unwrap();
        assert_eq!(c.row_period, vec![-1, 0, 0, -1]);
        // two one-day rows cover 2 of 365 days
        assert_eq!(c.days_missing, vec![363]);
        let err = run(
            &[0],
            &[(fy.start + 1, fy.start)],
            1,
            (fy.start, fy.end),
            None,
        )
        .unwrap_err();
        assert!(err.to_string().contains("is before period_start"), "{err}");
        // a row starting before the window but ending inside it is cut: refused
        let q1 = fy_quarter(2017, 1);
        let err = run(
            &[0],
            &[(q1.start - 10, q1.end)],
            1,
            (fy.start, fy.end),
            None,
        )
        .unwrap_err();
        assert!(err.to_string().contains("cuts through"), "{err}");
    }

    /// A one-day row on the last day of a month belongs to that month, not the next.
    #[test]
    fn last_day_of_a_month_stays_in_its_month() {
        let spans = [
            (d(2017, 4, 30), d(2017, 4, 30)),
            (d(2017, 5, 1), d(2017, 5, 31)),
        ];
        let w = (d(2017, 4, 1), d(2017, 5, 31));
        let c = run(&[0, 0], &spans, 1, w, Some(Kind::Month)).unwrap();
        assert_eq!(c.row_period, vec![0, 1]);
        assert_eq!(c.present, vec![1, 1]);
        assert_eq!(c.days_missing, vec![29, 0]);
        // without granularity: monthly unit, both months present, April missing 29 days
        let c = run(&[0, 0], &spans, 1, w, None).unwrap();
        assert_eq!(
            (c.unit, c.expected.clone(), c.present.clone()),
            (Kind::Month, vec![2], vec![2])
        );
        assert_eq!(c.days_missing, vec![29]);
    }

    /// Data coarser than the granularity are refused with the unit named.
    #[test]
    fn coarser_data_names_the_unit() {
        let q1 = fy_quarter(2017, 1);
        let err = run(
            &[0],
            &[(q1.start, q1.end)],
            1,
            (q1.start, q1.end),
            Some(Kind::Month),
        )
        .unwrap_err();
        assert!(
            err.to_string().contains("more than one month (April 2017"),
            "{err}"
        );
    }

    /// Overlaps are found after a run of clean rows, and per group: group 0 ends later than
    /// group 1's first row, which must not hide group 1's overlap.
    #[test]
    fn overlaps_are_checked_against_the_latest_row_of_the_same_group() {
        let fy = financial_year(2017);
        let (q1, q2) = (fy_quarter(2017, 1), fy_quarter(2017, 2));
        // Q1, Q2, then August-December, which overlaps Q2 (not Q1)
        let spans = [
            (q1.start, q1.end),
            (q2.start, q2.end),
            (d(2017, 8, 1), d(2017, 12, 31)),
        ];
        let err = run(&[0, 0, 0], &spans, 1, (fy.start, fy.end), None).unwrap_err();
        assert!(err.to_string().contains("overlap"), "{err}");
        // group 0: the whole year; group 1: Q1 then May-July (overlaps Q1)
        let spans = [
            (fy.start, fy.end),
            (q1.start, q1.end),
            (d(2017, 5, 1), d(2017, 7, 31)),
        ];
        let err = run(&[0, 1, 1], &spans, 2, (fy.start, fy.end), None).unwrap_err();
        assert!(
            err.to_string().contains("row 1 (") && err.to_string().contains("and row 2 ("),
            "{err}"
        );
        // identical periods (two offence codes in one quarter) are not an overlap
        let spans = [(q1.start, q1.end), (q1.start, q1.end), (q2.start, q2.end)];
        let c = run(&[0, 0, 0], &spans, 1, (q1.start, q2.end), None).unwrap();
        assert_eq!(
            (c.present.clone(), c.days_missing.clone()),
            (vec![2], vec![0])
        );
    }
}

#[cfg(test)]
mod order_tests {
    #![allow(clippy::unwrap_used)]
    use super::order_within_groups;

    #[test]
    fn orders_each_group_stably_with_nan_first_and_missing_last() {
        let nan = f64::NAN;
        // group 0: rows 0..5, group 1: rows 5..8
        let values = [3.0, nan, 5.0, 3.0, 0.0, 1.0, 2.0, -0.0];
        let missing = [false, false, false, false, true, false, false, false];
        let o = order_within_groups(&[0, 5, 8], &values, &missing, true).unwrap();
        assert_eq!(o, vec![1, 2, 0, 3, 4, 6, 5, 7]);
        let o = order_within_groups(&[0, 5, 8], &values, &missing, false).unwrap();
        assert_eq!(o, vec![0, 3, 2, 1, 4, 7, 5, 6]);
        assert!(order_within_groups(&[0, 3], &values, &missing, true).is_err());
        assert_eq!(
            order_within_groups(&[0], &[], &[], true).unwrap(),
            Vec::<u32>::new()
        );
    }
}
