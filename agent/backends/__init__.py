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
    "get_backend",
]


def get_backend(
    choice: str,
    llm: LLMConfig | None = None,
    log_path: Path | None = None,
    offline_cache: Path | None = None,
) -> Backend:
    """The backend for `--backend auto|offline|llm`. `auto` is the LLM backend when an
    endpoint is configured (a base URL or an API key), else offline (with its claim cache in
    `offline_cache`, when given)."""
    if choice not in {"auto", "offline", "llm"}:
        raise BackendError(f"unknown backend {choice!r} (choose auto, offline or llm)")
    use_llm = choice == "llm" or (
        choice == "auto" and endpoint_configured(llm.base_url if llm else None)
    )
    if not use_llm:
        from agent.backends.offline import OfflineBackend

        return OfflineBackend(offline_cache)
    if llm is None:
        from agent.backends.llm.config import load_config

        llm = load_config()
    if not endpoint_configured(llm.base_url):
        raise BackendError(
            "--backend llm needs an endpoint: set OPENAI_API_KEY and/or OPENAI_BASE_URL, "
            "or pass --base-url"
        )
    from agent.backends.llm.backend import LLMBackend

    return LLMBackend(llm, log_path)
