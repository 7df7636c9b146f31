"""Contradictions gathered into disputes: one matter, its incompatible positions, every claim and
source that holds each.

A graph over claims. Contradiction edges that meet at a claim belong to one dispute when they
are about the same matter: the same contradiction type, or matter words in common (the
content words both claims of an edge share; `SAME_MATTER` of the smaller set). A claim that
agrees with a claim of another dispute of the same matter joins the two. A claim caught in
two unrelated quarrels (a figure and a date, say) is then in two disputes, and a story's
quarrels are not merged into one giant component.

Inside a dispute, claims form positions: claims that agree are one position, and so are
claims that contradict the same claim on the same point (the union's statement and its
leader's interview both contradict the board's "no jobs were discussed at all"), unless they
contradict each other or, for a figure or a date, are not the same type of contradiction or
state different values. Two claims joined by a contradiction are never one position, so a
dispute always has two positions or more.

Nothing here reads the judge's rules or cues: only the judgements, the claims and the
articles, so the grouping holds whatever backend or rule found the pairs.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from agent.ids import stable_id
from agent.models import (
    Claim,
    Contradiction,
    ContradictionType,
    Dispute,
    DisputeSide,
    Judgement,
    Position,
    Stance,
)
from agent.text_features import content_terms

SAME_MATTER = 0.5
"""Share of the smaller edge's matter words the other must have for two edges of different
types meeting at one claim to be one matter."""
EDGES_COMPARED = 8
"""Earlier edges at a claim a new edge is compared with: bounds the work on a claim that many
others contradict."""
MATTER_WORDS = 4
"""Words in a dispute's `matter`."""
LABEL_WORDS = 14
"""Words in a position's label."""

REPORTING = frozenset([
    "insist", "insisted", "insisting", "claim", "claimed", "claiming", "deny", "denied",
    "denying", "state", "stated", "stating", "add", "added", "adding", "report", "reported",
    "reporting", "announce", "announced", "announcing", "suggest", "suggested", "suggesting",
    "argue", "argued", "arguing", "note", "noted", "noting", "warn", "warned", "warning",
    "tell", "telling", "say", "saying",
])  # fmt: skip
"""Reporting verbs (general English): how a claim is told, not what it is about."""

_NEGATED = ("n't", "n’t")
"""Negated auxiliaries ("didn't"): how a claim is put, not what it is about."""

_PHRASE = {
    ContradictionType.SCOPE: "what it covers",
    ContradictionType.NUMBER: "the figure",
    ContradictionType.DATE_TIME: "when",
    ContradictionType.DENIAL: "whether it is so",
    ContradictionType.COMPLIANCE: "whether it was kept",
    ContradictionType.ATTRIBUTION: "who said it",
    ContradictionType.TEMPORAL: "a change of position",
    ContradictionType.OTHER: "incompatible accounts",
}
"""How a dispute's matter starts, by its most frequent contradiction type."""
_VALUED = (ContradictionType.NUMBER, ContradictionType.DATE_TIME)
"""Types whose positions are values: two different figures are two positions."""


@dataclass
class _Edge:
    contradiction: Contradiction
    a: str
    b: str
    matter: frozenset[str]
    """The words both claims use: what the edge is about."""
    words: frozenset[str]
    """Every content word of both claims."""


@dataclass
class _Unions:
    parent: dict[int, int] = field(default_factory=dict)

    def find(self, x: int) -> int:
        parent = self.parent
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent.get(parent[x], parent[x])
            x = parent[x]
        return x

    def union(self, x: int, y: int) -> None:
        rx, ry = self.find(x), self.find(y)
        if rx != ry:
            self.parent[max(rx, ry)] = min(rx, ry)


def build_disputes(
    contradictions: Sequence[Contradiction],
    judgements: Iterable[Judgement],
    claims: Mapping[str, Claim],
    story_of: Mapping[str, str],
    repeated_in: Mapping[str, Sequence[str]] | None = None,
) -> tuple[list[Dispute], list[Contradiction]]:
    """The disputes of `contradictions` (most confident first), and the contradictions with
    their `dispute_id` and `story_id` set.

    `claims` holds every claim a contradiction or judgement names, `story_of` maps article
    ids to story ids, and `repeated_in` the claims that near-duplicate copies repeat.
    """
    repeats = repeated_in or {}
    words = _Words(claims)
    edges = [
        _Edge(c, c.sides[0].claim_id, c.sides[1].claim_id, words.shared(c), words.either(c))
        for c in contradictions
    ]
    unions = _Unions()
    at_claim: dict[str, list[int]] = defaultdict(list)
    for k, edge in enumerate(edges):
        unions.find(k)
        for cid in (edge.a, edge.b):
            for other in at_claim[cid][:EDGES_COMPARED]:
                if _same_matter(edge, edges[other]):
                    unions.union(k, other)
            at_claim[cid].append(k)
    agreeing: dict[str, set[str]] = defaultdict(set)
    for j in judgements:
        if j.relation != "agree":
            continue
        agreeing[j.a].add(j.b)
        agreeing[j.b].add(j.a)
        for mine in at_claim.get(j.a, [])[:EDGES_COMPARED]:
            for theirs in at_claim.get(j.b, [])[:EDGES_COMPARED]:
                if _same_matter(edges[mine], edges[theirs]):
                    unions.union(mine, theirs)
    groups: dict[int, list[_Edge]] = defaultdict(list)
    for k, edge in enumerate(edges):
        groups[unions.find(k)].append(edge)
    disputes: list[Dispute] = []
    assigned: dict[str, tuple[str, str]] = {}
    for members in groups.values():
        dispute = _dispute(members, claims, story_of, repeats, agreeing, words)
        disputes.append(dispute)
        for edge in members:
            assigned[edge.contradiction.id] = (dispute.id, dispute.story_id)
    updated = [
        c.model_copy(update={"dispute_id": assigned[c.id][0], "story_id": assigned[c.id][1]})
        for c in contradictions
    ]
    return sorted(disputes, key=lambda d: (-d.confidence, d.id)), updated


class _Words:
    """The content words of each claim (cached), without its claimant's own name words."""

    def __init__(self, claims: Mapping[str, Claim]) -> None:
        self.claims = claims
        self.cache: dict[str, frozenset[str]] = {}

    def of(self, claim_id: str) -> frozenset[str]:
        found = self.cache.get(claim_id)
        if found is None:
            claim = self.claims[claim_id]
            own = set(content_terms(claim.claimant))
            found = frozenset(
                t
                for t in content_terms(claim.quote)
                if t not in own and t not in REPORTING and not t.endswith(_NEGATED)
            )
            self.cache[claim_id] = found
        return found

    def shared(self, contradiction: Contradiction) -> frozenset[str]:
        """The words both sides use."""
        a, b = (self.of(s.claim_id) for s in contradiction.sides[:2])
        return a & b

    def either(self, contradiction: Contradiction) -> frozenset[str]:
        """The words of either side."""
        a, b = (self.of(s.claim_id) for s in contradiction.sides[:2])
        return a | b


def _same_matter(x: _Edge, y: _Edge) -> bool:
    if x.contradiction.type == y.contradiction.type:
        return True
    if not x.matter or not y.matter:
        return False
    return len(x.matter & y.matter) >= SAME_MATTER * min(len(x.matter), len(y.matter))


def _dispute(
    edges: Sequence[_Edge],
    claims: Mapping[str, Claim],
    story_of: Mapping[str, str],
    repeats: Mapping[str, Sequence[str]],
    agreeing: Mapping[str, set[str]],
    words: _Words,
) -> Dispute:
    ids = sorted({cid for e in edges for cid in (e.a, e.b)})
    index = {cid: i for i, cid in enumerate(ids)}
    positions = _positions(ids, index, edges, claims, agreeing)
    degree: Counter[str] = Counter(cid for e in edges for cid in (e.a, e.b))
    shas = {s.article_id: s.article_sha256 for e in edges for s in e.contradiction.sides}
    top = frozenset(_matter_words(edges))
    built = [_position(members, claims, repeats, degree, shas, words, top) for members in positions]
    built.sort(key=lambda p: (-len(p.sides), p.id))
    types = Counter(e.contradiction.type for e in edges)
    ranked_types = sorted(types, key=lambda t: (-types[t], t.value))
    contradictions = sorted(edges, key=lambda e: (-e.contradiction.confidence, e.contradiction.id))
    first = claims[ids[0]]
    return Dispute(
        id=stable_id("dp", *sorted(e.contradiction.fingerprint for e in edges)),
        fingerprint=min(e.contradiction.fingerprint for e in edges),
        story_id=story_of.get(first.article_id, ""),
        matter=_matter(edges, ranked_types[0]),
        types=ranked_types,
        confidence=max(e.contradiction.confidence for e in edges),
        positions=built,
        contradiction_ids=[e.contradiction.id for e in contradictions],
    )


def _positions(
    ids: Sequence[str],
    index: Mapping[str, int],
    edges: Sequence[_Edge],
    claims: Mapping[str, Claim],
    agreeing: Mapping[str, set[str]],
) -> list[list[str]]:
    """The dispute's claims grouped into positions (each group's ids sorted)."""
    group = list(range(len(ids)))
    members: dict[int, set[int]] = {i: {i} for i in range(len(ids))}
    against: dict[int, set[int]] = {i: set() for i in range(len(ids))}
    neighbours: dict[int, list[tuple[int, ContradictionType]]] = defaultdict(list)
    for e in edges:
        x, y = index[e.a], index[e.b]
        against[x].add(y)
        against[y].add(x)
        neighbours[x].append((y, e.contradiction.type))
        neighbours[y].append((x, e.contradiction.type))

    def merge(x: int, y: int) -> None:
        gx, gy = group[x], group[y]
        if gx == gy or gy in against[gx]:
            return
        if len(members[gx]) < len(members[gy]):
            gx, gy = gy, gx
        for m in members.pop(gy):
            group[m] = gx
            members[gx].add(m)
        for other in against.pop(gy):
            against[other].discard(gy)
            against[other].add(gx)
            against[gx].add(other)

    for cid in ids:
        for other in sorted(agreeing.get(cid, ())):
            if other in index:
                merge(index[cid], index[other])
    # Claims that contradict one claim on the same point hold the same account; the busiest
    # claims first, so the big sides form before the stray ones.
    for z in sorted(neighbours, key=lambda i: (-len(neighbours[i]), ids[i])):
        near = neighbours[z]
        for (x, tx), (y, ty) in itertools.pairwise(near):
            valued = tx in _VALUED or ty in _VALUED
            if not valued or (tx == ty and _same_value(claims[ids[x]], claims[ids[y]])):
                merge(x, y)
    return [sorted(ids[m] for m in group_members) for group_members in members.values()]


def _same_value(x: Claim, y: Claim) -> bool:
    """Two claims state the same figures and dates (so, on a figure or a date, one account)."""
    figures = {(q.value, q.unit) for q in x.quantities} == {(q.value, q.unit) for q in y.quantities}
    dx = x.time.date if x.time else None
    dy = y.time.date if y.time else None
    return figures and dx == dy


def _position(
    members: Sequence[str],
    claims: Mapping[str, Claim],
    repeats: Mapping[str, Sequence[str]],
    degree: Mapping[str, int],
    shas: Mapping[str, str],
    words: _Words,
    matter: frozenset[str],
) -> Position:
    ordered = sorted(
        (claims[cid] for cid in members), key=lambda c: (c.article_id, c.start, c.end, c.id)
    )
    # The account the position is named after: the claim most contested, then the one saying
    # most of what the dispute is about, then the shortest.
    central = max(
        ordered,
        key=lambda c: (degree[c.id], len(words.of(c.id) & matter), -len(c.statement), c.id),
    )
    sides = [
        DisputeSide(
            claim_id=c.id,
            article_id=c.article_id,
            article_sha256=shas[c.article_id],
            claimant=c.claimant,
            quote=c.quote,
            start=c.start,
            end=c.end,
            repeated_in=list(repeats.get(c.id, ())),
        )
        for c in ordered
    ]
    claimants = list(dict.fromkeys(s.claimant for s in sides))
    label = (
        central.stance == Stance.DENIES and denial(central.claimant, central.quote, matter)
    ) or (account(central.statement, matter=matter))
    sources = sorted({s.article_id for s in sides} | {a for s in sides for a in s.repeated_in})
    return Position(
        id=stable_id("po", *sorted(members)),
        label=label,
        summary=f"{', '.join(claimants)}: {label}",
        claimants=claimants,
        sides=sides,
        sources=sources,
    )


def account(
    statement: str,
    limit: int = LABEL_WORDS,
    keep_attribution: bool = False,
    matter: frozenset[str] = frozenset(),
) -> str:
    """A short account of a statement: without its attribution ("X said that ..."), unless
    `keep_attribution`, and at most `limit` words: when it is longer, the `limit` words that
    hold most of the `matter` words (the earliest such run), an ellipsis where words are cut."""
    text = " ".join(statement.split()).rstrip(".")
    for _ in range(0 if keep_attribution else 2):  # "X said that it was emphasized that ..."
        head = text.split(" that ", 1)
        if len(head) == 2 and len(head[0].split()) <= 6:
            text = head[1]
    return _window(text.split(), limit, matter)


_DENYING = re.compile(
    r"\b(?:den(?:y|ies|ied|ying)|dismiss(?:es|ed|ing)?|refut(?:es|ed|ing))\s+(?:that\s+)?", re.I
)
"""A denial verb and what follows it ("denying Russia's claims that ...")."""


def denial(claimant: str, quote: str, matter: frozenset[str] = frozenset()) -> str:
    """A denial's account from its own words: "Okafor denied the council's claims that ..." (what
    the quote says is denied, after its denial verb), or "" when the quote has no such verb."""
    found = _DENYING.search(quote)
    if found is None or not quote[found.end() :].strip():
        return ""
    head = f"{claimant} denied"
    rest = quote[found.end() :].strip().rstrip(".").split()
    return f"{head} {_window(rest, LABEL_WORDS - len(head.split()), matter)}"


def _window(words: list[str], limit: int, matter: frozenset[str]) -> str:
    """At most `limit` of `words`: the earliest run holding most `matter` words."""
    if len(words) <= limit:
        return " ".join(words)
    hits = [bool(matter.intersection(content_terms(w))) for w in words]
    best = max(range(len(words) - limit + 1), key=lambda i: (sum(hits[i : i + limit]), -i))
    shown = " ".join(words[best : best + limit])
    return ("…" if best else "") + shown + ("…" if best + limit < len(words) else "")


def _matter_words(edges: Sequence[_Edge]) -> list[str]:
    """The words the dispute's pairs share most, most shared first; when they share fewer
    than MATTER_WORDS, then the words its claims use most."""
    shared: Counter[str] = Counter()
    used: Counter[str] = Counter()
    for e in edges:
        shared.update(e.matter)
        used.update(e.words)
    ranked = sorted(shared, key=lambda t: (-shared[t], t))
    ranked += sorted((t for t in used if t not in shared), key=lambda t: (-used[t], t))
    return ranked[:MATTER_WORDS]


def _matter(edges: Sequence[_Edge], kind: ContradictionType) -> str:
    top = _matter_words(edges)
    return f"{_PHRASE[kind]}: {' '.join(top)}" if top else _PHRASE[kind]
