"""Prompt templates from prompts/ (jinja2, undefined variables are errors) and their hashes.

The templates live at the repository's top level and travel in the wheel as agent/prompts.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

_PACKAGE = Path(__file__).resolve().parents[2]


def prompts_dir() -> Path:
    """agent/prompts in an installed wheel, else the checkout's prompts/."""
    for candidate in (_PACKAGE / "prompts", _PACKAGE.parent / "prompts"):
        if (candidate / "system.j2").exists():
            return candidate
    raise FileNotFoundError("prompt templates not found (expected agent/prompts or prompts/)")


def fence(text: object) -> str:
    """Article text goes inside <article>/<claim> tags; a closing tag inside it would end the
    fence early, so it is defused. Everything else is passed as written."""
    return (
        str(text)
        .replace("</article", "<\\/article")
        .replace("</claim", "<\\/claim")
        .replace("<article", "<\\article")
        .replace("<claim", "<\\claim")
    )


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(prompts_dir()),
        undefined=StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        finalize=fence,  # every {{ value }} is fenced; the template's own tags are not
    )
    return env


def render(name: str, **variables: object) -> str:
    """Render prompts/<name>.j2."""
    return environment().get_template(f"{name}.j2").render(**variables)


def template_hash(name: str) -> str:
    """sha256 (first 16 hex) of the template's source, recorded in the report and cache key."""
    source = (prompts_dir() / f"{name}.j2").read_bytes()
    return hashlib.sha256(source).hexdigest()[:16]
