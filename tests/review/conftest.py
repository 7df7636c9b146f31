"""A published seeds run in a fresh output folder per test."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent.models import Report
from agent.report_files import publish


@pytest.fixture
def out(tmp_path: Path, seeds_report: Report) -> Path:
    """An output folder holding the seeds' report, articles and no review yet."""
    folder = tmp_path / "out"
    publish(seeds_report, folder)
    return folder
