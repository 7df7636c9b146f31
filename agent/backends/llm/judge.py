"""LLM judging: candidate pairs packed into few requests, each claim shown once per request.

Batches. Pairs are sorted by the article that anchors them (the first of their two articles)
and packed in that order, so the claims of one article and their partners travel together and
a claim paired several times is listed once. A batch ends at `pairs_per_call` pairs,
`claims_per_call` claims, or when its prompt and the answer it calls for would pass the
model's context (`context_tokens`). `group` puts another key before the article (a story, once
stories are known), so a batch never mixes two groups' pairs unless both are small.

Validation. An answer passes when every pair has a verdict, every "contradict" a type, and
every summary of an agreement or a contradiction names the two claimants of its own pair and
is not the summary of another pair of the batch (a model copying one summary down the list is
not judging each pair). A failing answer is re-asked once, naming each problem. After that, a
pair with no verdict (or an untyped contradiction) is unjudged; a verdict whose summary still
fails keeps its relation with a summary written from the two claims.

Cache. Each pair's verdict that passed is cached on its own, keyed by the two claims as the
model saw them (and model, endpoint, prompt, schema), so a later run over more articles asks
only about the pairs it has not judged before, however its batches fall.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any

from agent.backends.llm import prompts
from agent.backends.llm.client import StructuredClient, cache_key
from agent.backends.llm.config import LLMConfig
from agent.backends.llm.schemas import CERTAINTY, Judging, Verdict
from agent.models import Article, Claim, Judgement
from agent.pairing import Candidate

ANSWER_TOKENS_PER_PAIR = 50
"""What one verdict costs in output tokens, about (a "disputed" phrase and a summary)."""
TOKENS_PER_PAIR_LINE = 14
"""One `<pair n= a= b=>` line of the prompt."""
_CLAIM_TAG_TOKENS = 20
_CONTEXT_SHARE = 0.9
"""Of the context window, what a batch may fill (tokens are estimated, not counted)."""
_STOP = frozenset({"the", "and", "for", "its", "his", "her", "their", "said", "says", "of"})
_WORD = re.compile(r"[^\W_]+", re.UNICODE)

GroupKey = Callable[[Candidate], Hashable]


def template_hash() -> str:
    return prompts.template_hash("system") + prompts.template_hash("judge")


# -- what the model sees of a claim -------------------------------------------------------------


@dataclass(frozen=True)
class ClaimView:
    """A claim as the judging prompt shows it."""

    claimant: str
    statement: str
    quote: str
    """The exact words, or "" when they are the statement itself (no need to say it twice)."""
    date: str
    """The article's publication date, or ""."""

    @classmethod
    def of(cls, claim: Claim, articles: dict[str, Article]) -> ClaimView:
        article = articles.get(claim.article_id)
        published = article.published.isoformat() if article and article.published else ""
        quote = "" if _same_words(claim.quote, claim.statement) else claim.quote
        return cls(claim.claimant, claim.statement, quote, published)

    def tokens(self) -> int:
        """Prompt tokens of its line, about (4 characters a token)."""
        size = len(self.claimant) + len(self.statement) + len(self.quote) + len(self.date)
        return size // 4 + _CLAIM_TAG_TOKENS


def _same_words(a: str, b: str) -> bool:
    return _WORD.findall(a.lower()) == _WORD.findall(b.lower())


# -- batches --------------------------------------------------------------------------------------


@dataclass
class Batch:
    """Pairs judged in one request, and the claims they refer to (each listed once)."""

    pairs: list[Candidate] = field(default_factory=list)
    claim_ids: dict[str, int] = field(default_factory=dict)
    """Claim id -> its number in the prompt (1-based), in order of first use."""
    tokens: int = 0
    """Estimated prompt and answer tokens so far (the fixed part of the prompt excluded)."""

    def cost_of(self, cand: Candidate, views: dict[str, ClaimView]) -> tuple[int, int]:
        """(new claims, added tokens) if `cand` joined this batch."""
        new = [c.id for c in (cand.a, cand.b) if c.id not in self.claim_ids]
        new = list(dict.fromkeys(new))
        tokens = TOKENS_PER_PAIR_LINE + ANSWER_TOKENS_PER_PAIR
        return len(new), tokens + sum(views[i].tokens() for i in new)

    def add(self, cand: Candidate, tokens: int) -> None:
        for claim in (cand.a, cand.b):
            self.claim_ids.setdefault(claim.id, len(self.claim_ids) + 1)
        self.pairs.append(cand)
        self.tokens += tokens


def fixed_prompt_tokens() -> int:
    """The prompt's instructions and worked example, about (4 characters a token)."""
    text = prompts.render("system") + prompts.render("judge", claims=[], pairs=[])
    return len(text) // 4


def anchor(cand: Candidate) -> Hashable:
    """The default group: the pair's first article (so one article's pairs travel together)."""
    return min(cand.a.article_id, cand.b.article_id)


def plan_batches(
    candidates: Sequence[Candidate],
    articles: dict[str, Article],
    config: LLMConfig,
    group: GroupKey | None = None,
) -> list[Batch]:
    """The requests judging `candidates` takes (see the module docstring). Deterministic:
    the same pairs always give the same batches, whatever their order."""
    views = {c.id: ClaimView.of(c, articles) for cand in candidates for c in (cand.a, cand.b)}
    budget = int(config.context_tokens * _CONTEXT_SHARE) - fixed_prompt_tokens()

    def order(cand: Candidate) -> tuple[str, str, str, str]:
        outer = repr(group(cand)) if group is not None else ""
        return outer, str(anchor(cand)), cand.a.id, cand.b.id

    batches: list[Batch] = []
    current = Batch()
    for cand in sorted(candidates, key=order):
        new, tokens = current.cost_of(cand, views)
        full = (
            len(current.pairs) >= config.pairs_per_call
            or len(current.claim_ids) + new > config.claims_per_call
            or current.tokens + tokens > budget
        )
        if current.pairs and full:
            batches.append(current)
            current = Batch()
            new, tokens = current.cost_of(cand, views)
        current.add(cand, tokens)
    if current.pairs:
        batches.append(current)
    return batches


def messages_for(batch: Batch, articles: dict[str, Article]) -> list[dict[str, str]]:
    by_id = {c.id: c for cand in batch.pairs for c in (cand.a, cand.b)}
    claims = [ClaimView.of(by_id[cid], articles) for cid in batch.claim_ids]
    pairs = [
        {"a": batch.claim_ids[cand.a.id], "b": batch.claim_ids[cand.b.id]} for cand in batch.pairs
    ]
    return [
        {"role": "system", "content": prompts.render("system")},
        {"role": "user", "content": prompts.render("judge", claims=claims, pairs=pairs)},
    ]


# -- validation ---------------------------------------------------------------------------------


def names(summary: str, claimant: str) -> bool:
    """Whether `summary` names `claimant`: one of the claimant's own words (3 letters or more,
    not "the" or "said") is a word of the summary, case aside ("Lind says" names "Ana Lind",
    "the union" names "drivers' union")."""
    words = [w for w in _WORD.findall(claimant.lower()) if len(w) >= 3 and w not in _STOP]
    words = words or _WORD.findall(claimant.lower())
    said = set(_WORD.findall(summary.lower()))
    return any(w in said for w in words)


def _normalised(summary: str) -> str:
    return " ".join(_WORD.findall(summary.lower()))


@dataclass(frozen=True)
class Problems:
    """What is wrong with one answer, by pair number."""

    missing: list[int]
    untyped: list[int]
    unnamed: dict[int, list[str]]
    """Pair -> the claimants its summary does not name."""
    reused: list[list[int]]
    """Groups of pairs sharing one summary."""

    @property
    def bad_summaries(self) -> set[int]:
        return set(self.unnamed) | {n for group in self.reused for n in group}

    def message(self, size: int) -> str | None:
        parts: list[str] = []
        if self.missing:
            parts.append("no verdict for pair(s) " + ", ".join(map(str, self.missing)))
        if self.untyped:
            numbers = ", ".join(map(str, self.untyped))
            parts.append(f'"contradict" without a "type" for pair(s) {numbers}')
        for n, who in sorted(self.unnamed.items()):
            parts.append(f"the summary of pair {n} does not name {' or '.join(who)}")
        for group in self.reused:
            parts.append(
                "pairs " + ", ".join(map(str, group)) + " have the same summary (each summary "
                "is about its own pair)"
            )
        if not parts:
            return None
        return (
            f"Your answer gives {'; '.join(parts)}. Answer again with the whole JSON: one "
            f"verdict for each of the {size} pairs, a type for every contradiction, and for "
            "every agreement or contradiction a summary of its own that names both claimants."
        )


def problems(answer: Judging, batch: Batch) -> Problems:
    size = len(batch.pairs)
    given: dict[int, Verdict] = {}
    for v in answer.verdicts:
        if 1 <= v.pair <= size:
            given.setdefault(v.pair, v)
    missing = [n for n in range(1, size + 1) if n not in given]
    untyped = sorted(n for n, v in given.items() if v.relation == "contradict" and v.type is None)
    unnamed: dict[int, list[str]] = {}
    by_summary: dict[str, list[int]] = {}
    for n, v in sorted(given.items()):
        if v.relation == "unrelated":
            continue
        cand = batch.pairs[n - 1]
        who = list(dict.fromkeys([cand.a.claimant, cand.b.claimant]))
        absent = [c for c in who if not names(v.summary, c)]
        if absent:
            unnamed[n] = absent
        if _normalised(v.summary):
            by_summary.setdefault(_normalised(v.summary), []).append(n)
    reused = [group for group in by_summary.values() if len(group) > 1]
    return Problems(missing, untyped, unnamed, reused)


# -- asking ---------------------------------------------------------------------------------------


@dataclass
class BatchResult:
    """What one request gave."""

    judgements: list[Judgement] = field(default_factory=list)
    unjudged: list[Candidate] = field(default_factory=list)
    passed: list[tuple[Candidate, Verdict]] = field(default_factory=list)
    """Verdicts that passed every check: the ones worth caching."""


async def judge_batch(
    client: StructuredClient, batch: Batch, articles: dict[str, Article]
) -> BatchResult:
    """Verdicts for the pairs of the batch (see the module docstring for what is re-asked)."""

    def check(answer: Judging) -> str | None:
        return problems(answer, batch).message(len(batch.pairs))

    answer = await client.structured(
        "judge", messages_for(batch, articles), Judging, template_hash(), check=check
    )
    found = problems(answer, batch)
    by_pair: dict[int, Verdict] = {}
    for v in answer.verdicts:
        by_pair.setdefault(v.pair, v)
    result = BatchResult()
    for number, cand in enumerate(batch.pairs, start=1):
        verdict = by_pair.get(number)
        if verdict is None or number in found.untyped:
            result.unjudged.append(cand)
            continue
        bad_summary = number in found.bad_summaries
        result.judgements.append(judgement(cand, verdict, rewrite_summary=bad_summary))
        if not bad_summary:
            result.passed.append((cand, verdict))
    return result


def judgement(cand: Candidate, verdict: Verdict, rewrite_summary: bool = False) -> Judgement:
    """The verdict as a Judgement of the pair; a summary that failed validation is replaced
    by one written from the two claims."""
    summary = verdict.summary.strip()
    if verdict.relation != "unrelated" and (rewrite_summary or not summary):
        summary = written_summary(cand.a, cand.b)
    cues = ["llm"]
    if verdict.disputed.strip():
        cues.append(f"disputed: {verdict.disputed.strip()}")
    if rewrite_summary:
        cues.append("summary written from the claims (the model's did not fit the pair)")
    return Judgement(
        a=cand.a.id,
        b=cand.b.id,
        relation=verdict.relation,
        type=verdict.type if verdict.relation == "contradict" else None,
        summary=summary if verdict.relation != "unrelated" else "",
        confidence=CERTAINTY[verdict.certainty],
        cues=cues,
    )


def written_summary(a: Claim, b: Claim) -> str:
    """A summary from the claims themselves, naming both claimants."""

    def short(text: str, limit: int = 110) -> str:
        text = text.strip().rstrip(".")
        return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"

    return f"{a.claimant}: “{short(a.statement)}”; {b.claimant}: “{short(b.statement)}”."


# -- the per-pair cache ---------------------------------------------------------------------------


def key_base(config: LLMConfig) -> tuple[object, ...]:
    """What every pair's cache key shares: model, endpoint, prompt templates, schema and
    sampling parameters (computed once per run: the schema and template hashes cost)."""
    return (
        "pair-verdict",
        config.endpoint,
        config.model,
        template_hash(),
        Judging.model_json_schema(),
        {"temperature": config.temperature},
    )


def pair_key(cand: Candidate, articles: dict[str, Article], base: tuple[object, ...]) -> str:
    """The cache key of one pair's verdict: the two claims as the prompt shows them, and
    `base` (key_base)."""
    return cache_key(
        *base, ClaimView.of(cand.a, articles).__dict__, ClaimView.of(cand.b, articles).__dict__
    )


def verdict_value(verdict: Verdict) -> str:
    return verdict.model_dump_json()


def cached_verdict(value: Any) -> Verdict | None:
    """A cached verdict, or None for a value that is not one (damaged, or another version's)."""
    if not isinstance(value, str):
        return None
    try:
        return Verdict.model_validate(json.loads(value))
    except ValueError:
        return None


def expected_answer_tokens(pairs: int) -> int:
    return math.ceil(pairs * ANSWER_TOKENS_PER_PAIR)
