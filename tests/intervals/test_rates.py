"""groomstats.rates and rank_areas against PHStatsMethods, scipy, hand-worked and real data."""

from __future__ import annotations

import importlib
import warnings

import numpy as np
import pandas as pd
import polars as pl
import pytest
from scipy import stats

import groomstats
from groomstats import _core
from groomstats.intervals import confidence_suffix

LEVELS = (0.95, 0.998)


def scipy_rates(x: np.ndarray, n: np.ndarray, per: float, conf: float) -> tuple[np.ndarray, ...]:
    """Independent vectorised reference: Byar's for x >= 10, exact chi-square below."""
    z = stats.norm.ppf(0.5 + conf / 2)
    alpha = 1 - conf
    with np.errstate(invalid="ignore", divide="ignore"):
        ex_lo = np.where(x == 0, 0.0, stats.chi2.ppf(alpha / 2, 2 * x) / 2)
        ex_hi = stats.chi2.ppf(1 - alpha / 2, 2 * x + 2) / 2
        by_lo = x * (1 - 1 / (9 * x) - z / (3 * np.sqrt(x))) ** 3
        by_hi = (x + 1) * (1 - 1 / (9 * (x + 1)) + z / (3 * np.sqrt(x + 1))) ** 3
    lo = np.where(x < 10, ex_lo, by_lo) / n * per
    hi = np.where(x < 10, ex_hi, by_hi) / n * per
    return x / n * per, lo, hi


def random_rows(rng: np.random.Generator, size: int, zeros: bool = True) -> pd.DataFrame:
    small = rng.integers(0 if zeros else 1, 10, size)
    large = rng.integers(10, 50_000, size)
    x = np.where(rng.random(size) < 0.3, small, large).astype(float)
    n = rng.integers(50, 10_000_000, size).astype(float)
    return pd.DataFrame({"x": x, "n": n})


def test_matches_phstatsmethods_ph_rate() -> None:
    from PHStatsMethods import ph_rate

    rng = np.random.default_rng(88)
    df = random_rows(rng, 300, zeros=False)  # ph_rate raises on a zero count
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = ph_rate(df, "x", "n", confidence=list(LEVELS), multiplier=100_000)
    out = groomstats.rates(df, count="x", denominator="n", min_denominator=0)
    np.testing.assert_allclose(out["value"].to_numpy(), ref["Value"], rtol=1e-12)
    for suffix in ("95", "99_8"):
        for side in ("lower", "upper"):
            np.testing.assert_allclose(
                out[f"{side}_{suffix}"].to_numpy(), ref[f"{side}_{suffix}_ci"], rtol=1e-9
            )
    assert out["method"].to_list() == ref["Method"].tolist()


def test_matches_vectorised_scipy_on_thousands() -> None:
    rng = np.random.default_rng(2017)
    df = random_rows(rng, 5_000)
    df.loc[:3, "x"] = [0.0, 9.0, 10.0, 2.5]  # boundaries and a non-integer count
    out = groomstats.rates(df, count="x", denominator="n", per=1000, confidence=LEVELS)
    for conf in LEVELS:
        s = confidence_suffix(conf)
        v, lo, hi = scipy_rates(df["x"].to_numpy(), df["n"].to_numpy(), 1000, conf)
        np.testing.assert_allclose(out["value"].to_numpy(), v, rtol=1e-12)
        np.testing.assert_allclose(out[f"lower_{s}"].to_numpy(), lo, rtol=1e-9, atol=0)
        np.testing.assert_allclose(out[f"upper_{s}"].to_numpy(), hi, rtol=1e-9)


def test_many_rows_run_in_parallel_chunks_identically() -> None:
    # > 16,384 rows go through rayon chunks: same numbers as one row at a time
    rng = np.random.default_rng(7)
    x = rng.integers(0, 200, 40_000).astype(float)
    n = rng.integers(1_000, 100_000, 40_000).astype(float)
    ri = _core.rate_ci(x, n, 1e5, [0.95])
    lows, ups, method = ri.lower, ri.upper, ri.method
    idx = [0, 16_383, 16_384, 39_999]
    ri1 = _core.rate_ci(x[idx], n[idx], 1e5, [0.95])
    lows1, ups1 = ri1.lower, ri1.upper
    np.testing.assert_array_equal(lows[0][idx], lows1[0])
    np.testing.assert_array_equal(ups[0][idx], ups1[0])
    np.testing.assert_array_equal(method, np.where(x < 10, 1, 0))


def test_hand_worked_zero_count() -> None:
    # 0 offences among 90,000 children: lower 0, upper = qchisq(0.975, 2) / 2 = -ln(0.025)
    out = groomstats.rates(
        pl.DataFrame({"offences": [0], "children": [90_000]}), denominator="children"
    )
    assert out["lower_95"][0] == 0.0
    assert out["upper_95"][0] == pytest.approx(-np.log(0.025) / 90_000 * 1e5, rel=1e-12)
    assert out["upper_99_8"][0] == pytest.approx(-np.log(0.001) / 90_000 * 1e5, rel=1e-12)
    assert out["method"][0] == "Exact"
    assert out["reason"][0] is None


def test_phstatsmethods_fails_on_zero_but_we_do_not() -> None:
    from PHStatsMethods import ph_rate

    df = pd.DataFrame({"x": [0, 12], "n": [1000, 1000]})
    with pytest.raises(ValueError), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ph_rate(df, "x", "n")
    out = groomstats.rates(df, count="x", denominator="n", min_denominator=0)
    assert out["value"].to_list() == [0.0, 1200.0]


def test_unusable_rows_are_kept_with_reason() -> None:
    df = pl.DataFrame(
        {
            "force": ["neg", "missing", "zero-pop", "no-pop", "ok"],
            "offences": [-1, None, 4, 4, 4],
            "pop": [50_000, 50_000, 0, None, 50_000],
        }
    )
    out = groomstats.rates(df, denominator="pop")
    assert out.height == df.height
    assert out["reason"].to_list() == [
        "negative count (-1)",
        "missing offences",
        "pop 0 is not positive",
        "missing pop",
        None,
    ]
    assert out["value"].null_count() == 4
    assert out["lower_95"].null_count() == 4
    assert out["method"].to_list() == [None, None, None, None, "Exact"]
    assert out["flag"].to_list() == [False] * 5


def test_small_denominator_flagged_not_hidden() -> None:
    df = pl.DataFrame(
        {"force": ["City of London", "Kent"], "offences": [1, 200], "n": [642.0, 9e5]}
    )
    out = groomstats.rates(df, denominator="n")
    assert out["flag"].to_list() == [True, False]
    assert out["value"][0] == pytest.approx(1 / 642 * 1e5)
    assert "642" in out["reason"][0] and "not ranked" in out["reason"][0]
    ranked = groomstats.rank_areas(out)
    assert ranked["rank"].to_list() == [None, 1]
    assert ranked["rank_reason"][0] == "flagged: small denominator"


def population_frame() -> pl.DataFrame:
    rows = [
        ("E23000001", "Metropolitan Police", "London", 1_899_238),
        ("E23000002", "Cumbria", "North West", 90_746),
        ("E23000034", "City of London", "London", 642),
    ]
    recs = []
    for code, force, region, kids in rows:
        recs.append((code, force, region, "0-17", kids, 2023))
        recs.append((code, force, region, "all ages", kids * 5, 2023))
    return pl.DataFrame(
        recs,
        schema={
            "force_code": pl.String,
            "force": pl.String,
            "region": pl.String,
            "age_band": pl.String,
            "population": pl.Int64,
            "year": pl.Int16,
        },
        orient="row",
    )


def test_population_join_on_force_code() -> None:
    df = pl.DataFrame(
        {"force_code": ["E23000002", "E23000034", "E23000001"], "offences": [30, 1, 500]}
    )
    out = groomstats.rates(df, population_frame())
    assert out["population"].to_list() == [90_746, 642, 1_899_238]
    assert out["value"][0] == pytest.approx(30 / 90_746 * 1e5, rel=1e-14)
    assert out["flag"].to_list() == [False, True, False]
    # all ages instead of children
    out_all = groomstats.rates(df, population_frame(), age_band="all ages")
    assert out_all["population"][0] == 90_746 * 5


def test_population_join_on_force_name_and_by() -> None:
    quarters = pl.DataFrame(
        {
            "force": ["Cumbria"] * 4 + ["Metropolitan Police"] * 4,
            "quarter": [1, 2, 3, 4] * 2,
            "offences": [5, 7, -1, 9, 100, 120, 130, None],
        }
    )
    out = groomstats.rates(quarters, population_frame(), by="force")
    assert out["force"].to_list() == ["Cumbria", "Metropolitan Police"]
    assert out["offences"].to_list() == [20, None]  # a missing quarter makes the total missing
    assert out["reason"].to_list() == [None, "missing offences"]


def test_unmatched_areas_named_in_error() -> None:
    df = pl.DataFrame({"force": ["Cumbria", "Cumbira", "Atlantis"], "offences": [1, 2, 3]})
    with pytest.raises(groomstats.UnknownAreaError, match=r"'Cumbira' \(did you mean 'Cumbria'"):
        groomstats.rates(df, population_frame())
    with pytest.raises(groomstats.UnknownAreaError, match=r"Atlantis.*match_forces"):
        groomstats.rates(df, population_frame())


def test_non_territorial_rows_refused_with_hint() -> None:
    df = pl.DataFrame(
        {
            "force_code": ["E23000002", None],
            "force": ["Cumbria", "British Transport Police"],
            "offences": [3, 15],
        }
    )
    with pytest.raises(groomstats.UnknownAreaError, match=r"British Transport Police.*territorial"):
        groomstats.rates(df, population_frame())


def test_population_choices_checked() -> None:
    df = pl.DataFrame({"force_code": ["E23000002"], "offences": [3]})
    with pytest.raises(groomstats.GroomstatsError, match="did you mean '0-17'"):
        groomstats.rates(df, population_frame(), age_band="0-71")
    two_years = pl.concat(
        [population_frame(), population_frame().with_columns(year=pl.lit(2022, pl.Int16))]
    )
    with pytest.raises(groomstats.GroomstatsError, match="several years"):
        groomstats.rates(df, two_years)
    assert groomstats.rates(df, two_years, year=2022)["population"][0] == 90_746
    with pytest.raises(groomstats.GroomstatsError, match="not both"):
        groomstats.rates(df.with_columns(n=1000), population_frame(), denominator="n")
    with pytest.raises(groomstats.DataFormatError, match="already has a 'population'"):
        groomstats.rates(df.with_columns(population=1000), population_frame())


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"confidence": 1.5}, "strictly between 0 and 1"),
        ({"confidence": (0.95, 0.95)}, "duplicate"),
        ({"confidence": ()}, "at least one"),
        ({"per": 0}, "positive"),
        ({"count": "ofences"}, "did you mean 'offences'"),
    ],
)
def test_bad_arguments(kwargs: dict[str, object], match: str) -> None:
    df = pl.DataFrame({"offences": [3], "n": [1000]})
    with pytest.raises(groomstats.GroomstatsError, match=match):
        groomstats.rates(df, denominator="n", **kwargs)  # type: ignore[arg-type]


def test_text_counts_refused() -> None:
    df = pl.DataFrame({"offences": [" 59 "], "n": [1000]})
    with pytest.raises(groomstats.DataFormatError, match="'offences' must be numeric"):
        groomstats.rates(df, denominator="n")


def test_other_confidence_levels_named_like_phe() -> None:
    df = pl.DataFrame({"offences": [30], "n": [1000]})
    out = groomstats.rates(df, denominator="n", confidence=0.9)
    assert [c for c in out.columns if c.startswith(("lower", "upper"))] == [
        "lower_90",
        "upper_90",
    ]


def test_rank_ties_min_and_groups() -> None:
    df = pl.DataFrame(
        {
            "year": ["a", "a", "a", "b", "b"],
            "value": [3.0, 3.0, 1.0, float("nan"), 2.0],
            "flag": [False, False, False, False, False],
        }
    )
    out = groomstats.rank_areas(df, by="year")
    assert out["rank"].to_list() == [1, 1, 3, None, 1]
    assert out["rank_reason"].to_list() == [None, None, None, "no value", None]
    asc = groomstats.rank_areas(df.filter(pl.col("year") == "a"), descending=False)
    assert asc["rank"].to_list() == [2, 2, 1]


def test_public_names_are_the_functions_after_any_submodule_import() -> None:
    # Module names never shadow the functions they export: importing the submodules again
    # (as pytest's importlib mode does for doctests) leaves groomstats.rates etc. functions.
    for mod in (
        "groomstats.intervals",
        "groomstats.funnels",
        "groomstats.report.profile",
        "groomstats.counts",
        "groomstats.compare",
        "groomstats.proportions",
        "groomstats.areas",
        "groomstats.io",
    ):
        importlib.import_module(mod)
    assert groomstats.rates.__module__ == "groomstats.intervals"
    assert groomstats.shares.__module__ == "groomstats.proportions"
    assert groomstats.totals.__module__ == "groomstats.counts"
    assert groomstats.change.__module__ == "groomstats.compare"
    assert groomstats.funnel.__module__ == "groomstats.funnels"
    assert groomstats.profile.__module__ == "groomstats.report.profile"
    df = pl.DataFrame({"offences": [3], "n": [1000]})
    assert groomstats.rates(df, denominator="n")["value"][0] == pytest.approx(300.0)


# --- real data: 2017/18 88A per 100,000 children, 43 forces ----------------------------------


def _datasets() -> object:
    try:
        return importlib.import_module("groomstats.datasets")
    except ImportError:  # pragma: no cover - until the datasets module lands
        pytest.skip("groomstats.datasets not available yet")


def test_real_2017_18_rates_per_100k_children() -> None:
    ds = _datasets()
    prc = ds.prc()  # type: ignore[attr-defined]
    pop = ds.population()  # type: ignore[attr-defined]
    g = prc.filter(
        (pl.col("offence_code") == "88A")
        & (pl.col("financial_year") == "2017/18")
        & pl.col("territorial")
    )
    out = groomstats.rates(g, pop, by=["force_code", "force"])
    assert out.height == 43
    assert out["offences"].sum() == 4_429
    # children in mid-2017, the mid-year inside 2017/18 (first-published ONS estimates; the
    # district sum is checked independently in tests/datasets/test_population_years.py)
    assert out["population"].sum() == 12_495_246
    assert out["population_year"].unique().to_list() == [2017]
    # every force's rate and limits against the vectorised reference
    x = out["offences"].cast(pl.Float64).to_numpy()
    n = out["population"].cast(pl.Float64).to_numpy()
    for conf in LEVELS:
        s = confidence_suffix(conf)
        v, lo, hi = scipy_rates(x, n, 1e5, conf)
        np.testing.assert_allclose(out["value"].to_numpy(), v, rtol=1e-12)
        np.testing.assert_allclose(out[f"lower_{s}"].to_numpy(), lo, rtol=1e-9)
        np.testing.assert_allclose(out[f"upper_{s}"].to_numpy(), hi, rtol=1e-9)
    city = out.filter(pl.col("force_code") == "E23000034")
    assert city["population"][0] == 1_254  # mid-2017, as first published
    assert city["flag"][0] is True
    ranked = groomstats.rank_areas(out)
    assert ranked.filter(pl.col("force_code") == "E23000034")["rank"][0] is None
    assert ranked["rank"].drop_nulls().min() == 1
    assert ranked["rank"].null_count() == 1
