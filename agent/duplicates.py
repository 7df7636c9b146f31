"""Near-duplicate articles (syndicated wire copy, light edits) and the folding of the claims
they repeat.

Each article's word 5-shingles get a MinHash signature (128 hash functions); signatures are
cut into 32 bands of 4 rows and an article is compared only with the articles that share a
band (locality-sensitive hashing), at most `BAND_MEMBERS` of them per band: linear in the
number of articles, never all pairs. Two articles are copies when the share of equal
signature rows (an estimate of the shingle sets' Jaccard similarity) is at least
`COPY_SIMILARITY`. Written with numpy rather than datasketch, which does the same but pulls
in scipy and takes about 2 s to import on every run.

A group of copies has one original: the earliest published, then the smallest id (so adding
copies to a folder never changes which article is the original). Inside a group, claims with
the same words are one claim: the first article of the group that carries them keeps it and
lists the others in `repeated_in`; the others' are folded (not paired, not judged, not
listed again). A claim whose words a copy changed (a figure, a day) is its own claim.
"""

from __future__ import annotations

import hashlib
import zlib
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from agent.models import Article, Claim
from agent.text_features import words

SHINGLE = 5
"""Words per shingle: long enough that two articles on one event share few, short enough that
an edited figure or day spoils only a handful."""
PERMUTATIONS = 128
BANDS = 32
"""32 bands of 4 rows: a pair of similarity 0.5 shares a band with probability 0.87, of 0.7
with probability 0.9997, of 0.2 with probability 0.05."""
BAND_MEMBERS = 8
"""Articles kept per LSH bucket: enough to meet one member of a group of copies, and it
bounds the comparisons per article (BANDS x BAND_MEMBERS) whatever the group's size."""
COPY_SIMILARITY = 0.5
"""Estimated Jaccard similarity of the shingle sets at or above which two articles are
copies. Articles of one event by different outlets share quotes, not half their wording."""
_MAX_HASH = (1 << 32) - 1
_CHUNK = 4096


@dataclass
class Folding:
    """The outcome of folding: what to pair, and who repeats what."""

    kept: list[Claim] = field(default_factory=list)
    """Claims to pair and judge: every claim except the folded repeats."""
    repeated_in: dict[str, list[str]] = field(default_factory=dict)
    """Kept claim id -> the other articles (copies) that carry the same words, sorted."""
    folded: int = 0
    """Claims folded into a kept one."""


def _hash_family() -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.uint64]]:
    rng = np.random.default_rng(20261201)
    a = rng.integers(1, 1 << 63, size=PERMUTATIONS, dtype=np.uint64) | np.uint64(1)
    b = rng.integers(0, 1 << 63, size=PERMUTATIONS, dtype=np.uint64)
    return a, b


_A, _B = _hash_family()
_MIX = np.uint64(0x100000001B3)  # FNV's 64-bit prime: folds a shingle's word hashes into one


def signature(text: str) -> npt.NDArray[np.uint64]:
    """The MinHash signature of `text`'s word shingles (of all its words when it has fewer).

    Words (split at white space, punctuation kept: copies keep it too) are hashed with CRC-32
    (stable across runs, unlike Python's hash) and a shingle's hash folds its words'; each of
    the PERMUTATIONS rows is a multiply-shift hash (the high 32 bits of a*x + b in wrapping
    64-bit arithmetic), computed in chunks so that a long article costs no more memory than a
    short one.
    """
    tokens = text.lower().encode("utf-8").split()
    word_hashes = np.fromiter(map(zlib.crc32, tokens), dtype=np.uint64, count=len(tokens))
    width = min(SHINGLE, len(tokens))
    count = len(tokens) - width + 1
    if width == 0:
        return np.full(PERMUTATIONS, _MAX_HASH, dtype=np.uint64)
    shingles = word_hashes[:count].copy()
    for k in range(1, width):
        shingles = shingles * _MIX + word_hashes[k : k + count]
    shingles = np.unique(shingles)
    result = np.full(PERMUTATIONS, _MAX_HASH, dtype=np.uint64)
    for start in range(0, len(shingles), _CHUNK):
        rows = shingles[start : start + _CHUNK, None] * _A
        rows += _B
        rows >>= np.uint64(32)
        np.minimum(result, rows.min(axis=0), out=result)
    return result


def find_copies(articles: Sequence[Article]) -> dict[str, str]:
    """Copy's id -> its original's id, for every article that is a near-duplicate of another."""
    order = sorted(articles, key=_original_order)
    if len(order) < 2:
        return {}
    signatures = np.stack([signature(a.text) for a in order])
    rows = PERMUTATIONS // BANDS
    buckets: dict[tuple[int, bytes], list[int]] = defaultdict(list)
    parent = list(range(len(order)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, sig in enumerate(signatures):
        keys = [(band, sig[band * rows : (band + 1) * rows].tobytes()) for band in range(BANDS)]
        seen: set[int] = set()
        for key in keys:
            seen.update(buckets.get(key, ()))
        if seen:
            others = np.fromiter(seen, dtype=np.int64, count=len(seen))
            shares = (signatures[others] == sig).mean(axis=1)
            for j in sorted(int(j) for j in others[shares >= COPY_SIMILARITY]):
                ri, rj = find(i), find(j)
                if ri != rj:
                    parent[max(ri, rj)] = min(ri, rj)  # the earlier article is the root
        for key in keys:
            members = buckets[key]
            if len(members) < BAND_MEMBERS:
                members.append(i)
    return {order[i].id: order[find(i)].id for i in range(len(order)) if find(i) != i}


def _original_order(article: Article) -> tuple[bool, str, str]:
    """Earliest published first (undated last), then by id."""
    return (article.published is None, str(article.published or ""), article.id)


def fold(
    claims: Sequence[Claim], copies: Mapping[str, str], articles: Sequence[Article]
) -> Folding:
    """Fold the claims a copy repeats word for word from another article of its group.

    The group's original, else its first copy (in the originals' order) that carries some
    words keeps its claim; the group's other articles with the same words are listed in its
    `repeated_in`. Claims of articles that are in no group are all kept.
    """
    if not copies:
        return Folding(kept=list(claims))
    # Each group's original first, then its copies in the originals' order.
    ordered = sorted(articles, key=lambda a: (a.id in copies, _original_order(a)))
    rank = {a.id: i for i, a in enumerate(ordered)}
    group_of = {aid: copies.get(aid, aid) for aid in rank}
    in_group = set(copies) | set(copies.values())
    owner: dict[tuple[str, str], Claim] = {}
    repeats: dict[str, set[str]] = defaultdict(set)
    result = Folding()
    for claim in sorted(claims, key=lambda c: (rank.get(c.article_id, 0), c.start, c.end, c.id)):
        if claim.article_id not in in_group:
            result.kept.append(claim)
            continue
        key = (group_of[claim.article_id], _words_key(claim.quote))
        first = owner.get(key)
        if first is None:
            owner[key] = claim
            result.kept.append(claim)
        elif first.article_id == claim.article_id:
            result.kept.append(claim)  # the same words twice in one article: both are its own
        else:
            repeats[first.id].add(claim.article_id)
            result.folded += 1
    result.repeated_in = {cid: sorted(ids) for cid, ids in repeats.items()}
    return result


def _words_key(quote: str) -> str:
    """The quote's words, case and spacing aside (curly or straight quotes alike)."""
    return hashlib.sha1(" ".join(words(quote)).encode("utf-8"), usedforsecurity=False).hexdigest()
