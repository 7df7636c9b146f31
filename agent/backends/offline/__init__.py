"""The offline backend: spaCy's small English model plus general English rules, no network."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from agent.backends.base import ExtractOutcome, OutcomeHook, ProgressHook
from agent.backends.offline.cache import ClaimCache
from agent.backends.offline.extract import extract_claims, skip_prefix
from agent.backends.offline.judge import Context, judge
from agent.backends.offline.nlp import load_nlp, parse_many, worker_count
from agent.models import Article, Claim, InputError, Judgement, LLMRunInfo
from agent.pairing import Candidate, candidate_pairs


class OfflineBackend:
    """Extracts claims by attribution rules and judges pairs by lexical cues."""

    name = "offline"

    def __init__(self, cache_dir: Path | None = None, workers: int | None = None) -> None:
        """`cache_dir`: where claims of articles already read are kept (None: no cache).
        `workers`: parsing processes (default: one per core, at most 4)."""
        load_nlp()  # once per run, up front, so its time is not charged to the first article
        self.cache = ClaimCache(cache_dir) if cache_dir is not None else None
        self.workers = workers if workers is not None else worker_count()

    def extract(self, article: Article) -> list[Claim]:
        return extract_claims(article)

    def extract_all(
        self,
        articles: Sequence[Article],
        emit: OutcomeHook,
        progress: ProgressHook | None = None,
    ) -> None:
        done = 0

        def finish(outcome: ExtractOutcome) -> None:
            nonlocal done
            emit(outcome)
            done += 1
            if progress:
                progress("extract", done, len(articles))

        todo: list[Article] = []
        for article in articles:
            cached = self.cache.get(article) if self.cache is not None else None
            if cached is None:
                todo.append(article)
            else:
                finish(ExtractOutcome(article, cached, from_cache=True))
        texts = [(a.text, skip_prefix(a)) for a in todo]
        for index, parsed in parse_many(texts, self.workers):
            article = todo[index]
            if isinstance(parsed, str):
                finish(ExtractOutcome(article, [], [f"extraction failed: {parsed}"]))
                continue
            try:
                claims = extract_claims(article, parsed)
            except Exception as exc:  # one broken article must not sink the run
                finish(ExtractOutcome(article, [], [f"extraction failed: {exc}"]))
                continue
            if self.cache is not None:
                self.cache.put(article, claims)
            finish(ExtractOutcome(article, claims))

    def pair(self, claims: Sequence[Claim]) -> list[Candidate]:
        return candidate_pairs(claims)

    def judge(
        self,
        candidates: Sequence[Candidate],
        articles: dict[str, Article],
        progress: ProgressHook | None = None,
    ) -> tuple[list[Judgement], list[InputError]]:
        ctx = Context(published={aid: a.published for aid, a in articles.items()})
        judgements: list[Judgement] = []
        step = max(1, len(candidates) // 100)  # about a hundred updates, whatever the size
        for done, candidate in enumerate(candidates, start=1):
            judgements.append(judge(candidate, ctx))
            if progress and (done % step == 0 or done == len(candidates)):
                progress("judge", done, len(candidates))
        return judgements, []

    def run_info(self) -> LLMRunInfo | None:
        return None
