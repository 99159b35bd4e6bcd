"""``tickets.printer`` in hall.yaml: the shipped default (none), valid printers of every kind, and
what a wrong one is told, in Chinese, with the key and the line."""

from __future__ import annotations

import pytest

from config import ConfigError, HallConfig
from config.loader import load_config_text
from tests.helpers import SHIPPED

BLOCK = """  printer:
    kind: none
"""


def with_printer(block: str) -> HallConfig:
    """The shipped configuration with its ``tickets.printer`` block replaced by ``block``."""
    start = SHIPPED.index("  printer:\n")
    end = SHIPPED.index("\n\n", start) + 1
    return load_config_text(SHIPPED[:start] + block + SHIPPED[end:], "test.yaml")


def problems_of(block: str) -> list[tuple[str, str]]:
    with pytest.raises(ConfigError) as caught:
        with_printer(block)
    return [(p.dotted, p.message) for p in caught.value.problems]


def test_the_shipped_hall_has_no_printer(config: HallConfig) -> None:
    printer = config.tickets.printer
    assert printer.kind == "none" and printer.print_on == "issue" and printer.width_dots == 576


@pytest.mark.parametrize(("lines", "connection", "target"), [
    ("host: 192.168.1.50", "network", "192.168.1.50:9100"),
    ("host: 192.168.1.50:9101", "network", "192.168.1.50:9101"),
    ("host: printer-desk\n    port: 9200", "network", "printer-desk:9200"),
    ('usb: "04b8:0202"', "usb", "USB 04b8:0202"),
    ("serial: /dev/ttyS0\n    baudrate: 19200", "serial", "串口 /dev/ttyS0"),
    ("device: /dev/usb/lp0", "file", "/dev/usb/lp0"),
])
def test_an_escpos_printer_is_reached_one_way(lines: str, connection: str, target: str) -> None:
    cfg = with_printer(f"  printer:\n    kind: escpos\n    width_dots: 384\n    {lines}\n")
    printer = cfg.tickets.printer
    assert printer.connection == connection and printer.target == target
    assert printer.width_dots == 384


def test_usb_ids_are_hexadecimal() -> None:
    cfg = with_printer('  printer:\n    kind: escpos\n    usb: "04b8:0e15"\n')
    assert cfg.tickets.printer.usb_ids() == (0x04B8, 0x0E15)


def test_a_cups_queue_with_options() -> None:
    cfg = with_printer("  printer:\n    kind: cups\n    queue: desk\n    print_on: key\n"
                       "    options: {media: X80MMY200MM}\n")
    printer = cfg.tickets.printer
    assert printer.target == "CUPS 队列 desk" and printer.options == {"media": "X80MMY200MM"}
    assert printer.print_on == "key"


@pytest.mark.parametrize(("block", "key", "needle"), [
    ("    kind: escpos\n", "tickets.printer.kind", "须且只须填写 host（网口）、usb、serial"),
    ("    kind: escpos\n    host: 10.0.0.9\n    device: /dev/usb/lp0\n",
     "tickets.printer.kind", "同时填写了 host、device"),
    ("    kind: escpos\n    host: 10.0.0.9:99999\n", "tickets.printer.host",
     "打印机地址“10.0.0.9:99999”写法不对"),
    ("    kind: escpos\n    host: 'a b'\n", "tickets.printer.host", "写法不对"),
    ("    kind: escpos\n    usb: 4b8-202\n", "tickets.printer.usb", "应为 厂商号:产品号"),
    ("    kind: escpos\n    device: /dev/usb/lp0\n    width_dots: 500\n",
     "tickets.printer.width_dots", "应为 8 的倍数"),
    ("    kind: cups\n", "tickets.printer.queue", "必须填写 queue"),
    ("    kind: cups\n    queue: d\n    options: {'bad key': x}\n",
     "tickets.printer.options.bad key", "CUPS 选项"),
    ("    kind: zebra\n", "tickets.printer.kind", "应为以下之一"),
    ("    print_on: always\n", "tickets.printer.print_on", "应为以下之一"),
    ("    width_dots: 64\n", "tickets.printer.width_dots", "应不小于 128"),
    ("    timeout_seconds: 0\n", "tickets.printer.timeout_seconds", "应不小于 0"),
    ("    code_page: 300\n", "tickets.printer.code_page", "应不大于 255"),
    ("    kind: escpos\n    hostname: x\n", "tickets.printer.hostname", "未知的键“hostname”"),
])
def test_a_wrong_printer_is_refused_in_chinese(block: str, key: str, needle: str) -> None:
    found = problems_of("  printer:\n" + block)
    assert any(path == key and needle in message for path, message in found), found


def test_the_problem_names_its_line() -> None:
    with pytest.raises(ConfigError) as caught:
        with_printer("  printer:\n    kind: cups\n    queue: ''\n")
    (problem,) = caught.value.problems
    line = SHIPPED.index("  printer:\n")
    assert problem.line == SHIPPED[:line].count("\n") + 3  # the queue: line
    assert str(problem).startswith(f"test.yaml:{problem.line}: tickets.printer.queue: ")
