"""Special situations: log one from any staff screen (F12), review and close them.

- :mod:`.screen` -- :class:`IncidentsScreen` (``incidents.tcss``): filters, timeline, correction,
  closing, the daily report.
- :mod:`.dialogs` -- action, text, correction and report dialogs.
- :mod:`.texts` -- the list's cells (cut to the width) and the detail's text.
- :mod:`.form` -- :class:`IncidentForm` (``form.tcss``), the F12 form.
- :mod:`.watch` -- :class:`IncidentWatch`, the discreet alert on every staff screen.
"""

from __future__ import annotations

from screens.incidents.dialogs import ActionDialog, CorrectionDialog, ReportDialog, TextDialog
from screens.incidents.form import IncidentContext, IncidentForm
from screens.incidents.screen import IncidentsScreen
from screens.incidents.watch import IncidentWatch, open_incident_form

__all__ = [
    "ActionDialog", "CorrectionDialog", "IncidentContext", "IncidentForm", "IncidentWatch",
    "IncidentsScreen", "ReportDialog", "TextDialog", "open_incident_form",
]
