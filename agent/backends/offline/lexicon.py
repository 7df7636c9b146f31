"""General English word lists the offline rules use.

Every entry is ordinary English vocabulary (reporting verbs, negators, scope words, compliance
verbs...). Nothing here may name a person, place, organisation or phrase from the seeds or
the eval fixtures: the rules must hold on any news text.
"""

from __future__ import annotations

# Number words are shared with the LLM backend's quantity parser.
from agent.quantities import APPROX_WORDS as APPROX_WORDS
from agent.quantities import NUMBER_WORDS as NUMBER_WORDS
from agent.quantities import SCALE_WORDS as SCALE_WORDS

# Verbs that introduce what someone says or holds ("X said", "X insisted that").
SPEECH_VERBS = frozenset(
    [
        "say",
        "tell",
        "add",
        "state",
        "claim",
        "insist",
        "argue",
        "assert",
        "maintain",
        "note",
        "warn",
        "acknowledge",
        "admit",
        "confirm",
        "announce",
        "report",
        "suggest",
        "explain",
        "emphasize",
        "emphasise",
        "stress",
        "write",
        "post",
        "tweet",
        "declare",
        "contend",
        "allege",
        "predict",
        "promise",
        "pledge",
        "vow",
        "threaten",
        "urge",
        "describe",
        "believe",
        "think",
        "complain",
        "concede",
        "counter",
        "reiterate",
        "repeat",
        "respond",
        "reply",
        "signal",
        "indicate",
        "estimate",
        "conclude",
        "hint",
        "caution",
        "recall",
        "remark",
        "insinuate",
        "charge",
        "accuse",
        "blame",
        "testify",
        "deny",
        "reject",
        "dismiss",
        "dispute",
        "refute",
        "rebut",
        "disavow",
        "contradict",
    ]
)

# Verbs that take a position rather than report a fact: opposite pairs across time by the same
# party are a change of stance.
SUPPORT_VERBS = frozenset(
    ["agree", "support", "back", "accept", "endorse", "welcome", "approve", "favour", "favor"]
)
OPPOSE_VERBS = frozenset(["reject", "refuse", "oppose", "dismiss", "decline", "veto"])
POSITION_VERBS = SUPPORT_VERBS | OPPOSE_VERBS | frozenset(["demand"])

# Verbs whose speaker says something is not so ("reject"/"dismiss" only of a claim).
ALWAYS_DENIAL_VERBS = frozenset(["deny", "refute", "rebut", "disavow", "contradict", "dispute"])
DENIAL_VERBS = frozenset(
    ["deny", "reject", "dismiss", "dispute", "refute", "rebut", "disavow", "contradict"]
)

# Words that call another claim false.
DISPUTE_LEMMAS = frozenset(
    [
        "false",
        "untrue",
        "lie",
        "lying",
        "baseless",
        "nonsense",
        "misleading",
        "fabricate",
        "fabricated",
        "wrong",
        "incorrect",
        "inaccurate",
        "groundless",
        "fiction",
        "fake",
    ]
)
# Multi-word dispute phrases, matched on lower-cased text.
DISPUTE_PHRASES = (
    "at odds with",
    "not true",
    "not the case",
    "no truth",
    "far from the truth",
    "contrary to",
    "does not reflect",
    "did not reflect",
    "has no basis",
)

# Nouns that stand for an earlier claim ("the claim was false").
CLAIM_NOUNS = frozenset(
    [
        "claim",
        "claims",
        "statement",
        "assertion",
        "allegation",
        "allegations",
        "report",
        "reports",
        "account",
        "readout",
        "version",
        "suggestion",
        "accusation",
        "accusations",
    ]
)

# Documents whose possessor is the real claimant ("the ministry's statement" -> the ministry).
DOCUMENT_NOUNS = frozenset(
    [
        "readout",
        "statement",
        "report",
        "communique",
        "communiqué",
        "release",
        "post",
        "account",
        "website",
        "spokesperson",
        "spokesman",
        "spokeswoman",
        "office",
        "summary",
        "transcript",
    ]
)

HEDGE_WORDS = frozenset(
    [
        "may",
        "might",
        "could",
        "likely",
        "possibly",
        "perhaps",
        "reportedly",
        "apparently",
        "allegedly",
        "probably",
        "seem",
        "appear",
        "believe",
        "suggest",
        "unclear",
    ]
)
HEDGE_PHRASES = ("in principle", "it is believed", "was believed", "were believed")

# Scope words: exclusive ("only X") against inclusive ("X too", "also X").
EXCLUSIVE_PHRASES = ("nothing but", "nothing else", "no other", "and nothing more", "limited to")
INCLUSIVE_PHRASES = ("as well", "as well as", "in addition", "not only", "but also")

# Keeping or breaking an agreement, order or rule.
COMPLY_VERBS = frozenset(
    ["adhere", "comply", "respect", "honor", "honour", "abide", "obey", "implement", "uphold"]
)
BREACH_VERBS = frozenset(["violate", "break", "breach", "ignore", "flout", "defy", "disregard"])
FAIL_WORDS = frozenset(["fail", "failure", "refuse"])

# Time units for durations; counted nouns are taken from the text.
TIME_UNITS = frozenset(["second", "minute", "hour", "day", "week", "month", "year", "decade"])

# Third-person pronouns that point back to an earlier claimant.
PERSON_PRONOUNS = frozenset(["he", "she", "his", "her", "him"])
GROUP_PRONOUNS = frozenset(["they", "them", "their", "it", "its", "each", "both"])
# Claimants that cannot be an outside speaker: first and second person inside quotations.
SPEAKER_PRONOUNS = frozenset(["i", "we", "you", "me", "us"])
RELATIVE_PRONOUNS = frozenset(["who", "which", "that", "whom"])

# Title nouns that can stand for a named person mentioned earlier ("the president said").
TITLE_NOUNS = frozenset(
    [
        "president",
        "minister",
        "secretary",
        "spokesperson",
        "spokesman",
        "spokeswoman",
        "chancellor",
        "leader",
        "governor",
        "mayor",
        "senator",
        "ambassador",
        "chief",
        "director",
        "chairman",
        "chairwoman",
        "chair",
        "commissioner",
        "official",
        "prime",
        "general",
        "commander",
        "envoy",
        "adviser",
        "advisor",
        "counterpart",
        "premier",
        "king",
        "queen",
        "member",
        "lawmaker",
        "deputy",
        "representative",
        "mp",
        "councillor",
        "councilor",
        "head",
    ]
)

# Words too common to tell two claims apart.
_CALENDAR = frozenset(
    """
    monday tuesday wednesday thursday friday saturday sunday january february march april may
    june july august september october november december morning night evening
    """.split()  # noqa: SIM905 - a word list reads best as words
)
WEAK_TERMS = (
    frozenset(
        [
            "be",
            "have",
            "do",
            "say",
            "make",
            "take",
            "get",
            "go",
            "come",
            "give",
            "know",
            "see",
            "use",
            "also",
            "very",
            "much",
            "many",
            "more",
            "most",
            "other",
            "such",
            "only",
            "just",
            "even",
            "still",
            "well",
            "back",
            "way",
            "time",
            "year",
            "day",
            "week",
            "thing",
            "people",
            "percent",
        ]
    )
    | _CALENDAR
)
