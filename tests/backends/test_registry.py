"""The backend registry (issue 13, item 8): a backend is one module and one entry; the
protocol's info() names it, says whether it is deterministic, and carries its usage."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest

from agent.backends import BackendError, get_backend
from agent.backends.base import BackendInfo, Estimate, ExtractOutcome, OutcomeHook, ProgressHook
from agent.backends.mixed import MixedBackend, merged_usage
from agent.backends.registry import (
    REGISTRY,
    Entry,
    Settings,
    choices,
    is_deterministic,
    make_backend,
    resolve,
)
from agent.ids import stable_id
from agent.models import Article, Claim, InputError, Judgement, LLMRunInfo, StageUsage
from agent.pairing import Candidate
from agent.pipeline import run_pipeline


class EveryoneAgrees:
    """A backend written for this test: each article's first line is its one claim, and
    every pair agrees. Nothing else in the package knows of it."""

    def info(self) -> BackendInfo:
        return BackendInfo(name="agreeable", deterministic=True)

    def extract_all(
        self, articles: Sequence[Article], emit: OutcomeHook, progress: ProgressHook | None = None
    ) -> None:
        for article in articles:
            end = article.text.index("\n")
            claim = Claim(
                id=stable_id("cl", article.sha256, 0, end),
                article_id=article.id,
                statement=article.text[:end],
                claimant="the outlet",
                claimant_kind="outlet",
                quote=article.text[:end],
                start=0,
                end=end,
            )
            emit(ExtractOutcome(article, [claim]))

    def pair(
        self, claims: Sequence[Claim], copies: Mapping[str, str] | None = None
    ) -> list[Candidate]:
        return [
            Candidate(a, b, 1.0, 1.0, (), "lexical")
            for i, a in enumerate(claims)
            for b in claims[i + 1 :]
        ]

    def judge(
        self,
        candidates: Sequence[Candidate],
        articles: dict[str, Article],
        progress: ProgressHook | None = None,
    ) -> tuple[list[Judgement], list[InputError]]:
        return [
            Judgement(a=c.a.id, b=c.b.id, relation="agree", summary="Agreed.") for c in candidates
        ], []

    def forecast_claims(self, articles: Sequence[Article]) -> tuple[list[Claim], Estimate]:
        return [], Estimate()

    def forecast_judging(
        self, candidates: Sequence[Candidate], articles: dict[str, Article]
    ) -> Estimate:
        return Estimate()


@pytest.fixture
def agreeable(monkeypatch: pytest.MonkeyPatch) -> None:
    entry = Entry("agreeable", lambda _: EveryoneAgrees(), True, lambda _: False, "a test")
    monkeypatch.setitem(REGISTRY, "agreeable", entry)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "articles"
    root.mkdir()
    (root / "a.txt").write_text("The council said the bridge reopened on Monday.\nMore.\n")
    (root / "b.txt").write_text("The mayor said the bridge reopened on Monday.\nMore.\n")
    return root


def test_a_new_backend_is_one_module_and_one_entry(agreeable: None, folder: Path) -> None:
    report = run_pipeline([folder], backend="agreeable")
    assert report.backend == "agreeable" and report.llm is None
    assert len(report.agreements) == 1 and "agreeable" in choices()
    # It mixes with the others like any entry: offline claims, its verdicts.
    mixed = run_pipeline([folder], backend="offline", judge="agreeable")
    assert mixed.backend == "offline+agreeable"
    assert mixed.agreements and {c.claimant for c in mixed.claims} != {"the outlet"}


def test_auto_is_the_first_usable_entry(monkeypatch: pytest.MonkeyPatch) -> None:
    assert resolve("auto", Settings()).name == "offline"  # no endpoint configured
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    assert resolve("auto", Settings()).name == "llm"
    with pytest.raises(BackendError, match=r"unknown backend 'nope' \(choose auto, llm or offline"):
        resolve("nope", Settings())


def test_determinism_comes_from_the_entries(agreeable: None) -> None:
    assert is_deterministic("offline")
    assert is_deterministic("offline", judge="agreeable")
    assert not is_deterministic("offline", judge="llm")
    assert not is_deterministic("llm", extract="offline")


def test_an_llm_stage_without_an_endpoint_is_a_usage_error() -> None:
    with pytest.raises(BackendError, match="needs an endpoint"):
        get_backend("offline", judge="llm")


def test_same_stage_names_make_one_backend_and_different_ones_a_mix(agreeable: None) -> None:
    assert isinstance(make_backend("agreeable"), EveryoneAgrees)
    mixed = make_backend("agreeable", extract="agreeable", judge="offline")
    assert isinstance(mixed, MixedBackend)
    info = mixed.info()
    assert (info.name, info.deterministic, info.usage) == ("agreeable+offline", True, None)


def test_the_usage_of_two_model_stages_is_added_up() -> None:
    def usage(calls: int, stage: str) -> LLMRunInfo:
        used = StageUsage(calls=calls, prompt_tokens=10 * calls)
        return LLMRunInfo(
            model="m", endpoint="e", stages={stage: used}, total=used, requests=calls, cost_usd=1.0
        )

    both = merged_usage(usage(2, "extract"), usage(3, "judge"))
    assert both is not None
    assert (both.total.calls, both.total.prompt_tokens, both.requests) == (5, 50, 5)
    assert set(both.stages) == {"extract", "judge"} and both.cost_usd == 2.0
    assert merged_usage(None, usage(1, "judge")) == usage(1, "judge")
    assert merged_usage(None, None) is None
