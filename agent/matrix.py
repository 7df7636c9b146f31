"""Who says what: for one story, claimants (rows) by disputed matters (columns), each cell the
position that claimant holds. A pure function of the report, so report.md, the terminal
summary and report.html show the same matrix.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from agent.models import Dispute, Position, Report


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
    positions: tuple[tuple[str, ...], ...]
    """One per column: the ids of the positions behind `cells` (empty when none), for a page
    that links a cell to its position."""


@dataclass(frozen=True)
class WhoSaysWhat:
    """The matrix of one story."""

    story_id: str
    """The story."""
    matters: tuple[Matter, ...]
    """The columns: its disputes, most confident first."""
    rows: tuple[ClaimantRow, ...]
    """The rows: claimants holding a position on most matters first, then in the order they
    are first met (dispute by dispute, position by position)."""

    @property
    def empty(self) -> bool:
        """No dispute in the story: nothing to show."""
        return not self.matters

    @property
    def dispute_ids(self) -> list[str]:
        """The columns' dispute ids, in order."""
        return [m.dispute_id for m in self.matters]

    @property
    def claimants(self) -> list[str]:
        """The rows' claimants, in order."""
        return [r.claimant for r in self.rows]

    def positions_of(self, claimant: str, dispute_id: str) -> tuple[str, ...]:
        """The ids of the positions `claimant` holds in the dispute `dispute_id` (empty when
        they hold none there, or are not a row)."""
        return self._held.get((claimant, dispute_id), ())

    @cached_property
    def _held(self) -> dict[tuple[str, str], tuple[str, ...]]:
        """(claimant, dispute id) -> position ids, for lookups in constant time."""
        return {
            (row.claimant, matter.dispute_id): held
            for row in self.rows
            for matter, held in zip(self.matters, row.positions, strict=True)
            if held
        }


def who_says_what(report: Report, story_id: str) -> WhoSaysWhat:
    """The who-says-what matrix of the story `story_id` of `report`: the one implementation
    report.md, the terminal summary and report.html all show."""
    disputes: list[Dispute] = [d for d in report.disputes if d.story_id == story_id]
    # claimant -> column -> the positions they hold there; dicts keep the order first met.
    held: dict[str, dict[int, list[Position]]] = {}
    for column, dispute in enumerate(disputes):
        for position in dispute.positions:
            for claimant in position.claimants:
                mine = held.setdefault(claimant, {}).setdefault(column, [])
                if all(p.id != position.id for p in mine):
                    mine.append(position)
    met = {claimant: i for i, claimant in enumerate(held)}
    order = sorted(held, key=lambda c: (-len(held[c]), met[c]))
    rows = tuple(
        ClaimantRow(
            claimant=claimant,
            cells=tuple(
                " / ".join(dict.fromkeys(p.label for p in held[claimant].get(k, [])))
                for k in range(len(disputes))
            ),
            positions=tuple(
                tuple(p.id for p in held[claimant].get(k, [])) for k in range(len(disputes))
            ),
        )
        for claimant in order
    )
    matters = tuple(Matter(d.id, d.matter) for d in disputes)
    return WhoSaysWhat(story_id=story_id, matters=matters, rows=rows)
