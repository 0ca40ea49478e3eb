//! Log-linear count models fitted by IRLS: Poisson, quasi-Poisson (scale = Pearson χ²/df,
//! as statsmodels `GLM(...).fit(scale="X2")`) and negative binomial NB2 with α by maximum
//! likelihood (see `negbin`). Fits many groups in parallel with rayon.

use super::linalg::{wls, LsSolution};
use super::negbin;
use crate::error::{CoreError, CoreResult};
use rayon::prelude::*;
use statrs::distribution::{ContinuousCDF, Normal};
use statrs::function::gamma::ln_gamma;

/// Model family of a log-linear count fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    Poisson,
    QuasiPoisson,
    NegBin,
}

impl Family {
    /// Parse an option string (the Python side checks it first; this guards the core).
    pub fn parse(s: &str) -> CoreResult<Family> {
        match s {
            "poisson" => Ok(Family::Poisson),
            "quasipoisson" => Ok(Family::QuasiPoisson),
            "negbin" => Ok(Family::NegBin),
            other => Err(CoreError::InvalidArgument(format!(
                "model={other:?} is not one of 'poisson', 'quasipoisson', 'negbin'"
            ))),
        }
    }
}

/// Iteration controls.
#[derive(Debug, Clone, Copy)]
pub struct GlmOptions {
    pub family: Family,
    pub maxiter: usize,
    pub tol: f64,
}

impl Default for GlmOptions {
    fn default() -> Self {
        GlmOptions {
            family: Family::Poisson,
            maxiter: 100,
            tol: 1e-10,
        }
    }
}

/// One fitted model.
#[derive(Debug, Clone)]
pub struct GlmFit {
    pub coef: Vec<f64>,
    /// Standard errors (scaled by `scale` for quasi-Poisson).
    pub se: Vec<f64>,
    /// Covariance of `coef` (p×p row-major), scaled.
    pub cov: Vec<f64>,
    /// Wald z statistics and two-sided normal p-values.
    pub z: Vec<f64>,
    pub pvalue: Vec<f64>,
    /// Pearson χ² / residual df (Poisson variance; NB2 variance μ + αμ² for negbin).
    pub dispersion: f64,
    /// Scale used for the covariance (1 for Poisson and negbin, Pearson χ²/df for quasi-Poisson).
    pub scale: f64,
    pub pearson_chi2: f64,
    pub deviance: f64,
    pub df_resid: f64,
    pub loglik: f64,
    /// NB2 α (NaN unless negbin) and its standard error from the observed information.
    pub alpha: f64,
    pub alpha_se: f64,
    pub iterations: usize,
    pub converged: bool,
    /// Why the fit should be read with care (not converged, α at its boundary, ...).
    pub note: Option<String>,
}

fn normal_p(z: f64) -> f64 {
    match Normal::new(0.0, 1.0) {
        Ok(d) if z.is_finite() => 2.0 * d.sf(z.abs()),
        _ => f64::NAN,
    }
}

/// Fill se, z and p-values from the covariance.
pub(crate) fn finish_inference(coef: &[f64], cov: &[f64]) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let p = coef.len();
    let se: Vec<f64> = (0..p).map(|j| cov[j * p + j].max(0.0).sqrt()).collect();
    let z: Vec<f64> = coef.iter().zip(&se).map(|(b, s)| b / s).collect();
    let pv = z.iter().map(|&t| normal_p(t)).collect();
    (se, z, pv)
}

pub(crate) fn poisson_loglik(y: &[f64], mu: &[f64]) -> f64 {
    y.iter()
        .zip(mu)
        .map(|(&y, &m)| {
            let ylogm = if y == 0.0 { 0.0 } else { y * m.ln() };
            ylogm - m - ln_gamma(y + 1.0)
        })
        .sum()
}

fn poisson_deviance(y: &[f64], mu: &[f64]) -> f64 {
    2.0 * y
        .iter()
        .zip(mu)
        .map(|(&y, &m)| {
            let t = if y == 0.0 { 0.0 } else { y * (y / m).ln() };
            t - (y - m)
        })
        .sum::<f64>()
}

pub(crate) fn linear_predictor(x: &[f64], p: usize, beta: &[f64], offset: &[f64]) -> Vec<f64> {
    offset
        .iter()
        .enumerate()
        .map(|(i, o)| o + (0..p).map(|j| x[i * p + j] * beta[j]).sum::<f64>())
        .collect()
}

/// Check one group's inputs; the error text is the reason reported for the group.
pub(crate) fn check_inputs(
    y: &[f64],
    x: &[f64],
    p: usize,
    offset: &[f64],
    min_n: usize,
) -> CoreResult<()> {
    let n = y.len();
    if x.len() != n * p || offset.len() != n {
        return Err(CoreError::InvalidArgument(format!(
            "design has {} values and offset {} for {n} counts and {p} columns",
            x.len(),
            offset.len()
        )));
    }
    if n < min_n {
        return Err(CoreError::Fit(format!(
            "too few points: {n} (at least {min_n} needed to estimate {p} coefficients and leave residual degrees of freedom)"
        )));
    }
    if let Some(v) = y.iter().find(|v| !v.is_finite() || **v < 0.0) {
        return Err(CoreError::Fit(format!(
            "counts must be finite and non-negative, found {v} (negative quarterly counts are adjustments for crimes reclassified out: aggregate, e.g. to annual or national totals, before fitting)"
        )));
    }
    if let Some(v) = x.iter().chain(offset).find(|v| !v.is_finite()) {
        return Err(CoreError::Fit(format!(
            "design or offset (log exposure) holds a non-finite value {v}: check exposure > 0"
        )));
    }
    if y.iter().all(|&v| v == 0.0) {
        return Err(CoreError::Fit(
            "all counts are zero: a log-linear trend has no finite estimate".into(),
        ));
    }
    Ok(())
}

/// Result of Poisson IRLS.
#[derive(Debug)]
pub(crate) struct Irls {
    pub beta: Vec<f64>,
    pub mu: Vec<f64>,
    /// WLS solution at the final weights (its inverse gives the covariance).
    pub sol: LsSolution,
    pub iterations: usize,
    pub converged: bool,
}

/// Poisson IRLS from statsmodels' starting values.
pub(crate) fn poisson_irls(
    y: &[f64],
    x: &[f64],
    p: usize,
    offset: &[f64],
    opts: &GlmOptions,
) -> CoreResult<Irls> {
    let n = y.len();
    let ybar = y.iter().sum::<f64>() / n as f64;
    // statsmodels' starting values: mu = (y + ybar) / 2
    let mut mu: Vec<f64> = y.iter().map(|v| (v + ybar) / 2.0).collect();
    let mut eta: Vec<f64> = mu.iter().map(|m| m.ln()).collect();
    let mut dev = poisson_deviance(y, &mu);
    let mut beta = vec![0.0; p];
    let mut converged = false;
    let mut it = 0;
    let singular = || {
        CoreError::Fit("design is singular (a column is constant or duplicated within the group, e.g. a quarter with no data)".into())
    };
    while it < opts.maxiter {
        it += 1;
        let z: Vec<f64> = (0..n)
            .map(|i| eta[i] - offset[i] + (y[i] - mu[i]) / mu[i])
            .collect();
        let sol = wls(x, n, p, &mu, &z).ok_or_else(singular)?;
        beta = sol.beta;
        eta = linear_predictor(x, p, &beta, offset);
        if eta.iter().any(|e| !e.is_finite() || *e > 700.0) {
            return Err(CoreError::Fit(
                "IRLS diverged (fitted counts overflow)".into(),
            ));
        }
        mu = eta.iter().map(|e| e.exp()).collect();
        let new_dev = poisson_deviance(y, &mu);
        if (new_dev - dev).abs() <= opts.tol * (1.0 + new_dev.abs()) {
            dev = new_dev;
            converged = true;
            break;
        }
        dev = new_dev;
    }
    let _ = dev;
    let sol = wls(x, n, p, &mu, &eta).ok_or_else(singular)?;
    // A fitted count vanishing next to the observed mean means an estimate is at infinity
    // (separation: zeros at one end of the series, or in every row of one quarter).
    if mu.iter().any(|&m| m < 1e-8 * ybar) {
        converged = false;
    }
    Ok(Irls {
        beta,
        mu,
        sol,
        iterations: it,
        converged,
    })
}

/// Fit one group. `x` is n×p row-major; `offset` is log exposure (zeros when none).
pub fn fit_one(
    y: &[f64],
    x: &[f64],
    p: usize,
    offset: &[f64],
    opts: &GlmOptions,
) -> CoreResult<GlmFit> {
    if opts.family == Family::NegBin {
        return negbin::fit_nb2(y, x, p, offset, opts);
    }
    // Poisson needs p points (an exact fit on p points has valid standard errors);
    // quasi-Poisson needs residual degrees of freedom for its scale.
    let min_n = if opts.family == Family::QuasiPoisson {
        p + 1
    } else {
        p
    };
    check_inputs(y, x, p, offset, min_n)?;
    let n = y.len();
    let Irls {
        beta,
        mu,
        sol,
        iterations,
        converged,
    } = poisson_irls(y, x, p, offset, opts)?;
    let pearson: f64 = y.iter().zip(&mu).map(|(y, m)| (y - m).powi(2) / m).sum();
    let df = (n - p) as f64;
    let dispersion = if n > p { pearson / df } else { f64::NAN };
    let scale = match opts.family {
        Family::QuasiPoisson => dispersion,
        _ => 1.0,
    };
    let cov: Vec<f64> = sol.xtwx_inv.iter().map(|v| v * scale).collect();
    let (se, z, pvalue) = finish_inference(&beta, &cov);
    let note = if converged {
        None
    } else {
        Some(format!(
            "did not converge in {iterations} iterations or an estimate is at infinity (a fitted count is near zero: zeros at one end of the series or in every row of one quarter)"
        ))
    };
    Ok(GlmFit {
        deviance: poisson_deviance(y, &mu),
        loglik: poisson_loglik(y, &mu),
        coef: beta,
        se,
        cov,
        z,
        pvalue,
        dispersion,
        scale,
        pearson_chi2: pearson,
        df_resid: df,
        alpha: f64::NAN,
        alpha_se: f64::NAN,
        iterations,
        converged,
        note,
    })
}

/// Check the shapes [`fit_groups`] needs: `x` holds `n * p` values, `offset` `n`, and the group
/// starts rise from 0 to `n` (so that any run of whole groups can be fitted on its own).
pub fn check_groups(
    n: usize,
    x_len: usize,
    p: usize,
    offset_len: usize,
    starts: &[usize],
) -> CoreResult<()> {
    if p == 0 || x_len != n * p || offset_len != n {
        return Err(CoreError::InvalidArgument(format!(
            "design has {x_len} values and offset {offset_len} for {n} counts and {p} columns"
        )));
    }
    if starts.is_empty()
        || starts[0] != 0
        || starts[starts.len() - 1] != n
        || starts.windows(2).any(|w| w[1] < w[0])
    {
        return Err(CoreError::InvalidArgument(
            "group starts must rise from 0 to the number of rows".into(),
        ));
    }
    Ok(())
}

/// Fit every group in parallel. Group g is rows `starts[g]..starts[g+1]`.
/// Each group gives its fit or the reason it could not be fitted.
pub fn fit_groups(
    y: &[f64],
    x: &[f64],
    p: usize,
    offset: &[f64],
    starts: &[usize],
    opts: &GlmOptions,
) -> CoreResult<Vec<CoreResult<GlmFit>>> {
    check_groups(y.len(), x.len(), p, offset.len(), starts)?;
    Ok(starts
        .par_windows(2)
        .map(|w| {
            let (a, b) = (w[0], w[1]);
            fit_one(&y[a..b], &x[a * p..b * p], p, &offset[a..b], opts)
        })
        .collect())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn line(t: &[f64]) -> Vec<f64> {
        t.iter().flat_map(|&v| [1.0, v]).collect()
    }

    #[test]
    fn two_points_give_the_exact_ratio() {
        // On two points the MLE reproduces them: b = ln(4373 / 3217).
        let y = [3217.0, 4373.0];
        let x = line(&[0.0, 1.0]);
        let opts = GlmOptions::default();
        let f = fit_one(&y, &x, 2, &[0.0; 2], &opts).unwrap();
        assert!((f.coef[1] - (4373f64 / 3217.0).ln()).abs() < 1e-9);
        // se of a log ratio of two Poisson counts: sqrt(1/3217 + 1/4373)
        assert!((f.se[1] - (1.0 / 3217.0 + 1.0 / 4373.0f64).sqrt()).abs() < 1e-9);
        assert!(f.dispersion.is_nan());
        // quasi-Poisson needs a residual degree of freedom
        let q = GlmOptions {
            family: Family::QuasiPoisson,
            ..opts
        };
        assert!(fit_one(&y, &x, 2, &[0.0; 2], &q).is_err());
        let y3 = [100.0, 200.0, 400.0];
        let f = fit_one(&y3, &line(&[0.0, 1.0, 2.0]), 2, &[0.0; 3], &opts).unwrap();
        assert!((f.coef[1] - 2f64.ln()).abs() < 1e-9);
        assert!((f.coef[0] - 100f64.ln()).abs() < 1e-9);
        assert!(f.converged);
        assert!(f.deviance.abs() < 1e-9);
    }

    #[test]
    fn poisson_se_matches_closed_form_for_intercept_only() {
        // intercept-only Poisson: b = ln(ybar), se = 1/sqrt(sum y)
        let y = [3.0, 5.0, 10.0];
        let f = fit_one(&y, &[1.0, 1.0, 1.0], 1, &[0.0; 3], &GlmOptions::default()).unwrap();
        assert!((f.coef[0] - 6f64.ln()).abs() < 1e-10);
        assert!((f.se[0] - 1.0 / 18f64.sqrt()).abs() < 1e-10);
        // quasi-Poisson: Pearson = (9 + 1 + 16)/6 = 26/6, df = 2
        let q = GlmOptions {
            family: Family::QuasiPoisson,
            ..GlmOptions::default()
        };
        let g = fit_one(&y, &[1.0, 1.0, 1.0], 1, &[0.0; 3], &q).unwrap();
        let scale: f64 = 26.0 / 6.0 / 2.0;
        assert!((g.scale - scale).abs() < 1e-12);
        assert!((g.se[0] - (scale / 18.0).sqrt()).abs() < 1e-10);
    }

    #[test]
    fn bad_groups_get_reasons_not_panics() {
        let opts = GlmOptions::default();
        let y = [0.0, 0.0, 0.0];
        let x = line(&[0.0, 1.0, 2.0]);
        let r = fit_groups(&y, &x, 2, &[0.0; 3], &[0, 3], &opts).unwrap();
        assert!(r[0]
            .as_ref()
            .unwrap_err()
            .to_string()
            .contains("all counts are zero"));
        let r = fit_groups(&[1.0, 2.0, 3.0], &x, 2, &[0.0; 3], &[0, 1, 3], &opts).unwrap();
        assert!(r[1].is_ok());
        assert!(r[0]
            .as_ref()
            .unwrap_err()
            .to_string()
            .contains("too few points"));
        assert!(fit_groups(&[1.0], &x, 2, &[0.0; 3], &[0, 1], &opts).is_err());
    }
}
