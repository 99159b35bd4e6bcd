"""Special situations (特殊情况): log an incident, record its steps, close, reopen, review.

One context of the hall, ``hall.incidents`` (:class:`Incidents`):

    new = hall.incidents.log(NewIncident("dangerous", "3号窗口", "携带水果刀", ticket="R007"),
                             actor="win03")
    hall.incidents.act(new.id, "dissuade", actor="win03", result="已交出刀具")
    hall.incidents.close(new.id, "公安带离，移交派出所", actor="mgr01")
    report = hall.incidents.report(day, actor="mgr01")     # the daily report, audited as a view

Modules: :mod:`~hall.incidents.context` (the acts and reads), :mod:`~hall.incidents.form` (the
form and its validation), :mod:`~hall.incidents.timeline` (a record read back, corrections
applied), :mod:`~hall.incidents.views` (the frozen results), :mod:`~hall.incidents.report` (the
daily report as CSV and lines).

What it needs from the rest of the hall comes through its constructor: the Store, and the desk's
``find_ticket(code_or_number, day)`` that links an incident to a ticket.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # each name is imported with its module when first asked for (__getattr__)
    from hall.incidents.context import INCIDENTS, Incidents
    from hall.incidents.form import INCIDENT_FIELDS, IncidentFormError, NewIncident

# Every staff screen reads hall.incidents.views at start (the alert); the context comes with use.
_HOMES = {"INCIDENTS": "context", "Incidents": "context", "INCIDENT_FIELDS": "form",
          "IncidentFormError": "form", "NewIncident": "form"}

__all__ = ["INCIDENTS", "INCIDENT_FIELDS", "IncidentFormError", "Incidents", "NewIncident"]


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_HOMES[name]}"), name)
