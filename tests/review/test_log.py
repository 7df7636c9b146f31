"""The review log: durable appends, replay, undo, and damaged lines that never sink the rest."""

from __future__ import annotations

from pathlib import Path

from agent.models import Contradiction, ContradictionType, Report
from agent.review.log import (
    LOG_NAME,
    ReviewEvent,
    ReviewLog,
    last_undoable,
    load_log,
    replay,
    snapshots,
)


def _event(target: Contradiction, action: str, **fields: object) -> ReviewEvent:
    data = {"fingerprint": target.fingerprint, "action": action, "reviewer": "t", "flag": target}
    return ReviewEvent.model_validate(data | fields)


def test_replay_folds_decisions_notes_and_types(seeds_report: Report) -> None:
    a, b = seeds_report.contradictions[:2]
    events = [
        _event(a, "confirm"),
        _event(a, "note", note="first"),
        _event(a, "note", note="second"),
        _event(b, "reject"),
        _event(b, "retype", type=ContradictionType.OTHER),
        _event(b, "skip"),
    ]
    statuses = replay(events)
    assert statuses[a.fingerprint].decision == "confirmed"
    assert statuses[a.fingerprint].note == "second"
    assert statuses[a.fingerprint].type is None
    assert statuses[b.fingerprint].decision == "rejected"
    assert statuses[b.fingerprint].type == ContradictionType.OTHER


def test_retyping_to_the_judges_own_type_clears_the_correction(seeds_report: Report) -> None:
    flag = seeds_report.contradictions[0]
    other = next(t for t in ContradictionType if t != flag.type)
    corrected = replay([_event(flag, "retype", type=other)])
    assert corrected[flag.fingerprint].type == other
    back = replay([_event(flag, "retype", type=other), _event(flag, "retype", type=flag.type)])
    assert back[flag.fingerprint].type is None
    assert replay([_event(flag, "retype", type=flag.type)])[flag.fingerprint].type is None


def test_undo_cancels_the_latest_change_and_restores_the_one_before(seeds_report: Report) -> None:
    a = seeds_report.contradictions[0]
    confirm, reject = _event(a, "confirm"), _event(a, "reject")
    events = [confirm, reject]
    assert last_undoable(events) is reject
    events.append(_event(a, "undo", undoes=reject.id, flag=None))
    assert replay(events)[a.fingerprint].decision == "confirmed"
    assert last_undoable(events) is confirm
    events.append(_event(a, "undo", undoes=confirm.id, flag=None))
    assert a.fingerprint not in replay(events)
    assert last_undoable(events) is None


def test_append_round_trips_and_keeps_the_flag_snapshot(
    tmp_path: Path, seeds_report: Report
) -> None:
    flag = seeds_report.contradictions[0]
    with ReviewLog(tmp_path / LOG_NAME) as log:
        log.append(_event(flag, "confirm"))
        log.append(_event(flag, "note", note="Zwei Seiten — ünïcode"))
    loaded = load_log(tmp_path / LOG_NAME)
    assert loaded.problems == []
    assert [e.action for e in loaded.events] == ["confirm", "note"]
    assert loaded.events[1].note == "Zwei Seiten — ünïcode"
    snap = snapshots(loaded.events)[flag.fingerprint]
    assert snap.sides == flag.sides and snap.type == flag.type
    # One JSON object per line, newline-terminated: a person can read and grep it.
    assert (tmp_path / LOG_NAME).read_bytes().count(b"\n") == 2


def _log_then_raw(path: Path, flag: Contradiction, raw: bytes) -> None:
    """A log with one confirm, then bytes written past the log's own writer."""
    with ReviewLog(path) as log:
        log.append(_event(flag, "confirm"))
    with path.open("ab") as f:
        f.write(raw)


def test_torn_last_line_is_skipped_and_the_next_append_starts_a_new_line(
    tmp_path: Path, seeds_report: Report
) -> None:
    flag = seeds_report.contradictions[0]
    path = tmp_path / LOG_NAME
    _log_then_raw(path, flag, b'{"id": "abc", "fingerpr')  # a crash in the middle of a write
    loaded = load_log(path)
    assert len(loaded.events) == 1
    torn = "incomplete last line (the writer was stopped mid-line); skipped"
    assert loaded.problems == [f"{path}:2: {torn}"]
    with ReviewLog(path) as log:
        log.append(_event(flag, "reject"))
    again = load_log(path)
    assert [e.action for e in again.events] == ["confirm", "reject"]
    assert len(again.problems) == 1 and ":2:" in again.problems[0]


def test_a_damaged_line_in_the_middle_is_reported_and_the_rest_kept(
    tmp_path: Path, seeds_report: Report
) -> None:
    flag = seeds_report.contradictions[0]
    path = tmp_path / LOG_NAME
    _log_then_raw(path, flag, b"not json at all\n")
    with ReviewLog(path) as log:
        log.append(_event(flag, "note", note="kept"))
    loaded = load_log(path)
    assert [e.action for e in loaded.events] == ["confirm", "note"]
    assert len(loaded.problems) == 1
    assert loaded.problems[0].startswith(f"{path}:2: not a review event")


def test_missing_log_is_empty(tmp_path: Path) -> None:
    loaded = load_log(tmp_path / LOG_NAME)
    assert loaded.events == [] and loaded.problems == []
