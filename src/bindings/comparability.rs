//! Bindings for `crate::trend::jp_compare`: the comparability (coincidence, parallelism) test
//! of two joinpoint series.

use crate::bindings::errors::IntoPyResult;
use crate::bindings::trend::interruptible;
use crate::trend::joinpoint::{self, Variance};
use crate::trend::jp_compare::{self, Null};
use numpy::PyReadonlyArray1;
use pyo3::prelude::*;
use pyo3::types::PyDict;

/// Test `test` ("coincidence" or "parallelism") for two series observed at the same times
/// `t`, values `ya`, `yb` (> 0; fitted on the ln scale), with `k` joinpoints in every fit.
///
/// Weights as `joinpoint_fit`: `variance` "constant", "heteroscedastic" (`se_a`, `se_b`) or
/// "poisson" (`counts_a`, `counts_b`). Returns a dict: `test`, `joins`, `statistic`, `pvalue`,
/// `n_permutations`, `sse_null`, `sse_alt`, `f_statistic`, `df_num`, `df_den`, `f_pvalue`,
/// `joins_null`, `joins_a`, `joins_b` (times).
#[pyfunction]
#[pyo3(signature = (t, ya, yb, k, min_end, min_between, test, n_permutations, seed, *, variance="constant", se_a=None, se_b=None, counts_a=None, counts_b=None))]
#[allow(clippy::too_many_arguments)]
fn joinpoint_compare<'py>(
    py: Python<'py>,
    t: PyReadonlyArray1<'py, f64>,
    ya: PyReadonlyArray1<'py, f64>,
    yb: PyReadonlyArray1<'py, f64>,
    k: usize,
    min_end: usize,
    min_between: usize,
    test: &str,
    n_permutations: usize,
    seed: u64,
    variance: &str,
    se_a: Option<PyReadonlyArray1<'py, f64>>,
    se_b: Option<PyReadonlyArray1<'py, f64>>,
    counts_a: Option<PyReadonlyArray1<'py, f64>>,
    counts_b: Option<PyReadonlyArray1<'py, f64>>,
) -> PyResult<Bound<'py, PyDict>> {
    let null = Null::parse(test).py()?;
    let variance = Variance::parse(variance).py()?;
    let (t, ya, yb) = (t.as_slice()?, ya.as_slice()?, yb.as_slice()?);
    let (se_a, se_b) = (
        se_a.as_ref().map(|v| v.as_slice()).transpose()?,
        se_b.as_ref().map(|v| v.as_slice()).transpose()?,
    );
    let (counts_a, counts_b) = (
        counts_a.as_ref().map(|v| v.as_slice()).transpose()?,
        counts_b.as_ref().map(|v| v.as_slice()).transpose()?,
    );
    let wa = joinpoint::weights(variance, ya, se_a, counts_a).py()?;
    let wb = joinpoint::weights(variance, yb, se_b, counts_b).py()?;
    let ln = |y: &[f64]| -> Vec<f64> {
        y.iter()
            .map(|&v| if v > 0.0 { v.ln() } else { f64::NAN })
            .collect()
    };
    let (za, zb) = (ln(ya), ln(yb));
    let c = interruptible(py, |cancel| {
        jp_compare::compare(
            t,
            &za,
            &wa,
            &zb,
            &wb,
            k,
            min_end,
            min_between,
            null,
            n_permutations,
            seed,
            cancel,
        )
    })?
    .py()?;
    let d = PyDict::new(py);
    d.set_item(
        "test",
        match c.null {
            Null::Coincidence => "coincidence",
            Null::Parallel => "parallelism",
        },
    )?;
    d.set_item("joins", c.joins)?;
    d.set_item("statistic", c.statistic)?;
    d.set_item("pvalue", c.pvalue)?;
    d.set_item("n_permutations", c.n_perm)?;
    d.set_item("sse_null", c.sse_null)?;
    d.set_item("sse_alt", c.sse_alt)?;
    d.set_item("f_statistic", c.f_statistic)?;
    d.set_item("df_num", c.df_num)?;
    d.set_item("df_den", c.df_den)?;
    d.set_item("f_pvalue", c.f_pvalue)?;
    d.set_item("joins_null", c.joins_null)?;
    d.set_item("joins_a", c.joins_a)?;
    d.set_item("joins_b", c.joins_b)?;
    Ok(d)
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(joinpoint_compare, m)?)?;
    Ok(())
}
