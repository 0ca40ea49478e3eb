//! Log-linear count models fitted by IRLS: Poisson, quasi-Poisson (scale = Pearson χ²/df,
//! as statsmodels `GLM(...).fit(scale="X2")`) and negative binomial NB2 with α by maximum
//! likelihood (see `negbin`). Fits many groups in parallel with rayon. The shared pieces
//! (family, options, result, Poisson IRLS) live in `irls`.

pub use super::irls::{Family, GlmFit, GlmOptions};
use super::{irls, negbin};
use crate::error::{CoreError, CoreResult};
use rayon::prelude::*;

/// Fit one group. `x` is n×p row-major; `offset` is log exposure (zeros when none).
pub fn fit_one(
    y: &[f64],
    x: &[f64],
    p: usize,
    offset: &[f64],
    opts: &GlmOptions,
) -> CoreResult<GlmFit> {
    match opts.family {
        Family::NegBin => negbin::fit_nb2(y, x, p, offset, opts),
        Family::Poisson | Family::QuasiPoisson => irls::fit_poisson(y, x, p, offset, opts),
    }
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
