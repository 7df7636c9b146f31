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


# --- points with their granularity (invented dates) -------------------------------------------

from agent.timeref import resolve_point, same_time  # noqa: E402


def test_a_year_is_a_year_and_a_month_a_month() -> None:
    year = resolve_point("1972", WED)
    month = resolve_point("in March 2020", WED)
    assert year is not None and year.granularity == "year" and year.year == 1972
    assert month is not None and month.granularity == "month" and month.month == 3
    assert resolve_point("the 1970s", WED) is None


def test_a_month_without_a_year_is_the_latest_such_month_before_the_article() -> None:
    autumn = dt.date(2031, 10, 17)
    point = resolve_point("In March", autumn)
    assert point is not None and (point.year, point.month, point.granularity) == (
        2031,
        3,
        "month",
    )
    december = resolve_point("in December", autumn)
    assert december is not None and december.year == 2030
    ahead = resolve_point("in December", autumn, future=True)
    assert ahead is not None and ahead.year == 2031
    assert resolve_point("in March", None) is None


def test_a_weekday_in_an_article_of_wednesday_19_march_is_tuesday_18_march() -> None:
    point = resolve_point("Tuesday", WED)
    assert point is not None and (point.month, point.day) == (3, 18)
    assert point.granularity == "day"


def test_shortly_before_midnight_on_monday_is_monday_late_night() -> None:
    point = resolve_point("shortly before midnight on Monday", WED)
    assert point is not None and (point.day, point.part_of_day) == (17, "night")
    assert point.approximate


def test_a_future_weekday_is_the_next_one() -> None:
    point = resolve_point("Thursday", WED, future=True)
    assert point is not None and point.day == 20


def test_points_compare_at_their_common_granularity() -> None:
    full = resolve_point("15 January 1971", WED)
    same_year, other_year = resolve_point("1971", WED), resolve_point("1972", WED)
    assert full and same_year and other_year
    assert same_time(full, same_year) is True  # a year against a full date: the years
    assert same_time(full, other_year) is False


def test_clock_times_across_midnight() -> None:
    late, early = (
        resolve_point("shortly before midnight on Monday", WED),
        resolve_point("3 a.m. Tuesday", WED),
    )
    near = resolve_point("about 12:20 a.m. on Tuesday", WED)
    assert late and early and near
    assert same_time(late, early) is False  # three hours apart, on two days
    assert same_time(late, near) is True  # twenty minutes apart across midnight
    ten, quarter = (
        resolve_point("22:10 on Monday", WED),
        resolve_point("about 10:15 p.m. Monday", WED),
    )
    assert ten and quarter and same_time(ten, quarter) is True


def test_says_future_reads_the_tense_of_plain_text() -> None:
    from agent.timeref import says_future

    for text in (
        "The council will meet on Wednesday",
        "They'll vote on Friday",
        "The depot won't open until Thursday",
        "The bridge is due to reopen on Monday",
        "Talks are expected to resume on Sunday",
        "The board shall not convene on Saturday",
    ):
        assert says_future(text), text
    for text in (
        "The minister said on Tuesday",
        "The will of the members was clear on Monday",
        "Will Carter arrived on Thursday",
        "The ferry was repaired on Wednesday",
    ):
        assert not says_future(text), text


def test_times_across_midnight_take_the_slack_of_one_day() -> None:
    fri = dt.date(2031, 5, 17)  # a Saturday's paper
    before = resolve_point("shortly before midnight on Friday", fri)
    small_hours = resolve_point("2 a.m. on Saturday", fri)
    just_after = resolve_point("12:20 a.m. on Saturday", fri)
    assert before is not None and small_hours is not None and just_after is not None
    assert same_time(before, small_hours) is False
    assert same_time(before, just_after) is True
