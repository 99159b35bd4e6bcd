"""Bar charts drawn on a PDF page with fpdf2's own primitives (rectangles, lines, text).

A :class:`BarChart` is a block of :mod:`hall.printing.pdf` like a paragraph or a table::

    BarChart(title="每日来访", labels=("1", "2", …, "30"), values=(12, 0, …, 31), unit="人次")

It is drawn within the page's text width, ``height`` mm tall (taller when upright labels and
values would leave the bars too little room), never split across pages: its
title centred on top; a y axis from 0 with four to six round ticks (1, 2 or 5 times a power of
ten) and light grid lines, the unit above it; one bar per label, its value above it; the labels
under the x axis. What does not fit is made to fit rather than spill over the page:

- labels wider than their bar's slot are turned upright (read bottom to top) and cut to the
  label band with 「…」; values wider than the slot are written short (1.2万, 3.5亿) and, if
  still too wide, upright too, with room kept above the tallest bar;
- a chart of zeros (or of nothing) still has its axis, 0 to 1;
- a value that is not a finite number (None, NaN) has no bar and no value; values below zero
  are drawn as zero-height bars (counts and minutes are never negative) but keep their value;
- control characters are dropped, line breaks folded.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from fpdf import FPDF

from hall.printing.layout import one_line

__all__ = ["BarChart", "chart_height", "compact", "draw_bar_chart", "nice_ticks"]

_LABEL_PT = 8.0  # pt, labels under the bars and ticks (shrunk to _MIN_PT when crowded)
_VALUE_PT = 7.0  # pt, the values above the bars
_MIN_PT = 5.5
_TITLE_PT = 11.0
_PT = 25.4 / 72  # mm per point
_MAX_BAND = 24.0  # mm, the most the upright labels under the axis may take
_BAR = (79, 114, 168)  # the bars' fill (a sober blue that prints well in grey)
_GRID = (205, 205, 205)


@dataclass(frozen=True)
class BarChart:
    """A bar chart: one bar per label with its value; ``unit`` names the y axis (「人次」);
    ``height`` is the whole block's, in mm (title and labels included), at least."""

    title: str
    labels: tuple[str, ...]
    values: tuple[int | float | None, ...]
    unit: str = ""
    height: float = 72.0


def nice_ticks(top: float, integral: bool = True) -> list[float]:
    """Ticks from 0 to at least ``top``: four to six steps of 1, 2 or 5 times a power of ten
    (whole steps when ``integral``). ``top`` ≤ 0 gives 0 and 1."""
    if not top > 0 or not math.isfinite(top):
        return [0.0, 1.0]
    raw = top / 5
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    if integral:
        step = max(1.0, float(round(step)))
    count = math.ceil(top / step - 1e-9)
    return [i * step for i in range(count + 1)]


def compact(value: float) -> str:
    """A number written short the Chinese way: 9999, 1.2万, 3.5亿, 2.1万亿; beyond that in
    powers of ten (1.0e+20)."""
    v = abs(value)
    if v >= 1e16:
        return f"{value:.1e}"
    for unit, size in (("万亿", 1e12), ("亿", 1e8), ("万", 1e4)):
        if v >= size:
            return f"{value / size:.1f}".rstrip("0").rstrip(".") + unit
    return plain(value)


def plain(value: float) -> str:
    """A value as printed above its bar: whole numbers without decimals, else one decimal."""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.1f}"


def _finite(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


@dataclass
class _Layout:
    """Where a chart's parts go, worked out before anything is drawn."""

    labels: list[str]
    values: list[float | None]
    texts: list[str]  # the values as written above the bars
    ticks: list[float]
    axis_w: float
    label_pt: float
    flat: bool  # the labels lie flat
    band: float  # mm under the axis for the labels
    value_pt: float
    values_flat: bool
    headroom: float  # mm above the tallest bar for its value
    unit_h: float
    height: float  # the whole block's


_TITLE_H = 7.0  # mm
_MIN_BARS = 36.0  # mm: the least height the tallest bar gets; the chart grows to keep it


def chart_height(pdf: FPDF, chart: BarChart, width: float, font: str) -> float:
    """How tall ``chart`` is drawn ``width`` mm wide: its ``height``, more when upright labels
    and values would leave the bars less than 36 mm."""
    return _layout(pdf, chart, width, font).height


def _layout(pdf: FPDF, chart: BarChart, width: float, font: str) -> _Layout:
    n = min(len(chart.labels), len(chart.values))
    labels = [one_line(label) for label in chart.labels[:n]]
    values = [_finite(v) for v in chart.values[:n]]
    integral = all(v is None or float(v).is_integer() for v in values)
    ticks = nice_ticks(max((max(v, 0.0) for v in values if v is not None), default=0.0),
                       integral)
    pdf.set_font(font, size=_LABEL_PT)
    axis_w = min(max(pdf.get_string_width(compact(t)) for t in ticks), width * 0.25) + 2.0
    slot = (width - axis_w) / max(n, 1)

    # The labels: flat when every one fits its slot (at the smallest size if need be), else
    # upright and cut to the band.
    label_pt, flat = _fit(pdf, font, labels, slot - 0.6, _LABEL_PT)
    pdf.set_font(font, size=label_pt)
    if flat:
        band = label_pt * _PT + 2.5
    else:
        longest = max((pdf.get_string_width(t) for t in labels), default=0.0)
        band = min(longest, _MAX_BAND) + 2.0
        labels = [_cut(pdf, t, band - 2.0) for t in labels]

    # The values: full, else short, else upright with headroom above the tallest bar.
    texts = [plain(v) if v is not None else "" for v in values]
    value_pt, values_flat = _fit(pdf, font, texts, slot - 0.2, _VALUE_PT)
    if not values_flat:
        texts = [compact(v) if v is not None else "" for v in values]
        value_pt, values_flat = _fit(pdf, font, texts, slot - 0.2, _VALUE_PT)
    pdf.set_font(font, size=value_pt)
    headroom = (value_pt * _PT + 1.5 if values_flat
                else max((pdf.get_string_width(t) for t in texts), default=0.0) + 1.5)
    unit_h = 4.0 if chart.unit else 0.0
    height = max(chart.height, _TITLE_H + unit_h + headroom + _MIN_BARS + band)
    return _Layout(labels, values, texts, ticks, axis_w, label_pt, flat, band, value_pt,
                   values_flat, headroom, unit_h, height)


def draw_bar_chart(pdf: FPDF, chart: BarChart, left: float, top: float, width: float,
                   font: str) -> None:
    """Draw ``chart`` in the box ``left``, ``top`` (mm), ``width`` × :func:`chart_height`."""
    lay = _layout(pdf, chart, width, font)
    n = len(lay.labels)
    ticks = lay.ticks
    pdf.set_font(font, size=_TITLE_PT)
    pdf.set_xy(left, top)
    pdf.cell(width, _TITLE_H, _cut(pdf, one_line(chart.title), width), align="C")
    axis_w = lay.axis_w
    plot_left = left + axis_w
    plot_w = width - axis_w
    slot = plot_w / max(n, 1)
    plot_top = top + _TITLE_H + lay.unit_h
    plot_bottom = top + lay.height - lay.band
    bar_room = plot_bottom - plot_top - lay.headroom
    scale = bar_room / ticks[-1]

    # The grid, the ticks and the axes.
    pdf.set_font(font, size=_LABEL_PT)
    pdf.set_line_width(0.15)
    for tick in ticks:
        text = compact(tick)
        y = plot_bottom - tick * scale
        pdf.set_draw_color(*_GRID)
        if tick:
            pdf.line(plot_left, y, plot_left + plot_w, y)
        pdf.set_draw_color(0, 0, 0)
        pdf.line(plot_left - 1.0, y, plot_left, y)
        _right(pdf, _cut(pdf, text, axis_w - 2.0), plot_left - 1.5, y + _LABEL_PT * _PT * 0.35)
    if chart.unit:
        pdf.text(left, plot_top - 1.2, _cut(pdf, one_line(chart.unit), width))
    pdf.set_line_width(0.25)
    pdf.line(plot_left, plot_top, plot_left, plot_bottom)
    pdf.line(plot_left, plot_bottom, plot_left + plot_w, plot_bottom)

    # The bars, their values and labels.
    bar_w = slot * (0.7 if n > 1 else 0.3)
    pdf.set_fill_color(*_BAR)
    for i, value in enumerate(lay.values):
        centre = plot_left + slot * (i + 0.5)
        h = min(max(value or 0.0, 0.0) * scale, bar_room)
        if h > 0:
            pdf.rect(centre - bar_w / 2, plot_bottom - h, bar_w, h, style="F")
        pdf.set_font(font, size=lay.value_pt)
        if lay.texts[i]:
            _at(pdf, lay.texts[i], centre, plot_bottom - h - 1.0, lay.values_flat, above=True)
        pdf.set_font(font, size=lay.label_pt)
        if lay.labels[i]:
            _at(pdf, lay.labels[i], centre, plot_bottom + 1.0, lay.flat, above=False)
    pdf.set_fill_color(255, 255, 255)
    pdf.set_draw_color(0, 0, 0)
    pdf.set_line_width(0.2)
    pdf.set_xy(left, top + lay.height)


def _fit(pdf: FPDF, font: str, texts: list[str], room: float, size: float) -> tuple[float, bool]:
    """The largest size from ``size`` down to the smallest at which every text fits ``room``;
    whether it does at all."""
    while True:
        pdf.set_font(font, size=size)
        if all(pdf.get_string_width(t) <= room for t in texts):
            return size, True
        if size <= _MIN_PT:
            return size, False
        size = max(size - 0.5, _MIN_PT)


def _cut(pdf: FPDF, text: str, room: float) -> str:
    """``text`` cut to ``room`` mm with 「…」 when longer."""
    if pdf.get_string_width(text) <= room:
        return text
    while text and pdf.get_string_width(text + "…") > room:
        text = text[:-1]
    return text + "…" if text else ""


def _right(pdf: FPDF, text: str, right: float, baseline: float) -> None:
    pdf.text(right - pdf.get_string_width(text), baseline, text)


def _at(pdf: FPDF, text: str, centre: float, y: float, flat: bool, above: bool) -> None:
    """Write ``text`` centred on ``centre``: flat, its baseline at ``y`` (above) or its top at
    ``y`` (below); upright, starting at ``y`` and running away from the axis."""
    width = pdf.get_string_width(text)
    size = pdf.font_size  # mm
    if flat:
        baseline = y if above else y + size * 0.85
        pdf.text(centre - width / 2, baseline, text)
        return
    x = centre + size * 0.35  # the upright baseline sits half a glyph right of the centre
    start = y if above else y + width  # below the axis the text ends at y, reading upward
    with pdf.rotation(90, x, start):
        pdf.text(x, start, text)
