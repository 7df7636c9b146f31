"""The LLM backend: async extraction and judging under a semaphore, run from the sync pipeline."""

from __future__ import annotations

import asyncio
import math
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from agent.backends.base import ExtractOutcome, OutcomeHook, ProgressHook
from agent.backends.disk_cache import DiskCache
from agent.backends.llm import extract as llm_extract
from agent.backends.llm import judge as llm_judge
from agent.backends.llm import prompts
from agent.backends.llm.client import Accounting, LLMCallError, StructuredClient, cache_key
from agent.backends.llm.config import LLMConfig
from agent.backends.llm.pricing import cost_usd, prices_source
from agent.backends.llm.redact import Redactor
from agent.backends.llm.response_format import Mode
from agent.backends.offline.pairing_keys import statement_keys
from agent.models import Article, Claim, InputError, Judgement, LLMRunInfo
from agent.pairing import Candidate, candidate_pairs

R = TypeVar("R")


class DryRunEstimate(dict[str, Any]):
    """Calls and tokens a run would make (a plain dict for printing and JSON)."""


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

    def pair(self, claims: Sequence[Claim]) -> list[Candidate]:
        """Nearest claims by the endpoint's embeddings when it offers them, else by shared
        terms; at most a few partners per claim either way."""
        vectors = self._embed([c.statement for c in claims]) if claims else None
        self.pairing = "embeddings" if vectors is not None else "lexical"
        # spaCy only when pairing by shared terms
        keys = statement_keys(claims) if vectors is None else None
        return candidate_pairs(claims, keys, vectors=vectors)

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
        size = self.config.pairs_per_call
        batches = [list(candidates[i : i + size]) for i in range(0, len(candidates), size)]
        errors: list[InputError] = []

        async def work(client: StructuredClient) -> list[Judgement]:
            done = 0

            async def one(batch: list[Candidate]) -> list[Judgement]:
                nonlocal done
                try:
                    verdicts, skipped = await llm_judge.judge_batch(client, batch, articles)
                    problem = "the model gave no verdict"
                except LLMCallError as exc:
                    verdicts, skipped, problem = [], list(batch), f"judging failed: {exc}"
                if skipped:
                    # A pair never judged is not a negative: counted apart and listed.
                    pairs = ", ".join(f"{c.a.id}/{c.b.id}" for c in skipped)
                    errors.append(
                        InputError(
                            path=f"judge batch ({len(batch)} pairs)",
                            error=self.redact(
                                f"{problem}: {len(skipped)} of {len(batch)} pairs "
                                f"not judged: {pairs}"
                            ),
                        )
                    )
                    verdicts += [
                        Judgement(a=c.a.id, b=c.b.id, relation="unjudged") for c in skipped
                    ]
                done += len(batch)
                if progress:
                    progress("judge", done, len(candidates))  # pairs, as the offline judge
                return verdicts

            results = await asyncio.gather(*(one(b) for b in batches))
            return [j for batch in results for j in batch]

        return (self._run(work) if batches else []), errors

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

    def estimate(self, articles: Sequence[Article]) -> DryRunEstimate:
        """What a run would cost, calling nothing. Extraction prompts are rendered and
        counted (4 characters a token); answers and judging are estimated: each article
        yields about 60% of max_claims claims, about 3 judged pairs a claim."""
        prompt_tokens = 0
        for article in articles:
            messages = llm_extract.messages_for(article, self.config.max_claims)
            prompt_tokens += sum(len(m["content"]) for m in messages) // 4
        claims = int(len(articles) * self.config.max_claims * 0.6)
        extract_out = claims * 80
        pairs = claims * 3
        judge_calls = math.ceil(pairs / self.config.pairs_per_call)
        judge_in = judge_calls * (1400 + 120 * self.config.pairs_per_call)
        judge_out = pairs * 60
        total_in, total_out = prompt_tokens + judge_in, extract_out + judge_out
        return DryRunEstimate(
            model=self.config.model,
            endpoint=self.config.endpoint,
            articles=len(articles),
            extract_calls=len(articles),
            judge_calls=judge_calls,
            prompt_tokens=total_in,
            completion_tokens=total_out,
            cost_usd=cost_usd(self.config, total_in, total_out),
            prices_as_of=prices_source(self.config),
            request_budget_seconds=round(self.config.request_budget, 1),
        )
