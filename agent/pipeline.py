"""The pipeline: ingest -> extract -> name claimants -> pair -> judge -> assemble the report.

The core knows nothing of the terminal: progress goes through an optional callback.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path

from agent import assemble
from agent.backends import Backend, get_backend
from agent.claimant_names import normalise_claimants
from agent.ingest import ingest
from agent.models import Article, Claim, InputError, Report, RunStats
from agent.pairing import candidate_pairs

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
    engine = get_backend(backend) if isinstance(backend, str) else backend
    timings["load"] = time.perf_counter() - clock

    errors = list(ingested.errors)
    clock = time.perf_counter()
    claims = _extract_all(engine, ingested.articles, errors, progress)
    claims = normalise_claimants(claims)
    timings["extract"] = time.perf_counter() - clock

    clock = time.perf_counter()
    candidates = candidate_pairs(claims)
    articles = {a.id: a for a in ingested.articles}
    judgements = engine.judge(candidates, articles)
    by_id = {c.id: c for c in claims}
    found = assemble.contradictions(judgements, by_id)
    agreed = assemble.agreements(judgements, by_id)
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
    )


def _extract_all(
    engine: Backend,
    articles: Sequence[Article],
    errors: list[InputError],
    progress: ProgressHook | None,
) -> list[Claim]:
    claims: list[Claim] = []
    for done, article in enumerate(articles, start=1):
        try:
            found = engine.extract(article)
        except Exception as exc:  # one broken article must not sink the run
            errors.append(InputError(path=article.path, error=f"extraction failed: {exc}"))
            found = []
        grounded = [c for c in found if article.text[c.start : c.end] == c.quote]
        if len(grounded) < len(found):
            dropped = len(found) - len(grounded)
            message = f"dropped {dropped} claim(s) whose quote is not in the text"
            errors.append(InputError(path=article.path, error=message))
        claims.extend(grounded)
        if progress:
            progress("extract", done, len(articles))
    return claims
