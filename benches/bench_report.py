"""End to end: time the ``groomstats report`` command line, as a user runs it.

Each run is a fresh process in a fresh temporary directory (so any files the report writes land
there). Peers on the same run: the floor of starting Python and importing groomstats
(``python -c "import groomstats"``), which every CLI call pays, so the ratio says how much of the
report is the work itself.

Run: ``python benches/bench_report.py`` (``GROOMSTATS_BENCH_QUICK=1``: 2 runs instead of 5).
Prints a ``BENCH {json}`` line for ``benches/run.py``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def timed(cmd: list[str], cwd: Path) -> float:
    t0 = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False)
    took = time.perf_counter() - t0
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return took


def main() -> None:
    runs = 2 if os.environ.get("GROOMSTATS_BENCH_QUICK") == "1" else 5
    exe = shutil.which("groomstats", path=str(Path(sys.executable).parent)) or shutil.which(
        "groomstats"
    )
    cli = [exe, "report"] if exe else [sys.executable, "-m", "groomstats.cli", "report"]
    report, floor = [], []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as d:
            report.append(timed(cli, Path(d)))
            floor.append(timed([sys.executable, "-c", "import groomstats"], Path(d)))
    r, f = min(report), min(floor)
    print(f"`groomstats report` end to end, best of {runs} fresh processes")
    print(f"  groomstats report                     {r:7.2f} s")
    print(f"  python -c 'import groomstats' (floor) {f:7.2f} s")
    print(f"  report work beyond start-up: {r - f:6.2f} s")
    print(
        "BENCH "
        + json.dumps(
            {
                "bench": "report",
                "task": "`groomstats report` CLI, end to end",
                "groomstats_s": r,
                "peer": "python -c 'import groomstats' (start-up floor)",
                "peer_s": f,
                "note": "no peer does this; the start-up floor is shown for scale",
            }
        )
    )


if __name__ == "__main__":
    main()
