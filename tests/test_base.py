"""Every data model of the package shares agent/base.py's one configuration."""

from __future__ import annotations

import importlib
import pkgutil

from pydantic import BaseModel

import agent
from agent.base import Lenient, Strict


def _package_models() -> list[type[BaseModel]]:
    found: dict[str, type[BaseModel]] = {}
    for info in pkgutil.walk_packages(agent.__path__, "agent."):
        if info.name == "agent.__main__":  # importing it runs the CLI
            continue
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, BaseModel)
                and value.__module__ == info.name
            ):
                found[f"{info.name}.{value.__qualname__}"] = value
    return list(found.values())


def test_every_model_derives_from_the_one_base_config() -> None:
    models = _package_models()
    assert len(models) > 30  # the walk found the package's models
    strays = [m.__qualname__ for m in models if not issubclass(m, Strict | Lenient)]
    assert strays == []
    for model in models:
        assert model.model_config.get("use_attribute_docstrings") is True, model.__qualname__
        assert model.model_config.get("extra") in ("forbid", "ignore"), model.__qualname__
