"""The building blocks every configuration section shares: codes, texts, the strict base model and
the "unknown X, did you mean" problem.

    from config.types import Code, ConfigModel, Text, unknown

Kept apart from :mod:`config.schema` so each section (leaders, incidents, ...) can live in its own
module without importing the whole hall's schema.
"""

from __future__ import annotations

import re
from difflib import get_close_matches
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, BaseModel, ConfigDict

KeyPath = tuple[str | int, ...]
"""Where a value sits in the file: ``("departments", 2, "prefix")``."""
Problem = tuple[KeyPath, str, str | None]
"""A cross-reference problem: key path, message, and the nearest valid value (or None)."""


def _code(value: str) -> str:
    if not re.fullmatch(r"[a-z][a-z0-9_]{0,31}", value):
        raise ValueError(
            f"应为小写英文字母开头、由小写字母、数字和下划线组成的代码，实际为“{value}”")
    return value


def _prefix(value: str) -> str:
    if not re.fullmatch(r"[A-Z]{1,2}", value):
        raise ValueError(f"应为1到2个大写英文字母，实际为“{value}”")
    return value


def _timezone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"应为IANA时区名（如 Asia/Shanghai），实际为“{value}”") from None
    return value


def _text(value: str) -> str:
    value = value.strip()
    if not value:
        raise ValueError("不能为空")
    return value


Code = Annotated[str, AfterValidator(_code)]
Prefix = Annotated[str, AfterValidator(_prefix)]
Text = Annotated[str, AfterValidator(_text)]
TimeZone = Annotated[str, AfterValidator(_timezone)]


class ConfigModel(BaseModel):
    """Every section of the configuration: unknown keys refused, values frozen, types strict."""

    # strict: YAML `true` or "3" is not the integer 1 or 3, and 3.0 is not a window number.
    # The field docstrings are the reference for whoever edits hall.yaml; pydantic is not asked to
    # read them (use_attribute_docstrings): that reads each module's source on every start, 50 ms.
    # tests/domain/test_config_docs.py checks that every field keeps one.
    # defer_build: a model's validator is built when it first validates, not at import; a
    # configuration restored from its cache (config.cache) validates nothing, so a command starts
    # without building them (defaults are factories for the same reason: no instance at import).
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, defer_build=True)


def unknown(path: KeyPath, what: str, value: str, valid: list[str]) -> Problem:
    """「未知的部门“x”，应为以下之一：…」 with the nearest valid code as the suggestion."""
    near = get_close_matches(value, valid, n=1, cutoff=0.5)
    return (path, f"未知的{what}“{value}”，应为以下之一：{'、'.join(valid)}",
            near[0] if near else None)
