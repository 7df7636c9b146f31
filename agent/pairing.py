"""Candidate pairs of claims that may be about the same matter, without comparing all pairs.

Claims are indexed by their content terms (TF-IDF weighted); each claim keeps its `top_k`
most similar partners, reached through the inverted index. The search for partners reads a
claim's posting lists rarest term first and stops after `scan_budget` entries, sampling a
list too long for what is left evenly across it: the work per claim is bounded, so the
number of pairs and the time grow linearly, and a feed of hundreds of articles on one event
(where every word of the story is common) still finds partners through its common words.
Two more sources add pairs, also linear: claims of different claimants in one sentence ("with A
insisting P but B insisting Q"), and a claim that calls "the claim" false paired with the
claims just before it.

Near-duplicate articles (`copies`: a copy's article id -> its original's, agent/duplicates.py)
count as one article for the partner budget: a claim of a copy whose group (the original and
its copies) is already represented, by the claim's own article or by a partner already
chosen, waits until the claims of every other article have had their places. A feed of 20
reprints of one wire story, whose edited claims are near-identical to each other, then
cannot push a claim's partner in a genuinely different article out of its `top_k`.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, NamedTuple

from agent.models import Claim

Reason = Literal["lexical", "embedding", "same_sentence", "discourse"]
Adder = Callable[[Claim, Claim, Reason], None]


@dataclass(frozen=True)
class PairingKey:
    """What pairing knows of one claim, computed by the backend that made it."""

    terms: tuple[str, ...] = ()
    """Content terms (lemmas, names, the backend's normalised event and participant terms):
    claims sharing rare terms are paired."""
    disputes_previous: bool = False
    """The claim calls "the claim" just before it false: paired with the claims preceding it."""


Keys = Mapping[str, PairingKey]
"""Claim id -> its pairing key; a claim without one has no terms."""
_NO_KEY = PairingKey()


@dataclass(frozen=True)
class Candidate:
    """Two claims worth judging, and why they were paired."""

    a: Claim
    b: Claim
    similarity: float
    overlap: float
    shared: tuple[str, ...]
    reason: Reason


@dataclass
class TermIndex:
    """TF-IDF vectors of the claims and the inverted index over their terms."""

    idf: dict[str, float]
    vectors: dict[str, dict[str, float]]
    postings: dict[str, list[tuple[int, float]]]
    """Term -> (claim index, the term's weight in that claim), in claim order."""

    terms: dict[str, tuple[str, ...]]
    """Claim id -> its terms."""

    @classmethod
    def build(cls, claims: Sequence[Claim], keys: Keys) -> TermIndex:
        terms = {c.id: keys.get(c.id, _NO_KEY).terms for c in claims}
        df: Counter[str] = Counter()
        for claim in claims:
            df.update(set(terms[claim.id]))
        n = max(len(claims), 1)
        idf = {t: math.log((n + 1) / (c + 1)) + 1.0 for t, c in df.items()}
        vectors: dict[str, dict[str, float]] = {}
        postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for i, claim in enumerate(claims):
            counts = Counter(terms[claim.id])
            vec = {t: (1 + math.log(c)) * idf[t] for t, c in counts.items()}
            norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
            vectors[claim.id] = {t: v / norm for t, v in vec.items()}
            for term, weight in vectors[claim.id].items():
                postings[term].append((i, weight))
        return cls(idf, vectors, dict(postings), terms)

    def similarity(self, a: Claim, b: Claim) -> float:
        va, vb = self.vectors.get(a.id, {}), self.vectors.get(b.id, {})
        if len(va) > len(vb):
            va, vb = vb, va
        return sum(w * vb.get(t, 0.0) for t, w in va.items())

    def overlap(self, a: Claim, b: Claim) -> float:
        """Share of the smaller claim's term weight that the other claim also has."""
        ta, tb = set(self.terms.get(a.id, ())), set(self.terms.get(b.id, ()))
        if not ta or not tb:
            return 0.0
        shared = sum(self.idf[t] for t in ta & tb)
        return shared / min(sum(self.idf[t] for t in ta), sum(self.idf[t] for t in tb))


class Who(NamedTuple):
    """What `may_pair` and the partner budget read of a claim, flat: the partner search reads
    it for up to `scan_budget` partners per claim, several times faster than from the Claim
    itself."""

    id: str
    article_id: str
    claimant: str
    outlet: bool
    """The claim is in the outlet's own voice."""
    sentence: int
    start: int
    end: int
    group: str = ""
    """The original's article id when the claim's article is a copy or has copies, else the
    article's own id."""
    copy: bool = False
    """The claim's article is a copy of another (`Article.copy_of`)."""

    @classmethod
    def of(cls, c: Claim, copies: Mapping[str, str] | None = None) -> Who:
        outlet = c.claimant_kind == "outlet"
        original = copies.get(c.article_id) if copies else None
        group = original or c.article_id
        return cls(
            c.id,
            c.article_id,
            c.claimant,
            outlet,
            c.sentence,
            c.start,
            c.end,
            group,
            bool(original),
        )


def may_pair(a: Claim, b: Claim) -> bool:
    """Across articles always; inside one article between different claimants, or between
    two sentences of the article's own voice (a text can contradict itself), never the same
    words."""
    return pairable(Who.of(a), Who.of(b))


def pairable(a: Who, b: Who) -> bool:
    """`may_pair` on the claims' `Who`."""
    if a.id == b.id:
        return False
    if a.article_id != b.article_id:
        return True
    if a.start < b.end and b.start < a.end:
        return False  # the same words cannot contradict themselves, whoever they are credited to
    if a.outlet and b.outlet:
        return a.sentence != b.sentence
    return a.claimant != b.claimant and not a.outlet and not b.outlet


def candidate_pairs(
    claims: Sequence[Claim],
    keys: Keys | None = None,
    top_k: int = 6,
    min_similarity: float = 0.08,
    scan_budget: int = 1000,
    vectors: Sequence[Sequence[float]] | None = None,
    copies: Mapping[str, str] | None = None,
) -> list[Candidate]:
    """Pairs to judge: at most about `top_k` per claim plus the local discourse pairs.

    `keys` holds each claim's pairing key (terms, and whether it disputes the claim before
    it). With `vectors` (one embedding per claim) partners are the nearest by cosine instead of
    by shared terms; the pairs stay at most `top_k` per claim either way. `copies` (a copy's
    article id -> its original's) makes a group of copies one article for the partner budget
    (see the module's docstring).
    """
    keys = keys if keys is not None else {}
    index = TermIndex.build(claims, keys)
    chosen: dict[tuple[str, str], Candidate] = {}

    def add(a: Claim, b: Claim, reason: Reason) -> None:
        key = (a.id, b.id) if a.id < b.id else (b.id, a.id)
        if key in chosen and chosen[key].reason not in ("lexical", "embedding"):
            return
        first, second = (a, b) if a.id < b.id else (b, a)
        shared = tuple(sorted(set(index.terms[a.id]) & set(index.terms[b.id])))
        chosen[key] = Candidate(
            first, second, index.similarity(a, b), index.overlap(a, b), shared, reason
        )

    who = [Who.of(c, copies) for c in claims]
    if vectors is not None:
        for i, partners in enumerate(_nearest(vectors, top_k * 3)):
            ranked = [j for j in partners if pairable(who[i], who[j])]
            taken, waiting = _budgeted(ranked, who, i, top_k)
            for j in taken + waiting[: top_k - len(taken)]:
                add(claims[i], claims[j], "embedding")
        _local_pairs(claims, keys, add)
        return sorted(chosen.values(), key=lambda c: (c.a.id, c.b.id))

    for i, claim in enumerate(claims):
        scores: dict[int, float] = defaultdict(float)
        mine = index.vectors.get(claim.id, {})
        budget = scan_budget
        for term in sorted(mine, key=lambda t: (len(index.postings[t]), t)):
            if budget <= 0:
                break
            posting = _sample(index.postings[term], budget)
            budget -= len(posting)
            weight = mine[term]
            for j, theirs in posting:
                scores[j] += weight * theirs
        scores.pop(i, None)
        for j in _best(scores, who, i, top_k, min_similarity):
            add(claim, claims[j], "lexical")

    _local_pairs(claims, keys, add)
    return sorted(chosen.values(), key=lambda c: (c.a.id, c.b.id))


def _best(scores: dict[int, float], who: Sequence[Who], i: int, k: int, floor: float) -> list[int]:
    """The `k` best-scoring partners that may pair with claim `i` (ties by claim id)."""
    mine = who[i]

    def rank(j: int) -> tuple[float, str]:
        return -scores[j], who[j].id

    # Sorting every scored claim is most of the pairing time; a few more than k usually
    # hold the answer, so sort those first.
    cut = floor
    if len(scores) > 4 * k:
        cut = max(floor, heapq.nlargest(4 * k, scores.values())[-1])
    top = sorted((j for j, score in scores.items() if score >= cut), key=rank)
    best, waiting = _budgeted([j for j in top if pairable(mine, who[j])], who, i, k)
    if len(best) == k or cut == floor:
        return best + waiting[: k - len(best)]
    # (A waiting copy above the cut must not take a place that a claim of another article
    # below it would have.)
    # When they do not (inside one long article most claims may not pair: the same claimant;
    # in a feed of copies most wait), filter everything first and rank only what may pair.
    allowed = [j for j, score in scores.items() if score >= floor and pairable(mine, who[j])]
    if not any(who[j].copy for j in allowed):
        return heapq.nsmallest(k, allowed, key=rank)
    # Of a group's copies only the best-ranked claim may compete, and only when it outranks
    # its group's other claims (as in `_budgeted`); the rest wait.
    leader: dict[str, int] = {}
    for j in allowed:
        g = who[j].group
        if g not in leader or rank(j) < rank(leader[g]):
            leader[g] = j
    competing = [j for j in allowed if not _waits(who, i, j, leader[who[j].group] != j)]
    best = heapq.nsmallest(k, competing, key=rank)
    if len(best) < k:
        taken = set(best)
        best += heapq.nsmallest(k - len(best), (j for j in allowed if j not in taken), key=rank)
    return best


def _waits(who: Sequence[Who], i: int, j: int, represented: bool) -> bool:
    """Partner `j` of claim `i` is a copy's claim whose group is already represented (by a
    better-ranked partner, or by claim `i`'s own article): it does not take a place from
    another article."""
    return who[j].copy and (represented or who[j].group == who[i].group)


def _budgeted(
    ranked: Sequence[int], who: Sequence[Who], i: int, k: int
) -> tuple[list[int], list[int]]:
    """Up to `k` partners from `ranked` (best first, every one pairable with claim `i`) that
    take a place, and the copies' claims seen before them that wait for the places left over
    (a copy's claim whose group is already represented), best first."""
    taken: list[int] = []
    waiting: list[int] = []
    groups: set[str] = set()
    for j in ranked:
        if len(taken) == k:
            break
        if _waits(who, i, j, who[j].group in groups):
            waiting.append(j)
        else:
            taken.append(j)
        groups.add(who[j].group)
    return taken, waiting


def _sample(posting: list[tuple[int, float]], size: int) -> list[tuple[int, float]]:
    """`posting` itself when it fits in `size`, else `size` entries spread evenly over it (a
    fixed stride, so the same input gives the same pairs)."""
    if len(posting) <= size:
        return posting
    step = len(posting) / size
    return [posting[int(k * step)] for k in range(size)]


def _local_pairs(claims: Sequence[Claim], keys: Keys, adder: Adder) -> None:
    by_article: dict[str, list[Claim]] = defaultdict(list)
    for claim in claims:
        by_article[claim.article_id].append(claim)
    for group in by_article.values():
        group.sort(key=lambda c: (c.sentence, c.start))
        for i, claim in enumerate(group):
            for prev in reversed(group[max(0, i - 4) : i]):
                if claim.sentence - prev.sentence > 1 or not may_pair(claim, prev):
                    continue
                if keys.get(claim.id, _NO_KEY).disputes_previous:
                    adder(prev, claim, "discourse")
                elif prev.sentence == claim.sentence:
                    adder(prev, claim, "same_sentence")


def _nearest(vectors: Sequence[Sequence[float]], k: int, chunk: int = 512) -> list[list[int]]:
    """Indices of each vector's `k` nearest others by cosine, computed in row chunks so
    memory stays at chunk x n."""
    import numpy as np

    raw = np.asarray(vectors, dtype=np.float64)
    norms = np.linalg.norm(raw, axis=1, keepdims=True)
    matrix = raw / np.where(norms == 0, 1.0, norms)
    out: list[list[int]] = []
    for start in range(0, len(matrix), chunk):
        sims = matrix[start : start + chunk] @ matrix.T
        for row, i in enumerate(range(start, min(start + chunk, len(matrix)))):
            sims[row, i] = -np.inf
        take = min(k, len(matrix) - 1)
        if take <= 0:
            out.extend([] for _ in range(len(sims)))
            continue
        best = np.argpartition(-sims, take - 1, axis=1)[:, :take]
        for row in range(len(sims)):
            order = best[row][np.argsort(-sims[row, best[row]])]
            out.append([int(j) for j in order])
    return out
