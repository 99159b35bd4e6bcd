"""The slip as a greyscale PNG, 640 px wide by default: 80 mm at 203 dpi, the thermal printers'
resolution, or any width in dots a receipt printer prints (58 mm paper 384, TM-T88V 512,
TM-T20II 576): the layout is the same, scaled, so a narrower slip is the same slip, smaller.

    png = render_png(ticket)                     # 640 px
    image = render_image(ticket, width=576)      # a PIL image for :mod:`hall.printing.receipt`

Chinese text needs a CJK font (:mod:`hall.printing.fonts`); without one only the ASCII parts are
drawn, with English labels. The QR code always has whole-pixel modules so that it scans: at 384
dots a typical query URL gets 4-dot modules (0.5 mm), still read by a phone.
"""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO

from PIL import Image, ImageDraw, ImageFont

from hall.printing.fonts import Fonts, resolve_fonts
from hall.printing.layout import (
    JOIN,
    TicketPrint,
    clean,
    one_line,
    windows_line,
    wrap_balanced,
    wrap_lines,
)
from hall.printing.qr import qr_matrix

__all__ = ["DEFAULT_WIDTH", "MIN_WIDTH", "render_image", "render_png"]


DEFAULT_WIDTH = 640  # 80 mm at 203 dpi, the usual thermal-printer resolution
"""The saved PNG's width, and the one every size below is drawn for (then scaled)."""
MIN_WIDTH = 128
"""The narrowest slip drawn (a QR code of a long URL needs its modules)."""
_PX_MARGIN = 40
_PX_DPI = 203
_PX_MODULE = 8  # largest QR module size in pixels
_INK = 0
_GREY = 85


class _PngSlip:
    """A growing white canvas that slip elements are stacked on, top to bottom."""

    def __init__(self, fonts: Fonts, width: int = DEFAULT_WIDTH) -> None:
        self.fonts = fonts
        self.width = width
        self.k = width / DEFAULT_WIDTH  # every size below is given for 640 px, then scaled
        self.margin = round(_PX_MARGIN * self.k)
        self.image = Image.new("L", (width, round(1400 * self.k)), 255)
        self.draw = ImageDraw.Draw(self.image)
        self.y = float(self.margin)
        self.inner = width - 2 * self.margin

    def px(self, size: float) -> int:
        """A size given for the 640 px slip, at this slip's width (at least 1)."""
        return max(1, round(size * self.k))

    def can_draw(self, text: str) -> bool:
        """Whether ``text`` is non-empty and the font has glyphs for all of it."""
        text = text.replace(JOIN, "")
        return bool(text.strip()) and (self.fonts.cjk or text.isascii())

    def space(self, pixels: float) -> None:
        self.y += pixels * self.k

    def _reserve(self, height: float) -> None:
        need = int(self.y + height) + 2 * self.margin
        if need > self.image.height:
            bigger = Image.new("L", (self.width, max(need, self.image.height * 2)), 255)
            bigger.paste(self.image, (0, 0))
            self.image = bigger
            self.draw = ImageDraw.Draw(bigger)

    def _extent(self, font: ImageFont.FreeTypeFont) -> tuple[float, float]:
        """Top (negative) and bottom of a text line relative to its baseline."""
        _, top, _, bottom = font.getbbox("国Hg" if self.fonts.cjk else "Hg", anchor="ls")
        return top, bottom

    def _fit(self, text: str, size: int, min_size: int, stroke: int = 0) -> int:
        """The largest size from ``size`` down to ``min_size`` at which ``text`` fits."""
        while size > min_size and self.fonts(size).getlength(text) + 2 * stroke > self.inner:
            size -= 2
        return size

    def text(
        self,
        text: str,
        size: int,
        *,
        bold: bool = False,
        fill: int = _INK,
        min_size: int | None = None,
        center: bool = True,
        leading: float = 0.3,
    ) -> None:
        """Draw ``text`` wrapped to the slip's width, shrinking first down to ``min_size``."""
        text = clean(text)
        if not self.can_draw(text):
            return
        size = self.px(size)
        if min_size is not None:
            size = self._fit(one_line(text), size, self.px(min_size))
        font = self.fonts(size)
        stroke = max(1, size // 30) if bold else 0
        top, bottom = self._extent(font)
        wrap = wrap_balanced if center else wrap_lines
        for line in wrap(text, self.inner, font.getlength):
            self._reserve(bottom - top)
            baseline = self.y - top
            x, anchor = (self.width / 2, "ms") if center else (self.margin, "ls")
            self.draw.text(
                (x, baseline),
                line,
                font=font,
                fill=fill,
                anchor=anchor,
                stroke_width=stroke,
                stroke_fill=fill,
            )
            self.y = baseline + bottom + size * leading

    def big(self, text: str, size: int, *, min_size: int) -> None:
        """Draw one large bold line (the ticket number), spaced by its own ink."""
        text = one_line(text)
        if not self.can_draw(text):
            return
        size, min_size = self.px(size), self.px(min_size)
        stroke = max(2, size // 28)
        size = self._fit(text, size, min_size, stroke)
        font = self.fonts(size)
        _, top, _, bottom = font.getbbox(text, anchor="ls", stroke_width=stroke)
        self._reserve(bottom - top)
        baseline = self.y - top
        self.draw.text(
            (self.width / 2, baseline),
            text,
            font=font,
            fill=_INK,
            anchor="ms",
            stroke_width=stroke,
            stroke_fill=_INK,
        )
        self.y = baseline + bottom

    def mixed(self, parts: Sequence[tuple[str, int, bool]]) -> None:
        """Draw ``(text, size, bold)`` runs centred on one common baseline."""
        runs = [(text, self.fonts(self.px(size)), bold) for text, size, bold in parts if text]
        if not runs or not all(self.can_draw(text) or not text.strip() for text, _, _ in runs):
            return
        widths = [font.getlength(text) for text, font, _ in runs]
        top = min(font.getbbox(text, anchor="ls")[1] for text, font, _ in runs if text.strip())
        bottom = max(self._extent(font)[1] for _, font, _ in runs)
        self._reserve(bottom - top)
        baseline = self.y - top
        x = (self.width - sum(widths)) / 2
        for (text, font, bold), width in zip(runs, widths, strict=True):
            stroke = max(1, int(font.size) // 28) if bold else 0
            self.draw.text(
                (x, baseline),
                text,
                font=font,
                fill=_INK,
                anchor="ls",
                stroke_width=stroke,
                stroke_fill=_INK,
            )
            x += width
        self.y = baseline + bottom

    def row(self, label: str, value: str, size: int, *, bold_value: bool = False) -> None:
        """Draw a label on the left and its value on the right of one line."""
        value = one_line(value)
        if not self.can_draw(value):
            return
        size = self.px(size)
        label_font = self.fonts(size - 2)
        label_width = label_font.getlength(label) + size
        value_size = size
        while value_size > self.px(12) and self.fonts(value_size).getlength(value) > (
            self.inner - label_width
        ):
            value_size -= 1
        value_font = self.fonts(value_size)
        top, bottom = self._extent(self.fonts(size))
        self._reserve(bottom - top)
        baseline = self.y - top
        if self.can_draw(label):
            self.draw.text((self.margin, baseline), label, font=label_font, fill=_GREY,
                           anchor="ls")
        stroke = 1 if bold_value else 0
        self.draw.text(
            (self.width - self.margin, baseline),
            value,
            font=value_font,
            fill=_INK,
            anchor="rs",
            stroke_width=stroke,
            stroke_fill=_INK,
        )
        self.y = baseline + bottom + size * 0.45

    def rule(self, *, dashed: bool = True, pad: float = 18) -> None:
        """A horizontal separator: dashed like a tear line, or solid."""
        pad *= self.k
        self.y += pad
        self._reserve(4)
        y = round(self.y)
        left, right = self.margin, self.width - self.margin
        if dashed:
            dash = self.px(7)
            for x in range(left, right, 2 * dash):
                self.draw.line((x, y, min(x + dash, right), y), fill=_INK, width=2)
        else:
            self.draw.line((left, y, right, y), fill=_INK, width=max(2, self.px(3)))
        self.y += pad

    def qr(self, matrix: list[list[bool]]) -> None:
        """Paste the QR code centred, with whole-pixel modules (its quiet zone included)."""
        size = len(matrix)
        module = max(1, min(self.px(_PX_MODULE), self.width // size))
        bitmap = Image.new("L", (size, size))
        bitmap.putdata([_INK if dark else 255 for row in matrix for dark in row])
        bitmap = bitmap.resize((size * module, size * module), Image.Resampling.NEAREST)
        self._reserve(bitmap.height)
        self.image.paste(bitmap, ((self.width - bitmap.width) // 2, round(self.y)))
        self.y += bitmap.height

    def finished(self) -> Image.Image:
        """The finished slip, cropped below the last element."""
        return self.image.crop((0, 0, self.width, round(self.y) + self.margin))


def render_png(ticket: TicketPrint, *, width: int = DEFAULT_WIDTH,
               font_path: str | None = None) -> bytes:
    """Render the ticket as a greyscale PNG, ``width`` px (default 640: 80 mm at 203 dpi) wide.

    Chinese text needs a CJK font: ``font_path`` if it has Chinese glyphs, else
    :func:`find_cjk_font`. Without one, only the ASCII parts are drawn (with English
    labels); the QR code is always drawn with whole-pixel modules so it scans.
    """
    out = BytesIO()
    render_image(ticket, width=width, font_path=font_path).save(
        out, format="PNG", optimize=True, dpi=(_PX_DPI, _PX_DPI))
    return out.getvalue()


def render_image(ticket: TicketPrint, *, width: int = DEFAULT_WIDTH,
                 font_path: str | None = None) -> Image.Image:
    """The slip as a greyscale (mode "L") Pillow image exactly ``width`` px wide (at least
    :data:`MIN_WIDTH`): the picture :func:`render_png` saves and a receipt printer prints."""
    if width < MIN_WIDTH:
        raise ValueError(f"票据宽度至少 {MIN_WIDTH} 点，实际为 {width}")
    fonts = resolve_fonts(font_path)
    zh = fonts.cjk
    slip = _PngSlip(fonts, width)
    hall_name = one_line(ticket.hall_name)
    if slip.can_draw(hall_name):
        slip.text(hall_name, 36, bold=True, min_size=26)
        slip.rule(dashed=False, pad=14)
        slip.space(6)
    slip.text("排队号" if zh else "QUEUE NUMBER", 24, fill=_GREY, leading=0.6)
    slip.big(ticket.number, 150, min_size=48)
    slip.space(26)
    slip.text(one_line(ticket.department_name), 32, bold=True, min_size=26)
    slip.text(windows_line(ticket.windows, zh), 26, leading=0.5)
    if zh:
        slip.mixed([("前面还有 ", 28, False), (str(ticket.ahead), 56, True), (" 人", 28, False)])
    else:
        slip.mixed([("AHEAD ", 26, False), (str(ticket.ahead), 56, True)])
    slip.rule()
    slip.row("取号时间" if zh else "ISSUED", ticket.issued_at, 26)
    slip.row("查询码" if zh else "QUERY CODE", ticket.query_code, 28, bold_value=True)
    slip.qr(qr_matrix(ticket.qr_payload))
    slip.text(ticket.notice, 22, fill=_INK, leading=0.35)
    return slip.finished()
