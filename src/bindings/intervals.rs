//! Bindings for `crate::intervals`.

use crate::bindings::errors::IntoPyResult;
use crate::bindings::parallel;
use crate::bindings::results::{arrays, Limits, ProportionIntervals, RateIntervals};
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
    let (value, lower, upper) = parallel::detach_rows(
        py,
        counts.len(),
        parallel::ROWS,
        |r| intervals::proportion_intervals(&counts[r.clone()], &denominators[r], &confidences),
        |acc, (value, lower, upper)| {
            parallel::append(&mut acc.0, value);
            parallel::append_levels(&mut acc.1, lower);
            parallel::append_levels(&mut acc.2, upper);
        },
    )?;
    Ok(ProportionIntervals {
        value: value.into_pyarray(py).unbind(),
        lower: arrays(py, lower),
        upper: arrays(py, upper),
    })
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(exact_poisson_ci, m)?)?;
    m.add_function(wrap_pyfunction!(rate_ci, m)?)?;
    m.add_function(wrap_pyfunction!(wilson_ci, m)?)?;
    Ok(())
}
