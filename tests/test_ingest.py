"""Ingest: discovery, reading, each bad input (the README's "Bad input" table names these
tests), duplicates, ids and order independence."""

from __future__ import annotations

import codecs
import errno
import hashlib
import itertools
import os
import socket
import stat
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from agent import ingest as ingest_module
from agent.ingest import IngestResult, ingest
from agent.webpage import extract_page, extractor_version
from tests.support.pages import menu_page, news_page

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


def load_beside_a_good_file(tmp_path: Path, bad: Path) -> str:
    """Ingest `bad` with a good article; the good one loads, `bad` gets one line. Returns it."""
    good = write(tmp_path / "good-neighbour.txt", GOOD)
    result = ingest([bad, good])
    assert [a.id for a in result.articles] == ["good-neighbour"]
    assert [e.path for e in result.errors] == [str(bad)]
    error = result.errors[0].error
    assert "\n" not in error and "\r" not in error
    return error


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("empty.txt", b"", "empty file"),
        ("bom-only.txt", b"\xef\xbb\xbf", "empty file"),
        ("blank.txt", b"  \n\t \r\n", "file holds only whitespace"),
        ("nbsp.txt", "\u00a0\u2003\n".encode(), "file holds only whitespace"),
    ],
)
def test_empty_or_whitespace_only_file(
    tmp_path: Path, name: str, content: bytes, expected: str
) -> None:
    assert load_beside_a_good_file(tmp_path, write(tmp_path / name, content)) == expected


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("nul.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
        ("controls.txt", bytes(range(1, 9)) * 4 + b"some words"),
        # Every other byte NUL, like UTF-16, but the other bytes are not text.
        ("interleaved.txt", b"\x01\x00\x02\x00\x03\x00\x04\x00" * 8),
        ("zeros.txt", bytes(64)),
    ],
)
def test_binary_file(tmp_path: Path, name: str, content: bytes) -> None:
    assert load_beside_a_good_file(tmp_path, write(tmp_path / name, content)) == "binary file"


def test_a_few_stray_control_characters_are_still_text(tmp_path: Path) -> None:
    text = "Column\x0bone said\x1b so on Friday, officials reported at length.\n" * 3
    result = ingest([write(tmp_path / "a.txt", text)])
    assert [a.text for a in result.articles] == [text]


@pytest.mark.parametrize(
    ("name", "content", "offset"),
    [
        ("latin1.txt", "Café owners said prices rose.".encode("latin-1"), 3),
        ("cp1252.txt", "Officials said “no deal” today.".encode("cp1252"), 15),
        ("bom-bad.txt", b"\xef\xbb\xbfab\xff cd", 5),  # the offset counts the BOM
    ],
)
def test_latin1_or_windows1252_bytes_get_the_offset_and_advice(
    tmp_path: Path, name: str, content: bytes, offset: int
) -> None:
    error = load_beside_a_good_file(tmp_path, write(tmp_path / name, content))
    assert error == (
        f"not valid UTF-8 at byte {offset}: save it as UTF-8 (it may be Latin-1 or Windows-1252)"
    )


UTF16_TEXT = "Officials said the bridge would reopen — on Monday.\n"


@pytest.mark.parametrize(
    ("name", "content", "encoding"),
    [
        ("le-bom.txt", UTF16_TEXT.encode("utf-16"), "UTF-16"),
        ("be-bom.txt", codecs.BOM_UTF16_BE + UTF16_TEXT.encode("utf-16-be"), "UTF-16"),
        ("le-no-bom.txt", UTF16_TEXT.encode("utf-16-le"), "UTF-16"),
        ("be-no-bom.txt", UTF16_TEXT.encode("utf-16-be"), "UTF-16"),
        ("one-char.txt", "a".encode("utf-16-le"), "UTF-16"),
        ("utf32.txt", UTF16_TEXT.encode("utf-32"), "UTF-32"),
    ],
)
def test_utf16_text_is_named_not_called_binary(
    tmp_path: Path, name: str, content: bytes, encoding: str
) -> None:
    error = load_beside_a_good_file(tmp_path, write(tmp_path / name, content))
    assert error == f"{encoding} text: save it as UTF-8"


def test_file_over_the_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ingest_module, "MAX_BYTES", 10)
    big = write(tmp_path / "big.txt", "x" * 11)
    fits = write(tmp_path / "fits.txt", "y" * 10)
    result = ingest([big, fits])
    assert [a.id for a in result.articles] == ["fits"]
    assert errors_by_name(result) == {"big.txt": "file is 11 bytes, over the 10-byte limit"}


def test_default_limit_is_two_mebibytes() -> None:
    assert ingest_module.MAX_BYTES == 2 * 1024 * 1024


def test_huge_file_is_refused_by_its_size_without_reading_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A 64 MiB file (sparse where the file system allows): refused from its size, not one
    byte of it read."""
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as handle:
        handle.truncate(64 * 1024**2)
    bytes_read: list[int] = []
    real_read = os.read

    def counting_read(fd: int, n: int) -> bytes:
        data = real_read(fd, n)
        bytes_read.append(len(data))
        return data

    monkeypatch.setattr(os, "read", counting_read)
    error = load_beside_a_good_file(tmp_path, huge)
    assert error == "file is 67,108,864 bytes, over the 2,097,152-byte limit"
    assert sum(bytes_read) == len(GOOD.encode())  # only the good article was read


def test_file_that_grows_past_the_limit_while_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """fstat says small, the read finds more: at most one byte past the limit is read."""
    monkeypatch.setattr(ingest_module, "MAX_BYTES", 10)
    growing = write(tmp_path / "growing.txt", "x" * 1000)
    inode = growing.stat().st_ino
    real_fstat, real_read = os.fstat, os.read
    bytes_read: list[int] = []

    def small_fstat(fd: int) -> os.stat_result:
        info = real_fstat(fd)
        if info.st_ino != inode:
            return info
        fields = list(info[:10])
        fields[stat.ST_SIZE] = 5
        return os.stat_result(fields)

    def counting_read(fd: int, n: int) -> bytes:
        data = real_read(fd, n)
        if real_fstat(fd).st_ino == inode:
            bytes_read.append(len(data))
        return data

    monkeypatch.setattr(os, "fstat", small_fstat)
    monkeypatch.setattr(os, "read", counting_read)
    result = ingest([growing])
    assert errors_by_name(result) == {
        "growing.txt": "file grew over the 10-byte limit while being read"
    }
    assert sum(bytes_read) == 11


def test_missing_path_and_unsupported_types(tmp_path: Path) -> None:
    pdf = write(tmp_path / "paper.PDF", b"%PDF-1.4")
    bare = write(tmp_path / "README", GOOD)
    result = ingest([tmp_path / "nope.txt", pdf, bare])
    assert result.articles == []
    assert errors_by_name(result) == {
        "nope.txt": "no such file or directory",
        "paper.PDF": "unsupported file type '.PDF' (supported: .txt, .md, .html, .htm)",
        "README": "unsupported file type (no suffix) (supported: .txt, .md, .html, .htm)",
    }


def test_invalid_path_is_an_error_not_an_exception(tmp_path: Path) -> None:
    result = ingest([str(tmp_path / "a\x00b.txt")])
    assert [e.error for e in result.errors] == ["invalid path"]


@pytest.mark.parametrize("name", ["page.html", "PAGE.HTM"])
def test_html_file_named_explicitly_is_read_as_a_page(tmp_path: Path, name: str) -> None:
    page = write(tmp_path / name, news_page())
    result = ingest([page])
    assert result.errors == []
    [article] = result.articles
    assert article.id == "page" or article.id == "PAGE"
    assert article.extracted_by == extractor_version()
    assert article.text == extract_page(news_page()).text
    # The hash is the extracted text's: the copy in OUT/articles/ holds exactly that.
    assert article.sha256 == hashlib.sha256(article.text.encode()).hexdigest()
    assert (article.title, article.source) == (
        "Ferry Service Suspended After Storm",
        "The Dornick Courier",
    )


def test_html_page_without_an_article_is_one_line(tmp_path: Path) -> None:
    page = write(tmp_path / "home.html", menu_page())
    error = load_beside_a_good_file(tmp_path, page)
    assert error.startswith("no article text found in the page (only ")


def test_a_saved_page_over_the_page_limit(tmp_path: Path) -> None:
    """Pages carry markup, so their limit is 10 MiB, not the 2 MiB of a text file."""
    page = write(tmp_path / "big.html", news_page())
    os.truncate(page, ingest_module.PAGE_MAX_BYTES + 1)
    assert load_beside_a_good_file(tmp_path, page) == (
        f"file is {ingest_module.PAGE_MAX_BYTES + 1:,} bytes, over the 10,485,760-byte limit"
    )
    fits = write(tmp_path / "fits.html", news_page() + " " * (3 * 1024 * 1024))
    assert [a.id for a in ingest([fits]).articles] == ["fits"]


def test_the_same_page_saved_twice_is_a_duplicate(tmp_path: Path) -> None:
    """Two pages whose article is the same text (another wrapper, other ads) are one."""
    write(tmp_path / "a.html", news_page())
    write(
        tmp_path / "b.htm", news_page(site="The Dornick Courier (mobile)").replace("Sport", "Arts")
    )
    result = ingest([tmp_path])
    assert [a.id for a in result.articles] == ["a"]
    assert errors_by_name(result) == {"b.htm": f"duplicate of {tmp_path / 'a.html'}"}


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("doctype.txt", "<!DOCTYPE html>\n<html><body><p>Officials said so.</p></body></html>\n"),
        ("lower.md", "<!doctype html>\n<title>Report</title>\n"),
        ("public.txt", '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01//EN">\n<HTML>\n'),
        ("html-tag.txt", '<html lang="en">\n<head></head><body>Officials said.</body></html>'),
        ("bom-blank.txt", "\ufeff\n\n   \t<HTML>\n<BODY>Officials said so.</BODY>\n"),
    ],
)
def test_txt_holding_an_html_page(tmp_path: Path, name: str, content: str) -> None:
    error = load_beside_a_good_file(tmp_path, write(tmp_path / name, content))
    assert error == (
        "looks like an HTML page, not article text: name it .html to have its article extracted"
    )


@pytest.mark.parametrize(
    "text",
    [
        "The minister said <b>no</b> deal was reached.<br>\nTalks resume on Monday.\n",
        "<b>Breaking:</b> officials said the <html> tag was <i>not</i> the issue.\n",
        "<p>Officials said the bridge would reopen on Monday.</p>\n",
        "<htmlish> is not a tag anyone uses, the council said.\n",
    ],
)
def test_prose_with_inline_tags_is_read_as_text(tmp_path: Path, text: str) -> None:
    result = ingest([write(tmp_path / "tags.txt", text)])
    assert [a.text for a in result.articles] == [text]
    assert result.errors == []


def test_html_in_a_directory_is_read_but_not_a_saved_pages_resources(tmp_path: Path) -> None:
    d = tmp_path / "d"
    write(d / "story.txt", GOOD)
    write(d / "saved-page.html", news_page())
    write(d / "sub" / "other.HTM", news_page(title="Pier Reopens", paragraphs=(OTHER * 3,)))
    # A browser's "Save Page As, complete" folder holds the page's frames and scripts.
    write(d / "saved-page_files" / "ad-frame.html", news_page(title="Buy Now"))
    write(d / "saved-page_files" / "notes.txt", OTHER)
    result = ingest([d])
    assert [a.id for a in result.articles] == ["other", "saved-page", "story"]
    assert result.errors == []


def test_another_runs_output_folder_is_not_read_as_input(tmp_path: Path) -> None:
    """Its report.html, report.md and article copies are reconcile's writing, not articles."""
    d = tmp_path / "d"
    write(d / "story.txt", GOOD)
    old = d / "old-out"
    write(old / ".reconcile-manifest.json", "{}")
    write(old / "report.html", news_page(title="Reconciliation report"))
    write(old / "report.md", "# Reconciliation report\n\nThe council said so, twice.\n")
    write(old / "articles" / "story.txt", GOOD)
    result = ingest([d])
    assert [a.id for a in result.articles] == ["story"] and result.errors == []


# --- front matter and sidecars (ARTICLE.meta.yaml) -----------------------------------------

HEADED = (
    "THE DORNICK COURIER\nFerry Service Suspended After Storm\nBy Ana Lind\n\n"
    "The harbour authority said on Monday that the ferry would not sail until repairs.\n"
)


def test_front_matter_overrides_the_header_and_offsets_skip_it(tmp_path: Path) -> None:
    front = (
        "---\ntitle: Pier Closed\nsource: Dornick Community Radio\npublished: 2020-10-13\n"
        "layout: post\ntags: [ferry]\n---\n"
    )
    path = write(tmp_path / "ferry.md", front + HEADED)
    [article] = ingest([path]).articles
    assert article.text == HEADED  # the body: offsets and the copy leave the YAML out
    assert article.sha256 == hashlib.sha256(HEADED.encode()).hexdigest()
    assert (article.title, article.source) == ("Pier Closed", "Dornick Community Radio")
    assert str(article.published) == "2020-10-13"
    assert article.author == "Ana Lind"  # not in the front matter: read from the header


def test_a_sidecar_overrides_everything(tmp_path: Path) -> None:
    write(tmp_path / "ferry.txt", "---\ntitle: From Front Matter\nauthor: Jon Vale\n---\n" + HEADED)
    write(
        tmp_path / "ferry.meta.yaml",
        "title: From The Sidecar\nsource: Dornick Community Radio newsroom\n"
        "published: 2020-10-13\ndateline: DORNICK\nurl: https://radio.example/ferry\n",
    )
    write(tmp_path / "page.html", news_page())
    write(tmp_path / "page.meta.yml", "author: Mara Quill\npublished: 2020-10-14\n")
    by_id = {a.id: a for a in ingest([tmp_path]).articles}
    ferry, page = by_id["ferry"], by_id["page"]
    assert ferry.title == "From The Sidecar"
    assert ferry.source == "Dornick Community Radio newsroom"
    assert ferry.author == "Jon Vale"  # the front matter's, which the sidecar leaves alone
    assert (str(ferry.published), ferry.dateline) == ("2020-10-13", "DORNICK")
    assert ferry.url == "https://radio.example/ferry"
    # Over a page's own markup too.
    assert (page.author, str(page.published)) == ("Mara Quill", "2020-10-14")
    assert page.title == "Ferry Service Suspended After Storm"


@pytest.mark.parametrize(
    ("sidecar", "problem"),
    [
        (
            "titel: Pier Closed\n",
            "unknown field 'titel' (fields: title, source, author, published, dateline, url)",
        ),
        (
            "title: [unclosed\n",
            "line 2: not valid YAML (expected ',' or ']', but got '<stream end>')",
        ),
        (
            "published: next Tuesday\n",
            "published: 'next Tuesday' is not a date (write it as YYYY-MM-DD)",
        ),
        ("- just\n- a list\n", "holds a list, not 'key: value' lines"),
        ("title: {a: 1}\n", "title: expected text, got dict"),
    ],
)
def test_a_bad_sidecar_is_one_line_naming_it(tmp_path: Path, sidecar: str, problem: str) -> None:
    write(tmp_path / "ferry.meta.yaml", sidecar)
    error = load_beside_a_good_file(tmp_path, write(tmp_path / "ferry.txt", HEADED))
    assert (
        error == f"{tmp_path / 'ferry.meta.yaml'}: {problem}; the article is read once it is fixed"
    )


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("---\ntitle: [unclosed\n---\n" + GOOD, "front matter: line 3: not valid YAML"),
        ("---\ntitle: Pier Closed\n---\n\n", "no article text after the front matter"),
    ],
)
def test_bad_front_matter_is_one_line(tmp_path: Path, text: str, problem: str) -> None:
    error = load_beside_a_good_file(tmp_path, write(tmp_path / "ferry.md", text))
    assert error.startswith(problem)


@pytest.mark.parametrize(
    "text",
    [
        "---\nThe minister said the talks had failed.\n---\n" + GOOD,  # rules around prose
        "---\n" + GOOD,  # a lone rule
        "Intro\n---\ntitle: x\n---\n" + GOOD,  # not at the top
    ],
)
def test_rules_that_are_not_front_matter_leave_the_text_whole(tmp_path: Path, text: str) -> None:
    [article] = ingest([write(tmp_path / "a.md", text)]).articles
    assert article.text == text


def test_unreadable_file(tmp_path: Path) -> None:
    """A real chmod 000 file; skipped as root, which reads it anyway (see the next test)."""
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
    """A simulated EACCES: `os.open`, the call ingest opens files with, fails for one path
    with PermissionError, as it does for a non-root user on a chmod 000 file. Runs as root."""
    locked = write(tmp_path / "locked.txt", GOOD)
    ok = write(tmp_path / "d" / "ok.txt", OTHER)
    also_ok = write(tmp_path / "d" / "also-ok.md", GOOD + "More.\n")
    real_open = os.open

    def fake_open(path: str | os.PathLike[str], flags: int, *args: int) -> int:
        if Path(path).name == "locked.txt":
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "open", fake_open)
    result = ingest([locked, tmp_path / "d"])
    assert [a.path for a in result.articles] == [str(also_ok), str(ok)]
    assert errors_by_name(result) == {"locked.txt": "cannot read: Permission denied"}


def test_unreadable_directory_is_reported(tmp_path: Path) -> None:
    """A real chmod 000 directory; skipped as root (see the next test)."""
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


def test_unreadable_directory_even_as_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A simulated EACCES: `os.scandir`, which the directory walk lists folders with, fails
    with PermissionError for one folder. Runs as root."""
    write(tmp_path / "d" / "ok.txt", GOOD)
    locked = tmp_path / "d" / "locked"
    write(locked / "x.txt", OTHER)
    real_scandir = os.scandir

    def fake_scandir(path: str | os.PathLike[str]) -> Iterator[os.DirEntry[str]]:
        if Path(path) == locked:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", fake_scandir)
    result = ingest([tmp_path / "d"])
    assert [a.id for a in result.articles] == ["ok"]
    assert errors_by_name(result) == {"locked": "cannot read directory: Permission denied"}


def make_socket(path: Path, monkeypatch: pytest.MonkeyPatch) -> socket.socket:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    # Bound by a relative name: an absolute temp path can exceed the ~100-byte limit of
    # socket paths.
    monkeypatch.chdir(path.parent)
    sock.bind(path.name)
    return sock


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_fifo_device_or_socket_named_explicitly_is_an_error_not_a_hang(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    os.mkfifo(tmp_path / "pipe.txt")
    os.mkfifo(tmp_path / "pipe")  # no suffix: its type is the problem, not its name
    (tmp_path / "device.txt").symlink_to(os.devnull)
    with make_socket(tmp_path / "sock.txt", monkeypatch):
        names = ["pipe.txt", "pipe", "device.txt", "sock.txt", "ok.txt"]
        paths = [tmp_path / name for name in names] + [Path(os.devnull)]
        write(tmp_path / "ok.txt", GOOD)
        result = _run_with_timeout(lambda: ingest(paths))
    assert [a.id for a in result.articles] == ["ok"]
    assert errors_by_name(result) == {
        "pipe.txt": "a FIFO (named pipe), not a regular file",
        "pipe": "a FIFO (named pipe), not a regular file",
        "device.txt": "a character device, not a regular file",
        "null": "a character device, not a regular file",
        "sock.txt": "a socket, not a regular file",
    }


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_fifo_device_or_socket_inside_a_directory_is_an_error_not_a_hang(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    d = tmp_path / "d"
    write(d / "ok.txt", GOOD)
    os.mkfifo(d / "pipe.md")
    (d / "device.txt").symlink_to(os.devnull)
    with make_socket(d / "sock.txt", monkeypatch):
        result = _run_with_timeout(lambda: ingest([d]))
    assert [a.id for a in result.articles] == ["ok"]
    assert errors_by_name(result) == {
        "pipe.md": "a FIFO (named pipe), not a regular file",
        "device.txt": "a character device, not a regular file",
        "sock.txt": "a socket, not a regular file",
    }


def _remove(path: Path) -> None:
    path.unlink()


def _to_directory(path: Path) -> None:
    path.unlink()
    path.mkdir()


def _to_fifo(path: Path) -> None:
    path.unlink()
    os.mkfifo(path)


def _to_binary(path: Path) -> None:
    path.write_bytes(b"\x00\x01\x02")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
@pytest.mark.parametrize("moment", ["after discovery", "between the type check and open"])
@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (_remove, "disappeared before it could be read"),
        (_to_directory, "a directory, not a regular file"),
        (_to_fifo, "a FIFO (named pipe), not a regular file"),
        (_to_binary, "binary file"),
    ],
)
def test_file_that_changes_or_disappears_before_it_is_read(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    moment: str,
    change: Callable[[Path], None],
    expected: str,
) -> None:
    """The file is changed at the worst moments: after the folder was listed, and after
    ingest checked it is a regular file but before it opens it (a FIFO then must not block)."""
    d = tmp_path / "d"
    write(d / "ok.txt", GOOD)
    victim = write(d / "victim.txt", OTHER)
    if moment == "after discovery":
        real_read = ingest_module._read

        def racing_read(path: Path, limit: int) -> object:
            if path == victim:
                change(path)
            return real_read(path, limit)

        monkeypatch.setattr(ingest_module, "_read", racing_read)
    else:
        real_open = os.open

        def racing_open(path: str | os.PathLike[str], flags: int, *args: int) -> int:
            if Path(path) == victim:
                change(victim)
            return real_open(path, flags, *args)

        monkeypatch.setattr(os, "open", racing_open)
    result = _run_with_timeout(lambda: ingest([d]))
    assert [a.id for a in result.articles] == ["ok"]
    assert errors_by_name(result) == {"victim.txt": expected}


def _open_descriptors() -> int:
    for folder in ("/proc/self/fd", "/dev/fd"):
        if os.path.isdir(folder):
            return len(os.listdir(folder))
    pytest.skip("cannot count open file descriptors here")


def test_a_folder_of_five_thousand_files(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    """4,000 tiny articles in nested folders among 1,000 other files, with so few file
    descriptors allowed that ingest fails if it keeps more than a handful open at once."""
    resource = pytest.importorskip("resource")
    top = tmp_path / "many"
    folders = [
        top / f"r{i}" / f"d{j}" / f"e{k}" for i in range(7) for j in range(5) for k in range(3)
    ]
    for folder in [*folders, *(top / f"r{i}" / ".cache" for i in range(7))]:
        folder.mkdir(parents=True)
    expected: dict[str, str] = {}  # id -> path
    for i in range(4000):
        suffix = (".txt", ".md", ".TXT", ".txt")[i % 4]
        path = write(folders[i % len(folders)] / f"a{i:04d}{suffix}", f"Report {i} said so.\n")
        expected[f"a{i:04d}"] = str(path)
    others = ("{}.rtf", "{}.pdf", ".{}.txt", "{}.txt.bak", "{}", "{}.json", "{}.docx")
    for i in range(1000):  # another type, a hidden file, or a .txt inside a hidden folder
        name = others[i % len(others)].format(f"b{i:04d}")
        folder = folders[i % len(folders)]
        if i % 10 == 0:
            folder, name = top / f"r{i % 7}" / ".cache", f"b{i:04d}.txt"
        write(folder / name, f"Other {i}.\n")
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (_open_descriptors() + 8, hard))
    try:
        first = ingest([top])
        second = ingest(sorted(top.iterdir(), reverse=True))
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
    assert first.errors == []
    assert [(a.id, a.path) for a in first.articles] == sorted(expected.items())
    assert second == first
    assert capfd.readouterr() == ("", "")


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
    assert errors["gone.txt"] == "no such file or directory (broken symbolic link)"
    assert "symbolic links" in errors["self.txt"]


def test_symlink_to_a_file_is_read(tmp_path: Path) -> None:
    """Named explicitly or inside a named folder, the link is followed; the article is shown
    under the link's path and named after it."""
    target = write(tmp_path / "elsewhere" / "original.txt", GOOD)
    link = tmp_path / "alias.txt"
    link.symlink_to(target)
    other = write(tmp_path / "elsewhere" / "other.dat", OTHER)
    (tmp_path / "d").mkdir()
    inner = tmp_path / "d" / "inner.md"
    inner.symlink_to(other)
    result = ingest([link, tmp_path / "d"])
    assert result.errors == []
    assert [(a.id, a.path, a.text) for a in result.articles] == [
        ("alias", str(link), GOOD),
        ("inner", str(inner), OTHER),
    ]


def test_dangling_symlink_named_explicitly(tmp_path: Path) -> None:
    link = tmp_path / "gone.txt"
    link.symlink_to(tmp_path / "nowhere.txt")
    error = load_beside_a_good_file(tmp_path, link)
    assert error == "no such file or directory (broken symbolic link)"


def test_folders_nested_deeper_than_the_recursion_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """1,200 levels (Python's recursion limit is 1,000; os.walk recursed on 3.11). The test
    builds and removes the tree one level at a time, from inside it: pathlib's
    mkdir(parents=True) and shutil.rmtree (which pytest cleans its temp folders with) recurse
    too, and a tree left behind would break pytest's cleanup in later sessions."""
    depth = 1200
    top = tmp_path / "top"
    top.mkdir()
    write(top / "first.txt", OTHER)
    monkeypatch.chdir(top)
    for _ in range(depth):
        os.mkdir("d")
        os.chdir("d")
    write(Path("bottom.txt"), GOOD)
    try:
        result = ingest([top])
        assert result.errors == []
        assert [a.id for a in result.articles] == ["bottom", "first"]
    finally:
        os.chdir(top / ("d/" * depth))
        os.unlink("bottom.txt")
        for _ in range(depth):
            os.chdir("..")
            os.rmdir("d")


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


def test_the_output_folder_is_not_walked(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", GOOD)
    write(tmp_path / "out" / "report.md", "# Reconciliation report\n\nA report, not an article.\n")
    write(tmp_path / "out" / "articles" / "a.txt", GOOD)
    read = ingest([tmp_path], skip_dirs=[tmp_path / "out"])
    assert [a.id for a in read.articles] == ["a"] and read.errors == []
    # Reached through another spelling (a symlink to the input folder), it is still skipped.
    (tmp_path.parent / f"{tmp_path.name}-link").symlink_to(tmp_path)
    linked = ingest([tmp_path.parent / f"{tmp_path.name}-link"], skip_dirs=[tmp_path / "out"])
    assert [a.id for a in linked.articles] == ["a"] and linked.errors == []


def test_file_names_that_are_not_utf8_are_shown_escaped(tmp_path: Path) -> None:
    folder = os.fsencode(tmp_path)
    write(Path(os.fsdecode(folder + b"/\xff.txt")), GOOD)
    write(Path(os.fsdecode(folder + b"/caf\xe9.txt")), OTHER)  # Latin-1, not UTF-8
    write(Path(os.fsdecode(folder + b"/\xfe.txt")), "")
    result = ingest([tmp_path])
    assert [(a.id, a.path) for a in result.articles] == [
        ("\\xff", f"{tmp_path}/\\xff.txt"),
        ("caf\\xe9", f"{tmp_path}/caf\\xe9.txt"),
    ]
    assert [(e.path, e.error) for e in result.errors] == [(f"{tmp_path}/\\xfe.txt", "empty file")]
    result.model_dump_json()  # serialises: no lone surrogate is left in any name


def test_a_folder_of_plain_articles_imports_neither_yaml_nor_asyncio(tmp_path: Path) -> None:
    """YAML is read only for a sidecar or front matter, asyncio only to fetch a URL: a run of
    plain local files pays for neither import (about 50 and 35 ms of every start)."""
    import subprocess
    import sys

    (tmp_path / "a.txt").write_text("Officials said on Monday that the bridge was closed.\n")
    probe = (
        "import sys; from pathlib import Path; from agent.ingest import ingest; "
        f"result = ingest([Path({str(tmp_path)!r})]); assert len(result.articles) == 1; "
        "print(sorted(m for m in ('yaml', 'asyncio') if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=True
    )
    assert done.stdout.strip() == "[]", done.stdout + done.stderr
