"""LLM extraction (issue 13, items 1, 2 and 6): repeated claims folded during validation, an
answer that is mostly repetition asked again once, quotes retyped by the model grounded to the
article's own words, and every field of both schemas described to the endpoint."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from agent.backends.llm.config import LLMConfig
from agent.pipeline import run_pipeline
from tests.backends.llm.conftest import article_id_of, body_json, claim, is_judge, model, user_text
from tests.support.fake_openai import FakeOpenAI, RecordedRequest, Reply

TEXT = (
    "The harbour office said the ferry route covers only the northern islands. "
    "It added that 412 passengers travelled on Monday, a record for the season. "
    "The island council said the route serves the southern islands too.\n"
)


def folder_with(tmp_path: Path, text: str = TEXT) -> Path:
    root = tmp_path / "articles"
    root.mkdir(exist_ok=True)
    (root / "ferry.txt").write_text(text)
    return root


def extraction_requests(server: FakeOpenAI) -> list[RecordedRequest]:
    return [r for r in server.chat_requests() if not is_judge(r)]


ROUTE = claim("the ferry route covers only the northern islands")
PASSENGERS = claim("412 passengers travelled on Monday")
COUNCIL = claim("the route serves the southern islands too", "Island council")


def test_repeated_claims_in_one_answer_are_folded(
    server: FakeOpenAI, config: LLMConfig, tmp_path: Path
) -> None:
    same_words = dict(ROUTE)  # the same quote and claimant again
    same_statement = {**claim("412 passengers travelled"), "statement": PASSENGERS["statement"]}
    nearly = claim("the ferry route covers only the northern")  # 90% of ROUTE's words
    both_said = claim("the route serves the southern islands too", "Harbour office")
    answer = [ROUTE, PASSENGERS, COUNCIL, same_words, same_statement, nearly, both_said]
    server.handler = model({"ferry": answer})
    report = run_pipeline([folder_with(tmp_path)], backend="llm", llm=config)
    # 3 of 7 were repeats, not most of the answer: folded without a re-ask.
    assert len(extraction_requests(server)) == 1
    kept = sorted((c.claimant, c.quote) for c in report.claims)
    assert kept == [
        ("Harbour office", "412 passengers travelled on Monday"),
        ("Harbour office", "the ferry route covers only the northern islands"),
        # Two claimants on the same words are two claims, not a repeat.
        ("Harbour office", "the route serves the southern islands too"),
        ("Island council", "the route serves the southern islands too"),
    ]


def test_an_answer_mostly_repetition_is_asked_again_once(
    server: FakeOpenAI, config: LLMConfig, tmp_path: Path
) -> None:
    looping = [ROUTE, PASSENGERS, *([dict(ROUTE)] * 18)]  # 20 claims, 18 the same claim
    judge = model({})

    def loops_until_told(request: RecordedRequest) -> Reply:
        if is_judge(request):
            return judge(request)
        if "repeats itself" in user_text(request):
            return Reply.json({"claims": [ROUTE, PASSENGERS, COUNCIL]})
        return Reply.json({"claims": looping})

    server.handler = loops_until_told
    report = run_pipeline([folder_with(tmp_path)], backend="llm", llm=config)
    asked = extraction_requests(server)
    assert len(asked) == 2
    assert "Your answer repeats itself: 18 of 20 claims repeat another claim" in user_text(asked[1])
    assert len(report.claims) == 3 and report.errors == []

    server.clear()  # the fixed answer was cached: a re-run asks nothing
    run_pipeline([folder_with(tmp_path)], backend="llm", llm=config)
    assert extraction_requests(server) == []


def test_a_model_that_keeps_looping_is_folded_and_not_cached(
    server: FakeOpenAI, config: LLMConfig, tmp_path: Path
) -> None:
    server.handler = model({"ferry": [ROUTE, *([dict(ROUTE)] * 9)]})
    report = run_pipeline([folder_with(tmp_path)], backend="llm", llm=config)
    assert len(extraction_requests(server)) == 2  # asked once again, no more
    assert [c.quote for c in report.claims] == [ROUTE["quote"]]
    server.clear()
    run_pipeline([folder_with(tmp_path)], backend="llm", llm=config)
    assert len(extraction_requests(server)) == 2, "a looping answer was cached"


def test_a_quote_retyped_by_the_model_is_the_articles_own_words(
    server: FakeOpenAI, config: LLMConfig, tmp_path: Path
) -> None:
    text = "The minister said the ban “had deliberately been kept secret” — until Monday…\n"
    retyped = claim("the ban 'had deliberately been kept secret' - until Monday...")
    server.handler = model({"ferry": [retyped]})
    report = run_pipeline([folder_with(tmp_path, text)], backend="llm", llm=config)
    [found] = report.claims
    assert found.quote == "the ban “had deliberately been kept secret” — until Monday…"
    assert text[found.start : found.end] == found.quote
    assert len(extraction_requests(server)) == 1  # found at once: no re-ask, no claim lost


def _undescribed(schema: dict[str, Any]) -> list[str]:
    """Fields of a JSON schema (its root and $defs) without a description."""
    missing: list[str] = []
    for name, model_schema in [("root", schema), *schema.get("$defs", {}).items()]:
        for field, spec in model_schema.get("properties", {}).items():
            if not str(spec.get("description", "")).strip():
                missing.append(f"{name}.{field}")
    return missing


def test_every_field_of_both_schemas_sent_to_the_endpoint_is_described(
    server: FakeOpenAI, config: LLMConfig, tmp_path: Path
) -> None:
    folder = folder_with(tmp_path)
    (folder / "other.txt").write_text("The island council said the route serves the south too.\n")
    server.handler = model(
        {"ferry": [ROUTE], "other": [claim("the route serves the south too", "Island council")]}
    )
    run_pipeline([folder], backend="llm", llm=config)
    sent: dict[str, dict[str, Any]] = {}
    for request in server.chat_requests():
        fmt = body_json(request)["response_format"]["json_schema"]
        sent[fmt["name"]] = fmt["schema"]
    assert set(sent) == {"extraction", "judging"}
    for name, schema in sent.items():
        assert _undescribed(schema) == [], name
        assert schema.get("description"), name
    claimant = sent["extraction"]["$defs"]["ExtractedClaim"]["properties"]["claimant"]
    assert "the outlet" in claimant["description"]
    assert article_id_of(extraction_requests(server)[0]) in {"ferry", "other"}


# An invented article of Tuesday 13 October 2020: one weekday ahead, one behind.
WEEKDAYS_TEXT = (
    "date 2020-10-13\n\n"
    "The harbour office said the ferry was repaired on Wednesday after a fault. "
    "The island council will vote on the timetable on Wednesday. "
    "The harbour office said the route is due to reopen on Friday.\n"
)


def test_weekdays_of_llm_claims_resolve_as_the_offline_reader_resolves_them(
    server: FakeOpenAI, config: LLMConfig, tmp_path: Path
) -> None:
    repaired = {**claim("the ferry was repaired on Wednesday after a fault"), "time": "Wednesday"}
    # A short quote without its "will": the model's statement says the tense.
    vote = {
        **claim("vote on the timetable on Wednesday", "Island council"),
        "statement": "The island council will vote on the timetable on Wednesday.",
        "time": "on Wednesday",
    }
    reopen = {**claim("the route is due to reopen on Friday"), "time": "Friday"}
    server.handler = model({"ferry": [repaired, vote, reopen]})
    report = run_pipeline([folder_with(tmp_path, WEEKDAYS_TEXT)], backend="llm", llm=config)
    dates = {c.quote: str(c.time.date) if c.time else None for c in report.claims}
    assert dates == {
        # What happened: the Wednesday before publication.
        "the ferry was repaired on Wednesday after a fault": "2020-10-07",
        # What will happen (timeref's future rule): the coming one.
        "vote on the timetable on Wednesday": "2020-10-14",
        "the route is due to reopen on Friday": "2020-10-16",
    }
