"""One structured request to an OpenAI-compatible endpoint, done properly.

- Structured output: `json_schema` first; only an answer saying that format is unsupported
  (llama.cpp's servers answer 500 with a message that says so) switches the endpoint to
  `json_object` with the schema, remembered per endpoint for a week with the reason
  (`response_format.py`).
- Validation with pydantic plus an optional check of the caller's (grounding, one verdict
  per pair); an answer failing either is re-asked once, naming what was wrong, and only an
  answer that passes both is cached.
- Bounded: `timeout` is the total time of one request (not per socket read), every answer's
  bytes are capped (`http.py`), and the retries of one request fit in
  `LLMConfig.request_budget` (attempts × timeout + backoff).
- Retries (tenacity) on 429, 5xx, timeouts, connection errors, cut-off and oversize
  answers: exponential backoff with jitter, `Retry-After` honoured. The SDK's own retries are
  off (max_retries=0) so the two layers do not multiply. A 200 that is not a chat completion
  (an HTML page from a wrong URL or a captive portal) is not retried: it names the URL.
- The API key is redacted from every answer, error and log line (`redact.py`).
- Every call is appended to a JSON Lines log (prompt, answer, usage, timing, cache hit), a
  failed one too (its HTTP status when there is one, the error, the time it took).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import re
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, cast

import openai
from pydantic import BaseModel, Field, ValidationError
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception,
    stop_after_attempt,
    stop_before_delay,
    wait_exponential_jitter,
)
from tenacity.wait import wait_base

from agent.backends.llm.config import BACKOFF_CAP_SECONDS, LLMConfig
from agent.backends.llm.http import AnswerTooLarge, UnaskedEncoding, bounded_client
from agent.backends.llm.redact import Redactor
from agent.backends.llm.response_format import Mode, ModeMemory, rejection_reason
from agent.base import Strict
from agent.models import StageUsage

T = TypeVar("T", bound=BaseModel)
Check = Callable[[T], str | None]
"""A caller's test of a schema-valid answer: None when it passes, else the re-ask message
naming what failed (e.g. the quotes that are not in the article)."""
_RETRY_AFTER_CAP = 60.0
_HTML = re.compile(r"\s*(<!doctype\s+html|<html|<head|<body|<!--|<\?xml)", re.I)


class LLMCallError(Exception):
    """A unit of work failed for good (after retries, or twice-invalid output)."""


class Accounting(Strict):
    """Usage per stage ("extract", "judge", "embed")."""

    stages: dict[str, StageUsage] = Field(default_factory=dict)
    """Usage of each stage."""

    def stage(self, name: str) -> StageUsage:
        return self.stages.setdefault(name, StageUsage())

    def total(self) -> StageUsage:
        out = StageUsage()
        for usage in self.stages.values():
            for name in StageUsage.model_fields:
                setattr(out, name, getattr(out, name) + getattr(usage, name))
        return out


class MalformedResponse(Exception):
    """The endpoint answered 200 with a chat-completions body that is cut off or has no
    choices: a server fault, retried like a 5xx."""


class NotChatCompletion(Exception):
    """The endpoint answered 200 with something else entirely (an HTML page, plain text):
    the URL is wrong or something stands in between; asking again will not help."""


class RequestTimedOut(Exception):
    """One request took longer in all than the timeout (however its bytes trickled in)."""


def _is_retryable(exc: BaseException) -> bool:
    if isinstance(exc, openai.APIConnectionError | MalformedResponse | RequestTimedOut):
        return True
    if isinstance(exc, AnswerTooLarge):  # a failed attempt: a sane answer may follow
        return True
    return isinstance(exc, openai.APIStatusError) and (
        exc.status_code == 429 or exc.status_code >= 500
    )


class _WaitRetryAfter(wait_base):
    """Retry-After when the server sends it, else exponential backoff with jitter."""

    def __init__(self, initial: float) -> None:
        self.fallback = wait_exponential_jitter(
            multiplier=initial, max=BACKOFF_CAP_SECONDS, jitter=initial
        )

    def __call__(self, retry_state: RetryCallState) -> float:
        outcome = retry_state.outcome
        exc = outcome.exception() if outcome is not None else None
        if isinstance(exc, openai.APIStatusError):
            header = exc.response.headers.get("retry-after")
            if header:
                try:
                    return min(max(float(header), 0.0), _RETRY_AFTER_CAP)
                except ValueError:
                    pass
        return float(self.fallback(retry_state))


def cache_key(*parts: object) -> str:
    blob = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def answer_key(
    config: LLMConfig, template_hash: str, schema: type[BaseModel], messages: list[dict[str, str]]
) -> str:
    """The cache key of one structured answer: endpoint, model, templates, schema, sampling
    parameters and the messages (a dry run computes it too, to see what is cached)."""
    params = {"temperature": config.temperature}
    return cache_key(
        config.endpoint, config.model, template_hash, schema.model_json_schema(), params, messages
    )


def describe_body(text: str) -> str:
    """What a 200 that is not JSON holds, in a few words."""
    if _HTML.match(text) or "<html" in text[:2000].lower():
        return "an HTML page, not a chat-completions JSON answer"
    snippet = " ".join(text.split())[:80]
    return f"text that is not JSON ({snippet!r}), not a chat-completions JSON answer"


class StructuredClient:
    """Structured JSON requests with validation, retries, cache, accounting and a call log."""

    def __init__(
        self,
        config: LLMConfig,
        cache: Any | None = None,
        log_path: Path | None = None,
        accounting: Accounting | None = None,
        known_mode: tuple[Mode, str] | None = None,
    ) -> None:
        self.config = config
        self.cache = cache
        self.log_path = log_path
        self.accounting = accounting if accounting is not None else Accounting()
        self.requests_sent = 0
        self.redact = Redactor(config.api_key.get_secret_value())
        self.chat_url = f"{config.endpoint}/chat/completions"
        self._client = openai.AsyncOpenAI(
            api_key=config.api_key.get_secret_value() or "not-needed",
            base_url=config.base_url,
            timeout=config.timeout,
            max_retries=0,
            http_client=bounded_client(
                config.timeout, config.max_response_bytes, config.max_embedding_response_bytes
            ),
        )
        self._semaphore = asyncio.Semaphore(config.concurrency)
        self._memory = ModeMemory(
            cache, cache_key("response_format", config.endpoint, config.model)
        )
        known = known_mode or self._memory.recall()
        self._mode: Mode | None = known[0] if known else None
        self.mode_reason: str | None = known[1] if known else None
        """Why the structured-output mode is the one it is."""
        self._log_lock = threading.Lock()

    @property
    def mode(self) -> Mode | None:
        """The structured-output mode that works with this endpoint, once known."""
        return self._mode

    def _remember(self, mode: Mode, reason: str) -> None:
        if self._mode == mode:
            return
        self._mode, self.mode_reason = mode, reason
        self._memory.store(mode, reason)

    def _fail(self, message: str) -> LLMCallError:
        return LLMCallError(self.redact(message))

    # -- the public call ---------------------------------------------------------------
    async def structured(
        self,
        stage: str,
        messages: list[dict[str, str]],
        schema: type[T],
        template_hash: str,
        check: Check[T] | None = None,
    ) -> T:
        """Ask for an answer matching `schema` (and passing `check`, when given); raise
        LLMCallError when no schema-valid answer can be had. An answer that still fails
        `check` after the re-ask is returned, not cached: the caller keeps what passes."""
        usage = self.accounting.stage(stage)
        key = answer_key(self.config, template_hash, schema, messages)
        if self.config.use_cache and self.cache is not None:
            hit = self.cache.get(key)
            if isinstance(hit, str):
                parsed, problem = self._examine(hit, schema, check)
                if parsed is not None and problem is None:  # an older, failing entry: ask
                    usage.cached += 1
                    self._log(stage, messages, hit, None, 0.0, cached=True)
                    return parsed
        async with self._semaphore:
            try:
                content = await self._ask(stage, messages, schema, usage)
            except LLMCallError:
                usage.failed += 1
                raise
            first, problem = self._examine(content, schema, check)
            if problem is not None:
                # One re-ask naming what was wrong, then keep the best answer there is.
                retry_messages = [
                    *messages,
                    {"role": "assistant", "content": content},
                    {"role": "user", "content": problem},
                ]
                try:
                    content = await self._ask(stage, retry_messages, schema, usage)
                except LLMCallError:
                    if first is not None:
                        return first  # schema-valid, failing the check: used, not cached
                    usage.failed += 1
                    raise
                second, still = self._examine(content, schema, check)
                if second is None:
                    if first is not None:
                        return first
                    usage.failed += 1
                    raise self._fail(f"invalid output twice: {still}")
                if still is not None:
                    return second
                first = second
        assert first is not None
        if self.config.use_cache and self.cache is not None:
            self.cache.set(key, content)
        return first

    @staticmethod
    def _examine(
        content: str, schema: type[T], check: Check[T] | None
    ) -> tuple[T | None, str | None]:
        """(the parsed answer or None, the re-ask message or None when all is well)."""
        try:
            parsed = schema.model_validate(json.loads(content))
        except (ValidationError, ValueError) as exc:
            return None, (
                f"Your answer did not match the schema: {_short_error(exc)}. "
                "Answer again with only the JSON."
            )
        return parsed, (check(parsed) if check is not None else None)

    async def _ask(
        self, stage: str, messages: list[dict[str, str]], schema: type[T], usage: StageUsage
    ) -> str:
        """One logical request: retried on transient failures, with the format fallback,
        all within the request budget."""
        budget = self.config.request_budget
        loop = asyncio.get_running_loop()
        deadline = loop.time() + budget
        retrying = AsyncRetrying(
            retry=retry_if_exception(_is_retryable),
            stop=stop_after_attempt(self.config.max_attempts) | stop_before_delay(budget),
            wait=_WaitRetryAfter(self.config.retry_initial_wait),
            reraise=True,
        )
        started = loop.time()
        try:
            async for attempt in retrying:
                with attempt:
                    return await self._send_with_fallback(stage, messages, schema, usage, deadline)
        except Exception as exc:
            tries = int(retrying.statistics.get("attempt_number", 1))
            raise self._fail(self._describe(exc, tries, loop.time() - started)) from exc
        raise LLMCallError("no attempt was made")  # pragma: no cover - tenacity always tries

    def _describe(self, exc: BaseException, tries: int, seconds: float) -> str:
        url = self.chat_url
        after = f"{tries} attempt{'s' if tries != 1 else ''} in {seconds:.1f} s"
        if isinstance(exc, RequestTimedOut | openai.APITimeoutError):
            return (
                f"timed out: no complete answer from {url} within {self.config.timeout:g} s "
                f"({after})"
            )
        if isinstance(exc, openai.APIConnectionError):
            return f"cannot connect to {url}: {_connect_failure(exc)} ({after})"
        if isinstance(exc, openai.APIStatusError):
            wait = exc.response.headers.get("retry-after", "")
            if tries < self.config.max_attempts and wait:
                after += (
                    f"; it asked to wait {wait} s, past this request's "
                    f"{self.config.request_budget:g} s budget"
                )
            return f"HTTP {exc.status_code} from {url}: {_short_error(exc)} ({after})"
        if isinstance(exc, AnswerTooLarge):
            return f"{exc} ({after})"
        if isinstance(exc, MalformedResponse):
            return f"{exc} ({after})"
        if isinstance(exc, NotChatCompletion | UnaskedEncoding):
            return str(exc)
        if isinstance(exc, openai.OpenAIError):
            return f"{url}: {_short_error(exc)} ({after})"
        raise exc  # not an endpoint problem: a bug, let it show

    async def _send_with_fallback(
        self,
        stage: str,
        messages: list[dict[str, str]],
        schema: type[T],
        usage: StageUsage,
        deadline: float,
    ) -> str:
        if self._mode is not None:
            return await self._send(stage, messages, schema, usage, self._mode, deadline)
        try:
            content = await self._send(stage, messages, schema, usage, "json_schema", deadline)
        except openai.APIStatusError as exc:
            reason = rejection_reason(exc)
            if reason is None:
                raise  # a transient error is just a failed attempt
            self._remember("json_object", self.redact(reason) + "; json_object used instead")
            return await self._send(stage, messages, schema, usage, "json_object", deadline)
        self._remember("json_schema", "the endpoint accepted json_schema")
        return content

    async def _send(
        self,
        stage: str,
        messages: list[dict[str, str]],
        schema: type[T],
        usage: StageUsage,
        mode: Mode,
        deadline: float,
    ) -> str:
        """One HTTP request; a failed one is logged too (its status, error and duration)."""
        started = time.perf_counter()
        try:
            return await self._send_once(stage, messages, schema, usage, mode, deadline)
        except Exception as exc:
            status = exc.status_code if isinstance(exc, openai.APIStatusError) else None
            error = f"{type(exc).__name__}: {_short_error(exc)}"
            elapsed = time.perf_counter() - started
            self._log(stage, messages, None, None, elapsed, False, mode, status=status, error=error)
            raise

    async def _send_once(
        self,
        stage: str,
        messages: list[dict[str, str]],
        schema: type[T],
        usage: StageUsage,
        mode: Mode,
        deadline: float,
    ) -> str:
        json_schema = schema.model_json_schema()
        if mode == "json_schema":
            response_format: dict[str, Any] = {
                "type": "json_schema",
                "json_schema": {"name": schema.__name__.lower(), "schema": json_schema},
            }
            sent = messages
        else:
            response_format = {"type": "json_object", "schema": json_schema}
            # A server that ignores the schema field still sees it in the prompt.
            schema_note = "Answer in JSON matching this JSON schema:\n" + json.dumps(json_schema)
            sent = [{**messages[0], "content": messages[0]["content"] + "\n\n" + schema_note}]
            sent += messages[1:]
        remaining = min(self.config.timeout, deadline - asyncio.get_running_loop().time())
        if remaining <= 0:
            raise RequestTimedOut()
        started = time.perf_counter()
        self.requests_sent += 1
        try:
            async with asyncio.timeout(remaining):
                response: Any = await self._client.chat.completions.create(
                    model=self.config.model,
                    messages=cast(Any, sent),
                    response_format=cast(Any, response_format),
                    temperature=self.config.temperature,
                )
        except TimeoutError as exc:  # the whole request, not one socket read
            raise RequestTimedOut() from exc
        except json.JSONDecodeError as exc:  # a JSON content type, a body that is not JSON
            if _HTML.match(exc.doc):
                raise NotChatCompletion(self._not_chat(exc.doc)) from exc
            raise MalformedResponse(f"a cut-off or malformed answer from {self.chat_url}") from exc
        except ValueError as exc:  # the SDK could not decode the envelope otherwise
            raise MalformedResponse(f"a malformed answer from {self.chat_url}: {exc}") from exc
        if isinstance(response, str):  # the SDK hands back the text of a non-JSON body
            raise NotChatCompletion(self._not_chat(response))
        elapsed = time.perf_counter() - started
        choices = getattr(response, "choices", None)
        if not isinstance(choices, list) or not choices:
            raise MalformedResponse(f"an answer from {self.chat_url} with no choices")
        usage.calls += 1
        tokens = getattr(response, "usage", None)
        if tokens is not None:
            usage.prompt_tokens += int(getattr(tokens, "prompt_tokens", 0) or 0)
            usage.completion_tokens += int(getattr(tokens, "completion_tokens", 0) or 0)
        message = getattr(choices[0], "message", None)
        content = getattr(message, "content", None)
        content = self.redact(content) if isinstance(content, str) else ""
        self._log(stage, sent, content, tokens, elapsed, cached=False, mode=mode)
        return content

    def _not_chat(self, body: str) -> str:
        what = describe_body(body)
        return f"{self.chat_url} answered HTTP 200 with {what} (is --base-url right?)"

    def _log(
        self,
        stage: str,
        messages: list[dict[str, str]],
        content: str | None,
        usage: Any,
        seconds: float,
        cached: bool,
        mode: str | None = None,
        status: int | None = 200,
        error: str | None = None,
    ) -> None:
        if self.log_path is None:
            return
        dumped = usage.model_dump() if isinstance(usage, BaseModel) else None
        record = {
            "time": time.time(),
            "stage": stage,
            "model": self.config.model,
            "endpoint": self.config.endpoint,
            "mode": mode,
            "cached": cached,
            "status": None if cached else status,
            "error": error,
            "seconds": round(seconds, 3),
            "usage": dumped,
            "messages": messages,
            "response": content,
        }
        line = self.redact(json.dumps(record, ensure_ascii=False)) + "\n"
        with self._log_lock:
            self.log_path.parent.mkdir(parents=True, exist_ok=True)
            with self.log_path.open("a", encoding="utf-8") as fh:
                fh.write(line)

    async def embeddings(self, texts: list[str], model: str) -> list[list[float]] | None:
        """The endpoint's embeddings for `texts`, or None when it offers none (any error:
        pairing then falls back to shared terms, so no retry is worth its time here)."""
        usage = self.accounting.stage("embed")
        try:
            async with self._semaphore, asyncio.timeout(self.config.timeout):
                self.requests_sent += 1
                response: Any = await self._client.embeddings.create(model=model, input=texts)
        except (openai.OpenAIError, ValueError, TimeoutError):
            return None
        data = getattr(response, "data", None)
        if not isinstance(data, list):
            return None  # a 200 that is not an embeddings list (an HTML page)
        usage.calls += 1
        tokens = getattr(response, "usage", None)
        if tokens is not None:
            usage.prompt_tokens += int(getattr(tokens, "prompt_tokens", 0) or 0)
        return [item.embedding for item in data]

    async def close(self) -> None:
        await self._client.close()


def _connect_failure(exc: BaseException) -> str:
    """The system's words for a failed connection ("Connection refused"), found down the
    chain of causes (the SDK wraps httpx's error, which wraps the socket's)."""
    seen: BaseException | None = exc.__cause__ or exc.__context__
    first = seen
    for _ in range(10):
        if seen is None:
            break
        if isinstance(seen, OSError) and seen.errno:
            return os.strerror(seen.errno)
        seen = seen.__cause__ or seen.__context__
    return _short_error(first) if first is not None else "connection failed"


def _short_error(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text if len(text) <= 300 else text[:297] + "..."
