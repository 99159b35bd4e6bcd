"""The Chinese font the project installs itself (issue 12 §2): a machine without any system CJK
font still draws the ticket PNG with its Chinese labels, department and windows."""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from dataclasses import replace

import pytest
from PIL import Image, ImageDraw

from hall.printing import TicketPrint, fonts, render_png
from hall.printing.fonts import find_cjk_font, packaged_cjk_font, resolve_fonts

TICKET = TicketPrint(hall_name="江川市联合接访中心", number="R007",
                     department_name="信访局综合接待", windows=("1号窗口",), ahead=3,
                     issued_at="2026-11-23 09:12", query_code="K7Q2M9XW4D",
                     qr_payload="https://hall.example.gov.cn/q/K7Q2M9XW4D")


@pytest.fixture
def no_system_font(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Pretend fontconfig and the usual paths find nothing (a slim server, a fresh container)."""
    monkeypatch.setattr(fonts, "_font_candidates", lambda: iter(()))
    find_cjk_font.cache_clear()
    yield
    find_cjk_font.cache_clear()


def ink(image: Image.Image) -> int:
    """How many pixels are not white."""
    return sum(1 for value in image.convert("L").tobytes() if value < 250)


def test_the_packaged_font_is_installed() -> None:
    path = packaged_cjk_font()
    assert path is not None and os.path.isfile(path)
    assert path.endswith("wqy-microhei.ttc")


def test_without_a_system_font_the_packaged_one_is_chosen(no_system_font: None) -> None:
    assert find_cjk_font() == packaged_cjk_font()
    chosen = resolve_fonts(None)
    assert chosen.cjk and chosen.path == packaged_cjk_font()
    image = Image.new("L", (200, 60), 255)
    ImageDraw.Draw(image).text((4, 4), "信访局", font=chosen(32), fill=0)
    assert ink(image) > 200  # real strokes, not an empty or tofu box
    box = Image.new("L", (200, 60), 255)
    ImageDraw.Draw(box).text((4, 4), "\U0010fffd", font=chosen(32), fill=0)
    assert image.tobytes() != box.tobytes()


def test_ticket_png_has_its_chinese_without_a_system_font(no_system_font: None) -> None:
    png = render_png(TICKET)
    # The department and the windows are drawn: changing them changes the picture.
    assert png != render_png(replace(TICKET, department_name="市中级人民法院"))
    assert png != render_png(replace(TICKET, windows=("4号窗口",)))
    assert ink(Image.open(io.BytesIO(png))) > 0
