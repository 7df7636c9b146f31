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

from dateutil import parser as dateutil_parser

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
