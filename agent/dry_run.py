"""`--dry-run`: which backend the run would use and, for the LLM, what it would cost.

Nothing is sent and no model is loaded: the articles are only read and counted (an offline
extraction under an LLM judge is run, as it costs no call, so the pairs counted are real).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from agent.backends.llm.config import LLMConfig
from agent.backends.llm.pricing import no_price_message
from agent.backends.registry import Settings, stage_entries


def _why_llm(llm: LLMConfig, base_url_given: bool) -> str:
    if base_url_given:
        return "--base-url is given"
    if os.environ.get("OPENAI_BASE_URL"):
        return "OPENAI_BASE_URL is set"
    return "OPENAI_API_KEY is set"


def _why(choice: str, extract: str | None, judge: str | None, llm_reason: str) -> str:
    """Why these backends: the options that named them, else what `auto` found."""
    given = (("extract", extract), ("judge", judge))
    named = [f"--{name} {value}" for name, value in given if value]
    if choice != "auto" and not (extract and judge):
        named.insert(0, f"--backend {choice}")
    return ", ".join(named) if named else llm_reason


def dry_run(
    paths: Sequence[str | Path],
    choice: str,
    llm: LLMConfig,
    skip_dirs: Sequence[Path] = (),
    base_url_given: bool = False,
    extract: str | None = None,
    judge: str | None = None,
    offline_cache: Path | None = None,
    one_story: bool = False,
) -> dict[str, object]:
    """What a run of `paths` with `--backend choice` (and `--extract`/`--judge`) would do, as
    printable key/value pairs. Raises BackendError (a usage error) like the run would,
    NoArticlesError when no path holds an article."""
    from agent.pipeline import NoArticlesError, estimate_run

    stages = stage_entries(choice, extract, judge, Settings(llm=llm))
    if all(entry.name == "offline" for entry in stages):
        from agent.ingest import ingest

        ingested = ingest(paths, skip_dirs)
        if not ingested.articles:
            raise NoArticlesError(ingested.errors)
        why = _why(choice, extract, judge, "")
        if not why:
            why = "no endpoint is configured: no --base-url, OPENAI_BASE_URL or OPENAI_API_KEY"
        return {
            "backend": f"offline ({why})",
            "articles": len(ingested.articles),
            "cost": "nothing: the offline backend runs on this machine and calls no model",
        }
    estimate = estimate_run(
        paths, llm, skip_dirs, choice, extract, judge, offline_cache, one_story=one_story
    )
    why = _why(choice, extract, judge, _why_llm(llm, base_url_given))
    plan: dict[str, object] = {"backend": f"{estimate.pop('backend')} at {llm.endpoint} ({why})"}
    plan.update(estimate)
    if plan.get("cost_usd") is None:
        plan["cost_usd"] = no_price_message(llm.model)
        plan.pop("prices_as_of", None)
    return plan
