"""LLM backend settings: command-line options first, then environment variables, then defaults."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, field_validator

from agent.backends.llm.schemas import MAX_PAIRS_PER_CALL
from agent.base import Strict
from agent.paths import cache_root

DEFAULT_MODEL = "gpt-4o-mini"
"""A small, cheap OpenAI model; any other is chosen with --model or RECONCILE_MODEL."""
BACKOFF_CAP_SECONDS = 30.0
"""No single backoff wait is longer (absent a Retry-After)."""


class ConfigError(ValueError):
    """A setting that cannot work (a malformed endpoint URL): a usage error."""


def url_problem(url: str) -> str | None:
    """Why `url` cannot be an endpoint's base URL, or None when it can."""
    if any(ch.isspace() for ch in url):
        return "it contains a space"
    try:
        parts = urlsplit(url)
        port = parts.port  # raises on a port out of range or not a number
    except ValueError as exc:
        return str(exc)
    if parts.scheme not in ("http", "https"):
        return "it must start with http:// or https://"
    if not parts.hostname:
        return "it names no host"
    if port == 0:
        return "port 0 cannot be connected to"
    import httpx2

    try:
        httpx2.URL(url)
    except httpx2.InvalidURL as exc:
        return str(exc)
    return None


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
    """Seconds one request may take in all, from connecting to the last byte of the answer
    (not per socket read: a server sending a byte at a time cannot stretch it)."""
    max_attempts: int = Field(default=5, ge=1)
    """Attempts per request, first one included, for retryable failures."""
    max_retry_seconds: float | None = Field(default=None, gt=0)
    """An extra cap on the whole retry sequence of one request; None: only the budget
    derived from attempts, timeout and backoff (see `request_budget`)."""
    retry_initial_wait: float = Field(default=1.0, gt=0)
    """First backoff wait in seconds (doubles each retry, with jitter) absent Retry-After."""
    max_response_bytes: int = Field(default=1024 * 1024, ge=1024)
    """Cap on the bytes of one chat answer as read from the socket (1 MiB: an extraction
    answer is a few tens of KB); a bigger answer is a failed attempt."""
    max_embedding_response_bytes: int = Field(default=32 * 1024 * 1024, ge=1024)
    """Cap on one embeddings answer (256 texts of 3,072 floats are about 4 MB in base64,
    over 10 MB as JSON numbers)."""
    temperature: float = 0.0
    """Sampling temperature; 0 keeps re-runs comparable."""
    pairs_per_call: int = Field(default=40, ge=1, le=MAX_PAIRS_PER_CALL)
    """Candidate pairs judged in one request, at most (a request also ends at
    `claims_per_call` claims or when it would pass `context_tokens`)."""
    claims_per_call: int = Field(default=64, ge=2, le=200)
    """Claims one judging request lists, at most (each once, however many pairs use it)."""
    context_tokens: int = Field(default=8192, ge=2048)
    """The model's context window in tokens: a judging request and its answer stay within
    it (8192 is llama.cpp's and the local server's usual setting; hosted models have more)."""
    max_claims: int = Field(default=15, ge=1, le=20)
    """Claims asked for per article."""

    price_in: float | None = Field(default=None, ge=0)
    """US dollars per million prompt tokens, for a model with no known price (--price-in)."""
    price_out: float | None = Field(default=None, ge=0)
    """US dollars per million completion tokens (--price-out)."""

    embedding_model: str | None = None
    """Model for embeddings; None means text-embedding-3-small on OpenAI, else the chat model."""

    @field_validator("base_url")
    @classmethod
    def _usable_url(cls, value: str | None) -> str | None:
        if value is not None:
            problem = url_problem(value)
            if problem:
                raise ValueError(problem)
        return value

    def backoff_waits(self) -> list[float]:
        """The longest wait before each retry (exponential with jitter, 30 s at most)."""
        initial = self.retry_initial_wait
        return [
            min(initial * 2**i + initial, BACKOFF_CAP_SECONDS) for i in range(self.max_attempts - 1)
        ]

    @property
    def request_budget(self) -> float:
        """The most time one request may take with all its retries: attempts × timeout plus
        the backoff between them (less when `max_retry_seconds` is smaller). A retry that
        would start past it (a long Retry-After) is not made, and the last attempt's timeout
        is cut to what is left, so no request outlasts it."""
        derived = self.max_attempts * self.timeout + sum(self.backoff_waits())
        if self.max_retry_seconds is not None:
            return min(derived, self.max_retry_seconds)
        return derived

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
    """Options given on the command line win over the environment. Raises ConfigError (one
    line naming the option or variable) for a base URL that cannot work."""
    key = os.environ.get("OPENAI_API_KEY", "")
    url = base_url or os.environ.get("OPENAI_BASE_URL") or None
    if url is not None:
        problem = url_problem(url)
        if problem:
            where = "--base-url" if base_url else "OPENAI_BASE_URL"
            raise ConfigError(f"{where} {url!r} is not a usable endpoint URL: {problem}")
    prices = [overrides.get(name) for name in ("price_in", "price_out")]
    if (prices[0] is None) != (prices[1] is None):
        raise ConfigError("--price-in and --price-out go together: give both, per million tokens")
    if url and not key:
        key = "not-needed"  # local servers (Ollama, llama.cpp, vLLM) accept any key
    values: dict[str, object] = {
        "model": model or os.environ.get("RECONCILE_MODEL") or DEFAULT_MODEL,
        "base_url": url,
        "api_key": SecretStr(key),
    }
    values.update({k: v for k, v in overrides.items() if v is not None})
    return LLMConfig.model_validate(values)
