//! Bindings for `crate::intervals`.

use crate::bindings::errors::IntoPyResult;
use crate::intervals;
use numpy::{IntoPyArray, PyArray1, PyReadonlyArray1};
use pyo3::prelude::*;

type F64Pair<'py> = (Bound<'py, PyArray1<f64>>, Bound<'py, PyArray1<f64>>);

/// Exact Poisson (Garwood) limits for an array of counts.
#[pyfunction]
#[pyo3(signature = (counts, confidence))]
fn exact_poisson_ci<'py>(
    py: Python<'py>,
    counts: PyReadonlyArray1<'py, f64>,
    confidence: f64,
) -> PyResult<F64Pair<'py>> {
    let counts = counts.as_slice()?.to_vec();
    let (lo, hi) = py
        .detach(move || intervals::exact_poisson_many(&counts, confidence))
        .py()?;
    Ok((lo.into_pyarray(py), hi.into_pyarray(py)))
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(exact_poisson_ci, m)?)?;
    Ok(())
}
