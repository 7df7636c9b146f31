"""Resolve the time expressions of news prose against the article's publication date.

News convention: a bare weekday means a day within the week around the publication date,
and the tense says which side. Reporting what happened ("said on Tuesday", "shortly before
midnight on Monday") it is the most recent such day on or before the publication date, up to
six days back; saying what will happen ("will meet on Wednesday", the caller's `future`) it
is the coming one, up to six days ahead. The publication day's own name is that day either
way, so "Wednesday" in an article of Tuesday 13 October is the 7th in past-tense reporting
and the 14th only with future tense. "yesterday" and "today" are relative to the publication
date; a clock time around midnight never moves the day it is attached to ("shortly before
midnight on Monday" is Monday). Expressions that name no single day ("last week", "recent
weeks") keep their text and resolve to no date.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from itertools import pairwise
from typing import Literal

from dateutil import parser as dateutil_parser

from agent.base import Strict

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = [
    "jan",
    "feb",
    "mar",
    "apr",
    "may",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "january",
    "february",
    "march",
    "april",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_RELATIVE = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}
_HAS_DAY_NUMBER = re.compile(r"\b\d{1,2}(st|nd|rd|th)?\b")


def resolve(text: str, published: date | None, future: bool = False) -> date | None:
    """The calendar day `text` names, or None when it names no single day or cannot tell.
    With `future` (the claim says what will happen), a bare weekday is the next such day on
    or after the publication date."""
    words = re.findall(r"[a-z]+|\d+", text.lower())
    if not words:
        return None
    for word, delta in _RELATIVE.items():
        if word in words:
            return published + timedelta(days=delta) if published else None
    weekday = next((w for w in words if w in _WEEKDAYS), None)
    delta_of_part = _relative_part(words)
    if delta_of_part is not None and weekday is None and not any(m in words for m in _MONTHS):
        return published + timedelta(days=delta_of_part) if published else None
    if weekday is not None and not any(m in words for m in _MONTHS):
        if published is None:
            return None
        back = (published.weekday() - _WEEKDAYS.index(weekday)) % 7
        if future and "last" not in words:
            return published + timedelta(days=(7 - back) % 7)
        if "next" in words:
            return published + timedelta(days=(7 - back) % 7 or 7)
        if "last" in words and back == 0:
            back = 7
        return published - timedelta(days=back)
    if any(m in words for m in _MONTHS) and _HAS_DAY_NUMBER.search(text):
        return _explicit_date(text, published)
    if re.fullmatch(r"\s*\d{4}-\d{2}-\d{2}\s*", text):
        return date.fromisoformat(text.strip())
    return None


_DAY_PARTS = frozenset(["morning", "afternoon", "evening", "night"])


def _relative_part(words: list[str]) -> int | None:
    """Days from publication for a part of a day named relative to it: "this morning" is the
    publication day, "last night" the night before it (None: no such phrase)."""
    for first, second in pairwise(words):
        if first == "this" and second in _DAY_PARTS:
            return 0
        if first == "last" and second == "night":
            return -1
    return None


_FUTURE = re.compile(
    # "will"/"shall"/"'ll" as an auxiliary (not "the will of"), "won't", and the periphrases
    # news prose uses for what is planned ("is due to", "are expected to", "is set to").
    r"(?<!\bthe )(?<!\ba )(?<!\bhis )(?<!\bher )(?<!\btheir )(?<!\bits )"
    r"\b(?-i:will|shall)\s+(not\s+)?[a-z]"  # lower case: "Will Smith" is a name
    r"|[a-z](['’]ll|\s+won['’]t)\b|\bwon['’]t\b"
    r"|\b(is|are|was|were|am)\s+(not\s+)?(due|expected|set|scheduled|going|planned|slated)\s+to\b",
    re.IGNORECASE,
)


def says_future(text: str) -> bool:
    """Whether a claim's words say what will happen ("will meet on Wednesday", "is due to
    open"), the `future` of `resolve`, read from plain text: for claims that come with no
    parse (the LLM backend's), where the offline reader looks at the parsed auxiliaries."""
    return _FUTURE.search(text) is not None


def _explicit_date(text: str, published: date | None) -> date | None:
    # A date written without a year takes the publication year, and the previous year when
    # that would put it after publication ("Dec 30" in an article of Jan 2).
    default = datetime(published.year if published else 1900, 1, 1)
    try:
        parsed: date = dateutil_parser.parse(text, default=default, fuzzy=True).date()
    except (ValueError, OverflowError):
        return None
    has_year = re.search(r"\b(1[89]|20)\d{2}\b", text) is not None
    if published is None and not has_year:
        return None
    if published is not None and not has_year and parsed > published + timedelta(days=1):
        parsed = parsed.replace(year=parsed.year - 1)
    return parsed


Granularity = Literal["year", "month", "day"]
PartOfDay = Literal["morning", "afternoon", "evening", "night"]

_PARTS_OF_DAY: dict[str, PartOfDay] = {
    "morning": "morning",
    "dawn": "morning",
    "daybreak": "morning",
    "noon": "afternoon",
    "midday": "afternoon",
    "afternoon": "afternoon",
    "evening": "evening",
    "dusk": "evening",
    "night": "night",
    "tonight": "night",
    "overnight": "night",
    "midnight": "night",
}
_CLOCK = re.compile(
    r"\b(?P<h>\d{1,2})(?:[:.](?P<m>\d{2}))?\s*(?P<ampm>a\.?\s?m\b\.?|p\.?\s?m\b\.?)"
    r"|\b(?P<h24>[01]?\d|2[0-3]):(?P<m24>[0-5]\d)\b",
    re.IGNORECASE,
)
_YEAR = re.compile(r"\b(?P<year>1[0-9]{3}|20[0-9]{2})\b")
_APPROX_TIME = re.compile(r"\b(about|around|approximately|roughly|shortly|just|some|nearly)\b")


class TimePoint(Strict):
    """A time as precise as the text gives it: a year, a month or a day, with the part of
    the day or the clock time when the text says."""

    year: int
    """The year."""
    month: int | None = None
    """The month (1-12), at month or day granularity."""
    day: int | None = None
    """The day of the month, at day granularity."""
    part_of_day: PartOfDay | None = None
    """ "morning", "afternoon", "evening" or "night" ("shortly before midnight" is night)."""
    minutes: int | None = None
    """Minutes after midnight of a clock time ("22:10" is 1330; "midnight" is 1440)."""
    approximate: bool = False
    """The clock time is hedged ("about", "shortly after")."""
    undated: bool = False
    """A clock time the text gives no day for ("began at 3 a.m."): the day is the event's own,
    unknown, so only the clock is compared; `year` is then the publication year."""

    @property
    def granularity(self) -> Granularity:
        """How precise the point is."""
        return "day" if self.day is not None else "month" if self.month is not None else "year"


def resolve_point(text: str, published: date | None, future: bool = False) -> TimePoint | None:
    """The time `text` names at its own granularity ("1972" a year, "March 2020" a month,
    "Tuesday" a day resolved against `published`), or None when it names none."""
    lowered = text.lower()
    words = re.findall(r"[a-z]+|\d+", lowered)
    part = next((_PARTS_OF_DAY[w] for w in words if w in _PARTS_OF_DAY), None)
    minutes = _clock_minutes(lowered)
    if minutes is None:
        minutes = _oclock_minutes(lowered, part)
    if minutes is not None and part is None:
        part = _part_of(minutes)
    approximate = bool(_APPROX_TIME.search(lowered))
    day = resolve(text, published, future)
    if day is not None:
        return TimePoint(
            year=day.year,
            month=day.month,
            day=day.day,
            part_of_day=part,
            minutes=minutes,
            approximate=approximate,
        )
    year_match = _YEAR.search(text)
    if year_match and not re.search(r"\b\d{4}s\b|\bcentury\b", lowered):
        year = int(year_match.group("year"))
        month = next((_month_number(w) for w in words if _month_number(w)), None)
        return TimePoint(year=year, month=month)
    month = next((_month_number(w) for w in words if _month_number(w)), None)
    if published is not None and month is not None and minutes is None and day is None:
        # "In March", in an article of October: the latest March on or before the date
        # (the first after it when the text speaks of the future).
        year = published.year
        if future and month < published.month:
            year += 1
        elif not future and month > published.month:
            year -= 1
        return TimePoint(year=year, month=month)
    if published is not None and "year" in words and ("last" in words or "this" in words):
        return TimePoint(year=published.year - (1 if "last" in words else 0))
    if published is not None and _this_or_last(words, "month") is not None:
        # "last month" in an article of 12 November is October; "this month" is November.
        back = _this_or_last(words, "month") or 0
        first = (published.replace(day=1) - timedelta(days=1)) if back else published
        return TimePoint(year=first.year, month=first.month)
    if published is not None and minutes is not None:
        return TimePoint(
            year=published.year,
            part_of_day=part,
            minutes=minutes,
            approximate=approximate,
            undated=True,
        )
    return None


def _this_or_last(words: list[str], unit: str) -> int | None:
    """1 for "last <unit>", 0 for "this <unit>", None when neither is said."""
    for first, second in pairwise(words):
        if second == unit and first in {"last", "this"}:
            return 1 if first == "last" else 0
    return None


def _month_number(word: str) -> int | None:
    if word not in _MONTHS:
        return None
    order = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
    return order.index(word[:3]) + 1


def _clock_minutes(lowered: str) -> int | None:
    if "midnight" in lowered:
        return 24 * 60
    if re.search(r"\b(noon|midday)\b", lowered):
        return 12 * 60
    match = _CLOCK.search(lowered)
    if match is None:
        return None
    if match.group("h24") is not None:
        return int(match.group("h24")) * 60 + int(match.group("m24"))
    hour, minute = int(match.group("h")), int(match.group("m") or 0)
    if hour > 12 or minute > 59:
        return None
    pm = match.group("ampm").startswith("p")
    return ((hour % 12) + (12 if pm else 0)) * 60 + minute


_OCLOCK = re.compile(r"\b(?P<h>\d{1,2}|[a-z]+)\s+o['’]clock\b")
_HOUR_WORDS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
               "eleven", "twelve")  # fmt: skip


def _oclock_minutes(lowered: str, part: PartOfDay | None) -> int | None:
    """ "eleven o'clock" with the part of the day that says which eleven ("on Monday night"
    is 23:00, "in the morning" 11:00); None when nothing tells morning from evening."""
    match = _OCLOCK.search(lowered)
    if match is None or part is None:
        return None
    word = match.group("h")
    if word.isdigit():
        hour = int(word)
    else:
        hour = _HOUR_WORDS.index(word) + 1 if word in _HOUR_WORDS else 0
    if not 1 <= hour <= 12:
        return None
    if part in {"afternoon", "evening"} or (part == "night" and hour >= 6):
        hour = hour % 12 + 12
    elif part == "morning" or part == "night":
        hour %= 12
    return hour * 60


def _part_of(minutes: int) -> PartOfDay:
    if minutes < 5 * 60 or minutes >= 21 * 60:
        return "night"
    if minutes < 12 * 60:
        return "morning"
    return "afternoon" if minutes < 18 * 60 else "evening"


def same_time(a: TimePoint, b: TimePoint, slack_minutes: int = 30) -> bool | None:
    """Whether two points can be the same moment, compared at their common granularity:
    True or False, or None when they cannot be compared (a day and a clock time of another
    day around midnight are compared by the clock). A clock time with no day is compared
    with another clock time by the clock alone, and with anything else not at all."""
    if a.undated or b.undated:
        if a.minutes is None or b.minutes is None:
            return None
        slack = slack_minutes * (2 if a.approximate or b.approximate else 1)
        gap = abs(a.minutes - b.minutes)
        return min(gap, 24 * 60 - gap) <= slack
    if a.year != b.year:
        return _across_midnight(a, b, slack_minutes) or False
    if a.month is None or b.month is None:
        return True
    if a.month != b.month:
        return _across_midnight(a, b, slack_minutes) or False
    if a.day is None or b.day is None:
        return True
    if a.day != b.day:
        return _across_midnight(a, b, slack_minutes) or False
    if a.minutes is not None and b.minutes is not None:
        slack = slack_minutes * (2 if a.approximate or b.approximate else 1)
        return abs(a.minutes - b.minutes) <= slack
    if a.part_of_day and b.part_of_day and a.part_of_day != b.part_of_day:
        if {a.part_of_day, b.part_of_day} == {"night", "morning"}:
            # The small hours are night and morning both: "2 a.m." is "Sunday morning".
            return any(p.minutes is not None and p.minutes < _SMALL_HOURS_END for p in (a, b))
        return {a.part_of_day, b.part_of_day} <= {"evening", "night"}
    return True


_SMALL_HOURS_END = 6 * 60


def _across_midnight(a: TimePoint, b: TimePoint, slack_minutes: int = 30) -> bool:
    """ "Late Monday night" and "early Tuesday" may be one moment: adjacent days, the earlier
    at night (with no clock time, or one within an hour of midnight); two clock times are
    compared with the same slack as on one day ("shortly before midnight" and "2 a.m." are
    two moments, as "10 p.m." and "midnight" are)."""
    if a.day is None or b.day is None or a.month is None or b.month is None:
        return False
    da, db = date(a.year, a.month, a.day), date(b.year, b.month, b.day)
    if abs((da - db).days) != 1:
        return False
    early, late = (a, b) if da < db else (b, a)
    if early.minutes is not None and late.minutes is not None:
        gap = (24 * 60 - early.minutes) + late.minutes
        return gap <= slack_minutes * (2 if early.approximate or late.approximate else 1)
    if early.part_of_day != "night":
        return False
    return late.minutes is None or late.minutes <= 60 or late.part_of_day is None
