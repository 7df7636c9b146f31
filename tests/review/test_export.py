"""`export_case`: review decisions on a real offline run of the seeds become an eval case.

Every test publishes the seeds report (reconciled once per session) into its own tmp_path,
writes decisions with the real review log, exports, and checks the case on disk, with the
fixture loader, and (the point of exporting) with the eval itself.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from rich.console import Console

from agent.evals.command import eval_command
from agent.evals.fixtures import LABELS_FILE, SCHEMA_COMMENT, load_case, occurs_once
from agent.ids import flag_fingerprint
from agent.models import Contradiction, ContradictionType, Report, Side
from agent.report_files import publish
from agent.review import export as export_module
from agent.review.export import (
    ExportError,
    check_case_name,
    export_case,
    widen_to_unique,
)
from agent.review.log import LOG_NAME, ReviewEvent, ReviewLog
from tests.support.mounts import read_only_view


@pytest.fixture
def out(tmp_path: Path, seeds_report: Report) -> Path:
    """An output folder holding the seeds run, as `reconcile seeds/ --out OUT` leaves it."""
    folder = tmp_path / "out"
    publish(seeds_report, folder)
    return folder


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """The fixtures root the cases are exported into (created by the export)."""
    return tmp_path / "fixtures"


def decide(out: Path, flag: Contradiction, action: str, **fields: object) -> ReviewEvent:
    """Append one decision on `flag`, as the review session would."""
    with ReviewLog(out / LOG_NAME) as log:
        event = ReviewEvent.model_validate(
            {
                "fingerprint": flag.fingerprint,
                "action": action,
                "reviewer": "tester",
                "flag": flag,
                **fields,
            }
        )
        return log.append(event)


def undo(out: Path, event: ReviewEvent) -> None:
    with ReviewLog(out / LOG_NAME) as log:
        log.append(
            ReviewEvent(
                fingerprint=event.fingerprint, action="undo", undoes=event.id, reviewer="tester"
            )
        )


def labels_of(case_dir: Path) -> dict[str, Any]:
    data = yaml.safe_load((case_dir / LABELS_FILE).read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def short(flag: Contradiction) -> str:
    """The 8 hex digits of the fingerprint the exported ids carry."""
    return flag.fingerprint.removeprefix("fp-")[:8]


def invented_flag(
    report: Report,
    spans: list[tuple[str, int, int]],
    type_: ContradictionType = ContradictionType.OTHER,
    sha: dict[str, str] | None = None,
) -> Contradiction:
    """A flag on (article id, start, end) spans of the seeds run, as some other run found it.

    `sha` overrides an article's hash (a flag on an article this folder does not hold).
    """
    articles = {a.id: a for a in report.articles}
    sides = [
        Side(
            claim_id=f"cl-invented-{n}",
            article_id=aid,
            article_sha256=(sha or {}).get(aid, articles[aid].sha256),
            claimant="someone",
            quote=articles[aid].text[start:end],
            start=start,
            end=end,
        )
        for n, (aid, start, end) in enumerate(spans)
    ]
    fingerprint = flag_fingerprint(type_.value, [(s.article_sha256, s.start, s.end) for s in sides])
    return Contradiction(
        id=f"ct-{fingerprint[3:13]}",
        fingerprint=fingerprint,
        type=type_,
        summary="An invented flag.",
        confidence=0.5,
        sides=sides,
    )


def repeated_word_span(text: str) -> tuple[int, int]:
    """The second occurrence of a whole word that occurs at least twice in `text`."""
    for word in text.split():
        first = text.find(f" {word} ")
        second = text.find(f" {word} ", first + 1)
        if len(word) > 3 and word.isalpha() and first >= 0 and second >= 0:
            return second + 1, second + 1 + len(word)
    raise AssertionError("no repeated word")


def run_eval(root: Path, name: str, tmp_path: Path) -> tuple[int, dict[str, object], str]:
    """The offline eval of one exported case: exit code, its case results, the printed text."""
    text = io.StringIO()
    results = tmp_path / "eval.json"
    code = eval_command(
        backend="offline",
        fixtures=root,
        cases=[name],
        baseline=tmp_path / "no-baseline.json",  # does not exist: no gate, nothing written
        update_baseline=False,
        out=results,
        console=Console(file=text, width=250, color_system=None),
    )
    case = json.loads(results.read_text(encoding="utf-8"))["cases"][0]
    assert isinstance(case, dict)
    return code, case, text.getvalue()


# --- what becomes what ------------------------------------------------------------------------


def test_confirmed_become_required_contradictions_with_the_reviewers_type(
    out: Path, root: Path, seeds_report: Report
) -> None:
    first, second = seeds_report.contradictions[:2]
    decide(out, first, "confirm")
    decide(out, second, "confirm")
    decide(out, second, "retype", type=ContradictionType.ATTRIBUTION)
    decide(out, second, "note", note="The reviewer's\n  own words.")

    result = export_case(out, "reviewed", root)

    assert result.contradictions == 2 and result.traps == 0 and not result.skipped
    assert result.case_dir == root / "reviewed"
    labels = labels_of(result.case_dir)
    by_id = {c["id"]: c for c in labels["contradictions"]}
    kept = by_id[f"{first.type.value.replace('_', '-')}-{short(first)}"]
    assert kept["type"] == first.type.value and kept["required"] is True
    assert kept["description"] == first.summary
    retyped = by_id[f"attribution-{short(second)}"]
    assert retyped["type"] == "attribution"
    assert retyped["description"] == "The reviewer's own words."  # one line
    assert [[span["quote"] for span in side] for side in kept["sides"]] == [
        [s.quote] for s in first.sides
    ]


def test_rejected_become_traps(out: Path, root: Path, seeds_report: Report) -> None:
    plain, noted = seeds_report.contradictions[:2]
    decide(out, plain, "reject")
    decide(out, noted, "reject")
    decide(out, noted, "note", note="Two different attacks.")

    result = export_case(out, "rejected", root)

    assert (result.contradictions, result.traps) == (0, 2)
    traps = {t["id"]: t for t in labels_of(result.case_dir)["traps"]}
    assert traps[f"trap-{short(plain)}"]["kind"] == "other"
    assert traps[f"trap-{short(plain)}"]["description"] == f"Rejected in review: {plain.summary}"
    assert traps[f"trap-{short(noted)}"]["description"] == "Two different attacks."


def test_pending_and_undone_decisions_are_not_exported_but_counted(
    out: Path, root: Path, seeds_report: Report
) -> None:
    confirmed, undone, noted_only, *rest = seeds_report.contradictions
    decide(out, confirmed, "confirm")
    undo(out, decide(out, undone, "confirm"))
    decide(out, noted_only, "note", note="Not sure yet.")
    decide(out, rest[0], "skip")

    result = export_case(out, "partial", root)

    assert (result.contradictions, result.traps) == (1, 0)
    assert result.pending == len(seeds_report.contradictions) - 1
    ids = [c["id"] for c in labels_of(result.case_dir)["contradictions"]]
    assert ids == [f"{confirmed.type.value.replace('_', '-')}-{short(confirmed)}"]
    described = result.describe()
    assert f"warning: {result.pending} pending flags not exported" in described
    assert "false positive" in described and "--case partial" in described


def test_the_case_loads_and_holds_every_article_and_says_where_it_came_from(
    out: Path, root: Path, seeds_report: Report
) -> None:
    decide(out, seeds_report.contradictions[0], "confirm")
    decide(out, seeds_report.contradictions[1], "reject")

    result = export_case(out, "provenance", root, written_for_test=True)

    case = load_case(result.case_dir)
    assert case.name == "provenance"
    assert sorted(case.texts) == sorted(a.id for a in seeds_report.articles)
    assert all(case.texts[a.id] == a.text for a in seeds_report.articles)
    raw = (result.case_dir / LABELS_FILE).read_text(encoding="utf-8")
    assert raw.splitlines()[0] == SCHEMA_COMMENT
    labels = labels_of(result.case_dir)
    assert labels["case"] == "provenance" and labels["written_for_test"] is True
    provenance = str(labels["provenance"])
    assert "reconcile export" in provenance and "tester" in provenance
    assert "offline" in provenance and f"{out.name}/" in provenance
    assert str(out.parent) not in provenance  # no absolute path in a committed fixture
    assert "1 confirmed" in str(labels["probes"]) and "1 rejected" in str(labels["probes"])
    assert sorted(p.name for p in root.iterdir()) == ["provenance"]  # no staging left over


# --- the exported case in the eval ------------------------------------------------------------


def test_exported_case_scores_in_the_eval(
    out: Path, root: Path, seeds_report: Report, tmp_path: Path
) -> None:
    flags = seeds_report.contradictions
    # Reject a flag with a side on a line no other flag touches: found again, that side lands
    # on no gold side (the eval's sentences never cross a line), so it can match no gold
    # contradiction and must land on its trap.
    texts = {a.id: a.text for a in seeds_report.articles}

    def lines(side: Side) -> set[tuple[str, int]]:
        first = texts[side.article_id].count("\n", 0, side.start)
        last = texts[side.article_id].count("\n", 0, side.end)
        return {(side.article_id, n) for n in range(first, last + 1)}

    touches = Counter(k for c in flags for k in set().union(*(lines(s) for s in c.sides)))
    rejected = next(
        c for c in flags if any(all(touches[k] == 1 for k in lines(s)) for s in c.sides)
    )
    for flag in flags:
        decide(out, flag, "reject" if flag is rejected else "confirm")

    result = export_case(out, "seeds-reviewed", root)
    code, case, printed = run_eval(root, "seeds-reviewed", tmp_path)

    assert code == 0, printed
    all_scores = case["scores"]
    assert isinstance(all_scores, dict)
    scores = all_scores["contradictions"]
    assert isinstance(scores, dict)
    # The same deterministic backend on the same articles finds the same flags again.
    assert scores["required"] == result.contradictions == len(flags) - 1
    assert scores["recall"] == 1.0 and scores["missed"] == []
    assert scores["type_accuracy"] == 1.0
    assert [h["trap_id"] for h in scores["trap_hits"]] == [f"trap-{short(rejected)}"]
    assert scores["false_positives"] == 1
    assert f"trap-{short(rejected)}" in printed


# --- refusals ---------------------------------------------------------------------------------


def test_existing_case_is_refused_without_force_and_replaced_with_it(
    out: Path, root: Path, seeds_report: Report
) -> None:
    decide(out, seeds_report.contradictions[0], "confirm")
    existing = root / "taken"
    existing.mkdir(parents=True)
    (existing / "old.txt").write_text("an older case", encoding="utf-8")

    with pytest.raises(ExportError, match="already exists") as info:
        export_case(out, "taken", root)
    assert "\n" not in str(info.value)
    assert sorted(p.name for p in existing.iterdir()) == ["old.txt"]
    assert sorted(p.name for p in root.iterdir()) == ["taken"]

    result = export_case(out, "taken", root, force=True)
    assert not (existing / "old.txt").exists()
    assert load_case(result.case_dir).labels.contradictions
    assert sorted(p.name for p in root.iterdir()) == ["taken"]


@pytest.mark.parametrize(
    "name", ["", "Seeds", "has_underscore", "-lead", "trail-", "two--hyphens", ".hidden", "a/b"]
)
def test_bad_case_names_are_refused(name: str, out: Path, root: Path) -> None:
    with pytest.raises(ExportError, match="bad case name"):
        export_case(out, name, root)
    assert not root.exists()


def test_case_name_length_limit() -> None:
    check_case_name("a" * 80)
    with pytest.raises(ExportError, match="bad case name"):
        check_case_name("a" * 81)


def test_nothing_to_export_is_refused(
    out: Path, root: Path, seeds_report: Report, tmp_path: Path
) -> None:
    with pytest.raises(ExportError, match="no review log"):
        export_case(out, "none", root)
    decide(out, seeds_report.contradictions[0], "note", note="Only a note.")
    with pytest.raises(ExportError, match="no confirmed or rejected"):
        export_case(out, "none", root)
    with pytest.raises(ExportError, match="no report here"):
        export_case(tmp_path / "empty", "none", root)
    assert not root.exists()


def test_a_case_that_does_not_load_is_removed(
    out: Path, root: Path, seeds_report: Report, monkeypatch: pytest.MonkeyPatch
) -> None:
    from agent.evals.fixtures import FixtureError

    def broken(folder: Path) -> None:
        raise FixtureError([(folder / LABELS_FILE, "something is wrong")])

    monkeypatch.setattr(export_module, "load_case", broken)
    decide(out, seeds_report.contradictions[0], "confirm")
    with pytest.raises(ExportError, match=r"does not load: labels\.yaml: something is wrong"):
        export_case(out, "broken", root)
    assert list(root.iterdir()) == []


# --- decisions the current run does not hold --------------------------------------------------


def test_orphaned_decision_is_exported_from_its_snapshot(
    out: Path, root: Path, seeds_report: Report
) -> None:
    gone, kept = seeds_report.contradictions[:2]
    decide(out, gone, "confirm")
    decide(out, kept, "confirm")
    # A later run that no longer finds `gone` (the rules changed): its decision is orphaned.
    later = seeds_report.model_copy(update={"contradictions": seeds_report.contradictions[1:]})
    republished, _ = publish(later, out)
    assert [o.fingerprint for o in republished.orphaned_reviews] == [gone.fingerprint]

    result = export_case(out, "orphans", root)

    assert result.contradictions == 2 and not result.skipped
    ids = {c["id"] for c in labels_of(result.case_dir)["contradictions"]}
    assert f"{gone.type.value.replace('_', '-')}-{short(gone)}" in ids


def test_decision_on_an_article_not_in_the_folder_is_skipped_with_a_reason(
    out: Path, root: Path, seeds_report: Report
) -> None:
    a, b = (x.id for x in seeds_report.articles[:2])
    elsewhere = invented_flag(seeds_report, [(a, 0, 20), (b, 0, 20)], sha={b: "f" * 64})
    decide(out, elsewhere, "confirm")
    decide(out, seeds_report.contradictions[0], "confirm")

    result = export_case(out, "missing-article", root)

    assert result.contradictions == 1
    [skipped] = result.skipped
    assert skipped.fingerprint == elsewhere.fingerprint and skipped.decision == "confirmed"
    assert "not among this output folder's articles" in skipped.reason


def test_flag_with_the_same_words_on_both_sides_is_skipped(
    out: Path, root: Path, seeds_report: Report
) -> None:
    aid = seeds_report.articles[0].id
    same = invented_flag(seeds_report, [(aid, 100, 140), (aid, 100, 140)])
    decide(out, same, "reject")
    decide(out, seeds_report.contradictions[0], "reject")

    result = export_case(out, "same-words", root)

    assert result.traps == 1
    assert [s.fingerprint for s in result.skipped] == [same.fingerprint]
    assert "same words" in result.skipped[0].reason


def test_all_decisions_skipped_is_refused(out: Path, root: Path, seeds_report: Report) -> None:
    a, b = (x.id for x in seeds_report.articles[:2])
    decide(out, invented_flag(seeds_report, [(a, 0, 9), (b, 0, 9)], sha={a: "0" * 64}), "confirm")
    with pytest.raises(ExportError, match="all 1 decisions were skipped"):
        export_case(out, "nothing-left", root)
    assert not root.exists()


# --- widening a quote that is not unique ------------------------------------------------------


def test_repeated_quote_is_widened_to_a_unique_span_on_export(
    out: Path, root: Path, seeds_report: Report
) -> None:
    one, other = seeds_report.articles[:2]
    start, end = repeated_word_span(one.text)
    word = one.text[start:end]
    assert not occurs_once(one.text, word)
    flag = invented_flag(seeds_report, [(one.id, start, end), (other.id, 0, 60)])
    decide(out, flag, "confirm")

    result = export_case(out, "widened", root)

    assert result.widened == 1
    [label] = load_case(result.case_dir).labels.contradictions
    quote = label.sides[0][0].quote
    assert word in quote and occurs_once(one.text, quote)
    found = one.text.find(quote)
    assert found <= start and end <= found + len(quote)  # the flagged words, only widened
    assert label.sides[1][0].quote == other.text[:60]  # a unique quote is left alone


def test_widen_leaves_a_unique_span_alone() -> None:
    assert widen_to_unique("the cat sat on the mat", 4, 7) == (4, 7)
    assert widen_to_unique("aaa", 0, 3) == (0, 3)


def test_widen_alternates_left_then_right_on_word_boundaries() -> None:
    text = "one two cat sat two cat mat"
    # The first "cat": left gives "two cat" (still twice), then right gives a unique span.
    assert text[slice(*widen_to_unique(text, 8, 11))] == "two cat sat"
    assert text[slice(*widen_to_unique(text, 20, 23))] == "two cat mat"
    # Nothing to the left: the right side takes the step.
    assert widen_to_unique("cat x cat", 0, 3) == (0, 5)


def test_widen_overlapping_repeats() -> None:
    # "aa" occurs twice in "aaa" (at 0 and 1), as the fixture loader counts.
    assert not occurs_once("aaa", "aa")
    assert widen_to_unique("aaa", 0, 2) == (0, 3)
    assert widen_to_unique("aaa", 1, 3) == (0, 3)
    # One word to the left is enough; the right end stays where the flag put it.
    assert widen_to_unique("x aaa y", 2, 4) == (0, 4)


def test_widen_stops_at_the_whole_text() -> None:
    assert widen_to_unique("ab ab", 3, 5) == (0, 5)
    assert widen_to_unique("ab ab", 0, 2) == (0, 5)
    assert widen_to_unique("go  go\n", 4, 6) == (0, 6)  # a whitespace run is crossed whole


def test_read_only_folders_export_one_line_or_work(
    out: Path, tmp_path: Path, seeds_report: Report
) -> None:
    """`reconcile export` into a read-only fixtures folder is one line (exit 2); from a
    read-only output folder, which it only reads, it works."""
    decide(out, seeds_report.contradictions[0], "confirm")
    empty = tmp_path / "empty"
    empty.mkdir()

    def export(folder: Path, fixtures: Path) -> subprocess.CompletedProcess[str]:
        command = ["export", str(folder), "--case", "ro-case", "--fixtures", str(fixtures)]
        return subprocess.run(
            [sys.executable, "-m", "agent", *command],
            capture_output=True,
            text=True,
            timeout=120,
        )

    with read_only_view(empty, tmp_path / "ro-fixtures") as ro_fixtures:
        refused = export(out, ro_fixtures)
    assert refused.returncode == 2
    assert refused.stderr.splitlines() == [
        f"error: {ro_fixtures}: cannot write the case (Read-only file system)"
    ]
    with read_only_view(out, tmp_path / "ro-out") as ro_out:
        done = export(ro_out, tmp_path / "fixtures")
    assert done.returncode == 0, done.stderr
    assert load_case(tmp_path / "fixtures" / "ro-case").labels.contradictions
