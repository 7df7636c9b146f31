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


# Typography a quoter changes without changing a word (issue 13): every variant is found, and
# the offsets select the article's own characters, so the stored quote is the article's.
ARTICLE = (
    "The inspector said the exits \u201chad deliberately been chained\u201d \u2014 a finding "
    "the company\u2019s lawyer called \u2018baseless\u2019\u2026 and  unfounded.\n"
    "Workers said the alarm sounded late."
)


def _found(quote: str) -> str | None:
    where = locate(quote, ARTICLE)
    return None if where is None else ARTICLE[where[0] : where[1]]


def test_double_quote_marks_retyped_as_single_ones() -> None:
    assert _found("the exits 'had deliberately been chained'") == (
        "the exits \u201chad deliberately been chained\u201d"
    )


def test_straight_double_marks_for_curly_ones_and_curly_for_straight() -> None:
    assert _found('the exits "had deliberately been chained"') == (
        "the exits \u201chad deliberately been chained\u201d"
    )
    text = 'He said "no comment" twice.'
    where = locate("said \u201cno comment\u201d twice", text)
    assert where is not None and text[where[0] : where[1]] == 'said "no comment" twice'


def test_apostrophes_and_single_marks_fold_together() -> None:
    assert _found("the company's lawyer called 'baseless'") == (
        "the company\u2019s lawyer called \u2018baseless\u2019"
    )


def test_a_hyphen_or_en_dash_for_an_em_dash() -> None:
    expected = "chained\u201d \u2014 a finding"
    assert _found('chained" - a finding') == expected
    assert _found("chained\u201d \u2013 a finding") == expected


def test_three_dots_for_an_ellipsis_character() -> None:
    assert _found("called 'baseless'... and unfounded") == (
        "called \u2018baseless\u2019\u2026 and  unfounded"
    )


def test_runs_of_whitespace_and_line_breaks() -> None:
    assert _found("and unfounded. Workers said") == "and  unfounded.\nWorkers said"


def test_a_dropped_final_full_stop_keeps_the_span_to_the_quoted_words() -> None:
    assert _found("Workers said the alarm sounded late") == "Workers said the alarm sounded late"


def test_an_added_final_full_stop_is_tolerated() -> None:
    assert _found("the exits 'had deliberately been chained'.") == (
        "the exits \u201chad deliberately been chained\u201d"
    )


def test_a_changed_word_is_still_not_found() -> None:
    assert _found("the exits 'had deliberately been locked'") is None
    assert _found("Workers said the alarm sounded early") is None


def test_every_found_span_is_an_exact_slice_of_the_article() -> None:
    for quote in ("the company's lawyer", "baseless'... and", 'said the exits "had'):
        where = locate(quote, ARTICLE)
        assert where is not None
        start, end = where
        assert 0 <= start < end <= len(ARTICLE)
