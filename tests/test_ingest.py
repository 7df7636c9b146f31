"""Ingest: discovery, reading, each bad input, duplicates, ids and order independence."""

from __future__ import annotations

import hashlib
import itertools
import os
import threading
from pathlib import Path

import pytest

from agent import ingest as ingest_module
from agent.ingest import IngestResult, ingest

GOOD = "Officials said the bridge would reopen on Monday after repairs.\n"
OTHER = "The council said the vote would take place next week.\n"


def skip_if_still_readable(path: Path) -> None:
    """Root (with its usual capabilities) reads a chmod 000 file anyway: nothing to test."""
    try:
        if path.is_dir():
            os.listdir(path)
        else:
            path.read_bytes()
    except PermissionError:
        return
    path.chmod(0o755)
    pytest.skip("this user can read a chmod 000 path (root)")


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def errors_by_name(result: IngestResult) -> dict[str, str]:
    return {Path(e.path).name: e.error for e in result.errors}


def test_reads_a_good_file_with_its_hash(tmp_path: Path) -> None:
    f = write(tmp_path / "a.txt", GOOD)
    result = ingest([f])
    (article,) = result.articles
    assert article.id == "a"
    assert article.path == str(f)
    assert article.text == GOOD
    assert article.sha256 == hashlib.sha256(GOOD.encode()).hexdigest()
    assert result.errors == []


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b"  \n\t \r\n", "file holds only whitespace"),
        ("nbsp.txt", "\u00a0\u2003\n".encode(), "file holds only whitespace"),
        ("bom-only.txt", b"\xef\xbb\xbf", "empty file"),
        ("nul.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
        ("controls.txt", bytes(range(1, 9)) * 4 + b"some words", "binary file"),
        ("utf16.txt", "Officials said.".encode("utf-16"), "binary file (looks like UTF-16"),
        ("latin1.txt", "Café owners said prices rose.".encode("latin-1"), "at byte 3"),
        ("bom-bad.txt", b"\xef\xbb\xbfab\xff cd", "not valid UTF-8 at byte 5"),
    ],
)
def test_bad_file_gets_one_line_error_and_run_goes_on(
    tmp_path: Path, name: str, content: bytes, expected: str
) -> None:
    bad = write(tmp_path / name, content)
    good = write(tmp_path / "good.txt", GOOD)
    result = ingest([bad, good])
    assert [a.id for a in result.articles] == ["good"]
    assert [e.path for e in result.errors] == [str(bad)]
    error = result.errors[0].error
    assert expected in error
    assert "\n" not in error


def test_a_few_stray_control_characters_are_still_text(tmp_path: Path) -> None:
    text = "Column\x0bone said\x1b so on Friday, officials reported at length.\n" * 3
    result = ingest([write(tmp_path / "a.txt", text)])
    assert [a.text for a in result.articles] == [text]


def test_file_over_the_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ingest_module, "MAX_BYTES", 10)
    big = write(tmp_path / "big.txt", "x" * 11)
    fits = write(tmp_path / "fits.txt", "y" * 10)
    result = ingest([big, fits])
    assert [a.id for a in result.articles] == ["fits"]
    assert errors_by_name(result) == {"big.txt": "file is 11 bytes, over the 10-byte limit"}


def test_default_limit_is_two_mebibytes() -> None:
    assert ingest_module.MAX_BYTES == 2 * 1024 * 1024


def test_missing_path_and_unsupported_types(tmp_path: Path) -> None:
    pdf = write(tmp_path / "paper.PDF", b"%PDF-1.4")
    bare = write(tmp_path / "README", GOOD)
    result = ingest([tmp_path / "nope.txt", pdf, bare])
    assert result.articles == []
    assert errors_by_name(result) == {
        "nope.txt": "no such file or directory",
        "paper.PDF": "unsupported file type '.PDF' (supported: .txt, .md)",
        "README": "unsupported file type (no suffix) (supported: .txt, .md)",
    }


def test_invalid_path_is_an_error_not_an_exception(tmp_path: Path) -> None:
    result = ingest([str(tmp_path / "a\x00b.txt")])
    assert [e.error for e in result.errors] == ["invalid path"]


def test_unreadable_file(tmp_path: Path) -> None:
    f = write(tmp_path / "locked.txt", GOOD)
    f.chmod(0)
    skip_if_still_readable(f)
    try:
        result = ingest([f, write(tmp_path / "ok.txt", OTHER)])
    finally:
        f.chmod(0o644)
    assert [a.id for a in result.articles] == ["ok"]
    assert errors_by_name(result) == {"locked.txt": "cannot read: Permission denied"}


def test_read_failure_is_an_error_even_as_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    locked = write(tmp_path / "locked.txt", GOOD)
    ok = write(tmp_path / "ok.txt", OTHER)
    real_open = os.open

    def fake_open(path: str | os.PathLike[str], flags: int, *args: int) -> int:
        if Path(path).name == "locked.txt":
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "open", fake_open)
    result = ingest([locked, ok])
    assert [a.id for a in result.articles] == ["ok"]
    assert errors_by_name(result) == {"locked.txt": "cannot read: Permission denied"}


def test_unreadable_directory_is_reported(tmp_path: Path) -> None:
    write(tmp_path / "d" / "ok.txt", GOOD)
    locked = tmp_path / "d" / "locked"
    write(locked / "x.txt", OTHER)
    locked.chmod(0)
    skip_if_still_readable(locked)
    try:
        result = ingest([tmp_path / "d"])
    finally:
        locked.chmod(0o755)
    assert [a.id for a in result.articles] == ["ok"]
    assert errors_by_name(result) == {"locked": "cannot read directory: Permission denied"}


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_fifo_named_txt_does_not_block(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    result = _run_with_timeout(lambda: ingest([fifo]))
    assert errors_by_name(result) == {"pipe.txt": "not a regular file"}


def test_duplicates_are_reported_once_against_the_first_in_path_order(tmp_path: Path) -> None:
    a = write(tmp_path / "a.txt", GOOD)
    b = write(tmp_path / "b.txt", GOOD)
    c = write(tmp_path / "sub" / "c.md", GOOD)
    for order in itertools.permutations([a, b, c]):
        result = ingest(list(order))
        assert [x.id for x in result.articles] == ["a"]
        assert errors_by_name(result) == {"b.txt": f"duplicate of {a}", "c.md": f"duplicate of {a}"}


def test_same_file_reached_twice_is_read_once_silently(tmp_path: Path) -> None:
    a = write(tmp_path / "d" / "a.txt", GOOD)
    link = tmp_path / "link.txt"
    link.symlink_to(a)
    result = ingest([a, tmp_path / "d", a, str(a)])
    assert [x.id for x in result.articles] == ["a"]
    assert result.errors == []
    # A symlink to it is the same file too; the shown path does not depend on the order.
    one, two = ingest([link, a]), ingest([a, link])
    assert one == two
    assert [x.id for x in one.articles] == ["a"] and one.errors == []


def test_errors_for_the_same_path_are_not_repeated(tmp_path: Path) -> None:
    result = ingest([tmp_path / "nope.txt", tmp_path / "nope.txt"])
    assert len(result.errors) == 1


def test_stem_collision_gives_each_article_a_hash_suffix(tmp_path: Path) -> None:
    x = write(tmp_path / "x" / "same.txt", GOOD)
    y = write(tmp_path / "y" / "same.txt", OTHER)
    z = write(tmp_path / "same.md", "A third account said it differently.\n")
    solo = write(tmp_path / "solo.txt", GOOD + "More.\n")
    result = ingest([x, y, z, solo])
    ids = {a.path: a.id for a in result.articles}
    for path in (x, y, z):
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        assert ids[str(path)] == f"same-{digest[:8]}"
    assert ids[str(solo)] == "solo"
    assert [a.id for a in result.articles] == sorted(ids.values())


def test_a_suffixed_id_never_clashes_with_another_stem(tmp_path: Path) -> None:
    digest = hashlib.sha256(GOOD.encode()).hexdigest()
    files = [
        write(tmp_path / "x" / "same.txt", GOOD),
        write(tmp_path / "y" / "same.txt", OTHER),
        write(tmp_path / f"same-{digest[:8]}.txt", "Someone else said so.\n"),
    ]
    ids = [a.id for a in ingest(files).articles]
    assert len(set(ids)) == 3
    assert f"same-{digest[:8]}" in ids


def test_order_of_paths_does_not_change_the_result(tmp_path: Path) -> None:
    inputs: list[Path] = [
        write(tmp_path / "x" / "same.txt", GOOD),
        write(tmp_path / "y" / "same.txt", OTHER),
        write(tmp_path / "copy.txt", GOOD),
        write(tmp_path / "z.txt", b""),
        write(tmp_path / "w.pdf", b"%PDF"),
        tmp_path / "missing.txt",
        tmp_path / "x",
    ]
    results = [ingest(list(order)) for order in itertools.permutations(inputs)]
    first = results[0]
    assert all(r == first for r in results[1:])
    assert [e.path for e in first.errors] == sorted(e.path for e in first.errors)
    assert len(first.articles) == 2 and len(first.errors) == 4


def test_directories_recurse_and_skip_hidden_and_other_files(tmp_path: Path) -> None:
    d = tmp_path / "d"
    write(d / "one.txt", GOOD)
    write(d / "sub" / "deeper" / "two.md", GOOD + "More.\n")
    write(d / "THREE.TXT", GOOD + "Yet more.\n")
    write(d / ".hidden.txt", GOOD + "x\n")
    write(d / ".git" / "four.txt", GOOD + "y\n")
    write(d / "sub" / ".cache" / "five.md", GOOD + "z\n")
    write(d / "image.png", b"\x89PNG\x00")
    write(d / "notes.pdf", b"%PDF")
    result = ingest([d])
    assert sorted(a.id for a in result.articles) == ["THREE", "one", "two"]
    assert result.errors == []


def test_a_hidden_file_named_explicitly_is_read(tmp_path: Path) -> None:
    hidden = write(tmp_path / ".draft.txt", GOOD)
    assert [a.id for a in ingest([hidden]).articles] == [".draft"]


def _run_with_timeout(call: object, seconds: float = 20.0) -> IngestResult:
    box: list[IngestResult] = []
    assert callable(call)
    thread = threading.Thread(target=lambda: box.append(call()), daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), "ingest did not finish"
    return box[0]


def test_symlink_loops_do_not_hang(tmp_path: Path) -> None:
    d = tmp_path / "d"
    write(d / "one.txt", GOOD)
    (d / "loop").symlink_to(d, target_is_directory=True)
    (d / "sub").mkdir()
    (d / "sub" / "up").symlink_to(tmp_path, target_is_directory=True)
    (d / "self.txt").symlink_to(d / "self.txt")  # a link to itself
    (d / "gone.txt").symlink_to(d / "nowhere.txt")  # a dangling link
    result = _run_with_timeout(lambda: ingest([d, d / "self.txt"]))
    assert [a.id for a in result.articles] == ["one"]
    errors = errors_by_name(result)
    assert set(errors) == {"self.txt", "gone.txt"}
    assert errors["gone.txt"] == "cannot read: No such file or directory"
    assert "symbolic links" in errors["self.txt"]


def test_crlf_and_lone_cr_text_is_kept_byte_for_byte(tmp_path: Path) -> None:
    raw = "Dam Opens — Café\r\n\r\nFirst line said so.\r\nSecond\rthird.\n".encode()
    article = ingest([write(tmp_path / "crlf.txt", raw)]).articles[0]
    assert article.text.encode("utf-8") == raw
    assert article.text.count("\r") == 4


def test_bom_is_dropped_from_the_text_but_hashed(tmp_path: Path) -> None:
    raw = "\ufeffFirst line.\r\nSecond line said so.\r\n".encode()
    article = ingest([write(tmp_path / "bom.txt", raw)]).articles[0]
    assert article.text == "First line.\r\nSecond line said so.\r\n"
    assert article.sha256 == hashlib.sha256(raw).hexdigest()


def test_metadata_is_filled_and_the_text_keeps_its_header(tmp_path: Path) -> None:
    text = "Harbour Deal Signed\nBy Mara Quill\n\nVELMORA — The port said it signed a deal.\n"
    f = write(tmp_path / "2029-06-03-harbour.txt", text)
    article = ingest([f]).articles[0]
    assert article.text == text
    assert (article.title, article.source, article.dateline) == (
        "Harbour Deal Signed",
        "Mara Quill",
        "VELMORA",
    )
    assert str(article.published) == "2029-06-03"
