"""End to end: time the ``groomstats report`` command line, as a user runs it, cold.

Each run is a fresh process in a fresh temporary directory (so any files the report writes land
there). The peer on the same run is the floor every CLI call pays: starting Python and importing
groomstats (``python -c "import groomstats"``). The two are timed alternately (report, import,
report, import, ...) and the medians compared; the target (issue 13) is a report at most 8x the
import, i.e. the whole report in roughly the time of a few imports.

Run: ``python benches/bench_report.py`` (``GROOMSTATS_BENCH_QUICK=1``: 3 runs instead of 7).
Prints ``BENCH {json}`` lines for ``benches/run.py``.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET = 8.0


def timed(cmd: list[str], cwd: Path) -> float:
    t0 = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False)
    took = time.perf_counter() - t0
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return took


def main() -> None:
    runs = 3 if os.environ.get("GROOMSTATS_BENCH_QUICK") == "1" else 7
    exe = shutil.which("groomstats", path=str(Path(sys.executable).parent)) or shutil.which(
        "groomstats"
    )
    cli = [exe] if exe else [sys.executable, "-m", "groomstats.cli"]
    floor_cmd = [sys.executable, "-c", "import groomstats"]
    print(f"`groomstats report` end to end, median of {runs} fresh processes, alternating")
    for fmt in ("md", "html"):
        report, floor = [], []
        for _ in range(runs):
            with tempfile.TemporaryDirectory() as d:
                report.append(timed([*cli, "report", "--quiet", "--format", fmt], Path(d)))
                floor.append(timed(floor_cmd, Path(d)))
        r, f = statistics.median(report), statistics.median(floor)
        ratio = r / f
        verdict = "within" if ratio <= TARGET else "OVER"
        print(f"  groomstats report --format {fmt:<4}            {r:7.2f} s")
        print(f"  python -c 'import groomstats' (floor)      {f:7.2f} s")
        print(f"  report / import: {ratio:.1f}x ({verdict} the {TARGET:.0f}x target)")
        print(
            "BENCH "
            + json.dumps(
                {
                    "bench": "report",
                    "task": f"`groomstats report --format {fmt}` CLI, cold, end to end "
                    f"(report / import = {ratio:.1f}x, target <= {TARGET:.0f}x)",
                    "groomstats_s": r,
                    "peer": "python -c 'import groomstats' (start-up floor)",
                    "peer_s": f,
                    "note": f"ratio report/import {ratio:.1f}x: {verdict} the {TARGET:.0f}x target",
                }
            )
        )


if __name__ == "__main__":
    main()
