"""``hall ticket NUMBER --print``: a reprint on the configured receipt printer (audited), exit 1
when the printer cannot be reached (like a database), 2 with no printer configured; ``--width``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image

import main
from models import AuditEvent, open_database
from tests.fake_printer import FakePrinter, closed_port, job_image
from tests.helpers import SHIPPED, TEST_PASSWORD, accounts_ready

NOW = "2026-11-23T09:30:00+08:00"
ISSUE = ["issue", "--name", "李秀英", "--id-number", "11010519491231002X", "--category", "wages",
         "--matter", "工地拖欠工资三个月", "--district", "jiangbei", "--json"]
zxingcpp = pytest.importorskip("zxingcpp")


def configured(tmp_path: Path, block: str) -> Path:
    """A copy of the shipped hall.yaml with ``tickets.printer`` replaced by ``block``."""
    start = SHIPPED.index("  printer:\n")
    end = SHIPPED.index("\n\n", start) + 1
    path = tmp_path / "hall.yaml"
    path.write_text(SHIPPED[:start] + block + SHIPPED[end:], encoding="utf-8")
    return path


class Hall:
    """``hall`` in-process with one configuration and database; (status, out, err)."""

    def __init__(self, config: Path, url: str, capsys: pytest.CaptureFixture[str]) -> None:
        self.config, self.capsys = config, capsys
        self.url = accounts_ready(url)

    def __call__(self, *argv: str) -> tuple[int, str, str]:
        self.capsys.readouterr()
        status = main.main([*argv, "--config", str(self.config), "--db", self.url,
                            "--staff", "desk01"])
        out, err = self.capsys.readouterr()
        return status, out, err


@pytest.fixture
def run(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]):
    for name in ("HALL_CONFIG", "HALL_DB", "HALL_STAFF", "HALL_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HALL_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("HALL_NOW", NOW)
    monkeypatch.setenv("HALL_PASSWORD", TEST_PASSWORD)

    def make(block: str) -> Hall:
        return Hall(configured(tmp_path, block), db_url, capsys)

    return make


def print_events(url: str) -> list[dict]:
    db = open_database(url)
    try:
        return [json.loads(e.detail) for e in AuditEvent.select().where(
            AuditEvent.action == "ticket.print").order_by(AuditEvent.id)]
    finally:
        db.close()


def test_print_reprints_on_the_configured_printer(run, printer: FakePrinter) -> None:
    hall = run(f"  printer:\n    kind: escpos\n    host: {printer.host}\n    width_dots: 384\n")
    status, out, err = hall(*ISSUE)
    assert status == 0, err
    issued = json.loads(out)
    status, out, err = hall("ticket", issued["number"], "--print")
    assert status == 0, err
    (job,) = printer.wait_jobs(1)
    assert out.strip() == f"已打印 {issued['number']}（{printer.host}，{len(job)} 字节）"
    image = job_image(job)
    assert image.width == 384
    assert [r.text for r in zxingcpp.read_barcodes(image)] == [issued["qr"]]
    (event,) = print_events(hall.url)
    assert event["reprint"] is True and event["printer"] == "escpos" and event["ok"] is True


def test_an_unreachable_printer_exits_1_and_says_so(run) -> None:
    port = closed_port()
    hall = run(f"  printer:\n    kind: escpos\n    host: 127.0.0.1:{port}\n"
               "    timeout_seconds: 2\n")
    number = json.loads(hall(*ISSUE)[1])["number"]
    status, out, err = hall("ticket", number, "--print")
    assert (status, out) == (1, "")
    assert err.startswith(f"打印失败：打印机无法连接（127.0.0.1:{port}）")
    assert f"hall ticket {number} --print" in err and "Traceback" not in err
    (event,) = print_events(hall.url)
    assert event["ok"] is False and event["error"].startswith("打印机无法连接")


def test_no_printer_configured_exits_2(run) -> None:
    hall = run("  printer:\n    kind: none\n")
    number = json.loads(hall(*ISSUE)[1])["number"]
    status, out, err = hall("ticket", number, "--print")
    assert (status, out) == (2, "")
    assert "未配置票据打印机" in err and "tickets.printer" in err
    assert print_events(hall.url) == []


def test_print_of_an_unknown_number_exits_2(run, printer: FakePrinter) -> None:
    hall = run(f"  printer:\n    kind: escpos\n    host: {printer.host}\n")
    status, _, err = hall("ticket", "L404", "--print")
    assert status == 2 and "没有票号 L404" in err
    assert printer.jobs == []


def test_png_width(run, tmp_path: Path) -> None:
    hall = run("  printer:\n    kind: none\n")
    issued = json.loads(hall(*ISSUE)[1])
    target = tmp_path / "slip.png"
    status, out, err = hall("ticket", issued["number"], "--png", str(target), "--width", "384")
    assert status == 0 and out.strip() == str(target), err
    image = Image.open(target)
    assert image.width == 384
    assert [r.text for r in zxingcpp.read_barcodes(image)] == [issued["qr"]]
    status, _, err = hall("ticket", issued["number"], "--svg", str(tmp_path / "x.svg"),
                          "--width", "384")
    assert status == 2 and "--width 只用于 --png" in err


def test_the_help_says_what_a_printer_failure_exits() -> None:
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit):
        main.main(["ticket", "--help"])
    assert "退出码为 1" in out.getvalue() and "--print" in out.getvalue()
