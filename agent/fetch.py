"""Fetching a web page named by URL (`reconcile https://...`), bounded in time and size.

One GET, redirects followed (at most 5), the body asked for uncompressed and capped as it is
read, the whole fetch (connecting, redirects, every byte) within one deadline. Only an HTML
page is accepted; anything else (a PDF, an image, JSON) is refused before its body is read.
Every failure is a `FetchError` whose message is one line naming the reason; the caller puts
the URL in front of it. The HTTP client (httpx2) is imported on the first URL only, so a run
of files never pays for it.
"""

from __future__ import annotations

import os
import re
import socket
import time
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

from agent.base import Strict

if TYPE_CHECKING:
    import httpx2

MAX_PAGE_BYTES = 10 * 1024 * 1024
"""News pages weigh a few hundred kilobytes of HTML, the heaviest a few megabytes (inline
scripts and styles); the cap bounds the memory one URL can take."""
TIMEOUT_SECONDS = 30.0
"""The whole fetch, from connecting to the last byte, redirects included."""
MAX_REDIRECTS = 5
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
"""The content types read as web pages."""
USER_AGENT = "reconcile (fact-checking; one page per URL given)"
_URL = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.\-]*)://")
_CHUNK_BYTES = 64 * 1024


class FetchError(Exception):
    """Why a URL gave no page (one line, without the URL)."""


class Fetched(Strict):
    """A page as the server sent it."""

    url: str
    """Where the page came from, after redirects."""
    content_type: str
    """Its media type ("text/html")."""
    charset: str | None = None
    """The charset the server declared in Content-Type, if any."""
    data: bytes
    """The body, at most the byte cap."""


def is_url(given: str) -> bool:
    """True for an argument that names a URL ("https://...", or another scheme to refuse)."""
    return _URL.match(given) is not None


def shown_url(url: str) -> str:
    """`url` without a user name or password, fit to print and store."""
    try:
        parts = urlsplit(url)
    except ValueError:  # "http://[::1/x": shown as given, the fetch names the problem
        return url
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))


def fetch(url: str, timeout: float = TIMEOUT_SECONDS, max_bytes: int = MAX_PAGE_BYTES) -> Fetched:
    """The HTML page at `url`. Raises FetchError."""
    match = _URL.match(url)
    scheme = match.group("scheme").lower() if match else ""
    if scheme not in ("http", "https"):
        raise FetchError(f"only http:// and https:// URLs are fetched, not {scheme}://")
    import asyncio  # only for a URL: a run of local files never needs it (~35 ms)

    try:
        return asyncio.run(asyncio.wait_for(_get(url, timeout, max_bytes), timeout))
    except TimeoutError:
        raise FetchError(f"no complete answer within {timeout:g} s") from None


async def _get(url: str, timeout: float, max_bytes: int) -> Fetched:
    import httpx2

    headers = {
        "User-Agent": USER_AGENT,
        "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1",
        # Uncompressed, so the bytes counted against the cap are the bytes kept.
        "Accept-Encoding": "identity",
    }
    started = time.monotonic()
    try:
        async with (
            httpx2.AsyncClient(
                follow_redirects=True,
                max_redirects=MAX_REDIRECTS,
                timeout=httpx2.Timeout(timeout),
                headers=headers,
            ) as client,
            client.stream("GET", url) as response,
        ):
            if response.status_code >= 400:
                reason = f" {response.reason_phrase}" if response.reason_phrase else ""
                raise FetchError(f"HTTP {response.status_code}{reason}")
            media, charset = _content_type(response.headers.get("content-type", ""))
            if media not in HTML_TYPES:
                raise FetchError(_not_a_page(media))
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                raise FetchError(
                    f"the page declares {int(declared):,} bytes, over the {max_bytes:,}-byte limit"
                )
            data = await _body(response, max_bytes)
            return Fetched(
                url=shown_url(str(response.url)), content_type=media, charset=charset, data=data
            )
    except httpx2.TooManyRedirects:
        raise FetchError(f"too many redirects (over {MAX_REDIRECTS})") from None
    except httpx2.TimeoutException:
        waited = time.monotonic() - started
        raise FetchError(f"no complete answer within {timeout:g} s ({waited:.1f} s)") from None
    except httpx2.ConnectError as exc:
        raise FetchError(_cannot_connect(exc)) from None
    except (httpx2.InvalidURL, httpx2.UnsupportedProtocol) as exc:
        raise FetchError(f"not a usable URL ({exc})") from None
    except httpx2.HTTPError as exc:  # a reset connection, a malformed answer
        raise FetchError(f"the fetch failed ({type(exc).__name__}: {exc})") from None


def _content_type(header: str) -> tuple[str, str | None]:
    media, _, params = header.partition(";")
    charset = re.search(r"charset\s*=\s*\"?([^\s;\"]+)", params, re.IGNORECASE)
    return media.strip().lower(), charset.group(1) if charset else None


def _not_a_page(media: str) -> str:
    what = media or "no content type"
    advice = (
        "save the article's text as a .txt file"
        if media != "text/plain"
        else "save it as a .txt file and name that"
    )
    return f"not a web page ({what}): reconcile reads HTML pages from URLs; {advice}"


async def _body(response: httpx2.Response, max_bytes: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes(_CHUNK_BYTES):
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(f"the page kept coming, over the {max_bytes:,}-byte limit")
        chunks.append(chunk)
    return b"".join(chunks)


def _cannot_connect(exc: httpx2.ConnectError) -> str:
    cause = _system_error(exc)
    if isinstance(cause, socket.gaierror):
        reason = cause.strerror or str(cause)
        return f"cannot resolve the host name ({reason}): no network, or a mistyped address"
    if cause is not None and cause.errno:
        return f"cannot connect: {os.strerror(cause.errno)}"
    return f"cannot connect: {exc or type(exc).__name__}"


def _system_error(exc: BaseException) -> OSError | None:
    """The innermost OSError with an errno behind `exc` (the transport wraps the system's
    "Connection refused" in "All connection attempts failed")."""
    found: OSError | None = None
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, OSError) and current.errno is not None:
            found = current
        current = current.__cause__ or current.__context__
    return found
