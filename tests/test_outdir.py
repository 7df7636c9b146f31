"""The output folder: only reconcile's own files are replaced or removed, an update is all or
nothing (a crash at any point leaves the old report or the new one), writers take turns, and
a run of other articles does not silently replace a report. Real files in tmp_path; crashes
are real (a forked process that dies with os._exit in the middle of an update)."""

from __future__ import annotations

import codecs
import functools
import hashlib
import json
import multiprocessing
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from agent import report_files
from agent.models import Article, Report
from agent.outdir import MANIFEST_NAME, OutputFolderError, RunTarget
from agent.report_files import ReportFolderError, publish, read_report, write_report


def article(article_id: str, text: str, bom: bool = False, path: str | None = None) -> Article:
    data = (codecs.BOM_UTF8 if bom else b"") + text.encode("utf-8")
    return Article(
        id=article_id,
        path=path or f"in/{article_id}.txt",
        sha256=hashlib.sha256(data).hexdigest(),
        text=text,
    )


A = article("a", "The mayor said the bridge would open on Monday.\n")
B = article("b", "The council said the bridge would open on Tuesday.\n")
B_EDITED = article("b", "The council said the bridge would open on Wednesday.\n")
C = article("c", "Engineers said the bridge was not safe yet.\n")


def report(*articles: Article, **fields: Any) -> Report:
    return Report(backend="offline", articles=list(articles), **fields)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder`, relative name -> bytes."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def manifest(folder: Path) -> dict[str, str]:
    files: dict[str, str] = json.loads((folder / MANIFEST_NAME).read_text())["files"]
    return files


def test_only_the_files_reconcile_wrote_are_replaced_or_removed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_report(report(A, B, C), out)
    (out / "articles" / "draft.txt").write_text("my notes\n")
    (out / "notes.md").write_text("# mine\n")
    write_report(report(A, B), out)
    # c's copy was reconcile's and is no longer needed; the user's files are untouched.
    assert sorted(p.name for p in (out / "articles").iterdir()) == ["a.txt", "b.txt", "draft.txt"]
    assert (out / "articles" / "draft.txt").read_text() == "my notes\n"
    assert (out / "notes.md").read_text() == "# mine\n"
    listed = manifest(out)
    assert set(listed) == {
        "report.json",
        "report.md",
        "report.html",
        "articles/a.txt",
        "articles/b.txt",
    }
    for rel, sha in listed.items():
        assert hashlib.sha256((out / rel).read_bytes()).hexdigest() == sha
    assert [p.name for p in out.iterdir() if p.name.endswith(".tmp")] == []


def test_a_file_to_write_that_is_not_reconciles_stops_the_write(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "articles").mkdir(parents=True)
    (out / "report.md").write_text("# my own report\n")
    (out / "articles" / "b.txt").write_bytes(codecs.BOM_UTF8 + B.text.encode())
    before = snapshot(out)
    with pytest.raises(OutputFolderError, match=r"report\.md: exists and was not written by"):
        write_report(report(A, B), out)
    (out / "report.md").unlink()
    before.pop("report.md")
    # The user's b.txt holds the same text (with a BOM): still theirs, not overwritten.
    with pytest.raises(OutputFolderError, match=r"articles/b\.txt: exists and was not written"):
        write_report(report(A, B), out)
    assert snapshot(out) == before


def test_a_file_edited_by_hand_is_not_overwritten(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_report(report(A, B), out)
    (out / "report.md").write_text("# my edits\n")
    with pytest.raises(OutputFolderError, match=r"report\.md: was changed since reconcile wrote"):
        write_report(report(A, B), out)
    assert (out / "report.md").read_text() == "# my edits\n"
    (out / "report.md").unlink()  # moved away: the next write goes ahead
    write_report(report(A, B), out)
    (out / "articles" / "a.txt").write_text("edited by hand\n")
    with pytest.raises(OutputFolderError, match=r"articles/a\.txt: was changed since"):
        write_report(report(A, B), out)
    # An edited copy that is no longer needed is not removed either: it is the user's now.
    write_report(report(B), out)
    assert (out / "articles" / "a.txt").read_text() == "edited by hand\n"
    assert "articles/a.txt" not in manifest(out)


def test_a_render_failure_leaves_the_old_report_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    write_report(report(A, B, C), out)
    before = snapshot(out)

    def broken(_: Report) -> str:
        raise ValueError("cannot render")

    monkeypatch.setattr(report_files, "render_html", broken)
    with pytest.raises(ValueError, match="cannot render"):
        write_report(report(A, B_EDITED), out)
    assert snapshot(out) == before
    assert [a.id for a in read_report(out).articles] == ["a", "b", "c"]


def _crash_after(calls: int, action: Callable[[], object]) -> bool:
    """Run `action` in a forked child that dies (os._exit, no clean-up) at its `calls`-th
    rename or removal; True when the action finished before that."""
    ctx = multiprocessing.get_context("fork")
    child = ctx.Process(target=_crashing_child, args=(calls, action))
    child.start()
    child.join(60)
    assert child.exitcode in (0, 3), child.exitcode
    return child.exitcode == 0


def _crashing_child(calls: int, action: Callable[[], object]) -> None:
    counter = {"n": 0}
    real_replace, real_unlink = os.replace, os.unlink

    def counted(real: Callable[..., None]) -> Callable[..., None]:
        def call(*args: Any, **kwargs: Any) -> None:
            if counter["n"] == calls:
                os._exit(3)  # a crash: no finally block, no clean-up runs
            counter["n"] += 1
            real(*args, **kwargs)

        return call

    os.replace = counted(real_replace)
    os.unlink = counted(real_unlink)
    action()
    os._exit(0)


def test_a_crash_at_any_point_of_an_update_leaves_the_old_or_the_new_report(
    tmp_path: Path,
) -> None:
    old, new = report(A, B, C), report(A, B_EDITED)
    texts = {
        "old": {a.id: a.text for a in old.articles},
        "new": {a.id: a.text for a in new.articles},
    }
    outcomes = set()
    for calls in range(100):
        out = tmp_path / f"out-{calls}"
        write_report(old, out)
        (out / "articles" / "draft.txt").write_text("mine\n")
        finished = _crash_after(calls, functools.partial(write_report, new, out))
        found = read_report(out)  # finishes an update committed before the crash
        which = "new" if [a.id for a in found.articles] == ["a", "b"] else "old"
        assert {a.id: a.text for a in found.articles} == texts[which], calls
        outcomes.add(which)
        assert (out / "articles" / "draft.txt").read_text() == "mine\n"
        # Once settled, the manifest matches the folder, and writing again works.
        for rel, sha in manifest(out).items():
            assert hashlib.sha256((out / rel).read_bytes()).hexdigest() == sha, (calls, rel)
        write_report(new, out)
        if finished:
            break
    else:
        raise AssertionError("the update never finished")
    assert outcomes == {"old", "new"}


def test_a_folder_written_before_the_manifest_existed(tmp_path: Path) -> None:
    """No manifest: report.json, report.md and report.html as reconcile wrote them, and copies
    whose bytes are the ones report.json hashes (BOM or not), are reconcile's; nothing else."""
    out = tmp_path / "out"
    bommed = article("d", "A text saved with a byte-order mark.\n", bom=True)
    write_report(report(A, B, bommed), out)
    (out / MANIFEST_NAME).unlink()
    (out / "articles" / "draft.txt").write_text("mine\n")
    write_report(report(A), out)
    assert sorted(p.name for p in (out / "articles").iterdir()) == ["a.txt", "draft.txt"]
    assert set(manifest(out)) == {"report.json", "report.md", "report.html", "articles/a.txt"}

    # A copy that does not match its hash is someone else's, so is a report.md of theirs.
    (out / MANIFEST_NAME).unlink()
    (out / "articles" / "a.txt").write_text("changed\n")
    with pytest.raises(OutputFolderError, match=r"articles/a\.txt: exists and was not written"):
        write_report(report(A), out)
    (out / "articles" / "a.txt").unlink()
    (out / "report.md").write_text("Notes for the meeting\n")
    with pytest.raises(OutputFolderError, match=r"report\.md: exists and was not written"):
        write_report(report(A), out)


def test_a_manifest_that_names_files_outside_the_folder_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "out"
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n")
    write_report(report(A), out)
    forged = {
        "manifest_version": 1,
        "files": {"../victim.txt": hashlib.sha256(victim.read_bytes()).hexdigest()},
    }
    (out / MANIFEST_NAME).write_text(json.dumps(forged))
    with pytest.raises(OutputFolderError, match=r"\.reconcile-manifest\.json: not a reconcile"):
        write_report(report(B), out)
    assert victim.read_text() == "keep me\n"


def _publish_many(out: Path, rounds: int, start: Any) -> None:
    rep = read_report(out)
    start.wait()
    for _ in range(rounds):
        publish(rep, out)


def test_simultaneous_writers_take_turns(tmp_path: Path) -> None:
    """Review sessions quitting at once each refresh the report files: no fixed temporary
    name is shared, and the manifest always matches what is on disk."""
    out = tmp_path / "out"
    write_report(report(A, B, C), out)
    ctx = multiprocessing.get_context("fork")
    start = ctx.Barrier(4)
    writers = [ctx.Process(target=_publish_many, args=(out, 25, start)) for _ in range(4)]
    for w in writers:
        w.start()
    for w in writers:
        w.join(120)
    assert [w.exitcode for w in writers] == [0, 0, 0, 0]
    for rel, sha in manifest(out).items():
        assert hashlib.sha256((out / rel).read_bytes()).hexdigest() == sha
    assert [p.name for p in out.rglob(".reconcile-*.tmp")] == []
    assert [a.id for a in read_report(out).articles] == ["a", "b", "c"]


# --- the story in the folder --------------------------------------------------------------


def _target(out: Path, *articles: Article, force: bool = False) -> RunTarget:
    target = RunTarget(out, force=force)
    target.check_folder([])
    target.check_articles(list(articles))
    return target


def test_a_run_of_the_same_articles_refreshes_the_report(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_report(report(A, B), out)
    _target(out, B, A)
    # An article edited in place (same path, new content) is still the same story.
    _target(out, A, B_EDITED)


def test_a_run_of_other_articles_needs_force(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_report(report(A, B), out)
    with pytest.raises(OutputFolderError, match=r"2 articles, 0 of them in this run\): --force"):
        _target(out, C)
    with pytest.raises(OutputFolderError, match=r"2 articles, 1 of them in this run"):
        _target(out, A)
    with pytest.raises(OutputFolderError, match=r"2 articles, all in this run, which has 1 more"):
        _target(out, A, B, C)
    _target(out, C, force=True)


def test_a_run_that_finishes_an_earlier_one_may_add_its_articles(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_report(report(A, interrupted="interrupted while extracting claims"), out)
    _target(out, A, B, C)
    failed = [{"path": C.path, "error": "empty file"}]
    write_report(report(A, B, errors=failed), tmp_path / "out2")
    _target(tmp_path / "out2", A, B, C)


def test_the_story_is_checked_again_when_the_report_is_written(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_report(report(A), out)
    # The story check runs again under the lock when the report is written.
    target = _target(out, A)
    write_report(report(C), out)  # meanwhile another run wrote its story here
    with pytest.raises(OutputFolderError, match="holds the report of other articles"):
        write_report(report(A), out, check=target.check_story)
    assert [a.id for a in read_report(out).articles] == ["c"]


def test_reading_a_folder_with_an_unfinished_update_that_cannot_be_finished(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out"
    write_report(report(A), out)
    data = json.loads((out / MANIFEST_NAME).read_text())
    data["pending"] = {"renames": {"report.json": ".reconcile-gone.tmp"}, "removals": {}}
    (out / MANIFEST_NAME).write_text(json.dumps(data))
    # The temporary file is gone (the rename was done): reading finishes the update.
    assert [a.id for a in read_report(out).articles] == ["a"]
    assert json.loads((out / MANIFEST_NAME).read_text())["pending"] is None
    with pytest.raises(ReportFolderError, match="no report here"):
        read_report(tmp_path / "nothing")
