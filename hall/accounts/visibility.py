"""Who sees what of a visitor's file: confidential matters, personal data by role, audited views.

Every read that hands a visitor's file, visits or personal data to an adapter (the desk's file,
the window's current visitor and earlier visits, the desk's booking dialog, ``hall
visitor-history``) takes the viewer's login and goes through this module, so the CLI, every
screen and textual-serve see the same:

    actor = visibility.viewer(store, "win07")          # NotAllowed (audited): kiosk, board, admin
    shown = visibility.visits_for(actor, visits, config)
    visibility.audit_view(store, actor.login, visitor_id, shown, via="desk")

The rules (issue 11, section 4):

- Only roles with the act ``visitor.view`` read a file at all (desk, windows, leaders' rooms, the
  duty lawyer, managers); the kiosk and the board get no personal data: :func:`viewer` refuses
  them with :class:`hall.errors.NotAllowed`, which the CLI turns into exit 3.
- A visit of a category marked ``confidential`` (检举控告 → 纪委监委) shows its details (ticket,
  category, department, district, matter, outcome) only to staff of the department it routes to
  now (``Visit.department``, which a transfer moves) and to the roles of
  :data:`~hall.accounts.permissions.SEES_EVERYTHING` (managers). Everyone else gets it as
  「保密事项」 with its date and nothing else (:func:`masked`), and it never counts as an earlier
  visit: :attr:`hall.views.VisitorFile.visit_count` and ``last_visit`` skip it, and a visit is
  stored as a repeat visit only when an earlier one counts for its own department
  (:func:`counts_for`), so the 人社局 window's 重复访 mark and banner never betray a report.
- Every view is audited in its own short transaction (who, what, when): ``visitor.view`` for the
  file (entity ``visitor``), and one ``visit.confidential`` event for each confidential visit
  shown in full. The audit log (``hall audit``) holds the visitor's id and the visits' ids, never
  the personal data itself.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from hall.accounts.permissions import SCOPED, SEES_EVERYTHING
from hall.clock import to_storage
from hall.views import VisitSummary
from models import AuditEvent

if TYPE_CHECKING:
    from config.schema import HallConfig
    from hall.accounts.actor import Actor
    from hall.store import Store

T = TypeVar("T")

CONFIDENTIAL_LABEL = "保密事项"
"""What a confidential visit is called for everyone outside its department and the managers."""

VIEW = "visitor.view"
"""The act (permission table) and the audit action of reading a visitor's file."""
CONFIDENTIAL_VIEW = "visit.confidential"
"""The audit action of a confidential visit shown in full (one per visit)."""
REVEAL = "visitor.reveal"
"""The act and audit action of showing a masked ID number or phone in full."""


def is_confidential(config: HallConfig, category: str) -> bool:
    """Whether visits of ``category`` are confidential (``confidential: true`` in the hall's
    configuration)."""
    spec = config.category(category)
    return bool(spec and spec.confidential)


def sees_details(actor: Actor | None, confidential: bool, department: str) -> bool:
    """Whether ``actor`` sees the details of a visit: anyone who may read files sees an ordinary
    visit; a confidential one only its department's staff and the managers."""
    if actor is None or not actor.may(VIEW):
        return False
    if not confidential:
        return True
    return actor.role in SEES_EVERYTHING or department in actor.departments


def masked(visit: VisitSummary) -> VisitSummary:
    """``visit`` with everything but its id and date withheld: 「保密事项」 for a confidential one,
    nothing for another (a role that may read no file). The id stays: it is no personal data and
    lets a view tell the visit apart (the window leaves out its current visit by id)."""
    label = CONFIDENTIAL_LABEL if visit.confidential else ""
    return VisitSummary(visit_id=visit.visit_id, date=visit.date, number="", category="",
                        category_name=label, department="", department_name="", status="",
                        outcome="", outcome_label="", district="", matter="",
                        confidential=visit.confidential, masked=True)


def visits_for(actor: Actor | None, visits: Iterable[VisitSummary]) -> list[VisitSummary]:
    """``visits`` as ``actor`` may see them, in the same order: each in full or :func:`masked`."""
    return [v if sees_details(actor, v.confidential, v.department) else masked(v)
            for v in visits]


def matter_for(actor: Actor | None, item: T, config: HallConfig) -> T:
    """``item`` (a frozen view with ``category`` and ``matter``: a booking) as ``actor`` sees it:
    a confidential category outside the actor's department (where the category routes) keeps
    everything but its category and matter, which read 「保密事项」."""
    category: str = getattr(item, "category", "")
    spec = config.category(category)
    if spec is None or not spec.confidential or sees_details(actor, True, spec.department):
        return item
    return dataclasses.replace(item, category="", matter=CONFIDENTIAL_LABEL)  # type: ignore[type-var]


def bookings_for(store: Store, login: str, visitor_id: int | None,
                 bookings: Callable[[], Iterable[T]]) -> list[T]:
    """A visitor's bookings (read by ``bookings()`` once ``login`` may read files) as that viewer
    sees them (:func:`matter_for`), the view audited; none for no visitor (the desk's booking
    dialog for a new ID)."""
    actor = viewer(store, login)
    if visitor_id is None:
        return []
    shown = [matter_for(actor, b, store.config) for b in bookings()]
    audit_view(store, actor.login, visitor_id, (), via="booking")
    return shown


def counts_for(visits: Iterable[VisitSummary], department: str) -> bool:
    """Whether any of ``visits`` (earlier ones, unfiltered) makes a new visit to ``department`` a
    repeat visit: a confidential visit counts only for its own department."""
    return any(not v.confidential or v.department == department for v in visits)


def viewer(store: Store, login: str, departments: Sequence[str] = (),
           act: str = VIEW) -> Actor:
    """The account ``login`` as an :class:`~hall.accounts.actor.Actor` if it may read visitors'
    files (``act``), and, for a role acting only for its own departments (a window clerk), one
    of ``departments`` when given (a window's: window 9 serves 自然资源局 and 农业农村局, its
    clerk reads either's visitor); else :class:`~hall.errors.NotAllowed`, the refusal audited
    (:meth:`hall.store.Store.permit`)."""
    actor = store.permit(login, act)
    if departments and actor.role in SCOPED and not actor.departments & set(departments):
        store.permit(login, act, departments[0])  # refused, worded and audited as every act's
    return actor


def audit_view(store: Store, login: str, visitor_id: int, visits: Sequence[VisitSummary],
               action: str = VIEW, since: datetime | None = None, **detail: Any) -> bool:
    """Write the view of visitor ``visitor_id``'s file by ``login`` to the audit log, with one
    ``visit.confidential`` event per confidential visit of ``visits`` shown in full; in its own
    transaction. ``detail`` says from where (``via="desk"``, ``window=7``...).

    ``since`` (a stored time): write nothing when ``login`` already has this event for this
    visitor since then. A window's terminal reloads its view whenever any ticket changes; its
    current visitor is one view per call (``since`` = the call's time), not one per reload.
    Returns whether anything was written."""
    now = to_storage(store.now())
    # min: a call stamped by a terminal whose clock runs ahead must not defeat the once-per-call
    if since is not None and _seen(login, action, visitor_id, min(since, now)):
        return False
    shown = [v.visit_id for v in visits if v.confidential and not v.masked]
    with store.transaction():
        store.audit(login, action, "visitor", visitor_id, now,
                    {**detail, "confidential": shown} if shown else detail)
        for visit_id in shown:
            store.audit(login, CONFIDENTIAL_VIEW, "visit", visit_id, now,
                        {"visitor": visitor_id, **detail})
    return True


def _seen(login: str, action: str, visitor_id: int, since: datetime) -> bool:
    """Whether ``login`` has an ``action`` event for the visitor at or after ``since`` (the
    (actor, at) index finds the viewer's few events of the day)."""
    return AuditEvent.select(AuditEvent.id).where(
        (AuditEvent.actor == login) & (AuditEvent.at >= since)
        & (AuditEvent.action == action) & (AuditEvent.entity == "visitor")
        & (AuditEvent.entity_id == str(visitor_id))).exists()

