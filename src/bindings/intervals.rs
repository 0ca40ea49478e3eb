//! Bindings for `crate::intervals`.

use crate::bindings::errors::IntoPyResult;
use crate::bindings::parallel;
use crate::bindings::results::{
    arrays, numpy_zeros, slices, unbound, write_access, Limits, ProportionIntervals, RateIntervals,
    RunShares,
};
use crate::intervals;
use numpy::{IntoPyArray, PyReadonlyArray1};
use pyo3::prelude::*;

/// Exact Poisson (Garwood) limits for an array of counts.
#[pyfunction]
#[pyo3(signature = (counts, confidence))]
fn exact_poisson_ci<'py>(
    py: Python<'py>,
    counts: PyReadonlyArray1<'py, f64>,
    confidence: f64,
) -> PyResult<Limits> {
    let counts = counts.as_slice()?;
    let (lo, hi) = parallel::detach_rows(
        py,
        counts.len(),
        parallel::ROWS_EXACT,
        |r| intervals::exact_poisson_many(&counts[r], confidence),
        |acc, (lo, hi)| {
            parallel::append(&mut acc.0, lo);
            parallel::append(&mut acc.1, hi);
        },
    )?;
    Ok(Limits {
        lower: lo.into_pyarray(py).unbind(),
        upper: hi.into_pyarray(py).unbind(),
    })
}

/// Rates per `per` with Byar's (count >= 10) or exact Poisson limits at each confidence level.
///
/// `method` is 0 = Byars, 1 = Exact, 2 = invalid row (NaN value and limits).
#[pyfunction]
#[pyo3(signature = (counts, denominators, per, confidences))]
fn rate_ci<'py>(
    py: Python<'py>,
    counts: PyReadonlyArray1<'py, f64>,
    denominators: PyReadonlyArray1<'py, f64>,
    per: f64,
    confidences: Vec<f64>,
) -> PyResult<RateIntervals> {
    let counts = counts.as_slice()?;
    let denominators = denominators.as_slice()?;
    if counts.len() != denominators.len() {
        // the kernel's own check names the two lengths (no work is done)
        intervals::rate_intervals(counts, denominators, per, &confidences).py()?;
    }
    let r = parallel::detach_rows(
        py,
        counts.len(),
        parallel::ROWS,
        |r| intervals::rate_intervals(&counts[r.clone()], &denominators[r], per, &confidences),
        |acc, more| {
            parallel::append(&mut acc.value, more.value);
            parallel::append_levels(&mut acc.lower, more.lower);
            parallel::append_levels(&mut acc.upper, more.upper);
            parallel::append(&mut acc.method, more.method);
        },
    )?;
    Ok(RateIntervals {
        value: r.value.into_pyarray(py).unbind(),
        lower: arrays(py, r.lower),
        upper: arrays(py, r.upper),
        method: r.method.into_pyarray(py).unbind(),
    })
}

/// Proportions with Wilson score limits at each confidence level.
///
/// Invalid rows are NaN.
#[pyfunction]
#[pyo3(signature = (counts, denominators, confidences))]
fn wilson_ci<'py>(
    py: Python<'py>,
    counts: PyReadonlyArray1<'py, f64>,
    denominators: PyReadonlyArray1<'py, f64>,
    confidences: Vec<f64>,
) -> PyResult<ProportionIntervals> {
    let counts = counts.as_slice()?;
    let denominators = denominators.as_slice()?;
    if counts.len() != denominators.len() {
        // the kernel's own check names the two lengths (no work is done)
        intervals::proportion_intervals(counts, denominators, &confidences).py()?;
    }
    let zs = intervals::wilson_levels(&confidences).py()?;
    let n = counts.len();
    // the outputs are allocated once, by numpy (see `numpy_zeros`), and each block of rows
    // is written straight into them
    let value_arr = numpy_zeros::<f64>(py, n, 1);
    let (lower_arr, upper_arr) = (numpy_zeros(py, n, zs.len()), numpy_zeros(py, n, zs.len()));
    {
        let (mut value_w, mut lower_w) = (write_access(&value_arr)?, write_access(&lower_arr)?);
        let mut upper_w = write_access(&upper_arr)?;
        let mut value = slices(&mut value_w)?;
        let (mut lower, mut upper) = (slices(&mut lower_w)?, slices(&mut upper_w)?);
        parallel::detach_blocks(py, n, parallel::ROWS, |r| {
            let mut lo: Vec<&mut [f64]> = lower.iter_mut().map(|v| &mut v[r.clone()]).collect();
            let mut hi: Vec<&mut [f64]> = upper.iter_mut().map(|v| &mut v[r.clone()]).collect();
            intervals::proportion_intervals_into(
                &counts[r.clone()],
                &denominators[r.clone()],
                &zs,
                &mut value[0][r],
                &mut lo,
                &mut hi,
            )
        })?;
    }
    Ok(ProportionIntervals {
        value: unbound(value_arr).remove(0),
        lower: unbound(lower_arr),
        upper: unbound(upper_arr),
    })
}

/// Positions from numpy (`what` names them in the error).
fn positions(values: &[i64], what: &str) -> PyResult<Vec<usize>> {
    values
        .iter()
        .map(|&v| {
            usize::try_from(v).map_err(|_| {
                crate::error::CoreError::InvalidArgument(format!("{what}: {v} is negative"))
            })
        })
        .collect::<Result<_, _>>()
        .py()
}

/// Rows of output written between two signal checks by `shares_in_runs`.
const RUN_ROWS: usize = 1 << 18;

/// Shares with Wilson limits within groups whose rows sit in runs (`starts`: the runs'
/// boundaries, runs + 1 positions from 0 to the number of rows), the runs taken in `order`
/// (each once), the rows of a run by count, largest first (ties in input order). `labels` is
/// a hash of each row's label; None when two rows of a run share one (a category twice in a
/// group). Also each run's total (in the runs' input order) and each output row's denominator.
#[pyfunction]
#[pyo3(signature = (starts, order, counts, labels, confidences, per))]
fn shares_in_runs<'py>(
    py: Python<'py>,
    starts: PyReadonlyArray1<'py, i64>,
    order: PyReadonlyArray1<'py, i64>,
    counts: PyReadonlyArray1<'py, i64>,
    labels: PyReadonlyArray1<'py, u64>,
    confidences: Vec<f64>,
    per: f64,
) -> PyResult<Option<RunShares>> {
    let starts = positions(starts.as_slice()?, "shares: run start")?;
    let order = positions(order.as_slice()?, "shares: run")?;
    let (counts, labels) = (counts.as_slice()?, labels.as_slice()?);
    let zs = intervals::wilson_levels(&confidences).py()?;
    let n = counts.len();
    let sizes = intervals::run_sizes(&starts, &order, n).py()?;
    if sizes.iter().sum::<usize>() != n {
        return Err(crate::error::CoreError::InvalidArgument(
            "shares: the order does not take every run".into(),
        ))
        .py();
    }
    // the outputs are allocated by numpy (see `numpy_zeros`) and each stretch of output runs
    // is written straight into them
    let (rows_arr, den_arr) = (numpy_zeros::<u32>(py, n, 1), numpy_zeros::<i64>(py, n, 1));
    let value_arr = numpy_zeros::<f64>(py, n, 1);
    let (lower_arr, upper_arr) = (numpy_zeros(py, n, zs.len()), numpy_zeros(py, n, zs.len()));
    let mut in_order = vec![0i64; order.len()];
    {
        let (mut rows_w, mut den_w) = (write_access(&rows_arr)?, write_access(&den_arr)?);
        let (mut value_w, mut lower_w) = (write_access(&value_arr)?, write_access(&lower_arr)?);
        let mut upper_w = write_access(&upper_arr)?;
        let (mut rows, mut den) = (slices(&mut rows_w)?, slices(&mut den_w)?);
        let mut value = slices(&mut value_w)?;
        let (mut lower, mut upper) = (slices(&mut lower_w)?, slices(&mut upper_w)?);
        // the runs in `order`, in stretches of about RUN_ROWS output rows with a signal check
        // between two
        let (mut g0, mut row0) = (0, 0);
        loop {
            let (mut g1, mut row1) = (g0, row0);
            while g1 < order.len() && row1 - row0 < RUN_ROWS {
                row1 += sizes[g1];
                g1 += 1;
            }
            let r = row0..row1;
            let out = intervals::RunSharesOut {
                rows: &mut rows[0][r.clone()],
                value: &mut value[0][r.clone()],
                lower: lower.iter_mut().map(|s| &mut s[r.clone()]).collect(),
                upper: upper.iter_mut().map(|s| &mut s[r.clone()]).collect(),
            };
            let (stretch, totals) = (&order[g0..g1], &mut in_order[g0..g1]);
            let (starts, zs, den) = (&starts, &zs, &mut den[0][r]);
            let distinct = parallel::detach(py, move || {
                intervals::shares_in_order(
                    starts, stretch, counts, labels, zs, per, out, totals, den,
                )
            })?
            .py()?;
            if !distinct {
                return Ok(None);
            }
            if g1 >= order.len() {
                break;
            }
            py.check_signals()?;
            (g0, row0) = (g1, row1);
        }
    }
    // each run's total in the runs' input order
    let mut totals = vec![0i64; starts.len() - 1];
    for (&g, t) in order.iter().zip(in_order) {
        totals[g] = t;
    }
    Ok(Some(RunShares {
        rows: unbound(rows_arr).remove(0),
        totals: totals.into_pyarray(py).unbind(),
        denominators: unbound(den_arr).remove(0),
        value: unbound(value_arr).remove(0),
        lower: unbound(lower_arr),
        upper: unbound(upper_arr),
    }))
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(exact_poisson_ci, m)?)?;
    m.add_function(wrap_pyfunction!(rate_ci, m)?)?;
    m.add_function(wrap_pyfunction!(wilson_ci, m)?)?;
    m.add_function(wrap_pyfunction!(shares_in_runs, m)?)?;
    Ok(())
}
