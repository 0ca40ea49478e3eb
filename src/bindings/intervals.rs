//! Bindings for `crate::intervals`.

use crate::bindings::errors::IntoPyResult;
use crate::intervals;
use numpy::{IntoPyArray, PyArray1, PyReadonlyArray1};
use pyo3::prelude::*;

type F64Array<'py> = Bound<'py, PyArray1<f64>>;
type F64Pair<'py> = (F64Array<'py>, F64Array<'py>);

fn arrays<'py>(py: Python<'py>, v: Vec<Vec<f64>>) -> Vec<F64Array<'py>> {
    v.into_iter().map(|a| a.into_pyarray(py)).collect()
}

/// Exact Poisson (Garwood) limits for an array of counts.
#[pyfunction]
#[pyo3(signature = (counts, confidence))]
fn exact_poisson_ci<'py>(
    py: Python<'py>,
    counts: PyReadonlyArray1<'py, f64>,
    confidence: f64,
) -> PyResult<F64Pair<'py>> {
    let counts = counts.as_slice()?;
    let (lo, hi) = py
        .detach(|| intervals::exact_poisson_many(counts, confidence))
        .py()?;
    Ok((lo.into_pyarray(py), hi.into_pyarray(py)))
}

/// Rates per `per` with Byar's (count >= 10) or exact Poisson limits at each confidence level.
///
/// Returns (value, [lower per level], [upper per level], method) with method 0 = Byars,
/// 1 = Exact, 2 = invalid row (NaN value and limits).
#[pyfunction]
#[pyo3(signature = (counts, denominators, per, confidences))]
#[allow(clippy::type_complexity)]
fn rate_ci<'py>(
    py: Python<'py>,
    counts: PyReadonlyArray1<'py, f64>,
    denominators: PyReadonlyArray1<'py, f64>,
    per: f64,
    confidences: Vec<f64>,
) -> PyResult<(
    F64Array<'py>,
    Vec<F64Array<'py>>,
    Vec<F64Array<'py>>,
    Bound<'py, PyArray1<u8>>,
)> {
    let counts = counts.as_slice()?;
    let denominators = denominators.as_slice()?;
    let r = py
        .detach(|| intervals::rate_intervals(counts, denominators, per, &confidences))
        .py()?;
    Ok((
        r.value.into_pyarray(py),
        arrays(py, r.lower),
        arrays(py, r.upper),
        r.method.into_pyarray(py),
    ))
}

/// Proportions with Wilson score limits at each confidence level.
///
/// Returns (value, [lower per level], [upper per level]); invalid rows are NaN.
#[pyfunction]
#[pyo3(signature = (counts, denominators, confidences))]
#[allow(clippy::type_complexity)]
fn wilson_ci<'py>(
    py: Python<'py>,
    counts: PyReadonlyArray1<'py, f64>,
    denominators: PyReadonlyArray1<'py, f64>,
    confidences: Vec<f64>,
) -> PyResult<(F64Array<'py>, Vec<F64Array<'py>>, Vec<F64Array<'py>>)> {
    let counts = counts.as_slice()?;
    let denominators = denominators.as_slice()?;
    let (value, lower, upper) = py
        .detach(|| intervals::proportion_intervals(counts, denominators, &confidences))
        .py()?;
    Ok((value.into_pyarray(py), arrays(py, lower), arrays(py, upper)))
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(exact_poisson_ci, m)?)?;
    m.add_function(wrap_pyfunction!(rate_ci, m)?)?;
    m.add_function(wrap_pyfunction!(wilson_ci, m)?)?;
    Ok(())
}
