"""The data model, defined once: every stage reads and writes these.

`Report` is serialised to `report.json`, a public contract (schema_version 1): fields may be
added, none of the contract's fields renamed. Offsets are character offsets into the article
text exactly as decoded from its file, so `article.text[start:end] == quote` always holds.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Literal

from pydantic import Field

from agent.base import Strict

SCHEMA_VERSION: Literal[1] = 1

GroupedBy = Literal["links", "few_unlinked", "one_story"]
"""How a story's articles came to be one (see `Story.grouped_by`)."""
ClaimantKind = Literal["person", "organization", "government", "outlet", "other"]


class Stance(StrEnum):
    """How the claimant relates to the statement."""

    ASSERTS = "asserts"
    """The claimant says it is so."""
    DENIES = "denies"
    """The claimant says it is not so, or rejects someone else's claim."""
    REPORTS = "reports"
    """The claim is relayed second hand ("according to", "was believed to", a readout)."""
    HEDGES = "hedges"
    """The claimant qualifies it ("may", "likely", "in principle")."""


class ContradictionType(StrEnum):
    """What kind of disagreement a contradiction is."""

    SCOPE = "scope"
    """What something covers: "only X" against "X and Y too"."""
    NUMBER = "number"
    """Different figures for the same quantity."""
    DATE_TIME = "date_time"
    """Different dates or times for the same event."""
    DENIAL = "denial"
    """A claim and its explicit denial."""
    COMPLIANCE = "compliance"
    """Whether a party kept or broke an agreement or order."""
    ATTRIBUTION = "attribution"
    """The same words or position credited to different parties."""
    TEMPORAL = "temporal"
    """The same party's position changed over time: not a clash of sources."""
    OTHER = "other"
    """Incompatible, but none of the above."""


class Article(Strict):
    """One input document, decoded and described."""

    id: str
    """Stable id: the file stem (with a short content hash when two files share a stem)."""
    path: str
    """The path the article was read from, as given or found."""
    title: str | None = None
    """The headline, when the text, the page or a sidecar names one."""
    source: str | None = None
    """The outlet (a Source: line, a masthead, a page's site name, a wire's agency), else the
    byline, when the text, the page or a sidecar names one."""
    published: dt.date | None = None
    """Publication date from the text, the page's markup or a sidecar (or a YYYY-MM-DD
    file-name prefix), when known."""
    dateline: str | None = None
    """The dateline place ("WASHINGTON —"), when present."""
    sha256: str
    """SHA-256 of the file's bytes; for a web page, a URL or a file with front matter, of the
    article text (UTF-8) that OUT/articles/ID.txt holds, since the offsets refer to it."""
    story_id: str | None = None
    """The story (event) it was grouped into."""
    copy_of: str | None = None
    """The article it is a near-duplicate of (syndicated wire copy, a light edit), if any."""
    author: str | None = None
    """The byline (a By or Author: line, a page's author, a sidecar), when known."""
    extracted_by: str | None = None
    """The extractor that made the text of a web page or URL ("trafilatura 2.3.1"); None for
    a text file, read as it is."""
    url: str | None = None
    """Where a fetched page came from (after redirects), or the url a sidecar gives."""
    text: str = Field(default="", exclude=True, repr=False)
    """The decoded text all offsets refer to; kept out of report.json."""


class Quantity(Strict):
    """A number the claim states, with its unit."""

    text: str
    """The words as written ("around an hour", "30-day")."""
    value: float
    """The numeric value ("an hour" is 1, "two and a half" is 2.5)."""
    unit: str | None = None
    """The unit or counted noun, lemmatised ("day", "hour", "person"), when there is one."""
    approximate: bool = False
    """True when hedged ("about", "around", "nearly", "some")."""
    bound: Literal["min", "max"] | None = None
    """ "more than 300" is a lower bound (min), "fewer than 300" an upper one (max)."""


class TimeRef(Strict):
    """A time the claim refers to."""

    text: str
    """The words as written ("Tuesday", "last week", "March 11")."""
    date: dt.date | None = None
    """Resolved against the article's publication date, when it can be."""


class Claim(Strict):
    """One attributed, grounded statement extracted from one article."""

    id: str
    """Stable id derived from the article's content hash and the quote's span."""
    article_id: str
    """The article it comes from."""
    statement: str
    """The claim as a standalone sentence, understandable without the article."""
    claimant: str
    """Who asserts it: a person, institution or government, or the outlet in its own voice."""
    claimant_kind: ClaimantKind = "other"
    """What sort of claimant it is; "outlet" when the article speaks in its own voice."""
    stance: Stance = Stance.ASSERTS
    """How the claimant relates to the statement."""
    quote: str
    """The verbatim words, an exact span of the article text."""
    start: int
    """Offset of the quote's first character in the article text."""
    end: int
    """Offset one past the quote's last character."""
    negated: bool = False
    """The claimed content is negative ("did not talk about aid")."""
    time: TimeRef | None = None
    """The time the claim refers to, when the text gives one."""
    quantities: list[Quantity] = Field(default_factory=list)
    """Numbers the claim states."""
    sentence: int = 0
    """Index of the sentence the quote starts in (0-based), sentences as agent/sentences.py
    splits the article (the numbering the LLM backend's prompts show)."""
    repeated_in: list[str] = Field(default_factory=list)
    """Near-duplicate copies that carry the same words: their own claim is folded into this
    one (not paired, not listed again in report.json's claims)."""
    claimant_corrected_from: str | None = None
    """The claimant the tool gave, when a reviewer corrected it (`claimant` is then theirs)."""


class Side(Strict):
    """One side of a contradiction: who said what, where."""

    claim_id: str
    """The claim this side rests on."""
    article_id: str
    """The article the quote is in."""
    article_sha256: str
    """SHA-256 of that article's file: the exact text the offsets refer to."""
    claimant: str
    """Who asserts this side."""
    quote: str
    """The exact words, an exact span of the article."""
    start: int
    """Offset of the quote in the article text."""
    end: int
    """Offset one past the quote's end."""
    repeated_in: list[str] = Field(default_factory=list)
    """Articles (near-duplicate copies) that carry the same words; not listed as sides."""
    claimant_corrected_from: str | None = None
    """The claimant the tool gave, when a reviewer corrected it (`claimant` is then theirs)."""


ReviewDecision = Literal["pending", "confirmed", "rejected"]


class ReviewStatus(Strict):
    """Where a person's review of one flagged contradiction stands."""

    decision: ReviewDecision = "pending"
    """"confirmed" or "rejected" by a reviewer, else "pending"."""
    type: ContradictionType | None = None
    """The type the reviewer set, when they changed the judge's type."""
    note: str = ""
    """The reviewer's latest note."""
    reviewer: str | None = None
    """Who made the latest decision, note or type change."""
    at: dt.datetime | None = None
    """When they made it (UTC)."""
    from_dispute: str | None = None
    """On a pair: the fingerprint of the dispute whose decision this is, when the pair has no
    decision of its own (a dispute-level decision covers the pairs it held when taken)."""


class Contradiction(Strict):
    """Two accounts that cannot both be true (or one party's changed position)."""

    id: str
    """Stable id derived from the sides and the type."""
    fingerprint: str = ""
    """Content fingerprint (the articles' hashes, the sides' spans, the type): what review
    decisions attach to, so they survive re-runs, reordering and a change of backend."""
    type: ContradictionType
    """The kind of disagreement."""
    summary: str
    """One sentence saying what is disputed."""
    confidence: float = Field(ge=0.0, le=1.0)
    """How sure the judge is, 0 to 1; the report ranks by it."""
    sides: list[Side] = Field(min_length=2)
    """The conflicting accounts, each with its exact words."""
    cues: list[str] = Field(default_factory=list)
    """Why it was flagged: the rule cues or the model's reason."""
    review: ReviewStatus = Field(default_factory=ReviewStatus)
    """The review decision attached to this flag (from the output folder's review log)."""
    dispute_id: str | None = None
    """The dispute it belongs to (report.disputes)."""
    story_id: str | None = None
    """The story of its sides."""
    added_by_reviewer: bool = False
    """A contradiction the tool missed, added in review by choosing its two claims (its type
    and note are the reviewer's; `cues` says "added by reviewer")."""


class AgreementSide(Side):
    """One article's statement of an agreed fact (the same fields as a contradiction's side)."""


class Agreement(Strict):
    """A fact stated by two or more articles."""

    id: str
    """Stable id derived from the sides."""
    summary: str
    """The agreed fact in one sentence."""
    sides: list[AgreementSide] = Field(min_length=2)
    """Each article's words for it."""
    story_id: str | None = None
    """The story it belongs to."""
    sources: list[str] = Field(default_factory=list)
    """Every article that states it, near-duplicate copies included, sorted."""


class Story(Strict):
    """Articles about the same event: pairs and disputes never cross a story."""

    id: str
    """Stable id: "st-" + a hash of its articles' sha256s."""
    title: str
    """A few words naming the event (the most central article's title, else its top terms)."""
    article_ids: list[str]
    """Its articles, sorted by id (copies included)."""
    copies: dict[str, str] = Field(default_factory=dict)
    """Near-duplicate articles: copy's id -> the id of the article it repeats (syndicated
    wire copy, light edits). A copy's claims are folded into the original's."""
    grouped_by: GroupedBy = "links"
    """Why these articles are one story: "links", the articles (or their copies) share names
    and words enough to be one event; "few_unlinked", no two articles of a small folder were
    linked, which says nothing against one event (reports in different registers share few
    words), so they are compared as one; "one_story", the user said so (--one-story)."""


class DisputeSide(Strict):
    """One account inside a position: who said it, where, in their exact words."""

    claim_id: str
    """The claim it rests on."""
    article_id: str
    """The article the quote is in."""
    article_sha256: str
    """SHA-256 of that article's file."""
    claimant: str
    """Who asserts it."""
    quote: str
    """The exact words, an exact span of the article."""
    start: int
    """Offset of the quote in the article text."""
    end: int
    """Offset one past the quote's end."""
    repeated_in: list[str] = Field(default_factory=list)
    """Articles (near-duplicate copies) that carry the same words; not listed as sides."""
    claimant_corrected_from: str | None = None
    """The claimant the tool gave, when a reviewer corrected it (`claimant` is then theirs)."""


class Position(Strict):
    """One of the incompatible accounts of a disputed matter."""

    id: str
    """Stable id within the report ("po-" + hash of its sides' claim ids)."""
    label: str
    """A few words for the account ("aid was not discussed at all")."""
    summary: str
    """One sentence: who holds this account and what it says."""
    claimants: list[str]
    """Who holds it, in the order of the sides."""
    sides: list[DisputeSide] = Field(min_length=1)
    """The accounts that state this position, each with its exact words."""
    sources: list[str]
    """Article ids that hold or repeat this position (copies included), sorted."""


class Dispute(Strict):
    """Contradictions about one matter, gathered: every position and every source of each."""

    id: str
    """Stable id ("dp-" + hash of the sorted fingerprints of its contradictions)."""
    fingerprint: str
    """What dispute-level review decisions attach to (see the review log): the smallest
    `fingerprint`, in string order, of its contradictions, so always the fingerprint of one
    of its own pairs. A dispute that gains a side keeps it unless a new pair's fingerprint
    sorts before it; in every case the dispute whose contradictions include a pair with that
    fingerprint is the same dispute, which is how a logged decision finds it again."""
    story_id: str
    """The story it belongs to."""
    matter: str
    """What is disputed, in a few words ("whether the call discussed an end to aid")."""
    types: list[ContradictionType]
    """The contradiction types among its pairs, most frequent first."""
    confidence: float = Field(ge=0.0, le=1.0)
    """The highest confidence among its pairs; disputes are ranked by it."""
    positions: list[Position] = Field(min_length=2)
    """The incompatible accounts (at least two)."""
    contradiction_ids: list[str]
    """The pair-level contradictions it gathers (report.contradictions)."""
    review: ReviewStatus = Field(default_factory=ReviewStatus)
    """The dispute-level review decision, when one was taken."""


class OrphanedReview(Strict):
    """A review decision whose flag is not in this run's report (it was not found again)."""

    fingerprint: str
    """The flag's content fingerprint."""
    review: ReviewStatus
    """The decision, note and type change it carries."""
    flag: Contradiction
    """The flag as the reviewer saw it."""


class OrphanedDisputeReview(Strict):
    """A dispute-level decision that attaches to no dispute of this run (kept, never dropped)."""

    fingerprint: str
    """The dispute's fingerprint when the decision was taken."""
    review: ReviewStatus
    """The decision, note and type change it carries."""
    dispute: Dispute
    """The dispute as the reviewer saw it."""


class OrphanedCorrection(Strict):
    """A claimant correction whose claim (article SHA-256 and span) is not in this run."""

    key: str
    """The claim's content key ("ck-" + hash of its article's SHA-256 and its span)."""
    claimant: str
    """The claimant the reviewer gave."""
    was: str
    """The claimant the tool had given."""
    article_id: str
    """The article the claim was in, as the reviewer saw it."""
    quote: str
    """The claim's words."""
    reviewer: str
    """Who corrected it."""
    at: dt.datetime
    """When (UTC)."""


class InputError(Strict):
    """One input that could not be used, or one unit of work that failed."""

    path: str
    """The file (or article id) concerned."""
    error: str
    """A one-line description of the problem."""


class Judgement(Strict):
    """A judge's verdict on one candidate pair of claims (internal; not in the report)."""

    a: str
    """First claim id."""
    b: str
    """Second claim id."""
    relation: Literal["agree", "contradict", "unrelated", "unjudged"]
    """What the judge decided; "unjudged" when it gave no verdict (never a negative)."""
    type: ContradictionType | None = None
    """The contradiction type, when relation is contradict."""
    summary: str = ""
    """One sentence on what is agreed or disputed."""
    confidence: float = Field(default=0.0, ge=0.0, le=1.0)
    """How sure the judge is."""
    cues: list[str] = Field(default_factory=list)
    """The evidence the judge used."""


CapName = Literal["contradictions_per_claim", "contradictions_per_run", "agreements_per_run"]


class CapHit(Strict):
    """A cap on what a run keeps that dropped something in this run."""

    cap: CapName
    """Which cap: contradictions kept per claim or per run, or agreements kept per run."""
    limit: int
    """Its value: at most this many are kept (on one claim, or in the run)."""
    dropped: int
    """How many were found but not kept: the least confident contradictions, the agreements
    with the fewest sides."""


class RunStats(Strict):
    """Counts and timings of one run."""

    articles: int = 0
    """Articles reconciled."""
    claims: int = 0
    """Claims extracted."""
    candidate_pairs: int = 0
    """Pairs of claims sent to the judge."""
    unjudged_pairs: int = 0
    """Candidate pairs that got no verdict (a failed call, a pair the model skipped): not
    judged, so not counted as "no contradiction"; each is listed in the errors."""
    single_source_claims: int = 0
    """Claims that no other article's claim agrees or conflicts with."""
    articles_from_cache: int = 0
    """Articles whose claims the offline backend took from its cache instead of reading."""
    seconds: dict[str, float] = Field(default_factory=dict)
    """Wall time per stage."""
    capped: list[CapHit] = Field(default_factory=list)
    """The caps on flags kept that bit in this run (empty: everything found is reported)."""
    stories: int = 0
    """Stories (events) the articles were grouped into."""
    copies: int = 0
    """Articles found to be near-duplicates of another (Article.copy_of)."""
    folded_claims: int = 0
    """Claims of copies that repeat another article's words, folded into that claim (not
    counted in `claims`)."""


class StageUsage(Strict):
    """Calls and tokens of one LLM stage."""

    calls: int = 0
    """Requests answered by the endpoint."""
    cached: int = 0
    """Answers taken from the response cache (no request)."""
    failed: int = 0
    """Units of work given up on."""
    prompt_tokens: int = 0
    """Input tokens."""
    completion_tokens: int = 0
    """Output tokens."""


class LLMRunInfo(Strict):
    """What an LLM-backend run used and cost."""

    model: str
    """The model name."""
    endpoint: str
    """The endpoint's base URL (never the key)."""
    response_format: str | None = None
    """The structured-output mode that worked: json_schema or json_object."""
    response_format_reason: str | None = None
    """Why that mode: accepted by the endpoint, or the endpoint's own words rejecting
    json_schema (and when that was found, when remembered from an earlier run)."""
    request_budget_seconds: float | None = None
    """The most time one request may take with its retries (attempts × timeout + backoff)."""
    pairing: str = "lexical"
    """How candidate pairs were found: the endpoint's "embeddings", or "lexical" terms."""
    prompt_hashes: dict[str, str] = Field(default_factory=dict)
    """Hash of each prompt template used (also part of the cache key)."""
    stages: dict[str, StageUsage] = Field(default_factory=dict)
    """Usage per stage: extract, judge, embed."""
    total: StageUsage = Field(default_factory=StageUsage)
    """Usage summed over stages."""
    requests: int = 0
    """HTTP requests sent (retries included); 0 on a fully cached re-run."""
    cost_usd: float | None = None
    """Estimated cost, None when the model's price is unknown."""
    prices_as_of: str = ""
    """Where the price figures come from."""


class Report(Strict):
    """Everything one run found: the content of report.json."""

    schema_version: Literal[1] = SCHEMA_VERSION
    """Version of this contract."""
    backend: str
    """"offline" or "llm:<model>"."""
    articles: list[Article] = Field(default_factory=list)
    """The articles reconciled, sorted by id."""
    claims: list[Claim] = Field(default_factory=list)
    """All claims, sorted by article and offset."""
    contradictions: list[Contradiction] = Field(default_factory=list)
    """Contradictions, most confident first."""
    agreements: list[Agreement] = Field(default_factory=list)
    """Facts stated by two or more articles."""
    errors: list[InputError] = Field(default_factory=list)
    """Inputs or units of work that failed; the rest of the run went on."""
    orphaned_reviews: list[OrphanedReview] = Field(default_factory=list)
    """Review decisions on flags this run did not find again: kept, never dropped."""
    orphaned_dispute_reviews: list[OrphanedDisputeReview] = Field(default_factory=list)
    """Dispute-level decisions that attach to no dispute of this run: kept, never dropped."""
    orphaned_corrections: list[OrphanedCorrection] = Field(default_factory=list)
    """Claimant corrections whose claim this run did not find again: kept, never dropped."""
    stories: list[Story] = Field(default_factory=list)
    """The articles grouped by event; pairs and disputes never cross a story."""
    disputes: list[Dispute] = Field(default_factory=list)
    """Contradictions grouped by matter, every position and its sources, most confident
    first."""
    stats: RunStats = Field(default_factory=RunStats)
    """Counts and timings."""
    llm: LLMRunInfo | None = None
    """Model, prompts, tokens and cost, for the LLM backend."""
    interrupted: str | None = None
    """Set when the run was stopped (Ctrl-C): where, and what the report holds; the next
    run takes finished work from the caches."""
