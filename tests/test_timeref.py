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


TUE_13_OCT = dt.date(2020, 10, 13)  # a Tuesday (invented articles are dated in the past)


def test_a_weekday_in_past_tense_reporting_is_the_one_before_publication() -> None:
    """ "The council met on Wednesday", in an article of Tuesday 13 October: the 7th."""
    assert resolve("Wednesday", TUE_13_OCT) == dt.date(2020, 10, 7)
    assert resolve("on Monday", TUE_13_OCT) == dt.date(2020, 10, 12)


def test_a_weekday_with_future_tense_is_the_coming_one() -> None:
    """ "The council will meet on Wednesday", in an article of Tuesday 13 October: the 14th,
    and the publication day's own name is that day in either tense."""
    assert resolve("Wednesday", TUE_13_OCT, future=True) == dt.date(2020, 10, 14)
    assert resolve("on Monday", TUE_13_OCT, future=True) == dt.date(2020, 10, 19)
    assert resolve("Tuesday", TUE_13_OCT, future=True) == TUE_13_OCT
    assert resolve("Tuesday", TUE_13_OCT) == TUE_13_OCT
    # "last" still looks back, whatever the tense of the sentence.
    assert resolve("last Wednesday", TUE_13_OCT, future=True) == dt.date(2020, 10, 7)


def test_a_time_around_midnight_keeps_the_day_it_names() -> None:
    assert resolve("shortly before midnight on Monday", TUE_13_OCT) == dt.date(2020, 10, 12)
    assert resolve("just after midnight on Monday", TUE_13_OCT) == dt.date(2020, 10, 12)
    assert resolve("shortly before midnight", TUE_13_OCT) is None  # no day named


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
