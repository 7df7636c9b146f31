"""A published seeds run in a fresh output folder per test."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent.models import Report
from agent.report_files import publish


def ungrouped(report: Report) -> Report:
    """The report without its disputes, as a run before the grouping wrote it: every flag is
    an item of its own in the review queue."""
    flags = [c.model_copy(update={"dispute_id": None}) for c in report.contradictions]
    return report.model_copy(update={"disputes": [], "contradictions": flags})


@pytest.fixture
def out(tmp_path: Path, seeds_report: Report) -> Path:
    """An output folder holding the seeds' report, articles and no review yet. The disputes
    are left out: these tests drive the session's mechanics (moving on, undo, resume, full
    disks) flag by flag over the seeds' many flags; review by dispute has its own tests
    (test_terminal_disputes.py, test_actions.py, and the grouped seeds in test_session.py)."""
    folder = tmp_path / "out"
    publish(ungrouped(seeds_report), folder)
    return folder
