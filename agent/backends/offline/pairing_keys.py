"""Pairing keys: the terms pairing indexes a claim by, from its frame (offline claims) or from
its statement (claims of the LLM backend, read with the same spaCy model)."""

from __future__ import annotations

from collections.abc import Sequence

from agent.backends.offline.frames import ClaimFrame
from agent.models import Claim
from agent.pairing import PairingKey


def frame_key(frame: ClaimFrame) -> PairingKey:
    """The pairing key of an offline claim."""
    return PairingKey(terms=tuple(frame.terms), disputes_previous=frame.disputes_previous)


def statement_keys(claims: Sequence[Claim]) -> dict[str, PairingKey]:
    """Pairing keys from the claims' statements (spaCy is loaded only when this is called)."""
    if not claims:
        return {}
    from agent.backends.offline.features import terms
    from agent.backends.offline.nlp import parse_texts

    docs = parse_texts([c.statement for c in claims])
    return {
        claim.id: PairingKey(terms=tuple(terms(list(doc))))
        for claim, doc in zip(claims, docs, strict=True)
    }
