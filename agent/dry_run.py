"""`--dry-run`: which backend the run would use and, for the LLM, what it would cost.

Nothing is sent and no model is loaded: the articles are only read and counted.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from agent.backends import backend_kind
from agent.backends.llm.config import LLMConfig
from agent.backends.llm.pricing import no_price_message


def _why_llm(llm: LLMConfig, base_url_given: bool) -> str:
    if base_url_given:
        return "--base-url is given"
    if os.environ.get("OPENAI_BASE_URL"):
        return "OPENAI_BASE_URL is set"
    return "OPENAI_API_KEY is set"


def dry_run(
    paths: Sequence[str | Path],
    choice: str,
    llm: LLMConfig,
    skip_dirs: Sequence[Path] = (),
    base_url_given: bool = False,
) -> dict[str, object]:
    """What a run of `paths` with `--backend choice` would do, as printable key/value pairs.
    Raises BackendError (a usage error) like the run would, NoArticlesError when no path
    holds an article."""
    from agent.pipeline import NoArticlesError, estimate_run

    kind = backend_kind(choice, llm.base_url)
    if kind == "offline":
        from agent.ingest import ingest

        ingested = ingest(paths, skip_dirs)
        if not ingested.articles:
            raise NoArticlesError(ingested.errors)
        why = (
            "--backend offline"
            if choice == "offline"
            else "no endpoint is configured: no --base-url, OPENAI_BASE_URL or OPENAI_API_KEY"
        )
        return {
            "backend": f"offline ({why})",
            "articles": len(ingested.articles),
            "cost": "nothing: the offline backend runs on this machine and calls no model",
        }
    estimate = estimate_run(paths, llm, skip_dirs)
    why = "--backend llm" if choice == "llm" else _why_llm(llm, base_url_given)
    plan: dict[str, object] = {"backend": f"llm:{llm.model} at {llm.endpoint} ({why})"}
    plan.update(estimate)
    if plan.get("cost_usd") is None:
        plan["cost_usd"] = no_price_message(llm.model)
        plan.pop("prices_as_of", None)
    return plan
