"""Backends turn articles into claims and judge candidate pairs; the rest of the pipeline
(ingest, claimant names, assembly, the report) is shared. Which backends there are is
agent/backends/registry.py."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from agent.backends.base import (
    Backend,
    BackendError,
    BackendInfo,
    Estimate,
    ExtractOutcome,
    OutcomeHook,
    ProgressHook,
)
from agent.backends.registry import Settings, make_backend

if TYPE_CHECKING:
    from agent.backends.llm.config import LLMConfig

__all__ = [
    "Backend",
    "BackendError",
    "BackendInfo",
    "Estimate",
    "ExtractOutcome",
    "OutcomeHook",
    "ProgressHook",
    "get_backend",
]


def get_backend(
    choice: str,
    llm: LLMConfig | None = None,
    log_path: Path | None = None,
    offline_cache: Path | None = None,
    extract: str | None = None,
    judge: str | None = None,
) -> Backend:
    """The backend for `--backend auto|offline|llm` (with `--extract`/`--judge` overriding
    one stage). `auto` is the LLM backend when an endpoint is configured (a base URL or an
    API key), else offline (with its claim cache in `offline_cache`, when given)."""
    settings = Settings(llm=llm, log_path=log_path, offline_cache=offline_cache)
    return make_backend(choice, extract, judge, settings)
