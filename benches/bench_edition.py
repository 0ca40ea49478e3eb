"""Time read_prc() on a whole 13-sheet Home Office edition against fastexcel reading the same
sheets raw (the floor: parsing the spreadsheet into string columns, no cleaning).

The edition is written by ``tests/io/edition_gen.py``: sheets 2012_13 ... 2024_25 (the last
partial) of about 23,000 rows each, the 2017/18 sheet the real table shipped in the package,
the other years synthetic counts (used here only for their size), the 2013/14 stray columns and
N/a cells included, each row padded to 16,384 columns with one repeated empty cell as
LibreOffice writes Home Office tables. The time of the size check read_prc runs before opening
(``io/_limits.check_workbook``) is printed apart. Alternating runs, medians of 5 (3 with
``GROOMSTATS_BENCH_QUICK=1``, which also writes only the grooming and five other offence
codes). Goal: read_prc within 2x of
fastexcel. Run: ``python benches/bench_edition.py``.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import fastexcel
import polars as pl

import groomstats

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "io"))
from edition_gen import write_edition

QUICK = os.environ.get("GROOMSTATS_BENCH_QUICK") == "1"
CODES = ["88A", "8L", "1/4.1/4.10/4.2", "AF", "CIFAS", "UK Finance"] if QUICK else None


def fastexcel_raw(path: Path, sheets: list[str]) -> list[pl.DataFrame]:
    reader = fastexcel.read_excel(str(path))
    out = []
    for s in sheets:
        frame = reader.load_sheet(s, header_row=None, dtypes="string").to_polars()
        assert isinstance(frame, pl.DataFrame)
        out.append(frame)
    return out


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "prc-pfa-mar2013-onwards-tables-230426.ods"
        t0 = time.perf_counter()
        ed = write_edition(path, offence_codes=CODES)
        written = time.perf_counter() - t0
        rows = sum(r.height for r in ed.rows.values())
        mb = path.stat().st_size / 1e6
        print(f"edition: {len(ed.sheets)} sheets, {rows:,} rows, {mb:.1f} MB", end=" ")
        print(f"(written in {written:.1f} s)")
        df = groomstats.read_prc(path)
        assert df.height == rows
        ours: list[float] = []
        peer: list[float] = []
        for _ in range(3 if QUICK else 5):  # alternate, so load and caches favour neither
            t0 = time.perf_counter()
            groomstats.read_prc(path)
            ours.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            fastexcel_raw(path, ed.sheets)
            peer.append(time.perf_counter() - t0)
        g, f = statistics.median(ours), statistics.median(peer)
        from groomstats.io._limits import check_workbook

        checks = []
        for _ in range(3):
            t0 = time.perf_counter()
            check_workbook(path, path.name)
            checks.append(time.perf_counter() - t0)
        c = statistics.median(checks)
        print(
            f"of which the size check before opening (io/_limits.check_workbook) median "
            f"{c:7.3f} s; without it read_prc would take {(g - c) / f:.2f}x fastexcel's time"
        )
        print(f"read_prc (tidy, {rows:,} rows)        median {g:7.3f} s")
        print(f"fastexcel, same sheets raw (strings) median {f:7.3f} s")
        ratio = g / f
        print(
            f"read_prc takes {ratio:.2f}x the time of fastexcel reading the same sheets raw "
            f"(goal: within 2x -> {'met' if ratio <= 2 else 'NOT met'})"
        )
        print(
            "BENCH "
            + json.dumps(
                {
                    "bench": "edition",
                    "task": f"read_prc, 13-sheet edition ODS ({rows:,} rows)",
                    "groomstats_s": g,
                    "peer": "fastexcel, same sheets raw",
                    "peer_s": f,
                    "note": "goal: within 2x of the raw read",
                }
            )
        )


if __name__ == "__main__":
    main()
