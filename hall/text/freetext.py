"""Free text a person types and the hall stores: one check for every field, one way to show it.

    errors: dict[str, str] = {}
    note = field(errors, "note", raw_note, NOTE, lines=True)       # cleaned, or errors["note"]
    place = field(errors, "place", raw_place, PLACE, required="请填写发生地点")
    if errors:
        raise FormError(errors, LABELS)                            # nothing written

What is refused, in any field (a message in Chinese says which, and what to do):

- control characters (Unicode category Cc: C0, DEL, C1), ESC and the terminal escape sequences
  it starts among them: a name holding ``ESC [2J`` would blank a window's terminal. Tab and line
  breaks are whitespace, not refused: a one-line field collapses every run of whitespace into
  one space; a field with ``lines=True`` keeps its line breaks (as ``\\n``) and turns tabs into
  spaces;
- direction controls (U+202A–U+202E embeddings and overrides, U+2066–U+2069 isolates, U+200E/F
  and U+061C marks): they make text read differently from what is stored ("Trojan source");
- lone surrogates (a command line's undecodable bytes): no database can store them;
- a value made only of invisible characters (zero-width spaces and joiners, U+2060, U+FEFF, the
  Hangul fillers, blank Braille ...): it looks empty and is not;
- more characters than the field's limit (every field has one).

Zero-width characters *inside* visible text are kept: a joiner belongs in some names and emoji.

Text already stored before these checks (or written around them) is shown through :func:`shown`,
which makes the same characters visible instead of handing them to a terminal; the views the
screens and the command line print are built with it.
"""

from __future__ import annotations

import dataclasses
import unicodedata
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

T = TypeVar("T")

__all__ = ["ADDRESS", "BIDI", "INVISIBLE", "LINE", "NAME", "NOTE", "PLACE", "REASON", "TEXT",
           "TextProblem", "clean", "field", "fields", "shown", "shown_in"]

NAME = 32
"""A person's name (a visitor's, a leader's), a title."""
PLACE = 64
"""A place, a room: the database column holds 64."""
LINE = 200
"""A one-line text: an address, a topic, a portfolio, the channel a visitor is told."""
ADDRESS = LINE
REASON = 500
"""Why something was cancelled, refused or reopened."""
NOTE = 1000
"""A note recorded with an act (finish, transfer, an incident's step)."""
TEXT = 2000
"""A matter (事由, 具体诉求), what happened, a conclusion."""

BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
"""Direction controls: embeddings, overrides, isolates and the marks."""
# Characters that show nothing in any font: the format characters (category Cf: zero-width space,
# joiners, word joiner, BOM ...) are tested by category; these are letters or symbols that render
# blank.
INVISIBLE = frozenset("\u034f\u115f\u1160\u17b4\u17b5\u180e\u2800\u3164\uffa0")
_LINE_BREAKS = "\r\n"
_WHITESPACE = "\t\n\r"  # the control characters that are whitespace a person types or pastes


class TextProblem(ValueError):
    """The text cannot be stored; ``str(exc)`` says why, in Chinese, and what to do."""


def _problem(value: str) -> str | None:
    """What is wrong with the characters of ``value`` (not its length), or None."""
    for ch in value:
        if ch == "\x1b":
            return "含有终端控制序列（ESC），请删除后重新输入"
        category = unicodedata.category(ch)
        if category == "Cc" and ch not in _WHITESPACE:
            return f"含有不可见的控制字符（U+{ord(ch):04X}），请删除后重新输入"
        if ch in BIDI:
            return f"含有改变文字方向的控制字符（U+{ord(ch):04X}），请删除后重新输入"
        if category == "Cs":
            return "含有无法识别的字符（编码错误），请重新输入"
    return None


def _blank(ch: str) -> bool:
    return ch.isspace() or ch in INVISIBLE or unicodedata.category(ch) == "Cf"


def clean(value: str | None, limit: int, *, lines: bool = False) -> str:
    """``value`` checked and tidied, or :class:`TextProblem`.

    Whitespace: a one-line field's runs of whitespace (a pasted line break, a full-width space
    U+3000) become one space; with ``lines`` the line breaks are kept as ``\\n`` and tabs become
    spaces. Either way the ends are stripped. Empty stays empty: whether it is allowed is the
    caller's rule.
    """
    text = value or ""
    problem = _problem(text)
    if problem:
        raise TextProblem(problem)
    if lines:
        text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ").strip()
    else:
        text = " ".join(text.split())
    if text and all(_blank(ch) for ch in text):
        raise TextProblem("只有不可见的字符（如零宽空格），请填写实际内容")
    if len(text) > limit:
        raise TextProblem(f"最多{limit}个字，现有{len(text)}个")
    return text


def field(errors: dict[str, str], key: str, value: str | None, limit: int, *,
          lines: bool = False, required: str = "") -> str:
    """:func:`clean` for one field of a form: the problem goes into ``errors[key]`` (the cleaned
    value, or the raw one stripped, is returned either way). ``required`` is the message for an
    empty value; empty is allowed without it."""
    try:
        text = clean(value, limit, lines=lines)
    except TextProblem as exc:
        errors[key] = str(exc)
        return (value or "").strip()
    if required and not text:
        errors[key] = required
    return text


def fields(errors: dict[str, str], limits: Mapping[str, tuple[int, bool]],
           texts: Mapping[str, str | None]) -> dict[str, str]:
    """:func:`field` for several texts at once: ``limits`` gives each key its (limit, lines)."""
    cleaned = {}
    for key, value in texts.items():
        limit, lines = limits[key]
        cleaned[key] = field(errors, key, value, limit, lines=lines)
    return cleaned


def errors_of(limits: Mapping[str, tuple[int, bool]], texts: Mapping[str, str | None]
              ) -> dict[str, str]:
    """What is wrong with ``texts`` (by key), empty when they can be stored: what a dialog shows
    beside its fields before it closes."""
    errors: dict[str, str] = {}
    fields(errors, limits, texts)
    return errors


def cleaned_or_raise(limits: Mapping[str, tuple[int, bool]], texts: Mapping[str, str | None],
                     refuse: Callable[[dict[str, str]], Exception]) -> dict[str, str]:
    """The texts cleaned, or ``refuse(errors)`` raised (the context's form error, naming each
    field; nothing is written)."""
    errors: dict[str, str] = {}
    cleaned = fields(errors, limits, texts)
    if errors:
        raise refuse(errors)
    return cleaned


def shown(text: str, *, lines: bool = False) -> str:
    """``text`` safe to hand to a terminal: each refused character becomes a visible stand-in
    (a control as its Unicode picture, ESC as ␛; a direction control as �), so stored text can
    neither move the cursor, clear the screen nor reverse what follows. Line breaks stay with
    ``lines``, and become ␊ otherwise. Text with nothing to replace is returned as it is."""
    if text.isprintable() and not any(ch in BIDI for ch in text):
        return text  # the common case, checked at C speed
    out = []
    for ch in text:
        code = ord(ch)
        if ch == "\n" and lines:
            out.append(ch)
        elif ch in BIDI or unicodedata.category(ch) == "Cs":
            out.append("\ufffd")
        elif code < 0x20:
            out.append(chr(0x2400 + code))  # ␀ … ␟: ESC is ␛
        elif code == 0x7F:
            out.append("\u2421")  # ␡
        elif unicodedata.category(ch) == "Cc":  # C1
            out.append("\ufffd")
        else:
            out.append(ch)
    return "".join(out)


def shown_in(view: T) -> T:
    """``view`` (a frozen dataclass of the views, a tuple, list or dict of them, a str) with every
    text in it passed through :func:`shown` (line breaks kept); the very same object when
    nothing needed it, which is nearly always. The reads that hand stored text to a terminal
    (a window's view, the desk's file, the board, incidents, bookings) return through it."""
    return _shown_in(view)[0]


_FIELDS: dict[type, tuple[str, ...]] = {}  # a view class's init fields, looked up once


def _shown_in(value: Any) -> tuple[Any, bool]:
    kind = type(value)
    if kind is str:
        if value.isprintable():  # the common case, without a call to shown()
            return value, False
        text = shown(value, lines=True)
        return text, text != value
    if kind is int or kind is bool or value is None:
        return value, False
    if isinstance(value, (tuple, list)):
        pairs = [_shown_in(x) for x in value]
        if not any(changed for _, changed in pairs):
            return value, False
        items = [x for x, _ in pairs]
        if isinstance(value, list):
            return items, True
        return (kind(*items) if hasattr(value, "_fields") else tuple(items)), True
    if isinstance(value, dict):
        pairs = {k: _shown_in(v) for k, v in value.items()}
        if not any(changed for _, changed in pairs.values()):
            return value, False
        return {k: v for k, (v, _) in pairs.items()}, True
    names = _FIELDS.get(kind)
    if names is None:
        if not (dataclasses.is_dataclass(value) and not isinstance(value, type)):
            return value, False
        names = _FIELDS[kind] = tuple(f.name for f in dataclasses.fields(value) if f.init)
    changes = {}
    for name in names:
        new, changed = _shown_in(getattr(value, name))
        if changed:
            changes[name] = new
    return (dataclasses.replace(value, **changes), True) if changes else (value, False)
