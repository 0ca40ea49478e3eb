"""The notes shares() writes, worked by hand on small synthetic breakdown frames (generated
here), each at the edge a mistake would cross (survivors of the Python mutation run,
mutants/SURVIVORS.md): a row with no suppressed cell of its own, a group with none at all, a
cell both suppressed and not provided, a count equal to its denominator, and category names
that clash with the output's columns."""

from __future__ import annotations

from collections.abc import Callable

import polars as pl
import pytest
from statsmodels.stats.proportion import proportion_confint

import groomstats
from groomstats.exceptions import GroomstatsError


def _notes(out: pl.DataFrame) -> dict[tuple[str, str], str | None]:
    return {(r["force"], r["platform"]): r["note"] for r in out.iter_rows(named=True)}


def test_a_published_total_notes_only_the_suppressed_rows(
    breakdown: Callable[..., pl.DataFrame],
) -> None:
    """Kent: Snapchat 10, Instagram *, WhatsApp *, Other 2, published total 19: the total
    leaves 19 - 12 = 7 for the two '*' cells. Their rows say so; Snapchat and Other, with no
    suppressed cell of their own and the denominator fixed by the total, need no note."""
    df = breakdown(
        [
            ("Kent", "Snapchat", 10, False),
            ("Kent", "Instagram", None, True),
            ("Kent", "WhatsApp", None, True),
            ("Kent", "Other", 2, False),
        ],
        total=[19] * 4,
    )
    out = groomstats.shares(df, by=["force", "period"])
    notes = _notes(out)
    leaves = (
        "1 cell(s) suppressed: the published total leaves 7 for the 2 suppressed cell(s) of "
        "the group"
    )
    assert notes[("Kent", "Instagram")] == leaves
    assert notes[("Kent", "WhatsApp")] == leaves
    assert notes[("Kent", "Snapchat")] is None
    assert notes[("Kent", "Other")] is None
    snap = out.filter(pl.col("platform") == "Snapchat").row(0, named=True)
    assert snap["denominator"] == 19
    lo, hi = proportion_confint(10, 19, alpha=0.05, method="wilson")
    assert (snap["lower_95"], snap["upper_95"]) == pytest.approx((100 * lo, 100 * hi), rel=1e-12)


def test_a_group_without_suppressed_cells_needs_no_note(
    breakdown: Callable[..., pl.DataFrame],
) -> None:
    """Kent has one '*' cell, so its other rows' denominator is a range (10 + 1..4); Essex has
    none: its rows are exact and carry no note."""
    df = breakdown(
        [
            ("Kent", "Snapchat", 10, False),
            ("Kent", "Instagram", None, True),
            ("Essex", "Snapchat", 6, False),
            ("Essex", "Instagram", 2, False),
        ]
    )
    notes = _notes(groomstats.shares(df, by=["force", "period"]))
    assert notes[("Kent", "Snapchat")] == (
        "1 cell(s) suppressed in other categories: the denominator is a range"
    )
    assert notes[("Kent", "Instagram")] == "1 cell(s) suppressed (1-4 each): the share is a range"
    assert notes[("Essex", "Snapchat")] is None
    assert notes[("Essex", "Instagram")] is None


def test_a_category_suppressed_once_and_not_provided_once(
    breakdown: Callable[..., pl.DataFrame],
) -> None:
    """Snapchat's two cells in Kent, pooled over two periods: one '*' (1-4), one 'N/a' (left
    out): both reasons, in that order, joined by '; '. (The two cells were in one period
    before the lead's call of 30 November 10:20: the same cell twice is now refused.)"""
    df = breakdown(
        [
            ("Kent", "Snapchat", None, True),
            ("Kent", "Snapchat", None, False),
            ("Kent", "Instagram", 5, False),
        ],
        period=["2022/23", "2023/24", "2023/24"],
    )
    out = groomstats.shares(df, by="force")
    snap = out.filter(pl.col("platform") == "Snapchat").row(0, named=True)
    assert snap["note"] == (
        "1 cell(s) suppressed (1-4 each): the share is a range; "
        "1 cell(s) not provided left out: the count is a lower bound"
    )
    assert (snap["suppressed_cells"], snap["missing_cells"]) == (1, 1)
    # the share runs from 1 of 6 to 4 of 9 (the denominator moves with the cell)
    assert (snap["value_min"], snap["value_max"]) == pytest.approx((100 / 6, 400 / 9))


def test_a_count_equal_to_its_denominator_is_a_share_of_100(
    breakdown: Callable[..., pl.DataFrame],
) -> None:
    """Method recorded = 12 and Snapchat = 12 (multi-response): a share of 100%, no note;
    Kik = 13 > 12 is refused in its note."""
    df = breakdown(
        [
            ("Kent", "Snapchat", 12, False),
            ("Kent", "Kik", 13, False),
            ("Kent", "Method recorded", 12, False),
        ]
    )
    out = groomstats.shares(
        df, by=["force", "period"], denominator="Method recorded", multi_response=True
    )
    snap = out.filter(pl.col("platform") == "Snapchat").row(0, named=True)
    assert snap["value"] == pytest.approx(100.0)
    assert snap["note"] is None
    lo, hi = proportion_confint(12, 12, alpha=0.002, method="wilson")
    assert (snap["lower_99_8"], snap["upper_99_8"]) == pytest.approx((100 * lo, 100 * hi))
    kik = out.filter(pl.col("platform") == "Kik").row(0, named=True)
    assert kik["note"] == "count exceeds denominator: no share"
    assert kik["value"] is None


@pytest.mark.parametrize("name", ["members", "denominator", "offences"])
def test_a_category_named_like_an_output_column_is_refused(
    breakdown: Callable[..., pl.DataFrame], name: str
) -> None:
    df = breakdown([("Kent", "Snapchat", 3, False)]).with_columns(category=pl.lit(name))
    with pytest.raises(GroomstatsError, match="clashes with an output column"):
        groomstats.shares(df, name)


def test_a_category_that_is_also_a_by_column_is_refused(
    breakdown: Callable[..., pl.DataFrame],
) -> None:
    df = breakdown([("Kent", "Snapchat", 3, False)]).with_columns(platform=pl.lit("Snapchat"))
    with pytest.raises(GroomstatsError, match="clashes with an output column"):
        groomstats.shares(df, "platform", by=["force", "platform"])


def test_a_suppressed_range_of_one_value_fixes_the_share(
    breakdown: Callable[..., pl.DataFrame],
) -> None:
    """suppressed=(3, 3): Kent's '*' cell holds exactly 3, so Snapchat is 5 of 8 and Instagram
    3 of 8, exact; the note gives the one value and calls the share one share, not a range."""
    df = breakdown(
        [("Kent", "Snapchat", 5, False), ("Kent", "Instagram", None, True)],
    )
    out = groomstats.shares(df, by=["force", "period"], suppressed=(3, 3))
    got = {r["platform"]: r for r in out.iter_rows(named=True)}
    for name, x in (("Snapchat", 5), ("Instagram", 3)):
        r = got[name]
        assert (r["value"], r["value_min"], r["value_max"]) == pytest.approx((100 * x / 8,) * 3)
        lo, hi = proportion_confint(x, 8, alpha=0.05, method="wilson")
        assert (r["lower_95"], r["upper_95"]) == pytest.approx((100 * lo, 100 * hi), rel=1e-12)
    assert got["Instagram"]["note"] == (
        "1 cell(s) suppressed, each taken as 3 (suppressed=(3, 3)): one share, exact if each "
        "holds 3"
    )


def test_a_row_without_a_force_keeps_its_place_with_suppressed_cells_about(
    breakdown: Callable[..., pl.DataFrame],
) -> None:
    """A row whose force is missing has no group, so no denominator: it stays in the output
    (first, as a missing key sorts) with its note, beside a group with a '*' cell."""
    df = breakdown(
        [
            ("Kent", "Snapchat", 5, False),
            ("Kent", "Instagram", None, True),
            (None, "Snapchat", 3, False),  # type: ignore[list-item]
        ]
    )
    out = groomstats.shares(df, by=["force", "period"])
    assert out.height == 3
    first = out.row(0, named=True)
    assert (first["force"], first["offences"], first["value"]) == (None, 3, None)
    assert first["note"] == "no denominator for this group"
    kent = out.filter(pl.col("platform") == "Snapchat", pl.col("force") == "Kent").row(
        0, named=True
    )
    # 5 of 5 + 1..4: from 5/9 to 5/6
    assert (kent["value_min"], kent["value_max"]) == pytest.approx((500 / 9, 500 / 6))


def test_categorical_labels_with_named_groups(breakdown: Callable[..., pl.DataFrame]) -> None:
    """Labels held as a Categorical and a named group of two of them: the group's row (a new
    label) and the categories' rows come out together, as with text labels."""
    df = breakdown(
        [
            ("Kent", "Snapchat", 1, False),
            ("Kent", "Instagram", 2, False),
            ("Kent", "WhatsApp", 3, False),
        ]
    )
    groups = {"Meta": ["Instagram", "WhatsApp"]}
    text = groomstats.shares(df, by="force", groups=groups)
    cat = groomstats.shares(
        df.with_columns(pl.col("value").cast(pl.Categorical)), by="force", groups=groups
    )
    assert cat.select("platform", "offences", "denominator").rows() == [
        ("Meta", 5, 6),
        ("WhatsApp", 3, 6),
        ("Instagram", 2, 6),
        ("Snapchat", 1, 6),
    ]
    assert cat.drop("platform").equals(text.drop("platform"))


def test_a_remainder_smaller_than_the_stated_range_binds_alone(
    breakdown: Callable[..., pl.DataFrame],
) -> None:
    """Kent: Snapchat 10, Other 2, two '*' cells, published total 13: the total leaves 1, less
    than two cells of 1-4 can hold, so the remainder alone binds: each '*' cell holds 0 or 1,
    a share of 0 to 1 in 13."""
    df = breakdown(
        [
            ("Kent", "Snapchat", 10, False),
            ("Kent", "Instagram", None, True),
            ("Kent", "WhatsApp", None, True),
            ("Kent", "Other", 2, False),
        ],
        total=[13] * 4,
    )
    out = groomstats.shares(df, by=["force", "period"])
    insta = out.filter(pl.col("platform") == "Instagram").row(0, named=True)
    assert insta["denominator"] == 13
    assert (insta["value"], insta["value_min"], insta["value_max"]) == (None, 0.0, 100 / 13)
    lo, _ = proportion_confint(0, 13, alpha=0.05, method="wilson")
    _, hi = proportion_confint(1, 13, alpha=0.05, method="wilson")
    assert insta["lower_95"] == pytest.approx(100 * lo, abs=1e-12)
    assert insta["upper_95"] == pytest.approx(100 * hi, rel=1e-12)
    assert insta["note"] == (
        "1 cell(s) suppressed: the published total leaves 1 for the 2 suppressed cell(s) of "
        "the group"
    )
    snap = out.filter(pl.col("platform") == "Snapchat").row(0, named=True)
    assert snap["value"] == pytest.approx(100 * 10 / 13)


def test_a_published_total_that_leaves_nothing(breakdown: Callable[..., pl.DataFrame]) -> None:
    """Kent: Snapchat 10, Other 2, one '*' cell, published total 12: the total leaves 0, so
    the '*' cell held none (below the stated 1-4, the remainder binds): a share of exactly 0."""
    df = breakdown(
        [
            ("Kent", "Snapchat", 10, False),
            ("Kent", "Instagram", None, True),
            ("Kent", "Other", 2, False),
        ],
        total=[12] * 3,
    )
    out = groomstats.shares(df, by=["force", "period"])
    insta = out.filter(pl.col("platform") == "Instagram").row(0, named=True)
    assert (insta["denominator"], insta["value_min"], insta["value_max"]) == (12, 0.0, 0.0)
    assert insta["note"] == (
        "1 cell(s) suppressed: the published total leaves 0 for the 1 suppressed cell(s) of "
        "the group"
    )


def test_a_published_total_less_the_unknown_rows_is_the_denominator(
    breakdown: Callable[..., pl.DataFrame],
) -> None:
    """Kent: Snapchat 10, one '*' cell, Unknown 5, published total 19: the recorded offences
    are 19 - 5 = 14, and the total leaves 19 - 15 = 4 for the '*' cell: Snapchat 10 of 14,
    Instagram 4 of 14, both exact."""
    df = breakdown(
        [
            ("Kent", "Snapchat", 10, False),
            ("Kent", "Instagram", None, True),
            ("Kent", "Unknown", 5, False),
        ],
        total=[19] * 3,
    )
    out = groomstats.shares(df, by=["force", "period"])
    got = {r["platform"]: r for r in out.iter_rows(named=True)}
    assert set(got) == {"Snapchat", "Instagram"}
    for name, x in (("Snapchat", 10), ("Instagram", 4)):
        r = got[name]
        assert (r["denominator"], r["unknown"]) == (14, 5)
        assert (r["value_min"], r["value_max"]) == pytest.approx((100 * x / 14,) * 2)
        lo, hi = proportion_confint(x, 14, alpha=0.05, method="wilson")
        assert (r["lower_95"], r["upper_95"]) == pytest.approx((100 * lo, 100 * hi), rel=1e-12)


def test_a_remainder_below_the_range_of_three_cells(breakdown: Callable[..., pl.DataFrame]) -> None:
    """Kent: Snapchat 10, Other 2, three '*' cells, published total 14: the total leaves 2,
    less than three cells of 1-4 can hold, so each '*' cell holds 0 to 2 (all three summing
    to 2): a share of 0 to 2 in 14."""
    df = breakdown(
        [
            ("Kent", "Snapchat", 10, False),
            ("Kent", "Instagram", None, True),
            ("Kent", "WhatsApp", None, True),
            ("Kent", "Kik", None, True),
            ("Kent", "Other", 2, False),
        ],
        total=[14] * 5,
    )
    out = groomstats.shares(df, by=["force", "period"])
    for name in ("Instagram", "WhatsApp", "Kik"):
        r = out.filter(pl.col("platform") == name).row(0, named=True)
        assert r["denominator"] == 14
        assert (r["value_min"], r["value_max"]) == pytest.approx((0.0, 200 / 14), rel=1e-15)
        _, hi = proportion_confint(2, 14, alpha=0.05, method="wilson")
        assert (r["lower_95"], r["upper_95"]) == pytest.approx((0.0, 100 * hi), abs=1e-12)
