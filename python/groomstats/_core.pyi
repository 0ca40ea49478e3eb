# Type stubs for the compiled module groomstats._core (checked by mypy.stubtest).
from collections.abc import Sequence

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
