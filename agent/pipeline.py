"""The pipeline: ingest -> extract -> pair -> judge -> report. (Being written.)"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from agent.models import Report


def run_pipeline(paths: Sequence[str | Path], backend: str = "auto") -> Report:
    """Reconcile the articles found under `paths` and return the report."""
    raise NotImplementedError
