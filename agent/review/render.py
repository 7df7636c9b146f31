"""What the reviewer sees: one flag, each side's words highlighted inside their sentences."""

from __future__ import annotations

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
_STATUS_STYLE = {"confirmed": "bold green", "rejected": "bold red", "pending": "yellow"}


def header(position: int, total: int, counts: Mapping[ReviewDecision, int]) -> Text:
    """ "4 of 17, 3 confirmed, 1 rejected" (one style, so it reads as one string anywhere)."""
    return Text(
        f"{position} of {total}, {counts['confirmed']} confirmed, "
        f"{counts['rejected']} rejected, {counts['pending']} pending",
        style="bold",
    )


def flag_view(
    flag: Contradiction, status: ReviewStatus, articles: dict[str, Article], marks: bool = False
) -> RenderableType:
    """The flag: type, status, summary, then each side in its own panel.

    `marks` puts « » around each quote, for output without colour (a pipe, NO_COLOR).
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
        line.append(f" by {status.reviewer}", style="dim")
    parts: list[RenderableType] = [line, Text(flag.summary, style="italic")]
    for label, side in zip("AB", flag.sides, strict=False):
        parts.append(side_panel(f"Side {label}", side, articles.get(side.article_id), marks))
    if status.note:
        parts.append(Text(f"Note: {status.note}", style="bold"))
    return Group(*parts)


def side_panel(label: str, side: Side, article: Article | None, marks: bool = False) -> Panel:
    """Claimant and article on top, the quote highlighted inside its sentences below."""
    quote = f"«{side.quote}»" if marks else side.quote
    about = Text()
    about.append(side.claimant, style="bold cyan")
    about.append(" in ")
    about.append(_article_line(side.article_id, article))
    body = Text()
    if article is not None and article.text[side.start : side.end] == side.quote:
        ex = excerpt(article.text, side.start, side.end)
        body.append(("… " if ex.cut_before else "") + ex.before)
        body.append(quote, style="bold black on yellow")
        body.append(ex.after + (" …" if ex.cut_after else ""))
    else:  # no article text to show around it: the quote alone
        body.append(quote, style="bold black on yellow")
    return Panel(Group(about, Text(""), body), title=label, title_align="left")


def keys_help() -> Text:
    """The key list shown by `?`."""
    text = Text("Keys:\n", style="bold")
    for key, meaning in KEYS:
        text.append(f"  {key}  ", style="bold")
        text.append(meaning + "\n")
    return text


def key_bar() -> Text:
    """The one-line reminder under each flag."""
    return Text("[c]onfirm [r]eject [s]kip [n]ote [t]ype [u]ndo [b]ack [q]uit [?]help", style="dim")


def type_menu(current: ContradictionType) -> Text:
    """The numbered list of types for `t`."""
    text = Text("New type (number; any other key cancels):\n", style="bold")
    for i, kind in enumerate(TYPES, start=1):
        mark = " (current)" if kind == current else ""
        text.append(f"  {i}  {kind.value}{mark}\n")
    return text


def _article_line(article_id: str, article: Article | None) -> str:
    if article is None:
        return article_id
    bits = [f"“{article.title}”" if article.title else article_id]
    bits += [x for x in (article.source, str(article.published or "")) if x]
    return " · ".join(bits) + (f" ({article_id})" if article.title else "")
