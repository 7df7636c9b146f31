"""The synthetic corpus: deterministic, the size asked for, planted sides where it says."""

from __future__ import annotations

import json
from pathlib import Path

from tests.support.corpus import generate


def test_same_seed_same_corpus_and_exact_size() -> None:
    first, again = generate(40), generate(40)
    assert first.articles == again.articles and first.planted == again.planted
    assert len(first.articles) == 40
    assert generate(40, seed=1).articles != first.articles


def test_planted_sides_are_whole_sentences_in_different_articles() -> None:
    corpus = generate(60)
    assert corpus.planted
    for p in corpus.planted:
        assert p.a[0] != p.b[0]
        for article, start, end in (p.a, p.b, *p.a_repeats):
            sentence = corpus.articles[article][start:end]
            assert sentence.endswith(".") and sentence[0].isupper()
        first_a = corpus.articles[p.a[0]][p.a[1] : p.a[2]]
        assert all(corpus.articles[r[0]][r[1] : r[2]] == first_a for r in p.a_repeats)


def test_one_story_feed_and_written_files(tmp_path: Path) -> None:
    corpus = generate(30, story_size=(30, 30))
    assert len({aid.split("-")[4] for aid in corpus.articles}) == 1  # the story's id
    corpus.write(tmp_path)
    assert len(list(tmp_path.glob("*.txt"))) == 30
    assert len(json.loads((tmp_path / "planted.json").read_text())) == len(corpus.planted)
