"""Tests for hall.printing: the queue ticket as PNG, SVG and terminal QR code."""

from __future__ import annotations

import io
import math
import os
import re
import xml.etree.ElementTree as ET
from dataclasses import replace

import pytest
from PIL import Image, ImageDraw

from hall.printing import (
    TicketPrint,
    find_cjk_font,
    fonts,
    qr_matrix,
    qr_text,
    render_png,
    render_svg,
    save_ticket,
)

zxingcpp = pytest.importorskip("zxingcpp")

SVG_NS = "{http://www.w3.org/2000/svg}"
PAYLOAD = "https://hall.example.gov.cn/q/K7Q2M9XW4D?n=R007"

TICKET = TicketPrint(
    hall_name="某某市联合接访中心",
    number="R007",
    department_name="信访局综合接待",
    windows=("1号窗口", "2号窗口"),
    ahead=3,
    issued_at="2026-11-23 09:12",
    query_code="K7Q2M9XW4D",
    qr_payload=PAYLOAD,
)

CROWDED = replace(
    TICKET,
    hall_name="某某省某某市某某区人民政府联合接访中心（群众来访接待大厅）",
    number="R1234",
    department_name="市住房和城乡建设局、自然资源和规划局联合接待组",
    windows=tuple(f"{i}号窗口" for i in range(1, 9)),
    ahead=128,
    qr_payload="https://hall.example.gov.cn/q/" + "K7Q2M9XW4D" * 20,
    notice="第一行提示：请保管好票据。\n第二行：过号请重新取号，谢谢配合！",
)


def decode(image: Image.Image) -> list[str]:
    """Texts of all QR codes zxing-cpp finds in ``image``."""
    return [
        result.text
        for result in zxingcpp.read_barcodes(image)
        if result.format == zxingcpp.BarcodeFormat.QRCode
    ]


def matrix_image(matrix: list[list[bool]], scale: int = 4) -> Image.Image:
    """A crisp greyscale bitmap of a module matrix."""
    size = len(matrix)
    image = Image.new("L", (size, size))
    image.putdata([0 if dark else 255 for row in matrix for dark in row])
    return image.resize((size * scale, size * scale), Image.Resampling.NEAREST)


def svg_qr_image(svg: str, scale: int = 8) -> tuple[Image.Image, ET.Element]:
    """Redraw the QR <rect> modules of a ticket SVG as a bitmap; also return the root."""
    root = ET.fromstring(svg.encode("utf-8"))
    group = root.find(f".//{SVG_NS}g[@id='qr']")
    assert group is not None
    rects = group.findall(f"{SVG_NS}rect")
    background, modules = rects[0], rects[1:]
    assert background.get("fill") == "#fff"
    size = int(background.get("width"))
    image = Image.new("L", (size * scale, size * scale), 255)
    draw = ImageDraw.Draw(image)
    for rect in modules:
        x, y = int(rect.get("x")), int(rect.get("y"))
        width, height = int(rect.get("width")), int(rect.get("height"))
        draw.rectangle(
            (x * scale, y * scale, (x + width) * scale - 1, (y + height) * scale - 1), fill=0
        )
    return image, root


@pytest.fixture
def no_cjk_font(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pretend this machine has no CJK font at all."""
    monkeypatch.setattr(fonts, "find_cjk_font", lambda: None)


# --------------------------------------------------------------------------- QR


@pytest.mark.parametrize("payload", [PAYLOAD, "查询 K7Q2M9XW4D 进度", "x" * 300])
def test_qr_matrix_round_trips(payload: str) -> None:
    matrix = qr_matrix(payload)
    size = len(matrix)
    assert all(len(row) == size for row in matrix)
    assert (size - 8 - 17) % 4 == 0  # version n is 17 + 4n modules, plus 2 x 4 quiet zone
    quiet = matrix[:4] + matrix[-4:] + [row[:4] + row[-4:] for row in matrix]
    assert not any(any(row) for row in quiet)
    results = zxingcpp.read_barcodes(matrix_image(matrix))
    assert [r.text for r in results] == [payload]
    assert results[0].ec_level == "M"


def test_qr_text_shape_and_characters() -> None:
    matrix = qr_matrix(PAYLOAD)
    size = len(matrix)
    lines = qr_text(PAYLOAD).split("\n")
    assert len(lines) == math.ceil(size / 2)
    assert all(len(line) == size for line in lines)
    assert set("".join(lines)) <= {"▀", "▄", "█", " "}
    assert lines[0] == "█" * size  # quiet zone: light modules are the drawn blocks


def test_qr_text_is_the_inverted_matrix() -> None:
    matrix = qr_matrix(PAYLOAD)
    halves = {"█": (False, False), "▀": (False, True), "▄": (True, False), " ": (True, True)}
    rows: list[list[bool]] = []
    for line in qr_text(PAYLOAD).split("\n"):
        rows.append([halves[c][0] for c in line])
        rows.append([halves[c][1] for c in line])
    assert rows[: len(matrix)] == matrix
    assert rows[len(matrix) :] in ([], [[False] * len(matrix)])


# --------------------------------------------------------------------------- PNG


def test_render_png_qr_decodes(no_cjk_font: None) -> None:
    data = render_png(TICKET)
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    image = Image.open(io.BytesIO(data))
    assert image.width == 640
    assert image.height > image.width
    assert decode(image.convert("L")) == [PAYLOAD]


def test_render_png_crowded_ticket_still_decodes(no_cjk_font: None) -> None:
    image = Image.open(io.BytesIO(render_png(CROWDED)))
    assert decode(image.convert("L")) == [CROWDED.qr_payload]


def test_png_without_cjk_font_draws_no_chinese(no_cjk_font: None) -> None:
    """Chinese text is left out entirely (no tofu): changing it changes no pixel."""
    other = replace(
        TICKET,
        hall_name="另一个接访中心",
        department_name="人社局",
        windows=("9号窗口",),
        notice="完全不同的提示文字",
    )
    assert render_png(TICKET) == render_png(other)
    # ASCII-only content is still drawn.
    assert render_png(TICKET) != render_png(replace(TICKET, number="R008"))
    assert render_png(TICKET) != render_png(replace(TICKET, ahead=4))
    assert render_png(TICKET) != render_png(replace(TICKET, query_code="ZZZZZZZZZZ"))


def test_png_ignores_a_font_path_without_chinese(no_cjk_font: None, tmp_path) -> None:
    missing = str(tmp_path / "no-such-font.ttf")
    assert render_png(TICKET, font_path=missing) == render_png(TICKET)


def test_png_with_cjk_font_if_available() -> None:
    font = find_cjk_font()
    if font is None:
        pytest.skip("no CJK font on this machine")
    data = render_png(TICKET, font_path=font)
    assert decode(Image.open(io.BytesIO(data)).convert("L")) == [PAYLOAD]
    assert data != render_png(replace(TICKET, hall_name="另一个接访中心"), font_path=font)


def test_find_cjk_font_returns_a_file_or_none() -> None:
    font = find_cjk_font()
    assert font is None or os.path.isfile(font)


# --------------------------------------------------------------------------- SVG


def test_render_svg_content() -> None:
    svg = render_svg(TICKET)
    root = ET.fromstring(svg.encode("utf-8"))
    assert svg.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    assert root.tag == f"{SVG_NS}svg"
    assert root.get("width") == "80mm"
    texts = root.findall(f".//{SVG_NS}text")
    assert texts
    assert all("Noto Sans CJK SC" in (t.get("font-family") or "") for t in texts)
    shown = ["".join(t.itertext()) for t in texts]
    for expected in (
        "某某市联合接访中心",
        "R007",
        "信访局综合接待",
        "2026-11-23 09:12",
        "K7Q2M9XW4D",
        TICKET.notice[:8],
    ):
        assert any(expected in line for line in shown), expected
    assert any("1号窗口" in line and "2号窗口" in line for line in shown)
    assert any(re.fullmatch(r"前面还有\s*3\s*人", line) for line in shown)


def test_render_svg_qr_decodes() -> None:
    image, root = svg_qr_image(render_svg(TICKET))
    assert decode(image) == [PAYLOAD]
    group = root.find(f".//{SVG_NS}g[@id='qr']")
    assert group.get("shape-rendering") == "crispEdges"
    match = re.fullmatch(
        r"translate\(([\d.]+) ([\d.]+)\) scale\(([\d.]+)\)", group.get("transform")
    )
    assert match
    x, y, module = map(float, match.groups())
    size = len(qr_matrix(PAYLOAD))
    _, _, width, height = map(float, root.get("viewBox").split())
    assert x >= 0 and x + size * module <= width + 1e-6
    assert y + size * module <= height


def test_render_svg_crowded_ticket() -> None:
    image, root = svg_qr_image(render_svg(CROWDED))
    assert decode(image) == [CROWDED.qr_payload]
    shown = "".join("".join(t.itertext()) for t in root.iter(f"{SVG_NS}text"))
    assert "8号窗口" in shown
    assert "第二行" in shown


def test_render_svg_escapes_text() -> None:
    ticket = replace(TICKET, hall_name='A<&>"B\x01', notice="<script>alert(1)</script>")
    svg = render_svg(ticket)
    assert "A&lt;&amp;&gt;" in svg
    assert "<script>" not in svg
    root = ET.fromstring(svg.encode("utf-8"))
    shown = ["".join(t.itertext()) for t in root.iter(f"{SVG_NS}text")]
    assert 'A<&>"B' in shown
    assert "<script>alert(1)</script>" in shown


# --------------------------------------------------------------------------- files


def test_save_ticket_png_and_svg(tmp_path) -> None:
    png = save_ticket(TICKET, tmp_path / "R007.png")
    assert png == tmp_path / "R007.png"
    assert png.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    svg = save_ticket(TICKET, str(tmp_path / "R007.SVG"))
    assert svg.read_text(encoding="utf-8").startswith("<?xml")
    forced = save_ticket(TICKET, tmp_path / "ticket.out", fmt="svg")
    assert "<svg" in forced.read_text(encoding="utf-8")
    # Overwriting goes through a rename; no temp files are left behind.
    save_ticket(TICKET, png)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["R007.SVG", "R007.png", "ticket.out"]


def test_save_ticket_rejects_unknown_format(tmp_path) -> None:
    with pytest.raises(ValueError, match="pdf"):
        save_ticket(TICKET, tmp_path / "R007.pdf")
    with pytest.raises(ValueError, match="不支持"):
        save_ticket(TICKET, tmp_path / "R007.png", fmt="jpeg")
    with pytest.raises(ValueError):
        save_ticket(TICKET, tmp_path / "R007")
    assert list(tmp_path.iterdir()) == []
