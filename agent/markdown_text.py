"""Text from outside the program (articles, file names, model answers, notes), made inert in
Markdown, so that report.md shows it as the words it is in any CommonMark or GitHub renderer.

Left raw, such text could open HTML (`<script>`, `<img onerror=...>`), load a remote image
(`![x](https://...)`), make links and autolinks, emphasis or code, end a table cell (`|`), and
at the start of a line make a heading, a list, a quote or a code block. So each value:

- is kept on one line, its whitespace collapsed (a newline would end a table row or a list
  item, and indentation makes a code block);
- has its control characters shown escaped, as on the terminal (`cat report.md`);
- has `&`, `<` and `>` written as HTML entities, so it can open no tag and name no entity;
- has Markdown's inline metacharacters backslash-escaped (backslash, backtick, `*`, `_`, `{`,
  `}`, `[`, `]`, `|`, `~`, `#`), so it can make no link, image, emphasis, code or cell;
- has a leading list, rule or heading marker escaped (`-`, `+`, `=`, `1. `, `1) `);
- has its bare URLs broken for GitHub's autolinks (`https\\://`, `www\\.`); a bare e-mail
  address still becomes a `mailto:` link there (it loads nothing).

A renderer shows every escape as the character it escapes: the visible text is unchanged.
"""

from __future__ import annotations

import re

from agent.terminal_text import printable

_SPECIAL = re.compile(r"[&<>\\`*_{}\[\]|~#]")
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_AUTOLINK = re.compile(r":(?=//)|(?<![A-Za-z0-9])(www)\.", re.IGNORECASE)
_LEADING_MARKER = re.compile(r"^(?:([-+=])|(\d+)([.)])(?=\s|$))")


def _special(match: re.Match[str]) -> str:
    char = match.group()
    return _ENTITIES.get(char, "\\" + char)


def _autolink(match: re.Match[str]) -> str:
    return "\\:" if match.group(1) is None else match.group(1) + "\\."


def _leading(match: re.Match[str]) -> str:
    if match.group(1):
        return "\\" + match.group(1)
    return match.group(2) + "\\" + match.group(3)


def escape_markdown(value: object) -> str:
    """`value` as text that Markdown renders as exactly its words, on one line; None is ""."""
    if value is None:
        return ""
    text = printable(" ".join(str(value).split()))
    text = _SPECIAL.sub(_special, text)
    text = _AUTOLINK.sub(_autolink, text)
    return _LEADING_MARKER.sub(_leading, text, count=1)
