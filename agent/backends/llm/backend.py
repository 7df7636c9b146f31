"""The LLM backend: async extraction and judging under a semaphore, run from the sync pipeline."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping, Sequence
from pathlib import Path
from typing import TypeVar

from agent.backends.base import BackendInfo, Estimate, ExtractOutcome, OutcomeHook, ProgressHook
from agent.backends.disk_cache import DiskCache
from agent.backends.llm import extract as llm_extract
from agent.backends.llm import judge as llm_judge
from agent.backends.llm import prompts
from agent.backends.llm.client import (
    Accounting,
    LLMCallError,
    StructuredClient,
    answer_key,
    cache_key,
)
from agent.backends.llm.config import LLMConfig
from agent.backends.llm.pricing import cost_usd, prices_source
from agent.backends.llm.redact import Redactor
from agent.backends.llm.response_format import Mode
from agent.backends.llm.schemas import Extraction, Verdict
from agent.backends.offline.pairing_keys import statement_keys
from agent.claims import OUTLET, ClaimFactory
from agent.models import Article, Claim, InputError, Judgement, LLMRunInfo
from agent.pairing import Candidate, candidate_pairs
from agent.sentences import split_sentences

R = TypeVar("R")
EXTRACT_ANSWER_TOKENS_PER_CLAIM = 80
"""What one extracted claim costs in output tokens, about (a dry run's estimate)."""
FORECAST_MIN_WORDS = 6
"""A dry run expects one claim per sentence of at least this many words (the prompt asks for
claims that each quote a different sentence), the article's first such sentences..."""
FORECAST_CLAIM_SHARE = 0.6
"""...up to this share of max_claims (the dry run's assumption since the first estimate: a
model asked for at most 15 claims gives about 9)."""


class LLMBackend:
    """Claims and verdicts from a model behind an OpenAI-compatible endpoint."""

    def __init__(self, config: LLMConfig, log_path: Path | None = None) -> None:
        self.config = config
        self.log_path = log_path
        self.accounting = Accounting()
        self.requests = 0
        self.mode: Mode | None = None
        self.mode_reason: str | None = None
        self.pairing = "lexical"
        self.redact = Redactor(config.api_key.get_secret_value())
        self._cache: DiskCache | None = None
        if config.use_cache:
            self._cache = DiskCache(config.cache_dir)  # a damaged cache is warned of, bypassed

    @property
    def name(self) -> str:
        return f"llm:{self.config.model}"

    def info(self) -> BackendInfo:
        return BackendInfo(name=self.name, deterministic=False, usage=self.run_info())

    # -- running async work from the sync pipeline -------------------------------------
    def _run(self, work: Callable[[StructuredClient], Awaitable[R]]) -> R:
        async def main() -> R:
            known = (self.mode, self.mode_reason or "") if self.mode is not None else None
            client = StructuredClient(
                self.config, self._cache, self.log_path, self.accounting, known_mode=known
            )
            try:
                return await work(client)
            finally:
                self.requests += client.requests_sent
                if client.mode is not None:
                    self.mode, self.mode_reason = client.mode, client.mode_reason
                await client.close()

        return asyncio.run(main())

    # -- the Backend protocol ------------------------------------------------------------
    def extract_all(
        self,
        articles: Sequence[Article],
        emit: OutcomeHook,
        progress: ProgressHook | None = None,
    ) -> None:
        async def work(client: StructuredClient) -> None:
            done = 0

            async def one(article: Article) -> None:
                nonlocal done
                try:
                    result = await llm_extract.extract_article(
                        client, article, self.config.max_claims
                    )
                    outcome = ExtractOutcome(article, result.claims)
                    if result.ungrounded:
                        outcome.errors.append(
                            f"dropped {result.ungrounded} claim(s) whose quote is not in the text"
                        )
                except LLMCallError as exc:
                    outcome = ExtractOutcome(
                        article, [], [self.redact(f"extraction failed: {exc}")]
                    )
                emit(outcome)  # at once: an interrupted run keeps what is done
                done += 1
                if progress:
                    progress("extract", done, len(articles))

            await asyncio.gather(*(one(a) for a in articles))

        self._run(work)

    def pair(
        self, claims: Sequence[Claim], copies: Mapping[str, str] | None = None
    ) -> list[Candidate]:
        """Nearest claims by the endpoint's embeddings when it offers them, else by shared
        terms; at most a few partners per claim either way."""
        # A dry run sends nothing, not even embeddings: it pairs by shared terms.
        wanted = bool(claims) and not self.config.dry_run
        vectors = self._embed([c.statement for c in claims]) if wanted else None
        self.pairing = "embeddings" if vectors is not None else "lexical"
        # spaCy only when pairing by shared terms
        keys = statement_keys(claims) if vectors is None else None
        return candidate_pairs(claims, keys, vectors=vectors, copies=copies)

    def _embed(self, texts: list[str]) -> list[list[float]] | None:
        model = self.config.embedding_model_name
        key = cache_key("embeddings", self.config.endpoint, model, texts)
        # An endpoint without embeddings is remembered, so a re-run asks it nothing.
        unsupported = cache_key("no-embeddings", self.config.endpoint, model)
        if self._cache is not None:
            if self._cache.get(unsupported):
                return None
            cached = self._cache.get(key)
            if isinstance(cached, list):
                self.accounting.stage("embed").cached += 1
                return cached

        async def work(client: StructuredClient) -> list[list[float]] | None:
            out: list[list[float]] = []
            for start in range(0, len(texts), 256):
                batch = await client.embeddings(texts[start : start + 256], model)
                if batch is None or len(batch) != len(texts[start : start + 256]):
                    return None  # the endpoint offers no embeddings: lexical pairing
                out.extend(batch)
            return out

        vectors = self._run(work)
        if self._cache is not None:
            if vectors is None:
                self._cache.set(unsupported, True, expire=7 * 24 * 3600)
            else:
                self._cache.set(key, vectors)
        return vectors

    def judge(
        self,
        candidates: Sequence[Candidate],
        articles: dict[str, Article],
        progress: ProgressHook | None = None,
    ) -> tuple[list[Judgement], list[InputError]]:
        """Verdicts already cached for a pair (from any earlier run) are reused; the other
        pairs are packed into batches (judge.py) and asked for concurrently."""
        reused, todo = self._cached_verdicts(candidates, articles)
        batches = llm_judge.plan_batches(todo, articles, self.config)
        errors: list[InputError] = []

        async def work(client: StructuredClient) -> list[Judgement]:
            done = 0

            async def one(batch: llm_judge.Batch) -> list[Judgement]:
                nonlocal done
                size = len(batch.pairs)
                try:
                    result = await llm_judge.judge_batch(client, batch, articles)
                    verdicts, skipped = result.judgements, result.unjudged
                    problem = "the model gave no verdict"
                    self._remember_verdicts(result.passed, articles)
                except LLMCallError as exc:
                    verdicts, skipped, problem = [], list(batch.pairs), f"judging failed: {exc}"
                if skipped:
                    # A pair never judged is not a negative: counted apart and listed.
                    pairs = ", ".join(f"{c.a.id}/{c.b.id}" for c in skipped)
                    errors.append(
                        InputError(
                            path=f"judge batch ({size} pairs)",
                            error=self.redact(
                                f"{problem}: {len(skipped)} of {size} pairs not judged: {pairs}"
                            ),
                        )
                    )
                    verdicts += [
                        Judgement(a=c.a.id, b=c.b.id, relation="unjudged") for c in skipped
                    ]
                done += size
                if progress:
                    progress("judge", done, len(candidates))  # pairs, as the offline judge
                return verdicts

            results = await asyncio.gather(*(one(b) for b in batches))
            return [j for batch in results for j in batch]

        fresh = self._run(work) if batches else []
        return reused + fresh, errors

    def _cached_verdicts(
        self, candidates: Sequence[Candidate], articles: dict[str, Article], count: bool = True
    ) -> tuple[list[Judgement], list[Candidate]]:
        """(judgements of the pairs with a cached verdict, the pairs still to ask about);
        `count`: the reused verdicts are counted as cached answers of the judge stage."""
        if self._cache is None:
            return [], list(candidates)
        reused: list[Judgement] = []
        todo: list[Candidate] = []
        base = llm_judge.key_base(self.config)
        for cand in candidates:
            found = llm_judge.cached_verdict(
                self._cache.get(llm_judge.pair_key(cand, articles, base))
            )
            if found is None:
                todo.append(cand)
            else:
                reused.append(llm_judge.judgement(cand, found))
        if reused and count:
            self.accounting.stage("judge").cached += len(reused)
        return reused, todo

    def _remember_verdicts(
        self, passed: Sequence[tuple[Candidate, Verdict]], articles: dict[str, Article]
    ) -> None:
        if self._cache is None:
            return
        base = llm_judge.key_base(self.config)
        for cand, verdict in passed:
            key = llm_judge.pair_key(cand, articles, base)
            self._cache.set(key, llm_judge.verdict_value(verdict))

    def run_info(self) -> LLMRunInfo:
        total = self.accounting.total()
        return LLMRunInfo(
            model=self.config.model,
            endpoint=self.config.endpoint,
            response_format=self.mode,
            response_format_reason=self.mode_reason,
            request_budget_seconds=round(self.config.request_budget, 1),
            pairing=self.pairing,
            prompt_hashes={
                name: prompts.template_hash(name) for name in ("system", "extract", "judge")
            },
            stages=dict(self.accounting.stages),
            total=total,
            requests=self.requests,
            cost_usd=cost_usd(self.config, total.prompt_tokens, total.completion_tokens),
            prices_as_of=prices_source(self.config),
        )

    def forecast_claims(self, articles: Sequence[Article]) -> tuple[list[Claim], Estimate]:
        """An article whose answer is in the cache costs nothing and gives its real claims;
        any other costs one call, its prompt rendered and counted (4 characters a token), and
        stands in with one claim per sentence of 6 words or more (its first ones, about 60% of
        max_claims), credited to the outlet: enough to pair and count what judging costs."""
        claims: list[Claim] = []
        estimate = Estimate(units=len(articles))
        for article in articles:
            messages = llm_extract.messages_for(article, self.config.max_claims)
            key = answer_key(self.config, llm_extract.template_hash(), Extraction, messages)
            hit = self._cache.get(key) if self._cache is not None else None
            found = llm_extract.cached_claims(hit, article)
            if found is not None:
                claims += found
                continue
            expected = max(1, round(self.config.max_claims * FORECAST_CLAIM_SHARE))
            stand_ins = _stand_in_claims(article, expected)
            claims += stand_ins
            estimate.calls += 1
            estimate.prompt_tokens += sum(len(m["content"]) for m in messages) // 4
            estimate.completion_tokens += len(stand_ins) * EXTRACT_ANSWER_TOKENS_PER_CLAIM
        estimate.cost_usd = self._cost(estimate)
        return claims, estimate

    def forecast_judging(
        self, candidates: Sequence[Candidate], articles: dict[str, Article]
    ) -> Estimate:
        """The batches judging would send, planned as a run plans them (pairs with a cached
        verdict left out), each prompt rendered and counted."""
        _, todo = self._cached_verdicts(candidates, articles, count=False)
        batches = llm_judge.plan_batches(todo, articles, self.config)
        estimate = Estimate(units=len(candidates), calls=len(batches))
        for batch in batches:
            messages = llm_judge.messages_for(batch, articles)
            estimate.prompt_tokens += sum(len(m["content"]) for m in messages) // 4
            estimate.completion_tokens += llm_judge.expected_answer_tokens(len(batch.pairs))
        estimate.cost_usd = self._cost(estimate)
        return estimate

    def _cost(self, estimate: Estimate) -> float | None:
        return cost_usd(self.config, estimate.prompt_tokens, estimate.completion_tokens)


def _stand_in_claims(article: Article, max_claims: int) -> list[Claim]:
    """One claim per sentence of 6 words or more, the first `max_claims`, for a dry run (made
    by the claim factory, so credited and numbered as a real claim of the outlet would be)."""
    factory = ClaimFactory(article)
    out: list[Claim] = []
    for start, end in split_sentences(article.text):
        text = article.text[start:end]
        if len(text.split()) < FORECAST_MIN_WORDS:
            continue
        out.append(
            factory.make(claimant=OUTLET, kind="outlet", start=start, end=end, statement=text)
        )
        if len(out) == max_claims:
            break
    return out
