"""hall.printer: a ticket issued and committed is printed (or not) afterwards, every attempt audited
as ``ticket.print`` with its number and the printer's kind; reprints by number; who may print."""

from __future__ import annotations

import json

import pytest

from config.printer import PrinterSettings
from hall import Hall
from hall.errors import NotAllowed, NotFound
from models import AuditEvent, Ticket
from tests.fake_printer import FakePrinter, closed_port, job_image
from tests.helpers import form

zxingcpp = pytest.importorskip("zxingcpp")


def prints(hall: Hall) -> list[dict]:
    rows = AuditEvent.select().where(AuditEvent.action == "ticket.print").order_by(AuditEvent.id)
    return [{"actor": r.actor, "entity_id": r.entity_id, **json.loads(r.detail)} for r in rows]


def test_an_issued_ticket_prints_and_the_print_is_audited(hall: Hall,
                                                          printer: FakePrinter) -> None:
    hall.printer.settings = PrinterSettings(kind="escpos", host=printer.host, width_dots=512)
    ticket = hall.desk.issue(form(), actor="desk01")
    result = hall.printer.print_ticket(ticket, "desk01")
    (job,) = printer.wait_jobs(1)
    assert result.ok and result.bytes_sent == len(job)
    image = job_image(job)
    assert image.width == 512
    assert [r.text for r in zxingcpp.read_barcodes(image)] == [ticket.qr]
    assert prints(hall) == [{
        "actor": "desk01", "entity_id": str(ticket.ticket_id), "number": ticket.number,
        "business_day": ticket.business_day, "printer": "escpos", "target": printer.host,
        "ok": True, "reprint": False}]


def test_a_reprint_by_number_is_audited_as_one(hall: Hall, printer: FakePrinter) -> None:
    hall.printer.settings = PrinterSettings(kind="escpos", host=printer.host)
    ticket = hall.desk.issue(form(), actor="desk01")
    result = hall.printer.reprint(ticket.number, None, "desk01")
    (job,) = printer.wait_jobs(1)
    assert result.ok
    assert [r.text for r in zxingcpp.read_barcodes(job_image(job))] == [ticket.qr]
    (event,) = prints(hall)
    assert event["reprint"] is True and event["number"] == ticket.number


def test_a_dead_printer_loses_nothing_and_its_failure_is_audited(hall: Hall) -> None:
    port = closed_port()
    hall.printer.settings = PrinterSettings(kind="escpos", host=f"127.0.0.1:{port}",
                                            timeout_seconds=2)
    ticket = hall.desk.issue(form(), actor="desk01")
    result = hall.printer.print_ticket(ticket, "desk01")
    assert not result.ok and result.error.startswith(f"打印机无法连接（127.0.0.1:{port}）")
    stored = Ticket.get_by_id(ticket.ticket_id)
    assert stored.number == ticket.number and stored.status == "waiting"  # issued all the same
    (event,) = prints(hall)
    assert event["ok"] is False and event["error"] == result.error
    assert event["printer"] == "escpos" and event["target"] == f"127.0.0.1:{port}"


def test_who_may_not_issue_may_not_print(hall: Hall, printer: FakePrinter) -> None:
    hall.printer.settings = PrinterSettings(kind="escpos", host=printer.host)
    ticket = hall.desk.issue(form(), actor="desk01")
    with pytest.raises(NotAllowed):
        hall.printer.reprint(ticket.number, None, "win05")
    with pytest.raises(NotAllowed):
        hall.printer.print_ticket(ticket, "win05")
    assert printer.jobs == [] and prints(hall) == []


def test_reprinting_a_ticket_nobody_has_is_not_found(hall: Hall, printer: FakePrinter) -> None:
    hall.printer.settings = PrinterSettings(kind="escpos", host=printer.host)
    with pytest.raises(NotFound):
        hall.printer.reprint("R999", None, "desk01")
    assert printer.jobs == [] and prints(hall) == []


def test_the_configured_printer_decides_printing_on_issue(hall: Hall) -> None:
    assert not hall.printer.configured and not hall.printer.prints_on_issue  # shipped: none
    hall.printer.settings = PrinterSettings(kind="cups", queue="d", print_on="key")
    assert hall.printer.configured and not hall.printer.prints_on_issue
    hall.printer.settings = PrinterSettings(kind="cups", queue="d")
    assert hall.printer.prints_on_issue
