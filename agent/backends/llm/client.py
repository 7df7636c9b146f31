"""One structured request to an OpenAI-compatible endpoint, done properly.

- Structured output: `json_schema` first; a server that rejects it (llama.cpp's answers 500)
  gets `json_object` with the schema instead, and the choice is remembered per endpoint.
- Validation with pydantic; invalid output is re-asked once with the validation error.
- Retries (tenacity) on 429, 5xx, timeouts and connection errors: exponential backoff with
  jitter, `Retry-After` honoured, capped in attempts and in total time. The SDK's own retries
  are off (max_retries=0) so the two layers do not multiply.
- A diskcache keyed by endpoint, model, template hash, schema, parameters and messages; only
  validated answers are stored. The API key is in no key, value or log line.
- Every call is appended to a JSON Lines log (prompt, answer, usage, timing, cache hit).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import threading
import time
from pathlib import Path
from typing import Any, Literal, TypeVar, cast

import openai
from pydantic import BaseModel, Field, ValidationError
from tenacity import (
    AsyncRetrying,
    retry_if_exception,
    stop_after_attempt,
    stop_after_delay,
    wait_exponential_jitter,
)
from tenacity.wait import wait_base

from agent.backends.llm.config import LLMConfig
from agent.base import Strict
from agent.models import StageUsage

T = TypeVar("T", bound=BaseModel)
Mode = Literal["json_schema", "json_object"]
_RETRY_AFTER_CAP = 60.0


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
    """The endpoint answered 200 with a body that is not a chat completion (cut off, not
    JSON): a server fault, retried like a 5xx."""


def _is_retryable(exc: BaseException) -> bool:
    if isinstance(exc, openai.APIConnectionError | MalformedResponse):  # incl. timeouts
        return True
    return isinstance(exc, openai.APIStatusError) and (
        exc.status_code == 429 or exc.status_code >= 500
    )


class _WaitRetryAfter(wait_base):
    """Retry-After when the server sends it, else exponential backoff with jitter."""

    def __init__(self, initial: float) -> None:
        self.fallback = wait_exponential_jitter(multiplier=initial, max=30.0, jitter=initial)

    def __call__(self, retry_state: Any) -> float:
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


class StructuredClient:
    """Structured JSON requests with validation, retries, cache, accounting and a call log."""

    def __init__(
        self,
        config: LLMConfig,
        cache: Any | None = None,
        log_path: Path | None = None,
        accounting: Accounting | None = None,
    ) -> None:
        self.config = config
        self.cache = cache
        self.log_path = log_path
        self.accounting = accounting if accounting is not None else Accounting()
        self.requests_sent = 0
        self._client = openai.AsyncOpenAI(
            api_key=config.api_key.get_secret_value() or "not-needed",
            base_url=config.base_url,
            timeout=config.timeout,
            max_retries=0,
        )
        self._semaphore = asyncio.Semaphore(config.concurrency)
        self._mode: Mode | None = self._remembered_mode()
        self._log_lock = threading.Lock()

    @property
    def mode(self) -> Mode | None:
        """The structured-output mode that works with this endpoint, once known."""
        return self._mode

    # -- structured output mode, remembered per endpoint --------------------------------
    def _mode_key(self) -> str:
        return cache_key("response_format", self.config.endpoint, self.config.model)

    def _remembered_mode(self) -> Mode | None:
        if self.cache is None:
            return None
        value = self.cache.get(self._mode_key())
        return value if value in ("json_schema", "json_object") else None

    def _remember(self, mode: Mode) -> None:
        self._mode = mode
        if self.cache is not None:
            self.cache.set(self._mode_key(), mode)

    # -- the public call ---------------------------------------------------------------
    async def structured(
        self,
        stage: str,
        messages: list[dict[str, str]],
        schema: type[T],
        template_hash: str,
    ) -> T:
        """Ask for an answer matching `schema`; raise LLMCallError when it cannot be had."""
        usage = self.accounting.stage(stage)
        params = {"temperature": self.config.temperature}
        key = cache_key(
            self.config.endpoint,
            self.config.model,
            template_hash,
            schema.model_json_schema(),
            params,
            messages,
        )
        if self.config.use_cache and self.cache is not None:
            hit = self.cache.get(key)
            if isinstance(hit, str):
                try:
                    parsed = schema.model_validate_json(hit)
                except ValidationError:
                    parsed = None
                if parsed is not None:
                    usage.cached += 1
                    self._log(stage, messages, hit, None, 0.0, cached=True)
                    return parsed
        async with self._semaphore:
            try:
                content = await self._ask(stage, messages, schema, usage)
                parsed = self._parse(content, schema)
            except LLMCallError:
                usage.failed += 1
                raise
            except (ValidationError, ValueError) as first_error:
                # One re-ask with the validation error, then give up on this unit.
                retry_messages = [
                    *messages,
                    {"role": "assistant", "content": content},
                    {
                        "role": "user",
                        "content": (
                            "Your answer did not match the schema: "
                            f"{_short_error(first_error)}. Answer again with only the JSON."
                        ),
                    },
                ]
                try:
                    content = await self._ask(stage, retry_messages, schema, usage)
                    parsed = self._parse(content, schema)
                except (ValidationError, ValueError) as second_error:
                    usage.failed += 1
                    raise LLMCallError(
                        f"invalid output twice: {_short_error(second_error)}"
                    ) from second_error
                except LLMCallError:
                    usage.failed += 1
                    raise
        if self.config.use_cache and self.cache is not None:
            self.cache.set(key, content)
        return parsed

    @staticmethod
    def _parse(content: str, schema: type[T]) -> T:
        return schema.model_validate(json.loads(content))

    async def _ask(
        self, stage: str, messages: list[dict[str, str]], schema: type[T], usage: StageUsage
    ) -> str:
        """One logical request: retried on transient failures, with the format fallback."""
        retrying = AsyncRetrying(
            retry=retry_if_exception(_is_retryable),
            stop=stop_after_attempt(self.config.max_attempts)
            | stop_after_delay(self.config.max_retry_seconds),
            wait=_WaitRetryAfter(self.config.retry_initial_wait),
            reraise=True,
        )
        try:
            async for attempt in retrying:
                with attempt:
                    return await self._send_with_fallback(stage, messages, schema, usage)
        except openai.APIError as exc:
            raise LLMCallError(_describe(exc)) from exc
        except MalformedResponse as exc:
            raise LLMCallError(f"{exc} (retries exhausted)") from exc
        raise LLMCallError("no attempt was made")  # pragma: no cover - tenacity always tries

    async def _send_with_fallback(
        self, stage: str, messages: list[dict[str, str]], schema: type[T], usage: StageUsage
    ) -> str:
        if self._mode is not None:
            return await self._send(stage, messages, schema, usage, self._mode)
        try:
            content = await self._send(stage, messages, schema, usage, "json_schema")
        except (
            openai.BadRequestError,
            openai.UnprocessableEntityError,
            openai.InternalServerError,
        ):
            # Maybe the server does not do json_schema: try json_object with the schema.
            content = await self._send(stage, messages, schema, usage, "json_object")
            self._remember("json_object")
            return content
        self._remember("json_schema")
        return content

    async def _send(
        self,
        stage: str,
        messages: list[dict[str, str]],
        schema: type[T],
        usage: StageUsage,
        mode: Mode,
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
        started = time.perf_counter()
        self.requests_sent += 1
        try:
            response = await self._client.chat.completions.create(
                model=self.config.model,
                messages=cast(Any, sent),
                response_format=cast(Any, response_format),
                temperature=self.config.temperature,
            )
        except ValueError as exc:  # the SDK could not decode the envelope
            raise MalformedResponse(f"malformed response body: {exc}") from exc
        elapsed = time.perf_counter() - started
        usage.calls += 1
        if response.usage is not None:
            usage.prompt_tokens += response.usage.prompt_tokens
            usage.completion_tokens += response.usage.completion_tokens
        content = response.choices[0].message.content or "" if response.choices else ""
        self._log(stage, sent, content, response.usage, elapsed, cached=False, mode=mode)
        return content

    def _log(
        self,
        stage: str,
        messages: list[dict[str, str]],
        content: str,
        usage: Any,
        seconds: float,
        cached: bool,
        mode: str | None = None,
    ) -> None:
        if self.log_path is None:
            return
        record = {
            "time": time.time(),
            "stage": stage,
            "model": self.config.model,
            "endpoint": self.config.endpoint,
            "mode": mode,
            "cached": cached,
            "seconds": round(seconds, 3),
            "usage": usage.model_dump() if usage is not None else None,
            "messages": messages,
            "response": content,
        }
        with self._log_lock:
            self.log_path.parent.mkdir(parents=True, exist_ok=True)
            with self.log_path.open("a", encoding="utf-8") as fh:
                fh.write(json.dumps(record, ensure_ascii=False) + "\n")

    async def embeddings(self, texts: list[str], model: str) -> list[list[float]] | None:
        """The endpoint's embeddings for `texts`, or None when it offers none (any error:
        pairing then falls back to shared terms, so no retry is worth its time here)."""
        usage = self.accounting.stage("embed")
        try:
            async with self._semaphore:
                self.requests_sent += 1
                response = await self._client.embeddings.create(model=model, input=texts)
        except openai.APIError:
            return None
        usage.calls += 1
        if response.usage is not None:
            usage.prompt_tokens += response.usage.prompt_tokens
        return [item.embedding for item in response.data]

    async def close(self) -> None:
        await self._client.close()


def _short_error(exc: Exception) -> str:
    text = str(exc).replace("\n", " ")
    return text if len(text) <= 300 else text[:297] + "..."


def _describe(exc: openai.APIError) -> str:
    if isinstance(exc, openai.APITimeoutError):
        return "request timed out (retries exhausted)"
    if isinstance(exc, openai.APIConnectionError):
        return "cannot connect to the endpoint (retries exhausted)"
    if isinstance(exc, openai.APIStatusError):
        return f"HTTP {exc.status_code} from the endpoint: {_short_error(exc)}"
    return _short_error(exc)
