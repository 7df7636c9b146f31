"""The API key is redacted wherever it may appear in a text (issue 10, item 10)."""

from __future__ import annotations

import base64

import pytest

from agent.backends.llm.redact import REDACTED, Redactor

KEY = "sk-proj-Secret_Key-0123456789abcdef"


def test_the_plain_key_and_the_bearer_header_are_redacted() -> None:
    redact = Redactor(KEY)
    assert redact(f"bad key {KEY}.") == f"bad key {REDACTED}."
    assert redact(f"Authorization: Bearer {KEY}") == f"Authorization: Bearer {REDACTED}"


@pytest.mark.parametrize("prefix", ["", "B", "Be", "Bearer ", "user:", "x" * 7])
def test_the_key_in_base64_is_redacted_at_any_byte_alignment(prefix: str) -> None:
    encoded = base64.b64encode(f"{prefix}{KEY}".encode()).decode()
    redacted = Redactor(KEY)(f"token {encoded} end")
    assert REDACTED in redacted
    # What is left of the encoding carries at most the few bits of the key's edges.
    leftover = redacted.replace("token ", "").replace(" end", "").replace(REDACTED, "")
    assert len(leftover) <= len(base64.b64encode(prefix.encode())) + 4


def test_url_safe_base64_is_redacted() -> None:
    encoded = base64.urlsafe_b64encode(KEY.encode() + b"\xfb\xff").decode()
    assert REDACTED in Redactor(KEY)(encoded)


def test_placeholder_and_tiny_keys_are_left_alone() -> None:
    assert Redactor("not-needed")("not-needed is fine") == "not-needed is fine"
    assert Redactor("")("text") == "text"
    assert Redactor("k")("keep this text") == "keep this text"


def test_other_text_is_untouched() -> None:
    text = "HTTP 500 from http://127.0.0.1:8000/v1/chat/completions: overloaded"
    assert Redactor(KEY)(text) == text
