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

import warnings
from pathlib import Path

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import groomstats

FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


TERRITORIAL = groomstats.forces().filter(pl.col("territorial"))["force"].to_list()


BODIES = groomstats.forces().filter(~pl.col("territorial"))["force"].to_list()


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
