"""Synthetic corpora for benchmarks and scale tests: invented stories, each told by several
invented outlets, with contradictions planted between them. Deterministic for a seed.

Everything is made up from the word lists below (town and family names are built from
syllables, so no story names a real place or person). A story is one incident (a fire, a
strike, a leak...) reported by 3 to 6 articles; each article tells the incident in its own
mix of sentences, and for each planted contradiction one article carries side A and another
side B. The manifest records where both sides are, so a run can be checked for what it found.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from dataclasses import asdict, dataclass, field
from pathlib import Path

SEED = 20261123
"""The default seed: the same seed and size give the same corpus, byte for byte."""

_SYLLABLES = [
    "bar", "ven", "kol", "mir", "tas", "dun", "hal", "sor", "lin", "mar", "tov", "rek",
    "pel", "gar", "nov", "sil", "dre", "wen", "cal", "brio", "ost", "fal", "tem", "quor",
]  # fmt: skip
_TOWN_ENDINGS = ["ford", "holt", "by", "mere", "wick", "stead", "ton", "vale"]
_FIRST_NAMES = [
    "Anna", "Ben", "Clara", "David", "Elena", "Felix", "Grace", "Henry", "Ines", "Jonas",
    "Karin", "Leo", "Maya", "Nils", "Olga", "Paul", "Rosa", "Simon", "Tara", "Victor",
]  # fmt: skip
_PAPERS = ["Gazette", "Courier", "Ledger", "Herald", "Observer", "Chronicle", "Post", "Record"]
_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


@dataclass(frozen=True)
class _Incident:
    kind: str
    """What happened, as a noun ("fire")."""
    site: str
    """Where ("chemical plant")."""
    people: str
    """Who was moved out ("workers")."""
    areas: tuple[str, str]
    """Two parts of the site, for scope disputes."""
    company: str
    """The operator's kind ("the plant's operator")."""


_INCIDENTS = [
    _Incident("fire", "chemical plant", "workers", ("east wing", "storage yard"), "operator"),
    _Incident("strike", "container port", "dockers", ("north terminal", "rail depot"), "company"),
    _Incident("leak", "waterworks", "residents", ("filter hall", "pump house"), "utility"),
    _Incident("collapse", "grain warehouse", "staff", ("loading bay", "silo row"), "owner"),
    _Incident("outage", "power station", "households", ("old town", "harbour"), "utility"),
    _Incident("derailment", "freight line", "passengers", ("main track", "sidings"), "railway"),
    _Incident("flood", "paper mill", "workers", ("turbine hall", "warehouse"), "mill owner"),
    _Incident("spill", "fuel depot", "residents", ("tank farm", "jetty"), "operator"),
]  # fmt: skip


@dataclass(frozen=True)
class Planted:
    """A contradiction planted between two articles: where each side's sentence is."""

    story: str
    """The story it belongs to."""
    type: str
    """Its type, as the report names types ("number", "scope"...)."""
    a: tuple[str, int, int]
    """(article id, start, end) of side A's sentence."""
    b: tuple[str, int, int]
    """(article id, start, end) of side B's sentence."""
    a_repeats: list[tuple[str, int, int]] = field(default_factory=list)
    """Other articles repeating side A word for word (flagging B against any of them counts)."""


@dataclass
class Corpus:
    """Articles by id, and the contradictions planted in them."""

    articles: dict[str, str] = field(default_factory=dict)
    """Article id (the file stem, starting with its YYYY-MM-DD date) -> text."""
    planted: list[Planted] = field(default_factory=list)
    """The planted contradictions."""

    def write(self, folder: Path) -> None:
        """One `<id>.txt` per article, and `planted.json` beside them (not an article)."""
        folder.mkdir(parents=True, exist_ok=True)
        for article_id, text in self.articles.items():
            (folder / f"{article_id}.txt").write_text(text, encoding="utf-8")
        manifest = [asdict(p) for p in self.planted]
        (folder / "planted.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")


def generate(n_articles: int, seed: int = SEED, story_size: tuple[int, int] = (3, 6)) -> Corpus:
    """A corpus of exactly `n_articles` articles, in stories of `story_size` articles (a range;
    `(n, n)` gives one story told n times, as a newsroom's feed on one event)."""
    rng = random.Random(seed)
    corpus = Corpus()
    story = 0
    while len(corpus.articles) < n_articles:
        size = min(rng.randint(*story_size), n_articles - len(corpus.articles))
        _Story(rng, story, size).tell(corpus)
        story += 1
    return corpus


def _name(rng: random.Random, parts: int = 2) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(parts)).capitalize()


class _Story:
    """One incident, its cast, and the articles that report it."""

    def __init__(self, rng: random.Random, number: int, size: int) -> None:
        self.rng = rng
        self.id = f"s{number:04d}"
        self.size = size
        self.town = _name(rng) + rng.choice(_TOWN_ENDINGS)
        self.incident = rng.choice(_INCIDENTS)
        self.date = dt.date(2031, 1, 1) + dt.timedelta(days=rng.randrange(700))
        self.official = f"{rng.choice(_FIRST_NAMES)} {_name(rng, 3)}"
        self.union = f"{rng.choice(_FIRST_NAMES)} {_name(rng, 3)}"
        self.inspector = f"{rng.choice(_FIRST_NAMES)} {_name(rng, 3)}"
        self.firm = f"{_name(rng)} Industries"
        self.outlets = rng.sample(_PAPERS, k=min(size, len(_PAPERS)))
        self.bylines = [f"{rng.choice(_FIRST_NAMES)} {_name(rng)}" for _ in range(size)]
        kinds = ["number", "scope", "denial", "date_time", "compliance"]
        # A story told once (the corpus's last, cut short) has no one to disagree with.
        self.disputes = rng.sample(kinds, k=rng.randint(2, 4)) if size >= 2 else []

    def tell(self, corpus: Corpus) -> None:
        rng, inc = self.rng, self.incident
        weekday = _WEEKDAYS[self.date.weekday()]
        evacuated = rng.choice([40, 60, 120, 200, 350])
        hour = rng.randint(1, 10)
        # Which two articles carry the two sides of each dispute.
        sides = {kind: rng.sample(range(self.size), k=2) for kind in self.disputes}
        # Where each side ended up: "A" and "B" once each, "A+" for every repeat of side A.
        written: dict[tuple[str, str], list[tuple[str, int, int]]] = {}
        for k in range(self.size):
            published = self.date + dt.timedelta(days=rng.randint(0, 2))
            outlet = f"The {self.town} {self.outlets[k % len(self.outlets)]}"
            article_id = f"{published.isoformat()}-{self.town.lower()}-{self.id}-{k}"
            lines = [f"{inc.kind.capitalize()} at {self.town} {inc.site} forces evacuation"]
            lines.append(f"By {self.bylines[k]}, {outlet}")
            lead = (
                f"A {inc.kind} hit the {self.town} {inc.site} on {weekday}, "
                f"city official {self.official} said."
            )
            body: list[tuple[str | None, str]] = []
            for kind in self.disputes:
                a, b = sides[kind]
                side = "A" if k == a else "B" if k == b else None
                if side is None and rng.random() < 0.5:
                    side = "A"  # other outlets often repeat the first account
                if side is not None:
                    sentence = self._dispute(kind, side, evacuated, hour)
                    body.append((f"{kind}:{side}" + ("" if k in (a, b) else "+"), sentence))
            body += [(None, s) for s in rng.sample(self._fillers(), k=rng.randint(6, 12))]
            rng.shuffle(body)
            body.insert(0, (None, lead))
            text, spans = _assemble(lines, body)
            corpus.articles[article_id] = text
            for tag, span in spans.items():
                kind, side = tag.split(":")
                written.setdefault((kind, side), []).append((article_id, *span))
        for kind in self.disputes:
            side_a, side_b = written[(kind, "A")][0], written[(kind, "B")][0]
            repeats = written.get((kind, "A+"), [])
            corpus.planted.append(Planted(self.id, kind, side_a, side_b, repeats))

    def _dispute(self, kind: str, side: str, evacuated: int, hour: int) -> str:
        # Each sentence names the town: accounts of one story share it, as real ones share
        # the names of their story, so they pair with each other before look-alikes elsewhere.
        inc, place = self.incident, f"{self.town} {self.incident.site}"
        if kind == "number":
            n = evacuated if side == "A" else evacuated * 2 + 30
            who = self.official if side == "A" else self.union
            return f"{who} said {n} {inc.people} were evacuated from the {place}."
        if kind == "scope":
            if side == "A":
                return (
                    f"{self.firm} said the closure of the {place} covered only the {inc.areas[0]}."
                )
            return f"{self.union} said the closure of the {place} covered the {inc.areas[1]} too."
        if kind == "denial":
            if side == "A":
                return (
                    f"{self.firm} said it had warned {self.town} residents before the {inc.kind}."
                )
            return (
                f"{self.union} denied that any warning had been given to {self.town} residents "
                f"before the {inc.kind}."
            )
        if kind == "date_time":
            h = hour if side == "A" else hour + 3
            chief = self.inspector
            return f"The {inc.kind} at the {place} began at {h} a.m., fire chief {chief} said."
        if side == "A":  # compliance
            return f"The {inc.company} of the {place} said it had complied with the safety order."
        return (
            f"Inspector {self.inspector} said the {inc.company} of the {place} had violated "
            "the safety order."
        )

    def _fillers(self) -> list[str]:
        inc = self.incident
        return [
            f"{self.official} said an investigation would follow.",
            f"Crews worked through the night to secure the {inc.site}, according to police.",
            f"No injuries were reported, {self.inspector} said.",
            "Local schools stayed open, the council said in a statement.",
            f"{self.firm} said it was cooperating with the authorities.",
            f"Residents gathered near the gates of the {inc.site} on the following morning.",
            f"Traffic was diverted around the {self.town} ring road for several hours.",
            f"{self.union} said workers had raised concerns about the {inc.site} for months.",
            f"The mayor of {self.town} promised a full public report.",
            "Emergency services were called shortly after dawn, a spokesman for the council said.",
            f'"We are doing everything we can," {self.official} told reporters at the scene.',
            f"Shares in {self.firm} fell sharply in early trading, according to analysts.",
            f"Neighbours described a loud bang and a column of smoke over the {inc.site}.",
            "The regional environment agency said it would test the river downstream.",
            f"{self.inspector} said a preliminary report was expected within two weeks.",
            f"Opposition councillors called for an independent inquiry into the {inc.kind}.",
            f"The {inc.site} employs about 300 people, according to the chamber of commerce.",
            f"A hotline for families was opened on {_WEEKDAYS[self.date.weekday()]} evening.",
            "Union members said they would hold a meeting with managers later in the week.",
        ]


def _assemble(
    lines: list[str], body: list[tuple[str | None, str]]
) -> tuple[str, dict[str, tuple[int, int]]]:
    """The article text (header lines, then paragraphs of two sentences), and where each
    tagged sentence is."""
    text = "\n".join(lines) + "\n\n"
    spans: dict[str, tuple[int, int]] = {}
    for i, (tag, sentence) in enumerate(body):
        start = len(text)
        text += sentence
        if tag is not None:
            spans[tag] = (start, start + len(sentence))
        text += "\n\n" if i % 2 else " "
    return text.rstrip() + "\n", spans
