"""The review log: durable appends, replay, undo, and damaged lines that never sink the rest."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent.models import Contradiction, ContradictionType, Report
from agent.review.log import (
    LOG_NAME,
    ReviewEvent,
    ReviewLog,
    ReviewLogError,
    last_undoable,
    load_log,
    replay,
    snapshots,
)
from tests.support.tmpfs import PAGE, fill, pad_to_page, remount_read_only, small_tmpfs


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


def test_append_on_a_full_disk_raises_and_leaves_no_torn_line(
    tmp_path: Path, seeds_report: Report
) -> None:
    """A real tmpfs filling up: the write that no longer fits is short (the kernel writes
    what fits in the last page), the rest fails with ENOSPC; the line is taken back whole."""
    flag = seeds_report.contradictions[0]
    with small_tmpfs(tmp_path / "disk", "64k") as disk:
        path = disk / LOG_NAME
        with ReviewLog(path) as log:
            log.append(_event(flag, "confirm"))
            fill(disk, leave=PAGE)  # one page free: room for two or three lines
            saved = 1
            with pytest.raises(ReviewLogError) as failed:
                for _ in range(20):
                    log.append(_event(flag, "note", note=f"note {saved}"))
                    saved += 1
            before = path.read_bytes()
        assert failed.value.reason == "No space left on device"
        assert str(failed.value) == f"{path}: No space left on device"
        loaded = load_log(path)
        assert loaded.problems == []
        assert len(loaded.events) == saved >= 2
        assert before.endswith(b"\n") and before.count(b"\n") == saved


def test_a_torn_last_line_on_a_full_disk_is_left_alone_until_an_append_fits(
    tmp_path: Path, seeds_report: Report
) -> None:
    """Opening the log writes nothing (it used to write a newline and crash on ENOSPC); the
    first append that fits ends the torn line, and one that does not changes no byte."""
    flag = seeds_report.contradictions[0]
    with small_tmpfs(tmp_path / "disk", "64k") as disk:
        path = disk / LOG_NAME
        _log_then_raw(path, flag, b"")
        pad_to_page(path, b'{"id": "abc", "fingerpr')  # torn, ending on a page boundary
        filler = fill(disk)
        torn = path.read_bytes()
        with ReviewLog(path) as log:
            assert path.read_bytes() == torn
            with pytest.raises(ReviewLogError, match="No space left on device"):
                log.append(_event(flag, "reject"))
            assert path.read_bytes() == torn
            filler.unlink()
            log.append(_event(flag, "reject"))
        loaded = load_log(path)
        assert [e.action for e in loaded.events] == ["confirm", "reject"]
        assert len(loaded.problems) == 1 and ":2: not a review event" in loaded.problems[0]


def test_a_log_in_a_read_only_folder_cannot_be_opened_for_writing(
    tmp_path: Path, seeds_report: Report
) -> None:
    flag = seeds_report.contradictions[0]
    with small_tmpfs(tmp_path / "disk", "64k") as disk:
        path = disk / LOG_NAME
        _log_then_raw(path, flag, b'{"id": "torn')
        torn = path.read_bytes()
        remount_read_only(disk)
        with pytest.raises(ReviewLogError) as failed:
            ReviewLog(path)
        assert failed.value.reason == "Read-only file system"
        assert path.read_bytes() == torn
        assert len(load_log(path).events) == 1
