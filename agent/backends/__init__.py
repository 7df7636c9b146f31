"""Backends turn articles into claims and judge candidate pairs; the rest of the pipeline
(ingest, claimant names, assembly, the report) is shared."""

from __future__ import annotations

from pathlib import Path

from agent.backends.base import Backend, BackendError, ExtractOutcome, OutcomeHook, ProgressHook
from agent.backends.llm.config import LLMConfig, endpoint_configured

__all__ = [
    "Backend",
    "BackendError",
    "ExtractOutcome",
    "OutcomeHook",
    "ProgressHook",
    "backend_kind",
    "get_backend",
]


def backend_kind(choice: str, base_url: str | None = None) -> str:
    """ "offline" or "llm": what `--backend auto|offline|llm` runs with. `auto` is the LLM
    backend when an endpoint is configured (`base_url`, OPENAI_BASE_URL or OPENAI_API_KEY),
    else offline. Raises BackendError for an unknown choice, or `llm` with no endpoint."""
    if choice not in {"auto", "offline", "llm"}:
        raise BackendError(f"unknown backend {choice!r} (choose auto, offline or llm)")
    if choice == "offline":
        return "offline"
    if endpoint_configured(base_url):
        return "llm"
    if choice == "llm":
        raise BackendError(
            "--backend llm needs an endpoint: set OPENAI_API_KEY and/or OPENAI_BASE_URL, "
            "or pass --base-url"
        )
    return "offline"


def get_backend(
    choice: str,
    llm: LLMConfig | None = None,
    log_path: Path | None = None,
    offline_cache: Path | None = None,
) -> Backend:
    """The backend for `--backend auto|offline|llm` (see `backend_kind`); the offline one
    keeps its claim cache in `offline_cache`, when given."""
    if backend_kind(choice, llm.base_url if llm else None) == "offline":
        from agent.backends.offline import OfflineBackend

        return OfflineBackend(offline_cache)
    if llm is None:
        from agent.backends.llm.config import load_config

        llm = load_config()
    from agent.backends.llm.backend import LLMBackend

    return LLMBackend(llm, log_path)
