"""The PDF's table and bar chart blocks (issue 13 §3, the monthly report's renderer).

The text is read back with pypdf; where things are drawn is read from the pages' content
streams (rectangles and lines) and from pypdf's text visitor (where each piece of text starts
and, for upright text, how far it can reach: at most one em a character): everything must lie
within the page's text width and above the bottom margin (the page number's footer aside).
Widths are checked with a measure that counts characters, so the expected numbers are worked
out by hand in the comments.
"""

from __future__ import annotations

import io
import math
import re
from datetime import datetime

import pypdf
import pytest
from pypdf.generic import ContentStream

from hall.printing.charts import BarChart, compact, nice_ticks
from hall.printing.pdf import Heading, Paragraph, PdfDocument, TableBlock, column_widths, render_pdf
from tests.domain.test_case_documents import fonts_of

MM = 72 / 25.4  # points per mm
PAGE_W, PAGE_H, MARGIN = 210 * MM, 297 * MM, 22 * MM
SLACK = 0.6  # pt: a hairline's half width, rounding in the stream


def render(*blocks: object) -> bytes:
    return render_pdf(PdfDocument(hall_name="江川市联合接访中心", title="测试", number="",
                                  blocks=tuple(blocks), seal_line="江川市信访局（印章）",
                                  date="2026年12月1日", created=datetime(2026, 12, 1)))


def page_texts(pdf: bytes) -> list[str]:
    return [re.sub(r"\s+", "", p.extract_text())
            for p in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def drawn(pdf: bytes) -> list[tuple[int, str, float, float]]:
    """(page, what, x, y) in points from the bottom left: every corner of a rectangle, every
    point of a line, where every piece of text starts and (upright text) where it can end."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    points: list[tuple[int, str, float, float]] = []
    for n, page in enumerate(reader.pages):
        for operands, op in ContentStream(page.get_contents(), reader).operations:
            if op == b"re":
                x, y, w, h = (float(v) for v in operands)
                points += [(n, "rect", x, y), (n, "rect", x + w, y + h)]
            elif op in (b"m", b"l"):
                points.append((n, "line", float(operands[0]), float(operands[1])))

        def visit(text: str, cm: list, tm: list, font: object, size: float, n: int = n,
                  points: list = points) -> None:
            if not text.strip():
                return
            m = pypdf.mult(tm, cm)
            points.append((n, text, m[4], m[5]))
            if abs(m[1]) > 1e-6:  # upright: it runs along (a, b) for at most an em a character
                reach = len(text) * size
                points.append((n, text, m[4] + m[0] * reach, m[5] + m[1] * reach))

        page.extract_text(visitor_text=visit)
    return points


def assert_inside(pdf: bytes) -> None:
    for page, what, x, y in drawn(pdf):
        if re.fullmatch(r"第\d+页共\d+页", re.sub(r"\s+", "", what)):
            continue  # the footer sits in the bottom margin, by design
        assert MARGIN - SLACK <= x <= PAGE_W - MARGIN + SLACK, (page, what, x / MM)
        assert MARGIN - SLACK <= y <= PAGE_H - MARGIN + SLACK, (page, what, y / MM)


def test_a_table_reads_back_in_order_with_title_and_note() -> None:
    pdf = render(Heading("二、来访分布"),
                 TableBlock(("属地", "来访人次", "占比（%）"),
                            (("江北区", "250", "62.5"), ("临河县", "150", "37.5")),
                            title="表4　各属地来访", note="按来访人登记的属地计"))
    text = "".join(page_texts(pdf))
    assert "二、来访分布表4各属地来访属地来访人次占比（%）江北区25062.5临河县15037.5" \
        "注：按来访人登记的属地计" in text
    assert fonts_of(pdf) and all(embedded for _, embedded in fonts_of(pdf))
    assert_inside(pdf)


def test_a_long_table_repeats_its_header_on_every_page() -> None:
    rows = tuple((f"第{i:03d}行", str(i), "江北区人力资源和社会保障局" * (i % 3))
                 for i in range(1, 151))
    pdf = render(Paragraph("前言。"), TableBlock(("序号", "数值", "说明"), rows, title="长表"))
    pages = page_texts(pdf)
    assert len(pages) >= 4
    for page in pages:
        if "行" in page:  # every page holding rows starts them under the header, once
            assert page.count("序号数值说明") == 1
            assert page.index("序号数值说明") < page.index("行")
    text = "".join(pages)
    found = [int(m) for m in re.findall(r"第(\d{3})行", text)]
    assert found == list(range(1, 151))  # every row once, in order
    assert text.count("长表") == 1  # the title only above the first page's rows
    assert_inside(pdf)


def test_an_empty_table_says_so_and_a_row_taller_than_a_page_is_cut() -> None:
    pdf = render(TableBlock(("领导", "包案"), (), title="领导包案"),
                 TableBlock(("事项", "数"), (("很长的事由" * 900, "1"),)))
    text = "".join(page_texts(pdf))
    assert "领导包案领导包案本期无记录。" in text
    assert "很长的事由很长的事由" in text and "…" in text and "1" in text
    assert_inside(pdf)


def test_control_characters_and_huge_values_stay_in_their_cells() -> None:
    huge = str(10 ** 60)
    pdf = render(TableBlock(("名称\x00", "数值"),
                            (("江北\x1b[31m区\x07\n第二行", huge), ("\ufffe", "-1"))),
                 BarChart("巨大\x00", ("甲\x07", "乙\n丙", "丁", "戊"),
                          (10 ** 18, math.nan, None, -5), "人次"))
    text = "".join(page_texts(pdf))
    assert "名称数值江北[31m区第二行" in text  # the controls gone, the line break kept
    assert huge in text  # broken across lines inside its cell, every digit there
    assert "\x00" not in text and "\x07" not in text and "\x1b" not in text
    assert "巨大" in text and "乙丙" in text
    assert "1.0e+18" in text  # the axis in powers of ten; the value as written
    assert_inside(pdf)


def test_a_chart_of_zeros_has_its_axis_and_every_value() -> None:
    labels = tuple(str(d) for d in range(1, 31))
    pdf = render(BarChart("每日来访人次", labels, (0,) * 30, "人次"))
    text = "".join(page_texts(pdf))
    assert "每日来访人次01人次" in text  # ticks 0 and 1, then the unit
    assert "".join(f"0{d}" for d in range(1, 31)) in text  # each value above its label
    filled = [p for p in drawn(pdf) if p[1] == "rect"]
    assert not filled  # no bars
    assert_inside(pdf)


def test_thirty_one_days_with_long_labels_are_cut_upright() -> None:
    labels = tuple(f"2026年12月{d}日星期{'一二三四五六日'[d % 7]}（营业日）" for d in range(1, 32))
    values = tuple(d * 1234567 for d in range(1, 32))
    pdf = render(Paragraph("图前的文字。"), BarChart("每日来访", labels, values, "人次"))
    text = "".join(page_texts(pdf))
    assert text.count("…") >= 31  # every label cut to the band under the axis
    assert "2026年12月" in text
    assert "3827.2万" in text  # 31 × 1,234,567 = 38,271,577 written short
    bars = {(round(x, 1), round(y, 1)) for _, what, x, y in drawn(pdf) if what == "rect"}
    assert len(bars) == 2 * 31  # two corners of each of the 31 bars
    assert_inside(pdf)


@pytest.mark.parametrize(("top", "integral", "ticks"), [
    (0, True, [0, 1]),
    (-3, True, [0, 1]),
    (math.inf, True, [0, 1]),
    (7, True, [0, 2, 4, 6, 8]),  # 7 / 5 = 1.4 → step 2
    (100, True, [0, 20, 40, 60, 80, 100]),
    (3, True, [0, 1, 2, 3]),  # whole steps: 0.6 → 1
    (2.4, False, [0, 0.5, 1.0, 1.5, 2.0, 2.5]),  # 0.48 → 0.5
    (1234567 * 31, True, [0, 1e7, 2e7, 3e7, 4e7]),  # 7.65e6 → 1e7
])
def test_nice_ticks(top: float, integral: bool, ticks: list[float]) -> None:
    assert nice_ticks(top, integral) == pytest.approx(ticks)


@pytest.mark.parametrize(("value", "text"), [
    (0, "0"), (9999, "9999"), (12.5, "12.5"), (12000, "1.2万"), (38271577, "3827.2万"),
    (350000000, "3.5亿"), (2.1e12, "2.1万亿"), (1e20, "1.0e+20"),
])
def test_compact(value: float, text: str) -> None:
    assert compact(value) == text


def count(text: str) -> float:
    """A measure for the widths' arithmetic: one unit a character."""
    return float(len(text))


PAD = 2.6  # the cell padding both sides (1.2 + 1.2) and a hair (0.2)


def test_widths_by_weight_and_when_everything_fits() -> None:
    assert column_widths(("a", "b"), (), 90, count, (1, 2)) == pytest.approx([30, 60])
    # most: "abcd" 4 + 2.6 = 6.6, "xy" 2 + 2.6 = 4.6 (sum 11.2 ≤ 56): shared in proportion.
    widths = column_widths(("abcd", "xy"), (("a", "b"),), 56, count)
    assert widths == pytest.approx([56 * 6.6 / 11.2, 56 * 4.6 / 11.2])


def test_widths_when_only_the_least_fits_and_when_not_even_that() -> None:
    # Column 1: most "aaaa bbbb cccc" 14 + 2.6 = 16.6, least its longest word 4 + 2.6 = 6.6;
    # column 2: most = least = "12345" 5 + 2.6 = 7.6. 24.2 > 20 ≥ 14.2: each its least, and
    # the 5.8 left to column 1, the only one still wanting (10 more).
    widths = column_widths(("h", "n"), (("aaaa bbbb cccc", "12345"),), 20, count)
    assert widths == pytest.approx([6.6 + 5.8, 7.6])
    # 14.2 > 10: the least in proportion.
    assert column_widths(("h", "n"), (("aaaa bbbb cccc", "12345"),), 10, count) == \
        pytest.approx([10 * 6.6 / 14.2, 10 * 7.6 / 14.2])


def test_cells_get_their_line_before_headers_do() -> None:
    # A: header 一二三四五六 (6; on two lines 3), cells "1": least 3 + 2.6 = 5.6 = body,
    #    most 6 + 2.6 = 8.6.
    # B: header 名, cell 甲乙丙丁戊己庚辛: least one character 1 + 2.6 = 3.6, body = most 10.6.
    # C: header 数, cell "12": least = body = most 2 + 2.6 = 4.6.
    # In 22: the least (13.8), then B's body (+7, room 1.2 left), then A's header gets 1.2.
    widths = column_widths(("一二三四五六", "名", "数"), (("1", "甲乙丙丁戊己庚辛", "12"),), 22,
                           count)
    assert widths == pytest.approx([6.8, 10.6, 4.6])
