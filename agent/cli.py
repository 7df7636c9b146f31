"""The `reconcile` command: parses arguments, calls the core, prints. No logic lives here.

Exit codes: 0 the report was written and every input was used; 1 the report was written but
some inputs failed (listed in the report's `errors`); 2 usage error (no usable article, bad
option); 130 interrupted.
"""

from __future__ import annotations

import logging
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

from agent.backends.base import ProgressHook
from agent.terminal_text import printable

EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
STDOUT = "-"
"""`--out -`: report.json on stdout, no folder written."""


# --- help that reads as words -----------------------------------------------------------------


class _PlainOption(TyperOption):
    """An option whose help shows its metavar (DIR, N, URL) and no <type>; a flag shows none."""

    def display_type_rich(self, ctx: Any) -> str | None:
        return self.metavar or None


class _PlainArgument(TyperArgument):
    """An argument shown as its metavar (PATH..., [OUT]), not {paths} or <list[Path]>."""

    def display_type_rich(self, ctx: Any) -> str | None:
        return None

    def _usage_display_name(self) -> str:
        name = self.metavar or (self.name or "").upper()
        return name if self.required else f"[{name}]"


def _plain(params: list[Any]) -> list[Any]:
    # Typer builds its own parameter objects; their class is swapped for the plain ones
    # (same fields, two display methods differ) so the help shows words, not types.
    for param in params:
        if type(param) is TyperOption:
            param.__class__ = _PlainOption
        elif type(param) is TyperArgument:
            param.__class__ = _PlainArgument
    return params


class _Command(TyperCommand):
    def get_params(self, ctx: Any) -> list[Any]:
        return _plain(super().get_params(ctx))


class _DefaultToRun(TyperGroup):
    """`reconcile PATH...` means `reconcile run PATH...`; named subcommands still work."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in _GROUP_OPTIONS:
            args = ["run", *args]
        return super().parse_args(ctx, args)

    def get_params(self, ctx: Any) -> list[Any]:
        return _plain(super().get_params(ctx))


_GROUP_OPTIONS = {"--help", "-h", "--version"}

_EXAMPLES = """Examples:

reconcile seeds/ --out out/  (the articles in seeds/; the report in out/)

reconcile seeds/ --json | python -m json.tool  (report.json on stdout)
"""

app = typer.Typer(
    cls=_DefaultToRun,
    add_completion=False,
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    help="Reconcile several reports of one event: claims, contradictions, agreements. "
    "`reconcile PATH...` is short for `reconcile run PATH...`.",
    epilog=_EXAMPLES,
)


def _print_version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        print(f"reconcile {version('reconcile')}")
        raise typer.Exit()


@app.callback()
def _group(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_print_version,
            is_eager=True,
            help="Print the version of reconcile and exit.",
        ),
    ] = False,
) -> None:
    """Reconcile several reports of one event: claims, contradictions, agreements."""


class _Console(Console):
    """A console whose reader may stop reading (`reconcile seeds/ | head`): the rest goes
    nowhere and the command ends with its own exit code (rich would exit 1, which here
    means an input failed; the report is already written)."""

    def on_broken_pipe(self) -> None:
        self.quiet = True
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, self.file.fileno())
        os.close(devnull)


def _stderr(quiet: bool = False) -> Console:
    """Errors and warnings: plain text (a path like "a[b].txt" is not markup), never wrapped."""
    return _Console(stderr=True, markup=False, highlight=False, soft_wrap=True, quiet=quiet)


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


_STAGES = {"extract": ("extracting claims", "articles"), "judge": ("judging pairs", "pairs")}


def _progress(err: Console, show: bool) -> tuple[Progress, ProgressHook]:
    """A bar per stage with its counts, elapsed time and ETA, on a terminal only (stderr)."""
    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(bar_width=24),
        MofNCompleteColumn(),
        TextColumn("{task.fields[unit]}"),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=err,
        transient=True,
        disable=not (show and err.is_terminal),
    )
    tasks: dict[str, TaskID] = {}

    def on_progress(stage: str, done: int, total: int) -> None:
        if total <= 0:
            return
        if stage not in tasks:
            label, unit = _STAGES.get(stage, (stage, ""))
            tasks[stage] = progress.add_task(label, total=total, unit=unit)
        progress.update(tasks[stage], completed=done, total=total)

    return progress, on_progress


def _opt(help: str, *names: str, metavar: str = "", **kwargs: Any) -> Any:
    """An option whose help is one sentence and whose value is named by `metavar`."""
    return typer.Option(*names, help=help, metavar=metavar, **kwargs)


_MODEL_HELP = "The LLM model (env RECONCILE_MODEL; default gpt-4o-mini)."
_BASE_URL_HELP = "Any OpenAI-compatible endpoint (env OPENAI_BASE_URL)."
_CONCURRENCY_HELP = "LLM requests in flight at once."
_TIMEOUT_HELP = "Seconds one LLM request may take in all, connecting included."
_EXTRACT_HELP = "The backend of extraction alone (default: --backend)."
_JUDGE_HELP = "The backend of judging alone (default: --backend)."
_PAIRS_HELP = "Candidate pairs judged in one LLM request, at most (default 40)."


@app.command("run", cls=_Command, short_help="Reconcile articles and write the report.")
def run(
    paths: Annotated[
        list[str],  # str, not Path: Path("https://x") would be "https:/x"
        typer.Argument(
            help="Article files, folders (.txt, .md, .html; searched recursively) or http(s) URLs.",
            metavar="PATH...",
        ),
    ],
    out: Annotated[
        Path,
        _opt(
            "Folder for the report, or - to print report.json on stdout and write no folder.",
            "--out",
            "-o",
            metavar="DIR",
        ),
    ] = Path("reconcile-out"),
    json_out: Annotated[
        bool,
        _opt(
            "Print report.json on stdout; progress, warnings and the summary go to stderr.",
            "--json",
        ),
    ] = False,
    backend: Annotated[
        str,
        _opt(
            "Which backend: auto (the LLM when an endpoint is configured, else offline), "
            "offline or llm.",
            "--backend",
            metavar="auto|offline|llm",
        ),
    ] = "auto",
    extract: Annotated[
        str | None, _opt(_EXTRACT_HELP, "--extract", metavar="auto|offline|llm")
    ] = None,
    judge: Annotated[str | None, _opt(_JUDGE_HELP, "--judge", metavar="auto|offline|llm")] = None,
    model: Annotated[str | None, _opt(_MODEL_HELP, "--model", metavar="NAME")] = None,
    base_url: Annotated[str | None, _opt(_BASE_URL_HELP, "--base-url", metavar="URL")] = None,
    concurrency: Annotated[int, _opt(_CONCURRENCY_HELP, "--concurrency", metavar="N")] = 8,
    timeout: Annotated[float, _opt(_TIMEOUT_HELP, "--timeout", metavar="SECONDS")] = 120.0,
    max_attempts: Annotated[
        int,
        _opt(
            "Tries per LLM request on rate limits, server errors and timeouts.",
            "--max-attempts",
            metavar="N",
            min=1,
        ),
    ] = 5,
    pairs_per_call: Annotated[
        int | None, _opt(_PAIRS_HELP, "--pairs-per-call", metavar="N", min=1, max=64)
    ] = None,
    cache_dir: Annotated[
        Path | None,
        _opt(
            "Cache folder, ~/.cache/reconcile by default (LLM answers in DIR/llm, offline "
            "claims in DIR/offline).",
            "--cache-dir",
            metavar="DIR",
        ),
    ] = None,
    no_cache: Annotated[bool, _opt("Neither read nor write the caches.", "--no-cache")] = False,
    dry_run: Annotated[
        bool,
        _opt(
            "Say which backend the run would use and what it would cost; send nothing.",
            "--dry-run",
        ),
    ] = False,
    price_in: Annotated[
        float | None,
        _opt(
            "US dollars per million prompt tokens, for a model with no known price.",
            "--price-in",
            metavar="USD",
            min=0,
        ),
    ] = None,
    price_out: Annotated[
        float | None,
        _opt(
            "US dollars per million completion tokens, with --price-in.",
            "--price-out",
            metavar="USD",
            min=0,
        ),
    ] = None,
    limit: Annotated[
        int,
        _opt(
            "Flags and disputes shown in the terminal (all are in the report).",
            "--limit",
            metavar="N",
        ),
    ] = 20,
    quiet: Annotated[bool, _opt("Print only errors.", "--quiet", "-q")] = False,
    force: Annotated[
        bool,
        _opt(
            "Replace a report of other articles in --out (reviews and files that are not "
            "reconcile's are kept).",
            "--force",
        ),
    ] = False,
    one_story: Annotated[
        bool,
        _opt(
            "The articles are all about one event: do not group them into stories.",
            "--one-story",
        ),
    ] = False,
) -> None:
    """Reconcile the articles under PATH... and write report.json, report.md and report.html."""
    from agent.backends import BackendError
    from agent.backends.llm.config import ConfigError, load_config
    from agent.fetch import is_url
    from agent.outdir import OutputFolderError, RunTarget
    from agent.paths import cache_root
    from agent.pipeline import NoArticlesError, run_pipeline
    from agent.report_files import publish, report_json
    from agent.summary import print_estimate, print_summary

    to_stdout = str(out) == STDOUT
    machine = json_out or to_stdout  # stdout holds report.json and nothing else
    err = _stderr()
    console = _Console(stderr=machine, quiet=quiet)
    target = None if to_stdout else RunTarget(out, force=force)
    if target is not None and not dry_run:
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
            pairs_per_call=pairs_per_call,
            cache_dir=caches / "llm",
            use_cache=not no_cache,
            dry_run=dry_run,
            price_in=price_in,
            price_out=price_out,
        )
    except ConfigError as exc:
        err.print(_line(f"error: {exc}"))
        raise typer.Exit(EXIT_USAGE) from None
    skip = [] if to_stdout else [out]
    progress, on_progress = _progress(err, show=not quiet)
    try:
        if dry_run:
            from agent.dry_run import dry_run as plan_run

            plan = plan_run(
                paths,
                backend,
                llm,
                skip,
                base_url_given=base_url is not None,
                extract=extract,
                judge=judge,
                offline_cache=None if no_cache else caches / "offline",
                one_story=one_story,
            )
            if machine:
                import json

                print(json.dumps(plan, indent=2))
            else:
                print_estimate(plan, console)
            return
        with progress:
            report = run_pipeline(
                paths,
                backend=backend,
                progress=on_progress,
                llm=llm,
                log_path=None if to_stdout else out / "llm-calls.jsonl",
                offline_cache=None if no_cache else caches / "offline",
                skip_dirs=skip,
                on_ingested=target.check_articles if target is not None else None,
                extract=extract,
                judge=judge,
                one_story=one_story,
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
    log_problems: list[str] = []
    if target is not None:
        try:
            report, log_problems = publish(report, out, check=target.check_story)
        except OutputFolderError as exc:
            err.print(_line(f"error: {exc}"))
            raise typer.Exit(EXIT_USAGE) from None
    for problem in log_problems:
        err.print(_line(f"warning: {problem}"))
    for e in report.errors:
        err.print(_line(f"error: {e.path}: {e.error}"))
    print_summary(report, console, None if to_stdout else out, limit=limit)
    if machine:
        sys.stdout.write(report_json(report))
        sys.stdout.flush()
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


class _Stage(StrEnum):
    pipeline = "pipeline"
    judge = "judge"


@app.command("eval", cls=_Command, short_help="Score a backend against the labelled eval cases.")
def eval_(
    backend: Annotated[
        str, _opt("The backend to score: offline, llm or auto.", "--backend", metavar="NAME")
    ] = "offline",
    extract: Annotated[
        str | None, _opt(_EXTRACT_HELP, "--extract", metavar="auto|offline|llm")
    ] = None,
    judge: Annotated[str | None, _opt(_JUDGE_HELP, "--judge", metavar="auto|offline|llm")] = None,
    stage: Annotated[
        _Stage,
        _opt(
            "What to score: pipeline, the whole run of each case; judge, the labelled pairs "
            "sent to the judge alone, with its accuracy per class.",
            "--stage",
            metavar="pipeline|judge",
        ),
    ] = _Stage.pipeline,
    fixtures: Annotated[
        Path | None,
        _opt(
            "Folder of eval cases (default ./evals/fixtures, else the cases shipped with "
            "reconcile).",
            "--fixtures",
            metavar="DIR",
        ),
    ] = None,
    case: Annotated[
        list[str] | None, _opt("Run only this case (repeatable).", "--case", metavar="NAME")
    ] = None,
    baseline: Annotated[
        Path | None,
        _opt(
            "Baseline to compare with (default: the one beside the fixtures for this backend).",
            "--baseline",
            metavar="FILE",
        ),
    ] = None,
    update_baseline: Annotated[
        bool, _opt("Rewrite the baseline with this run's results.", "--update-baseline")
    ] = False,
    details: Annotated[bool, _opt("Also print every figure of every case.", "--details")] = False,
    out: Annotated[
        Path, _opt("File for the full results, in JSON.", "--out", metavar="FILE")
    ] = Path("reconcile-out/eval.json"),
    model: Annotated[str | None, _opt(_MODEL_HELP, "--model", metavar="NAME")] = None,
    base_url: Annotated[str | None, _opt(_BASE_URL_HELP, "--base-url", metavar="URL")] = None,
    concurrency: Annotated[int, _opt(_CONCURRENCY_HELP, "--concurrency", metavar="N")] = 8,
    timeout: Annotated[float, _opt(_TIMEOUT_HELP, "--timeout", metavar="SECONDS")] = 120.0,
    pairs_per_call: Annotated[
        int | None, _opt(_PAIRS_HELP, "--pairs-per-call", metavar="N", min=1, max=64)
    ] = None,
) -> None:
    """Score the backend against the hand-labelled eval cases; non-zero on a regression."""
    from agent.backends.llm.config import ConfigError, load_config
    from agent.evals.command import eval_command

    _warnings_to(_stderr())
    try:
        llm = load_config(
            model=model,
            base_url=base_url,
            concurrency=concurrency,
            timeout=timeout,
            pairs_per_call=pairs_per_call,
        )
    except ConfigError as exc:
        _stderr().print(_line(f"error: {exc}"))
        raise typer.Exit(EXIT_USAGE) from None
    code = eval_command(
        backend, fixtures, case or None, baseline, update_baseline, out, _Console(), llm=llm,
        details=details, extract=extract, judge=judge, stage=stage.value,
    )  # fmt: skip
    raise typer.Exit(code)


class _Only(StrEnum):
    pending = "pending"
    confirmed = "confirmed"
    rejected = "rejected"


@app.command("review", cls=_Command, short_help="Confirm or reject a run's flags, one by one.")
def review(
    out: Annotated[Path, typer.Argument(help="The output folder of a run.", metavar="OUT")] = Path(
        "reconcile-out"
    ),
    only: Annotated[
        _Only | None,
        _opt(
            "Review only the disputes (or lone flags) with this status.",
            "--only",
            metavar="pending|confirmed|rejected",
        ),
    ] = None,
    reviewer: Annotated[
        str | None,
        _opt("Who is reviewing (default: your login name).", "--reviewer", metavar="NAME"),
    ] = None,
    web: Annotated[
        bool, _opt("Review in the browser: a local server on 127.0.0.1 serves the report.", "--web")
    ] = False,
    port: Annotated[
        int | None, _opt("The --web server's port (default: a free one).", "--port", metavar="N")
    ] = None,
    no_open: Annotated[
        bool, _opt("With --web: print the URL, do not open a browser.", "--no-open")
    ] = False,
) -> None:
    """Go through the disputes one at a time (or their pairs): confirm, reject, note, retype,
    correct a claimant, add a contradiction the tool missed.

    Keys: c confirm, r reject, p pairs, d back to the dispute, s skip, b back, n note,
    t type, w claimant, a add, u undo, q quit, ? help.
    Every decision is saved to OUT/reviews.jsonl before the next key is read.
    With --web the same actions are buttons in report.html; Ctrl-C stops the server.
    """
    from agent.report_files import ReportFolderError
    from agent.review.log import default_reviewer
    from agent.review.terminal import run_review

    if web:
        _review_web(out, reviewer or default_reviewer(), port or 0, not no_open, only is not None)
        return
    try:
        run_review(
            out,
            reviewer or default_reviewer(),
            _Console(),
            only=only.value if only else None,
        )
    except ReportFolderError as exc:
        _stderr().print(_line(f"error: {exc}"))
        raise typer.Exit(EXIT_USAGE) from None


def _review_web(out: Path, reviewer: str, port: int, open_browser: bool, only: bool) -> None:
    from agent.report_files import ReportFolderError
    from agent.review.web import WebReviewError, run_web_review

    if only:
        _stderr().print("error: --only is for the terminal review (the page has a status filter)")
        raise typer.Exit(EXIT_USAGE)
    console = _Console(highlight=False, markup=False, soft_wrap=True)
    try:
        run_web_review(out, reviewer, port, open_browser, lambda text: console.print(_line(text)))
    except (ReportFolderError, WebReviewError) as exc:
        _stderr().print(_line(f"error: {exc}"))
        raise typer.Exit(EXIT_USAGE) from None


@app.command("export", cls=_Command, short_help="Turn a reviewed run into an eval case.")
def export(
    out: Annotated[
        Path, typer.Argument(help="The output folder of a reviewed run.", metavar="OUT")
    ],
    case: Annotated[
        str, _opt("Name of the new eval case, in kebab-case.", "--case", metavar="NAME")
    ],
    fixtures: Annotated[
        Path, _opt("Folder of eval cases to write it into.", "--fixtures", metavar="DIR")
    ] = Path("evals/fixtures"),
    force: Annotated[bool, _opt("Replace a case of that name.", "--force")] = False,
    written_for_test: Annotated[
        bool,
        _opt(
            "Mark the articles as written for testing (by default they are real articles).",
            "--written-for-test",
        ),
    ] = False,
) -> None:
    """Turn reviewed flags into an eval case: confirmed ones are gold, rejected ones traps."""
    from agent.review.export import ExportError, export_case

    console, err = _Console(), _stderr()
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
