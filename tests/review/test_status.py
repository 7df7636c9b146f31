"""Decisions attach to flags by content, survive re-runs, and are never dropped."""

from __future__ import annotations

from pathlib import Path

from agent.models import Report
from agent.pipeline import run_pipeline
from agent.report_files import publish, read_report
from agent.review.session import ReviewSession
from agent.review.status import attach_reviews
from tests.conftest import SEEDS


def _decide(out: Path) -> tuple[str, str]:
    session = ReviewSession(read_report(out), out, "tester")
    confirmed, rejected = session.queue[0].fingerprint, session.queue[1].fingerprint
    session.confirm()
    session.reject()
    session.note("see the second paragraph")
    session.close()
    return confirmed, rejected


def test_statuses_attach_by_fingerprint(out: Path, seeds_report: Report) -> None:
    confirmed, rejected = _decide(out)
    report, problems = attach_reviews(seeds_report, out)
    assert problems == []
    by_fp = {c.fingerprint: c.review for c in report.contradictions}
    assert by_fp[confirmed].decision == "confirmed" and by_fp[confirmed].reviewer == "tester"
    assert by_fp[rejected].decision == "rejected"
    noted = report.contradictions[2].review  # the note went to the flag after the two decided
    assert noted.decision == "pending" and noted.note == "see the second paragraph"
    assert all(c.review.decision == "pending" for c in report.contradictions[2:])
    assert report.orphaned_reviews == []


def test_rerun_from_another_folder_in_another_order_keeps_every_decision(
    out: Path, tmp_path: Path
) -> None:
    confirmed, rejected = _decide(out)
    copy = tmp_path / "elsewhere" / "articles"
    copy.mkdir(parents=True)
    for path in sorted(SEEDS.glob("*.txt"), reverse=True):
        (copy / f"renamed-{path.name}").write_bytes(path.read_bytes())
    rerun = run_pipeline(sorted(copy.glob("*.txt"), reverse=True), backend="offline")
    written, _ = publish(rerun, out)
    by_fp = {c.fingerprint: c.review.decision for c in written.contradictions}
    assert by_fp[confirmed] == "confirmed" and by_fp[rejected] == "rejected"
    assert written.orphaned_reviews == []
    assert read_report(out).contradictions == written.contradictions


def test_a_flag_that_disappears_is_listed_as_orphaned_with_its_decision(
    out: Path, seeds_report: Report
) -> None:
    confirmed, _ = _decide(out)
    gone = next(c for c in seeds_report.contradictions if c.fingerprint == confirmed)
    missing_article = gone.sides[0].article_id
    kept = [p for p in SEEDS.glob("*.txt") if p.stem != missing_article]
    written, _ = publish(run_pipeline(kept, backend="offline"), out)
    orphans = {o.fingerprint: o for o in written.orphaned_reviews}
    assert orphans[confirmed].review.decision == "confirmed"
    assert orphans[confirmed].flag.sides == gone.sides
    # Back on the full run, it is attached again.
    again, _ = publish(seeds_report, out)
    assert confirmed not in {o.fingerprint for o in again.orphaned_reviews}
