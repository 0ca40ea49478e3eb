//! Funnel-plot control limits around a national value (Spiegelhalter 2005; PHE Fingertips).
//!
//! * Rates (counts over a population): exact Poisson limits. At denominator `n` the expected
//!   count is `E = national * n`; the upper limit is the (continuous) count `x_U` whose exact
//!   lower confidence limit equals `E`, i.e. `P(x_U, E) = alpha / 2` with `P` the regularised
//!   lower incomplete gamma function; the lower limit `x_L` has exact upper confidence limit
//!   `E`: `P(x_L + 1, E) = 1 - alpha / 2` (0 when no such count exists). A count is outside the
//!   limits exactly when its own exact interval excludes the national value, which is the
//!   PHE convention (`PHStatsMethods.calculate_funnel_limits` draws the same curves).
//! * Proportions: the Wilson score limits inverted, `p0 +/- z sqrt(p0 (1 - p0) / n)` (PHE's
//!   `sigma_adjustment`), clipped to [0, 1].
//! * Overdispersion (Spiegelhalter 2005, as FunnelPlotR): z-scores on a variance-stabilising
//!   scale (square root of the standardised ratio for rates, arcsine square root for
//!   proportions), winsorised at `trim` / `1 - trim` (quantile type 7), `phi = mean(z^2)`,
//!   DerSimonian-Laird `tau^2 = (I phi - (I - 1)) / (sum w - sum w^2 / sum w)`, `w = 1 / s^2`;
//!   limits `target +/- z sqrt(s^2 + tau^2)` transformed back.
//!
//! Pure Rust, no pyo3.

use crate::error::{CoreError, CoreResult};
use crate::intervals::z_two_sided;
use rayon::prelude::*;
use statrs::function::gamma::checked_gamma_lr;

/// What the funnel is drawn for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FunnelKind {
    /// Counts over a population (Poisson).
    Rate,
    /// Counts over a number of trials (binomial).
    Proportion,
}

impl FunnelKind {
    /// Parse `"rate"` or `"proportion"`.
    pub fn parse(s: &str) -> CoreResult<Self> {
        match s {
            "rate" => Ok(Self::Rate),
            "proportion" => Ok(Self::Proportion),
            other => Err(CoreError::InvalidArgument(format!(
                "statistic must be 'rate' or 'proportion', got '{other}'"
            ))),
        }
    }
}

impl std::str::FromStr for FunnelKind {
    type Err = CoreError;
    fn from_str(s: &str) -> CoreResult<Self> {
        Self::parse(s)
    }
}

/// Regularised lower incomplete gamma `P(a, x)`; NaN outside its domain.
fn p_gamma(a: f64, x: f64) -> f64 {
    if a > 1e8 && x > 1e8 {
        // statrs' incomplete gamma costs O(sqrt(a)): a funnel with counts near 2^62 took
        // minutes (found by tests/test_hostile.py). Wilson-Hilferty is exact to ~1e-11 here.
        use statrs::distribution::{ContinuousCDF as _, Normal};
        let z = ((x / a).cbrt() - (1.0 - 1.0 / (9.0 * a))) * 3.0 * a.sqrt();
        return Normal::standard().cdf(z);
    }
    checked_gamma_lr(a, x).unwrap_or(f64::NAN)
}

/// Solve `P(a, e) = target` for the shape `a > 0` (`P` decreases in `a`).
///
/// Bracketed Illinois false position on `ln a`, falling back to bisection; relative
/// tolerance 1e-14 on `a`.
fn solve_shape(e: f64, target: f64) -> f64 {
    let f = |ln_a: f64| p_gamma(ln_a.exp(), e) - target;
    let mut lo = (1e-12_f64).ln();
    let mut f_lo = f(lo);
    if f_lo.is_nan() || f_lo <= 0.0 {
        // P(a, e) never rises above the target: the solution is below 1e-12.
        return 0.0;
    }
    let mut hi = (e + 10.0 * e.sqrt() + 30.0).ln();
    let mut f_hi = f(hi);
    let mut guard = 0;
    while f_hi > 0.0 && guard < 60 {
        hi += std::f64::consts::LN_2;
        f_hi = f(hi);
        guard += 1;
    }
    if f_hi.is_nan() || f_hi > 0.0 {
        return f64::NAN;
    }
    let mut side = 0i8;
    for _ in 0..300 {
        if hi - lo <= 1e-14 * hi.abs().max(1.0) {
            break;
        }
        let mut mid = (lo * f_hi - hi * f_lo) / (f_hi - f_lo);
        if !mid.is_finite() || mid <= lo || mid >= hi {
            mid = 0.5 * (lo + hi);
        }
        let f_mid = f(mid);
        if f_mid.is_nan() {
            return f64::NAN;
        }
        if f_mid == 0.0 {
            return mid.exp();
        }
        if f_mid > 0.0 {
            lo = mid;
            f_lo = f_mid;
            if side == -1 {
                f_hi /= 2.0;
            }
            side = -1;
        } else {
            hi = mid;
            f_hi = f_mid;
            if side == 1 {
                f_lo /= 2.0;
            }
            side = 1;
        }
    }
    (0.5 * (lo + hi)).exp()
}

/// Exact Poisson control limits on the count scale around an expected count.
///
/// Returns `(x_L, x_U)`: counts below `x_L` are significantly low and counts above `x_U`
/// significantly high at the given two-sided confidence level.
pub fn poisson_count_limits(expected: f64, confidence: f64) -> CoreResult<(f64, f64)> {
    crate::intervals::check_confidence(confidence)?;
    if !expected.is_finite() || expected < 0.0 {
        return Ok((f64::NAN, f64::NAN));
    }
    if expected == 0.0 {
        return Ok((0.0, 0.0));
    }
    let alpha = 1.0 - confidence;
    let upper = solve_shape(expected, alpha / 2.0);
    let lower = (solve_shape(expected, 1.0 - alpha / 2.0) - 1.0).max(0.0);
    Ok((lower, upper))
}

/// Limits (lower per level, upper per level) at every denominator.
pub type Limits = (Vec<Vec<f64>>, Vec<Vec<f64>>);

fn check_national(kind: FunnelKind, national: f64) -> CoreResult<()> {
    let ok = match kind {
        FunnelKind::Rate => national.is_finite() && national >= 0.0,
        FunnelKind::Proportion => (0.0..=1.0).contains(&national),
    };
    if ok {
        Ok(())
    } else {
        Err(CoreError::InvalidArgument(format!(
            "the national value must be {}, got {national}",
            match kind {
                FunnelKind::Rate => "a non-negative rate per unit of denominator",
                FunnelKind::Proportion => "a proportion between 0 and 1",
            }
        )))
    }
}

fn check_tau2(tau2: f64) -> CoreResult<()> {
    if tau2.is_finite() && tau2 >= 0.0 {
        Ok(())
    } else {
        Err(CoreError::InvalidArgument(format!(
            "tau2 must be a non-negative number, got {tau2}"
        )))
    }
}

/// Control limits at each denominator, multiplied by `scale`.
///
/// `national` is per unit of denominator (a rate per person or a proportion). With
/// `tau2 = Some(t)` the limits are the overdispersion-adjusted ones (random effects with
/// between-area variance `t` on the transformed scale); with `None` they are exact Poisson
/// (rates) or Wilson (proportions). Denominators that are not positive give NaN limits.
pub fn funnel_limits(
    kind: FunnelKind,
    national: f64,
    denominators: &[f64],
    confidences: &[f64],
    scale: f64,
    tau2: Option<f64>,
) -> CoreResult<Limits> {
    check_national(kind, national)?;
    if let Some(t) = tau2 {
        check_tau2(t)?;
    }
    if !(scale.is_finite() && scale > 0.0) {
        return Err(CoreError::InvalidArgument(format!(
            "the multiplier must be a positive number, got {scale}"
        )));
    }
    if confidences.is_empty() {
        return Err(CoreError::InvalidArgument(
            "at least one confidence level is needed".into(),
        ));
    }
    let mut lower = Vec::with_capacity(confidences.len());
    let mut upper = Vec::with_capacity(confidences.len());
    for &conf in confidences {
        let z = z_two_sided(conf)?;
        let (lo, hi): (Vec<f64>, Vec<f64>) = denominators
            .par_iter()
            .with_min_len(32)
            .map(|&n| {
                if !(n.is_finite() && n > 0.0) {
                    return (f64::NAN, f64::NAN);
                }
                let (l, u) = match (kind, tau2) {
                    (FunnelKind::Rate, None) => {
                        let (xl, xu) = poisson_count_limits(national * n, conf)
                            .unwrap_or((f64::NAN, f64::NAN));
                        (xl / n, xu / n)
                    }
                    (FunnelKind::Rate, Some(t)) => {
                        let e = national * n;
                        let sd = (1.0 / (4.0 * e) + t).sqrt();
                        let lo = (1.0 - z * sd).max(0.0);
                        let hi = 1.0 + z * sd;
                        (national * lo * lo, national * hi * hi)
                    }
                    (FunnelKind::Proportion, None) => {
                        let half = z * (national * (1.0 - national) / n).sqrt();
                        ((national - half).max(0.0), (national + half).min(1.0))
                    }
                    (FunnelKind::Proportion, Some(t)) => {
                        let target = national.sqrt().asin();
                        let sd = (1.0 / (4.0 * n) + t).sqrt();
                        let half_pi = std::f64::consts::FRAC_PI_2;
                        let lo = (target - z * sd).clamp(0.0, half_pi).sin();
                        let hi = (target + z * sd).clamp(0.0, half_pi).sin();
                        (lo * lo, hi * hi)
                    }
                };
                (l * scale, u * scale)
            })
            .unzip();
        lower.push(lo);
        upper.push(hi);
    }
    Ok((lower, upper))
}

/// z-scores on the variance-stabilising scale and their standard errors.
///
/// Rates: `Y = sqrt(O / E)`, `E = national * n`, target 1, `s = 1 / (2 sqrt(E))`.
/// Proportions: `Y = asin(sqrt(p))`, target `asin(sqrt(national))`, `s = 1 / (2 sqrt(n))`.
/// Rows with unusable count or denominator give NaN.
pub fn transformed_zscores(
    kind: FunnelKind,
    counts: &[f64],
    denominators: &[f64],
    national: f64,
) -> CoreResult<(Vec<f64>, Vec<f64>)> {
    check_national(kind, national)?;
    if counts.len() != denominators.len() {
        return Err(CoreError::InvalidArgument(format!(
            "funnel: counts has {} values but denominators has {}",
            counts.len(),
            denominators.len()
        )));
    }
    Ok(counts
        .iter()
        .zip(denominators)
        .map(|(&x, &n)| {
            if !(x.is_finite() && x >= 0.0 && n.is_finite() && n > 0.0) {
                return (f64::NAN, f64::NAN);
            }
            match kind {
                FunnelKind::Rate => {
                    let e = national * n;
                    let s = 1.0 / (2.0 * e.sqrt());
                    (((x / e).sqrt() - 1.0) / s, s)
                }
                FunnelKind::Proportion => {
                    if x > n {
                        return (f64::NAN, f64::NAN);
                    }
                    let s = 1.0 / (2.0 * n.sqrt());
                    let y = (x / n).sqrt().asin();
                    ((y - national.sqrt().asin()) / s, s)
                }
            }
        })
        .unzip())
}

/// Quantile of sorted data, R type 7 (linear interpolation, numpy's default).
fn quantile_type7(sorted: &[f64], p: f64) -> f64 {
    let n = sorted.len();
    if n == 0 {
        return f64::NAN;
    }
    let h = (n - 1) as f64 * p;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(n - 1);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

/// Result of the overdispersion estimate.
#[derive(Debug, Clone, PartialEq)]
pub struct Overdispersion {
    /// Dispersion ratio: mean of the squared winsorised z-scores.
    pub phi: f64,
    /// Between-area variance on the transformed scale (0 when `I phi <= I - 1`).
    pub tau2: f64,
    /// Number of areas used.
    pub areas: usize,
    /// Winsorised z-scores, aligned with the input (NaN where the input was NaN).
    pub winsorised: Vec<f64>,
}

/// Spiegelhalter (2005) overdispersion estimate from z-scores and standard errors.
///
/// NaN z-scores (unusable rows) are left out. Needs at least two areas.
pub fn overdispersion(z: &[f64], s: &[f64], trim: f64) -> CoreResult<Overdispersion> {
    if z.len() != s.len() {
        return Err(CoreError::InvalidArgument(format!(
            "overdispersion: {} z-scores but {} standard errors",
            z.len(),
            s.len()
        )));
    }
    if !(0.0..0.5).contains(&trim) {
        return Err(CoreError::InvalidArgument(format!(
            "trim must be in [0, 0.5), got {trim}"
        )));
    }
    let mut sorted: Vec<f64> = z.iter().copied().filter(|v| v.is_finite()).collect();
    let areas = sorted.len();
    if areas < 2 {
        return Err(CoreError::Fit(format!(
            "overdispersion needs at least 2 areas with a usable count and denominator, got {areas}"
        )));
    }
    sorted.sort_by(f64::total_cmp);
    let lz = quantile_type7(&sorted, trim);
    let uz = quantile_type7(&sorted, 1.0 - trim);
    let winsorised: Vec<f64> = z
        .iter()
        .map(|&v| {
            if v.is_finite() {
                v.clamp(lz, uz)
            } else {
                f64::NAN
            }
        })
        .collect();
    let i = areas as f64;
    let phi = winsorised
        .iter()
        .filter(|v| v.is_finite())
        .map(|v| v * v)
        .sum::<f64>()
        / i;
    let tau2 = if i * phi < i - 1.0 {
        0.0
    } else {
        let (sw, sw2) =
            z.iter()
                .zip(s)
                .filter(|(v, _)| v.is_finite())
                .fold((0.0, 0.0), |(a, b), (_, &se)| {
                    let w = 1.0 / (se * se);
                    (a + w, b + w * w)
                });
        ((i * phi - (i - 1.0)) / (sw - sw2 / sw)).max(0.0)
    };
    Ok(Overdispersion {
        phi,
        tau2,
        areas,
        winsorised,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::intervals::exact_poisson;

    fn close(a: f64, b: f64, rel: f64) -> bool {
        (a - b).abs() <= rel * b.abs().max(1e-300)
    }

    #[test]
    fn poisson_limits_invert_exact_intervals() {
        for &e in &[0.5, 3.0, 20.0, 351.0, 4429.0] {
            for &c in &[0.95, 0.998] {
                let (xl, xu) = poisson_count_limits(e, c).unwrap();
                // the exact lower limit of x_U, and the exact upper limit of x_L, equal E
                assert!(close(exact_poisson(xu, c).0, e, 1e-10), "{e} {c} {xu}");
                if xl > 0.0 {
                    assert!(close(exact_poisson(xl, c).1, e, 1e-10), "{e} {c} {xl}");
                }
                assert!(xl < e && e < xu);
            }
        }
        // with E = 0.5 even a zero count is not significantly low
        assert_eq!(poisson_count_limits(0.5, 0.95).unwrap().0, 0.0);
    }

    #[test]
    fn proportion_limits_are_score_limits() {
        let (lo, hi) =
            funnel_limits(FunnelKind::Proportion, 0.3, &[50.0], &[0.95], 1.0, None).unwrap();
        let half = 1.959_963_984_540_054 * (0.3_f64 * 0.7 / 50.0).sqrt();
        assert!(close(lo[0][0], 0.3 - half, 1e-12));
        assert!(close(hi[0][0], 0.3 + half, 1e-12));
    }

    #[test]
    fn od_with_zero_tau_is_close_to_exact() {
        let (lo, hi) =
            funnel_limits(FunnelKind::Rate, 1e-3, &[1e6], &[0.95], 1.0, Some(0.0)).unwrap();
        let (elo, ehi) = funnel_limits(FunnelKind::Rate, 1e-3, &[1e6], &[0.95], 1.0, None).unwrap();
        assert!(
            close(lo[0][0], elo[0][0], 2e-3) && close(hi[0][0], ehi[0][0], 2e-3),
            "{lo:?} {elo:?} {hi:?} {ehi:?}"
        );
    }

    // Hand-worked: z = [-2, -1, 0, 1, 2], trim 0.1 -> quantiles -1.6 and 1.6,
    // winsorised [-1.6, -1, 0, 1, 1.6], phi = (2.56 * 2 + 2) / 5 = 1.424,
    // all s = 0.1 -> w = 100, sum w = 500, sum w^2 / sum w = 100,
    // tau2 = (5 * 1.424 - 4) / 400 = 0.0078.
    #[test]
    fn overdispersion_hand_worked() {
        let od = overdispersion(&[-2.0, -1.0, 0.0, 1.0, 2.0], &[0.1; 5], 0.1).unwrap();
        assert!(close(od.phi, 1.424, 1e-12), "{}", od.phi);
        assert!(close(od.tau2, 0.0078, 1e-12), "{}", od.tau2);
        assert!(overdispersion(&[1.0], &[0.1], 0.1).is_err());
        let none = overdispersion(&[0.1, -0.1, 0.0], &[0.1; 3], 0.1).unwrap();
        assert_eq!(none.tau2, 0.0);
    }

    #[test]
    fn bad_arguments() {
        assert!(FunnelKind::parse("ratio").is_err());
        assert!(funnel_limits(FunnelKind::Proportion, 1.5, &[1.0], &[0.95], 1.0, None).is_err());
        assert!(funnel_limits(FunnelKind::Rate, 0.1, &[1.0], &[0.95], 1.0, Some(-1.0)).is_err());
        let (lo, _) = funnel_limits(FunnelKind::Rate, 0.1, &[0.0], &[0.95], 1.0, None).unwrap();
        assert!(lo[0][0].is_nan());
    }
}
