"""llm-calls.jsonl logs every call, a failed one too (issue 14, item 9): its status, error
and duration, never the key; against the project's fake endpoint on 127.0.0.1."""

from __future__ import annotations

import json
from pathlib import Path

from agent.backends.llm.config import LLMConfig
from agent.pipeline import run_pipeline
from tests.backends.llm.conftest import API_KEY
from tests.support.fake_openai import FakeOpenAI, Reply, refused_url


def write_articles(folder: Path) -> Path:
    folder.mkdir()
    (folder / "north.txt").write_text("The harbour office said the route covers the north.\n")
    (folder / "south.txt").write_text("The council said the route serves the south too.\n")
    return folder


def logged(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_when_every_call_fails_each_attempt_is_logged(
    server: FakeOpenAI, config: LLMConfig, tmp_path: Path
) -> None:
    server.handler = lambda r: Reply.error(500, f"backend down, key {API_KEY}")
    log = tmp_path / "out" / "llm-calls.jsonl"
    report = run_pipeline(
        [write_articles(tmp_path / "in")], backend="llm", llm=config, log_path=log
    )
    assert len(report.errors) == 2 and report.claims == []
    records = logged(log)
    assert len(records) == server.count("chat/completions") == 2 * config.max_attempts
    for record in records:
        assert record["status"] == 500 and record["stage"] == "extract"
        assert isinstance(record["error"], str) and "backend down" in record["error"]
        assert isinstance(record["seconds"], float) and record["response"] is None
        assert record["cached"] is False
    assert API_KEY not in log.read_text()


def test_a_refused_connection_is_logged_without_a_status(config: LLMConfig, tmp_path: Path) -> None:
    log = tmp_path / "llm-calls.jsonl"
    with refused_url() as url:
        refused = config.model_copy(update={"base_url": url, "max_attempts": 2})
        run_pipeline([write_articles(tmp_path / "in")], backend="llm", llm=refused, log_path=log)
    records = logged(log)
    assert len(records) == 4  # two articles, two attempts each
    assert all(r["status"] is None and "Connection" in str(r["error"]) for r in records)


def test_a_successful_call_is_logged_with_its_status(
    server: FakeOpenAI, config: LLMConfig, tmp_path: Path
) -> None:
    server.handler = lambda r: Reply.json({"claims": []})
    log = tmp_path / "llm-calls.jsonl"
    run_pipeline([write_articles(tmp_path / "in")], backend="llm", llm=config, log_path=log)
    records = logged(log)
    assert records and all(r["status"] == 200 and r["error"] is None for r in records)
