"""Stable ids: derived from content, never from run order, so the same inputs give the same ids
whatever the order of the paths."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable


def stable_id(prefix: str, *parts: object) -> str:
    """`prefix` plus 10 hex digits of a hash of `parts`."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()
    return f"{prefix}-{digest[:10]}"


def flag_fingerprint(type_: str, spans: Iterable[tuple[str, int, int]]) -> str:
    """A flag's content fingerprint: its type and its sides' (article SHA-256, start, end).

    Sides are sorted, so neither their order, the claim ids, the article file names nor the
    backend that found the flag change it: the same words flagged the same way give the same
    fingerprint, which is what review decisions attach to.
    """
    parts = [type_, *(f"{sha}:{start}:{end}" for sha, start, end in sorted(spans))]
    return "fp-" + hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]
