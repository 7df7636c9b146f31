"""Invented articles carrying hostile text where the offline reader puts it into claims, flags,
titles and ids: terminal control sequences, and Markdown or HTML that would run or load.

Each pair of articles is two accounts of one invented event that the offline rules flag as
contradicting, so the hostile text reaches the summary table, `reconcile review` and
report.md through the real pipeline.
"""

from __future__ import annotations

from pathlib import Path

TITLE_SEQUENCE = "\x1b]0;PWNED\x07"
"""OSC 0: sets the terminal window's title."""
CLIPBOARD_SEQUENCE = "\x1b]52;c;aGVsbG8=\x07"
"""OSC 52: writes the clipboard."""
HIDE_SEQUENCE = "\x1b[8m"
"""SGR 8: hides the text after it."""
LINK_SEQUENCE = "\x1b]8;;mailto:x@evil.example\x07"
"""OSC 8: turns the text after it into a hyperlink (in a file name)."""
C1_CSI = "\x9b31m"
"""CSI in one C1 byte: red text."""
BIDI_OVERRIDE = "\u202e"
"""RIGHT-TO-LEFT OVERRIDE: reverses the text shown after it."""

TERMINAL_SEQUENCES = [
    TITLE_SEQUENCE,
    CLIPBOARD_SEQUENCE,
    HIDE_SEQUENCE,
    LINK_SEQUENCE,
    C1_CSI,
    BIDI_OVERRIDE,
]


def write_terminal_hostile(folder: Path) -> Path:
    """Two articles whose title, file name, quotes and flags hold control sequences; returns
    the path of the hostile one."""
    folder.mkdir(parents=True, exist_ok=True)
    hostile = folder / f"2031-05-02-harbor{LINK_SEQUENCE}-gazette.txt"
    hostile.write_text(
        f"Riverton bridge {TITLE_SEQUENCE}reopening date disputed\n"
        "By the Harbor Gazette\n\n"
        f"RIVERTON — The mayor {HIDE_SEQUENCE}said the bridge {TITLE_SEQUENCE} would open to "
        f"traffic on Monday. City engineers said the repairs {CLIPBOARD_SEQUENCE} were "
        f"finished {C1_CSI}last week. The council said it only covered the north "
        f"span{BIDI_OVERRIDE}.\n",
        encoding="utf-8",
    )
    (folder / "2031-05-03-valley-post.txt").write_text(
        "Bridge to stay shut, says contractor\n"
        "By the Valley Post\n\n"
        "RIVERTON — The contractor said the bridge would not open to traffic on Monday. "
        "The contractor said the repairs were not finished last week. Residents said the "
        "closure covered the south span too.\n",
        encoding="utf-8",
    )
    return hostile


SCRIPT = "<script>alert(1)</script>"
IMG_ONERROR = "<img src=x onerror=alert(2)>"
REMOTE_IMAGE = "![pixel](https://evil.example/p.png)"
AUTOLINK = "<https://evil.example/auto>"
BARE_URL = "https://evil.example/bare"
BARE_WWW = "www.evil.example"
MARKDOWN_TITLE = "Riverton <b>bridge</b> | reopening ![t](https://evil.example/t.png) disputed"


def write_markdown_hostile(folder: Path) -> None:
    """Two articles whose title and quotes hold HTML, an image, links and table pipes."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "2031-06-01-harbor-gazette.txt").write_text(
        f"{MARKDOWN_TITLE}\n"
        "By the Harbor Gazette\n\n"
        f"RIVERTON — The mayor said the bridge {SCRIPT} would open to traffic on Monday. "
        f"City engineers said the repairs {IMG_ONERROR} were *finished* | last week. "
        f"The council said it only covered the north span by {AUTOLINK}, {BARE_URL}, "
        f"{BARE_WWW} and [the map](https://evil.example/l).\n",
        encoding="utf-8",
    )
    (folder / "2031-06-02-valley-post.txt").write_text(
        "Bridge to stay shut, says contractor\n"
        "By the Valley Post\n\n"
        "RIVERTON — The contractor said the bridge would not open to traffic on Monday. "
        "The contractor said the repairs were not finished last week. Residents said the "
        "closure covered the south span too.\n",
        encoding="utf-8",
    )
