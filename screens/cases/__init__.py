"""Cases (信访事项): the case screen, its dialogs, and the managers' overdue mark.

- :mod:`.screen` -- :class:`CasesScreen` (``cases.tcss``): views (逾期, 即将到期, 在办, 全部) and
  filters, a case's timeline, its steps each on one key, documents.
- :mod:`.dialogs` -- :class:`StepDialog` (what a step needs) and :class:`DocumentDialog`.
- :mod:`.texts` -- the list's cells (cut to the width) and the case's text.
- :mod:`.watch` -- :class:`CaseWatch`, the overdue mark in every manager's top bar.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # each name is imported with its module when first asked for (__getattr__)
    from screens.cases.dialogs import DocumentDialog, StepDialog
    from screens.cases.screen import CasesScreen
    from screens.cases.watch import CaseWatch

# The app imports .watch on every start; the screen and its dialogs load when opened.
_HOMES = {"CasesScreen": "screen", "DocumentDialog": "dialogs", "StepDialog": "dialogs",
          "CaseWatch": "watch"}


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_HOMES[name]}"), name)


__all__ = ["CaseWatch", "CasesScreen", "DocumentDialog", "StepDialog"]
