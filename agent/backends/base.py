"""What the pipeline needs from a backend."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from agent.models import Article, Claim, InputError, Judgement, LLMRunInfo
from agent.pairing import Candidate

ProgressHook = Callable[[str, int, int], None]
"""Called as (stage, done, total) while a stage runs."""


class BackendError(Exception):
    """A backend cannot be used as configured (a usage error, not a per-article failure)."""


@dataclass
class Estimate:
    """What one stage of a run would cost (`--dry-run`)."""

    calls: int = 0
    """Model requests it would make (re-asks not counted)."""
    prompt_tokens: int = 0
    """Input tokens, about 4 characters a token."""
    completion_tokens: int = 0
    """Output tokens, estimated."""
    cost_usd: float | None = None
    """Estimated cost; None when the model's price is unknown or nothing is called."""
    units: int = 0
    """What the calls are made for: articles to extract, pairs to judge."""


@dataclass
class ExtractOutcome:
    """One article's claims, and any problems met while extracting them."""

    article: Article
    claims: list[Claim]
    errors: list[str] = field(default_factory=list)
    from_cache: bool = False
    """The claims come from the offline claim cache (the article was not read again)."""


OutcomeHook = Callable[[ExtractOutcome], None]
"""Receives each article's outcome as soon as it is ready."""


@dataclass(frozen=True)
class BackendInfo:
    """What a backend is, for the report, the eval's gate and the dry run."""

    name: str
    """As recorded in report.json's `backend`: "offline", "llm:<model>", or both stages'
    names joined by "+" when extraction and judging use different backends."""
    deterministic: bool
    """The same input always gives the same claims and verdicts (the eval gates such a
    backend with the tight tolerance)."""
    usage: LLMRunInfo | None = None
    """Model, calls, tokens and cost when the backend calls a model; None otherwise."""


class Backend(Protocol):
    """Extraction, pairing and judging; the rest of the pipeline is shared."""

    def info(self) -> BackendInfo:
        """Name, determinism and usage so far."""
        ...

    def extract_all(
        self,
        articles: Sequence[Article],
        emit: OutcomeHook,
        progress: ProgressHook | None = None,
    ) -> None:
        """Claims of every article, each grounded (`article.text[start:end] == quote`), passed
        to `emit` one article at a time as each is done, in any order: when the run is
        interrupted, what was emitted is kept."""
        ...

    def pair(
        self, claims: Sequence[Claim], copies: Mapping[str, str] | None = None
    ) -> list[Candidate]:
        """Candidate pairs, linear in the number of claims; `copies` (a copy's article id ->
        its original's) makes each group of copies one article for the partner budget."""
        ...

    def judge(
        self,
        candidates: Sequence[Candidate],
        articles: dict[str, Article],
        progress: ProgressHook | None = None,
    ) -> tuple[list[Judgement], list[InputError]]:
        """One judgement per candidate pair, and the units of work that failed."""
        ...

    def forecast_claims(self, articles: Sequence[Article]) -> tuple[list[Claim], Estimate]:
        """For `--dry-run`, calling nothing: the claims extraction would give (exactly, for a
        backend that calls no model; a stand-in per sentence otherwise, enough to pair and
        count), and what extracting them would cost."""
        ...

    def forecast_judging(
        self, candidates: Sequence[Candidate], articles: dict[str, Article]
    ) -> Estimate:
        """For `--dry-run`, calling nothing: what judging these pairs would cost."""
        ...
