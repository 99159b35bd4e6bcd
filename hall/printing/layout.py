"""The ticket slip's content and its text layout, shared by every format.

:class:`TicketPrint` holds what one slip shows, already formatted for display. The helpers break
text into lines the way Chinese print wants it: CJK anywhere, ASCII words whole, no punctuation at
the start of a line, characters glued with U+2060 WORD JOINER kept together.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

__all__ = ["DEFAULT_NOTICE", "JOIN", "TicketPrint", "clean", "one_line", "windows_line",
           "wrap_balanced", "wrap_lines"]

DEFAULT_NOTICE = "请留意叫号屏与语音提示，凭此票据到指定窗口接谈。扫码可查询办理进度。"


@dataclass(frozen=True)
class TicketPrint:
    """What one ticket shows; every field is already formatted for display."""

    hall_name: str  # e.g. "某某市联合接访中心"
    number: str  # e.g. "R007"
    department_name: str  # e.g. "信访局综合接待"
    windows: tuple[str, ...]  # window labels, e.g. ("1号窗口", "2号窗口")
    ahead: int  # people ahead in that queue
    issued_at: str  # already formatted local time, e.g. "2026-11-23 09:12"
    query_code: str  # e.g. "K7Q2M9XW4D"
    qr_payload: str  # the text the QR code encodes
    notice: str = DEFAULT_NOTICE


# --------------------------------------------------------------------------- text helpers

# Punctuation that must not start a line (it hangs at the end of the previous one instead).
_NO_LINE_START = frozenset("，。、；：！？）》」』】〕…,.;:!?)]}%")
JOIN = "\u2060"  # WORD JOINER: glues characters into one unbreakable unit; never drawn
_TOKEN = re.compile(r"(?:\S\u2060)+\S|[A-Za-z0-9_\-./:@#+%]+|\s+|.")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def clean(text: str) -> str:
    """Drop control characters (they are invalid in XML and print as boxes)."""
    return _CONTROL.sub("", str(text))


def one_line(text: str) -> str:
    """Clean ``text`` and fold line breaks and tabs into single spaces."""
    return " ".join(clean(text).split())


def wrap_lines(text: str, max_width: float, measure: Callable[[str], float]) -> list[str]:
    """Greedy line breaking: CJK anywhere, ASCII words whole, no punctuation at line start.

    Characters glued with U+2060 WORD JOINER stay on one line (the joiners are dropped).
    """
    lines: list[str] = []
    for paragraph in clean(text).splitlines() or [""]:
        tokens: list[str] = []
        for token in (t.replace(JOIN, "") for t in _TOKEN.findall(paragraph)):
            too_long = len(token) > 1 and measure(token) > max_width
            tokens.extend(list(token) if too_long else [token])
        line = ""
        for token in tokens:
            if (
                line.strip()
                and token.strip()
                and token[0] not in _NO_LINE_START
                and measure(line + token) > max_width
            ):
                lines.append(line.rstrip())
                line = token
            elif line or token.strip():
                line += token
        lines.append(line.rstrip())
    return lines


def wrap_balanced(text: str, max_width: float, measure: Callable[[str], float]) -> list[str]:
    """Like :func:`wrap_lines`, but with lines of even length (no lone word on the last line)."""
    lines = wrap_lines(text, max_width, measure)
    if len(lines) < 2:
        return lines
    low, high = 0.0, float(max_width)
    for _ in range(14):
        middle = (low + high) / 2
        if len(wrap_lines(text, middle, measure)) <= len(lines):
            high = middle
        else:
            low = middle
    return wrap_lines(text, high, measure)


def windows_line(windows: Sequence[str], cjk: bool) -> str:
    """The line that tells the visitor where to go."""
    labels = [JOIN.join(one_line(w)) for w in windows if one_line(w)]
    if cjk:
        return "请到 " + "、".join(labels) + " 办理" if labels else "请留意叫号屏提示的窗口"
    return "WINDOW " + ", ".join(labels) if labels else ""
