"""Figures as text, and when two figures for the same thing can both be right."""

from __future__ import annotations

import pytest

from agent.quantities import compatible, parse_quantity


def q(text: str):  # type: ignore[no-untyped-def]
    found = parse_quantity(text)
    assert found is not None
    return found


def test_parse_values_units_and_hedges() -> None:
    assert (q("about 500 workers").value, q("about 500 workers").unit) == (500.0, "worker")
    assert q("about 500 workers").approximate
    assert q("half a million doses").value == 500_000
    assert q("more than 300 households").bound == "min"
    assert q("up to 40 trucks").bound == "max"
    assert parse_quantity("no number here") is None


@pytest.mark.parametrize(
    ("a", "b", "ok"),
    [
        ("498 workers", "about 500 workers", True),  # rounding
        ("498 workers", "640 workers", False),
        ("more than a dozen agreements", "14 agreements", True),  # 14 satisfies the bound
        ("more than 1,400 workers", "612 workers", False),
        ("fewer than 300 people", "412 people", False),
        ("up to 40 trucks", "35 trucks", True),
        ("more than 300 households", "fewer than 200 households", False),
    ],
)
def test_compatible(a: str, b: str, ok: bool) -> None:
    assert compatible(q(a), q(b)) is ok
