"""The pipeline: ingest -> extract -> name claimants -> find copies and stories, fold the
claims copies repeat -> pair inside each story -> judge -> assemble the report and its
disputes.

The core knows nothing of the terminal: progress goes through an optional callback.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from agent import assemble
from agent.backends import Backend, ExtractOutcome, ProgressHook, get_backend
from agent.backends.llm.config import LLMConfig
from agent.claimant_names import normalise_claimants
from agent.disputes import build_disputes
from agent.duplicates import Folding, find_copies, fold
from agent.ingest import ingest
from agent.models import Article, Claim, InputError, Judgement, Report, RunStats, Story
from agent.pairing import Candidate
from agent.stories import group_stories
from agent.trace import PipelineTrace


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
    offline_cache: Path | None = None,
    caps: assemble.Caps | None = None,
    trace: PipelineTrace | None = None,
    skip_dirs: Sequence[Path] = (),
    on_ingested: Callable[[Sequence[Article]], None] | None = None,
    extract: str | None = None,
    judge: str | None = None,
    one_story: bool = False,
) -> Report:
    """Reconcile the articles found under `paths` and return the report.

    `offline_cache` is where the offline backend keeps the claims of articles it has read
    (None: no cache). Ctrl-C during extraction or judging does not lose the run: the report
    holds the work finished before it, with `interrupted` saying where it stopped, and the
    caches let the next run skip that work. `trace`, when given, receives the candidate
    pairs and judgements (for the eval; not part of the report). `skip_dirs` are not walked
    (the output folder); `on_ingested` sees the articles before any is parsed and may stop
    the run by raising. `extract` and `judge` name the backend of one stage when it is not
    `backend` (agent/backends/registry.py). `caps` bounds the flags kept (default: the
    documented caps). Articles are grouped into stories (`one_story`: all in one) and claims
    are paired only inside a story. Raises NoArticlesError when no path yields a usable
    article.
    """
    timings: dict[str, float] = {}
    clock = time.perf_counter()
    ingested = ingest(paths, skip_dirs)
    timings["ingest"] = time.perf_counter() - clock
    if not ingested.articles:
        raise NoArticlesError(ingested.errors)
    if on_ingested is not None:
        on_ingested(ingested.articles)

    clock = time.perf_counter()
    engine = (
        get_backend(backend, llm, log_path, offline_cache, extract, judge)
        if isinstance(backend, str)
        else backend
    )
    timings["load"] = time.perf_counter() - clock

    errors = list(ingested.errors)
    interrupted: str | None = None
    clock = time.perf_counter()
    outcomes: list[ExtractOutcome] = []
    try:
        engine.extract_all(ingested.articles, outcomes.append, progress)
    except KeyboardInterrupt:
        interrupted = (
            f"interrupted while extracting claims: {len(outcomes)} of "
            f"{len(ingested.articles)} articles done, nothing judged"
        )
    done = {o.article.id for o in outcomes}
    articles = sorted((a for a in ingested.articles if a.id in done), key=lambda a: a.id)
    claims = normalise_claimants(_grounded_claims(outcomes, errors))
    timings["extract"] = time.perf_counter() - clock

    clock = time.perf_counter()
    grouping = _grouped(articles, claims, one_story)
    articles, claims, stories, story_of = (
        grouping.articles, grouping.claims, grouping.stories, grouping.story_of
    )  # fmt: skip
    copies, folding = grouping.copies, grouping.folding
    timings["stories"] = time.perf_counter() - clock

    clock = time.perf_counter()
    candidates: list[Candidate] = []
    judgements: list[Judgement] = []
    if interrupted is None:
        try:
            candidates = _pairs_by_story(engine, claims, story_of, copies)
            judgements, judge_errors = engine.judge(
                candidates, {a.id: a for a in articles}, progress
            )
            errors.extend(judge_errors)
        except KeyboardInterrupt:
            interrupted = "interrupted while judging pairs: claims kept, nothing judged"
            judgements = []
    if trace is not None:
        trace.record(candidates, judgements)
    shas = {a.id: a.sha256 for a in articles}
    flags = assemble.flags(judgements, claims, shas, caps)
    found, agreed = assemble.with_stories(
        flags.contradictions, flags.agreements, story_of, folding.repeated_in
    )
    timings["reconcile"] = time.perf_counter() - clock
    clock = time.perf_counter()
    by_id = {c.id: c for c in claims}
    disputes, found = build_disputes(found, judgements, by_id, story_of, folding.repeated_in)
    timings["disputes"] = time.perf_counter() - clock

    judged = sum(1 for j in judgements if j.relation != "unjudged")
    stats = RunStats(
        articles=len(articles),
        claims=len(claims),
        candidate_pairs=len(candidates),
        unjudged_pairs=len(candidates) - judged,
        single_source_claims=flags.single_source_claims,
        articles_from_cache=sum(1 for o in outcomes if o.from_cache),
        seconds={k: round(v, 3) for k, v in timings.items()},
        capped=flags.capped,
        stories=len(stories),
        copies=len(copies),
        folded_claims=folding.folded,
    )
    info = engine.info()
    return Report(
        backend=info.name,
        articles=articles,
        claims=sorted(claims, key=lambda c: (c.article_id, c.start, c.end, c.id)),
        contradictions=found,
        agreements=agreed,
        stories=stories,
        disputes=disputes,
        errors=sorted(errors, key=lambda e: (e.path, e.error)),
        stats=stats,
        llm=info.usage,
        interrupted=interrupted,
    )


def estimate_run(
    paths: Sequence[str | Path],
    llm: LLMConfig,
    skip_dirs: Sequence[Path] = (),
    backend: str = "auto",
    extract: str | None = None,
    judge: str | None = None,
    offline_cache: Path | None = None,
    one_story: bool = False,
) -> dict[str, object]:
    """Calls, tokens and cost a run over `paths` would make; no model is called. Each stage's
    backend forecasts its own part: the offline extraction really runs (it costs no call), so
    the pairs to judge are the run's own; an LLM extraction stands in one claim per sentence
    (its cached answers, their real claims); judging plans its batches as a run does."""
    ingested = ingest(paths, skip_dirs)
    if not ingested.articles:
        raise NoArticlesError(ingested.errors)
    dry = llm.model_copy(update={"dry_run": True})
    engine = get_backend(backend, dry, None, offline_cache, extract, judge)
    claims, extraction = engine.forecast_claims(ingested.articles)
    ordered = sorted(ingested.articles, key=lambda a: a.id)
    grouping = _grouped(ordered, normalise_claimants(claims), one_story)
    candidates = _pairs_by_story(engine, grouping.claims, grouping.story_of, grouping.copies)
    articles = grouping.articles
    judging = engine.forecast_judging(candidates, {a.id: a for a in articles})
    info = engine.info()
    out: dict[str, object] = {"backend": info.name}
    if info.usage is not None:
        out.update(model=info.usage.model, endpoint=info.usage.endpoint)
    costs = [c for c in (extraction.cost_usd, judging.cost_usd) if c is not None]
    out.update(
        articles=len(articles),
        extract_calls=extraction.calls,
        claims_expected=len(claims),
        pairs_expected=len(candidates),
        judge_calls=judging.calls,
        calls_per_article=round((extraction.calls + judging.calls) / len(articles), 2),
        prompt_tokens=extraction.prompt_tokens + judging.prompt_tokens,
        completion_tokens=extraction.completion_tokens + judging.completion_tokens,
        cost_usd=round(sum(costs), 6) if costs else None,
    )
    if info.usage is not None:
        out.update(
            prices_as_of=info.usage.prices_as_of,
            request_budget_seconds=info.usage.request_budget_seconds,
        )
    return out


@dataclass(frozen=True)
class _Grouping:
    """Articles grouped into stories, with their copies' repeated claims folded."""

    articles: list[Article]  # each with its story_id and copy_of
    claims: list[Claim]  # the claims left to pair
    stories: list[Story]
    story_of: dict[str, str]  # article id -> story id
    copies: dict[str, str]  # copy's article id -> original's
    folding: Folding


def _grouped(articles: list[Article], claims: list[Claim], one_story: bool) -> _Grouping:
    """Copies found, articles grouped into stories, the copies' repeated claims folded. The
    run and its forecast share it, so they pair the same claims."""
    copies = find_copies(articles)
    stories = group_stories(articles, copies, one_story=one_story)
    story_of = {aid: story.id for story in stories for aid in story.article_ids}
    articles = [
        a.model_copy(update={"story_id": story_of[a.id], "copy_of": copies.get(a.id)})
        for a in articles
    ]
    folding = fold(claims, copies, articles)
    claims = [
        c.model_copy(update={"repeated_in": folding.repeated_in[c.id]})
        if c.id in folding.repeated_in
        else c
        for c in folding.kept
    ]
    return _Grouping(articles, claims, stories, story_of, copies, folding)


def _pairs_by_story(
    engine: Backend, claims: Sequence[Claim], story_of: dict[str, str], copies: dict[str, str]
) -> list[Candidate]:
    """The backend's candidate pairs, found inside each story (never across two), a group of
    copies counting as one article for the partner budget."""
    by_story: dict[str, list[Claim]] = {}
    for claim in claims:
        by_story.setdefault(story_of[claim.article_id], []).append(claim)
    candidates: list[Candidate] = []
    for story_id in sorted(by_story):
        candidates.extend(engine.pair(by_story[story_id], copies))
    return candidates


def _grounded_claims(outcomes: Sequence[ExtractOutcome], errors: list[InputError]) -> list[Claim]:
    """The outcomes' claims whose quote is where it says; each outcome's problems go to
    `errors`."""
    claims: list[Claim] = []
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
