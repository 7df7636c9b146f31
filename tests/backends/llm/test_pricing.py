"""What a run costs (issue 14, item 9): --dry-run says which backend would run, an unknown
price says how to give one, and --price-in/--price-out price a run; against the project's
fake endpoint on 127.0.0.1."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from agent.backends.llm.config import ConfigError, LLMConfig, load_config
from agent.backends.llm.pricing import cost_usd, price_of
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


def test_dry_run_without_an_endpoint_says_the_run_is_offline_and_free(tmp_path: Path) -> None:
    result = reconcile(str(SEEDS), "--dry-run", env={}, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    text = " ".join(result.stdout.split())
    assert "backend: offline (no endpoint is configured" in text
    assert "articles: 3" in text and "calls no model" in text
    assert "api.openai.com" not in text and "cost_usd" not in text
    assert not (tmp_path / "reconcile-out").exists()


def test_dry_run_with_an_endpoint_names_the_llm_and_why(server: FakeOpenAI, tmp_path: Path) -> None:
    env = {"OPENAI_BASE_URL": server.base_url}
    result = reconcile(str(SEEDS), "--dry-run", "--model", "fake-model", env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    text = " ".join(result.stdout.split())
    assert f"backend: llm:fake-model at {server.base_url} (OPENAI_BASE_URL is set)" in text
    # A local server is never priced as a hosted model; the user is told what to do.
    assert (
        "cost_usd: no price known for fake-model; pass --price-in/--price-out "
        "(US dollars per million tokens)" in text
    )
    assert "None" not in text and "pricing.py" not in text
    assert server.requests == []


def test_dry_run_with_prices_given_estimates_with_them(server: FakeOpenAI, tmp_path: Path) -> None:
    env = {"OPENAI_BASE_URL": server.base_url}
    result = reconcile(
        str(SEEDS), "--dry-run", "--json", "--price-in", "2", "--price-out", "8", env=env,
        cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    plan = json.loads(result.stdout)
    expected = (plan["prompt_tokens"] * 2 + plan["completion_tokens"] * 8) / 1e6
    assert plan["cost_usd"] == pytest.approx(expected)
    assert plan["prices_as_of"] == "--price-in/--price-out"


def test_one_price_without_the_other_is_a_usage_error(tmp_path: Path) -> None:
    result = reconcile(str(SEEDS), "--price-in", "1", env={}, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "error: --price-in and --price-out go together: give both, per million tokens"
    ]
    with pytest.raises(ConfigError):
        load_config(price_out=3.0)


def test_a_run_with_prices_given_reports_its_cost(server: FakeOpenAI, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("The harbour office said the ferry covers only the north.\n")
    server.handler = model({"a": [claim("the ferry covers only the north")]})
    env = {"OPENAI_BASE_URL": server.base_url}
    args = [str(tmp_path / "a.txt"), "--out", "out", "--model", "fake-model"]
    unpriced = reconcile(*args, env=env, cwd=tmp_path)
    assert unpriced.returncode == 0, unpriced.stderr
    shown = " ".join(unpriced.stdout.split())
    assert "no price known for fake-model; pass --price-in/--price-out" in shown
    priced = reconcile(*args, "--no-cache", "--price-in", "1", "--price-out", "4", env=env,
                       cwd=tmp_path)  # fmt: skip
    assert priced.returncode == 0, priced.stderr
    llm = json.loads((tmp_path / "out" / "report.json").read_text())["llm"]
    tokens = llm["total"]
    assert tokens["prompt_tokens"] > 0
    expected = (tokens["prompt_tokens"] * 1 + tokens["completion_tokens"] * 4) / 1e6
    assert llm["cost_usd"] == pytest.approx(expected)
    assert llm["prices_as_of"] == "--price-in/--price-out"
    assert f"cost ${expected:.4f} (--price-in/--price-out)" in " ".join(priced.stdout.split())


def test_openai_models_are_priced_from_genai_prices_and_local_ones_are_not() -> None:
    hosted = price_of(LLMConfig(model="gpt-4o-mini"))
    assert hosted is not None
    assert (hosted.prompt, hosted.completion) == (Decimal("0.15"), Decimal("0.6"))
    assert hosted.source.startswith("genai-prices ")
    assert cost_usd(LLMConfig(model="gpt-4o-mini"), 10**6, 10**6) == pytest.approx(0.75)
    # The same model name behind a local server is not a hosted model's price.
    local = LLMConfig(model="gpt-4o-mini", base_url="http://127.0.0.1:8765/v1")
    assert price_of(local) is None
    assert price_of(LLMConfig(model="no-such-model-anywhere")) is None
