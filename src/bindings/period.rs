//! Bindings for `crate::period`: dates cross the boundary as i32 days since 1970-01-01.

use crate::aggregate::{self, Rows};
use crate::bindings::errors::IntoPyResult;
use crate::bindings::results::{Granules, PeriodBounds, WindowCoverage};
use crate::period::{self, Kind, Period};
use numpy::{IntoPyArray, PyReadonlyArray1};
use pyo3::prelude::*;

fn bounds(p: Period) -> PeriodBounds {
    PeriodBounds {
        start: p.start,
        end: p.end,
        kind: p.kind.name().to_string(),
        label: p.label,
    }
}

/// Parse a period spelling into its bounds, kind and label.
#[pyfunction]
fn parse_period(text: &str) -> PyResult<PeriodBounds> {
    Ok(bounds(period::parse(text).py()?))
}

/// The canonical period for two dates (inclusive).
#[pyfunction]
fn period_from_bounds(start: i32, end: i32) -> PyResult<PeriodBounds> {
    Ok(bounds(Period::from_bounds(start, end).py()?))
}

/// The same period shifted by a whole number of years.
#[pyfunction]
fn shift_period_years(start: i32, end: i32, years: i32) -> PyResult<PeriodBounds> {
    let p = Period::from_bounds(start, end).py()?;
    Ok(bounds(p.shift_years(years).py()?))
}

/// The months, quarters, financial or calendar years tiling a window (refused if it cuts one).
#[pyfunction]
fn period_granules(py: Python<'_>, start: i32, end: i32, granularity: &str) -> PyResult<Granules> {
    let kind = Kind::granularity_from_name(granularity).py()?;
    let gs = period::granules(start, end, kind).py()?;
    let starts: Vec<i32> = gs.iter().map(|g| g.start).collect();
    let ends: Vec<i32> = gs.iter().map(|g| g.end).collect();
    let labels: Vec<String> = gs.into_iter().map(|g| g.label).collect();
    Ok(Granules {
        starts: starts.into_pyarray(py).unbind(),
        ends: ends.into_pyarray(py).unbind(),
        labels,
    })
}

/// Assign rows to the output periods of a window and measure coverage per (group, period);
/// cells are indexed `group * n_periods + period`.
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
) -> PyResult<WindowCoverage> {
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
    Ok(WindowCoverage {
        row_period: c.row_period.into_pyarray(py).unbind(),
        period_start: p_starts.into_pyarray(py).unbind(),
        period_end: p_ends.into_pyarray(py).unbind(),
        period_label: labels,
        unit: c.unit.name().to_string(),
        expected: c.expected.into_pyarray(py).unbind(),
        present: c.present.into_pyarray(py).unbind(),
        days_missing: c.days_missing.into_pyarray(py).unbind(),
    })
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(window_coverage, m)?)?;
    m.add_function(wrap_pyfunction!(parse_period, m)?)?;
    m.add_function(wrap_pyfunction!(period_from_bounds, m)?)?;
    m.add_function(wrap_pyfunction!(shift_period_years, m)?)?;
    m.add_function(wrap_pyfunction!(period_granules, m)?)?;
    Ok(())
}
