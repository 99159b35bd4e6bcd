"""Printing the slip (hall.printing.receipt): the ESC/POS job a fake network printer receives, read
back to an image whose QR code zxing decodes; a refused port and a frozen printer fail in words
within the timeout; the device-file and CUPS kinds."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from config.printer import PrinterSettings
from hall.printing import TicketPrint
from hall.printing.receipt import PrintResult, escpos_job, print_slip, slip_image
from tests.fake_printer import (
    FULL_CUT,
    GS_V0,
    PARTIAL_CUT,
    RESET,
    FakePrinter,
    closed_port,
    fake_lp,
    job_image,
    path_with,
    raster_images,
)

zxingcpp = pytest.importorskip("zxingcpp")

URL = "https://xfj.jiangchuan.gov.cn/cx?code=K7Q2M9XW4D"
TICKET = TicketPrint(hall_name="江川市联合接访中心", number="R007", department_name="市人社局",
                     windows=("5号窗口", "7号窗口"), ahead=3, issued_at="2026-12-01 09:12",
                     query_code="K7Q2M9XW4D", qr_payload=URL)
GENEROUS = 30.0
"""How long a test waits for a print that must end within its timeout of a second or two: a
hang would wait forever, so this catches one without timing anything that is fast."""


def decoded(image) -> list[str]:
    return [r.text for r in zxingcpp.read_barcodes(image)
            if r.format == zxingcpp.BarcodeFormat.QRCode]


def escpos(**values) -> PrinterSettings:
    return PrinterSettings(kind="escpos", **values)


def finishes(call) -> PrintResult:
    """Run a print in a thread and insist it ends (the test fails instead of hanging)."""
    out: list[PrintResult] = []
    thread = threading.Thread(target=lambda: out.append(call()), daemon=True)
    thread.start()
    thread.join(GENEROUS)
    assert out, f"printing did not return within {GENEROUS} s"
    return out[0]


@pytest.mark.parametrize("dots", [384, 512, 576])
def test_a_network_printer_gets_the_slip_as_a_raster_image_and_a_cut(dots: int) -> None:
    printer = FakePrinter()
    try:
        result = print_slip(TICKET, escpos(host=printer.host, width_dots=dots))
        (job,) = printer.wait_jobs(1)
    finally:
        printer.close()
    assert result.ok and result.error == "" and result.kind == "escpos"
    assert result.target == printer.host and result.bytes_sent == len(job)
    assert job.startswith(RESET) and GS_V0 in job
    assert job.endswith(PARTIAL_CUT) and job.rindex(PARTIAL_CUT) > job.rindex(GS_V0)
    image = job_image(job)
    assert image.width == dots  # the image is exactly the printable width
    assert decoded(image) == [URL]
    # What the printer got is the slip as drawn, pixel for pixel (no scaling on the way).
    drawn = slip_image(TICKET, dots)
    assert image.size == drawn.size and image.tobytes() == drawn.tobytes()


def test_the_port_may_be_given_apart_and_the_cut_and_code_page_are_configurable() -> None:
    printer = FakePrinter()
    try:
        host, port = printer.host.split(":")
        result = print_slip(TICKET, escpos(host=host, port=int(port), cut="full", code_page=255))
        (job,) = printer.wait_jobs(1)
    finally:
        printer.close()
    assert result.ok and result.target == printer.host
    assert job.startswith(RESET + b"\x1bt\xff")  # ESC t 255 right after the reset
    assert job.endswith(FULL_CUT)


def test_without_a_cutter_the_paper_is_only_fed() -> None:
    job = escpos_job(slip_image(TICKET, 384), escpos(device="/x", width_dots=384, cut="none"))
    assert FULL_CUT not in job[-8:] and PARTIAL_CUT not in job[-8:]
    assert job.endswith(b"\x1bd\x06")  # ESC d 6: six lines out of the mouth to tear off


def test_a_tall_slip_is_sent_in_fragments_that_stack_back_to_it() -> None:
    long_notice = TicketPrint(**{**TICKET.__dict__, "notice": "请保管好票据。" * 60})
    image = slip_image(long_notice, 576)
    assert image.height > 960  # python-escpos splits images taller than that
    job = escpos_job(image, escpos(device="/x"))
    assert len(raster_images(job)) > 1
    assert job_image(job).tobytes() == image.tobytes()


def test_a_refused_connection_is_a_result_in_chinese_not_an_exception() -> None:
    port = closed_port()
    result = finishes(lambda: print_slip(TICKET, escpos(host=f"127.0.0.1:{port}",
                                                        timeout_seconds=2)))
    assert not result.ok and result.bytes_sent == 0
    assert result.error.startswith(f"打印机无法连接（127.0.0.1:{port}）")
    assert "拒绝连接" in result.error


def test_a_printer_that_accepts_but_never_reads_times_out() -> None:
    printer = FakePrinter(frozen=True)
    try:
        result = finishes(lambda: print_slip(TICKET, escpos(host=printer.host,
                                                            timeout_seconds=1)))
    finally:
        printer.close()
    assert not result.ok and result.bytes_sent == 0
    assert result.error.startswith(f"打印机无响应（{printer.host}）：1 秒内未收下票据")
    assert "缺纸" in result.error


def test_an_unresolvable_host_says_so() -> None:
    result = finishes(lambda: print_slip(TICKET, escpos(host="printer.invalid",
                                                        timeout_seconds=2)))
    assert not result.ok and result.error.startswith("打印机无法连接（printer.invalid:9100）")


def test_the_device_kind_writes_the_job_to_the_file(tmp_path: Path) -> None:
    target = tmp_path / "lp0"
    result = print_slip(TICKET, escpos(device=str(target), width_dots=512))
    assert result.ok and result.target == str(target)
    job = target.read_bytes()
    assert result.bytes_sent == len(job) and job.endswith(PARTIAL_CUT)
    image = job_image(job)
    assert image.width == 512 and decoded(image) == [URL]


def test_a_missing_device_is_named(tmp_path: Path) -> None:
    gone = tmp_path / "no-such-dir" / "lp0"
    result = print_slip(TICKET, escpos(device=str(gone)))
    assert not result.ok and result.error.startswith(f"找不到打印机（{gone}）")


def test_no_printer_configured_prints_nothing() -> None:
    result = print_slip(TICKET, PrinterSettings())
    assert not result.ok and "未配置打印机" in result.error


def test_cups_hands_the_png_to_lp_with_the_queue_and_options(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from PIL import Image

    fake_lp(tmp_path / "bin")
    monkeypatch.setenv("PATH", path_with(tmp_path / "bin"))
    settings = PrinterSettings(kind="cups", queue="desk-receipt", width_dots=512,
                               options={"media": "X80MMY200MM", "fit-to-page": "true"})
    result = print_slip(TICKET, settings)
    assert result.ok and result.kind == "cups" and result.target == "CUPS 队列 desk-receipt"
    args = (tmp_path / "bin" / "args.txt").read_text(encoding="utf-8").splitlines()
    assert args == ["-d", "desk-receipt", "-t", "票据 R007", "-o", "media=X80MMY200MM",
                    "-o", "fit-to-page=true"]
    png = (tmp_path / "bin" / "input.bin").read_bytes()
    assert result.bytes_sent == len(png)
    image = Image.open(tmp_path / "bin" / "input.bin")
    assert image.format == "PNG" and image.width == 512 and decoded(image) == [URL]


def test_cups_refusing_says_what_lp_said(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_lp(tmp_path / "bin", exit_code=1, stderr="lp: The printer or class does not exist.")
    monkeypatch.setenv("PATH", path_with(tmp_path / "bin"))
    result = print_slip(TICKET, PrinterSettings(kind="cups", queue="nope"))
    assert not result.ok
    assert result.error == ("CUPS 拒绝打印（CUPS 队列 nope）："
                            "lp: The printer or class does not exist.")


def test_a_hanging_lp_is_stopped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_lp(tmp_path / "bin", hang=True)
    monkeypatch.setenv("PATH", path_with(tmp_path / "bin"))
    settings = PrinterSettings(kind="cups", queue="desk", timeout_seconds=1)
    result = finishes(lambda: print_slip(TICKET, settings))
    assert not result.ok and result.error == "lp 命令 1 秒未结束（CUPS 队列 desk）"


def test_without_lp_the_operator_is_told_to_install_cups(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty folder: no lp anywhere
    result = print_slip(TICKET, PrinterSettings(kind="cups", queue="desk"))
    assert not result.ok and result.error.startswith("找不到 lp 命令")
