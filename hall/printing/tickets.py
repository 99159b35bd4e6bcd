"""Printing an issued ticket: the desk's print and reprint, and ``hall ticket --print``.

    result = hall.printer.print_ticket(issued, actor="desk01")           # right after issuing
    result = hall.printer.reprint("R007", day=None, actor="desk01")      # later: today's R007
    result.ok, result.error                                               # 「打印机无法连接（…）」

Whoever may issue a ticket may print its slip (``ticket.issue``: the slip carries the query code,
as ``hall ticket --png`` does). The ticket is already issued and committed when printing starts:
the printer (:mod:`hall.printing.receipt`) runs outside any transaction and its failure is a
:class:`~hall.printing.receipt.PrintResult`, never an exception, so a dead printer costs the
visitor nothing but a reprint. Every attempt, printed or not, is written to the audit log as
``ticket.print`` with the number, the business day, the printer's kind and address, whether it
was a reprint and, when it failed, why.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from hall.clock import to_storage
from hall.printing.receipt import PrintResult, print_slip

if TYPE_CHECKING:
    from hall.desk.desk import Desk
    from hall.store import Store
    from hall.views import IssuedTicket

__all__ = ["TicketPrinter"]


class TicketPrinter:
    """The desk's receipt printer as the hall configures it (``tickets.printer``)."""

    def __init__(self, store: Store, desk: Desk) -> None:
        self.store = store
        self.desk = desk
        self.settings = store.config.tickets.printer

    @property
    def configured(self) -> bool:
        """Whether a printer is configured (kind cups or escpos)."""
        return self.settings.kind != "none"

    @property
    def prints_on_issue(self) -> bool:
        """Whether the desk prints each ticket as it is issued."""
        return self.configured and self.settings.print_on == "issue"

    def print_ticket(self, ticket: IssuedTicket, actor: str, *, reprint: bool = False,
                     font_path: str | None = None) -> PrintResult:
        """Print an issued ticket's slip and audit the attempt; the outcome, never raised.

        :class:`~hall.errors.NotAllowed` (audited) for an actor who may not issue tickets."""
        self.store.permit(actor, "ticket.issue")
        result = print_slip(self.desk.print_view(ticket), self.settings, font_path=font_path)
        detail = {"number": ticket.number, "business_day": ticket.business_day,
                  "printer": self.settings.kind, "target": result.target, "ok": result.ok,
                  "reprint": reprint}
        if not result.ok:
            detail["error"] = result.error
        with self.store.transaction():
            self.store.audit(actor, "ticket.print", "ticket", ticket.ticket_id,
                             to_storage(self.store.now()), detail)
        return result

    def reprint(self, code_or_number: str, day: date | None, actor: str, *,
                font_path: str | None = None) -> PrintResult:
        """Print a ticket again, found by number on ``day`` (default today) or query code;
        :class:`~hall.errors.NotFound` for none."""
        self.store.permit(actor, "ticket.issue")  # before the lookup: nothing read for nobody
        ticket = self.desk.ticket(code_or_number, day)
        return self.print_ticket(ticket, actor, reprint=True, font_path=font_path)
