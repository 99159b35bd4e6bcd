"""Queue tickets (排队票据) rendered as PNG, SVG and terminal text.

The registration desk hands every visitor a paper slip: hall name, a big ticket number,
the department and its windows, how many people are ahead, the time it was issued, a
query code and a QR code to follow the case online. This module draws that slip; it knows
nothing about Textual or the database. Build a :class:`TicketPrint` with display-ready
strings and render it::

    from hall.ticketimage import TicketPrint, qr_text, render_png, render_svg, save_ticket

    ticket = TicketPrint(
        hall_name="某某市联合接访中心",
        number="R007",
        department_name="信访局综合接待",
        windows=("1号窗口", "2号窗口"),
        ahead=3,
        issued_at="2026-11-23 09:12",
        query_code="K7Q2M9XW4D",
        qr_payload="https://example.invalid/q/K7Q2M9XW4D",
    )
    png = render_png(ticket)       # bytes: 640 px wide, i.e. 80 mm at 203 dpi (thermal printers)
    svg = render_svg(ticket)       # str: a standalone 80 mm wide SVG document
    save_ticket(ticket, "R007.svg")  # format from the suffix (or fmt=), written atomically
    print(qr_text(ticket.qr_payload))  # the QR code drawn in a (dark) terminal

Fonts: the PNG needs a CJK font for its Chinese text. ``render_png`` uses ``font_path`` when
that font really has Chinese glyphs, else :func:`find_cjk_font`. Without any, it still draws
a correct slip: the ASCII parts (ticket number, people ahead, issue time, query code, QR
code) with English labels in Pillow's built-in font, and leaves the Chinese text out rather
than printing empty "tofu" boxes. The SVG only names a font-family list; the viewer or
printer picks the font.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import re
import shutil
import subprocess
import tempfile
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import qrcode
from PIL import Image, ImageDraw, ImageFont
from qrcode.constants import ERROR_CORRECT_M

__all__ = [
    "DEFAULT_NOTICE",
    "SVG_FONT_FAMILY",
    "TicketPrint",
    "find_cjk_font",
    "qr_matrix",
    "qr_text",
    "render_png",
    "render_svg",
    "save_ticket",
]

log = logging.getLogger(__name__)

DEFAULT_NOTICE = "请留意叫号屏与语音提示，凭此票据到指定窗口接谈。扫码可查询办理进度。"
SVG_FONT_FAMILY = "Noto Sans CJK SC, WenQuanYi Micro Hei, Microsoft YaHei, SimHei, sans-serif"
QUIET_ZONE = 4  # modules of light border around the QR code, as the standard asks

# Fonts tried after fontconfig, most common Linux packages first, then macOS and Windows.
_COMMON_CJK_FONTS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/wqy-microhei/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/System/Library/Fonts/PingFang.ttc",
    "/System/Library/Fonts/STHeiti Medium.ttc",
    "/Library/Fonts/Arial Unicode.ttf",
)
_WINDOWS_CJK_FONTS = ("msyh.ttc", "msyh.ttf", "simhei.ttf", "simsun.ttc")


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


# --------------------------------------------------------------------------- QR code


def qr_matrix(payload: str) -> list[list[bool]]:
    """Return the QR modules of ``payload`` (error correction M), True = dark.

    The matrix is square and includes the 4-module light quiet zone on every side.
    """
    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=QUIET_ZONE)
    qr.add_data(payload)
    qr.make(fit=True)
    return [[bool(cell) for cell in row] for row in qr.get_matrix()]


_HALF_BLOCKS = {(True, True): "█", (True, False): "▀", (False, True): "▄", (False, False): " "}


def qr_text(payload: str) -> str:
    """Draw the QR code of ``payload`` for a terminal, two module rows per text line.

    Terminals are usually light text on a dark background, so the picture is inverted:
    *light* modules (including the quiet zone) are drawn with the block characters
    ``▀ ▄ █`` in the foreground colour and *dark* modules are spaces that show the dark
    background. That keeps a real light quiet zone around the code, which scanners need.
    An odd last row is paired with an extra light row. Lines are joined with ``\\n``;
    there are ``ceil(size / 2)`` of them, each ``size`` characters wide.
    """
    matrix = qr_matrix(payload)
    size = len(matrix)
    rows = [*matrix, [False] * size] if size % 2 else matrix
    lines = []
    for top, bottom in zip(rows[0::2], rows[1::2], strict=True):
        lines.append(
            "".join(_HALF_BLOCKS[(not a, not b)] for a, b in zip(top, bottom, strict=True))
        )
    return "\n".join(lines)


# --------------------------------------------------------------------------- text helpers

# Punctuation that must not start a line (it hangs at the end of the previous one instead).
_NO_LINE_START = frozenset("，。、；：！？）》」』】〕…,.;:!?)]}%")
_JOIN = "\u2060"  # WORD JOINER: glues characters into one unbreakable unit; never drawn
_TOKEN = re.compile(r"(?:\S\u2060)+\S|[A-Za-z0-9_\-./:@#+%]+|\s+|.")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def _clean(text: str) -> str:
    """Drop control characters (they are invalid in XML and print as boxes)."""
    return _CONTROL.sub("", str(text))


def _one_line(text: str) -> str:
    """Clean ``text`` and fold line breaks and tabs into single spaces."""
    return " ".join(_clean(text).split())


def _wrap(text: str, max_width: float, measure: Callable[[str], float]) -> list[str]:
    """Greedy line breaking: CJK anywhere, ASCII words whole, no punctuation at line start.

    Characters glued with U+2060 WORD JOINER stay on one line (the joiners are dropped).
    """
    lines: list[str] = []
    for paragraph in _clean(text).splitlines() or [""]:
        tokens: list[str] = []
        for token in (t.replace(_JOIN, "") for t in _TOKEN.findall(paragraph)):
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


def _wrap_balanced(text: str, max_width: float, measure: Callable[[str], float]) -> list[str]:
    """Like :func:`_wrap`, but with lines of even length (no lone word on the last line)."""
    lines = _wrap(text, max_width, measure)
    if len(lines) < 2:
        return lines
    low, high = 0.0, float(max_width)
    for _ in range(14):
        middle = (low + high) / 2
        if len(_wrap(text, middle, measure)) <= len(lines):
            high = middle
        else:
            low = middle
    return _wrap(text, high, measure)


def _windows_line(windows: Sequence[str], cjk: bool) -> str:
    """The line that tells the visitor where to go."""
    labels = [_JOIN.join(_one_line(w)) for w in windows if _one_line(w)]
    if cjk:
        return "请到 " + "、".join(labels) + " 办理" if labels else "请留意叫号屏提示的窗口"
    return "WINDOW " + ", ".join(labels) if labels else ""


# --------------------------------------------------------------------------- fonts


def _fc_files(args: list[str]) -> Iterator[str]:
    """Font files printed by a fontconfig command, one per line; nothing on failure."""
    try:
        done = subprocess.run(args, capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return
    if done.returncode == 0:
        yield from (line.strip() for line in done.stdout.splitlines() if line.strip())


def _font_candidates() -> Iterator[str]:
    """Font files worth checking for Chinese glyphs, best guesses first."""
    if shutil.which("fc-match"):
        yield from _fc_files(["fc-match", "-f", "%{file}", ":lang=zh"])
    if shutil.which("fc-list"):
        # fc-match always answers with *some* font, even one without Chinese; fc-list filters.
        yield from sorted(_fc_files(["fc-list", "-f", "%{file}\n", ":lang=zh"]))
    yield from _COMMON_CJK_FONTS
    windir = os.environ.get("WINDIR") or os.environ.get("SystemRoot")
    if windir:
        yield from (os.path.join(windir, "Fonts", name) for name in _WINDOWS_CJK_FONTS)


@functools.lru_cache(maxsize=32)
def _font_index(path: str) -> int:
    """Face index to use in a font collection: the Simplified Chinese face if there is one."""
    if not path.lower().endswith((".ttc", ".otc")):
        return 0
    for index in range(64):
        try:
            family = ImageFont.truetype(path, 12, index=index).getname()[0] or ""
        except OSError:
            break
        if "SC" in family.split():
            return index
    return 0


def _glyph(font: ImageFont.FreeTypeFont, char: str) -> bytes:
    """The rendered pixels of one character, to compare glyphs with each other."""
    image = Image.new("L", (48, 48), 0)
    ImageDraw.Draw(image).text((8, 8), char, font=font, fill=255)
    return image.tobytes()


@functools.lru_cache(maxsize=32)
def _covers_cjk(path: str) -> bool:
    """Whether the font file at ``path`` has real glyphs for Chinese text."""
    try:
        font = ImageFont.truetype(path, 32, index=_font_index(path))
    except (OSError, ValueError):
        return False
    zhong, fang, missing = (_glyph(font, c) for c in ("中", "访", "\U0010fffd"))
    # A font without them draws the same .notdef box (or nothing) for all three.
    return any(zhong) and len({zhong, fang, missing}) == 3


@functools.lru_cache(maxsize=1)
def find_cjk_font() -> str | None:
    """Path of a font file (TTF/OTF/TTC) on this machine that can draw Chinese, or None.

    Asks fontconfig (``fc-match``, then ``fc-list``) when installed, then tries common
    install paths; every candidate is checked for real Chinese glyphs. The answer is
    cached for the process (``find_cjk_font.cache_clear()`` to look again).
    """
    seen: set[str] = set()
    for path in _font_candidates():
        if path in seen or not os.path.isfile(path):
            continue
        seen.add(path)
        if _covers_cjk(path):
            return path
    return None


@functools.lru_cache(maxsize=64)
def _load_font(path: str | None, index: int, size: int) -> ImageFont.FreeTypeFont:
    """A font at a pixel size: the file at ``path``, or Pillow's built-in scalable font."""
    font = ImageFont.truetype(path, size, index=index) if path else ImageFont.load_default(size)
    if not isinstance(font, ImageFont.FreeTypeFont):
        raise RuntimeError("Pillow 缺少 FreeType 支持，无法绘制票据文字")
    return font


@dataclass(frozen=True)
class _Fonts:
    """The font used for one slip; ``path`` None means Pillow's font and no Chinese."""

    path: str | None = None
    index: int = 0

    @property
    def cjk(self) -> bool:
        return self.path is not None

    def __call__(self, size: int) -> ImageFont.FreeTypeFont:
        return _load_font(self.path, self.index, max(6, int(size)))


def _resolve_fonts(font_path: str | os.PathLike[str] | None) -> _Fonts:
    """Pick the CJK font for a PNG: ``font_path`` if it has Chinese, else a system font."""
    if font_path is not None:
        path = os.fspath(font_path)
        if os.path.isfile(path) and _covers_cjk(path):
            return _Fonts(path, _font_index(path))
        log.warning("字体 %s 不存在或不含中文字形，改用系统中文字体", path)
    found = find_cjk_font()
    return _Fonts(found, _font_index(found)) if found else _Fonts()


# --------------------------------------------------------------------------- PNG

_PX_WIDTH = 640  # 80 mm at 203 dpi, the usual thermal-printer resolution
_PX_MARGIN = 40
_PX_DPI = 203
_PX_MODULE = 8  # largest QR module size in pixels
_INK = 0
_GREY = 85


class _PngSlip:
    """A growing white canvas that slip elements are stacked on, top to bottom."""

    def __init__(self, fonts: _Fonts) -> None:
        self.fonts = fonts
        self.image = Image.new("L", (_PX_WIDTH, 1400), 255)
        self.draw = ImageDraw.Draw(self.image)
        self.y = float(_PX_MARGIN)
        self.inner = _PX_WIDTH - 2 * _PX_MARGIN

    def can_draw(self, text: str) -> bool:
        """Whether ``text`` is non-empty and the font has glyphs for all of it."""
        text = text.replace(_JOIN, "")
        return bool(text.strip()) and (self.fonts.cjk or text.isascii())

    def space(self, pixels: float) -> None:
        self.y += pixels

    def _reserve(self, height: float) -> None:
        need = int(self.y + height) + 2 * _PX_MARGIN
        if need > self.image.height:
            bigger = Image.new("L", (_PX_WIDTH, max(need, self.image.height * 2)), 255)
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
        text = _clean(text)
        if not self.can_draw(text):
            return
        if min_size is not None:
            size = self._fit(_one_line(text), size, min_size)
        font = self.fonts(size)
        stroke = max(1, size // 30) if bold else 0
        top, bottom = self._extent(font)
        wrap = _wrap_balanced if center else _wrap
        for line in wrap(text, self.inner, font.getlength):
            self._reserve(bottom - top)
            baseline = self.y - top
            x, anchor = (_PX_WIDTH / 2, "ms") if center else (_PX_MARGIN, "ls")
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
        text = _one_line(text)
        if not self.can_draw(text):
            return
        stroke = max(2, size // 28)
        size = self._fit(text, size, min_size, stroke)
        font = self.fonts(size)
        _, top, _, bottom = font.getbbox(text, anchor="ls", stroke_width=stroke)
        self._reserve(bottom - top)
        baseline = self.y - top
        self.draw.text(
            (_PX_WIDTH / 2, baseline),
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
        runs = [(text, self.fonts(size), bold) for text, size, bold in parts if text]
        if not runs or not all(self.can_draw(text) or not text.strip() for text, _, _ in runs):
            return
        widths = [font.getlength(text) for text, font, _ in runs]
        top = min(font.getbbox(text, anchor="ls")[1] for text, font, _ in runs if text.strip())
        bottom = max(self._extent(font)[1] for _, font, _ in runs)
        self._reserve(bottom - top)
        baseline = self.y - top
        x = (_PX_WIDTH - sum(widths)) / 2
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
        value = _one_line(value)
        if not self.can_draw(value):
            return
        label_font = self.fonts(size - 2)
        label_width = label_font.getlength(label) + size
        value_size = size
        while value_size > 12 and self.fonts(value_size).getlength(value) > (
            self.inner - label_width
        ):
            value_size -= 1
        value_font = self.fonts(value_size)
        top, bottom = self._extent(self.fonts(size))
        self._reserve(bottom - top)
        baseline = self.y - top
        if self.can_draw(label):
            self.draw.text((_PX_MARGIN, baseline), label, font=label_font, fill=_GREY, anchor="ls")
        stroke = 1 if bold_value else 0
        self.draw.text(
            (_PX_WIDTH - _PX_MARGIN, baseline),
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
        self.y += pad
        self._reserve(4)
        y = round(self.y)
        if dashed:
            for x in range(_PX_MARGIN, _PX_WIDTH - _PX_MARGIN, 14):
                self.draw.line((x, y, min(x + 7, _PX_WIDTH - _PX_MARGIN), y), fill=_INK, width=2)
        else:
            self.draw.line((_PX_MARGIN, y, _PX_WIDTH - _PX_MARGIN, y), fill=_INK, width=3)
        self.y += pad

    def qr(self, matrix: list[list[bool]]) -> None:
        """Paste the QR code centred, with whole-pixel modules (its quiet zone included)."""
        size = len(matrix)
        module = max(1, min(_PX_MODULE, _PX_WIDTH // size))
        bitmap = Image.new("L", (size, size))
        bitmap.putdata([_INK if dark else 255 for row in matrix for dark in row])
        bitmap = bitmap.resize((size * module, size * module), Image.Resampling.NEAREST)
        self._reserve(bitmap.height)
        self.image.paste(bitmap, ((_PX_WIDTH - bitmap.width) // 2, round(self.y)))
        self.y += bitmap.height

    def png(self) -> bytes:
        """The finished slip as PNG bytes, cropped below the last element."""
        height = round(self.y) + _PX_MARGIN
        out = BytesIO()
        self.image.crop((0, 0, _PX_WIDTH, height)).save(
            out, format="PNG", optimize=True, dpi=(_PX_DPI, _PX_DPI)
        )
        return out.getvalue()


def render_png(ticket: TicketPrint, *, font_path: str | None = None) -> bytes:
    """Render the ticket as a greyscale PNG, 640 px (80 mm at 203 dpi) wide.

    Chinese text needs a CJK font: ``font_path`` if it has Chinese glyphs, else
    :func:`find_cjk_font`. Without one, only the ASCII parts are drawn (with English
    labels); the QR code is always drawn with whole-pixel modules so it scans.
    """
    fonts = _resolve_fonts(font_path)
    zh = fonts.cjk
    slip = _PngSlip(fonts)
    hall_name = _one_line(ticket.hall_name)
    if slip.can_draw(hall_name):
        slip.text(hall_name, 36, bold=True, min_size=26)
        slip.rule(dashed=False, pad=14)
        slip.space(6)
    slip.text("排队号" if zh else "QUEUE NUMBER", 24, fill=_GREY, leading=0.6)
    slip.big(ticket.number, 150, min_size=48)
    slip.space(26)
    slip.text(_one_line(ticket.department_name), 32, bold=True, min_size=26)
    slip.text(_windows_line(ticket.windows, zh), 26, leading=0.5)
    if zh:
        slip.mixed([("前面还有 ", 28, False), (str(ticket.ahead), 56, True), (" 人", 28, False)])
    else:
        slip.mixed([("AHEAD ", 26, False), (str(ticket.ahead), 56, True)])
    slip.rule()
    slip.row("取号时间" if zh else "ISSUED", ticket.issued_at, 26)
    slip.row("查询码" if zh else "QUERY CODE", ticket.query_code, 28, bold_value=True)
    slip.qr(qr_matrix(ticket.qr_payload))
    slip.text(ticket.notice, 22, fill=_INK, leading=0.35)
    return slip.png()


# --------------------------------------------------------------------------- SVG

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
        text = _clean(text)
        if not text.strip():
            return
        if min_size is not None:
            while size > min_size and _em_width(_one_line(text)) * size > _MM_INNER:
                size = round(size - 0.2, 2)
        anchor = ' text-anchor="middle"' if center else ""
        weight = ' font-weight="700"' if bold else ""
        attrs = f' font-size="{_num(size)}"{weight} fill="{fill}"{anchor}'
        x = _MM_WIDTH / 2 if center else _MM_MARGIN
        wrap = _wrap_balanced if center else _wrap
        for line in wrap(text, _MM_INNER, lambda s, size=size: _em_width(s) * size):
            baseline = self.y + size * 0.88
            self.parts.append(self._text_element(x, baseline, escape(line), attrs))
            self.y += size * leading

    def big(self, text: str, size: float) -> None:
        """Add the large bold ticket number, spaced by its cap height."""
        text = _one_line(text)
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
        value = _one_line(value)
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
    slip.text(_one_line(ticket.hall_name), 5.0, bold=True, min_size=3.6)
    slip.rule(dashed=False, pad=1.8)
    slip.space(1.0)
    slip.text("排队号", 3.2, fill="#555", leading=1.6)
    slip.big(ticket.number, 20.0)
    slip.space(3.2)
    slip.text(_one_line(ticket.department_name), 4.4, bold=True, min_size=3.4)
    slip.text(_windows_line(ticket.windows, cjk=True), 3.6)
    slip.mixed([("前面还有 ", 3.8, False), (str(ticket.ahead), 7.5, True), (" 人", 3.8, False)])
    slip.rule()
    slip.row("取号时间", ticket.issued_at, 3.5)
    slip.row("查询码", ticket.query_code, 3.8, bold_value=True)
    slip.qr(qr_matrix(ticket.qr_payload))
    slip.space(1.0)
    slip.text(ticket.notice, 3.0, leading=1.45)
    return slip.document(f"{_one_line(ticket.hall_name)} 排队票据 {_one_line(ticket.number)}")


# --------------------------------------------------------------------------- files


def _write_atomic(target: Path, data: bytes) -> None:
    """Write ``data`` to a temp file beside ``target``, then rename it over ``target``."""
    try:
        mode = target.stat().st_mode & 0o777
    except FileNotFoundError:
        mode = 0o644
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def save_ticket(ticket: TicketPrint, path: str | os.PathLike[str], fmt: str | None = None) -> Path:
    """Render the ticket and write it to ``path`` atomically; return the path.

    ``fmt`` is "png" or "svg"; without it the file suffix decides. Any other format
    raises ValueError (in Chinese, for the operator) before anything is written.
    """
    target = Path(path)
    kind = (fmt if fmt is not None else target.suffix).strip().lower().lstrip(".")
    if kind not in ("png", "svg"):
        shown = fmt if fmt is not None else (target.suffix or "无扩展名")
        raise ValueError(f"不支持的票据格式“{shown}”：只能保存为 PNG 或 SVG")
    data = render_png(ticket) if kind == "png" else render_svg(ticket).encode("utf-8")
    _write_atomic(target, data)
    return target
