"""Stories: articles grouped by event before pairing (invented articles, tests/support/events.py,
and the synthetic corpus of tests/support/corpus.py)."""

from __future__ import annotations

from pathlib import Path

from agent.duplicates import find_copies
from agent.ingest import ingest
from agent.models import Article, Story
from agent.pipeline import run_pipeline
from agent.stories import FEW_ARTICLES, SINGLE, group_stories, story_note
from tests.support import events
from tests.support.corpus import generate


def _articles(tmp_path: Path, texts: dict[str, str]) -> list[Article]:
    return ingest([events.write(tmp_path / "in", texts)]).articles


def _groups(stories: list[Story]) -> set[frozenset[str]]:
    return {frozenset(s.article_ids) for s in stories}


def test_three_unrelated_events_are_three_stories(tmp_path: Path) -> None:
    stories = group_stories(_articles(tmp_path, events.THREE_EVENTS))
    assert _groups(stories) == {
        frozenset(events.FERRY),
        frozenset(events.STRIKE),
        frozenset(events.RECOUNT),
    }
    assert [len(s.article_ids) for s in stories] == [3, 2, 2]  # largest first


def test_one_shared_town_and_mayor_do_not_merge_two_events(tmp_path: Path) -> None:
    # The ferry fire and the library opening share the town, its mayor and two outlets (the
    # same reporter wrote both), and a round-up mentions both: still two stories.
    texts = {**events.FERRY_WITH_MAYOR, **events.LIBRARY, **events.ROUNDUP}
    groups = _groups(group_stories(_articles(tmp_path, texts)))
    assert (
        frozenset(events.LIBRARY) in groups
        or frozenset({*events.LIBRARY, *events.ROUNDUP}) in groups
    )
    assert not any(set(events.FERRY) & g and set(events.LIBRARY) & g for g in groups)


def test_one_story_puts_every_article_in_one(tmp_path: Path) -> None:
    articles = _articles(tmp_path, events.THREE_EVENTS)
    stories = group_stories(articles, one_story=True)
    assert len(stories) == 1 and stories[0].article_ids == sorted(a.id for a in articles)


def test_a_story_of_one_article_says_so(tmp_path: Path) -> None:
    texts = {**events.FERRY, **dict(list(events.RECOUNT.items())[:1])}
    stories = group_stories(_articles(tmp_path, texts))
    single = [s for s in stories if len(s.article_ids) == 1]
    assert len(single) == 1 and story_note(single[0]) == SINGLE
    assert SINGLE == "1 article: nothing to reconcile against"
    assert all(story_note(s) is None for s in stories if len(s.article_ids) > 1)


def _one_of_each() -> dict[str, str]:
    return {k: v for event in (events.FERRY, events.STRIKE, events.RECOUNT)
            for k, v in list(event.items())[:1]}  # fmt: skip


def test_a_small_folder_that_nothing_links_is_one_story(tmp_path: Path) -> None:
    # A user's few reports of one event in very different registers may share too few names
    # and words to be linked; each alone would compare nothing. Nothing links these three
    # (one article of each invented event), so they are compared as one story, and the
    # story says why.
    articles = _articles(tmp_path, _one_of_each())
    stories = group_stories(articles)
    assert len(stories) == 1 and stories[0].article_ids == sorted(a.id for a in articles)
    assert stories[0].grouped_by == "few_unlinked"
    linked = group_stories(_articles(tmp_path / "linked", events.THREE_EVENTS))
    assert {s.grouped_by for s in linked} == {"links"}
    assert group_stories(articles, one_story=True)[0].grouped_by == "one_story"


def test_a_larger_folder_that_nothing_links_stays_apart(tmp_path: Path) -> None:
    # More than FEW_ARTICLES unrelated pieces are a feed, not one event.
    folder = tmp_path / "feed"
    generate(FEW_ARTICLES + 1, story_size=(1, 1)).write(folder)
    stories = group_stories(ingest([folder]).articles)
    assert len(stories) == FEW_ARTICLES + 1
    assert {s.grouped_by for s in stories} == {"links"}
    small = tmp_path / "small"
    generate(FEW_ARTICLES, story_size=(1, 1)).write(small)
    assert len(group_stories(ingest([small]).articles)) == 1


def test_story_ids_and_titles_come_from_content_not_order(tmp_path: Path) -> None:
    articles = _articles(tmp_path, events.THREE_EVENTS)
    one = group_stories(articles)
    two = group_stories(list(reversed(articles)))
    assert [(s.id, s.title, s.article_ids) for s in one] == [
        (s.id, s.title, s.article_ids) for s in two
    ]
    assert all(s.id.startswith("st-") for s in one)
    titles = {a.title for a in articles}
    assert all(s.title in titles for s in one)


def test_copies_join_their_originals_story(tmp_path: Path) -> None:
    articles = _articles(tmp_path, events.THREE_EVENTS)
    copy = articles[0].model_copy(update={"id": "zz-copy", "sha256": "f" * 64})
    stories = group_stories([*articles, copy], copies={"zz-copy": articles[0].id})
    home = next(s for s in stories if articles[0].id in s.article_ids)
    assert "zz-copy" in home.article_ids and home.copies == {"zz-copy": articles[0].id}


def test_the_synthetic_corpus_is_grouped_by_its_stories(tmp_path: Path) -> None:
    # 100 invented articles in 20 stories (several of the same kind of incident, days apart):
    # every story found whole, none merged with another.
    folder = tmp_path / "corpus"
    generate(100).write(folder)
    stories = group_stories(ingest([folder]).articles)
    truth: dict[str, set[str]] = {}
    for path in folder.glob("*.txt"):
        truth.setdefault(path.stem.rsplit("-", 2)[1], set()).add(path.stem)
    assert _groups(stories) == {frozenset(ids) for ids in truth.values()}


def test_a_feed_of_one_story_is_one_story(tmp_path: Path) -> None:
    folder = tmp_path / "feed"
    generate(200, story_size=(200, 200)).write(folder)
    assert len(group_stories(ingest([folder]).articles)) == 1


def test_no_pair_or_dispute_crosses_two_events(tmp_path: Path) -> None:
    # The whole offline pipeline on three invented events, each with a contradiction of its
    # own (40 or 60 passengers, a strike of three days or one, 12 or 21 votes).
    report = run_pipeline([events.write(tmp_path / "in", events.THREE_EVENTS)], backend="offline")
    event_of = {aid: name for name, texts in (("ferry", events.FERRY), ("strike", events.STRIKE),
                ("recount", events.RECOUNT)) for aid in texts}  # fmt: skip
    assert len(report.stories) == 3
    assert report.contradictions
    for c in report.contradictions:
        assert len({event_of[s.article_id] for s in c.sides}) == 1, c.summary
        assert c.story_id is not None and c.dispute_id is not None
    for d in report.disputes:
        held = {event_of[s.article_id] for p in d.positions for s in p.sides}
        assert len(held) == 1, d.matter
    for article in report.articles:
        assert article.story_id in {s.id for s in report.stories}


def test_cli_one_story_flag(tmp_path: Path) -> None:
    import json
    import subprocess
    import sys

    folder = events.write(tmp_path / "in", events.THREE_EVENTS)
    for flags, expected in (([], 3), (["--one-story"], 1)):
        out = tmp_path / f"out{len(flags)}"
        command = [sys.executable, "-m", "agent", str(folder), "--out", str(out), "-q", *flags]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        data = json.loads((out / "report.json").read_text())
        assert len(data["stories"]) == expected
        assert {a["story_id"] for a in data["articles"]} == {s["id"] for s in data["stories"]}


def test_a_copy_with_an_earlier_date_does_not_split_its_story(tmp_path: Path) -> None:
    """Invented: a republication of the ferry report dated 8 days before it (a copy editor's
    date) is the earliest, so the original of its group; the other outlet's report, 9 days
    after that date but a day after the first report, is still the same story."""
    first, _ = events.FERRY
    copy = "2031-03-25-reprint-ferry-fire"
    texts = {
        **events.FERRY,
        copy: events.FERRY[first].replace("within an hour", "within the hour"),
    }
    articles = _articles(tmp_path, texts)
    copies = find_copies(articles)
    assert copies == {first: copy}
    assert _groups(group_stories(articles, copies)) == {frozenset(texts)}


def test_the_summary_says_when_articles_stand_alone_and_how_to_compare_them(
    tmp_path: Path,
) -> None:
    # A user who collected reports of one event told in very different words may see them
    # grouped apart; then nothing is compared across them, and the summary must say so.
    import io

    from rich.console import Console
    from rich.text import Text

    from agent.summary import print_summary

    def summary(one_story: bool) -> str:
        texts = {**events.FERRY, **dict(list(events.RECOUNT.items())[:1])}
        folder = events.write(tmp_path / f"in-{one_story}", texts)
        report = run_pipeline([folder], backend="offline", one_story=one_story)
        buffer = io.StringIO()
        print_summary(report, Console(file=buffer, width=200, force_terminal=True))
        return " ".join(Text.from_ansi(buffer.getvalue()).plain.split())

    assert (
        "2 stories: claims are compared only within a story; 1 of the 3 articles stands alone, "
        "compared with no other. If all the articles report one event, run again with "
        "--one-story." in summary(one_story=False)
    )
    assert "stories" not in summary(one_story=True).split("·")[0]
    assert "--one-story" not in summary(one_story=True)


def test_the_summary_says_when_a_small_unlinked_folder_is_compared_as_one(
    tmp_path: Path,
) -> None:
    import io

    from rich.console import Console
    from rich.text import Text

    from agent.summary import print_summary

    report = run_pipeline([events.write(tmp_path / "in", _one_of_each())], backend="offline")
    buffer = io.StringIO()
    print_summary(report, Console(file=buffer, width=200, force_terminal=True))
    text = " ".join(Text.from_ansi(buffer.getvalue()).plain.split())
    assert (
        "One story: no two of the 3 articles share enough names and words to be grouped by "
        "event, and a folder this small is taken to report one event, so all are compared. "
        "Reports of different events belong in separate runs." in text
    )
    assert report.stories[0].grouped_by == "few_unlinked"
