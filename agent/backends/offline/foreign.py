"""The offline judge over claims it did not read: another backend's (`--extract llm --judge
offline`) or the eval's labelled quotes (`reconcile eval --stage judge`).

The offline rules compare the claim frames the offline reader built from the words (event,
participants, polarity, scope, quantities, time, place), which a claim from elsewhere does not
have. So each foreign claim is judged as the offline reader's own claim on the same words: the
offline claim of the same article whose span overlaps it most (the claimant the foreign claim
names is kept, since that is who the report's side credits). A foreign claim with no offline
claim on its words has no frame, and the rules find nothing to compare in it. The verdict is
given back under the foreign claims' ids.
"""

from __future__ import annotations

from collections.abc import Sequence

from agent.backends.offline.features import fold
from agent.backends.offline.judge import same_party
from agent.models import Claim
from agent.pairing import Candidate, Keys, TermIndex


def own_reading(foreign: Claim, own: Sequence[Claim]) -> Claim | None:
    """The offline claim (of the same article) overlapping `foreign`'s span the most; on a tie
    the one crediting the same claimant, then the nearest start. None when none overlaps."""
    best: tuple[int, int, int] | None = None
    chosen: Claim | None = None
    for claim in own:
        if claim.article_id != foreign.article_id:
            continue
        shared = min(claim.end, foreign.end) - max(claim.start, foreign.start)
        if shared <= 0:
            continue
        rank = (shared, int(claim.claimant == foreign.claimant), -abs(claim.start - foreign.start))
        if best is None or rank > best:
            best, chosen = rank, claim
    return chosen


def translate(
    candidates: Sequence[Candidate], own: Sequence[Claim], known: set[str], keys: Keys
) -> list[Candidate]:
    """Each candidate with its foreign claims (ids not in `known`) replaced by their offline
    reading, its similarity figures recomputed over the offline claims and their pairing
    `keys` (the rules read them), in the same order. A pair whose two sides read as the same
    offline claim stays as it is."""
    read = [(_reading(c.a, own, known), _reading(c.b, own, known)) for c in candidates]
    # Figures as over one run's claims: the offline claims, and the foreign ones left as is.
    unread = {x.id: x for pair in read for x in pair if x.id not in known}
    index = TermIndex.build([*own, *unread.values()], keys)
    out: list[Candidate] = []
    for cand, (a, b) in zip(candidates, read, strict=True):
        if a.id == b.id or (a is cand.a and b is cand.b):
            out.append(cand)
            continue
        shared = tuple(sorted(set(index.terms[a.id]) & set(index.terms[b.id])))
        out.append(
            Candidate(a, b, index.similarity(a, b), index.overlap(a, b), shared, cand.reason)
        )
    return out


def _reading(claim: Claim, own: Sequence[Claim], known: set[str]) -> Claim:
    if claim.id in known:
        return claim
    reading = own_reading(claim, own)
    if reading is None:
        return claim
    # The offline reading of the words, credited to whom the foreign claim credits them; when
    # that is whom the reader credits too, the reader's kind of claimant stays (the eval's
    # labelled quotes carry none: "other"), since the rules tell a person's words by it.
    same = same_party(fold(claim.claimant), fold(reading.claimant))
    kind = reading.claimant_kind if same else claim.claimant_kind
    return reading.model_copy(update={"claimant": claim.claimant, "claimant_kind": kind})
