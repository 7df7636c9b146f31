"""Text from articles, file names, models and notes never drives the terminal it is shown on."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from agent.terminal_text import printable
from tests.support.hostile import (
    CLIPBOARD_SEQUENCE,
    TERMINAL_SEQUENCES,
    TITLE_SEQUENCE,
    write_terminal_hostile,
)


def test_printable_escapes_every_control_character_and_keeps_the_rest() -> None:
    hostile = "a\x1b]0;PWNED\x07b\x1b[8mc\x9b31md\x7f\x00e\u202ef\u2066g\u2028h\r\x08i\udcffj"
    assert printable(hostile) == (
        "a\\x1b]0;PWNED\\x07b\\x1b[8mc\\x9b31md\\x7f\\x00e\\u202ef\\u2066g\\u2028h\\r\\x08i\\udcffj"
    )
    assert printable("two\nlines\tand a tab") == "two\\nlines\\tand a tab"
    # Letters of any script, no-break spaces and emoji sequences are not controls.
    kept = "Zürich 5\xa0km ١٢ 東京 👨\u200d👩\u200d👧 “quoted” — fine"
    assert printable(kept) == kept


def test_printable_multiline_keeps_paragraphs_and_ends_lines_plainly() -> None:
    text = "first\r\nsecond\rthird\n\tindented \x1b]52;c;eA==\x07 \u202e"
    assert printable(text, multiline=True) == (
        "first\nsecond\nthird\n\tindented \\x1b]52;c;eA==\\x07 \\u202e"
    )


def _forbidden(output: bytes) -> list[str]:
    """The article's own sequences (and any ESC, BEL or C1 byte) found in `output`."""
    text = output.decode("utf-8")
    found = [repr(seq) for seq in TERMINAL_SEQUENCES if seq in text]
    found += [
        repr(ch) for ch in sorted({c for c in text if c in "\x1b\x07" or "\x80" <= c < "\xa0"})
    ]
    return found


def test_hostile_article_and_file_name_reach_the_terminal_as_text(tmp_path: Path) -> None:
    """A run's summary table and error lines, captured from a real subprocess: the article's
    title, clipboard and hiding sequences, C1 bytes and bidi override are shown escaped, and
    nothing else writes ESC (no colour when stdout is not a terminal)."""
    folder = tmp_path / "in"
    write_terminal_hostile(folder)
    (folder / f"empty{TITLE_SEQUENCE}.txt").write_text("")  # an error line naming the file
    result = subprocess.run(
        [sys.executable, "-m", "agent", str(folder), "--out", str(tmp_path / "out")],
        capture_output=True,
        timeout=120,
        env=dict(os.environ, COLUMNS="200"),
    )
    assert result.returncode == 1, result.stderr
    assert _forbidden(result.stdout) == []
    assert _forbidden(result.stderr) == []
    stdout, stderr = result.stdout.decode(), result.stderr.decode()
    assert "Contradictions (3)" in stdout
    # The reader sees that the sequences are there.
    assert printable(CLIPBOARD_SEQUENCE) in stdout
    assert printable(TITLE_SEQUENCE) in stdout
    assert "\\u202e" in stdout
    assert f"empty{printable(TITLE_SEQUENCE)}.txt: empty file" in stderr
