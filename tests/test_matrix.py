"""Who says what: claimants by disputed matters, for one story (invented disputes, and the
seeds)."""

from __future__ import annotations

import io
import itertools
import json
import re

from rich.console import Console

from agent.matrix import who_says_what
from agent.models import ContradictionType, Dispute, DisputeSide, Position, Report
from agent.report_files import render_markdown
from agent.report_html import render_html
from agent.summary import print_summary


def _position(label: str, *claimants: str) -> Position:
    side = DisputeSide(
        claim_id=label, article_id="a", article_sha256="s", claimant=claimants[0], quote="q",
        start=0, end=1,
    )  # fmt: skip
    return Position(
        id=label, label=label, summary=label, claimants=list(claimants), sides=[side], sources=["a"]
    )


def _dispute(did: str, story: str, matter: str, *positions: Position) -> Dispute:
    return Dispute(
        id=did,
        fingerprint=did,
        story_id=story,
        matter=matter,
        types=[ContradictionType.NUMBER],
        confidence=0.5,
        positions=list(positions),
        contradiction_ids=[],
    )


REPORT = Report(
    backend="offline",
    disputes=[
        _dispute("d1", "st", "the figure: people", _position("40 left", "Mayor", "Police"),
                 _position("60 left", "Union")),
        _dispute("d2", "st", "when: fire", _position("on Monday", "Mayor"),
                 _position("on Sunday", "Union", "Mayor")),
        _dispute("d3", "other", "elsewhere", _position("x", "Clerk"), _position("y", "Judge")),
    ],
)  # fmt: skip


def test_rows_are_claimants_columns_matters_cells_their_positions() -> None:
    m = who_says_what(REPORT, "st")
    assert [c.matter for c in m.matters] == ["the figure: people", "when: fire"]
    assert [c.dispute_id for c in m.matters] == ["d1", "d2"]
    cells = {row.claimant: row.cells for row in m.rows}
    assert cells == {
        "Mayor": ("40 left", "on Monday / on Sunday"),  # its sources give it both
        "Union": ("60 left", "on Sunday"),
        "Police": ("40 left", ""),
    }
    assert [row.claimant for row in m.rows] == ["Mayor", "Union", "Police"]  # busiest first


def test_a_story_without_disputes_has_an_empty_matrix() -> None:
    m = who_says_what(REPORT, "nothing")
    assert m.empty and m.rows == ()
    assert not who_says_what(REPORT, "other").empty


def test_the_seeds_matrix(seeds_report: Report) -> None:
    (story,) = seeds_report.stories
    m = who_says_what(seeds_report, story.id)
    assert len(m.matters) == len(seeds_report.disputes)
    claimants = {row.claimant for row in m.rows}
    assert {"Moscow", "US officials", "Kremlin", "Donald Trump"} <= claimants
    for row in m.rows:
        assert len(row.cells) == len(m.matters) and any(row.cells)


def _md_matrix(markdown: str) -> list[list[str]]:
    """The rows of report.md's first who-says-what table, cells unescaped and stripped."""
    lines = markdown.split("### Who says what", 1)[1].strip().splitlines()
    table = [line for line in itertools.takewhile(lambda x: x.startswith("|"), lines)]
    rows = [[c.strip().replace("\\", "") for c in line.strip("|").split(" | ")] for line in table]
    return rows[2:]  # the header and the rule


def test_report_md_summary_and_html_show_the_same_matrix(seeds_report: Report) -> None:
    """The three renderings read one who_says_what: the same claimants, in the same order
    (report.md and the terminal), holding the same positions (report.html)."""
    (story,) = seeds_report.stories
    m = who_says_what(seeds_report, story.id)
    assert m.rows, "the seeds give disputes"

    md_rows = _md_matrix(render_markdown(seeds_report))
    assert [r[0] for r in md_rows] == m.claimants[: len(md_rows)]

    buffer = io.StringIO()
    print_summary(seeds_report, Console(file=buffer, width=1000, color_system=None), limit=20)
    shown = buffer.getvalue().split("Who says what", 1)[1]
    lines = [line.strip() for line in shown.splitlines()]
    starts = [next(i for i, line in enumerate(lines) if line.startswith(c)) for c in m.claimants]
    assert starts == sorted(starts), "the terminal lists the claimants in the matrix's order"

    data = json.loads(
        re.search(
            r'<script type="application/json"[^>]*>(.*?)</script>', render_html(seeds_report), re.S
        )[1]  # type: ignore[index]
    )
    strings, disputes = data["strings"], data["disputes"]
    (table,) = data["matrices"]
    page: dict[tuple[str, str], set[str]] = {}
    for row, column, held in table[3]:
        dispute = disputes[table[1][column]]
        labels = {strings[dispute[6][p][1]] for p in held}
        page[(strings[table[2][row]], strings[dispute[0]])] = labels
    ours = {
        (r.claimant, d): set(cell.split(" / "))
        for r in m.rows
        for d, cell in zip(m.dispute_ids, r.cells, strict=True)
        if cell
    }
    assert page == ours
