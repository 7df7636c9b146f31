"""Locating quotes in the article: exact, then normalised, mapped back to the article's words."""

from __future__ import annotations

from agent.grounding import locate

TEXT = (
    "The mayor said the bridge is \u201csafe\u201d  for now.\nThe mayor said it again \u2014 twice."
)


def test_exact_match() -> None:
    start, end = locate("the bridge is", TEXT) or (0, 0)
    assert TEXT[start:end] == "the bridge is"


def test_plain_quotes_and_single_spaces_find_the_curly_double_spaced_original() -> None:
    where = locate('the bridge is "safe" for now', TEXT)
    assert where is not None
    assert TEXT[where[0] : where[1]] == "the bridge is \u201csafe\u201d  for now"


def test_dashes_are_normalised_too() -> None:
    where = locate("said it again - twice", TEXT)
    assert where is not None and TEXT[where[0] : where[1]] == "said it again \u2014 twice"


def test_the_occurrence_nearest_the_hint_wins() -> None:
    second = TEXT.index("The mayor said it")
    assert locate("The mayor said", TEXT, near=second) == (second, second + len("The mayor said"))
    assert locate("The mayor said", TEXT) == (0, len("The mayor said"))


def test_words_not_in_the_text_are_not_found() -> None:
    assert locate("the bridge collapsed", TEXT) is None
    assert locate("   ", TEXT) is None
