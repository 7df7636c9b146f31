"""The scoring sentence splitter: [.!?] (plus closing quotes/brackets) then whitespace, or \\n."""

from __future__ import annotations

from itertools import pairwise

from agent.evals.sentences import sentence_index, sentence_starts, sentences_of


def split(text: str) -> list[str]:
    starts = [0, *sentence_starts(text), len(text)]
    return [text[a:b] for a, b in pairwise(starts)]


def test_boundaries() -> None:
    text = "One two. Three? “Four!” Five (six.) Seven\nEight 1.5 nine.Ten"
    assert split(text) == [
        "One two.",
        " Three?",
        " “Four!”",
        " Five (six.)",
        " Seven\n",
        "Eight 1.5 nine.Ten",
    ]


def test_index_and_span_sentences() -> None:
    text = "Aa bb. Cc dd. Ee."
    starts = sentence_starts(text)
    assert [sentence_index(starts, i) for i in (0, 5, 6, 7, 13, 16)] == [0, 0, 1, 1, 2, 2]
    assert sentences_of(starts, 0, 6) == range(0, 1)  # the period is still sentence 0
    assert sentences_of(starts, 3, 10) == range(0, 2)
    assert sentences_of(starts, 8, 8) == range(1, 2)  # an empty span: its own sentence
