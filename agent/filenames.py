"""File names as text that can always be printed and stored in report.json.

On POSIX a file name is bytes; Python decodes the bytes that are not UTF-8 to lone surrogates
("surrogateescape"), which no JSON encoder or terminal accepts. Shown, those bytes become
backslash escapes: b'\\xff.txt' is `\\xff.txt`.
"""

from __future__ import annotations

import os
from pathlib import Path


def shown(path: Path | str) -> str:
    """`path` with every byte that is not UTF-8 written as a backslash escape (`\\xff`)."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")
