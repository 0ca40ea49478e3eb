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


POOLED = """\
Force,Year,Platform,Offences
Kent,2023/24,Snapchat,10
Kent,2023/24,Instagram,*
Kent,2023/24,Other,2
Kent,2023/24,Total,16
Essex,2023/24,Snapchat,5
Essex,2023/24,Instagram,*
Essex,2023/24,WhatsApp,*
Essex,2023/24,Total,12
"""


def test_a_category_with_two_suppressed_cells_pooled(tmp_path: Path) -> None:
    """Two forces pooled: totals 28 less 17 shown leave 11 for three cells of 1-4. Instagram
    (two cells) holds max(2 x 1, 11 - 4) = 7 .. min(2 x 4, 11 - 1) = 8; WhatsApp (one cell)
    max(1, 11 - 8) = 3 .. min(4, 11 - 2) = 4."""
    p = tmp_path / "foi.csv"
    p.write_text(POOLED)
    out = groomstats.shares(groomstats.read_breakdown(p), "platform")
    got = {str(r["platform"]): r for r in out.iter_rows(named=True)}
    assert got["Instagram"]["suppressed_cells"] == 2
    assert (got["Instagram"]["value_min"], got["Instagram"]["value_max"]) == pytest.approx(
        (100 * 7 / 28, 100 * 8 / 28)
    )
    assert (got["WhatsApp"]["value_min"], got["WhatsApp"]["value_max"]) == pytest.approx(
        (100 * 3 / 28, 100 * 4 / 28)
    )
    assert got["Snapchat"]["value"] == pytest.approx(100 * 15 / 28)


def test_a_small_pooled_remainder_binds_the_upper_end(tmp_path: Path) -> None:
    """Totals 21 less 17 shown leave 4 for three cells of at least 1. Kent's Instagram is
    13 - 12 = 1 exactly and Essex's two cells share 3 (1..2 each): pooled, Instagram holds
    max(2, 4 - 4) = 2 .. min(8, 4 - 1) = 3 and WhatsApp max(1, 4 - 8) = 1 .. min(4, 4 - 2) = 2."""
    p = tmp_path / "foi.csv"
    p.write_text(POOLED.replace("Total,16", "Total,13").replace("Total,12", "Total,8"))
    out = groomstats.shares(groomstats.read_breakdown(p), "platform")
    got = {str(r["platform"]): r for r in out.iter_rows(named=True)}
    assert (got["Instagram"]["value_min"], got["Instagram"]["value_max"]) == pytest.approx(
        (100 * 2 / 21, 100 * 3 / 21)
    )
    assert (got["WhatsApp"]["value_min"], got["WhatsApp"]["value_max"]) == pytest.approx(
        (100 * 1 / 21, 100 * 2 / 21)
    )
