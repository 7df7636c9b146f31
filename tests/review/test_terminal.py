"""`reconcile review` as a reviewer uses it: keys typed into a pseudo-terminal, or piped."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pexpect

from agent.pipeline import run_pipeline
from agent.report_files import publish, read_report
from agent.review.log import LOG_NAME, load_log
from agent.review.session import ReviewSession
from agent.terminal_text import printable
from tests.support.hostile import TERMINAL_SEQUENCES, TITLE_SEQUENCE, write_terminal_hostile
from tests.support.mounts import read_only_view
from tests.support.tmpfs import PAGE, fill, pad_to_page, remount_read_only, small_tmpfs

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


def _obeyable(output: str) -> list[str]:
    """What in `output` a terminal would obey that came from the article: its sequences, any
    OSC (the tool's own output has none) or BEL, a C1 control, a bidi override."""
    found = [repr(seq) for seq in TERMINAL_SEQUENCES if seq in output]
    found += [repr(bad) for bad in ("\x1b]", "\x07", "\u202e") if bad in output]
    return found + [repr(ch) for ch in sorted({c for c in output if "\x80" <= c < "\xa0"})]


def test_hostile_article_in_review_is_shown_not_obeyed(tmp_path: Path) -> None:
    """Through a pseudo-terminal, with colour on: the article's title, clipboard and hiding
    sequences, C1 bytes and bidi override, in its title, file name, quotes and context, are
    printed escaped on every flag."""
    write_terminal_hostile(tmp_path / "in")
    report = run_pipeline([tmp_path / "in"], backend="offline")
    out = tmp_path / "out"
    publish(report, out)
    n = _flags(out)
    assert n == 3
    child = _spawn(out)
    seen = io.StringIO()
    child.logfile_read = seen
    child.expect_exact(f"1 of {n}, 0 confirmed")
    for position in range(2, n + 1):
        child.send("s")
        child.expect_exact(f"{position} of {n}, 0 confirmed")
    child.send("q")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    output = seen.getvalue()
    assert "\x1b[" in output  # the tool's own colours are there
    assert _obeyable(output) == []
    assert "PWNED" in output and "\\x1b]52;c;" in output  # shown, as text


def test_hostile_note_is_shown_escaped(out: Path) -> None:
    note = f"see {TITLE_SEQUENCE} here"
    result = subprocess.run(
        [sys.executable, "-m", "agent", "review", str(out), "--reviewer", f"ana{TITLE_SEQUENCE}"],
        input=f"n {note}\nc b q".encode(),
        capture_output=True,
        timeout=TIMEOUT,
    )
    assert result.returncode == 0, result.stderr
    stdout = result.stdout.decode()
    assert "\x1b" not in stdout and "\x07" not in stdout
    assert f"Note: {printable(note)}" in stdout
    assert f"confirmed by ana{printable(TITLE_SEQUENCE)}" in stdout
    assert load_log(out / LOG_NAME).events[0].note == note  # kept as typed


FULL = "not saved: No space left on device; the session is read-only now"


def _copy_to(disk: Path, out: Path) -> Path:
    copy = disk / "out"
    shutil.copytree(out, copy)
    return copy


def _flat(text: str) -> str:
    """Screen output as one line of words, without the tool's colours (long lines wrap at the
    terminal's width, each piece in its colour)."""
    return " ".join(re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", text).split())


def test_full_disk_review_says_not_saved_counts_only_what_is_on_disk_and_goes_on(
    out: Path, tmp_path: Path
) -> None:
    """A real tmpfs filling up under a session: confirmations are counted while they fit;
    the first that does not (a short write, then ENOSPC) says so and the count stays; the
    session then browses, refuses to record, and quits cleanly without a traceback."""
    n = _flags(out)
    with small_tmpfs(tmp_path / "disk", "1m") as disk:
        copy = _copy_to(disk, out)
        fill(disk, leave=PAGE)
        child = _spawn(copy)
        seen = io.StringIO()
        child.logfile_read = seen
        child.expect_exact(f"1 of {n}, 0 confirmed")
        saved = 0
        while True:
            child.send("c")
            next_flag = f"{saved + 2} of {n}, {saved + 1} confirmed, 0 rejected"
            if child.expect_exact([next_flag, FULL]) == 1:
                break
            saved += 1
            assert saved < n - 1
        assert saved >= 1
        # The screen that says so still shows the flag and the count of what is on disk.
        assert f"{saved + 1} of {n}, {saved} confirmed, 0 rejected" in child.before
        child.send("s")
        child.expect_exact(f"{saved + 2} of {n}, {saved} confirmed, 0 rejected")
        child.send("c")
        child.expect_exact("not saved: the session is read-only (No space left on device)")
        child.send("n")  # no note prompt: it could not be kept
        child.expect_exact("not saved: the session is read-only (No space left on device)")
        child.send("q")
        child.expect(pexpect.EOF)
        child.close()
        assert child.exitstatus == 0
        output = _flat(seen.getvalue())
        assert "Traceback" not in output
        assert f"Saved. {saved} confirmed, 0 rejected, {n - saved} pending of {n}" in output
        assert "the report files were not refreshed: " in output
        assert "cannot write the report (No space left on device)." in output
        loaded = load_log(copy / LOG_NAME)
        assert loaded.problems == []
        assert [e.action for e in loaded.events] == ["confirm"] * saved


def _torn_log(out: Path) -> bytes:
    """One confirmed flag, then a line torn by a crash, ending on a page boundary."""
    session = ReviewSession(read_report(out), out, "tester")
    session.confirm()
    session.close()
    pad_to_page(out / LOG_NAME, b'{"id": "abc", "fingerpr')
    return (out / LOG_NAME).read_bytes()


def test_full_disk_with_a_torn_last_line_starts_reports_it_and_writes_nothing(
    out: Path, tmp_path: Path
) -> None:
    """It used to write a newline to end the torn line at start, and crash on ENOSPC."""
    n = _flags(out)
    with small_tmpfs(tmp_path / "disk", "1m") as disk:
        copy = _copy_to(disk, out)
        torn = _torn_log(copy)
        fill(disk)
        child = _spawn(copy)
        seen = io.StringIO()
        child.logfile_read = seen
        child.expect_exact(f"2 of {n}, 1 confirmed, 0 rejected")
        child.send("r")
        child.expect_exact(FULL)
        child.send("q")
        child.expect(pexpect.EOF)
        child.close()
        assert child.exitstatus == 0
        output = _flat(seen.getvalue())
        assert "Traceback" not in output
        assert "incomplete last line (the writer was stopped mid-line); skipped" in output
        assert (copy / LOG_NAME).read_bytes() == torn


def test_read_only_folder_review_browses_and_writes_nothing(out: Path, tmp_path: Path) -> None:
    """A read-only remount (chmod does not stop root): the session opens, says it cannot
    save, browses, and quits without touching a byte."""
    n = _flags(out)
    with small_tmpfs(tmp_path / "disk", "1m") as disk:
        copy = _copy_to(disk, out)
        torn = _torn_log(copy)
        remount_read_only(disk)
        child = _spawn(copy)
        seen = io.StringIO()
        child.logfile_read = seen
        child.expect_exact(f"2 of {n}, 1 confirmed, 0 rejected")
        child.send("s")
        child.expect_exact(f"3 of {n}, 1 confirmed, 0 rejected")
        child.send("c")
        child.expect_exact("Browsing only: this folder cannot be written")
        child.send("b")
        child.expect_exact(f"2 of {n}, 1 confirmed, 0 rejected")
        child.send("q")
        child.expect(pexpect.EOF)
        child.close()
        assert child.exitstatus == 0
        output = _flat(seen.getvalue())
        assert "Traceback" not in output
        assert "incomplete last line (the writer was stopped mid-line); skipped" in output
        assert "cannot be written (read-only file system): browsing only" in output
        assert "Nothing saved: " in output
        assert (copy / LOG_NAME).read_bytes() == torn


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
