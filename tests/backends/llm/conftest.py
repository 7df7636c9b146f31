"""A real OpenAI-compatible server on 127.0.0.1 per test, and a config that points at it."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from agent.backends.llm.config import LLMConfig
from tests.support.fake_openai import FakeOpenAI, RecordedRequest, Reply, is_judging, judged_pairs

API_KEY = "sk-test-SECRET-do-not-write-7f3a"


@pytest.fixture
def server() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as srv:
        yield srv


@pytest.fixture
def config(server: FakeOpenAI, tmp_path: Path) -> LLMConfig:
    from pydantic import SecretStr

    return LLMConfig(
        model="fake-model",
        base_url=server.base_url,
        api_key=SecretStr(API_KEY),
        cache_dir=tmp_path / "cache",
        timeout=2.0,
        max_attempts=3,
        max_retry_seconds=10.0,
        retry_initial_wait=0.01,
        concurrency=4,
    )


def user_text(request: RecordedRequest) -> str:
    body = request.body or {}
    return "\n".join(m["content"] for m in body.get("messages", []) if m["role"] == "user")


def article_id_of(request: RecordedRequest) -> str | None:
    # The last fenced article is the real one; the prompt's invented example comes first.
    found = re.findall(r'<article id="([^"]+)">', user_text(request))
    return found[-1] if found else None


def is_judge(request: RecordedRequest) -> bool:
    return is_judging(user_text(request))


def claim(quote: str, claimant: str = "Harbour office", stance: str = "asserts") -> dict[str, Any]:
    return {
        "claimant": claimant,
        "stance": stance,
        "statement": f"{claimant} said {quote}.",
        "quote": quote,
        "sentences": [1],
        "time": None,
        "quantities": [],
    }


def model(
    claims_by_article: dict[str, list[dict[str, Any]]],
    verdict: Callable[[str], dict[str, Any]] | None = None,
) -> Callable[[RecordedRequest], Reply]:
    """A scripted model: extraction answers per article id; judging answers every pair with
    `verdict(side a's text)` (default: unrelated), and a summary naming both claimants when
    the verdict gives none."""

    def answer(request: RecordedRequest) -> Reply:
        if is_judge(request):
            verdicts = []
            for pair in judged_pairs(user_text(request)):
                v = verdict(pair.a_text) if verdict else {"relation": "unrelated"}
                if v.get("relation") != "unrelated" and "summary" not in v:
                    v = {
                        **v,
                        "summary": f"{pair.a_claimant} vs {pair.b_claimant}: pair {pair.number}.",
                    }
                verdicts.append({"pair": pair.number, **v})
            return Reply.json({"verdicts": verdicts})
        aid = article_id_of(request)
        return Reply.json({"claims": claims_by_article.get(aid or "", [])})

    return answer


def files_under(*roots: Path) -> list[Path]:
    return [p for root in roots if root.exists() for p in root.rglob("*") if p.is_file()]


def body_json(request: RecordedRequest) -> dict[str, Any]:
    return request.body if isinstance(request.body, dict) else json.loads(request.raw_body or "{}")
