"""`reconcile eval --stage judge` (issue 13, item 4): the labelled pairs straight to the judge,
accuracy per class, type accuracy, calls and seconds, and a plain warning for a judge that
calls most traps contradictions. LLM judges against the fake endpoint on 127.0.0.1."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr
from rich.console import Console

from agent.backends.llm.config import LLMConfig
from agent.evals.command import eval_command
from agent.evals.judge_stage import labelled_pairs
from agent.ingest import ingest
from tests.evals.helpers import tiny_case
from tests.support.fake_openai import FakeOpenAI, RecordedRequest, Reply, judged_pairs


@pytest.fixture
def server() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as srv:
        yield srv


def llm_config(server: FakeOpenAI, tmp_path: Path) -> LLMConfig:
    return LLMConfig(
        model="judge-model",
        base_url=server.base_url,
        api_key=SecretStr("k"),
        cache_dir=tmp_path / "cache",
        timeout=30.0,
        max_attempts=2,
        retry_initial_wait=0.01,
    )


def judging_everything(relation: str, kind: str | None = "number") -> Any:
    """A judge giving one answer to every pair (a summary naming both claimants)."""

    def answer(request: RecordedRequest) -> Reply:
        verdicts = [
            {
                "pair": p.number,
                "disputed": "the figures",
                "relation": relation,
                "type": kind if relation == "contradict" else None,
                "summary": f"{p.a_claimant} and {p.b_claimant}, pair {p.number}.",
            }
            for p in judged_pairs(request.message_text())
        ]
        return Reply.json({"verdicts": verdicts})

    return answer


def run_stage(root: Path, backend: str, llm: LLMConfig | None = None) -> tuple[int, str, Any]:
    out = io.StringIO()
    code = eval_command(
        backend=backend,
        fixtures=root / "evals" / "fixtures",
        cases=None,
        baseline=None,
        update_baseline=False,
        out=root / "out" / "judge.json",
        console=Console(file=out, width=250, color_system=None),
        llm=llm,
        stage="judge",
    )
    return code, out.getvalue(), json.loads((root / "out" / "judge.json").read_text())


def test_the_labelled_pairs_are_the_labels_words_with_their_claimants(tmp_path: Path) -> None:
    case = tiny_case(tmp_path)
    articles = {a.id: a for a in ingest(list(case.article_paths.values())).articles}
    pairs = labelled_pairs(case, articles)
    # Two required contradictions (the optional one is left out), a trap, an agreement.
    assert [(p.kind, p.id) for p in pairs] == [
        ("contradiction", "scope-towns"),
        ("contradiction", "injured-count"),
        ("trap", "firefighters-rounding"),
        ("agreement", "bridge-closed"),
    ]
    injured = pairs[1]
    assert (injured.a.claimant, injured.a.quote) == ("Jane Doe", "40 people were hurt")
    assert (injured.b.claimant, injured.b.quote) == ("medics", "52 people were hurt")
    for p in pairs:
        for c in (p.a, p.b):
            assert case.texts[c.article_id][c.start : c.end] == c.quote == c.statement


def test_a_judge_calling_everything_a_contradiction_is_called_untrustworthy(
    server: FakeOpenAI, tmp_path: Path
) -> None:
    tiny_case(tmp_path / "evals" / "fixtures")
    server.handler = judging_everything("contradict")
    code, text, data = run_stage(tmp_path, "llm", llm_config(server, tmp_path))
    assert code == 0  # no baseline yet
    figures = data["overall"]["figures"]
    assert data["stage"] == "judge" and data["backend"] == "llm:judge-model"
    assert figures["stage_contradiction_accuracy"] == 1.0
    assert figures["stage_trap_accuracy"] == 0.0
    assert figures["stage_agreement_accuracy"] == 0.0
    assert figures["stage_type_accuracy"] == 0.5  # "number" is right for one of the two
    assert figures["stage_calls"] == 1 and figures["stage_pairs"] == 4  # one request, 4 pairs
    assert "NOT TRUSTWORTHY" in text and "cannot be trusted as a judge" in text
    assert "called 1 of 1 traps contradictions" in text
    assert "firefighters-rounding  (trap) expected not contradict, got contradict:number" in text
    assert "No baseline at" in text and "baseline-judge-llm-judge-model.json" in text
    # Only the labelled pairs were sent: no extraction request, no pairing.
    [request] = server.chat_requests()
    assert len(judged_pairs(request.message_text())) == 4


def test_a_judge_calling_nothing_a_contradiction_is_called_untrustworthy_too(
    server: FakeOpenAI, tmp_path: Path
) -> None:
    """A judge answering "unrelated" to everything is right on every trap, and useless: the
    warning names the contradictions it missed."""
    tiny_case(tmp_path / "evals" / "fixtures")
    server.handler = judging_everything("unrelated")
    _, text, data = run_stage(tmp_path, "llm", llm_config(server, tmp_path))
    assert data["overall"]["figures"]["stage_trap_accuracy"] == 1.0
    assert data["overall"]["figures"]["stage_contradiction_accuracy"] == 0.0
    assert "NOT TRUSTWORTHY" in text and "found 0 of 2 labelled contradictions" in text


def test_a_judge_that_tells_them_apart_gets_no_warning(server: FakeOpenAI, tmp_path: Path) -> None:
    tiny_case(tmp_path / "evals" / "fixtures")

    def careful(request: RecordedRequest) -> Reply:
        verdicts = []
        for p in judged_pairs(request.message_text()):
            text = p.a_text + p.b_text
            if "firefighters" in text or "bridge" in text:
                v = {"relation": "agree", "summary": f"{p.a_claimant}, {p.b_claimant} agree."}
            else:
                v = {
                    "relation": "contradict",
                    "type": "number" if "hurt" in text else "scope",
                    "summary": f"{p.a_claimant} vs {p.b_claimant}.",
                }
            verdicts.append({"pair": p.number, "disputed": "x", **v})
        return Reply.json({"verdicts": verdicts})

    server.handler = careful
    code, text, data = run_stage(tmp_path, "llm", llm_config(server, tmp_path))
    assert code == 0
    figures = data["overall"]["figures"]
    assert [figures[f"stage_{k}_accuracy"] for k in ("contradiction", "trap", "agreement")] == [
        1.0,
        1.0,
        1.0,
    ]
    assert figures["stage_type_accuracy"] == 1.0
    assert "NOT TRUSTWORTHY" not in text and "Judged wrong" not in text
    assert "contradictions judged contradict 1.00 (2 of 2)" in text


def test_the_offline_judge_has_figures_too(tmp_path: Path) -> None:
    tiny_case(tmp_path / "evals" / "fixtures")
    code, text, data = run_stage(tmp_path, "offline")
    assert code == 0 and data["backend"] == "offline" and data["deterministic"] is True
    figures = data["overall"]["figures"]
    assert figures["stage_calls"] == 0 and figures["stage_pairs"] == 4
    for name in ("contradiction", "trap", "agreement"):
        assert figures[f"stage_{name}_accuracy"] is not None
    assert "Judge alone on the labelled pairs" in text
    assert (tmp_path / "evals").is_dir() and "baseline-judge-offline.json" in text


def test_an_unknown_judge_is_one_line_and_exit_2(tmp_path: Path) -> None:
    tiny_case(tmp_path / "evals" / "fixtures")
    out = io.StringIO()
    code = eval_command(
        backend="nonsense",
        fixtures=tmp_path / "evals" / "fixtures",
        cases=None,
        baseline=None,
        update_baseline=False,
        out=tmp_path / "out.json",
        console=Console(file=out, width=250, color_system=None),
        stage="judge",
    )
    assert code == 2 and "unknown backend 'nonsense'" in out.getvalue()


def test_cli_eval_stage_judge(server: FakeOpenAI, tmp_path: Path) -> None:
    tiny_case(tmp_path / "evals" / "fixtures")
    server.handler = judging_everything("contradict")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    env.pop("OPENAI_API_KEY", None)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "agent",
            "eval",
            "--stage",
            "judge",
            "--backend",
            "llm",
            "--base-url",
            server.base_url,
            "--model",
            "m",
            "--fixtures",
            str(tmp_path / "evals" / "fixtures"),
            "--out",
            str(tmp_path / "judge.json"),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "cannot be trusted as a judge" in done.stdout
    data = json.loads((tmp_path / "judge.json").read_text())
    assert data["stage"] == "judge" and data["overall"]["figures"]["stage_trap_accuracy"] == 0.0
