"""report.md: disputes first, then the who-says-what table per story, then the pair-level
list, capped with a count (the seeds, and invented articles)."""

from __future__ import annotations

from pathlib import Path

from agent.models import Report
from agent.pipeline import run_pipeline
from agent.report_files import PAIRS_SHOWN, render_markdown
from agent.stories import SINGLE
from tests.support import events


def test_disputes_come_first_then_the_matrix_then_the_pairs(seeds_report: Report) -> None:
    md = render_markdown(seeds_report)
    first_dispute = md.index("### " + seeds_report.disputes[0].matter.split(":")[0])
    matrix = md.index("### Who says what")
    pairs = md.index("## Contradictions")
    assert first_dispute < matrix < pairs
    assert "| claimant |" in md and "| Moscow |" in md
    assert "1 story" in md and f"{len(seeds_report.disputes)} disputes" in md
    for d in seeds_report.disputes:
        for p in d.positions:
            assert p.sides[0].claimant in md


def test_the_pair_level_list_is_capped_with_a_count(seeds_report: Report) -> None:
    many = seeds_report.contradictions * (PAIRS_SHOWN // len(seeds_report.contradictions) + 2)
    report = seeds_report.model_copy(update={"contradictions": many})
    md = render_markdown(report)
    assert f"The {PAIRS_SHOWN} most confident of {len(many)}; the rest are in report.json." in md
    assert f"### {PAIRS_SHOWN}. " in md and f"### {PAIRS_SHOWN + 1}. " not in md


def test_a_story_of_one_article_says_nothing_to_reconcile_against(tmp_path: Path) -> None:
    texts = {**events.FERRY, **dict(list(events.RECOUNT.items())[:1])}
    report = run_pipeline([events.write(tmp_path / "in", texts)], backend="offline")
    md = render_markdown(report)
    assert md.count(SINGLE) == 1
