"""The `reconcile` command: parses arguments, calls the core, prints. No logic lives here.

Exit codes: 0 the report was written and every input was used; 1 the report was written but
some inputs failed (listed in the report's `errors`); 2 usage error (no usable article, bad
option); 130 interrupted.
"""

from __future__ import annotations

import logging
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from typer.core import TyperGroup

from agent.backends.base import ProgressHook
from agent.terminal_text import printable

EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
_PROGRESS_MIN_ARTICLES = 5


class _DefaultToRun(TyperGroup):
    """`reconcile PATH...` means `reconcile run PATH...`; named subcommands still work."""

    def parse_args(self, ctx: typer.Context, args: list[str]) -> list[str]:  # type: ignore[override]
        if args and args[0] not in self.commands and args[0] not in {"--help", "-h"}:
            args = ["run", *args]
        return super().parse_args(ctx, args)


app = typer.Typer(
    cls=_DefaultToRun,
    add_completion=False,
    no_args_is_help=True,
    help="Reconcile several reports of one event: claims, contradictions, agreements.",
)


@app.callback()
def _group() -> None:
    """Reconcile several reports of one event: claims, contradictions, agreements.

    `reconcile PATH...` is short for `reconcile run PATH...`.
    """


def _stderr() -> Console:
    """Errors and warnings: plain text (a path like "a[b].txt" is not markup), never wrapped."""
    return Console(stderr=True, markup=False, highlight=False, soft_wrap=True)


def _line(text: str) -> str:
    """One line whatever the text holds: control characters (a newline or an escape sequence
    in a file name, a model's or a server's answer) are shown escaped."""
    return printable(text)


class _WarningPrinter(logging.Handler):
    """Prints the core's log warnings as `warning: ...` lines."""

    def __init__(self, console: Console) -> None:
        super().__init__(logging.WARNING)
        self.console = console

    def emit(self, record: logging.LogRecord) -> None:
        self.console.print(_line(f"warning: {record.getMessage()}"))


def _warnings_to(err: Console) -> None:
    """The core's warnings (a damaged cache bypassed) go to `err`, one line each."""
    logger = logging.getLogger("agent")
    for handler in logger.handlers:
        if isinstance(handler, _WarningPrinter):
            handler.console = err
            return
    logger.addHandler(_WarningPrinter(err))


def _progress(err: Console) -> tuple[Progress, ProgressHook]:
    """A transient progress bar per stage, shown on a terminal for runs of some size."""
    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    )
    tasks: dict[str, TaskID] = {}

    def on_progress(stage: str, done: int, total: int) -> None:
        if total < _PROGRESS_MIN_ARTICLES:
            return
        if stage not in tasks:
            tasks[stage] = progress.add_task(stage, total=total)
        progress.update(tasks[stage], completed=done)

    return progress, on_progress


@app.command("run")
def run(
    paths: Annotated[
        list[str],  # str, not Path: Path("https://x") would be "https:/x"
        typer.Argument(help="Article files, directories (.txt, .md, .html) or http(s) URLs."),
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="Directory for the report.")] = Path(
        "reconcile-out"
    ),
    backend: Annotated[
        str,
        typer.Option(help="auto | offline | llm. auto is llm when an endpoint is configured."),
    ] = "auto",
    model: Annotated[
        str | None, typer.Option(help="LLM model [env RECONCILE_MODEL; default gpt-4o-mini].")
    ] = None,
    base_url: Annotated[
        str | None, typer.Option(help="OpenAI-compatible endpoint [env OPENAI_BASE_URL].")
    ] = None,
    concurrency: Annotated[int, typer.Option(help="LLM requests in flight at once.")] = 8,
    timeout: Annotated[float, typer.Option(help="Total seconds one LLM request may take.")] = 120.0,
    max_attempts: Annotated[
        int, typer.Option(min=1, help="Tries per LLM request on 429, 5xx, timeouts.")
    ] = 5,
    cache_dir: Annotated[
        Path | None,
        typer.Option(
            help="Cache folder: LLM answers in DIR/llm, offline claims in DIR/offline "
            "[default ~/.cache/reconcile]."
        ),
    ] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Do not use the caches.")] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Count LLM calls, tokens and cost; call nothing.")
    ] = False,
    limit: Annotated[int, typer.Option(help="Contradictions to show in the terminal.")] = 20,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only errors.")] = False,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Replace a report of other articles in --out (reviews and files that are "
            "not reconcile's are kept).",
        ),
    ] = False,
) -> None:
    """Reconcile the articles under PATHS and write report.json, report.md and report.html."""
    from agent.backends import BackendError
    from agent.backends.llm.config import ConfigError, load_config
    from agent.fetch import is_url
    from agent.outdir import OutputFolderError, RunTarget
    from agent.paths import cache_root
    from agent.pipeline import NoArticlesError, estimate_run, run_pipeline
    from agent.report_files import publish
    from agent.summary import print_estimate, print_summary

    console = Console(stderr=False, quiet=quiet)
    err = _stderr()
    target = RunTarget(out, force=force)
    if not dry_run:
        try:
            target.check_folder([Path(p) for p in paths if not is_url(p)])  # before any input
        except OutputFolderError as exc:
            err.print(_line(f"error: {exc}"))
            raise typer.Exit(EXIT_USAGE) from None
    _warnings_to(err)
    caches = cache_dir or cache_root()
    try:
        llm = load_config(
            model=model,
            base_url=base_url,
            concurrency=concurrency,
            timeout=timeout,
            max_attempts=max_attempts,
            cache_dir=caches / "llm",
            use_cache=not no_cache,
            dry_run=dry_run,
        )
    except ConfigError as exc:
        err.print(_line(f"error: {exc}"))
        raise typer.Exit(EXIT_USAGE) from None
    progress, on_progress = _progress(err)
    try:
        if dry_run:
            print_estimate(estimate_run(paths, llm, skip_dirs=[out]), console)
            return
        with progress:
            report = run_pipeline(
                paths,
                backend=backend,
                progress=on_progress,
                llm=llm,
                log_path=out / "llm-calls.jsonl",
                offline_cache=None if no_cache else caches / "offline",
                skip_dirs=[out],
                on_ingested=target.check_articles,
            )
    except OutputFolderError as exc:
        err.print(_line(f"error: {exc}"))
        raise typer.Exit(EXIT_USAGE) from None
    except NoArticlesError as exc:
        for e in exc.errors:
            err.print(_line(f"error: {e.path}: {e.error}"))
        err.print("error: no article to reconcile in the given paths")
        raise typer.Exit(EXIT_USAGE) from None
    except BackendError as exc:
        err.print(_line(f"error: {exc}"))
        raise typer.Exit(EXIT_USAGE) from None
    except KeyboardInterrupt:
        err.print("interrupted")
        raise typer.Exit(EXIT_INTERRUPTED) from None
    try:
        report, log_problems = publish(report, out, check=target.check_story)
    except OutputFolderError as exc:
        err.print(_line(f"error: {exc}"))
        raise typer.Exit(EXIT_USAGE) from None
    for problem in log_problems:
        err.print(_line(f"warning: {problem}"))
    for e in report.errors:
        err.print(_line(f"error: {e.path}: {e.error}"))
    print_summary(report, console, out, limit=limit)
    if report.interrupted:
        again = (
            "With --no-cache nothing was kept: running the command again starts over."
            if no_cache
            else "Run the same command again to finish: work already done is taken from the cache."
        )
        err.print(f"{report.interrupted}; the report holds that work. {again}")
        raise typer.Exit(EXIT_INTERRUPTED)
    if report.errors:
        raise typer.Exit(EXIT_PARTIAL)


@app.command("eval")
def eval_(
    backend: Annotated[str, typer.Option(help="auto | offline | llm.")] = "offline",
    fixtures: Annotated[Path, typer.Option(help="Folder of eval cases.")] = Path("evals/fixtures"),
    case: Annotated[
        list[str] | None, typer.Option("--case", help="Run only this case (repeatable).")
    ] = None,
    baseline: Annotated[
        Path | None,
        typer.Option(help="Baseline file [default evals/baseline.json, or per LLM model]."),
    ] = None,
    update_baseline: Annotated[
        bool, typer.Option("--update-baseline", help="Rewrite the baseline with this run.")
    ] = False,
    out: Annotated[Path, typer.Option(help="Where the full results go.")] = Path(
        "reconcile-out/eval.json"
    ),
    model: Annotated[str | None, typer.Option(help="LLM model [env RECONCILE_MODEL].")] = None,
    base_url: Annotated[str | None, typer.Option(help="Endpoint [env OPENAI_BASE_URL].")] = None,
    concurrency: Annotated[int, typer.Option(help="LLM requests in flight at once.")] = 8,
    timeout: Annotated[float, typer.Option(help="Total seconds one LLM request may take.")] = 120.0,
) -> None:
    """Score the backend against the hand-labelled fixtures; non-zero on a regression."""
    from agent.backends.llm.config import ConfigError, load_config
    from agent.evals.command import eval_command

    _warnings_to(_stderr())
    try:
        llm = load_config(model=model, base_url=base_url, concurrency=concurrency, timeout=timeout)
    except ConfigError as exc:
        _stderr().print(_line(f"error: {exc}"))
        raise typer.Exit(EXIT_USAGE) from None
    code = eval_command(
        backend, fixtures, case or None, baseline, update_baseline, out, Console(width=200), llm=llm
    )
    raise typer.Exit(code)


class _Only(StrEnum):
    pending = "pending"
    confirmed = "confirmed"
    rejected = "rejected"


@app.command("review")
def review(
    out: Annotated[Path, typer.Argument(help="The output folder of a run.")] = Path(
        "reconcile-out"
    ),
    only: Annotated[
        _Only | None,
        typer.Option(help="Review only the disputes (or lone flags) with this status."),
    ] = None,
    reviewer: Annotated[
        str | None, typer.Option(help="Who is reviewing [default: your login name].")
    ] = None,
) -> None:
    """Go through the disputes one at a time (or their pairs): confirm, reject, note, retype,
    correct a claimant, add a contradiction the tool missed.

    Keys: c confirm, r reject, p pairs, d back to the dispute, s skip, b back, n note,
    t type, w claimant, a add, u undo, q quit, ? help.
    Every decision is saved to OUT/reviews.jsonl before the next key is read.
    """
    from agent.report_files import ReportFolderError
    from agent.review.log import default_reviewer
    from agent.review.terminal import run_review

    try:
        run_review(
            out,
            reviewer or default_reviewer(),
            Console(),
            only=only.value if only else None,
        )
    except ReportFolderError as exc:
        _stderr().print(_line(f"error: {exc}"))
        raise typer.Exit(EXIT_USAGE) from None


@app.command("export")
def export(
    out: Annotated[Path, typer.Argument(help="The output folder of a reviewed run.")],
    case: Annotated[str, typer.Option(help="Name of the new eval case (kebab-case).")],
    fixtures: Annotated[Path, typer.Option(help="Folder of eval cases.")] = Path("evals/fixtures"),
    force: Annotated[bool, typer.Option("--force", help="Replace an existing case.")] = False,
    written_for_test: Annotated[
        bool,
        typer.Option("--written-for-test", help="The articles were written for testing."),
    ] = False,
) -> None:
    """Turn reviewed flags into an eval case: confirmed ones are gold, rejected ones traps."""
    from agent.review.export import ExportError, export_case

    console, err = Console(), _stderr()
    try:
        result = export_case(out, case, fixtures, written_for_test=written_for_test, force=force)
    except ExportError as exc:
        err.print(_line(f"error: {exc}"))
        raise typer.Exit(EXIT_USAGE) from None
    console.print(result.describe(), highlight=False, soft_wrap=True)


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(EXIT_INTERRUPTED)
