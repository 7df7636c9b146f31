"""Endpoint faults (issue 10, items 6 to 12): each against a real socket on 127.0.0.1, and,
where the item is about what the user sees, through a real `reconcile` subprocess."""

from __future__ import annotations

import base64
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from agent.backends.llm.config import LLMConfig
from agent.models import Report
from agent.pipeline import run_pipeline
from tests.backends.llm.conftest import API_KEY, claim, files_under, model
from tests.support.fake_openai import (
    LLAMA_CPP_JSON_SCHEMA_MESSAGE,
    LLAMA_CPP_PYTHON_JSON_SCHEMA_MESSAGE,
    FakeOpenAI,
    Reply,
    echo_authorization,
    refused_url,
)

NORTH = "The harbour office said the ferry route covers only the northern islands.\n"
SOUTH = "The island council said the ferry route serves the southern islands too.\n"
CLAIMS = {
    "north": [claim("the ferry route covers only the northern islands")],
    "south": [claim("the ferry route serves the southern islands too", "Island council")],
}
HANG_BOUND = 40.0
"""Far below "forever", far above what a bounded run needs (startup included, on a loaded
2-core machine): a hang test, not a speed test."""


@pytest.fixture
def articles(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "north.txt").write_text(NORTH)
    (folder / "south.txt").write_text(SOUTH)
    return folder


def run(articles: Path, config: LLMConfig, out: Path) -> Report:
    return run_pipeline([articles], backend="llm", llm=config, log_path=out / "llm-calls.jsonl")


def reconcile(
    *args: str, env: dict[str, str], cwd: Path, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "agent", *args],
        cwd=cwd,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def cli_args(articles: Path, tmp_path: Path, *extra: str) -> tuple[str, ...]:
    out, cache = tmp_path / "out", tmp_path / "cache"
    return (str(articles), "--out", str(out), "--cache-dir", str(cache), *extra)


# -- 6. a 200 that is not a chat completion ----------------------------------------------------


def test_an_html_page_instead_of_an_answer_names_the_url_and_is_not_retried(
    server: FakeOpenAI, config: LLMConfig, articles: Path, tmp_path: Path
) -> None:
    server.handler = lambda r: Reply.html()
    report = run(articles, config, tmp_path / "out")
    assert len(report.errors) == 2
    for error in report.errors:
        assert f"{server.base_url}/chat/completions answered HTTP 200 with " in error.error
        assert "an HTML page, not a chat-completions JSON answer" in error.error
    assert server.count("chat/completions") == 2  # asking a web page again will not help


@pytest.mark.parametrize(
    "reply",
    [
        Reply.raw(200, "OK", content_type="text/plain"),
        Reply.raw(200, "<html><body>proxy</body></html>", content_type="application/json"),
    ],
    ids=["plain-text", "html-labelled-json"],
)
def test_other_non_json_200s_are_named_too(
    server: FakeOpenAI, config: LLMConfig, articles: Path, tmp_path: Path, reply: Reply
) -> None:
    server.handler = lambda r: reply
    report = run(articles, config, tmp_path / "out")
    assert report.errors and all(
        "not a chat-completions JSON answer" in e.error for e in report.errors
    )


def test_a_json_200_with_no_choices_is_a_failed_attempt(
    server: FakeOpenAI, config: LLMConfig, articles: Path, tmp_path: Path
) -> None:
    one = config.model_copy(update={"concurrency": 1})
    server.script(Reply.raw(200, '{"status": "ok"}'))
    server.handler = model(CLAIMS)
    report = run(articles, one, tmp_path / "out")
    assert report.errors == []
    assert {c.article_id for c in report.claims} == {"north", "south"}


def test_cli_an_html_page_is_one_error_line_per_article_and_a_report(
    server: FakeOpenAI, articles: Path, tmp_path: Path
) -> None:
    server.handler = lambda r: Reply.html()
    result = reconcile(
        *cli_args(articles, tmp_path), env={"OPENAI_BASE_URL": server.base_url}, cwd=tmp_path
    )
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and "AttributeError" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(lines) == 2
    assert all("an HTML page, not a chat-completions JSON answer" in line for line in lines)
    assert (tmp_path / "out" / "report.json").exists()


# -- 7. a bound on time --------------------------------------------------------------------------


def test_cli_a_slow_drip_endpoint_cannot_hold_a_run(
    server: FakeOpenAI, articles: Path, tmp_path: Path
) -> None:
    # A byte every 0.5 s: every socket read succeeds well within the 2 s timeout, so a
    # per-read timeout never fires and the ~300-byte answer would take minutes per attempt.
    server.handler = lambda r: Reply.drip(Reply.json({"claims": []}), interval=0.5)
    started = time.monotonic()
    try:
        result = reconcile(
            *cli_args(articles, tmp_path, "--timeout", "2", "--max-attempts", "2"),
            env={"OPENAI_BASE_URL": server.base_url},
            cwd=tmp_path,
            timeout=HANG_BOUND * 3,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"the run was still going after {HANG_BOUND * 3:.0f} s")
    took = time.monotonic() - started
    assert took < HANG_BOUND, f"took {took:.1f} s"
    assert result.returncode == 1, result.stderr
    assert result.stderr.count("timed out: no complete answer from") == 2
    assert "within 2 s (2 attempts" in result.stderr
    assert server.count("chat/completions") == 4  # 2 articles × 2 attempts


def test_one_request_never_outlasts_its_budget(
    server: FakeOpenAI, config: LLMConfig, articles: Path, tmp_path: Path
) -> None:
    slow = config.model_copy(
        update={"timeout": 0.5, "max_attempts": 3, "retry_initial_wait": 0.1, "concurrency": 2}
    )
    server.handler = lambda r: Reply.drip(Reply.json({"claims": []}), interval=0.2)
    started = time.monotonic()
    report = run(articles, slow, tmp_path / "out")
    took = time.monotonic() - started
    # Both articles in parallel: 3 × 0.5 s plus two waits of at most 0.2 and 0.3 s.
    assert slow.request_budget == pytest.approx(3 * 0.5 + 0.2 + 0.3)
    assert took < slow.request_budget + 1.5, f"took {took:.1f} s"
    assert len(report.errors) == 2 and all("timed out" in e.error for e in report.errors)


def test_a_retry_after_beyond_the_budget_is_not_waited_for(
    server: FakeOpenAI, config: LLMConfig, articles: Path, tmp_path: Path
) -> None:
    tight = config.model_copy(update={"timeout": 1.0, "max_attempts": 3, "concurrency": 2})
    server.handler = lambda r: Reply.error(429, "slow down", headers={"Retry-After": "50"})
    started = time.monotonic()
    report = run(articles, tight, tmp_path / "out")
    assert time.monotonic() - started < 10
    assert len(report.errors) == 2 and all("HTTP 429" in e.error for e in report.errors)


def test_dry_run_prints_the_request_budget(
    server: FakeOpenAI, articles: Path, tmp_path: Path
) -> None:
    result = reconcile(
        str(articles), "--dry-run", "--timeout", "10", "--max-attempts", "3",
        env={"OPENAI_BASE_URL": server.base_url}, cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    # 3 attempts × 10 s, plus waits of at most 1+1 and 2+1 s.
    assert "request_budget_seconds: 35.0" in result.stdout


def test_cli_ctrl_c_still_stops_a_slow_drip(
    server: FakeOpenAI, articles: Path, tmp_path: Path
) -> None:
    server.handler = lambda r: Reply.drip(Reply.json({"claims": []}), interval=2.0)
    proc = subprocess.Popen(
        [sys.executable, "-m", "agent", *cli_args(articles, tmp_path, "--timeout", "60")],
        cwd=tmp_path,
        env={**os.environ, "OPENAI_BASE_URL": server.base_url},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while server.count("chat/completions") < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    try:
        _, err = proc.communicate(timeout=HANG_BOUND)
    except subprocess.TimeoutExpired:
        proc.kill()
        pytest.fail("Ctrl-C did not stop the run")
    assert proc.returncode == 130, err
    assert "Traceback" not in err


# -- 8. connection refused ---------------------------------------------------------------------


def test_cli_connection_refused_names_the_url_and_says_nothing_was_judged(
    articles: Path, tmp_path: Path
) -> None:
    with refused_url() as url:
        result = reconcile(
            *cli_args(articles, tmp_path, "--max-attempts", "2"),
            env={"OPENAI_BASE_URL": url},
            cwd=tmp_path,
        )
    assert result.returncode == 1, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 2
    assert all(
        f"cannot connect to {url}/chat/completions: Connection refused" in line for line in errors
    )
    assert all("(2 attempts in " in line for line in errors)
    assert "No contradictions found" not in result.stdout
    assert "Nothing was judged: no claim was extracted" in result.stdout


# -- 9. an invalid --base-url ------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["http://[::1/v1", "http://127.0.0.1:99999/v1", "localhost:8000/v1", "http://:80/v1"]
)
def test_cli_an_invalid_base_url_is_a_usage_error(articles: Path, tmp_path: Path, url: str) -> None:
    result = reconcile(*cli_args(articles, tmp_path, "--base-url", url), env={}, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(f"error: --base-url {url!r} is not a usable endpoint URL: ")
    assert not (tmp_path / "out").exists()


def test_cli_an_invalid_openai_base_url_is_named_as_the_variable(
    articles: Path, tmp_path: Path
) -> None:
    result = reconcile(
        *cli_args(articles, tmp_path), env={"OPENAI_BASE_URL": "http://[::1/v1"}, cwd=tmp_path
    )
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("error: OPENAI_BASE_URL 'http://[::1/v1' is not a usable")


# -- 10. the API key echoed back ---------------------------------------------------------------


def test_cli_an_endpoint_echoing_the_key_never_gets_it_written_or_printed(
    server: FakeOpenAI, articles: Path, tmp_path: Path
) -> None:
    server.handler = echo_authorization
    out, cache = tmp_path / "out", tmp_path / "cache"
    result = reconcile(
        *cli_args(articles, tmp_path),
        env={"OPENAI_BASE_URL": server.base_url, "OPENAI_API_KEY": API_KEY},
        cwd=tmp_path,
    )
    assert result.returncode == 1, result.stderr
    secrets = [API_KEY.encode(), base64.b64encode(f"Bearer {API_KEY}".encode())]
    written = files_under(out, cache)
    assert {p.name for p in written} >= {"report.json", "report.md", "report.html"}
    for path in written:
        data = path.read_bytes()
        for secret in secrets:
            assert secret not in data, path
    for secret in secrets:
        assert secret.decode() not in result.stderr + result.stdout
    assert "HTTP 401" in result.stderr and "[redacted API key]" in result.stderr
    report = json.loads((out / "report.json").read_text())
    assert all("[redacted API key]" in e["error"] for e in report["errors"])


# -- 11. json_schema, json_object and why ----------------------------------------------------


def test_a_transient_500_on_the_first_request_does_not_switch_the_format(
    server: FakeOpenAI, config: LLMConfig, articles: Path, tmp_path: Path
) -> None:
    serial = config.model_copy(update={"concurrency": 1})
    server.script(Reply.error(500, "upstream overloaded"))
    server.handler = model(CLAIMS)
    report = run(articles, serial, tmp_path / "out")
    formats = [r.response_format_type for r in server.chat_requests()]
    assert report.errors == []
    assert formats == ["json_schema"] * len(formats)
    assert report.llm is not None and report.llm.response_format == "json_schema"
    assert report.llm.response_format_reason == "the endpoint accepted json_schema"
    # ... and a later run, from the cache's memory, still uses json_schema.
    server.clear()
    (articles / "east.txt").write_text("The port said the ferry route is new.\n")
    run(articles, serial, tmp_path / "again")
    assert {r.response_format_type for r in server.chat_requests()} == {"json_schema"}


@pytest.mark.parametrize("flavour", ["llama.cpp", "llama-cpp-python"])
def test_json_schema_rejected_falls_back_and_the_report_says_why(
    config: LLMConfig, articles: Path, tmp_path: Path, flavour: str
) -> None:
    message = {
        "llama.cpp": LLAMA_CPP_JSON_SCHEMA_MESSAGE,
        "llama-cpp-python": LLAMA_CPP_PYTHON_JSON_SCHEMA_MESSAGE,
    }[flavour]
    with FakeOpenAI(reject_json_schema=flavour) as srv:  # type: ignore[arg-type]
        cfg = config.model_copy(update={"base_url": srv.base_url, "concurrency": 1})
        srv.handler = model(CLAIMS)
        report = run(articles, cfg, tmp_path / "out")
        formats = [r.response_format_type for r in srv.chat_requests()]
    assert report.errors == []
    assert formats[0] == "json_schema" and set(formats[1:]) == {"json_object"}
    assert report.llm is not None and report.llm.response_format == "json_object"
    reason = report.llm.response_format_reason or ""
    assert reason.startswith("the endpoint rejected json_schema (HTTP 500: ")
    assert " ".join(message.split())[:60] in reason


def test_the_remembered_format_expires_and_an_old_entry_is_not_trusted(
    config: LLMConfig, articles: Path, tmp_path: Path
) -> None:
    import diskcache

    from agent.backends.llm.client import cache_key
    from agent.backends.llm.response_format import REMEMBER_SECONDS

    with FakeOpenAI(reject_json_schema=True) as srv:
        cfg = config.model_copy(update={"base_url": srv.base_url, "concurrency": 1})
        srv.handler = model(CLAIMS)
        run(articles, cfg, tmp_path / "out")
    key = cache_key("response_format", cfg.endpoint, cfg.model)
    with diskcache.Cache(str(cfg.cache_dir)) as cache:
        value, expires = cache.get(key, expire_time=True)
        assert value["mode"] == "json_object"
        assert expires is not None
        assert expires - time.time() == pytest.approx(REMEMBER_SECONDS, abs=60)
    with FakeOpenAI() as healthy:
        cfg = cfg.model_copy(update={"base_url": healthy.base_url})
        with diskcache.Cache(str(cfg.cache_dir)) as cache:
            # What earlier versions stored, forever, after any 500 on the first request.
            cache.set(cache_key("response_format", cfg.endpoint, cfg.model), "json_object")
        healthy.handler = model(CLAIMS)
        report = run(articles, cfg, tmp_path / "again")
        assert healthy.chat_requests()[0].response_format_type == "json_schema"
    assert report.llm is not None and report.llm.response_format == "json_schema"


# -- 12. answers of unbounded size ----------------------------------------------------------------


@pytest.mark.parametrize("declare_length", [True, False], ids=["declared", "chunked"])
def test_an_oversize_answer_is_a_failed_attempt_and_nothing_big_is_kept(
    server: FakeOpenAI,
    config: LLMConfig,
    articles: Path,
    tmp_path: Path,
    declare_length: bool,
) -> None:
    server.handler = lambda r: Reply.oversize(8 * 1024 * 1024, declare_length=declare_length)
    out = tmp_path / "out"
    report = run(articles, config, out)
    assert len(report.errors) == 2
    for error in report.errors:
        assert "over the 1,048,576-byte limit" in error.error
        assert f"({config.max_attempts} attempts in " in error.error
    assert server.count("chat/completions") == 2 * config.max_attempts
    kept = sum(p.stat().st_size for p in files_under(out, config.cache_dir))
    assert kept < 1024 * 1024, f"{kept:,} bytes kept"


def test_a_valid_answer_padded_past_the_cap_is_neither_used_nor_cached(
    server: FakeOpenAI, config: LLMConfig, articles: Path, tmp_path: Path
) -> None:
    # JSON allows any amount of whitespace: 8 MiB of spaces after a valid extraction.
    padded = {"claims": CLAIMS["north"]}
    server.handler = lambda r: Reply.oversize(8 * 1024 * 1024, answer=padded)
    out = tmp_path / "out"
    report = run(articles, config, out)
    assert report.claims == [] and len(report.errors) == 2
    kept = sum(p.stat().st_size for p in files_under(out, config.cache_dir))
    assert kept < 1024 * 1024, f"{kept:,} bytes kept"


def test_an_oversize_answer_then_a_sane_one_succeeds(
    server: FakeOpenAI, config: LLMConfig, articles: Path, tmp_path: Path
) -> None:
    server.script(Reply.oversize(5 * 1024 * 1024, declare_length=False))
    server.handler = model(CLAIMS)
    report = run(articles, config, tmp_path / "out")
    assert report.errors == []
    assert {c.article_id for c in report.claims} == {"north", "south"}


def test_answers_are_asked_uncompressed_and_a_compressed_one_is_refused(
    server: FakeOpenAI, config: LLMConfig, articles: Path, tmp_path: Path
) -> None:
    healthy = model(CLAIMS)
    server.handler = lambda r: Reply.gzipped(healthy(r))
    report = run(articles, config, tmp_path / "out")
    assert {r.headers.get("accept-encoding") for r in server.chat_requests()} == {"identity"}
    assert len(report.errors) == 2
    assert all("compressed (gzip) although the client asked" in e.error for e in report.errors)


def test_the_cap_is_configurable(
    server: FakeOpenAI, config: LLMConfig, articles: Path, tmp_path: Path
) -> None:
    small = config.model_copy(update={"max_response_bytes": 4096, "max_attempts": 1})
    many = {**CLAIMS, "north": CLAIMS["north"] * 20}  # about 6 KB of answer
    server.handler = model(many)
    report = run(articles, small, tmp_path / "out")
    assert [(Path(e.path).name, "over the 4,096-byte limit" in e.error) for e in report.errors] == [
        ("north.txt", True)
    ]
