"""The one pydantic configuration every data model of the package shares.

Field docstrings become the fields' descriptions (`use_attribute_docstrings`), so the JSON
schemas sent to a model, the fixture schema and report.json's documentation all carry them.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Strict(BaseModel):
    """Our own data: an unknown field is an error."""

    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)


class Lenient(BaseModel):
    """Answers from outside (a model's JSON): unknown fields are ignored, not fatal."""

    model_config = ConfigDict(extra="ignore", use_attribute_docstrings=True)
