"""Peak memory of counting a LazyFrame that does not fit comfortably in memory: groomstats
against the polars streaming query, 50,000,000 rows.

Two synthetic Parquet files (labelled synthetic; written here, in a temporary folder, in chunks):

* records: one row per offence (``force``, ``platform``, ``date`` over 2017/18-2019/20);
  ``groomstats.count_records(pl.scan_parquet(...), by=["force", "platform"], date="date")``
  against ``scan_parquet(...).group_by("force", "platform", date.dt.truncate("1q")).len()
  .collect(engine="streaming")``;
* tidy quarters: ``force``, ``offence_code``, ``subcategory``, ``period_start``,
  ``period_end``, ``offences``, each row a distinct figure (groomstats refuses rows equal in
  every column but the count, and checks the rows of the window for them);
  ``groomstats.totals(pl.scan_parquet(...), by="force", window="2017/18")`` against the same
  figures from a polars streaming query (force keys + filtered group_by + left join).

Each measurement runs in a fresh Python process (peak resident set size ``VmHWM`` from
``/proc/self/status``, Linux, which includes the interpreter and the imported libraries; a
process that only imports them is measured too), alternating groomstats and polars, 3 runs each,
medians. Target: groomstats' peak within 1.5x of the polars streaming query's.

Run: ``python benches/bench_memory.py [rows]`` (``GROOMSTATS_BENCH_QUICK=1``: 5,000,000 rows).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

import numpy as np
import polars as pl

import groomstats

PLATFORMS = ["Snapchat", "Instagram", "Facebook", "WhatsApp", "TikTok", "Kik", "Other", "Unknown"]
CODES = ["88A", "88E", "17A", "19C", "20A", "21B", "22A", "23", "70", "71"]
CHUNK = 5_000_000

PRELUDE = """
import sys, time, warnings
import polars as pl
import groomstats
warnings.simplefilter("ignore")
path = sys.argv[1]
t0 = time.perf_counter()
"""
# VmHWM (peak resident set of this process image): ru_maxrss would carry the parent's peak
# across fork + exec on Linux
EPILOGUE = """
took = time.perf_counter() - t0
hwm = [l for l in open("/proc/self/status") if l.startswith("VmHWM:")][0].split()[1]
print(int(hwm) / 1024, took, out.height)
"""

JOBS = {
    "imports only": "out = pl.DataFrame({'a': [1]})",
    "count_records": (
        "out = groomstats.count_records(pl.scan_parquet(path), by=['force', 'platform'],"
        " date='date')"
    ),
    "polars count": (
        "out = (pl.scan_parquet(path).group_by('force', 'platform',"
        " pl.col('date').dt.truncate('1q')).len().collect(engine='streaming'))"
    ),
    "totals": "out = groomstats.totals(pl.scan_parquet(path), by='force', window='2017/18')",
    "polars totals": (
        "lf = pl.scan_parquet(path)\n"
        "inside = (pl.col('period_start') >= pl.date(2017, 4, 1))"
        " & (pl.col('period_end') <= pl.date(2018, 3, 31))\n"
        "sums = lf.filter(inside).group_by('force').agg(pl.col('offences').sum())\n"
        "out = (lf.select('force').unique().join(sums, on='force', how='left')"
        ".collect(engine='streaming'))"
    ),
}


def write(path: Path, rows: int, tidy: bool) -> None:
    rng = np.random.default_rng(50)
    forces = groomstats.forces().get_column("force").head(44)
    start = (date(2017, 4, 1) - date(1970, 1, 1)).days
    qs = pl.date_range(date(2013, 4, 1), date(2023, 1, 1), "3mo", eager=True)
    qe = qs.dt.offset_by("3mo").dt.offset_by("-1d")
    parts = []
    done = 0
    while done < rows:
        n = min(CHUNK, rows - done)
        f = forces.gather(rng.integers(0, forces.len(), n))
        if tidy:
            qi = rng.integers(0, qs.len(), n)
            df = pl.DataFrame(
                {
                    "force": f,
                    "offence_code": pl.Series(CODES).gather(rng.integers(0, len(CODES), n)),
                    "period_start": qs.gather(qi),
                    "period_end": qe.gather(qi),
                    "offences": rng.poisson(3.0, n),
                }
            )
            # the k-th row of a force, code and quarter in this chunk: every row distinct
            k = pl.int_range(pl.len(), dtype=pl.Int64).over("force", "offence_code", "period_start")
            df = df.with_columns((k + len(parts) * 1_000_000).alias("subcategory"))
        else:
            df = pl.DataFrame(
                {
                    "force": f,
                    "platform": pl.Series(PLATFORMS).gather(rng.integers(0, len(PLATFORMS), n)),
                    "date": pl.Series(rng.integers(start, start + 3 * 365, n, dtype=np.int32)).cast(
                        pl.Date
                    ),
                }
            )
        part = path.with_name(f"{path.stem}-{len(parts):03d}.parquet")
        df.write_parquet(part)
        parts.append(part)
        done += n
    path.mkdir()
    for p in parts:
        p.rename(path / p.name)


def measure(job: str, path: Path) -> tuple[float, float, int]:
    code = PRELUDE + JOBS[job] + EPILOGUE
    res = subprocess.run(
        [sys.executable, "-c", code, str(path / "*.parquet")],
        capture_output=True,
        text=True,
        check=True,
    )
    mb, took, height = res.stdout.split()
    return float(mb), float(took), int(height)


def main() -> None:
    quick = os.environ.get("GROOMSTATS_BENCH_QUICK") == "1"
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else (5_000_000 if quick else 50_000_000)
    runs = 3
    with tempfile.TemporaryDirectory() as tmp:
        rec, tidy = Path(tmp) / "records", Path(tmp) / "tidy"
        write(rec, rows, tidy=False)
        write(tidy, rows, tidy=True)
        base = statistics.median(measure("imports only", rec)[0] for _ in range(runs))
        print(f"peak memory, {rows:,} rows in Parquet (LazyFrame), fresh process per run")
        print(f"  a process that only imports polars and groomstats: {base:7.0f} MB")
        for ours, peer, path, task in (
            ("count_records", "polars count", rec, "count_records by force x platform x quarter"),
            ("totals", "polars totals", tidy, "totals by force, window 2017/18"),
        ):
            got: dict[str, list[tuple[float, float, int]]] = {ours: [], peer: []}
            for _ in range(runs):
                for job in (ours, peer):
                    got[job].append(measure(job, path))
            assert {h for *_, h in got[ours]} == {h for *_, h in got[peer]}, got
            mb = {k: statistics.median(m for m, _, _ in v) for k, v in got.items()}
            s = {k: statistics.median(t for _, t, _ in v) for k, v in got.items()}
            print(f"{task}, {rows:,} rows (medians of {runs})")
            print(f"  groomstats.{ours:<14} {mb[ours]:7.0f} MB peak  {s[ours]:7.2f} s")
            print(f"  polars streaming       {mb[peer]:7.0f} MB peak  {s[peer]:7.2f} s")
            print(
                f"  memory ratio groomstats / polars streaming: {mb[ours] / mb[peer]:5.2f}x "
                "(target <= 1.5x)"
            )
            print(
                "BENCH "
                + json.dumps(
                    {
                        "bench": "memory",
                        "task": f"{task}, {rows:,} rows, peak MB",
                        "groomstats_s": mb[ours],
                        "peer": "polars streaming query (same figures)",
                        "peer_s": mb[peer],
                        "unit": "MB",
                        "note": "peak memory; target within 1.5x (ratio >= 0.67)",
                    }
                )
            )


if __name__ == "__main__":
    main()
