"""The desk's ticket printer (``tickets.printer``): where the paper slip goes, and when.

    tickets:
      printer:
        kind: escpos                 # none（只保存图片，默认）| cups | escpos
        print_on: issue              # issue 出票即打印 | key 按键才打印 | never 不打印
        width_dots: 576              # 可打印宽度（点）：58 毫米纸 384，TM-T88V 512，TM-T20II 576
        timeout_seconds: 5           # 连接、写入（或 lp 命令）最长等待
        host: 192.168.1.50           # 网口打印机（端口默认 9100，可写 192.168.1.50:9100）
        # usb: "04b8:0202"           # 或 USB：厂商号:产品号（lsusb 显示的那样）
        # serial: /dev/ttyS0         # 或串口，波特率 baudrate（默认 9600）
        # device: /dev/usb/lp0       # 或设备文件 / 普通文件
        # kind: cups 时：queue: 队列名（lpstat -p 列出），options: {media: X80MMY200MM}

An ESC/POS printer takes exactly one of ``host``, ``usb``, ``serial`` and ``device``. The slip is
printed as one raster image of ``width_dots`` dots (so its Chinese needs no font in the printer),
then cut. :func:`printer_problems` says, in Chinese, what is missing or malformed; the printing
itself is :mod:`hall.printing.receipt`.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field

from config.types import ConfigModel, KeyPath, Problem

__all__ = ["PrinterSettings", "printer_problems"]

_HOST = re.compile(r"[A-Za-z0-9._-]+|\[[0-9A-Fa-f:]+\]")
_USB = re.compile(r"([0-9A-Fa-f]{4}):([0-9A-Fa-f]{4})")
_OPTION = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


class PrinterSettings(ConfigModel):
    """The receipt printer at the desk, its paper width and when the desk prints."""

    kind: Literal["none", "cups", "escpos"] = "none"
    """打印方式：none 不接打印机，只保存图片（默认）；cups 交给系统打印队列（lp 命令）；escpos
    直接驱动 ESC/POS 热敏票据打印机（网口、USB、串口或设备文件）。"""
    print_on: Literal["issue", "key", "never"] = "issue"
    """何时打印：issue 出票后自动打印（默认）；key 只在票据画面按重打键时打印；never 从不打印
    （``hall ticket NUMBER --print`` 仍可补打）。"""
    width_dots: int = Field(576, ge=128, le=2048)
    """可打印宽度（点，8 的倍数）：票据图按此宽度绘制。58 毫米纸 384，Epson TM-T88V 512，
    TM-T20II 等 80 毫米机型 576。"""
    timeout_seconds: float = Field(5.0, gt=0, le=60)
    """连接和写入打印机（或 lp 命令）最多等待的秒数；超时即报打印失败，票照出不误。"""
    code_page: int | None = Field(None, ge=0, le=255)
    """ESC/POS 字符代码页编号（ESC t n），打印前选定；票据整张是图片，中文不依赖它，
    只在打印机说明书要求时填写。留空：不发送。"""
    cut: Literal["partial", "full", "none"] = "partial"
    """ESC/POS 切纸：partial 半切（默认，票据留一点相连）、full 全切、none 不切（无切刀机型）。"""
    queue: str = ""
    """CUPS 队列名（``lp -d``），``lpstat -p`` 可列出；kind 为 cups 时必填。"""
    options: dict[str, str] = {}
    """CUPS 打印选项（逐项作为 ``lp -o 键=值``），如 ``media: X80MMY200MM``、
    ``fit-to-page: "true"``。"""
    host: str = ""
    """网口 ESC/POS 打印机的地址，如 192.168.1.50，也可带端口：192.168.1.50:9100。"""
    port: int = Field(9100, ge=1, le=65535)
    """网口打印机的端口（host 中未写端口时使用），一般为 9100。"""
    usb: str = ""
    """USB 打印机的 厂商号:产品号（十六进制，lsusb 显示的那样，如 04b8:0202）；需要 pyusb。"""
    serial: str = ""
    """串口打印机的设备，如 /dev/ttyS0 或 /dev/ttyUSB0；需要 pyserial。"""
    baudrate: int = Field(9600, ge=1200, le=921600)
    """串口波特率（打印机自检页上写明），默认 9600。"""
    device: str = ""
    """ESC/POS 数据直接写入的设备文件或普通文件，如 /dev/usb/lp0。"""

    @property
    def connection(self) -> str:
        """Which way an ESC/POS printer is reached: network, usb, serial, file (or "")."""
        for name, value in (("network", self.host), ("usb", self.usb),
                            ("serial", self.serial), ("file", self.device)):
            if value:
                return name
        return ""

    def address(self) -> tuple[str, int]:
        """The network printer's host and port (the port in ``host`` wins over ``port``)."""
        host, port = self.host, self.port
        if ":" in host and not host.endswith("]"):
            host, _, given = host.rpartition(":")
            port = int(given)
        return host.strip("[]"), port

    def usb_ids(self) -> tuple[int, int]:
        """The USB printer's vendor and product ids."""
        vendor, product = self.usb.split(":")
        return int(vendor, 16), int(product, 16)

    @property
    def target(self) -> str:
        """The printer as a person reads it: 192.168.1.50:9100, USB 04b8:0202, 队列 desk…"""
        if self.kind == "cups":
            return f"CUPS 队列 {self.queue}"
        connection = self.connection
        if connection == "network":
            host, port = self.address()
            return f"{host}:{port}"
        if connection == "usb":
            return f"USB {self.usb}"
        if connection == "serial":
            return f"串口 {self.serial}"
        return self.device or "无"


def printer_problems(settings: PrinterSettings,
                     at: KeyPath = ("tickets", "printer")) -> list[Problem]:
    """What is missing or malformed in ``tickets.printer``, in Chinese, with its place."""
    problems: list[Problem] = []
    if settings.width_dots % 8:
        problems.append(((*at, "width_dots"),
                         f"应为 8 的倍数（58 毫米纸 384、TM-T88V 512、TM-T20II 576），"
                         f"实际为 {settings.width_dots}", None))
    if settings.kind == "cups":
        if not settings.queue.strip():
            problems.append(((*at, "queue"), "打印方式为 cups 时必须填写 queue（CUPS 队列名，"
                             "用 lpstat -p 查看）", None))
        for key, value in settings.options.items():
            if not _OPTION.fullmatch(key) or any(c.isspace() for c in value):
                problems.append(((*at, "options", key),
                                 f"CUPS 选项“{key}: {value}”写法不对：键为英文字母、数字、"
                                 "点、横线，值中不能有空格", None))
    if settings.kind != "escpos":
        return problems
    given = [name for name in ("host", "usb", "serial", "device") if getattr(settings, name)]
    if len(given) != 1:
        what = "未填写" if not given else f"同时填写了 {'、'.join(given)}"
        problems.append(((*at, "kind"), f"ESC/POS 打印机须且只须填写 host（网口）、usb、serial"
                         f"（串口）、device（设备文件）之一：{what}", None))
    if settings.host:
        host, _, port = settings.host.rpartition(":") if ":" in settings.host \
            and not settings.host.endswith("]") else (settings.host, "", "")
        if not _HOST.fullmatch(host) or (port and not (port.isdigit()
                                                       and 1 <= int(port) <= 65535)):
            problems.append(((*at, "host"), f"打印机地址“{settings.host}”写法不对：应为 IP 或"
                             "主机名，可带端口，如 192.168.1.50 或 192.168.1.50:9100", None))
    if settings.usb and not _USB.fullmatch(settings.usb):
        problems.append(((*at, "usb"), f"USB 打印机“{settings.usb}”写法不对：应为 厂商号:产品号"
                         "（各 4 位十六进制，如 04b8:0202，见 lsusb）", None))
    return problems
