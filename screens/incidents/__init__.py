"""Special situations: log one from any staff screen (F12), review and close them.

- :mod:`.screen` -- :class:`IncidentsScreen` (``incidents.tcss``): filters, timeline, correction,
  closing, the daily report.
- :mod:`.dialogs` -- action, text, correction and report dialogs.
- :mod:`.texts` -- the list's cells (cut to the width) and the detail's text.
- :mod:`.form` -- :class:`IncidentForm` (``form.tcss``), the F12 form.
- :mod:`.watch` -- :class:`IncidentWatch`, the discreet alert on every staff screen.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # each name is imported with its module when first asked for (__getattr__)
    from screens.incidents.dialogs import ActionDialog, CorrectionDialog, ReportDialog, TextDialog
    from screens.incidents.form import IncidentContext, IncidentForm
    from screens.incidents.screen import IncidentsScreen
    from screens.incidents.watch import IncidentWatch, open_incident_form

# The app imports .watch on every start; the manager's screen and its dialogs load when opened.
_HOMES = {"ActionDialog": "dialogs", "CorrectionDialog": "dialogs", "ReportDialog": "dialogs",
          "TextDialog": "dialogs", "IncidentContext": "form", "IncidentForm": "form",
          "IncidentsScreen": "screen", "IncidentWatch": "watch", "open_incident_form": "watch"}


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_HOMES[name]}"), name)

__all__ = [
    "ActionDialog", "CorrectionDialog", "IncidentContext", "IncidentForm", "IncidentWatch",
    "IncidentsScreen", "ReportDialog", "TextDialog", "open_incident_form",
]
