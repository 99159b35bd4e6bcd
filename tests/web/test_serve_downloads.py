"""In a browser (``hall serve``), saving sends a download instead of writing on the server: the
desk's ticket (F6/S) and the statistics screen's workbook (x), CSV files (c, one ZIP) and report
(p).

The seam: Textual's ``App.is_web`` (true under textual-serve's web driver) is made true for the
test's app, and ``App.deliver_binary`` (which, on the web driver, streams the file to the page's
download link) is replaced by a recorder. What is delivered is then read back as what it claims
to be (PNG, XLSX, ZIP of CSV, PDF), and nothing has been written under the data directory.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any, BinaryIO

import pytest

from hall import Hall
from models import AuditEvent
from screens.app import HallApp
from screens.desk.ticket import TicketScreen
from tests.helpers import run_async
from tests.screens.test_desk import fill_new_visitor, settle, text_of
from tests.screens.test_incident_screens import until
from tests.screens.test_stats_screen import loaded, scene, shows

__all__ = ["scene"]  # the statistics screen's hand-counted scene, a fixture used here


class Deliveries(list[tuple[str, bytes, str | None]]):
    """What the app delivered: (file name, bytes, MIME type)."""

    def record(self, path_or_file: BinaryIO, *, save_filename: str | None = None,
               mime_type: str | None = None, **_: Any) -> str:
        self.append((save_filename or "", path_or_file.read(), mime_type))
        return "key"


@pytest.fixture
def web(monkeypatch: pytest.MonkeyPatch) -> Deliveries:
    """Every HallApp runs 'in a browser'; its deliveries recorded."""
    deliveries = Deliveries()
    monkeypatch.setattr(HallApp, "is_web", property(lambda self: True))
    monkeypatch.setattr(HallApp, "deliver_binary",
                        lambda self, f, **kw: deliveries.record(f, **kw))
    return deliveries


def files_under(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()]


@run_async
async def test_the_ticket_is_sent_to_the_browser_not_saved(sqlite_hall: Hall, tmp_path: Path,
                                                          web: Deliveries) -> None:
    app = HallApp(sqlite_hall, staff="desk01", start="desk", data_dir=tmp_path)
    before = files_under(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await fill_new_visitor(pilot)
        await pilot.press("f5")
        await settle(pilot)
        assert isinstance(app.screen, TicketScreen)
        await pilot.press("f6")
        await until(pilot, lambda: bool(web))
        await settle(pilot)
        [(name, data, mime)] = web
        assert (name, mime) == ("2026-11-23-L001.png", "image/png")
        assert data.startswith(b"\x89PNG")
        assert "已发送到浏览器下载" in text_of(app, "#ticket-saved")
    assert not (tmp_path / "tickets").exists()
    assert files_under(tmp_path) == before


@run_async
async def test_the_ticket_is_saved_on_a_terminal(sqlite_hall: Hall, tmp_path: Path) -> None:
    """Not web: the file, as before (the seam above is what switches)."""
    app = HallApp(sqlite_hall, staff="desk01", start="desk", data_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await fill_new_visitor(pilot)
        await pilot.press("f5")
        await settle(pilot)
        await pilot.press("f6")
        await settle(pilot)
    assert (tmp_path / "tickets" / "2026-11-23-L001.png").read_bytes().startswith(b"\x89PNG")


@run_async
async def test_the_exports_are_sent_to_the_browser(scene: Hall, tmp_path: Path,
                                                   web: Deliveries) -> None:
    from openpyxl import load_workbook

    app = HallApp(scene, staff="mgr01", start="stats", data_dir=tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("l")
        await shows(pilot, "来访人次 3　")
        await pilot.press("x")
        await until(pilot, lambda: len(web) == 1, timeout=30)
        await pilot.press("c")
        await until(pilot, lambda: len(web) == 2, timeout=30)
        await pilot.press("p")
        await until(pilot, lambda: len(web) == 3, timeout=60)
        await settle(pilot)
        messages = [n.message for n in app._notifications]
    (xlsx, xlsx_data, xlsx_mime), (zname, zdata, zmime), (pdf, pdf_data, pdf_mime) = web
    assert xlsx == "统计-20261101-20261130.xlsx" and xlsx_mime.endswith("spreadsheetml.sheet")
    assert len(load_workbook(io.BytesIO(xlsx_data)).sheetnames) >= 2
    assert (zname, zmime) == ("统计-20261101-20261130.zip", "application/zip")
    with zipfile.ZipFile(io.BytesIO(zdata)) as archive:
        text = archive.read("统计-20261101-20261130/visits_by_day.csv").decode("utf-8-sig")
    assert "2026-11-23,3," in text
    assert (pdf, pdf_mime) == ("统计报告-20261101-20261130.pdf", "application/pdf")
    assert pdf_data.startswith(b"%PDF")
    assert f"已发送到浏览器下载：{xlsx}" in messages
    assert not (tmp_path / "exports").exists() or not files_under(tmp_path / "exports")
    with scene.connection():
        audited = [(e.actor, e.entity_id, json.loads(e.detail)["file"]) for e in
                   AuditEvent.select().where(AuditEvent.action == "export")
                   .order_by(AuditEvent.id)]
    assert audited == [("mgr01", "stats.xlsx", xlsx), ("mgr01", "stats.csv", zname),
                       ("mgr01", "report.pdf", pdf)]
