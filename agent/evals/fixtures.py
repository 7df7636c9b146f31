"""Eval fixtures: the labels-file model and loading a case with every label checked.

A case is a folder `evals/fixtures/<case>/` holding `<article-id>.txt` files and one
`labels.yaml` (format in evals/README.md). Articles are decoded exactly as `agent.ingest`
decodes them (strict UTF-8, a leading BOM dropped, no newline translation), so the offsets
found here are the offsets the tool reports. Every quote must occur exactly once in its
article, found exactly or, when typed with other quote marks, dashes or spacing, as the tool's
grounding finds a quote (agent.grounding.locate): it then stands for the article's own words.
A label that does not match its article is a `FixtureError`, never a silent miss.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import ConfigDict, Field, ValidationError, model_validator

from agent.base import Strict
from agent.evals.sentences import sentence_starts
from agent.grounding import locate
from agent.models import ContradictionType

LABELS_FILE = "labels.yaml"
ARTICLE_SUFFIX = ".txt"
SCHEMA_COMMENT = "# yaml-language-server: $schema=../../fixture.schema.json"
"""The first line of every labels file: lets YAML-aware editors check it against the schema."""

Id = Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=80)]
"""A short kebab-case id, unique within its labels file."""


class FixtureError(Exception):
    """One or more fixture problems, each one line naming the file."""

    def __init__(self, problems: Sequence[tuple[Path, str]]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(f"{path}: {problem}" for path, problem in self.problems))


class _Label(Strict):
    # Field docstrings become schema descriptions, so editors show them on hover.
    model_config = ConfigDict(frozen=True)  # Strict's settings, and labels never change


class Span(_Label):
    """One exact quote in one article."""

    article: str = Field(min_length=1)
    """The article id: its file name without `.txt`."""
    quote: str = Field(min_length=1)
    """An exact substring of the article, occurring in it exactly once."""
    claimant: str | None = Field(default=None, min_length=1)
    """On a contradiction's side: canonical name of who asserts these words, read from the
    article (scores extraction coverage); None when not labelled."""
    aliases: tuple[str, ...] = ()
    """Other acceptable spellings of the claimant (only with a claimant)."""

    @model_validator(mode="after")
    def _aliases_need_a_claimant(self) -> Span:
        if self.aliases and self.claimant is None:
            raise ValueError("aliases are given without a claimant")
        return self


SideSpans = Annotated[list[Span], Field(min_length=1)]
"""One side of an item: one or more spans that state the same side."""


class TrapKind(StrEnum):
    """Why a trap looks like a contradiction but is not one."""

    PARAPHRASE = "paraphrase"
    DIFFERENT_EVENT = "different_event"
    OMISSION = "omission"
    ROUNDING = "rounding"
    OTHER = "other"


class ContradictionLabel(_Label):
    """A contradiction the tool should find."""

    id: Id
    """Unique within the file (short kebab-case)."""
    type: ContradictionType
    """The kind of disagreement."""
    required: bool
    """False = optional: counts when found, is not a miss when not."""
    description: str = Field(min_length=1)
    """One line saying what is disputed."""
    sides: list[SideSpans] = Field(min_length=2, max_length=2)
    """Exactly two sides; each a list of spans stating that side."""


class TrapLabel(_Label):
    """Statements that look alike but do not contradict: flagging them is a false positive."""

    id: Id
    """Unique within the file (short kebab-case)."""
    kind: TrapKind
    """Why they look alike."""
    description: str = Field(min_length=1)
    """Why these look alike but are not a contradiction."""
    sides: list[SideSpans] = Field(min_length=2, max_length=2)
    """Exactly two sides, the same shape as a contradiction's."""


class AgreementLabel(_Label):
    """A fact stated by two or more articles."""

    id: Id
    """Unique within the file (short kebab-case)."""
    description: str = Field(min_length=1)
    """The agreed fact."""
    sides: list[SideSpans] = Field(min_length=2)
    """Two or more sides, from at least two different articles."""


class KeyClaimLabel(_Label):
    """A claim the extractor should find, with who makes it."""

    id: Id
    """Unique within the file (short kebab-case)."""
    article: str = Field(min_length=1)
    """The article id."""
    claimant: str = Field(min_length=1)
    """Canonical name of who asserts it: person, institution, government, or the outlet."""
    aliases: list[str] = Field(default_factory=list)
    """Other acceptable spellings of the claimant."""
    quote: str = Field(min_length=1)
    """An exact substring of the article, occurring in it exactly once."""


class Labels(_Label):
    """The labels of one eval case (`evals/fixtures/<case>/labels.yaml`)."""

    case: str = Field(min_length=1)
    """The case folder's name."""
    written_for_test: bool
    """True when the articles were written for the test; false only for real articles (seeds)."""
    provenance: str = Field(min_length=1)
    """How the articles and labels were made, by whom, when."""
    probes: str = Field(min_length=1)
    """What this case is meant to test."""
    contradictions: list[ContradictionLabel] = Field(default_factory=list)
    """Contradictions the tool should find."""
    traps: list[TrapLabel] = Field(default_factory=list)
    """Look-alikes that are not contradictions."""
    agreements: list[AgreementLabel] = Field(default_factory=list)
    """Facts stated by two or more articles."""
    key_claims: list[KeyClaimLabel] = Field(default_factory=list)
    """Claims used to score extraction and attribution."""


@dataclass(frozen=True)
class Location:
    """Where a labelled quote sits: [start, end) in one article's decoded text."""

    article: str
    """The article id."""
    start: int
    """Offset of the quote's first character."""
    end: int
    """Offset one past the quote's last character."""


@dataclass(frozen=True)
class Case:
    """One loaded, checked eval case."""

    name: str
    """The folder name (equal to `labels.case`)."""
    path: Path
    """The case folder."""
    labels: Labels
    """The parsed labels."""
    texts: dict[str, str]
    """Article id -> decoded text, the text every offset refers to."""
    article_paths: dict[str, Path]
    """Article id -> its file, for the predictor (labels.yaml excluded)."""
    locations: dict[tuple[str, str], Location] = field(repr=False)
    """(article id, quote) -> where it is; every labelled quote has one."""
    sentence_starts: dict[str, list[int]] = field(repr=False)
    """Article id -> sentence start offsets (see agent.evals.sentences)."""

    def locate(self, span: Span) -> Location:
        """Where a labelled span is (every span of the labels was resolved at load time)."""
        return self.locations[(span.article, span.quote)]

    def side(self, spans: Iterable[Span]) -> list[Location]:
        """The locations of one labelled side."""
        return [self.locate(span) for span in spans]


def load_case(folder: Path) -> Case:
    """Load and check one case folder; raises FixtureError listing every problem found."""
    labels_path = folder / LABELS_FILE
    if not folder.is_dir():
        raise FixtureError([(folder, "not a case folder")])
    if not labels_path.is_file():
        raise FixtureError([(folder, f"no {LABELS_FILE} in the case folder")])
    problems: list[tuple[Path, str]] = []
    texts, paths = _read_articles(folder, problems)
    labels = _parse_labels(labels_path)
    issues = _check_labels(labels, folder.name, texts)
    locations = _locate_all(labels, texts, issues)
    problems.extend((labels_path, issue) for issue in issues)
    if problems:
        raise FixtureError(problems)
    return Case(
        name=folder.name,
        path=folder,
        labels=labels,
        texts=texts,
        article_paths=paths,
        locations=locations,
        sentence_starts={aid: sentence_starts(text) for aid, text in texts.items()},
    )


def load_cases(root: Path, names: Sequence[str] | None = None) -> list[Case]:
    """Load the named cases under `root` (all case folders when `names` is None), by name.

    Problems from every case are gathered into one FixtureError, so one run lists them all.
    """
    if not root.is_dir():
        raise FixtureError([(root, "fixtures folder not found")])
    available = sorted(p.name for p in root.iterdir() if p.is_dir() and not _hidden(p))
    if names is None:
        names = available
    unknown = [n for n in names if n not in available]
    if unknown:
        listed = ", ".join(available) or "none"
        raise FixtureError([(root, f"no case named {n!r} (available: {listed})") for n in unknown])
    if not names:
        raise FixtureError([(root, "no case folders found")])
    cases: list[Case] = []
    problems: list[tuple[Path, str]] = []
    for name in sorted(set(names)):
        try:
            cases.append(load_case(root / name))
        except FixtureError as exc:
            problems.extend(exc.problems)
    if problems:
        raise FixtureError(problems)
    return cases


def _hidden(path: Path) -> bool:
    return path.name.startswith((".", "_"))


def _read_articles(
    folder: Path, problems: list[tuple[Path, str]]
) -> tuple[dict[str, str], dict[str, Path]]:
    texts: dict[str, str] = {}
    paths: dict[str, Path] = {}
    for path in sorted(folder.iterdir()):
        if path.name == LABELS_FILE or _hidden(path):
            continue
        if not path.is_file() or path.suffix != ARTICLE_SUFFIX:
            problems.append(
                (
                    path,
                    f"unexpected entry (a case holds <id>{ARTICLE_SUFFIX} files and {LABELS_FILE})",
                )
            )
            continue
        try:
            # As agent.ingest decodes: strict UTF-8, BOM dropped, newlines untouched.
            text = path.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            problems.append((path, f"not valid UTF-8 ({exc.reason} at byte {exc.start})"))
            continue
        if not text.strip():
            problems.append((path, "empty article"))
            continue
        texts[path.stem] = text
        paths[path.stem] = path
    if not texts and not problems:
        problems.append((folder, f"no {ARTICLE_SUFFIX} article in the case folder"))
    return texts, paths


class _UniqueKeyLoader(yaml.SafeLoader):
    """A safe loader that rejects duplicate mapping keys (PyYAML keeps the last silently)."""


def _unique_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _unique_mapping)


def _parse_labels(path: Path) -> Labels:
    try:
        raw = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FixtureError([(path, f"not valid UTF-8 at byte {exc.start}")]) from None
    try:
        data = yaml.load(raw, Loader=_UniqueKeyLoader)  # a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        line = f" at line {exc.problem_mark.line + 1}" if exc.problem_mark else ""
        raise FixtureError([(path, f"YAML error{line}: {exc.problem}")]) from None
    except yaml.YAMLError as exc:
        raise FixtureError([(path, f"YAML error: {exc}")]) from None
    if not isinstance(data, dict):
        raise FixtureError([(path, "the labels file must be a YAML mapping")])
    if raw.split("\n", 1)[0].rstrip() != SCHEMA_COMMENT:
        raise FixtureError([(path, f"the first line must be {SCHEMA_COMMENT!r}")])
    try:
        return Labels.model_validate(data)
    except ValidationError as exc:
        raise FixtureError(
            [(path, f"{_where(data, err['loc'])}: {err['msg']}") for err in exc.errors()]
        ) from None


def _where(data: Any, loc: tuple[int | str, ...]) -> str:
    """A readable location: `contradictions[1] 'some-id'.sides`."""
    parts: list[str] = []
    node = data
    for step in loc:
        if isinstance(step, int):
            parts.append(f"[{step}]")
            node = node[step] if isinstance(node, list) and step < len(node) else None
            if isinstance(node, dict) and isinstance(node.get("id"), str):
                parts.append(f" {node['id']!r}")
        else:
            parts.append(f".{step}" if parts else step)
            node = node.get(step) if isinstance(node, dict) else None
    return "".join(parts) or "(top level)"


def _items(labels: Labels) -> list[tuple[str, str, list[list[Span]]]]:
    """(section, id, sides) of every item that has sides."""
    found: list[tuple[str, str, list[list[Span]]]] = []
    found += [("contradiction", c.id, c.sides) for c in labels.contradictions]
    found += [("trap", t.id, t.sides) for t in labels.traps]
    found += [("agreement", a.id, a.sides) for a in labels.agreements]
    return found


def _check_labels(labels: Labels, folder_name: str, texts: dict[str, str]) -> list[str]:
    issues: list[str] = []
    if labels.case != folder_name:
        issues.append(f"case is {labels.case!r} but the folder is {folder_name!r}")
    ids = [i for _, i, _ in _items(labels)] + [k.id for k in labels.key_claims]
    for dup in sorted({i for i in ids if ids.count(i) > 1}):
        issues.append(f"id {dup!r} is used more than once")
    for section, item_id, sides in _items(labels):
        if section == "agreement" and len({s.article for side in sides for s in side}) < 2:
            issues.append(f"agreement {item_id!r}: its sides must come from 2+ different articles")
        for n, side in enumerate(sides):
            for other in sides[n + 1 :]:
                # The same words on two sides, whatever claimant each labels.
                if {(s.article, s.quote) for s in side} & {(s.article, s.quote) for s in other}:
                    issues.append(f"{section} {item_id!r}: the same span is on two sides")
    return issues


def _locate_all(
    labels: Labels, texts: dict[str, str], issues: list[str]
) -> dict[tuple[str, str], Location]:
    spans: list[tuple[str, Span]] = [
        (f"{section} {item_id!r}", span)
        for section, item_id, sides in _items(labels)
        for side in sides
        for span in side
    ]
    spans += [
        (f"key claim {k.id!r}", Span(article=k.article, quote=k.quote)) for k in labels.key_claims
    ]
    locations: dict[tuple[str, str], Location] = {}
    for owner, span in spans:
        key = (span.article, span.quote)
        if key in locations:
            continue
        problem = _find_once(span, texts)
        if isinstance(problem, str):
            issues.append(f"{owner}: {problem}")
        else:
            locations[key] = problem
    return locations


def occurs_once(text: str, quote: str) -> bool:
    """True when `quote` occurs in `text` exactly once, overlapping repeats included ("aa"
    occurs twice in "aaa"): the rule every labelled quote must meet."""
    first = text.find(quote)
    # Search again from first + 1, not first + len: overlapping repeats are ambiguous too.
    return first >= 0 and text.find(quote, first + 1) < 0


def _find_once(span: Span, texts: dict[str, str]) -> Location | str:
    """Where a label's quote is. A quote typed with other quote marks, dashes, an ellipsis,
    other whitespace or without a final punctuation mark is found as the tool's grounding
    finds a model's quote (agent.grounding.locate) and stands for the article's own words;
    either way it must occur exactly once."""
    text = texts.get(span.article)
    if text is None:
        known = ", ".join(sorted(texts)) or "none"
        return f"unknown article {span.article!r} (articles: {known})"
    short = span.quote if len(span.quote) <= 60 else span.quote[:57] + "..."
    start = text.find(span.quote)
    if start >= 0:
        if not occurs_once(text, span.quote):
            return f"quote occurs more than once in {span.article} (lengthen it): {short!r}"
        return Location(span.article, start, start + len(span.quote))
    first, last = locate(span.quote, text, 0), locate(span.quote, text, len(text))
    if first is None or last is None:
        return f"quote not found in {span.article}: {short!r}"
    if first != last or not occurs_once(text, text[first[0] : first[1]]):
        return f"quote occurs more than once in {span.article} (lengthen it): {short!r}"
    return Location(span.article, first[0], first[1])
