"""Quotes in context, on invented text."""

from __future__ import annotations

from agent.context import excerpt

TEXT = (
    "Heading line\n"
    "First sentence here. The mayor said the bridge would open. Third sentence follows. "
    "Fourth one.\nNext paragraph."
)


def _at(quote: str) -> tuple[int, int]:
    start = TEXT.index(quote)
    return start, start + len(quote)


def test_one_sentence_each_side_within_the_paragraph() -> None:
    ex = excerpt(TEXT, *_at("the bridge would open"))
    assert ex.quote == "the bridge would open"
    assert ex.before == "First sentence here. The mayor said "
    assert ex.after == ". Third sentence follows."
    assert not ex.cut_before and not ex.cut_after


def test_context_never_crosses_into_another_line() -> None:
    ex = excerpt(TEXT, *_at("First sentence here."))
    assert ex.before == ""  # the heading above is not context
    ex = excerpt(TEXT, *_at("Fourth one."), sentences=3)
    assert "Next paragraph" not in ex.after


def test_zero_sentences_keeps_only_the_quote_sentence() -> None:
    ex = excerpt(TEXT, *_at("bridge"), sentences=0)
    assert ex.before == "The mayor said the " and ex.after == " would open."


def test_long_context_is_cut_at_a_word_boundary() -> None:
    long = "word " * 200 + "the quote here. " + "more " * 200
    start = long.index("the quote")
    ex = excerpt(long, start, start + len("the quote"))
    assert ex.cut_before and ex.cut_after
    assert ex.before.startswith("word") and ex.after.endswith("more")
    assert len(ex.before) <= 401 and len(ex.after) <= 401
