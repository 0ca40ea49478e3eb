"""The hostile-input harness shared by every ``tests/<module>/test_hostile.py``.

A :class:`Case` calls one public function with bad or awkward input (empty frames, nulls,
NaN/inf, negative and huge counts, unknown forces, duplicated periods, wrong dtypes, pandas
input, unsorted input, Unicode names, malformed CSV/ODS files) and states what must happen: a
typed groomstats error (a ``GroomstatsError`` subclass) whose message names the offending
column/value/file, or a documented result that is checked.

Whatever happens, a Rust panic must never reach Python: pyo3 turns one into
``pyo3_runtime.PanicException``, a ``BaseException``; :func:`run_case` catches
``BaseException`` and fails on it. :func:`all_cases` gathers the cases of every module so that
``tests/package/test_hostile_coverage.py`` can check that no public name is left without cases.
"""

from __future__ import annotations

import atexit
import importlib.util
import shutil
import tempfile
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any

import polars as pl
import pytest

from groomstats import (
    SeriesBreakWarning,
)

I64_MAX = 2**63 - 1


BIG = 2**62  # near the i64 limit, with room for a sum of two


TMP = Path(tempfile.mkdtemp(prefix="groomstats-hostile-"))


atexit.register(shutil.rmtree, TMP, ignore_errors=True)


Expect = type[BaseException] | Callable[[Any], object]


@dataclass(frozen=True)
class Case:
    api: str  # a name in groomstats.__all__ ("datasets.prc" for a submodule's function)
    label: str
    call: Callable[[], object]
    expect: Expect  # a GroomstatsError subclass, or a checker of the result
    match: tuple[str, ...] = ()  # fragments the error message must hold (the location)
    xfail: str | None = None  # a known defect, reported to its owner: xfail(strict=True)

    @property
    def id(self) -> str:
        return f"{self.api}:{self.label}"


def is_panic(e: BaseException) -> bool:
    t = type(e)
    return t.__name__ == "PanicException" or t.__module__ == "pyo3_runtime"


def run_case(case: Case) -> None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", SeriesBreakWarning)
            out = case.call()
    except BaseException as e:  # a panic is a BaseException: catch it to fail on it
        if is_panic(e):
            pytest.fail(f"a Rust panic reached Python: {type(e).__name__}: {e}")
        if isinstance(e, (KeyboardInterrupt, SystemExit)):
            raise
        if not isinstance(case.expect, type):
            pytest.fail(f"expected a result, got {type(e).__module__}.{type(e).__name__}: {e}")
        if not isinstance(e, case.expect):
            pytest.fail(
                f"expected {case.expect.__name__}, got {type(e).__module__}.{type(e).__name__}: {e}"
            )
        for frag in case.match:
            assert frag in str(e), f"message does not name {frag!r}: {e}"
        return
    if isinstance(case.expect, type):
        pytest.fail(f"expected {case.expect.__name__}, got a result: {str(out)[:300]}")
    case.expect(out)


def write(name: str, text: str | bytes) -> Path:
    p = TMP / name
    if isinstance(text, str):
        p.write_text(text, encoding="utf-8")
    else:
        p.write_bytes(text)
    return p


def height(n: int) -> Callable[[Any], None]:
    def check(out: Any) -> None:
        frame = out[0] if isinstance(out, tuple) else out
        assert isinstance(frame, pl.DataFrame), type(frame)
        assert frame.height == n, frame

    return check


def all_null(col: str) -> Callable[[Any], None]:
    def check(out: Any) -> None:
        assert isinstance(out, pl.DataFrame)
        assert out.height > 0 and out.get_column(col).null_count() == out.height, out

    return check


def both(*checks: Callable[[Any], object]) -> Callable[[Any], None]:
    def check(out: Any) -> None:
        for c in checks:
            c(out)

    return check


def finite_or_null(*cols: str) -> Callable[[Any], None]:
    def check(out: Any) -> None:
        for c in cols:
            s = out.get_column(c).drop_nulls()
            assert s.is_finite().all(), (c, s)

    return check


def close_figure(fig: Any) -> None:
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure

    assert isinstance(fig, Figure), type(fig)
    plt.close(fig)


PRC_HEADER = (
    "Financial Year,Financial Quarter,Force Name,Offence Description,Offence Group,"
    "Offence Subgroup,Offence Code,Number of Offences\n"
)


PRC_ROW = "2017/18,1,Kent,Sexual grooming,Sexual offences,Other sexual offences,88A,{n}\n"


def prc_csv(name: str, body: str, header: str = PRC_HEADER) -> Path:
    return write(name, header + body)


def counts_frame(offences: list[Any], **extra: list[Any]) -> pl.DataFrame:
    n = len(offences)
    data: dict[str, Any] = {
        "force": ["Kent", "Essex", "Surrey", "Devon and Cornwall", "Dorset"][:n],
        "offences": offences,
        "children": [300_000, 320_000, 250_000, 330_000, 150_000][:n],
    }
    data.update(extra)
    schema = {"offences": pl.Int64, "children": pl.Int64} if n == 0 else None
    return pl.DataFrame(data, strict=False, schema_overrides=schema)


def series(values: list[Any], years: list[int] | None = None) -> pl.DataFrame:
    years = years if years is not None else list(range(2017, 2017 + len(values)))
    schema = {"year": pl.Int64, "offences": pl.Int64} if not values else None
    return pl.DataFrame({"year": years, "offences": values}, strict=False, schema_overrides=schema)


def breakdown(offences: list[Any], values: list[str] | None = None) -> pl.DataFrame:
    values = values or ["Snapchat", "Instagram", "Unknown"][: len(offences)]
    n = len(offences)
    return pl.DataFrame(
        {
            "force": ["Kent"] * n,
            "force_code": ["E23000032"] * n,
            "period": ["2023/24"] * n,
            "period_start": [date(2023, 4, 1)] * n,
            "period_end": [date(2024, 3, 31)] * n,
            "category": ["platform"] * n,
            "value": values,
            "offences": offences,
            "suppressed": [o is None for o in offences],
        },
        schema_overrides={"offences": pl.Int64},
    )


def records(n: int = 6) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "force": (["Kent", "Essex"] * n)[:n],
            "date": [date(2017, 4 + i % 9, 1 + i) for i in range(n)],
        }
    )


def params(cases: list[Case]) -> list[Any]:
    """pytest parameters of ``cases``: ids ``api:label``, known defects as strict xfails."""
    return [
        pytest.param(c, id=c.id, marks=pytest.mark.xfail(strict=True, reason=c.xfail))
        if c.xfail
        else pytest.param(c, id=c.id)
        for c in cases
    ]


def _load(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"hostile_{path.parent.name}", path)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def all_cases() -> list[Case]:
    """The cases of every ``tests/<module>/test_hostile.py``."""
    out: list[Case] = []
    for path in sorted(Path(__file__).parent.glob("*/test_hostile.py")):
        out += getattr(_load(path), "CASES", [])
    return out
