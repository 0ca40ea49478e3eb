"""joinpoint() against the NCI Joinpoint Regression Program's own output.

The fixtures (tests/fixtures/joinpoint/, provenance in its README) are Joinpoint 4.5.0.1 runs
of three published analyses: inputs and every export. Settings: log-linear, heteroscedastic
errors from the input's standard errors, permutation test with 10,000 permutations, up to 5
joinpoints; analyses 01 and 03 use the program's jump model at 1998.5.
"""

from __future__ import annotations

import _thread
import math
import threading
import time
from pathlib import Path

import polars as pl
import pytest

import groomstats

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "joinpoint"
KEY = ["opioid_type", "race"]


def _export(folder: str, kind: str) -> pl.DataFrame:
    """One export (';'-separated; numbers in the model-selection table are space-padded)."""
    df = pl.read_csv(FIX / folder / f"{folder}.{kind}.txt", separator=";", null_values="NA")
    out = []
    for c in df.columns:
        s = df.get_column(c)
        if s.dtype == pl.String:
            num = s.str.strip_chars().cast(pl.Float64, strict=False)
            if num.null_count() == s.null_count():
                s = num
        out.append(s)
    return pl.DataFrame(out)


def _close(got: float, want: float, decimals: int, what: str) -> None:
    assert abs(got - want) <= 0.5 * 10**-decimals + 1e-9, f"{what}: {got} vs the program's {want}"


def _p_close(got: float, want: float, n_ours: int, n_theirs: int, what: str) -> None:
    """Two Monte Carlo estimates of one p-value agree within 4 standard errors."""
    p = max(want, 1.0 / n_theirs)
    sd = math.sqrt(p * (1 - p) * (1 / n_ours + 1 / n_theirs))
    assert abs(got - want) <= 4 * sd + 1.0 / n_ours, f"{what}: p {got} vs the program's {want}"


def _check_segments(res: groomstats.JoinpointResult, apc: pl.DataFrame, what: str) -> None:
    segs = res.segments.sort("segment")
    assert segs.height == apc.height, what
    for ours, theirs in zip(segs.iter_rows(named=True), apc.iter_rows(named=True), strict=True):
        assert (ours["start"], ours["end"]) == (theirs["Segment Start"], theirs["Segment End"])
        for col, want in (
            ("apc", "APC"),
            ("lower_95", "APC 95% LCL"),
            ("upper_95", "APC 95% UCL"),
            ("statistic", "Test Statistic"),
            ("pvalue", "P-Value"),
        ):
            _close(ours[col], theirs[want], 3, f"{what} segment {ours['segment']} {col}")


def _check_aapc(res: groomstats.JoinpointResult, aapc: pl.DataFrame, what: str) -> None:
    ours = res.aapc.row(0, named=True)
    theirs = aapc.row(0, named=True)
    for col, want in (
        ("aapc", "AAPC"),
        ("lower_95", "AAPC C.I. Low"),
        ("upper_95", "AAPC C.I. High"),
        ("statistic", "Test Statistic"),
        ("pvalue", "P-Value"),
    ):
        _close(ours[col], theirs[want], 3, f"{what} AAPC {col}")
    assert ours["method"] == "normal"


def test_rate_ratio_analysis_end_to_end_with_10000_permutations() -> None:
    """02: one series, n = 37, up to 5 joinpoints chosen by the permutation tests."""
    folder = "02_opioid_rate_ratio"
    data = pl.read_csv(FIX / folder / "input.csv")
    res = groomstats.joinpoint(
        data,
        time="year",
        count="opioid_rr",
        se="opioid_rr_sd",
        max_joins=5,
        n_permutations=10_000,
        seed=1,
    )
    sel = _export(folder, "modelselection")
    tests = res.tests
    assert (
        tests.select("k_null", "k_alt", "df_num", "df_den").rows()
        == sel.select("Null Hypothesis", "Alt Hypothesis", "Numerator DF", "Denominator DF").rows()
    )
    assert tests["n_permutations"].to_list() == sel["# of Permutations"].to_list()
    for ours, theirs in zip(tests.iter_rows(named=True), sel.iter_rows(named=True), strict=True):
        _close(ours["level"], theirs["Significance level"], 7, "level")
        _p_close(ours["pvalue"], theirs["P-Value"], 10_000, 10_000, f"test {ours['k_null']}")
    assert res.aapc["joinpoints"][0] == 2
    _check_segments(res, _export(folder, "apc"), folder)
    _check_aapc(res, _export(folder, "aapc"), folder)
    # model estimates: minimum SSE of the selected model, 6 decimals
    est = _export(folder, "modelestimates")
    chosen = res.models.filter(pl.col("selected")).row(0, named=True)
    _close(chosen["sse"], est["SSE"][0], 6, "SSE")
    _close(res.segments["se"][0], est["Slope Std Error"][0], 6, "slope se")
    # fitted values on the data export ("Model" column, 5 decimals)
    data_exp = _export(folder, "data")
    for got, want in zip(res.fitted["fitted"], data_exp["Model"], strict=True):
        _close(got, want, 5, "fitted")
    # joinpoint locations and their limits, as printed: 1993 (1989-1996) and 2010 (2007-2011)
    assert res.joinpoints["location"].to_list() == [1993, 2010]
    assert (
        res.joinpoints.select("lower_95", "upper_95").rows()
        == est.drop_nulls("Joinpoint").select("Joinpoint 95% LCL", "Joinpoint 95% UCL").rows()
        == [(1989, 1996), (2007, 2011)]
    )


def _series_runs(folder: str) -> list[tuple[tuple[str, str], pl.DataFrame, int]]:
    data = pl.read_csv(FIX / folder / "input.csv")
    aapc = _export(folder, "aapc")
    return [
        (
            (r["opioid_type"], r["race"]),
            data.filter(
                (pl.col("opioid_type") == r["opioid_type"]) & (pl.col("race") == r["race"])
            ),
            int(r["Joinpoint Model"]),
        )
        for r in aapc.iter_rows(named=True)
    ]


@pytest.mark.parametrize("folder", ["01_opioid_rates_long", "03_opioid_rates_by_type"])
def test_jump_model_analyses_at_the_programs_number_of_joinpoints(folder: str) -> None:
    """01 and 03: 18 series with the jump model, k fixed at the program's choice."""
    apc, aapc, jump = (_export(folder, k) for k in ("apc", "aapc", "jumpmodel"))
    est = _export(folder, "modelestimates")
    ties = 0
    for key, data, k in _series_runs(folder):
        what = f"{folder} {key}"
        res = groomstats.joinpoint(
            data,
            time="year",
            count="std_rate",
            se="sd",
            min_joins=k,
            max_joins=k,
            selection="bic",
            jump_before=1999,
        )
        mine = (pl.col("opioid_type") == key[0]) & (pl.col("race") == key[1])
        their_apc = apc.filter(mine)
        sse = res.models.filter(pl.col("selected"))["sse"][0]
        _close(sse, est.filter(mine)["SSE"][0], 6, f"{what} SSE")
        ours_j = res.joinpoints["location"].to_list()
        theirs_j = their_apc["Segment Start"].to_list()[1:]
        # joinpoint limits (the same whichever of two tied joinpoints is taken, below)
        limits = est.filter(mine).drop_nulls("Joinpoint")
        assert (
            res.joinpoints.select("lower_95", "upper_95").rows()
            == limits.select("Joinpoint 95% LCL", "Joinpoint 95% UCL").rows()
        ), f"{what} joinpoint limits"
        if ours_j != theirs_j:
            # A joinpoint at 1998 or at 1999 beside the jump at 1998.5 spans the same model
            # ((t - 1998)+ - (t - 1999)+ is the jump's step): same SSE (checked above), and the
            # program's pick between the two follows its rounding. Its segment intervals differ
            # (different points are dropped), so they are checked in Rust at the program's
            # joinpoints (src/trend/jp_reference_tests.rs).
            diff = [(a, b) for a, b in zip(ours_j, theirs_j, strict=True) if a != b]
            assert diff in ([(1998, 1999)], [(1999, 1998)]), f"{what}: {ours_j} vs {theirs_j}"
            ties += 1
            continue
        _check_segments(res, their_apc, what)
        _check_aapc(res, aapc.filter(mine), what)
        j = res.jump.row(0, named=True)
        theirs = jump.filter(mine).row(0, named=True)
        assert j["location"] == theirs["Jump Location"] == 1998.5
        for col, want in (
            ("jump", "Jump Value"),
            ("se", "Jump Standard Error"),
            ("lower_95", "Jump Lower CI"),
            ("upper_95", "Jump Upper CI"),
            ("statistic", "Jump Test Statistic (t)"),
            ("pvalue", "Jump Prob > |t|"),
            ("ratio", "Comparability Ratio (CR)"),
            ("ratio_se", "Comparability Ratio Standard Error of CR"),
            ("ratio_lower_95", "Comparability Ratio Lower CI"),
            ("ratio_upper_95", "Comparability Ratio Upper CI"),
            ("ratio_statistic", "Comparability Ratio Test Statistic"),
            ("ratio_pvalue", "Comparability Ratio P-Value"),
        ):
            _close(j[col], theirs[want], 5, f"{what} {col}")
    assert ties <= 1


# How the program permutes under a jump model (found by brute force, see
# tests/trends/jump_permutation_variants.py): the permuted data sets are built from the null
# fit *less its jump* (fitted values without the level shift, residuals that carry it), and
# the jump is estimated again in every refit. Permuting the residuals of the full null fit
# instead (what matches the program without a jump) gives p-values 5-10 times the program's.
JUMP_SERIES = [("drug", "black"), ("drug", "total")]
N_JUMP = 2999


def _jump_selection(
    folder: str, first: int | None = None
) -> list[tuple[tuple[str, str], int, pl.DataFrame]]:
    out = []
    for key, data, k in _series_runs(folder)[:first]:
        res = groomstats.joinpoint(
            data,
            time="year",
            count="std_rate",
            se="sd",
            max_joins=5,
            n_permutations=999,
            seed=3,
            jump_before=1999,
        )
        out.append((key, k, res.tests.with_columns(joinpoints=res.aapc["joinpoints"][0])))
    return out


@pytest.mark.parametrize("folder", ["01_opioid_rates_long", "03_opioid_rates_by_type"])
def test_jump_model_permutation_selection(folder: str) -> None:
    """All 18 jump-model series, 999 permutations per test: the program's sequence of tests
    (hypotheses, levels), its p-values within Monte Carlo error, and its number of
    joinpoints in every series."""
    sel = _export(folder, "modelselection")
    for key, k, res in _jump_selection(folder):
        theirs = sel.filter((pl.col("opioid_type") == key[0]) & (pl.col("race") == key[1]))
        assert res.select("k_null", "k_alt").rows() == [
            (int(a), int(b)) for a, b in theirs.select("Null Hypothesis", "Alt Hypothesis").rows()
        ], f"{key}"
        for ours, want in zip(res.iter_rows(named=True), theirs["P-Value"], strict=True):
            _p_close(ours["pvalue"], want, 999, 10_000, f"{key} {ours['k_null']}")
            assert ours["level"] == pytest.approx(0.05 / (5 - ours["k_null"]))
        assert res["joinpoints"][0] == k, f"{key}: {res['joinpoints'][0]} against the program's {k}"


def test_jump_model_permutation_pvalues_match_the_program() -> None:
    """Every test in the program's sequence for two jump-model series (10 tests, p from 0.0001
    to 0.35), each run as the first test of its own sequence (``min_joins`` = H0,
    ``max_joins`` = H1) with 2,999 permutations: within Monte Carlo error of the program's
    10,000 (4 standard errors; e.g. 0.0048 for 3 against 4 joinpoints, where permuting the full
    null fit's residuals gives 0.034, far outside)."""
    folder = "01_opioid_rates_long"
    sel = _export(folder, "modelselection")
    data = pl.read_csv(FIX / folder / "input.csv")
    for key in JUMP_SERIES:
        mine = (pl.col("opioid_type") == key[0]) & (pl.col("race") == key[1])
        series = data.filter(mine)
        for w in sel.filter(mine).iter_rows(named=True):
            ka, kb = int(w["Null Hypothesis"]), int(w["Alt Hypothesis"])
            res = groomstats.joinpoint(
                series,
                time="year",
                count="std_rate",
                se="sd",
                min_joins=ka,
                max_joins=kb,
                n_permutations=N_JUMP,
                seed=5,
                jump_before=1999,
            )
            first = res.tests.row(0, named=True)
            assert (first["k_null"], first["k_alt"]) == (ka, kb)
            _p_close(first["pvalue"], w["P-Value"], N_JUMP, 10_000, f"{key} {ka} vs {kb}")


def test_options_are_checked_and_named() -> None:
    folder = "02_opioid_rate_ratio"
    data = pl.read_csv(FIX / folder / "input.csv")
    with pytest.raises(groomstats.GroomstatsError, match="variance='constant' would ignore"):
        groomstats.joinpoint(
            data, time="year", count="opioid_rr", se="opioid_rr_sd", variance="constant"
        )
    with pytest.raises(groomstats.GroomstatsError, match="needs the standard errors"):
        groomstats.joinpoint(data, time="year", count="opioid_rr", variance="heteroscedastic")
    with pytest.raises(groomstats.GroomstatsError, match="did you mean 'wbic'"):
        groomstats.joinpoint(data, time="year", count="opioid_rr", selection="wbci")  # type: ignore[arg-type]
    with pytest.raises(groomstats.GroomstatsError, match="min_joins=3 is above max_joins=2"):
        groomstats.joinpoint(data, time="year", count="opioid_rr", min_joins=3, max_joins=2)
    bad = data.with_columns(
        pl.when(pl.col("year") == 1990)
        .then(0.0)
        .otherwise(pl.col("opioid_rr_sd"))
        .alias("opioid_rr_sd")
    )
    with pytest.raises(groomstats.DataFormatError, match=r"opioid_rr_sd.*row 11"):
        groomstats.joinpoint(bad, time="year", count="opioid_rr", se="opioid_rr_sd")


def test_counts_with_a_denominator_model_the_rate() -> None:
    """count / denominator: the same fit as the rate itself; Poisson weights are the counts."""
    years = list(range(2000, 2016))
    counts = [120, 131, 150, 149, 170, 181, 205, 230, 228, 240, 236, 231, 229, 220, 214, 209]
    pop = [1_000_000 + 20_000 * i for i in range(16)]
    df = pl.DataFrame({"year": years, "offences": counts, "population": pop})
    a = groomstats.joinpoint(df, time="year", denominator="population", selection="bic")
    rate = df.with_columns((pl.col("offences") / pl.col("population")).alias("offences"))
    b = groomstats.joinpoint(rate, time="year", selection="bic")
    assert a.segments.drop("start", "end").equals(b.segments.drop("start", "end"))
    c = groomstats.joinpoint(
        df, time="year", denominator="population", variance="poisson", selection="bic"
    )
    # a different weighting, the same joinpoint search space: the weighted SSE differs
    assert c.models["sse"][0] != pytest.approx(a.models["sse"][0])


def test_empirical_intervals_are_seeded_per_group() -> None:
    folder = "02_opioid_rate_ratio"
    one = pl.read_csv(FIX / folder / "input.csv")
    two = pl.concat([one.with_columns(pl.lit(g).alias("g")) for g in ("a", "b")])
    kw = dict(
        time="year",
        count="opioid_rr",
        se="opioid_rr_sd",
        min_joins=2,
        max_joins=2,
        selection="bic",
        ci="empirical",
        n_resamples=200,
        seed=11,
    )
    r1 = groomstats.joinpoint(two, by="g", **kw)  # type: ignore[arg-type]
    r2 = groomstats.joinpoint(two, by="g", **kw)  # type: ignore[arg-type]
    assert r1.segments.equals(r2.segments)
    a, b = (r1.segments.filter(pl.col("g") == g) for g in ("a", "b"))
    # same data, own random streams: the limits differ between groups
    assert a["apc"].to_list() == b["apc"].to_list()
    assert a["lower_95"].to_list() != b["lower_95"].to_list()
    assert (a["lower_95"] < a["apc"]).all() and (a["apc"] < a["upper_95"]).all()
    assert r1.aapc["method"].to_list() == ["empirical", "empirical"]
    j = r1.joinpoints.filter(pl.col("g") == "a")
    assert (j["lower_95"] <= j["location"]).all() and (j["location"] <= j["upper_95"]).all()


def test_published_size_permutation_run_is_interruptible() -> None:
    """n = 37, up to 5 joinpoints, 10,000 permutations: Ctrl-C stops it within seconds."""
    data = pl.read_csv(FIX / "02_opioid_rate_ratio" / "input.csv")
    timer = threading.Timer(0.5, _thread.interrupt_main)
    timer.start()
    t0 = time.perf_counter()
    with pytest.raises(KeyboardInterrupt):
        groomstats.joinpoint(
            data,
            time="year",
            count="opioid_rr",
            se="opioid_rr_sd",
            max_joins=5,
            n_permutations=200_000,
        )
    timer.cancel()
    assert time.perf_counter() - t0 < 20
