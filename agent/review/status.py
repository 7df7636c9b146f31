"""Attaching the review log's decisions to a report, by content fingerprint."""

from __future__ import annotations

from pathlib import Path

from agent.models import OrphanedReview, Report, ReviewStatus
from agent.review.log import LOG_NAME, load_log, replay, snapshots


def attach_reviews(report: Report, out_dir: Path) -> tuple[Report, list[str]]:
    """The report with each flag's review status, and the log's unreadable lines.

    A decision whose flag is not in this report (the articles or the rules changed) is kept
    as an orphaned review, with the flag as the reviewer saw it: never dropped.
    """
    loaded = load_log(out_dir / LOG_NAME)
    statuses = replay(loaded.events)
    flags = snapshots(loaded.events)
    present = {c.fingerprint for c in report.contradictions}
    contradictions = [
        c.model_copy(update={"review": statuses.get(c.fingerprint, ReviewStatus())})
        for c in report.contradictions
    ]
    orphaned = sorted(
        (
            OrphanedReview(fingerprint=fp, review=status, flag=flags[fp])
            for fp, status in statuses.items()
            if fp not in present and fp in flags
        ),
        key=lambda o: (o.review.at is None, o.review.at, o.fingerprint),
    )
    updated = report.model_copy(
        update={"contradictions": contradictions, "orphaned_reviews": orphaned}
    )
    return updated, loaded.problems
