"""The LLM judge (issue 13, items 3 and 7): a prompt with nothing to copy, reasoning before
the verdict, summaries checked against their own pair, few calls, verdicts reused across runs.
Against the fake endpoint on 127.0.0.1; nothing in the client is patched."""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path
from typing import Any

import pytest

from agent.backends.llm import judge as llm_judge
from agent.backends.llm import prompts
from agent.backends.llm.config import LLMConfig
from agent.models import Article, Claim
from agent.pairing import Candidate
from agent.pipeline import estimate_run, run_pipeline
from tests.backends.llm.conftest import body_json, claim, is_judge, model, user_text
from tests.support.corpus import generate
from tests.support.fake_openai import (
    FakeOpenAI,
    RecordedRequest,
    Reply,
    judged_pairs,
    quoting_model,
)

NORTH = "The harbour office said the ferry route covers only the northern islands.\n"
SOUTH = "The island council said the ferry route serves the southern islands too.\n"
WEST = "The island council said the ferry route serves the western islands too.\n"
CLAIMS = {
    "north": [claim("the ferry route covers only the northern islands")],
    "south": [claim("the ferry route serves the southern islands too", "Island council")],
    "west": [claim("the ferry route serves the western islands too", "Island council")],
}


def folder_of(tmp_path: Path, *names: str) -> Path:
    texts = {"north": NORTH, "south": SOUTH, "west": WEST}
    root = tmp_path / "articles"
    root.mkdir(exist_ok=True)
    for name in names:
        (root / f"{name}.txt").write_text(texts[name])
    return root


# -- 3. nothing to copy, reasoning first --------------------------------------------------------


def test_the_prompt_shows_each_relation_and_no_confidence_to_copy() -> None:
    text = prompts.render("judge", claims=[], pairs=[])
    example = json.loads(text[text.index('{"verdicts"') : text.index("]}") + 2])["verdicts"]
    relations = [v["relation"] for v in example]
    assert {"agree", "contradict", "unrelated"} <= set(relations)
    assert len({v["type"] for v in example if v["relation"] == "contradict"}) >= 2
    assert any("not denied" in v["disputed"] for v in example if v["relation"] == "agree")
    # No confidence (or certainty) value in the examples: nothing for a model to copy.
    assert not any({"confidence", "certainty"} & set(v) for v in example)
    assert not re.search(r"0\.\d", text)
    assert all(list(v)[:3] == ["pair", "disputed", "relation"] for v in example)


def test_the_schema_sent_asks_for_the_disputed_element_before_the_verdict(
    server: FakeOpenAI, config: LLMConfig, tmp_path: Path
) -> None:
    server.handler = model(CLAIMS)
    run_pipeline([folder_of(tmp_path, "north", "south")], backend="llm", llm=config)
    judging = next(r for r in server.chat_requests() if is_judge(r))
    schema = body_json(judging)["response_format"]["json_schema"]["schema"]
    fields = list(schema["$defs"]["Verdict"]["properties"])
    assert fields.index("disputed") < fields.index("relation") < fields.index("summary")
    assert "confidence" not in fields
    assert schema["$defs"]["Verdict"]["properties"]["certainty"]["enum"] == [
        "high",
        "medium",
        "low",
    ]


def test_certainty_words_become_the_reports_confidence(
    server: FakeOpenAI, config: LLMConfig, tmp_path: Path
) -> None:
    def sure(_: str) -> dict[str, Any]:
        return {"relation": "contradict", "type": "scope", "certainty": "high"}

    server.handler = model(CLAIMS, sure)
    report = run_pipeline([folder_of(tmp_path, "north", "south")], backend="llm", llm=config)
    [flag] = report.contradictions
    assert flag.confidence == 0.9 and "llm" in flag.cues


def test_a_summary_not_naming_its_claimants_is_asked_again_naming_the_failure(
    server: FakeOpenAI, config: LLMConfig, tmp_path: Path
) -> None:
    good = model(CLAIMS)

    def anchored(request: RecordedRequest) -> Reply:
        if not is_judge(request):
            return good(request)
        if "does not name" in user_text(request):  # the re-ask
            summary = "The harbour office says only the north; the island council the south too."
        else:
            summary = "The route covers only some islands."  # names nobody
        pairs = judged_pairs(user_text(request))
        verdicts = [
            {"pair": p.number, "relation": "contradict", "type": "scope", "summary": summary}
            for p in pairs
        ]
        return Reply.json({"verdicts": verdicts})

    server.handler = anchored
    report = run_pipeline([folder_of(tmp_path, "north", "south")], backend="llm", llm=config)
    reasks = [r for r in server.chat_requests() if "does not name" in user_text(r)]
    assert len(reasks) == 1
    asked = user_text(reasks[0])
    assert re.search(
        r"the summary of pair 1 does not name (Harbour office|Island council) or", asked
    )
    assert "Harbour office" in asked[asked.index("does not name") :]
    assert report.contradictions[0].summary.startswith("The harbour office says only")


def test_a_summary_reused_across_pairs_is_rejected(
    server: FakeOpenAI, config: LLMConfig, tmp_path: Path
) -> None:
    good = model(CLAIMS)
    copied = "The harbour office and the island council disagree on the route."

    def copying(request: RecordedRequest) -> Reply:
        if not is_judge(request):
            return good(request)
        verdicts = [
            {"pair": p.number, "relation": "contradict", "type": "scope", "summary": copied}
            for p in judged_pairs(user_text(request))
        ]
        return Reply.json({"verdicts": verdicts})

    server.handler = copying
    folder = folder_of(tmp_path, "north", "south", "west")
    report = run_pipeline([folder], backend="llm", llm=config)
    reasks = [r for r in server.chat_requests() if "have the same summary" in user_text(r)]
    assert len(reasks) == 1 and "pairs 1, 2, 3 have the same summary" in user_text(reasks[0])
    # Still copied after the re-ask: the verdicts stand, each summary is written from its own
    # pair's claims (and says so), and nothing of that answer is cached.
    flags = [c for c in report.contradictions if c.summary != copied]
    assert len(flags) == len(report.contradictions) >= 2
    assert len({c.summary for c in flags}) == len(flags)
    assert all(any("summary written from the claims" in cue for cue in c.cues) for c in flags)
    server.clear()
    run_pipeline([folder], backend="llm", llm=config)
    assert any(is_judge(r) for r in server.chat_requests()), "a failing answer was cached"


def test_an_unrelated_verdict_needs_no_summary(
    server: FakeOpenAI, config: LLMConfig, tmp_path: Path
) -> None:
    server.handler = model(CLAIMS)  # every pair "unrelated", no summary
    run_pipeline([folder_of(tmp_path, "north", "south")], backend="llm", llm=config)
    assert sum(is_judge(r) for r in server.chat_requests()) == 1  # no re-ask


def test_names_accepts_a_surname_or_a_word_of_the_claimant() -> None:
    assert llm_judge.names("Lind says the dam held.", "Ana Lind")
    assert llm_judge.names("The union disagrees.", "drivers' union")
    assert not llm_judge.names("The dam held, officials say.", "Ana Lind")
    assert not llm_judge.names("They said so.", "the outlet")


# -- 7. few calls, claims listed once, verdicts reused ------------------------------------------


def _claim(article: str, n: int) -> Claim:
    return Claim(
        id=f"cl-{article}-{n}",
        article_id=article,
        statement=f"Statement {n} of {article} about the ferry route and the islands.",
        claimant=f"Speaker {n}",
        quote=f"words {n}",
        start=n,
        end=n + 5,
    )


def test_pairs_share_a_request_and_each_claim_is_listed_once(tmp_path: Path) -> None:
    # Ten claims of one article, each paired with the same three claims of another: 30 pairs
    # over 13 claims. The old batches (8 pairs a call, both claims written out for every pair)
    # took 4 calls and wrote 60 claims.
    config = LLMConfig(cache_dir=tmp_path)
    ours = [_claim("a", n) for n in range(10)]
    theirs = [_claim("b", n) for n in range(3)]
    pairs = [Candidate(x, y, 0.5, 0.5, (), "lexical") for x in ours for y in theirs]
    articles: dict[str, Article] = {}
    batches = llm_judge.plan_batches(pairs, articles, config)
    assert len(batches) == 1
    text = llm_judge.messages_for(batches[0], articles)[1]["content"]
    real = text[text.index("\nThe claims:\n") :]
    assert real.count("<claim n=") == 13 and real.count("<pair n=") == 30
    small = LLMConfig(cache_dir=tmp_path, pairs_per_call=8)
    assert [len(b.pairs) for b in llm_judge.plan_batches(pairs, articles, small)] == [8, 8, 8, 6]


def test_a_batch_stays_within_the_models_context(tmp_path: Path) -> None:
    config = LLMConfig(cache_dir=tmp_path, context_tokens=4096)
    long = [
        _claim("a", n).model_copy(update={"statement": "A long statement. " * 60})
        for n in range(12)
    ]
    pairs = [Candidate(x, y, 0.5, 0.5, (), "lexical") for x, y in itertools.pairwise(long)]
    batches = llm_judge.plan_batches(pairs, {}, config)
    assert len(batches) > 1
    for batch in batches:
        text = "".join(m["content"] for m in llm_judge.messages_for(batch, {}))
        answer = llm_judge.expected_answer_tokens(len(batch.pairs))
        assert len(text) // 4 + answer <= 4096


def test_verdicts_are_reused_when_a_later_run_adds_articles(
    server: FakeOpenAI, config: LLMConfig, tmp_path: Path
) -> None:
    server.handler = model(CLAIMS)
    run_pipeline([folder_of(tmp_path, "north", "south")], backend="llm", llm=config)
    server.clear()
    report = run_pipeline([folder_of(tmp_path, "west")], backend="llm", llm=config)
    judged = [p for r in server.chat_requests() if is_judge(r) for p in judged_pairs(user_text(r))]
    asked = {(p.a_claimant, p.b_claimant) for p in judged}
    # north/south was judged in the first run: only pairs with west's claim are asked.
    assert judged and all("western" in p.a_text + p.b_text for p in judged), asked
    assert report.llm is not None and report.llm.stages["judge"].cached >= 1
    extracted = [r for r in server.chat_requests() if not is_judge(r)]
    assert len(extracted) == 1  # north and south's claims come from the cache


@pytest.mark.parametrize("extract", ["llm", "offline"])
def test_the_dry_run_predicts_the_calls_within_20_percent(
    server: FakeOpenAI, config: LLMConfig, tmp_path: Path, extract: str
) -> None:
    folder = tmp_path / "corpus"
    generate(24).write(folder)
    server.handler = quoting_model
    config = config.model_copy(update={"timeout": 60.0})  # a loaded machine: no spurious retry
    forecast = estimate_run([folder], config, backend="llm", extract=extract)
    predicted = int(str(forecast["extract_calls"])) + int(str(forecast["judge_calls"]))
    assert server.requests == []
    report = run_pipeline([folder], backend="llm", extract=extract, llm=config)
    assert report.llm is not None
    real = report.llm.total.calls
    assert abs(predicted - real) <= 0.2 * real, (predicted, real)
    # Issue 13's target: at most 2 calls an article (8 pairs a call made it 5).
    assert real <= 2 * len(report.articles), real
    # Run again: everything is cached, and the dry run knows it.
    assert report.errors == [] and report.stats.unjudged_pairs == 0
    again = estimate_run([folder], config, backend="llm", extract=extract)
    assert (again["extract_calls"], again["judge_calls"]) == (0, 0)
