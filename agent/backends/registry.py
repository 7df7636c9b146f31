"""The backends by name: each entry says how to build one, whether it is deterministic, and
whether `auto` may pick it. A new backend is one module and one entry in `REGISTRY`.

`--backend` names the default for both stages; `--extract` and `--judge` override one stage.
When the two stages resolve to different backends, the run is a `MixedBackend`: claims (and
their pairing) from one, verdicts from the other.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from agent.backends.base import Backend, BackendError

if TYPE_CHECKING:
    from agent.backends.llm.config import LLMConfig


@dataclass(frozen=True)
class Settings:
    """Everything a factory may need; each takes what it uses."""

    llm: LLMConfig | None = None
    """The LLM endpoint and its options (None: from the environment)."""
    log_path: Path | None = None
    """Where model calls are logged (None: not logged)."""
    offline_cache: Path | None = None
    """The offline backend's claim cache (None: no cache)."""


@dataclass(frozen=True)
class Entry:
    """One backend in the registry."""

    name: str
    """What `--backend`, `--extract` and `--judge` call it."""
    factory: Callable[[Settings], Backend]
    """Builds the backend (imports lazily: the offline one loads spaCy)."""
    deterministic: bool
    """The same input gives the same output: the eval gates it with the tight tolerance."""
    usable: Callable[[Settings], bool]
    """Whether `auto` may pick it as configured (an LLM needs an endpoint)."""
    summary: str
    """One line for help texts."""


def _offline(settings: Settings) -> Backend:
    from agent.backends.offline import OfflineBackend

    return OfflineBackend(settings.offline_cache)


def _llm_config(settings: Settings) -> LLMConfig:
    from agent.backends.llm.config import load_config

    return settings.llm if settings.llm is not None else load_config()


def _llm_usable(settings: Settings) -> bool:
    from agent.backends.llm.config import endpoint_configured

    return endpoint_configured(settings.llm.base_url if settings.llm else None)


def _llm(settings: Settings) -> Backend:
    from agent.backends.llm.backend import LLMBackend

    if not _llm_usable(settings):
        raise BackendError(
            "the llm backend needs an endpoint: set OPENAI_API_KEY and/or OPENAI_BASE_URL, "
            "or pass --base-url"
        )
    return LLMBackend(_llm_config(settings), settings.log_path)


REGISTRY: dict[str, Entry] = {
    entry.name: entry
    for entry in (
        Entry("llm", _llm, False, _llm_usable, "any OpenAI-compatible endpoint"),
        Entry("offline", _offline, True, lambda _: True, "spaCy and English rules, no network"),
    )
}
"""Every backend, in the order `auto` prefers them (the first usable one wins)."""

AUTO = "auto"


def choices() -> list[str]:
    """What a stage option accepts: auto and every registered name."""
    return [AUTO, *REGISTRY]


def resolve(choice: str, settings: Settings) -> Entry:
    """The entry for a name, `auto` being the first usable one. Raises BackendError for an
    unknown name."""
    if choice == AUTO:
        return next(entry for entry in REGISTRY.values() if entry.usable(settings))
    entry = REGISTRY.get(choice)
    if entry is None:
        listed = ", ".join(choices()[:-1]) + " or " + choices()[-1]
        raise BackendError(f"unknown backend {choice!r} (choose {listed})")
    return entry


def stage_entries(
    backend: str = AUTO,
    extract: str | None = None,
    judge: str | None = None,
    settings: Settings | None = None,
) -> tuple[Entry, Entry]:
    """The entries extraction and judging resolve to: `extract` and `judge` when given,
    else `backend` for both."""
    settings = settings or Settings()
    return (
        resolve(extract or backend, settings),
        resolve(judge or backend, settings),
    )


def make_backend(
    backend: str = AUTO,
    extract: str | None = None,
    judge: str | None = None,
    settings: Settings | None = None,
) -> Backend:
    """The backend for `--backend` with the per-stage overrides: one backend when both stages
    name the same, else a MixedBackend of the two."""
    settings = settings or Settings()
    extractor, judger = stage_entries(backend, extract, judge, settings)
    if extractor.name == judger.name:
        return extractor.factory(settings)
    from agent.backends.mixed import MixedBackend

    return MixedBackend(extractor.factory(settings), judger.factory(settings))


def is_deterministic(
    backend: str = AUTO,
    extract: str | None = None,
    judge: str | None = None,
    settings: Settings | None = None,
) -> bool:
    """Whether the combination is deterministic (both stages' backends are), known before
    anything is built."""
    return all(e.deterministic for e in stage_entries(backend, extract, judge, settings))
