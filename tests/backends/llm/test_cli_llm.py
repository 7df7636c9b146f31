"""`reconcile` picks and reports the LLM backend, and --dry-run calls nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.backends.llm.conftest import claim, model
from tests.conftest import SEEDS
from tests.support.fake_openai import FakeOpenAI


def reconcile(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "agent", *args],
        cwd=cwd,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_auto_uses_the_configured_endpoint_and_says_which_model(
    server: FakeOpenAI, tmp_path: Path
) -> None:
    (tmp_path / "a.txt").write_text(
        "The harbour office said the ferry route covers only the north.\n"
    )
    server.handler = model({"a": [claim("the ferry route covers only the north")]})
    env = {"OPENAI_BASE_URL": server.base_url, "RECONCILE_MODEL": "tiny-model"}
    result = reconcile(
        str(tmp_path / "a.txt"),
        "--cache-dir",
        str(tmp_path / "c"),
        "--out",
        "out",
        env=env,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "backend llm:tiny-model" in result.stdout
    assert "LLM tiny-model" in result.stdout
    data = json.loads((tmp_path / "out" / "report.json").read_text())
    assert data["backend"] == "llm:tiny-model"
    assert data["llm"]["requests"] >= 1


def test_dry_run_counts_and_calls_nothing(server: FakeOpenAI, tmp_path: Path) -> None:
    env = {"OPENAI_BASE_URL": server.base_url, "OPENAI_API_KEY": "k"}
    result = reconcile(str(SEEDS), "--dry-run", env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Dry run: nothing was sent." in result.stdout
    assert "extract_calls: 3" in result.stdout
    assert server.requests == []
    assert not (tmp_path / "reconcile-out").exists()


def test_backend_llm_without_endpoint_is_a_usage_error(tmp_path: Path) -> None:
    result = reconcile(str(SEEDS), "--backend", "llm", env={}, cwd=tmp_path)
    assert result.returncode == 2
    assert "needs an endpoint" in result.stderr
