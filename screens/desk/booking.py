"""F7 on the desk: reception-day booking and check-in (领导接待日, :mod:`screens.dialogs.booking`)
for the ID in the form. A mixin of :class:`screens.desk.screen.DeskScreen`.

The dialog gets the form as typed, so booking opens or updates the visitor's file from it (a
first-time visitor at a closed lawyer seat or leader room is booked on the next duty day without a
ticket anywhere); after a closed room's refusal it opens on the day the refusal named.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from hall.text.idnumber import IdNumber

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
        person = self._person.value if isinstance(self._person, IdNumber) else ""
        form = self.registration() if person else None
        self.app.push_screen(BookingDialog(person, self._offer_day, form), self._booking_closed)

    def _booking_closed(self, ticket: IssuedTicket | None) -> None:
        if ticket is None:
            self._focus_field("id_number")
            return
        self.call_later(self.issue_done, ticket)  # a check-in issued a ticket: as after F5
