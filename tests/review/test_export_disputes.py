"""`reconcile export` after a review by dispute (the invented bridge report, three disputes):
dispute decisions, added contradictions and claimant corrections become labels."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from agent.evals.fixtures import load_case
from agent.models import ContradictionType
from agent.report_files import publish, read_report
from agent.review.actions import ReviewEngine, ReviewItem, claim_ref
from agent.review.export import export_case
from tests.review import invented as inv
from tests.review.test_export import labels_of, run_eval


@pytest.fixture
def bridge(tmp_path: Path) -> Path:
    folder = tmp_path / "bridge"
    publish(inv.bridge_report(), folder)
    return folder


def _item(engine: ReviewEngine, name: str) -> ReviewItem:
    return next(i for i in engine.items if i.dispute.fingerprint == f"dp-fp-{name}")


def _spans(label: dict[str, Any]) -> set[str]:
    return {span["quote"] for side in label["sides"] for span in side}


def test_disputes_additions_and_corrections_become_labels(bridge: Path, tmp_path: Path) -> None:
    engine = ReviewEngine(read_report(bridge), bridge, "ana")
    engine.decide(_item(engine, "closing"), "confirm")
    engine.decide(_item(engine, "safety"), "reject")
    engine.decide(_item(engine, "cost"), "reject", pair=inv.COST)
    added = engine.add_contradiction(
        inv.FERRIES, inv.RESIDENTS, ContradictionType.TEMPORAL, "Shut now, or shut last week?"
    )
    engine.correct_claimant(claim_ref(_item(engine, "cost").sides()[1]), "Bygg AB")
    engine.close()
    publish(read_report(bridge), bridge)  # as the session does when it ends

    result = export_case(bridge, "bridge-reviewed", tmp_path / "fixtures", written_for_test=True)

    assert (result.contradictions, result.traps, result.key_claims, result.added) == (3, 2, 1, 1)
    assert not result.skipped
    labels = labels_of(result.case_dir)
    required = {frozenset(_spans(c)): c for c in labels["contradictions"]}
    assert set(required) == {
        frozenset({inv.ENGINEER.quote, inv.MAYOR.quote}),
        frozenset({inv.ENGINEER.quote, inv.OFFICE.quote}),
        frozenset({inv.FERRIES.quote, inv.RESIDENTS.quote}),
    }
    assert all(c["required"] for c in labels["contradictions"])
    mine = required[frozenset({inv.FERRIES.quote, inv.RESIDENTS.quote})]
    assert mine["type"] == "temporal" and mine["description"] == "Shut now, or shut last week?"
    assert mine["id"] == f"temporal-{added.fingerprint[3:11]}"
    traps = [frozenset(_spans(t)) for t in labels["traps"]]
    assert sorted(traps, key=sorted) == sorted(
        [
            frozenset({inv.SAFE.quote, inv.UNSAFE.quote}),
            frozenset({inv.LOW.quote, inv.HIGH.quote}),
        ],
        key=sorted,
    )
    [key_claim] = labels["key_claims"]
    assert key_claim["claimant"] == "Bygg AB" and key_claim["article"] == "gazette"
    assert inv.HIGH.quote in key_claim["quote"]
    assert load_case(result.case_dir).labels.key_claims[0].claimant == "Bygg AB"
    assert "1 were added by a reviewer" in result.describe()
    assert "key claims from 1 claimant correction" in result.describe()

    # The eval sees the recall gap: the offline backend does not flag the added pair.
    _, case, printed = run_eval(tmp_path / "fixtures", "bridge-reviewed", tmp_path)
    missed = [m["id"] for m in case["scores"]["contradictions"]["missed"]]  # type: ignore[index]
    assert mine["id"] in missed, printed


def test_a_confirmed_dispute_is_exported_from_its_snapshot_when_a_rerun_lost_it(
    bridge: Path, tmp_path: Path
) -> None:
    engine = ReviewEngine(read_report(bridge), bridge, "ana")
    engine.decide(_item(engine, "closing"), "confirm")
    engine.close()
    written, _ = publish(inv.bridge_report(without=("closing",)), bridge)
    assert [o.fingerprint for o in written.orphaned_dispute_reviews] == ["dp-fp-closing"]

    result = export_case(bridge, "lost", tmp_path / "fixtures")

    assert (result.contradictions, result.traps) == (2, 0)
    assert {frozenset(_spans(c)) for c in labels_of(result.case_dir)["contradictions"]} == {
        frozenset({inv.ENGINEER.quote, inv.MAYOR.quote}),
        frozenset({inv.ENGINEER.quote, inv.OFFICE.quote}),
    }


def test_a_pair_a_dispute_gained_after_its_decision_is_pending_not_exported(
    bridge: Path, tmp_path: Path
) -> None:
    engine = ReviewEngine(read_report(bridge), bridge, "ana")
    engine.decide(_item(engine, "closing"), "confirm")
    engine.close()
    publish(inv.bridge_report(extra_side=True), bridge)

    result = export_case(bridge, "gained", tmp_path / "fixtures")

    assert result.contradictions == 2
    assert result.pending == 3  # the new pair, cost and safety
    quotes = {q for c in labels_of(result.case_dir)["contradictions"] for q in _spans(c)}
    assert inv.RESIDENTS.quote not in quotes
