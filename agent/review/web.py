"""`reconcile review --web`: the review in a browser, served from 127.0.0.1.

The server serves report.html in review mode (its action buttons shown, and review.js giving
them their behaviour) and a small JSON API that calls the same ReviewEngine as the terminal
review, so every action is the same line of OUT/reviews.jsonl, durable before the answer goes
out; an action that cannot be written is an error answer, never a silent loss.

Any local process, and any web page the user visits, can reach a port on 127.0.0.1, so every
request must pass four checks: the Host header names this server (127.0.0.1:PORT or
localhost:PORT: a DNS-rebinding page's Host is its own name), an Origin, when sent, is this
server's, the per-run random token (in the URL for the page, in a header for the API) matches,
and a POST is application/json (which a cross-site form cannot send without a preflight,
which is refused).

The standard library's ThreadingHTTPServer: a browser keeps idle connections open, which
would stall a single-threaded server; one lock serialises the engine.
"""

from __future__ import annotations

import contextlib
import hmac
import json
import secrets
import signal
import sys
import threading
import webbrowser
from collections.abc import Callable
from email.message import Message
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import FrameType
from typing import Any, ClassVar, Literal
from urllib.parse import parse_qs, urlsplit

from pydantic import BaseModel, Field, ValidationError

from agent.base import Strict
from agent.models import Contradiction, ContradictionType, ReviewDecision
from agent.outdir import OutputFolderError
from agent.report_files import publish, read_report
from agent.report_html import render_html
from agent.review.actions import (
    ActionError,
    Decision,
    NotSaved,
    ReviewEngine,
    ReviewItem,
    claim_ref,
    item_status,
)
from agent.review.log import LOG_NAME, ReviewEvent, last_undoable
from agent.review.terminal import read_only_reason

TOKEN_HEADER = "X-Reconcile-Token"
"""The header every API request carries the run's token in."""
MAX_BODY = 64 * 1024
"""The largest request body accepted (a note is a few lines)."""


class WebReviewError(Exception):
    """The server cannot start (the port is taken, say): one line."""


# --- the API's requests ----------------------------------------------------------------------


class Target(Strict):
    """What an action is about, as the page names it."""

    scope: Literal["dispute", "pair"]
    """A whole dispute (or a flag in no dispute), or one pair of a dispute."""
    fingerprint: str
    """The dispute's fingerprint (scope dispute) or the pair's (scope pair)."""


class DecideRequest(Target):
    """POST /api/decide."""

    decision: Decision
    """confirm or reject."""


class NoteRequest(Target):
    """POST /api/note."""

    text: str = Field(min_length=1, max_length=4000)
    """The note (it replaces an earlier one)."""


class RetypeRequest(Target):
    """POST /api/retype."""

    type: ContradictionType
    """The right type."""


class ClaimantRequest(Target):
    """POST /api/claimant: the claimant of one side of a dispute's position is wrong."""

    position: int = Field(ge=0)
    """The position's index in the dispute (0-based, as the page lists them)."""
    side: int = Field(ge=0)
    """The side's index in that position (0-based)."""
    claimant: str = Field(min_length=1, max_length=300)
    """The right claimant."""


class AddRequest(Strict):
    """POST /api/add: a contradiction the tool missed, between two claims."""

    claims: list[int] = Field(min_length=2, max_length=2)
    """The two claims, by their index in the report's claims (the page's order)."""
    type: ContradictionType
    """Its type."""
    note: str = Field(default="", max_length=4000)
    """What is disputed (may be empty)."""


class UndoRequest(Strict):
    """POST /api/undo: cancel the latest change in the log (no fields)."""


_REQUESTS: dict[str, type[BaseModel]] = {
    "decide": DecideRequest,
    "note": NoteRequest,
    "retype": RetypeRequest,
    "claimant": ClaimantRequest,
    "add": AddRequest,
    "undo": UndoRequest,
}


class Refused(Exception):
    """A request answered with an error status and one line saying why."""

    def __init__(self, status: HTTPStatus, message: str) -> None:
        super().__init__(message)
        self.status = status
        """The HTTP status of the answer."""


# --- the review behind the server ------------------------------------------------------------


class WebReview:
    """One web review: the engine, the server bound to 127.0.0.1, the run's token."""

    def __init__(self, out_dir: Path, reviewer: str, port: int = 0) -> None:
        """Read the report and the log and bind the port (0: any free one). Raises
        agent.report_files.ReportFolderError (no usable report) or WebReviewError."""
        self.out_dir = out_dir
        self._report = read_report(out_dir)
        self.folder_read_only = read_only_reason(out_dir)
        """Why the folder cannot be written (browse only), or None."""
        self.engine = ReviewEngine(self._report, out_dir, reviewer, self.folder_read_only)
        self.token = secrets.token_urlsafe(32)
        """The run's secret: every request must carry it."""
        self.lock = threading.Lock()
        """Held for every use of the engine (requests come on several threads)."""
        self._pages: dict[tuple[int, str], bytes] = {}
        self._closed = False
        self._loaded = len(self.engine.events)
        try:
            self._server = _Server(("127.0.0.1", port), _Handler)
        except (OSError, OverflowError) as exc:  # in use, or not a port (over 65535)
            self.engine.close()
            why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            raise WebReviewError(f"cannot listen on 127.0.0.1:{port}: {why}") from None
        self._server.review = self
        self.port: int = self._server.server_address[1]
        """The port it listens on."""

    @property
    def url(self) -> str:
        """The page's address, token included: the only way in."""
        return f"http://127.0.0.1:{self.port}/?token={self.token}"

    @property
    def hosts(self) -> frozenset[str]:
        """The Host headers accepted."""
        return frozenset({f"127.0.0.1:{self.port}", f"localhost:{self.port}"})

    def serve_forever(self) -> None:
        """Answer requests until `shutdown` (from another thread) or Ctrl-C."""
        self._server.serve_forever()

    def shutdown(self) -> None:
        """Stop `serve_forever` (call from another thread)."""
        self._server.shutdown()

    def close(self) -> str:
        """Stop listening, close the log (waiting for an action under way) and refresh the
        report files from it; returns the one line to print."""
        self._server.server_close()
        with self.lock:
            if not self._closed:
                self.engine.close()
                self._closed = True
        saved = len(self.engine.events) - self._loaded
        if self.folder_read_only:
            return f"Stopped. Nothing saved: {self.out_dir} cannot be written."
        stopped = f"Stopped. {saved} action(s) saved in {self.out_dir / LOG_NAME}"
        try:
            publish(self._report, self.out_dir)
        except OutputFolderError as exc:  # a report file edited by hand is never overwritten
            return f"{stopped}; the report files were not refreshed: {exc}"
        except OSError as exc:  # a full disk: the log holds what was saved
            return f"{stopped}; the report files were not refreshed: {exc.strerror or exc}"
        return f"{stopped}; report.json, report.md and report.html refreshed."

    # --- what the handler calls (under the lock) ---------------------------------------------

    def page(self, host: str) -> bytes:
        """report.html in review mode, as the log stands now, for a page served as `host`."""
        key = (len(self.engine.events), host)
        page = self._pages.get(key)
        if page is None:
            html = render_html(self.engine.report, review_api=f"http://{host}/api/")
            page = html.encode("utf-8")
            self._pages = {key: page}  # one page kept: the log only grows
        return page

    def state(self) -> dict[str, Any]:
        """What the page's review bar shows."""
        engine = self.engine
        counts: dict[ReviewDecision, int] = {"confirmed": 0, "rejected": 0, "pending": 0}
        pairs: dict[ReviewDecision, int] = {"confirmed": 0, "rejected": 0, "pending": 0}
        for item in engine.items:
            counts[item_status(item).decision] += 1
            for p in item.pairs:
                pairs[p.review.decision] += 1
        last = last_undoable(engine.events)
        return {
            "reviewer": engine.reviewer,
            "log": str(self.out_dir / LOG_NAME),
            "browse_only": engine.browse_only,
            "read_only": engine.read_only,
            "disputes": counts,
            "pairs": pairs,
            "undo": None if last is None else _undo_label(last),
            "problems": engine.problems,
            "types": [t.value for t in ContradictionType],
        }

    def act(self, action: str, body: bytes) -> str:
        """Do one action; returns the message saying what was saved. Raises Refused."""
        model = _REQUESTS.get(action)
        if model is None:
            raise Refused(HTTPStatus.NOT_FOUND, f"no action {action!r}")
        try:
            request = model.model_validate_json(body)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "body"
            raise Refused(HTTPStatus.BAD_REQUEST, f"bad request: {where}: {first['msg']}") from None
        engine = self.engine
        if self._closed:  # a request that came in as Ctrl-C was pressed
            raise Refused(HTTPStatus.SERVICE_UNAVAILABLE, "not saved: the review server stopped")
        if engine.browse_only:
            raise Refused(
                HTTPStatus.CONFLICT,
                f"browsing only: {self.out_dir} cannot be written ({engine.read_only}); "
                "nothing is saved",
            )
        try:
            engine.check_writable()  # a log that failed once records nothing more
            return self._do(request)
        except NotSaved as exc:
            raise Refused(HTTPStatus.SERVICE_UNAVAILABLE, _web_not_saved(exc)) from None
        except ActionError as exc:
            raise Refused(HTTPStatus.CONFLICT, str(exc)) from None

    def _do(self, request: BaseModel) -> str:
        engine = self.engine
        if isinstance(request, UndoRequest):
            undone = engine.undo()
            return f"Undid {undone.action}." if undone else "Nothing to undo."
        if isinstance(request, AddRequest):
            claims = engine.report.claims
            if any(not 0 <= i < len(claims) for i in request.claims):
                raise Refused(HTTPStatus.NOT_FOUND, "no such claim (reload the page)")
            first, second = (claims[i] for i in request.claims)
            engine.add_contradiction(first, second, request.type, request.note)
            return (
                f"Added a {request.type.value} contradiction between {first.claimant} and "
                f"{second.claimant} (confirmed)."
            )
        assert isinstance(request, Target)
        item, pair = self._target(request)
        matter = _shorten(item.dispute.matter)
        what = f"the pair of “{matter}”" if pair else f"“{matter}”"
        if isinstance(request, DecideRequest):
            engine.decide(item, request.decision, pair)
            return f"{request.decision.capitalize()}ed {what}."
        if isinstance(request, NoteRequest):
            engine.note(item, " ".join(request.text.split()), pair)
            return f"Note saved on {what}."
        if isinstance(request, RetypeRequest):
            engine.retype(item, request.type, pair)
            return f"Type of {what} set to {request.type.value}."
        assert isinstance(request, ClaimantRequest)
        positions = item.dispute.positions
        if request.position >= len(positions) or request.side >= len(
            positions[request.position].sides
        ):
            raise Refused(HTTPStatus.NOT_FOUND, "no such side (reload the page)")
        side = positions[request.position].sides[request.side]
        engine.correct_claimant(claim_ref(side), request.claimant)
        name = " ".join(request.claimant.split())
        return f"Claimant set to {name} (was {side.claimant})."

    def _target(self, request: Target) -> tuple[ReviewItem, Contradiction | None]:
        engine = self.engine
        if request.scope == "dispute":
            item = engine.item(request.fingerprint)
            if item is None:
                raise Refused(HTTPStatus.NOT_FOUND, "no such dispute (reload the page)")
            return item, None
        item = engine.item_of_pair(request.fingerprint)
        if item is None:
            raise Refused(HTTPStatus.NOT_FOUND, "no such pair (reload the page)")
        pair = next(p for p in item.pairs if p.fingerprint == request.fingerprint)
        return item, None if item.single else pair


def _undo_label(event: ReviewEvent) -> str:
    """What undo would cancel, in words ("confirm on a dispute")."""
    if event.action == "claimant":
        return "claimant correction"
    if event.action == "add":
        return "added contradiction"
    return f"{event.action} on a {event.target}"


def _shorten(text: str, limit: int = 80) -> str:
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > limit // 2 else limit].rstrip(" ,;:") + "…"


def _web_not_saved(exc: NotSaved) -> str:
    # The engine's message names the terminal's keys; the page has buttons.
    return str(exc).split(";")[0] + "; nothing more can be saved in this session"


# --- HTTP ------------------------------------------------------------------------------------


class _Server(ThreadingHTTPServer):
    daemon_threads = True  # an idle keep-alive connection never holds up Ctrl-C
    review: WebReview

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A browser closing a tab (or a client that does not read the answer) resets its
        # connection; that is normal, not a traceback for the reviewer's terminal.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    server_version = "reconcile-review"
    sys_version = ""
    _SECURITY: ClassVar[dict[str, str]] = {
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",  # no other page may frame the review (clickjacking)
        "Referrer-Policy": "no-referrer",
        "Cache-Control": "no-store",
    }

    def do_GET(self) -> None:
        self._answer(self._get)

    def do_POST(self) -> None:
        self._answer(self._post)

    def do_PUT(self) -> None:
        self._refuse_method()

    do_DELETE = do_PATCH = do_OPTIONS = do_HEAD = do_PUT

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the terminal shows the URL and the closing line, not every request

    # --- checks ------------------------------------------------------------------------------

    def _check_origin(self) -> None:
        review = self.server.review
        host = self.headers.get("Host", "")
        if host not in review.hosts:
            raise Refused(
                HTTPStatus.MISDIRECTED_REQUEST,
                f"this review server answers only as 127.0.0.1:{review.port} or "
                f"localhost:{review.port}, not {host or 'no Host'}",
            )
        origin = self.headers.get("Origin")
        if origin is not None and origin not in {f"http://{h}" for h in review.hosts}:
            raise Refused(HTTPStatus.FORBIDDEN, f"requests from {origin} are refused")

    def _check_token(self, given: str | None) -> None:
        expected = self.server.review.token.encode()
        if given is None or not hmac.compare_digest(given.encode(), expected):
            raise Refused(
                HTTPStatus.FORBIDDEN,
                "missing or wrong token: open the URL that reconcile review --web printed",
            )

    # --- routes ------------------------------------------------------------------------------

    def _get(self) -> None:
        self._check_origin()
        parts = urlsplit(self.path)
        review = self.server.review
        if parts.path == "/":
            token = parse_qs(parts.query).get("token", [None])[0]
            self._check_token(token)
            with review.lock:
                page = review.page(self.headers["Host"])
            self._send(HTTPStatus.OK, page, "text/html; charset=utf-8")
        elif parts.path == "/api/state":
            self._check_token(self.headers.get(TOKEN_HEADER))
            with review.lock:
                state = review.state()
            self._json(HTTPStatus.OK, {"ok": True, "state": state})
        else:
            raise Refused(HTTPStatus.NOT_FOUND, f"nothing at {parts.path}")

    def _post(self) -> None:
        self._check_origin()
        parts = urlsplit(self.path)
        if not parts.path.startswith("/api/"):
            raise Refused(HTTPStatus.NOT_FOUND, f"nothing at {parts.path}")
        self._check_token(self.headers.get(TOKEN_HEADER))
        message = Message()
        message["Content-Type"] = self.headers.get("Content-Type", "")
        if message.get_content_type() != "application/json":
            raise Refused(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "only application/json is accepted")
        body = self._body()
        review = self.server.review
        with review.lock:
            try:
                saved = review.act(parts.path.removeprefix("/api/"), body)
            except Refused as exc:
                self._json(exc.status, {"ok": False, "error": str(exc), "state": review.state()})
                return
            state = review.state()
        self._json(HTTPStatus.OK, {"ok": True, "message": saved, "state": state})

    def _body(self) -> bytes:
        length = self.headers.get("Content-Length")
        if length is None or not length.isdigit():
            raise Refused(HTTPStatus.LENGTH_REQUIRED, "a Content-Length is required")
        if int(length) > MAX_BODY:
            raise Refused(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"over {MAX_BODY} bytes")
        return self.rfile.read(int(length))

    # --- answers -----------------------------------------------------------------------------

    def _answer(self, route: Any) -> None:
        try:
            route()
        except Refused as exc:
            self._json(exc.status, {"ok": False, "error": str(exc)})

    def _refuse_method(self) -> None:
        self._json(HTTPStatus.METHOD_NOT_ALLOWED, {"ok": False, "error": "GET and POST only"})

    def _json(self, status: HTTPStatus, data: dict[str, Any]) -> None:
        body = json.dumps(data, ensure_ascii=False).encode("utf-8")
        self._send(status, body, "application/json; charset=utf-8")

    def _send(self, status: HTTPStatus, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in self._SECURITY.items():
            self.send_header(name, value)
        if status >= 400:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


# --- the command -----------------------------------------------------------------------------


def run_web_review(
    out_dir: Path, reviewer: str, port: int, open_browser: bool, say: Callable[[str], None]
) -> None:
    """Serve the review of `out_dir` until Ctrl-C (or SIGTERM); `say` prints one line.

    Raises ReportFolderError or WebReviewError before anything is served.
    """
    review = WebReview(out_dir, reviewer, port)
    if review.folder_read_only:
        say(f"{out_dir} cannot be written ({review.folder_read_only}): browsing only.")
    elif review.engine.read_only:
        why = review.engine.read_only
        say(f"warning: {out_dir / LOG_NAME} cannot be written ({why}): browsing only.")
    for problem in review.engine.problems:
        say(f"warning: {problem}")
    say(f"Reviewing {out_dir} at {review.url}")
    say("Ctrl-C stops the server (every decision is saved as it is taken).")
    if open_browser:
        with contextlib.suppress(webbrowser.Error):
            webbrowser.open(review.url)
    previous = signal.signal(signal.SIGTERM, _stop)
    try:
        review.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        say(review.close())


def _stop(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt
