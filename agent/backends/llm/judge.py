"""LLM judging: candidate pairs sent in batches (several pairs per call)."""

from __future__ import annotations

from collections.abc import Sequence

from agent.backends.llm import prompts
from agent.backends.llm.client import StructuredClient
from agent.backends.llm.schemas import Judging
from agent.models import Article, Judgement
from agent.pairing import Candidate


def template_hash() -> str:
    return prompts.template_hash("system") + prompts.template_hash("judge")


def messages_for(batch: Sequence[Candidate], articles: dict[str, Article]) -> list[dict[str, str]]:
    def date(article_id: str) -> str:
        published = articles[article_id].published
        return published.isoformat() if published else ""

    pairs = [
        {"a": c.a, "b": c.b, "a_date": date(c.a.article_id), "b_date": date(c.b.article_id)}
        for c in batch
    ]
    return [
        {"role": "system", "content": prompts.render("system")},
        {"role": "user", "content": prompts.render("judge", pairs=pairs)},
    ]


async def judge_batch(
    client: StructuredClient, batch: Sequence[Candidate], articles: dict[str, Article]
) -> list[Judgement]:
    """One verdict per pair of the batch; a pair the model skipped is unrelated."""
    answer = await client.structured(
        "judge", messages_for(batch, articles), Judging, template_hash()
    )
    by_pair = {v.pair: v for v in answer.verdicts if 1 <= v.pair <= len(batch)}
    out: list[Judgement] = []
    for number, cand in enumerate(batch, start=1):
        verdict = by_pair.get(number)
        if verdict is None or (verdict.relation == "contradict" and verdict.type is None):
            out.append(Judgement(a=cand.a.id, b=cand.b.id, relation="unrelated"))
            continue
        out.append(
            Judgement(
                a=cand.a.id,
                b=cand.b.id,
                relation=verdict.relation,
                type=verdict.type if verdict.relation == "contradict" else None,
                summary=verdict.summary,
                confidence=verdict.confidence,
                cues=["llm"],
            )
        )
    return out
