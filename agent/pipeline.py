"""The pipeline: ingest -> extract -> name claimants -> pair -> judge -> assemble the report.

The core knows nothing of the terminal: progress goes through an optional callback.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path

from agent import assemble
from agent.backends import Backend, ExtractOutcome, get_backend
from agent.backends.llm.config import LLMConfig
from agent.claimant_names import normalise_claimants
from agent.ingest import ingest
from agent.models import Article, Claim, InputError, Report, RunStats

ProgressHook = Callable[[str, int, int], None]
"""Called as (stage, done, total) while a stage runs."""


class NoArticlesError(Exception):
    """Nothing usable was found under the given paths (a usage error)."""

    def __init__(self, errors: Sequence[InputError]) -> None:
        super().__init__("no article to reconcile")
        self.errors = list(errors)


def run_pipeline(
    paths: Sequence[str | Path],
    backend: str | Backend = "auto",
    progress: ProgressHook | None = None,
    llm: LLMConfig | None = None,
    log_path: Path | None = None,
) -> Report:
    """Reconcile the articles found under `paths` and return the report.

    Raises NoArticlesError when no path yields a usable article.
    """
    timings: dict[str, float] = {}
    clock = time.perf_counter()
    ingested = ingest(paths)
    timings["ingest"] = time.perf_counter() - clock
    if not ingested.articles:
        raise NoArticlesError(ingested.errors)

    clock = time.perf_counter()
    engine = get_backend(backend, llm, log_path) if isinstance(backend, str) else backend
    timings["load"] = time.perf_counter() - clock

    errors = list(ingested.errors)
    clock = time.perf_counter()
    claims = _extract_all(engine, ingested.articles, errors, progress)
    claims = normalise_claimants(claims)
    timings["extract"] = time.perf_counter() - clock

    clock = time.perf_counter()
    candidates = engine.pair(claims)
    articles = {a.id: a for a in ingested.articles}
    judgements, judge_errors = engine.judge(candidates, articles, progress)
    errors.extend(judge_errors)
    by_id = {c.id: c for c in claims}
    shas = {a.id: a.sha256 for a in ingested.articles}
    found = assemble.contradictions(judgements, by_id, shas)
    agreed = assemble.agreements(judgements, by_id, shas)
    timings["reconcile"] = time.perf_counter() - clock

    stats = RunStats(
        articles=len(ingested.articles),
        claims=len(claims),
        candidate_pairs=len(candidates),
        single_source_claims=assemble.single_source_count(claims, found, agreed),
        seconds={k: round(v, 3) for k, v in timings.items()},
    )
    return Report(
        backend=engine.name,
        articles=sorted(ingested.articles, key=lambda a: a.id),
        claims=sorted(claims, key=lambda c: (c.article_id, c.start, c.end, c.id)),
        contradictions=found,
        agreements=agreed,
        errors=sorted(errors, key=lambda e: (e.path, e.error)),
        stats=stats,
        llm=engine.run_info(),
    )


def estimate_run(paths: Sequence[str | Path], llm: LLMConfig) -> dict[str, object]:
    """Calls, tokens and cost an LLM run over `paths` would make; nothing is called."""
    from agent.backends.llm.backend import LLMBackend

    ingested = ingest(paths)
    if not ingested.articles:
        raise NoArticlesError(ingested.errors)
    estimate = LLMBackend(llm.model_copy(update={"use_cache": False})).estimate(ingested.articles)
    return dict(estimate)


def _extract_all(
    engine: Backend,
    articles: Sequence[Article],
    errors: list[InputError],
    progress: ProgressHook | None,
) -> list[Claim]:
    claims: list[Claim] = []
    outcomes: list[ExtractOutcome] = engine.extract_all(articles, progress)
    for outcome in outcomes:
        article = outcome.article
        errors.extend(InputError(path=article.path, error=e) for e in outcome.errors)
        # The report never carries an ungrounded quote, whatever the backend did.
        grounded = [c for c in outcome.claims if article.text[c.start : c.end] == c.quote]
        if len(grounded) < len(outcome.claims):
            dropped = len(outcome.claims) - len(grounded)
            message = f"dropped {dropped} claim(s) whose quote is not in the text"
            errors.append(InputError(path=article.path, error=message))
        claims.extend(grounded)
    return claims
