//! Comparability of two joinpoint series (Kim, Fay, Yu, Barrett & Feuer 2004, "Comparability
//! of segmented line regression models", Biometrics 60: 1005-1014; the NCI Joinpoint program's
//! "pairwise comparison"): are the two mean functions identical (test of coincidence) or
//! parallel, allowing different intercepts (test of parallelism)?
//!
//! Both series are fitted with the same number of joinpoints `k` (the program's K_max). The
//! alternative fits each series on its own (its own joinpoints, intercept and slopes); the
//! null fits the two pooled: one joinpoint regression for both (coincidence) or common
//! joinpoints and slopes with an intercept per series (parallelism). The statistic is
//! (SSE_null - SSE_alt) / SSE_alt, on ln(value) with the series' least-squares weights, and
//! its p-value comes from permutations as in the program's model-selection tests: the
//! null fit's (weighted) residuals are shuffled over the pooled observations and added back to
//! its fitted values, and both models are refitted (joinpoints searched again) on every
//! permuted data set. An F approximation with the joinpoints counted as parameters (the
//! program's p = 2k + 2 per series) is given beside it.
//!
//! The two series must be observed at the same times; the joinpoints of the pooled fits are
//! on those times, with the spacing rules counted in times.
#![allow(clippy::needless_range_loop)] // index arithmetic over observations

use super::joinpoint::{chunked_with, SplitMix64, GRID_LIMIT};
use super::jp_search::{count_sets, JoinGrid, Scratch, MAX_JOINS};
use super::linalg::wls;
use crate::error::{CoreError, CoreResult};
use statrs::distribution::{ContinuousCDF, FisherSnedecor};

/// What the null hypothesis shares between the two series.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Null {
    /// One mean function for both (same joinpoints, intercept and slopes).
    Coincidence,
    /// Same joinpoints and slopes, an intercept per series.
    Parallel,
}

impl Null {
    pub fn parse(s: &str) -> CoreResult<Null> {
        match s {
            "coincidence" => Ok(Null::Coincidence),
            "parallel" | "parallelism" => Ok(Null::Parallel),
            _ => Err(CoreError::InvalidArgument(format!(
                "test={s:?}: expected 'coincidence' or 'parallelism'"
            ))),
        }
    }
}

/// One comparability test.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    pub null: Null,
    /// Joinpoints of every fit (the program's K_max).
    pub joins: usize,
    /// (SSE_null - SSE_alt) / SSE_alt.
    pub statistic: f64,
    /// Permutation p-value, (exceeding + 1) / (permutations + 1).
    pub pvalue: f64,
    pub n_perm: usize,
    pub sse_null: f64,
    pub sse_alt: f64,
    /// F approximation: ((SSE_null - SSE_alt) / df_num) / (SSE_alt / df_den).
    pub f_statistic: f64,
    pub df_num: usize,
    pub df_den: usize,
    pub f_pvalue: f64,
    /// Joinpoints (times) of the null fit, and of each series' own fit.
    pub joins_null: Vec<f64>,
    pub joins_a: Vec<f64>,
    pub joins_b: Vec<f64>,
}

/// Seed of one permutation of a comparability test (its own stream, apart from the
/// model-selection tests').
fn compare_seed(seed: u64, null: Null, i: usize) -> u64 {
    let tag = match null {
        Null::Coincidence => 0xC01D_u64,
        Null::Parallel => 0x9A7A_u64,
    };
    let mut s = SplitMix64::new(seed ^ 0xBB67_AE85_84CA_A73B ^ tag.wrapping_mul(0x9E37_79B9));
    let h = s.next_u64();
    SplitMix64::new(h ^ (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)).next_u64()
}

#[derive(Default)]
struct Work {
    e: Vec<f64>,
    zs: Vec<f64>,
    za: Vec<f64>,
    zb: Vec<f64>,
    sc: Scratch,
}

/// Test `null` for series a and b observed at times `t` (strictly increasing, the same for
/// both): `za`, `zb` are ln(values), `wa`, `wb` their least-squares weights, `k` the number of
/// joinpoints of every fit. `cancel` is polled between chunks of permutations.
#[allow(clippy::too_many_arguments)]
pub fn compare(
    t: &[f64],
    za: &[f64],
    wa: &[f64],
    zb: &[f64],
    wb: &[f64],
    k: usize,
    min_end: usize,
    min_between: usize,
    null: Null,
    n_perm: usize,
    seed: u64,
    cancel: &(dyn Fn() -> bool + Sync),
) -> CoreResult<Comparison> {
    let n = t.len();
    if [za.len(), wa.len(), zb.len(), wb.len()]
        .iter()
        .any(|&m| m != n)
    {
        return Err(CoreError::InvalidArgument(
            "the two series must have one value and one weight per time".into(),
        ));
    }
    if t.windows(2).any(|v| v[1] <= v[0]) || t.iter().any(|v| !v.is_finite()) {
        return Err(CoreError::Fit(
            "times must be finite and strictly increasing".into(),
        ));
    }
    let finite = |v: &[f64]| v.iter().all(|x| x.is_finite());
    if !(finite(za) && finite(zb)) || wa.iter().chain(wb).any(|w| !(w.is_finite() && *w > 0.0)) {
        return Err(CoreError::Fit(
            "values must be positive and weights positive and finite".into(),
        ));
    }
    if n_perm == 0 {
        return Err(CoreError::InvalidArgument(
            "n_permutations must be at least 1".into(),
        ));
    }
    // before any arithmetic on k: a huge k must not overflow, and the grid holds every set of
    // up to k joinpoints, so an exhaustive search of too many would exhaust memory
    if k > MAX_JOINS {
        return Err(CoreError::InvalidArgument(format!(
            "joins must be at most {MAX_JOINS}, got {k}"
        )));
    }
    let sets = count_sets(n, k, min_end, min_between);
    if sets > GRID_LIMIT {
        return Err(CoreError::Fit(format!(
            "{n} times with {k} joinpoints give {sets:.0} candidate joinpoint sets: too many for an exhaustive grid search (limit {GRID_LIMIT:.0}); lower joins"
        )));
    }
    let need = super::joinpoint::min_points(k, min_end, min_between);
    let p_alt = 2 * (2 * k + 2);
    if n < need || 2 * n <= p_alt {
        return Err(CoreError::Fit(format!(
            "{n} times are too few for {k} joinpoint(s) in each series (at least {} needed, with {min_end} times to either end and {min_between} between joinpoints, and more observations than the {p_alt} parameters of the two separate fits)",
            need.max(p_alt / 2 + 1)
        )));
    }
    let singular = || CoreError::Fit("the design is singular".into());
    let ga = JoinGrid::new(t, wa, &[], k, min_end, min_between).ok_or_else(singular)?;
    let gb = JoinGrid::new(t, wb, &[], k, min_end, min_between).ok_or_else(singular)?;
    // pooled rows: time by time, series a then b
    let tp: Vec<f64> = t.iter().flat_map(|&v| [v, v]).collect();
    let wp: Vec<f64> = (0..n).flat_map(|i| [wa[i], wb[i]]).collect();
    let zp: Vec<f64> = (0..n).flat_map(|i| [za[i], zb[i]]).collect();
    let fixed: Vec<Vec<f64>> = match null {
        Null::Coincidence => vec![],
        Null::Parallel => vec![(0..2 * n).map(|r| (r % 2) as f64).collect()],
    };
    let gp =
        JoinGrid::new_pooled(&tp, &wp, &fixed, k, min_end, min_between, 2).ok_or_else(singular)?;

    let sse_alt_of = |a: &[f64], b: &[f64], sc: &mut Scratch| -> f64 {
        let sa = ga.search_sse(a, k, sc)[k];
        let sb = gb.search_sse(b, k, sc)[k];
        sa + sb
    };
    let mut sc = Scratch::default();
    let sse_alt = sse_alt_of(za, zb, &mut sc);
    let best = gp.search(&zp, k);
    let sse_null = best.sse[k];
    if !(sse_null.is_finite() && sse_alt.is_finite()) || best.joins[k].len() != k {
        return Err(CoreError::Fit(format!(
            "no allowed set of {k} joinpoints for {n} times"
        )));
    }
    if sse_alt <= 0.0 {
        return Err(CoreError::Fit(
            "the separate fits are exact (zero residual sum of squares): nothing to test against"
                .into(),
        ));
    }
    let statistic = (sse_null - sse_alt) / sse_alt;

    // fitted values of the null model (pooled weighted least squares at its joinpoints)
    let joins_rows = &best.joins[k];
    let p0 = 2 + fixed.len() + k;
    let mut x = vec![0.0; 2 * n * p0];
    for r in 0..2 * n {
        let row = &mut x[r * p0..(r + 1) * p0];
        row[0] = 1.0;
        row[1] = tp[r] - tp[0];
        for (c, f) in fixed.iter().enumerate() {
            row[2 + c] = f[r];
        }
        for (m, &j) in joins_rows.iter().enumerate() {
            row[2 + fixed.len() + m] = (tp[r] - tp[j]).max(0.0);
        }
    }
    let fit = wls(&x, 2 * n, p0, &wp, &zp).ok_or_else(singular)?;
    let fitted: Vec<f64> = (0..2 * n)
        .map(|r| (0..p0).map(|c| x[r * p0 + c] * fit.beta[c]).sum())
        .collect();
    let sw: Vec<f64> = wp.iter().map(|v| v.sqrt()).collect();
    let resid: Vec<f64> = (0..2 * n).map(|r| sw[r] * (zp[r] - fitted[r])).collect();

    let exceed: Vec<bool> = chunked_with(n_perm, cancel, Work::default, |wk, i| {
        let mut rng = SplitMix64::new(compare_seed(seed, null, i));
        wk.e.clear();
        wk.e.extend_from_slice(&resid);
        for m in (1..2 * n).rev() {
            let j = rng.below(m as u64 + 1) as usize;
            wk.e.swap(m, j);
        }
        wk.zs.clear();
        wk.zs
            .extend((0..2 * n).map(|r| fitted[r] + wk.e[r] / sw[r]));
        wk.za.clear();
        wk.za.extend((0..n).map(|i| wk.zs[2 * i]));
        wk.zb.clear();
        wk.zb.extend((0..n).map(|i| wk.zs[2 * i + 1]));
        let s0 = gp.search_sse(&wk.zs, k, &mut wk.sc)[k];
        let s1 = sse_alt_of(&wk.za, &wk.zb, &mut wk.sc);
        let st = (s0 - s1) / s1;
        // ties within rounding count as exceeding
        st >= statistic - 1e-10 * statistic.abs() || st.is_nan()
    })?;
    let count = exceed.iter().filter(|&&e| e).count();
    let pvalue = (count as f64 + 1.0) / (n_perm as f64 + 1.0);

    let p_null = match null {
        Null::Coincidence => 2 * k + 2,
        Null::Parallel => 2 * k + 3,
    };
    let df_num = p_alt - p_null;
    let df_den = 2 * n - p_alt;
    let f_statistic = ((sse_null - sse_alt) / df_num as f64) / (sse_alt / df_den as f64);
    let f_pvalue = FisherSnedecor::new(df_num as f64, df_den as f64)
        .map(|d| d.sf(f_statistic.max(0.0)))
        .unwrap_or(f64::NAN);
    let times = |rows: &[usize], per: usize| rows.iter().map(|&j| t[j / per]).collect::<Vec<_>>();
    Ok(Comparison {
        null,
        joins: k,
        statistic,
        pvalue,
        n_perm,
        sse_null,
        sse_alt,
        f_statistic,
        df_num,
        df_den,
        f_pvalue,
        joins_null: times(joins_rows, 2),
        joins_a: times(&ga.search(za, k).joins[k], 1),
        joins_b: times(&gb.search(zb, k).joins[k], 1),
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::trend::joinpoint::configurations;

    fn never() -> bool {
        false
    }

    /// Brute force: minimum weighted SSE over every allowed joinpoint set, with a QR solve
    /// per set (independent of the tree search).
    fn brute(t: &[f64], cols: &[Vec<f64>], w: &[f64], z: &[f64], k: usize, per: usize) -> f64 {
        let rows = z.len();
        let times = t.len() / per;
        let tt: Vec<f64> = (0..times).map(|i| t[i * per]).collect();
        let mut best = f64::INFINITY;
        for c in configurations(times, k, 2, 2) {
            let p = 2 + cols.len() + k;
            let mut x = vec![0.0; rows * p];
            for r in 0..rows {
                x[r * p] = 1.0;
                x[r * p + 1] = t[r];
                for (m, f) in cols.iter().enumerate() {
                    x[r * p + 2 + m] = f[r];
                }
                for (m, &j) in c.iter().enumerate() {
                    x[r * p + 2 + cols.len() + m] = (t[r] - tt[j]).max(0.0);
                }
            }
            let s = wls(&x, rows, p, w, z).unwrap();
            let sse: f64 = (0..rows)
                .map(|r| {
                    let f: f64 = (0..p).map(|q| x[r * p + q] * s.beta[q]).sum();
                    w[r] * (z[r] - f).powi(2)
                })
                .sum();
            best = best.min(sse);
        }
        best
    }

    #[test]
    fn statistics_equal_brute_force_fits() {
        let n = 14;
        let t: Vec<f64> = (0..n).map(|i| 2000.0 + i as f64).collect();
        let za: Vec<f64> = (0..n)
            .map(|i| {
                3.0 + 0.05 * i as f64 - 0.08 * (i as f64 - 7.0).max(0.0)
                    + 0.02 * ((i * 7 % 5) as f64 - 2.0)
            })
            .collect();
        let zb: Vec<f64> = (0..n)
            .map(|i| 2.5 + 0.03 * i as f64 + 0.015 * ((i * 3 % 7) as f64 - 3.0))
            .collect();
        let wa: Vec<f64> = (0..n).map(|i| 1.0 + (i % 3) as f64).collect();
        let wb: Vec<f64> = (0..n).map(|i| 2.0 + (i % 4) as f64 * 0.5).collect();
        let tp: Vec<f64> = t.iter().flat_map(|&v| [v, v]).collect();
        let wp: Vec<f64> = (0..n).flat_map(|i| [wa[i], wb[i]]).collect();
        let zp: Vec<f64> = (0..n).flat_map(|i| [za[i], zb[i]]).collect();
        let group: Vec<f64> = (0..2 * n).map(|r| (r % 2) as f64).collect();
        for k in 0..=2 {
            let alt = brute(&t, &[], &wa, &za, k, 1) + brute(&t, &[], &wb, &zb, k, 1);
            for (null, cols) in [
                (Null::Coincidence, vec![]),
                (Null::Parallel, vec![group.clone()]),
            ] {
                let c = compare(&t, &za, &wa, &zb, &wb, k, 2, 2, null, 99, 7, &never).unwrap();
                let sse0 = brute(&tp, &cols, &wp, &zp, k, 2);
                assert!((c.sse_alt - alt).abs() < 1e-9 * alt.max(1.0), "k={k} alt");
                assert!(
                    (c.sse_null - sse0).abs() < 1e-9 * sse0.max(1.0),
                    "k={k} {null:?}"
                );
                assert!((c.statistic - (sse0 - alt) / alt).abs() < 1e-8);
                assert!(c.pvalue > 0.0 && c.pvalue <= 1.0);
                assert_eq!(c.joins_null.len(), k);
            }
        }
    }

    #[test]
    fn permutation_p_values_tell_parallel_from_crossing() {
        let n = 16;
        let t: Vec<f64> = (0..n).map(|i| i as f64).collect();
        let noise = |i: usize, s: usize| 0.01 * (((i * 7 + s * 3) % 11) as f64 - 5.0);
        let base = |i: usize| 3.0 + 0.04 * i as f64 - 0.1 * (i as f64 - 8.0).max(0.0);
        let za: Vec<f64> = (0..n).map(|i| base(i) + noise(i, 1)).collect();
        // b: a's curve shifted down by 0.5 (parallel, not coincident)
        let zb: Vec<f64> = (0..n).map(|i| base(i) - 0.5 + noise(i, 2)).collect();
        // c: rising throughout (neither)
        let zc: Vec<f64> = (0..n)
            .map(|i| 2.5 + 0.06 * i as f64 + noise(i, 3))
            .collect();
        let w = vec![1.0; n];
        let run =
            |b: &[f64], null| compare(&t, &za, &w, b, &w, 1, 2, 2, null, 499, 11, &never).unwrap();
        assert!(run(&zb, Null::Coincidence).pvalue < 0.01);
        assert!(run(&zb, Null::Parallel).pvalue > 0.05);
        assert!(run(&zc, Null::Parallel).pvalue < 0.01);
        // seeded: the same call gives the same p-value
        assert_eq!(run(&zc, Null::Parallel), run(&zc, Null::Parallel));
    }

    #[test]
    fn refuses_bad_input() {
        let t = [0.0, 1.0, 2.0];
        let z = [1.0, 2.0, 3.0];
        let w = [1.0; 3];
        assert!(compare(&t, &z, &w, &z, &w, 1, 2, 2, Null::Parallel, 9, 1, &never).is_err());
        assert!(compare(
            &t,
            &z,
            &w,
            &z[..2],
            &w,
            0,
            2,
            2,
            Null::Parallel,
            9,
            1,
            &never
        )
        .is_err());
        assert!(Null::parse("same").is_err());
        // a non-finite value in either series is refused (cargo-mutants: `&&` -> `||` survived)
        let t8: Vec<f64> = (0..8).map(f64::from).collect();
        let z8 = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0];
        let mut bad = z8;
        bad[3] = f64::NAN;
        let w8 = [1.0; 8];
        for (a, b) in [(&z8, &bad), (&bad, &z8)] {
            let e = compare(&t8, a, &w8, b, &w8, 0, 2, 2, Null::Parallel, 9, 1, &never)
                .unwrap_err()
                .to_string();
            assert!(e.contains("values must be positive"), "{e}");
        }
    }
}

/// Tests written for issue 18 (item 3: no input or constant change makes the core panic).
#[cfg(test)]
mod mutant_tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn never() -> bool {
        false
    }

    /// More than [`MAX_JOINS`] joinpoints (even a k whose arithmetic would overflow) is refused
    /// before anything is computed, and a grid with more candidate sets than the fit's limit
    /// is refused before it is built (it used to be built, exhausting memory).
    #[test]
    fn refuses_too_many_joinpoints_without_panicking() {
        let t: Vec<f64> = (0..200).map(f64::from).collect();
        let z: Vec<f64> = t.iter().map(|v| (10.0 + v).ln()).collect();
        let w = vec![1.0; 200];
        for k in [MAX_JOINS + 1, usize::MAX] {
            let e = compare(&t, &z, &w, &z, &w, k, 2, 2, Null::Parallel, 9, 1, &never)
                .unwrap_err()
                .to_string();
            assert!(e.contains(&format!("at most {MAX_JOINS}")), "{e}");
        }
        // 200 times, 8 joinpoints, spacing 2 and 2: C(200 - 2*2 - 7*2, 8) = math.comb(182, 8)
        // = 25544591422350 sets of 8 alone, far above the limit of 4e6
        let e = compare(&t, &z, &w, &z, &w, 8, 2, 2, Null::Parallel, 9, 1, &never)
            .unwrap_err()
            .to_string();
        assert!(e.contains("too many for an exhaustive grid search"), "{e}");
        // absurd spacings give "too few", not an overflow
        let e = compare(
            &t,
            &z,
            &w,
            &z,
            &w,
            1,
            usize::MAX,
            2,
            Null::Parallel,
            9,
            1,
            &never,
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("too few"), "{e}");
    }
    /// With no joinpoint the comparability F approximation is the textbook nested-model F test
    /// of two weighted lines. Reference: statsmodels 0.15.0 on the stacked data
    /// (z = ln y, columns 1, group, t, group*t for the alternative; without group*t for
    /// parallel, without group and group*t for coincidence):
    /// `full.compare_f_test(restricted)` of `sm.WLS(z, X, weights=w).fit()`, and their `ssr`.
    #[test]
    fn f_test_without_joinpoints_matches_statsmodels() {
        let t: Vec<f64> = (0..10).map(f64::from).collect();
        let ln = |v: [f64; 10]| -> Vec<f64> { v.iter().map(|x| x.ln()).collect() };
        let za = ln([12.0, 15.0, 14.0, 18.0, 21.0, 20.0, 25.0, 27.0, 26.0, 31.0]);
        let zb = ln([30.0, 29.0, 33.0, 31.0, 36.0, 35.0, 37.0, 40.0, 38.0, 42.0]);
        let wa = [1.0, 2.0, 1.0, 1.5, 1.0, 2.0, 1.0, 1.0, 2.0, 1.0];
        let wb = [2.0, 1.0, 1.0, 1.0, 1.5, 1.0, 2.0, 1.0, 1.0, 1.0];
        let rel = |a: f64, b: f64| (a - b).abs() / b.abs();
        // (null, F, p, df_num, ssr of the null model); ssr of the alternative 0.07818973551577137
        let refs = [
            (
                Null::Parallel,
                35.885_121_782_502_74,
                1.886_069_741_740_263_6e-5,
                1,
                0.253_555_246_836_092_3,
            ),
            (
                Null::Coincidence,
                233.813_293_492_958_6,
                1.435_087_952_411_932_4e-12,
                2,
                2.363_414_682_801_504,
            ),
        ];
        for (null, f, p, df_num, ssr_null) in refs {
            let c = compare(&t, &za, &wa, &zb, &wb, 0, 2, 2, null, 9, 1, &never).unwrap();
            assert!(rel(c.sse_alt, 0.078_189_735_515_771_37) < 1e-10, "{c:?}");
            assert!(rel(c.sse_null, ssr_null) < 1e-10, "{c:?}");
            assert_eq!((c.df_num, c.df_den), (df_num, 16));
            assert!(rel(c.f_statistic, f) < 1e-9, "{c:?}");
            assert!(rel(c.f_pvalue, p) < 1e-7, "{c:?}");
        }
    }

    /// The shortest series the rules allow is accepted: k = 1 with 2 points to either end and 2
    /// between needs max(2*2 + 1, 3*1 + 3) = 6 times, and 2 x 6 = 12 observations exceed the
    /// 2 x (2*1 + 2) = 8 parameters of the two separate fits; 5 times are refused.
    #[test]
    fn the_shortest_allowed_series_is_accepted() {
        let t: Vec<f64> = (0..6).map(f64::from).collect();
        let za: Vec<f64> = [10.0_f64, 12.0, 15.0, 14.0, 13.0, 11.0]
            .iter()
            .map(|v| v.ln())
            .collect();
        let zb: Vec<f64> = [20.0_f64, 21.0, 25.0, 27.0, 26.0, 22.0]
            .iter()
            .map(|v| v.ln())
            .collect();
        let w = [1.0; 6];
        let c = compare(&t, &za, &w, &zb, &w, 1, 2, 2, Null::Parallel, 9, 1, &never).unwrap();
        assert_eq!((c.joins, c.df_den), (1, 4));
        let e = compare(
            &t[..5],
            &za[..5],
            &w[..5],
            &zb[..5],
            &w[..5],
            1,
            2,
            2,
            Null::Parallel,
            9,
            1,
            &never,
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("too few"), "{e}");
    }
}
