//! Bindings for `crate::funnel`.

use crate::bindings::errors::IntoPyResult;
use crate::bindings::parallel;
use crate::bindings::results::{arrays, FunnelLimits, Limits, Overdispersion};
use crate::funnel::{self, FunnelKind};
use numpy::{IntoPyArray, PyReadonlyArray1};
use pyo3::prelude::*;

/// Control limits at each denominator, one array per level, times `scale`.
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
) -> PyResult<FunnelLimits> {
    let kind: FunnelKind = statistic.parse().py()?;
    let denominators = denominators.as_slice()?;
    let (lo, hi) = parallel::detach_rows(
        py,
        denominators.len(),
        parallel::ROWS_EXACT,
        |r| funnel::funnel_limits(kind, national, &denominators[r], &confidences, scale, tau2),
        |acc, (lo, hi)| {
            parallel::append_levels(&mut acc.0, lo);
            parallel::append_levels(&mut acc.1, hi);
        },
    )?;
    Ok(FunnelLimits {
        lower: arrays(py, lo),
        upper: arrays(py, hi),
    })
}

/// Spiegelhalter overdispersion: z-scores, winsorised z-scores, phi, tau2.
#[pyfunction]
#[pyo3(signature = (statistic, counts, denominators, national, trim))]
fn funnel_overdispersion<'py>(
    py: Python<'py>,
    statistic: &str,
    counts: PyReadonlyArray1<'py, f64>,
    denominators: PyReadonlyArray1<'py, f64>,
    national: f64,
    trim: f64,
) -> PyResult<Overdispersion> {
    let kind: FunnelKind = statistic.parse().py()?;
    let counts = counts.as_slice()?;
    let denominators = denominators.as_slice()?;
    let (z, s) = funnel::transformed_zscores(kind, counts, denominators, national).py()?;
    let od = funnel::overdispersion(&z, &s, trim).py()?;
    Ok(Overdispersion {
        z: z.into_pyarray(py).unbind(),
        winsorised: od.winsorised.into_pyarray(py).unbind(),
        phi: od.phi,
        tau2: od.tau2,
    })
}

/// Exact Poisson control limits on the count scale around each expected count.
#[pyfunction]
#[pyo3(signature = (expected, confidence))]
fn poisson_count_limits<'py>(
    py: Python<'py>,
    expected: PyReadonlyArray1<'py, f64>,
    confidence: f64,
) -> PyResult<Limits> {
    let expected = expected.as_slice()?;
    let pairs: Vec<(f64, f64)> = expected
        .iter()
        .map(|&e| funnel::poisson_count_limits(e, confidence))
        .collect::<Result<_, _>>()
        .py()?;
    let (lo, hi): (Vec<f64>, Vec<f64>) = pairs.into_iter().unzip();
    Ok(Limits {
        lower: lo.into_pyarray(py).unbind(),
        upper: hi.into_pyarray(py).unbind(),
    })
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(funnel_limits, m)?)?;
    m.add_function(wrap_pyfunction!(funnel_overdispersion, m)?)?;
    m.add_function(wrap_pyfunction!(poisson_count_limits, m)?)?;
    Ok(())
}
