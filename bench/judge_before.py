"""The LLM judge as it was on main before issue 13, kept for one measurement only.

`python -m bench.llm_matrix` judges the eval's labelled pairs with this judge and with the
current one, so the prompt change can be measured on the same model (the "before" and
"after" of the judge-stage table). Nothing in the tool uses it and it is no user option.

What it is, copied from main at 3e9588f (the last commit before the branch's judge change):
the templates in bench/judge_before_issue13/ (prompts/judge.j2 with its one worked example
and its 0.85 confidence, and prompts/system.j2), the verdict schema (a summary and a
confidence number, no disputed element, relation first), 8 pairs a call, and the same check
and single re-ask for a pair given no verdict or a contradiction with no type. It is sent
through today's client (fence, retries, budget, cache, redaction), under a template hash of
its own so its answers never mix with the current judge's in a cache.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from pathlib import Path
from typing import Literal

from pydantic import Field

from agent.backends.disk_cache import DiskCache
from agent.backends.llm import prompts
from agent.backends.llm.client import StructuredClient
from agent.backends.llm.config import LLMConfig
from agent.base import Lenient
from agent.evals.fixtures import Case
from agent.evals.judge_stage import labelled_pairs
from agent.evals.runner import Prediction, Predictor
from agent.ingest import ingest
from agent.models import Article, ContradictionType, Judgement, LLMRunInfo, Report, RunStats
from agent.pairing import Candidate
from agent.trace import PipelineTrace

TEMPLATES = Path(__file__).resolve().parent / "judge_before_issue13"
PAIRS_PER_CALL = 8
"""The batch size of main's judge before issue 13."""


class OldVerdict(Lenient):
    """The model's verdict on one numbered pair."""

    pair: int = Field(ge=1)
    """The pair's number in the prompt."""
    relation: Literal["agree", "contradict", "unrelated"]
    """How the two claims relate."""
    type: ContradictionType | None = None
    """The contradiction type, when relation is contradict."""
    summary: str = Field(default="", max_length=300)
    """One sentence on what is agreed or disputed."""
    confidence: float = Field(default=0.5, ge=0.0, le=1.0)
    """How sure the model is."""


class OldJudging(Lenient):
    """The model's answer to the judging prompt."""

    verdicts: list[OldVerdict] = Field(max_length=20)
    """One verdict per pair."""


def _source(name: str) -> str:
    return (TEMPLATES / f"{name}.j2").read_text(encoding="utf-8")


def _template_hash() -> str:
    both = (_source("system") + _source("judge")).encode()
    return "before-issue13:" + hashlib.sha256(both).hexdigest()[:16]


def _messages(batch: list[Candidate], articles: dict[str, Article]) -> list[dict[str, str]]:
    env = prompts.environment()  # today's fence and attribute escaping apply to the values

    def date(article_id: str) -> str:
        published = articles[article_id].published
        return published.isoformat() if published else ""

    pairs = [
        {"a": c.a, "b": c.b, "a_date": date(c.a.article_id), "b_date": date(c.b.article_id)}
        for c in batch
    ]
    return [
        {"role": "system", "content": env.from_string(_source("system")).render()},
        {"role": "user", "content": env.from_string(_source("judge")).render(pairs=pairs)},
    ]


def _problem(answer: OldJudging, size: int) -> str | None:
    """main's check: every pair given a verdict, every contradiction a type."""
    given = {v.pair: v for v in answer.verdicts if 1 <= v.pair <= size}
    missing = [n for n in range(1, size + 1) if n not in given]
    untyped = sorted(n for n, v in given.items() if v.relation == "contradict" and v.type is None)
    if not missing and not untyped:
        return None
    parts = []
    if missing:
        parts.append("no verdict for pair(s) " + ", ".join(map(str, missing)))
    if untyped:
        parts.append(f'"contradict" without a "type" for pair(s) {", ".join(map(str, untyped))}')
    return (
        f"Your answer gives {'; '.join(parts)}. Answer again with the whole JSON: one "
        f"verdict for each of the {size} pairs, and a type for every contradiction."
    )


async def _judge(
    client: StructuredClient, batch: list[Candidate], articles: dict[str, Article]
) -> list[Judgement]:
    answer = await client.structured(
        "judge",
        _messages(batch, articles),
        OldJudging,
        _template_hash(),
        check=lambda a: _problem(a, len(batch)),
    )
    by_pair = {v.pair: v for v in answer.verdicts if 1 <= v.pair <= len(batch)}
    out: list[Judgement] = []
    for number, cand in enumerate(batch, start=1):
        v = by_pair.get(number)
        if v is None or (v.relation == "contradict" and v.type is None):
            out.append(Judgement(a=cand.a.id, b=cand.b.id, relation="unjudged"))
            continue
        out.append(
            Judgement(
                a=cand.a.id,
                b=cand.b.id,
                relation=v.relation,
                type=v.type if v.relation == "contradict" else None,
                summary=v.summary,
                confidence=v.confidence,
                cues=["llm", "before-issue13"],
            )
        )
    return out


def before_predictor(config: LLMConfig) -> Predictor:
    """A predictor for the judge stage: each case's labelled pairs judged by the old judge."""

    def predict(case: Case) -> Prediction:
        paths = [case.article_paths[aid] for aid in sorted(case.article_paths)]
        articles = {a.id: a for a in ingest(paths).articles}
        pairs = labelled_pairs(case, articles)
        candidates = [Candidate(p.a, p.b, 0.0, 0.0, (), "lexical") for p in pairs]
        batches = [
            candidates[i : i + PAIRS_PER_CALL] for i in range(0, len(candidates), PAIRS_PER_CALL)
        ]

        async def main() -> tuple[list[Judgement], StructuredClient]:
            cache = DiskCache(config.cache_dir) if config.use_cache else None
            client = StructuredClient(config, cache)
            try:
                done = await asyncio.gather(*(_judge(client, b, articles) for b in batches))
                return [j for batch in done for j in batch], client
            finally:
                await client.close()

        started = time.perf_counter()
        judgements, client = asyncio.run(main())
        seconds = time.perf_counter() - started
        usage = LLMRunInfo(
            model=config.model,
            endpoint=config.endpoint,
            stages=dict(client.accounting.stages),
            total=client.accounting.total(),
            requests=client.requests_sent,
        )
        claims = {c.id: c for p in pairs for c in (p.a, p.b)}
        report = Report(
            backend=f"llm:{config.model}",
            articles=sorted(articles.values(), key=lambda a: a.id),
            claims=list(claims.values()),
            stats=RunStats(
                articles=len(articles),
                claims=len(claims),
                candidate_pairs=len(candidates),
                unjudged_pairs=sum(1 for j in judgements if j.relation == "unjudged"),
                seconds={"judge": round(seconds, 3)},
            ),
            llm=usage,
        )
        trace = PipelineTrace()
        trace.record(candidates, judgements)
        return Prediction(report, trace)

    return predict
