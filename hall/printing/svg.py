"""The slip as a standalone SVG document, 80 mm wide, text kept as text.

The SVG names a font-family list (:data:`SVG_FONT_FAMILY`); the viewer or printer picks the font.
Text is XML-escaped; the QR code is drawn with crisp-edged ``<rect>`` modules.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

from hall.printing.layout import (
    TicketPrint,
    clean,
    one_line,
    windows_line,
    wrap_balanced,
    wrap_lines,
)
from hall.printing.qr import qr_matrix

__all__ = ["SVG_FONT_FAMILY", "render_svg"]

SVG_FONT_FAMILY = "Noto Sans CJK SC, WenQuanYi Micro Hei, Microsoft YaHei, SimHei, sans-serif"

_MM_WIDTH = 80.0
_MM_MARGIN = 5.0
_MM_INNER = _MM_WIDTH - 2 * _MM_MARGIN
_MM_MODULE = 1.0  # QR module side, like the PNG's 8 px at 203 dpi
_MM_QR_MAX = 76.0  # largest QR side, quiet zone included


def _num(value: float) -> str:
    """A compact SVG number: at most 3 decimals, no trailing zeros."""
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _em_width(text: str) -> float:
    """Rough advance width of ``text`` in em: full width for CJK, about half for ASCII."""
    width = 0.0
    for char in text:
        if unicodedata.east_asian_width(char) in "WF":
            width += 1.0
        elif char.isupper() or char.isdigit():
            width += 0.64
        elif char == " ":
            width += 0.3
        else:
            width += 0.52
    return width


class _SvgSlip:
    """SVG elements stacked top to bottom, in millimetres."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.y = _MM_MARGIN + 1.0
        self.family = quoteattr(SVG_FONT_FAMILY)

    def space(self, mm: float) -> None:
        self.y += mm

    def _text_element(self, x: float, baseline: float, content: str, attrs: str) -> str:
        return (
            f'<text x="{_num(x)}" y="{_num(baseline)}" font-family={self.family}'
            f"{attrs}>{content}</text>"
        )

    def text(
        self,
        text: str,
        size: float,
        *,
        bold: bool = False,
        fill: str = "#000",
        min_size: float | None = None,
        center: bool = True,
        leading: float = 1.3,
    ) -> None:
        """Add ``text`` wrapped to the slip's width, shrinking first down to ``min_size``."""
        text = clean(text)
        if not text.strip():
            return
        if min_size is not None:
            while size > min_size and _em_width(one_line(text)) * size > _MM_INNER:
                size = round(size - 0.2, 2)
        anchor = ' text-anchor="middle"' if center else ""
        weight = ' font-weight="700"' if bold else ""
        attrs = f' font-size="{_num(size)}"{weight} fill="{fill}"{anchor}'
        x = _MM_WIDTH / 2 if center else _MM_MARGIN
        wrap = wrap_balanced if center else wrap_lines
        for line in wrap(text, _MM_INNER, lambda s, size=size: _em_width(s) * size):
            baseline = self.y + size * 0.88
            self.parts.append(self._text_element(x, baseline, escape(line), attrs))
            self.y += size * leading

    def big(self, text: str, size: float) -> None:
        """Add the large bold ticket number, spaced by its cap height."""
        text = one_line(text)
        while size > 8 and _em_width(text) * size > _MM_INNER:
            size = round(size - 0.5, 2)
        baseline = self.y + size * 0.74
        attrs = f' font-size="{_num(size)}" font-weight="700" text-anchor="middle"'
        self.parts.append(self._text_element(_MM_WIDTH / 2, baseline, escape(text), attrs))
        self.y = baseline + size * 0.06

    def mixed(self, parts: Sequence[tuple[str, float, bool]]) -> None:
        """Add ``(text, size, bold)`` runs as one centred line with <tspan>s."""
        tallest = max(size for _, size, _ in parts)
        spans: list[str] = []
        gap = 0.0  # spaces at run edges become dx: renderers collapse them between tspans
        for text, size, bold in parts:
            gap += (len(text) - len(text.lstrip())) * 0.3 * size
            dx = f' dx="{_num(gap)}"' if gap else ""
            weight = ' font-weight="700"' if bold else ""
            body = escape(text.strip())
            spans.append(f'<tspan font-size="{_num(size)}"{weight}{dx}>{body}</tspan>')
            gap = (len(text) - len(text.rstrip())) * 0.3 * size
        content = "".join(spans)
        baseline = self.y + tallest * 0.76
        self.parts.append(
            self._text_element(_MM_WIDTH / 2, baseline, content, ' text-anchor="middle"')
        )
        self.y = baseline + tallest * 0.2

    def row(self, label: str, value: str, size: float, *, bold_value: bool = False) -> None:
        """Add a label on the left and its value on the right of one line."""
        value = one_line(value)
        baseline = self.y + size * 0.88
        self.parts.append(
            self._text_element(
                _MM_MARGIN, baseline, escape(label), f' font-size="{_num(size * 0.9)}" fill="#555"'
            )
        )
        room = _MM_INNER - _em_width(label) * size * 0.9 - size
        value_size = size
        while value_size > 2 and _em_width(value) * value_size > room:
            value_size = round(value_size - 0.1, 2)
        weight = ' font-weight="700"' if bold_value else ""
        self.parts.append(
            self._text_element(
                _MM_WIDTH - _MM_MARGIN,
                baseline,
                escape(value),
                f' font-size="{_num(value_size)}"{weight} text-anchor="end"',
            )
        )
        self.y += size * 1.45

    def rule(self, *, dashed: bool = True, pad: float = 2.6) -> None:
        """A horizontal separator: dashed like a tear line, or solid."""
        self.y += pad
        style = ' stroke-width="0.5"'
        if dashed:
            style = ' stroke-width="0.3" stroke-dasharray="1.2 0.9"'
        self.parts.append(
            f'<line x1="{_num(_MM_MARGIN)}" y1="{_num(self.y)}" x2="{_num(_MM_WIDTH - _MM_MARGIN)}"'
            f' y2="{_num(self.y)}" stroke="#000"{style}/>'
        )
        self.y += pad

    def qr(self, matrix: list[list[bool]]) -> None:
        """Add the QR code as one <rect> per horizontal run of dark modules.

        The rects sit in ``<g id="qr">`` in module units (scaled to millimetres by the
        group's transform), on a light background rect the size of the whole matrix.
        """
        size = len(matrix)
        module = min(_MM_MODULE, _MM_QR_MAX / size)
        x0 = (_MM_WIDTH - size * module) / 2
        rects = [f'<rect width="{size}" height="{size}" fill="#fff"/>']
        for y, row in enumerate(matrix):
            x = 0
            while x < size:
                if not row[x]:
                    x += 1
                    continue
                start = x
                while x < size and row[x]:
                    x += 1
                rects.append(f'<rect x="{start}" y="{y}" width="{x - start}" height="1"/>')
        self.parts.append(
            f'<g id="qr" transform="translate({_num(x0)} {_num(self.y)}) scale({_num(module)})"'
            f' fill="#000" shape-rendering="crispEdges">{"".join(rects)}</g>'
        )
        self.y += size * module

    def document(self, title: str) -> str:
        """The complete standalone SVG document."""
        height = _num(self.y + _MM_MARGIN)
        width = _num(_MM_WIDTH)
        return "\n".join(
            [
                '<?xml version="1.0" encoding="UTF-8"?>',
                f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}mm" height="{height}mm"'
                f' viewBox="0 0 {width} {height}">',
                f"<title>{escape(title)}</title>",
                f'<rect width="{width}" height="{height}" fill="#fff"/>',
                *self.parts,
                "</svg>",
                "",
            ]
        )


def render_svg(ticket: TicketPrint) -> str:
    """Render the ticket as a standalone SVG document for an 80 mm wide slip.

    Text stays text (font-family :data:`SVG_FONT_FAMILY`, XML-escaped); the QR code is
    drawn with crisp-edged <rect> modules including its quiet zone.
    """
    slip = _SvgSlip()
    slip.text(one_line(ticket.hall_name), 5.0, bold=True, min_size=3.6)
    slip.rule(dashed=False, pad=1.8)
    slip.space(1.0)
    slip.text("排队号", 3.2, fill="#555", leading=1.6)
    slip.big(ticket.number, 20.0)
    slip.space(3.2)
    slip.text(one_line(ticket.department_name), 4.4, bold=True, min_size=3.4)
    slip.text(windows_line(ticket.windows, cjk=True), 3.6)
    slip.mixed([("前面还有 ", 3.8, False), (str(ticket.ahead), 7.5, True), (" 人", 3.8, False)])
    slip.rule()
    slip.row("取号时间", ticket.issued_at, 3.5)
    slip.row("查询码", ticket.query_code, 3.8, bold_value=True)
    slip.qr(qr_matrix(ticket.qr_payload))
    slip.space(1.0)
    slip.text(ticket.notice, 3.0, leading=1.45)
    return slip.document(f"{one_line(ticket.hall_name)} 排队票据 {one_line(ticket.number)}")
