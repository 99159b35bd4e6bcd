"""The hall board's widgets: the newest call in block letters, the recent calls, the queues.

    banner(template_parts(template, notice), width, height)   # the call as big as it fits

The block letters come from :mod:`screens.widgets.bignumber`'s 5x5 font, drawn with half-block
characters so a "pixel" can be any number of cells wide and half-cells tall: the call is scaled to
the space it gets, from a small terminal to a wall monitor, and falls back to one line of bold
text when even the smallest letters do not fit. The lists spread over the height they get.
"""

from __future__ import annotations

import math
import string
from datetime import date
from typing import ClassVar

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Static

from hall.views import CallNotice, QueueLength, ReceptionLine
from screens.widgets.bignumber import FONT, HEIGHT


def _fit(text: str, width: int) -> str:
    """``text`` cut to ``width`` cells (with …) and padded to exactly ``width``."""
    if width <= 0:
        return ""
    if cell_len(text) > width:
        while text and cell_len(text) + 1 > width:
            text = text[:-1]
        text += "…"
    return text + " " * max(0, width - cell_len(text))


def _pixels(text: str) -> list[str]:
    """``text`` in the 5-row block font as rows of '#'/'.' pixels, one column between letters."""
    rows = [""] * HEIGHT
    for index, char in enumerate(text.upper()):
        glyph = FONT.get(char, ("." * 5,) * HEIGHT)
        for row in range(HEIGHT):
            rows[row] += ("." if index else "") + glyph[row]
    return rows


def big_rows(text: str, wide: int, tall: int) -> list[str]:
    """Block letters with pixels ``wide`` cells by ``tall`` half-cells (half-block characters)."""
    half = [row for row in _pixels(text) for _ in range(tall)]
    if len(half) % 2:
        half.append("." * len(half[0]))
    out = []
    for top, bottom in zip(half[::2], half[1::2], strict=True):
        line = "".join({("#", "#"): "█", ("#", "."): "▀", (".", "#"): "▄"}.get((a, b), " ")
                       for a, b in zip(top, bottom, strict=True))
        out.append("".join(ch * wide for ch in line))
    return out


def template_parts(template: str, notice: CallNotice) -> list[tuple[str, bool]]:
    """The announcement as (text, big) pieces: number and window big, the words small."""
    parts: list[tuple[str, bool]] = []
    values = {"number": notice.number, "window": str(notice.window),
              "title": notice.window_title}
    for literal, field, _, _ in string.Formatter().parse(template):
        if literal:
            parts.append((literal, False))
        if field is not None:
            parts.append((values.get(field, ""), field in ("number", "window")))
    return parts


def banner(parts: list[tuple[str, bool]], width: int, height: int,
           words: Style | str = "") -> Text:
    """The call drawn as large as ``width`` x ``height`` allows; plain text if nothing fits.

    ``words`` styles the small words between the numbers.
    """
    small = sum(cell_len(text) for text, big in parts if not big)
    columns = sum(len(_pixels(text)[0]) for text, big in parts if big)
    for wide in range(12, 0, -1):
        if small + columns * wide > width:
            continue
        tall_most = min(max(wide, 2), 2 * wide)
        tall = next((t for t in range(tall_most, 0, -1) if math.ceil(HEIGHT * t / 2) <= height),
                    0)
        if tall:
            return _draw_banner(parts, wide, tall, words)
    return Text("".join(text for text, _ in parts), style="bold", justify="center")


def _draw_banner(parts: list[tuple[str, bool]], wide: int, tall: int,
                 words: Style | str) -> Text:
    rows = math.ceil(HEIGHT * tall / 2)
    middle = rows // 2
    lines = [Text(no_wrap=True) for _ in range(rows)]
    for text, big in parts:
        if big:
            for index, row in enumerate(big_rows(text, wide, tall)):
                lines[index].append(row)
        else:
            for index in range(rows):
                lines[index].append(text if index == middle else " " * cell_len(text), words)
    return Text("\n", no_wrap=True, justify="center").join(lines)


class CallBanner(Widget):
    """The newest call, scaled to the space it has."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"call-banner--words"}
    """The small words between the big numbers (请, 号 到, 号窗口)."""

    parts: reactive[tuple[tuple[str, bool], ...]] = reactive(())
    empty: reactive[str] = reactive("")

    def render(self) -> Text:
        width, height = self.content_size
        if not self.parts:
            return Text(self.empty, justify="center")
        words = self.get_component_rich_style("call-banner--words")
        drawn = banner(list(self.parts), width, height, words)
        pad = max(0, (height - len(drawn.plain.splitlines())) // 2)
        return Text("\n" * pad) + drawn


class RecentCalls(Static):
    """The last calls, newest first, spread over the height they get; the one shown large
    (``current``, an event id) highlighted."""

    calls: reactive[tuple[CallNotice, ...]] = reactive(())
    current: reactive[int] = reactive(0)
    slots = 8
    """How many calls the list holds when full (spacing stays the same as it fills)."""

    def watch_calls(self) -> None:
        self._draw()

    def watch_current(self) -> None:
        self._draw()

    def on_resize(self) -> None:
        self._draw()

    def _draw(self) -> None:
        width, height = self.content_size.width, self.content_size.height
        if not self.calls:
            self.update(Text("暂无叫号", style="dim", justify="center"))
            return
        slots = max(len(self.calls), self.slots)
        gap = min(2, max(0, (height - slots) // slots))
        title_width = min(12, width - 21)  # number 6, time 5, 重呼 4, gaps 6
        out = Text(justify="center", no_wrap=True)
        for index, call in enumerate(self.calls):
            again = "重呼" if call.kind == "recalled" else ""
            if title_width >= 6:
                line = (f"{_fit(call.number, 6)}  {_fit(call.window_title, title_width)}"
                        f"  {call.at[:5]}  {_fit(again, 4)}")
            else:  # narrow: the time is left out
                line = f"{_fit(call.number, 6)} {_fit(call.window_title, 8)} {_fit(again, 4)}"
            if index:
                out.append("\n" * (gap + 1))
            out.append(line, style="bold reverse" if call.event_id == self.current else "bold")
        self.update(out)


class QueueCounts(Static):
    """Waiting count per department, in as many columns as the width allows."""

    queues: reactive[tuple[QueueLength, ...]] = reactive(())

    def watch_queues(self) -> None:
        self._draw()

    def on_resize(self) -> None:
        self._draw()

    def _draw(self) -> None:
        width, height = self.content_size.width, self.content_size.height
        items = self.queues
        if not items or width <= 0:
            self.update("")
            return
        columns = max(1, min(len(items), width // 22))
        while columns < len(items) and math.ceil(len(items) / columns) > max(1, height):
            columns += 1
        rows = math.ceil(len(items) / columns)
        cell = max(8, width // columns)
        gap = min(1, max(0, (height - rows) // max(1, rows)))
        out = Text()
        for row in range(rows):
            for col in range(columns):
                index = col * rows + row
                if index >= len(items):
                    break
                q = items[index]
                count = f"{q.waiting:>3}"
                name = _fit(f"{q.prefix} {q.department_name}", cell - len(count) - 2)
                out.append(name + count, style="bold" if q.waiting else "dim")
                out.append("  ")
            out.append("\n" + "\n" * gap)
        out.rstrip()
        self.update(out)


def leader_line(receptions: tuple[ReceptionLine, ...]) -> str:
    """The board's leader line: today's receptions (leader, room, time), or that there are none.

    「今日领导接待：李红市信访局局长 领导接访室 09:00–11:30　律师咨询：沈律师值班律师 律师咨询席
    09:00–17:00」. A reception whose end time has passed leaves the line; when all of a kind have
    ended the line says so and names the next one (「今日领导接待已结束　下次：12月1日（周二）张伟
    副市长 领导接访室 09:00–11:30」). Leaders' names are published anyway; no visitor appears here.
    """
    parts = []
    for kind, title in (("leader", "领导接待"), ("lawyer", "律师咨询")):
        mine = [r for r in receptions if (r.kind == "lawyer") == (kind == "lawyer")]
        today = [r for r in mine if not r.date or r.date == mine[0].date]
        live = [r for r in today if not r.ended]
        if live:
            parts.append(("今日领导接待：" if kind == "leader" else "律师咨询：") + "；".join(
                f"{r.leader_label} {r.room} {r.start}–{r.end}" for r in live))
        elif today:
            coming = [r for r in mine if r not in today]
            nxt = "".join(f"　下次：{_day(r.date)}{r.leader_label} {r.room} {r.start}–{r.end}"
                          for r in coming[:1])
            parts.append(f"今日{title}已结束{nxt}")
    return "　".join(parts) or "今日无领导接待日"


def _day(iso: str) -> str:
    """「12月1日（周二）」"""
    day = date.fromisoformat(iso)
    return f"{day.month}月{day.day}日（周{'一二三四五六日'[day.weekday()]}）"
