"""A4 documents as PDF: the layout the hall's notices, slips and records share.

The content comes ready-made in a :class:`PdfDocument` (see :mod:`hall.cases.documents` for
what each document says); this module only draws it::

    from hall.printing.pdf import Fields, Paragraph, PdfDocument, SignLine, render_pdf

    doc = PdfDocument(hall_name="江川市联合接访中心", title="受理告知书",
                      number="江信〔2026〕第 0137 号-01", created=now,
                      blocks=(Fields((("来访人", "李小明"), ("案件编号", "…"))),
                              Paragraph("李小明：你于 2026 年 11 月 23 日反映的……"),
                              SignLine("来访人确认签名：____________  日期：____________")),
                      seal_line="江川市信访局（印章）", date="2026年11月23日")
    pdf = render_pdf(doc)  # bytes

The page: the hall's name (when given) and the title centred at the top (a long title on
balanced lines), the subtitle's lines under it, the document's number on the right; then the
blocks in order (a bordered two-column table of fields, paragraphs with a two-character
first-line indent, sub-headings kept on the page of what follows them, lines to sign by hand,
ruled tables of figures and bar charts); then the seal line and the date on the right;
"第 N 页 共 M 页" at the foot.

A :class:`TableBlock` (the monthly report's: a shaded header row, widths by weight or by content,
:func:`column_widths`) runs over as many pages as it needs, its header row repeated on each; a
:class:`~hall.printing.charts.BarChart`, drawn with fpdf2's lines and rectangles, stays whole on
one page. Chinese text wraps anywhere, ASCII words stay whole, and punctuation never starts a
line (:func:`hall.printing.layout.wrap_lines`).

The font is the one installed with the project (:func:`hall.printing.fonts.packaged_cjk_font`,
TrueType), embedded as a subset of the glyphs used: the file opens, prints and yields its text
(copy, search, pypdf, pdfminer) on a machine without any Chinese font.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from fpdf import FPDF
from fpdf.enums import TextMode, XPos, YPos

from hall.printing.charts import BarChart, chart_height, draw_bar_chart
from hall.printing.fonts import packaged_cjk_font
from hall.printing.layout import JOIN, clean, one_line, wrap_balanced, wrap_lines

__all__ = ["BarChart", "Fields", "Heading", "Paragraph", "PdfDocument", "SignLine", "TableBlock",
           "column_widths", "render_pdf"]

_FONT = "cjk"
_MARGIN = 22.0  # mm, every side
_LABEL_WIDTH = 34.0  # mm, the fields table's label column
_BODY = 12.0  # pt
_LINE = 7.0  # mm between lines of body text
_PAD = 1.2  # mm, inside a table's cells
_PT_MM = 25.4 / 72  # mm per point
_INDENT = "\ue000"  # stands for one full-width space at a paragraph's start while wrapping


@dataclass(frozen=True)
class Fields:
    """A bordered table of (label, value) rows; a long value wraps within its cell."""

    rows: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Paragraph:
    """Body text; the first line indented by two characters (``indent=False``: flush)."""

    text: str
    indent: bool = True


@dataclass(frozen=True)
class Heading:
    """A sub-heading (e.g. 「接谈记录」) between blocks."""

    text: str


@dataclass(frozen=True)
class SignLine:
    """A line the reader completes by hand (来访人确认签名：____ 日期：____)."""

    text: str


@dataclass(frozen=True)
class TableBlock:
    """A ruled table: a shaded header row, then the rows, every cell wrapping within its column.

    ``widths``: relative (``()``: by content, :func:`column_widths`); ``align``: ``L``/``C``/``R``
    per column (``()``: the first left, the others right); ``size``: pt. ``title`` above, kept
    with the first row; ``note`` in small print under; ``empty`` in place of no rows. A table
    longer than the page goes on over the next pages, its header row repeated on each.
    """

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...] = ()
    align: tuple[str, ...] = ()
    size: float = 10.5
    title: str = ""
    note: str = ""
    empty: str = "本期无记录。"


Block = Fields | Paragraph | Heading | SignLine | TableBlock | BarChart


@dataclass(frozen=True)
class PdfDocument:
    """One document, every string ready to print."""

    hall_name: str
    title: str
    number: str  # the document's number, printed under the title ("" for none)
    blocks: tuple[Block, ...]
    seal_line: str  # the words of the seal, above the date
    date: str  # the document's date as printed, e.g. 2026年11月23日
    created: datetime  # the file's creation time (the caller's clock, not the machine's)
    subtitle: tuple[str, ...] = ()  # lines centred under the title (a report's period, author)


class _Page(FPDF):
    """FPDF with the page-number footer."""

    def footer(self) -> None:
        self.set_y(-_MARGIN + 6)
        self.set_font(_FONT, size=9)
        self.cell(0, 5, f"第 {self.page_no()} 页 共 {{nb}} 页", align="C")


def render_pdf(doc: PdfDocument) -> bytes:
    """The document as an A4 PDF with the packaged Chinese font embedded (subset)."""
    font = packaged_cjk_font()
    if font is None:
        raise RuntimeError("缺少随附的中文字体，请按 README 第一行重新安装："
                           "pip install -c constraints.txt -e .")
    pdf = _Page(format="A4", unit="mm")
    pdf.set_margins(_MARGIN, _MARGIN, _MARGIN)
    pdf.set_auto_page_break(True, margin=_MARGIN)
    pdf.add_font(_FONT, fname=font)
    pdf.set_title(clean(doc.title).replace(JOIN, ""))
    pdf.set_creator("hall")
    pdf.set_creation_date(doc.created)
    pdf.add_page()
    _Writer(pdf).document(doc)
    return bytes(pdf.output())


class _Writer:
    """Draws the blocks on the pages, breaking pages between lines."""

    def __init__(self, pdf: FPDF) -> None:
        self.pdf = pdf
        self.width = pdf.w - 2 * _MARGIN

    def document(self, doc: PdfDocument) -> None:
        pdf = self.pdf
        if doc.hall_name:
            pdf.set_font(_FONT, size=15)
            self.centred(doc.hall_name, 9)
        pdf.set_font(_FONT, size=22)
        # No bold face ships with the font: stroke the outline to set the title apart.
        pdf.text_mode = TextMode.FILL_STROKE
        pdf.set_line_width(0.25)
        self.centred(doc.title, 13, balanced=True)
        pdf.text_mode = TextMode.FILL
        pdf.set_line_width(0.2)
        pdf.set_font(_FONT, size=11)
        for line in doc.subtitle:
            self.centred(line, 6.5)
        if doc.number:
            pdf.set_font(_FONT, size=11)
            pdf.cell(0, 7, f"编号：{clean(doc.number)}", align="R",
                     new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(3)
        for block, after in zip(doc.blocks, (*doc.blocks[1:], None), strict=True):
            self.block(block, after)
        pdf.set_font(_FONT, size=_BODY)
        self.room(3 * _LINE + 14)
        pdf.ln(12)
        seal = clean(doc.seal_line)
        pdf.cell(0, _LINE, seal, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.cell(0, _LINE, clean(doc.date), align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def centred(self, text: str, height: float, balanced: bool = False) -> None:
        wrap = wrap_balanced if balanced else wrap_lines
        for line in wrap(text, self.width, self.pdf.get_string_width):
            self.pdf.cell(0, height, line, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def room(self, height: float) -> None:
        """Start a new page unless ``height`` mm still fit on this one."""
        if self.pdf.get_y() + height > self.pdf.h - _MARGIN:
            self.pdf.add_page()

    def block(self, block: Block, after: Block | None = None) -> None:
        pdf = self.pdf
        pdf.set_font(_FONT, size=_BODY)
        if isinstance(block, Fields):
            self.fields(block)
        elif isinstance(block, Paragraph):
            self.paragraph(block)
        elif isinstance(block, TableBlock):
            self.table(block)
        elif isinstance(block, BarChart):
            self.room(chart_height(pdf, block, self.width, _FONT) + 3)
            draw_bar_chart(pdf, block, _MARGIN, pdf.get_y(), self.width, _FONT)
            pdf.set_font(_FONT, size=_BODY)
            pdf.ln(3)
        elif isinstance(block, Heading):
            self.room(2 * _LINE + _start(after))  # kept with the start of what follows
            pdf.ln(2)
            pdf.set_font(_FONT, size=13)
            pdf.cell(0, _LINE + 1, clean(block.text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        else:
            self.room(2 * _LINE + 8)
            pdf.ln(8)
            pdf.cell(0, _LINE, clean(block.text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def measure(self, text: str) -> float:
        em = self.pdf.get_string_width("国")
        return self.pdf.get_string_width(text.replace(_INDENT, "")) + text.count(_INDENT) * em

    def paragraph(self, block: Paragraph) -> None:
        pdf = self.pdf
        text = (_INDENT * 2 if block.indent else "") + clean(block.text).strip()
        em = pdf.get_string_width("国")
        for line in wrap_lines(text, self.width, self.measure):
            self.room(_LINE)
            indent = line.count(_INDENT) * em
            pdf.set_x(_MARGIN + indent)
            pdf.cell(self.width - indent, _LINE, line.replace(_INDENT, ""),
                     new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(1.5)

    def fields(self, block: Fields) -> None:
        pdf = self.pdf
        pad = 1.8
        value_width = self.width - _LABEL_WIDTH
        for label, value in block.rows:
            labels = wrap_lines(label, _LABEL_WIDTH - 2 * pad, pdf.get_string_width)
            values = wrap_lines(value or "", value_width - 2 * pad, pdf.get_string_width)
            height = max(len(labels), len(values)) * (_LINE - 1) + 2 * pad
            self.room(height)
            top = pdf.get_y()
            pdf.rect(_MARGIN, top, _LABEL_WIDTH, height)
            pdf.rect(_MARGIN + _LABEL_WIDTH, top, value_width, height)
            for x, lines in ((_MARGIN, labels), (_MARGIN + _LABEL_WIDTH, values)):
                pdf.set_xy(x + pad, top + pad)
                for line in lines:
                    pdf.set_x(x + pad)
                    pdf.cell(0, _LINE - 1, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.set_xy(_MARGIN, top + height)
        pdf.ln(3)

    def table(self, block: TableBlock) -> None:
        pdf = self.pdf
        n = len(block.columns)
        if not n:
            return
        pdf.set_font(_FONT, size=block.size)
        line = block.size * _PT_MM * 1.25
        widths = column_widths(block.columns, block.rows, self.width, pdf.get_string_width,
                               block.widths)
        align = [(block.align[i] if i < len(block.align) else "") or ("L" if i == 0 else "R")
                 for i in range(n)]
        header = [self.cell_lines(t, w) for t, w in zip(block.columns, widths, strict=True)]
        header_h = max(len(c) for c in header) * line + 2 * _PAD
        most = max(int((pdf.h - 2 * _MARGIN - header_h - 2 * _PAD - 12) // line), 1)
        rows = [[self.cell_lines(row[i] if i < len(row) else "", widths[i], most)
                 for i in range(n)] for row in block.rows]
        cols = widths
        if not rows:
            rows = [[[clean(block.empty)]]]
            widths, align = [self.width], ["C"]
        heights = [max(len(c) for c in row) * line + 2 * _PAD for row in rows]
        title = 7.5 if block.title else 0.0
        self.room(title + header_h + heights[0])
        if block.title:
            pdf.set_font(_FONT, size=11)
            self.centred(one_line(block.title), title)
        pdf.set_font(_FONT, size=block.size)
        self.row(header, cols, ["C"] * n, header_h, line, shaded=True)
        for cells, height in zip(rows, heights, strict=True):
            if pdf.get_y() + height > pdf.h - _MARGIN:
                pdf.add_page()
                pdf.set_font(_FONT, size=block.size)
                self.row(header, cols, ["C"] * n, header_h, line, shaded=True)
            self.row(cells, widths, align, height, line)
        if block.note:
            pdf.set_font(_FONT, size=9)
            for text in wrap_lines(f"注：{block.note}", self.width, pdf.get_string_width):
                self.room(5)
                pdf.cell(0, 5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font(_FONT, size=_BODY)
        pdf.ln(3)

    def cell_lines(self, text: str, width: float, most: int = 0) -> list[str]:
        """A cell's text wrapped to its column; at most ``most`` lines (0: all), the last
        ending in 「…」 when cut."""
        lines = wrap_lines(text, max(width - 2 * _PAD, 1.0), self.pdf.get_string_width)
        if most and len(lines) > most:
            lines = lines[:most]
            lines[-1] = lines[-1][:-1] + "…"
        return lines

    def row(self, cells: list[list[str]], widths: list[float], align: list[str], height: float,
            line: float, shaded: bool = False) -> None:
        pdf = self.pdf
        top, x = pdf.get_y(), _MARGIN
        if shaded:
            pdf.set_fill_color(232, 232, 232)
        for lines, width, where in zip(cells, widths, align, strict=True):
            pdf.rect(x, top, width, height, style="DF" if shaded else "D")
            pdf.set_xy(x + _PAD, top + _PAD)
            for text in lines:
                pdf.set_x(x + _PAD)
                pdf.cell(width - 2 * _PAD, line, text, align=where,
                         new_x=XPos.LEFT, new_y=YPos.NEXT)
            x += width
        pdf.set_fill_color(255, 255, 255)
        pdf.set_xy(_MARGIN, top + height)


def _start(block: Block | None) -> float:
    """How much of ``block`` (mm) must fit under a heading: a chart whole, a table's title,
    header and first row, two lines of anything else."""
    if isinstance(block, BarChart):
        return block.height + 3  # at least: one that grows may still go to the next page
    if isinstance(block, TableBlock):
        return 32.0
    return 2 * _LINE


_TOKEN = re.compile(r"[A-Za-z0-9_\-./:@#+%,]+|\S")


def column_widths(columns: Sequence[str], rows: Sequence[Sequence[str]], total: float,
                  measure: Callable[[str], float], weights: Sequence[float] = ()) -> list[float]:
    """The columns' widths in mm, adding up to ``total``.

    With ``weights`` (one positive number per column) they are shared in proportion. Else by
    content. A column needs its longest unbreakable word (a number, one Chinese character)
    and its header on two lines (its *least*); its cells want their longest line (its
    *body*), its header one line (its *most*). Each column gets its least; then, while the
    room lasts, the bodies, then the headers, each time the column that wants least more
    first (so short cells and headers stay on one line), the last ones in the room sharing
    what is left in proportion to what they want. Room left over when every column has its
    most is shared in proportion to it; when even the least does not fit, the least is
    scaled down (cells then break inside numbers).
    """
    n = len(columns)
    if len(weights) == n and all(w > 0 for w in weights):
        return [total * w / sum(weights) for w in weights]
    pad = 2 * _PAD + 0.2
    least, body, most = [pad] * n, [pad] * n, [pad] * n
    for i, header in enumerate(columns):
        cells = [clean(r[i]) for r in rows if i < len(r)]
        for text in (clean(header), *cells):
            words = _TOKEN.findall(text)
            least[i] = max(least[i], max((measure(w) for w in words), default=0.0) + pad)
        least[i] = max(least[i], _narrowest(one_line(header), 2, measure) + pad)
        lines = [part for text in cells for part in text.splitlines()]
        body[i] = max([least[i], *(measure(t) + pad for t in lines)])
        most[i] = max(body[i], measure(one_line(header)) + pad)
    if sum(least) > total:
        return [total * lo / sum(least) for lo in least]
    if sum(most) <= total:
        return [total * m / sum(most) for m in most]
    widths = list(least)
    for wanted in (body, most):
        room = total - sum(widths)
        wanting = sorted(range(n), key=lambda i: wanted[i] - widths[i])
        while wanting and wanted[wanting[0]] - widths[wanting[0]] <= room:
            i = wanting.pop(0)
            room -= wanted[i] - widths[i]
            widths[i] = wanted[i]
        wants = sum(wanted[i] - widths[i] for i in wanting)
        for i in wanting:
            widths[i] += room * (wanted[i] - widths[i]) / wants
    return widths


def _narrowest(text: str, lines: int, measure: Callable[[str], float]) -> float:
    """The least width at which ``text`` wraps on at most ``lines`` lines (a long text: its
    width shared by the lines)."""
    if len(text) > 24:
        return measure(text) / lines
    widths = sorted({measure(text[i:j]) for i in range(len(text))
                     for j in range(i + 1, len(text) + 1)})
    for width in widths:  # in order: hanging punctuation makes wider not always fewer
        wrapped = wrap_lines(text, width, measure)
        if len(wrapped) <= lines and max(map(measure, wrapped)) <= width:
            return width
    return measure(text)
