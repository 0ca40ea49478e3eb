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
    let (lo, hi) =
        parallel::detach(py, || intervals::exact_poisson_many(counts, confidence))?.py()?;
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
    let r = parallel::detach(py, || {
        intervals::rate_intervals(counts, denominators, per, &confidences)
    })?
    .py()?;
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
    let (value, lower, upper) = parallel::detach(py, || {
        intervals::proportion_intervals(counts, denominators, &confidences)
    })?
    .py()?;
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
