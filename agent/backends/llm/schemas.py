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


Certainty = Literal["high", "medium", "low"]
"""How sure a verdict is, in words: a model copies a number from an example and states
numbers it cannot calibrate, while three words it uses apart (mapped by `CERTAINTY`)."""

CERTAINTY: dict[str, float] = {"high": 0.9, "medium": 0.7, "low": 0.5}
"""The confidence each certainty stands for in the report (which ranks by it)."""

MAX_PAIRS_PER_CALL = 64
"""The most pairs one judging request may hold (and verdicts one answer may give)."""


class Verdict(Lenient):
    """The model's verdict on one numbered pair. The fields are in the order the model
    writes them: what the two claims speak of comes before the verdict (reasoning first)."""

    pair: int = Field(ge=1)
    """The pair's number in the prompt."""
    disputed: str = Field(default="", max_length=200)
    """Written first, before deciding: the matter both claims speak of and what each says of
    it, in a few words ("the opening date: 14 September vs not before 1 October"); for
    claims about different things, what each is about."""
    relation: Literal["agree", "contradict", "unrelated"]
    """How the two claims relate: "agree" (the same fact, paraphrase and rounding included),
    "contradict" (both cannot be true of the same thing), "unrelated" (different matters or
    events, or one only leaves out what the other says)."""
    type: ContradictionType | None = None
    """For "contradict" only: what kind of contradiction it is; null otherwise."""
    certainty: Certainty = "medium"
    """"high" when the two claims plainly say it, "medium" when it takes some reading
    between the lines, "low" when it is a guess."""
    summary: str = Field(default="", max_length=300)
    """For "agree" and "contradict": one sentence about this pair only, naming both
    claimants as given and what they agree or disagree on; "" for "unrelated"."""


class Judging(Lenient):
    """The model's answer to the judging prompt."""

    verdicts: list[Verdict] = Field(max_length=MAX_PAIRS_PER_CALL)
    """One verdict per numbered pair, in the pairs' order."""
