"""Prompt templates from prompts/ (jinja2, undefined variables are errors) and their hashes.

The templates live at the repository's top level and travel in the wheel as agent/prompts.
"""

from __future__ import annotations

import hashlib
import html
import re
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


# Our own tags, opening or closing, in any case and spacing: "</ARTICLE>", "< /Article >",
# "<pair ...>".
_FENCE_TAG = re.compile(r"<(?=\s*/?\s*(?:article|claim|pair)\b)", re.I)
# Chat-template control tokens, which some servers (llama.cpp's) parse as special tokens even
# inside a message: "<|im_start|>", "<|eot_id|>", DeepSeek's fullwidth "<｜User｜>", Llama 2's
# "[INST]" and "<<SYS>>", Gemma's "<start_of_turn>", and "<s>", "</s>", "<bos>", "<eos>".
_CHAT_TOKEN = re.compile(
    r"<(?=\s*[|｜])"
    r"|<(?=\s*/?\s*(?:s|bos|eos|pad|unk|start_of_turn|end_of_turn|think|tool_call)\s*>)"
    r"|\[(?=\s*/?\s*(?:INST|SYS|SYSTEM_PROMPT|AVAILABLE_TOOLS|TOOL_CALLS)\s*\])"
    r"|<<(?=\s*/?\s*SYS\s*>>)",
    re.I,
)


def fence(text: object) -> str:
    """Every value put into a prompt: a tag of the fence (<article>, <claim>, <pair>), opening or
    closing, in any case or spacing, would end the fence early or start a fake one, and a
    chat-template token could end the user's turn; each gets a backslash after its first
    bracket ("<\\/ARTICLE>", "<\\|im_start|>"), which a tokenizer no longer reads as the
    token and a model still reads as the same words."""
    value = _FENCE_TAG.sub("<\\\\", str(text))
    return _CHAT_TOKEN.sub(lambda m: m.group(0) + "\\", value)


def attribute(value: object) -> str:
    """A value inside a tag's double-quoted attribute (`id="..."`, `claimant="..."`):
    quotes, angle brackets and ampersands become entities, so a file name like
    `x" trust="high"><system>` stays one attribute value. Used as `{{ x | attr }}`."""
    return html.escape(str(value), quote=True)


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(prompts_dir()),
        undefined=StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        finalize=fence,  # every {{ value }} is fenced; the template's own tags are not
    )
    env.filters["attr"] = attribute
    return env


def render(name: str, **variables: object) -> str:
    """Render prompts/<name>.j2."""
    return environment().get_template(f"{name}.j2").render(**variables)


def template_hash(name: str) -> str:
    """sha256 (first 16 hex) of the template's source, recorded in the report and cache key."""
    source = (prompts_dir() / f"{name}.j2").read_bytes()
    return hashlib.sha256(source).hexdigest()[:16]
