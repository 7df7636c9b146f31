"""Shared fixtures. Every test runs with a temporary home and cache directory, never the user's."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"


@pytest.fixture(autouse=True)
def temp_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    # An endpoint configured in the developer's shell must not leak into tests.
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "RECONCILE_MODEL"):
        monkeypatch.delenv(var, raising=False)
    return home


@pytest.fixture(scope="session")
def seeds_report():  # type: ignore[no-untyped-def]
    """The seeds reconciled once per test session (the model load is the slow part)."""
    from agent.pipeline import run_pipeline

    return run_pipeline([SEEDS], backend="offline")


def assert_grounded(report) -> None:  # type: ignore[no-untyped-def]
    """text[start:end] == quote for every claim and every side of the report."""
    texts = {a.id: a.text for a in report.articles}
    for claim in report.claims:
        assert texts[claim.article_id][claim.start : claim.end] == claim.quote, claim.id
    for item in [*report.contradictions, *report.agreements]:
        for side in item.sides:
            assert texts[side.article_id][side.start : side.end] == side.quote, item.id
