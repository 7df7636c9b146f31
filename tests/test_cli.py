"""The CLI: outputs, summary and exit codes, run as a user would (a subprocess)."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pexpect
import pytest

from tests.conftest import SEEDS
from tests.support.mounts import read_only_view


def reconcile(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "agent", *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )


def test_seeds_run_writes_reports_and_exits_zero(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = reconcile(str(SEEDS), "--out", str(out), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Contradictions" in result.stdout
    assert "scope" in result.stdout
    assert "Agreements:" in result.stdout and "single-source claims:" in result.stdout
    data = json.loads((out / "report.json").read_text())
    assert data["schema_version"] == 1 and len(data["articles"]) == 3
    assert "# Reconciliation report" in (out / "report.md").read_text()


def test_a_reader_that_stops_reading_keeps_the_runs_exit_code(tmp_path: Path) -> None:
    # `reconcile seeds/ | head -1`: the pipe closes before the summary is printed; the
    # report is written, nothing is shown on stderr, and the exit code is the run's (0: no
    # input failed), not 1, which means an input failed.
    out = tmp_path / "out"
    proc = subprocess.Popen(
        [sys.executable, "-m", "agent", str(SEEDS), "--out", str(out)],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader is gone before anything is printed
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 0, err
    assert err == ""
    assert json.loads((out / "report.json").read_text())["schema_version"] == 1


def test_default_out_dir_and_explicit_run_subcommand(tmp_path: Path) -> None:
    result = reconcile("run", str(SEEDS), "--quiet", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert (tmp_path / "reconcile-out" / "report.json").exists()


def test_partial_failure_exits_one_and_names_the_file(tmp_path: Path) -> None:
    shutil.copy(next(SEEDS.glob("*wire*")), tmp_path / "wire.txt")
    (tmp_path / "empty.txt").write_text("")
    result = reconcile(str(tmp_path), "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert result.returncode == 1
    assert f"error: {tmp_path / 'empty.txt'}: empty file" in result.stderr.splitlines()
    errors = json.loads((tmp_path / "out" / "report.json").read_text())["errors"]
    assert [Path(e["path"]).name for e in errors] == ["empty.txt"]


def test_no_article_is_a_usage_error(tmp_path: Path) -> None:
    result = reconcile(str(tmp_path / "missing"), cwd=tmp_path)
    assert result.returncode == 2
    assert "missing: no such file or directory" in result.stderr
    assert "no article to reconcile" in result.stderr
    assert not (tmp_path / "reconcile-out").exists()


def test_unknown_backend_is_a_usage_error(tmp_path: Path) -> None:
    result = reconcile(str(SEEDS), "--backend", "nonsense", cwd=tmp_path)
    assert result.returncode == 2
    assert "unknown backend" in result.stderr


def test_rerun_keeps_review_decisions_and_shows_them(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert reconcile(str(SEEDS), "--out", str(out), cwd=tmp_path).returncode == 0
    review = subprocess.run(
        [sys.executable, "-m", "agent", "review", str(out), "--reviewer", "me"],
        input="crq",
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert review.returncode == 0, review.stderr
    before = json.loads((out / "report.json").read_text())["contradictions"]
    rerun = reconcile(str(SEEDS), "--out", str(out), cwd=tmp_path)
    assert rerun.returncode == 0, rerun.stderr
    # "c" and "r" decide the first two disputes: every pair of each (the seeds' second
    # dispute holds two pairs).
    decided = [c["review"]["decision"] for c in before]
    confirmed, rejected = decided.count("confirmed"), decided.count("rejected")
    assert confirmed >= 1 and rejected >= 1
    assert f"Review: {confirmed} confirmed, {rejected} rejected" in rerun.stdout
    assert "✓ confirmed" in rerun.stdout and "✗ rejected" in rerun.stdout
    after = json.loads((out / "report.json").read_text())
    assert [c["review"] for c in after["contradictions"]] == [c["review"] for c in before]
    assert after["orphaned_reviews"] == []


def test_brackets_and_newlines_in_names_and_text_are_printed_as_they_are(tmp_path: Path) -> None:
    """Rich markup in a file name or an article ("[red]", "[/b]") is text, never markup, and
    a newline in a file name cannot split an error line."""
    folder = tmp_path / "in[bold]"
    folder.mkdir()
    (folder / "c[red]d.txt").write_text("")
    (folder / "new\nline.txt").write_text("")
    (folder / "2031-01-01-a.txt").write_text(
        "The mayor [/b] said the bridge would open on Monday, officials said.\n"
    )
    (folder / "2031-01-02-b.txt").write_text("The mayor said the bridge would open on Tuesday.\n")
    result = reconcile(str(folder), "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    lines = result.stderr.splitlines()
    assert f"error: {folder / 'c[red]d.txt'}: empty file" in lines
    assert f"error: {folder}/new\\nline.txt: empty file" in lines
    assert "The mayor [/b] said" in result.stdout


# --- the output folder is the user's (issue 10) -------------------------------------------------


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder`, relative name -> bytes."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def harbour_story(folder: Path) -> Path:
    """Two short invented articles of another story than the seeds."""
    folder.mkdir(parents=True)
    (folder / "2031-02-01-pier.txt").write_text(
        "The harbour master said the new pier would open on Friday, officials said.\n"
    )
    (folder / "2031-02-02-pier.txt").write_text(
        "The city council said the pier would not open before next month.\n"
    )
    return folder


def test_out_holding_the_users_articles_leaves_them_alone(tmp_path: Path) -> None:
    """`reconcile articles/one.txt articles/two.txt --out .` where articles/ is the user's
    folder: the copies it would write are the user's files, so it stops before any work."""
    project = tmp_path / "p"
    (project / "articles").mkdir(parents=True)
    one, two, three = sorted(SEEDS.glob("*.txt"))
    (project / "articles" / one.name).write_bytes(b"\xef\xbb\xbf" + one.read_bytes())  # a BOM
    shutil.copy(two, project / "articles")
    shutil.copy(three, project / "articles")
    (project / "articles" / "draft.txt").write_text("notes\n")
    before = snapshot(project)
    cache = tmp_path / "cache"
    result = reconcile(
        f"articles/{one.name}", f"articles/{two.name}", "--out", ".", "--cache-dir", str(cache),
        cwd=project,
    )  # fmt: skip
    assert result.returncode == 2, result.stderr
    assert result.stderr.splitlines() == [
        f"error: articles/{one.name}: exists and was not written by reconcile, so reconcile "
        "leaves it alone: move it away or choose another --out"
    ]
    assert snapshot(project) == before  # nothing deleted, nothing rewritten, the BOM kept
    assert not cache.exists()  # stopped before any article was parsed


def test_a_report_file_edited_by_hand_is_not_overwritten(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert reconcile(str(SEEDS), "--out", str(out), "-q", cwd=tmp_path).returncode == 0
    (out / "report.md").write_text("# My notes on the report\n")
    again = reconcile(str(SEEDS), "--out", str(out), "-q", cwd=tmp_path)
    assert again.returncode == 2
    assert again.stderr.splitlines() == [
        f"error: {out / 'report.md'}: was changed since reconcile wrote it, so reconcile "
        "leaves it alone: move it away or choose another --out"
    ]
    assert (out / "report.md").read_text() == "# My notes on the report\n"


def test_out_inside_an_input_folder_is_not_read_as_input(tmp_path: Path) -> None:
    stories = tmp_path / "stories"
    shutil.copytree(SEEDS, stories)
    out = stories / "out"
    for _ in range(2):  # the second run finds the first one's report and copies in stories/
        result = reconcile(str(stories), "--out", str(out), "-q", cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        data = json.loads((out / "report.json").read_text())
        assert len(data["articles"]) == 3 and data["errors"] == []


def test_an_input_folder_inside_out_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert reconcile(str(SEEDS), "--out", str(out), "-q", cwd=tmp_path).returncode == 0
    result = reconcile(str(out / "articles"), "--out", str(out), cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"error: {out / 'articles'}: this input folder is inside the output folder {out}, "
        "where the run writes its own files: choose an --out outside the inputs"
    ]


def test_another_storys_report_is_not_replaced_without_force(tmp_path: Path) -> None:
    out = tmp_path / "reconcile-out"  # the default, shared by every story run from here
    assert reconcile(str(SEEDS), "-q", cwd=tmp_path).returncode == 0
    review = subprocess.run(
        [sys.executable, "-m", "agent", "review", "--reviewer", "me"],
        input="cq",
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert review.returncode == 0, review.stderr
    (out / "articles" / "draft.txt").write_text("mine\n")
    (out / "notes.txt").write_text("mine too\n")
    before = snapshot(out)
    other = harbour_story(tmp_path / "harbour")

    refused = reconcile(str(other), "-q", cwd=tmp_path)
    assert refused.returncode == 2
    assert refused.stderr.splitlines() == [
        "error: reconcile-out/report.json: holds the report of other articles (3 articles, 0 "
        "of them in this run): --force replaces it (reviews.jsonl is kept), or choose another "
        "--out"
    ]
    assert snapshot(out) == before

    forced = reconcile(str(other), "--force", "-q", cwd=tmp_path)
    assert forced.returncode == 0, forced.stderr
    data = json.loads((out / "report.json").read_text())
    assert sorted(a["id"] for a in data["articles"]) == ["2031-02-01-pier", "2031-02-02-pier"]
    # The seeds decision (on their first dispute) is kept, listed.
    assert len(data["orphaned_reviews"]) + len(data["orphaned_dispute_reviews"]) == 1, (
        data["orphaned_reviews"],
        data["orphaned_dispute_reviews"],
    )
    after = snapshot(out)
    for mine in ("reviews.jsonl", "articles/draft.txt", "notes.txt"):
        assert after[mine] == before[mine]
    assert not any(name.startswith("articles/2025-") for name in after)  # our old copies
    # The same story again is simply refreshed.
    assert reconcile(str(other), "-q", cwd=tmp_path).returncode == 0


def test_out_naming_an_existing_file_is_one_line_before_any_work(tmp_path: Path) -> None:
    mine = tmp_path / "out.txt"
    mine.write_text("mine\n")
    cache = tmp_path / "cache"
    result = reconcile(str(SEEDS), "--out", str(mine), "--cache-dir", str(cache), cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"error: {mine}: exists and is not a folder: choose another --out"
    ]
    below = reconcile(str(SEEDS), "--out", str(mine / "sub"), cwd=tmp_path)
    assert below.returncode == 2
    assert below.stderr.splitlines() == [
        f"error: {mine / 'sub'}: cannot be created: {mine} is not a folder"
    ]
    assert mine.read_text() == "mine\n" and not cache.exists()


def test_a_file_name_that_is_not_utf8_is_read_and_shown_escaped(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    wire, daily = sorted(SEEDS.glob("*wire*"))[0], sorted(SEEDS.glob("*daily*"))[0]
    shutil.copy(wire, folder / "wire.txt")
    with open(os.fsencode(folder) + b"/\xff.txt", "wb") as f:  # a real name, not UTF-8
        f.write(daily.read_bytes())
    with open(os.fsencode(folder) + b"/\xfe.txt", "wb"):
        pass  # empty: its error line names it
    out = tmp_path / "out"
    result = reconcile(str(folder), "--out", str(out), "-q", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert result.stderr.splitlines() == [f"error: {folder}/\\xfe.txt: empty file"]
    data = json.loads((out / "report.json").read_text())
    assert {a["id"]: a["path"] for a in data["articles"]} == {
        "\\xff": f"{folder}/\\xff.txt",
        "wire": f"{folder}/wire.txt",
    }
    assert (out / "articles" / "\\xff.txt").read_bytes() == daily.read_bytes()
    review = subprocess.run(
        [sys.executable, "-m", "agent", "review", str(out)],
        input="q",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert review.returncode == 0, review.stderr


def test_a_read_only_out_is_one_line_before_any_work(tmp_path: Path) -> None:
    written = tmp_path / "written"
    assert reconcile(str(SEEDS), "--out", str(written), "-q", cwd=tmp_path).returncode == 0
    cache = tmp_path / "cache"
    with read_only_view(written, tmp_path / "ro") as ro:
        result = reconcile(str(SEEDS), "--out", str(ro), "--cache-dir", str(cache), cwd=tmp_path)
        below = reconcile(str(SEEDS), "--out", str(ro / "new"), cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"error: {ro}: cannot write in this folder (read-only file system)"
    ]
    assert below.returncode == 2
    assert below.stderr.splitlines() == [
        f"error: {ro / 'new'}: cannot be created in {ro} (read-only file system)"
    ]
    assert not cache.exists()


# --- scriptable output, help, progress (issue 14) ------------------------------------------------


def test_json_pipes_report_json_alone_into_json_tool(tmp_path: Path) -> None:
    """`reconcile seeds/ --json | python -m json.tool`: stdout holds report.json and nothing
    else; the summary goes to stderr, and the folder is still written."""
    out = tmp_path / "out"
    python = shlex.quote(sys.executable)
    line = f"{python} -m agent {shlex.quote(str(SEEDS))} --json --out {shlex.quote(str(out))}"
    piped = subprocess.run(
        ["bash", "-o", "pipefail", "-c", f"{line} | {python} -m json.tool"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert piped.returncode == 0, piped.stderr
    assert json.loads(piped.stdout) == json.loads((out / "report.json").read_text())
    assert "Contradictions (" in piped.stderr and "Full report:" in piped.stderr
    assert "extracting claims" not in piped.stderr  # no progress bar off a terminal


def test_out_dash_prints_report_json_and_writes_no_folder(tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    result = reconcile(str(SEEDS), "--out", "-", cwd=work)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["schema_version"] == 1 and len(data["articles"]) == 3
    assert list(work.iterdir()) == []  # no folder named "-", no reconcile-out
    assert "Contradictions (" in result.stderr and "Full report:" not in result.stderr


def test_version_prints_the_installed_version(tmp_path: Path) -> None:
    result = reconcile("--version", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"reconcile {version('reconcile')}\n"


COMMANDS = ["run", "eval", "review", "export"]


@pytest.mark.parametrize("command", ["", *COMMANDS])
def test_help_reads_as_plain_sentences(tmp_path: Path, command: str) -> None:
    args = [command, "--help"] if command else ["--help"]
    result = subprocess.run(
        [sys.executable, "-m", "agent", *args],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "COLUMNS": "80"},
    )
    assert result.returncode == 0, result.stderr
    text = result.stdout
    flat = " ".join(text.replace("│", " ").split())
    assert not re.search(r" \.(\s|$)", flat), flat  # a help text that lost its [bracketed] part
    assert "<bool>" not in text and not re.search(r"<[a-z]+(\[|>)", text)  # no <type>
    assert "{" not in text  # no {paths} / {out} placeholders
    if not command:
        lines = text.splitlines()
        for name in COMMANDS:
            [at] = [i for i, line in enumerate(lines) if line.startswith(f"│ {name} ")]
            follower = lines[at + 1]
            assert follower.startswith("╰") or any(
                follower.startswith(f"│ {other} ") for other in COMMANDS
            ), f"the help of {name} takes more than one line"
        examples = [line.strip() for line in lines if line.strip().startswith("reconcile ")]
        assert "Examples:" in text and len(examples) == 2


def test_progress_shows_each_stage_with_counts_and_an_eta_on_a_terminal(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for day, weekday in enumerate(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]):
        (folder / f"2031-02-0{day + 1}-pier.txt").write_text(
            f"The harbour master said the new pier would open on {weekday}, officials said.\n"
        )
    child = pexpect.spawn(
        sys.executable,
        ["-m", "agent", str(folder), "--out", str(tmp_path / "out")],
        cwd=str(tmp_path),
        env={**os.environ, "COLUMNS": "120", "TERM": "xterm"},
        encoding="utf-8",
        timeout=120,
        dimensions=(40, 120),
    )
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    screen = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", child.before)  # the colours off
    assert re.search(r"extracting claims .*5/5\s+articles .*ETA", screen), screen
    assert re.search(r"judging pairs .*\b(\d+)/\1\s+pairs .*ETA", screen), screen


def test_seeds_summary_at_80_columns_with_no_color_reads_right(tmp_path: Path) -> None:
    """The summary as a user piping it with NO_COLOR sees it: no escape sequence, no line
    over 80 columns, each side named by claimant and outlet, never a cut file stem."""
    result = subprocess.run(
        [sys.executable, "-m", "agent", str(SEEDS), "--out", str(tmp_path / "out")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "NO_COLOR": "1", "COLUMNS": "80", "TERM": "xterm-256color"},
    )
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout
    assert [line for line in result.stdout.splitlines() if len(line) > 80] == []
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    outlets = {a["id"]: a["source"] or a["title"] or a["id"] for a in report["articles"]}
    flat = " ".join(result.stdout.split())
    side = report["contradictions"][0]["sides"][0]
    assert f"{side['claimant']} · {outlets[side['article_id']]}" in flat
    assert not re.search(r"\(\d{4}-\d\d-\d\d-[\w-]*…", flat)
