"""Time expressions resolved against the publication date."""

from __future__ import annotations

import datetime as dt

from agent.timeref import resolve

WED = dt.date(2025, 3, 19)  # a Wednesday


def test_weekdays_are_the_latest_such_day_on_or_before_publication() -> None:
    assert resolve("Tuesday", WED) == dt.date(2025, 3, 18)
    assert resolve("on Wednesday", WED) == WED
    assert resolve("Monday night", WED) == dt.date(2025, 3, 17)
    assert resolve("last Wednesday", WED) == dt.date(2025, 3, 12)
    assert resolve("next Friday", WED) == dt.date(2025, 3, 21)


def test_relative_days() -> None:
    assert resolve("yesterday", WED) == dt.date(2025, 3, 18)
    assert resolve("today", WED) == WED


def test_explicit_dates_take_the_publication_year_or_the_one_before() -> None:
    assert resolve("March 11", WED) == dt.date(2025, 3, 11)
    assert resolve("Dec 30", dt.date(2026, 1, 2)) == dt.date(2025, 12, 30)
    assert resolve("June 3, 2029", None) == dt.date(2029, 6, 3)


def test_no_single_day_or_no_anchor_gives_none() -> None:
    assert resolve("last week", WED) is None
    assert resolve("in recent weeks", WED) is None
    assert resolve("Tuesday", None) is None
