"""The pipeline end to end on the seeds: grounding, stable ids, the required flags."""

from __future__ import annotations

import shutil
from pathlib import Path

from agent.models import ContradictionType, Report
from agent.pipeline import run_pipeline
from agent.trace import PipelineTrace
from tests.conftest import SEEDS, assert_grounded


def test_every_claim_and_side_is_grounded(seeds_report: Report) -> None:
    assert seeds_report.claims
    assert_grounded(seeds_report)


def _pair_found(report: Report, kind: ContradictionType, left: str, right: str) -> bool:
    for c in report.contradictions:
        quotes = [s.quote for s in c.sides]
        if c.type == kind and any(left in q for q in quotes) and any(right in q for q in quotes):
            return True
    return False


def test_seeds_flag_the_scope_dispute_over_the_truce(seeds_report: Report) -> None:
    assert _pair_found(
        seeds_report,
        ContradictionType.SCOPE,
        "only covered energy plants",
        "other infrastructure too",
    )


def test_seeds_flag_the_aid_dispute(seeds_report: Report) -> None:
    kremlin = "complete cessation of foreign military aid"
    assert _pair_found(seeds_report, ContradictionType.DENIAL, kremlin, "denying")
    assert _pair_found(seeds_report, ContradictionType.DENIAL, kremlin, "talk about aid at all")


def test_ids_do_not_depend_on_path_order(tmp_path: Path) -> None:
    files = sorted(SEEDS.glob("*.txt"))
    one = run_pipeline(files, backend="offline")
    two = run_pipeline(list(reversed(files)), backend="offline")
    assert [c.id for c in one.claims] == [c.id for c in two.claims]
    assert [c.id for c in one.contradictions] == [c.id for c in two.contradictions]
    assert [a.id for a in one.agreements] == [a.id for a in two.agreements]
    # Copies elsewhere give the same ids too: ids come from content, not paths.
    for f in files:
        shutil.copy(f, tmp_path / f.name)
    three = run_pipeline([tmp_path], backend="offline")
    assert [c.id for c in one.claims] == [c.id for c in three.claims]


def test_a_broken_article_does_not_sink_the_run(tmp_path: Path) -> None:
    shutil.copy(next(SEEDS.glob("*wire*")), tmp_path / "wire.txt")
    (tmp_path / "broken.txt").write_bytes(b"\xff\xfe\x00garbage")
    report = run_pipeline([tmp_path], backend="offline")
    assert [a.id for a in report.articles] == ["wire"]
    assert [Path(e.path).name for e in report.errors] == ["broken.txt"]
    assert_grounded(report)


def test_report_json_has_the_contract_fields(seeds_report: Report) -> None:
    data = seeds_report.model_dump(mode="json")
    assert data["schema_version"] == 1
    assert data["backend"] == "offline"
    assert set(data) >= {"articles", "claims", "contradictions", "agreements", "errors"}
    assert set(data["articles"][0]) >= {"id", "path", "title", "source", "published", "sha256"}
    assert "text" not in data["articles"][0]
    assert set(data["claims"][0]) >= {
        "id",
        "article_id",
        "statement",
        "claimant",
        "quote",
        "start",
        "end",
    }
    side = data["contradictions"][0]["sides"][0]
    assert set(side) >= {"claim_id", "article_id", "claimant", "quote", "start", "end"}
    assert set(data["agreements"][0]["sides"][0]) >= {
        "claim_id",
        "article_id",
        "quote",
        "start",
        "end",
    }
    confidences = [c["confidence"] for c in data["contradictions"]]
    assert confidences == sorted(confidences, reverse=True)


def test_trace_holds_the_candidate_pairs_and_judgements() -> None:
    trace = PipelineTrace()
    report = run_pipeline(sorted(SEEDS.glob("*.txt")), backend="offline", trace=trace)
    assert len(trace.pairs) == report.stats.candidate_pairs > 0
    ids = {c.id for c in report.claims}
    assert all(p.a in ids and p.b in ids for p in trace.pairs)
    assert {p.reason for p in trace.pairs} <= {"lexical", "embedding", "same_sentence", "discourse"}
    assert {(j.a, j.b) for j in trace.judgements} == {(p.a, p.b) for p in trace.pairs}
    # Every reported contradiction is a judgement the trace holds.
    flagged = {frozenset((j.a, j.b)) for j in trace.judgements if j.relation == "contradict"}
    assert report.contradictions
    assert all(frozenset(s.claim_id for s in c.sides) in flagged for c in report.contradictions)
