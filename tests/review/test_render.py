"""What the reviewer sees of a flag whose every field came from outside (a model's answer, an
article's header, a reviewer's note): shown as text on a colour terminal, never obeyed."""

from __future__ import annotations

import io

from rich.console import Console

from agent.models import (
    Article,
    Contradiction,
    ContradictionType,
    Report,
    ReviewStatus,
    RunStats,
    Side,
)
from agent.review.render import flag_view
from agent.summary import print_summary
from agent.terminal_text import printable
from tests.support.hostile import (
    BIDI_OVERRIDE,
    C1_CSI,
    CLIPBOARD_SEQUENCE,
    HIDE_SEQUENCE,
    TITLE_SEQUENCE,
)

TEXT = "The ferry sails at noon, the mayor said. The port said the ferry does not sail at noon."


def _flag() -> tuple[Contradiction, dict[str, Article]]:
    article = Article(
        id=f"ferry{C1_CSI}",
        path="ferry.txt",
        title=f"Ferry {TITLE_SEQUENCE}times",
        source=f"The {HIDE_SEQUENCE}Tribune",
        sha256="a" * 64,
        text=TEXT,
    )

    def side(quote: str, claimant: str) -> Side:
        start = TEXT.index(quote)
        return Side(
            claim_id=f"c{start}",
            article_id=article.id,
            article_sha256=article.sha256,
            claimant=claimant,
            quote=quote,
            start=start,
            end=start + len(quote),
        )

    flag = Contradiction(
        id="f1",
        fingerprint="fp1",
        type=ContradictionType.DENIAL,
        summary=f"The model says {CLIPBOARD_SEQUENCE}they disagree{BIDI_OVERRIDE}",
        confidence=0.9,
        sides=[
            side("The ferry sails at noon", f"mayor{TITLE_SEQUENCE}"),
            side("the ferry does not sail at noon", f"port{BIDI_OVERRIDE}"),
        ],
    )
    return flag, {article.id: article}


def _colour_console() -> tuple[Console, io.StringIO]:
    buffer = io.StringIO()
    return Console(file=buffer, force_terminal=True, color_system="truecolor", width=100), buffer


def _obeyable(output: str) -> list[str]:
    bad = [TITLE_SEQUENCE, CLIPBOARD_SEQUENCE, HIDE_SEQUENCE, "\x1b]", "\x07", "\x9b", "\u202e"]
    return [repr(b) for b in bad if b in output]


def test_flag_view_from_a_model_answer_prints_no_control_sequence() -> None:
    flag, articles = _flag()
    note = f"checked{CLIPBOARD_SEQUENCE}"
    status = ReviewStatus(decision="confirmed", reviewer=f"ana{HIDE_SEQUENCE}", note=note)
    console, buffer = _colour_console()
    console.print(flag_view(flag, status, articles))
    output = buffer.getvalue()
    assert "\x1b[" in output  # colour is on
    assert _obeyable(output) == []
    plain = Console(file=io.StringIO(), width=300)
    with plain.capture() as captured:
        plain.print(flag_view(flag, status, articles))
    seen = captured.get()
    for shown in (
        f"mayor{printable(TITLE_SEQUENCE)}",
        f"Ferry {printable(TITLE_SEQUENCE)}times",
        f"The {printable(HIDE_SEQUENCE)}Tribune",
        printable(CLIPBOARD_SEQUENCE),
        f"Note: {printable(note)}",
        f"by ana{printable(HIDE_SEQUENCE)}",
    ):
        assert shown in seen, shown


def test_summary_table_from_a_model_answer_prints_no_control_sequence() -> None:
    flag, articles = _flag()
    report = Report(
        backend="offline",
        articles=list(articles.values()),
        contradictions=[flag],
        stats=RunStats(articles=1),
    )
    console, buffer = _colour_console()
    print_summary(report, console)
    output = buffer.getvalue()
    assert "\x1b[" in output
    assert _obeyable(output) == []
