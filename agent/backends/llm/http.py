"""The HTTP client under the openai SDK, with a cap on the bytes of every answer.

`max_tokens` does not bound what a hostile or broken server sends, and the SDK reads a whole
body into memory (`AsyncClient.send(stream=False)` then `aread()`). So a response hook wraps
each response's byte stream before the SDK reads it: a declared `Content-Length` over the cap
is refused before any body byte is read, and a body that runs past the cap is cut there. Both
raise `AnswerTooLarge`, an `openai.OpenAIError`, which the SDK passes through as it is.

Answers are asked for uncompressed (`Accept-Encoding: identity`), so the bytes counted are
the bytes kept: a server that compresses anyway (a small gzip body can inflate a thousandfold)
gets `UnaskedEncoding`.

The client is the SDK's own default (`openai.DefaultAsyncHttpxClient`): connection limits,
redirects and proxies from the environment stay as they are.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx2
import openai

EMBEDDINGS_SUFFIX = "/embeddings"


class AnswerTooLarge(openai.OpenAIError):
    """An answer over the byte cap: a failed attempt, like a 5xx."""

    def __init__(self, url: str, limit: int, declared: int | None = None) -> None:
        self.url = url
        self.limit = limit
        size = f"declared {declared:,} bytes" if declared is not None else "kept coming"
        super().__init__(f"the answer from {url} {size}, over the {limit:,}-byte limit")


class UnaskedEncoding(openai.OpenAIError):
    """A compressed answer although none was asked for: its real size is unknown."""

    def __init__(self, url: str, encoding: str) -> None:
        self.url = url
        super().__init__(
            f"the answer from {url} is compressed ({encoding}) although the client asked for "
            "an uncompressed one"
        )


class _CappedStream(httpx2.AsyncByteStream):
    """A response body that stops with AnswerTooLarge once past `limit` bytes."""

    def __init__(self, inner: httpx2.AsyncByteStream, limit: int, url: str) -> None:
        self._inner = inner
        self._limit = limit
        self._url = url

    async def __aiter__(self) -> AsyncIterator[bytes]:
        seen = 0
        async for chunk in self._inner:
            seen += len(chunk)
            if seen > self._limit:
                raise AnswerTooLarge(self._url, self._limit)
            yield chunk

    async def aclose(self) -> None:
        await self._inner.aclose()


def bounded_client(
    timeout: float, max_chat_bytes: int, max_embedding_bytes: int
) -> httpx2.AsyncClient:
    """The SDK's default async client, asking for identity encoding and capping every body
    (`max_embedding_bytes` for embeddings, which are legitimately large, else
    `max_chat_bytes`)."""

    async def identity(request: httpx2.Request) -> None:
        request.headers["Accept-Encoding"] = "identity"

    async def cap(response: httpx2.Response) -> None:
        where = response.request.url
        url = str(where.copy_with(userinfo=b"", query=None))  # no credentials in messages
        limit = max_embedding_bytes if where.path.endswith(EMBEDDINGS_SUFFIX) else max_chat_bytes
        encoding = response.headers.get("content-encoding", "identity").strip().lower()
        if encoding not in ("", "identity"):
            raise UnaskedEncoding(url, encoding)
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise AnswerTooLarge(url, limit, int(declared))
        if isinstance(response.stream, httpx2.AsyncByteStream):
            response.stream = _CappedStream(response.stream, limit, url)

    client: httpx2.AsyncClient = openai.DefaultAsyncHttpxClient(
        timeout=timeout, event_hooks={"request": [identity], "response": [cap]}
    )
    return client
