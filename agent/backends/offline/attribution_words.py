"""General English words for who says what: descriptions that stand for a body named
earlier, the people who speak for someone, and the inquiries whose findings are claims.

Ordinary vocabulary only: nothing here names a person, place, organisation or phrase of the
seeds, the eval fixtures or any benchmark.
"""

from __future__ import annotations

# Nouns a story uses for a body it named before ("Brindle Foods ... the company said").
# Any of these stands for the latest named organisation whose name or description holds it
# ("the council" for "Brenmoor Council", "the group" for "Harbour Watch, a campaign group").
BODY_NOUNS = frozenset(
    ["company", "firm", "business", "group", "organisation", "organization", "corporation",
     "trust", "council", "ministry", "department", "agency", "authority", "office", "board",
     "committee", "commission", "charity", "union", "association", "federation", "society",
     "foundation", "institute", "university", "college", "school", "hospital", "club",
     "party", "bank", "airline", "carrier", "operator", "utility", "regulator", "watchdog",
     "developer", "contractor", "supplier", "provider", "manufacturer", "maker", "producer",
     "retailer", "chain", "insurer", "lender", "broadcaster", "publisher", "network",
     "service", "inspectorate", "tribunal", "court", "police", "force", "brigade",
     "government", "administration", "cabinet", "embassy", "consortium", "partnership",
     "employer"]
)  # fmt: skip

# Of those, the nouns any business is (a story calls "Brindle Foods" "the company" without
# having said so): they stand for the latest organisation even when its name lacks them.
GENERIC_BODY_NOUNS = frozenset(
    ["company", "firm", "business", "group", "organisation", "organization", "corporation"]
)

# People who speak for someone else: "a company spokesperson", "his spokesman", "a
# spokeswoman for the firm" are the voice of the body or person they speak for.
VOICE_NOUNS = frozenset(["spokesperson", "spokesman", "spokeswoman", "representative"])

# Verbs by which an inquiry states what it established ("the report found that P", "the
# study showed P"): claims of the inquiry, but only with such a subject ("police found a
# body" is an event, not a finding).
FINDING_VERBS = frozenset(["find", "show", "reveal", "establish", "determine", "conclude"])
INQUIRY_NOUNS = frozenset(
    ["report", "review", "inquiry", "enquiry", "investigation", "audit", "inspection", "study",
     "survey", "analysis", "assessment", "probe", "research", "evaluation", "examination",
     "researchers", "investigators", "inspectors", "auditors", "reviewers", "scientists",
     "panel", "inquest", "coroner", "tribunal"]
)  # fmt: skip

# Documents someone issues ("X issued a statement ... The statement said"): the document
# speaks for whoever issued it.
ISSUED_DOCUMENTS = frozenset(
    ["statement", "report", "letter", "release", "notice", "memo", "email", "readout",
     "communique", "communiqué", "submission", "briefing", "review", "study", "audit"]
)  # fmt: skip

# Pronouns that stand for a body as the subject of a reporting verb ("It said", "They added").
BODY_PRONOUNS = frozenset(["it", "they"])
