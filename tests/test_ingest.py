"""Ingest: discovery, reading, each bad input, duplicates, ids and order independence."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from agent import ingest as ingest_module
from agent.ingest import ingest

GOOD = "Officials said the bridge would reopen on Monday after repairs.\n"


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_bytes(content.encode("utf-8"))
    return path


def errors_by_name(result: ingest_module.IngestResult) -> dict[str, str]:
    return {Path(e.path).name: e.error for e in result.errors}


def test_reads_a_good_file_with_its_hash(tmp_path: Path) -> None:
    f = write(tmp_path / "a.txt", GOOD)
    result = ingest([f])
    assert [a.id for a in result.articles] == ["a"]
    assert result.articles[0].text == GOOD
    assert len(result.articles[0].sha256) == 64
    assert result.errors == []


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b"  \n\t \n", "only whitespace"),
        ("bin.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (
            "latin1.txt",
            "Caf\u00e9 owners said prices rose.".encode("latin-1"),
            "not valid UTF-8 at byte 3",
        ),
    ],
)
def test_bad_file_gets_one_line_error_and_run_goes_on(
    tmp_path: Path, name: str, content: bytes, expected: str
) -> None:
    bad = write(tmp_path / name, content)
    good = write(tmp_path / "good.txt", GOOD)
    result = ingest([bad, good])
    assert [a.id for a in result.articles] == ["good"]
    error = errors_by_name(result)[name]
    assert expected in error
    assert "\n" not in error


def test_file_over_the_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ingest_module, "MAX_BYTES", 10)
    big = write(tmp_path / "big.txt", GOOD)
    result = ingest([big])
    assert result.articles == []
    assert "over the 10-byte limit" in errors_by_name(result)["big.txt"]


def test_missing_path_and_unsupported_type(tmp_path: Path) -> None:
    pdf = write(tmp_path / "paper.pdf", b"%PDF-1.4")
    result = ingest([tmp_path / "nope.txt", pdf])
    errors = errors_by_name(result)
    assert errors["nope.txt"] == "no such file or directory"
    assert "unsupported file type '.pdf'" in errors["paper.pdf"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read a chmod 000 file")
def test_unreadable_file(tmp_path: Path) -> None:
    f = write(tmp_path / "locked.txt", GOOD)
    f.chmod(0)
    assert "cannot read" in errors_by_name(ingest([f]))["locked.txt"]


def test_duplicates_are_reported_once(tmp_path: Path) -> None:
    a = write(tmp_path / "a.txt", GOOD)
    b = write(tmp_path / "b.txt", GOOD)
    result = ingest([b, a])
    assert [x.id for x in result.articles] == ["a"]
    assert errors_by_name(result) == {"b.txt": f"duplicate of {a}"}


def test_same_file_twice_is_read_once_silently(tmp_path: Path) -> None:
    a = write(tmp_path / "a.txt", GOOD)
    result = ingest([a, tmp_path, a])
    assert [x.id for x in result.articles] == ["a"]
    assert result.errors == []


def test_order_of_paths_does_not_change_ids_or_errors(tmp_path: Path) -> None:
    files = [
        write(tmp_path / "x" / "same.txt", GOOD),
        write(tmp_path / "y" / "same.txt", GOOD.replace("Monday", "Friday")),
        write(tmp_path / "z.txt", b""),
    ]
    one, two = ingest(files), ingest(list(reversed(files)))
    assert [a.id for a in one.articles] == [a.id for a in two.articles]
    assert one.errors == two.errors
    # Two different articles with one stem get the stem plus a hash prefix each.
    assert all(a.id.startswith("same-") and len(a.id) == len("same-") + 8 for a in one.articles)


def test_directories_recurse_and_skip_hidden_and_other_files(tmp_path: Path) -> None:
    write(tmp_path / "d" / "one.txt", GOOD)
    write(tmp_path / "d" / "sub" / "two.md", GOOD + "More.\n")
    write(tmp_path / "d" / ".hidden.txt", GOOD + "x")
    write(tmp_path / "d" / ".git" / "three.txt", GOOD + "y")
    write(tmp_path / "d" / "image.png", b"\x89PNG")
    result = ingest([tmp_path / "d"])
    assert sorted(a.id for a in result.articles) == ["one", "two"]
    assert result.errors == []


def test_symlink_loop_does_not_hang(tmp_path: Path) -> None:
    write(tmp_path / "d" / "one.txt", GOOD)
    (tmp_path / "d" / "loop").symlink_to(tmp_path / "d", target_is_directory=True)
    result = ingest([tmp_path / "d"])
    assert [a.id for a in result.articles] == ["one"]


def test_crlf_and_bom_text_is_kept_exactly(tmp_path: Path) -> None:
    raw = "\ufeffFirst line.\r\nSecond line said so.\r\n".encode()
    f = write(tmp_path / "crlf.txt", raw)
    article = ingest([f]).articles[0]
    assert article.text == "First line.\r\nSecond line said so.\r\n"
