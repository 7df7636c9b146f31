"""What the model must answer, as pydantic models. Their JSON schemas are sent with each
request (limits on lengths and counts keep small models from looping until max_tokens)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from agent.base import Lenient
from agent.models import ContradictionType, Stance


class ExtractedClaim(Lenient):
    """One claim as the model reports it, before grounding."""

    claimant: str = Field(max_length=120)
    """Who asserts it; "the outlet" for the article's own voice."""
    stance: Stance
    """asserts / denies / reports / hedges."""
    statement: str = Field(max_length=400)
    """The claim as one standalone sentence."""
    quote: str = Field(max_length=400)
    """The exact words from the article."""
    sentences: list[int] = Field(default_factory=list, max_length=4)
    """Numbers of the sentences the quote comes from."""
    time: str | None = Field(default=None, max_length=60)
    """The time the claim refers to, as written."""
    quantities: list[str] = Field(default_factory=list, max_length=6)
    """Numbers the claim states, as written."""


class Extraction(Lenient):
    """The model's answer to the extraction prompt."""

    claims: list[ExtractedClaim] = Field(min_length=1, max_length=20)
    """The article's claims, most important first."""


class Verdict(Lenient):
    """The model's verdict on one numbered pair."""

    pair: int = Field(ge=1)
    """The pair's number in the prompt."""
    relation: Literal["agree", "contradict", "unrelated"]
    """How the two claims relate."""
    type: ContradictionType | None = None
    """The contradiction type, when relation is contradict."""
    summary: str = Field(default="", max_length=300)
    """One sentence on what is agreed or disputed."""
    confidence: float = Field(default=0.5, ge=0.0, le=1.0)
    """How sure the model is."""


class Judging(Lenient):
    """The model's answer to the judging prompt."""

    verdicts: list[Verdict] = Field(max_length=20)
    """One verdict per pair."""
