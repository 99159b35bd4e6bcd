"""Reading the audit log: who did or saw what, when (``hall audit``; administrators and managers).

    events = hall.audit.events(viewer="mgr01", start=date(2026, 11, 23), staff="win07",
                               action="visitor.view")

Every act writes an :class:`models.AuditEvent` in its own transaction (:meth:`Store.audit`), and
so does every view of personal data (:mod:`hall.accounts.visibility`: a visitor's file, a
confidential visit shown in full, a masked field revealed; an incident's detail; an export that
holds personal data). This context reads them back: dates are the hall's calendar days in its time
zone (``start`` 00:00 to the end of ``end``), ``staff`` uses the (actor, at) index. Reading the
log is itself audited (``audit.read``), and only roles with the act ``audit.read`` may
(:class:`hall.errors.NotAllowed` for the others, which the CLI turns into exit 3).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from hall.accounts.permissions import ACTS
from hall.clock import to_storage
from models import AuditEvent

if TYPE_CHECKING:
    from hall.store import Store

READ = "audit.read"
"""The act (permission table) and the audit action of reading the log."""
ACTION_LABELS: dict[str, str] = {
    **ACTS,
    "visit.confidential": "查看保密事项",
    "visitor.history": "查看档案变更",
    "denied": "越权被拒",
}
"""What ``hall audit`` calls an action, when it has a name (else the action's code)."""


@dataclass(frozen=True)
class AuditView:
    """One audit event as ``hall audit`` prints it."""

    id: int
    at: str  # the hall's local time, YYYY-MM-DD HH:MM:SS
    actor: str
    action: str
    action_label: str
    entity: str
    entity_id: str
    detail: dict[str, Any] = field(default_factory=dict)


class AuditLog:
    """The audit log of one hall, read by administrators and managers."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def events(self, *, viewer: str, start: date | None = None, end: date | None = None,
               staff: str | None = None, action: str | None = None) -> list[AuditView]:
        """The events from ``start`` to ``end`` (calendar days in the hall's time zone, both
        included; open when None), of one staff login and one action when given, oldest first.

        ``viewer`` must have ``audit.read`` (else :class:`~hall.errors.NotAllowed`, audited);
        the reading is written to the log too, after the events are read."""
        actor = self.store.permit(viewer, READ)
        query = AuditEvent.select()
        if start is not None:
            query = query.where(AuditEvent.at >= self._stored(start))
        if end is not None:
            query = query.where(AuditEvent.at < self._stored(end + timedelta(days=1)))
        if staff:
            query = query.where(AuditEvent.actor == staff)
        if action:
            query = query.where(AuditEvent.action == action)
        rows = list(query.order_by(AuditEvent.at, AuditEvent.id))
        with self.store.transaction():
            self.store.audit(actor.login, READ, "audit", "", to_storage(self.store.now()),
                             {"from": str(start or ""), "to": str(end or ""),
                              "staff": staff or "", "action": action or "",
                              "events": len(rows)})
        return [self._view(r) for r in rows]

    def _stored(self, day: date) -> datetime:
        """The start of ``day`` in the hall's time zone, as stored (naive UTC)."""
        return to_storage(datetime.combine(day, time(0), self.store.tz))

    def _view(self, row: AuditEvent) -> AuditView:
        try:
            detail = json.loads(row.detail or "{}")
        except ValueError:  # written by hand or by an old version: shown as it is
            detail = {"text": row.detail}
        return AuditView(
            id=row.id, at=self.store.local(row.at).strftime("%Y-%m-%d %H:%M:%S"),
            actor=row.actor, action=row.action,
            action_label=ACTION_LABELS.get(row.action, row.action), entity=row.entity,
            entity_id=row.entity_id, detail=detail if isinstance(detail, dict) else
            {"value": detail})
