"""What a window does with the queue: call, recall, interview, no-show, transfer, finish, pause.

Part of the :class:`hall.service.Hall` facade (mixed in), so a window terminal, the CLI and the
tests share one code path:

    called = hall.call_next(5, actor="win05")        # None when nobody waits
    hall.finish(5, "answered", actor="win05", note="已当场答复")

Calling is one atomic claim. Inside a write transaction the window's state row is locked (SQLite:
``BEGIN IMMEDIATE`` serialises writers; PostgreSQL: ``SELECT … FOR UPDATE``), the first waiting
ticket of the window's departments in call order (priority, then original issue time) is taken
with ``FOR UPDATE SKIP LOCKED`` on PostgreSQL, and it is marked called *only if it is still
waiting*. The ticket and the window's ``current`` are written in the same transaction, so a window
process that dies mid-call leaves the ticket either waiting or called by that window, which sees
it again when it comes back.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple

import peewee as pw

from config.schema import Window
from hall.clock import to_storage
from hall.errors import NotFound, Refused
from hall.views import STATUS_LABELS, CallNotice
from models import Ticket, TicketEvent, Visit, WindowState, is_sqlite, write_transaction

if TYPE_CHECKING:
    from config.schema import HallConfig
    from hall.service import _Prepared

ACTIVE = ("called", "serving")
_RETRIES = 5


class _WindowRow(NamedTuple):
    """A window's state row as read (and locked) inside a window act's transaction."""

    number: int
    paused: bool
    current_id: int | None


class WindowOps:
    """Window acts; mixed into :class:`hall.service.Hall`."""

    config: HallConfig
    db: pw.Database
    _sql: _Prepared

    if TYPE_CHECKING:  # provided by Hall and QueueReads
        def now(self) -> datetime: ...
        def today(self) -> Any: ...
        def _audit(self, actor: str, action: str, entity: str, entity_id: Any, at: datetime,
                   detail: dict[str, Any]) -> None: ...
        def _bump(self, topic: str) -> None: ...
        def _notice(self, number: str, department: str, window: int | None, kind: str,
                    at: datetime, event_id: int) -> CallNotice: ...

    # -- claims ---------------------------------------------------------------------------------

    def call_next(self, window: int, actor: str) -> CallNotice | None:
        """Call the next visitor for ``window``; None when nobody waits in its departments."""
        spec = self.window_spec(window)
        departments = spec.departments
        # The hot path of every window: prepared statements (see hall.service._Prepared), since
        # building peewee queries here cost ten times what the database spends on the claim.
        key, build = f"claim{len(departments)}", _claim_query(len(departments), self.db)
        for _ in range(_RETRIES):
            with write_transaction(self.db):
                at = to_storage(self.now())
                state = self._lock_window(spec.number, at)
                self._check_free(state)
                row = self._sql.row(key, build, self.today(), *departments, "waiting")
                if row is None:
                    return None
                notice = self._claim(row[0], row[1], row[2], state, at, actor)
                if notice is not None:
                    return notice
        raise Refused("叫号冲突过多，请重试")

    def call_number(self, window: int, number: str, actor: str) -> CallNotice:
        """Call a specific waiting ticket of today, if the window serves its department."""
        spec = self.window_spec(window)
        text = number.strip().upper()
        with write_transaction(self.db):
            at = to_storage(self.now())
            state = self._lock_window(spec.number, at)
            self._check_free(state)
            query = Ticket.select().where((Ticket.business_day == self.today())
                                          & (Ticket.number == text))
            if not is_sqlite(self.db):
                query = query.for_update()
            ticket = query.first()
            if ticket is None:
                raise NotFound(f"今天没有票号 {text}")
            if ticket.department not in spec.departments:
                raise Refused(f"{text} 在“{self._dept_name(ticket.department)}”队列，"
                              f"不由{spec.title}接待")
            if ticket.status != "waiting":
                raise Refused(f"{text} 当前为“{STATUS_LABELS[ticket.status]}”，不能叫号")
            notice = self._claim(ticket.id, ticket.number, ticket.department, state, at, actor)
            if notice is None:  # pragma: no cover - the row lock above prevents it
                raise Refused(f"{text} 已被其他窗口叫号")
            return notice

    def _claim(self, ticket_id: int, number: str, department: str, state: _WindowRow,
               at: datetime, actor: str) -> CallNotice | None:
        taken = self._sql.execute("take", _take_query, "called", at, state.number, 0, ticket_id,
                                  "waiting").rowcount
        if taken != 1:
            return None  # another window got there first; the caller tries the next one
        self._sql.execute("window.current", _current_query, ticket_id, actor, at, state.number)
        event_id = self._event(ticket_id, number, department, "called", at, actor, state.number)
        return self._notice(number, department, state.number, "called", at, event_id)

    # -- the current visitor --------------------------------------------------------------------

    def recall(self, window: int, actor: str) -> CallNotice:
        """Call the current visitor again (重呼); the board shows and speaks it again."""
        with write_transaction(self.db):
            at, state, ticket = self._current(window, ("called",), "重呼")
            Ticket.update(recalls=Ticket.recalls + 1).where(Ticket.id == ticket.id).execute()
            event_id = self._event(ticket.id, ticket.number, ticket.department, "recalled", at,
                                   actor, state.number)
            return self._notice(ticket.number, ticket.department, ticket.window, "recalled", at,
                                event_id)

    def start_interview(self, window: int, actor: str) -> None:
        """The visitor has arrived: the interview (接谈) begins."""
        with write_transaction(self.db):
            at, state, ticket = self._current(window, ("called",), "开始接谈")
            Ticket.update(status="serving").where(Ticket.id == ticket.id).execute()
            self._event(ticket.id, ticket.number, ticket.department, "serving", at, actor,
                        state.number)

    def no_show(self, window: int, actor: str) -> str:
        """Mark the called visitor as not come (过号), once the configured rule allows it."""
        with write_transaction(self.db):
            at, state, ticket = self._current(window, ("called",), "过号")
            allowed, hint = self.no_show_allowed(ticket.recalls, ticket.called_at, at)
            if not allowed:
                raise Refused(hint)
            Ticket.update(status="no_show").where(Ticket.id == ticket.id).execute()
            self._release(state, at, actor)
            self._event(ticket.id, ticket.number, ticket.department, "no_show", at, actor,
                        state.number)
            return ticket.number

    def no_show_allowed(self, recalls: int, called_at: datetime | None,
                        at: datetime) -> tuple[bool, str]:
        """Whether a no-show may be marked now, and if not, a Chinese sentence saying when."""
        rules = self.config.calls
        minutes = (at - called_at).total_seconds() / 60 if called_at else 0.0
        if recalls >= rules.no_show_after_recalls or minutes >= rules.no_show_after_minutes:
            return True, ""
        return False, (f"尚不能过号：需重呼 {rules.no_show_after_recalls} 次或叫号满 "
                       f"{rules.no_show_after_minutes} 分钟（已重呼 {recalls} 次，"
                       f"已过 {int(minutes)} 分钟）")

    def transfer(self, window: int, to: str, actor: str, note: str = "") -> str:
        """Send the current visitor to another department (转办), keeping number and place."""
        target = self.config.department(to)
        if target is None:
            raise Refused(f"未知的部门“{to}”")
        with write_transaction(self.db):
            at, state, ticket = self._current(window, ACTIVE, "转办")
            if ticket.department == to:
                raise Refused(f"{ticket.number} 已在“{target.name}”，不能转办到同一部门")
            # issued_at and priority stay: the visitor keeps the original place (一票到底).
            Ticket.update(department=to, status="waiting", window=None, called_at=None,
                          recalls=0).where(Ticket.id == ticket.id).execute()
            Visit.update(department=to).where(Visit.id == ticket.visit_id).execute()
            self._release(state, at, actor)
            # The event records the department it went to.
            self._event(ticket.id, ticket.number, to, "transferred", at, actor, state.number,
                        note=note.strip())
            return ticket.number

    def finish(self, window: int, outcome: str, actor: str, note: str = "", reason: str = "",
               channel: str = "") -> str:
        """Finish the current visit (办结) with its outcome (办理方式)."""
        spec = self.config.outcome(outcome)
        if spec is None:
            valid = "、".join(f"{o.code}（{o.name}）" for o in self.config.outcomes)
            raise Refused(f"未知的办理方式“{outcome}”，应为：{valid}")
        reason, channel = reason.strip(), channel.strip()
        if spec.refusal and not (reason and channel):
            raise Refused(f"“{spec.name}”须填写理由和告知来访人的法定途径（诉讼、仲裁、复议等）")
        with write_transaction(self.db):
            at, state, ticket = self._current(window, ACTIVE, "办结")
            Ticket.update(status="done").where(Ticket.id == ticket.id).execute()
            Visit.update(outcome=outcome, outcome_note=note.strip(), outcome_reason=reason,
                         outcome_channel=channel, finished_at=at, finished_by=actor).where(
                Visit.id == ticket.visit_id).execute()
            self._release(state, at, actor)
            self._event(ticket.id, ticket.number, ticket.department, "finished", at, actor,
                        state.number, note=spec.name)
            return ticket.number

    # -- the window itself ----------------------------------------------------------------------

    def pause(self, window: int, actor: str) -> None:
        """Pause the window (暂停): it calls nobody until resumed."""
        self._set_paused(window, True, actor)

    def resume(self, window: int, actor: str) -> None:
        """Resume a paused window."""
        self._set_paused(window, False, actor)

    def requeue(self, number: str, actor: str) -> str:
        """Put a no-show visitor of today back in the queue, at the original place."""
        text = number.strip().upper()
        with write_transaction(self.db):
            at = to_storage(self.now())
            ticket = Ticket.get_or_none((Ticket.business_day == self.today())
                                        & (Ticket.number == text))
            if ticket is None:
                raise NotFound(f"今天没有票号 {text}")
            if ticket.status != "no_show":
                raise Refused(f"{text} 当前为“{STATUS_LABELS[ticket.status]}”，"
                              "只有过号的票可重新排队")
            Ticket.update(status="waiting", window=None, called_at=None, recalls=0).where(
                Ticket.id == ticket.id).execute()
            self._event(ticket.id, ticket.number, ticket.department, "requeued", at, actor, None)
            return text

    def window_spec(self, window: int) -> Window:
        """The configured window, or :class:`NotFound`."""
        spec = self.config.window(window)
        if spec is None:
            valid = "、".join(str(w.number) for w in self.config.windows)
            raise NotFound(f"没有 {window} 号窗口（现有：{valid}）")
        return spec

    # -- helpers --------------------------------------------------------------------------------

    def _set_paused(self, window: int, paused: bool, actor: str) -> None:
        spec = self.window_spec(window)
        with write_transaction(self.db):
            at = to_storage(self.now())
            state = self._lock_window(spec.number, at)
            if state.paused == paused:
                raise Refused(f"{spec.title}已{'暂停' if paused else '在服务中'}")
            WindowState.update(paused=paused, actor=actor, updated_at=at).where(
                WindowState.number == spec.number).execute()
            self._audit(actor, "window.pause" if paused else "window.resume", "window",
                        spec.number, at, {})
            self._bump("tickets")

    def _lock_window(self, number: int, at: datetime) -> _WindowRow:
        """The window's state row, created if new, locked for this transaction."""
        self._sql.execute("window.ensure", _ensure_window_query, number, False, None, "", at)
        row = self._sql.row("window.lock", _lock_window_query(self.db), number)
        return _WindowRow(row[0], bool(row[1]), row[2])

    def _check_free(self, state: _WindowRow) -> None:
        spec = self.window_spec(state.number)
        if state.paused:
            raise Refused(f"{spec.title}已暂停：请先恢复服务")
        if state.current_id is not None:
            current = Ticket.get_by_id(state.current_id)
            raise Refused(f"{spec.title}当前来访 {current.number} 尚未办结：请先办结、转办或过号")

    def _current(self, window: int, statuses: tuple[str, ...],
                 act: str) -> tuple[datetime, _WindowRow, Ticket]:
        spec = self.window_spec(window)
        at = to_storage(self.now())
        state = self._lock_window(spec.number, at)
        if state.current_id is None:
            raise Refused(f"{spec.title}当前没有来访，无法{act}")
        ticket = Ticket.get_by_id(state.current_id)
        if ticket.status not in statuses:
            raise Refused(f"{ticket.number} 当前为“{STATUS_LABELS[ticket.status]}”，无法{act}")
        return at, state, ticket

    def _release(self, state: _WindowRow, at: datetime, actor: str) -> None:
        self._sql.execute("window.current", _current_query, None, actor, at, state.number)

    def _event(self, ticket_id: int, number: str, department: str, kind: str, at: datetime,
               actor: str, window: int | None, note: str = "") -> int:
        """Append the ticket's event and its audit row, bump the counter; the event's id."""
        event_id = self._sql.insert(TicketEvent, {
            "ticket": ticket_id, "at": at, "actor": actor, "kind": kind,
            "department": department, "window": window, "note": note})
        self._audit(actor, f"ticket.{kind}", "ticket", ticket_id, at,
                    {"number": number, "window": window})
        self._bump("tickets")
        return event_id

    def _dept_name(self, code: str) -> str:
        dept = self.config.department(code)
        return dept.name if dept else code


# -- prepared statements (built once per Hall by hall.service._Prepared) ---------------------------


def _claim_query(departments: int, db: pw.Database) -> Any:
    """The first waiting ticket of a day's departments in call order, for a window to claim.

    Parameters: business day, each department, "waiting". The queue index (business_day,
    department, status, priority_rank, issued_at) serves it; PostgreSQL skips rows another
    window is claiming this instant instead of waiting for them.
    """
    def build(p: pw.Node) -> pw.Query:
        query = (Ticket.select(Ticket.id, Ticket.number, Ticket.department)
                 .where((Ticket.business_day == p) & Ticket.department.in_([p] * departments)
                        & (Ticket.status == p))
                 .order_by(Ticket.priority_rank, Ticket.issued_at, Ticket.id)
                 .limit(pw.SQL("1")))
        return query if is_sqlite(db) else query.for_update("FOR UPDATE SKIP LOCKED")
    return build


def _take_query(p: pw.Node) -> pw.Query:
    """Mark a ticket called by a window only if it is still waiting (status, called_at, window,
    recalls; id, "waiting": peewee writes SET in the fields' declaration order)."""
    return (Ticket.update({Ticket.status: p, Ticket.called_at: p, Ticket.window: p,
                           Ticket.recalls: p})
            .where((Ticket.id == p) & (Ticket.status == p)))


def _current_query(p: pw.Node) -> pw.Query:
    """Set (or clear) a window's current visitor (current, actor, updated_at; number: the
    fields' declaration order, as peewee writes SET)."""
    return (WindowState.update({WindowState.current: p, WindowState.actor: p,
                                WindowState.updated_at: p})
            .where(WindowState.number == p))


def _ensure_window_query(p: pw.Node) -> pw.Query:
    """The window's state row, if it has none yet (number, paused, current, actor, updated_at)."""
    fields = [WindowState.number, WindowState.paused, WindowState.current, WindowState.actor,
              WindowState.updated_at]
    return WindowState.insert_many([[p] * len(fields)], fields=fields).on_conflict_ignore()


def _lock_window_query(db: pw.Database) -> Any:
    def build(p: pw.Node) -> pw.Query:
        query = (WindowState.select(WindowState.number, WindowState.paused, WindowState.current)
                 .where(WindowState.number == p))
        return query if is_sqlite(db) else query.for_update()
    return build
