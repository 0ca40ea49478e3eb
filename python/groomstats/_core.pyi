# Type stubs for the compiled module groomstats._core (checked by mypy.stubtest).
from collections.abc import Sequence
from typing import Any, final

import numpy as np
import numpy.typing as npt

__version__: str

class GroomstatsError(ValueError): ...
class DataFormatError(GroomstatsError): ...
class UnknownAreaError(GroomstatsError): ...
class PeriodError(GroomstatsError): ...
class FitError(GroomstatsError): ...

# intervals
def exact_poisson_ci(
    counts: npt.NDArray[np.float64], confidence: float
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]: ...
def rate_ci(
    counts: npt.NDArray[np.float64],
    denominators: npt.NDArray[np.float64],
    per: float,
    confidences: Sequence[float],
) -> tuple[
    npt.NDArray[np.float64],
    list[npt.NDArray[np.float64]],
    list[npt.NDArray[np.float64]],
    npt.NDArray[np.uint8],
]: ...
def wilson_ci(
    counts: npt.NDArray[np.float64],
    denominators: npt.NDArray[np.float64],
    confidences: Sequence[float],
) -> tuple[
    npt.NDArray[np.float64], list[npt.NDArray[np.float64]], list[npt.NDArray[np.float64]]
]: ...

# funnel
def funnel_limits(
    statistic: str,
    national: float,
    denominators: npt.NDArray[np.float64],
    confidences: Sequence[float],
    scale: float,
    tau2: float | None = None,
) -> tuple[list[npt.NDArray[np.float64]], list[npt.NDArray[np.float64]]]: ...
def funnel_overdispersion(
    statistic: str,
    counts: npt.NDArray[np.float64],
    denominators: npt.NDArray[np.float64],
    national: float,
    trim: float,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], float, float]: ...
def poisson_count_limits(
    expected: npt.NDArray[np.float64], confidence: float
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]: ...

# areas
def force_reference() -> tuple[
    list[str | None], list[str], list[str | None], list[str | None], list[bool]
]: ...
def force_aliases() -> tuple[list[int], list[str]]: ...
def match_force_index(name: str) -> int: ...
def match_forces(
    names: list[str],
) -> tuple[npt.NDArray[np.int64], tuple[int, str, str | None] | None]: ...

# period (dates are int days since 1970-01-01)
def parse_period(text: str) -> tuple[int, int, str, str]: ...
def period_from_bounds(start: int, end: int) -> tuple[int, int, str, str]: ...
def shift_period_years(start: int, end: int, years: int) -> tuple[int, int, str, str]: ...
def period_granules(
    start: int, end: int, granularity: str
) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.int32], list[str]]: ...
def window_coverage(
    group: npt.NDArray[np.uint32],
    starts: npt.NDArray[np.int32],
    ends: npt.NDArray[np.int32],
    valid: npt.NDArray[np.bool_],
    n_groups: int,
    window_start: int,
    window_end: int,
    granularity: str | None = None,
) -> tuple[
    npt.NDArray[np.int32],
    npt.NDArray[np.int32],
    npt.NDArray[np.int32],
    list[str],
    str,
    npt.NDArray[np.int32],
    npt.NDArray[np.int32],
    npt.NDArray[np.int32],
]: ...

# aggregate
@final
class WindowCoverage:
    """Coverage of one window (see ``coverage_windows``)."""

    @property
    def row_period(self) -> npt.NDArray[np.int32]: ...
    @property
    def period_start(self) -> npt.NDArray[np.int32]: ...
    @property
    def period_end(self) -> npt.NDArray[np.int32]: ...
    @property
    def period_label(self) -> list[str]: ...
    @property
    def unit(self) -> str: ...
    @property
    def expected(self) -> npt.NDArray[np.int32]: ...
    @property
    def present(self) -> npt.NDArray[np.int32]: ...
    @property
    def days_missing(self) -> npt.NDArray[np.int32]: ...

def coverage_windows(
    group: npt.NDArray[np.uint32],
    starts: npt.NDArray[np.int32],
    ends: npt.NDArray[np.int32],
    valid: npt.NDArray[np.bool_],
    row_ids: npt.NDArray[np.int64] | None,
    n_groups: int,
    windows: list[tuple[int, int]],
    granularity: str | None = None,
) -> list[WindowCoverage]: ...

# compare
def rate_ratio_test(
    x1: npt.NDArray[np.float64],
    x2: npt.NDArray[np.float64],
    t1: npt.NDArray[np.float64],
    t2: npt.NDArray[np.float64],
    ratio: float,
    alternative: str,
    confidence: float,
) -> tuple[
    npt.NDArray[np.float64],
    npt.NDArray[np.float64],
    npt.NDArray[np.float64],
    npt.NDArray[np.float64],
]: ...
def binom_test(
    k: npt.NDArray[np.int64],
    n: npt.NDArray[np.int64],
    p: npt.NDArray[np.float64],
    alternative: str,
    confidence: float,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.float64]]: ...

# trend
def glm_fit(
    y: npt.NDArray[np.float64],
    x: npt.NDArray[np.float64],
    offset: npt.NDArray[np.float64],
    starts: npt.NDArray[np.int64],
    model: str,
    maxiter: int = 100,
    tol: float = 1e-10,
) -> dict[str, Any]: ...
def joinpoint_fit(
    t: npt.NDArray[np.float64],
    y: npt.NDArray[np.float64],
    starts: npt.NDArray[np.int64],
    max_joins: int,
    min_end: int,
    min_between: int,
    selection: str,
    n_permutations: int,
    alpha: float,
    seed: int,
    confidence: float,
    aapc_start: float,
    aapc_end: float,
    *,
    se: npt.NDArray[np.float64] | None = None,
    counts: npt.NDArray[np.float64] | None = None,
    variance: str = "constant",
    min_joins: int = 0,
    jump_at: float = ...,
    ci: str = "parametric",
    n_resamples: int = 1000,
) -> dict[str, Any]: ...
