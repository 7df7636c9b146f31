"""The review engine on a report with disputes (invented articles, tests/review/invented.py):
each action's event in the log and what replaying it gives; decisions across re-runs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from agent.models import ContradictionType, Report
from agent.report_files import publish, read_report
from agent.review.actions import (
    ActionError,
    ReviewEngine,
    ReviewItem,
    claim_ref,
    item_status,
    new_in_decided,
)
from agent.review.log import LOG_NAME, load_log
from agent.review.state import claim_key, replay_state
from agent.review.status import attach_reviews
from tests.review import invented as inv


@pytest.fixture
def bridge(tmp_path: Path) -> Path:
    """An output folder holding the invented bridge report (three disputes), no review."""
    folder = tmp_path / "bridge"
    publish(inv.bridge_report(), folder)
    return folder


def _engine(out: Path) -> ReviewEngine:
    return ReviewEngine(read_report(out), out, "tester")


def _item(engine: ReviewEngine, name: str) -> ReviewItem:
    return next(i for i in engine.items if i.dispute.fingerprint == f"dp-fp-{name}")


def _json(out: Path) -> dict[str, Any]:
    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_items_are_the_disputes_most_confident_first(bridge: Path) -> None:
    engine = _engine(bridge)
    assert [i.dispute.fingerprint for i in engine.items] == [
        "dp-fp-closing",
        "dp-fp-cost",
        "dp-fp-safety",
    ]
    closing = engine.items[0]
    assert not closing.single
    assert [p.fingerprint for p in closing.pairs] == [
        inv.CLOSE_JUNE.fingerprint,
        inv.CLOSE_DENIED.fingerprint,
    ]
    assert [s.claimant for s in closing.sides()] == ["city engineer", "mayor", "mayor's office"]
    engine.close()


def test_confirming_a_dispute_is_one_event_holding_its_pairs_and_confirms_them(
    bridge: Path,
) -> None:
    engine = _engine(bridge)
    closing = _item(engine, "closing")
    engine.decide(closing, "confirm")
    [event] = load_log(bridge / LOG_NAME).events
    assert (event.target, event.action, event.fingerprint) == (
        "dispute",
        "confirm",
        "dp-fp-closing",
    )
    assert event.dispute is not None and event.dispute.matter == "when the bridge closes"
    assert [p.fingerprint for p in event.pairs or []] == [p.fingerprint for p in closing.pairs]
    state = replay_state([event])
    assert state.disputes["dp-fp-closing"].status.decision == "confirmed"
    assert state.pairs == {}  # no pair decided on its own
    closing = _item(engine, "closing")
    assert item_status(closing).decision == "confirmed"
    for p in closing.pairs:
        assert p.review.decision == "confirmed" and p.review.from_dispute == "dp-fp-closing"
    assert _item(engine, "cost").pairs[0].review.decision == "pending"
    engine.close()


def test_a_pairs_own_decision_wins_over_its_disputes(bridge: Path) -> None:
    engine = _engine(bridge)
    closing = _item(engine, "closing")
    engine.decide(closing, "reject", pair=closing.pairs[1])
    engine.decide(_item(engine, "closing"), "confirm")
    events = load_log(bridge / LOG_NAME).events
    assert [(e.target, e.action) for e in events] == [("pair", "reject"), ("dispute", "confirm")]
    assert events[0].fingerprint == inv.CLOSE_DENIED.fingerprint
    june, denied = _item(engine, "closing").pairs
    assert june.review.decision == "confirmed" and june.review.from_dispute == "dp-fp-closing"
    assert denied.review.decision == "rejected" and denied.review.from_dispute is None
    engine.close()


def test_a_dispute_decided_pair_by_pair_takes_its_pairs_decision(bridge: Path) -> None:
    engine = _engine(bridge)
    closing = _item(engine, "closing")
    engine.decide(closing, "reject", pair=closing.pairs[0])
    assert item_status(_item(engine, "closing")).decision == "pending"
    engine.decide(closing, "confirm", pair=closing.pairs[1])
    closing = _item(engine, "closing")
    assert closing.dispute.review.decision == "pending"  # no dispute-level decision taken
    assert item_status(closing).decision == "confirmed"  # one real pair: a real dispute
    engine.close()


def test_note_and_type_on_a_dispute_and_on_a_pair(bridge: Path) -> None:
    engine = _engine(bridge)
    closing = _item(engine, "closing")
    engine.note(closing, "the mayor's June is about another bridge?")
    engine.retype(closing, ContradictionType.DATE_TIME)  # its own types ([date_time, denial])
    engine.retype(_item(engine, "cost"), ContradictionType.NUMBER, pair=inv.COST)  # the judge's
    events = load_log(bridge / LOG_NAME).events
    assert [(e.target, e.action) for e in events] == [
        ("dispute", "note"),
        ("dispute", "retype"),
        ("pair", "retype"),
    ]
    closing = _item(engine, "closing")
    assert closing.dispute.review.note == "the mayor's June is about another bridge?"
    assert closing.dispute.review.type == ContradictionType.DATE_TIME
    # The dispute's type covers its pairs (the denial pair becomes date_time; the date_time
    # pair needs no correction), and a note stays on the dispute.
    june, denied = closing.pairs
    assert june.review.type is None and denied.review.type == ContradictionType.DATE_TIME
    assert june.review.note == "" and june.review.decision == "pending"
    assert _item(engine, "cost").pairs[0].review.type is None  # the judge's own type again
    engine.close()


def test_claimant_correction_is_one_event_by_claim_content_applied_everywhere(
    bridge: Path,
) -> None:
    engine = _engine(bridge)
    closing = _item(engine, "closing")
    office = closing.sides()[2]
    engine.correct_claimant(claim_ref(office), "  Mayor   Ana Kel ")
    [event] = load_log(bridge / LOG_NAME).events
    assert (event.target, event.action, event.claimant) == ("claim", "claimant", "Mayor Ana Kel")
    key = claim_key(inv.sha("post"), inv.OFFICE.start, inv.OFFICE.end)
    assert event.fingerprint == key
    assert event.claim is not None and event.claim.claimant == "mayor's office"
    assert replay_state([event]).corrections[key].claimant == "Mayor Ana Kel"
    report = engine.report
    [fixed] = [c for c in report.claims if c.id == inv.OFFICE.id]
    assert fixed.claimant == "Mayor Ana Kel" and fixed.claimant_corrected_from == "mayor's office"
    [denied] = [c for c in report.contradictions if c.fingerprint == inv.CLOSE_DENIED.fingerprint]
    assert [s.claimant for s in denied.sides] == ["city engineer", "Mayor Ana Kel"]
    assert denied.sides[1].claimant_corrected_from == "mayor's office"
    position = _item(engine, "closing").dispute.positions[1]
    assert position.claimants == ["mayor", "Mayor Ana Kel"]
    # The tool's own name again clears the correction.
    engine.correct_claimant(claim_ref(_item(engine, "closing").sides()[2]), "mayor's office")
    assert replay_state(load_log(bridge / LOG_NAME).events).corrections == {}
    [restored] = [c for c in engine.report.claims if c.id == inv.OFFICE.id]
    assert restored.claimant_corrected_from is None
    with pytest.raises(ActionError, match="cannot be empty"):
        engine.correct_claimant(claim_ref(office), "   ")
    engine.close()


def test_adding_a_missed_contradiction(bridge: Path) -> None:
    engine = _engine(bridge)
    closing = _item(engine, "closing")
    claims = engine.story_claims(closing)
    assert {c.id for c in claims} == {c.id for c in inv.CLAIMS}
    flag = engine.add_contradiction(
        inv.FERRIES, inv.RESIDENTS, ContradictionType.TEMPORAL, "ferries while shut vs shut already"
    )
    [event] = load_log(bridge / LOG_NAME).events
    assert (event.target, event.action, event.fingerprint) == ("pair", "add", flag.fingerprint)
    assert event.flag is not None and event.flag.added_by_reviewer
    state = replay_state([event])
    assert list(state.added) == [flag.fingerprint]
    assert state.pairs[flag.fingerprint].decision == "confirmed"
    [added] = [c for c in engine.report.contradictions if c.added_by_reviewer]
    assert added.type == ContradictionType.TEMPORAL and added.cues == ["added by reviewer"]
    assert added.summary == "ferries while shut vs shut already"
    assert added.review.decision == "confirmed" and added.story_id == inv.STORY
    assert {s.claim_id for s in added.sides} == {inv.FERRIES.id, inv.RESIDENTS.id}
    # It is reviewable like any flag in no dispute: an item of its own.
    assert engine.item(flag.fingerprint) is not None
    with pytest.raises(ActionError, match="already flagged"):
        engine.add_contradiction(inv.SAFE, inv.UNSAFE, ContradictionType.OTHER)
    with pytest.raises(ActionError, match="two different claims"):
        engine.add_contradiction(inv.SAFE, inv.SAFE, ContradictionType.OTHER)
    assert len(load_log(bridge / LOG_NAME).events) == 1
    engine.close()


def test_undo_cancels_each_kind_of_action(bridge: Path) -> None:
    engine = _engine(bridge)
    closing = _item(engine, "closing")
    engine.decide(closing, "confirm")
    engine.correct_claimant(claim_ref(closing.sides()[0]), "Chief engineer Ola Voss")
    flag = engine.add_contradiction(inv.FERRIES, inv.RESIDENTS, ContradictionType.OTHER)
    undone = [engine.undo(), engine.undo(), engine.undo()]
    assert [(u.target, u.action) for u in undone if u] == [
        ("pair", "add"),
        ("claim", "claimant"),
        ("dispute", "confirm"),
    ]
    assert engine.undo() is None
    state = replay_state(load_log(bridge / LOG_NAME).events)
    assert (state.pairs, state.disputes, state.corrections, state.added) == ({}, {}, {}, {})
    assert not any(c.added_by_reviewer for c in engine.report.contradictions)
    assert engine.item(flag.fingerprint) is None
    assert all(p.review.decision == "pending" for p in _item(engine, "closing").pairs)
    engine.close()


def test_a_dispute_that_gains_a_side_keeps_its_decision(bridge: Path) -> None:
    """Decided on the first run; the re-run finds a third position (and a third pair): the
    dispute stays confirmed, the pairs it held stay confirmed, the new pair is pending
    within the confirmed dispute."""
    engine = _engine(bridge)
    engine.decide(_item(engine, "closing"), "confirm")
    engine.close()
    written, _ = publish(inv.bridge_report(extra_side=True), bridge)
    [closing] = [d for d in written.disputes if d.fingerprint == "dp-fp-closing"]
    assert len(closing.positions) == 3
    assert closing.review.decision == "confirmed" and closing.review.reviewer == "tester"
    status = {c.fingerprint: c.review for c in written.contradictions}
    assert status[inv.CLOSE_JUNE.fingerprint].decision == "confirmed"
    assert status[inv.CLOSE_DENIED.fingerprint].decision == "confirmed"
    assert status[inv.CLOSE_LAST_WEEK.fingerprint].decision == "pending"
    assert written.orphaned_dispute_reviews == []
    again = _engine(bridge)
    item = _item(again, "closing")
    [new] = [p for p in item.pairs if p.fingerprint == inv.CLOSE_LAST_WEEK.fingerprint]
    assert new_in_decided(item, new)
    assert not new_in_decided(item, item.pairs[0])
    again.close()
    data = _json(bridge)
    assert [d["review"]["decision"] for d in data["disputes"]] == [
        "confirmed",
        "pending",
        "pending",
    ]


def test_a_dispute_whose_fingerprint_changed_attaches_by_one_of_its_pairs(bridge: Path) -> None:
    engine = _engine(bridge)
    engine.decide(_item(engine, "closing"), "reject")
    engine.close()
    rerun = inv.bridge_report(extra_side=True, closing_fingerprint="dp-fp-regrouped")
    written, _ = publish(rerun, bridge)
    [closing] = [d for d in written.disputes if d.fingerprint == "dp-fp-regrouped"]
    assert closing.review.decision == "rejected"
    assert written.orphaned_dispute_reviews == []


def test_a_dispute_decision_with_nothing_left_is_an_orphan_and_comes_back(bridge: Path) -> None:
    engine = _engine(bridge)
    engine.decide(_item(engine, "safety"), "reject")
    engine.close()
    written, _ = publish(inv.bridge_report(without=("safety",)), bridge)
    [orphan] = written.orphaned_dispute_reviews
    assert orphan.fingerprint == "dp-fp-safety" and orphan.review.decision == "rejected"
    assert orphan.dispute.matter == "whether the bridge is safe"
    back, _ = publish(inv.bridge_report(), bridge)
    assert back.orphaned_dispute_reviews == []
    [safety] = [d for d in back.disputes if d.fingerprint == "dp-fp-safety"]
    assert safety.review.decision == "rejected"


def test_a_claimant_correction_is_applied_on_every_rerun_and_read_back(bridge: Path) -> None:
    engine = _engine(bridge)
    engine.correct_claimant(claim_ref(_item(engine, "cost").sides()[1]), "Bygg AB")
    engine.close()
    # A fresh run (the tool's claimants again) gets the correction...
    written, _ = publish(inv.bridge_report(extra_side=True), bridge)
    for report in (written, read_report(bridge)):
        [high] = [c for c in report.claims if c.id == inv.HIGH.id]
        assert (high.claimant, high.claimant_corrected_from) == ("Bygg AB", "contractor")
    # ...and applying it to a report read back (already corrected) changes nothing.
    rewritten, _ = publish(read_report(bridge), bridge)
    assert rewritten == written
    data = _json(bridge)
    [cost] = [d for d in data["disputes"] if d["fingerprint"] == "dp-fp-cost"]
    side = cost["positions"][1]["sides"][0]
    assert (side["claimant"], side["claimant_corrected_from"]) == ("Bygg AB", "contractor")
    # Its article gone, it is kept as an orphan.
    post_only = Report(
        backend="offline",
        articles=[inv.article("post")],
        claims=[c for c in inv.CLAIMS if c.article_id == "post"],
    )
    orphaned, _ = attach_reviews(post_only, bridge)
    [kept] = orphaned.orphaned_corrections
    assert (kept.claimant, kept.was, kept.article_id) == ("Bygg AB", "contractor", "gazette")


def test_an_added_contradiction_is_in_report_json_on_every_run(
    bridge: Path, seeds_report: Report
) -> None:
    engine = _engine(bridge)
    flag = engine.add_contradiction(
        inv.FERRIES, inv.RESIDENTS, ContradictionType.OTHER, "shut when?"
    )
    engine.close()
    publish(inv.bridge_report(extra_side=True), bridge)
    added = [c for c in _json(bridge)["contradictions"] if c["added_by_reviewer"]]
    assert [c["fingerprint"] for c in added] == [flag.fingerprint]
    assert added[0]["review"]["decision"] == "confirmed"
    assert added[0]["cues"] == ["added by reviewer"] and added[0]["type"] == "other"
    # When the tool flags the same two spans itself, the reviewer's decision and type go to
    # that flag: no second copy.
    found = inv.pair(inv.FERRIES, inv.RESIDENTS, ContradictionType.TEMPORAL, 0.5)
    rerun = inv.bridge_report()
    rerun = rerun.model_copy(update={"contradictions": [*rerun.contradictions, found]})
    written, _ = publish(rerun, bridge)
    [twin] = [c for c in written.contradictions if c.fingerprint == found.fingerprint]
    assert not any(c.added_by_reviewer for c in written.contradictions)
    assert twin.review.decision == "confirmed" and twin.review.type == ContradictionType.OTHER
    assert written.orphaned_reviews == []
    # Articles gone: kept as an orphaned decision with the added flag.
    elsewhere, _ = attach_reviews(seeds_report, bridge)
    assert [o.fingerprint for o in elsewhere.orphaned_reviews] == [flag.fingerprint]
    assert elsewhere.orphaned_reviews[0].flag.added_by_reviewer
