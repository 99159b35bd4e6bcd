"""Dialogs that several roles share.

- :class:`FormDialog`: the public form dialog (rows, errors under fields, Ctrl+S, Esc).
- :class:`ReasonDialog`: ask why (a reason that must not be empty).
- :class:`ConfirmDialog`: an explicit yes (F5) before a record changes.
- :class:`NoticeDialog`: something to read and close.
- :class:`screens.dialogs.booking.BookingDialog`: a reception day's bookings, book and check in
  (desk and leaders); imported from its module when opened, so the screens that start without
  it do not load the reception days.

All are styled by ``dialogs.tcss`` (:data:`DIALOG_CSS`). A role's own dialogs live in its package.
"""

from __future__ import annotations

from screens.dialogs.confirm import ConfirmDialog
from screens.dialogs.form import DIALOG_CSS, FormDialog
from screens.dialogs.notice import NoticeDialog
from screens.dialogs.reason import ReasonDialog

__all__ = ["DIALOG_CSS", "ConfirmDialog", "FormDialog", "NoticeDialog", "ReasonDialog"]
