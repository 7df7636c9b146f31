"""Keys and lines from a pipe (the terminal side is exercised through a pty in test_terminal)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from agent.review.keys import ESCAPE, KeyReader


@pytest.fixture
def pipe() -> Iterator[tuple[KeyReader, int]]:
    read_fd, write_fd = os.pipe()
    yield KeyReader(read_fd), write_fd
    os.close(read_fd)


def _feed(write_fd: int, data: bytes) -> None:
    os.write(write_fd, data)
    os.close(write_fd)


def test_keys_skip_whitespace_and_end_with_none(pipe: tuple[KeyReader, int]) -> None:
    reader, write_fd = pipe
    _feed(write_fd, b"c \nr\r\ns")
    with reader:
        assert not reader.is_tty
        assert [reader.key(), reader.key(), reader.key(), reader.key()] == ["c", "r", "s", None]


def test_arrows_escape_utf8_and_ctrl_d(pipe: tuple[KeyReader, int]) -> None:
    reader, write_fd = pipe
    _feed(write_fd, "\x1b[D\x1b[Cé\x1b".encode() + b"\x04c")
    with reader:
        assert reader.key() == "left"
        assert reader.key() == "right"
        assert reader.key() == "é"
        assert reader.key() == ESCAPE
        assert reader.key() is None  # Ctrl-D ends the session like end of input


def test_line_reads_to_the_newline_and_keys_go_on_after_it(pipe: tuple[KeyReader, int]) -> None:
    reader, write_fd = pipe
    _feed(write_fd, "n a note — with ünïcode\nq".encode())
    with reader:
        assert reader.key() == "n"
        assert reader.line() == " a note — with ünïcode"
        assert reader.key() == "q"
        assert reader.line() is None
