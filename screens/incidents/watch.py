"""The app's side of special situations: the global F12 key and the alert on staff screens.

:class:`screens.app.HallApp` owns one :class:`IncidentWatch` and binds F12 to
:func:`open_incident_form`, so both work on every screen without each screen knowing.

* F12 opens :class:`screens.incidents.form.IncidentForm` over whatever is on screen, prefilled
  from the topmost screen that has an ``incident_context()`` method (the window: its title, the
  current ticket and visitor; the desk: 登记分流台 and the visitor whose file is open), else with
  the hall. It is not offered on the public hall board, nor over the form itself or the login.
* Over a dialog whose save is still in flight (the desk's F7 check-in, a leader day's form), the
  form waits until the dialog has closed: Textual's ``dismiss`` pops the *top* screen, so a
  dialog closing itself under the form would close the form instead, and what was typed in it
  would be lost. F12 is remembered and the form opens a moment later over what came next.
* The watch's :class:`screens.work.Poller` reads the ``incidents`` change counter (one
  primary-key read) and, only when it moved, reloads the open incidents of high severity. The
  shared top bar (:class:`screens.widgets.topbar.TopBar`) shows them discreetly; the board has no
  top bar and never shows them.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from textual.screen import ModalScreen

from hall.incidents.views import IncidentAlert, IncidentSummary
from screens.incidents.form import IncidentContext, IncidentForm
from screens.widgets.topbar import AlertWatch

if TYPE_CHECKING:
    from screens.app import HallApp

WAIT_SECONDS = 5.0
"""How long F12 waits for a dialog's save before saying so."""
PUBLIC_MODES = ("board",)
"""Modes shown to the public: no incident key, no alert."""


class IncidentWatch(AlertWatch):
    """The open high-severity incidents (read when the ``incidents`` counter moves)."""

    alerts: tuple[IncidentAlert, ...]

    def __init__(self, app: HallApp) -> None:
        super().__init__(app, lambda: tuple(app.hall.incidents.open_alerts()), "incidents",
                         "incident-watch")


def incident_key_allowed(app: HallApp) -> bool:
    """Whether F12 is offered now: not on the public board, not over the form or the login."""
    from screens.launcher.login import LoginScreen

    if app.current_mode in PUBLIC_MODES:
        return False
    return not isinstance(app.screen, IncidentForm | LoginScreen)


def incident_context(app: HallApp) -> IncidentContext:
    """What the topmost screen that knows says about place, ticket and visitor."""
    for screen in reversed(app.screen_stack):
        provide = getattr(screen, "incident_context", None)
        if callable(provide):
            context = provide()
            if isinstance(context, IncidentContext):
                return context
    return IncidentContext(place="大厅")


def closing_soon(app: HallApp) -> bool:
    """Whether the top screen is a dialog with work in flight (a save, a check-in) that may
    close it any moment."""
    screen = app.screen
    if not isinstance(screen, ModalScreen):
        return False  # a mode's screen is never dismissed
    for worker in app.workers:
        try:
            mine = worker.node.screen is screen
        except Exception:  # a node no longer mounted
            continue
        if mine and not worker.is_finished:
            return True
    return False


def open_incident_form(app: HallApp, since: float | None = None) -> None:
    """Open the incident form prefilled from the screen; report the saved incident."""
    if not incident_key_allowed(app):
        return
    if not app.staff:
        app.action_switch_staff()
        return
    if closing_soon(app):
        started = time.monotonic() if since is None else since
        if time.monotonic() - started < WAIT_SECONDS:
            app.set_timer(0.05, lambda: open_incident_form(app, started))
        else:
            app.notify("对话框仍在处理，完成后请再按 F12 登记特殊情况", severity="warning",
                       markup=False)
        return
    app.clear_notifications()  # at 80x24 they would cover the form
    app.push_screen(IncidentForm(incident_context(app)), lambda s: _saved(app, s))


def _saved(app: HallApp, summary: IncidentSummary | None) -> None:
    if summary is None:
        return
    text = f"已登记第 {summary.id} 号特殊情况：{summary.type_name}（{summary.severity_label}级）"
    if summary.next_action_name:
        text += f"\n建议下一步：{summary.next_action_name}（在“特殊情况”工作台记录处置）"
    app.notify(text, title="特殊情况", severity="warning" if summary.severity == "high"
               else "information", markup=False, timeout=8)
    app.incident_watch.poll()
