"""Where reconcile keeps things of its own outside the output folder."""

from __future__ import annotations

import os
from pathlib import Path


def cache_root() -> Path:
    """The user's cache folder for reconcile (XDG_CACHE_HOME, else ~/.cache): LLM answers in
    `llm/`, the offline backend's claims in `offline/`."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "reconcile"
