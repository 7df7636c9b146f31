"""Backends turn articles into claims and judge candidate pairs. Both backends share the rest
of the pipeline (ingest, claimant names, pairing, assembly, the report)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from agent.models import Article, Claim, Judgement
from agent.pairing import Candidate


class BackendError(Exception):
    """A backend cannot be used as configured (a usage error, not a per-article failure)."""


class Backend(Protocol):
    """What the pipeline needs from a backend."""

    @property
    def name(self) -> str:
        """ "offline" or "llm:<model>", as recorded in the report."""
        ...

    def extract(self, article: Article) -> list[Claim]:
        """The article's claims, each grounded: `article.text[start:end] == quote`."""
        ...

    def judge(
        self, candidates: Sequence[Candidate], articles: dict[str, Article]
    ) -> list[Judgement]:
        """One judgement per candidate pair."""
        ...


def get_backend(choice: str) -> Backend:
    """The backend for `--backend auto|offline|llm`. For now `auto` means offline."""
    if choice in {"auto", "offline"}:
        from agent.backends.offline import OfflineBackend

        return OfflineBackend()
    if choice == "llm":
        raise BackendError("the LLM backend is not available yet; use --backend offline")
    raise BackendError(f"unknown backend {choice!r} (choose auto, offline or llm)")
