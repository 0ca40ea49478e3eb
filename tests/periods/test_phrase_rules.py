"""One rule per period phrase (issue 12, item 9): the rules of ``docs/periods.md``.

Each example row of the docs table is checked, and each case the issue named is asserted
here by hand: "financial year ending 2018" is 2017/18, spacing around "-" never changes the
meaning, "N months to <month> YYYY" and "N months to <day> <month> YYYY" agree that the named
month is included, and a phrase with two common readings raises ``PeriodError`` listing both.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from groomstats import Period, PeriodError, parse_period
from groomstats.periods import PHRASE_RULES

DOC = Path(__file__).resolve().parents[2] / "docs" / "periods.md"


def _doc_examples() -> list[tuple[str, str]]:
    text = DOC.read_text(encoding="utf-8")
    examples = text.split("## Examples", 1)[1]
    rows = re.findall(r"^\| `([^`]+)` \| ([^|]+) \|$", examples, flags=re.M)
    assert len(rows) >= 25, rows
    return [(phrase, result.strip()) for phrase, result in rows]


@pytest.mark.parametrize(("phrase", "result"), _doc_examples())
def test_docs_table_row(phrase: str, result: str) -> None:
    if result.startswith("PeriodError"):
        with pytest.raises(PeriodError) as info:
            Period.parse(phrase)
        msg = str(info.value)
        assert f"'{phrase}'" in msg
        for reading in result.removeprefix("PeriodError").strip(": ").split(" or "):
            if reading:
                assert reading in msg, (reading, msg)
        return
    p = Period.parse(phrase)
    assert f"{p.start}..{p.end}" == result


def test_rules_table_in_code_and_docs_agree() -> None:
    doc = DOC.read_text(encoding="utf-8")
    assert len(PHRASE_RULES) == 10
    for phrase, _rule in PHRASE_RULES:
        # every phrase named in the code's table appears in the docs' table
        first = phrase.split(" / ")[0].split(" (")[0]
        assert first in doc, first


def test_financial_year_ending_2018_is_2017_18() -> None:
    """The issue: "financial year ending 2018" became calendar 2018."""
    for text in [
        "financial year ending 2018",
        "Financial Year Ending 2018",
        "the financial year ending 2018",
        "FY ending 2018",
        "FYE 2018",
        "financial year ended 2018",
        "financial year ending March 2018",
        "financial year ending 31st March 2018",
    ]:
        p = Period.parse(text)
        assert (p.label, p.start, p.end) == ("2017/18", date(2017, 4, 1), date(2018, 3, 31)), text


def test_a_financial_year_ends_in_march() -> None:
    with pytest.raises(PeriodError, match=r"ends on 31 March.*financial year ending March 2018"):
        Period.parse("financial year ending June 2018")
    with pytest.raises(PeriodError, match="ends on 31 March"):
        Period.parse("financial year ending 30 April 2018")


@pytest.mark.parametrize(
    "pair",
    [
        ("2017-18", "2017 - 18"),
        ("2017-18", "2017 -18"),
        ("2016-2018", "2016 - 2018"),
        ("April-December 2017", "April - December 2017"),
        ("April 2017-March 2018", "April 2017 - March 2018"),
        ("1 April 2013-31 December 2017", "1 April 2013 - 31 December 2017"),
        ("2017-04-01-2017-12-31", "2017-04-01 - 2017-12-31"),
        ("2017/18 Q1-Q3", "2017/18 Q1 - Q3"),
        ("Q1-Q3 2017/18", "Q1 - Q3 2017/18"),
        ("FY2017-18", "FY2017 - 18"),
    ],
)
def test_spacing_around_a_dash_never_changes_the_meaning(pair: tuple[str, str]) -> None:
    a, b = (Period.parse(t) for t in pair)
    assert (a.start, a.end, a.label) == (b.start, b.end, b.label)


def test_the_issue_dash_case_is_refused_both_ways_alike() -> None:
    """The issue: "2017-2018" was 2017/18 (365 days) but "2017 - 2018" a 730-day window."""
    messages = []
    for text in ["2017-2018", "2017 - 2018", "2017 -2018", "2017\u20132018"]:
        with pytest.raises(PeriodError) as info:
            Period.parse(text)
        msg = str(info.value)
        assert "two common readings" in msg
        assert "2017/18 (2017-04-01..2018-03-31)" in msg
        assert "2017-01-01..2018-12-31" in msg
        messages.append(msg.split("has two", 1)[1])
    assert len(set(messages)) == 1  # the same readings whatever the spacing
    # the slash is the financial year, and years further apart are a calendar window
    assert Period.parse("2017/2018").days == 365
    p = Period.parse("2016 - 2018")
    assert (p.start, p.end, p.days) == (date(2016, 1, 1), date(2018, 12, 31), 1096)


@pytest.mark.parametrize("n", [1, 3, 6, 12, 18])
@pytest.mark.parametrize("month", [3, 9, 12])
def test_months_to_month_and_months_to_day_agree(n: int, month: int) -> None:
    """'N months to <month> YYYY' includes the month, as 'N months to <last day> <month>' does."""
    names = ["January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December"]  # fmt: skip
    last = {3: 31, 9: 30, 12: 31}[month]
    by_month = Period.parse(f"{n} months to {names[month - 1]} 2018")
    by_day = Period.parse(f"{n} months to {last} {names[month - 1]} 2018")
    assert (by_month.start, by_month.end) == (by_day.start, by_day.end)
    assert by_month.end == date(2018, month, last)
    # hand-worked start: n whole months back from the first day after the end
    m0 = month - n + 1
    y0 = 2018 + (m0 - 1) // 12
    assert by_month.start == date(y0, (m0 - 1) % 12 + 1, 1)


def test_months_to_april_includes_april_unless_it_is_the_ambiguous_year() -> None:
    """The issue: "12 months to April 2019" ended 31 March 2019 while "12 months to 30 April
    2019" included April. Now the named month is always included, and the one phrase that
    has a second common reading (NSPCC's "year to April 2019" = 2018/19) is refused."""
    for text in ["6 months to April 2019", "6 months to 30 April 2019"]:
        p = Period.parse(text)
        assert (p.start, p.end) == (date(2018, 11, 1), date(2019, 4, 30))
    for text in ["year ending April 2019", "12 months ending April 2019", "year to 30 April 2019"]:
        p = Period.parse(text)
        assert (p.start, p.end) == (date(2018, 5, 1), date(2019, 4, 30))
    for text in ["12 months to April 2019", "year to April 2019", "the year to Apr 2019"]:
        with pytest.raises(PeriodError) as info:
            Period.parse(text)
        msg = str(info.value)
        assert "two common readings" in msg
        assert "2018-05-01..2019-04-30" in msg and "'12 months to 2019-04-30'" in msg
        assert "2018-04-01..2019-03-31" in msg and "'2018/19'" in msg


@pytest.mark.parametrize(
    ("text", "one", "other"),
    [
        ("year ending 2018", "'CY2018'", "'2017/18'"),
        ("year to 2018", "'CY2018'", "'2017/18'"),
        ("12 months to 2018", "'CY2018'", "'2017/18'"),
        ("FY2018", "'2017/18'", "'2018/19'"),
        ("FY 2018", "'2017/18'", "'2018/19'"),
        ("FY18", "'2017/18'", "'2018/19'"),
        ("financial year 2018", "'2017/18'", "'2018/19'"),
    ],
)
def test_two_readings_listed(text: str, one: str, other: str) -> None:
    with pytest.raises(PeriodError) as info:
        parse_period(text)
    msg = str(info.value)
    assert msg.startswith(f"period '{text}' has two common readings")
    assert one in msg and other in msg


def test_errors_quote_the_callers_spelling() -> None:
    with pytest.raises(PeriodError, match=r"^period '2017 - 19'"):
        Period.parse("2017 - 19")
    with pytest.raises(PeriodError, match=r"^period 'April - Smarch 2017'"):
        Period.parse("April - Smarch 2017")


def test_every_canonical_label_still_reads_back_as_itself() -> None:
    """The phrase rules never touch the labels groomstats itself writes."""
    from groomstats.periods import end_of

    seen = set()
    for y in (1999, 2012, 2017, 2020):
        for m in range(1, 13):
            s = date(y, m, 1)
            ends = [end_of(s, "1mo"), end_of(s, "3mo"), end_of(s, "1y"), date(y + 1, m, 3)]
            for end in ends:
                p = Period.from_bounds(s, end)
                seen.add(p.kind)
                back = Period.parse(p.label)
                assert (back.start, back.end, back.label) == (p.start, p.end, p.label), p.label
    assert seen == {"month", "quarter", "financial_year", "calendar_year", "rolling", "window"}


@pytest.mark.parametrize("text", ["2000-12-13", "2012-12-13", "2017-04-01", "1999-12-31"])
def test_an_iso_date_is_a_day_not_a_range(text: str) -> None:
    """Found by hypothesis: '2000-12-13' split at its first '-' reads as calendar 2000 to the
    financial year 12/13; a spelling that is whole without spaces is read as itself."""
    p = Period.parse(text)
    assert p.start == p.end == date.fromisoformat(text)
    spaced = Period.parse(text.replace("-", " - ", 1))
    assert (spaced.start, spaced.end) == (p.start, p.end)
