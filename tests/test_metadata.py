"""Metadata from the text: seeds (in tests only, never in code) and invented texts."""

from __future__ import annotations

import datetime as dt

from agent.ingest import ingest
from agent.metadata import extract_metadata
from tests.conftest import SEEDS


def test_seed_metadata() -> None:
    by_id = {a.id: a for a in ingest([SEEDS]).articles}
    blog = by_id["2025-03-14-blog-putin-direct-talks"]
    assert blog.title == "Ukraine War Twist: Putin Wants Direct Talks With Trump Before Truce"
    assert blog.source == "C MONEY"
    assert blog.published == dt.date(2025, 3, 14)
    daily = by_id["2025-03-19-us-daily-trump-zelensky-call"]
    assert daily.dateline == "WASHINGTON"
    assert daily.published == dt.date(2025, 3, 19)
    wire = by_id["2025-03-19-wire-trump-zelensky-call"]
    assert wire.published == dt.date(2025, 3, 19)
    assert wire.title is None


def test_date_marker_wins_over_file_name() -> None:
    meta = extract_metadata(
        " date 2031-07-02 The council said on Tuesday it would vote.", "2030-01-01-x.txt"
    )
    assert meta.published == dt.date(2031, 7, 2)


def test_full_date_line_in_header() -> None:
    text = (
        "Harbour Deal Signed\nBy Mara Quill\nJune 3, 2029\n\n"
        "The port authority said it signed a deal.\n"
    )
    meta = extract_metadata(text, "harbour.txt")
    assert meta.published == dt.date(2029, 6, 3)
    assert meta.source == "Mara Quill"
    assert meta.title == "Harbour Deal Signed"


def test_no_date_anywhere_gives_none() -> None:
    meta = extract_metadata("The mayor said the plan works.\nShe added more.\n", "plan.txt")
    assert meta.published is None
    assert meta.title is None  # the first line is a sentence, not a headline
    assert meta.source is None


def test_dateline() -> None:
    text = "VELMORA (Reuters) — The water board said on Friday it released water from the dam.\n"
    assert extract_metadata(text, "a.txt").dateline == "VELMORA"
    assert (
        extract_metadata(
            "Velmora is a town where people said many things happen.\n", "a.txt"
        ).dateline
        is None
    )
