"""LLM backend settings: command-line options first, then environment variables, then defaults."""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import Field, SecretStr

from agent.base import Strict
from agent.paths import cache_root

DEFAULT_MODEL = "gpt-4o-mini"
"""A small, cheap OpenAI model; any other is chosen with --model or RECONCILE_MODEL."""


def default_cache_dir() -> Path:
    """Where LLM answers are cached by default."""
    return cache_root() / "llm"


class LLMConfig(Strict):
    """How to reach the endpoint and how hard to push it."""

    model: str = DEFAULT_MODEL
    """Model name sent to the endpoint."""
    base_url: str | None = None
    """Endpoint base URL (…/v1); None means OpenAI's own."""
    api_key: SecretStr = Field(default=SecretStr(""), exclude=True, repr=False)
    """Never written anywhere: excluded from dumps, hidden in repr, not part of cache keys."""
    concurrency: int = Field(default=8, ge=1, le=256)
    """Requests in flight at once."""
    cache_dir: Path = Field(default_factory=default_cache_dir)
    """Where validated responses are cached."""
    use_cache: bool = True
    """False with --no-cache."""
    dry_run: bool = False
    """Count calls and tokens, call nothing."""
    timeout: float = Field(default=120.0, gt=0)
    """Seconds to wait for one response."""
    max_attempts: int = Field(default=5, ge=1)
    """Attempts per request, first one included, for retryable failures."""
    max_retry_seconds: float = Field(default=300.0, gt=0)
    """Cap on the total time spent retrying one request."""
    retry_initial_wait: float = Field(default=1.0, gt=0)
    """First backoff wait in seconds (doubles each retry, with jitter) absent Retry-After."""
    temperature: float = 0.0
    """Sampling temperature; 0 keeps re-runs comparable."""
    pairs_per_call: int = Field(default=8, ge=1, le=20)
    """Candidate pairs judged in one request."""
    max_claims: int = Field(default=15, ge=1, le=20)
    """Claims asked for per article."""

    embedding_model: str | None = None
    """Model for embeddings; None means text-embedding-3-small on OpenAI, else the chat model."""

    @property
    def embedding_model_name(self) -> str:
        if self.embedding_model:
            return self.embedding_model
        return "text-embedding-3-small" if self.base_url is None else self.model

    @property
    def endpoint(self) -> str:
        """The endpoint's identity for cache keys and the report."""
        return (self.base_url or "https://api.openai.com/v1").rstrip("/")


def endpoint_configured(base_url: str | None = None) -> bool:
    """True when an endpoint is set up: a --base-url, OPENAI_BASE_URL or OPENAI_API_KEY."""
    return bool(base_url or os.environ.get("OPENAI_BASE_URL") or os.environ.get("OPENAI_API_KEY"))


def load_config(
    model: str | None = None, base_url: str | None = None, **overrides: object
) -> LLMConfig:
    """Options given on the command line win over the environment."""
    key = os.environ.get("OPENAI_API_KEY", "")
    url = base_url or os.environ.get("OPENAI_BASE_URL") or None
    if url and not key:
        key = "not-needed"  # local servers (Ollama, llama.cpp, vLLM) accept any key
    values: dict[str, object] = {
        "model": model or os.environ.get("RECONCILE_MODEL") or DEFAULT_MODEL,
        "base_url": url,
        "api_key": SecretStr(key),
    }
    values.update({k: v for k, v in overrides.items() if v is not None})
    return LLMConfig.model_validate(values)
