"""Who says what: for one story, claimants (rows) by disputed matters (columns), each cell the
position that claimant holds. A pure function of the report, so report.md, the terminal
summary and report.html show the same matrix.
"""

from __future__ import annotations

from dataclasses import dataclass

from agent.models import Dispute, Report


@dataclass(frozen=True)
class Matter:
    """One column: a dispute of the story."""

    dispute_id: str
    """The dispute (report.disputes)."""
    matter: str
    """What is disputed, in a few words."""


@dataclass(frozen=True)
class ClaimantRow:
    """One row: a claimant and the position they hold on each matter."""

    claimant: str
    """Who, as the report names them."""
    cells: tuple[str, ...]
    """One per column: the label of the position this claimant holds, "" when they hold none
    (two labels joined by " / " when their sources give them both)."""


@dataclass(frozen=True)
class WhoSaysWhat:
    """The matrix of one story."""

    story_id: str
    """The story."""
    matters: tuple[Matter, ...]
    """The columns: its disputes, most confident first."""
    rows: tuple[ClaimantRow, ...]
    """The rows: claimants holding a position on most matters first, then by name."""

    @property
    def empty(self) -> bool:
        """No dispute in the story: nothing to show."""
        return not self.matters


def who_says_what(report: Report, story_id: str) -> WhoSaysWhat:
    """The who-says-what matrix of the story `story_id` of `report`."""
    disputes: list[Dispute] = [d for d in report.disputes if d.story_id == story_id]
    held: dict[str, dict[int, list[str]]] = {}
    for column, dispute in enumerate(disputes):
        for position in dispute.positions:
            for claimant in position.claimants:
                labels = held.setdefault(claimant, {}).setdefault(column, [])
                if position.label not in labels:
                    labels.append(position.label)
    order = sorted(held, key=lambda c: (-len(held[c]), c.casefold(), c))
    rows = tuple(
        ClaimantRow(
            claimant=claimant,
            cells=tuple(" / ".join(held[claimant].get(k, [])) for k in range(len(disputes))),
        )
        for claimant in order
    )
    matters = tuple(Matter(d.id, d.matter) for d in disputes)
    return WhoSaysWhat(story_id=story_id, matters=matters, rows=rows)
