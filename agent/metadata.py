"""Article metadata read from the text itself: headline, byline/outlet, publication date and
dateline. Pure functions over the text and the file name; no NLP model.

Only the header is trusted for bylines and dates: the short lines before the first body-like
line. A date inside a body sentence is usually an event's date, not the publication date.
"""

from __future__ import annotations

import datetime as dt
import re

from agent.base import Strict

_HEADER_MAX_LINES = 8
"""Bylines and dates are looked for in at most this many lines at the top."""
_TITLE_MAX_WORDS = 20
_BODY_WORDS = 20
"""A line longer than this is body text, not a header line."""
_SENTENCE_MIN_WORDS = 4
"""A line ending in a period with at least this many words is a sentence of the body."""
_NAME_MAX_WORDS = 8

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_MON = rf"(?P<month>{_MONTH})\.?"

_DATE_MARKER = re.compile(
    r"^\s*(?:date|published|posted)\s*:?\s*(?P<iso>\d{4}-\d{2}-\d{2})(?!\d)", re.IGNORECASE
)
_FULL_DATES = (
    re.compile(rf"\b{_MON}\s+{_DAY},?\s+(?P<year>\d{{4}})(?!\d)", re.IGNORECASE),
    re.compile(rf"\b{_DAY}\s+{_MON},?\s+(?P<year>\d{{4}})(?!\d)", re.IGNORECASE),
    re.compile(r"(?<!\d)(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})(?!\d)"),
)
_BULLET = r"[-–—•*·|>\s]*"
_LINE_LEAD = rf"^{_BULLET}(?:(?:published|posted|updated)\s*:?\s*)?(?:[A-Za-z]{{3,9}}day,?\s+)?"
_SHORT_DATES = (
    re.compile(rf"{_LINE_LEAD}{_MON}\s+{_DAY}\s*$", re.IGNORECASE),
    re.compile(rf"{_LINE_LEAD}{_DAY}\s+{_MON}\s*$", re.IGNORECASE),
)
_ISO_PREFIX = re.compile(r"^(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})(?!\d)")

_BYLINE = re.compile(rf"^{_BULLET}(?:by|BY|By)\s+(?P<name>\S.*?)\s*$")
_SOURCE_LINE = re.compile(rf"^{_BULLET}source\s*:\s*(?P<name>\S.*?)\s*$", re.IGNORECASE)
_DASH_LINE = re.compile(r"^\s*[-–—•*·]\s+(?P<name>\S.*?)\s*$")
_NAME_TOKEN = re.compile(r"[^\s,|&/;]+")
_NAME_PARTICLES = frozenset(
    {"and", "de", "da", "del", "della", "der", "di", "du", "la", "le", "van", "von", "bin", "al"}
)

_PLACE_WORD = r"[A-Z][A-Z.'’\-]*[A-Z.]"
_DATELINE = re.compile(
    rf"^(?P<place>{_PLACE_WORD}(?:\s+{_PLACE_WORD})*"
    r"(?:,\s*[A-Z][A-Za-z.'’\-]*(?:\s+[A-Z][A-Za-z.'’\-]*)*)?)"  # "VELMORA, Norland"
    rf"(?:,?\s+{_MONTH}\.?\s+\d{{1,2}})?"  # "LONDON, March 19 (Reuters) -"
    r"\s*(?:\((?P<agency>[^()\n]{1,40})\))?"
    r"\s*(?:—|–|--|-)\s+\S"
)
_NOT_PLACES = frozenset(
    {"BREAKING", "UPDATE", "UPDATED", "EXCLUSIVE", "ANALYSIS", "OPINION", "EDITORIAL",
     "WATCH", "LIVE", "NEWS", "NOTE", "CORRECTION", "FACT CHECK"}
)  # fmt: skip
_CLOSERS = "\"'”’)]»*_"


class Metadata(Strict):
    """What an article's text says about itself."""

    title: str | None = None
    """The first line, when it reads as a headline."""
    source: str | None = None
    """A byline or outlet named in the header lines (or a dateline's agency)."""
    published: dt.date | None = None
    """Publication date from a marker or header line, else a YYYY-MM-DD file-name prefix."""
    dateline: str | None = None
    """The place of a "PLACE —" dateline opening the body."""


def extract_metadata(text: str, filename: str) -> Metadata:
    """Read title, source, published date and dateline from the text and file name."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    header = _header(lines)
    title = _title(lines)
    # The headline is not searched for bylines or dates: a date there is the event's.
    rest = header[1:] if title is not None else header
    body = lines[len(header)] if len(header) < len(lines) else None
    place, agency = _dateline(body)
    return Metadata(
        title=title,
        source=_source(rest) or agency,
        published=_published(lines[:1] + header, rest, filename),
        dateline=place,
    )


def _words(line: str) -> int:
    return len(line.split())


def _ends_sentence(line: str) -> bool:
    return line.rstrip(_CLOSERS).endswith(".")


def _body_like(line: str) -> bool:
    words = _words(line)
    return words > _BODY_WORDS or (_ends_sentence(line) and words >= _SENTENCE_MIN_WORDS)


def _header(lines: list[str]) -> list[str]:
    header: list[str] = []
    for line in lines[:_HEADER_MAX_LINES]:
        if _body_like(line):
            break
        header.append(line)
    return header


# --- published -----------------------------------------------------------------------------


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:  # 2025-02-30, month 13, year 0
        return None


def _month_number(token: str) -> int:
    return int(token) if token.isdigit() else _MONTHS[token[:3].lower()]


def _from_match(match: re.Match[str], year: int | None = None) -> dt.date | None:
    return _date(
        year if year is not None else int(match.group("year")),
        _month_number(match.group("month")),
        int(match.group("day")),
    )


def _published(leading: list[str], header: list[str], filename: str) -> dt.date | None:
    for line in leading:
        marker = _DATE_MARKER.match(line)
        if marker:
            found = _date(*(int(part) for part in marker.group("iso").split("-")))
            if found:
                return found
    for line in header:
        hits = [m for pattern in _FULL_DATES for m in pattern.finditer(line)]
        for match in sorted(hits, key=lambda m: m.start()):
            found = _from_match(match)
            if found:
                return found
    name_match = _ISO_PREFIX.match(filename)
    name_date = _from_match(name_match) if name_match else None
    if name_date:
        for line in header:
            for pattern in _SHORT_DATES:
                short = pattern.match(line)
                if short:
                    found = _nearest_year(short, name_date)
                    if found:
                        return found
    return name_date


def _nearest_year(match: re.Match[str], anchor: dt.date) -> dt.date | None:
    """A yearless "Mar 14" placed in the year that brings it nearest the file-name date, so
    "Dec 31" next to a 2025-01-02 prefix is 2024-12-31."""
    candidates = [_from_match(match, anchor.year + delta) for delta in (-1, 0, 1)]
    valid = [c for c in candidates if c is not None]
    return min(valid, key=lambda c: abs((c - anchor).days)) if valid else None


# --- title, source, dateline --------------------------------------------------------------


def _is_date_line(line: str) -> bool:
    if any(p.match(line) for p in _SHORT_DATES) or _DATE_MARKER.match(line):
        return True
    stripped = line.strip(" -–—•*·|,")
    return any(p.fullmatch(stripped) for p in _FULL_DATES)


def _title(lines: list[str]) -> str | None:
    if len(lines) < 2:  # a headline has text after it
        return None
    first = lines[0].lstrip("#").strip()  # a Markdown heading
    letters = [c for c in first if c.isalpha()]
    if not letters or not letters[0].isupper():
        return None
    if _words(first) > _TITLE_MAX_WORDS or _ends_sentence(first):
        return None
    if first.rstrip(_CLOSERS).endswith((",", ";", ":")):
        return None
    if _is_date_line(first) or _byline(first) or _dateline(first)[0]:
        return None
    return first


def _looks_like_name(name: str) -> bool:
    if re.search(r"\d", name) or _words(name) > _NAME_MAX_WORDS or _ends_sentence(name):
        return False
    tokens = _NAME_TOKEN.findall(name)
    if not tokens:
        return False
    capitalised = [t for t in tokens if t[0].isupper()]
    return bool(capitalised) and all(t[0].isupper() or t in _NAME_PARTICLES for t in tokens)


def _byline(line: str) -> str | None:
    for pattern in (_BYLINE, _SOURCE_LINE):
        match = pattern.match(line)
        if match:
            name = match.group("name").strip(" |,;:-–—")
            if _looks_like_name(name):
                return name
    return None


def _source(header: list[str]) -> str | None:
    # An explicit "By ..." or "Source: ..." anywhere in the header beats a bare dashed line.
    for line in header:
        name = _byline(line)
        if name:
            return name
    for line in header:
        dashed = _DASH_LINE.match(line)
        if dashed and not _is_date_line(line):
            name = dashed.group("name").strip(" |,;:")
            if _words(name) <= 5 and _looks_like_name(name):
                return name
    return None


def _dateline(line: str | None) -> tuple[str | None, str | None]:
    """(place, agency) of a dateline opening `line`, after any leading date marker."""
    if line is None:
        return None, None
    marker = _DATE_MARKER.match(line)
    opening = line[marker.end() :].lstrip() if marker else line.lstrip()
    match = _DATELINE.match(opening)
    if not match:
        return None, None
    place = match.group("place").strip()
    if place in _NOT_PLACES or sum(c.isalpha() for c in place) < 2:
        return None, None
    agency = match.group("agency")
    return place, agency.strip() if agency else None
