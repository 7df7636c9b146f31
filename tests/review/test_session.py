"""The review session without a terminal: queue order, actions, undo, resume, filters."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent.models import ContradictionType, Report
from agent.report_files import publish, read_report
from agent.review.log import LOG_NAME, load_log
from agent.review.session import NotSaved, ReviewSession
from tests.support.tmpfs import PAGE, fill, remount_read_only, small_tmpfs


def _session(out: Path, only: str | None = None) -> ReviewSession:
    return ReviewSession(read_report(out), out, "tester", only)  # type: ignore[arg-type]


def test_queue_is_most_confident_first_and_starts_at_the_top(out: Path) -> None:
    session = _session(out)
    confidences = [f.confidence for f in session.queue]
    assert confidences == sorted(confidences, reverse=True) and len(confidences) >= 5
    assert session.index == 0
    assert session.counts() == {"confirmed": 0, "rejected": 0, "pending": len(session.queue)}
    session.close()


def test_actions_move_on_and_are_on_disk_at_once(out: Path) -> None:
    session = _session(out)
    first, second, third = session.queue[:3]
    session.confirm()
    session.reject()
    assert session.current is not None and session.current.fingerprint == third.fingerprint
    session.note("two different attacks")
    session.retype(ContradictionType.OTHER)
    session.back()
    assert session.current is not None and session.current.fingerprint == second.fingerprint
    # Nothing is buffered: a fresh reader of the file sees every action already.
    actions = [(e.action, e.fingerprint) for e in load_log(out / LOG_NAME).events]
    assert actions == [
        ("confirm", first.fingerprint),
        ("reject", second.fingerprint),
        ("note", third.fingerprint),
        ("retype", third.fingerprint),
    ]
    assert session.status(third).note == "two different attacks"
    assert session.status(third).type == ContradictionType.OTHER
    assert session.counts()["confirmed"] == 1 and session.counts()["rejected"] == 1
    session.close()


def test_undo_goes_back_to_the_flag_and_restores_it(out: Path) -> None:
    session = _session(out)
    first = session.queue[0]
    session.confirm()
    session.skip()
    undone = session.undo()
    assert undone is not None and undone.action == "confirm"
    assert session.current is not None and session.current.fingerprint == first.fingerprint
    assert session.status(first).decision == "pending"
    assert session.undo() is None  # the skip is not a change to undo
    session.close()


def test_resume_starts_after_decided_and_skipped_flags(out: Path) -> None:
    session = _session(out)
    session.confirm()
    session.skip()
    session.reject()
    session.close()
    resumed = _session(out)
    assert resumed.index == 3
    assert resumed.counts()["confirmed"] == 1 and resumed.counts()["rejected"] == 1
    resumed.close()


def test_resume_falls_back_to_skipped_flags_then_to_the_end(out: Path) -> None:
    session = _session(out)
    total = len(session.queue)
    session.skip()
    for _ in range(total - 1):
        session.confirm()
    session.close()
    assert _session(out).index == 0  # only the skipped flag is left
    again = _session(out)
    again.reject()
    again.close()
    assert _session(out).index == total  # everything decided: the end screen


def test_only_filters_the_queue_and_keeps_it_fixed(out: Path) -> None:
    session = _session(out)
    first, second = session.queue[:2]
    session.confirm()
    session.reject()
    session.close()
    confirmed = _session(out, "confirmed")
    assert [f.fingerprint for f in confirmed.queue] == [first.fingerprint]
    confirmed.close()
    pending = _session(out, "pending")
    assert first not in pending.queue and second not in pending.queue
    size = len(pending.queue)
    pending.confirm()  # the confirmed flag stays in this session's queue
    assert len(pending.queue) == size and pending.index == 1
    pending.close()


def test_actions_past_the_end_do_nothing(out: Path) -> None:
    session = _session(out, "confirmed")
    assert session.queue == [] and session.current is None
    session.confirm()
    session.note("nothing to attach to")
    assert load_log(out / LOG_NAME).events == []
    session.close()


def test_a_write_that_fails_is_not_counted_and_the_session_goes_read_only(
    tmp_path: Path, seeds_report: Report
) -> None:
    """On a real tmpfs that fills up: a decision counts only once it is on disk; the one that
    did not fit changes nothing, and from then on the session browses but records nothing."""
    with small_tmpfs(tmp_path / "disk", "1m") as disk:
        out = disk / "out"
        publish(seeds_report, out)
        session = _session(out)
        fill(disk, leave=PAGE)
        saved = 0
        with pytest.raises(NotSaved) as failed:
            while session.current is not None:
                session.confirm()
                saved += 1
        assert str(failed.value) == (
            "not saved: No space left on device; the session is read-only now "
            "(b, s and q still work)"
        )
        assert 1 <= saved < len(session.queue)
        assert session.index == saved  # still on the flag that was not saved
        assert session.counts()["confirmed"] == saved
        assert session.read_only == "No space left on device"
        session.skip()  # browsing goes on, recording nothing
        assert session.index == saved + 1
        for act in (session.reject, lambda: session.note("x"), session.undo):
            with pytest.raises(NotSaved, match=r"read-only \(No space left on device\)"):
                act()
        assert session.counts()["confirmed"] == saved and session.counts()["rejected"] == 0
        session.close()
        loaded = load_log(out / LOG_NAME)
        assert loaded.problems == []
        assert [e.action for e in loaded.events] == ["confirm"] * saved


def test_a_session_in_a_read_only_folder_browses_and_writes_nothing(
    tmp_path: Path, seeds_report: Report
) -> None:
    with small_tmpfs(tmp_path / "disk", "1m") as disk:
        out = disk / "out"
        publish(seeds_report, out)
        remount_read_only(disk)
        session = _session(out)
        assert session.read_only == "Read-only file system"
        session.skip()
        assert session.index == 1
        with pytest.raises(NotSaved, match=r"read-only \(Read-only file system\)"):
            session.confirm()
        assert session.index == 1 and session.counts()["confirmed"] == 0
        session.back()
        assert session.index == 0
        session.close()
        assert not (out / LOG_NAME).exists()
