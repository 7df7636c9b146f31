"""The CLI: outputs, summary and exit codes, run as a user would (a subprocess)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import SEEDS


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
    assert "Review: 1 confirmed, 1 rejected" in rerun.stdout
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
