"""One name per claimant across a run: a person named in full in one place and by surname
elsewhere ("Tove Halvik", "Halvik") is one claimant."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from agent.models import Claim


def canonical_names(names: Iterable[str], kinds: Mapping[str, str]) -> dict[str, str]:
    """Map each person claimant to its fullest form in the run: a surname-only mention goes to
    the one full name that ends with it; ambiguous surnames are left alone."""
    people = {n for n in names if kinds.get(n) == "person"}
    full_by_last: dict[str, set[str]] = {}
    for name in people:
        parts = name.split()
        if len(parts) >= 2:
            full_by_last.setdefault(parts[-1].lower(), set()).add(name)
    mapping: dict[str, str] = {}
    for name in people:
        parts = name.split()
        candidates = full_by_last.get(parts[-1].lower(), set()) if parts else set()
        longer = {c for c in candidates if len(c) > len(name) and c.endswith(name)}
        if len(parts) == 1 and len(candidates) == 1:
            mapping[name] = next(iter(candidates))
        elif len(longer) == 1:
            mapping[name] = next(iter(longer))
    return mapping


def normalise_claimants(claims: Sequence[Claim]) -> list[Claim]:
    """The claims with person claimants renamed to their fullest form in the run."""
    kinds = {c.claimant: c.claimant_kind for c in claims}
    mapping = canonical_names(kinds, kinds)
    return [
        c.model_copy(update={"claimant": mapping[c.claimant]}) if c.claimant in mapping else c
        for c in claims
    ]
