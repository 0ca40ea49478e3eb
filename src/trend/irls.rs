//! The pieces every log-linear count fit shares: the model family and options, the fitted
//! result, input checks, Poisson IRLS (also the start of the negative binomial fit) and the
//! Poisson/quasi-Poisson fit itself. `glm` dispatches on the family; `negbin` builds on this
//! module. Neither imports the other's internals, so there is no import circle.

use super::existence::separated_zeros;
use super::linalg::{LsSolution, WlsWork};
use crate::error::{CoreError, CoreResult};
use statrs::distribution::{ContinuousCDF, Normal};
use statrs::function::gamma::ln_gamma;
use std::sync::OnceLock;

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

impl std::str::FromStr for Family {
    type Err = CoreError;
    fn from_str(s: &str) -> CoreResult<Family> {
        Family::parse(s)
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

/// Counts below this have ln(y!) looked up in a table worked out once.
const LN_FACTORIALS: usize = 4096;

/// ln(y!) as `ln_gamma(y + 1)`: for whole counts below [`LN_FACTORIALS`] the very same value
/// read from a table (computed on first use), as a fit of many short series asks for the same
/// few hundred counts again and again.
pub(crate) fn ln_factorial(y: f64) -> f64 {
    static TABLE: OnceLock<Vec<f64>> = OnceLock::new();
    if (0.0..LN_FACTORIALS as f64).contains(&y) && y.fract() == 0.0 {
        let table = TABLE.get_or_init(|| {
            (0..LN_FACTORIALS)
                .map(|k| ln_gamma(k as f64 + 1.0))
                .collect()
        });
        if let Some(v) = table.get(y as usize) {
            return *v;
        }
    }
    ln_gamma(y + 1.0)
}

pub(crate) fn poisson_loglik(y: &[f64], mu: &[f64]) -> f64 {
    y.iter()
        .zip(mu)
        .map(|(&y, &m)| {
            let ylogm = if y == 0.0 { 0.0 } else { y * m.ln() };
            ylogm - m - ln_factorial(y)
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
    let mut eta = vec![0.0; offset.len()];
    linear_predictor_into(x, p, beta, offset, &mut eta);
    eta
}

/// [`linear_predictor`] written into `eta` (length n).
fn linear_predictor_into(x: &[f64], p: usize, beta: &[f64], offset: &[f64], eta: &mut [f64]) {
    for (i, (e, o)) in eta.iter_mut().zip(offset).enumerate() {
        *e = o + (0..p).map(|j| x[i * p + j] * beta[j]).sum::<f64>();
    }
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
    /// False when IRLS did not converge or the estimate does not exist (separation).
    pub converged: bool,
    /// Why the fit is not converged (None when it is).
    pub note: Option<String>,
    /// The estimate does not exist (separated zeros); `note` names them.
    pub separated: bool,
}

/// Points as 1-based positions with runs joined: `[0, 1, 2, 5]` -> "1-3, 6".
fn positions(idx: &[usize]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < idx.len() {
        let mut j = i;
        while j + 1 < idx.len() && idx[j + 1] == idx[j] + 1 {
            j += 1;
        }
        parts.push(if j > i {
            format!("{}-{}", idx[i] + 1, idx[j] + 1)
        } else {
            format!("{}", idx[i] + 1)
        });
        i = j + 1;
    }
    parts.join(", ")
}

/// The reason given when the maximum likelihood estimate does not exist.
pub(crate) fn separation_note(separated: &[usize], n: usize) -> String {
    format!(
        "the fit cannot converge: an estimate is at infinity (no finite estimate exists), because the zero count(s) at point(s) {} of {n} are fitted exactly only by a fitted count of 0 (separation: e.g. zeros at one end of the series, or in every row of one quarter)",
        positions(separated)
    )
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
    // one set of buffers for every iteration's working response and least-squares solve
    let mut z = vec![0.0; n];
    let mut work = WlsWork::default();
    while it < opts.maxiter {
        it += 1;
        for (i, zi) in z.iter_mut().enumerate() {
            *zi = eta[i] - offset[i] + (y[i] - mu[i]) / mu[i];
        }
        if !work.solve(x, n, p, &mu, &z) {
            return Err(singular());
        }
        linear_predictor_into(x, p, &work.beta, offset, &mut eta);
        if eta.iter().any(|e| !e.is_finite() || *e > 700.0) {
            return Err(CoreError::Fit(
                "IRLS diverged (fitted counts overflow)".into(),
            ));
        }
        for (m, e) in mu.iter_mut().zip(&eta) {
            *m = e.exp();
        }
        let new_dev = poisson_deviance(y, &mu);
        if (new_dev - dev).abs() <= opts.tol * (1.0 + new_dev.abs()) {
            dev = new_dev;
            converged = true;
            break;
        }
        dev = new_dev;
    }
    let _ = dev;
    if it > 0 {
        beta.copy_from_slice(&work.beta);
    }
    if !work.solve(x, n, p, &mu, &eta) {
        return Err(singular());
    }
    let sol = LsSolution {
        beta: work.beta,
        xtwx_inv: work.inv,
    };
    // An estimate at infinity is decided by the data and the design, not by how small a
    // fitted count became: extreme but finite fits ([4410, 1, 1, 1]) stand.
    let separated = separated_zeros(y, x, p);
    let note = if !separated.is_empty() {
        converged = false;
        Some(separation_note(&separated, n))
    } else if !converged {
        Some(format!("did not converge in {it} iterations"))
    } else {
        None
    };
    Ok(Irls {
        beta,
        mu,
        sol,
        iterations: it,
        converged,
        note,
        separated: !separated.is_empty(),
    })
}

/// Poisson or quasi-Poisson fit of one group (negative binomial: `negbin::fit_nb2`).
/// `x` is n×p row-major; `offset` is log exposure (zeros when none).
pub fn fit_poisson(
    y: &[f64],
    x: &[f64],
    p: usize,
    offset: &[f64],
    opts: &GlmOptions,
) -> CoreResult<GlmFit> {
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
        note,
        ..
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn options_parse_in_the_core() {
        assert_eq!(
            "quasipoisson".parse::<Family>().unwrap(),
            Family::QuasiPoisson
        );
        assert_eq!("negbin".parse::<Family>().unwrap(), Family::NegBin);
        let e = "Poisson".parse::<Family>().unwrap_err().to_string();
        assert!(e.contains("'poisson', 'quasipoisson', 'negbin'"), "{e}");
    }

    fn line(n: usize) -> Vec<f64> {
        (0..n).flat_map(|t| [1.0, t as f64]).collect()
    }

    #[test]
    fn an_extreme_but_finite_fit_is_kept() {
        // statsmodels 0.15 GLM(Poisson).fit(tol=1e-14) on t = 0..3: the fitted count at t = 3
        // is 1.1e-5, below 1e-8 x the mean, and the estimate is finite
        let f = fit_poisson(
            &[4410.0, 1.0, 1.0, 1.0],
            &line(4),
            2,
            &[0.0; 4],
            &GlmOptions::default(),
        )
        .unwrap();
        assert!(f.converged && f.note.is_none(), "{:?}", f.note);
        let rel = |a: f64, b: f64| ((a - b) / b).abs();
        assert!(rel(f.coef[0], 8.390_951_313_398_176) < 1e-9);
        assert!(rel(f.coef[1], -6.601_909_225_917_371) < 1e-9);
        assert!(rel(f.se[0], 0.015_063_561_782_087_582) < 1e-7);
        assert!(rel(f.se[1], 0.407_971_048_122_346_3) < 1e-7);
    }

    #[test]
    fn separated_zeros_are_not_converged_with_the_points_named() {
        let y = [0.0, 0.0, 0.0, 0.0, 7.0];
        for family in [Family::Poisson, Family::QuasiPoisson] {
            let opts = GlmOptions {
                family,
                ..GlmOptions::default()
            };
            let f = fit_poisson(&y, &line(5), 2, &[0.0; 5], &opts).unwrap();
            assert!(!f.converged);
            let note = f.note.unwrap();
            assert!(
                note.contains("point(s) 1-4 of 5") && note.contains("separation"),
                "{note}"
            );
        }
        assert_eq!(positions(&[0, 1, 2, 5, 7, 8]), "1-3, 6, 8-9");
    }

    #[test]
    fn ln_factorial_is_ln_gamma_bit_for_bit() {
        for y in [
            0.0, 1.0, 2.0, 17.0, 170.0, 4095.0, 4096.0, 10_000.0, 2.5, 1e300,
        ] {
            assert_eq!(
                ln_factorial(y).to_bits(),
                ln_gamma(y + 1.0).to_bits(),
                "{y}"
            );
        }
        // ln(5!) = ln 120
        assert!((ln_factorial(5.0) - 120f64.ln()).abs() < 1e-12);
    }
}
