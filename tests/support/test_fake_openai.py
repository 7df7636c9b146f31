"""The fake OpenAI server, exercised through the real `openai` client over real HTTP."""

from __future__ import annotations

import asyncio
import base64
import gzip
import http.client
import json
import math
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import openai
import pytest
from openai.types.chat import ChatCompletionMessageParam
from openai.types.chat.completion_create_params import ResponseFormat

from tests.support import FakeOpenAI, RecordedRequest, Reply, hash_embedding
from tests.support.fake_openai import (
    CAPTIVE_PORTAL_PAGE,
    HOST,
    LLAMA_CPP_JSON_SCHEMA_MESSAGE,
    LLAMA_CPP_PYTHON_JSON_SCHEMA_MESSAGE,
    echo_authorization,
    refused_url,
)

SYSTEM = "You extract claims."
USER = "The minister said 40 people were hurt."
MESSAGES: list[ChatCompletionMessageParam] = [
    {"role": "system", "content": SYSTEM},
    {"role": "user", "content": USER},
]
SCHEMA_FORMAT: ResponseFormat = {
    "type": "json_schema",
    "json_schema": {"name": "claims", "schema": {"type": "object"}, "strict": True},
}


@pytest.fixture
def server() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as fake:
        yield fake


def client_for(server: FakeOpenAI, timeout: float = 5.0) -> openai.OpenAI:
    return openai.OpenAI(
        base_url=server.base_url, api_key="test-key", max_retries=0, timeout=timeout
    )


def chat(
    client: openai.OpenAI, response_format: ResponseFormat | openai.Omit = openai.omit
) -> str | None:
    response = client.chat.completions.create(
        model="test-model", messages=MESSAGES, response_format=response_format
    )
    return response.choices[0].message.content


def test_scripted_content_usage_and_recorded_request(server: FakeOpenAI) -> None:
    server.script(Reply.content("hello there"))
    response = client_for(server).chat.completions.create(
        model="test-model",
        messages=MESSAGES,
        response_format={"type": "json_object"},
    )
    assert response.choices[0].message.content == "hello there"
    assert response.choices[0].finish_reason == "stop"
    assert response.model == "test-model"
    assert response.usage is not None
    prompt_chars = len(SYSTEM + "\n" + USER)
    assert response.usage.prompt_tokens == math.ceil(prompt_chars / 4)
    assert response.usage.completion_tokens == math.ceil(len("hello there") / 4)
    assert response.usage.total_tokens == (
        response.usage.prompt_tokens + response.usage.completion_tokens
    )

    [request] = server.chat_requests()
    assert request.method == "POST"
    assert request.path == "/v1/chat/completions"
    assert request.body["messages"] == MESSAGES
    assert request.body["model"] == "test-model"
    assert request.body["response_format"] == {"type": "json_object"}
    assert json.loads(request.raw_body) == request.body
    assert request.headers["authorization"] == "Bearer test-key"
    assert server.count("/chat/completions") == 1
    assert server.pending == 0


def test_explicit_usage_and_json_reply(server: FakeOpenAI) -> None:
    server.script(Reply.json({"claims": [1, 2]}, prompt_tokens=7, completion_tokens=3, model="m2"))
    response = client_for(server).chat.completions.create(
        model="test-model",
        messages=MESSAGES,
    )
    assert json.loads(response.choices[0].message.content or "") == {"claims": [1, 2]}
    assert response.usage is not None
    assert (response.usage.prompt_tokens, response.usage.completion_tokens) == (7, 3)
    assert response.model == "m2"


def test_rate_limit_with_retry_after(server: FakeOpenAI) -> None:
    server.script(Reply.error(429, "slow down", headers={"Retry-After": "1"}))
    with pytest.raises(openai.RateLimitError) as caught:
        chat(client_for(server))
    assert caught.value.status_code == 429
    assert caught.value.response.headers["retry-after"] == "1"
    assert caught.value.body == {
        "message": "slow down",
        "type": "requests",
        "param": None,
        "code": "rate_limit_exceeded",
    }


def test_server_errors(server: FakeOpenAI) -> None:
    server.script(Reply.error(500, "boom"), Reply.error(503, "overloaded"))
    client = client_for(server)
    with pytest.raises(openai.InternalServerError) as first:
        chat(client)
    assert first.value.status_code == 500
    assert "boom" in first.value.message
    with pytest.raises(openai.InternalServerError) as second:
        chat(client)
    assert second.value.status_code == 503


def test_delay_beyond_client_timeout(server: FakeOpenAI) -> None:
    server.script(Reply.delay(1.5, Reply.content("too late")), Reply.content("on time"))
    client = client_for(server, timeout=0.3)
    with pytest.raises(openai.APITimeoutError):
        chat(client)
    # The server is still usable: the next scripted reply comes back promptly.
    assert chat(client) == "on time"


def test_truncated_content_is_broken_json(server: FakeOpenAI) -> None:
    full = json.dumps({"claims": [{"quote": "40 people were hurt", "speaker": "the minister"}]})
    server.script(Reply.truncated(full))
    response = client_for(server).chat.completions.create(
        model="test-model",
        messages=MESSAGES,
    )
    content = response.choices[0].message.content
    assert content == full[: len(full) // 2]
    assert response.choices[0].finish_reason == "length"
    with pytest.raises(json.JSONDecodeError):
        json.loads(content)


def test_raw_cut_envelope_fails_in_the_client(server: FakeOpenAI) -> None:
    server.script(Reply.raw(200, '{"id": "chatcmpl-1", "choices": [{"mess'))
    # openai 3.x lets the JSONDecodeError through unwrapped (it is a ValueError).
    with pytest.raises(json.JSONDecodeError):
        chat(client_for(server))


def test_reject_json_schema_keeps_the_script(server: FakeOpenAI) -> None:
    server.reject_json_schema = True
    server.script(Reply.json({"ok": True}))
    client = client_for(server)
    with pytest.raises(openai.InternalServerError) as caught:
        chat(client, response_format=SCHEMA_FORMAT)
    assert caught.value.status_code == 500
    assert caught.value.body == {
        "code": 500,
        "message": LLAMA_CPP_JSON_SCHEMA_MESSAGE,
        "type": "server_error",
    }
    assert server.pending == 1  # recorded but not consumed
    assert server.chat_requests()[0].response_format_type == "json_schema"

    assert chat(client, response_format={"type": "json_object"}) == '{"ok": true}'
    assert server.pending == 0
    assert [r.response_format_type for r in server.chat_requests()] == [
        "json_schema",
        "json_object",
    ]


def test_scripted_embeddings(server: FakeOpenAI) -> None:
    server.script_embeddings(Reply.embeddings([[0.5, 0.25], [1.0, -2.0]]))
    client = client_for(server)
    # The client asks for base64 by default and decodes it: the values survive (float32).
    response = client.embeddings.create(model="embed-model", input=["a b", "c"])
    assert [d.embedding for d in response.data] == [[0.5, 0.25], [1.0, -2.0]]
    assert response.model == "embed-model"
    assert server.embedding_requests()[0].body["encoding_format"] == "base64"

    server.script_embeddings(Reply.embeddings([[0.1, 0.2]]))
    plain = client.embeddings.create(model="embed-model", input="x", encoding_format="float")
    assert plain.data[0].embedding == [0.1, 0.2]
    assert server.count("/embeddings") == 2


def test_hash_embedding_is_deterministic_and_normalised() -> None:
    a = hash_embedding("The Minister said forty", dim=32)
    assert a == hash_embedding("the minister SAID forty!", dim=32)
    assert len(a) == 32
    assert math.isclose(math.fsum(x * x for x in a), 1.0)
    assert a != hash_embedding("something else entirely", dim=32)
    empty = hash_embedding("", dim=8)
    assert math.isclose(math.fsum(x * x for x in empty), 1.0)


def test_hash_embedding_fallback_over_http() -> None:
    with FakeOpenAI(embeddings="hash") as server:
        client = client_for(server)
        texts = ["Forty people were hurt", "forty PEOPLE were hurt", "no overlap here"]
        response = client.embeddings.create(model="e", input=texts)
        vectors = [d.embedding for d in response.data]
        assert len(vectors) == 3
        assert all(len(v) == 64 for v in vectors)
        for got, text in zip(vectors, texts, strict=True):
            assert got == pytest.approx(hash_embedding(text), abs=1e-6)
        assert vectors[0] == pytest.approx(vectors[1], abs=1e-6)
        # The request's `dimensions` wins over the default size.
        sized = client.embeddings.create(model="e", input="x y", dimensions=16)
        assert len(sized.data[0].embedding) == 16


def test_unscripted_requests_fail_loudly(server: FakeOpenAI) -> None:
    client = client_for(server)
    with pytest.raises(openai.InternalServerError, match="unscripted request"):
        chat(client)
    with pytest.raises(openai.InternalServerError, match="unscripted request"):
        client.embeddings.create(model="e", input="x")
    assert server.count("/chat/completions") == 1  # recorded all the same


def test_models_lists_seen_models(server: FakeOpenAI) -> None:
    server.script(Reply.content("x"))
    client = client_for(server)
    assert [m.id for m in client.models.list()] == ["fake-model"]
    chat(client)
    assert [m.id for m in client.models.list()] == ["fake-model", "test-model"]


def test_unknown_path_is_an_openai_shaped_404(server: FakeOpenAI) -> None:
    url = server.base_url + "/nope?x=1"
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(urllib.request.Request(url, method="GET"), timeout=5)
    assert caught.value.code == 404
    body = json.loads(caught.value.read())
    assert set(body["error"]) >= {"message", "type", "code"}
    [request] = server.requests
    assert (request.method, request.path, request.query, request.body) == (
        "GET",
        "/v1/nope",
        "x=1",
        None,
    )


def test_fifo_order_callable_replies_and_handler(server: FakeOpenAI) -> None:
    def echo(request: RecordedRequest) -> Reply:
        return Reply.content("echo: " + request.messages[-1]["content"])

    server.script(Reply.content("first"), echo, Reply.content("third"))
    server.handler = lambda request: Reply.content(f"fallback for {request.model}")
    client = client_for(server)
    assert [chat(client) for _ in range(4)] == [
        "first",
        "echo: " + USER,
        "third",
        "fallback for test-model",
    ]
    assert server.count("/chat/completions") == 4
    server.clear()
    assert server.requests == []


def test_failing_reply_function_is_a_500_not_a_dead_server(server: FakeOpenAI) -> None:
    def broken(request: RecordedRequest) -> Reply:
        raise ValueError("oops")

    server.script(broken, Reply.content("fine"))
    client = client_for(server)
    with pytest.raises(openai.InternalServerError, match="ValueError: oops"):
        chat(client)
    assert chat(client) == "fine"


def test_async_client(server: FakeOpenAI) -> None:
    server.script(Reply.content("async hello"))

    async def run() -> str | None:
        async with openai.AsyncOpenAI(
            base_url=server.base_url, api_key="test-key", max_retries=0, timeout=5.0
        ) as client:
            response = await client.chat.completions.create(
                model="test-model",
                messages=MESSAGES,
            )
            return response.choices[0].message.content

    assert asyncio.run(run()) == "async hello"


def test_latency_and_stop() -> None:
    server = FakeOpenAI(latency=0.2).start()
    try:
        server.script(Reply.content("slow"))
        client = client_for(server, timeout=0.1)
        with pytest.raises(openai.APITimeoutError):
            chat(client)
        assert server.pending == 0
    finally:
        server.stop()
    server.stop()  # idempotent
    with pytest.raises(RuntimeError):
        _ = server.base_url


def test_concurrent_requests_overlap() -> None:
    # Benchmarks rely on the server answering in parallel, not one request at a time.
    with FakeOpenAI(latency=0.2) as server:
        server.handler = lambda request: Reply.content("ok")
        client = client_for(server)
        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=5) as pool:
            answers = list(pool.map(lambda _: chat(client), range(5)))
        elapsed = time.monotonic() - started
    assert answers == ["ok"] * 5
    assert 0.2 <= elapsed < 0.6
    assert server.count("/chat/completions") == 5


def test_silent(server: FakeOpenAI, capfd: pytest.CaptureFixture[str]) -> None:
    server.script(Reply.delay(0.5, Reply.content("late")))
    with pytest.raises(openai.APITimeoutError):
        chat(client_for(server, timeout=0.1))
    with pytest.raises(openai.NotFoundError):
        client_for(server).files.list()
    server.stop()  # wakes the delayed handler, whose client is gone
    out, err = capfd.readouterr()
    assert (out, err) == ("", "")


# -- faults for the endpoint-fault tests (issue 10) -------------------------------------------


def _post(server: FakeOpenAI, headers: dict[str, str] | None = None) -> http.client.HTTPResponse:
    conn = http.client.HTTPConnection(HOST, server.port, timeout=10)
    body = json.dumps({"model": "m", "messages": MESSAGES})
    conn.request(
        "POST",
        "/v1/chat/completions",
        body,
        {"Content-Type": "application/json", **(headers or {})},
    )
    return conn.getresponse()


def test_html_page_is_a_200_web_page(server: FakeOpenAI) -> None:
    server.script(Reply.html())
    response = _post(server)
    assert response.status == 200
    assert response.getheader("Content-Type", "").startswith("text/html")
    assert response.read().decode() == CAPTIVE_PORTAL_PAGE
    # The SDK hands a non-JSON body back as text: what the backend has to recognise.
    server.script(Reply.html())
    raw = client_for(server).chat.completions.create(model="m", messages=MESSAGES)
    assert isinstance(raw, str) and raw.startswith("<!DOCTYPE html>")


def test_drip_sends_the_body_a_byte_at_a_time(server: FakeOpenAI) -> None:
    server.script(Reply.drip(Reply.json({"ok": True}), interval=0.2, chunk=1))
    response = _post(server)
    assert response.status == 200  # the headers come at once
    started = time.monotonic()
    first = response.read(1)
    second = response.read(1)
    assert first and second
    assert time.monotonic() - started >= 0.15  # a pause between two bytes


def test_drip_is_cut_when_the_server_stops() -> None:
    with FakeOpenAI() as fake:
        fake.script(Reply.drip(Reply.json({"ok": True}), interval=30.0))
        response = _post(fake)
        response.read(1)
    # stop() did not wait 30 s for the drip to end (the test would time out otherwise).


@pytest.mark.parametrize("declare_length", [True, False])
def test_oversize_reply_declared_or_chunked(server: FakeOpenAI, declare_length: bool) -> None:
    server.script(Reply.oversize(3_000_000, declare_length=declare_length))
    response = _post(server)
    body = response.read()
    assert len(body) > 3_000_000
    assert (response.getheader("Content-Length") is not None) == declare_length
    assert (response.getheader("Transfer-Encoding") == "chunked") == (not declare_length)
    content = json.loads(body)["choices"][0]["message"]["content"]
    assert content == "x" * 3_000_000


def test_gzipped_reply_ignores_what_was_asked(server: FakeOpenAI) -> None:
    server.script(Reply.gzipped(Reply.json({"ok": True})))
    response = _post(server, {"Accept-Encoding": "identity"})
    assert response.getheader("Content-Encoding") == "gzip"
    envelope = json.loads(gzip.decompress(response.read()))
    assert json.loads(envelope["choices"][0]["message"]["content"]) == {"ok": True}


def test_echo_authorization_repeats_the_key_plainly_and_in_base64(server: FakeOpenAI) -> None:
    server.handler = echo_authorization
    with pytest.raises(openai.AuthenticationError) as caught:
        chat(client_for(server))
    text = str(caught.value)
    assert "Bearer test-key" in text
    assert base64.b64encode(b"Bearer test-key").decode() in text


def test_refused_url_refuses_at_once() -> None:
    with refused_url() as url:
        started = time.monotonic()
        with pytest.raises(urllib.error.URLError) as caught:
            urllib.request.urlopen(url + "/models", timeout=5)
        assert isinstance(caught.value.reason, ConnectionRefusedError)
        assert time.monotonic() - started < 2


def test_llama_cpp_python_flavour_of_the_json_schema_rejection() -> None:
    with (
        FakeOpenAI(reject_json_schema="llama-cpp-python") as fake,
        pytest.raises(openai.InternalServerError) as caught,
    ):
        chat(client_for(fake), response_format=SCHEMA_FORMAT)
    assert caught.value.body == {
        "message": LLAMA_CPP_PYTHON_JSON_SCHEMA_MESSAGE,
        "type": "internal_server_error",
        "param": None,
        "code": None,
    }
