"""What the reviewer sees: one flag, each side's words highlighted inside their sentences."""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Mapping

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.text import Text

from agent.context import excerpt
from agent.models import (
    Article,
    Contradiction,
    ContradictionType,
    ReviewDecision,
    ReviewStatus,
    Side,
)
from agent.sentences import split_sentences
from agent.terminal_text import printable

KEYS: list[tuple[str, str]] = [
    ("c", "confirm: it is a real contradiction"),
    ("r", "reject: it is not"),
    ("s", "skip: leave it pending (→ also skips)"),
    ("n", "note: type a note, Enter to save (empty cancels)"),
    ("t", "type: change the contradiction type"),
    ("u", "undo the last decision, note or type change"),
    ("b", "back to the previous flag (← also goes back)"),
    ("q", "quit (every decision is already saved)"),
    ("?", "show these keys"),
]
TYPES: list[ContradictionType] = list(ContradictionType)
_SIDE_STYLE = {"A": "bold black on yellow", "B": "bold black on bright_cyan"}
_STATUS_STYLE = {"confirmed": "bold green", "rejected": "bold red", "pending": "yellow"}


def header(position: int, total: int, counts: Mapping[ReviewDecision, int]) -> Text:
    """ "4 of 17, 3 confirmed, 1 rejected" (one style, so it reads as one string anywhere)."""
    return Text(
        f"{position} of {total}, {counts['confirmed']} confirmed, "
        f"{counts['rejected']} rejected, {counts['pending']} pending",
        style="bold",
    )


def flag_view(
    flag: Contradiction,
    status: ReviewStatus,
    articles: dict[str, Article],
    marks: bool = False,
    sentences: int = 1,
) -> RenderableType:
    """The flag: type, status, summary, then each side's words inside their sentences.

    Two sides in one passage of one article share a panel, each quote in its own colour.
    `marks` puts « » around each quote, for output without colour (a pipe, NO_COLOR);
    `sentences` is how many sentences of context to show on each side of a quote.
    """
    line = Text()
    if status.type is not None and status.type != flag.type:
        line.append(flag.type.value, style="strike")
        line.append(f" → {status.type.value}", style="bold magenta")
    else:
        line.append(flag.type.value, style="bold magenta")
    line.append(f"  confidence {flag.confidence:.2f}  ")
    line.append(status.decision, style=_STATUS_STYLE[status.decision])
    if status.reviewer and status.decision != "pending":
        line.append(f" by {printable(status.reviewer)}", style="dim")
    # Everything from an article, a model or a reviewer goes through printable(): an escape
    # sequence in it is shown, never obeyed by the terminal.
    summary = Text(printable(flag.summary, multiline=True), style="italic")
    parts: list[RenderableType] = [line, summary]
    labelled = list(zip("AB", flag.sides, strict=False))
    groups = [labelled] if _one_passage(labelled, articles) else [[s] for s in labelled]
    for group in groups:
        parts.append(_panel(group, articles.get(group[0][1].article_id), marks, sentences))
    if status.note:
        parts.append(Text(f"Note: {printable(status.note)}", style="bold"))
    return Group(*parts)


def _one_passage(sides: list[tuple[str, Side]], articles: dict[str, Article]) -> bool:
    """Both sides in one article, in the same or neighbouring sentences: one excerpt shows both."""
    if len(sides) != 2 or sides[0][1].article_id != sides[1][1].article_id:
        return False
    article = articles.get(sides[0][1].article_id)
    if article is None:
        return False
    ends = [end for _, end in split_sentences(article.text)]
    first, second = (bisect.bisect_right(ends, s.start) for _, s in sides)
    return abs(first - second) <= 1


def _panel(
    sides: list[tuple[str, Side]], article: Article | None, marks: bool, sentences: int
) -> Panel:
    """Who says it and where, then the passage with each side's quote highlighted."""
    about = Text()
    for label, side in sides:
        if len(sides) > 1:
            about.append(f"{label}: ", style=_SIDE_STYLE[label])
        about.append(printable(side.claimant), style="bold cyan")
        about.append("  ")
    about.append("in " + _article_line(sides[0][1].article_id, article))
    body = Text()
    grounded = article is not None and all(
        article.text[s.start : s.end] == s.quote for _, s in sides
    )
    if article is not None and grounded:
        lo = min(s.start for _, s in sides)
        hi = max(s.end for _, s in sides)
        ex = excerpt(article.text, lo, hi, sentences)
        body.append(("… " if ex.cut_before else "") + printable(ex.before, multiline=True))
        _highlight(body, article.text, lo, hi, sides, marks)
        body.append(printable(ex.after, multiline=True) + (" …" if ex.cut_after else ""))
    else:  # no article text to show around it: the quotes alone
        for label, side in sides:
            quote = printable(side.quote, multiline=True)
            body.append(f"«{quote}»" if marks else quote, style=_SIDE_STYLE[label])
    title = ("Sides " if len(sides) > 1 else "Side ") + " and ".join(label for label, _ in sides)
    return Panel(Group(about, Text(""), body), title=title, title_align="left")


def _highlight(
    body: Text, text: str, lo: int, hi: int, sides: list[tuple[str, Side]], marks: bool
) -> None:
    """text[lo:hi] with each side's span in that side's colour (and « » when `marks`)."""
    cuts = sorted({lo, hi, *(x for _, s in sides for x in (s.start, s.end))})
    for a, b in itertools.pairwise(cuts):
        owner = next((label for label, s in sides if s.start <= a and b <= s.end), None)
        opens = marks and any(s.start == a for _, s in sides)
        closes = marks and any(s.end == b for _, s in sides)
        words = printable(text[a:b], multiline=True)
        chunk = ("«" if opens else "") + words + ("»" if closes else "")
        body.append(chunk, style=_SIDE_STYLE[owner] if owner else "")


def keys_help() -> Text:
    """The key list shown by `?`."""
    text = Text("Keys:\n", style="bold")
    for key, meaning in KEYS:
        text.append(f"  {key}  ", style="bold")
        text.append(meaning + "\n")
    return text


def key_bar(position: int, total: int) -> Text:
    """The line under each flag: where the reviewer is and the keys (always on screen)."""
    return Text(
        f"{position}/{total}  [c]onfirm [r]eject [s]kip [n]ote [t]ype [u]ndo [b]ack [q]uit [?]help",
        style="dim",
    )


def type_menu(current: ContradictionType) -> Text:
    """The numbered list of types for `t`."""
    text = Text("New type (number; any other key cancels):\n", style="bold")
    for i, kind in enumerate(TYPES, start=1):
        mark = " (current)" if kind == current else ""
        text.append(f"  {i}  {kind.value}{mark}\n")
    return text


def _article_line(article_id: str, article: Article | None) -> str:
    if article is None:
        return printable(article_id)
    bits = [f"“{article.title}”" if article.title else article_id]
    bits += [x for x in (article.source, str(article.published or "")) if x]
    return printable(" · ".join(bits) + (f" ({article_id})" if article.title else ""))
