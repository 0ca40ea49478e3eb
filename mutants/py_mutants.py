"""Mutation testing for the Python statistics modules: the cargo-mutants idea, in one script.

Each mutant is one small change to one source file (a comparison flipped, an arithmetic or
boolean operator swapped, ``not`` deleted, a keyword argument dropped from a call, a number
nudged). The tests of the module's own folder (``tests/<module>/``) are run against it; it is
*caught* when they fail (or time out twice, the second time in a fresh interpreter). The source
file is edited in place and always restored, so run it on a clean checkout with the package built
in development mode (``maturin develop``, or the shared ``_core.abi3.so`` copied in)::

    python mutants/py_mutants.py                          # every module, every mutant
    python mutants/py_mutants.py --module compare --list  # what would be tried
    python mutants/py_mutants.py --module funnels         # one module
    python mutants/py_mutants.py --module trends --sample 4 --seed 1   # one in four
    python mutants/py_mutants.py --module compare --rerun-survivors    # after new tests

How it stays affordable on a small machine:

- one *coverage pass* per module records which tests execute which lines (``sys.settrace``,
  only for the module's own files); a mutant whose line no test executes is reported as
  ``uncovered`` (a survivor, not run), and every other mutant runs only the tests that execute
  its statement, fastest first, stopping at the first failure (``pytest -x``). A mutant at
  module or class level (constants, defaults, decorators), or on a line first run while a
  fixture was being set up, runs the module's whole test folder;
- the parent process imports the heavy libraries that never import the package (numpy, scipy,
  pandas, matplotlib, hypothesis, pytest) once and forks one child per mutant; the child
  imports polars and groomstats itself, from the mutated file on disk. No ``.pyc`` is written
  for the mutated files, so a stale compiled mutant can never be picked up.

The score per file, the command and the survivors are written to
``mutants/python-outcomes.json`` (``--out``); ``mutants/SURVIVORS.md`` reviews each survivor.
"""

from __future__ import annotations

import argparse
import ast
import datetime as dt
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, cast

ROOT = Path(__file__).resolve().parent.parent
PKG = ROOT / "python" / "groomstats"

# module -> (its source files under python/groomstats, its own test folder)
MODULES: dict[str, tuple[list[str], list[str]]] = {
    "intervals": (["intervals.py"], ["tests/intervals"]),
    "proportions": (["proportions.py"], ["tests/proportions"]),
    "compare": (["compare.py"], ["tests/compare"]),
    "funnels": (["funnels.py"], ["tests/funnels"]),
    "counts": (["counts.py"], ["tests/counts"]),
    "periods": (["periods.py"], ["tests/periods"]),
    "trends": (
        [
            "trends/__init__.py",
            "trends/_series.py",
            "trends/_loglinear.py",
            "trends/_joinpoint.py",
            "trends/_interrupted.py",
            "trends/_comparability.py",
        ],
        ["tests/trends"],
    ),
}

COMPARE_SWAPS = {
    ast.Lt: ("<", "<="),
    ast.LtE: ("<=", "<"),
    ast.Gt: (">", ">="),
    ast.GtE: (">=", ">"),
    ast.Eq: ("==", "!="),
    ast.NotEq: ("!=", "=="),
}
BINOP_SWAPS = {
    ast.Add: ("+", "-"),
    ast.Sub: ("-", "+"),
    ast.Mult: ("*", "/"),
    ast.Div: ("/", "*"),
}
BOOL_SWAPS = {ast.And: (" and ", " or "), ast.Or: (" or ", " and ")}

SETUP = "<setup>"  # lines first run while a fixture was set up (or at collection)


@dataclass(frozen=True)
class Mutant:
    file: str  # relative to python/groomstats
    line: int
    col: int
    start: int  # character offsets into the file text
    end: int
    old: str
    new: str
    what: str
    lines: tuple[int, ...]  # the statement lines whose execution means the mutant is reached
    in_function: bool  # False: module/class level, signature or decorator: run every test

    @property
    def name(self) -> str:
        return f"{self.file}:{self.line}:{self.col}: {self.what}"


def _offsets(text: str) -> list[int]:
    starts = [0]
    for line in text.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    return starts


def _docstring_nodes(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


def _statement_lines(tree: ast.Module) -> dict[int, tuple[tuple[int, ...], bool]]:
    """For every source line: the lines of its innermost statement (only the header of a
    compound statement) and whether that statement sits inside a function body."""
    out: dict[int, tuple[tuple[int, ...], bool]] = {}

    def visit(stmts: list[ast.stmt], in_fn: bool) -> None:
        for s in stmts:
            end = s.end_lineno or s.lineno
            bodies = [getattr(s, f) for f in ("body", "orelse", "finalbody") if getattr(s, f, None)]
            handlers = getattr(s, "handlers", None) or []
            cases = getattr(s, "cases", None) or []
            first_child = min(
                [b[0].lineno for b in bodies if isinstance(b[0], ast.stmt)]
                + [h.lineno for h in handlers]
                + [c.pattern.lineno for c in cases],
                default=end + 1,
            )
            header = tuple(range(s.lineno, max(s.lineno, first_child - 1) + 1))
            for ln in range(s.lineno, end + 1):
                out[ln] = (header, in_fn)
            if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef)):
                # the signature, defaults and decorators run at definition time
                for d in s.decorator_list:
                    for ln in range(d.lineno, (d.end_lineno or d.lineno) + 1):
                        out[ln] = ((d.lineno,), in_fn)
                visit(s.body, True)
            elif isinstance(s, ast.ClassDef):
                visit(s.body, in_fn)
            else:
                for b in bodies:
                    visit(b, in_fn)
                for h in handlers:
                    for ln in range(h.lineno, h.body[0].lineno):
                        out[ln] = ((h.lineno,), in_fn)
                    visit(h.body, in_fn)
                for c in cases:
                    visit(c.body, in_fn)

    visit(tree.body, False)
    return out


def find_mutants(rel: str) -> list[Mutant]:
    path = PKG / rel
    text = path.read_text(encoding="utf-8")
    tree = ast.parse(text)
    offs = _offsets(text)
    skip = _docstring_nodes(tree)
    stmt = _statement_lines(tree)

    def pos(line: int, col: int) -> int:
        # ast columns are UTF-8 byte offsets; convert within the line
        line_text = text[offs[line - 1] : offs[line]]
        return offs[line - 1] + len(line_text.encode("utf-8")[:col].decode("utf-8"))

    out: list[Mutant] = []

    def add(s: int, e: int, new: str, what: str, line: int) -> None:
        lines, in_fn = stmt.get(line, ((line,), False))
        col = s - offs[line - 1] + 1
        out.append(Mutant(rel, line, col, s, e, text[s:e], new, what, lines, in_fn))

    def between(a: ast.AST, b: ast.AST, token: str, new: str, what: str) -> None:
        s, e = pos(a.end_lineno, a.end_col_offset), pos(b.lineno, b.col_offset)  # type: ignore[attr-defined]
        seg = text[s:e]
        tok = token.strip()
        i = seg.find(tok)
        if i < 0:
            return
        # the line of the operator itself
        line = text.count("\n", 0, s + i) + 1
        add(s + i, s + i + len(tok), new.strip(), what, line)

    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            left = node.left
            for op, right in zip(node.ops, node.comparators, strict=True):
                if type(op) in COMPARE_SWAPS:
                    old, new = COMPARE_SWAPS[type(op)]
                    between(left, right, old, new, f"replace {old} with {new}")
                left = right
        elif isinstance(node, ast.BinOp) and type(node.op) in BINOP_SWAPS:
            if isinstance(node.left, ast.Constant) and isinstance(node.left.value, str):
                continue  # string concatenation / formatting
            old, new = BINOP_SWAPS[type(node.op)]
            between(node.left, node.right, old, new, f"replace {old} with {new}")
        elif isinstance(node, ast.BoolOp) and type(node.op) in BOOL_SWAPS:
            old, new = BOOL_SWAPS[type(node.op)]
            for a, b in zip(node.values, node.values[1:], strict=False):
                between(a, b, old, new, f"replace {old.strip()} with {new.strip()}")
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            s = pos(node.lineno, node.col_offset)
            e = pos(node.operand.lineno, node.operand.col_offset)
            add(s, e, "", "delete not", node.lineno)
        elif isinstance(node, ast.Call):
            for kw in node.keywords:
                if kw.arg is None:
                    continue
                s = pos(kw.lineno, kw.col_offset)
                e = pos(kw.end_lineno, kw.end_col_offset)  # type: ignore[arg-type]
                # swallow the following comma so the call stays valid
                rest = text[e:]
                stripped = rest.lstrip(" ")
                if stripped.startswith(","):
                    e += len(rest) - len(stripped) + 1
                add(s, e, "", f"drop keyword {kw.arg}= from call", kw.lineno)
        elif (
            isinstance(node, ast.Constant)
            and id(node) not in skip
            and type(node.value) in (int, float)
            and node.end_lineno == node.lineno
        ):
            s = pos(node.lineno, node.col_offset)
            e = pos(node.lineno, node.end_col_offset)  # type: ignore[arg-type]
            v = cast(int | float, node.value)  # int or float: tested above
            new = repr(v + 1) if v not in (0, 1) else repr(1 - v)
            add(s, e, new, f"replace {text[s:e]} with {new}", node.lineno)
    # one mutant per (span, replacement); annotations and docstrings never hold these nodes
    uniq = {(m.start, m.end, m.new): m for m in out}
    return sorted(uniq.values(), key=lambda m: (m.start, m.new))


# ---------------------------------------------------------------------------------------------
# running tests in a forked child


# Tests whose verdict depends on the machine's load, left out of mutation runs: a flaky
# failure would count a mutant as caught. (They still run in CI.)
DESELECT = [
    # Ctrl-C must stop a 200,000-permutation run within 20 s of wall time
    "tests/trends/test_joinpoint_nci.py::test_published_size_permutation_run_is_interruptible",
]


def _pytest_args(targets: list[str]) -> list[str]:
    return [
        "-x",
        "-q",
        "-p",
        "no:cacheprovider",
        "--no-header",
        "-o",
        "addopts=--import-mode=importlib",
        *[a for d in DESELECT for a in ("--deselect", d)],
        *targets,
    ]


def _child_setup() -> None:
    sys.dont_write_bytecode = True
    os.environ["PYTHONDONTWRITEBYTECODE"] = "1"
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)


def _wait(pid: int, timeout: float) -> int | None:
    """The child's exit code, or None after killing it at the timeout."""
    deadline = time.monotonic() + timeout
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return None
        time.sleep(0.05)


def run_forked(targets: list[str], timeout: float) -> tuple[int | None, float]:
    t0 = time.monotonic()
    pid = os.fork()
    if pid == 0:  # child
        rc = 3
        try:
            import pytest

            _child_setup()
            rc = int(pytest.main(_pytest_args(targets)))
        finally:
            os._exit(rc)
    try:
        return _wait(pid, timeout), time.monotonic() - t0
    except BaseException:
        os.kill(pid, signal.SIGKILL)
        raise


def run_fresh(targets: list[str], timeout: float) -> tuple[int | None, float]:
    """The same tests in a fresh interpreter (to confirm a timeout is not a fork artefact)."""
    t0 = time.monotonic()
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    try:
        r = subprocess.run(
            [sys.executable, "-m", "pytest", *_pytest_args(targets)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return None, time.monotonic() - t0
    return r.returncode, time.monotonic() - t0


def coverage_pass(files: list[str], tests: list[str]) -> dict[str, Any]:
    """Run the test folder once under a line tracer limited to ``files``: which tests execute
    which lines, and how long each test takes."""
    out = Path(tempfile.mkstemp(suffix=".json")[1])
    pid = os.fork()
    if pid == 0:  # child
        rc = 3
        try:
            import threading

            import pytest

            _child_setup()
            targets = {str((PKG / f).resolve()): f for f in files}
            hits: dict[str, dict[int, set[str]]] = {f: {} for f in files}
            durations: dict[str, float] = {}
            state = {"test": SETUP, "phase": "collect"}

            def local(frame: Any, event: str, arg: Any) -> Any:
                if event == "line":
                    rel = targets[frame.f_code.co_filename]
                    who = state["test"] if state["phase"] == "call" else SETUP
                    hits[rel].setdefault(frame.f_lineno, set()).add(who)
                    if state["phase"] == "setup":
                        hits[rel][frame.f_lineno].add(state["test"])
                return local

            def glob(frame: Any, event: str, arg: Any) -> Any:
                if frame.f_code.co_filename in targets:
                    return local(frame, event, arg)
                return None

            class Plugin:
                def pytest_runtest_logstart(self, nodeid: str, location: Any) -> None:
                    state["test"] = nodeid

                def pytest_runtest_setup(self, item: Any) -> None:
                    state["phase"] = "setup"

                def pytest_runtest_call(self, item: Any) -> None:
                    state["phase"] = "call"

                def pytest_runtest_teardown(self, item: Any) -> None:
                    state["phase"] = "teardown"

                def pytest_runtest_logreport(self, report: Any) -> None:
                    durations[report.nodeid] = durations.get(report.nodeid, 0.0) + report.duration

            sys.settrace(glob)
            threading.settrace(glob)
            args = [a for a in _pytest_args(tests) if a != "-x"]
            rc = int(pytest.main(args, plugins=[Plugin()]))
            sys.settrace(None)
            data = {
                "rc": rc,
                "durations": durations,
                "hits": {f: {str(k): sorted(v) for k, v in h.items()} for f, h in hits.items()},
            }
            out.write_text(json.dumps(data), encoding="utf-8")
        finally:
            os._exit(rc)
    status = _wait(pid, 3600)  # the child's exit code, None at the timeout
    result: dict[str, Any] = json.loads(out.read_text(encoding="utf-8") or "{}")
    out.unlink()
    if status != 0 or result.get("rc") != 0:
        raise SystemExit(
            f"the tests {tests} fail without any mutant (exit {status}): fix them first"
        )
    return result


def select_tests(m: Mutant, cov: dict[str, Any], all_tests: list[str]) -> list[str] | None:
    """The tests to run against ``m`` (fastest first), [] when no test reaches it, or None for
    the whole folder."""
    hits = cov["hits"][m.file]
    who: set[str] = set()
    for ln in m.lines:
        who.update(hits.get(str(ln), ()))
    if not who:
        return [] if m.in_function else None
    if not m.in_function or SETUP in who:
        return None
    durations = cov["durations"]
    return sorted(who, key=lambda t: (durations.get(t, 0.0), t))


def write_outcomes(
    args: argparse.Namespace,
    previous: dict[str, Any],
    modules: list[str],
    results: list[dict[str, Any]],
    planned: int,
    *,
    done: bool,
) -> dict[str, Any]:
    """Write the outcome file (after every mutant, so an interrupted run keeps what it
    measured: ``complete`` is False and ``planned`` says how many mutants were meant)."""
    if args.rerun_survivors:
        fresh = {r["name"] for r in results}
        results = [r for r in previous.get("results", []) if r["name"] not in fresh] + results
        modules = sorted(set(previous.get("modules", [])) | set(modules))
    summary = summarise(results)
    record = {
        "command": " ".join(["python", "mutants/py_mutants.py", *sys.argv[1:]]),
        "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "complete": done,
        "planned": planned,
        "modules": modules,
        **summary,
        "results": results,
    }
    if args.rerun_survivors and previous.get("command"):
        record["command"] = f"{previous['command']}; then {record['command']}"
    args.out.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    return summary


def main() -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("--module", action="append", choices=sorted(MODULES))
    ap.add_argument("--file", action="append", help="only mutants of files containing this")
    ap.add_argument("--list", action="store_true", help="list the mutants and stop")
    ap.add_argument("--sample", type=int, default=1, help="test one mutant in N (default all)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--only", action="append", help="test only mutants whose name contains this")
    ap.add_argument(
        "--rerun-survivors",
        action="store_true",
        help="re-test only the survivors recorded in --out, keeping the other outcomes",
    )
    ap.add_argument("--out", type=Path, default=ROOT / "mutants" / "python-outcomes.json")
    args = ap.parse_args()
    os.chdir(ROOT)
    modules = args.module or sorted(MODULES)

    previous: dict[str, Any] = {}
    if args.out.exists():
        previous = json.loads(args.out.read_text(encoding="utf-8"))
    prev_results = {r["name"]: r for r in previous.get("results", [])}

    plan: dict[str, list[Mutant]] = {}
    for mod in modules:
        found = [m for f in MODULES[mod][0] for m in find_mutants(f)]
        if args.file:
            found = [m for m in found if any(s in m.file for s in args.file)]
        if args.only:
            found = [m for m in found if any(o in m.name for o in args.only)]
        if args.sample > 1:
            rng = random.Random(f"{args.seed}:{mod}")
            found = [m for m in found if rng.randrange(args.sample) == 0]
        if args.rerun_survivors:
            found = [
                m
                for m in found
                if prev_results.get(m.name, {}).get("status") in ("survived", "uncovered")
            ]
        plan[mod] = found
    if args.list:
        for found in plan.values():
            for m in found:
                print(m.name)
        print(f"{sum(len(v) for v in plan.values())} mutants")
        return 0

    # warm the libraries that do not import polars or groomstats (statsmodels imports polars,
    # whose threads must not be forked: it is left to the children)
    os.environ.setdefault("MPLBACKEND", "Agg")
    import hypothesis  # noqa: F401
    import matplotlib.pyplot  # noqa: F401
    import numpy  # noqa: F401
    import pandas  # noqa: F401
    import pytest  # noqa: F401
    import scipy.optimize
    import scipy.special
    import scipy.stats  # noqa: F401

    assert "polars" not in sys.modules and "groomstats" not in sys.modules

    results: list[dict[str, Any]] = []
    planned = sum(len(v) for v in plan.values())
    for mod, found in plan.items():
        files, tests = MODULES[mod]
        for f in files:  # never a compiled copy of a mutated file
            for pyc in (PKG / f).parent.glob(f"__pycache__/{Path(f).stem}.*.pyc"):
                pyc.unlink()
        t0 = time.monotonic()
        try:
            cov = coverage_pass(files, tests)
        except SystemExit as e:  # once more: a flaky test on a busy machine is not a verdict
            print(f"{e}; trying the coverage pass once more", flush=True)
            cov = coverage_pass(files, tests)
        print(f"coverage pass {mod}: {len(cov['durations'])} tests, {time.monotonic() - t0:.0f}s")
        folder_secs = sum(cov["durations"].values())
        for i, m in enumerate(found, 1):
            path = PKG / m.file
            original = path.read_text(encoding="utf-8")
            mutated = original[: m.start] + m.new + original[m.end :]
            selected = select_tests(m, cov, tests)
            secs = 0.0
            try:
                ast.parse(mutated)
            except SyntaxError:
                status = "unviable"
            else:
                if selected == []:
                    status = "uncovered"
                else:
                    targets = tests if selected is None else selected
                    budget = (
                        folder_secs
                        if selected is None
                        else sum(cov["durations"].get(t, 0.0) for t in selected)
                    )
                    timeout = 60.0 + 3.0 * budget
                    try:
                        path.write_text(mutated, encoding="utf-8")
                        rc, secs = run_forked(targets, timeout)
                        if rc is None:  # confirm in a fresh interpreter
                            rc, more = run_fresh(targets, timeout)
                            secs += more
                    finally:
                        path.write_text(original, encoding="utf-8")
                    if rc is None:
                        status = "timeout"
                    elif rc == 0:
                        status = "survived"
                    elif rc in (1, 2):  # a test failed, or collection/import failed
                        status = "caught"
                    else:
                        raise SystemExit(f"pytest exit {rc} for {m.name}: the runner is broken")
            n = "all" if selected is None else len(selected)
            results.append(
                {**asdict(m), "name": m.name, "module": mod, "status": status, "tests_run": n}
            )
            print(
                f"[{mod} {i}/{len(found)}] {status.upper():9} {m.name} ({n} tests, {secs:.1f}s)",
                flush=True,
            )
            write_outcomes(args, previous, modules, results, planned, done=False)

    summary = write_outcomes(args, previous, modules, results, planned, done=True)
    for f, s in summary["files"].items():
        print(f"{f}: {s['caught']}/{s['tested']} caught ({s['score']:.1%})")
    print("survivors:")
    for s in summary["survivors"]:
        print("  " + s)
    return 0


def summarise(results: list[dict[str, Any]]) -> dict[str, Any]:
    files: dict[str, dict[str, Any]] = {}
    for r in results:
        s = files.setdefault(
            r["file"],
            {"caught": 0, "timeout": 0, "survived": 0, "uncovered": 0, "unviable": 0},
        )
        s[r["status"]] += 1
    for s in files.values():
        s["tested"] = s["caught"] + s["timeout"] + s["survived"] + s["uncovered"]
        s["caught"] += s["timeout"]
        s["score"] = round(s["caught"] / s["tested"], 4) if s["tested"] else 1.0
    tested = sum(s["tested"] for s in files.values())
    caught = sum(s["caught"] for s in files.values())
    return {
        "tested": tested,
        "caught": caught,
        "score": round(caught / tested, 4) if tested else 1.0,
        "files": dict(sorted(files.items())),
        "survivors": [r["name"] for r in results if r["status"] in ("survived", "uncovered")],
    }


if __name__ == "__main__":
    # a plain `kill` still restores the mutated file (the `finally` around each mutant)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if (
        shutil.which("git")
        and subprocess.run(
            ["git", "diff", "--quiet", "--", "python/groomstats"], cwd=ROOT, check=False
        ).returncode
    ):
        print("note: python/groomstats has uncommitted changes", file=sys.stderr)
    raise SystemExit(main())
