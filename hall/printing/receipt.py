"""Printing the slip on the desk's receipt printer (``tickets.printer``, :mod:`config.printer`).

    from hall.printing.receipt import print_slip

    result = print_slip(ticket_print, config.tickets.printer)   # never raises for the printer
    if not result.ok:
        show(f"打印失败：{result.error}")                          # 「打印机无法连接（…:9100）」

Three kinds:

- ``none``: nothing is printed (the desk saves images with F6); the result says so.
- ``escpos``: the slip is drawn :func:`~hall.printing.png.render_image` exactly ``width_dots``
  wide, made pure black and white, and sent as one ESC/POS job built with python-escpos: ``ESC @``
  (reset), ``ESC t n`` when a code page is set, the raster image (``GS v 0``, the command every
  ESC/POS printer since the TM-T88II knows), a feed and the cut (``GS V``). The whole slip is an
  image rather than text plus the printer's own QR command (``GS ( k``) on purpose: the Chinese
  text then needs no GB18030 font in the printer (cheap printers' Chinese modes differ and many
  have none), the big number and the layout look the same on every model and as the saved PNG,
  and the QR code is the one the tests decode, not one each firmware draws its own way (and some
  58 mm printers lack). The price is bytes: about 63 KB for a 576-dot slip, well under a second
  on a network or USB printer, slow on a 9600-baud serial line.
  The job goes out through python-escpos's own device classes: network (a TCP socket, port 9100,
  with ``timeout_seconds`` on the connect and on the write), USB (pyusb), serial (pyserial) or a
  device / plain file.
- ``cups``: the PNG at ``width_dots`` is handed to ``lp -d QUEUE -o KEY=VALUE… -t TITLE`` on its
  standard input, a subprocess stopped after ``timeout_seconds``.

A printer that is off, unplugged, out of paper or frozen must never hold the desk: every kind runs
its I/O in a daemon thread waited for at most ``timeout_seconds`` (a write to a USB device file
with no paper can block forever; the thread is left to the operating system), and every failure
comes back as a :class:`PrintResult` with its reason in Chinese, never as an exception. The ticket
itself was issued and committed before any of this runs (:mod:`hall.printing.tickets`).
"""

from __future__ import annotations

import copy
import errno
import logging
import socket
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL import Image

    from config.printer import PrinterSettings
    from hall.printing.layout import TicketPrint

__all__ = ["PrintResult", "escpos_job", "print_slip", "send_cups", "send_escpos", "slip_image"]

log = logging.getLogger(__name__)

INK_THRESHOLD = 160
"""Grey levels below this print black: the slip's grey labels (85) print, its anti-aliasing
fringes do not smear. No dithering: a dithered QR module edge reads worse than a clean one."""

SEND_BUFFER = 8192
"""Bytes the kernel may hold for a network printer (see :func:`_send_escpos`)."""


@dataclass(frozen=True)
class PrintResult:
    """What became of one print: ``ok``, or ``error`` saying why not (Chinese, one line).

    ``kind`` and ``target`` name the printer (「escpos」, 「192.168.1.50:9100」), ``bytes_sent``
    what went out (the ESC/POS job or the PNG handed to ``lp``), ``seconds`` how long it took.
    """

    ok: bool
    kind: str
    target: str
    error: str = ""
    bytes_sent: int = 0
    seconds: float = 0.0


class _Failure(Exception):
    """A printer problem already worded for the operator."""


def slip_image(ticket: TicketPrint, width: int, *, font_path: str | None = None) -> Image.Image:
    """The slip ``width`` dots wide in pure black and white (mode "L", values 0 and 255)."""
    from hall.printing.png import render_image

    image = render_image(ticket, width=width, font_path=font_path)
    return image.point(lambda v: 0 if v < INK_THRESHOLD else 255)


def escpos_job(image: Image.Image, settings: PrinterSettings) -> bytes:
    """The ESC/POS bytes that print ``image`` and cut: reset, code page, raster image, cut."""
    from escpos.printer import Dummy

    job = Dummy()
    # The library centres and checks an image against the profile's paper width, and prints a
    # warning on stdout (a terminal screen's!) when the profile does not know it: tell it.
    data = copy.deepcopy(job.profile.profile_data)
    data["media"]["width"]["pixels"] = settings.width_dots
    job.profile.profile_data = data
    job.hw("INIT")
    if settings.code_page is not None:
        job._raw(b"\x1bt" + bytes((settings.code_page,)))  # ESC t n: no named API for a number
    job.image(image, impl="bitImageRaster", center=False)
    if settings.cut == "none":
        job.print_and_feed(6)
    else:
        job.cut(mode="PART" if settings.cut == "partial" else "FULL")
    return job.output


def print_slip(ticket: TicketPrint, settings: PrinterSettings, *,
               font_path: str | None = None) -> PrintResult:
    """Print ``ticket`` on the configured printer; the outcome, never an exception for it."""
    started = time.perf_counter()
    if settings.kind == "none":
        return PrintResult(False, "none", "无", "未配置打印机（tickets.printer.kind 为 none）")
    if settings.kind == "cups":
        from hall.printing.png import render_png

        png = render_png(ticket, width=settings.width_dots, font_path=font_path)
        return send_cups(png, settings, title=f"票据 {ticket.number}", started=started)
    image = slip_image(ticket, settings.width_dots, font_path=font_path)
    return send_escpos(escpos_job(image, settings), settings, started=started)


def send_escpos(job: bytes, settings: PrinterSettings, *,
                started: float | None = None) -> PrintResult:
    """Send an ESC/POS ``job`` to the configured device within ``timeout_seconds``."""
    started = time.perf_counter() if started is None else started
    target = settings.target
    return _within(settings.timeout_seconds, lambda: _send_escpos(job, settings),
                   kind="escpos", target=target, size=len(job), started=started,
                   late=f"打印机无响应（{target}）：{_seconds(settings)} 秒内未收下票据，"
                        "请检查是否缺纸、卡纸或未合上纸仓盖")


def send_cups(png: bytes, settings: PrinterSettings, *, title: str = "票据",
              started: float | None = None) -> PrintResult:
    """Hand a PNG to ``lp`` for the configured queue; stopped after ``timeout_seconds``."""
    started = time.perf_counter() if started is None else started
    command = ["lp", "-d", settings.queue, "-t", title]
    for key, value in settings.options.items():
        command += ["-o", f"{key}={value}"]

    def run() -> None:
        try:
            done = subprocess.run(command, input=png, capture_output=True, check=False,
                                  timeout=settings.timeout_seconds)
        except FileNotFoundError:
            raise _Failure("找不到 lp 命令：请安装 CUPS 客户端（cups-client / cups-bsd）") from None
        except subprocess.TimeoutExpired:
            raise _Failure(f"lp 命令 {_seconds(settings)} 秒未结束（{settings.target}）") from None
        if done.returncode != 0:
            said = done.stderr.decode("utf-8", "replace").strip().splitlines()
            raise _Failure(f"CUPS 拒绝打印（{settings.target}）："
                           f"{said[0][:120] if said else f'lp 退出码 {done.returncode}'}")

    return _within(settings.timeout_seconds + 1.0, run, kind="cups", target=settings.target,
                   size=len(png), started=started,
                   late=f"lp 命令 {_seconds(settings)} 秒未结束（{settings.target}）")


def _seconds(settings: PrinterSettings) -> str:
    return f"{settings.timeout_seconds:g}"


def _within(deadline: float, work: Callable[[], None], *, kind: str, target: str, size: int,
            started: float, late: str) -> PrintResult:
    """Run ``work`` in a daemon thread, waiting at most ``deadline`` seconds for it."""
    outcome: list[BaseException | None] = []

    def run() -> None:
        try:
            work()
        except BaseException as exc:  # handed to the caller below, in words
            outcome.append(exc)
        else:
            outcome.append(None)

    thread = threading.Thread(target=run, name=f"print-{kind}", daemon=True)
    thread.start()
    thread.join(deadline)
    seconds = time.perf_counter() - started
    if not outcome:
        log.warning("printer %s: no answer within %.1f s", target, deadline)
        return PrintResult(False, kind, target, late, 0, seconds)
    error = outcome[0]
    if error is None:
        return PrintResult(True, kind, target, "", size, seconds)
    log.info("printer %s failed: %r", target, error)
    text = str(error) if isinstance(error, _Failure) else _unexpected(error, target)
    return PrintResult(False, kind, target, text, 0, seconds)


def _unexpected(error: BaseException, target: str) -> str:
    return f"打印机出错（{target}）：{type(error).__name__}: {error}"[:200]


def _send_escpos(job: bytes, settings: PrinterSettings) -> None:
    """Open the configured device with python-escpos, write the job, close it."""
    from escpos.exceptions import DeviceNotFoundError

    target = settings.target
    printer = _device(settings)
    try:
        printer.open()
    except DeviceNotFoundError as exc:
        raise _Failure(_open_failure(exc.__context__ or exc, settings)) from None
    except OSError as exc:
        raise _Failure(_open_failure(exc, settings)) from None
    if settings.connection == "network":
        # A small send buffer: the write then ends only once the printer has taken in nearly
        # all of the job, so a printer that stopped reading (no paper, hung) times out instead
        # of the kernel's megabytes swallowing the job and calling it printed.
        printer.device.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, SEND_BUFFER)
    try:
        # The library's one way to send bytes it did not build itself (every device has it).
        printer._raw(job)
    except TimeoutError:
        raise _Failure(f"打印机无响应（{target}）：{_seconds(settings)} 秒内未收下票据，"
                       "请检查是否缺纸、卡纸或未合上纸仓盖") from None
    except OSError as exc:
        raise _Failure(f"向打印机发送失败（{target}）：{exc.strerror or exc}") from None
    finally:
        try:
            printer.close()
        except Exception:  # a half-dead device: closing it says nothing more
            log.debug("closing printer %s", target, exc_info=True)


def _device(settings: PrinterSettings) -> object:
    """The python-escpos device class for the configured connection (not opened)."""
    connection = settings.connection
    if connection == "network":
        from escpos.printer import Network

        host, port = settings.address()
        return Network(host, port, timeout=settings.timeout_seconds)
    if connection == "usb":
        from escpos.printer import Usb

        if not Usb.is_usable():
            raise _Failure("USB 打印机需要 pyusb：pip install 'python-escpos[usb]'")
        vendor, product = settings.usb_ids()
        return Usb(vendor, product, timeout=int(settings.timeout_seconds * 1000))
    if connection == "serial":
        from escpos.printer import Serial

        if not Serial.is_usable():
            raise _Failure("串口打印机需要 pyserial：pip install 'python-escpos[serial]'")
        return Serial(settings.serial, baudrate=settings.baudrate,
                      timeout=settings.timeout_seconds)
    from escpos.printer import File

    return File(settings.device)


def _open_failure(error: BaseException, settings: PrinterSettings) -> str:
    """Why the printer could not be opened, as the operator can act on it."""
    target = settings.target
    if settings.connection == "network":
        if isinstance(error, ConnectionRefusedError):
            why = "拒绝连接，打印机可能未开机或端口不对"
        elif isinstance(error, TimeoutError | socket.timeout):
            why = f"{_seconds(settings)} 秒内连不上，请检查电源和网线"
        elif isinstance(error, socket.gaierror):
            why = "地址无法解析"
        elif isinstance(error, OSError) and error.errno in (errno.EHOSTUNREACH,
                                                           errno.ENETUNREACH):
            why = "网络不通"
        else:
            why = str(error).strip().splitlines()[-1][:80] if str(error).strip() else "未知原因"
        return f"打印机无法连接（{target}）：{why}"
    if isinstance(error, FileNotFoundError):
        return f"找不到打印机（{target}）：设备不存在，请检查连线和电源"
    if isinstance(error, PermissionError):
        return f"无权使用打印机（{target}）：请把运行本程序的用户加入 lp 组"
    text = str(error).strip().splitlines()
    return f"打印机无法打开（{target}）：{text[-1][:80] if text else type(error).__name__}"
