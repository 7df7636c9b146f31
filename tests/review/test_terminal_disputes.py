"""`reconcile review` going dispute by dispute (the invented bridge report: three disputes,
tests/review/invented.py), through a pipe and through a pseudo-terminal; and a folder and a
log written by the previous version, still reviewed."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pexpect
import pytest

from agent.models import Report
from agent.outdir import MANIFEST_NAME
from agent.report_files import publish
from agent.review.log import LOG_NAME, load_log
from tests.review import invented as inv

TIMEOUT = 60


@pytest.fixture
def bridge(tmp_path: Path) -> Path:
    folder = tmp_path / "bridge"
    publish(inv.bridge_report(), folder)
    return folder


def _review(out: Path, keys: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "agent", "review", str(out), "--reviewer", "bot"],
        input=keys,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )


def _flat(text: str) -> str:
    """Output as one line of words (a pipe's lines wrap at 80 columns)."""
    return " ".join(text.split())


def _json(out: Path) -> dict[str, Any]:
    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_a_piped_session_goes_dispute_by_dispute(bridge: Path) -> None:
    keys = (
        "p r d c"  # closing: reject its first pair, then confirm the whole dispute
        " w 2\nBygg AB\n"  # cost: side 2's claimant is wrong
        " a ferries\n9\nresidents\n6\n7shut now or last week?\n"  # add a missed one
        " s r q"  # skip cost, reject safety
    )
    result = _review(bridge, keys)
    assert result.returncode == 0, result.stderr
    out = _flat(result.stdout)
    assert "Dispute 1 of 3, 0 confirmed, 0 rejected, 3 pending" in out
    assert "Matter: when the bridge closes" in out
    assert "Position 1: the bridge closes on Monday" in out
    assert "Position 2: the bridge does not close on Monday" in out
    assert "«will close for repairs on Monday»" in out  # in context, marked without colour
    assert "Dispute 1 of 3, 0 confirmed, 0 rejected, 3 pending › pair 1 of 2" in out
    assert "Dispute 1 of 3, 0 confirmed, 0 rejected, 3 pending › pair 2 of 2" in out
    assert "Dispute 2 of 3, 1 confirmed, 0 rejected, 2 pending" in out
    assert "Claimant of side 2 set to Bygg AB (was contractor)." in out
    assert "9 harbour master" in out and "6 Residents" in out
    assert "Added a temporal contradiction between claims 9 and 6 (confirmed)." in out
    assert "Dispute 3 of 3, 1 confirmed, 0 rejected, 2 pending" in out
    assert (
        "Saved. 1 confirmed, 1 rejected, 1 pending of 3 disputes "
        "(pairs: 1 confirmed, 2 rejected, 1 pending)" in out
    )
    events = load_log(bridge / LOG_NAME).events
    assert [(e.target, e.action) for e in events] == [
        ("pair", "reject"),
        ("dispute", "confirm"),
        ("claim", "claimant"),
        ("pair", "add"),
        ("dispute", "skip"),
        ("dispute", "reject"),
    ]
    assert events[0].fingerprint == inv.CLOSE_JUNE.fingerprint
    assert [e.fingerprint for e in events if e.target == "dispute"] == [
        "dp-fp-closing",
        "dp-fp-cost",
        "dp-fp-safety",
    ]
    data = _json(bridge)
    assert {d["fingerprint"]: d["review"]["decision"] for d in data["disputes"]} == {
        "dp-fp-closing": "confirmed",
        "dp-fp-cost": "pending",
        "dp-fp-safety": "rejected",
    }
    [added] = [c for c in data["contradictions"] if c["added_by_reviewer"]]
    assert added["type"] == "temporal" and added["summary"] == "shut now or last week?"
    [high] = [c for c in data["claims"] if c["id"] == inv.HIGH.id]
    assert (high["claimant"], high["claimant_corrected_from"]) == ("Bygg AB", "contractor")


def test_a_terminal_session_steps_into_pairs_and_back(bridge: Path) -> None:
    child = pexpect.spawn(
        sys.executable,
        ["-m", "agent", "review", str(bridge), "--reviewer", "tester"],
        env=dict(os.environ, TERM="xterm-256color"),
        dimensions=(60, 120),
        timeout=TIMEOUT,
        encoding="utf-8",
    )
    seen = io.StringIO()
    child.logfile_read = seen
    child.expect_exact("Dispute 1 of 3, 0 confirmed, 0 rejected, 3 pending")
    child.expect_exact("[p]airs")
    child.send("p")
    child.expect_exact("› pair 1 of 2")
    child.expect_exact("[d]ispute")
    child.send("c")
    child.expect_exact("› pair 2 of 2")
    child.send("b")
    child.expect_exact("› pair 1 of 2")
    child.send("\x1b")  # Escape: back to the whole dispute
    child.expect_exact("Matter: when the bridge closes")
    child.send("r")
    child.expect_exact("Dispute 2 of 3, 0 confirmed, 1 rejected, 2 pending")
    child.send("u")
    child.expect_exact("Dispute 1 of 3, 0 confirmed, 0 rejected, 3 pending")
    child.expect_exact("Undid reject.")
    child.send("?")
    child.expect_exact("add a contradiction the tool missed")
    child.send("q")
    child.expect_exact("Saved. 0 confirmed, 0 rejected, 3 pending of 3 disputes")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert "Traceback" not in seen.getvalue()
    events = load_log(bridge / LOG_NAME).events
    assert [(e.target, e.action) for e in events] == [
        ("pair", "confirm"),
        ("dispute", "reject"),
        ("dispute", "undo"),
    ]
    data = _json(bridge)
    [june] = [c for c in data["contradictions"] if c["fingerprint"] == inv.CLOSE_JUNE.fingerprint]
    assert june["review"]["decision"] == "confirmed"


def test_a_pair_the_dispute_gained_shows_as_new_within_the_decided_dispute(bridge: Path) -> None:
    assert _review(bridge, "c q").returncode == 0
    publish(inv.bridge_report(extra_side=True), bridge)
    result = _review(bridge, "b p s s q")
    assert result.returncode == 0, result.stderr
    out = _flat(result.stdout)
    assert "Position 3: the bridge closed last week" in out
    assert "(1 new since the dispute was confirmed: p to decide them)" in out
    assert "(new since the dispute was confirmed)" in out
    assert "confirmed by bot (the dispute's decision)" in out


_NEW_KEYS = {
    "stories",
    "disputes",
    "orphaned_dispute_reviews",
    "orphaned_corrections",
    "story_id",
    "copy_of",
    "repeated_in",
    "dispute_id",
    "sources",
    "claimant_corrected_from",
    "added_by_reviewer",
    "from_dispute",
}
"""report.json's fields the previous version did not write."""


def _strip(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip(v) for k, v in value.items() if k not in _NEW_KEYS}
    if isinstance(value, list):
        return [_strip(v) for v in value]
    return value


def _old_event(flag: dict[str, Any], action: str, n: int, **fields: Any) -> str:
    """A log line exactly as the previous version wrote it (no target, no new field)."""
    event = {
        "id": f"{n:032x}",
        "fingerprint": flag["fingerprint"],
        "action": action,
        **fields,
        "reviewer": "ana",
        "at": f"2026-03-0{n}T10:00:00Z",
    }
    if action != "undo":
        event["flag"] = {k: v for k, v in flag.items() if k != "review"}
    return json.dumps(event)


def test_a_folder_and_a_log_of_the_previous_version_are_still_reviewed(
    tmp_path: Path, seeds_report: Report
) -> None:
    out = tmp_path / "old"
    publish(seeds_report, out)
    old = _strip(_json(out))
    (out / "report.json").write_text(json.dumps(old, indent=2), encoding="utf-8")
    (out / MANIFEST_NAME).unlink()  # the previous version wrote no manifest either
    first, second, third = old["contradictions"][:3]
    lines = [
        _old_event(first, "confirm", 1),
        _old_event(second, "reject", 2),
        _old_event(second, "note", 3, note="two different attacks"),
        _old_event(third, "retype", 4, type="other"),
        _old_event(third, "undo", 5, undoes=f"{4:032x}"),
        _old_event(third, "skip", 6),
    ]
    (out / LOG_NAME).write_text("\n".join(lines) + "\n", encoding="utf-8")
    n = len(old["contradictions"])

    result = _review(out, "c q")

    assert result.returncode == 0, result.stderr
    shown = _flat(result.stdout)
    assert "warning" not in shown
    # No disputes in that report: one item per flag; resumed after the decided and skipped.
    assert f"Dispute 4 of {n}, 1 confirmed, 1 rejected, {n - 2} pending" in shown
    assert f"Dispute 5 of {n}, 2 confirmed, 1 rejected, {n - 3} pending" in shown
    data = _json(out)
    assert [c["review"]["decision"] for c in data["contradictions"][:4]] == [
        "confirmed",
        "rejected",
        "pending",
        "confirmed",
    ]
    assert data["contradictions"][1]["review"]["note"] == "two different attacks"
    assert data["contradictions"][2]["review"]["type"] is None  # the retype was undone
    # What this version appends to a pair is a line the previous version could read too.
    last = json.loads((out / LOG_NAME).read_text(encoding="utf-8").splitlines()[-1])
    assert set(last) == {"id", "fingerprint", "action", "reviewer", "at", "flag"}
    assert last["action"] == "confirm"
