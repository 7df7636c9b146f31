"""Articles grouped into stories (one event each) before pairing: pairs and disputes never
cross a story.

What an article is about is a TF-IDF vector over its name words (weighted double: the same
event has the same people and places) and its content words (agent.text_features). An
inverted index over those words finds each article's likely partners without comparing all
pairs: its words are read rarest first, within `SCAN_BUDGET` posting entries (a list too long
for what is left is sampled evenly across), and its `PARTNERS` best-scoring partners are
kept, so the work per article is bounded. A partner is linked only on strong evidence: a
cosine similarity of at least `LINK_SIMILARITY`, at least `SHARED_NAMES` name words in
common (or every name word of an article that has fewer), and publication dates at most
`MAX_DAYS` apart (when known; an original's dates span its copies' too, since a copy may
carry an edited date). Links are
taken strongest first, and two groups of articles are joined only when their centroids are
similar too (`JOIN_SIMILARITY`): one article that mentions two events, or one shared name,
does not chain them into one story (the two articles that link two groups are set aside
when their centroids are compared, and the comparison is over content words only).

Near-duplicate copies (agent.duplicates) are not grouped on their own: each joins its
original's story.
"""

from __future__ import annotations

import datetime as dt
import heapq
import math
import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from agent.ids import stable_id
from agent.models import Article, GroupedBy, Story
from agent.text_features import features, name_form, words

NAME_WEIGHT = 2.0
"""A name word counts double: two reports of one event share its people and places."""
PRIOR_DOCS = 50
"""Documents the IDF imagines beside the input, none holding any of its words: in a folder of
four reports of one event the words they share still weigh nearly as much as the rest."""
FEATURES = 80
"""The heaviest features kept per article: bounds the index and each comparison."""
SCAN_BUDGET = 400
"""Posting entries read per article when looking for its partners."""
PARTNERS = 6
"""Best-scoring partners checked per article."""
LINK_SIMILARITY = 0.2
"""Cosine similarity at or above which two articles may be one story."""
JOIN_SIMILARITY = 0.2
"""Cosine similarity over content words of two groups' centroids (the linking articles set
aside) at or above which a link may join them."""
SHARED_NAMES = 2
"""Name words two linked articles must share: one shared name is not one event."""
MAX_DAYS = 7
"""Reports of one event are published within days of each other."""
FEW_ARTICLES = 10
"""A folder of at most this many articles (copies aside) in which no two are linked is one
story: a user who collected a few reports of one event in very different registers (a wire
report, an official statement, a blog naming nobody) would otherwise get each alone and
nothing compared, while an unlinked folder says nothing against one event. A larger folder
with no link is a feed of unrelated pieces and stays apart."""
SINGLE = "1 article: nothing to reconcile against"
"""What is said of a story of one article (report.md, the terminal summary)."""


_BYLINE = re.compile(r"\s*By\s")
_HEADER_LINES = 5
_BYLINE_LENGTH = 120


@dataclass
class _Doc:
    article: Article
    vector: dict[str, float]
    """Normalised TF-IDF weights of its heaviest features ("n:" marks a name word)."""
    names: frozenset[str]
    """The name features among them."""
    dates: tuple[dt.date, dt.date] | None = None
    """The earliest and latest publication dates of the article and its copies (None when
    none is known): a copy editor may change a date line, and the group spans them all."""


def story_note(story: Story) -> str | None:
    """The note for a story of one article, else None (report.md and the summary print it)."""
    return SINGLE if len(story.article_ids) == 1 else None


def group_stories(
    articles: Sequence[Article], copies: Mapping[str, str] | None = None, one_story: bool = False
) -> list[Story]:
    """The stories of `articles`, largest first; `copies` (copy id -> original id) join their
    original's story; `one_story` puts every article in one story."""
    copies = dict(copies or {})
    originals = sorted((a for a in articles if a.id not in copies), key=lambda a: a.id)
    docs = _vectors(originals)
    _date_spans(docs, copies, articles)
    grouped_by: GroupedBy = "one_story" if one_story else "links"
    groups = ([list(range(len(docs)))] if docs else []) if one_story else _groups(docs)
    if 1 < len(groups) <= FEW_ARTICLES and all(len(g) == 1 for g in groups):
        groups, grouped_by = [list(range(len(docs)))], "few_unlinked"
    members: dict[int, list[Article]] = {}
    where: dict[str, int] = {}
    for g, group in enumerate(groups):
        members[g] = [docs[i].article for i in group]
        for i in group:
            where[docs[i].article.id] = g
    by_id = {a.id: a for a in articles}
    for copy_id, original_id in sorted(copies.items()):
        members[where[original_id]].append(by_id[copy_id])
    stories = [
        _story([docs[i] for i in group], members[g], copies, grouped_by)
        for g, group in enumerate(groups)
    ]
    return sorted(stories, key=lambda s: (-len(s.article_ids), s.id))


def _date_spans(
    docs: Sequence[_Doc], copies: Mapping[str, str], articles: Sequence[Article]
) -> None:
    """Each original's date span over itself and its copies."""
    dates: dict[str, list[dt.date]] = defaultdict(list)
    for article in articles:
        if article.published is not None:
            dates[copies.get(article.id, article.id)].append(article.published)
    for doc in docs:
        known = dates.get(doc.article.id)
        doc.dates = (min(known), max(known)) if known else None


def _vectors(articles: Sequence[Article]) -> list[_Doc]:
    counts: list[Counter[str]] = []
    df: Counter[str] = Counter()
    for article in articles:
        terms, name_words = features(_about(article))
        found: Counter[str] = Counter(terms)
        found.update("n:" + n for n in name_words)
        # The dateline is a place, whatever its case ("RIVERTON —").
        found.update("n:" + name_form(w) for w in words(article.dateline or ""))
        counts.append(found)
        df.update(found.keys())
    n = len(articles)
    docs: list[_Doc] = []
    for article, found in zip(articles, counts, strict=True):
        weights = {
            f: (1 + math.log(c))
            * (math.log((n + PRIOR_DOCS + 1) / (df[f] + 1)) + 1)
            * (NAME_WEIGHT if f.startswith("n:") else 1.0)
            for f, c in found.items()
        }
        top = sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))[:FEATURES]
        norm = math.sqrt(sum(w * w for _, w in top)) or 1.0
        names = frozenset(f for f, _ in top if f.startswith("n:"))
        docs.append(_Doc(article, {f: w / norm for f, w in top}, names))
    return docs


def _about(article: Article) -> str:
    """The text without its byline: who wrote it is not what it is about (an outlet's
    reporter covers several events). A byline is a short header line starting "By", or the
    line naming the article's source."""
    lines = article.text.splitlines(keepends=True)
    source = article.source
    kept = [
        line
        for k, line in enumerate(lines)
        if not (k < _HEADER_LINES and _BYLINE.match(line) and len(line) <= _BYLINE_LENGTH)
        and not (source and source in line and len(line) <= len(source) + 40)
    ]
    return "".join(kept)


def _groups(docs: Sequence[_Doc]) -> list[list[int]]:
    """Indices of `docs` grouped into stories (each group sorted)."""
    postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for i, doc in enumerate(docs):
        for feature, weight in doc.vector.items():
            postings[feature].append((i, weight))
    links: list[tuple[float, int, int]] = []
    for i, doc in enumerate(docs):
        scores: dict[int, float] = defaultdict(float)
        budget = SCAN_BUDGET
        for feature in sorted(doc.vector, key=lambda f: (len(postings[f]), f)):
            if budget <= 0:
                break
            posting = _sample(postings[feature], budget)
            budget -= len(posting)
            mine = doc.vector[feature]
            for j, theirs in posting:
                scores[j] += mine * theirs
        scores.pop(i, None)
        for j in heapq.nsmallest(PARTNERS, scores, key=lambda j: (-scores[j], j)):
            evidence = _evidence(doc, docs[j])
            if evidence >= LINK_SIMILARITY and _may_link(doc, docs[j]):
                links.append((evidence, min(i, j), max(i, j)))
    return _join(docs, sorted(set(links), key=lambda t: (-t[0], t[1], t[2])))


def _evidence(a: _Doc, b: _Doc) -> float:
    """Their cosine similarity without the one name word that contributes most to it: a
    shared town or person alone (two events in one place) is not enough."""
    theirs = b.vector
    dot = sum(w * theirs[f] for f, w in a.vector.items() if f in theirs)
    top_name = max((a.vector[f] * theirs[f] for f in a.names & b.names), default=0.0)
    return dot - top_name


def _may_link(a: _Doc, b: _Doc) -> bool:
    # Short texts may name fewer than SHARED_NAMES: they need all they have in common.
    if len(a.names & b.names) < min(SHARED_NAMES, len(a.names), len(b.names)):
        return False
    if a.dates is None or b.dates is None:
        return True
    gap = max(a.dates[0] - b.dates[1], b.dates[0] - a.dates[1], dt.timedelta(0))
    return gap.days <= MAX_DAYS


def _join(docs: Sequence[_Doc], links: Sequence[tuple[float, int, int]]) -> list[list[int]]:
    """Union the links strongest first; two groups of more than one article join only when
    their centroids are similar too."""
    parent = list(range(len(docs)))
    centroid: dict[int, dict[str, float]] = {i: dict(d.vector) for i, d in enumerate(docs)}
    size = [1] * len(docs)

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for _, i, j in links:
        ri, rj = find(i), find(j)
        if ri == rj:
            continue
        if (
            size[ri] > 1
            and size[rj] > 1
            and not _agree_without(centroid[ri], docs[i].vector, centroid[rj], docs[j].vector)
        ):
            continue
        if size[ri] < size[rj]:
            ri, rj = rj, ri
        parent[rj] = ri
        size[ri] += size[rj]
        into = centroid[ri]
        for feature, weight in centroid.pop(rj).items():
            into[feature] = into.get(feature, 0.0) + weight
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(docs)):
        groups[find(i)].append(i)
    return list(groups.values())


def _agree_without(
    group_a: Mapping[str, float],
    bridge_a: Mapping[str, float],
    group_b: Mapping[str, float],
    bridge_b: Mapping[str, float],
) -> bool:
    """Whether two groups are told in the same words once the two articles that link them
    are set aside: an article about two events (a round-up) links both, but the rest of each
    group is about its own event."""
    rest_a = {f: w - bridge_a.get(f, 0.0) for f, w in group_a.items()}
    rest_b = {f: w - bridge_b.get(f, 0.0) for f, w in group_b.items()}
    return _content(rest_a, rest_b) >= JOIN_SIMILARITY


def _content(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """The cosine similarity of two centroids over their content words alone: two events that
    share a town and its mayor are told in different words."""
    return _cosine(
        {f: w for f, w in a.items() if not f.startswith("n:")},
        {f: w for f, w in b.items() if not f.startswith("n:")},
    )


def _cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    dot = sum(w * b.get(f, 0.0) for f, w in a.items())
    if not dot:
        return 0.0
    na = math.sqrt(sum(w * w for w in a.values()))
    nb = math.sqrt(sum(w * w for w in b.values()))
    return dot / (na * nb)


def _sample(posting: list[tuple[int, float]], size: int) -> list[tuple[int, float]]:
    """`posting` when it fits in `size`, else `size` entries spread evenly over it."""
    if len(posting) <= size:
        return posting
    step = len(posting) / size
    return [posting[int(k * step)] for k in range(size)]


def _story(
    docs: Sequence[_Doc],
    articles: Sequence[Article],
    copies: Mapping[str, str],
    grouped_by: GroupedBy,
) -> Story:
    ids = sorted(a.id for a in articles)
    centroid: dict[str, float] = defaultdict(float)
    for doc in docs:
        for feature, weight in doc.vector.items():
            centroid[feature] += weight
    titled = [d for d in docs if d.article.title] or list(docs)
    central = max(titled, key=lambda d: (_cosine(d.vector, centroid), d.article.id))
    title = central.article.title
    if not title:
        top = sorted(centroid, key=lambda f: (-centroid[f], f))
        title = ", ".join(f.removeprefix("n:") for f in top[:4])
    return Story(
        id=stable_id("st", *sorted(a.sha256 for a in articles)),
        title=title,
        article_ids=ids,
        copies={c: o for c, o in sorted(copies.items()) if c in set(ids)},
        grouped_by=grouped_by,
    )
