"""A run that is interrupted, or whose endpoint fails half its calls, keeps its finished work,
says what it could not do, and a re-run completes it without redoing finished work.

`reconcile` runs as a user runs it (a subprocess); Ctrl-C is a real SIGINT. The LLM endpoint
is the project's fake OpenAI-compatible server on 127.0.0.1, in this process.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.support.corpus import generate
from tests.support.fake_openai import FakeOpenAI, RecordedRequest, Reply, is_judging, quoting_model

TIMEOUT = 180


def _start(*args: str, cwd: Path) -> subprocess.Popen[str]:
    env = dict(os.environ, OPENAI_API_KEY="sk-test")
    return subprocess.Popen(
        [sys.executable, "-m", "agent", *args],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, OPENAI_API_KEY="sk-test")
    return subprocess.run(
        [sys.executable, "-m", "agent", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )


def _wait_for(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + TIMEOUT
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def _report(out: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((out / "report.json").read_text())
    return data


def _assert_grounded(out: Path, report: dict[str, Any]) -> None:
    texts = {a["id"]: (out / "articles" / f"{a['id']}.txt").read_text() for a in report["articles"]}
    for c in report["claims"]:
        assert texts[c["article_id"]][c["start"] : c["end"]] == c["quote"]


def test_ctrl_c_keeps_finished_articles_and_the_rerun_reads_only_the_rest(tmp_path: Path) -> None:
    import diskcache

    corpus = tmp_path / "corpus"
    generate(300).write(corpus)
    out, cache = tmp_path / "out", tmp_path / "cache"
    args = (str(corpus), "--out", str(out), "--cache-dir", str(cache), "--backend", "offline")
    first = _start(*args, cwd=tmp_path)

    def some_articles_done() -> bool:
        if not (cache / "offline").exists():
            return False
        with diskcache.Cache(str(cache / "offline")) as done:
            return len(done) >= 10

    _wait_for(some_articles_done, "the first articles to be read")
    first.send_signal(signal.SIGINT)
    _, err = first.communicate(timeout=TIMEOUT)
    assert first.returncode == 130, err
    assert "interrupted while extracting claims" in err
    assert "Traceback" not in err  # neither the parent nor a parsing worker
    partial = _report(out)
    assert partial["interrupted"].startswith("interrupted while extracting claims")
    kept = {a["id"] for a in partial["articles"]}
    assert 10 <= len(kept) < 300
    assert partial["claims"] and partial["contradictions"] == []
    _assert_grounded(out, partial)

    again = _run(*args, cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    full = _report(out)
    assert full["interrupted"] is None and full["stats"]["articles"] == 300
    # Everything finished before Ctrl-C came from the cache, not from the parser.
    assert full["stats"]["articles_from_cache"] >= len(kept)
    assert full["contradictions"]


def test_ctrl_c_on_the_llm_backend_keeps_answers_and_never_asks_twice(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    generate(16).write(corpus)
    out, cache = tmp_path / "out", tmp_path / "cache"
    with FakeOpenAI(latency=0.2) as server:
        server.handler = quoting_model
        args = (
            str(corpus),
            *("--out", str(out), "--cache-dir", str(cache), "--backend", "llm"),
            *("--base-url", server.base_url, "--concurrency", "2"),
        )
        first = _start(*args, cwd=tmp_path)
        _wait_for(lambda: len(server.chat_requests()) >= 6, "a few answers")
        first.send_signal(signal.SIGINT)
        _, err = first.communicate(timeout=TIMEOUT)
        assert first.returncode == 130, err
        assert "interrupted while extracting claims" in err and "Traceback" not in err
        partial = _report(out)
        assert partial["interrupted"]
        done = {a["id"] for a in partial["articles"]}
        assert 1 <= len(done) < 16
        _assert_grounded(out, partial)

        asked_before = len(server.chat_requests())
        again = _run(*args, cwd=tmp_path)
        assert again.returncode == 0, again.stderr
        rerun = server.chat_requests()[asked_before:]
        extracted_again = {_article_of(r) for r in rerun} - {None}
        assert extracted_again, "the articles not finished are asked for"
        assert not extracted_again & done, "an article finished before Ctrl-C was asked again"
        assert _report(out)["stats"]["articles"] == 16


def _article_of(request: RecordedRequest) -> str | None:
    text = request.message_text()
    if is_judging(text):
        return None
    return text[text.rindex('<article id="') :].split('"')[1]


class HalfFailing:
    """Fails every second chat request with a 500 (until healed), answers the others."""

    def __init__(self) -> None:
        self.calls = 0
        self.healthy = False
        self.lock = threading.Lock()

    def __call__(self, request: RecordedRequest) -> Reply:
        with self.lock:
            self.calls += 1
            fail = not self.healthy and self.calls % 2 == 0
        return Reply.error(500, "overloaded") if fail else quoting_model(request)


@pytest.mark.parametrize("concurrency", ["1", "8"])
def test_an_endpoint_failing_half_its_calls(tmp_path: Path, concurrency: str) -> None:
    corpus = tmp_path / "corpus"
    generate(10).write(corpus)
    out = tmp_path / "out"
    flaky = HalfFailing()
    with FakeOpenAI() as server:
        server.handler = flaky
        args = (
            str(corpus),
            *("--out", str(out), "--cache-dir", str(tmp_path / "cache"), "--backend", "llm"),
            *("--base-url", server.base_url, "--concurrency", concurrency, "--max-attempts", "1"),
        )
        first = _run(*args, cwd=tmp_path)
        # The run completes, says what failed (one line each) and exits 1.
        assert first.returncode == 1, first.stderr
        report = _report(out)
        failed = {e["path"] for e in report["errors"] if "extraction failed" in e["error"]}
        assert failed, "half the calls failed: some articles must have"
        assert len(report["articles"]) == 10  # a failed article is listed, not dropped
        for error in report["errors"]:
            assert f"error: {error['path']}: {error['error']}" in first.stderr
        assert report["llm"]["total"]["failed"] >= len(failed)

        flaky.healthy = True
        asked_before = len(server.chat_requests())
        second = _run(*args, cwd=tmp_path)
        assert second.returncode == 0, second.stderr
        healed = _report(out)
        assert healed["errors"] == []
        # Only the articles that failed were extracted again; the rest came from the cache.
        extracted_again = {_article_of(r) for r in server.chat_requests()[asked_before:]} - {None}
        assert {str(corpus / f"{a}.txt") for a in extracted_again} == failed


def test_ctrl_c_under_no_cache_does_not_promise_the_cache(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    generate(16).write(corpus)
    out = tmp_path / "out"
    with FakeOpenAI(latency=0.2) as server:
        server.handler = quoting_model
        first = _start(
            str(corpus),
            *("--out", str(out), "--no-cache", "--backend", "llm"),
            *("--base-url", server.base_url, "--concurrency", "2"),
            cwd=tmp_path,
        )
        _wait_for(lambda: len(server.chat_requests()) >= 4, "a few answers")
        first.send_signal(signal.SIGINT)
        _, err = first.communicate(timeout=TIMEOUT)
    assert first.returncode == 130, err
    assert "interrupted while extracting claims" in err and "Traceback" not in err
    assert "taken from the cache" not in err
    assert "With --no-cache nothing was kept: running the command again starts over." in err
