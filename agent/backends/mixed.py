"""Two backends in one run: claims (and their pairing) from one, verdicts from the other
(`--extract offline --judge llm`: the offline extraction loses almost nothing and costs no
call, so an LLM judge over offline claims is the cheap configuration).

Pairing belongs to the extracting backend, which knows its claims (the offline reader's
terms, the LLM backend's embeddings). The judging backend judges claims it did not make: the
LLM judge reads their words; the offline judge reads the same words itself
(agent/backends/offline/foreign.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from agent.backends.base import Backend, BackendInfo, Estimate, OutcomeHook, ProgressHook
from agent.models import Article, Claim, InputError, Judgement, LLMRunInfo, StageUsage
from agent.pairing import Candidate


class MixedBackend:
    """Extraction and pairing by `extractor`, judging by `judger`."""

    def __init__(self, extractor: Backend, judger: Backend) -> None:
        self.extractor = extractor
        self.judger = judger

    def info(self) -> BackendInfo:
        """Both names joined by "+" ("offline+llm:<model>"), deterministic when both are,
        and the usage of the stage(s) that call a model."""
        first, second = self.extractor.info(), self.judger.info()
        return BackendInfo(
            name=f"{first.name}+{second.name}",
            deterministic=first.deterministic and second.deterministic,
            usage=merged_usage(first.usage, second.usage),
        )

    def extract_all(
        self,
        articles: Sequence[Article],
        emit: OutcomeHook,
        progress: ProgressHook | None = None,
    ) -> None:
        self.extractor.extract_all(articles, emit, progress)

    def pair(
        self, claims: Sequence[Claim], copies: Mapping[str, str] | None = None
    ) -> list[Candidate]:
        return self.extractor.pair(claims, copies)

    def judge(
        self,
        candidates: Sequence[Candidate],
        articles: dict[str, Article],
        progress: ProgressHook | None = None,
    ) -> tuple[list[Judgement], list[InputError]]:
        return self.judger.judge(candidates, articles, progress)

    def forecast_claims(self, articles: Sequence[Article]) -> tuple[list[Claim], Estimate]:
        return self.extractor.forecast_claims(articles)

    def forecast_judging(
        self, candidates: Sequence[Candidate], articles: dict[str, Article]
    ) -> Estimate:
        return self.judger.forecast_judging(candidates, articles)


def merged_usage(first: LLMRunInfo | None, second: LLMRunInfo | None) -> LLMRunInfo | None:
    """One usage record for two stages: the one that called a model, or, when both did, the
    first with the second's stages, requests and cost added."""
    if first is None or second is None:
        return first or second
    stages = dict(first.stages)
    for name, usage in second.stages.items():
        stages[name] = _sum(stages[name], usage) if name in stages else usage
    costs = [c for c in (first.cost_usd, second.cost_usd) if c is not None]
    return first.model_copy(
        update={
            "stages": stages,
            "total": _sum(first.total, second.total),
            "requests": first.requests + second.requests,
            "cost_usd": sum(costs) if costs else None,
        }
    )


def _sum(a: StageUsage, b: StageUsage) -> StageUsage:
    return StageUsage(
        **{name: getattr(a, name) + getattr(b, name) for name in StageUsage.model_fields}
    )
