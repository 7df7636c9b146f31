"""report.md (agent/report_files.py's Markdown rendering)."""

from __future__ import annotations

from agent.report_files import render_markdown
from tests.support.orphans import report_with_orphans


def test_report_md_lists_every_kind_of_orphaned_decision() -> None:
    md = render_markdown(report_with_orphans())
    section = md[md.index("## Review decisions not found in this run") :]
    assert section.splitlines()[1:6] == [
        "Kept in reviews.jsonl, never dropped: each attaches again when its flag, dispute or "
        "claim comes back.",
        "",
        "- Flag, rejected, number: “repairs would cost 4 million crowns” / “the work would cost "
        "9 million crowns”; note: old note",
        "- Dispute, confirmed: what the repairs cost; note: both read",
        "- Claimant correction: Ida Brenn → Ida Brenn-Lund (gazette): “repairs would cost 4 "
        "million crowns”",
    ]
    assert "## Review decisions" not in render_markdown(
        report_with_orphans().model_copy(
            update={
                "orphaned_reviews": [],
                "orphaned_dispute_reviews": [],
                "orphaned_corrections": [],
            }
        )
    )
