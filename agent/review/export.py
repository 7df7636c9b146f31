"""Exporting review decisions as an eval fixture: `reconcile export OUT --case NAME`.

The reviewed run becomes a case `<fixtures>/<NAME>/`: every article of the run, confirmed
flags as required contradictions and rejected flags as traps, so the eval measures the tool
against what a person decided about its own output. Pending flags are not exported (the
caller warns that they count as false positives when the tool flags them again).

Decisions come from the review log, not from report.json, so a decision on a flag a later
run no longer found (an orphaned decision) is exported from the flag as the reviewer saw it.
The case is written into a hidden staging folder beside the target, loaded with the fixture
loader to prove it valid, and only then renamed into place: a failure leaves nothing behind.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import TypeAdapter, ValidationError

from agent.evals.fixtures import (
    ARTICLE_SUFFIX,
    LABELS_FILE,
    SCHEMA_COMMENT,
    ContradictionLabel,
    FixtureError,
    Id,
    Labels,
    Span,
    TrapKind,
    TrapLabel,
    load_case,
    occurs_once,
)
from agent.models import Article, Contradiction, Report, ReviewDecision, ReviewStatus
from agent.outdir import ARTICLES_DIR
from agent.report_files import ReportFolderError, read_report
from agent.review.log import LOG_NAME, load_log, replay, snapshots

# A case name obeys the labels' id rule (kebab-case, <= 80): never a hidden or odd folder.
_CASE_NAME: TypeAdapter[str] = TypeAdapter(Id)
_FINGERPRINT_HEX = re.compile(r"^fp-([0-9a-f]{16})$")
_HEX_SHORT = 8


class ExportError(Exception):
    """The case cannot be exported; the message is one line naming the cause."""


@dataclass(frozen=True)
class SkippedDecision:
    """A confirm or reject that could not become a label, and why."""

    fingerprint: str
    """The flag's content fingerprint."""
    decision: ReviewDecision
    """"confirmed" or "rejected"."""
    reason: str
    """One line saying why it was left out."""


@dataclass(frozen=True)
class ExportResult:
    """What `export_case` wrote."""

    case_dir: Path
    """The new case folder."""
    contradictions: int
    """Confirmed flags written as required contradictions."""
    traps: int
    """Rejected flags written as traps."""
    pending: int
    """Flags in the report with no decision: not exported, so false positives if found again."""
    skipped: tuple[SkippedDecision, ...]
    """Decisions left out, each with its reason."""
    widened: int
    """Quotes widened word by word because the flagged words occur more than once."""
    log_problems: tuple[str, ...] = ()
    """Unreadable lines of the review log (skipped, one line each)."""

    def describe(self) -> str:
        """What was written and what to know about it, for the terminal (several lines)."""
        lines = [
            f"Wrote {self.case_dir}: required contradictions from "
            f"{_count(self.contradictions, 'confirmed flag')}, traps from "
            f"{_count(self.traps, 'rejected flag')}."
        ]
        if self.widened:
            lines.append(
                "Quotes widened word by word to a unique span (the flagged words occur more "
                f"than once in their article): {self.widened}."
            )
        for s in self.skipped:
            lines.append(f"skipped {s.decision} {s.fingerprint}: {s.reason}")
        if self.pending:
            lines.append(
                f"warning: {_count(self.pending, 'pending flag')} not exported: the eval counts "
                "each as a false positive when the tool flags it again."
            )
        lines += [f"warning: {problem}" for problem in self.log_problems]
        lines.append(
            f"Score it: reconcile eval --fixtures {self.case_dir.parent} "
            f"--case {self.case_dir.name}"
        )
        return "\n".join(lines)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


@dataclass(frozen=True)
class _Decided:
    fingerprint: str
    status: ReviewStatus
    flag: Contradiction


def export_case(
    out_dir: Path,
    name: str,
    fixtures_root: Path,
    *,
    written_for_test: bool = False,
    force: bool = False,
) -> ExportResult:
    """Write the review decisions in `out_dir` as the eval case `fixtures_root/name`.

    Raises ExportError (nothing written) on a bad name, an existing case folder without
    `force`, no readable report, no review log, or no confirmed or rejected decision to export.
    """
    check_case_name(name)
    target = fixtures_root / name
    if (target.exists() or target.is_symlink()) and not force:
        raise ExportError(f"{target}: the case already exists (--force replaces it)")
    try:
        report = read_report(out_dir)
    except ReportFolderError as exc:
        raise ExportError(str(exc)) from None
    log_path = out_dir / LOG_NAME
    if not log_path.is_file():
        raise ExportError(f"{log_path}: no review log (no flag of this run has been reviewed)")
    loaded = load_log(log_path)
    statuses = replay(loaded.events)
    pending = sum(
        statuses.get(c.fingerprint, ReviewStatus()).decision == "pending"
        for c in report.contradictions
    )
    decided, skipped = _decisions(report, statuses, snapshots(loaded.events))
    if not decided and not skipped:
        raise ExportError(
            f"{log_path}: no confirmed or rejected flag to export ({pending} pending)"
        )

    labels, widened, skipped = _labels(report, decided, skipped, name, out_dir, written_for_test)
    if not labels.contradictions and not labels.traps:
        first = skipped[0]
        raise ExportError(
            f"{log_path}: nothing to export: all {len(skipped)} decisions were skipped "
            f"(first: {first.fingerprint}: {first.reason})"
        )
    try:
        _write_case(labels, report, out_dir, fixtures_root, name)
    except OSError as exc:  # a read-only or full fixtures folder
        raise ExportError(
            f"{fixtures_root}: cannot write the case ({exc.strerror or exc})"
        ) from None
    return ExportResult(
        case_dir=target,
        contradictions=len(labels.contradictions),
        traps=len(labels.traps),
        pending=pending,
        skipped=tuple(skipped),
        widened=widened,
        log_problems=tuple(loaded.problems),
    )


def check_case_name(name: str) -> None:
    """Raise ExportError unless `name` is a kebab-case case name of at most 80 characters."""
    try:
        _CASE_NAME.validate_python(name)
    except ValidationError:
        raise ExportError(
            f"bad case name {name!r}: use lower-case letters, digits and single hyphens "
            "(kebab-case, at most 80 characters), e.g. 'reviewed-run-1'"
        ) from None


def widen_to_unique(text: str, start: int, end: int) -> tuple[int, int]:
    """The span [start, end) of `text`, widened until its words occur exactly once.

    A span whose words already occur once is returned unchanged. Otherwise it grows by one
    word at a time, alternately to the left and to the right (to the other side when one
    reaches the end of the text), and always to a whitespace boundary, so a quote never ends
    inside a word it did not already cut. The whole text is unique, so this terminates.
    """
    step = 0
    while not occurs_once(text, text[start:end]) and (start > 0 or end < len(text)):
        go_left = (step % 2 == 0 and start > 0) or end >= len(text)
        if go_left:
            start = _word_left(text, start)
        else:
            end = _word_right(text, end)
        step += 1
    return start, end


def _word_left(text: str, start: int) -> int:
    while start > 0 and text[start - 1].isspace():
        start -= 1
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    return start


def _word_right(text: str, end: int) -> int:
    while end < len(text) and text[end].isspace():
        end += 1
    while end < len(text) and not text[end].isspace():
        end += 1
    return end


def _decisions(
    report: Report, statuses: dict[str, ReviewStatus], flags: dict[str, Contradiction]
) -> tuple[list[_Decided], list[SkippedDecision]]:
    """Confirmed and rejected flags, in the order they were decided, with their snapshots."""
    in_report = {c.fingerprint: c for c in report.contradictions}
    decided: list[_Decided] = []
    skipped: list[SkippedDecision] = []
    for fingerprint, status in statuses.items():
        if status.decision == "pending":
            continue
        # The snapshot is the flag the reviewer judged; a log written without one falls back
        # to this run's flag with the same fingerprint (the same spans and type).
        flag = flags.get(fingerprint) or in_report.get(fingerprint)
        if flag is None:
            reason = "the log holds no copy of the flag and this run did not find it"
            skipped.append(SkippedDecision(fingerprint, status.decision, reason))
            continue
        decided.append(_Decided(fingerprint, status, flag))
    decided.sort(key=lambda d: (d.status.at is None, d.status.at, d.fingerprint))
    return decided, skipped


def _labels(
    report: Report,
    decided: list[_Decided],
    skipped: list[SkippedDecision],
    name: str,
    out_dir: Path,
    written_for_test: bool,
) -> tuple[Labels, int, list[SkippedDecision]]:
    """The labels file's content, the number of widened quotes, and every skipped decision."""
    by_sha = {a.sha256: a for a in report.articles}
    skipped = list(skipped)
    contradictions: list[ContradictionLabel] = []
    traps: list[TrapLabel] = []
    taken: set[str] = set()
    widened = 0
    reviewers: set[str] = set()
    for d in decided:
        sides = _label_sides(d.flag, by_sha)
        if isinstance(sides, str):
            skipped.append(SkippedDecision(d.fingerprint, d.status.decision, sides))
            continue
        spans, widened_here = sides
        widened += widened_here
        if d.status.reviewer:
            reviewers.add(d.status.reviewer)
        note = _one_line(d.status.note)
        summary = _one_line(d.flag.summary) or f"{d.flag.type.value} flag"
        if d.status.decision == "confirmed":
            type_ = d.status.type or d.flag.type
            contradictions.append(
                ContradictionLabel(
                    id=_item_id(type_.value.replace("_", "-"), d.fingerprint, taken),
                    type=type_,
                    required=True,
                    description=note or summary,
                    sides=spans,
                )
            )
        else:
            traps.append(
                TrapLabel(
                    id=_item_id("trap", d.fingerprint, taken),
                    kind=TrapKind.OTHER,
                    description=note or f"Rejected in review: {summary}",
                    sides=spans,
                )
            )
    today = dt.datetime.now(dt.UTC).date().isoformat()
    who = ", ".join(sorted(reviewers)) or "unnamed reviewers"
    provenance = (
        # The folder's name only: an absolute path would put a home directory in the fixture.
        f"Exported by `reconcile export` on {today} from the review decisions in "
        f"{out_dir.resolve().name}/ "
        f"by {who}, on a run of the {report.backend} backend. The articles are that run's "
        "article copies; each confirmed flag is a required contradiction and each rejected "
        "flag a trap, quoted with the flagged words (widened only where they were not unique)."
    )
    probes = (
        f"What reviewers decided about the tool's own flags: {len(contradictions)} confirmed "
        f"(required contradictions) and {len(traps)} rejected (traps)."
    )
    labels = Labels(
        case=name,
        written_for_test=written_for_test,
        provenance=provenance,
        probes=probes,
        contradictions=contradictions,
        traps=traps,
    )
    return labels, widened, skipped


def _label_sides(
    flag: Contradiction, by_sha: dict[str, Article]
) -> tuple[list[list[Span]], int] | str:
    """The flag's two sides as label spans and how many were widened, or why it cannot be."""
    if len(flag.sides) != 2:
        return f"the flag has {len(flag.sides)} sides (a label has exactly two)"
    spans: list[list[Span]] = []
    widened = 0
    for side in flag.sides:
        article = by_sha.get(side.article_sha256)
        if article is None:
            return (
                f"article {side.article_id} (sha256 {side.article_sha256[:12]}) "
                "is not among this output folder's articles"
            )
        text = article.text
        if text[side.start : side.end] != side.quote:
            return f"the quote is not at its offsets in article {article.id}"
        start, end = widen_to_unique(text, side.start, side.end)
        widened += (start, end) != (side.start, side.end)
        spans.append([Span(article=article.id, quote=text[start:end])])
    if spans[0] == spans[1]:
        return f"both sides are the same words of article {spans[0][0].article}"
    return spans, widened


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _item_id(prefix: str, fingerprint: str, taken: set[str]) -> str:
    """`prefix-<8 hex of the fingerprint>`, or all its hex digits if those 8 are taken."""
    match = _FINGERPRINT_HEX.match(fingerprint)
    # A hand-written log may hold any fingerprint string: hash it to get hex digits.
    digits = match.group(1) if match else hashlib.sha256(fingerprint.encode()).hexdigest()
    short = f"{prefix}-{digits[:_HEX_SHORT]}"
    chosen = short if short not in taken else f"{prefix}-{digits}"
    taken.add(chosen)
    return chosen


def _dump(labels: Labels) -> str:
    data: dict[str, Any] = labels.model_dump(mode="json")
    # Empty sections are noise in a file people read; the loader defaults them to [].
    for section in ("agreements", "key_claims"):
        if not data[section]:
            del data[section]
    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    return f"{SCHEMA_COMMENT}\n{body}"


def _write_case(
    labels: Labels, report: Report, out_dir: Path, fixtures_root: Path, name: str
) -> None:
    """Stage the case in a hidden folder, prove it loads, then move it into place."""
    fixtures_root.mkdir(parents=True, exist_ok=True)
    target = fixtures_root / name
    # Hidden (leading dot), so an eval running meanwhile never sees a half-written case.
    staging_root = Path(tempfile.mkdtemp(prefix=f".{name}.export-", dir=fixtures_root))
    try:
        # The staged folder carries the final name: the loader checks `case` against it.
        stage = staging_root / name
        stage.mkdir()
        for article in report.articles:
            shutil.copyfile(
                out_dir / ARTICLES_DIR / f"{article.id}.txt",
                stage / f"{article.id}{ARTICLE_SUFFIX}",
            )
        (stage / LABELS_FILE).write_text(_dump(labels), encoding="utf-8", newline="\n")
        try:
            load_case(stage)
        except FixtureError as exc:
            more = f" (+{len(exc.problems) - 1} more)" if len(exc.problems) > 1 else ""
            path, problem = exc.problems[0]
            raise ExportError(
                f"the exported case does not load: {path.name}: {problem}{more}"
            ) from exc
        _move_into_place(stage, target, staging_root)
    finally:
        shutil.rmtree(staging_root, ignore_errors=True)


def _move_into_place(stage: Path, target: Path, staging_root: Path) -> None:
    """Rename `stage` to `target`; an existing target is moved aside first, back on failure."""
    replaced: Path | None = None
    if target.exists() or target.is_symlink():
        replaced = staging_root / "replaced"
        target.rename(replaced)
    try:
        stage.rename(target)
    except OSError as exc:
        if replaced is not None:
            replaced.rename(target)
        raise ExportError(f"{target}: cannot move the exported case into place ({exc})") from exc
