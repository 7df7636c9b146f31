"""The terminal summary: disputes, who says what and each flag, readable at 80 columns
without colour and at 120 with it. The report below is invented (people, places, outlets)."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re

import pytest
from rich.console import Console
from rich.text import Text

from agent.models import (
    Article,
    Claim,
    Contradiction,
    ContradictionType,
    Dispute,
    DisputeSide,
    Position,
    Quantity,
    Report,
    ReviewStatus,
    RunStats,
    Side,
    Story,
)
from agent.quote_window import quote_window
from agent.summary import print_summary, who_says_what

GAZETTE = (
    "Ferry crash at the east quay. "
    "Dr Ana Lind, the medical director of the clinic on the east quay, told reporters at a "
    "briefing late on Tuesday evening that 14 people were being treated for burns. "
    "The harbour office said the ferry kept to the speed limit in the channel."
)
RADIO = (
    "The coastguard said 9 people were hurt. "
    "A deckhand said the ferry broke the speed limit as it entered the channel."
)
LIVE = "Officials said the quay would reopen on Friday."
UPDATE = "The port authority said the quay would stay shut until next month."


def _article(aid: str, text: str, **meta: object) -> Article:
    sha = hashlib.sha256(text.encode()).hexdigest()
    return Article(id=aid, path=f"{aid}.txt", sha256=sha, text=text, **meta)


ARTICLES = [
    _article("gazette", GAZETTE, source="The Harbour Gazette", published=dt.date(2031, 4, 2)),
    _article("radio", RADIO, title="Coast Radio: ferry crash, what we know"),
    _article("2031-04-02-coast-radio-ferry-crash-live", LIVE),
    _article("2031-04-02-coast-radio-ferry-crash-update", UPDATE),
]
BY_ID = {a.id: a for a in ARTICLES}


def _claim(aid: str, quote: str, claimant: str, *quantities: Quantity) -> Claim:
    text = BY_ID[aid].text
    start = text.index(quote)
    return Claim(
        id=f"c-{aid}-{start}",
        article_id=aid,
        statement=quote,
        claimant=claimant,
        quote=quote,
        start=start,
        end=start + len(quote),
        quantities=list(quantities),
    )


LIND = _claim(
    "gazette",
    GAZETTE[GAZETTE.index("Dr Ana Lind") : GAZETTE.index(" for burns")],
    "Ana Lind",
    Quantity(text="14 people", value=14, unit="person"),
)
COASTGUARD = _claim(
    "radio", "9 people were hurt", "coastguard", Quantity(text="9 people", value=9, unit="person")
)
HARBOUR = _claim(
    "gazette", "the ferry kept to the speed limit in the channel", "the harbour office"
)
DECKHAND = _claim("radio", "the ferry broke the speed limit as it entered the channel", "deckhand")
OFFICIALS = _claim(ARTICLES[2].id, "the quay would reopen on Friday", "officials")
PORT = _claim(ARTICLES[3].id, "the quay would stay shut until next month", "port authority")
CLAIMS = [LIND, COASTGUARD, HARBOUR, DECKHAND, OFFICIALS, PORT]


def _side(claim: Claim) -> Side:
    return Side(
        claim_id=claim.id,
        article_id=claim.article_id,
        article_sha256=BY_ID[claim.article_id].sha256,
        claimant=claim.claimant,
        quote=claim.quote,
        start=claim.start,
        end=claim.end,
    )


def _dispute_side(claim: Claim) -> DisputeSide:
    return DisputeSide(**_side(claim).model_dump())


NUMBER = Contradiction(
    id="k-number",
    fingerprint="f-number",
    type=ContradictionType.NUMBER,
    summary="The clinic and the coastguard give different numbers of people hurt.",
    confidence=0.8,
    cues=["'14 people' against '9 people'"],
    sides=[_side(LIND), _side(COASTGUARD)],
    dispute_id="dp-hurt",
    story_id="st-ferry",
)
RETYPED = Contradiction(
    id="k-speed",
    fingerprint="f-speed",
    type=ContradictionType.COMPLIANCE,
    summary="Whether the ferry kept to the speed limit.",
    confidence=0.7,
    sides=[_side(HARBOUR), _side(DECKHAND)],
    review=ReviewStatus(
        decision="confirmed",
        type=ContradictionType.DENIAL,
        note="checked against the port log",
        reviewer="ana",
    ),
    dispute_id="dp-speed",
    story_id="st-ferry",
)
SAME_PREFIX = Contradiction(
    id="k-quay",
    fingerprint="f-quay",
    type=ContradictionType.DATE_TIME,
    summary="When the quay reopens.",
    confidence=0.6,
    sides=[_side(OFFICIALS), _side(PORT)],
    story_id="st-ferry",
)


def _position(pid: str, label: str, claim: Claim) -> Position:
    return Position(
        id=pid,
        label=label,
        summary=f"{claim.claimant}: {label}.",
        claimants=[claim.claimant],
        sides=[_dispute_side(claim)],
        sources=[claim.article_id],
    )


DISPUTES = [
    Dispute(
        id="dp-hurt",
        fingerprint="fp-hurt",
        story_id="st-ferry",
        matter="how many people were hurt",
        types=[ContradictionType.NUMBER],
        confidence=0.8,
        positions=[
            _position("po-14", "14 treated for burns", LIND),
            _position("po-9", "9 hurt", COASTGUARD),
        ],
        contradiction_ids=["k-number"],
    ),
    Dispute(
        id="dp-speed",
        fingerprint="fp-speed",
        story_id="st-ferry",
        matter="whether the ferry kept to the speed limit",
        types=[ContradictionType.COMPLIANCE],
        confidence=0.7,
        positions=[
            _position("po-kept", "kept to the limit", HARBOUR),
            _position("po-broke", "broke the limit", DECKHAND),
        ],
        contradiction_ids=["k-speed"],
        review=ReviewStatus(decision="rejected", reviewer="bo", note="the limit was lifted"),
    ),
]


def invented_report() -> Report:
    return Report(
        backend="offline",
        articles=ARTICLES,
        claims=CLAIMS,
        contradictions=[NUMBER, RETYPED, SAME_PREFIX],
        stories=[
            Story(id="st-ferry", title="Ferry crash at the east quay", article_ids=list(BY_ID))
        ],
        disputes=DISPUTES,
        stats=RunStats(articles=4, claims=6, candidate_pairs=3),
    )


def render(report: Report, width: int, colour: bool) -> tuple[str, str]:
    """(what the terminal receives, the same as plain text)."""
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=width,
        force_terminal=True,
        color_system="truecolor" if colour else None,
    )
    print_summary(report, console, limit=20)
    raw = buffer.getvalue()
    return raw, Text.from_ansi(raw).plain


def flat(text: str) -> str:
    """The text with line breaks and runs of spaces as single spaces (wrapping undone)."""
    return " ".join(text.split())


def assert_fits(plain: str, width: int) -> None:
    too_long = [line for line in plain.splitlines() if len(line.rstrip()) > width]
    assert too_long == [], too_long


_COLOUR = re.compile(r"\x1b\[[0-9;]*(3[0-9]|9[0-7]|38;)")


def test_at_80_columns_without_colour_it_reads_right(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    raw, plain = render(invented_report(), 80, colour=True)  # NO_COLOR wins
    assert not _COLOUR.search(raw)
    assert_fits(plain, 80)
    text = flat(plain)
    # Disputes first, then the who-says-what matrix, then the pair-level flags.
    disputes, matrix, flags = (
        text.index("Disputes (2)"),
        text.index("Who says what: Ferry crash at the east quay"),
        text.index("Contradictions (3)"),
    )
    assert disputes < matrix < flags
    assert "how many people were hurt" in text and "14 treated for burns — Ana Lind" in text
    assert "9 hurt — coastguard" in text
    # The retyped flag reads right without strikethrough; the reviewer's note shows.
    assert "denial (was compliance)" in text
    assert "✓ confirmed by ana" in text
    assert "note (ana): checked against the port log" in text
    assert "review: ✗ rejected by bo note (bo): the limit was lifted" in text  # a dispute's
    # The summary is shown, and sides name the outlet (source, else title, else id).
    assert "The clinic and the coastguard give different numbers of people hurt." in text
    assert "Ana Lind · The Harbour Gazette, 2031-04-02" in text
    assert "coastguard · Coast Radio: ferry crash, what we know" in text
    # Two ids sharing a long prefix are both shown whole, so they can be told apart.
    assert "officials · 2031-04-02-coast-radio-ferry-crash-live" in text
    assert "port authority · 2031-04-02-coast-radio-ferry-crash-update" in text
    # The long quote keeps its contested figure, cut at its start instead.
    assert "that 14 people were being treated" in text


def test_piped_output_has_no_escape_at_all() -> None:
    buffer = io.StringIO()
    print_summary(invented_report(), Console(file=buffer, width=80), limit=20)
    output = buffer.getvalue()
    assert "\x1b" not in output
    assert "denial (was compliance)" in output


def test_at_120_columns_in_colour_the_contested_words_stand_out() -> None:
    raw, plain = render(invented_report(), 120, colour=True)
    assert _COLOUR.search(raw)
    assert_fits(plain, 120)
    text = flat(plain)
    assert "denial (was compliance)" in text
    assert "note (ana): checked against the port log" in text
    # The figures the judge compared are bold and underlined.
    assert re.search(r"\x1b\[[0-9;]*1;4m14\x1b", raw), raw


def test_a_quote_window_is_centred_on_the_conflict() -> None:
    window = quote_window(LIND.quote, 60, COASTGUARD.quote, ["14 people"])
    assert window.text.startswith("…") and len(window.text) <= 60
    assert "14 people" in window.text
    marked = [window.text[a:b] for a, b in window.marks]
    assert "14" in marked
    negated = quote_window(
        "The minister, speaking to reporters outside the parliament building after the "
        "session, said the agreement had not been broken",
        60,
    )
    assert "not been broken" in negated.text


def test_who_says_what_rows_are_claimants_and_columns_matters() -> None:
    matrix = who_says_what(invented_report(), "st-ferry")
    assert [d.id for d in matrix.disputes] == ["dp-hurt", "dp-speed"]
    rows = dict(matrix.rows)
    assert rows["Ana Lind"] == ["14 treated for burns", ""]
    assert rows["deckhand"] == ["", "broke the limit"]


def test_the_matrix_keeps_to_the_width_with_many_disputes() -> None:
    many = [
        d.model_copy(update={"id": f"dp-{i}", "matter": f"matter {i}"})
        for i in range(12)
        for d in DISPUTES[:1]
    ]
    report = invented_report().model_copy(update={"disputes": many})
    _, plain = render(report, 80, colour=False)
    assert_fits(plain, 80)
    assert "disputes shown at this width; every one is in report.md" in flat(plain)


@pytest.mark.parametrize(("width", "colour"), [(80, False), (120, True)])
def test_seeds_summary_fits_and_tells_the_sides_apart(
    seeds_report: Report, width: int, colour: bool
) -> None:
    _, plain = render(seeds_report, width, colour)
    assert_fits(plain, width)
    text = flat(plain)
    articles = {a.id: a for a in seeds_report.articles}
    for flag in seeds_report.contradictions[:20]:
        for side in flag.sides:
            article = articles[side.article_id]
            name = article.source or article.title or article.id
            assert f"{side.claimant} · {name}" in text, (flag.id, side.claimant)
    # Ids are never cut short.
    assert not re.search(r"\(\d{4}-\d\d-\d\d-[\w-]*…", text)


def test_orphaned_dispute_decisions_and_corrections_are_listed_like_pair_ones() -> None:
    from tests.support.orphans import report_with_orphans

    buffer = io.StringIO()
    print_summary(report_with_orphans(), Console(file=buffer, width=200, no_color=True))
    text = buffer.getvalue()
    assert "1 review decision(s) orphaned: their flags were not found in this run" in text
    assert (
        "1 dispute decision(s) orphaned: their disputes were not found in this run (kept in "
        "reviews.jsonl, listed in report.json):\n  confirmed dispute: what the repairs cost\n"
    ) in text
    assert (
        "1 claimant correction(s) orphaned: their claims were not found in this run (kept in "
        "reviews.jsonl, listed in report.json):\n"
        "  Ida Brenn → Ida Brenn-Lund: “repairs would cost 4 million crowns” (gazette)\n"
    ) in text
