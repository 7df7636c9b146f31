"""Text from outside the program (articles, file names, model answers, notes), made safe to
print on a terminal.

A terminal obeys the control characters it is sent: ESC starts sequences that set the window
title, write the clipboard (OSC 52) or hide text, a C1 character does the same in one byte,
a carriage return lets later text overwrite earlier text, and the Unicode bidi overrides
reorder what is shown. Each such character is printed escaped instead (`\\x1b`, `\\u202e`,
as Python writes it), so nothing an article holds is obeyed and the reader sees it was there.
Everything else (letters of any script, emoji, no-break spaces) is left as it is.
"""

from __future__ import annotations

_UNSAFE = [
    *range(0x00, 0x20),  # C0 controls: ESC, BEL, CR, BS, ...
    *range(0x7F, 0xA0),  # DEL and the C1 controls (CSI, OSC, ... in one byte)
    *range(0xD800, 0xE000),  # lone surrogates (the escapes of a file name that is not UTF-8)
    0x2028,  # line separator
    0x2029,  # paragraph separator
    *range(0x202A, 0x202F),  # bidi embeddings and overrides (LRE RLE PDF LRO RLO)
    *range(0x2066, 0x206A),  # bidi isolates (LRI RLI FSI PDI)
]
"""Unicode's categories Cc, Cs, Zl and Zp (fixed for good by its stability policy), and the
bidi controls."""

_ONE_LINE = {code: repr(chr(code))[1:-1] for code in _UNSAFE}
_MULTILINE = {**_ONE_LINE, ord("\n"): "\n", ord("\t"): "\t"}


def printable(text: str, *, multiline: bool = False) -> str:
    """`text` with every control character escaped (ESC as `\\x1b`, a newline as `\\n`).

    With `multiline`, newlines and tabs are kept and line endings become plain newlines
    (`\\r\\n` and a lone `\\r` alike), for article text shown in its paragraphs.
    """
    if multiline:
        return text.replace("\r\n", "\n").replace("\r", "\n").translate(_MULTILINE)
    return text.translate(_ONE_LINE)
