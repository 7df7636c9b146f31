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


def _problems(answer: Judging, size: int) -> tuple[list[int], list[int]]:
    """Pair numbers with no verdict, and pair numbers judged "contradict" without a type."""
    given = {v.pair: v for v in answer.verdicts if 1 <= v.pair <= size}
    missing = [n for n in range(1, size + 1) if n not in given]
    untyped = [n for n, v in given.items() if v.relation == "contradict" and v.type is None]
    return missing, sorted(untyped)


async def judge_batch(
    client: StructuredClient, batch: Sequence[Candidate], articles: dict[str, Article]
) -> tuple[list[Judgement], list[Candidate]]:
    """Verdicts for the pairs of the batch, and the pairs left unjudged. A pair the model
    skipped (or judged "contradict" without saying how) is asked for again once; a pair it
    still skips is unjudged, never taken for "unrelated"."""

    def every_pair_judged(answer: Judging) -> str | None:
        missing, untyped = _problems(answer, len(batch))
        if not missing and not untyped:
            return None
        parts = []
        if missing:
            parts.append("no verdict for pair(s) " + ", ".join(map(str, missing)))
        if untyped:
            numbers = ", ".join(map(str, untyped))
            parts.append(f'"contradict" without a "type" for pair(s) {numbers}')
        return (
            f"Your answer gives {'; '.join(parts)}. Answer again with the whole JSON: one "
            f"verdict for each of the {len(batch)} pairs, and a type for every contradiction."
        )

    answer = await client.structured(
        "judge", messages_for(batch, articles), Judging, template_hash(), check=every_pair_judged
    )
    by_pair = {v.pair: v for v in answer.verdicts if 1 <= v.pair <= len(batch)}
    out: list[Judgement] = []
    unjudged: list[Candidate] = []
    for number, cand in enumerate(batch, start=1):
        verdict = by_pair.get(number)
        if verdict is None or (verdict.relation == "contradict" and verdict.type is None):
            unjudged.append(cand)
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
    return out, unjudged
