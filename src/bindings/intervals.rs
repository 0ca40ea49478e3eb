//! Bindings for `crate::intervals`.

use crate::bindings::errors::IntoPyResult;
use crate::bindings::parallel;
use crate::bindings::results::{arrays, Limits, ProportionIntervals, RateIntervals, RunShares};
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
    // the outputs are allocated once and each block of rows is written straight into them
    let mut value = vec![0.0; n];
    let mut lower: Vec<Vec<f64>> = zs.iter().map(|_| vec![0.0; n]).collect();
    let mut upper: Vec<Vec<f64>> = zs.iter().map(|_| vec![0.0; n]).collect();
    parallel::detach_blocks(py, n, parallel::ROWS, |r| {
        let mut lo: Vec<&mut [f64]> = lower.iter_mut().map(|v| &mut v[r.clone()]).collect();
        let mut hi: Vec<&mut [f64]> = upper.iter_mut().map(|v| &mut v[r.clone()]).collect();
        intervals::proportion_intervals_into(
            &counts[r.clone()],
            &denominators[r.clone()],
            &zs,
            &mut value[r],
            &mut lo,
            &mut hi,
        )
    })?;
    Ok(ProportionIntervals {
        value: value.into_pyarray(py).unbind(),
        lower: arrays(py, lower),
        upper: arrays(py, upper),
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
/// group).
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
    let runs = starts.len() - 1;
    // first the runs in input order (each run's rows by count, its total), in stretches of
    // about RUN_ROWS rows with a signal check between two
    let mut sorted = vec![0u32; n];
    let mut totals = vec![0i64; runs];
    let mut g0 = 0;
    while g0 < runs || g0 == 0 {
        let mut g1 = g0;
        while g1 < runs && starts[g1] - starts[g0] < RUN_ROWS {
            g1 += 1;
        }
        let (s, t) = (&mut sorted[starts[g0]..starts[g1]], &mut totals[g0..g1]);
        let (starts, range) = (&starts, g0..g1);
        let distinct = parallel::detach(py, move || {
            intervals::order_runs(starts, range, counts, labels, s, t)
        })?
        .py()?;
        if !distinct {
            return Ok(None);
        }
        if g1 >= runs {
            break;
        }
        py.check_signals()?;
        g0 = g1;
    }
    // then the output, run by run in `order`, in stretches of about RUN_ROWS rows
    let mut result = intervals::RunShares::zeros(n, zs.len());
    let (mut g0, mut row0) = (0, 0);
    loop {
        let (mut g1, mut row1) = (g0, row0);
        while g1 < order.len() && row1 - row0 < RUN_ROWS {
            row1 += sizes[g1];
            g1 += 1;
        }
        let out = result.out_rows(row0..row1);
        let stretch = &order[g0..g1];
        let (starts, sorted, totals, zs) = (&starts, &sorted, &totals, &zs);
        parallel::detach(py, move || {
            intervals::shares_of_runs(starts, stretch, sorted, totals, counts, zs, per, out)
        })?
        .py()?;
        if g1 >= order.len() {
            break;
        }
        py.check_signals()?;
        (g0, row0) = (g1, row1);
    }
    Ok(Some(RunShares {
        rows: result.rows.into_pyarray(py).unbind(),
        totals: totals.into_pyarray(py).unbind(),
        value: result.value.into_pyarray(py).unbind(),
        lower: arrays(py, result.lower),
        upper: arrays(py, result.upper),
    }))
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(exact_poisson_ci, m)?)?;
    m.add_function(wrap_pyfunction!(rate_ci, m)?)?;
    m.add_function(wrap_pyfunction!(wilson_ci, m)?)?;
    m.add_function(wrap_pyfunction!(shares_in_runs, m)?)?;
    Ok(())
}
