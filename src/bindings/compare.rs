//! Bindings for `crate::compare`.

use crate::bindings::errors::IntoPyResult;
use crate::bindings::parallel;
use crate::bindings::results::{BinomTest, RateRatioTest};
use crate::compare::{self, Alternative};
use numpy::{IntoPyArray, PyReadonlyArray1};
use pyo3::prelude::*;

/// Exact conditional (binomial) test and interval for the ratio of two Poisson rates.
/// NaN where the counts are not whole and >= 0.
#[pyfunction]
#[pyo3(signature = (x1, x2, t1, t2, ratio, alternative, confidence))]
#[allow(clippy::too_many_arguments)]
fn rate_ratio_test<'py>(
    py: Python<'py>,
    x1: PyReadonlyArray1<'py, f64>,
    x2: PyReadonlyArray1<'py, f64>,
    t1: PyReadonlyArray1<'py, f64>,
    t2: PyReadonlyArray1<'py, f64>,
    ratio: f64,
    alternative: &str,
    confidence: f64,
) -> PyResult<RateRatioTest> {
    let alt: Alternative = alternative.parse().py()?;
    let (x1, x2) = (x1.as_slice()?, x2.as_slice()?);
    let (t1, t2) = (t1.as_slice()?, t2.as_slice()?);
    let n = x1.len();
    if x2.len() != n || t1.len() != n || t2.len() != n {
        // the kernel's own check names the lengths (no work is done)
        compare::rate_ratio_many(x1, x2, t1, t2, ratio, alt, confidence).py()?;
    }
    let res = parallel::detach_rows(
        py,
        n,
        parallel::ROWS_EXACT,
        |r| {
            let (a, b) = (&x1[r.clone()], &x2[r.clone()]);
            compare::rate_ratio_many(a, b, &t1[r.clone()], &t2[r], ratio, alt, confidence)
        },
        parallel::append,
    )?;
    let stat: Vec<f64> = res.iter().map(|r| r.statistic).collect();
    let pv: Vec<f64> = res.iter().map(|r| r.pvalue).collect();
    let lo: Vec<f64> = res.iter().map(|r| r.lower).collect();
    let hi: Vec<f64> = res.iter().map(|r| r.upper).collect();
    Ok(RateRatioTest {
        statistic: stat.into_pyarray(py).unbind(),
        pvalue: pv.into_pyarray(py).unbind(),
        lower: lo.into_pyarray(py).unbind(),
        upper: hi.into_pyarray(py).unbind(),
    })
}

/// Exact binomial test as scipy.stats.binomtest, with Clopper-Pearson limits.
/// NaN for impossible input.
#[pyfunction]
#[pyo3(signature = (k, n, p, alternative, confidence))]
fn binom_test<'py>(
    py: Python<'py>,
    k: PyReadonlyArray1<'py, i64>,
    n: PyReadonlyArray1<'py, i64>,
    p: PyReadonlyArray1<'py, f64>,
    alternative: &str,
    confidence: f64,
) -> PyResult<BinomTest> {
    let alt: Alternative = alternative.parse().py()?;
    let (k, n, p) = (k.as_slice()?, n.as_slice()?, p.as_slice()?);
    if n.len() != k.len() || p.len() != k.len() {
        // the kernel's own check names the lengths (no work is done)
        compare::binom_test_many(k, n, p, alt, confidence).py()?;
    }
    let res = parallel::detach_rows(
        py,
        k.len(),
        parallel::ROWS_EXACT,
        |r| compare::binom_test_many(&k[r.clone()], &n[r.clone()], &p[r], alt, confidence),
        parallel::append,
    )?;
    let pv: Vec<f64> = res.iter().map(|r| r.pvalue).collect();
    let lo: Vec<f64> = res.iter().map(|r| r.lower).collect();
    let hi: Vec<f64> = res.iter().map(|r| r.upper).collect();
    Ok(BinomTest {
        pvalue: pv.into_pyarray(py).unbind(),
        lower: lo.into_pyarray(py).unbind(),
        upper: hi.into_pyarray(py).unbind(),
    })
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(rate_ratio_test, m)?)?;
    m.add_function(wrap_pyfunction!(binom_test, m)?)?;
    Ok(())
}
