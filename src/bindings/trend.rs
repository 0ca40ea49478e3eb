//! Bindings for `crate::trend`: numpy in, a dict of numpy arrays out.

use crate::bindings::errors::IntoPyResult;
use crate::error::CoreError;
use crate::trend::glm::{fit_groups, Family, GlmFit, GlmOptions};
use numpy::{IntoPyArray, PyReadonlyArray1, PyReadonlyArray2, PyUntypedArrayMethods};
use pyo3::prelude::*;
use pyo3::types::PyDict;

/// Convert group boundaries from numpy int64 to usize, refusing negatives.
pub(crate) fn to_starts(starts: &[i64]) -> Result<Vec<usize>, CoreError> {
    starts
        .iter()
        .map(|&s| {
            usize::try_from(s)
                .map_err(|_| CoreError::InvalidArgument(format!("group start {s} is negative")))
        })
        .collect()
}

/// Fit a log-linear count model per group (rows `starts[g]..starts[g+1]`).
///
/// Returns a dict: `coef`, `se`, `z`, `pvalue` (flattened G×p), `cov` (flattened G×p×p),
/// `dispersion`, `scale`, `pearson_chi2`, `deviance`, `df_resid`, `loglik`, `alpha`,
/// `alpha_se`, `iterations`, `converged` (per group), `reason` (list of str or None).
#[pyfunction]
#[pyo3(signature = (y, x, offset, starts, model, maxiter=100, tol=1e-10))]
#[allow(clippy::too_many_arguments)]
fn glm_fit<'py>(
    py: Python<'py>,
    y: PyReadonlyArray1<'py, f64>,
    x: PyReadonlyArray2<'py, f64>,
    offset: PyReadonlyArray1<'py, f64>,
    starts: PyReadonlyArray1<'py, i64>,
    model: &str,
    maxiter: usize,
    tol: f64,
) -> PyResult<Bound<'py, PyDict>> {
    let family = Family::parse(model).py()?;
    let p = x.shape()[1];
    let y = y.as_slice()?.to_vec();
    let x = x.as_slice()?.to_vec();
    let offset = offset.as_slice()?.to_vec();
    let starts = to_starts(starts.as_slice()?).py()?;
    let opts = GlmOptions {
        family,
        maxiter,
        tol,
    };
    let fits = py
        .detach(move || fit_groups(&y, &x, p, &offset, &starts, &opts))
        .py()?;
    glm_dict(py, &fits, p)
}

/// Lay out per-group fits as a dict of arrays (NaN where a group could not be fitted).
pub(crate) fn glm_dict<'py>(
    py: Python<'py>,
    fits: &[Result<GlmFit, CoreError>],
    p: usize,
) -> PyResult<Bound<'py, PyDict>> {
    let g = fits.len();
    let nan = f64::NAN;
    let mut coef = vec![nan; g * p];
    let mut se = vec![nan; g * p];
    let mut z = vec![nan; g * p];
    let mut pv = vec![nan; g * p];
    let mut cov = vec![nan; g * p * p];
    let mut scalars: [Vec<f64>; 8] = std::array::from_fn(|_| vec![nan; g]);
    let mut iterations = vec![0i64; g];
    let mut converged = vec![false; g];
    let mut reason: Vec<Option<String>> = vec![None; g];
    for (i, f) in fits.iter().enumerate() {
        match f {
            Ok(f) => {
                coef[i * p..(i + 1) * p].copy_from_slice(&f.coef);
                se[i * p..(i + 1) * p].copy_from_slice(&f.se);
                z[i * p..(i + 1) * p].copy_from_slice(&f.z);
                pv[i * p..(i + 1) * p].copy_from_slice(&f.pvalue);
                cov[i * p * p..(i + 1) * p * p].copy_from_slice(&f.cov);
                let vals = [
                    f.dispersion,
                    f.scale,
                    f.pearson_chi2,
                    f.deviance,
                    f.df_resid,
                    f.loglik,
                    f.alpha,
                    f.alpha_se,
                ];
                for (k, v) in vals.iter().enumerate() {
                    scalars[k][i] = *v;
                }
                iterations[i] = i64::try_from(f.iterations).unwrap_or(i64::MAX);
                converged[i] = f.converged;
                reason[i] = f.note.clone();
            }
            Err(e) => reason[i] = Some(e.to_string()),
        }
    }
    let d = PyDict::new(py);
    d.set_item("coef", coef.into_pyarray(py))?;
    d.set_item("se", se.into_pyarray(py))?;
    d.set_item("z", z.into_pyarray(py))?;
    d.set_item("pvalue", pv.into_pyarray(py))?;
    d.set_item("cov", cov.into_pyarray(py))?;
    let names = [
        "dispersion",
        "scale",
        "pearson_chi2",
        "deviance",
        "df_resid",
        "loglik",
        "alpha",
        "alpha_se",
    ];
    for (name, v) in names.iter().zip(scalars) {
        d.set_item(*name, v.into_pyarray(py))?;
    }
    d.set_item("iterations", iterations.into_pyarray(py))?;
    d.set_item("converged", converged.into_pyarray(py))?;
    d.set_item("reason", reason)?;
    Ok(d)
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(glm_fit, m)?)?;
    Ok(())
}
