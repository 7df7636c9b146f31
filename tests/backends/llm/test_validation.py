"""What counts as a valid answer (issue 10, items 13 and 14): grounding is part of
validating an extraction, and a pair the model never judged is unjudged, never "unrelated"."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

from agent.backends.llm.config import LLMConfig
from agent.models import Report
from agent.pipeline import run_pipeline
from agent.summary import print_summary
from tests.backends.llm.conftest import article_id_of, claim, is_judge, model, user_text
from tests.support.fake_openai import FakeOpenAI, RecordedRequest, Reply, judged_pairs

NORTH = "The harbour office said the ferry route covers only the northern islands.\n"
SOUTH = "The island council said the ferry route serves the southern islands too.\n"
GOOD = {
    "north": [claim("the ferry route covers only the northern islands")],
    "south": [claim("the ferry route serves the southern islands too", "Island council")],
}
INVENTED = claim("the ferry sank with all hands")


def articles_in(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir(exist_ok=True)
    (folder / "north.txt").write_text(NORTH)
    (folder / "south.txt").write_text(SOUTH)
    return folder


def run(folder: Path, config: LLMConfig, out: Path) -> Report:
    return run_pipeline([folder], backend="llm", llm=config, log_path=out / "llm-calls.jsonl")


def summary_of(report: Report) -> str:
    console = Console(record=True, width=200)
    print_summary(report, console)
    return console.export_text()


# -- 13. grounding is validation ---------------------------------------------------------------


def test_an_ungrounded_answer_is_not_cached_and_the_fixed_model_is_asked_again(
    server: FakeOpenAI, config: LLMConfig, tmp_path: Path
) -> None:
    folder = articles_in(tmp_path)
    server.handler = model({"north": [*GOOD["north"], INVENTED], "south": GOOD["south"]})
    first = run(folder, config, tmp_path / "one")
    assert [e.error for e in first.errors] == ["dropped 1 claim(s) whose quote is not in the text"]
    reask = [r for r in server.chat_requests() if "not exact words" in user_text(r)]
    assert len(reask) == 1 and "- the ferry sank with all hands" in user_text(reask[0])

    server.handler = model(GOOD)  # the model is fixed
    server.clear()
    second = run(folder, config, tmp_path / "two")
    asked = [r for r in server.chat_requests() if not is_judge(r)]
    assert len(asked) == 1, "north's failing answer was cached"  # south's passed: cached
    assert second.errors == []


def test_a_reask_that_fixes_the_quote_is_what_is_cached(
    server: FakeOpenAI, config: LLMConfig, tmp_path: Path
) -> None:
    folder = articles_in(tmp_path)
    good = model(GOOD)

    def fixed_when_told(request: RecordedRequest) -> Reply:
        if is_judge(request) or "not exact words" in user_text(request):
            return good(request)
        return model({"north": [INVENTED], "south": GOOD["south"]})(request)

    server.handler = fixed_when_told
    first = run(folder, config, tmp_path / "one")
    assert first.errors == [] and {c.article_id for c in first.claims} == {"north", "south"}
    server.clear()
    again = run(folder, config, tmp_path / "two")
    assert [r for r in server.chat_requests() if not is_judge(r)] == []
    assert [c.quote for c in again.claims] == [c.quote for c in first.claims]


def test_a_cached_ungrounded_answer_from_an_earlier_version_is_asked_again(
    server: FakeOpenAI, config: LLMConfig, tmp_path: Path
) -> None:
    from agent.backends.disk_cache import DiskCache
    from agent.backends.llm import extract
    from agent.backends.llm.client import cache_key
    from agent.backends.llm.schemas import Extraction
    from agent.ingest import ingest

    folder = articles_in(tmp_path)
    [north] = [a for a in ingest([folder]).articles if a.id == "north"]
    messages = extract.messages_for(north, config.max_claims)
    key = cache_key(
        config.endpoint,
        config.model,
        extract.template_hash(),
        Extraction.model_json_schema(),
        {"temperature": config.temperature},
        messages,
    )
    poisoned = DiskCache(config.cache_dir)
    poisoned.set(key, Extraction.model_validate({"claims": [INVENTED]}).model_dump_json())
    poisoned.close()
    server.handler = model(GOOD)
    report = run(folder, config, tmp_path / "out")
    assert report.errors == []
    assert "north" in [article_id_of(r) for r in server.chat_requests()]


# -- 14. a pair never judged is not a negative -------------------------------------------------


def _verdicts_for(request: RecordedRequest, skip: set[int]) -> Reply:
    pairs = [p.number for p in judged_pairs(user_text(request))]
    verdicts = [{"pair": n, "relation": "unrelated"} for n in pairs if n not in skip]
    return Reply.json({"verdicts": verdicts})


def three_articles(tmp_path: Path) -> Path:
    folder = articles_in(tmp_path)
    (folder / "west.txt").write_text(
        "The port authority said the ferry route covers the western islands.\n"
    )
    return folder


CLAIMS3 = {
    **GOOD,
    "west": [claim("the ferry route covers the western islands", "Port authority")],
}


def test_a_pair_the_model_skipped_is_asked_again_then_counted_unjudged(
    server: FakeOpenAI, config: LLMConfig, tmp_path: Path
) -> None:
    extract = model(CLAIMS3)

    def skip_pair_one(request: RecordedRequest) -> Reply:
        return _verdicts_for(request, {1}) if is_judge(request) else extract(request)

    server.handler = skip_pair_one
    report = run(three_articles(tmp_path), config, tmp_path / "out")
    pairs = report.stats.candidate_pairs
    assert pairs >= 2
    judge_calls = [r for r in server.chat_requests() if is_judge(r)]
    assert len(judge_calls) == 2 and "no verdict for pair(s) 1" in user_text(judge_calls[1])
    assert report.stats.unjudged_pairs == 1
    [error] = report.errors
    assert error.error.startswith(f"the model gave no verdict: 1 of {pairs} pairs not judged: ")
    text = summary_of(report)
    assert f"{pairs - 1} pairs judged" in text and "1 pairs were not judged" in text


def test_an_empty_verdict_list_judges_nothing(
    server: FakeOpenAI, config: LLMConfig, tmp_path: Path
) -> None:
    extract = model(GOOD)
    server.handler = lambda r: Reply.json({"verdicts": []}) if is_judge(r) else extract(r)
    report = run(articles_in(tmp_path), config, tmp_path / "out")
    assert report.stats.candidate_pairs == 1 and report.stats.unjudged_pairs == 1
    assert report.contradictions == [] and report.agreements == []
    assert [e.error.split(":")[0] for e in report.errors] == ["the model gave no verdict"]
    text = summary_of(report)
    assert "No contradictions found" not in text
    assert "Nothing was judged: none of the 1 candidate pairs got a verdict" in text


def test_a_contradiction_without_a_type_is_not_unrelated(
    server: FakeOpenAI, config: LLMConfig, tmp_path: Path
) -> None:
    server.handler = model(GOOD, lambda _: {"relation": "contradict", "type": None})
    report = run(articles_in(tmp_path), config, tmp_path / "out")
    assert report.stats.unjudged_pairs == 1
    judge_calls = [r for r in server.chat_requests() if is_judge(r)]
    assert '"contradict" without a "type" for pair(s) 1' in user_text(judge_calls[-1])


def test_a_failed_judging_call_counts_its_pairs_unjudged(
    server: FakeOpenAI, config: LLMConfig, tmp_path: Path
) -> None:
    extract = model(GOOD)
    server.handler = lambda r: Reply.error(500, "judge down") if is_judge(r) else extract(r)
    report = run(articles_in(tmp_path), config, tmp_path / "out")
    assert report.stats.unjudged_pairs == report.stats.candidate_pairs == 1
    [error] = report.errors
    assert error.error.startswith("judging failed: HTTP 500 from ")
    assert "1 of 1 pairs not judged: " in error.error
    assert all(c.id in error.error for c in report.claims)  # the pair is named
    assert "Nothing was judged" in summary_of(report)
