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

The page: the hall's name and the title centred at the top, the document's number on the right
under them; then the blocks in order (a bordered two-column table of fields, paragraphs with a
two-character first-line indent, sub-headings, lines to sign by hand); then the seal line and
the date on the right; "第 N 页 共 M 页" at the foot. Chinese text wraps anywhere, ASCII words
stay whole, and punctuation never starts a line (:func:`hall.printing.layout.wrap_lines`).

The font is the one installed with the project (:func:`hall.printing.fonts.packaged_cjk_font`,
TrueType), embedded as a subset of the glyphs used: the file opens, prints and yields its text
(copy, search, pypdf, pdfminer) on a machine without any Chinese font.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from fpdf import FPDF
from fpdf.enums import TextMode, XPos, YPos

from hall.printing.fonts import packaged_cjk_font
from hall.printing.layout import clean, wrap_lines

__all__ = ["Fields", "Heading", "Paragraph", "PdfDocument", "SignLine", "render_pdf"]

_FONT = "cjk"
_MARGIN = 22.0  # mm, every side
_LABEL_WIDTH = 34.0  # mm, the fields table's label column
_BODY = 12.0  # pt
_LINE = 7.0  # mm between lines of body text
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


Block = Fields | Paragraph | Heading | SignLine


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
    pdf.set_title(clean(doc.title))
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
        pdf.set_font(_FONT, size=15)
        self.centred(doc.hall_name, 9)
        pdf.set_font(_FONT, size=22)
        # No bold face ships with the font: stroke the outline to set the title apart.
        pdf.text_mode = TextMode.FILL_STROKE
        pdf.set_line_width(0.25)
        self.centred(doc.title, 13)
        pdf.text_mode = TextMode.FILL
        pdf.set_line_width(0.2)
        if doc.number:
            pdf.set_font(_FONT, size=11)
            pdf.cell(0, 7, f"编号：{clean(doc.number)}", align="R",
                     new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(3)
        for block in doc.blocks:
            self.block(block)
        pdf.set_font(_FONT, size=_BODY)
        self.room(3 * _LINE + 14)
        pdf.ln(12)
        seal = clean(doc.seal_line)
        pdf.cell(0, _LINE, seal, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.cell(0, _LINE, clean(doc.date), align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def centred(self, text: str, height: float) -> None:
        for line in wrap_lines(text, self.width, self.pdf.get_string_width):
            self.pdf.cell(0, height, line, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def room(self, height: float) -> None:
        """Start a new page unless ``height`` mm still fit on this one."""
        if self.pdf.get_y() + height > self.pdf.h - _MARGIN:
            self.pdf.add_page()

    def block(self, block: Block) -> None:
        pdf = self.pdf
        pdf.set_font(_FONT, size=_BODY)
        if isinstance(block, Fields):
            self.fields(block)
        elif isinstance(block, Paragraph):
            self.paragraph(block)
        elif isinstance(block, Heading):
            self.room(3 * _LINE)
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
