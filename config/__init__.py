"""The hall's configuration: the shipped example hall and the loader that validates a file.

    from config import load_config, ConfigError
    cfg = load_config("config/hall.yaml")     # raises ConfigError with every problem found

Each problem names the file, the line, the key path, what was expected and, for an unknown key or
an unknown code, the nearest valid one. ``str(ConfigError)`` is the message every command prints
before exiting with status 2.
"""

from __future__ import annotations

from pathlib import Path

from config.loader import ConfigError, ConfigProblem, load_config, load_config_text
from config.schema import HallConfig

DEFAULT_CONFIG = Path(__file__).with_name("hall.yaml")

__all__ = [
    "DEFAULT_CONFIG",
    "ConfigError",
    "ConfigProblem",
    "HallConfig",
    "load_config",
    "load_config_text",
]
