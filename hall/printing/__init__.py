"""Queue tickets (排队票据) rendered as PNG, SVG and terminal text.

The registration desk hands every visitor a paper slip: hall name, a big ticket number,
the department and its windows, how many people are ahead, the time it was issued, a
query code and a QR code to follow the case online. This module draws that slip; it knows
nothing about Textual or the database. Build a :class:`TicketPrint` with display-ready
strings and render it::

    from hall.printing import TicketPrint, qr_text, render_png, render_svg, save_ticket

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
    png = render_png(ticket, width=576)  # as wide as a receipt printer prints (in dots)
    svg = render_svg(ticket)       # str: a standalone 80 mm wide SVG document
    save_ticket(ticket, "R007.svg")  # format from the suffix (or fmt=), written atomically
    print(qr_text(ticket.qr_payload))  # the QR code drawn in a (dark) terminal

Fonts: the PNG needs a CJK font for its Chinese text. ``render_png`` uses ``font_path`` when
that font really has Chinese glyphs, else :func:`find_cjk_font`: a system font, else the font
pip installs with the project (WenQuanYi Micro Hei), so the slip has its Chinese labels,
department and windows on any machine. Only when even that is missing (an install without
dependencies) does it fall back to the ASCII parts (ticket number, people ahead, issue time,
query code, QR code) with English labels in Pillow's built-in font, leaving the Chinese text
out rather than printing empty "tofu" boxes. The SVG only names a font-family list; the viewer
or printer picks the font.

Documents (A4 PDF, :mod:`hall.printing.pdf`): :func:`~hall.printing.pdf.render_pdf` draws a
:class:`~hall.printing.pdf.PdfDocument` (hall name, title, number, fields, paragraphs,
signature and seal lines) with the packaged font embedded as a subset; what a document says
is decided in :mod:`hall.cases.documents`.

One module per part: :mod:`~hall.printing.layout` (what a slip shows, line breaking),
:mod:`~hall.printing.qr`, :mod:`~hall.printing.fonts`, :mod:`~hall.printing.png`,
:mod:`~hall.printing.svg`, :mod:`~hall.printing.files` (saving) and :mod:`~hall.printing.pdf`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hall.printing.files import save_ticket
    from hall.printing.fonts import find_cjk_font
    from hall.printing.layout import DEFAULT_NOTICE, TicketPrint
    from hall.printing.png import render_image, render_png
    from hall.printing.qr import qr_matrix, qr_text
    from hall.printing.svg import SVG_FONT_FAMILY, render_svg

_HOMES = {"save_ticket": "files", "find_cjk_font": "fonts", "DEFAULT_NOTICE": "layout",
          "TicketPrint": "layout", "render_image": "png", "render_png": "png", "qr_matrix": "qr",
          "qr_text": "qr",
          "SVG_FONT_FAMILY": "svg", "render_svg": "svg"}
"""Where each public name lives: a name is imported with its module when first asked for, so
the desk showing a slip's QR code in the terminal does not load Pillow for the PNG."""

__all__ = [
    "DEFAULT_NOTICE",
    "SVG_FONT_FAMILY",
    "TicketPrint",
    "find_cjk_font",
    "qr_matrix",
    "qr_text",
    "render_image",
    "render_png",
    "render_svg",
    "save_ticket",
]


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_HOMES[name]}"), name)
    globals()[name] = value
    return value
