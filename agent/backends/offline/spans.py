"""The text of a run of tokens as a claimant's name: "the ministry's" reads "ministry"."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # spaCy is slow to import; a run on cached claims never needs it
    from spacy.tokens import Token


def span_text(tokens: Iterable[Token]) -> str:
    """The document's text from the first token to the last, without a leading "the", a
    trailing possessive "'s" or edge commas and spaces; "" for no tokens."""
    toks = sorted(tokens, key=lambda t: t.i)
    if not toks:
        return ""
    doc = toks[0].doc
    text = doc[toks[0].i : toks[-1].i + 1].text
    for prefix in ("the ", "The "):
        if text.startswith(prefix):
            text = text[len(prefix) :]
    if text.endswith("’s") or text.endswith("'s"):
        text = text[:-2]
    return text.strip(" ,")
