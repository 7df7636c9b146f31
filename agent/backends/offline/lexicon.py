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
        "assure",
        "reassure",
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
# "approve" is an act (a cabinet approving a bill), reported by the outlet, not a position.
POSITION_VERBS = (SUPPORT_VERBS - {"approve"}) | OPPOSE_VERBS | frozenset(["demand"])

# Verbs that take a side with "for" or "against": "voted against the bill" opposes it.
SIDE_TAKING_VERBS = frozenset(["vote", "campaign", "argue", "speak", "lobby", "rule", "come out"])

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
# Words that confine something to a place: "endemic to X" is "found only in X".
EXCLUSIVE_PLACE_WORDS = frozenset(["endemic"])
EXCLUSIVE_PHRASES = ("nothing but", "nothing else", "no other", "and nothing more", "limited to")
INCLUSIVE_PHRASES = ("as well", "as well as", "in addition", "not only", "but also")
# Verbs of reach: what they are said of is inside a matter's scope ("the notice covers the
# north", "the village was affected"), and, negated, outside it ("the app was not affected").
# A scope claim made with one of them meets an account of the matter told with any verb.
EXTENT_VERBS = frozenset(
    ["affect", "apply", "cover", "concern", "extend", "include", "involve", "reach", "serve",
     "span", "hit", "target"]
)  # fmt: skip
# Words of an outlook: what a speaker expects, intends, is ready for or advises. A claim
# holding one states a position, which may change between two days.
# Verbs of expecting or intending among them: in the present tense with an infinitive after
# them ("we expect it to reopen by Thursday") they speak of what is to come, so a bare weekday
# is the next one.
FORWARD_VERBS = frozenset(
    ["expect", "plan", "intend", "hope", "aim", "promise", "pledge", "vow"]
)  # fmt: skip
OUTLOOK_WORDS = FORWARD_VERBS | frozenset(
    ["ready", "willing", "prepared", "need", "urge", "advise", "recommend", "should", "must",
     "propose", "commit"]
)  # fmt: skip
# Nouns of a stretch of time: "the whole week", "every morning" quantify over time, not
# over the things a matter covers.
PERIOD_NOUNS = frozenset(
    ["time", "morning", "afternoon", "evening", "night", "weekend", "season", "summer",
     "winter", "spring", "autumn", "period", "term", "way", "while"]
)  # fmt: skip

# Keeping or breaking an agreement, order or rule.
COMPLY_VERBS = frozenset(
    ["adhere", "comply", "respect", "honor", "honour", "abide", "obey", "implement", "uphold"]
)
BREACH_VERBS = frozenset(
    ["violate", "break", "breach", "ignore", "flout", "defy", "disregard", "contravene",
     "infringe", "circumvent"]
)  # fmt: skip
FAIL_WORDS = frozenset(["fail", "failure", "refuse"])
# Rules of conduct: what is followed, observed or met ("followed the procedures", "the notice
# the law requires"). Compliance told without a compliance verb names one of these.
NORM_NOUNS = frozenset(
    ["procedure", "protocol", "rule", "regulation", "guideline", "guidance", "law",
     "requirement", "standard", "code", "instruction", "policy", "schedule", "obligation",
     "condition", "term", "order", "agreement", "contract", "checklist", "statute",
     "legislation", "specification"]
)  # fmt: skip
# Verbs that keep a rule of conduct when it is their object: "followed the procedure", "met
# the standard", "observed the terms".
NORM_KEEP_VERBS = frozenset(
    ["follow", "observe", "meet", "satisfy", "fulfil", "fulfill", "keep", "stick", "conform"]
)
# Verbs of what a rule demands: "as the law requires", "as required by the code".
REQUIRE_VERBS = frozenset(["require", "demand", "stipulate", "prescribe", "mandate", "oblige"])
# Leaving out an act that was due: "missed the inspection", "skipped the check".
OMIT_VERBS = frozenset(["miss", "skip", "neglect", "omit", "forgo", "bypass"])
# Not doing an act that was due: "failed to give notice", "neglected to inform the board".
FAIL_TO_VERBS = frozenset(["fail", "neglect", "omit", "forget"])

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

# Nouns for people by their role (beside TITLE_NOUNS): "it" in their words is never them.
PERSON_NOUNS = frozenset(
    ["inspector", "officer", "detective", "engineer", "witness", "resident", "driver",
     "captain", "pilot", "doctor", "nurse", "teacher", "lawyer", "judge", "analyst", "expert",
     "scientist", "researcher", "reporter", "journalist", "survivor", "victim", "passenger",
     "farmer", "neighbour", "neighbor", "guard", "man", "woman", "person", "boy", "girl"]
)  # fmt: skip

# "No record / evidence / trace of X": nouns through which a claim denies that X happened.
RECORD_NOUNS = frozenset(
    ["record", "evidence", "trace", "sign", "knowledge", "indication", "proof", "note", "log"]
)

# Words too common to tell two claims apart.
_CALENDAR = frozenset(
    """
    monday tuesday wednesday thursday friday saturday sunday january february march april may
    june july august september october november december morning night evening
    """.split()  # noqa: SIM905 - a word list reads best as words
)
# Names of days, months and parts of the day: "in June" dates something, it is no place.
CALENDAR_WORDS = _CALENDAR
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

# --- frames: events, participants and the words that oppose them -------------------------
# Each set is one event or one kind of thing in general English; the first word names it.
# WordNet 3.0 (agent/backends/offline/alignment.py) aligns synonyms and opposites in general;
# these sets and pairs are what it does not give within a word's first senses (news usage:
# "walk out" and "down tools" for a strike; "kill" and "die"; "comply" and "honour"). A set
# or pair WordNet covers is not listed (bench/wordnet_senses.py and the README say which).

EVENT_SYNONYMS: tuple[tuple[str, ...], ...] = tuple(
    tuple(group.split("|"))
    for group in (
        "start|begin|break out|commence|erupt|get under way",
        "end|finish|conclude|cease",
        "strike|walk out|walkout|stop work|down tools",
        "approve|pass|adopt|ratify",
        "die|kill|dead|death|perish|fatality|pass away",
        "injure|hurt|wound|injury",
        "arrest|detain",
        "found|establish|set up|create",
        "close|shut|shut down|closed",
        "increase|rise|grow|raise|climb",
        "decrease|fall|drop|reduce|cut",
        "attack|hit|bomb|shell|target",
        "discuss|discussion|talk|mention|emphasize|emphasise|stress|debate|bring up|touch on",
        "join|connect|attach|fasten|bond",
        "lock|padlock|chain|bolt",
        "cause|blame",
        "arrive|reach|land",
        "carry|board|transport",
        "buy|purchase|acquire",
        "ask|request",
        "grant|issue|award|confer",
        "send|dispatch|transmit|radio|relay|forward",
        "steal|rob|loot|burgle|burglarize|pilfer|snatch|make off",
        "receive|obtain|get",
        "switch off|turn off|deactivate|disable|disarm",
        "switch on|turn on|activate|enable|arm",
        "promote|stimulate|encourage|enhance|foster",
        "inhibit|suppress|hinder|impede",
        "lose|defeat",
        "support|agree|accept|back|endorse|welcome|favour|favor",
        "oppose|reject|refuse|decline|dismiss|veto|turn down",
        "comply|adhere|respect|honour|honor|abide|obey|uphold",
        "breach|violate|break|ignore|flout|defy|disregard",
    )
)

THING_SYNONYMS: tuple[tuple[str, ...], ...] = tuple(
    tuple(group.split("|"))
    for group in (
        "worker|employee|staff|staffer|personnel",
        "ship|vessel|boat",
        "person|people|individual",
        "agreement|deal|accord|pact",
        "result|outcome|verdict",
        "fire|blaze",
        "company|firm",
        "soldier|troop",
        "car|vehicle",
        "track|rail",
        # Spellings of units: agent.quantities and MEASURE_UNITS compare units as spelt.
        "meter|metre",
        "kilometre|kilometer|km",
    )
)

# Nouns naming an event, and the event ("the evacuation of" = evacuate).
NOMINALISATIONS = {
    "announcement": "announce",
    "approval": "approve",
    "rejection": "reject",
    "refusal": "refuse",
    "decision": "decide",
    "investigation": "investigate",
    "inspection": "inspect",
    "test": "test",
    "examination": "examine",
    "review": "review",
    "departure": "leave",
    "resignation": "resign",
    "payment": "pay",
    "election": "elect",
    "appointment": "appoint",
    "construction": "build",
    "completion": "complete",
    "opening": "open",
    "closure": "close",
    "explosion": "explode",
    "arrival": "arrive",
    "attack": "attack",
    "strike": "strike",
    "walkout": "strike",
    "release": "release",
    "visit": "visit",
    "launch": "launch",
    "warning": "warn",
    "denial": "deny",
    "agreement": "agree",
    "evacuation": "evacuate",
    "arrest": "arrest",
    "death": "die",
    "fatality": "die",
    "injury": "injure",
    "birth": "born",
    "signing": "sign",
    "discussion": "discuss",
    "talk": "talk",
    "meeting": "meet",
    "ban": "ban",
    "delay": "delay",
    "increase": "increase",
    "cut": "cut",
    "breach": "breach",
    "violation": "violate",
    "collapse": "collapse",
    "sale": "sell",
    "purchase": "buy",
    "acquisition": "acquire",
    "merger": "merge",
    "vote": "vote",
    "win": "win",
    "victory": "win",
    "defeat": "lose",
    "request": "request",
    "break-in": "enter",
    "entry": "enter",
    "intrusion": "enter",
}

# Nouns that stand for whatever event a story is about ("the action began at 22:00" after
# "the strike"): an anaphor of an event noun, never a participant of its own.
GENERAL_EVENT_NOUNS = frozenset(
    ["action", "incident", "event", "episode", "operation", "affair", "occurrence"]
)
# Nouns naming things that happen, beside NOMINALISATIONS: disasters, crimes, conflicts.
HAPPENING_NOUNS = frozenset(
    ["fire", "blaze", "storm", "flood", "crash", "accident", "collision", "riot", "protest",
     "raid", "robbery", "theft", "burglary", "shooting", "derailment", "outage", "blackout",
     "leak", "spill", "outbreak", "earthquake", "war", "battle", "siege", "fight", "clash",
     "demonstration", "rally", "march", "ceremony", "match", "game", "race", "concert"]
)  # fmt: skip

# Verbs that carry little meaning of their own with an event noun: "made an announcement".
LIGHT_VERBS = frozenset(
    ["make", "take", "give", "have", "hold", "do", "carry", "conduct", "issue", "stage", "mount",
     "pass", "undergo", "fail"]
)  # fmt: skip

# Verbs whose complement is the claim: "records show that X", "the data indicate that X".
EVIDENTIAL_VERBS = frozenset(["show", "indicate", "reveal", "suggest", "prove", "confirm"])

# Predicates that cannot both hold of one thing (by the first word of their synonym set).
ANTONYMS: tuple[tuple[str, str], ...] = (
    ("support", "oppose"),
    ("approve", "oppose"),
    ("alive", "die"),
    ("comply", "breach"),
    ("allow", "ban"),
    ("lift", "impose"),
    ("resume", "suspend"),
    ("promote", "inhibit"),
)

# Converse events (by the first word of their synonym sets): one party's act is the other's
# experience of it, so "A sent the warning" is denied by "the warning never reached B" or
# "B never received it"; "A sold it to B" by "B never bought it".
CONVERSES: tuple[tuple[str, str], ...] = (
    ("send", "receive"),
    ("send", "arrive"),
    ("grant", "receive"),
    ("sell", "buy"),
    ("lend", "borrow"),
)

# States, adjectives and participles that are predicates when said of something.
STATE_WORDS = frozenset(
    ["alive", "dead", "open", "closed", "guilty", "innocent", "legal", "illegal", "present",
     "absent", "true", "false", "shut"]
)  # fmt: skip

# The matter is not known yet: such claims agree with each other and deny nothing.
UNKNOWN_PHRASES = (
    "not yet known",
    "not known",
    "is unknown",
    "was unknown",
    "remains unknown",
    "remain unknown",
    "too early to say",
    "too early to tell",
    "too soon to say",
    "too soon to tell",
    "under investigation",
    "being investigated",
    "investigating the cause",
    "yet to be determined",
    "yet to be established",
    "not been determined",
    "not been established",
    "remains to be seen",
    "not yet clear",
    "unclear",
)

# Keeping to an agreement, order or rule, said as a phrase.
COMPLY_PHRASES = tuple(
    f"in {degree}{noun} with"
    for degree in ("", "full ", "strict ", "complete ", "total ")
    for noun in ("accordance", "line", "compliance", "keeping")
)

# A fire, crash or fault said to be deliberate, or accidental.
DELIBERATE_WORDS = frozenset(
    ["arson", "deliberate", "deliberately", "intentional", "intentionally", "sabotage"]
)
DELIBERATE_PHRASES = ("on purpose", "set alight")
ACCIDENTAL_WORDS = frozenset(["accident", "accidental", "accidentally", "fault", "malfunction"])
ACCIDENTAL_PHRASES = ("short circuit", "short-circuit")

# A state said to hold over a whole period: "throughout the night", "all day long".
THROUGHOUT_PHRASES = tuple(
    [f"throughout the {part}" for part in ("night", "day", "morning", "afternoon", "evening")]
    + [f"all {part}" for part in ("night", "day", "morning", "afternoon", "evening")]
    + ["the whole night", "the whole day", "at all times", "the entire night", "the entire day"]
)

# Conditions: the claim holds only if something else does.
CONDITIONAL_MARKERS = frozenset(["if", "unless", "provided", "providing", "contingent"])

# Gender the text gives a person: honorifics, gendered titles and pronouns.
FEMALE_WORDS = frozenset(
    ["she", "her", "hers", "herself", "mrs", "ms", "miss", "madam", "lady", "dame",
     "spokeswoman", "chairwoman", "congresswoman", "businesswoman", "councilwoman", "queen",
     "princess", "duchess", "countess", "mother", "wife", "daughter", "sister", "grandmother",
     "actress", "widow", "aunt", "niece"]
)  # fmt: skip
MALE_WORDS = frozenset(
    ["he", "him", "his", "himself", "mr", "sir", "lord", "spokesman", "chairman",
     "congressman", "businessman", "councilman", "king", "prince", "duke", "count", "father",
     "husband", "son", "brother", "grandfather", "actor", "widower", "uncle", "nephew"]
)  # fmt: skip

# Events that happen once to a given participant: told at two places or times, it is one
# event told two ways, not two events.
ONCE_EVENTS = frozenset(["born", "die", "found", "build", "marry", "resign", "elect"])

# Units of measure: two figures in one unit for the same thing said by the same party are
# comparable whatever verb carries them ("is 69 km from X" / "lies roughly 80 km from X").
MEASURE_UNITS = frozenset(
    ["%", "cent", "percent", "kilometre", "mile", "metre", "foot", "inch", "kilogram", "kg",
     "tonne", "ton", "litre", "hectare", "acre", "degree"]
)  # fmt: skip
