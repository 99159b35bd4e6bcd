"""Read a YAML configuration, validate it, and report problems with file, line and key path."""

from __future__ import annotations

import os
from collections.abc import Callable
from difflib import get_close_matches
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError

from config import cache
from config.problems import ConfigError, ConfigProblem, KeyPath
from config.schema import HallConfig, cross_reference_problems

if TYPE_CHECKING:
    import yaml


def load_config(path: str | os.PathLike[str],
                cache_dir: str | os.PathLike[str] | None = None) -> HallConfig:
    """Load and validate the configuration file at ``path``.

    With ``cache_dir``, a file validated before, byte for byte, by this code is restored from its
    compiled copy there instead, and a file that validates leaves its copy (see
    :mod:`config.cache`); a problem is always reported.
    """
    cfg, keep = read_config(path, cache_dir)
    if keep is not None:
        keep()
    return cfg


def read_config(path: str | os.PathLike[str], cache_dir: str | os.PathLike[str] | None,
                ) -> tuple[HallConfig, Callable[[], None] | None]:
    """As :func:`load_config`, but the compiled copy is written only when the caller says so:
    returns the configuration and a function that keeps its copy in ``cache_dir`` (None when
    it was restored from there, or without ``cache_dir``). Commands keep it once they succeed,
    so a failing command writes nothing (``cli.context.Context.succeeded``)."""
    source = str(path)
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise ConfigError([ConfigProblem(source, 0, (), "文件不存在")]) from None
    except OSError as exc:
        raise ConfigError([ConfigProblem(source, 0, (), f"无法读取：{exc}")]) from None
    if cache_dir is not None and (cfg := cache.read(cache_dir, source, raw)) is not None:
        return cfg, None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError([ConfigProblem(source, 0, (), f"无法读取：{exc}")]) from None
    # Universal newlines, as reading the file as text gives them.
    cfg = load_config_text(text.replace("\r\n", "\n").replace("\r", "\n"), source)
    if cache_dir is None:
        return cfg, None
    target = cache_dir
    return cfg, lambda: cache.write(target, source, raw, cfg)


def load_config_text(text: str, source: str = "<config>") -> HallConfig:
    """Validate configuration text; ``source`` names it in messages."""
    import yaml  # here: a configuration restored from its cache needs no YAML

    # One parse gives both the nodes (for line numbers) and the data; libyaml's parser, when
    # present, is some twenty times faster than the pure-Python one: every command loads this.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
    try:
        node = loader.get_single_node()
        # Index lines before constructing: the constructor flattens merge keys (<<: *base) into
        # the nodes themselves, which would read as keys written twice.
        lines = _line_index(node)
        duplicates = _duplicate_keys(source, node)
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 0
        what = getattr(exc, "problem", None) or str(exc)
        context, since = getattr(exc, "context", None), getattr(exc, "context_mark", None)
        if context and since is not None and since.line + 1 != line:
            # The mistake is often where the construct began (an unclosed bracket or quote).
            what += f"（{context}，始于第 {since.line + 1} 行）"
        raise ConfigError([ConfigProblem(source, line, (), f"YAML 语法错误：{what}")]) from None
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        problem = ConfigProblem(source, 1, (), "应为一个映射（键: 值），文件为空或格式不对")
        raise ConfigError([problem])
    if duplicates:  # YAML keeps the last silently: a whole section could vanish unnoticed
        raise ConfigError(duplicates)
    try:
        cfg = HallConfig.model_validate(data)
    except ValidationError as exc:
        raise ConfigError([_problem(source, lines, err) for err in exc.errors()]) from None
    problems = [
        ConfigProblem(source, _line_of(lines, path), path, message, suggestion)
        for path, message, suggestion in cross_reference_problems(cfg)
    ]
    if problems:
        raise ConfigError(problems)
    return cfg


def _line_index(node: yaml.Node | None) -> dict[KeyPath, int]:
    """Map every key path of a composed YAML document to its 1-based line."""
    import yaml

    index: dict[KeyPath, int] = {}

    def walk(n: yaml.Node, path: KeyPath) -> None:
        index[path] = n.start_mark.line + 1
        if isinstance(n, yaml.MappingNode):
            for key, value in n.value:
                if not isinstance(key, yaml.ScalarNode):
                    continue  # a list or mapping as a key: the constructor refuses it
                child = (*path, key.value)
                walk(value, child)
                index[child] = key.start_mark.line + 1
        elif isinstance(n, yaml.SequenceNode):
            for i, item in enumerate(n.value):
                walk(item, (*path, i))

    if node is not None:
        walk(node, ())
    return index


def _duplicate_keys(source: str, node: yaml.Node | None) -> list[ConfigProblem]:
    """A key written twice in one mapping: YAML would keep the last one without a word."""
    import yaml

    problems: list[ConfigProblem] = []

    def walk(n: yaml.Node, path: KeyPath) -> None:
        if isinstance(n, yaml.MappingNode):
            seen: dict[str, int] = {}
            for key, value in n.value:
                if not isinstance(key, yaml.ScalarNode):
                    continue
                line = key.start_mark.line + 1
                if key.value in seen:
                    problems.append(ConfigProblem(
                        source, line, (*path, key.value),
                        f"键“{key.value}”重复（第 {seen[key.value]} 行已写过）：只应保留一处"))
                else:
                    seen[key.value] = line
                walk(value, (*path, key.value))
        elif isinstance(n, yaml.SequenceNode):
            for i, item in enumerate(n.value):
                walk(item, (*path, i))

    if node is not None:
        walk(node, ())
    return problems


def _line_of(lines: dict[KeyPath, int], path: KeyPath) -> int:
    """The line of ``path``, or of its nearest ancestor present in the file."""
    while path not in lines and path:
        path = path[:-1]
    return lines.get(path, 1)


def _model_at(path: KeyPath) -> type[BaseModel] | None:
    """The schema model that owns the mapping at ``path`` (for did-you-mean)."""
    model: Any = HallConfig
    for part in path:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part)
        if field is None:
            return None
        annotation = field.annotation
        args = getattr(annotation, "__args__", ())
        candidates = [annotation, *args]
        model = next((c for c in candidates
                      if isinstance(c, type) and issubclass(c, BaseModel)), None)
        if model is None:
            return None
    return model


_EXPECTED = {
    "missing": "缺少必填项",
    "string_type": "应为文本",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "float_type": "应为数字",
    "float_parsing": "应为数字",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "list_type": "应为列表（每项以“- ”开头）",
    "dict_type": "应为映射（键: 值）",
    "model_type": "应为映射（键: 值）",
    "model_attributes_type": "应为映射（键: 值）",
}


def _problem(source: str, lines: dict[KeyPath, int], err: Any) -> ConfigProblem:
    path: KeyPath = tuple(err["loc"])
    kind = err["type"]
    ctx = err.get("ctx") or {}
    suggestion = None
    if kind == "extra_forbidden":
        model = _model_at(path[:-1])
        valid = list(model.model_fields) if model else []
        near = get_close_matches(str(path[-1]), valid, n=1, cutoff=0.5)
        suggestion = near[0] if near else None
        message = f"未知的键“{path[-1]}”" + (f"，可用的键：{'、'.join(valid)}" if valid else "")
    elif kind == "value_error":
        message = str(ctx.get("error", err["msg"]))
    elif kind in ("greater_than_equal", "greater_than"):
        message = f"应不小于 {ctx.get('ge', ctx.get('gt'))}，实际为 {err.get('input')!r}"
    elif kind in ("less_than_equal", "less_than"):
        message = f"应不大于 {ctx.get('le', ctx.get('lt'))}，实际为 {err.get('input')!r}"
    elif kind == "too_short":
        message = f"至少应有 {ctx.get('min_length')} 项"
    elif kind == "literal_error":
        message = f"应为以下之一：{ctx.get('expected')}，实际为 {err.get('input')!r}"
    elif kind in _EXPECTED:
        message = _EXPECTED[kind]
        if kind != "missing":
            message += f"，实际为 {err.get('input')!r}"
    else:
        message = err["msg"]
    return ConfigProblem(source, _line_of(lines, path), path, message, suggestion)
