"""A short window of a long quote, centred on the words that carry the conflict.

A terminal line cannot hold a whole quote, and cutting it at its end loses what matters: the
figure, the date, the "not" or the "only" the judge read, which often come last ("Dr X,
medical director at Y, said 14 people ..."). The window is the run of words, within the
length allowed, with the most weight: words the judge named (its cues, the claim's quantities
and time), numbers, dates, negation, scope and compliance words, and, a little, the content
words the other side does not use. Ties go to the window centred nearest those words.

The vocabulary is general English: no name, place or phrase of any article or fixture.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

ELLIPSIS = "…"


def _vocabulary(words: str) -> frozenset[str]:
    return frozenset(words.split())


_WORD = re.compile(r"\w+(?:[’'.,:/-]\w+)*", re.UNICODE)

_NUMBER_WORDS = _vocabulary(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy "
    "eighty ninety hundred hundreds thousand thousands million millions billion billions "
    "dozen dozens half quarter third twice double triple percent"
)
_DATE_WORDS = _vocabulary(
    "monday tuesday wednesday thursday friday saturday sunday january february march april "
    "june july august september october november december jan feb mar apr jun jul aug sep "
    "sept oct nov dec today yesterday tomorrow tonight midnight noon"
)
_TIME_WORDS = _vocabulary(
    "morning afternoon evening night dawn week weekend month year hour hours minute minutes "
    "day days earlier later before after since until"
)
_NEGATION = _vocabulary(
    "not no never nothing none nobody neither nor without cannot deny denies denied denying "
    "denial false untrue wrong reject rejects rejected rejecting dismiss dismissed dismisses "
    "refuse refused refuses contrary odds contradict contradicts contradicted dispute disputed "
    "disputes incorrect misleading lie lies lied"
)
_SCOPE = _vocabulary(
    "only just solely exclusively merely limited also too including included includes "
    "even all every entire whole both partial partly any other others"
)
_COMPLIANCE = _vocabulary(
    "adhere adhered adheres comply complied complies violate violated violates violation "
    "violations break broke broken breaking breach breached kept keep keeping uphold upheld "
    "honour honoured honor honored ignore ignored respect respected abide abided"
)
_STOP = _vocabulary(
    "the a an and or but of to in on at by for with from as is was were be been are it its "
    "this that these those he she they we you i his her their our them him said says say "
    "told had has have would will could should than then there here which who whom what "
    "when where while into over about after also"
)

_ANCHOR_WEIGHT = 6.0
_CUE_WEIGHTS = (
    (_NEGATION, 4.0),
    (_COMPLIANCE, 4.0),
    (_SCOPE, 3.0),
    (_NUMBER_WORDS, 4.0),
    (_DATE_WORDS, 3.0),
    (_TIME_WORDS, 1.5),
)
_DIFFERENT_WEIGHT = 1.0
_MARKED = 3.0
"""Words weighing this much are highlighted; lighter ones only steer the window."""
_QUOTED = re.compile(r"'([^']+)'|\"([^\"]+)\"|“([^”]+)”")


@dataclass(frozen=True)
class Window:
    """The words shown of a quote and where the conflict words are in them."""

    text: str
    """The quote's words within the limit, whitespace collapsed, "…" where it was cut."""
    marks: tuple[tuple[int, int], ...]
    """(start, end) offsets in `text` of the words that carry the conflict."""


def quoted_phrases(cues: Iterable[str]) -> list[str]:
    """The phrases a judge's cue quotes ("'14 people' against '12'" gives 14 people, 12)."""
    return [next(g for g in m.groups() if g) for cue in cues for m in _QUOTED.finditer(cue)]


def _words(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group().lower()) for m in _WORD.finditer(text)]


def _weights(
    words: Sequence[tuple[int, int, str]], text: str, other: str, anchors: Sequence[str]
) -> list[float]:
    weights = [0.0] * len(words)
    other_words = {w for _, _, w in _words(other)}
    lowered = text.lower()
    for anchor in anchors:
        anchor = " ".join(anchor.lower().split())
        if not anchor:
            continue
        at = lowered.find(anchor)
        while at != -1:
            for i, (start, end, _) in enumerate(words):
                if start < at + len(anchor) and end > at:
                    weights[i] = max(weights[i], _ANCHOR_WEIGHT)
            at = lowered.find(anchor, at + 1)
    for i, (_, _, word) in enumerate(words):
        bare = word.split("’")[0].split("'")[0]
        if any(ch.isdigit() for ch in word):
            weights[i] = max(weights[i], 4.0)
        if word.endswith(("n't", "n’t")):
            weights[i] = max(weights[i], 4.0)
        for vocabulary, weight in _CUE_WEIGHTS:
            if word in vocabulary or bare in vocabulary:
                weights[i] = max(weights[i], weight)
        different = other and word not in other_words and word not in _STOP and len(word) > 3
        if weights[i] == 0 and different:
            weights[i] = _DIFFERENT_WEIGHT
    return weights


def _marks(words: Sequence[tuple[int, int, str]], weights: Sequence[float]) -> list[int]:
    return [i for i, w in enumerate(weights) if w >= _MARKED]


def quote_window(quote: str, limit: int, other: str = "", anchors: Sequence[str] = ()) -> Window:
    """The run of `quote`'s words that fits in `limit` characters (ellipses included) with
    the most conflict weight. `other` is the other side's quote (words only this side uses
    weigh a little); `anchors` are phrases the judge used (its cues' quoted words, the
    claim's quantities and time), weighed most."""
    text = " ".join(quote.split())
    words = _words(text)
    weights = _weights(words, text, " ".join(other.split()), anchors)
    marked = _marks(words, weights)
    if len(text) <= limit or not words:
        return Window(text, tuple((words[i][0], words[i][1]) for i in marked))
    room = max(limit - 2 * len(ELLIPSIS), 1)
    weighted = [i for i, w in enumerate(weights) if w > 0]
    centre = (
        sum(weights[i] * (words[i][0] + words[i][1]) / 2 for i in weighted)
        / sum(weights[i] for i in weighted)
        if weighted
        else 0.0
    )
    best: tuple[float, float, int, int] | None = None
    for first in range(len(words)):
        score = 0.0
        for last in range(first, len(words)):
            if words[last][1] - words[first][0] > room:
                break
            score += weights[last]
            # More weight first, then a window centred nearest the weighted words, then the
            # earliest (the claimant and the verb usually come first).
            middle = (words[first][0] + words[last][1]) / 2
            key = (score, -abs(middle - centre), -first, last)
            if best is None or key > best:
                best = key
    if best is None:  # a single word longer than the limit
        return Window(text[: max(limit - 1, 1)] + ELLIPSIS, ())
    first, last = -best[2], best[3]
    # Fill the room left with context on both sides, a word at a time each way.
    grown = True
    while grown:
        grown = False
        if last + 1 < len(words) and words[last + 1][1] - words[first][0] <= room:
            last, grown = last + 1, True
        if first > 0 and words[last][1] - words[first - 1][0] <= room:
            first, grown = first - 1, True
    start, end = words[first][0], words[last][1]
    if first == 0:
        start = 0
    if last == len(words) - 1:
        end = len(text)
    lead = ELLIPSIS if start > 0 else ""
    tail = ELLIPSIS if end < len(text) else ""
    shown = lead + text[start:end] + tail
    shift = len(lead) - start
    marks = tuple((words[i][0] + shift, words[i][1] + shift) for i in marked if first <= i <= last)
    return Window(shown, marks)
