"""Article metadata read from the text itself: headline, outlet, author, publication date and
dateline. Pure functions over the text and the file name; no NLP model.

Only the header is trusted: the short lines before the first body-like line. A date inside a
body sentence is usually an event's date, not the publication date. The header is read the
way people write one, each line for what it is:

- labelled lines: `Title:` / `Headline:`, `Source:` / `Outlet:` / `Publisher:`, `Author:` /
  `By:`, `Published:` / `Date:` / `Posted:` (before `Updated:`), `Dateline:`;
- a byline: `By NAME` (`By NAME | OUTLET` names both), or a dashed `- NAME` under a headline;
- a masthead: a short line above the headline, in capitals ("THE HARBOUR TIMES") or ending
  in a word like Times, Herald, Radio, is the outlet, not the title;
- a date line: a full date, `date YYYY-MM-DD`, or a short "Mar 14" given a year by the file
  name;
- the headline: the first remaining line that reads as one, wherever it stands in the header
  (after a masthead or a wire's `date` line too).

The outlet (`source`) is the labelled source, else the masthead, else the outlet of a
`By NAME | OUTLET` line, else a dateline's agency ("(Harbour Wire)"), else the byline.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from agent.base import Strict

_HEADER_MAX_LINES = 10
"""The header is looked for in at most this many lines at the top."""
_TITLE_MAX_WORDS = 20
_BODY_WORDS = 20
"""A line longer than this is body text, not a header line."""
_SENTENCE_MIN_WORDS = 4
"""A line ending in a period with at least this many words is a sentence of the body."""
_NAME_MAX_WORDS = 8
_MASTHEAD_MAX_WORDS = 6
_LABEL_MAX_WORDS = 16

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
_DATE_LINE_WORDS = re.compile(
    r"\b(?:[A-Za-z]{3,6}day|published|posted|updated|last|on|at|[ap]\.?m\.?"
    r"|utc|gmt|bst|cet|cest|eet|eest|est|edt|cst|cdt|mst|mdt|pst|pdt|ist|jst|aest|aedt)\b"
    r"|\b\d{1,2}[:.]\d{2}\b",
    re.IGNORECASE,
)
"""What may stand beside a full date on a date line: a weekday, a clock time, a time zone
("BST", "UTC") and the words that introduce a date."""
_ISO_PREFIX = re.compile(r"^(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})(?!\d)")

_LABELS = {
    "title": "title",
    "headline": "title",
    "source": "source",
    "outlet": "source",
    "publisher": "source",
    "publication": "source",
    "author": "author",
    "authors": "author",
    "byline": "author",
    "by": "author",
    "written by": "author",
    "published": "published",
    "published on": "published",
    "publication date": "published",
    "date": "published",
    "posted": "published",
    "updated": "updated",
    "last updated": "updated",
    "dateline": "dateline",
}
_LABEL = re.compile(
    rf"^{_BULLET}(?P<label>"
    + "|".join(sorted((re.escape(k) for k in _LABELS), key=len, reverse=True))
    + r")\s*:\s*(?P<value>\S.*?)\s*$",
    re.IGNORECASE,
)
_BYLINE = re.compile(rf"^{_BULLET}(?:by|BY|By)\s+(?P<name>\S.*?)\s*$")
_DASH_LINE = re.compile(r"^\s*[-–—•*·]\s+(?P<name>\S.*?)\s*$")
_NAME_TOKEN = re.compile(r"[^\s,|&/;]+")
_NAME_PARTICLES = frozenset(
    {"and", "de", "da", "del", "della", "der", "di", "du", "la", "le", "van", "von", "bin", "al"}
)
_OUTLET_WORDS = frozenset(
    {"times", "post", "herald", "courier", "gazette", "tribune", "news", "journal",
     "chronicle", "telegraph", "guardian", "observer", "radio", "television", "tv", "daily",
     "weekly", "press", "wire", "agency", "network", "broadcasting", "magazine", "review",
     "standard", "record", "register", "mirror", "express", "bulletin", "dispatch", "echo",
     "monitor", "sentinel", "independent", "online", "newsroom", "media", "examiner",
     "inquirer", "argus", "advertiser", "leader", "mercury", "globe", "star", "sun"}
)  # fmt: skip
"""General English words that end the names of news outlets ("The ... Herald"): a short line
ending in one, above the headline, is a masthead."""

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
    """The headline: a `Title:` line, else the first header line that reads as one."""
    source: str | None = None
    """The outlet: a `Source:` line, a masthead, a dateline's agency, else the byline."""
    author: str | None = None
    """The byline: an `Author:` or `By NAME` line, or a dashed name under the headline."""
    published: dt.date | None = None
    """Publication date from a marker or header line, else a YYYY-MM-DD file-name prefix."""
    dateline: str | None = None
    """The place of a "PLACE —" dateline opening the body (or a `Dateline:` line)."""


def overlay(base: Metadata, *layers: Iterable[tuple[str, object]]) -> Metadata:
    """`base` with each field a later layer gives (not None) put over it, in order."""
    update: dict[str, object] = {}
    for layer in layers:
        update |= {k: v for k, v in layer if k in Metadata.model_fields and v is not None}
    return base.model_copy(update=update)


def extract_metadata(text: str, filename: str) -> Metadata:
    """Read title, source, author, published date and dateline from the text and file name."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    header = _header(lines)
    labelled = _labelled(header)
    kinds = [_kind(line) for line in header]
    masthead = _masthead(header, kinds)
    title_at = _title_at(header, kinds, masthead, has_more=len(lines) > len(header))
    title = labelled.get("title") or (_headline_text(header[title_at]) if title_at >= 0 else None)
    # Neither the headline nor the masthead is searched for bylines or dates: a date in a
    # headline is the event's.
    rest = [line for i, line in enumerate(header) if i not in (title_at, masthead)]
    body = lines[len(header)] if len(header) < len(lines) else None
    place, agency = _dateline(body)
    author, outlet = _author(rest, [_kind(line) for line in rest])
    source = (
        labelled.get("source")
        or (header[masthead].lstrip("#").strip() if masthead >= 0 else None)
        or outlet
        or agency
        or author
    )
    return Metadata(
        title=title,
        source=source,
        author=labelled.get("author") or author,
        published=_published(lines[:1] + header, rest, filename),
        dateline=labelled.get("dateline") or place,
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


# --- what each header line is -------------------------------------------------------------


def _label(line: str) -> tuple[str, str] | None:
    match = _LABEL.match(line)
    if match is None:
        return None
    value = match.group("value").strip(" |,;")
    if not value or _words(value) > _LABEL_MAX_WORDS:
        return None
    return _LABELS[" ".join(match.group("label").lower().split())], value


def _labelled(header: list[str]) -> dict[str, str]:
    """The first value of each labelled field (title, source, author, dateline)."""
    found: dict[str, str] = {}
    for line in header:
        label = _label(line)
        if label is not None and label[0] not in ("published", "updated"):
            field, value = label
            if field == "author":
                value = _byline_name(value) or value
            found.setdefault(field, value)
    return found


def _kind(line: str) -> str:
    """What a header line is: "label", "date", "byline", "dash", "caps", "headline", "other"."""
    if _label(line) is not None:
        return "label"
    if _is_date_line(line):
        return "date"
    if _byline(line):
        return "byline"
    dashed = _DASH_LINE.match(line)
    if dashed and _looks_like_name(dashed.group("name")) and _words(dashed.group("name")) <= 5:
        return "dash"
    if _dateline(line)[0]:
        return "other"
    if _all_caps(line):
        return "caps"
    if _headline_shaped(line):
        return "headline"
    return "other"


def _all_caps(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    text = line.lstrip("#").strip()
    return (
        len(letters) >= 2
        and all(c.isupper() for c in letters)
        and _words(text) <= _MASTHEAD_MAX_WORDS
        and text.strip(" .:-–—") not in _NOT_PLACES
        and not _ends_sentence(text)
    )


def _headline_text(line: str) -> str:
    return line.lstrip("#").strip()  # a Markdown heading


def _headline_shaped(line: str) -> bool:
    first = _headline_text(line)
    letters = [c for c in first if c.isalpha()]
    if not letters or not letters[0].isupper():
        return False
    if _words(first) > _TITLE_MAX_WORDS or _ends_sentence(first):
        return False
    return not first.rstrip(_CLOSERS).endswith((",", ";", ":"))


def _masthead(header: list[str], kinds: list[str]) -> int:
    """The index of a masthead line (an outlet's name above the headline), or -1."""
    for i, (line, kind) in enumerate(zip(header, kinds, strict=True)):
        if kind in ("label", "date", "byline", "dash"):
            continue
        if kind not in ("caps", "headline"):
            return -1
        text = _headline_text(line)
        last = re.sub(r"[^\w]", "", text.split()[-1].lower()) if text.split() else ""
        outlet_like = kind == "caps" or (
            _words(text) <= _MASTHEAD_MAX_WORDS and last in _OUTLET_WORDS
        )
        # A headline must follow: an outlet's name alone is not told from a short headline.
        headline_follows = any(
            k == "headline" and not _all_caps(h)
            for h, k in zip(header[i + 1 :], kinds[i + 1 :], strict=True)
        )
        return i if outlet_like and headline_follows else -1
    return -1


def _title_at(header: list[str], kinds: list[str], masthead: int, has_more: bool) -> int:
    """The index of the headline line, or -1. A headline has text after it."""
    for i, kind in enumerate(kinds):
        if i == masthead or kind not in ("caps", "headline"):
            continue
        if i + 1 < len(header) or has_more:
            return i
        return -1
    return -1


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


def _full_date(line: str) -> dt.date | None:
    hits = [m for pattern in _FULL_DATES for m in pattern.finditer(line)]
    for match in sorted(hits, key=lambda m: m.start()):
        found = _from_match(match)
        if found:
            return found
    return None


def _published(leading: list[str], header: list[str], filename: str) -> dt.date | None:
    for line in leading:
        marker = _DATE_MARKER.match(line)
        if marker:
            found = _date(*(int(part) for part in marker.group("iso").split("-")))
            if found:
                return found
    # "Published: ..." before any other date line, and "Updated: ..." after all of them.
    order = {"published": 0, None: 1, "updated": 2}
    labels = [(lab[0] if lab else None) for lab in map(_label, header)]
    for _, i in sorted((order[lab], i) for i, lab in enumerate(labels) if lab in order):
        line = header[i]
        found = _full_date(line)
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


# --- author, source, dateline -------------------------------------------------------------


def _is_date_line(line: str) -> bool:
    if any(p.match(line) for p in _SHORT_DATES) or _DATE_MARKER.match(line):
        return True
    # A full date with nothing around it but a weekday, a clock time, a time zone and the
    # words that introduce a date: "Tuesday 13 October 2020, 10:32 BST", "Posted on ...".
    for pattern in _FULL_DATES:
        match = pattern.search(line)
        if match:
            rest = line[: match.start()] + " " + line[match.end() :]
            return not re.search(r"[^\W\d_]", _DATE_LINE_WORDS.sub(" ", rest))
    return False


def _looks_like_name(name: str) -> bool:
    if re.search(r"\d", name) or _words(name) > _NAME_MAX_WORDS or _ends_sentence(name):
        return False
    tokens = _NAME_TOKEN.findall(name)
    if not tokens:
        return False
    capitalised = [t for t in tokens if t[0].isupper()]
    return bool(capitalised) and all(t[0].isupper() or t in _NAME_PARTICLES for t in tokens)


def _byline_name(value: str) -> str | None:
    name = value.strip(" |,;:-–—")
    return name if _looks_like_name(name) else None


def _byline(line: str) -> str | None:
    match = _BYLINE.match(line)
    return _byline_name(match.group("name")) if match else None


def _author(rest: list[str], kinds: list[str]) -> tuple[str | None, str | None]:
    """(author, outlet) from the header's bylines: an explicit "By ..." beats a dashed name;
    "By NAME | OUTLET" names both."""
    for line, kind in zip(rest, kinds, strict=True):
        if kind == "byline":
            name = _byline(line) or ""
            person, _, outlet = (part.strip() for part in name.partition("|"))
            return person or name, outlet or None
    for line, kind in zip(rest, kinds, strict=True):
        dashed = _DASH_LINE.match(line)
        if kind == "dash" and dashed:
            return dashed.group("name").strip(" |,;:"), None
    return None, None


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
