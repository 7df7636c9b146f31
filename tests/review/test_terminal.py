"""`reconcile review` as a reviewer uses it: keys typed into a pseudo-terminal, or piped."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pexpect

from agent.review.log import LOG_NAME, load_log
from tests.support.mounts import read_only_view

TIMEOUT = 60


def _spawn(out: Path, *args: str) -> pexpect.spawn:
    env = dict(os.environ, TERM="xterm-256color")
    return pexpect.spawn(
        sys.executable,
        ["-m", "agent", "review", str(out), "--reviewer", "tester", *args],
        env=env,
        dimensions=(60, 120),
        timeout=TIMEOUT,
        encoding="utf-8",
    )


def _flags(out: Path) -> int:
    return len(json.loads((out / "report.json").read_text())["contradictions"])


def _report_statuses(out: Path) -> list[str]:
    data = json.loads((out / "report.json").read_text())
    return [c["review"]["decision"] for c in data["contradictions"]]


def test_scripted_session_confirms_rejects_notes_quits_and_resumes(out: Path) -> None:
    n = _flags(out)
    child = _spawn(out)
    child.expect_exact(f"1 of {n}, 0 confirmed, 0 rejected, {n} pending")
    child.send("c")
    child.expect_exact(f"2 of {n}, 1 confirmed, 0 rejected")
    child.send("c")
    child.expect_exact(f"3 of {n}, 2 confirmed, 0 rejected")
    child.send("r")
    child.expect_exact(f"4 of {n}, 2 confirmed, 1 rejected")
    child.send("n")
    child.expect_exact("Note (Enter saves, empty cancels)")
    child.send("both sides are about different days\r")
    child.expect_exact("Note: both sides are about different days")
    child.expect_exact("Note saved.")
    child.send("?")
    child.expect_exact("undo the last decision")
    child.send("q")
    child.expect_exact(f"Saved. 2 confirmed, 1 rejected, {n - 3} pending of {n}")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0

    events = load_log(out / LOG_NAME).events
    assert [e.action for e in events] == ["confirm", "confirm", "reject", "note"]
    assert events[3].note == "both sides are about different days"
    assert all(e.reviewer == "tester" for e in events)
    assert _report_statuses(out)[:3] == ["confirmed", "confirmed", "rejected"]

    resumed = _spawn(out)
    resumed.expect_exact(f"4 of {n}, 2 confirmed, 1 rejected")
    resumed.expect_exact("Note: both sides are about different days")
    resumed.send("t")
    resumed.expect_exact("New type (number")
    resumed.send("8")
    resumed.expect_exact("Type set to other.")
    resumed.send("u")  # undo the type change
    resumed.expect_exact("Undid retype.")
    resumed.send("b")
    resumed.expect_exact(f"3 of {n}, 2 confirmed, 1 rejected")
    resumed.send("q")
    resumed.expect(pexpect.EOF)
    resumed.close()
    assert resumed.exitstatus == 0
    statuses = _report_statuses(out)
    assert statuses[:4] == ["confirmed", "confirmed", "rejected", "pending"]
    data = json.loads((out / "report.json").read_text())
    assert data["contradictions"][3]["review"]["note"] == "both sides are about different days"
    assert data["contradictions"][3]["review"]["type"] is None


def test_sigkill_mid_session_loses_no_completed_decision(out: Path) -> None:
    n = _flags(out)
    child = _spawn(out)
    child.expect_exact(f"1 of {n}, 0 confirmed")
    child.send("c")
    child.expect_exact(f"2 of {n}, 1 confirmed, 0 rejected")
    child.send("r")
    child.expect_exact(f"3 of {n}, 1 confirmed, 1 rejected")
    child.send("n")
    child.expect_exact("Note (Enter saves, empty cancels)")
    child.send("a note that is still being typ")  # no Enter: not a completed decision
    os.kill(child.pid, signal.SIGKILL)
    child.expect(pexpect.EOF)
    child.close()
    assert child.signalstatus == signal.SIGKILL

    loaded = load_log(out / LOG_NAME)
    assert loaded.problems == []
    assert [e.action for e in loaded.events] == ["confirm", "reject"]
    # The next session picks up exactly there.
    resumed = _spawn(out)
    resumed.expect_exact(f"3 of {n}, 1 confirmed, 1 rejected")
    resumed.send("q")
    resumed.expect(pexpect.EOF)


def test_keys_from_a_pipe_script_a_session(out: Path) -> None:
    n = _flags(out)
    result = subprocess.run(
        [sys.executable, "-m", "agent", "review", str(out), "--reviewer", "bot"],
        input="c r s n scripted note\n c q",
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert result.returncode == 0, result.stderr
    assert f"4 of {n}, 1 confirmed, 1 rejected" in result.stdout
    assert "«" in result.stdout  # without colour the quotes are marked
    events = load_log(out / LOG_NAME).events
    assert [e.action for e in events] == ["confirm", "reject", "skip", "note", "confirm"]
    assert events[3].note == "scripted note"
    assert events[3].fingerprint == events[4].fingerprint  # the note stayed on its flag


def test_only_and_missing_report(out: Path, tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "agent", "review", str(out), "--only", "confirmed"],
        input="q",
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert done.returncode == 0 and "No confirmed flags to review" in done.stdout
    missing = subprocess.run(
        [sys.executable, "-m", "agent", "review", str(tmp_path / "nowhere")],
        input="q",
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert missing.returncode == 2
    assert missing.stderr.strip() == (
        f"error: {tmp_path / 'nowhere' / 'report.json'}: no report here "
        "(run `reconcile PATH...` first)"
    )


def test_review_on_a_read_only_folder_opens_for_browsing(out: Path, tmp_path: Path) -> None:
    n = _flags(out)
    before = (out / "report.json").read_bytes()
    with read_only_view(out, tmp_path / "ro") as ro:
        result = subprocess.run(
            [sys.executable, "-m", "agent", "review", str(ro), "--reviewer", "bot"],
            input="s c q",
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
        )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert (
        f"{ro} cannot be written (read-only file system): browsing only, decisions cannot be "
        "saved." in result.stdout
    )
    assert f"2 of {n}, 0 confirmed, 0 rejected" in result.stdout  # s moved on
    assert "Browsing only: this folder cannot be written" in result.stdout  # c refused
    assert f"Nothing saved: {ro} cannot be written." in result.stdout
    assert not (out / LOG_NAME).exists()
    assert (out / "report.json").read_bytes() == before


def test_review_keeps_a_report_file_edited_by_hand(out: Path) -> None:
    """The decisions are saved; the report files are not refreshed over the user's edit."""
    (out / "report.md").write_text("# My notes\n")
    result = subprocess.run(
        [sys.executable, "-m", "agent", "review", str(out), "--reviewer", "bot"],
        input="cq",
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert result.returncode == 0, result.stderr
    assert (
        f"warning: the report files were not refreshed: {out / 'report.md'}: was changed since "
        "reconcile wrote it" in result.stdout
    )
    assert [e.action for e in load_log(out / LOG_NAME).events] == ["confirm"]
    assert (out / "report.md").read_text() == "# My notes\n"
