"""Stable ids: derived from content, never from run order, so the same inputs give the same ids
whatever the order of the paths."""

from __future__ import annotations

import hashlib


def stable_id(prefix: str, *parts: object) -> str:
    """`prefix` plus 10 hex digits of a hash of `parts`."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()
    return f"{prefix}-{digest[:10]}"
