//! Bindings for `crate::period`: dates cross the boundary as i32 days since 1970-01-01.

use crate::aggregate::{self, Rows};
use crate::bindings::errors::IntoPyResult;
use crate::period::{self, Kind, Period};
use numpy::{IntoPyArray, PyArray1, PyReadonlyArray1};
use pyo3::prelude::*;

type PeriodTuple = (i32, i32, String, String);

fn tuple(p: Period) -> PeriodTuple {
    (p.start, p.end, p.kind.name().to_string(), p.label)
}

/// Parse a period spelling into (start, end, kind, label).
#[pyfunction]
fn parse_period(text: &str) -> PyResult<PeriodTuple> {
    Ok(tuple(period::parse(text).py()?))
}

/// The canonical period for two dates (inclusive): (start, end, kind, label).
#[pyfunction]
fn period_from_bounds(start: i32, end: i32) -> PyResult<PeriodTuple> {
    Ok(tuple(Period::from_bounds(start, end).py()?))
}

/// The same period shifted by a whole number of years.
#[pyfunction]
fn shift_period_years(start: i32, end: i32, years: i32) -> PyResult<PeriodTuple> {
    let p = Period::from_bounds(start, end).py()?;
    Ok(tuple(p.shift_years(years).py()?))
}

type Granules<'py> = (
    Bound<'py, PyArray1<i32>>,
    Bound<'py, PyArray1<i32>>,
    Vec<String>,
);

/// The months, quarters, financial or calendar years tiling a window (refused if it cuts one).
#[pyfunction]
fn period_granules<'py>(
    py: Python<'py>,
    start: i32,
    end: i32,
    granularity: &str,
) -> PyResult<Granules<'py>> {
    let kind = Kind::granularity_from_name(granularity).py()?;
    let gs = period::granules(start, end, kind).py()?;
    let starts: Vec<i32> = gs.iter().map(|g| g.start).collect();
    let ends: Vec<i32> = gs.iter().map(|g| g.end).collect();
    let labels: Vec<String> = gs.into_iter().map(|g| g.label).collect();
    Ok((starts.into_pyarray(py), ends.into_pyarray(py), labels))
}

type I32Arr<'py> = Bound<'py, PyArray1<i32>>;
type CoverageTuple<'py> = (
    I32Arr<'py>,
    I32Arr<'py>,
    I32Arr<'py>,
    Vec<String>,
    String,
    I32Arr<'py>,
    I32Arr<'py>,
    I32Arr<'py>,
);

/// Assign rows to the output periods of a window and measure coverage per (group, period).
/// Returns (row_period, period_starts, period_ends, period_labels, unit, expected, present,
/// days_missing); cells are indexed `group * n_periods + period`.
#[pyfunction]
#[pyo3(signature = (group, starts, ends, valid, n_groups, window_start, window_end, granularity=None))]
#[allow(clippy::too_many_arguments)]
fn window_coverage<'py>(
    py: Python<'py>,
    group: PyReadonlyArray1<'py, u32>,
    starts: PyReadonlyArray1<'py, i32>,
    ends: PyReadonlyArray1<'py, i32>,
    valid: PyReadonlyArray1<'py, bool>,
    n_groups: usize,
    window_start: i32,
    window_end: i32,
    granularity: Option<&str>,
) -> PyResult<CoverageTuple<'py>> {
    let kind = match granularity {
        Some(g) => Some(Kind::granularity_from_name(g).py()?),
        None => None,
    };
    let rows = Rows {
        group: group.as_slice()?,
        starts: starts.as_slice()?,
        ends: ends.as_slice()?,
        valid: valid.as_slice()?,
        row_ids: None,
        n_groups,
    };
    let c = aggregate::coverage(rows, window_start, window_end, kind).py()?;
    let p_starts: Vec<i32> = c.periods.iter().map(|p| p.start).collect();
    let p_ends: Vec<i32> = c.periods.iter().map(|p| p.end).collect();
    let labels: Vec<String> = c.periods.into_iter().map(|p| p.label).collect();
    Ok((
        c.row_period.into_pyarray(py),
        p_starts.into_pyarray(py),
        p_ends.into_pyarray(py),
        labels,
        c.unit.name().to_string(),
        c.expected.into_pyarray(py),
        c.present.into_pyarray(py),
        c.days_missing.into_pyarray(py),
    ))
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(window_coverage, m)?)?;
    m.add_function(wrap_pyfunction!(parse_period, m)?)?;
    m.add_function(wrap_pyfunction!(period_from_bounds, m)?)?;
    m.add_function(wrap_pyfunction!(shift_period_years, m)?)?;
    m.add_function(wrap_pyfunction!(period_granules, m)?)?;
    Ok(())
}
