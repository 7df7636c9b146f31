"""What a run costs: the user's own prices, else the maintained `genai-prices` table.

`--price-in` / `--price-out` (US dollars per million prompt / completion tokens) win: a
local server, a proxy or a negotiated rate is priced as the user says. Otherwise the model
is looked up in genai-prices (pydantic's table of providers' published prices, shipped
inside the package: no network is used, its background updater is never started), matched
by the endpoint's URL, so a model name served by a local server is never priced as a hosted
one. A model or endpoint the table does not know has no price (None), and the summary says
how to give one.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from importlib.metadata import version
from typing import Protocol


class PricedConfig(Protocol):
    """What pricing needs to know of the LLM settings."""

    @property
    def model(self) -> str: ...

    @property
    def endpoint(self) -> str: ...

    @property
    def price_in(self) -> float | None: ...

    @property
    def price_out(self) -> float | None: ...


@dataclass(frozen=True)
class Price:
    """US dollars per million tokens, and where the figures come from."""

    prompt: Decimal
    completion: Decimal
    source: str

    def cost(self, prompt_tokens: int, completion_tokens: int) -> float:
        total = (prompt_tokens * self.prompt + completion_tokens * self.completion) / 10**6
        return round(float(total), 6)


def price_of(config: PricedConfig) -> Price | None:
    """The price of the configured model at its endpoint, None when nobody knows it."""
    if config.price_in is not None and config.price_out is not None:
        return Price(
            Decimal(str(config.price_in)), Decimal(str(config.price_out)), "--price-in/--price-out"
        )
    import genai_prices  # imported here: half a second, only for an LLM run

    million = genai_prices.Usage(input_tokens=10**6, output_tokens=10**6)
    try:
        found = genai_prices.calc_price(million, config.model, provider_api_url=config.endpoint)
    except LookupError:  # an endpoint or a model the table does not list
        return None
    source = (
        f"genai-prices {version('genai-prices')}: {found.provider.name} {found.model.id}; "
        "an estimate, check the provider's page"
    )
    return Price(found.input_price, found.output_price, source)


def cost_usd(config: PricedConfig, prompt_tokens: int, completion_tokens: int) -> float | None:
    """Estimated cost in US dollars, or None when the model's price is not known."""
    price = price_of(config)
    return price.cost(prompt_tokens, completion_tokens) if price is not None else None


def prices_source(config: PricedConfig) -> str:
    """Where the price figures come from ("" when there are none)."""
    price = price_of(config)
    return price.source if price is not None else ""


def no_price_message(model: str) -> str:
    """What to say, and what to do, when the model's price is not known."""
    return (
        f"no price known for {model}; pass --price-in/--price-out (US dollars per million tokens)"
    )
