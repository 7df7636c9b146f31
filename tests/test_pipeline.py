"""The pipeline end to end on the seeds: grounding, stable ids, the required flags."""

from __future__ import annotations

import io
import json
import shutil
from collections import Counter
from pathlib import Path

from rich.console import Console

from agent.assemble import Caps
from agent.models import ContradictionType, Report
from agent.pipeline import run_pipeline
from agent.summary import print_summary
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


def _ten_counts(folder: Path) -> Path:
    """Ten articles, each with one speaker giving its own count of the same evacuation: every
    claim contradicts every other, more than a claim may keep."""
    folder.mkdir()
    for i, name in enumerate(["Ana", "Bo", "Cyd", "Dov", "Eli", "Fay", "Gus", "Hal", "Ivo", "Jon"]):
        text = (
            "Mill evacuated\n\n"
            f"{name} Vell{i}, a spokesperson, said {40 + 15 * i} workers were evacuated from "
            "the mill on Monday.\n"
        )
        (folder / f"art{i}.txt").write_text(text)
    return folder


def test_the_caps_on_flags_bite_and_say_so(tmp_path: Path) -> None:
    report = run_pipeline([_ten_counts(tmp_path / "in")], backend="offline")
    on_claim = Counter(s.claim_id for c in report.contradictions for s in c.sides)
    assert report.contradictions and max(on_claim.values()) == 5
    [hit] = report.stats.capped
    assert (hit.cap, hit.limit) == ("contradictions_per_claim", 5) and hit.dropped > 0
    data = json.loads(report.model_dump_json())
    assert data["stats"]["capped"] == [
        {"cap": "contradictions_per_claim", "limit": 5, "dropped": hit.dropped}
    ]
    found = len(report.contradictions) + hit.dropped
    out = io.StringIO()
    print_summary(report, Console(file=out, width=200))
    [line] = [line for line in out.getvalue().splitlines() if line.startswith("Capped")]
    assert f"kept {len(report.contradictions)} of {found} contradictions" in line
    assert "at most 5 per claim" in line and "stats.capped" in line


def test_the_run_cap_keeps_the_most_confident(tmp_path: Path) -> None:
    folder = _ten_counts(tmp_path / "in")
    uncapped = run_pipeline([folder], backend="offline", caps=Caps(contradictions_per_claim=99))
    assert uncapped.stats.capped == [] and len(uncapped.contradictions) > 10
    capped = run_pipeline(
        [folder],
        backend="offline",
        caps=Caps(contradictions_per_claim=99, contradictions_per_run=4),
    )
    assert [c.id for c in capped.contradictions] == [c.id for c in uncapped.contradictions[:4]]
    assert [(h.cap, h.limit, h.dropped) for h in capped.stats.capped] == [
        ("contradictions_per_run", 4, len(uncapped.contradictions) - 4)
    ]
    assert capped.stats.single_source_claims == uncapped.stats.single_source_claims


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
