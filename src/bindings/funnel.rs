//! Bindings for `crate::funnel`.

use crate::bindings::errors::IntoPyResult;
use crate::funnel::{self, FunnelKind};
use numpy::{IntoPyArray, PyArray1, PyReadonlyArray1};
use pyo3::prelude::*;

type F64Array<'py> = Bound<'py, PyArray1<f64>>;

fn arrays<'py>(py: Python<'py>, v: Vec<Vec<f64>>) -> Vec<F64Array<'py>> {
    v.into_iter().map(|a| a.into_pyarray(py)).collect()
}

/// Control limits at each denominator: ([lower per level], [upper per level]), times `scale`.
///
/// `statistic` is "rate" (exact Poisson) or "proportion" (Wilson); `national` is per unit of
/// denominator; `tau2` switches to the overdispersion-adjusted limits.
#[pyfunction]
#[pyo3(signature = (statistic, national, denominators, confidences, scale, tau2=None))]
fn funnel_limits<'py>(
    py: Python<'py>,
    statistic: &str,
    national: f64,
    denominators: PyReadonlyArray1<'py, f64>,
    confidences: Vec<f64>,
    scale: f64,
    tau2: Option<f64>,
) -> PyResult<(Vec<F64Array<'py>>, Vec<F64Array<'py>>)> {
    let kind = FunnelKind::parse(statistic).py()?;
    let denominators = denominators.as_slice()?;
    let (lo, hi) = py
        .detach(|| funnel::funnel_limits(kind, national, denominators, &confidences, scale, tau2))
        .py()?;
    Ok((arrays(py, lo), arrays(py, hi)))
}

/// Spiegelhalter overdispersion: (z-scores, winsorised z-scores, phi, tau2).
#[pyfunction]
#[pyo3(signature = (statistic, counts, denominators, national, trim))]
fn funnel_overdispersion<'py>(
    py: Python<'py>,
    statistic: &str,
    counts: PyReadonlyArray1<'py, f64>,
    denominators: PyReadonlyArray1<'py, f64>,
    national: f64,
    trim: f64,
) -> PyResult<(F64Array<'py>, F64Array<'py>, f64, f64)> {
    let kind = FunnelKind::parse(statistic).py()?;
    let counts = counts.as_slice()?;
    let denominators = denominators.as_slice()?;
    let (z, s) = funnel::transformed_zscores(kind, counts, denominators, national).py()?;
    let od = funnel::overdispersion(&z, &s, trim).py()?;
    Ok((
        z.into_pyarray(py),
        od.winsorised.into_pyarray(py),
        od.phi,
        od.tau2,
    ))
}

/// Exact Poisson control limits on the count scale around each expected count.
#[pyfunction]
#[pyo3(signature = (expected, confidence))]
fn poisson_count_limits<'py>(
    py: Python<'py>,
    expected: PyReadonlyArray1<'py, f64>,
    confidence: f64,
) -> PyResult<(F64Array<'py>, F64Array<'py>)> {
    let expected = expected.as_slice()?;
    let pairs: Vec<(f64, f64)> = expected
        .iter()
        .map(|&e| funnel::poisson_count_limits(e, confidence))
        .collect::<Result<_, _>>()
        .py()?;
    let (lo, hi): (Vec<f64>, Vec<f64>) = pairs.into_iter().unzip();
    Ok((lo.into_pyarray(py), hi.into_pyarray(py)))
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(funnel_limits, m)?)?;
    m.add_function(wrap_pyfunction!(funnel_overdispersion, m)?)?;
    m.add_function(wrap_pyfunction!(poisson_count_limits, m)?)?;
    Ok(())
}
