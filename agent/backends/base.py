"""What the pipeline needs from a backend."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from agent.models import Article, Claim, InputError, Judgement, LLMRunInfo
from agent.pairing import Candidate

ProgressHook = Callable[[str, int, int], None]
"""Called as (stage, done, total) while a stage runs."""


class BackendError(Exception):
    """A backend cannot be used as configured (a usage error, not a per-article failure)."""


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


class Backend(Protocol):
    """Extraction, pairing and judging; the rest of the pipeline is shared."""

    @property
    def name(self) -> str:
        """ "offline" or "llm:<model>", as recorded in the report."""
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

    def pair(self, claims: Sequence[Claim]) -> list[Candidate]:
        """Candidate pairs, linear in the number of claims."""
        ...

    def judge(
        self,
        candidates: Sequence[Candidate],
        articles: dict[str, Article],
        progress: ProgressHook | None = None,
    ) -> tuple[list[Judgement], list[InputError]]:
        """One judgement per candidate pair, and the units of work that failed."""
        ...

    def run_info(self) -> LLMRunInfo | None:
        """Model, tokens and cost for an LLM backend; None otherwise."""
        ...
