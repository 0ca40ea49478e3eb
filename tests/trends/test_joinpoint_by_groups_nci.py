"""Joinpoint locations and their limits with many groups in one call, against the NCI
Joinpoint program's exports (tests/fixtures/joinpoint): the 18 series of analyses 01 and 03
(jump model, ICD-9 to ICD-10 in 1999), fitted with ``by=`` in one call per number of
joinpoints the program chose, give every joinpoint limit the program printed. (The
single-series test is in test_joinpoint_location_ci.py; this one checks that each group's
limits are read from its own data points, not a neighbouring group's.)"""

from __future__ import annotations

from pathlib import Path

import polars as pl

import groomstats

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "joinpoint"
KEYS = ["opioid_type", "race"]


def _program(folder: str) -> dict[tuple[str, str], list[tuple[int, int, int]]]:
    est = pl.read_csv(
        FIX / folder / f"{folder}.modelestimates.txt", separator=";", null_values="NA"
    )
    out: dict[tuple[str, str], list[tuple[int, int, int]]] = {}
    for (kind, race), grp in est.group_by(KEYS):
        rows = grp.drop_nulls("Joinpoint").sort("Joinpoint")
        out[(kind, race)] = rows.select(
            "Joinpoint", "Joinpoint 95% LCL", "Joinpoint 95% UCL"
        ).rows()
    return out


def test_every_groups_limits_in_one_call_are_the_programs() -> None:
    n_limits = widest = 0
    for folder in ("01_opioid_rates_long", "03_opioid_rates_by_type"):
        data = pl.read_csv(FIX / folder / "input.csv")
        want = _program(folder)
        assert len(want) == 9
        by_k: dict[int, list[tuple[str, str]]] = {}
        for key, rows in want.items():
            by_k.setdefault(len(rows), []).append(key)
        for k, keys in by_k.items():
            if k == 0:
                continue
            sub = data.filter(
                pl.struct(KEYS).is_in([dict(zip(KEYS, c, strict=True)) for c in keys])
            )
            res = groomstats.joinpoint(
                sub,
                by=KEYS,
                time="year",
                count="std_rate",
                se="sd",
                min_joins=k,
                max_joins=k,
                selection="bic",
                jump_before=1999,
            )
            got: dict[tuple[str, str], list[tuple[int, int, int]]] = {}
            for r in res.joinpoints.sort([*KEYS, "joinpoint"]).iter_rows(named=True):
                got.setdefault((r["opioid_type"], r["race"]), []).append(
                    (r["location"], r["lower_95"], r["upper_95"])
                )
            widest = max(widest, res.aapc.height)
            # numbered 1 .. k within each group (the documented ``joinpoint`` column)
            numbers = res.joinpoints.group_by(KEYS).agg(pl.col("joinpoint").sort())
            assert all(n == list(range(1, k + 1)) for n in numbers["joinpoint"].to_list())
            assert numbers.height == len(keys)
            for key in keys:
                # the limits as printed; the location itself can differ where two joinpoint
                # sets fit equally well either side of the jump (see joinpoint()'s docs)
                assert [g[1:] for g in got[key]] == [w[1:] for w in want[key]], (folder, key)
                n_limits += 2 * k
    assert widest >= 3  # several groups in one call
    assert n_limits == 2 * 61  # all 63 of the exports but analysis 02's two (one series)
