"""What the reviewer sees: a dispute (every position, each side's words highlighted inside
their sentences) or one flag (pair), and the keys."""

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
    Claim,
    Contradiction,
    ContradictionType,
    Dispute,
    DisputeSide,
    ReviewDecision,
    ReviewStatus,
    Side,
)
from agent.sentences import split_sentences
from agent.terminal_text import printable

KEYS: list[tuple[str, str]] = [
    ("c", "confirm: it is a real contradiction (the whole dispute, or the pair in pair view)"),
    ("r", "reject: it is not"),
    ("p", "pairs: step into the dispute's pairs and decide them one by one"),
    ("d", "back from the pairs to the whole dispute (Esc too)"),
    ("s", "skip: leave it pending (→ also skips)"),
    ("b", "back to the previous dispute or pair (← also goes back)"),
    ("n", "note: type a note, Enter to save (empty cancels)"),
    ("t", "type: change the contradiction type"),
    ("w", "who: correct a side's claimant (its number, then the right name)"),
    ("a", "add a contradiction the tool missed: pick two claims of the story, a type, a note"),
    ("u", "undo the last decision, note, type change, correction or addition"),
    ("q", "quit (every decision is already saved)"),
    ("?", "show these keys"),
]
TYPES: list[ContradictionType] = list(ContradictionType)
_SIDE_STYLE = {"A": "bold black on yellow", "B": "bold black on bright_cyan"}
_POSITION_STYLES = ["bold black on yellow", "bold black on bright_cyan", "bold black on magenta"]
_STATUS_STYLE = {"confirmed": "bold green", "rejected": "bold red", "pending": "yellow"}


def header(
    position: int,
    total: int,
    counts: Mapping[ReviewDecision, int],
    pairs: Mapping[ReviewDecision, int] | None = None,
    pair: tuple[int, int] | None = None,
) -> Text:
    """ "Dispute 4 of 17, 3 confirmed, 1 rejected, 13 pending; pairs: ..." (one style, so it
    reads as one string anywhere). `pair` is (n, of) inside a dispute's pairs."""
    text = (
        f"Dispute {position} of {total}, {counts['confirmed']} confirmed, "
        f"{counts['rejected']} rejected, {counts['pending']} pending"
    )
    if pair is not None:
        text += f" › pair {pair[0]} of {pair[1]}"
    if pairs is not None:
        text += (
            f"; pairs: {pairs['confirmed']} confirmed, {pairs['rejected']} rejected, "
            f"{pairs['pending']} pending"
        )
    return Text(text, style="bold")


def flag_view(
    flag: Contradiction,
    status: ReviewStatus,
    articles: dict[str, Article],
    marks: bool = False,
    sentences: int = 1,
    context: str = "",
) -> RenderableType:
    """The flag: type, status, summary, then each side's words inside their sentences.

    `context` is a line saying where the flag is ("pair 2 of 3 of: <matter>").

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
    if status.from_dispute is not None:
        line.append(" (the dispute's decision)", style="dim")
    # Everything from an article, a model or a reviewer goes through printable(): an escape
    # sequence in it is shown, never obeyed by the terminal.
    summary = Text(printable(flag.summary, multiline=True), style="italic")
    parts: list[RenderableType] = [line, summary]
    if context:
        parts.insert(0, Text(printable(context, multiline=True), style="dim"))
    labelled = list(zip("AB", flag.sides, strict=False))
    groups = [labelled] if _one_passage(labelled, articles) else [[s] for s in labelled]
    for group in groups:
        parts.append(_panel(group, articles.get(group[0][1].article_id), marks, sentences))
    if status.note:
        parts.append(Text(f"Note: {printable(status.note)}", style="bold"))
    return Group(*parts)


def dispute_view(
    dispute: Dispute,
    status: ReviewStatus,
    pairs: list[Contradiction],
    articles: dict[str, Article],
    marks: bool = False,
    sentences: int = 1,
) -> RenderableType:
    """The dispute: its matter, types and status, then every position with its claimants and
    each side's words in context, numbered (the numbers `w` picks by), then its pairs."""
    line = Text()
    types = ", ".join(t.value for t in dispute.types)
    if status.type is not None:
        line.append(types, style="strike")
        line.append(f" → {status.type.value}", style="bold magenta")
    else:
        line.append(types, style="bold magenta")
    line.append(f"  confidence {dispute.confidence:.2f}  ")
    line.append(status.decision, style=_STATUS_STYLE[status.decision])
    if status.reviewer and status.decision != "pending":
        line.append(f" by {printable(status.reviewer)}", style="dim")
    parts: list[RenderableType] = [
        line,
        Text("Matter: " + printable(dispute.matter, multiline=True), style="italic"),
    ]
    number = 0
    for p, position in enumerate(dispute.positions):
        style = _POSITION_STYLES[p % len(_POSITION_STYLES)]
        body: list[RenderableType] = [
            Text(printable(position.summary, multiline=True), style="italic"),
        ]
        for side in position.sides:
            number += 1
            body.append(_side_block(str(number), side, articles, style, marks, sentences))
        copies = sorted({a for s in position.sides for a in s.repeated_in})
        if copies:
            body.append(Text("also in: " + printable(", ".join(copies)), style="dim"))
        title = f"Position {p + 1}: {printable(position.label)}"
        parts.append(Panel(Group(*body), title=title, title_align="left"))
    counts = {d: sum(c.review.decision == d for c in pairs) for d in _STATUS_STYLE}
    gained = sum(status.decision != "pending" and c.review.decision == "pending" for c in pairs)
    summary = (
        f"{len(pairs)} pair{'s' if len(pairs) != 1 else ''}: {counts['confirmed']} confirmed, "
        f"{counts['rejected']} rejected, {counts['pending']} pending"
    )
    if gained:
        summary += f" ({gained} new since the dispute was {status.decision}: p to decide them)"
    parts.append(Text(summary, style="dim"))
    if status.note:
        parts.append(Text(f"Note: {printable(status.note)}", style="bold"))
    return Group(*parts)


def _side_block(
    number: str,
    side: DisputeSide,
    articles: dict[str, Article],
    style: str,
    marks: bool,
    sentences: int,
) -> Text:
    """ "[n] claimant in article", then the side's words highlighted inside their sentences."""
    article = articles.get(side.article_id)
    text = Text()
    text.append(f"[{number}] ", style="bold")
    text.append(printable(side.claimant), style="bold cyan")
    if side.claimant_corrected_from is not None:
        text.append(f" (corrected; the tool said {printable(side.claimant_corrected_from)})")
    text.append("  in " + _article_line(side.article_id, article) + "\n")
    if article is not None and article.text[side.start : side.end] == side.quote:
        ex = excerpt(article.text, side.start, side.end, sentences)
        text.append(("… " if ex.cut_before else "") + printable(ex.before, multiline=True))
        quote = printable(side.quote, multiline=True)
        text.append(f"«{quote}»" if marks else quote, style=style)
        text.append(printable(ex.after, multiline=True) + (" …" if ex.cut_after else ""))
    else:
        quote = printable(side.quote, multiline=True)
        text.append(f"«{quote}»" if marks else quote, style=style)
    return text


def claim_list(claims: list[tuple[int, Claim]], articles: dict[str, Article], more: int) -> Text:
    """Numbered claims for `a` (the number is the claim's place in the story's list)."""
    text = Text()
    for number, claim in claims:
        title = articles[claim.article_id].title if claim.article_id in articles else None
        text.append(f"  {number:>3}  ", style="bold")
        text.append(printable(claim.claimant), style="bold cyan")
        text.append(f" ({printable(title or claim.article_id)}): ", style="dim")
        quote = printable(claim.quote)
        text.append((quote[:117] + "…" if len(quote) > 118 else quote) + "\n")
    if more:
        text.append(f"  … and {more} more: type words to narrow the list\n", style="dim")
    return text


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
        if side.claimant_corrected_from is not None:
            about.append(f" (corrected; the tool said {printable(side.claimant_corrected_from)})")
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


def key_bar(position: int, total: int, view: str = "dispute") -> Text:
    """The line under each dispute or pair: where the reviewer is and the keys (always on
    screen). `view` is "dispute", "pair" (inside a dispute) or "single" (a lone pair)."""
    moves = {"dispute": "[p]airs ", "pair": "[d]ispute ", "single": ""}[view]
    return Text(
        f"{position}/{total}  [c]onfirm [r]eject {moves}[s]kip [b]ack [n]ote [t]ype [w]ho "
        "[a]dd [u]ndo [q]uit [?]help",
        style="dim",
    )


def type_menu(current: ContradictionType | None) -> Text:
    """The numbered list of types for `t` (and for `a`, with no current type)."""
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
