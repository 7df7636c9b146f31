"""Single keys and lines of text from a terminal or a pipe.

On a terminal, keys are read in cbreak mode (each key at once, no Enter; Ctrl-C still
interrupts) and the terminal is always restored. From a pipe, the same bytes are read one at
a time, so `printf 'ccr' | reconcile review` scripts a session.
"""

from __future__ import annotations

import os
import select
import termios
import tty
from types import TracebackType
from typing import Any

ESCAPE = "esc"
_ARROWS = {"[D": "left", "[C": "right", "[A": "up", "[B": "down"}
_EOF_KEYS = {"\x04"}  # Ctrl-D: cbreak mode delivers it as a byte, not as end of file


class KeyReader:
    """Reads keys and lines from a file descriptor (standard input by default)."""

    def __init__(self, fd: int = 0) -> None:
        self.fd = fd
        self.is_tty = os.isatty(fd)
        self._saved: list[Any] | None = None

    def __enter__(self) -> KeyReader:
        if self.is_tty:
            self._saved = termios.tcgetattr(self.fd)
            tty.setcbreak(self.fd)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._restore()

    def key(self) -> str | None:
        """The next key, skipping whitespace; None at end of input.

        Arrow keys come back as "left", "right", "up", "down"; a lone Escape as "esc".
        """
        while True:
            char = self._char()
            if char is None or char in _EOF_KEYS:
                return None
            if char == "\x1b":
                return self._escape_sequence()
            if not char.isspace():
                return char

    def line(self) -> str | None:
        """A line of text (without its newline); None at end of input.

        On a terminal the normal line discipline is restored while typing, so the text is
        echoed and can be edited with Backspace.
        """
        if self.is_tty and self._saved is not None:
            termios.tcsetattr(self.fd, termios.TCSADRAIN, self._saved)
        try:
            data = bytearray()
            while True:
                byte = os.read(self.fd, 1)
                if not byte:
                    return data.decode("utf-8", "replace") if data else None
                if byte in (b"\n", b"\r"):
                    return data.decode("utf-8", "replace")
                data += byte
        finally:
            if self.is_tty and self._saved is not None:
                tty.setcbreak(self.fd)

    def _char(self) -> str | None:
        first = os.read(self.fd, 1)
        if not first:
            return None
        # A UTF-8 character spans as many bytes as its lead byte's high bits say.
        extra = 3 if first[0] >= 0xF0 else 2 if first[0] >= 0xE0 else 1 if first[0] >= 0xC0 else 0
        data = first + (os.read(self.fd, extra) if extra else b"")
        return data.decode("utf-8", "replace")

    def _escape_sequence(self) -> str:
        # An arrow key sends ESC [ X at once; a lone Escape sends nothing after it.
        if not self._ready():
            return ESCAPE
        seq = os.read(self.fd, 2).decode("ascii", "replace")
        return _ARROWS.get(seq, ESCAPE)

    def _ready(self) -> bool:
        readable, _, _ = select.select([self.fd], [], [], 0.05)
        return bool(readable)

    def _restore(self) -> None:
        if self._saved is not None:
            termios.tcsetattr(self.fd, termios.TCSADRAIN, self._saved)
            self._saved = None
