"""Long texts of invented prose for the long-line tests and benchmark: the synthetic corpus's
paragraphs (tests/support/corpus.py, two sentences each), strung into one line or laid out
as an article lays them out."""

from __future__ import annotations

from tests.support.corpus import generate


def prose(size: int, articles: int = 200) -> list[str]:
    """Paragraphs adding up to at least `size` characters (joined by one character), cycling
    through the body paragraphs of a synthetic corpus of `articles` articles."""
    pool = [
        paragraph.strip()
        for text in generate(articles).articles.values()
        for paragraph in text.split("\n\n")[1:]
    ]
    out: list[str] = []
    total = 0
    while total < size:
        out.append(pool[len(out) % len(pool)])
        total += len(out[-1]) + 1
    return out


def one_line(size: int) -> str:
    """About `size` characters of prose in a single line (a file without line breaks)."""
    return " ".join(prose(size)) + "\n"


def paragraphs(size: int) -> str:
    """The same prose as `one_line`, one paragraph a line, as an article lays it out."""
    return "\n".join(prose(size)) + "\n"
