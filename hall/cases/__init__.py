"""Cases (信访事项): from the window to a closed case.

``hall.cases`` (:class:`~hall.cases.context.Cases`) opens a case when a window finishes a visit
with an outcome that opens one, follows it through its states (:mod:`hall.cases.states`) with
deadlines counted from the configuration (:mod:`hall.cases.deadlines`), and reads it back for the
case screen, the CLI and the visitor's status lookup (:mod:`hall.cases.reads`, views in
:mod:`hall.cases.views`).
"""

from __future__ import annotations

from hall.cases.base import CASES, Opened, case_text_errors
from hall.cases.context import Cases
from hall.cases.states import CLOSED, OPEN, SATISFACTION, STATES, STEPS, allowed_steps

__all__ = ["CASES", "CLOSED", "OPEN", "SATISFACTION", "STATES", "STEPS", "Cases", "Opened",
           "allowed_steps", "case_text_errors"]
