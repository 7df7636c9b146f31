"""The review loop: show a flag, read a key, act, repeat; then refresh the report files."""

from __future__ import annotations

import os
import signal
from pathlib import Path
from types import FrameType

from rich.console import Console, RenderableType

from agent.models import Article, ReviewDecision
from agent.outdir import OutputFolderError, writable_problem
from agent.report_files import publish, read_report
from agent.review.keys import KeyReader
from agent.review.log import LOG_NAME
from agent.review.render import TYPES, flag_view, header, key_bar, keys_help, type_menu
from agent.review.session import NotSaved, ReviewSession
from agent.terminal_text import printable

_CHROME_LINES = 3
"""Lines around the flag: the header, a message and the key bar."""
_ACTIONS = {
    "c": "confirm",
    "r": "reject",
    "s": "skip",
    "right": "skip",
    "b": "back",
    "left": "back",
}
_RECORDING_KEYS = frozenset("crntu")
"""Keys that record something in the log (skip records too, but moves on when browsing)."""


def run_review(
    out_dir: Path,
    reviewer: str,
    console: Console,
    only: ReviewDecision | None = None,
    reader: KeyReader | None = None,
) -> None:
    """Review the flags of the report in `out_dir` until the reviewer quits or input ends.

    Raises agent.report_files.ReportFolderError when the folder holds no usable report.
    """
    report = read_report(out_dir)
    folder_read_only = _read_only(out_dir)
    session = ReviewSession(report, out_dir, reviewer, only, read_only=folder_read_only)
    if folder_read_only:
        console.print(
            printable(
                f"{out_dir} cannot be written ({folder_read_only}): browsing only, "
                "decisions cannot be saved."
            ),
            style="yellow",
            highlight=False,
            markup=False,
            soft_wrap=True,
        )
    for problem in session.problems:
        console.print(
            printable(f"warning: {problem}"), style="yellow", highlight=False, markup=False
        )
    if session.read_only is not None and not folder_read_only:
        # The folder looked writable, but the log could not be opened (a full disk, say).
        console.print(
            printable(
                f"warning: {out_dir / 'reviews.jsonl'} cannot be written ({session.read_only}): "
                "browsing only, decisions are not saved"
            ),
            style="yellow",
            highlight=False,
            markup=False,
        )
    if not session.queue:
        what = f"{only} flags" if only else "flagged contradictions"
        console.print(printable(f"No {what} to review in {out_dir / 'report.json'}."), markup=False)
        session.close()
        return
    previous = signal.signal(signal.SIGTERM, _exit_cleanly)
    try:
        with reader or KeyReader() as keys:
            _loop(session, keys, console, report.articles)
    except KeyboardInterrupt:
        pass  # every decision is already on disk
    finally:
        signal.signal(signal.SIGTERM, previous)
        session.close()
    if folder_read_only:
        console.print(
            printable(f"Nothing saved: {out_dir} cannot be written."), markup=False, soft_wrap=True
        )
        return
    # The log is the record; the report files only mirror it, so refresh them now.
    not_refreshed: str | None = None
    try:
        updated, _ = publish(report, out_dir)
    except OutputFolderError as exc:  # a report file edited by hand is never overwritten
        updated, not_refreshed = report, str(exc)
    except OSError as exc:  # a full disk, a read-only folder: the log holds what was saved
        updated = report
        not_refreshed = f"{out_dir}: cannot write the report ({exc.strerror or exc})"
    counts = session.counts()
    mirrored = "" if not_refreshed else ", statuses in report.json and report.html"
    console.print(
        printable(
            f"Saved. {counts['confirmed']} confirmed, {counts['rejected']} rejected, "
            f"{counts['pending']} pending of {len(session.queue)}; "
            f"decisions in {out_dir / LOG_NAME}{mirrored}."
        ),
        highlight=False,
        markup=False,
    )
    if not_refreshed:
        console.print(
            printable(f"warning: the report files were not refreshed: {not_refreshed}."),
            style="yellow",
            highlight=False,
            markup=False,
            soft_wrap=True,
        )
    if updated.orphaned_reviews:
        console.print(
            f"{len(updated.orphaned_reviews)} decision(s) belong to flags this report does "
            "not have (orphaned; kept and listed in report.json).",
            style="yellow",
        )


def _read_only(out_dir: Path) -> str | None:
    """Why decisions cannot be saved in `out_dir` (read-only), or None."""
    problem = writable_problem(out_dir)
    log = out_dir / LOG_NAME
    if problem is None and log.exists() and not os.access(log, os.W_OK):
        problem = f"{LOG_NAME} cannot be written"
    return problem


def _loop(
    session: ReviewSession, keys: KeyReader, console: Console, articles: list[Article]
) -> None:
    by_id = {a.id: a for a in articles}
    message: str | None = ""
    while message is not None:
        _show(session, console, by_id, message, keys.is_tty)
        key = keys.key()
        if key is None or key == "q":
            return
        try:
            message = _act(session, keys, console, key)
        except NotSaved as exc:  # nothing changed; the reviewer reads why and goes on browsing
            message = str(exc)


def _act(session: ReviewSession, keys: KeyReader, console: Console, key: str) -> str | None:
    """Do what the key says; returns the message to show, or None when input ended."""
    flag = session.current
    action = _ACTIONS.get(key)
    if session.browse_only and key in _RECORDING_KEYS:
        return "Browsing only: this folder cannot be written (s next, b back, q quits)."
    if action == "back":
        session.back()
    elif flag is None and key in ("c", "r", "s", "n", "t", "right"):
        return "No flag here: b goes back, q quits."
    elif action is not None:
        getattr(session, action)()
    elif key == "n" and flag is not None:
        session.check_writable()  # before the reviewer types a note that cannot be kept
        console.print("Note (Enter saves, empty cancels): ", end="", highlight=False)
        text = keys.line()
        if text is None:
            return None
        if text.strip():
            session.note(text.strip())
            return "Note saved."
    elif key == "t" and flag is not None:
        session.check_writable()
        console.print(type_menu(session.status(flag).type or flag.type))
        choice = keys.key()
        if choice is None:
            return None
        if choice.isdigit() and 1 <= int(choice) <= len(TYPES):
            session.retype(TYPES[int(choice) - 1])
            return f"Type set to {TYPES[int(choice) - 1].value}."
        return "Type unchanged."
    elif key == "u":
        undone = session.undo()
        return f"Undid {undone.action}." if undone else "Nothing to undo."
    elif key == "?":
        return "?"
    else:
        return f"Unknown key {key!r}: press ? for the keys."
    return ""


def _show(
    session: ReviewSession,
    console: Console,
    articles: dict[str, Article],
    message: str,
    clear: bool,
) -> None:
    if clear:
        console.clear()
    total = len(session.queue)
    flag = session.current
    position = min(session.index + 1, total)
    console.print(header(position, total, session.counts()))
    if flag is None:
        console.print(f"End of the {total} flags. b goes back, q quits.")
    else:
        marks = console.no_color or not console.is_terminal
        view = flag_view(flag, session.status(flag), articles, marks)
        if clear and _height(console, view) > console.height - _CHROME_LINES:
            # A short terminal: the quotes' own sentences only, so the header stays on screen.
            view = flag_view(flag, session.status(flag), articles, marks, sentences=0)
        console.print(view)
    if message == "?":
        console.print(keys_help())
    elif message:
        console.print(message, style="cyan", highlight=False, markup=False)
    console.print(key_bar(position, total))


def _height(console: Console, view: RenderableType) -> int:
    return len(console.render_lines(view, console.options, pad=False))


def _exit_cleanly(signum: int, frame: FrameType | None) -> None:
    # SIGTERM: leave through the finally blocks, so the terminal is restored.
    raise KeyboardInterrupt
