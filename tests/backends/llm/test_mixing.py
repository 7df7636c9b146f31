"""Mixing the backends' strengths (issue 13, item 5): `--extract offline|llm` and
`--judge offline|llm`, against the fake endpoint on 127.0.0.1."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agent.backends.llm.config import LLMConfig
from agent.pipeline import run_pipeline
from tests.backends.llm.conftest import claim, is_judge, model
from tests.backends.llm.test_cli_llm import reconcile
from tests.conftest import assert_grounded
from tests.support.fake_openai import FakeOpenAI

NORTH = (
    "date 2031-05-14\nThe harbour office said the ferry route covers only the northern islands.\n"
)
SOUTH = (
    "date 2031-05-14\nThe island council said the ferry route serves the southern islands too.\n"
)
LLM_CLAIMS = {
    "north": [claim("the ferry route covers only the northern islands")],
    "south": [claim("the ferry route serves the southern islands too", "Island council")],
}


def contradicts(_: str) -> dict[str, object]:
    return {"disputed": "what the route covers", "relation": "contradict", "type": "scope"}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "articles"
    root.mkdir()
    (root / "north.txt").write_text(NORTH)
    (root / "south.txt").write_text(SOUTH)
    return root


def test_offline_claims_with_an_llm_judge_make_no_extraction_call(
    server: FakeOpenAI, config: LLMConfig, folder: Path
) -> None:
    server.handler = model({}, contradicts)
    report = run_pipeline([folder], backend="offline", judge="llm", llm=config)
    assert report.backend == "offline+llm:fake-model"
    asked = server.chat_requests()
    assert asked and all(is_judge(r) for r in asked)  # the claims cost no call
    assert report.llm is not None and set(report.llm.stages) == {"judge"}
    assert [c.type.value for c in report.contradictions] == ["scope"]
    # The claims are the offline reader's: its claimants, its quotes (whole clauses).
    assert {c.claimant for c in report.claims} == {"harbour office", "island council"}
    assert_grounded(report)


def test_llm_claims_with_the_offline_judge_are_read_by_the_offline_rules(
    server: FakeOpenAI, config: LLMConfig, tmp_path: Path
) -> None:
    root = tmp_path / "counts"
    root.mkdir()
    (root / "north.txt").write_text(
        "date 2031-05-14\n"
        "The harbour office said 412 passengers travelled on the ferry on Monday.\n"
    )
    (root / "south.txt").write_text(
        "date 2031-05-14\n"
        "The island council said 300 passengers travelled on the ferry on Monday.\n"
    )
    server.handler = model(
        {
            "north": [claim("412 passengers travelled on the ferry on Monday")],
            "south": [claim("300 passengers travelled on the ferry on Monday", "Island council")],
        }
    )
    report = run_pipeline([root], backend="llm", judge="offline", llm=config)
    assert report.backend == "llm:fake-model+offline"
    assert not any(is_judge(r) for r in server.chat_requests())  # judging costs no call
    # The offline rules judge their own reading (claim frames) of the model's quotes: the two
    # counts of one event are compared though the model's claims carry no frame.
    assert [c.type.value for c in report.contradictions] == ["number"]
    sides = {(s.claimant, s.quote) for s in report.contradictions[0].sides}
    assert sides == {
        ("Harbour office", "412 passengers travelled on the ferry on Monday"),
        ("Island council", "300 passengers travelled on the ferry on Monday"),
    }
    assert_grounded(report)


def test_backend_names_both_stages_only_when_they_differ(
    server: FakeOpenAI, config: LLMConfig, folder: Path
) -> None:
    server.handler = model(LLM_CLAIMS)
    assert run_pipeline([folder], backend="llm", llm=config).backend == "llm:fake-model"
    same = run_pipeline([folder], backend="offline", extract="llm", judge="llm", llm=config)
    assert same.backend == "llm:fake-model"
    assert run_pipeline([folder], backend="offline").backend == "offline"


def test_cli_extract_and_judge_options(server: FakeOpenAI, folder: Path, tmp_path: Path) -> None:
    server.handler = model({}, contradicts)
    env = {"OPENAI_BASE_URL": server.base_url, "RECONCILE_MODEL": "tiny"}
    args = [str(folder), "--extract", "offline", "--judge", "llm", "--cache-dir", str(tmp_path)]
    dry = reconcile(*args, "--dry-run", env=env, cwd=tmp_path)
    assert dry.returncode == 0, dry.stderr
    assert "backend: offline+llm:tiny" in dry.stdout and "extract_calls: 0" in dry.stdout
    assert "judge_calls: 1" in dry.stdout and server.requests == []

    done = reconcile(*args, "--out", "out", env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "backend offline+llm:tiny" in done.stdout
    data = json.loads((tmp_path / "out" / "report.json").read_text())
    assert data["backend"] == "offline+llm:tiny" and data["llm"]["model"] == "tiny"
    assert len(server.chat_requests()) == 1  # as the dry run said

    bad = reconcile(str(folder), "--judge", "nonsense", env=env, cwd=tmp_path)
    assert bad.returncode == 2 and "unknown backend 'nonsense'" in bad.stderr
