"""LLM claim extraction for one article: prompt, ask, ground every quote (re-asking once for
the quotes that are not in the text, inside the structured call), drop what still is not,
and build Claims."""

from __future__ import annotations

from dataclasses import dataclass, field

from agent.backends.llm import prompts
from agent.backends.llm.client import StructuredClient
from agent.backends.llm.schemas import ExtractedClaim, Extraction
from agent.claims import OUTLET, ClaimFactory
from agent.grounding import locate
from agent.models import Article, Claim, ClaimantKind, Stance, TimeRef
from agent.quantities import parse_quantity
from agent.sentences import split_sentences
from agent.timeref import resolve


@dataclass
class ExtractResult:
    """Claims of one article and what was dropped on the way."""

    claims: list[Claim] = field(default_factory=list)
    ungrounded: int = 0


def messages_for(article: Article, max_claims: int) -> list[dict[str, str]]:
    sentences = [article.text[s:e] for s, e in split_sentences(article.text)]
    user = prompts.render(
        "extract",
        article_id=article.id,
        published=article.published.isoformat() if article.published else "",
        sentences=sentences,
        max_claims=max_claims,
    )
    return [
        {"role": "system", "content": prompts.render("system")},
        {"role": "user", "content": user},
    ]


def template_hash() -> str:
    return prompts.template_hash("system") + prompts.template_hash("extract")


async def extract_article(
    client: StructuredClient, article: Article, max_claims: int
) -> ExtractResult:
    """Grounding is part of validating the answer: quotes not in the article get one
    re-ask that names them, and an answer is cached only when every quote was found."""
    messages = messages_for(article, max_claims)
    spans = split_sentences(article.text)

    def all_quotes_found(answer: Extraction) -> str | None:
        _, missing = _ground(answer.claims, article, spans)
        if not missing:
            return None
        listing = "\n".join(f"- {c.quote}" for c in missing)
        return (
            f"These quotes are not exact words of the article:\n{listing}\n"
            "Answer again with the whole JSON: every claim, each quote copied exactly from "
            "the numbered sentences (drop a claim whose words are not there)."
        )

    answer = await client.structured(
        "extract", messages, Extraction, template_hash(), check=all_quotes_found
    )
    grounded, missing = _ground(answer.claims, article, spans)
    claims = {c.id: c for c in grounded}  # the same span and claimant twice is one claim
    return ExtractResult(sorted(claims.values(), key=lambda c: c.start), len(missing))


def _ground(
    found: list[ExtractedClaim], article: Article, spans: list[tuple[int, int]]
) -> tuple[list[Claim], list[ExtractedClaim]]:
    grounded: list[Claim] = []
    missing: list[ExtractedClaim] = []
    factory = ClaimFactory(article)
    for item in found:
        hint = None
        if item.sentences and 1 <= item.sentences[0] <= len(spans):
            hint = spans[item.sentences[0] - 1][0]
        where = locate(item.quote, article.text, hint)
        if where is None:
            missing.append(item)
            continue
        grounded.append(_claim(item, factory, where))
    return grounded, missing


def _claim(item: ExtractedClaim, factory: ClaimFactory, where: tuple[int, int]) -> Claim:
    start, end = where
    claimant = item.claimant.strip() or OUTLET
    quantities = [q for q in (parse_quantity(t) for t in item.quantities) if q is not None]
    published = factory.article.published
    time = TimeRef(text=item.time, date=resolve(item.time, published)) if item.time else None
    return factory.make(
        claimant=claimant,
        kind=_kind(claimant),
        start=start,
        end=end,
        statement=item.statement.strip(),
        stance=item.stance,
        negated=item.stance == Stance.DENIES,
        time=time,
        quantities=quantities,
    )


def _kind(claimant: str) -> ClaimantKind:
    words = claimant.split()
    if 2 <= len(words) <= 4 and all(w[:1].isupper() for w in words):
        return "person"
    return "other"
