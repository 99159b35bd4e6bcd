"""The hall's configuration: the shipped example hall and the loader that validates a file.

    from config import load_config, ConfigError
    cfg = load_config("config/hall.yaml")     # raises ConfigError with every problem found

Each problem names the file, the line, the key path, what was expected and, for an unknown key or
an unknown code, the nearest valid one. ``str(ConfigError)`` is the message every command prints
before exiting with status 2.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from config.loader import load_config, load_config_text
    from config.problems import ConfigError, ConfigProblem
    from config.schema import HallConfig

DEFAULT_CONFIG = Path(__file__).with_name("hall.yaml")
_FROM = {"ConfigError": "config.problems", "ConfigProblem": "config.problems",
         "load_config": "config.loader", "load_config_text": "config.loader",
         "HallConfig": "config.schema"}
"""Loaded when first asked for: ``hall status`` reads its settings without pydantic
(:mod:`config.lookup`), and importing the loader imports pydantic."""


def __getattr__(name: str) -> Any:
    if name not in _FROM:
        raise AttributeError(f"module 'config' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(_FROM[name]), name)

__all__ = [
    "DEFAULT_CONFIG",
    "ConfigError",
    "ConfigProblem",
    "HallConfig",
    "load_config",
    "load_config_text",
]
