"""What a window does with the queue: call, recall, interview, no-show, transfer, finish, pause.

One code path for a window terminal, the CLI and the tests:

    called = hall.windows.call_next(5, actor="win05")     # None when nobody waits
    hall.windows.finish(5, "answered", actor="win05", note="已当场答复")
    hall.windows.view(5, viewer="win05")                    # what the window's terminal shows

Calling is one atomic claim. Inside a write transaction the window's state row is locked (SQLite:
``BEGIN IMMEDIATE`` serialises writers; PostgreSQL: ``SELECT … FOR UPDATE``), the first waiting
ticket of the window's departments in call order (priority, then original issue time) is taken
with ``FOR UPDATE SKIP LOCKED`` on PostgreSQL, passing over the visitors the acting staff member
recused themselves from (回避, :mod:`hall.accounts.recusal`), and it is marked called *only if it
is still waiting*. The ticket and the window's ``current`` are written in the same transaction,
so a window process that dies mid-call leaves the ticket either waiting or called by that window,
which sees it again when it comes back. The hot statements come from :mod:`models.statements`.

Every act first asks the permission table (:meth:`hall.store.Store.permit`, before its
transaction): a window clerk, a leader or a duty lawyer acts only at a window serving one of
their departments (a transfer counts for the sending window, a requeue for the ticket's queue);
a refusal raises :class:`~hall.errors.NotAllowed` and writes nothing but its audit.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, NamedTuple

from config.schema import Window
from hall.accounts import visibility
from hall.board import Board
from hall.clock import to_storage
from hall.errors import NotFound, Refused
from hall.store import TICKETS, Store
from hall.text import freetext
from hall.views import STATUS_LABELS, CallNotice, VisitSummary, WindowView, department_name
from hall.windows.texts import act_text_errors, act_texts, ticket_number  # noqa: F401
from hall.windows.view import Revealed, reveal, viewed_visit, waiting, with_case
from models import Ticket, TicketEvent, Visit, WindowState, is_sqlite
from models import statements as sql

if TYPE_CHECKING:
    from hall.cases import Cases, Opened
    from hall.incidents.views import VisitorIncident

ACTIVE = ("called", "serving")
_RETRIES = 5
class Finished(NamedTuple):
    """A finished visit: the ticket's number, and the case it opened or joined (None: none)."""

    number: str
    case: Opened | None


class _WindowRow(NamedTuple):
    """A window's state row as read (and locked) inside a window act's transaction."""

    number: int
    paused: bool
    current_id: int | None


class Windows:
    """A window's acts on the queue, its own state, and what its terminal shows.

    ``board`` lists the window's waiting tickets and words its calls; ``visits_of`` (desk) and
    ``incidents_of`` (incidents) fill the current visitor's history; ``check_transfer``
    (leaders) refuses a transfer into a reception room closed now; ``recused_from(login)``
    (recusals: the ids of the visitors a login recused from) refuses calling such a visitor's
    number and marks them in the view.
    """

    def __init__(self, store: Store, *, board: Board,
                 visits_of: Callable[[int], Sequence[VisitSummary]],
                 incidents_of: Callable[[int], Sequence[VisitorIncident]],
                 check_transfer: Callable[[str], None],
                 recused_from: Callable[[str], frozenset[int]],
                 cases: Callable[[], Cases]) -> None:
        self.store = store
        self.config = store.config
        self.db = store.db
        self.board = board
        self._visits_of = visits_of
        self._incidents_of = incidents_of
        self._check_transfer = check_transfer
        self._recused_from = recused_from
        self._cases = cases

    # -- claims ---------------------------------------------------------------------------------

    def call_next(self, window: int, actor: str) -> CallNotice | None:
        """Call the next visitor for ``window``; None when nobody waits in its departments."""
        spec = self._permit(window, "window.call", actor)
        departments = spec.departments
        for _ in range(_RETRIES):
            with self.store.transaction():
                at = to_storage(self.store.now())
                state = self._lock_window(spec.number, at)
                self._check_free(state)
                # The hot path of every window: a prepared statement (models.statements); it
                # passes over the visitors ``actor`` recused themselves from (回避).
                row = sql.claim_next(self.db, day=self.store.today(), departments=departments,
                                     actor=actor)
                if row is None:
                    return None
                notice = self._claim(row[0], row[1], row[2], state, at, actor)
                if notice is not None:
                    return notice
        raise Refused("叫号冲突过多，请重试")

    def call_number(self, window: int, number: str, actor: str) -> CallNotice:
        """Call a specific waiting ticket of today, if the window serves its department."""
        spec = self._permit(window, "window.call", actor)
        text = ticket_number(number)
        with self.store.transaction():
            at = to_storage(self.store.now())
            state = self._lock_window(spec.number, at)
            self._check_free(state)
            query = Ticket.select().where((Ticket.business_day == self.store.today())
                                          & (Ticket.number == text))
            if not is_sqlite(self.db):
                query = query.for_update()
            ticket = query.first()
            if ticket is None:
                raise NotFound(f"今天没有票号 {text}")
            if ticket.department not in spec.departments:
                raise Refused(f"{text} 在“{department_name(self.config, ticket.department)}”队列，"
                              f"不由{spec.title}接待")
            if ticket.status != "waiting":
                raise Refused(f"{text} 当前为“{STATUS_LABELS[ticket.status]}”，不能叫号")
            if ticket.visit.visitor_id in self._recused_from(actor):
                raise Refused(f"您已申请回避 {text} 的来访人，不能叫号：请由其他窗口接待")
            notice = self._claim(ticket.id, ticket.number, ticket.department, state, at, actor)
            if notice is None:  # pragma: no cover - the row lock above prevents it
                raise Refused(f"{text} 已被其他窗口叫号")
            return notice

    def _claim(self, ticket_id: int, number: str, department: str, state: _WindowRow,
               at: datetime, actor: str) -> CallNotice | None:
        if not sql.take(self.db, ticket_id=ticket_id, window=state.number, at=at):
            return None  # another window got there first; the caller tries the next one
        sql.set_current(self.db, window=state.number, ticket_id=ticket_id, actor=actor, at=at)
        event_id = self._event(ticket_id, number, department, "called", at, actor, state.number)
        return self.board.notice(number, department, state.number, "called", at, event_id)

    # -- the current visitor --------------------------------------------------------------------

    def recall(self, window: int, actor: str) -> CallNotice:
        """Call the current visitor again (重呼); the board shows and speaks it again."""
        self._permit(window, "window.recall", actor)
        with self.store.transaction():
            at, state, ticket = self._current(window, ("called",), "重呼")
            Ticket.update(recalls=Ticket.recalls + 1).where(Ticket.id == ticket.id).execute()
            event_id = self._event(ticket.id, ticket.number, ticket.department, "recalled", at,
                                   actor, state.number)
            return self.board.notice(ticket.number, ticket.department, ticket.window, "recalled",
                                     at, event_id)

    def start_interview(self, window: int, actor: str) -> None:
        """The visitor has arrived: the interview (接谈) begins."""
        self._permit(window, "window.start", actor)
        with self.store.transaction():
            at, state, ticket = self._current(window, ("called",), "开始接谈")
            Ticket.update(status="serving").where(Ticket.id == ticket.id).execute()
            self._event(ticket.id, ticket.number, ticket.department, "serving", at, actor,
                        state.number)

    def no_show(self, window: int, actor: str) -> str:
        """Mark the called visitor as not come (过号), once the configured rule allows it."""
        self._permit(window, "window.no_show", actor)
        with self.store.transaction():
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
        """Send the current visitor to another department (转办), keeping number and place.

        Permitted by the window's departments (the sender's), not the receiving one's."""
        self._permit(window, "window.transfer", actor)
        target = self.config.department(to)
        if target is None:
            raise Refused(f"未知的部门“{to}”")
        note = act_texts(note=note)["note"]
        with self.store.transaction():
            at, state, ticket = self._current(window, ACTIVE, "转办")
            if ticket.department == to:
                raise Refused(f"{ticket.number} 已在“{target.name}”，不能转办到同一部门")
            self._check_transfer(to)  # a lawyer seat or leader room closed now: the next day
            # issued_at and priority stay: the visitor keeps the original place (一票到底).
            Ticket.update(department=to, status="waiting", window=None, called_at=None,
                          recalls=0).where(Ticket.id == ticket.id).execute()
            Visit.update(department=to).where(Visit.id == ticket.visit_id).execute()
            self._release(state, at, actor)
            # The event records the department it went to.
            self._event(ticket.id, ticket.number, to, "transferred", at, actor, state.number,
                        note=note)
            return ticket.number

    def finish(self, window: int, outcome: str, actor: str, note: str = "", reason: str = "",
               channel: str = "", unit: str = "") -> str:
        """Finish the current visit (办结) with its outcome (办理方式); the ticket's number.
        See :meth:`finish_visit` for the case it may open."""
        return self.finish_visit(window, outcome, actor, note, reason, channel, unit).number

    def finish_visit(self, window: int, outcome: str, actor: str, note: str = "",
                     reason: str = "", channel: str = "", unit: str = "") -> Finished:
        """Finish the current visit (办结) with its outcome (办理方式).

        An outcome marked ``opens_case`` opens a case (信访事项) in the same transaction, with
        ``unit`` as its handling unit (a department code, the visit's when empty; the outside
        unit's name for 转送); a visit about an open case becomes an entry on it instead
        (:meth:`hall.cases.Cases.open_locked`)."""
        self._permit(window, "window.finish", actor)
        spec = self.config.outcome(outcome)
        if spec is None:
            valid = "、".join(f"{o.code}（{o.name}）" for o in self.config.outcomes)
            raise Refused(f"未知的办理方式“{outcome}”，应为：{valid}")
        texts = act_texts(note=note, reason=reason, channel=channel)
        note, reason, channel = texts["note"], texts["reason"], texts["channel"]
        if spec.refusal and not (reason and channel):
            raise Refused(f"“{spec.name}”须填写理由和告知来访人的法定途径（诉讼、仲裁、复议等）")
        cases = self._cases()
        unit = cases.check_unit(spec, unit)
        with self.store.transaction():
            at, state, ticket = self._current(window, ACTIVE, "办结")
            Ticket.update(status="done").where(Ticket.id == ticket.id).execute()
            Visit.update(outcome=outcome, outcome_note=note, outcome_reason=reason,
                         outcome_channel=channel, finished_at=at, finished_by=actor).where(
                Visit.id == ticket.visit_id).execute()
            self._release(state, at, actor)
            self._event(ticket.id, ticket.number, ticket.department, "finished", at, actor,
                        state.number, note=spec.name)
            opened = cases.open_locked(ticket.visit_id, spec, unit, actor, at)
            return Finished(ticket.number, opened)

    # -- the window itself ----------------------------------------------------------------------

    def pause(self, window: int, actor: str) -> None:
        """Pause the window (暂停): it calls nobody until resumed."""
        self._set_paused(window, True, actor)

    def resume(self, window: int, actor: str) -> None:
        """Resume a paused window."""
        self._set_paused(window, False, actor)

    def requeue(self, number: str, actor: str) -> str:
        """Put a no-show visitor of today back in the queue, at the original place.

        Permitted by the ticket's department (a window clerk requeues only their own queue's)."""
        text = ticket_number(number)
        today = self.store.today()
        found = (Ticket.select(Ticket.department)
                 .where((Ticket.business_day == today) & (Ticket.number == text)).first())
        self.store.permit(actor, "ticket.requeue", found.department if found else None)
        with self.store.transaction():
            at = to_storage(self.store.now())
            ticket = Ticket.get_or_none((Ticket.business_day == today) & (Ticket.number == text))
            if ticket is None:
                raise NotFound(f"今天没有票号 {text}")
            if ticket.status != "no_show":
                raise Refused(f"{text} 当前为“{STATUS_LABELS[ticket.status]}”，"
                              "只有过号的票可重新排队")
            Ticket.update(status="waiting", window=None, called_at=None, recalls=0).where(
                Ticket.id == ticket.id).execute()
            self._event(ticket.id, ticket.number, ticket.department, "requeued", at, actor, None)
            return text

    def spec(self, window: int) -> Window:
        """The configured window, or :class:`NotFound`."""
        spec = self.config.window(window)
        if spec is None:
            valid = "、".join(str(w.number) for w in self.config.windows)
            raise NotFound(f"没有 {window} 号窗口（现有：{valid}）")
        return spec

    def view(self, window: int, *, viewer: str) -> WindowView:
        """The window's departments, pause state, current visitor and waiting list, as
        ``viewer`` (the signed-in login) may see them.

        The current visitor is shown only to those who may read files for its department (the
        window's staff, managers: else :class:`~hall.errors.NotAllowed`, audited) and its view
        is audited once per call (``visitor.view``); earlier visits of a confidential matter
        outside the viewer's department are 「保密事项」 and their date
        (:mod:`hall.accounts.visibility`). The kiosk and the board read no window. Visitors
        ``viewer`` recused themselves from are flagged (「已回避」, 回避)."""
        spec = self.spec(window)
        recused = self._recused_from(viewer) if viewer else frozenset()
        state = WindowState.get_or_none(WindowState.number == spec.number)
        current = None
        actor = visibility.viewer(self.store, viewer, spec.departments)
        if state is not None and state.current_id is not None:
            ticket = Ticket.get_by_id(state.current_id)
            visitor = ticket.visit.visitor_id
            current = with_case(self._cases().interviews, viewed_visit(
                self.store, spec.number, ticket, actor,
                no_show=self.no_show_allowed(ticket.recalls, ticket.called_at,
                                             to_storage(self.store.now())),
                visits=self._visits_of(visitor), incidents=self._incidents_of(visitor),
                recused=visitor in recused), ticket.visit_id, actor)
        return freetext.shown_in(WindowView(  # stored text made safe for a terminal
            number=spec.number, title=spec.title, departments=tuple(spec.departments),
            department_names=tuple(department_name(self.config, d) for d in spec.departments),
            paused=bool(state and state.paused), current=current,
            waiting=tuple(self.board.waits_for(list(waiting(self.store, spec.departments,
                                                            recused)))),
            appointments=tuple(self._cases().interviews.today_at(spec.number, actor))))

    def reveal(self, window: int, *, viewer: str) -> Revealed:
        """The current visitor's masked fields in full for ``viewer``; audited
        (:func:`hall.windows.view.reveal`)."""
        spec = self.spec(window)
        actor = visibility.viewer(self.store, viewer, spec.departments, visibility.REVEAL)
        state = WindowState.get_or_none(WindowState.number == spec.number)
        ticket = Ticket.get_by_id(state.current_id) if state and state.current_id else None
        return reveal(self.store, window, ticket, actor)

    # -- helpers --------------------------------------------------------------------------------

    def _set_paused(self, window: int, paused: bool, actor: str) -> None:
        spec = self._permit(window, "window.pause", actor)
        with self.store.transaction():
            at = to_storage(self.store.now())
            state = self._lock_window(spec.number, at)
            if state.paused == paused:
                raise Refused(f"{spec.title}已{'暂停' if paused else '在服务中'}")
            WindowState.update(paused=paused, actor=actor, updated_at=at).where(
                WindowState.number == spec.number).execute()
            self.store.audit(actor, "window.pause" if paused else "window.resume", "window",
                             spec.number, at, {})
            self.store.bump(TICKETS)

    def _permit(self, window: int, act: str, actor: str) -> Window:
        """The configured window, once the permission table lets ``actor`` do ``act`` there
        (a scoped role: the window serves one of its departments); :class:`NotFound`,
        :class:`~hall.errors.NotAllowed`. Every act calls it before its transaction."""
        spec = self.spec(window)
        self.store.permit(actor, act, departments=spec.departments)
        return spec

    def _lock_window(self, number: int, at: datetime) -> _WindowRow:
        """The window's state row, created if new, locked for this transaction."""
        return _WindowRow(*sql.lock_window(self.db, window=number, at=at))

    def _check_free(self, state: _WindowRow) -> None:
        spec = self.spec(state.number)
        if state.paused:
            raise Refused(f"{spec.title}已暂停：请先恢复服务")
        if state.current_id is not None:
            current = Ticket.get_by_id(state.current_id)
            raise Refused(f"{spec.title}当前来访 {current.number} 尚未办结：请先办结、转办或过号")

    def _current(self, window: int, statuses: tuple[str, ...],
                 act: str) -> tuple[datetime, _WindowRow, Ticket]:
        spec = self.spec(window)
        at = to_storage(self.store.now())
        state = self._lock_window(spec.number, at)
        if state.current_id is None:
            raise Refused(f"{spec.title}当前没有来访，无法{act}")
        ticket = Ticket.get_by_id(state.current_id)
        if ticket.status not in statuses:
            raise Refused(f"{ticket.number} 当前为“{STATUS_LABELS[ticket.status]}”，无法{act}")
        return at, state, ticket

    def _release(self, state: _WindowRow, at: datetime, actor: str) -> None:
        sql.set_current(self.db, window=state.number, ticket_id=None, actor=actor, at=at)

    def _event(self, ticket_id: int, number: str, department: str, kind: str, at: datetime,
               actor: str, window: int | None, note: str = "") -> int:
        """Append the ticket's event and its audit row, bump the counter; the event's id."""
        event_id = sql.insert_row(self.db, TicketEvent, {
            "ticket": ticket_id, "at": at, "actor": actor, "kind": kind,
            "department": department, "window": window, "note": note})
        self.store.audit(actor, f"ticket.{kind}", "ticket", ticket_id, at,
                         {"number": number, "window": window})
        self.store.bump(TICKETS)
        return event_id
