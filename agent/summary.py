"""The terminal summary of a run (rich): disputes, who says what, then each flag.

It is read on terminals of any width, in colour or not (a pipe, NO_COLOR): nothing in it
depends on colour to be understood (a retyped flag reads "denial (was compliance)", a quote's
cut ends are "…"), every text from an article or a model is shown escaped (Text objects, no
markup), and lines wrap at the console's width instead of being cut.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from rich import box
from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from agent.backends.llm.pricing import no_price_message
from agent.matrix import WhoSaysWhat, who_says_what
from agent.models import (
    Article,
    Claim,
    Contradiction,
    Dispute,
    Position,
    Report,
    ReviewStatus,
)
from agent.quote_window import quote_window, quoted_phrases
from agent.terminal_text import printable

_REVIEW = {"confirmed": ("✓ confirmed", "green"), "rejected": ("✗ rejected", "red")}
_MARK_STYLE = "bold underline"
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_MATRIX_COLUMN = 14
"""The narrowest a who-says-what column may get before columns are left to report.md."""


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _plain(text: str) -> str:
    """Article or model text, one line, control characters shown escaped."""
    return printable(" ".join(text.split()))


def outlet(article: Article | None, article_id: str) -> str:
    """Who published it: the outlet (Article.source), else the title, else the id."""
    if article is None:
        return article_id
    return article.source or article.title or article.id


class _Names:
    """Articles and claims by id, for naming outlets and finding a side's cue words."""

    def __init__(self, report: Report) -> None:
        self.articles: Mapping[str, Article] = {a.id: a for a in report.articles}
        self.claims: Mapping[str, Claim] = {c.id: c for c in report.claims}

    def outlet(self, article_id: str) -> str:
        return _plain(outlet(self.articles.get(article_id), article_id))

    def where(self, article_id: str) -> str:
        """The outlet and, when known, the date: two articles of one outlet stay apart."""
        article = self.articles.get(article_id)
        name = self.outlet(article_id)
        if article is None or article.published is None or str(article.published) in name:
            return name
        return f"{name}, {article.published}"

    def anchors(self, claim_id: str, cues: Sequence[str] = ()) -> list[str]:
        """The words the judge went by: its cues' quoted words, the claim's figures and time."""
        found = quoted_phrases(cues)
        claim = self.claims.get(claim_id)
        if claim is not None:
            found += [q.text for q in claim.quantities]
            if claim.time is not None:
                found.append(claim.time.text)
        return found


def _quote(quote: str, limit: int, other: str, anchors: Sequence[str]) -> Text:
    window = quote_window(quote, limit, other, anchors)
    text = Text("“" + printable(window.text) + "”")
    for start, end in window.marks:
        text.stylize(_MARK_STYLE, start + 1, end + 1)
    return text


def _quote_limit(console: Console, indent: int) -> int:
    """About two lines of quote at this width."""
    return max(40, min(240, 2 * (console.width - indent) - 4))


# --- who says what ------------------------------------------------------------------------


def _story_ids(report: Report) -> list[str]:
    found: list[str] = []
    for dispute in report.disputes:
        if dispute.story_id not in found:
            found.append(dispute.story_id)
    return found


# --- the parts ----------------------------------------------------------------------------


def _numbered(label: str, body: RenderableType, width: int = 3) -> Table:
    """`label` in a narrow column, `body` beside it, wrapped with a hanging indent."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(justify="right", width=width, no_wrap=True)
    grid.add_column(ratio=1)
    grid.add_row(Text(label), body)
    return grid


def _type_text(c: Contradiction) -> Text:
    """The type, with the judge's own when a reviewer changed it: readable without colour."""
    if c.review.type is not None and c.review.type != c.type:
        return Text.assemble((c.review.type.value, "bold"), f" (was {c.type.value})")
    return Text(c.type.value, style="bold")


def _review_text(review: ReviewStatus) -> Text:
    shown, style = _REVIEW.get(review.decision, ("pending", "yellow"))
    text = Text(shown, style=style)
    if review.reviewer and review.decision != "pending":
        text.append(f" by {_plain(review.reviewer)}")
    return text


def _note(review: ReviewStatus) -> Text:
    by = f" ({_plain(review.reviewer)})" if review.reviewer else ""
    return Text(f"note{by}: {_plain(review.note)}")


def _review_line(review: ReviewStatus) -> RenderableType:
    """A dispute-level decision and note, when one was taken."""
    shown = Text.assemble("review: ", _review_text(review))
    return Group(shown, _note(review)) if review.note.strip() else shown


def _flag(c: Contradiction, names: _Names, console: Console) -> RenderableType:
    indent = 3 + 1 + 1 + 1
    head = Text.assemble(
        _type_text(c), " · ", f"{c.confidence:.2f}", " · ", _review_text(c.review), no_wrap=False
    )
    parts: list[RenderableType] = [head]
    if c.summary.strip():
        summary = _short(c.summary, max(40, 2 * (console.width - 4) - 4))
        parts.append(Text(printable(summary), style="italic"))
    sides = Table.grid(padding=(0, 1))
    sides.add_column(width=1, no_wrap=True)
    sides.add_column(ratio=1)
    limit = _quote_limit(console, indent)
    for i, side in enumerate(c.sides):
        other = " ".join(s.quote for s in c.sides if s is not side)
        who = Text.assemble(
            (_plain(side.claimant), "bold"), " · ", (names.where(side.article_id), "cyan")
        )
        quote = _quote(side.quote, limit, other, names.anchors(side.claim_id, c.cues))
        sides.add_row(Text(_LETTERS[i % 26], style="bold"), Group(who, quote))
    parts.append(sides)
    if c.review.note.strip():
        parts.append(_note(c.review))
    return Group(*parts)


def _position(
    p: Position, dispute: Dispute, names: _Names, console: Console, indent: int
) -> RenderableType:
    holders = ", ".join(_plain(c) for c in p.claimants)
    sources = ", ".join(dict.fromkeys(names.outlet(s) for s in p.sources))
    head = Text.assemble((_plain(p.label), "bold"), " — ", holders)
    parts: list[RenderableType] = [head, Text(f"in {sources}", style="cyan")]
    if p.sides:
        side = p.sides[0]
        other = " ".join(s.quote for q in dispute.positions if q is not p for s in q.sides)
        limit = _quote_limit(console, indent)
        parts.append(_quote(side.quote, limit, other, names.anchors(side.claim_id)))
    return Group(*parts)


def _dispute(number: int, d: Dispute, names: _Names, console: Console) -> RenderableType:
    head = Text.assemble(
        (_plain(d.matter), "bold"),
        " · ",
        ", ".join(t.value for t in d.types),
        f" · {d.confidence:.2f} · {len(d.positions)} positions",
    )
    positions = Table.grid(padding=(0, 1))
    positions.add_column(justify="right", width=2, no_wrap=True)
    positions.add_column(ratio=1)
    for i, p in enumerate(d.positions, start=1):
        positions.add_row(Text(f"{i}."), _position(p, d, names, console, indent=9))
    parts: list[RenderableType] = [head, positions]
    if d.review.decision != "pending" or d.review.note.strip():
        parts.append(_review_line(d.review))
    return _numbered(f"D{number}", Group(*parts))


def _matrix(matrix: WhoSaysWhat, title: str, numbers: Mapping[str, int], width: int) -> Table:
    """Claimants by disputes; as many dispute columns as the width holds."""
    longest = max((len(r.claimant) for r in matrix.rows), default=8)
    claimant_width = min(max(longest, 8), max(12, width // 4))
    fit = max(1, (width - claimant_width - 3) // (_MATRIX_COLUMN + 3))
    shown = matrix.matters[:fit]
    table = Table(title=title, box=box.SIMPLE_HEAD, title_justify="left", expand=False)
    table.add_column("claimant", style="bold", max_width=claimant_width, overflow="fold")
    for matter in shown:
        table.add_column(f"D{numbers[matter.dispute_id]}", overflow="fold")
    for row in matrix.rows:
        cells = row.cells[: len(shown)]
        if any(cells):  # a claimant only in the columns cut for width has an empty row
            table.add_row(Text(_plain(row.claimant)), *(Text(_plain(c)) for c in cells))
    if len(shown) < len(matrix.matters):
        table.caption = (
            f"{len(shown)} of {len(matrix.matters)} disputes shown at this width; "
            "every one is in report.md"
        )
    return table


def _print_disputes(report: Report, names: _Names, console: Console, limit: int) -> None:
    if not report.disputes:
        return
    console.print(Text(f"Disputes ({len(report.disputes)}), most confident first", style="bold"))
    numbers = {d.id: i for i, d in enumerate(report.disputes, start=1)}
    for dispute in report.disputes[:limit]:
        console.print(_dispute(numbers[dispute.id], dispute, names, console))
    if len(report.disputes) > limit:
        console.print(f"… and {len(report.disputes) - limit} more disputes in the report.")
    titles = {s.id: s.title for s in report.stories}
    for story_id in _story_ids(report):
        matrix = who_says_what(report, story_id)
        if not matrix.rows:
            continue
        title = f"Who says what: {_plain(titles.get(story_id) or story_id)}"
        console.print(_matrix(matrix, title, numbers, console.width))


def _print_flags(report: Report, names: _Names, console: Console, limit: int) -> None:
    console.print(
        Text(
            f"Contradictions ({len(report.contradictions)}), most confident first",
            style="bold",
        )
    )
    for i, c in enumerate(report.contradictions[:limit], start=1):
        console.print(_numbered(str(i), _flag(c, names, console)))
    if len(report.contradictions) > limit:
        console.print(f"… and {len(report.contradictions) - limit} more in the report.")


# --- the summary --------------------------------------------------------------------------


def print_summary(
    report: Report, console: Console, out_dir: Path | None = None, limit: int = 20
) -> None:
    """Disputes and who says what, the flags ranked by confidence, then the counts and
    where the report went."""
    stats = report.stats
    judged = stats.candidate_pairs - stats.unjudged_pairs
    console.print(
        Text.assemble(
            (str(stats.articles), "bold"),
            " articles, ",
            (str(stats.claims), "bold"),
            f" claims, {judged} pairs judged · backend ",
            (printable(report.backend), "cyan"),
        )
    )
    stories = _stories_line(report)
    if stories:
        console.print(stories, highlight=False)
    names = _Names(report)
    _print_disputes(report, names, console, limit)
    if report.contradictions:
        _print_flags(report, names, console, limit)
    elif judged == 0:
        # Not "no contradictions": nothing was looked at.
        console.print(
            Text.assemble(("Nothing was judged", "yellow"), f": {_why_nothing_judged(report)}.")
        )
    else:
        console.print("No contradictions found.")
    if stats.unjudged_pairs and judged:
        console.print(
            f"[yellow]{stats.unjudged_pairs} pairs were not judged[/]: see report.json's errors"
        )
    console.print(
        f"Agreements: [bold]{len(report.agreements)}[/] · "
        f"single-source claims: [bold]{stats.single_source_claims}[/]"
    )
    if stats.capped:
        console.print(f"[yellow]Capped[/]: {_capped(report)}", highlight=False)
    print_review_counts(report, console)
    if report.errors:
        console.print(f"[red]{len(report.errors)} input(s) failed[/]: see report.json's errors")
    if report.llm is not None:
        _print_llm(report, console)
    if out_dir is not None:
        console.print(
            printable(
                f"Full report: {out_dir / 'report.json'}, {out_dir / 'report.md'} and "
                f"{out_dir / 'report.html'}"
            ),
            markup=False,
        )


def _stories_line(report: Report) -> Text | None:
    """How the articles were grouped, when it was into more than one story (claims are
    compared only inside a story, so an article grouped alone was compared with no other) or
    into one that nothing linked. The grouping can be wrong (reports of one event in very
    different words), and the user is the one who knows what they collected."""
    if len(report.stories) == 1 and report.stories[0].grouped_by == "few_unlinked":
        return Text.assemble(
            ("One story", "bold"),
            f": no two of the {report.stats.articles} articles share enough names and words "
            "to be grouped by event, and a folder this small is taken to report one event, so "
            "all are compared. Reports of different events belong in separate runs.",
        )
    if len(report.stories) < 2:
        return None
    alone = sum(1 for story in report.stories if len(story.article_ids) == 1)
    line = Text.assemble(
        (f"{len(report.stories)} stories", "bold"),
        ": claims are compared only within a story",
    )
    if alone:
        verb = "stands" if alone == 1 else "stand"
        line.append(f"; {alone} of the {report.stats.articles} articles {verb} alone, ")
        line.append("compared with no other", "yellow")
        line.append(". If all the articles report one event, run again with --one-story.")
    else:
        line.append(". If all the articles report one event, --one-story compares them all.")
    return line


def _print_llm(report: Report, console: Console) -> None:
    assert report.llm is not None
    info, total = report.llm, report.llm.total
    if info.cost_usd is not None:
        cost = f"cost ${info.cost_usd:.4f} ({info.prices_as_of})"
    else:
        cost = no_price_message(info.model)
    console.print(
        printable(
            f"LLM {info.model} at {info.endpoint} ({info.response_format or 'no call'}): "
            f"{total.calls} calls, {total.cached} cached, {total.failed} failed, "
            f"{total.prompt_tokens} prompt + {total.completion_tokens} completion tokens, "
            f"{info.requests} HTTP requests, {cost}"
        ),
        highlight=False,
        markup=False,
    )
    for stage, usage in info.stages.items():
        console.print(
            f"  {stage}: {usage.calls} calls, {usage.cached} cached, "
            f"{usage.prompt_tokens}+{usage.completion_tokens} tokens",
            highlight=False,
            markup=False,
        )


def _capped(report: Report) -> str:
    """One line on what the caps on flags dropped (report.json's stats.capped has each)."""
    dropped = {hit.cap: hit for hit in report.stats.capped}
    contradictions = sum(d.dropped for c, d in dropped.items() if c.startswith("contra"))
    parts = []
    if contradictions:
        kept = len(report.contradictions)
        rules = [
            f"{d.limit:,} {'per claim' if c.endswith('claim') else 'per run'}"
            for c, d in dropped.items()
            if c.startswith("contra")
        ]
        parts.append(
            f"kept {kept:,} of {kept + contradictions:,} contradictions "
            f"(the most confident, at most {' and '.join(rules)})"
        )
    if "agreements_per_run" in dropped:
        hit = dropped["agreements_per_run"]
        parts.append(f"kept the {hit.limit:,} widest of {hit.limit + hit.dropped:,} agreements")
    return "; ".join(parts) + "; see report.json's stats.capped"


def _why_nothing_judged(report: Report) -> str:
    stats = report.stats
    if stats.unjudged_pairs:
        return f"none of the {stats.unjudged_pairs} candidate pairs got a verdict (see the errors)"
    if stats.claims == 0:
        return "no claim was extracted" + (" (see the errors)" if report.errors else "")
    return "no two claims were close enough to compare"


def print_review_counts(report: Report, console: Console) -> None:
    """How far review has got, and any decisions whose flag this run did not find again."""
    decisions = [c.review.decision for c in report.contradictions]
    orphans = (
        report.orphaned_reviews or report.orphaned_dispute_reviews or report.orphaned_corrections
    )
    if decisions.count("pending") == len(decisions) and not orphans:
        return
    console.print(
        f"Review: [green]{decisions.count('confirmed')} confirmed[/], "
        f"[red]{decisions.count('rejected')} rejected[/], {decisions.count('pending')} pending"
    )
    if report.orphaned_reviews:
        console.print(
            f"[yellow]{len(report.orphaned_reviews)} review decision(s) orphaned[/]: their flags "
            "were not found in this run (kept in reviews.jsonl, listed in report.json):"
        )
        for o in report.orphaned_reviews:
            sides = " / ".join(f"“{printable(_short(s.quote, 40))}”" for s in o.flag.sides)
            line = f"  {o.review.decision} {o.flag.type.value}: {sides}"
            console.print(line, highlight=False, markup=False)
    if report.orphaned_dispute_reviews:
        console.print(
            f"[yellow]{len(report.orphaned_dispute_reviews)} dispute decision(s) orphaned[/]: "
            "their disputes were not found in this run (kept in reviews.jsonl, listed in "
            "report.json):"
        )
        for d in report.orphaned_dispute_reviews:
            line = f"  {d.review.decision} dispute: {printable(_short(d.dispute.matter, 60))}"
            console.print(line, highlight=False, markup=False)
    if report.orphaned_corrections:
        console.print(
            f"[yellow]{len(report.orphaned_corrections)} claimant correction(s) orphaned[/]: "
            "their claims were not found in this run (kept in reviews.jsonl, listed in "
            "report.json):"
        )
        for k in report.orphaned_corrections:
            line = (
                f"  {printable(k.was)} → {printable(k.claimant)}: "
                f"“{printable(_short(k.quote, 40))}” ({printable(k.article_id)})"
            )
            console.print(line, highlight=False, markup=False)


def print_estimate(estimate: Mapping[str, object], console: Console) -> None:
    """What --dry-run found: no request was made."""
    console.print("Dry run: nothing was sent.")
    for key, value in estimate.items():
        console.print(f"  {key}: {value}", highlight=False)
