"""Print pip/uv constraints pinning every runtime dependency of groomstats to its declared floor.

Reads ``[project].dependencies`` from pyproject.toml: every entry must have a ``>=`` floor
(``polars>=1.25`` -> ``polars==1.25``). A dependency without one is an error, so a floor cannot
silently go untested. With ``--check`` it instead compares the versions installed in the running
interpreter against the floors and exits non-zero on any difference (proof that the floors run
really ran at the floors).

Usage: python .ci/floor_constraints.py [pyproject.toml] [--check]
"""

from __future__ import annotations

import re
import sys
from importlib import metadata
from pathlib import Path

try:
    import tomllib  # novermin (3.10 falls back to tomli)
except ImportError:  # Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

FLOOR = re.compile(
    r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*>=\s*([0-9][0-9a-zA-Z.]*)\s*(,.*)?$"
)


def floors(pyproject: Path) -> dict[str, str]:
    deps = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["dependencies"]
    out: dict[str, str] = {}
    for dep in deps:
        spec = dep.split(";", 1)[0]
        m = FLOOR.match(spec)
        if m is None:
            sys.exit(f"floor_constraints: dependency {dep!r} in {pyproject} has no '>=' floor")
        out[m.group(1)] = m.group(3)
    return out


def _same(installed: str, floor: str) -> bool:
    # "1.20" is satisfied by "1.20.0" (pip/uv pick the release itself for ==1.20)
    a = installed.split(".")
    b = floor.split(".")
    n = max(len(a), len(b))
    a += ["0"] * (n - len(a))
    b += ["0"] * (n - len(b))
    return a == b


def main(argv: list[str]) -> int:
    check = "--check" in argv
    paths = [a for a in argv if not a.startswith("--")]
    pyproject = (
        Path(paths[0]) if paths else Path(__file__).resolve().parent.parent / "pyproject.toml"
    )
    want = floors(pyproject)
    if not check:
        for name, version in want.items():
            print(f"{name}=={version}")
        return 0
    bad = 0
    for name, version in want.items():
        got = metadata.version(name)
        ok = _same(got, version)
        bad += not ok
        print(
            f"  {name:<12} floor {version:<8} installed {got:<10} {'ok' if ok else 'NOT AT FLOOR'}"
        )
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
