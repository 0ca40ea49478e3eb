//! Bindings for `crate::aggregate`: coverage of one or more windows by distinct period cells.

use crate::aggregate::{self, Rows};
use crate::bindings::errors::IntoPyResult;
use crate::bindings::parallel;
use crate::bindings::results::WindowCoverage;
use crate::period::Kind;
use numpy::{IntoPyArray, PyReadonlyArray1};
use pyo3::prelude::*;

/// Coverage of several windows by the same rows (normally the distinct
/// (group, period_start, period_end) cells of a frame, sorted, with `row_ids` the first frame
/// row of each cell for messages). The windows are measured in one pass, in parallel, with the
/// GIL released.
#[pyfunction]
#[pyo3(signature = (group, starts, ends, valid, row_ids, n_groups, windows, granularity=None))]
#[allow(clippy::too_many_arguments)]
fn coverage_windows<'py>(
    py: Python<'py>,
    group: PyReadonlyArray1<'py, u32>,
    starts: PyReadonlyArray1<'py, i32>,
    ends: PyReadonlyArray1<'py, i32>,
    valid: PyReadonlyArray1<'py, bool>,
    row_ids: Option<PyReadonlyArray1<'py, i64>>,
    n_groups: usize,
    windows: Vec<(i32, i32)>,
    granularity: Option<&str>,
) -> PyResult<Vec<WindowCoverage>> {
    let kind = match granularity {
        Some(g) => Some(Kind::granularity_from_name(g).py()?),
        None => None,
    };
    let rows = Rows {
        group: group.as_slice()?,
        starts: starts.as_slice()?,
        ends: ends.as_slice()?,
        valid: valid.as_slice()?,
        row_ids: match &row_ids {
            Some(ids) => Some(ids.as_slice()?),
            None => None,
        },
        n_groups,
    };
    let covs = parallel::detach(py, || aggregate::coverage_many(rows, &windows, kind))?.py()?;
    Ok(covs
        .into_iter()
        .map(|c| {
            let p_starts: Vec<i32> = c.periods.iter().map(|p| p.start).collect();
            let p_ends: Vec<i32> = c.periods.iter().map(|p| p.end).collect();
            WindowCoverage {
                row_period: c.row_period.into_pyarray(py).unbind(),
                period_start: p_starts.into_pyarray(py).unbind(),
                period_end: p_ends.into_pyarray(py).unbind(),
                period_label: c.periods.into_iter().map(|p| p.label).collect(),
                unit: c.unit.name().to_string(),
                expected: c.expected.into_pyarray(py).unbind(),
                present: c.present.into_pyarray(py).unbind(),
                days_missing: c.days_missing.into_pyarray(py).unbind(),
            }
        })
        .collect())
}

/// Row positions ordered within contiguous groups (`starts`, length groups + 1) by `values`
/// (largest first when `descending`; NaN largest; `missing` rows last), stable.
#[pyfunction]
#[pyo3(signature = (starts, values, missing, descending))]
fn order_within_groups<'py>(
    py: Python<'py>,
    starts: PyReadonlyArray1<'py, i64>,
    values: PyReadonlyArray1<'py, f64>,
    missing: PyReadonlyArray1<'py, bool>,
    descending: bool,
) -> PyResult<Bound<'py, numpy::PyArray1<u32>>> {
    let starts = crate::bindings::trend::to_starts(starts.as_slice()?).py()?;
    let (values, missing) = (values.as_slice()?, missing.as_slice()?);
    let order = parallel::detach(py, || {
        aggregate::order_within_groups(&starts, values, missing, descending)
    })?
    .py()?;
    Ok(order.into_pyarray(py))
}

/// Whether no two of `hashes` (one 64-bit hash per row) are equal: the repeated-row check of
/// `totals` / `change`, in parallel with the GIL released (about 30 ms for 10 million hashes on
/// two cores, well under a second for any frame that fits in memory).
/// `hashes` is one array or the list of a Series' chunks (read where they are, not joined).
#[pyfunction]
fn all_distinct<'py>(py: Python<'py>, hashes: Vec<PyReadonlyArray1<'py, u64>>) -> PyResult<bool> {
    let parts = hashes
        .iter()
        .map(|h| h.as_slice())
        .collect::<Result<Vec<&[u64]>, _>>()?;
    parallel::detach(py, || crate::distinct::all_distinct_parts(&parts))
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(all_distinct, m)?)?;
    m.add_function(wrap_pyfunction!(coverage_windows, m)?)?;
    m.add_function(wrap_pyfunction!(order_within_groups, m)?)?;
    Ok(())
}
