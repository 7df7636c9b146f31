"""A small web server on 127.0.0.1 for the URL tests (http.server in a thread).

Each route answers one way: a page, a redirect, another content type, an error status, a
body far over the cap (declared, or streamed with no length), or a body that drips. Every
loop is bounded, so a client that stops reading or hangs up never keeps a thread busy for
long; the server logs nothing.

    with WebServer() as web:
        web.page("/ferry", html)
        web.redirect("/old", "/ferry")
        url = web.url("/old")
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Self

Route = Callable[[BaseHTTPRequestHandler], None]


class WebServer:
    """Routes by path; an unknown path is a 404."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                server.requests.append((self.path, dict(self.headers.items())))
                route = server.routes.get(self.path.split("?")[0])
                try:
                    if route is None:
                        _send(self, 404, "text/html", b"<html><body>Not found</body></html>")
                    else:
                        route(self)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client stopped reading: what the caps are for

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def url(self, path: str) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}{path}"

    def page(self, path: str, html: str | bytes, content_type: str = "text/html") -> None:
        body = html.encode("utf-8") if isinstance(html, str) else html
        self.routes[path] = lambda h: _send(h, 200, content_type, body)

    def redirect(self, path: str, to: str, status: int = 302) -> None:
        def answer(h: BaseHTTPRequestHandler) -> None:
            h.send_response(status)
            h.send_header("Location", to)
            h.send_header("Content-Length", "0")
            h.end_headers()

        self.routes[path] = answer

    def status(self, path: str, status: int) -> None:
        self.routes[path] = lambda h: _send(h, status, "text/html", b"<html>error</html>")

    def declared_huge(self, path: str, size: int) -> None:
        """Declares `size` bytes and sends a first chunk only."""

        def answer(h: BaseHTTPRequestHandler) -> None:
            h.send_response(200)
            h.send_header("Content-Type", "text/html")
            h.send_header("Content-Length", str(size))
            h.end_headers()
            h.wfile.write(b"<html>" + b" " * 1024)

        self.routes[path] = answer

    def endless(self, path: str, limit_bytes: int) -> None:
        """A chunked body with no declared length, up to `limit_bytes` (or a hang-up)."""

        def answer(h: BaseHTTPRequestHandler) -> None:
            h.send_response(200)
            h.send_header("Content-Type", "text/html")
            h.send_header("Transfer-Encoding", "chunked")
            h.end_headers()
            chunk = b"<p>" + b"filler words " * 5000 + b"</p>\n"
            sent = 0
            while sent < limit_bytes:
                h.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
                sent += len(chunk)
            h.wfile.write(b"0\r\n\r\n")

        self.routes[path] = answer

    def drip(self, path: str, every: float, for_seconds: float) -> None:
        """A page sent one byte every `every` seconds, for at most `for_seconds`."""

        def answer(h: BaseHTTPRequestHandler) -> None:
            h.send_response(200)
            h.send_header("Content-Type", "text/html")
            h.send_header("Transfer-Encoding", "chunked")
            h.end_headers()
            stop = time.monotonic() + for_seconds
            while time.monotonic() < stop:
                h.wfile.write(b"1\r\n \r\n")
                h.wfile.flush()
                time.sleep(every)
            h.wfile.write(b"0\r\n\r\n")

        self.routes[path] = answer


def _send(h: BaseHTTPRequestHandler, status: int, content_type: str, body: bytes) -> None:
    h.send_response(status)
    h.send_header("Content-Type", content_type)
    h.send_header("Content-Length", str(len(body)))
    h.end_headers()
    h.wfile.write(body)
