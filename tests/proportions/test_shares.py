"""groomstats.shares: Wilson limits against PHStatsMethods and statsmodels, denominators where
recorded, suppressed cells, groups of platforms and multi-response data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import polars as pl
import pytest
from statsmodels.stats.proportion import proportion_confint

import groomstats
from groomstats import _core


def breakdown(rows: list[tuple[str, str, str, int | None]]) -> pl.DataFrame:
    """A breakdown frame (contract of docs/DEVELOPING.md) from (force, period, value, offences)."""
    return pl.DataFrame(
        {
            "force": [r[0] for r in rows],
            "force_code": [None] * len(rows),
            "period": [r[1] for r in rows],
            "category": ["platform"] * len(rows),
            "value": [r[2] for r in rows],
            "offences": [r[3] for r in rows],
            "suppressed": [r[3] is None for r in rows],
        },
        schema_overrides={"force_code": pl.String, "offences": pl.Int64},
    )


def one_row_groups(x: np.ndarray, n: np.ndarray) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Each (x, n) pair as its own period with one category and an explicit denominator."""
    periods = [f"p{i:05d}" for i in range(len(x))]
    b = breakdown([("F", p, "Snapchat", int(v)) for p, v in zip(periods, x, strict=True)])
    den = pl.DataFrame({"period": periods, "denominator": n.astype(np.int64)})
    return b, den


def test_wilson_matches_phstatsmethods_ph_proportion() -> None:
    from PHStatsMethods import ph_proportion

    rng = np.random.default_rng(1824)
    n = rng.integers(1, 5_000, 300)
    x = rng.integers(0, n + 1)
    b, den = one_row_groups(x, n)
    out = groomstats.shares(b, by="period", denominator=den, multi_response=True)
    ref = ph_proportion(
        pd.DataFrame({"x": x, "n": n}), "x", "n", confidence=[0.95, 0.998], multiplier=100
    )
    np.testing.assert_allclose(out["value"].to_numpy(), ref["Value"], rtol=1e-12)
    for sfx in ("95", "99_8"):
        for side in ("lower", "upper"):
            np.testing.assert_allclose(
                out[f"{side}_{sfx}"].to_numpy(),
                ref[f"{side}_{sfx}_ci"],
                rtol=1e-9,
                atol=1e-12,
            )
    assert set(out["method"].to_list()) == {"Wilson"}


def test_wilson_kernel_matches_statsmodels_on_thousands() -> None:
    rng = np.random.default_rng(7062)
    n = rng.integers(1, 100_000, 5_000).astype(float)
    x = np.floor(rng.random(5_000) * (n + 1))
    x[:3] = [0.0, n[1], 1.0]
    pi = _core.wilson_ci(x, n, [0.95, 0.998])
    value, lowers, uppers = pi.value, pi.lower, pi.upper
    for conf, lo, hi in zip((0.95, 0.998), lowers, uppers, strict=True):
        ref_lo, ref_hi = proportion_confint(x, n, alpha=1 - conf, method="wilson")
        np.testing.assert_allclose(lo, ref_lo, rtol=1e-9, atol=1e-14)
        np.testing.assert_allclose(hi, ref_hi, rtol=1e-9, atol=1e-14)
    np.testing.assert_allclose(value, x / n, rtol=1e-15)
    bad = _core.wilson_ci(np.array([5.0, -1.0, 1.0]), np.array([4.0, 4.0, 0.0]), [0.95])
    bad_v, bad_lo = bad.value, bad.lower
    assert np.isnan(bad_v).all() and np.isnan(bad_lo[0]).all()


def test_single_response_denominator_is_sum_where_recorded() -> None:
    b = breakdown(
        [
            ("A", "2023/24", "Snapchat", 30),
            ("A", "2023/24", "Instagram", 10),
            ("A", "2023/24", "Not recorded", 100),
            ("B", "2023/24", "Snapchat", 20),
            ("B", "2023/24", "Unknown", 7),
            ("B", "2023/24", "Instagram", None),
        ]
    )
    out = groomstats.shares(b)
    assert out["platform"].to_list() == ["Snapchat", "Instagram"]
    assert out["offences"].to_list() == [50, 10]
    assert out["unknown"].to_list() == [107, 107]
    assert out["suppressed_cells"].to_list() == [0, 1]
    assert out["multi_response"].to_list() == [False, False]
    # B's Instagram cell is suppressed (1-4): the denominator is 61..64, not 60; by hand,
    # Snapchat 50/64 .. 50/61 and Instagram 11/61 .. 14/64; no single value
    assert out["denominator"].to_list() == [None, None]
    assert out["value"].to_list() == [None, None]
    assert out["value_min"].to_list() == pytest.approx([100 * 50 / 64, 100 * 11 / 61])
    assert out["value_max"].to_list() == pytest.approx([100 * 50 / 61, 100 * 14 / 64])
    assert out["note"][1] == "1 cell(s) suppressed (1-4 each): the share is a range"
    assert out["note"][0] == (
        "1 cell(s) suppressed in other categories: the denominator is a range"
    )
    lo, _ = proportion_confint(50, 64, alpha=0.05, method="wilson")
    _, hi = proportion_confint(50, 61, alpha=0.05, method="wilson")
    assert out["lower_95"][0] == pytest.approx(100 * lo, rel=1e-12)
    assert out["upper_95"][0] == pytest.approx(100 * hi, rel=1e-12)
    # without the suppressed cell the share is a single value: 50 of 60
    exact = groomstats.shares(b.filter(~pl.col("suppressed")))
    assert exact["denominator"].to_list() == [60, 60]
    assert exact["value"].sum() == pytest.approx(100.0)
    lo, hi = proportion_confint(50, 60, alpha=0.05, method="wilson")
    assert exact["lower_95"][0] == pytest.approx(100 * lo, rel=1e-12)
    assert exact["upper_95"][0] == pytest.approx(100 * hi, rel=1e-12)


def test_suppressed_everywhere_is_unknown_not_zero() -> None:
    b = breakdown(
        [
            ("A", "2023/24", "Snapchat", 30),
            ("A", "2023/24", "Kik", None),
            ("B", "2023/24", "Kik", None),
        ]
    )
    out = groomstats.shares(b)
    kik = out.filter(pl.col("platform") == "Kik")
    assert kik["offences"][0] is None  # no cell shown: never 0
    assert kik["value"][0] is None
    assert kik["suppressed_cells"][0] == 2
    assert kik["note"][0] == "2 cell(s) suppressed (1-4 each): the share is a range"
    # two cells of 1-4 beside Snapchat's 30: 2/32 .. 8/38
    assert (kik["value_min"][0], kik["value_max"][0]) == pytest.approx((100 * 2 / 32, 100 * 8 / 38))


def test_multi_response_needs_explicit_denominator_and_may_exceed_100() -> None:
    b = breakdown(
        [
            ("A", "2023/24", "Snapchat", 60),
            ("A", "2023/24", "WhatsApp", 30),
            ("A", "2023/24", "Facebook", 25),
            ("A", "2023/24", "Instagram", 15),
            ("A", "2023/24", "Method recorded", 100),
        ]
    )
    with pytest.raises(groomstats.GroomstatsError, match="denominator="):
        groomstats.shares(b, multi_response=True)
    meta = {"Meta": ["Facebook", "Messenger", "Instagram", "WhatsApp"]}
    with pytest.raises(groomstats.GroomstatsError, match="'Messenger'"):
        groomstats.shares(b, denominator="Method recorded", multi_response=True, groups=meta)
    meta = {"Meta": ["Facebook", "Instagram", "WhatsApp"]}
    out = groomstats.shares(b, denominator="Method recorded", multi_response=True, groups=meta)
    assert out["platform"].to_list() == ["Meta", "Snapchat", "WhatsApp", "Facebook", "Instagram"]
    m = out.row(0, named=True)
    assert m["offences"] == 70 and m["members"] == "Facebook, Instagram, WhatsApp"
    assert m["value"] == pytest.approx(70.0)
    assert "counted more than once" in m["note"]
    singles = out.filter(pl.col("members").is_null())
    assert singles["value"].sum() == pytest.approx(130.0)  # > 100%: several platforms per offence
    # the same with the denominator as a number and as a frame
    b = b.filter(pl.col("value") != "Method recorded")
    n2 = groomstats.shares(b, denominator=100, multi_response=True)
    den = pl.DataFrame({"period": ["2023/24"], "denominator": [100]})
    n3 = groomstats.shares(b, denominator=den, multi_response=True)
    assert n2["value"].to_list() == n3["value"].to_list() == singles["value"].to_list()


def test_published_nspcc_shares_2017_first_nine_months() -> None:
    # nspcc_platform_shares.csv, release 2018-06 (Manchester Evening News, 8 June 2018):
    # 956 offences with the method recorded, April-December 2017; published percentages.
    published = {"Facebook": 32.6, "Snapchat": 18.4, "Instagram": 15.6, "WhatsApp": 3.2}
    # only percentages were published; with 956 offences one count is 0.105 points, so each
    # published one-decimal percentage pins exactly one count (checked here, not assumed)
    counts = {}
    for k, v in published.items():
        fits = [c for c in range(957) if round(100 * c / 956, 1) == v]
        assert len(fits) == 1, (k, fits)
        counts[k] = fits[0]
    b = breakdown([("E&W", "2017", k, v) for k, v in counts.items()])
    out = groomstats.shares(
        b,
        by="period",
        denominator=956,
        multi_response=True,
        groups={"Facebook-owned apps": ["Facebook", "Instagram", "WhatsApp"]},
    )
    got = dict(zip(out["platform"], out["value"].round(1), strict=True))
    for k, v in published.items():
        assert got[k] == v
        # the limits against statsmodels' Wilson interval (an independent implementation)
        row = out.filter(pl.col("platform") == k).row(0, named=True)
        lo, hi = proportion_confint(counts[k], 956, alpha=0.05, method="wilson")
        assert row["lower_95"] == pytest.approx(100 * lo, rel=1e-12)
        assert row["upper_95"] == pytest.approx(100 * hi, rel=1e-12)
    assert got["Facebook-owned apps"] == pytest.approx(
        sum(counts[k] for k in published if k != "Snapchat") / 9.56, abs=0.05
    )


def test_by_force_and_pandas_input() -> None:
    b = breakdown(
        [
            ("A", "2023/24", "Snapchat", 3),
            ("A", "2023/24", "Kik", 1),
            ("B", "2023/24", "Snapchat", 5),
        ]
    )
    out = groomstats.shares(b.to_pandas(), by=["force", "period"])
    assert out.select("force", "platform", "value").rows() == [
        ("A", "Snapchat", 75.0),
        ("A", "Kik", 25.0),
        ("B", "Snapchat", 100.0),
    ]
    pooled = groomstats.shares(b, by=[], per=1)
    assert pooled["value"].to_list() == [8 / 9, 1 / 9]


def test_bad_inputs_named() -> None:
    b = breakdown([("A", "2023/24", "Snapchat", 3)])
    with pytest.raises(groomstats.GroomstatsError, match="did you mean 'platform'"):
        groomstats.shares(b, category="platfrom")
    with pytest.raises(groomstats.GroomstatsError, match="not a platform value"):
        groomstats.shares(b, denominator="Total", multi_response=True)
    with pytest.raises(groomstats.DataFormatError, match="negative 'offences'"):
        groomstats.shares(b.with_columns(offences=-2))
    with pytest.raises(groomstats.DataFormatError, match="missing column 'suppressed'"):
        groomstats.shares(b.drop("suppressed"))
    with pytest.raises(groomstats.GroomstatsError, match="already a platform value"):
        groomstats.shares(b, groups={"Snapchat": ["Snapchat"]})


def test_not_provided_cells_left_out_and_counted() -> None:
    # read_breakdown: "N/a" or empty -> offences null with suppressed False (not provided)
    b = breakdown([("A", "2023/24", "Snapchat", 30), ("B", "2023/24", "Snapchat", 10)])
    b = pl.concat([b, b.head(1).with_columns(force=pl.lit("C"), offences=None, suppressed=False)])
    out = groomstats.shares(b)
    assert out["offences"].to_list() == [40]
    assert out["suppressed_cells"].to_list() == [0]
    assert out["missing_cells"].to_list() == [1]
    assert "not provided" in out["note"][0]


def test_end_to_end_from_read_breakdown(tmp_path: object) -> None:
    from pathlib import Path

    from groomstats import io

    path = Path(str(tmp_path)) / "platforms.csv"
    path.write_text(
        "Force,Period,Snapchat,Instagram,WhatsApp,Unknown\n"
        "Kent,2023/24,30,*,-,40\n"
        "Essex,2023/24,12,5,N/a,11\n"
    )
    b = io.read_breakdown(path, category="platform")
    out = groomstats.shares(b)
    assert out.select("platform", "offences", "suppressed_cells", "missing_cells").rows() == [
        ("Snapchat", 42, 0, 0),
        ("Instagram", 5, 1, 0),
        ("WhatsApp", 0, 0, 1),  # "-" is a real zero; "N/a" is left out and counted
    ]
    # Kent's Instagram cell is suppressed (1-4): the denominator is 48..51, by hand
    assert out["denominator"].to_list() == [None] * 3
    assert out["unknown"].to_list() == [51] * 3
    assert out["value_min"].to_list() == pytest.approx([100 * 42 / 51, 100 * 6 / 48, 0.0])
    assert out["value_max"].to_list() == pytest.approx([100 * 42 / 48, 100 * 9 / 51, 0.0])
    lo, _ = proportion_confint(42, 51, alpha=0.002, method="wilson")
    _, hi = proportion_confint(42, 48, alpha=0.002, method="wilson")
    assert out["lower_99_8"][0] == pytest.approx(100 * lo, rel=1e-12)
    assert out["upper_99_8"][0] == pytest.approx(100 * hi, rel=1e-12)
