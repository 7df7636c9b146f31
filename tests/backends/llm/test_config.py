"""LLM settings: the endpoint URL is checked up front, and one request's time is bounded
(issue 10, items 7 and 9)."""

from __future__ import annotations

import pytest

from agent.backends.llm.config import ConfigError, LLMConfig, load_config


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("http://[::1/v1", "Invalid IPv6 URL"),
        ("http://127.0.0.1:99999/v1", "Port out of range 0-65535"),
        ("http://127.0.0.1:0/v1", "port 0 cannot be connected to"),
        ("http://h:abc/v1", "Port could not be cast to integer value as 'abc'"),
        ("localhost:8000/v1", "it must start with http:// or https://"),
        ("ftp://example.org/v1", "it must start with http:// or https://"),
        ("http:///v1", "it names no host"),
        ("http://exa mple.org/v1", "it contains a space"),
    ],
)
def test_a_base_url_that_cannot_work_is_a_config_error(url: str, problem: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(base_url=url)
    assert str(caught.value) == f"--base-url {url!r} is not a usable endpoint URL: " + problem
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8765/v1", "https://api.openai.com/v1", "http://[::1]:8000/v1"]
)
def test_usable_base_urls_pass(url: str) -> None:
    assert load_config(base_url=url).base_url == url


def test_the_variable_is_named_when_it_is_the_bad_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", "http://[::1/v1")
    with pytest.raises(ConfigError, match=r"^OPENAI_BASE_URL 'http://\[::1/v1' is not"):
        load_config()


def test_the_request_budget_is_attempts_times_timeout_plus_backoff() -> None:
    config = LLMConfig(timeout=120, max_attempts=5, retry_initial_wait=1.0)
    # Waits before retries 1 to 4: 1·2^i plus up to 1 s of jitter, each at most 30 s.
    assert config.backoff_waits() == [2.0, 3.0, 5.0, 9.0]
    assert config.request_budget == 5 * 120 + 19
    assert LLMConfig(timeout=5, max_attempts=2).request_budget == 12
    assert LLMConfig(timeout=10, max_attempts=8).backoff_waits()[-1] == 30.0
    capped = LLMConfig(timeout=120, max_attempts=5, max_retry_seconds=60)
    assert capped.request_budget == 60
