"""A published total that leaves exactly the smallest or the largest the suppressed cells can
hold (synthetic FOI table; survivors of the Python mutation run, mutants/SURVIVORS.md). Worked
by hand: two '*' cells of 1-4 each must hold the remainder together."""

from __future__ import annotations

from pathlib import Path

import pytest
from statsmodels.stats.proportion import proportion_confint

import groomstats

FOI = """\
Force,Year,Platform,Offences
Kent,2023/24,Snapchat,10
Kent,2023/24,Instagram,*
Kent,2023/24,WhatsApp,*
Kent,2023/24,Other,2
Kent,2023/24,Total,{total}
"""


def _shares(tmp_path: Path, total: int) -> dict[str, dict[str, object]]:
    p = tmp_path / "foi.csv"
    p.write_text(FOI.format(total=total))
    out = groomstats.shares(groomstats.read_breakdown(p), "platform")
    return {str(r["platform"]): r for r in out.iter_rows(named=True)}


@pytest.mark.parametrize(("total", "each"), [(20, 4), (14, 1)])
def test_a_remainder_at_the_edge_of_the_range_fixes_each_cell(
    tmp_path: Path, total: int, each: int
) -> None:
    """Total 20 less 12 shown leaves 8 = 2 x 4: each cell holds 4; total 14 leaves 2 = 2 x 1:
    each holds 1. Every share is then exact."""
    got = _shares(tmp_path, total)
    for name in ("Instagram", "WhatsApp"):
        r = got[name]
        assert r["value"] == pytest.approx(100 * each / total)
        assert (r["value_min"], r["value_max"]) == pytest.approx((100 * each / total,) * 2)
        lo, hi = proportion_confint(each, total, alpha=0.05, method="wilson")
        assert (r["lower_95"], r["upper_95"]) == pytest.approx((100 * lo, 100 * hi), rel=1e-12)
    assert got["Snapchat"]["value"] == pytest.approx(100 * 10 / total)


def test_a_remainder_inside_the_range_leaves_a_range(tmp_path: Path) -> None:
    """Total 19 leaves 7 for two cells of 1-4: each holds 3..4."""
    got = _shares(tmp_path, 19)
    r = got["Instagram"]
    assert r["value"] is None
    assert (r["value_min"], r["value_max"]) == pytest.approx((300 / 19, 400 / 19))
