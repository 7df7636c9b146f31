"""Who says what: claimants by disputed matters, for one story (invented disputes, and the
seeds)."""

from __future__ import annotations

from agent.matrix import who_says_what
from agent.models import ContradictionType, Dispute, DisputeSide, Position, Report


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
