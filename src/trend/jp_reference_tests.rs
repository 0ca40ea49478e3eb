//! The core against the NCI Joinpoint Regression Program 4.5.0.1 exports in
//! `tests/fixtures/joinpoint/` (see its README for provenance): joinpoints, SSE, segment APCs
//! with their 95% limits, t statistics and p-values, AAPCs, jumps and comparability ratios, all
//! at the program's printed precision, with the number of joinpoints fixed at the program's
//! choice (the permutation selection is tested from Python, where it is timed separately).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::joinpoint::{
    aapc, fit_at, fit_series, weights, CiMethod, JoinpointFit, JoinpointOptions, Selection,
    Variance,
};
use std::collections::BTreeMap;

fn fixture(path: &str) -> String {
    let p = format!(
        "{}/tests/fixtures/joinpoint/{path}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{p}: {e}"))
}

/// Rows of a `;`- or `,`-separated export as maps header -> cell (quotes stripped).
fn table(text: &str, sep: char) -> Vec<BTreeMap<String, String>> {
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    let clean = |s: &str| s.trim().trim_matches('"').to_string();
    let head: Vec<String> = lines.next().unwrap().split(sep).map(clean).collect();
    lines
        .map(|l| {
            head.iter()
                .cloned()
                .zip(l.split(sep).map(clean))
                .collect::<BTreeMap<_, _>>()
        })
        .collect()
}

fn num(r: &BTreeMap<String, String>, col: &str) -> f64 {
    r[col]
        .parse()
        .unwrap_or_else(|_| panic!("{col} = {:?}", r[col]))
}

fn apc(slope: f64) -> f64 {
    100.0 * slope.exp_m1()
}

/// |got - want| within half a unit of the last printed digit (plus float slack).
fn close(got: f64, want: f64, decimals: i32, what: &str) {
    let tol = 0.5 * 10f64.powi(-decimals) + 1e-9;
    assert!(
        (got - want).abs() <= tol,
        "{what}: got {got}, the program printed {want}"
    );
}

struct Series {
    t: Vec<f64>,
    y: Vec<f64>,
    se: Vec<f64>,
}

fn series(folder: &str, ycol: &str, secol: &str, key: Option<(&str, &str)>) -> Series {
    let rows = table(&fixture(&format!("{folder}/input.csv")), ',');
    let mut s = Series {
        t: vec![],
        y: vec![],
        se: vec![],
    };
    for r in rows {
        if let Some((ty, race)) = key {
            if r["opioid_type"] != ty || r["race"] != race {
                continue;
            }
        }
        s.t.push(num(&r, "year"));
        s.y.push(num(&r, ycol));
        s.se.push(num(&r, secol));
    }
    s
}

fn fit_fixed(s: &Series, k: usize, jump: Option<f64>) -> JoinpointFit {
    let w = weights(Variance::Heteroscedastic, &s.y, Some(&s.se), None).unwrap();
    let opts = JoinpointOptions {
        min_joins: k,
        max_joins: k,
        selection: Selection::Bic,
        jump_at: jump,
        ci: CiMethod::Parametric,
        ..JoinpointOptions::new(k)
    };
    fit_series(&s.t, &s.y, &w, &opts, 0, &|| false).unwrap()
}

/// Check one series against the apc / aapc / modelestimates / jumpmodel rows of the program.
fn check(
    folder: &str,
    stem: &str,
    ycol: &str,
    secol: &str,
    key: Option<(&str, &str)>,
    jump: Option<f64>,
) {
    let keep = |r: &BTreeMap<String, String>| match key {
        Some((ty, race)) => r["opioid_type"] == ty && r["race"] == race,
        None => true,
    };
    let apcs: Vec<_> = table(&fixture(&format!("{folder}/{stem}.apc.txt")), ';')
        .into_iter()
        .filter(keep)
        .collect();
    let k = apcs.len() - 1;
    let s = series(folder, ycol, secol, key);
    let mut f = fit_fixed(&s, k, jump);
    let what = format!("{folder} {key:?}");
    // The program's joinpoints; when ours differ the two sets must tie exactly: a joinpoint on
    // either side of the jump spans the same model ((t - 1998)+ - (t - 1999)+ is the jump's
    // step), so the choice between them is rounding noise (the program took 1998 for heroin /
    // total and 1999 for methadone / total). Then the inference is checked at its joinpoints.
    let theirs: Vec<usize> = apcs[1..]
        .iter()
        .map(|r| {
            let y = num(r, "Segment Start");
            s.t.iter().position(|&v| v == y).unwrap()
        })
        .collect();
    if f.joins != theirs {
        let w = weights(Variance::Heteroscedastic, &s.y, Some(&s.se), None).unwrap();
        let opts = JoinpointOptions {
            jump_at: jump,
            ..JoinpointOptions::new(k)
        };
        let g = fit_at(&s.t, &s.y, &w, &theirs, &opts).unwrap();
        assert!(
            (g.sse - f.sse).abs() <= 1e-9 * f.sse,
            "{what}: joinpoints {:?} against the program's {theirs:?} and the SSEs differ",
            f.joins
        );
        assert!(jump.is_some(), "{what}: a tie without a jump");
        f = g;
    }
    // joinpoints (segment boundaries) and the segments
    for (m, r) in apcs.iter().enumerate() {
        let seg = &f.segments[m];
        assert_eq!(
            s.t[seg.start],
            num(r, "Segment Start"),
            "{what} segment {m}"
        );
        assert_eq!(s.t[seg.end], num(r, "Segment End"), "{what} segment {m}");
        close(apc(seg.slope), num(r, "APC"), 3, &format!("{what} APC {m}"));
        close(
            apc(seg.lower),
            num(r, "APC 95% LCL"),
            3,
            &format!("{what} LCL {m}"),
        );
        close(
            apc(seg.upper),
            num(r, "APC 95% UCL"),
            3,
            &format!("{what} UCL {m}"),
        );
        close(
            seg.statistic,
            num(r, "Test Statistic"),
            3,
            &format!("{what} t {m}"),
        );
        close(seg.pvalue, num(r, "P-Value"), 3, &format!("{what} p {m}"));
    }
    // model estimates: SSE, MSE, DF and the slopes' standard errors (6 decimals)
    let me: Vec<_> = table(
        &fixture(&format!("{folder}/{stem}.modelestimates.txt")),
        ';',
    )
    .into_iter()
    .filter(keep)
    .collect();
    close(f.sse, num(&me[0], "SSE"), 6, &format!("{what} SSE"));
    close(f.model_df, num(&me[0], "DF"), 0, &format!("{what} DF"));
    for (m, r) in me.iter().enumerate() {
        close(
            f.segments[m].slope,
            num(r, "Slope Estimate"),
            6,
            &format!("{what} b {m}"),
        );
        close(
            f.segments[m].se,
            num(r, "Slope Std Error"),
            6,
            &format!("{what} se {m}"),
        );
        close(
            f.segments[m].pvalue,
            num(r, "Slope P-Value"),
            6,
            &format!("{what} slope p {m}"),
        );
    }
    // joinpoint location limits, as printed (data points, years)
    for m in 0..k {
        let r = &me[m + 1];
        assert_eq!(
            (f.join_lower[m], f.join_upper[m]),
            (num(r, "Joinpoint 95% LCL"), num(r, "Joinpoint 95% UCL")),
            "{what} joinpoint {m} limits"
        );
    }
    // AAPC over the full range
    let a = table(&fixture(&format!("{folder}/{stem}.aapc.txt")), ';')
        .into_iter()
        .find(keep)
        .unwrap();
    let got = aapc(&s.t, &f, f64::NAN, f64::NAN).unwrap();
    close(apc(got.slope), num(&a, "AAPC"), 3, &format!("{what} AAPC"));
    close(
        apc(got.lower),
        num(&a, "AAPC C.I. Low"),
        3,
        &format!("{what} AAPC low"),
    );
    close(
        apc(got.upper),
        num(&a, "AAPC C.I. High"),
        3,
        &format!("{what} AAPC high"),
    );
    close(
        got.statistic,
        num(&a, "Test Statistic"),
        3,
        &format!("{what} AAPC z"),
    );
    close(got.pvalue, num(&a, "P-Value"), 3, &format!("{what} AAPC p"));
    // jump and comparability ratio (5 decimals)
    if jump.is_some() {
        let j = table(&fixture(&format!("{folder}/{stem}.jumpmodel.txt")), ';')
            .into_iter()
            .find(keep)
            .unwrap();
        let e = f.jump.as_ref().unwrap();
        for (got, col) in [
            (e.location, "Jump Location"),
            (e.value, "Jump Value"),
            (e.se, "Jump Standard Error"),
            (e.lower, "Jump Lower CI"),
            (e.upper, "Jump Upper CI"),
            (e.statistic, "Jump Test Statistic (t)"),
            (e.pvalue, "Jump Prob > |t|"),
            (e.ratio, "Comparability Ratio (CR)"),
            (e.ratio_se, "Comparability Ratio Standard Error of CR"),
            (e.ratio_lower, "Comparability Ratio Lower CI"),
            (e.ratio_upper, "Comparability Ratio Upper CI"),
            (e.ratio_statistic, "Comparability Ratio Test Statistic"),
            (e.ratio_pvalue, "Comparability Ratio P-Value"),
        ] {
            close(got, num(&j, col), 5, &format!("{what} {col}"));
        }
    }
}

#[test]
fn rate_ratio_series_matches_the_program() {
    check(
        "02_opioid_rate_ratio",
        "02_opioid_rate_ratio",
        "opioid_rr",
        "opioid_rr_sd",
        None,
        None,
    );
}

#[test]
fn jump_model_series_match_the_program() {
    for (folder, stem, types) in [
        (
            "01_opioid_rates_long",
            "01_opioid_rates_long",
            ["drug", "nonopioid", "opioid"],
        ),
        (
            "03_opioid_rates_by_type",
            "03_opioid_rates_by_type",
            ["heroin", "methadone", "nonh_nonm"],
        ),
    ] {
        for ty in types {
            for race in ["black", "total", "white"] {
                check(
                    folder,
                    stem,
                    "std_rate",
                    "sd",
                    Some((ty, race)),
                    Some(1998.5),
                );
            }
        }
    }
}

#[test]
fn permutation_selection_reproduces_the_programs_choice_on_the_ratio_series() {
    let s = series("02_opioid_rate_ratio", "opioid_rr", "opioid_rr_sd", None);
    let w = weights(Variance::Heteroscedastic, &s.y, Some(&s.se), None).unwrap();
    let opts = JoinpointOptions {
        selection: Selection::Permutation {
            n_perm: 999,
            alpha: 0.05,
            seed: 1,
        },
        ..JoinpointOptions::new(5)
    };
    let f = fit_series(&s.t, &s.y, &w, &opts, 0, &|| false).unwrap();
    let years: Vec<f64> = f.joins.iter().map(|&j| s.t[j]).collect();
    assert_eq!(years, vec![1993.0, 2010.0]);
    let sel = table(
        &fixture("02_opioid_rate_ratio/02_opioid_rate_ratio.modelselection.txt"),
        ';',
    );
    assert_eq!(f.tests.len(), sel.len());
    for (t, r) in f.tests.iter().zip(&sel) {
        assert_eq!(t.k_null as f64, num(r, "Null Hypothesis"));
        assert_eq!(t.k_alt as f64, num(r, "Alt Hypothesis"));
        assert_eq!(t.df_num as f64, num(r, "Numerator DF"));
        assert_eq!(t.df_den as f64, num(r, "Denominator DF"));
        close(t.level, num(r, "Significance level"), 7, "level");
        // 999 permutations here: Monte Carlo SE of p is at most 0.016
        let want = num(r, "P-Value");
        let sd = (want * (1.0 - want) / 999.0).sqrt().max(1.0 / 999.0);
        assert!(
            (t.pvalue - want).abs() <= 4.0 * sd,
            "test {}v{}: p {} against the program's {want}",
            t.k_null,
            t.k_alt,
            t.pvalue
        );
    }
}
