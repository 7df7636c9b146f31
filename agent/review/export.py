"""Exporting review decisions as an eval fixture: `reconcile export OUT --case NAME`.

The reviewed run becomes a case `<fixtures>/<NAME>/`: every article of the run; confirmed
pairs (a confirmed dispute confirms the pairs it held) and contradictions a reviewer added as
required contradictions, so recall gaps reach the eval; rejected pairs and disputes as traps;
claimant corrections as key claims with the corrected claimant. The eval then measures the
tool against what a person decided about its own output. Pending flags are not exported (the
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
    KeyClaimLabel,
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
from agent.review.log import LOG_NAME, load_log
from agent.review.state import Correction, ReviewState, replay_state
from agent.review.status import apply_state

# A case name obeys the labels' id rule (kebab-case, <= 80): never a hidden or odd folder.
_CASE_NAME: TypeAdapter[str] = TypeAdapter(Id)
_FINGERPRINT_HEX = re.compile(r"^(?:fp|ck)-([0-9a-f]{16})$")
_HEX_SHORT = 8


class ExportError(Exception):
    """The case cannot be exported; the message is one line naming the cause."""


@dataclass(frozen=True)
class SkippedDecision:
    """A confirm, reject or claimant correction that could not become a label, and why."""

    fingerprint: str
    """The flag's content fingerprint (a claim's key for a correction)."""
    decision: ReviewDecision | str
    """"confirmed" or "rejected", or "claimant" for a correction."""
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
    key_claims: int = 0
    """Claimant corrections written as key claims."""
    added: int = 0
    """Of the required contradictions, how many a reviewer added (the tool missed them)."""

    def describe(self) -> str:
        """What was written and what to know about it, for the terminal (several lines)."""
        lines = [
            f"Wrote {self.case_dir}: required contradictions from "
            f"{_count(self.contradictions, 'confirmed flag')}, traps from "
            f"{_count(self.traps, 'rejected flag')}"
            + (
                f", key claims from {_count(self.key_claims, 'claimant correction')}"
                if self.key_claims
                else ""
            )
            + "."
        ]
        if self.added:
            lines.append(
                f"Of the required contradictions, {self.added} were added by a reviewer "
                "(the tool missed them): the eval counts them as misses until it finds them."
            )
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
    state = replay_state(loaded.events)
    applied = apply_state(report, state)
    pending = sum(c.review.decision == "pending" for c in applied.contradictions)
    decided, skipped = _decisions(applied, state)
    if not decided and not skipped and not state.corrections:
        raise ExportError(
            f"{log_path}: no confirmed or rejected flag to export ({pending} pending)"
        )

    labels, widened, skipped = _labels(report, decided, skipped, name, out_dir, written_for_test)
    key_claims, widened_claims = _key_claims(report, state, skipped)
    labels = labels.model_copy(update={"key_claims": key_claims})
    widened += widened_claims
    if not labels.contradictions and not labels.traps and not labels.key_claims:
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
        key_claims=len(labels.key_claims),
        added=sum(d.flag.added_by_reviewer for d in decided if d.status.decision == "confirmed"),
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


def _decisions(applied: Report, state: ReviewState) -> tuple[list[_Decided], list[SkippedDecision]]:
    """Confirmed and rejected pairs, in the order they were decided, with their snapshots.

    `applied` is the report with the log applied: its pairs' statuses (a dispute's decision
    included), the added contradictions, and the orphaned decisions. A pair a decided dispute
    held that this run did not find is exported from its snapshot, with the dispute's decision.
    """
    present = {c.fingerprint for c in applied.contradictions}
    found: dict[str, _Decided] = {}
    by_time = sorted(state.disputes.values(), key=lambda d: (d.status.at is not None, d.status.at))
    for dispute in by_time:  # the later decision wins
        if dispute.status.decision == "pending":
            continue
        for fp, snapshot in dispute.decided.items():
            if fp in present:
                continue
            status = ReviewStatus(
                decision=dispute.status.decision,
                type=dispute.status.type if fp in dispute.typed else None,
                note=dispute.status.note,
                reviewer=dispute.status.reviewer,
                at=dispute.status.at,
                from_dispute=dispute.fingerprint,
            )
            found[fp] = _Decided(fp, status, snapshot)
    for orphan in applied.orphaned_reviews:
        if orphan.review.decision != "pending":
            found[orphan.fingerprint] = _Decided(orphan.fingerprint, orphan.review, orphan.flag)
    for flag in applied.contradictions:
        if flag.review.decision != "pending":
            # The snapshot is the flag the reviewer judged; a log written without one falls
            # back to this run's flag with the same fingerprint (the same spans and type).
            snapshot = state.flags.get(flag.fingerprint) or flag
            found[flag.fingerprint] = _Decided(flag.fingerprint, flag.review, snapshot)
    skipped = [
        SkippedDecision(
            fp, status.decision, "the log holds no copy of the flag and this run did not find it"
        )
        for fp, status in state.pairs.items()
        if status.decision != "pending" and fp not in found and fp not in state.flags
    ]
    decided = sorted(
        found.values(), key=lambda d: (d.status.at is None, d.status.at, d.fingerprint)
    )
    return decided, skipped


def _key_claims(
    report: Report, state: ReviewState, skipped: list[SkippedDecision]
) -> tuple[list[KeyClaimLabel], int]:
    """Each claimant correction as a key claim with the corrected claimant (its quote widened
    to a unique span where needed); corrections that cannot be are added to `skipped`."""
    by_sha = {a.sha256: a for a in report.articles}
    labels: list[KeyClaimLabel] = []
    taken: set[str] = set()
    widened = 0
    for correction in sorted(state.corrections.values(), key=lambda c: (c.at, c.key)):
        label = _key_claim(correction, by_sha, taken)
        if isinstance(label, str):
            skipped.append(SkippedDecision(correction.key, "claimant", label))
            continue
        key_claim, widened_here = label
        labels.append(key_claim)
        widened += widened_here
    return labels, widened


def _key_claim(
    correction: Correction, by_sha: dict[str, Article], taken: set[str]
) -> tuple[KeyClaimLabel, bool] | str:
    claim = correction.claim
    article = by_sha.get(claim.article_sha256)
    if article is None:
        return (
            f"article {claim.article_id} (sha256 {claim.article_sha256[:12]}) "
            "is not among this output folder's articles"
        )
    if article.text[claim.start : claim.end] != claim.quote:
        return f"the quote is not at its offsets in article {article.id}"
    start, end = widen_to_unique(article.text, claim.start, claim.end)
    label = KeyClaimLabel(
        id=_item_id("claimant", correction.key, taken),
        article=article.id,
        claimant=correction.claimant,
        quote=article.text[start:end],
    )
    return label, (start, end) != (claim.start, claim.end)


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
        if d.flag.added_by_reviewer and not note:
            note = summary  # an added contradiction's summary is the reviewer's own
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
        "article copies; each confirmed flag (a confirmed dispute's pairs, and contradictions a "
        "reviewer added) is a required contradiction, each rejected flag a trap, and each "
        "claimant correction a key claim, quoted with the flagged words (widened only where "
        "they were not unique)."
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
