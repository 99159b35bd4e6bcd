"""Printing at the desk: the slip on the receipt printer as the ticket opens, and reprints.

A mixin of :class:`screens.desk.screen.DeskScreen`. After F5 the ticket opens
(:class:`~screens.desk.ticket.TicketScreen`) and, when ``tickets.printer.print_on`` is ``issue``,
its slip is printed at once in a thread worker of the desk (``hall.printer.print_ticket``): the
ticket was issued and committed before, so the printer can only cost the visitor a reprint, and
the worker belongs to the desk, not to the ticket screen, so an operator closing the ticket
before the printer answers still hears about it. The outcome shows on the ticket's status line
while it is open («已打印（192.168.1.50:9100）», or 「打印失败：打印机无法连接（…）：…。票已出，
可按 F4 重打」 with the bell: a notification would cover the QR code the visitor may scan); once
the ticket is closed, a failure is a notification that names the ticket and the key to reprint:
「打印失败：打印机无法连接（192.168.1.50:9100）：…。票号 R007 已出，可按 F9 重打」.
F4 (or P) on the ticket screen prints it (again); F9 on the desk reprints the last ticket this
desk issued, once its screen is closed. Each attempt is audited (``ticket.print``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hall.printing.receipt import PrintResult
    from hall.views import IssuedTicket
    from screens.desk.screen import DeskScreen
    from screens.work import Failed

    _Base = DeskScreen
else:
    _Base = object


class DeskPrinting(_Base):
    """The desk's printing: on issue, F4 on the ticket, F9 for the last ticket."""

    _last_ticket: IssuedTicket | None = None
    _printed: frozenset[int] = frozenset()

    def show_ticket(self, ticket: IssuedTicket) -> None:
        """Open the issued ticket and, as configured, print its slip."""
        from screens.desk.ticket import TicketScreen

        printer = self.hall_app.hall.printer
        self._last_ticket = ticket
        screen = TicketScreen(ticket, printer=self.print_ticket if printer.configured else None)
        self.app.push_screen(screen, lambda _: self._focus_field("id_number"))
        if printer.prints_on_issue:
            self.print_ticket(ticket)

    def action_reprint(self) -> None:
        """F9: print the last ticket this desk issued again."""
        ticket = self._last_ticket
        if not self.hall_app.hall.printer.configured:
            self.notify("未配置票据打印机（配置文件 tickets.printer）", title="打印", timeout=4)
        elif ticket is None or not self.hall_app.staff:
            self.notify("本台还没有出过票", title="打印", timeout=4)
        else:
            self.print_ticket(ticket)

    def print_ticket(self, ticket: IssuedTicket) -> None:
        """Print a ticket's slip in a worker (a reprint when this desk printed it before)."""
        app = self.hall_app
        actor, printer = app.staff or "", app.hall.printer
        reprint = ticket.ticket_id in self._printed
        self._printed = self._printed | {ticket.ticket_id}
        self._print_status(ticket, "正在打印…")
        self.run_call("print", lambda: (ticket, printer.print_ticket(ticket, actor,
                                                                     reprint=reprint)))

    def print_done(self, outcome: tuple[IssuedTicket, PrintResult]) -> None:
        ticket, result = outcome
        if result.ok:
            self._print_status(ticket, f"[$success]已打印[/]（{result.target}）")
            return
        if self._ticket_shown(ticket):  # said under the ticket: a notice would hide its QR
            key = self._key("ticket.print", "F4")
            self._print_status(ticket, f"[b $error]打印失败[/]：{result.error}。票已出，"
                               f"可按 {key} 重打")
            self.app.bell()
            return
        key = self._key("desk.reprint", "F9")
        self.notify(f"打印失败：{result.error}。票号 {ticket.number} 已出，可按 {key} 重打",
                    title="票据未打印", severity="error", timeout=15, markup=False)

    def print_failed(self, failure: Failed) -> None:
        """Not allowed, or the audit could not be written: said as every other failure."""
        self.show_failure(failure, "打印：")

    def _ticket_shown(self, ticket: IssuedTicket) -> bool:
        from screens.desk.ticket import TicketScreen

        screen = self.app.screen
        return isinstance(screen, TicketScreen) and screen.ticket.ticket_id == ticket.ticket_id

    def _print_status(self, ticket: IssuedTicket, text: str) -> None:
        if self._ticket_shown(ticket):
            self.app.screen.show_status(text)  # type: ignore[attr-defined]

    def _key(self, binding_id: str, default: str) -> str:
        """The key a binding has in this hall (``terminal.keys`` may remap it), as shown."""
        keys = self.hall_app.hall.config.terminal.keys.get(binding_id, "")
        return keys.split(",")[0].strip().upper() if keys.strip() else default
