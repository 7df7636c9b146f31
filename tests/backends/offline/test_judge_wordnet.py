"""The offline judge aligning events and things through WordNet (issue 11), on invented
sentences written for these tests (no name or phrase comes from a fixture or benchmark)."""

from __future__ import annotations

import datetime as dt

from agent.models import ContradictionType as T
from tests.backends.offline.helpers import article, contradictions

D1 = dt.date(2032, 9, 8)


def types(*articles_: object) -> list[T]:
    return [c.type for c in contradictions(*articles_)]  # type: ignore[arg-type]


def test_two_verbs_of_one_sense_tell_one_event_and_their_figures_clash() -> None:
    a = article("a", "Engineers from the Velm county office inspected 14 bridges on Monday.\n", D1)
    b = article("b", "Engineers from the Velm county office examined nine bridges on Monday.\n", D1)
    assert T.NUMBER in types(a, b)


def test_a_count_of_synonyms_is_one_count() -> None:
    a = article("a", "The hailstorm in Dorrow damaged 40 cars on Sunday, the insurer said.\n", D1)
    b = article(
        "b", "The hailstorm in Dorrow damaged 65 automobiles on Sunday, the mayor said.\n", D1
    )
    assert T.NUMBER in types(a, b)


def test_wordnet_antonyms_of_one_thing_clash() -> None:
    a = article("a", "The Kessel reservoir is full, the water board said.\n", D1)
    b = article("b", "The Kessel reservoir is empty, a local farmer said.\n", D1)
    assert T.OTHER in types(a, b)


def test_two_acts_whose_verbs_share_only_a_rare_sense_are_not_one_event() -> None:
    # "stop" shares a synset with "arrest" only in its seventh sense: stopping 40 drivers
    # at a checkpoint and arresting 12 of them are two acts, both true.
    a = article("a", "Police in Harle stopped 40 drivers at the checkpoint on Friday night.\n", D1)
    b = article("b", "Police in Harle arrested 12 drivers at the checkpoint on Friday night.\n", D1)
    assert T.NUMBER not in types(a, b)


def test_a_phrasal_verb_is_the_verb_wordnet_has() -> None:
    # The hand set "resign|step down|quit" is gone: WordNet has "step down" as "resign".
    a = article("a", "The Orrin harbour master resigned on 3 May, the port authority said.\n", D1)
    b = article("b", "The Orrin harbour master stepped down on 9 May, a union official said.\n", D1)
    assert T.DATE_TIME in types(a, b)


def test_two_common_verbs_are_no_opposites_for_the_judge() -> None:
    from agent.backends.offline import alignment
    from agent.backends.offline.judge import _opposite

    assert alignment.opposed("come", "go")  # WordNet's antonyms
    assert not _opposite("come", "go")  # each means little alone
    assert _opposite("keep", "lose")  # one of them means something
