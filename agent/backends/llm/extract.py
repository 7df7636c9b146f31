"""LLM claim extraction for one article: prompt, ask, ground every quote (re-asking once for
the quotes that are not in the text, inside the structured call), drop what still is not,
fold repeated claims (re-asking once when most of the answer is repetition), and build
Claims."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from agent.backends.llm import prompts
from agent.backends.llm.client import StructuredClient
from agent.backends.llm.schemas import ExtractedClaim, Extraction
from agent.claims import OUTLET, ClaimFactory
from agent.grounding import locate
from agent.models import Article, Claim, ClaimantKind, Stance, TimeRef
from agent.quantities import parse_quantity
from agent.sentences import split_sentences
from agent.timeref import resolve, says_future

NEAR_DUPLICATE_OVERLAP = 0.8
"""Two quotes of one claimant overlapping by more than this share of the longer are one claim."""
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


@dataclass
class ExtractResult:
    """Claims of one article and what was dropped on the way."""

    claims: list[Claim] = field(default_factory=list)
    ungrounded: int = 0
    folded: int = 0
    """Claims that repeated another claim of the answer, folded into it."""


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


def read_answer(answer: Extraction, article: Article) -> tuple[ExtractResult, str | None]:
    """The claims an answer gives (grounded, repeats folded) and the re-ask message naming
    what is wrong with it (None when nothing is): quotes not in the article, or an answer
    that is mostly repetition."""
    grounded, missing = _ground(answer.claims, article, split_sentences(article.text))
    kept = fold_repeats(grounded)
    result = ExtractResult(
        sorted(kept, key=lambda c: (c.start, c.end, c.id)), len(missing), len(grounded) - len(kept)
    )
    problems: list[str] = []
    if missing:
        listing = "\n".join(f"- {c.quote}" for c in missing)
        problems.append(f"These quotes are not exact words of the article:\n{listing}")
    if mostly_repetition(len(grounded), len(kept)):
        problems.append(
            f"Your answer repeats itself: {result.folded} of {len(grounded)} claims repeat "
            "another claim (the same words, or the same statement)."
        )
    if not problems:
        return result, None
    return result, "\n".join(problems) + (
        "\nAnswer again with the whole JSON: every claim once, each quote copied exactly "
        "from the numbered sentences (drop a claim whose words are not there); fewer claims "
        "are better than repeated ones."
    )


async def extract_article(
    client: StructuredClient, article: Article, max_claims: int
) -> ExtractResult:
    """Grounding and repetition are part of validating the answer: quotes not in the article,
    or an answer mostly made of repeats, get one re-ask that names the problem, and an answer
    is cached only when it has neither."""

    def check(answer: Extraction) -> str | None:
        return read_answer(answer, article)[1]

    messages = messages_for(article, max_claims)
    answer = await client.structured("extract", messages, Extraction, template_hash(), check=check)
    return read_answer(answer, article)[0]


def cached_claims(content: object, article: Article) -> list[Claim] | None:
    """The claims of a cached answer, or None when it is not one the client would use (not
    valid, or failing the checks): for the dry run, which reads the cache and sends nothing."""
    if not isinstance(content, str):
        return None
    try:
        answer = Extraction.model_validate_json(content)
    except ValueError:
        return None
    result, problem = read_answer(answer, article)
    return result.claims if problem is None else None


def mostly_repetition(given: int, kept: int) -> bool:
    """More than half of an answer's claims folded into others."""
    return (given - kept) * 2 > given


def _statement_key(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


def _same_claim(a: Claim, b: Claim) -> bool:
    """One claim said twice: the same statement (whoever it is credited to), or the same
    claimant on the same or nearly the same words. Two claimants on the same words ("A and B
    both said X") are two claims."""
    if _statement_key(a.statement) and _statement_key(a.statement) == _statement_key(b.statement):
        return True
    if a.claimant.casefold() != b.claimant.casefold():
        return False
    shared = min(a.end, b.end) - max(a.start, b.start)
    longer = max(a.end - a.start, b.end - b.start)
    return longer > 0 and shared / longer > NEAR_DUPLICATE_OVERLAP


def fold_repeats(claims: list[Claim]) -> list[Claim]:
    """The claims with each repeat folded into the first claim it repeats, in answer order
    (the prompt asks for the most important first)."""
    kept: list[Claim] = []
    for claim in claims:
        if not any(_same_claim(claim, k) for k in kept):
            kept.append(claim)
    return kept


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
    time = None
    if item.time:
        # A weekday is resolved as the offline reader resolves it: the coming one when the
        # claim says what will happen, in the article's words or the model's statement (a
        # short quote may leave out its "will").
        future = says_future(factory.article.text[start:end]) or says_future(item.statement)
        time = TimeRef(text=item.time, date=resolve(item.time, published, future=future))
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
