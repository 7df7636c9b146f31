"""A scriptable OpenAI-compatible HTTP server on 127.0.0.1, for tests and benchmarks.

The LLM backend talks to it through the real `openai` client: nothing is patched, so the
client's own request building, response parsing, error mapping and timeouts are exercised.

    with FakeOpenAI() as server:
        server.script(Reply.json({"claims": []}), Reply.error(429, headers={"Retry-After": "1"}))
        client = openai.OpenAI(base_url=server.base_url, api_key="k", max_retries=0)
        ...
        assert server.count("/chat/completions") == 2

Every request is recorded before it is answered. Chat completions are answered from a FIFO
of scripted replies, then from `handler`; with neither, the answer is a loud 500
"unscripted request". Embeddings likewise, with `script_embeddings` and `handler_embeddings`.
The server writes no files and logs nothing.
"""

from __future__ import annotations

import base64
import contextlib
import gzip
import hashlib
import html
import json
import math
import re
import socket
import struct
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from socketserver import TCPServer
from types import TracebackType
from typing import Any, Literal, Self, TypeAlias, cast
from urllib.parse import urlsplit

__all__ = [
    "CAPTIVE_PORTAL_PAGE",
    "ContentReply",
    "DelayReply",
    "DripReply",
    "EmbeddingsReply",
    "ErrorReply",
    "FakeOpenAI",
    "JudgedPair",
    "RawReply",
    "RecordedRequest",
    "Reply",
    "ReplyFn",
    "Scripted",
    "echo_authorization",
    "hash_embedding",
    "hash_embeddings_handler",
    "is_judging",
    "judged_pairs",
    "quoting_model",
    "refused_url",
]

HOST = "127.0.0.1"
DEFAULT_MODEL = "fake-model"
CHAT_PATH = "/v1/chat/completions"
EMBEDDINGS_PATH = "/v1/embeddings"
MODELS_PATH = "/v1/models"

# What llama.cpp's server answered (HTTP 500) for response_format json_schema before it
# supported it; the body shape, with an integer code, is llama.cpp's too (the message is
# thrown in tools/server/server-common.cpp; llama.cpp issue 9522 shows the body).
LLAMA_CPP_JSON_SCHEMA_MESSAGE = (
    'response_format type must be one of "text" or "json_object", but got: json_schema'
)
# What llama-cpp-python's server (0.3.36, behind ../shared/tools/local-llm) answers: HTTP 500,
# type internal_server_error, the message being str() of FastAPI's request validation error
# for response_format.type. Captured verbatim from that server on 2026-12-01 with curl.
LLAMA_CPP_PYTHON_JSON_SCHEMA_MESSAGE = (
    "1 validation error:\n"
    "  {'type': 'literal_error', 'loc': ('body', 'response_format', 'type'), "
    "'msg': \"Input should be 'text' or 'json_object'\", 'input': 'json_schema', "
    "'ctx': {'expected': \"'text' or 'json_object'\"}}\n\n"
    '  File "/root/.cache/local-llm/venv/lib/python3.11/site-packages/llama_cpp/server/app.py", '
    "line 376, in create_chat_completion\n"
    "    POST /v1/chat/completions"
)
UNSCRIPTED_MESSAGE = "unscripted request"
CAPTIVE_PORTAL_PAGE = (
    "<!DOCTYPE html>\n<html><head><title>Sign in to the network</title></head>\n"
    "<body><h1>Welcome</h1><p>Accept the terms of use to continue.</p></body></html>\n"
)
"""What a wrong base URL, a proxy or a captive portal answers: 200 and a web page."""


@dataclass(frozen=True)
class RecordedRequest:
    """One HTTP request as the server received it."""

    method: str
    """HTTP method, upper case."""
    path: str
    """URL path without the query string, e.g. "/v1/chat/completions"."""
    query: str
    """The raw query string ("" when none)."""
    headers: dict[str, str]
    """Request headers with lower-cased names (a repeated header keeps its last value)."""
    body: Any
    """The body parsed as JSON, or None when empty or not JSON."""
    raw_body: str
    """The body as text (UTF-8, undecodable bytes replaced)."""
    time: float
    """`time.monotonic()` when the request was read: for gaps and overlap in benchmarks."""

    @property
    def model(self) -> str | None:
        """The "model" field of a JSON body, if any."""
        value = self.body.get("model") if isinstance(self.body, dict) else None
        return value if isinstance(value, str) else None

    @property
    def messages(self) -> list[dict[str, Any]]:
        """The chat messages of the body ([] when absent or malformed)."""
        value = self.body.get("messages") if isinstance(self.body, dict) else None
        if not isinstance(value, list):
            return []
        return [m for m in value if isinstance(m, dict)]

    @property
    def response_format_type(self) -> str | None:
        """`response_format.type` of a chat body, e.g. "json_schema", if any."""
        fmt = self.body.get("response_format") if isinstance(self.body, dict) else None
        kind = fmt.get("type") if isinstance(fmt, dict) else None
        return kind if isinstance(kind, str) else None

    def message_text(self) -> str:
        """The text of all messages joined by newlines (string content and text parts)."""
        return "\n".join(_content_text(m.get("content")) for m in self.messages)


def _content_text(content: object) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        parts = [p.get("text") for p in content if isinstance(p, dict)]
        return "\n".join(p for p in parts if isinstance(p, str))
    return ""


def estimate_tokens(text: str) -> int:
    """A crude token count, ceil(len / 4): enough to make `usage` plausible."""
    return math.ceil(len(text) / 4)


@dataclass(frozen=True)
class _Response:
    status: int
    body: bytes
    content_type: str = "application/json"
    headers: Mapping[str, str] = field(default_factory=dict)
    drip_interval: float = 0.0
    """> 0: the body is sent `drip_bytes` at a time, this many seconds apart."""
    drip_bytes: int = 1
    chunked: bool = False
    """Sent with Transfer-Encoding: chunked (no Content-Length: the size is not declared)."""


def _json_response(status: int, obj: object, headers: Mapping[str, str] | None = None) -> _Response:
    return _Response(status, json.dumps(obj).encode(), headers=dict(headers or {}))


def _error_body(message: str, type_: str, code: str | int | None) -> dict[str, Any]:
    return {"error": {"message": message, "type": type_, "param": None, "code": code}}


class Reply:
    """What the server answers to one request. Build replies with the static constructors."""

    def render(self, request: RecordedRequest, fake: FakeOpenAI) -> _Response:
        raise NotImplementedError

    @staticmethod
    def content(
        text: str,
        prompt_tokens: int | None = None,
        completion_tokens: int | None = None,
        model: str | None = None,
        finish_reason: str = "stop",
    ) -> ContentReply:
        """A chat.completion whose message content is `text`; usage estimated if not given."""
        return ContentReply(text, prompt_tokens, completion_tokens, model, finish_reason)

    @staticmethod
    def json(
        obj: object,
        prompt_tokens: int | None = None,
        completion_tokens: int | None = None,
        model: str | None = None,
        finish_reason: str = "stop",
    ) -> ContentReply:
        """A chat.completion whose content is `json.dumps(obj)`; otherwise as `content`."""
        return ContentReply(json.dumps(obj), prompt_tokens, completion_tokens, model, finish_reason)

    @staticmethod
    def truncated(text: str, at: int | None = None, finish_reason: str = "length") -> ContentReply:
        """A valid 200 chat.completion whose content is `text` cut at `at` (default: half).

        finish_reason defaults to "length", what a server says when max_tokens cut the output.
        """
        cut = len(text) // 2 if at is None else at
        return ContentReply(text[:cut], None, None, None, finish_reason)

    @staticmethod
    def error(
        status: int,
        message: str = "fake server error",
        headers: Mapping[str, str] | None = None,
        type: str | None = None,
        code: str | int | None = None,
    ) -> ErrorReply:
        """An HTTP error in OpenAI's shape: `Reply.error(429, headers={"Retry-After": "1"})`."""
        return ErrorReply(status, message, dict(headers or {}), type, code)

    @staticmethod
    def delay(seconds: float, then: Scripted) -> DelayReply:
        """Sleep `seconds`, then answer with `then` (to outlast a client timeout)."""
        return DelayReply(seconds, then)

    @staticmethod
    def raw(
        status: int,
        body: str,
        content_type: str = "application/json",
        headers: Mapping[str, str] | None = None,
    ) -> RawReply:
        """An arbitrary body, e.g. a cut-off envelope or an HTML error page."""
        return RawReply(status, body, content_type, dict(headers or {}))

    @staticmethod
    def html(status: int = 200, page: str = CAPTIVE_PORTAL_PAGE) -> RawReply:
        """A web page (text/html), as a wrong base URL, a proxy or a captive portal sends."""
        return RawReply(status, page, "text/html; charset=utf-8", {})

    @staticmethod
    def drip(then: Scripted, interval: float = 2.0, chunk: int = 1) -> DripReply:
        """Send `then` a `chunk` of bytes at a time, `interval` seconds apart (headers at once):
        each socket read succeeds, so only a bound on the whole request stops it."""
        return DripReply(then, interval, chunk)

    @staticmethod
    def oversize(
        size: int, declare_length: bool = True, answer: object | None = None
    ) -> OversizeReply:
        """A well-formed chat.completion whose content is `size` bytes of "x" (so the body is a
        little larger), or, with `answer`, that answer's JSON followed by `size` spaces: still
        valid JSON, and valid against the schema when `answer` is. `declare_length=False`
        sends it chunked, with no Content-Length."""
        return OversizeReply(size, declare_length, answer)

    @staticmethod
    def gzipped(then: Scripted) -> GzipReply:
        """`then`, gzip-compressed with Content-Encoding: gzip, whatever was asked for."""
        return GzipReply(then)

    @staticmethod
    def embeddings(vectors: list[list[float]], model: str | None = None) -> EmbeddingsReply:
        """An embeddings list with these vectors, in order (whatever the input count)."""
        return EmbeddingsReply([list(v) for v in vectors], model)


ReplyFn: TypeAlias = Callable[[RecordedRequest], Reply]
"""A reply computed from the request, e.g. to echo something that was sent."""
Scripted: TypeAlias = Reply | ReplyFn
"""What may be scripted or installed as a handler result: a reply or a function making one."""


@dataclass(frozen=True)
class ContentReply(Reply):
    """A successful chat.completion."""

    text: str
    """choices[0].message.content."""
    prompt_tokens: int | None
    """usage.prompt_tokens; None: estimated from the request's messages."""
    completion_tokens: int | None
    """usage.completion_tokens; None: estimated from `text`."""
    model: str | None
    """The model named in the answer; None: the request's model (or "fake-model")."""
    finish_reason: str
    """choices[0].finish_reason."""

    def render(self, request: RecordedRequest, fake: FakeOpenAI) -> _Response:
        prompt = (
            estimate_tokens(request.message_text())
            if self.prompt_tokens is None
            else self.prompt_tokens
        )
        completion = (
            estimate_tokens(self.text) if self.completion_tokens is None else self.completion_tokens
        )
        envelope = {
            "id": f"chatcmpl-fake-{fake._next_id()}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": self.model or request.model or DEFAULT_MODEL,
            "system_fingerprint": "fake-openai",
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": self.text, "refusal": None},
                    "logprobs": None,
                    "finish_reason": self.finish_reason,
                }
            ],
            "usage": {
                "prompt_tokens": prompt,
                "completion_tokens": completion,
                "total_tokens": prompt + completion,
            },
        }
        return _json_response(200, envelope)


@dataclass(frozen=True)
class ErrorReply(Reply):
    """An HTTP error with an OpenAI-shaped body."""

    status: int
    """HTTP status, e.g. 429, 500, 503."""
    message: str
    """error.message."""
    headers: dict[str, str]
    """Extra response headers, e.g. {"Retry-After": "1"}."""
    type: str | None
    """error.type; None: derived from the status."""
    code: str | int | None
    """error.code; None: derived from the status (often null, as OpenAI does)."""

    def render(self, request: RecordedRequest, fake: FakeOpenAI) -> _Response:
        type_, code = _default_error_kind(self.status)
        body = _error_body(self.message, self.type or type_, self.code or code)
        return _json_response(self.status, body, self.headers)


def _default_error_kind(status: int) -> tuple[str, str | None]:
    if status == 429:
        return "requests", "rate_limit_exceeded"
    if status >= 500:
        return "server_error", None
    if status == 404:
        return "invalid_request_error", "not_found"
    return "invalid_request_error", None


@dataclass(frozen=True)
class DelayReply(Reply):
    """Wait, then answer with another reply."""

    seconds: float
    """How long to sleep before answering."""
    then: Scripted
    """The answer sent after the sleep (if the client is still there)."""

    def render(self, request: RecordedRequest, fake: FakeOpenAI) -> _Response:
        # Resolved by the server loop (`_resolve`), which does the sleeping.
        raise AssertionError("DelayReply is resolved before rendering")


@dataclass(frozen=True)
class RawReply(Reply):
    """An arbitrary HTTP answer."""

    status: int
    """HTTP status."""
    body: str
    """The body, sent as UTF-8."""
    content_type: str
    """The Content-Type header."""
    headers: dict[str, str]
    """Extra response headers."""

    def render(self, request: RecordedRequest, fake: FakeOpenAI) -> _Response:
        return _Response(self.status, self.body.encode(), self.content_type, self.headers)


@dataclass(frozen=True)
class DripReply(Reply):
    """Another reply, sent slowly."""

    then: Scripted
    """The reply whose body is dripped."""
    interval: float
    """Seconds between two pieces of the body."""
    chunk: int
    """Bytes per piece."""

    def render(self, request: RecordedRequest, fake: FakeOpenAI) -> _Response:
        _, inner = _resolve(self.then, request)
        response = inner.render(request, fake)
        return replace(response, drip_interval=self.interval, drip_bytes=max(self.chunk, 1))


@dataclass(frozen=True)
class OversizeReply(Reply):
    """A valid chat.completion far bigger than any real answer."""

    size: int
    """Bytes of content."""
    declare_length: bool
    """Send a Content-Length (else chunked transfer encoding)."""
    answer: object | None
    """A JSON answer to pad with `size` spaces; None: `size` bytes of "x"."""

    def render(self, request: RecordedRequest, fake: FakeOpenAI) -> _Response:
        text = "x" * self.size if self.answer is None else json.dumps(self.answer) + " " * self.size
        response = ContentReply(text, 1, self.size // 4, None, "stop").render(request, fake)
        return replace(response, chunked=not self.declare_length)


@dataclass(frozen=True)
class GzipReply(Reply):
    """Another reply, compressed although the client may have asked for none."""

    then: Scripted
    """The reply to compress."""

    def render(self, request: RecordedRequest, fake: FakeOpenAI) -> _Response:
        _, inner = _resolve(self.then, request)
        response = inner.render(request, fake)
        headers = {**response.headers, "Content-Encoding": "gzip"}
        return replace(response, body=gzip.compress(response.body), headers=headers)


@dataclass(frozen=True)
class EmbeddingsReply(Reply):
    """A successful embeddings list."""

    vectors: list[list[float]]
    """One vector per item of data[], in order."""
    model: str | None
    """The model named in the answer; None: the request's model (or "fake-model")."""

    def render(self, request: RecordedRequest, fake: FakeOpenAI) -> _Response:
        body = request.body if isinstance(request.body, dict) else {}
        # The openai client asks for base64 (packed little-endian float32) unless the caller
        # chose a format, and decodes it itself: answer in the format asked for.
        as_base64 = body.get("encoding_format") == "base64"
        data = [
            {
                "object": "embedding",
                "index": i,
                "embedding": _pack_base64(vector) if as_base64 else vector,
            }
            for i, vector in enumerate(self.vectors)
        ]
        tokens = sum(estimate_tokens(text) for text in embedding_inputs(request))
        envelope = {
            "object": "list",
            "data": data,
            "model": self.model or request.model or DEFAULT_MODEL,
            "usage": {"prompt_tokens": tokens, "total_tokens": tokens},
        }
        return _json_response(200, envelope)


def _pack_base64(vector: list[float]) -> str:
    return base64.b64encode(struct.pack(f"<{len(vector)}f", *vector)).decode("ascii")


def embedding_inputs(request: RecordedRequest) -> list[str]:
    """The texts of an embeddings request's `input` (token-id inputs rendered as text)."""
    value = request.body.get("input") if isinstance(request.body, dict) else None
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list):
        return []
    if value and all(isinstance(v, int) for v in value):
        return [" ".join(str(v) for v in value)]  # a single pre-tokenised input
    return [v if isinstance(v, str) else " ".join(str(t) for t in v) for v in value]


_WORD = re.compile(r"\w+")


def hash_embedding(text: str, dim: int = 64) -> list[float]:
    """A deterministic embedding: lower-cased words counted into hashed dims, L2-normalised.

    Texts sharing words get a positive cosine, identical word bags get 1.0. A text with no
    word is hashed whole, so the vector is never zero (a zero vector would break cosines).
    """
    if dim < 1:
        raise ValueError("dim must be positive")
    words = _WORD.findall(text.lower()) or [text.strip().lower()]
    vector = [0.0] * dim
    for word in words:
        # blake2b, not hash(): Python's str hash is salted per process.
        digest = hashlib.blake2b(word.encode(), digest_size=8).digest()
        vector[int.from_bytes(digest, "little") % dim] += 1.0
    norm = math.sqrt(sum(x * x for x in vector))
    return [x / norm for x in vector]


def hash_embeddings_handler(dim: int = 64) -> ReplyFn:
    """A fallback embeddings handler answering `hash_embedding` for every input.

    A request's `dimensions` field, when given, overrides `dim`.
    """

    def handle(request: RecordedRequest) -> Reply:
        body = request.body if isinstance(request.body, dict) else {}
        asked = body.get("dimensions")
        size = asked if isinstance(asked, int) and asked > 0 else dim
        return Reply.embeddings([hash_embedding(t, size) for t in embedding_inputs(request)])

    return handle


def echo_authorization(request: RecordedRequest) -> Reply:
    """A 401 whose message repeats the Authorization header it got, plainly and in base64,
    as a careless proxy or server does (OpenAI itself masks the key)."""
    header = request.headers.get("authorization", "")
    encoded = base64.b64encode(header.encode()).decode("ascii")
    message = f"Incorrect API key provided: {header} (seen as {encoded})."
    return Reply.error(401, message, type="invalid_request_error", code="invalid_api_key")


@contextlib.contextmanager
def refused_url() -> Iterator[str]:
    """A base URL on 127.0.0.1 whose port refuses connections: the port is bound (so no other
    process takes it meanwhile) but never listened on, so a connect gets RST at once."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.bind((HOST, 0))
        yield f"http://{HOST}:{sock.getsockname()[1]}/v1"
    finally:
        sock.close()


@dataclass(frozen=True)
class JudgedPair:
    """One pair of a judging prompt, as the prompt shows it."""

    number: int
    """The pair's number ("pair" in the verdict)."""
    a_claimant: str
    a_text: str
    """Side a's claim as shown: its statement, and ` Quote: "..."` when the quote differs."""
    b_claimant: str
    b_text: str


_CLAIM_TAG = re.compile(r'<claim n="(\d+)" claimant="([^"]*)" date="[^"]*">(.*?)</claim>')
_PAIR_TAG = re.compile(r'<pair n="(\d+)" a="(\d+)" b="(\d+)"></pair>')


def is_judging(text: str) -> bool:
    """Whether a prompt's text is a judging request (it lists pairs)."""
    return '<pair n="' in text


def judged_pairs(text: str) -> list[JudgedPair]:
    """The pairs of a judging prompt (after the prompt's invented example), in order."""
    marker = "\nThe claims:\n"  # the prompt's own heading, before any claim's words
    real = text[text.index(marker) :] if marker in text else text
    claims = {int(n): (html.unescape(who), body) for n, who, body in _CLAIM_TAG.findall(real)}
    pairs = []
    for n, a, b in _PAIR_TAG.findall(real):
        (a_who, a_text), (b_who, b_text) = claims[int(a)], claims[int(b)]
        pairs.append(JudgedPair(int(n), a_who, a_text, b_who, b_text))
    return pairs


def quoting_model(request: RecordedRequest) -> Reply:
    """A stand-in model for runs at scale: it extracts up to 8 claims per article whose quotes
    are the article's own numbered sentences (so grounding works as in a real run), credited
    to the outlet, and judges every pair unrelated. Deterministic; no knowledge of anything."""
    text = request.message_text()
    if is_judging(text):
        verdicts = [
            {"pair": p.number, "disputed": "different matters", "relation": "unrelated"}
            for p in judged_pairs(text)
        ]
        return Reply.json({"verdicts": verdicts})
    if '<claim pair="' in text:  # the judging prompt before issue 13 (bench/llm_matrix --before)
        pairs = sorted({int(n) for n in re.findall(r'<claim pair="(\d+)"', text)})
        return Reply.json({"verdicts": [{"pair": n, "relation": "unrelated"} for n in pairs]})
    article = text[text.rindex("<article id=") :]  # after the prompt's invented example
    sentences = re.findall(r"^\[(\d+)\] (.+)$", article, re.M)
    claims = [
        {
            "claimant": "the outlet",
            "stance": "asserts",
            "statement": sentence,
            "quote": sentence,
            "sentences": [int(n)],
            "time": None,
            "quantities": [],
        }
        for n, sentence in sentences[:8]
        if len(sentence.split()) >= 6
    ]
    return Reply.json({"claims": claims})


class FakeOpenAI:
    """The server. Use as a context manager, or call `start()` and `stop()`."""

    def __init__(
        self,
        port: int = 0,
        latency: float = 0.0,
        *,
        embeddings: Literal["hash"] | None = None,
        embedding_dim: int = 64,
        reject_json_schema: bool | Literal["llama.cpp", "llama-cpp-python"] = False,
    ) -> None:
        self.latency = latency
        """Seconds slept before every answer (benchmarks)."""
        self.reject_json_schema = reject_json_schema
        """Answer chat requests with response_format json_schema by the 500 that llama.cpp's
        server sends (True or "llama.cpp") or llama-cpp-python's ("llama-cpp-python")."""
        self.handler: ReplyFn | None = None
        """Chat fallback when the script is empty; None: 500 "unscripted request"."""
        self.handler_embeddings: ReplyFn | None = (
            hash_embeddings_handler(embedding_dim) if embeddings == "hash" else None
        )
        """Embeddings fallback when the script is empty; None: 500 "unscripted request"."""
        self._port = port
        self._lock = threading.Lock()
        self._requests: list[RecordedRequest] = []
        self._chat_script: deque[Scripted] = deque()
        self._embedding_script: deque[Scripted] = deque()
        self._models: dict[str, None] = {DEFAULT_MODEL: None}  # an ordered set
        self._ids = 0
        self._stopping = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> Self:
        """Bind 127.0.0.1 and serve in a daemon thread. Returns self."""
        if self._server is not None:
            raise RuntimeError("FakeOpenAI already started")
        self._stopping.clear()
        server = _Server((HOST, self._port), _Handler)
        server.fake = self
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, cut open connections and wake any sleeping handlers. Idempotent."""
        server, thread = self._server, self._thread
        if server is None:
            return
        self._stopping.set()
        server.shutdown()
        server.close_connections()
        server.server_close()
        if thread is not None:
            thread.join(timeout=5)
        self._server = self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        """The bound port (only while running)."""
        if self._server is None:
            raise RuntimeError("FakeOpenAI is not running")
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        """The URL to give `openai.OpenAI(base_url=...)`."""
        return f"http://{HOST}:{self.port}/v1"

    # -- scripting -------------------------------------------------------------------------

    def script(self, *replies: Scripted) -> None:
        """Queue replies for the next chat completions, first in first out."""
        with self._lock:
            self._chat_script.extend(replies)

    def script_embeddings(self, *replies: Scripted) -> None:
        """Queue replies for the next embeddings requests, first in first out."""
        with self._lock:
            self._embedding_script.extend(replies)

    @property
    def pending(self) -> int:
        """Scripted chat replies not yet consumed."""
        with self._lock:
            return len(self._chat_script)

    @property
    def pending_embeddings(self) -> int:
        """Scripted embeddings replies not yet consumed."""
        with self._lock:
            return len(self._embedding_script)

    # -- inspection ------------------------------------------------------------------------

    @property
    def requests(self) -> list[RecordedRequest]:
        """A snapshot of every request received, in arrival order."""
        with self._lock:
            return list(self._requests)

    def chat_requests(self) -> list[RecordedRequest]:
        """The chat completion requests received, in arrival order."""
        return [r for r in self.requests if r.path == CHAT_PATH]

    def embedding_requests(self) -> list[RecordedRequest]:
        """The embeddings requests received, in arrival order."""
        return [r for r in self.requests if r.path == EMBEDDINGS_PATH]

    def count(self, path_suffix: str) -> int:
        """How many requests went to a path ending with `path_suffix`."""
        return sum(1 for r in self.requests if r.path.endswith(path_suffix))

    def clear(self) -> None:
        """Forget the recorded requests (the scripts and handlers stay)."""
        with self._lock:
            self._requests.clear()

    @property
    def models(self) -> list[str]:
        """The default "fake-model" and every model named in a request, in order of first use."""
        with self._lock:
            return list(self._models)

    # -- serving (called from handler threads) ----------------------------------------------

    def _next_id(self) -> int:
        with self._lock:
            self._ids += 1
            return self._ids

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self._requests.append(request)
            if request.model is not None:
                self._models.setdefault(request.model, None)

    def _answer(self, request: RecordedRequest) -> tuple[float, _Response]:
        """The response to send and the seconds to sleep before sending it."""
        route = (request.method, request.path)
        if route == ("GET", MODELS_PATH):
            data = [
                {"id": m, "object": "model", "created": 0, "owned_by": "fake-openai"}
                for m in self.models
            ]
            return 0.0, _json_response(200, {"object": "list", "data": data})
        if route == ("POST", CHAT_PATH):
            if self.reject_json_schema and request.response_format_type == "json_schema":
                if self.reject_json_schema == "llama-cpp-python":
                    body = _error_body(
                        LLAMA_CPP_PYTHON_JSON_SCHEMA_MESSAGE, "internal_server_error", None
                    )
                else:
                    body = {
                        "error": {
                            "code": 500,
                            "message": LLAMA_CPP_JSON_SCHEMA_MESSAGE,
                            "type": "server_error",
                        }
                    }
                return 0.0, _json_response(500, body)
            return self._scripted(request, self._chat_script, self.handler)
        if route == ("POST", EMBEDDINGS_PATH):
            return self._scripted(request, self._embedding_script, self.handler_embeddings)
        message = f"fake server: no route for {request.method} {request.path}"
        return 0.0, _json_response(404, _error_body(message, "invalid_request_error", "not_found"))

    def _scripted(
        self, request: RecordedRequest, queue: deque[Scripted], fallback: ReplyFn | None
    ) -> tuple[float, _Response]:
        if isinstance(request.body, dict) and request.body.get("stream"):
            # Streaming is not implemented; a JSON answer would confuse the client, so refuse.
            message = "fake server: stream=true is not supported"
            return 0.0, _json_response(400, _error_body(message, "invalid_request_error", None))
        with self._lock:
            item: Scripted | None = queue.popleft() if queue else fallback
        if item is None:
            message = f"{UNSCRIPTED_MESSAGE}: {request.method} {request.path} (script is empty)"
            return 0.0, _json_response(500, _error_body(message, "server_error", None))
        try:
            seconds, reply = _resolve(item, request)
            return seconds, reply.render(request, self)
        except Exception as exc:  # a test's reply function failed: fail loudly, keep serving
            message = f"fake server: reply function raised {type(exc).__name__}: {exc}"
            return 0.0, _json_response(500, _error_body(message, "server_error", None))


def _resolve(item: Scripted, request: RecordedRequest) -> tuple[float, Reply]:
    """Call reply functions and unwrap delays: the total sleep and the final reply."""
    seconds = 0.0
    for _ in range(100):  # a bound, in case a reply function keeps returning delays
        reply = item if isinstance(item, Reply) else item(request)
        if not isinstance(reply, Reply):
            raise TypeError(f"expected a Reply, got {type(reply).__name__}")
        if not isinstance(reply, DelayReply):
            return seconds, reply
        seconds += reply.seconds
        item = reply.then
    raise RuntimeError("too many nested delays")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # The default listen backlog of 5 drops connections when 32 clients connect at once, and
    # the kernel's SYN retry then adds a second to each: benchmarks at high concurrency need more.
    request_queue_size = 256
    fake: FakeOpenAI

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler]) -> None:
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(address, handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind calls socket.getfqdn(), a reverse DNS lookup that can stall.
        TCPServer.server_bind(self)
        self.server_name = HOST
        self.server_port = int(self.server_address[1])

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._connections_lock:
            self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._connections_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        """Cut keep-alive connections, so no handler thread outlives the server."""
        with self._connections_lock:
            connections = list(self._connections)
        for conn in connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # The default prints a traceback to stderr; a client hanging up is normal here.
        pass


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the openai client's pool expects
    disable_nagle_algorithm = True  # header and body are two writes: no 40 ms ACK stall
    server_version = "FakeOpenAI/1"
    sys_version = ""

    def log_message(self, format: str, *args: Any) -> None:
        pass  # silent: tests and benchmarks own stdout/stderr

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def do_PUT(self) -> None:
        self._serve()

    def do_DELETE(self) -> None:
        self._serve()

    def do_PATCH(self) -> None:
        self._serve()

    def _serve(self) -> None:
        fake = cast(_Server, self.server).fake
        request = self._read_request()
        fake._record(request)
        seconds, response = fake._answer(request)
        if fake._stopping.wait(seconds + fake.latency):
            self.close_connection = True
            return
        self._send(response)

    def _read_request(self) -> RecordedRequest:
        length = int(self.headers.get("Content-Length") or 0)
        data = self.rfile.read(length) if length > 0 else b""
        text = data.decode("utf-8", errors="replace")
        try:
            body: Any = json.loads(text) if text else None
        except ValueError:
            body = None
        parts = urlsplit(self.path)
        return RecordedRequest(
            method=self.command,
            path=parts.path,
            query=parts.query,
            headers={k.lower(): v for k, v in self.headers.items()},
            body=body,
            raw_body=text,
            time=time.monotonic(),
        )

    def _send(self, response: _Response) -> None:
        fake = cast(_Server, self.server).fake
        try:
            self.send_response(response.status)
            self.send_header("Content-Type", response.content_type)
            if response.chunked:
                self.send_header("Transfer-Encoding", "chunked")
            else:
                self.send_header("Content-Length", str(len(response.body)))
            self.send_header("x-request-id", f"req_fake_{fake._next_id()}")
            for name, value in response.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.flush()
            if response.drip_interval > 0:
                self._drip(response, fake)
            elif response.chunked:
                for start in range(0, len(response.body), 65536):
                    piece = response.body[start : start + 65536]
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
                self.wfile.write(b"0\r\n\r\n")
            else:
                self.wfile.write(response.body)
            self.wfile.flush()
        except OSError:  # the client gave up (e.g. its timeout fired during a delay)
            self.close_connection = True

    def _drip(self, response: _Response, fake: FakeOpenAI) -> None:
        for start in range(0, len(response.body), response.drip_bytes):
            self.wfile.write(response.body[start : start + response.drip_bytes])
            self.wfile.flush()
            if fake._stopping.wait(response.drip_interval):
                self.close_connection = True
                return
