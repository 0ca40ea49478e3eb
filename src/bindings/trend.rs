//! Bindings for `crate::trend`: numpy in, a dict of numpy arrays out (its keys are spelled
//! out as the TypedDicts `_GlmFitResult` and `_JoinpointFitResult` in `_core.pyi`).

use crate::bindings::errors::IntoPyResult;
use crate::bindings::parallel;
use crate::error::CoreError;
use crate::trend::glm::{check_groups, fit_groups, Family, GlmFit, GlmOptions};
use crate::trend::joinpoint::{self, JoinpointOptions, Selection};
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

/// Groups fitted between two signal checks (a few milliseconds of work for short series).
const GLM_CHUNK: usize = 512;

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
    let family: Family = model.parse().py()?;
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
    check_groups(y.len(), x.len(), p, offset.len(), &starts).py()?;
    // Chunks of whole groups, with a signal check between chunks (Ctrl-C within ~0.1 s).
    let n_groups = starts.len() - 1;
    let fits = parallel::detach_chunks(py, n_groups, GLM_CHUNK, |r| {
        let (a, b) = (starts[r.start], starts[r.end]);
        let sub: Vec<usize> = starts[r.start..=r.end].iter().map(|s| s - a).collect();
        fit_groups(&y[a..b], &x[a * p..b * p], p, &offset[a..b], &sub, &opts)
    })?;
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

/// Run `work` off the GIL on a helper thread while this (the main) thread polls Python's
/// signal handlers every 50 ms; a pending KeyboardInterrupt sets the cancel flag, the core stops
/// at its next chunk and the interrupt is re-raised here.
pub(crate) fn interruptible<T: Send>(
    py: Python<'_>,
    work: impl FnOnce(&(dyn Fn() -> bool + Sync)) -> T + Send,
) -> PyResult<T> {
    use std::sync::atomic::{AtomicBool, Ordering};
    let stop = AtomicBool::new(false);
    let mut pending: Option<PyErr> = None;
    // in a process forked after parallel work, the rayon work runs on the child's own pool
    // (with a warning) instead of waiting for ever on threads that did not survive the fork
    let pool = parallel::child_pool(py)?;
    let out = py.detach(|| {
        std::thread::scope(|s| {
            let stop_ref = &stop;
            let handle = s.spawn(move || {
                let cancel = || stop_ref.load(Ordering::Relaxed);
                match pool {
                    Some(p) => p.install(|| work(&cancel)),
                    None => work(&cancel),
                }
            });
            while !handle.is_finished() {
                std::thread::sleep(std::time::Duration::from_millis(50));
                if pending.is_none() {
                    if let Err(e) = Python::attach(|py| py.check_signals()) {
                        pending = Some(e);
                        stop.store(true, Ordering::Relaxed);
                    }
                }
            }
            handle.join()
        })
    });
    if let Some(e) = pending {
        return Err(e);
    }
    out.map_err(|_| {
        pyo3::exceptions::PyRuntimeError::new_err("the joinpoint worker thread panicked")
    })
}

/// Joinpoint regression per group (rows `starts[g]..starts[g+1]`, times increasing).
///
/// `se` (variance "heteroscedastic") and `counts` (variance "poisson") are needed only by their
/// variance model; `jump_at` NaN means no jump; `group_keys` (one u64 per group, e.g. a stable
/// hash of the group's key) key each group's random streams instead of its index. Returns a dict of flat arrays: per group (`k`, `max_joins_used`, `df`,
/// `model_df`, `sse`, `aapc_*`, `jump_*`, `reason`, `aapc_reason`), per segment (`seg_*`),
/// per joinpoint (`join_*`), per permutation test (`test_*`) and per number of joinpoints tried
/// (`byk_*`), and per observation (`fitted`, ln scale, NaN for groups that failed).
#[pyfunction]
#[pyo3(signature = (t, y, starts, max_joins, min_end, min_between, selection, n_permutations, alpha, seed, confidence, aapc_start, aapc_end, *, se=None, counts=None, variance="constant", min_joins=0, jump_at=f64::NAN, ci="parametric", n_resamples=1000, group_keys=None))]
#[allow(clippy::too_many_arguments)]
fn joinpoint_fit<'py>(
    py: Python<'py>,
    t: PyReadonlyArray1<'py, f64>,
    y: PyReadonlyArray1<'py, f64>,
    starts: PyReadonlyArray1<'py, i64>,
    max_joins: usize,
    min_end: usize,
    min_between: usize,
    selection: &str,
    n_permutations: usize,
    alpha: f64,
    seed: u64,
    confidence: f64,
    aapc_start: f64,
    aapc_end: f64,
    se: Option<PyReadonlyArray1<'py, f64>>,
    counts: Option<PyReadonlyArray1<'py, f64>>,
    variance: &str,
    min_joins: usize,
    jump_at: f64,
    ci: &str,
    n_resamples: usize,
    group_keys: Option<PyReadonlyArray1<'py, u64>>,
) -> PyResult<Bound<'py, PyDict>> {
    let variance = joinpoint::Variance::parse(variance).py()?;
    let selection = Selection::parse(selection, n_permutations, alpha, seed).py()?;
    let ci = joinpoint::CiMethod::parse(ci, n_resamples, seed).py()?;
    crate::intervals::check_confidence(confidence).py()?;
    let opts = JoinpointOptions {
        min_joins,
        max_joins,
        min_end,
        min_between,
        selection,
        confidence,
        jump_at: (!jump_at.is_nan()).then_some(jump_at),
        ci,
    };
    let t = t.as_slice()?.to_vec();
    let y = y.as_slice()?.to_vec();
    let se: Option<Vec<f64>> = se.map(|a| a.as_slice().map(|v| v.to_vec())).transpose()?;
    let counts: Option<Vec<f64>> = counts
        .map(|a| a.as_slice().map(|v| v.to_vec()))
        .transpose()?;
    let starts = to_starts(starts.as_slice()?).py()?;
    let keys: Option<Vec<u64>> = group_keys
        .map(|a| a.as_slice().map(|v| v.to_vec()))
        .transpose()?;
    let w = joinpoint::weights(variance, &y, se.as_deref(), counts.as_deref()).py()?;
    let (fits, aapcs) = interruptible(py, |cancel| {
        let fits =
            joinpoint::fit_groups_keyed(&t, &y, &w, &starts, keys.as_deref(), &opts, cancel)?;
        let aapcs: Vec<_> = fits
            .iter()
            .zip(starts.windows(2))
            .map(|(f, r)| match f {
                Ok(f) => Some(joinpoint::aapc(&t[r[0]..r[1]], f, aapc_start, aapc_end)),
                Err(_) => None,
            })
            .collect();
        Ok::<_, CoreError>((fits, aapcs))
    })?
    .py()?;
    let g = fits.len();
    let nan = f64::NAN;
    let mut k = vec![-1i64; g];
    let mut kused = vec![-1i64; g];
    let mut df = vec![nan; g];
    let mut mdf = vec![nan; g];
    let mut sse = vec![nan; g];
    let mut fitted = vec![nan; t.len()];
    let mut reason: Vec<Option<String>> = vec![None; g];
    let mut a_cols: [Vec<f64>; 6] = std::array::from_fn(|_| vec![nan; g]);
    let mut a_one = vec![false; g];
    let mut a_reason: Vec<Option<String>> = vec![None; g];
    let mut j_cols: [Vec<f64>; 13] = std::array::from_fn(|_| vec![nan; g]);
    let (mut sg, mut si, mut s0, mut s1) = (vec![], vec![], vec![], vec![]);
    let mut scols: [Vec<f64>; 6] = std::array::from_fn(|_| vec![]);
    let (mut jg, mut ji, mut jo, mut jlo, mut jhi) = (vec![], vec![], vec![], vec![], vec![]);
    let (mut tg, mut tka, mut tkb, mut tstat, mut tp, mut tlev, mut trej) =
        (vec![], vec![], vec![], vec![], vec![], vec![], vec![]);
    let (mut tdn, mut tdd, mut tnp) = (vec![], vec![], vec![]);
    let (mut bg, mut bk, mut bsse, mut bbic, mut bbic3, mut bwbic, mut bwt) =
        (vec![], vec![], vec![], vec![], vec![], vec![], vec![]);
    let as_i = |v: usize| i64::try_from(v).unwrap_or(i64::MAX);
    for (i, (f, a)) in fits.iter().zip(&aapcs).enumerate() {
        let f = match f {
            Ok(f) => f,
            Err(e) => {
                reason[i] = Some(e.to_string());
                continue;
            }
        };
        k[i] = as_i(f.joins.len());
        kused[i] = as_i(f.max_joins_used);
        df[i] = f.df;
        mdf[i] = f.model_df;
        sse[i] = f.sse;
        reason[i] = f.note.clone();
        fitted[starts[i]..starts[i + 1]].copy_from_slice(&f.fitted);
        for (m, s) in f.segments.iter().enumerate() {
            sg.push(as_i(i));
            si.push(as_i(m));
            s0.push(as_i(s.start));
            s1.push(as_i(s.end));
            for (col, v) in
                scols
                    .iter_mut()
                    .zip([s.slope, s.se, s.lower, s.upper, s.statistic, s.pvalue])
            {
                col.push(v);
            }
        }
        for (m, &j) in f.joins.iter().enumerate() {
            jg.push(as_i(i));
            ji.push(as_i(m));
            jo.push(as_i(j));
            jlo.push(f.join_lower[m]);
            jhi.push(f.join_upper[m]);
        }
        for tt in &f.tests {
            tg.push(as_i(i));
            tka.push(as_i(tt.k_null));
            tkb.push(as_i(tt.k_alt));
            tstat.push(tt.statistic);
            tp.push(tt.pvalue);
            tlev.push(tt.level);
            trej.push(tt.reject);
            tdn.push(as_i(tt.df_num));
            tdd.push(as_i(tt.df_den));
            tnp.push(as_i(tt.n_perm));
        }
        for kk in 0..f.sse_by_k.len() {
            bg.push(as_i(i));
            bk.push(as_i(kk));
            bsse.push(f.sse_by_k[kk]);
            bbic.push(f.bic_by_k[kk]);
            bbic3.push(f.bic3_by_k[kk]);
            bwbic.push(f.wbic_by_k[kk]);
            bwt.push(f.wbic_weight_by_k[kk]);
        }
        if let Some(jm) = &f.jump {
            for (col, v) in j_cols.iter_mut().zip([
                jm.location,
                jm.value,
                jm.se,
                jm.lower,
                jm.upper,
                jm.statistic,
                jm.pvalue,
                jm.ratio,
                jm.ratio_se,
                jm.ratio_lower,
                jm.ratio_upper,
                jm.ratio_statistic,
                jm.ratio_pvalue,
            ]) {
                col[i] = v;
            }
        }
        match a {
            Some(Ok(a)) => {
                for (col, v) in
                    a_cols
                        .iter_mut()
                        .zip([a.slope, a.se, a.lower, a.upper, a.statistic, a.pvalue])
                {
                    col[i] = v;
                }
                a_one[i] = a.one_segment;
            }
            Some(Err(e)) => a_reason[i] = Some(e.to_string()),
            None => {}
        }
    }
    let d = PyDict::new(py);
    d.set_item("k", k.into_pyarray(py))?;
    d.set_item("max_joins_used", kused.into_pyarray(py))?;
    d.set_item("df", df.into_pyarray(py))?;
    d.set_item("model_df", mdf.into_pyarray(py))?;
    d.set_item("sse", sse.into_pyarray(py))?;
    d.set_item("fitted", fitted.into_pyarray(py))?;
    d.set_item("reason", reason)?;
    for (name, v) in [
        "aapc_slope",
        "aapc_se",
        "aapc_lower",
        "aapc_upper",
        "aapc_statistic",
        "aapc_pvalue",
    ]
    .iter()
    .zip(a_cols)
    {
        d.set_item(*name, v.into_pyarray(py))?;
    }
    d.set_item("aapc_one_segment", a_one.into_pyarray(py))?;
    d.set_item("aapc_reason", a_reason)?;
    for (name, v) in [
        "jump_location",
        "jump_value",
        "jump_se",
        "jump_lower",
        "jump_upper",
        "jump_statistic",
        "jump_pvalue",
        "jump_ratio",
        "jump_ratio_se",
        "jump_ratio_lower",
        "jump_ratio_upper",
        "jump_ratio_statistic",
        "jump_ratio_pvalue",
    ]
    .iter()
    .zip(j_cols)
    {
        d.set_item(*name, v.into_pyarray(py))?;
    }
    d.set_item("seg_group", sg.into_pyarray(py))?;
    d.set_item("seg_index", si.into_pyarray(py))?;
    d.set_item("seg_start", s0.into_pyarray(py))?;
    d.set_item("seg_end", s1.into_pyarray(py))?;
    for (name, v) in [
        "seg_slope",
        "seg_se",
        "seg_lower",
        "seg_upper",
        "seg_statistic",
        "seg_pvalue",
    ]
    .iter()
    .zip(scols)
    {
        d.set_item(*name, v.into_pyarray(py))?;
    }
    d.set_item("join_group", jg.into_pyarray(py))?;
    d.set_item("join_index", ji.into_pyarray(py))?;
    d.set_item("join_obs", jo.into_pyarray(py))?;
    d.set_item("join_lower", jlo.into_pyarray(py))?;
    d.set_item("join_upper", jhi.into_pyarray(py))?;
    d.set_item("test_group", tg.into_pyarray(py))?;
    d.set_item("test_k_null", tka.into_pyarray(py))?;
    d.set_item("test_k_alt", tkb.into_pyarray(py))?;
    d.set_item("test_statistic", tstat.into_pyarray(py))?;
    d.set_item("test_pvalue", tp.into_pyarray(py))?;
    d.set_item("test_level", tlev.into_pyarray(py))?;
    d.set_item("test_reject", trej.into_pyarray(py))?;
    d.set_item("test_df_num", tdn.into_pyarray(py))?;
    d.set_item("test_df_den", tdd.into_pyarray(py))?;
    d.set_item("test_n_permutations", tnp.into_pyarray(py))?;
    d.set_item("byk_group", bg.into_pyarray(py))?;
    d.set_item("byk_k", bk.into_pyarray(py))?;
    d.set_item("byk_sse", bsse.into_pyarray(py))?;
    d.set_item("byk_bic", bbic.into_pyarray(py))?;
    d.set_item("byk_bic3", bbic3.into_pyarray(py))?;
    d.set_item("byk_wbic", bwbic.into_pyarray(py))?;
    d.set_item("byk_wbic_weight", bwt.into_pyarray(py))?;
    Ok(d)
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(glm_fit, m)?)?;
    m.add_function(wrap_pyfunction!(joinpoint_fit, m)?)?;
    Ok(())
}
