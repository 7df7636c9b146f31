"""The JSON Schema of labels files, generated from the pydantic model.

`evals/fixture.schema.json` is this function's output, committed so editors can check labels
files; a test fails when it goes stale. Regenerate with `python -m agent.evals.schema`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from agent.evals.fixtures import Labels
from agent.paths import packaged_evals

SCHEMA_PATH = packaged_evals() / "fixture.schema.json"
"""The committed schema: evals/ in a source checkout, its copy inside an installed wheel."""


def fixture_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a labels file."""
    schema = Labels.model_json_schema()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def schema_text() -> str:
    """The schema as the committed file holds it: stable key order, two-space indent."""
    return json.dumps(fixture_schema(), indent=2, ensure_ascii=False) + "\n"


def write_schema(path: Path = SCHEMA_PATH) -> None:
    """Write the schema file."""
    path.write_text(schema_text(), encoding="utf-8")


if __name__ == "__main__":
    write_schema()
