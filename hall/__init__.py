"""The hall's domain: the rules of a petition hall over its database, with no terminal UI.

    from hall import Hall, SystemClock
    hall = Hall(db, config, SystemClock())
    hall.desk.issue(Registration(...), actor="desk01")

The public surface: :class:`Hall` (:mod:`hall.facade`), the clocks (:mod:`hall.clock`), the error
types (:mod:`hall.errors`, and :class:`FormError` of a form that does not validate).
"""

from __future__ import annotations

from hall.clock import Clock, FixedClock, SystemClock
from hall.desk.registration import FormError, Registration
from hall.errors import NotFound, Refused
from hall.facade import Hall

__all__ = ["Clock", "FixedClock", "FormError", "Hall", "NotFound", "Refused", "Registration",
           "SystemClock"]
