"""Near-duplicates: copies found by MinHash/LSH, and the claims they repeat folded into the
original's (the seeds, light edits of them made here, and invented articles)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import numpy as np

from agent.duplicates import BAND_MEMBERS, BANDS, find_copies, fold, signature
from agent.ingest import ingest
from agent.models import Article, Claim
from agent.pipeline import run_pipeline
from tests.conftest import SEEDS
from tests.support import events


def _edit(text: str, k: int) -> str:
    """A light, general edit: one figure changed, one word cut, one sentence moved to the end
    (syndicated copy re-run by another outlet)."""
    text = re.sub(r"\b(\d{1,2})\b", lambda m: str(int(m.group(1)) + 1 + k), text, count=1)
    text = text.replace(" also ", " ", 1)
    paragraphs = text.split("\n\n")
    if len(paragraphs) > 3:
        paragraphs.append(paragraphs.pop(2))
    return "\n\n".join(paragraphs)


def _share(x: str, y: str) -> float:
    return float(np.mean(signature(x) == signature(y)))


def test_a_light_edit_is_a_copy_and_other_reports_of_the_event_are_not() -> None:
    wire = (SEEDS / "2025-03-19-wire-trump-zelensky-call.txt").read_text(encoding="utf-8")
    daily = (SEEDS / "2025-03-19-us-daily-trump-zelensky-call.txt").read_text(encoding="utf-8")
    assert _share(wire, _edit(wire, 0)) >= 0.7
    assert _share(wire, daily) < 0.1  # one event, two outlets: not copies


def test_copies_map_to_the_earliest_original_whatever_the_order(tmp_path: Path) -> None:
    wire = (SEEDS / "2025-03-19-wire-trump-zelensky-call.txt").read_text(encoding="utf-8")
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SEEDS / "2025-03-19-wire-trump-zelensky-call.txt", folder)
    for k in range(3):
        (folder / f"2025-03-20-reprint-{k}.txt").write_text(_edit(wire, k), encoding="utf-8")
    events.write(folder, events.FERRY)
    articles = ingest([folder]).articles
    copies = find_copies(articles)
    assert copies == {
        f"2025-03-20-reprint-{k}": "2025-03-19-wire-trump-zelensky-call" for k in range(3)
    }
    assert find_copies(list(reversed(articles))) == copies
    # Adding more copies does not change which article is the original.
    more = [
        *articles,
        articles[0].model_copy(update={"id": "2025-03-21-late", "text": _edit(wire, 7)}),
    ]
    assert find_copies(more)["2025-03-20-reprint-0"] == "2025-03-19-wire-trump-zelensky-call"


def test_comparisons_per_article_are_bounded() -> None:
    # A group of 300 copies: each article meets at most BANDS x BAND_MEMBERS others, and the
    # whole group still maps to one original.
    base = " ".join(f"word{i} said the council" for i in range(200))
    articles = [
        Article(id=f"a{k:03d}", path=f"a{k:03d}.txt", sha256=str(k), text=f"{base} edit{k}")
        for k in range(300)
    ]
    copies = find_copies(articles)
    assert set(copies.values()) == {"a000"} and len(copies) == 299
    assert BANDS * BAND_MEMBERS < 300


def _claim(article: str, quote: str, start: int) -> Claim:
    return Claim(
        id=f"{article}:{start}",
        article_id=article,
        statement=quote,
        claimant="the council",
        quote=quote,
        start=start,
        end=start + len(quote),
    )


def test_fold_keeps_the_originals_claim_and_lists_the_copies() -> None:
    articles = [
        Article(id=i, path=i, sha256=i, text="") for i in ("orig", "copy1", "copy2", "other")
    ]
    claims = [
        _claim("orig", "the bridge opens on Monday", 0),
        _claim("copy1", "the bridge opens on Monday", 10),
        _claim("copy2", "The bridge  opens on Monday", 5),  # case and spacing aside
        _claim("copy2", "the bridge opens on Friday", 40),  # an edited day: its own claim
        _claim("other", "the bridge opens on Monday", 0),  # not a copy: an agreement to find
    ]
    folding = fold(claims, {"copy1": "orig", "copy2": "orig"}, articles)
    assert sorted(c.id for c in folding.kept) == ["copy2:40", "orig:0", "other:0"]
    assert folding.repeated_in == {"orig:0": ["copy1", "copy2"]}
    assert folding.folded == 2
    assert fold(claims, {}, articles).kept == claims


def _seeds_and_copies(folder: Path, count: int) -> Path:
    folder.mkdir(parents=True)
    for seed in sorted(SEEDS.glob("*.txt")):
        shutil.copy(seed, folder)
        text = seed.read_text(encoding="utf-8")
        for k in range(count):
            (folder / f"{seed.stem}-reprint{k}.txt").write_text(_edit(text, k), encoding="utf-8")
    return folder


def test_copies_fold_contradictions_keep_their_fingerprints_and_list_the_copies(
    tmp_path: Path, seeds_report: object
) -> None:
    from agent.models import Report

    assert isinstance(seeds_report, Report)
    report = run_pipeline([_seeds_and_copies(tmp_path / "in", 3)], backend="offline")
    assert report.stats.copies == 9 and len(report.stories) == 1
    assert {a.copy_of for a in report.articles if a.copy_of} == {
        a.id for a in seeds_report.articles
    }
    # Each flag of the seeds alone found again keeps its fingerprint, its sides are in the
    # seeds and each side names the copies that repeat its words.
    found = {c.fingerprint: c for c in report.contradictions}
    texts = {a.id: a.text for a in report.articles}
    again = [c for c in seeds_report.contradictions if c.fingerprint in found]
    # All of them (test_every_seed_flag_survives_among_copies says which would be lost).
    assert len(again) == len(seeds_report.contradictions)
    for c in again:
        for side in found[c.fingerprint].sides:
            assert side.article_id in {a.id for a in seeds_report.articles}
            # The copies of its article that still hold the words (an edit may change them).
            holding = [
                a.id
                for a in report.articles
                if a.copy_of == side.article_id and side.quote in texts[a.id]
            ]
            assert side.repeated_in == holding
    assert any(side.repeated_in for c in report.contradictions for side in c.sides)
    # A contradiction is not multiplied by the copies: only edited words add flags.
    assert len(report.contradictions) < 3 * len(seeds_report.contradictions)
    assert report.stats.folded_claims > 200
    for claim in report.claims:
        assert texts[claim.article_id][claim.start : claim.end] == claim.quote
    for d in report.disputes:
        for p in d.positions:
            for s in p.sides:
                assert texts[s.article_id][s.start : s.end] == s.quote
                assert set(s.repeated_in) <= set(p.sources)


def test_every_seed_flag_survives_among_copies(tmp_path: Path, seeds_report: object) -> None:
    from agent.models import Report

    assert isinstance(seeds_report, Report)
    report = run_pipeline([_seeds_and_copies(tmp_path / "in", 3)], backend="offline")
    found = {c.fingerprint for c in report.contradictions}
    assert [c.summary for c in seeds_report.contradictions if c.fingerprint not in found] == []
