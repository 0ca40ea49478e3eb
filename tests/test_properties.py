"""Property tests (hypothesis) and small seeded coverage simulations.

* totals are invariant across granularities and row orderings, and equal the plain sum;
* every interval contains its estimate (lower <= value <= upper), and the 99.8% interval
  contains the 95% one, for every interval method shipped;
* no reader loses a row: on random valid CSVs ``rows_read == rows_kept + excluded`` and the
  counts survive;
* coverage simulations for the intervals no other module simulates (rate-ratio test, trend
  APC, bare exact Poisson limits).
"""

from __future__ import annotations

import math
import warnings
from datetime import date
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import groomstats

FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
TERRITORIAL = groomstats.forces().filter(pl.col("territorial"))["force"].to_list()
BODIES = groomstats.forces().filter(~pl.col("territorial"))["force"].to_list()


def quarter_bounds(fy: int, q: int) -> tuple[date, date]:
    m = 4 + 3 * (q - 1)
    y = fy + (m - 1) // 12
    m = (m - 1) % 12 + 1
    start = date(y, m, 1)
    end = pl.Series([start]).dt.offset_by("3mo").dt.offset_by("-1d")[0]
    return start, end


@st.composite
def quarterly(draw: st.DrawFn) -> pl.DataFrame:
    """Quarterly counts for 1-4 forces over three financial years (2017/18-2019/20)."""
    forces = draw(st.lists(st.sampled_from(TERRITORIAL), min_size=1, max_size=4, unique=True))
    rows = []
    for f in forces:
        for fy in (2017, 2018, 2019):
            for q in (1, 2, 3, 4):
                s, e = quarter_bounds(fy, q)
                n = draw(st.integers(min_value=-3, max_value=10_000))
                rows.append((f, s, e, n))
    df = pl.DataFrame(
        rows, schema=["force", "period_start", "period_end", "offences"], orient="row"
    )
    perm = draw(st.permutations(range(df.height)))
    return df[list(perm)]


# ---------------------------------------------------------------------------------------------
# totals
# ---------------------------------------------------------------------------------------------


@FAST
@given(quarterly())
def test_totals_invariant_across_granularities_and_orderings(df: pl.DataFrame) -> None:
    window = "2017-04-01..2020-03-31"
    whole = groomstats.totals(df, by="force", window=window).sort("force")
    by_fy = groomstats.totals(df, by="force", window=window, granularity="financial_year")
    by_q = groomstats.totals(df, by="force", window=window, granularity="quarter")
    plain = df.group_by("force").agg(pl.col("offences").sum()).sort("force")
    assert whole["offences"].to_list() == plain["offences"].to_list()
    for split in (by_fy, by_q):
        s = split.group_by("force").agg(pl.col("offences").sum()).sort("force")
        assert s["offences"].to_list() == plain["offences"].to_list()
    assert by_q.height == 12 * plain.height and by_fy.height == 3 * plain.height
    assert whole["complete"].all()
    # ordering of the input rows does not matter
    again = groomstats.totals(df.sort("period_start", "force"), by="force", window=window)
    assert again.sort("force").equals(whole)
    # the national roll-up is the sum of the forces
    nat = groomstats.totals(df, by=None, window=window)
    assert nat["offences"][0] == plain["offences"].sum()


@FAST
@given(
    st.lists(
        st.tuples(st.sampled_from(TERRITORIAL[:5]), st.integers(17_257, 17_257 + 3 * 365 - 1)),
        min_size=1,
        max_size=200,
    )
)
def test_count_records_then_totals_counts_every_record(recs: list[tuple[str, int]]) -> None:
    df = pl.DataFrame(
        {"force": [f for f, _ in recs], "date": pl.Series([d for _, d in recs]).cast(pl.Date)}
    )
    counts = groomstats.count_records(df, by="force", date="date")
    assert counts["offences"].sum() == len(recs)
    fy = groomstats.count_records(df, by="force", date="date", granularity="financial_year")
    assert fy["offences"].sum() == len(recs)
    t = groomstats.totals(counts, by="force", window="2017-04-01..2020-03-31")
    ref = df.group_by("force").len().sort("force")
    assert t.sort("force")["offences"].to_list() == ref["len"].to_list()


# ---------------------------------------------------------------------------------------------
# interval containment and monotonicity in the confidence level
# ---------------------------------------------------------------------------------------------

counts_st = st.lists(st.integers(0, 10**7), min_size=1, max_size=30)


def nested(lo95: np.ndarray, hi95: np.ndarray, lo998: np.ndarray, hi998: np.ndarray) -> None:
    ok = ~(np.isnan(lo95) | np.isnan(lo998))
    assert (lo998[ok] <= lo95[ok] * (1 + 1e-12) + 1e-300).all()
    assert (hi998[ok] >= hi95[ok] * (1 - 1e-12)).all()


@FAST
@given(counts_st)
def test_poisson_ci_contains_count_and_nests(counts: list[int]) -> None:
    a = groomstats.poisson_ci(counts, confidence=0.95)
    b = groomstats.poisson_ci(counts, confidence=0.998)
    x = np.asarray(counts, float)
    lo, hi = a["lower_95"].to_numpy(), a["upper_95"].to_numpy()
    assert (lo <= x).all() and (x <= hi).all() and (lo >= 0).all()
    nested(lo, hi, b["lower_99_8"].to_numpy(), b["upper_99_8"].to_numpy())


@FAST
@given(counts_st, st.integers(1_000, 10**8))
def test_rates_contain_value_and_nest(counts: list[int], denom: int) -> None:
    df = pl.DataFrame({"offences": counts, "n": [denom] * len(counts)})
    r = groomstats.rates(df, denominator="n")
    v = r["value"].to_numpy()
    lo95, hi95 = r["lower_95"].to_numpy(), r["upper_95"].to_numpy()
    assert (lo95 <= v * (1 + 1e-12)).all() and (v <= hi95 * (1 + 1e-12)).all()
    nested(lo95, hi95, r["lower_99_8"].to_numpy(), r["upper_99_8"].to_numpy())


@FAST
@given(st.lists(st.integers(0, 5_000), min_size=2, max_size=8))
def test_shares_contain_value_and_nest(counts: list[int]) -> None:
    if sum(counts) == 0:
        counts = [*counts[:-1], 1]
    n = len(counts)
    df = pl.DataFrame(
        {
            "force": ["Kent"] * n,
            "period": ["2023/24"] * n,
            "category": ["platform"] * n,
            "value": [f"P{i}" for i in range(n)],
            "offences": counts,
            "suppressed": [False] * n,
        }
    )
    s = groomstats.shares(df)
    v = s["value"].to_numpy()
    lo95, hi95 = s["lower_95"].to_numpy(), s["upper_95"].to_numpy()
    assert (lo95 <= v + 1e-9).all() and (v <= hi95 + 1e-9).all()
    nested(lo95, hi95, s["lower_99_8"].to_numpy(), s["upper_99_8"].to_numpy())
    assert math.isclose(float(v.sum()), 100.0, rel_tol=1e-9)


@FAST
@given(st.integers(0, 20_000), st.integers(0, 20_000), st.floats(0.2, 5.0))
def test_rate_ratio_interval_contains_statistic_and_nests(x1: int, x2: int, t1: float) -> None:
    a = groomstats.rate_ratio_test([x1], [x2], t1=t1, confidence=0.95)
    b = groomstats.rate_ratio_test([x1], [x2], t1=t1, confidence=0.998)
    stat, lo, hi = a["statistic"][0], a["lower_95"][0], a["upper_95"][0]
    if x1 + x2 == 0:
        return
    assert lo <= stat * (1 + 1e-9) or (stat == math.inf and hi == math.inf)
    assert stat <= hi * (1 + 1e-9) or hi == math.inf
    assert b["lower_99_8"][0] <= lo * (1 + 1e-12) and b["upper_99_8"][0] >= hi * (1 - 1e-12)
    assert 0.0 <= a["pvalue"][0] <= 1.0


@FAST
@given(st.lists(st.integers(1, 5_000), min_size=4, max_size=10))
def test_trend_apc_interval_contains_apc_and_nests(counts: list[int]) -> None:
    df = pl.DataFrame({"year": list(range(2018, 2018 + len(counts))), "offences": counts})
    a = groomstats.trend(df, time="year", confidence=0.95)
    b = groomstats.trend(df, time="year", confidence=0.998)
    assert a["lower_95"][0] <= a["apc"][0] <= a["upper_95"][0]
    assert b["lower_99_8"][0] <= a["lower_95"][0] and b["upper_99_8"][0] >= a["upper_95"][0]


@FAST
@given(
    st.lists(
        st.tuples(st.integers(0, 3_000), st.integers(10_000, 900_000)), min_size=3, max_size=12
    )
)
def test_funnel_limits_nest_and_surround_target(rows: list[tuple[int, int]]) -> None:
    if sum(x for x, _ in rows) == 0:
        return
    df = pl.DataFrame(rows, schema=["offences", "population"], orient="row")
    f = groomstats.funnel(df)
    t = f["target"].to_numpy()
    lo95, hi95 = f["funnel_lower_95"].to_numpy(), f["funnel_upper_95"].to_numpy()
    assert (lo95 <= t * (1 + 1e-12)).all() and (t <= hi95 * (1 + 1e-12)).all()
    nested(lo95, hi95, f["funnel_lower_99_8"].to_numpy(), f["funnel_upper_99_8"].to_numpy())


# ---------------------------------------------------------------------------------------------
# readers never lose a row
# ---------------------------------------------------------------------------------------------

HEADER = (
    "Financial Year,Financial Quarter,Force Name,Offence Description,Offence Group,"
    "Offence Subgroup,Offence Code,Number of Offences"
)

cell_st = st.one_of(
    st.integers(-50, 10**6).map(str),
    st.just("-00"),
    st.integers(0, 999).map(lambda n: f"  {n} "),
)


@st.composite
def prc_rows(draw: st.DrawFn) -> list[tuple[str, str, str] | None]:
    """Rows (force, quarter, count), unique by force and quarter, with blank rows (None)."""
    rows: list[tuple[str, str, str] | None] = list(
        draw(
            st.lists(
                st.tuples(
                    st.sampled_from(TERRITORIAL + BODIES),
                    st.sampled_from(["1", "2", "3", "4"]),
                    cell_st,
                ),
                min_size=1,
                max_size=40,
                unique_by=lambda r: (r[0], r[1]),
            )
        )
    )
    for pos in draw(st.lists(st.integers(0, len(rows)), max_size=5)):
        rows.insert(pos, None)
    return rows


def to_int(cell: str) -> int:
    return 0 if cell.strip() == "-00" else int(cell.strip())


@FAST
@given(prc_rows(), st.booleans())
def test_read_prc_accounts_for_every_row(
    rows: list[tuple[str, str, str] | None], territorial_only: bool
) -> None:
    lines = [HEADER]
    for r in rows:
        if r is None:
            lines.append(",,,,,,,")
        else:
            f, q, n = r
            name = f'"{f}"' if "," in f else f
            lines.append(
                f"2017/18,{q},{name},Sexual grooming,Sexual offences,Other sexual offences,88A,{n}"
            )
    data = ("\n".join(lines) + "\n").encode()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        df, rep = groomstats.read_prc(
            _tmp_csv(data),
            territorial_only=territorial_only,
            report=True,
        )
    assert rep.rows_read == rep.rows_kept + sum(rep.excluded.values())
    assert rep.rows_read == len(rows)
    assert rep.rows_kept == df.height
    kept = [r for r in rows if r is not None and (not territorial_only or r[0] in TERRITORIAL)]
    assert df.height == len(kept)
    assert df["offences"].sum() == sum(to_int(n) for _, _, n in kept)


_TMP: list[Path] = []


def _tmp_csv(data: bytes) -> Path:
    import tempfile

    d = Path(tempfile.mkdtemp(prefix="groomstats-prop-"))
    p = d / "prc.csv"
    p.write_bytes(data)
    _TMP.append(d)
    return p


@FAST
@given(
    st.lists(
        st.tuples(
            st.sampled_from(TERRITORIAL[:6]),
            st.sampled_from(["Snapchat", "Instagram", "Kik", "Unknown"]),
            st.one_of(st.integers(0, 9_999).map(str), st.just("*"), st.just("-")),
        ),
        min_size=1,
        max_size=24,
        unique_by=lambda r: (r[0], r[1]),
    )
)
def test_read_breakdown_accounts_for_every_row(rows: list[tuple[str, str, str]]) -> None:
    text = "Force,Period,Platform,Offences\n" + "".join(
        f"{f},2023/24,{p},{n}\n" for f, p, n in rows
    )
    df, rep = groomstats.read_breakdown(_tmp_csv(text.encode()), report=True)
    assert rep.rows_read == rep.rows_kept + sum(rep.excluded.values()) == len(rows)
    assert df.height == len(rows)
    assert df["suppressed"].sum() == sum(n == "*" for _, _, n in rows)
    want = sum(int(n) for _, _, n in rows if n not in ("*", "-"))
    assert (df["offences"].sum() or 0) == want


@pytest.fixture(scope="module", autouse=True)
def _cleanup() -> object:
    yield None
    import shutil

    for d in _TMP:
        shutil.rmtree(d, ignore_errors=True)


# ---------------------------------------------------------------------------------------------
# coverage simulations (small, seeded) for the intervals not simulated elsewhere
# ---------------------------------------------------------------------------------------------

DRAWS = 4_000


def tol(p: float, draws: int = DRAWS) -> float:
    return 4 * math.sqrt(p * (1 - p) / draws)


@pytest.mark.parametrize(("mu1", "mu2"), [(3.0, 5.0), (40.0, 25.0), (400.0, 380.0)])
def test_rate_ratio_interval_coverage(mu1: float, mu2: float) -> None:
    rng = np.random.default_rng(int(mu1 + mu2))
    x1, x2 = rng.poisson(mu1, DRAWS), rng.poisson(mu2, DRAWS)
    r = groomstats.rate_ratio_test(x1, x2, confidence=0.95)
    true = mu1 / mu2
    lo, hi = r["lower_95"].to_numpy(), r["upper_95"].to_numpy()
    ok = ~np.isnan(lo)
    cover = float(np.mean((lo[ok] <= true) & (true <= hi[ok])))
    # conditional exact (Clopper-Pearson) intervals are conservative: at least nominal
    assert cover >= 0.95 - tol(0.95), cover
    # and the test holds its size: rejections of the true ratio <= 5%
    p = groomstats.rate_ratio_test(x1, x2, ratio=true)["pvalue"].to_numpy()
    assert float(np.mean(p[ok] < 0.05)) <= 0.05 + tol(0.05)


@pytest.mark.parametrize("mean", [0.7, 4.0, 30.0, 2_000.0])
def test_poisson_ci_coverage(mean: float) -> None:
    rng = np.random.default_rng(int(mean * 7))
    x = rng.poisson(mean, DRAWS)
    for conf in (0.95, 0.998):
        r = groomstats.poisson_ci(x, confidence=conf)
        sfx = "95" if conf == 0.95 else "99_8"
        lo, hi = r[f"lower_{sfx}"].to_numpy(), r[f"upper_{sfx}"].to_numpy()
        cover = float(np.mean((lo <= mean) & (mean <= hi)))
        assert cover >= conf - tol(conf), (mean, conf, cover)


def test_trend_apc_interval_coverage() -> None:
    rng = np.random.default_rng(2026)
    series, years, apc = 400, 8, 6.0
    t = np.arange(years)
    mu = 80.0 * np.exp(math.log1p(apc / 100) * t)
    y = rng.poisson(np.tile(mu, (series, 1)))
    df = pl.DataFrame(
        {
            "s": np.repeat(np.arange(series), years),
            "year": np.tile(2018 + t, series),
            "offences": y.ravel(),
        }
    )
    out = groomstats.trend(df, by="s", time="year")
    cover = float(((out["lower_95"] <= apc) & (apc <= out["upper_95"])).mean())
    # Wald intervals of a correctly specified Poisson GLM: nominal up to simulation noise
    assert abs(cover - 0.95) <= tol(0.95, series) + 0.01, cover


POP_DATA = Path(str(__import__("importlib").resources.files("groomstats") / "data"))
POP_SHEET = POP_DATA / "ons-mye2-persons-mid2023.csv.gz"
POP_LOOKUP = POP_DATA / "lad23_csp23_pfa23_lookup_dec2023.csv.gz"


@settings(max_examples=6, deadline=None)
@given(st.data())
def test_read_population_accounts_for_every_row_and_person(data: st.DataObject) -> None:
    """Shuffle the ONS sheet's data rows and rewrite some local authorities' single years of
    age: every row is still accounted for and the force totals move by exactly the change."""
    grid = pl.read_csv(POP_SHEET, has_header=False, infer_schema=False)
    lads = set(pl.read_csv(POP_LOOKUP, infer_schema=False)["LAD23CD"].to_list())
    head, body = grid.head(2), grid.slice(2)
    base = groomstats.read_population(POP_SHEET, POP_LOOKUP, bands="all ages")
    rows = [list(r) for r in body.rows()]
    la_rows = [i for i, r in enumerate(rows) if r[0] in lads]
    chosen = data.draw(st.lists(st.sampled_from(la_rows), max_size=8, unique=True))
    delta = 0
    for i in chosen:
        ages = data.draw(st.lists(st.integers(0, 5_000), min_size=91, max_size=91))
        delta += sum(ages) - int(rows[i][3])
        rows[i] = [*rows[i][:3], str(sum(ages)), *map(str, ages)]
    perm = data.draw(st.permutations(range(len(rows))))
    text = "\n".join(
        ",".join("" if v is None else f'"{v}"' for v in r)
        for r in [*head.rows(), *(rows[j] for j in perm)]
    )
    pop, rep = groomstats.read_population(
        _tmp_csv(text.encode()), POP_LOOKUP, bands="all ages", year=2023, report=True
    )
    assert rep.rows_read == rep.rows_kept + sum(rep.excluded.values()) == len(rows)
    assert pop["population"].sum() - base["population"].sum() == delta
    assert pop.height == base.height
