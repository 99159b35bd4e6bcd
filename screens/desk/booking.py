"""F7 on the desk: reception-day booking and check-in (领导接待日, :mod:`screens.dialogs.booking`)
for the ID in the form. A mixin of :class:`screens.desk.screen.DeskScreen`.

The dialog gets the form as typed, so booking opens or updates the visitor's file from it (a
first-time visitor at a closed lawyer seat or leader room is booked on the next duty day without a
ticket anywhere); after a closed room's refusal it opens on the day the refusal named. The
dialog looks the number up as the form's document type (F3: a passport holder is booked by
passport number). When the form's visitor was booked, the desk moves on to the next visitor as
after issuing: the form (and the closed room's refusal under it) is cleared, and a notice says
what was booked.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import Static

if TYPE_CHECKING:
    from hall.views import IssuedTicket
    from screens.desk.screen import DeskScreen

    _Base = DeskScreen
else:
    _Base = object


class DeskBooking(_Base):
    """The desk's F7."""

    def action_bookings(self) -> None:
        """Reception-day booking and check-in (领导接待日) for the ID in the form, if any."""
        from screens.dialogs.booking import BookingDialog

        if not self.hall_app.staff:
            self.hall_app.action_switch_staff()
            return
        person = self._person.value if self._person is not None else ""
        form = self.registration() if person else None
        dialog = BookingDialog(person, self._offer_day, form, self.form.document_type)
        self.app.push_screen(dialog, lambda ticket: self._booking_closed(ticket, dialog.booked))

    def _booking_closed(self, ticket: IssuedTicket | None, booked: str = "") -> None:
        if ticket is None and booked:  # the form's visitor is booked: on to the next visitor
            from screens.desk.screen import HINT

            self._offer_day, self._rejected = None, False
            self.clear_form()
            self.query_one("#desk-hint", Static).update(HINT)
            self.notify(f"{booked}。请接待下一位来访人", title="预约", markup=False)
            return
        if ticket is None:
            self._focus_field("id_number")
            return
        self.call_later(self.issue_done, ticket)  # a check-in issued a ticket: as after F5
