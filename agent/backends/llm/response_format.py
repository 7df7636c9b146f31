"""Which structured-output mode an endpoint takes, and why.

`json_schema` is asked for first. Only an answer that says this response format is not
supported switches an endpoint to `json_object` (with the schema in the request and the
prompt); any other error, a transient 500 above all, is an ordinary failed attempt. The
messages recognised are the real ones:

- llama.cpp's server before it took json_schema (HTTP 500, `server_error`):
  `response_format type must be one of "text" or "json_object", but got: json_schema`
- llama-cpp-python's server (HTTP 500, `internal_server_error`): its request validation
  error for `response_format.type`, which names the literal json_schema it got and the
  allowed 'text' / 'json_object'.
- servers that answer 400 or 422 naming response_format or json_schema as not supported.

The choice is remembered per endpoint and model, with its reason, for a week (a server may be
upgraded), in the answer cache.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any, Literal

import openai

Mode = Literal["json_schema", "json_object"]
REMEMBER_SECONDS = 7 * 24 * 3600
"""How long a mode found for an endpoint is trusted before it is probed again."""

_REJECTING_STATUSES = {400, 422, 500, 501}
_NAMES_THE_FORMAT = re.compile(r"json[_ ]schema|response[_ ]format", re.I)
_SAYS_UNSUPPORTED = re.compile(
    r"must be one of|not supported|unsupported|does not support|doesn't support|"
    r"not implemented|input should be|literal_error|unknown|invalid",
    re.I,
)


def _error_text(exc: openai.APIStatusError) -> str:
    body = exc.body
    if isinstance(body, dict):
        message = body.get("message", body)
        return message if isinstance(message, str) else json.dumps(message, default=str)
    return str(exc.message)


def rejection_reason(exc: openai.APIStatusError) -> str | None:
    """Why the endpoint cannot take json_schema, when `exc` says so; None for any other
    error (which is then retried like one)."""
    if exc.status_code not in _REJECTING_STATUSES:
        return None
    text = _error_text(exc)
    if not (_NAMES_THE_FORMAT.search(text) and _SAYS_UNSUPPORTED.search(text)):
        return None
    short = " ".join(text.split())
    short = short if len(short) <= 200 else short[:197] + "..."
    return f"the endpoint rejected json_schema (HTTP {exc.status_code}: {short})"


class ModeMemory:
    """The mode (and why) per endpoint and model, in the answer cache with an expiry."""

    def __init__(self, cache: Any | None, key: str) -> None:
        self._cache = cache
        self._key = key

    def recall(self) -> tuple[Mode, str] | None:
        if self._cache is None:
            return None
        value = self._cache.get(self._key)
        # A bare mode string was stored, without expiry, by earlier versions: probe again.
        if not isinstance(value, dict) or value.get("mode") not in ("json_schema", "json_object"):
            return None
        mode: Mode = value["mode"]
        when = value.get("at", "an earlier run")
        return mode, f"{value.get('reason', '')} (found on {when}, remembered for a week)"

    def store(self, mode: Mode, reason: str) -> None:
        if self._cache is not None:
            today = dt.datetime.now(dt.UTC).date().isoformat()
            record = {"mode": mode, "reason": reason, "at": today}
            self._cache.set(self._key, record, expire=REMEMBER_SECONDS)
