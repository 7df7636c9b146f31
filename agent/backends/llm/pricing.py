"""Cost estimate per model, from a dated table (no network to a price service here).

Prices in US dollars per million tokens (input, output), as listed on OpenAI's pricing page;
table written 2026-11-23 from the developers' knowledge of the published prices, not fetched,
so treat the figure as an estimate. Models not in the table (local servers) cost None.
"""

from __future__ import annotations

PRICES_AS_OF = "2026-11-23 (table in agent/backends/llm/pricing.py; verify against the provider)"

_PER_MILLION: dict[str, tuple[float, float]] = {
    "gpt-4o-mini": (0.15, 0.60),
    "gpt-4o": (2.50, 10.00),
    "gpt-4.1": (2.00, 8.00),
    "gpt-4.1-mini": (0.40, 1.60),
    "gpt-4.1-nano": (0.10, 0.40),
}


def cost_usd(model: str, prompt_tokens: int, completion_tokens: int) -> float | None:
    """Estimated cost, or None for a model the table does not know."""
    name = model.split("/")[-1]
    for known in sorted(_PER_MILLION, key=len, reverse=True):
        if name == known or name.startswith(known + "-20"):
            price_in, price_out = _PER_MILLION[known]
            return round((prompt_tokens * price_in + completion_tokens * price_out) / 1e6, 6)
    return None
