"""The LLM backend runs past a damaged answer cache: one warning naming it, the same report
(issue 10, item 21)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from agent.backends.llm.config import LLMConfig
from agent.models import Report
from agent.pipeline import run_pipeline
from tests.backends.cache_damage import DAMAGES, corrupt_values, damaged
from tests.backends.llm.conftest import claim, model
from tests.support.fake_openai import FakeOpenAI

CLAIMS = {
    "north": [claim("the ferry route covers only the northern islands")],
    "south": [claim("the ferry route serves the southern islands too", "Island council")],
}


def run(tmp_path: Path, config: LLMConfig) -> Report:
    folder = tmp_path / "articles"
    if not folder.exists():
        folder.mkdir()
        (folder / "north.txt").write_text(
            "The harbour office said the ferry route covers only the northern islands.\n"
        )
        (folder / "south.txt").write_text(
            "The island council said the ferry route serves the southern islands too.\n"
        )
    return run_pipeline([folder], backend="llm", llm=config)


@pytest.mark.parametrize("kind", DAMAGES)
def test_a_damaged_answer_cache_is_warned_of_and_bypassed(
    server: FakeOpenAI,
    config: LLMConfig,
    tmp_path: Path,
    kind: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    server.handler = model(CLAIMS)
    with damaged(tmp_path / "cache", kind) as folder:
        cfg = config.model_copy(update={"cache_dir": folder})
        if kind == "corrupt-value":  # values of a real run, then spoilt
            run(tmp_path, cfg)
            assert corrupt_values(folder) >= 3
        with caplog.at_level(logging.WARNING, logger="agent.cache"):
            report = run(tmp_path, cfg)
    assert report.errors == []
    assert {c.article_id for c in report.claims} == {"north", "south"}
    warnings = [r.getMessage() for r in caplog.records if r.name == "agent.cache"]
    assert len(warnings) == 1 and warnings[0].startswith(f"cache {folder}: "), warnings
