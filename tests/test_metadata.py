"""Metadata from the text: seeds (expectations here only, never in code) and invented texts."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from agent.ingest import ingest
from agent.metadata import extract_metadata
from tests.conftest import SEEDS

BODY = "The water board said on Friday it had released water from the dam after the storm.\n"


def test_seed_metadata() -> None:
    by_id = {a.id: a for a in ingest([SEEDS]).articles}
    blog = by_id["2025-03-14-blog-putin-direct-talks"]
    assert blog.title == "Ukraine War Twist: Putin Wants Direct Talks With Trump Before Truce"
    assert blog.source == "C MONEY"
    assert blog.published == dt.date(2025, 3, 14)
    assert blog.dateline is None
    daily = by_id["2025-03-19-us-daily-trump-zelensky-call"]
    assert daily.dateline == "WASHINGTON"
    assert daily.published == dt.date(2025, 3, 19)
    assert daily.title is None and daily.source is None
    wire = by_id["2025-03-19-wire-trump-zelensky-call"]
    assert wire.published == dt.date(2025, 3, 19)
    assert wire.title is None and wire.source is None and wire.dateline is None


def test_seed_dates_come_from_the_text_not_only_the_file_name() -> None:
    for path in sorted(SEEDS.glob("*-blog-*.txt")) + sorted(SEEDS.glob("*-wire-*.txt")):
        text = path.read_text(encoding="utf-8")
        # The blog's "Mar 14" line needs a year from a file-name prefix; the wire's marker not.
        expected = None if "-blog-" in path.name else dt.date(2025, 3, 19)
        assert extract_metadata(text, "no-date.txt").published == expected


# --- published -----------------------------------------------------------------------------


def test_leading_date_marker_on_the_body_line_wins() -> None:
    meta = extract_metadata(
        " date 2031-07-02 The council said on Tuesday it would vote.\n" + BODY,
        "2030-01-01-x.txt",
    )
    assert meta.published == dt.date(2031, 7, 2)
    assert meta.title is None


def test_date_marker_in_a_header_line_beats_a_full_date() -> None:
    text = "Dam Opens\nDate: 2031-07-02\nUpdated March 3, 2032\n\n" + BODY
    assert extract_metadata(text, "x.txt").published == dt.date(2031, 7, 2)


def test_impossible_marker_date_falls_through_to_the_file_name() -> None:
    text = "date 2031-02-30 The council said it would vote.\n" + BODY
    assert extract_metadata(text, "2030-01-01-x.txt").published == dt.date(2030, 1, 1)


@pytest.mark.parametrize(
    "line",
    [
        "March 14, 2029",
        "14 March 2029",
        "2029-03-14",
        "Published: Mar. 14th, 2029 at 10:02 am",
        "- Friday, MARCH 14 2029",
        "Posted 2029-03-14T08:00:00Z | Updated 2029-03-15",
    ],
)
def test_full_date_in_a_header_line(line: str) -> None:
    text = f"Dam Opens After Storm\n{line}\n\n{BODY}"
    assert extract_metadata(text, "2020-01-01-x.txt").published == dt.date(2029, 3, 14)


def test_a_date_in_the_body_or_the_headline_is_not_the_publication_date() -> None:
    body_date = "Dam Opens\n\nThe board said on March 14, 2029 that it released water.\n"
    assert extract_metadata(body_date, "x.txt").published is None
    assert extract_metadata(body_date, "2030-05-06-x.txt").published == dt.date(2030, 5, 6)
    headline_date = "Vote Set For March 14, 2029\n\n" + BODY
    assert extract_metadata(headline_date, "x.txt").published is None


def test_yearless_header_date_takes_the_file_name_year() -> None:
    text = "Dam Opens\n- Mar 9\n\n" + BODY
    assert extract_metadata(text, "2030-03-10-dam.txt").published == dt.date(2030, 3, 9)
    assert extract_metadata(text, "dam.txt").published is None
    # Across a new year, the nearest year is taken.
    text = "Dam Opens\n31 Dec\n\n" + BODY
    assert extract_metadata(text, "2031-01-02-dam.txt").published == dt.date(2030, 12, 31)


def test_file_name_prefix_must_be_a_real_date() -> None:
    assert extract_metadata(BODY, "2030-13-01-x.txt").published is None
    assert extract_metadata(BODY, "x-2030-01-01.txt").published is None
    assert extract_metadata(BODY, "2030-01-01.txt").published == dt.date(2030, 1, 1)


# --- title ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "title"),
    [
        ("Dam Opens After Storm", "Dam Opens After Storm"),
        ("# Dam Opens After Storm", "Dam Opens After Storm"),
        ("Will the Dam Hold?", "Will the Dam Hold?"),
        ("'Rejected': Board Turns Down Plan", "'Rejected': Board Turns Down Plan"),
    ],
)
def test_headline_first_line_is_the_title(first: str, title: str) -> None:
    assert extract_metadata(f"{first}\n\n{BODY}", "x.txt").title == title


@pytest.mark.parametrize(
    "first",
    [
        "The board said the dam was safe.",
        "The board said the dam was “safe.”",
        " ".join(["Word"] * 21),
        "the board met again on a rainy day",
        "According to the board,",
        "March 14, 2029",
        "By Mara Quill",
        "VELMORA — The water board said on Friday it released water from the dam.",
    ],
)
def test_first_line_that_is_not_a_headline(first: str) -> None:
    assert extract_metadata(f"{first}\n\n{BODY}", "x.txt").title is None


def test_no_title_without_text_after_it() -> None:
    assert extract_metadata("Dam Opens After Storm\n", "x.txt").title is None


# --- source --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "source"),
    [
        ("By Mara Quill", "Mara Quill"),
        ("BY MARA QUILL and JON VAN DER BERG", "MARA QUILL and JON VAN DER BERG"),
        ("By Mara Quill | Harbour Times", "Harbour Times"),  # the outlet; Mara Quill writes
        ("Source: Harbour Times", "Harbour Times"),
        ("- HARBOUR TIMES", "HARBOUR TIMES"),
        ("• Mara Quill", "Mara Quill"),
    ],
)
def test_byline_in_the_header(line: str, source: str) -> None:
    text = f"Dam Opens After Storm\n{line}\n\n{BODY}"
    assert extract_metadata(text, "x.txt").source == source


@pytest.mark.parametrize(
    "line",
    ["- Mar 14", "- 3 min read", "- updated daily", "By the river bank", "- Share this story"],
)
def test_header_lines_that_are_not_bylines(line: str) -> None:
    text = f"Dam Opens After Storm\n{line}\n\n{BODY}"
    assert extract_metadata(text, "x.txt").source is None


def test_explicit_byline_beats_a_dashed_line() -> None:
    text = "Dam Opens\n- HARBOUR DESK\nBy Mara Quill\n\n" + BODY
    assert extract_metadata(text, "x.txt").source == "Mara Quill"


def test_no_source_from_the_body_or_the_file_name() -> None:
    text = "Dam Opens\n\n" + BODY + "By Mara Quill\n"
    assert extract_metadata(text, "harbour-times-dam.txt").source is None


def test_dateline_agency_is_the_source_and_the_byline_the_author() -> None:
    text = "VELMORA (Harbour Wire) — " + BODY
    assert extract_metadata(text, "x.txt").source == "Harbour Wire"
    text = "Dam Opens\nBy Mara Quill\n\nVELMORA (Harbour Wire) — " + BODY
    meta = extract_metadata(text, "x.txt")
    assert (meta.source, meta.author) == ("Harbour Wire", "Mara Quill")


# --- a header block read the way people write one (invented articles) -------------------

FERRY = (
    "The harbour authority said on Monday that the ferry would not sail until the pier was "
    "repaired, and that passengers would be refunded.\n"
)


def test_an_all_caps_masthead_is_the_source_and_the_headline_below_it_the_title() -> None:
    text = (
        "THE DORNICK COURIER\nFerry Service Suspended After Storm\nBy Ana Lind\n"
        "Published: Tuesday 13 October 2020\n\n" + FERRY
    )
    meta = extract_metadata(text, "ferry.txt")
    assert meta.title == "Ferry Service Suspended After Storm"
    assert meta.source == "THE DORNICK COURIER"
    assert meta.author == "Ana Lind"
    assert meta.published == dt.date(2020, 10, 13)


def test_a_title_case_masthead_ending_in_an_outlet_word_is_the_source() -> None:
    text = "The Dornick Courier\nFerry Service Suspended After Storm\n\n" + FERRY
    meta = extract_metadata(text, "ferry.txt")
    assert (meta.title, meta.source) == (
        "Ferry Service Suspended After Storm",
        "The Dornick Courier",
    )
    # A Markdown masthead and headline are read the same way.
    text = "# THE DORNICK COURIER\n## Ferry Service Suspended After Storm\n\n" + FERRY
    meta = extract_metadata(text, "ferry.md")
    assert (meta.title, meta.source) == (
        "Ferry Service Suspended After Storm",
        "THE DORNICK COURIER",
    )


@pytest.mark.parametrize(
    "date_line",
    ["Tuesday 13 October 2020", "Tuesday, 13 October 2020, 10:32 BST", "Posted on 13 October 2020"],
)
def test_a_date_line_with_a_weekday_under_a_masthead_is_a_date_not_the_title(
    date_line: str,
) -> None:
    text = (
        f"THE HARBOUR TRIBUNE\n{date_line}\n\nFerry Service Suspended After Storm\n\n"
        "By Ana Lind\n\n" + FERRY
    )
    meta = extract_metadata(text, "x.txt")
    assert meta.published == dt.date(2020, 10, 13)
    assert (meta.title, meta.source) == (
        "Ferry Service Suspended After Storm",
        "THE HARBOUR TRIBUNE",
    )


def test_a_headline_holding_a_date_is_still_a_headline() -> None:
    for headline in ("Vote Set For March 14, 2029", "VOTE ON 13 OCTOBER 2020"):
        meta = extract_metadata(f"{headline}\nBy Ana Lind\n\n" + FERRY, "x.txt")
        assert (meta.title, meta.published) == (headline, None)


def test_an_all_caps_line_with_no_headline_after_it_is_the_headline() -> None:
    """Wires set headlines in capitals: alone, an all-caps line is the title."""
    meta = extract_metadata("FERRY SERVICE SUSPENDED\nBy Ana Lind\n\n" + FERRY, "x.txt")
    assert meta.title == "FERRY SERVICE SUSPENDED"


def test_a_source_line_names_the_outlet_and_the_byline_stays_the_author() -> None:
    text = (
        "Ferry Service Suspended After Storm\nBy Ana Lind\n"
        "Source: Dornick Community Radio newsroom\n\n" + FERRY
    )
    meta = extract_metadata(text, "ferry.txt")
    assert meta.source == "Dornick Community Radio newsroom"
    assert meta.author == "Ana Lind"
    assert meta.title == "Ferry Service Suspended After Storm"


def test_a_wires_headline_after_its_date_line_is_the_title() -> None:
    text = "date 2020-10-13\nCouncil Delays Vote on Harbour Plan\nDORNICK (Harbour Wire) — " + FERRY
    meta = extract_metadata(text, "wire.txt")
    assert meta.title == "Council Delays Vote on Harbour Plan"
    assert meta.published == dt.date(2020, 10, 13)
    assert (meta.source, meta.dateline) == ("Harbour Wire", "DORNICK")


def test_labelled_header_lines() -> None:
    text = (
        "Title: Ferry Service Suspended\nSource: The Dornick Courier\nAuthor: Ana Lind\n"
        "Updated: 14 October 2020\nDate: 13 October 2020\nDateline: DORNICK\n\n" + FERRY
    )
    meta = extract_metadata(text, "x.txt")
    assert meta.title == "Ferry Service Suspended"
    assert meta.source == "The Dornick Courier"
    assert meta.author == "Ana Lind"
    assert meta.published == dt.date(2020, 10, 13)  # published, not updated
    assert meta.dateline == "DORNICK"


def test_a_labelled_title_is_not_a_date_and_a_headline_with_a_date_neither() -> None:
    text = "Title: Vote Set For 14 October 2020\nBy Ana Lind\n\n" + FERRY
    meta = extract_metadata(text, "x.txt")
    assert meta.title == "Vote Set For 14 October 2020" and meta.published is None


# --- dateline ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("opening", "place"),
    [
        ("VELMORA — ", "VELMORA"),
        ("VELMORA (Harbour Wire) - ", "VELMORA"),
        ("NEW VELMORA – ", "NEW VELMORA"),
        ("ST. ORLIN -- ", "ST. ORLIN"),
        ("VELMORA, Eastland (HW) — ", "VELMORA, Eastland"),
        ("VELMORA, March 19 (Harbour Wire) - ", "VELMORA"),
        ("date 2031-07-02 VELMORA — ", "VELMORA"),
    ],
)
def test_dateline_opening_the_body(opening: str, place: str) -> None:
    assert extract_metadata(opening + BODY, "x.txt").dateline == place
    with_header = f"Dam Opens After Storm\nBy Mara Quill\n\n{opening}{BODY}"
    assert extract_metadata(with_header, "x.txt").dateline == place


@pytest.mark.parametrize(
    "text",
    [
        "Velmora — " + BODY,
        "BREAKING — " + BODY,
        "ANTI-FLOOD walls were raised on Friday by the board after the storm hit.\n",
        "The board said it was fine.\n\nVELMORA — " + BODY,
        "A — " + BODY,
    ],
)
def test_no_dateline(text: str) -> None:
    assert extract_metadata(text, "x.txt").dateline is None


# --- robustness ----------------------------------------------------------------------------


def test_arbitrary_text_never_raises() -> None:
    rng = random.Random(7)
    alphabet = "aZ09 .,:;-—–()#•\n\r\t'\"’”date2025-03-14MarchByWASHINGTON"
    pieces = ["date ", "2025-02-30", "Mar 31", "By ", "- ", " — ", "(", "\n", "Feb 29"]
    for _ in range(2000):
        text = "".join(
            rng.choice(pieces) if rng.random() < 0.2 else rng.choice(alphabet)
            for _ in range(rng.randint(0, 80))
        )
        name = rng.choice(["x.txt", "2024-02-29-x.txt", "2025-02-29-x.txt", "0000-00-00.txt"])
        extract_metadata(text, name)
