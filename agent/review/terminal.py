"""The review loop: show a dispute (or one of its pairs), read a key, act, repeat; then
refresh the report files."""

from __future__ import annotations

import os
import signal
from pathlib import Path
from types import FrameType

from rich.console import Console, RenderableType

from agent.models import Article, Claim, ContradictionType, ReviewDecision
from agent.outdir import OutputFolderError, writable_problem
from agent.report_files import publish, read_report
from agent.review.actions import ActionError, new_in_decided
from agent.review.keys import KeyReader
from agent.review.log import LOG_NAME
from agent.review.render import (
    TYPES,
    claim_list,
    dispute_view,
    flag_view,
    header,
    key_bar,
    keys_help,
    type_menu,
)
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
_RECORDING_KEYS = frozenset("crntuwa")
"""Keys that record something in the log (skip records too, but moves on when browsing)."""
_CLAIMS_SHOWN = 20
"""Claims listed at once when picking one for `a` (more: type words to narrow the list)."""
_CANCELLED = "cancelled"


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
    folder_read_only = read_only_reason(out_dir)
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
    counts, pairs = session.counts(), session.pair_counts()
    mirrored = "" if not_refreshed else ", statuses in report.json and report.html"
    console.print(
        printable(
            f"Saved. {counts['confirmed']} confirmed, {counts['rejected']} rejected, "
            f"{counts['pending']} pending of {len(session.queue)} disputes (pairs: "
            f"{pairs['confirmed']} confirmed, {pairs['rejected']} rejected, "
            f"{pairs['pending']} pending); decisions in {out_dir / LOG_NAME}{mirrored}."
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
    orphans = (
        len(updated.orphaned_reviews)
        + len(updated.orphaned_dispute_reviews)
        + len(updated.orphaned_corrections)
    )
    if orphans:
        console.print(
            f"{orphans} decision(s) belong to flags, disputes or claims this report does "
            "not have (orphaned; kept and listed in report.json).",
            style="yellow",
        )


def read_only_reason(out_dir: Path) -> str | None:
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
            message = _act(session, keys, console, key, by_id)
        except NotSaved as exc:  # nothing changed; the reviewer reads why and goes on browsing
            message = str(exc)
        except ActionError as exc:  # nothing recorded: say why
            message = str(exc)


def _act(
    session: ReviewSession,
    keys: KeyReader,
    console: Console,
    key: str,
    articles: dict[str, Article],
) -> str | None:
    """Do what the key says; returns the message to show, or None when input ended."""
    item = session.current
    action = _ACTIONS.get(key)
    if session.browse_only and key in _RECORDING_KEYS:
        return "Browsing only: this folder cannot be written (s next, b back, q quits)."
    if action == "back":
        session.back()
    elif item is None and key in ("c", "r", "s", "n", "t", "right", "p", "w", "a"):
        return "No dispute here: b goes back, q quits."
    elif action is not None:
        getattr(session, action)()
    elif key == "p":
        if session.pair_index is not None:
            return "Already in the pairs: d goes back to the whole dispute."
        if not session.enter_pairs():
            return "This flag is a single pair: c and r decide it."
    elif key in ("d", "esc"):
        session.leave_pairs()
    elif key == "n":
        session.check_writable()  # before the reviewer types a note that cannot be kept
        console.print("Note (Enter saves, empty cancels): ", end="", highlight=False)
        text = keys.line()
        if text is None:
            return None
        if text.strip():
            session.note(text.strip())
            return "Note saved."
    elif key == "t":
        session.check_writable()
        return _retype(session, keys, console)
    elif key == "w":
        session.check_writable()
        return _correct_claimant(session, keys, console)
    elif key == "a":
        session.check_writable()
        return _add(session, keys, console, articles)
    elif key == "u":
        undone = session.undo()
        return f"Undid {undone.action}." if undone else "Nothing to undo."
    elif key == "?":
        return "?"
    else:
        return f"Unknown key {key!r}: press ? for the keys."
    return ""


def _retype(session: ReviewSession, keys: KeyReader, console: Console) -> str | None:
    item, pair = session.current, session.current_pair
    assert item is not None
    if pair is not None or item.single:
        flag = pair or item.pairs[0]
        current = flag.review.type or flag.type
    else:
        current = session.status(item).type or item.dispute.types[0]
    console.print(type_menu(current))
    choice = keys.key()
    if choice is None:
        return None
    if choice.isdigit() and 1 <= int(choice) <= len(TYPES):
        session.retype(TYPES[int(choice) - 1])
        return f"Type set to {TYPES[int(choice) - 1].value}."
    return "Type unchanged."


def _correct_claimant(session: ReviewSession, keys: KeyReader, console: Console) -> str | None:
    sides = session.sides()
    lettered = session.current_pair is not None or (
        session.current is not None and session.current.single
    )
    which = "A or B" if lettered else f"1 to {len(sides)}"
    console.print(f"Whose claimant? The side ({which}), Enter (empty cancels): ", end="")
    answer = keys.line()
    if answer is None:
        return None
    answer = answer.strip().upper()
    if not answer:
        return "Claimant unchanged."
    number = "AB".index(answer) + 1 if lettered and answer in ("A", "B") else None
    if number is None and answer.isdigit():
        number = int(answer)
    if number is None or not 1 <= number <= len(sides):
        return f"No side {answer!r} here ({which}): claimant unchanged."
    side = sides[number - 1]
    console.print(
        printable(f"Right claimant instead of {side.claimant} (Enter saves, empty cancels): "),
        end="",
        markup=False,
        highlight=False,
    )
    name = keys.line()
    if name is None:
        return None
    if not name.strip():
        return "Claimant unchanged."
    was = session.correct_claimant(number, name)
    return printable(f"Claimant of side {answer} set to {' '.join(name.split())} (was {was}).")


def _add(
    session: ReviewSession, keys: KeyReader, console: Console, articles: dict[str, Article]
) -> str | None:
    claims = session.story_claims()
    if len(claims) < 2:
        return "This story has fewer than two claims: nothing to add."
    console.print("Add a contradiction the tool missed: choose two claims of this story.")
    picked: list[tuple[int, Claim]] = []
    for which in ("First", "Second"):
        chosen = _pick(which, claims, keys, console, articles)
        if chosen is None:
            return None
        if chosen == _CANCELLED:
            return "Nothing added."
        assert not isinstance(chosen, str)
        picked.append(chosen)
    console.print(type_menu(None))
    choice = keys.key()
    if choice is None:
        return None
    if not (choice.isdigit() and 1 <= int(choice) <= len(TYPES)):
        return "Nothing added (no type chosen)."
    kind: ContradictionType = TYPES[int(choice) - 1]
    console.print("Note (what is disputed; Enter saves, may be empty): ", end="", highlight=False)
    note = keys.line()
    if note is None:
        return None
    (n1, first), (n2, second) = picked
    session.add(first, second, kind, note)
    return f"Added a {kind.value} contradiction between claims {n1} and {n2} (confirmed)."


def _pick(
    which: str,
    claims: list[Claim],
    keys: KeyReader,
    console: Console,
    articles: dict[str, Article],
) -> tuple[int, Claim] | str | None:
    """A claim chosen by its number; words narrow the list. None at end of input."""
    words: list[str] = []
    while True:
        matches = [(n, c) for n, c in enumerate(claims, start=1) if _matches(c, words)]
        console.print(
            claim_list(matches[:_CLAIMS_SHOWN], articles, max(len(matches) - _CLAIMS_SHOWN, 0))
        )
        console.print(
            f"{which} claim: its number, or words to narrow the list (empty cancels): ",
            end="",
            highlight=False,
        )
        line = keys.line()
        if line is None:
            return None
        line = line.strip()
        if not line:
            return _CANCELLED
        if line.isdigit():
            if 1 <= int(line) <= len(claims):
                return int(line), claims[int(line) - 1]
            console.print(f"No claim {line} (1 to {len(claims)}).", highlight=False)
            continue
        words = line.lower().split()


def _matches(claim: Claim, words: list[str]) -> bool:
    haystack = " ".join((claim.claimant, claim.quote, claim.statement, claim.article_id)).lower()
    return all(w in haystack for w in words)


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
    item, pair = session.current, session.current_pair
    position = min(session.index + 1, total)
    where = None
    if item is not None and pair is not None and session.pair_index is not None:
        where = (session.pair_index + 1, len(item.pairs))
    console.print(header(position, total, session.counts(), session.pair_counts(), where))
    view_kind = "dispute"
    if item is None:
        console.print(f"End of the {total} disputes. b goes back, q quits.")
    else:
        marks = console.no_color or not console.is_terminal

        def render(sentences: int) -> RenderableType:
            assert item is not None
            if pair is not None:
                n = where[0] if where else 1
                context = f"Pair {n} of {len(item.pairs)} of: {item.dispute.matter}"
                if new_in_decided(item, pair):
                    context += f" (new since the dispute was {item.dispute.review.decision})"
                return flag_view(pair, pair.review, articles, marks, sentences, context)
            if item.single:
                return flag_view(item.pairs[0], session.status(item), articles, marks, sentences)
            return dispute_view(
                item.dispute, session.status(item), item.pairs, articles, marks, sentences
            )

        view = render(1)
        if clear and _height(console, view) > console.height - _CHROME_LINES:
            # A short terminal: the quotes' own sentences only, so the header stays on screen.
            view = render(0)
        console.print(view)
        view_kind = "pair" if pair is not None else "single" if item.single else "dispute"
    if message == "?":
        console.print(keys_help())
    elif message:
        console.print(message, style="cyan", highlight=False, markup=False)
    console.print(key_bar(position, total, view_kind))


def _height(console: Console, view: RenderableType) -> int:
    return len(console.render_lines(view, console.options, pad=False))


def _exit_cleanly(signum: int, frame: FrameType | None) -> None:
    # SIGTERM: leave through the finally blocks, so the terminal is restored.
    raise KeyboardInterrupt
