"""An optional record of a run's middle stages, for the eval's per-stage figures.

`run_pipeline(..., trace=PipelineTrace())` fills it with the candidate pairs the backend
proposed and the judge's verdict on each; nothing of it goes into report.json (a report only
keeps the contradictions and agreements that come out of judging).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from pydantic import Field

from agent.base import Strict
from agent.models import Judgement

if TYPE_CHECKING:
    from agent.pairing import Candidate


class TracedPair(Strict):
    """One candidate pair sent to the judge."""

    a: str
    """First claim id."""
    b: str
    """Second claim id."""
    reason: str
    """Why the pair was proposed ("lexical", "embedding", "same_sentence", "discourse")."""


class PipelineTrace(Strict):
    """The candidate pairs and judgements of one run (empty until the run fills it)."""

    pairs: list[TracedPair] = Field(default_factory=list)
    """Every candidate pair, in the order the backend proposed them."""
    judgements: list[Judgement] = Field(default_factory=list)
    """The judge's verdicts (pairs whose judging failed have none)."""

    def record(self, candidates: Sequence[Candidate], judgements: Sequence[Judgement]) -> None:
        """Keep the claim ids and reason of each candidate, and the judgements."""
        self.pairs = [TracedPair(a=c.a.id, b=c.b.id, reason=c.reason) for c in candidates]
        self.judgements = list(judgements)
