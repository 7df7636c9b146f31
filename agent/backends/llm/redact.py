"""Keep the API key out of every text the run stores or prints.

An endpoint (or a proxy in front of it) may echo the `Authorization` header in an error
message, plainly or base64-encoded. Every error text, call-log record and model answer passes
through one `Redactor` before it is kept, so the key cannot reach report.json, report.md,
report.html, llm-calls.jsonl, the cache or stderr.
"""

from __future__ import annotations

import base64

REDACTED = "[redacted API key]"
PLACEHOLDER_KEYS = frozenset({"", "not-needed"})
"""Keys the client makes up for local servers: not secrets, so not hunted for."""
_MIN_SECRET = 4
"""A shorter "key" is not worth garbling every error message for."""


def _base64_runs(secret: bytes) -> list[str]:
    """The base64 characters that encode `secret` wherever it sits inside a longer encoded
    text: one run per byte alignment (0, 1 or 2 bytes before it in its 3-byte group), taking
    only the characters made of the secret's own bits, in standard and URL-safe alphabets."""
    runs: list[str] = []
    for shift in range(3):
        encoded = base64.b64encode(b"\0" * shift + secret).decode("ascii")
        start = -(-shift * 8 // 6)  # ceil: the first character with no padding bits
        end = (shift + len(secret)) * 8 // 6  # floor: the last whole character
        run = encoded[start:end]
        if len(run) >= _MIN_SECRET:
            runs += [run, run.replace("+", "-").replace("/", "_")]
    return runs


class Redactor:
    """Replaces the configured key, in plain text or base64, with "[redacted API key]"."""

    def __init__(self, secret: str) -> None:
        forms: set[str] = set()
        if secret not in PLACEHOLDER_KEYS and len(secret) >= _MIN_SECRET:
            raw = secret.encode("utf-8")
            forms = {secret, *_base64_runs(raw), *_base64_runs(b"Bearer " + raw)}
        # Longest first, so a form inside another is not replaced halfway.
        self._forms = sorted(forms, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for form in self._forms:
            if form in text:
                text = text.replace(form, REDACTED)
        return text
