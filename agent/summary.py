"""The terminal summary of a run (rich)."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from agent.models import Contradiction, Report, Side
from agent.terminal_text import printable

_QUOTE_LIMIT = 70
_REVIEW_MARK = {"confirmed": "[green]✓ confirmed[/]", "rejected": "[red]✗ rejected[/]"}


def _short(text: str, limit: int = _QUOTE_LIMIT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def print_summary(
    report: Report, console: Console, out_dir: Path | None = None, limit: int = 20
) -> None:
    """Contradictions ranked by confidence, then the counts and where the report went."""
    stats = report.stats
    backend = escape(printable(report.backend))
    judged = stats.candidate_pairs - stats.unjudged_pairs
    console.print(
        f"[bold]{stats.articles}[/] articles, [bold]{stats.claims}[/] claims, "
        f"{judged} pairs judged · backend [cyan]{backend}[/]"
    )
    if report.contradictions:
        table = Table(title=f"Contradictions ({len(report.contradictions)}), most confident first")
        table.add_column("#", justify="right")
        table.add_column("type")
        table.add_column("conf", justify="right")
        table.add_column("side A")
        table.add_column("side B")
        table.add_column("review")
        for i, c in enumerate(report.contradictions[:limit], start=1):
            a, b = c.sides[0], c.sides[1]
            table.add_row(
                str(i),
                _type_cell(c),
                f"{c.confidence:.2f}",
                _side_cell(a),
                _side_cell(b),
                _REVIEW_MARK.get(c.review.decision, "pending"),
            )
        console.print(table)
        if len(report.contradictions) > limit:
            console.print(f"… and {len(report.contradictions) - limit} more in the report.")
    elif judged == 0:
        # Not "no contradictions": nothing was looked at.
        console.print(f"[yellow]Nothing was judged[/]: {_why_nothing_judged(report)}.")
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
    print_review_counts(report, console)
    if report.errors:
        console.print(f"[red]{len(report.errors)} input(s) failed[/]: see report.json's errors")
    if report.llm is not None:
        info, total = report.llm, report.llm.total
        cost = (
            f"${info.cost_usd:.4f}" if info.cost_usd is not None else "unknown (model not priced)"
        )
        console.print(
            f"LLM {printable(info.model)} at {printable(info.endpoint)} "
            f"({info.response_format or 'no call'}): "
            f"{total.calls} calls, {total.cached} cached, {total.failed} failed, "
            f"{total.prompt_tokens} prompt + {total.completion_tokens} completion tokens, "
            f"{info.requests} HTTP requests, cost {cost}",
            highlight=False,
            markup=False,
        )
        for stage, usage in info.stages.items():
            console.print(
                f"  {stage}: {usage.calls} calls, {usage.cached} cached, "
                f"{usage.prompt_tokens}+{usage.completion_tokens} tokens",
                highlight=False,
            )
    if out_dir is not None:
        console.print(
            printable(
                f"Full report: {out_dir / 'report.json'}, {out_dir / 'report.md'} and "
                f"{out_dir / 'report.html'}"
            ),
            markup=False,
        )


def _why_nothing_judged(report: Report) -> str:
    stats = report.stats
    if stats.unjudged_pairs:
        return f"none of the {stats.unjudged_pairs} candidate pairs got a verdict (see the errors)"
    if stats.claims == 0:
        return "no claim was extracted" + (" (see the errors)" if report.errors else "")
    return "no two claims were close enough to compare"


def _side_cell(side: Side) -> str:
    # Article text is escaped: a claimant or quote like "[/b]" is words, not markup, and an
    # escape sequence is shown, not obeyed.
    who, where = escape(printable(side.claimant)), escape(printable(side.article_id))
    words = escape(printable(_short(side.quote)))
    return f"[bold]{who}[/] ({where})\n“{words}”"


def _type_cell(c: Contradiction) -> str:
    """The type, with the reviewer's correction when they changed it."""
    if c.review.type is not None and c.review.type != c.type:
        return f"[strike]{c.type.value}[/] {c.review.type.value}"
    return c.type.value


def print_review_counts(report: Report, console: Console) -> None:
    """How far review has got, and any decisions whose flag this run did not find again."""
    decisions = [c.review.decision for c in report.contradictions]
    if decisions.count("pending") == len(decisions) and not report.orphaned_reviews:
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


def print_estimate(estimate: dict[str, object], console: Console) -> None:
    """What --dry-run found: no request was made."""
    console.print("Dry run: nothing was sent.")
    for key, value in estimate.items():
        console.print(f"  {key}: {value}", highlight=False)
